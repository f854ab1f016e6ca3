"""Benchmark: the migration test loop, limbeck's pytest plugin against pytest-alembic.

    .venv/bin/python bench/testloop.py [--revisions 100 300] [--repeat 5] [--url postgresql+psycopg://...]
                                       [--no-postgresql] [--no-sqlite] [--baseline-src /path/to/older/src] [--write-results]

What users run on every push, as they run it: one ``pytest`` process per
run, on the same generated Alembic project (``generate.py``, linear,
portable) and the same database, runs interleaved, medians, CPU (user +
system of the pytest process) beside wall time.

- **pytest-alembic**: ``pytest --test-alembic`` with ``test_up_down_consistency``
  (up one revision at a time to the head, down to the first, up again) and
  ``test_single_head_revision``; its ``alembic_engine`` fixture is the
  database below, handed to env.py through ``config.attributes["connection"]``
  as pytest-alembic documents (env.py is patched to take it).
- **limbeck stairway**: the plugin's ``limbeck_stairway = true`` check
  (up to the heads; then down, each revision's downgrade followed by its
  upgrade again, undone by a rollback to a savepoint) on the same database
  (``--limbeck-database-url``).
- **limbeck stairway + snapshots**: the same plus ``limbeck_snapshot_dialects
  = sqlite postgresql`` (every revision's SQL for two dialects, compared
  with files written by an untimed ``--snapshot-update`` run first).

Databases: a SQLite file (deleted before each run) and PostgreSQL (a
throwaway cluster as in ``autogen_compare.py``, or ``--url``; its ``public``
schema is emptied before each run, since pytest-alembic leaves its database
at the head). ``--baseline-src`` adds the plugin of another checkout (its
``src``, on ``PYTHONPATH``), stairway alone and with snapshots, for
before/after figures.

Findings are checked too, untimed: each tool runs once on the 100-revision
history with one revision appended that breaks its downgrade in two ways
(one that leaves an index behind, one that raises), and the table says
whether it failed and what it named.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from measure import Run, run  # noqa: E402

BEGIN = "<!-- testloop:begin -->"
END = "<!-- testloop:end -->"

ENV_CONNECTION = '''    connectable = config.attributes.get("connection", None)
    if connectable is None:
        connectable = engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
'''

CONFTEST = '''"""pytest-alembic's fixtures: the project's alembic.ini, and the benchmark's database."""
import os

import pytest
import sqlalchemy as sa


@pytest.fixture
def alembic_config():
    return {"file": "alembic.ini"}


@pytest.fixture
def alembic_engine():
    engine = sa.create_engine(os.environ["TESTLOOP_URL"])
    yield engine
    engine.dispose()
