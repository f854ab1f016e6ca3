"""Real Alembic 1.20.1 and limbeck render the same downloaded histories the same way.

For each pinned project (``projects.py``) and each of its histories:
``upgrade base:heads --sql`` and, where the project has downgrades,
``downgrade heads:base --sql`` on each of its databases, ``heads`` and
``history``. Standard output must be identical once Alembic's text has had
limbeck's documented departures applied (``normalise.py``); standard error
(progress lines, warnings) is not compared.

A revision Alembic itself cannot render offline is gone around (``Skip``):
the range is cut before it and resumed from it, and
``test_skipped_revision`` checks that the skip is still needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest

from .conftest import Runs, project_by_name
from .harness import Outcome, describe
from .normalise import (
    alembic_listing,
    alembic_script,
    clock,
    fresh_uuids,
    limbeck_departures,
    table_indexes,
    version_rows,
)
from .projects import (
    PROJECTS,
    Departure,
    FreshUUIDs,
    History,
    Project,
    Skip,
    skip_case_id,
)


def _cases(kind: str) -> list[object]:
    cases = []
    for project in PROJECTS:
        for history in project.histories:
            if kind == "listing":
                for command in ("heads", "history"):
                    cases.append(pytest.param(project, history, command, id=f"{project.name}-{history.key}-{command}"))
                continue
            if not history.sql:
                continue
            for direction in ("upgrade", "downgrade") if history.downgrade else ("upgrade",):
                for dialect in history.dialects:
                    marks = []
                    reason = history.xfail.get(f"{direction}:{dialect}")
                    if reason:
                        marks.append(pytest.mark.xfail(strict=True, reason=reason))
                    cases.append(pytest.param(
                        project, history, direction, dialect, marks=marks,
                        id=f"{project.name}-{history.key}-{dialect}-{direction}",
                    ))
    return cases


def _skip_cases() -> list[object]:
    return [
        pytest.param(project, history, skip, dialect, id=skip_case_id(project, history, skip, dialect))
        for project in PROJECTS
        for history in project.histories
        for skip in history.skips
        for dialect in (skip.dialects or history.dialects)
    ]


# "<down> -> <rev>": <down> is "<base>", a revision, "a, b" (a merge), each
# optionally followed by its depends_on in parentheses
_EDGE = re.compile(r"^(?P<down>.+?)(?: \([^)]*\))? -> (?P<rev>[\w.]+)\b", re.MULTILINE)


def _edges(runs: Runs, project: Project, history: History) -> list[tuple[str, str]]:
    """(down, revision) from Alembic's ``history``, oldest first."""
    listing = runs.run("alembic", project, history, history.dialects[0], "history")
    return [(m["down"], m["rev"]) for m in _EDGE.finditer(listing.stdout)][::-1]


def down_revision(runs: Runs, project: Project, history: History, revision: str) -> str:
    """The single revision ``revision`` revises, from Alembic's ``history``."""
    for down, rev in _edges(runs, project, history):
        if rev == revision:
            assert "," not in down, f"cannot skip merge revision {revision}"
            return "base" if down == "<base>" else down
    raise AssertionError(f"{revision} is not in the history of {project.name} {history.key}")


def segments(runs: Runs, project: Project, history: History, direction: str, dialect: str) -> list[str]:
    """The ``start:end`` ranges that render the whole history around its skipped revisions."""
    order = {rev: index for index, (_, rev) in enumerate(_edges(runs, project, history))}
    skipped = sorted(history.skipped(direction, dialect), key=lambda s: order[s.revision])
    cuts = [(down_revision(runs, project, history, s.revision), s.revision) for s in skipped]
    below, names = _below(runs, project, history), {s.revision for s in skipped}
    ranges, start = [], "base"
    for before, revision in cuts:
        # a range from a skipped revision on one branch to one on another would run the
        # skipped revisions of the first: it is left to the chains below
        if not ((_stands(below, before) - _stands(below, start)) & names):
            ranges.append((start, before))
        start = revision
    # "start:heads" runs every revision start does not stand on: on expand/contract branches that
    # can be the other branch from its root, into its own skipped revisions; what such a range
    # would have rendered is left to the chains below
    if start == "base" or not (_above(runs, project, history, start) & {s.revision for s in skipped}):
        ranges.append((start, "heads"))
    if direction == "upgrade":
        return [f"{a}:{b}" for a, b in ranges if a != b]
    return [f"{b}:{a}" for a, b in reversed(ranges) if a != b]


_LINKS = re.compile(r"^(?P<down>.+?)(?: \((?P<deps>[^)]*)\))? -> (?P<rev>[\w.]+)\b", re.MULTILINE)


