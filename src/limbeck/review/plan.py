"""``limbeck plan``: the document a change ticket carries.

Everything in it comes from the streams the other review tools record: the
approved files' run (one transaction per revision, as the per-revision
files have it) for statement counts, transaction boundaries and validation,
a run with the project's own framing for lint, and the manifest hash that
``limbeck sql --output-dir`` writes for the same range and dialect.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind
from limbeck.review.approval import compile_approval
from limbeck.review.capture import RevisionRange, script_directory
from limbeck.review.describe import display_path, short
from limbeck.review.execute_check import prelude_for, scratch_database
from limbeck.review.lint.engine import lint
from limbeck.review.lint.locks import BLOCKS, Taken, longest, revision_locks
from limbeck.review.script_check import ScriptCheck, first_failure
from limbeck.review.sqlfiles import UPGRADE, group_by_revision
from limbeck.review.stream import transaction_control
from limbeck.review.validate import Validator
from limbeck.review.validation_report import counts_text

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.review.stream import Record


@dataclass
class RevisionPlan:
    revision: str
    down_revisions: list[str]
    message: str
    path: str | None
    upgrade_file: str
    rollback_file: str
    statements: dict[str, int]
    transaction: str
    #: verdict label ("parsed (pglast)", "executed (sqlite)", "invalid"...) -> statements
    validation: dict[str, int]
    lint: list[dict[str, Any]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    #: the table lock of each statement (databases with a lock model: PostgreSQL)
    locks: list[dict[str, Any]] = field(default_factory=list)
    #: NOT RENDERED upgrade or downgrade: the approval would not do what the revision does
    errors: list[str] = field(default_factory=list)
    #: the database the row counts, where env.py runs several (each revision has a row per database)
    database: str | None = None

    @property
    def label(self) -> str:
        """``a1``, or ``a1` (engine1)`` where env.py runs several databases (Markdown)."""
        return f"`{self.revision}`" + (f" ({self.database})" if self.database else "")


@dataclass
class Plan:
    range: str
    dialect: str
    manifest_hash: str
    script_check: str
    revisions: list[RevisionPlan]
    lint_errors: int
    lint_warnings: int
    #: the longest lock blocking writes on a table that existed before the change (None: none, or no lock model)
    longest_lock: dict[str, Any] | None = None
    #: statements nothing accepted (invalid, not checked), with their verdicts
    validation_problems: list[dict[str, Any]] = field(default_factory=list)
    #: what makes the plan fail: NOT RENDERED revisions, a script that does not cut back
    errors: list[str] = field(default_factory=list)

    @property
    def databases(self) -> list[str]:
        """The databases env.py runs, where it runs several (the multidb template); else empty."""
        return list(dict.fromkeys(rev.database for rev in self.revisions if rev.database))

    def as_data(self) -> dict[str, Any]:
        data = asdict(self)
        if self.databases:
            data["databases"] = self.databases
        else:  # a single database's plan keeps its keys
            for rev in data["revisions"]:
                del rev["database"]
        return data


def _transaction(records: list[Record]) -> str:
    begins = sum(1 for r in records if r.kind is Kind.BEGIN and r.texts)
    splits = sum(1 for r in records if r.kind is Kind.COMMIT and r.info.get("autocommit_block") and r.texts)
    if not begins:
        return "none (the database commits each DDL statement)"
    text = "own transaction (BEGIN ... COMMIT)"
    if splits:
        text += f", split by {splits} autocommit block{'s' if splits != 1 else ''}"
    written = sum(
        1 for r in records if r.kind not in (Kind.BEGIN, Kind.COMMIT)
        for t in r.texts if transaction_control(t, r.dialect) is not None
    )
    if written:
        text += f", with {written} COMMIT / BEGIN written as SQL: the framing's transaction does not hold what follows it"
    return text


def _lock(taken: Taken, revision: str, database: str | None) -> dict[str, Any]:
    """A lock row; ``database`` where env.py runs several (a single database's rows keep their keys)."""
    lock = taken.lock
    return {
        "revision": revision, "statement": short(taken.text, 90), "table": lock.table, "mode": lock.mode,
        "held_for": lock.duration, "blocks": BLOCKS[lock.mode], "existing_table": lock.existing,
        **({"database": database} if database else {}),
    }


def build_plan(
    config: Config, rev_range: RevisionRange, dialect: str | None = None, validate_on: str | None = None
) -> Plan:
    """Compile, validate and lint ``rev_range`` for one dialect (``None``: the configured one).

    A revision that cannot be rendered offline (up or down) does not stop
    the plan: it is listed under its errors, as is a script that does not
    cut back into its statements, and a statement validation found invalid
    (:attr:`Plan.errors`; the command then exits 1).
    """
    script = script_directory(config)
    approval = compile_approval(config, rev_range, (dialect,) if dialect else (), script, keep_going=True)
    files = approval.dialects[0]
    validator = Validator(scratch=scratch_database(config, validate_on))
    for record in files.upgrade.records:
        validator(record)
    if validator.executes:
        validator.prelude = prelude_for(config, rev_range.start, dialect, script)
    checks = files.checks or [ScriptCheck(0, 0)]  # an empty range (head:heads) renders nothing to cut
    check = first_failure(checks) or checks[0]
    linted = lint(config, rev_range, dialect, script)
    by_file = {(f.database, f.revision, f.direction): f.path for f in files.files}
    # a row per revision and database env.py runs (the multidb template runs several), each counting its own
    groups = {id(part): group_by_revision(part.upgrade_records)[1] for part in files.databases}
    verdicts = {id(part): validator.by_revision(part.context) for part in files.databases}
    revisions = []
    every_lock: list[Taken] = []
    # tables the range makes: "existed before this change" means before the range
    created: dict[int, set[str]] = {id(part): set() for part in files.databases}
    for part, revision in ((part, revision) for part in files.databases for revision in part.revisions):
        rev = files.script_of(revision)
        records = groups[id(part)].get(revision, [])
        counts = Counter(r.kind.value for r in records for _ in r.texts if r.kind in (Kind.DDL, Kind.DML, Kind.VERSION))
        taken = revision_locks(revision, records, part.dialect, created[id(part)])
        every_lock += taken
        revisions.append(
            RevisionPlan(
                revision=revision,
                down_revisions=list(rev._versioned_down_revisions),
                message=rev.doc,
                path=display_path(rev.path),
                upgrade_file=by_file[(part.name, revision, UPGRADE)],
                rollback_file=by_file[(part.name, revision, "rollback")],
                statements={k.value: counts.get(k.value, 0) for k in (Kind.DDL, Kind.DML, Kind.VERSION)},
                transaction=_transaction(records),
                validation=dict(verdicts[id(part)].get(revision, Counter())),
                lint=[x.as_dict() for x in linted.findings if x.revision == revision and x.database == part.name],
                flags=[flag.reason for flag in files.flags if flag.revision == revision and flag.database == part.name],
                locks=[_lock(t, revision, part.name) for t in taken],
                errors=[
                    f"{u.direction} NOT RENDERED: {u.reason}"
                    for u in files.unrendered if u.revision == revision and u.database == part.name
                ],
                database=part.name,
            )
        )
    worst = longest(every_lock)
    errors = [
        f"revision {u.revision}{f' ({u.database})' if u.database else ''}: {u.direction} NOT RENDERED: {u.reason}"
        for u in files.unrendered
    ]
    if not check.ok:
        errors.append(f"script check FAILED: {check.problem}")
    # a statement the validator proved wrong fails the plan as it fails --validate: the ticket must not
    # look approvable (lint errors stay the `lint` command's gate: the plan shows them in its Lint column)
    database_of = {part.context: part.name for part in files.databases if part.name}  # several databases only
    for checked in validator.invalid:
        database = database_of.get(checked.record.context)
        location = f"revision {checked.record.revision}{f' ({database})' if database else ''}: " if checked.record.revision else ""
        errors.append(f"{location}invalid statement ({checked.verdict.detail}): {short(checked.text, 90)}")
    return Plan(
        range=str(rev_range),
        dialect=", ".join(dict.fromkeys(part.dialect for part in files.databases)) or files.dialect,
        manifest_hash=approval.manifest.digest,
        script_check="ok" if check.ok else f"FAILED: {check.problem}",
        revisions=revisions,
        lint_errors=linted.errors,
        lint_warnings=linted.warnings,
        longest_lock=_lock(worst, worst.record.revision or "", database_of.get(worst.record.context)) if worst is not None else None,
        validation_problems=[
            {"revision": c.record.revision, "verdict": c.verdict.label, "detail": c.verdict.detail, "statement": short(c.text, 90),
             **({"database": database_of.get(c.record.context)} if database_of else {})}
            for c in validator.problems()
        ] + [{"revision": None, "verdict": "note", "detail": note, "statement": ""} for note in validator.notes],
        errors=errors,
    )


def render_json(plan: Plan) -> str:
    return json.dumps(plan.as_data(), indent=2, sort_keys=True)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: Plan) -> str:
    totals: Counter[str] = Counter()
    checked: Counter[str] = Counter()
    for rev in plan.revisions:
        totals.update(rev.statements)
        checked.update(rev.validation)
    lines = [
        f"# Migration plan: {plan.range} ({plan.dialect})",
        "",
        f"- Manifest hash: `{plan.manifest_hash}`",
        (
            f"- Revisions: {_revision_count(plan)}; statements: {totals['ddl']} DDL, {totals['dml']} DML, "
            f"{totals['version']} version table"
        ),
        f"- Validation: {counts_text(checked)}; script check: {plan.script_check}",
        f"- Lint: {_plural(plan.lint_errors, 'error')}, {_plural(plan.lint_warnings, 'warning')}",
        *_longest_line(plan),
        *([f"- **Errors: {len(plan.errors)}** (see below); this range cannot be approved as it is"] if plan.errors else []),
        "",
        "| # | Revision | Revises | Message | DDL | DML | Version | Transaction | Validation | Lint |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for index, rev in enumerate(plan.revisions, start=1):
        validation = counts_text(Counter(rev.validation))
        active = [x for x in rev.lint if not x["suppressed"]]
        lint_cell = ", ".join(sorted({x["rule"] for x in active})) or "none"
        lines.append(
            f"| {index} | {rev.label} | {', '.join(rev.down_revisions) or 'base'} | {_cell(rev.message)} | "
            f"{rev.statements['ddl']} | {rev.statements['dml']} | {rev.statements['version']} | "
            f"{rev.transaction} | {validation} | {lint_cell} |"
        )
    findings = [(rev, x) for rev in plan.revisions for x in rev.lint]
    if findings:
        lines += ["", "## Lint findings", ""]
        for rev, x in findings:
            mark = " (suppressed in the revision file)" if x["suppressed"] else ""
            lines.append(f"- {rev.label} {x['rule']} {x['level']} {x['name']}: {x['message']}{mark}")
    if plan.validation_problems:
        lines += ["", "## Statements nothing accepted", ""]
        lines += [
            f"- {_problem_where(p)} {p['verdict']}: `{_cell(p['statement'])}`: {p['detail']}"
            if p["statement"] else f"- {p['detail']}"
            for p in plan.validation_problems
        ]
    if any(rev.locks for rev in plan.revisions):
        lines += _lock_section(plan)
    if plan.errors:
        lines += ["", "## Errors", ""]
        lines += [f"- {_cell(error)}" for error in plan.errors]
    flagged = [(rev, flag) for rev in plan.revisions for flag in rev.flags]
    if flagged:
        lines += ["", "## Rollback flags", ""]
        lines += [f"- {rev.label}: {flag}" for rev, flag in flagged]
    lines += ["", "## Files", ""]
    lines += [f"- {rev.label}: `{rev.upgrade_file}`, `{rev.rollback_file}`" for rev in plan.revisions]
    return "\n".join(lines) + "\n"


def _revision_count(plan: Plan) -> str:
    """How many revisions: a multidb plan has a row per revision and database, and says so."""
    databases = plan.databases
    if not databases:
        return str(len(plan.revisions))
    counts = Counter(rev.database for rev in plan.revisions)
    if len(set(counts.values())) == 1:
        return f"{counts[databases[0]]} in each of {len(databases)} databases ({', '.join(databases)})"
    return ", ".join(f"{counts[name]} in {name}" for name in databases)


def _problem_where(problem: dict[str, Any]) -> str:
    """``b2``, with its database where env.py runs several (``b2` (engine2)``)."""
    database = problem.get("database")
    return f"`{problem['revision'] or 'env.py'}`" + (f" ({database})" if database else "")


def _longest_line(plan: Plan) -> list[str]:
    if not any(rev.locks for rev in plan.revisions):
        return []
    worst = plan.longest_lock
    if worst is None:
        return [
            ("- Longest exclusive lock on a table that existed before this change: none (every lock that blocks "
            "writes is on a table this change creates)")
        ]
    database = f" ({worst['database']})" if "database" in worst else ""
    return [
        (f"- Longest exclusive lock on a table that existed before this change: {worst['mode']} on {worst['table']} "
        f"for a {worst['held_for']}, blocking {worst['blocks']} (`{worst['revision']}`{database}: `{_cell(worst['statement'])}`)")
    ]


def _lock_section(plan: Plan) -> list[str]:
    """Per revision, the table lock each statement takes; how long is a kind (a catalog change, a scan...), not a time."""
    lines = ["", "## Locks", "", "| Revision | Statement | Table | Lock | Held for | Blocks |", "|---|---|---|---|---|---|"]
    for rev in plan.revisions:
        for lock in rev.locks:
            table = lock["table"] if lock["existing_table"] else f"{lock['table']} (new in this change)"
            lines.append(
                f"| {rev.label} | `{_cell(lock['statement'])}` | {table} | {lock['mode']} | {lock['held_for']} | {lock['blocks']} |"
            )
    return lines
