"""The validation summary ``--validate`` prints on stderr, and its verdict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from limbeck.dialects.base import StatementValidator
from limbeck.review.describe import RevisionNames, display_path, operation, short
from limbeck.review.errors import ValidationFailed
from limbeck.review.script_check import ScriptCheck, check_script
from limbeck.review.validate import (
    Checked,
    Validator,
    judged_by,
    label_order,
    parser_for,
)

if TYPE_CHECKING:
    from limbeck.review.stream import Record


def counts_text(counter: Counter[str]) -> str:
    """``12 parsed (pglast), 1 invalid``: strongest check first."""
    parts = [f"{counter[label]} {label}" for label in sorted(counter, key=label_order) if counter[label]]
    return ", ".join(parts) or "no statements"


def script_checks(records: Sequence[Record]) -> list[ScriptCheck]:
    """One whole-script check per migration context of the run."""
    contexts: dict[int, list[Record]] = {}
    for record in records:
        contexts.setdefault(record.context, []).append(record)
    checks = []
    for group in contexts.values():
        script = "".join(chunk for record in group for chunk in record.chunks)
        checks.append(check_script(script, group))
    return checks


def where(checked: Checked, names: RevisionNames) -> str:
    """``versions/b2_x.py:14 (revision b2, upgrade)`` when the line is known."""
    record = checked.record
    text = names.where(record)
    if record.line and record.revision is not None:
        path = display_path(names.path(record.revision)) or record.revision
        text = text.replace(path, f"{path}:{record.line}", 1)
    return text


def _fallback(dialect: str) -> list[str]:
    if judged_by(dialect) is StatementValidator.PGLAST and parser_for(dialect) != "pglast":
        return [
            ("  pglast is not installed: sqlglot judged the PostgreSQL statements, leniently "
            "(pip install 'limbeck[postgresql]' for PostgreSQL's own parser)")
        ]
    return []


def summary(validator: Validator, checks: Sequence[ScriptCheck], names: RevisionNames, dialect: str) -> list[str]:
    """Lines for stderr: totals, counts per revision, each statement nothing accepted."""
    total = validator.counts()
    lines = [f"validation ({dialect}): {sum(total.values())} statements: {counts_text(total)}"]
    lines += _fallback(dialect)
    for revision, counter in validator.by_revision().items():
        if revision is None:
            lines.append(f"  env.py: {counts_text(counter)}")
        else:
            path = display_path(names.path(revision))
            lines.append(f"  revision {revision} ({path or 'no file'}): {counts_text(counter)}")
    for checked in validator.problems():
        lines.append(
            f"  {checked.verdict.status.value}: {where(checked, names)}, {operation(checked.record)}: "
            f"{short(checked.text)!r}: {checked.verdict.detail}"
        )
    lines += [f"  {note}" for note in validator.notes]
    for check in checks:
        if check.ok:
            lines.append(f"script check: the script cuts back into its {check.expected} statements")
        else:
            lines.append(f"script check FAILED: {check.problem}")
    return lines


def verdict(validator: Validator, checks: Sequence[ScriptCheck], names: RevisionNames) -> ValidationFailed | None:
    """The error to exit with, or ``None`` when nothing is invalid."""
    invalid = validator.invalid
    if invalid:
        first = invalid[0]
        more = f" (and {len(invalid) - 1} more)" if len(invalid) > 1 else ""
        return ValidationFailed(
            f"{len(invalid)} invalid statement{'s' if len(invalid) != 1 else ''}: "
            f"{where(first, names)}: {first.verdict.detail}{more}"
        )
    for check in checks:
        if not check.ok:
            return ValidationFailed(f"the script does not cut back into its statements: {check.problem}")
    return None
