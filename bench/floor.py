"""The floor: what any SQLAlchemy-based tool pays for a scenario, whatever it does.

A benchmark target that asks for "N times faster than Alembic" can only be
met if the work every such tool must do fits in 1/N of Alembic's time. This
script measures that work directly, in a child process timed the way
``run.py`` times the tools (``measure.run``, interleaved with Alembic):

- start Python, import SQLAlchemy and ``logging.config`` (env.py does);
- read and compile every revision file that runs, execute it and call its
  ``upgrade()`` with an ``op`` that does nothing (the ``sa.Column`` and
  ``sa.table()`` objects the scripts build are still built); a second
  variant takes the compiled code from a file made beforehand, the floor of
  a tool that compiles on another core at no cost at all;
- online scenarios only: execute the finished SQL (rendered beforehand by
  ``limbeck --sql``, outside the timing) through a SQLAlchemy connection
  into a new SQLite file, one transaction per revision.

What it leaves out is everything a migration tool adds: reading config and
env.py, the revision map, building and compiling the operations' SQL, the
version table's bookkeeping, output. So no tool can be faster than the
floor, and a target below it cannot be met.

    .venv/bin/python bench/floor.py                  # both scenarios, 7 runs each
    .venv/bin/python bench/floor.py --repeat 11 upgrade-online-100
    .venv/bin/python bench/floor.py --write-results  # also into RESULTS.md (its own section)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import Run, clear_pycache, run  # noqa: E402
from runner import child_env, ram_root  # noqa: E402
from scenarios import Tree, fresh_database  # noqa: E402

#: the program whose time is the floor; argv: versions dir, SQL script or "" (offline)
FLOOR_PROGRAM = r'''
import glob, os, re, sys, types
import sqlalchemy as sa
import logging.config

versions, script, precompiled, direction = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]


class NoOp:
    """`op` of the scripts: builds nothing, renders nothing (but what it must return)."""

    def inline_literal(self, value, type_=None):
        return sa.literal(value, type_)

    def batch_alter_table(self, *args, **kw):
        import contextlib

        return contextlib.nullcontext(self)

    def create_table(self, name, *items, schema=None, **kw):
        # Alembic's op.create_table returns the Table, but every generated script drops it
        # (`op.create_table(...)` as a statement): a tool need not build it (limbeck does not)
        return None

    def __getattr__(self, name):
        return lambda *a, **k: None


alembic = types.ModuleType("alembic")
alembic.op = NoOp()
sys.modules["alembic"] = alembic
if precompiled:  # compiled beforehand: a tool that compiles on another core, for free
    import marshal
    with open(precompiled, "rb") as fh:
        codes = marshal.load(fh)
else:
    codes = []
    for path in sorted(glob.glob(os.path.join(versions, "*.py"))):
        with open(path, "rb") as fh:
            codes.append((path, compile(fh.read(), path, "exec", dont_inherit=True)))
for path, code in (codes if direction == "upgrade" else reversed(codes)):
    namespace = {"__name__": os.path.basename(path)[:-3], "__file__": path}
    exec(code, namespace)
    namespace[direction]()

if script:
    text = open(script, encoding="utf-8").read()
    engine = sa.create_engine("sqlite:///" + os.path.join(os.path.dirname(versions), "..", "floor.db"),
                              poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        for chunk in re.split(r"\n-- Running [^\n]*\n", text):
            for statement in chunk.split(";\n"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
            conn.commit()
'''


SCENARIOS = {
    # name: (tree, Alembic's command, online?)
    "upgrade-sql-1k": (Tree(1000, "postgresql"), ("upgrade", "base:head", "--sql"), False),
    "upgrade-online-100": (Tree(100, "sqlite", ram=True), ("upgrade", "head"), True),
    "upgrade-sql-1k-autogen-linear": (Tree(1000, "postgresql", shape="linear", kind="autogen"),
                                      ("upgrade", "base:head", "--sql"), False),
    "downgrade-sql-1k-autogen-linear": (Tree(1000, "postgresql", shape="linear", kind="autogen"),
                                        ("downgrade", "head:base", "--sql"), False),
}


def _prepare(name: str, out: Path, python: Path) -> tuple[Path, Path | None]:
    tree, _, online = SCENARIOS[name]
    root = (ram_root() or out) if tree.ram else out
    project, _heads = tree.build(root)
    script = None
    if online:
        # the SQL the migrations run, rendered once, untimed: the floor executes it
        script = out / f"{name}.sql"
        limbeck = python.parent / "limbeck"
        with open(script, "wb") as fh:
            subprocess.run([str(limbeck), "-c", "alembic.ini", "upgrade", "head", "--sql"], cwd=project,
                           stdout=fh, stderr=subprocess.DEVNULL, check=True, env=child_env())
    return project, script


def _precompile(versions: Path, out: Path) -> Path:
    import marshal

    codes = []
    for path in sorted(versions.glob("*.py")):
        codes.append((str(path), compile(path.read_bytes(), str(path), "exec", dont_inherit=True)))
    target = out / "floor_codes.bin"
    with open(target, "wb") as fh:
        marshal.dump(codes, fh)
    return target


def measure(name: str, repeat: int, out: Path, python: Path) -> tuple[list[Run], list[Run], list[Run]]:
    """Runs (wall and CPU time) of the floor program, of it without compiling, and of Alembic, interleaved."""
    project, script = _prepare(name, out, python)
    _, args, online = SCENARIOS[name]
    program = out / "floor_program.py"
    program.write_text(FLOOR_PROGRAM, encoding="utf-8")
    versions = project / "migrations" / "versions"
    codes = _precompile(versions, out)
    direction = args[0]
    floor_argv = [str(python), str(program), str(versions), str(script or ""), "", direction]
    compiled_argv = [*floor_argv[:-2], str(codes), direction]
    alembic_argv = [str(python.parent / "alembic"), "-c", "alembic.ini", *args]
    floor: list[Run] = []
    compiled: list[Run] = []
    alembic: list[Run] = []
    for i in range(repeat + 1):
        for argv, times in ((floor_argv, floor), (compiled_argv, compiled), (alembic_argv, alembic)):
            if online:
                fresh_database(project)
                (project / "floor.db").unlink(missing_ok=True)
            else:
                clear_pycache(project)
            result = run(argv, project, out / "logs" / name, env=child_env())
            if not result.ok:
                raise SystemExit(f"{name}: {argv[0]} failed: {result.error}")
            if i:  # the first round warms the file system cache
                times.append(result)
    return floor, compiled, alembic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help=f"any of {', '.join(SCENARIOS)} (default: all)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "floor")
    parser.add_argument("--write-results", action="store_true", help="also write the table into RESULTS.md")
    args = parser.parse_args(argv)
    unknown = [name for name in args.scenarios if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {unknown[0]!r}; choose from {', '.join(SCENARIOS)}")
    args.scenarios = args.scenarios or list(SCENARIOS)
    python = Path(sys.executable)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.scenarios:
        runs = measure(name, args.repeat, args.out, python)
        (fm, cm, am), (fc, cc, ac) = ([statistics.median(getattr(r, attr) for r in rs) for rs in runs]
                                      for attr in ("wall", "cpu"))
        floor, compiled, alembic = ([r.wall for r in rs] for rs in runs)
        rows.append(f"| {name} | {fm:.3f} s ({min(floor):.3f} s) | {cm:.3f} s ({min(compiled):.3f} s) "
                    f"| {am:.3f} s ({min(alembic):.3f} s) | {am / fm:.2f}x | {am / cm:.2f}x "
                    f"| {ac / fc:.2f}x | {ac / cc:.2f}x |")
    table = [
        "| Scenario | floor median (min) | floor without compiling, median (min) | Alembic median (min) "
        "| Alembic / floor | Alembic / floor without compiling | CPU: Alembic / floor | CPU: without compiling |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    print("\n".join(table))
    if args.write_results:
        from report import write_table_section, written_at

        intro = (
            f"Written by `bench/floor.py --write-results` ({written_at()}, "
            f"{args.repeat} interleaved runs each). The floor program imports SQLAlchemy, "
            "compiles and runs every revision file's `upgrade()` (`downgrade()` for a downgrade) with an `op` that does nothing and, online, executes the "
            "finished SQL through SQLAlchemy into a new SQLite file; no tool that runs the scripts through SQLAlchemy can be "
            "faster. \"Without compiling\" takes the revision files' code from a file made beforehand. A target above "
            "\"Alembic / floor\" cannot be met. See bench/README.md."
        )
        write_table_section(HERE / "RESULTS.md", "floor", "The floor: what any SQLAlchemy-based tool pays", intro, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