def _below(runs: Runs, project: Project, history: History) -> dict[str, set[str]]:
    """Each revision's down revisions and depends_on, from Alembic's ``history``."""
    listing = runs.run("alembic", project, history, history.dialects[0], "history").stdout
    below: dict[str, set[str]] = {}
    for m in _LINKS.finditer(listing):
        names = m["down"].split(", ") + (m["deps"].split(", ") if m["deps"] else [])
        below[m["rev"]] = {n for n in names if n != "<base>"}
    return below


def _stands(below: dict[str, set[str]], start: str) -> set[str]:
    """``start`` and every revision it stands on (through ``down_revision`` and ``depends_on``)."""
    stands: set[str] = set()
    todo = [start] if start != "base" else []
    while todo:
        rev = todo.pop()
        if rev not in stands:
            stands.add(rev)
            todo.extend(below.get(rev, ()))
    return stands


def _above(runs: Runs, project: Project, history: History, start: str) -> set[str]:
    """The revisions an upgrade from ``start`` runs: all but ``start`` and what it stands on
    (through ``down_revision`` and ``depends_on``)."""
    below = _below(runs, project, history)
    return set(below) - _stands(below, start)


_RAN = {"upgrade": re.compile(r"^-- Running upgrade .*?-> ([\w.]+)$", re.MULTILINE),
        "downgrade": re.compile(r"^-- Running downgrade ([\w.]+) -> ", re.MULTILINE)}


def rendered(script: str, direction: str) -> set[str]:
    """The revisions an offline script of Alembic's ran (its ``-- Running ...`` comments)."""
    return set(_RAN[direction].findall(script))


def chains(runs: Runs, project: Project, history: History, revisions: set[str],
           skipped: set[str]) -> tuple[list[tuple[str, str]], set[str]]:
    """(start, last) of each run of ``revisions`` that follow each other in the history.

    Around skipped revisions on several branches (expand/contract, ``depends_on``),
    the ``segments`` of one branch do not reach the revisions of another: these
    ranges render what no segment did, one linear run at a time. A range
    ``start:last`` runs everything ``last`` stands on that ``start`` does not, so
    none may hold a ``skipped`` revision: a chain starts from whichever down
    revision allows that, and a merge of branches that each hold a skipped
    revision, which no single start renders (Alembic takes one), is left out
    (the second value); what comes after it starts from the merge.
    """
    below = _below(runs, project, history)

    def clean(start: str, rev: str) -> bool:
        return not ((_stands(below, rev) - _stands(below, start)) & skipped)

    found: list[tuple[str, str]] = []
    left_out: set[str] = set()
    last: str | None = None
    for down, rev in _edges(runs, project, history):
        if rev not in revisions:
            last = None
            continue
        downs = ["base" if d == "<base>" else d for d in down.split(", ")]
        if last is not None and downs[0] == last and clean(found[-1][0], rev):
            found[-1] = (found[-1][0], rev)
            last = rev
            continue
        start = next((d for d in downs if clean(d, rev)), None)
        if start is None:
            left_out.add(rev)
            last = None
            continue
        found.append((start, rev))
        last = rev
    return found, left_out


def _same(text: str) -> str:
    """The normalisations applied to both outputs (see normalise.py)."""
    return version_rows(table_indexes(clock(text)))


def assert_same_script(alembic: Outcome, limbeck: Outcome, what: str, direction: str, dialect: str,
                       departures: Sequence[Departure] = (), fresh: Sequence[FreshUUIDs] = ()) -> set[Any]:
    """The two scripts are the same once the documented departures are undone; which of ``departures``
    were, and which of ``fresh`` (values made on each run, replaced in both) were found in Alembic's."""
    assert alembic.code == 0, f"Alembic cannot render {what}: {describe(alembic)}"
    assert limbeck.code == 0, f"limbeck cannot render {what}: {describe(limbeck)}"
    ours, found = limbeck_departures(limbeck.stdout, departures, direction, dialect)
    ours, _ = fresh_uuids(ours, fresh, direction)
    theirs, made = fresh_uuids(alembic_script(alembic.stdout, dialect), fresh, direction)
    assert _same(ours) == _same(theirs), what
    return found | made


