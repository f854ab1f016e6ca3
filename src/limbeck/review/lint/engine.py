"""Running the rules over a recorded stream, suppressions, and the verdict."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.review.capture import RevisionRange, capture, script_directory
from limbeck.review.describe import RevisionNames, display_path
from limbeck.review.lint import facts as f
from limbeck.review.lint.rules import BY_KEY, ERROR, RULES, WARNING, Rule, Scope
from limbeck.review.stream import Record

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.steps import MigrationStep
    from limbeck.script import ScriptDirectory

#: ``# limbeck: allow LB001`` or ``# limbeck: allow drop-table, LB003``
_ALLOW = re.compile(r"#\s*limbeck:\s*allow\s+(?P<rules>[\w\-,\s]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    name: str
    level: str
    revision: str | None
    path: str | None
    line: int | None
    message: str
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        where = self.path or (f"revision {self.revision}" if self.revision else "env.py")
        if self.line:
            where += f":{self.line}"
        mark = " (suppressed)" if self.suppressed else ""
        return f"{where}: {self.rule} {self.level} {self.name}: {self.message}{mark}"


@dataclass
class LintResult:
    dialect: str
    range: str
    findings: list[Finding] = field(default_factory=list)
    #: why linting stopped early (a run that could not start), if it did
    stopped: str | None = None

    def active(self) -> list[Finding]:
        return [x for x in self.findings if not x.suppressed]

    @property
    def errors(self) -> int:
        return sum(1 for x in self.active() if x.level == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for x in self.active() if x.level == WARNING)


def allowed_rules(path: str | None) -> set[str]:
    """Rule ids a revision file allows with ``# limbeck: allow ...`` comments (real comments only)."""
    if not path:
        return set()
    try:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
    except OSError:
        return set()
    allowed: set[str] = set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return set()
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _ALLOW.search(token.string)
        if match is None:
            continue
        for key in re.split(r"[\s,]+", match.group("rules").strip()):
            rule = BY_KEY.get(key.upper()) or BY_KEY.get(key.lower())
            if rule is not None:
                allowed.add(rule.id)
    return allowed


def _by_revision(records: Iterable[Record]) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = {}
    for record in records:
        if record.revision is not None:
            groups.setdefault(record.revision, []).append(record)
    return groups


def _finding(rule: Rule, revision: str, names: RevisionNames, message: str, record: Record | None, allowed: set[str]) -> Finding:
    return Finding(
        rule.id, rule.name, rule.level, revision, display_path(names.path(revision)),
        record.line if record is not None else None, message, suppressed=rule.id in allowed,
    )


def lint_revision(revision: str, records: Sequence[Record], dialect: str, names: RevisionNames) -> list[Finding]:
    """Every rule over one revision's records, in stream order."""
    allowed = allowed_rules(names.path(revision))
    scope = Scope(revision, dialect)
    out: list[Finding] = []
    for record in records:
        for fact in f.facts(record):
            for rule in RULES:
                message = rule.statement(record, fact, scope) if rule.statement is not None else None
                if message is not None:
                    out.append(_finding(rule, revision, names, message, record, allowed))
            _track(scope, fact)
    for rule in RULES:
        if rule.revision is not None:
            out.extend(_finding(rule, revision, names, m, r, allowed) for m, r in rule.revision(records, scope))
    return out


def _track(scope: Scope, fact: f.Fact) -> None:
    if fact.action == f.CREATE_TABLE and fact.table:
        scope.created.add(fact.table.lower())
    elif fact.action == f.RENAME_TABLE and fact.table and fact.new_name and fact.table.lower() in scope.created:
        scope.created.add(fact.new_name.lower())


def lint_records(records: Sequence[Record], dialect: str, names: RevisionNames) -> list[Finding]:
    out: list[Finding] = []
    for revision, group in _by_revision(records).items():
        out.extend(lint_revision(revision, group, dialect, names))
    return out


def long_ids(steps: Sequence[MigrationStep], names: RevisionNames) -> list[Finding]:
    """LB012 for each revision id the version table cannot hold."""
    from limbeck.runtime.version_table import VERSION_NUM_LENGTH

    rule = BY_KEY["LB012"]
    out = []
    for step in steps:
        revision = step.revision.revision if step.revision is not None else None
        if revision and len(revision) > VERSION_NUM_LENGTH:
            message = f"revision id is {len(revision)} characters; version_num holds {VERSION_NUM_LENGTH}"
            out.append(_finding(rule, revision, names, message, None, allowed_rules(names.path(revision))))
    return out


def lint(
    config: Config, rev_range: RevisionRange, dialect: str | None = None, script: ScriptDirectory | None = None
) -> LintResult:
    """Render ``rev_range`` offline (going on past revisions that fail) and lint its stream."""
    script = script or script_directory(config)
    names = RevisionNames(script)
    planned: list[MigrationStep] = []
    try:
        cap = capture(config, rev_range, dialect=dialect, keep_going=True, locate=True, script=script, planned=planned)
    except CommandError as err:
        found = long_ids(planned, names)
        if not found:
            raise
        return LintResult(dialect or "configured", str(rev_range), found, stopped=str(err))
    findings = long_ids(cap.steps, names) + lint_records(cap.records, cap.dialect, names)
    return LintResult(cap.dialect, str(rev_range), findings)
