"""Parallel offline rendering (``--jobs``): the same script, files and errors as the serial run.

Each test renders a history serially (``jobs=1``) and on several processes
and compares bytes; a spy on the parent's replay shows the workers' steps
were really taken (or, where state crosses revisions, where the parent took
over), so a silently serial run cannot pass for a parallel one.
"""

from __future__ import annotations

import io
import os
import sys
import textwrap
from types import SimpleNamespace
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError, LimbeckError
from limbeck.runtime import parallel

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel rendering forks")

BENCH = Path(__file__).resolve().parents[2] / "bench"
DIALECTS = ["sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle"]
#: three processes: the parent and two workers, 40 steps each on a 120-step range
JOBS = 3


def _bench() -> Any:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import generate

    return generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """A branchy 120-revision history, portable (SQLite without batch) and not."""
    found = {}
    for portable in (True, False):
        out = tmp_path_factory.mktemp("history")
        _bench().generate(out, 120, "branchy", "limbeck", portable=portable)
        found[portable] = out
    return found


def _config(root: Path) -> Config:
    return Config(str(root / "limbeck.ini"), output_buffer=io.StringIO(), stdout=io.StringIO())


def _render(root: Path, fn: Any, revision: str, jobs: int, **kw: Any) -> tuple[str, str | None]:
    """(the script, the one-line error or None) of one offline run."""
    config = _config(root)
    error = None
    try:
        fn(config, revision, sql=True, jobs=jobs, **kw)
    except LimbeckError as err:
        error = f"{type(err).__name__}: {err}"
    buffer = config.output_buffer
    assert isinstance(buffer, io.StringIO)
    return buffer.getvalue(), error