@pytest.mark.parametrize("project, history, direction, dialect", _cases("script"))
def test_script(runs: Runs, project: Project, history: History, direction: str, dialect: str) -> None:
    departures = history.departed(direction, dialect)
    fresh = [f for f in history.fresh if f.direction == direction]
    found: set[Any] = set()
    seen: set[str] = set()

    def compare(span: str) -> None:
        nonlocal found
        args = (direction, span, "--sql")
        alembic = runs.run("alembic", project, history, dialect, *args)
        limbeck = runs.run("limbeck", project, history, dialect, *args)
        what = f"{project.name} {history.key}: {' '.join(args)} ({dialect})"
        found |= assert_same_script(alembic, limbeck, what, direction, dialect, departures, fresh)
        seen.update(rendered(alembic.stdout, direction))

    for span in segments(runs, project, history, direction, dialect):
        compare(span)
    # every revision not skipped is compared at least once: segments cut around skipped revisions
    # miss those of other branches, so they get ranges of their own
    wanted = {rev for _, rev in _edges(runs, project, history)} - {s.revision for s in history.skipped(direction, dialect)}
    skipped = {s.revision for s in history.skipped(direction, dialect)}
    ranges, left_out = chains(runs, project, history, wanted - seen, skipped)
    for down, last in ranges:
        compare(f"{down}:{last}" if direction == "upgrade" else f"{last}:{down}")
    straddled = set(history.straddled_merges) if direction == "upgrade" else set()
    assert left_out == straddled, f"merges no single start renders: {sorted(left_out)}"
    assert not wanted - seen - left_out, f"never rendered: {sorted(wanted - seen - left_out)}"
    # each departure (and fresh value) declared for this script is really there (else its rule must go)
    assert found == {*departures, *fresh}, f"departures not found: {({*departures, *fresh}) - found}"


#: histories whose revisions write several statements in one ``op.execute()`` text on PostgreSQL
#: (indico: ``ALTER TABLE ... DISABLE TRIGGER ...;`` three times in one text, and the like), or a
#: trigger or procedure body with its ``;``s (mlflow on SQL Server; on MySQL framed by DELIMITER lines)
SEVERAL_IN_ONE_TEXT = (("indico", "main", "postgresql"), ("indico-plugin-livesync", "main", "postgresql"),
                       ("fittrackee", "main", "postgresql"), ("c2cgeoportal-commons", "static", "postgresql"),
                       ("faradaysec", "main", "postgresql"), ("mlflow", "tracking", "mssql"),
                       ("mlflow", "tracking", "mysql"), ("glance", "main", "mysql"),
                       ("apache-airflow-providers-fab", "main", "mysql"))


@pytest.mark.parametrize("name, key, dialect", SEVERAL_IN_ONE_TEXT)
def test_several_statements_in_one_text_cut_back(runs: Runs, name: str, key: str, dialect: str) -> None:
    # psql runs such a text one statement at a time and PostgreSQL's parser reads it as exactly
    # those statements; sqlcmd sends a trigger body whole: the script check passes, and `sql`,
    # `plan` and --validate take the history
    project = project_by_name(name)
    history = next(h for h in project.histories if h.key == key)
    warned = []
    for direction in ("upgrade", "downgrade") if history.downgrade else ("upgrade",):
        for span in segments(runs, project, history, direction, dialect):
            limbeck = runs.run("limbeck", project, history, dialect, direction, span, "--sql", offline_print="comment")
            assert limbeck.code == 0, describe(limbeck)
            warned += [line for line in limbeck.stderr.splitlines() if "does not cut back" in line]
    assert not warned, warned[0]


def test_mysql_stored_program_bodies_get_a_delimiter_and_cut_back(runs: Runs) -> None:
    # airflow on MySQL: revision 686269002441's SET @var / PREPARE / EXECUTE text passes as it is,
    # and 5f2621c13b39's CREATE PROCEDURE ... BEGIN ... END is framed by DELIMITER lines, which the
    # mysql client would otherwise cut apart: the whole script cuts back
    project = project_by_name("apache-airflow-core")
    history = next(h for h in project.histories if h.key == "main")
    limbeck = runs.run("limbeck", project, history, "mysql", "upgrade", "base:heads", "--sql", offline_print="comment")
    assert limbeck.code == 0, describe(limbeck)
    assert not [line for line in limbeck.stderr.splitlines() if "does not cut back" in line]
    assert "DELIMITER //\nCREATE PROCEDURE" in limbeck.stdout
    assert "set @var=if(" in limbeck.stdout and "DELIMITER //\nset @var" not in limbeck.stdout


def test_print_as_comments(runs: Runs) -> None:
    """limbeck's default ``print()`` form, a documented departure: every printed line a ``-- `` comment.

    airflow's revision 0089 prints a warning block offline; Alembic writes it
    raw (which ``test_script`` compares, with ``offline_print = raw``).
    Printed as comments, each of its lines, and nothing else, differs: the
    line ``x`` becomes ``-- x`` (an empty line ``--``).
    """
    project = project_by_name("apache-airflow-core")
    history = project.histories[0]
    args = ("upgrade", "15d84ca19038:ab6dc0c82d0e", "--sql")
    alembic = runs.run("alembic", project, history, "postgresql", *args)
    limbeck = runs.run("limbeck", project, history, "postgresql", *args, offline_print="comment")
    assert alembic.code == 0 and limbeck.code == 0, describe(limbeck)
    theirs, ours = alembic_script(alembic.stdout).split("\n"), limbeck.stdout.split("\n")
    assert len(ours) == len(theirs)
    printed = [(old, new) for old, new in zip(theirs, ours) if old != new]
    assert all(new == (f"-- {old}" if old else "--") for old, new in printed), printed
    assert len(printed) == 7 and "--  WARNING: Converting JSON to JSONB in offline mode!" in limbeck.stdout