'''

PYTEST_ALEMBIC_INI = """[pytest]
addopts = -p no:cacheprovider -p no:hypothesispytest -p no:limbeck
pytest_alembic_tests_path = conftest.py
pytest_alembic_include = up_down_consistency, single_head_revision
"""

LIMBECK_INI = """[pytest]
addopts = -p no:cacheprovider -p no:hypothesispytest -p no:pytest_alembic
limbeck_config = alembic.ini
limbeck_stairway = true
{snapshots}"""


@dataclass(frozen=True)
class Tool:
    """One way of running the loop: the pytest arguments and the environment it needs."""

    name: str
    ini: str
    args: tuple[str, ...]
    pythonpath: str | None = None

    def argv(self, python: str, url: str) -> list[str]:
        extra = ["--limbeck-database-url", url] if self.ini.startswith("limbeck") else []
        return [python, "-m", "pytest", "-q", "-c", self.ini, "--rootdir", ".", *extra, *self.args]

    def env(self, url: str) -> dict[str, str]:
        # as run.py: bytecode is written and read (a source tree without it would compile on every run)
        scrubbed = ("ALEMBIC_CONFIG", "LIMBECK_CONFIG", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
        env = {k: v for k, v in os.environ.items() if k not in scrubbed}
        env["TESTLOOP_URL"] = url
        if self.pythonpath:
            env["PYTHONPATH"] = self.pythonpath
        return env


def tools(baseline: str | None) -> list[Tool]:
    chosen = [
        Tool("pytest-alembic", "pytest-alembic.ini", ("--test-alembic", "conftest.py")),
        Tool("limbeck stairway", "limbeck-stairway.ini", ("alembic.ini",)),
        Tool("limbeck stairway + snapshots", "limbeck-all.ini", ("alembic.ini",)),
    ]
    if baseline:
        chosen.append(Tool("limbeck stairway (baseline)", "limbeck-stairway.ini", ("alembic.ini",), baseline))
        chosen.append(Tool("limbeck stairway + snapshots (baseline)", "limbeck-all.ini", ("alembic.ini",), baseline))
    return chosen


# -- the project ---------------------------------------------------------------------------
def write_project(out: Path, revisions: int) -> Path:
    """A generated Alembic project whose env.py takes a connection from ``config.attributes``."""
    generate(out, revisions, "linear", "alembic")
    env = out / "migrations" / "env.py"
    text = env.read_text(encoding="utf-8")
    old = re.search(r"    connectable = engine_from_config\(\n(?:        .*\n)+    \)\n", text)
    assert old is not None, "env.py template changed: update testloop.ENV_CONNECTION"
    env.write_text(text.replace(old.group(0), ENV_CONNECTION), encoding="utf-8")
    (out / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (out / "pytest-alembic.ini").write_text(PYTEST_ALEMBIC_INI, encoding="utf-8")
    (out / "limbeck-stairway.ini").write_text(LIMBECK_INI.format(snapshots=""), encoding="utf-8")
    snapshots = "limbeck_snapshot_dialects = sqlite postgresql\nlimbeck_snapshot_dir = snapshots\n"
    (out / "limbeck-all.ini").write_text(LIMBECK_INI.format(snapshots=snapshots), encoding="utf-8")
    return out


BROKEN_ID = "ffffffffffff"
BROKEN = (
    '"""{message}\n\nRevision ID: {rev}\nRevises: {down}\n"""\nfrom alembic import op\n\n'
    "revision, down_revision, branch_labels, depends_on = {rev!r}, {down!r}, None, None\n\n\n"
    "def upgrade():\n    {upgrade}\n\n\ndef downgrade():\n    {downgrade}\n"
)


def break_project(out: Path, case: str) -> str:
    """Append a revision whose downgrade is wrong (``case``); returns the revision file's name."""
    from limbeck.config import Config
    from limbeck.script import ScriptDirectory

    script = ScriptDirectory.from_config(Config(str(out / "alembic.ini")))
    head = script.get_current_head()
    table = next(t for t in _tables(script))
    if case == "index left behind":
        body = (f"op.create_index('ix_broken_name', {table!r}, ['name'])", "pass")
    else:  # "downgrade raises"
        body = (f"op.create_index('ix_broken_name', {table!r}, ['name'])", "op.drop_table('no_such_table')")
    name = f"{BROKEN_ID}_broken.py"
    text = BROKEN.format(message=case, rev=BROKEN_ID, down=head, upgrade=body[0], downgrade=body[1])
    (out / "migrations" / "versions" / name).write_text(text, encoding="utf-8")
    return name


def _tables(script: Any) -> list[str]:
    """Tables the history creates and keeps, with a ``name`` column (from the revision texts)."""
    found = []
    for rev in script.walk_revisions():
        source = Path(rev.path).read_text(encoding="utf-8")
        for match in re.finditer(r"op\.create_table\(\s*'(\w+)'.*?sa\.Column\('name'", source, re.DOTALL):
            found.append(match.group(1))
    return found


# -- databases -----------------------------------------------------------------------------
def reset(url: str, project: Path) -> None:
    """An empty database for the next run (pytest-alembic leaves its own at the head)."""
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
        return
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@dataclass(frozen=True)
class Timed:
    """One run, with the CPU the PostgreSQL server spent on it (``None``: not measured)."""

    run: Run
    server_cpu: float | None

    @property
    def wall(self) -> float:
        return self.run.wall

    @property
    def cpu(self) -> float:
        return self.run.cpu


class ServerClock:
    """CPU time of a local PostgreSQL's backends: the postmaster's own plus its reaped children's.

    Each connection is a child process of the postmaster; once it exits, its
    user + system time is added to the postmaster's ``cutime``/``cstime``
    (``/proc/PID/stat``), so the difference over a run is what the server
    spent on it (its background processes add a little).
    """

    def __init__(self, data_dir: str | None) -> None:
        self.stat: Path | None = None
        if data_dir:
            pid = (Path(data_dir) / "postmaster.pid").read_text().split()[0]
            self.stat = Path(f"/proc/{pid}/stat")

    def now(self) -> float | None:
        if self.stat is None:
            return None
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def one_run(tool: Tool, project: Path, url: str, scratch: Path, clock: ServerClock | None = None) -> Timed:
    reset(url, project)
    clock = clock if clock is not None and url.startswith("postgresql") else None
    before = _settled(clock)
    result = run(tool.argv(sys.executable, url), project, scratch, env=tool.env(url))
    after = _settled(clock)
    server = after - before if after is not None and before is not None else None
    return Timed(result, server)


def _settled(clock: ServerClock | None) -> float | None:
    """The server's CPU once the last connection's process has exited and been reaped."""
    if clock is None:
        return None
    time.sleep(0.2)
    return clock.now()


def prepare_snapshots(project: Path, url: str, scratch: Path) -> None:
    tool = tools(None)[2]
    reset(url, project)
    run([*tool.argv(sys.executable, url), "--snapshot-update"], project, scratch, env=tool.env(url))


# -- measuring -----------------------------------------------------------------------------
def measure(
    project: Path, url: str, chosen: list[Tool], repeat: int, scratch: Path, clock: ServerClock | None
) -> dict[str, list[Timed]]:
    prepare_snapshots(project, url, scratch / "update")
    runs: dict[str, list[Timed]] = {tool.name: [] for tool in chosen}
    for tool in chosen:  # one untimed warm-up each (file cache, bytecode, limbeck's caches)
        warm = one_run(tool, project, url, scratch / "warm").run
        if not warm.ok:
            raise SystemExit(f"{tool.name} fails on {project.name}: {warm.error}\n"
                             f"{(scratch / 'warm' / 'stdout.txt').read_text()[-2000:]}")
    for _ in range(repeat):
        for tool in chosen:
            runs[tool.name].append(one_run(tool, project, url, scratch / "timed", clock))
    return runs


def findings(project: Path, url: str, scratch: Path) -> list[tuple[str, str, str]]:
    """(case, tool, what it reported) for each broken history on ``url``; the project is restored afterwards."""
    rows = []
    chosen = tools(None)[:2]
    for case in ("index left behind", "downgrade raises"):
        name = break_project(project, case)
        try:
            for tool in chosen:
                result = one_run(tool, project, url, scratch / "findings").run
                rows.append((case, tool.name, _finding(result, scratch / "findings" / "stdout.txt")))
        finally:
            (project / "migrations" / "versions" / name).unlink()
    return rows


def _finding(result: Run, stdout: Path) -> str:
    if result.ok:
        return "passes (misses it)"
    text = stdout.read_text(encoding="utf-8", errors="replace")
    ours = re.search(r"stairway failed at revision \S+ \((?:.*/)?([^/)]+)\) on ([a-z ]+): ([^\n]{0,90})", text)
    if ours:
        return f"fails: `{ours.group(1)}` on {ours.group(2)}: {ours.group(3).strip()}"
    theirs = re.search(r"AlembicTestFailure: ([^\n]+)", text)
    named = re.search(r"Failing Revision:\s*\nE\s+(\w+)", text)
    if theirs:
        revision = named.group(1) if named else "?"
        which = "the broken one" if revision == BROKEN_ID else "not the broken one, its parent"
        return f"fails: {theirs.group(1).strip()} Failing revision `{revision}` ({which})"
    return f"fails (exit {result.status})"


# -- the report ----------------------------------------------------------------------------
def _median(values: list[float]) -> float:
    return statistics.median(values)


def _server(runs: list[Timed]) -> str:
    values = [r.server_cpu for r in runs if r.server_cpu is not None]
    return f"{_median(values):.2f} s" if values else ""


def _total(runs: list[Timed]) -> float | None:
    """Median of CPU + server CPU (None where the server's CPU is not known)."""
    if any(r.server_cpu is None for r in runs):
        return None
    return _median([r.cpu + (r.server_cpu or 0.0) for r in runs])


def report(
    rows: list[dict[str, Any]], found: list[tuple[str, str, str, str]], found_on: int, repeat: int, baseline: str | None,
    load_before: float,
) -> str:
    import alembic
    import pytest_alembic
    import sqlalchemy

    import limbeck

    lines = [
        BEGIN,
        "## The migration test loop: limbeck's pytest plugin against pytest-alembic",
        "",
        "Written by `bench/testloop.py --write-results`. One `pytest` process per run (imports and collection",
        f"included), {repeat} interleaved runs per tool after a warm-up each; wall and CPU (user + system) are medians.",
        "CPU is the pytest process's; on the benchmark's own PostgreSQL, *server CPU* is what the server's",
        "backends spent during the run (median), and *total* ratio compares CPU + server CPU.",
        "Same generated Alembic project (linear, portable) and the same empty database for every run.",
        f"SQLAlchemy {sqlalchemy.__version__}; alembic {alembic.__version__}; pytest-alembic "
        f"{getattr(pytest_alembic, '__version__', '0.13.1')}; limbeck {limbeck.__version__}; "
        f"nproc {os.cpu_count()}; load average at the start {load_before:.1f}, at the end {os.getloadavg()[0]:.1f}."
        + (f" Baseline: the plugin from `{baseline}`." if baseline else ""),
        "",
        "| Database | Revisions | Tool | wall (median / min) | CPU | server CPU | pytest-alembic / tool: wall | CPU | total |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ref = row["runs"]["pytest-alembic"]
        ref_wall, ref_cpu, ref_total = _median([r.wall for r in ref]), _median([r.cpu for r in ref]), _total(ref)
        for name, runs in row["runs"].items():
            wall, cpu, total = _median([r.wall for r in runs]), _median([r.cpu for r in runs]), _total(runs)
            server = _server(runs)
            ours = name != "pytest-alembic"
            ratios = [f"{ref_wall / wall:.1f}x", f"{ref_cpu / cpu:.1f}x",
                      f"{ref_total / total:.1f}x" if ref_total and total else ""] if ours else ["", "", ""]
            lines.append(f"| {row['database']} | {row['revisions']} | {name} | {wall:.2f} s / "
                         f"{min(r.wall for r in runs):.2f} s | {cpu:.2f} s | {server} | {' | '.join(ratios)} |")
    if found:
        lines += [
            "",
            f"Findings on the {found_on}-revision history with one revision appended (untimed):",
            "",
            "| Database | Broken downgrade | Tool | Result |",
            "|---|---|---|---|",
        ]
        lines += [f"| {database} | {case} | {tool} | {text} |" for database, case, tool, text in found]
    lines += ["", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="PostgreSQL URL of a database the benchmark may wipe (default: a throwaway server)")
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--baseline-src", help="another checkout's src/ to time as a fourth tool")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "testloop")
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    server = None
    clock = ServerClock(None)
    load_before = os.getloadavg()[0]
    databases: list[tuple[str, str | None]] = [] if args.no_sqlite else [("SQLite file", None)]
    if not args.no_postgresql:
        if args.url is None:
            from autogen_compare import TemporaryPostgres

            server = TemporaryPostgres()
            args.url = server.__enter__()
            clock = ServerClock(server.data)
        databases.append(("PostgreSQL", args.url))
    chosen = tools(args.baseline_src)
    rows: list[dict[str, Any]] = []
    found: list[tuple[str, str, str, str]] = []
    try:
        for revisions in args.revisions:
            project = write_project(args.out / f"p{revisions}", revisions)
            for database, url in databases:
                url = url or f"sqlite:///{project / 'walk.db'}"
                print(f"{database}, {revisions} revisions ...", file=sys.stderr, flush=True)
                runs = measure(project, url, chosen, args.repeat, args.out / "runs", clock)
                rows.append({"database": database, "revisions": revisions, "runs": runs})
                if revisions == min(args.revisions):
                    found += [(database, *row) for row in findings(project, url, args.out / "runs")]
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    section = report(rows, found, min(args.revisions), args.repeat, args.baseline_src, load_before)
    print(section)
    if args.write_results:
        from report import write_section

        write_section(HERE / "RESULTS.md", BEGIN, END, section)


if __name__ == "__main__":
    main()