@pytest.mark.parametrize("dialect", DIALECTS)
def test_generated_history_same_script_up_and_down(
    generated: dict[bool, Path], dialect: str, replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated[dialect == "sqlite"]
    monkeypatch.chdir(root)
    for fn, revision in ((command.upgrade, "base:head"), (command.downgrade, "head:base")):
        serial = _render(root, fn, revision, 1, dialect=dialect)
        replays.clear()
        assert _render(root, fn, revision, JOBS, dialect=dialect) == serial
        assert serial[1] is None and serial[0].count("\n") > 1000
        assert replays == [(40, 40, 80), (80, 40, 120)]  # both workers' slices taken whole


def test_autogenerate_shaped_history_stays_parallel(
    tmp_path: Path, replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Revisions as autogenerate writes them (bench/generate.py --kind autogen) leave nothing for later ones."""
    _bench().generate(tmp_path, 120, "branchy", "limbeck", portable=False, kind="autogen")
    monkeypatch.chdir(tmp_path)
    for fn, revision in ((command.upgrade, "base:head"), (command.downgrade, "head:base")):
        serial = _render(tmp_path, fn, revision, 1, dialect="postgresql")
        replays.clear()
        assert _render(tmp_path, fn, revision, JOBS, dialect="postgresql") == serial
        assert serial[1] is None and serial[0].count("\n") > 1000
        assert replays == [(40, 40, 80), (80, 40, 120)]


# -- a hand-written history with state that crosses revisions ----------------------------------
def _revision(index: int, up: str, down: str = "pass", header: str = "") -> str:
    down_rev = repr(f"r{index - 1:04d}") if index else "None"
    return (
        f'"""revision {index}"""\nimport sqlalchemy as sa\nfrom limbeck import op\n{header}\n'
        f'revision = "r{index:04d}"\ndown_revision = {down_rev}\nbranch_labels = None\ndepends_on = None\n\n\n'
        f"def upgrade():\n{textwrap.indent(up, '    ')}\n\n\ndef downgrade():\n{textwrap.indent(down, '    ')}\n"
    )


def _plain(index: int) -> tuple[str, str]:
    up = (
        f'op.create_table("t{index}", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))\n'
        f'op.create_index("ix_t{index}_name", "t{index}", ["name"])'
    )
    return up, f'op.drop_index("ix_t{index}_name", table_name="t{index}")\nop.drop_table("t{index}")'


#: PostgreSQL creates the named type with the first table that uses it, and with no other
MOOD_TABLE = 'op.create_table("m{i}", sa.Column("id", sa.Integer, primary_key=True), sa.Column("mood", sa.Enum("ok", "sad", name="mood")))'
#: printed and executed through get_bind(): both join the stream where they happen
CHATTY = 'print("backfilling t1")\nop.get_bind().execute(sa.text("UPDATE t1 SET name = \'x\'"))\nprint("done", end="")'
#: imported before the first step, so it applies to revision 0's index as well (as under Alembic)
COMPILES = textwrap.dedent(
    """
    from sqlalchemy.ext.compiler import compiles
    from sqlalchemy.schema import CreateIndex


    @compiles(CreateIndex, "postgresql")
    def _tagged(element, compiler, **kw):
        return compiler.visit_create_index(element, **kw) + " /* tagged */"
    """
)
#: refused offline, naming this file and line
REFUSED = 'op.get_bind().execute(sa.text("SELECT 1")).fetchall()'


def _project(root: Path, count: int, special: dict[int, tuple[str, str, str]]) -> Path:
    _bench().write_project(root, [], style="limbeck", url="postgresql://")
    versions = root / "migrations" / "versions"
    for index in range(count):
        up, down = _plain(index)
        header = ""
        if index in special:
            extra_up, extra_down, header = special[index]
            up, down = f"{up}\n{extra_up}", f"{extra_down}\n{down}"
        (versions / f"r{index:04d}_rev.py").write_text(_revision(index, up, down, header))
    return root


@pytest.fixture
def restore_create_index() -> Iterator[None]:
    """A revision file registers ``@compiles(CreateIndex)``: take it back after the test."""
    from sqlalchemy.schema import CreateIndex

    saved = {key: CreateIndex.__dict__[key] for key in ("_compiler_dispatch", "_compiler_dispatcher") if key in CreateIndex.__dict__}
    yield
    for key in ("_compiler_dispatch", "_compiler_dispatcher"):
        if key in saved:
            setattr(CreateIndex, key, saved[key])
        elif key in CreateIndex.__dict__:
            delattr(CreateIndex, key)


def test_named_types_print_bind_and_compiles_cross_slices(
    tmp_path: Path, replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch, restore_create_index: None
) -> None:
    special = {
        5: (MOOD_TABLE.format(i=5), 'op.drop_table("m5")', ""),
        45: (CHATTY, "", ""),
        70: (MOOD_TABLE.format(i=70), 'op.drop_table("m70")', ""),  # a worker's slice: the type exists already
        100: ("", "", COMPILES),
    }
    root = _project(tmp_path, 120, special)
    monkeypatch.chdir(root)
    serial, error = _render(root, command.upgrade, "base:head", 1)
    assert error is None
    assert serial.count("CREATE TYPE mood") == 1
    assert "-- backfilling t1\n" in serial and "UPDATE t1 SET name = 'x';" in serial and "-- done\n" in serial
    assert "CREATE INDEX ix_t0_name ON t0 (name) /* tagged */;" in serial
    replays.clear()
    assert _render(root, command.upgrade, "base:head", JOBS) == (serial, None)
    # revision 70 created the type again in its worker; the serial run does not: the parent renders
    # from revision 70 on, in order, with the run's memo (the worker's first 30 steps are taken)
    assert replays == [(40, 40, 70)]


def test_context_option_changed_by_a_revision(
    tmp_path: Path, replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # revision 50 turns --keep-going on for the rest of the run; revision 90 then is a NOT RENDERED block
    special = {50: ('op.get_context().opts["keep_going"] = True', "", ""), 90: (REFUSED, "", "")}
    root = _project(tmp_path, 120, special)
    monkeypatch.chdir(root)
    serial = _render(root, command.upgrade, "base:head", 1)
    assert "NOT RENDERED: upgrade r0089 -> r0090" in serial[0]
    replays.clear()
    assert _render(root, command.upgrade, "base:head", JOBS) == serial
    assert replays == [(40, 10, 50)]  # the parent renders from revision 50 on, in order


@pytest.mark.parametrize("keep_going", [False, True])
def test_failures_first_in_order(
    tmp_path: Path, keep_going: bool, replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, 120, {55: (REFUSED, "", ""), 95: (REFUSED, "", "")})
    monkeypatch.chdir(root)
    serial = _render(root, command.upgrade, "base:head", 1, keep_going=keep_going)
    assert serial[1] is not None and "(revision r0055, upgrade)" in serial[1]
    if keep_going:  # the blocks name file and line; the error lists both revisions
        assert serial[0].count("-- NOT RENDERED: ") == 2 and "r0055_rev.py:" in serial[0] and "r0095_rev.py:" in serial[0]
        assert "(revision r0095, upgrade)" in serial[1]
    else:  # the first failing revision, its file and line; a failed run writes nothing
        assert "r0055_rev.py:" in serial[1] and "r0095" not in serial[1] and serial[0] == ""
    replays.clear()
    assert _render(root, command.upgrade, "base:head", JOBS, keep_going=keep_going) == serial
    if keep_going:
        assert replays == [(40, 40, 80), (80, 40, 120)]
    else:
        assert replays == [(40, 15, 55)]  # the worker stopped at 55; the parent ran it and failed there


@pytest.mark.parametrize("keep_going", [False, True])
def test_sql_files_and_manifest_identical(
    generated: dict[bool, Path], tmp_path: Path, keep_going: bool, replays: list[tuple[int, int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = generated[False]
    monkeypatch.chdir(root)
    written = {}
    for jobs in (1, JOBS):
        out = tmp_path / f"jobs{jobs}"
        replays.clear()
        command.sql(_config(root), "base:head", str(out), dialect=["postgresql", "mssql"], keep_going=keep_going, jobs=jobs)
        written[jobs] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert len(written[1]) > 480 and written[JOBS] == written[1]
    assert replays and all(taken == 40 for _, taken, _ in replays)


def test_sql_keep_going_not_rendered_blocks_identical(
    tmp_path: Path, replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "project", 120, {55: (REFUSED, REFUSED, ""), 95: (REFUSED, "", "")})
    monkeypatch.chdir(root)
    written, errors = {}, {}
    for jobs in (1, JOBS):
        out = tmp_path / f"jobs{jobs}"
        try:
            command.sql(_config(root), "base:head", str(out), keep_going=True, jobs=jobs)
        except LimbeckError as err:
            errors[jobs] = str(err).replace(str(out), "OUT")
        written[jobs] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert errors[JOBS] == errors[1] and "3 revision step(s)" in errors[1]
    assert written[JOBS] == written[1]


# -- when a run stays serial --------------------------------------------------------------------
def _ctx(**opts: Any) -> Any:
    from limbeck.runtime.migration import MigrationContext

    return MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True, **opts})


class _Step:
    """A step whose function is ``size`` bytes of bytecode."""

    def __init__(self, size: int) -> None:
        self.migration_fn = SimpleNamespace(__code__=SimpleNamespace(co_code=b"\0" * size))


def test_jobs_for(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = list(range(1000))
    assert parallel.jobs_for(_ctx(), steps) == 1  # options made directly: serial
    assert parallel.jobs_for(_ctx(offline_jobs=1), steps) == 1
    assert parallel.jobs_for(_ctx(offline_jobs=4), steps) == 4
    assert parallel.jobs_for(_ctx(offline_jobs=4), steps[:3]) == 3
    assert parallel.jobs_for(_ctx(offline_jobs=4, on_version_apply=lambda **kw: None), steps) == 1
    ctx = _ctx(offline_jobs=4)
    ctx.impl.emit_listeners.append(lambda stmt: None)  # lint's line finder, --guard
    assert parallel.jobs_for(ctx, steps) == 1
    ctx = _ctx(offline_jobs=4)
    ctx.impl.observers.append(lambda stmt, texts: None)  # an observer that may need the constructs
    assert parallel.jobs_for(ctx, steps) == 1


def test_auto_by_cpus_steps_and_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default: a CPU per MIN_STEPS_PER_JOB steps and per MIN_CODE_PER_JOB bytes of their functions."""
    monkeypatch.setattr(parallel, "cpus", lambda: 8)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    auto = _ctx(offline_jobs=parallel.AUTO)
    per_job = parallel.MIN_CODE_PER_JOB
    assert parallel.jobs_for(auto, [_Step(per_job)] * 1000) == 8
    assert parallel.jobs_for(auto, [_Step(per_job)] * (2 * parallel.MIN_STEPS_PER_JOB - 1)) == 1  # too few steps
    assert parallel.jobs_for(auto, [_Step(per_job)] * (3 * parallel.MIN_STEPS_PER_JOB)) == 3
    # autogenerate-shaped and classic upgrades of 1,000 revisions: parallel; classic downgrades: not
    assert parallel.jobs_for(auto, [_Step(2000)] * 1000) == min(8, 2000 * 1000 // per_job) > 1
    assert parallel.jobs_for(auto, [_Step(700)] * 1000) == 700 * 1000 // per_job > 1
    assert parallel.jobs_for(auto, [_Step(150)] * 1000) == 1
    assert parallel.jobs_for(auto, [*([_Step(per_job // 100)] * 500), *range(500)]) == 5  # steps without a function add nothing
    assert parallel.code_size([_Step(10), 3, _Step(5)]) == 15
    monkeypatch.setattr(os, "getloadavg", lambda: (8.0, 3.0, 1.0))  # every CPU busy: a worker would only compete
    assert parallel.jobs_for(auto, [_Step(per_job)] * 1000) == 1
    assert parallel.jobs_for(_ctx(offline_jobs=2), [_Step(per_job)] * 1000) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (7.9, 8.0, 8.0))
    assert parallel.jobs_for(auto, [_Step(per_job)] * 1000) == 8
    monkeypatch.setattr(sys, "platform", "darwin")  # forks only when asked there
    assert parallel.jobs_for(auto, [_Step(per_job)] * 1000) == 1
    assert parallel.jobs_for(_ctx(offline_jobs=2), [_Step(per_job)] * 1000) == 2
    monkeypatch.undo()
    monkeypatch.setattr(parallel, "cpus", lambda: 1)
    assert parallel.jobs_for(auto, [_Step(per_job)] * 1000) == 1


def test_auto_is_serial_beside_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(parallel, "busy", lambda: False)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:  # forking copies a lock the other thread may hold: only an explicit --jobs N forks here
        assert parallel.jobs_for(_ctx(offline_jobs=parallel.AUTO), [_Step(10**6)] * 1000) == 1
        assert parallel.jobs_for(_ctx(offline_jobs=2), [_Step(10**6)] * 1000) == 2
    finally:
        release.set()
        other.join()


def test_no_fork_is_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert parallel.jobs_for(_ctx(offline_jobs=4), list(range(1000))) == 1


def test_validate_and_guard_stay_serial(
    generated: dict[bool, Path], replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated[False]
    monkeypatch.chdir(root)
    for flag in ("guard", "validate"):
        script, error = _render(root, command.upgrade, "base:head", JOBS, dialect="postgresql", **{flag: True})
        assert error is None and script
    assert replays == []


def test_jobs_options_checked(tmp_path: Path) -> None:
    from limbeck.runtime.options import RunOptions

    with pytest.raises(CommandError, match="--jobs renders the offline script .* needs --sql"):
        RunOptions(jobs=2)
    with pytest.raises(CommandError, match="--jobs: -1 workers"):
        RunOptions(sql=True, jobs=-1)
    ini = tmp_path / "limbeck.ini"
    ini.write_text("[limbeck]\nscript_location = m\noffline_jobs = two\n")
    with pytest.raises(CommandError, match="offline_jobs in the config file: 'two' is not a whole number"):
        parallel.configured_jobs(Config(str(ini)), None)
    ini.write_text("[limbeck]\nscript_location = m\noffline_jobs = 3\n")
    assert parallel.configured_jobs(Config(str(ini)), None) == 3
    assert parallel.configured_jobs(Config(str(ini)), 1) == 1  # --jobs wins
    ini.write_text("[limbeck]\nscript_location = m\n")
    assert parallel.configured_jobs(Config(str(ini)), None) == 1  # the default: serial (measured faster on 2 cores)
    assert parallel.configured_jobs(Config(str(ini)), 0) == parallel.AUTO
