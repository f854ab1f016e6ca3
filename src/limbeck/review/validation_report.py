"""The validation summary ``--validate`` prints on stderr, and its verdict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from limbeck.review.describe import RevisionNames, display_path, operation, short
from limbeck.review.errors import ValidationFailed
from limbeck.review.script_check import ScriptCheck, check_script
from limbeck.review.validate import Status, Validator

if TYPE_CHECKING:
    from limbeck.review.stream import Record


def _counts(counter: Counter[Status]) -> str:
    parts = [f"{counter[s]} {s.value}" for s in Status if counter[s]]
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


def summary(validator: Validator, checks: Sequence[ScriptCheck], names: RevisionNames, dialect: str) -> list[str]:
    """Lines for stderr: totals, counts per revision, each statement that is not verified."""
    total = validator.counts()
    lines = [f"validation ({dialect}): {sum(total.values())} statements: {_counts(total)}"]
    for revision, counter in validator.by_revision().items():
        if revision is None:
            lines.append(f"  env.py: {_counts(counter)}")
        else:
            path = display_path(names.path(revision))
            lines.append(f"  revision {revision} ({path or 'no file'}): {_counts(counter)}")
    for checked in validator.problems():
        record = checked.record
        lines.append(
            f"  {checked.verdict.status.value}: {names.where(record)}, {operation(record)}: "
            f"{short(checked.text)!r}: {checked.verdict.detail}"
        )
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
            f"{names.where(first.record)}: {first.verdict.detail}{more}"
        )
    for check in checks:
        if not check.ok:
            return ValidationFailed(f"the script does not cut back into its statements: {check.problem}")
    return None