@pytest.mark.parametrize("span, said", [
    ("631ec59e1ca6:140ba0ca4f07", "This operation cannot proceed in --sql mode; batch mode with dialect sqlite"),
    ("3429d523e51f:4238eac8ccab", "No support for ALTER of constraints in SQLite dialect."),
])
def test_caught_refusal_prints_alembics_text(runs: Runs, span: str, said: str) -> None:
    """eduMFA's revisions catch what an operation raises and print it, which joins the script.

    On SQLite (not one of the databases its history is compared on: elsewhere
    its ``alter_column`` calls are ones SQLite lacks, a documented departure)
    e360c56bcf8c catches batch mode's offline reflection refusal and
    4238eac8ccab SQLite's constraint refusal: both scripts are Alembic's, the
    printed line Alembic's sentence, not limbeck's line naming the file.
    """
    project = project_by_name("edumfa")
    history = project.histories[0]
    args = ("upgrade", span, "--sql")
    alembic = runs.run("alembic", project, history, "sqlite", *args)
    limbeck = runs.run("limbeck", project, history, "sqlite", *args)
    assert_same_script(alembic, limbeck, f"edumfa {span} (sqlite)", "upgrade", "sqlite")
    assert any(line.startswith(said) for line in limbeck.stdout.splitlines())


@pytest.mark.parametrize("project, history, command", _cases("listing"))
def test_listing(runs: Runs, project: Project, history: History, command: str) -> None:
    alembic = runs.run("alembic", project, history, history.dialects[0], command)
    limbeck = runs.run("limbeck", project, history, history.dialects[0], command)
    assert alembic.code == 0, describe(alembic)
    assert limbeck.code == 0, describe(limbeck)
    assert limbeck.stdout == alembic_listing(alembic.stdout)


def _skip_start(runs: Runs, project: Project, history: History, skip: Skip, dialect: str) -> str:
    """Where ``test_skipped_revision``'s range starts: the revision ``skip`` revises, or, when an
    upgrade from there would first run another skipped revision through ``depends_on`` (neutron-lbaas's
    contract revision depends on an expand revision above a skipped one), a revision it depends on
    from which it does not."""
    before = down_revision(runs, project, history, skip.revision)
    if skip.direction != "upgrade":
        return before
    below = _below(runs, project, history)
    others = {s.revision for s in history.skipped(skip.direction, dialect)} - {skip.revision}
    for start in (before, *sorted(below[skip.revision] - {before})):
        if not ((_stands(below, skip.revision) - _stands(below, start)) & others):
            return start
    return before


@pytest.mark.parametrize("project, history, skip, dialect", _skip_cases())
def test_skipped_revision(runs: Runs, project: Project, history: History, skip: Skip, dialect: str) -> None:
    """The skip is still needed, and limbeck does no worse than Alembic there."""
    before = _skip_start(runs, project, history, skip, dialect)
    span = f"{before}:{skip.revision}" if skip.direction == "upgrade" else f"{skip.revision}:{before}"
    args = (skip.direction, span, "--sql")
    alembic = runs.run("alembic", project, history, dialect, *args)
    limbeck = runs.run("limbeck", project, history, dialect, *args)
    if skip.rendered is not None:
        assert alembic.code != 0, f"Alembic now renders {skip.revision}: drop the skip ({skip.reason})"
        assert limbeck.code == 0 and skip.rendered in limbeck.stdout, describe(limbeck)
        return
    if skip.departure is not None:
        assert alembic.code == 0, describe(alembic)
        assert limbeck.code != 0 and skip.departure in limbeck.stderr, describe(limbeck)
        return
    assert alembic.code != 0, f"Alembic now renders {skip.revision}: drop the skip ({skip.reason})"
    if limbeck.code == 0:
        # limbeck renders what Alembic could not (its offline results are
        # falsy instead of None): what Alembic printed before it crashed is
        # the start of limbeck's script
        assert _same(limbeck.stdout).startswith(_same(alembic_script(alembic.stdout)))
        return
    lines = limbeck.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("FAILED: "), describe(limbeck)
    assert skip.revision in lines[-1], f"limbeck's error does not name the revision: {lines[-1]}"
