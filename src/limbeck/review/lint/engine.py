"""Running the rules over a recorded stream, suppressions, and the verdict."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind
from limbeck.dialects import behaviour_class
from limbeck.errors import CommandError
from limbeck.review.capture import RevisionRange, capture, script_directory
from limbeck.review.describe import RevisionNames, display_path
from limbeck.review.lint import facts as f
from limbeck.review.lint import reading
from limbeck.review.lint.registry import BY_KEY, RULE_FAILED, RULES
from limbeck.review.lint.rules import ERROR, WARNING, Rule, Scope
from limbeck.review.lint.text_facts import UnreadableText
from limbeck.review.stream import Record
from limbeck.runtime.version_table import VERSION_NUM_LENGTH

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
    #: the database whose statements showed it, where env.py runs several (the multidb template
    #: runs each revision once per database, and a finding on one says nothing of the other)
    database: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.database is None:  # a single database's findings keep their keys
            del data["database"]
        return data

    def text(self) -> str:
        where = self.path or (f"revision {self.revision}" if self.revision else "env.py")
        if self.line:
            where += f":{self.line}"
        if self.database:
            where += f" ({self.database})"
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
        # the rules named first; the first word that names none ends the list, so the reason
        # written after it ("because a drop-table comes later") allows nothing more
        for key in re.split(r"[\s,]+", match.group("rules").strip()):
            rule = BY_KEY.get(key.upper()) or BY_KEY.get(key.lower())
            if rule is None:
                break
            allowed.add(rule.id)
    # LB000 says a statement was not checked at all: that is never allowed away
    allowed.discard(RULE_FAILED.id)
    return allowed


def _by_revision(records: Iterable[Record]) -> dict[tuple[int, str], list[Record]]:
    """Each revision's records, apart per migration context: a multi-database env.py runs every
    revision once per database, and what one database's run does says nothing of the other's."""
    groups: dict[tuple[int, str], list[Record]] = {}
    for record in records:
        if record.revision is not None:
            groups.setdefault((record.context, record.revision), []).append(record)
    return groups


def _finding(
    rule: Rule, revision: str, names: RevisionNames, message: str, record: Record | None, allowed: set[str],
    level: str | None = None,
) -> Finding:
    return Finding(
        rule.id, rule.name, level or rule.level, revision, display_path(names.path(revision)),
        record.line if record is not None else None, message, suppressed=rule.id in allowed,
    )


def _failed(rule: Rule, err: Exception) -> str:
    return f"rule {rule.id} ({rule.name}) failed here and did not check this statement: {type(err).__name__}: {err}"


def _facts(record: Record) -> tuple[list[f.Fact], Exception | None]:
    try:
        return reading.facts(record), None
    except Exception as err:  # noqa: BLE001 - reported as a finding; the range goes on
        return [], err


def lint_revision(revision: str, records: Sequence[Record], scope: Scope, names: RevisionNames) -> list[Finding]:
    """Every rule over one revision's records, in stream order.

    A rule (or the reading of a statement) that raises becomes an LB000
    error finding on that statement; the other rules and revisions go on.
    """
    allowed = allowed_rules(names.path(revision))
    active = [rule for rule in RULES if scope.levels.get(rule.id, rule.level) != "off"]
    out: list[Finding] = []

    def report(rule: Rule, message: str, record: Record | None) -> None:
        out.append(_finding(rule, revision, names, message, record, allowed, scope.levels.get(rule.id)))

    for record in records:
        found, err = _facts(record)
        if isinstance(err, UnreadableText):
            # a lenient reader's miss is a warning; PostgreSQL's own parser refusing it is an error
            level = None if err.certain else WARNING
            out.append(_finding(RULE_FAILED, revision, names, f"the statement could not be read, so no rule checked it: {err}",
                                record, allowed, level))
        elif err is not None:
            report(RULE_FAILED, f"the statement could not be read, so no rule checked it: {type(err).__name__}: {err}", record)
        for fact in found:
            if fact.action == f.UNREAD:
                out.append(_finding(RULE_FAILED, revision, names, f"{fact.name} is not read, so no rule checked it",
                                    record, allowed, WARNING))
                continue
            for rule in active:
                if rule.statement is None:
                    continue
                try:
                    message = rule.statement(record, fact, scope)
                except Exception as err:  # noqa: BLE001 - see the docstring
                    message, rule = _failed(rule, err), RULE_FAILED
                if message is not None:
                    report(rule, message, record)
            scope.learn(fact)
        if record.ends_transaction:
            scope.settings -= scope.local_settings
            scope.locked.clear()
    for rule in active:
        if rule.revision is None:
            continue
        try:
            for message, where in rule.revision(records, scope):
                report(rule, message, where)
        except Exception as err:  # noqa: BLE001 - see the docstring
            report(RULE_FAILED, _failed(rule, err), None)
    return out


def _settings(records: Sequence[Record]) -> dict[int, set[str]]:
    """Settings in force before each revision's first record (``SET`` in env.py or earlier revisions)."""
    scope = Scope("", "")
    before: dict[int, set[str]] = {}
    current: str | None = None
    for record in records:
        if record.revision != current:
            current = record.revision
            before.setdefault(id(record), set(scope.settings))
        found, _ = _facts(record) if record.kind is Kind.DDL or record.kind is Kind.DML else ([], None)
        for fact in found:
            if fact.action == f.SET:
                scope.learn(fact)
        if record.ends_transaction:
            scope.settings -= scope.local_settings
    return before


def lint_records(
    records: Sequence[Record], dialect: str, names: RevisionNames, levels: dict[str, str] | None = None,
    databases: Mapping[int, str] | None = None,
) -> list[Finding]:
    """Every revision's findings; ``databases`` names the contexts where env.py runs several."""
    lock_lint = behaviour_class(dialect).lock_lint
    before: dict[int, set[str]] = {}
    if lock_lint:  # a session's settings: each migration context's own
        for context in dict.fromkeys(record.context for record in records):
            before.update(_settings([record for record in records if record.context == context]))
    out: list[Finding] = []
    for (context, revision), group in _by_revision(records).items():
        scope = Scope(revision, dialect, lock_lint=lock_lint, levels=dict(levels or {}))
        scope.settings |= before.get(id(group[0]), set())
        found = lint_revision(revision, group, scope, names)
        database = (databases or {}).get(context)
        out.extend([replace(x, database=database) for x in found] if database else found)
    return out


#: ini/TOML option -> the rule whose level it sets (off, warning or error)
LEVEL_OPTIONS = {"lint_timeouts": "LB023"}


def configured_levels(config: Config) -> dict[str, str]:
    """Rule levels the configuration sets; a bad value stops with one line naming the option."""
    levels: dict[str, str] = {}
    for option, rule in LEVEL_OPTIONS.items():
        value = config.get_alembic_option(option)
        if value is None:
            continue
        text = str(value).strip().lower()
        text = {"warn": WARNING, "false": "off", "true": WARNING}.get(text, text)
        if text not in ("off", WARNING, ERROR):
            raise CommandError(f"{option} = {value!r}: expected off, warning or error")
        levels[rule] = text
    return levels


def long_ids(steps: Sequence[MigrationStep], names: RevisionNames) -> list[Finding]:
    """LB012 for each revision id the version table cannot hold."""
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
    databases = {database.context: database.name for database in cap.databases} if cap.several else None
    findings = long_ids(cap.steps, names) + lint_records(cap.records, cap.dialect, names, configured_levels(config), databases)
    return LintResult(cap.dialect, str(rev_range), findings)
