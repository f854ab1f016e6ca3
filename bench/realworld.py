"""limbeck against Alembic on real projects' histories, not only on generated ones.

The generated trees (``generate.py``) have 1,000-5,000 revisions of one
shape; the histories users have are the ones the suite downloads from PyPI
(``tests/realworld/projects.py``: pinned releases, cached), 30-300 revisions
written by many hands, where start-up weighs more than per-revision work.
This times the commands users run on them, each tool as its own process, in
the scratch project the suite's harness writes (``alembic.ini`` naming the
extracted version folders and the suite's ``env.py``), interleaved:

- ``heads`` and ``history``, cold (no ``__pycache__``) and warm;
- ``upgrade heads`` online into a new SQLite file, for the histories the
  suite runs so (``ONLINE_SQLITE``: SQLite batch rebuilds of reflected
  tables, data moved through the bind);
- ``upgrade base:heads --sql`` and ``downgrade heads:base --sql`` on the
  first of the history's databases on which Alembic renders the whole range
  (the suite goes around the revisions it cannot, ``Skip``: a direction with
  such a revision on every database is timed on listings only).

Revision files import their application's modules; the child answers those
imports with the suite's stubs (``tests/realworld/stubs.py``), installed
lazily on the first such import, so a command that imports no revision file
(limbeck's listings) pays nothing for them, and both tools pay the same
where they do.

    .venv/bin/python bench/realworld.py                      # the default selection
    .venv/bin/python bench/realworld.py --repeat 5 rucio sahara
    .venv/bin/python bench/realworld.py --write-results      # also into RESULTS.md
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from measure import Run, run
from runner import child_env

#: histories timed by default: the largest the suite renders offline end to end (no skipped
#: revision in either direction), several shapes and databases
DEFAULT = ("rucio", "apache-airflow-core", "keylime", "bodhi-server", "sahara", "anitya", "ckan", "indico",
           "prefect", "open-webui", "optuna", "quetz-server")

#: (project, history) whose whole history the suite runs online on an empty SQLite database
#: (tests/realworld/test_online.py): timed as ``upgrade heads`` into a new file each run
ONLINE_SQLITE = {("prefect", "sqlite"), ("open-webui", "main"), ("optuna", "main"), ("quetz-server", "main"),
                 ("keylime", "cloud_verifier"), ("flaskbb", "main"), ("rally", "main"), ("odcs", "main"),
                 ("conda-store-server", "main")}
DATABASE = "realworld.db"

# The child: argv = tool, repository root, stub roots (comma-separated), project name, then the
# tool's own arguments. The stubs (and projects.py, for a project's own stand-ins) load on the
# first import of a stubbed package only.
CHILD = r'''
import importlib.abc, sys
tool, root, roots, project = sys.argv[1], sys.argv[2], frozenset(filter(None, sys.argv[3].split(","))), sys.argv[4]
argv = ["-c", "alembic.ini", *sys.argv[5:]]


class Lazy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".", 1)[0] not in roots:
            return None
        sys.meta_path.remove(self)
        sys.path.insert(0, root)
        from tests.realworld.projects import PROJECTS
        from tests.realworld.stubs import stubbed_imports

        overrides = next(p.stubs for p in PROJECTS if p.name == project)
        self.stubs = stubbed_imports(roots, overrides)  # kept: a dropped context manager undoes itself
        self.stubs.__enter__()  # for the rest of the process
        return sys.meta_path[0].find_spec(name, path, target)


lazy = Lazy()
if roots:
    sys.meta_path.insert(0, lazy)
if tool == "alembic":
    from alembic.config import main
    main(argv=argv, prog="alembic")
else:
    from limbeck.cli import main
    main(argv, prog="limbeck")
'''


@dataclass(frozen=True)
class Case:
    """One command on one history, cold or warm."""

    project: str
    history: str
    dialect: str
    args: tuple[str, ...]
    cold: bool

    @property
    def online(self) -> bool:
        return "--sql" not in self.args and self.args[0] in ("upgrade", "downgrade")

    @property
    def label(self) -> str:
        where = ", online, SQLite" if self.online else ""
        return f"{' '.join(self.args)}{where}{'' if self.cold else ', warm'}"


def _cases(project: Any, history: Any) -> list[Case]:
    name, key = project.name, history.key
    cases = [Case(name, key, history.dialects[0], (verb,), cold) for verb in ("heads", "history") for cold in (True, False)]
    ranges = [("upgrade", "base:heads")] + ([("downgrade", "heads:base")] if history.downgrade else [])
    for direction, span in ranges if history.sql else ():
        # the first of the history's databases on which Alembic renders the whole range
        dialect = next((d for d in history.dialects if not history.skipped(direction, d)), None)
        if dialect is not None:
            cases += [Case(name, key, dialect, (direction, span, "--sql"), cold) for cold in (True, False)]
    if (name, key) in ONLINE_SQLITE:
        cases += [Case(name, key, "sqlite", ("upgrade", "heads"), cold) for cold in (True, False)]
    return cases


def _clear(folders: list[Path], root: Path) -> None:
    for folder in [*folders, root]:
        shutil.rmtree(folder / "__pycache__", ignore_errors=True)


def measure(names: list[str], repeat: int, out: Path, python: Path) -> list[tuple[Case, int, list[Run], list[Run]]]:
    """Per case: the history's revision count and the runs of limbeck and of Alembic, interleaved."""
    from tests.realworld.harness import Workspace, history_folders
    from tests.realworld.projects import PROJECTS

    program = out / "realworld_child.py"
    out.mkdir(parents=True, exist_ok=True)
    program.write_text(CHILD, encoding="utf-8")
    results = []
    for name in names:
        project = next((p for p in PROJECTS if p.name == name), None)
        if project is None:
            raise SystemExit(f"realworld.py: no project {name!r} in tests/realworld/projects.py")
        for history in project.histories:
            folders = history_folders(project, history)
            count = sum(1 for f in folders for p in f.glob("*.py") if not p.name.startswith("__"))
            workspace = Workspace(out / f"{project.name}-{history.key}", project, history, folders)
            for case in _cases(project, history):
                workspace.write_ini(f"sqlite:///{workspace.root / DATABASE}" if case.online else case.dialect + "://")
                runs: dict[str, list[Run]] = {"limbeck": [], "alembic": []}
                for i in range(repeat + 1):  # the first round warms the file system cache and the tools' caches
                    for tool, timed in runs.items():
                        if case.cold:
                            _clear(folders, workspace.root)
                        (workspace.root / DATABASE).unlink(missing_ok=True)
                        argv = [str(python), str(program), tool, str(ROOT), ",".join(sorted(project.stub_roots)),
                                project.name, *case.args]
                        result = run(argv, workspace.root, out / "logs" / project.name / tool, env=child_env())
                        if not result.ok:
                            raise SystemExit(f"{project.name} {history.key}: {tool} {' '.join(case.args)} failed: "
                                             f"{result.error}")
                        if i:
                            timed.append(result)
                print(f"{project.name} {history.key} {case.label}: limbeck {statistics.median(r.wall for r in runs['limbeck']):.3f} s, "
                      f"alembic {statistics.median(r.wall for r in runs['alembic']):.3f} s", file=sys.stderr)
                results.append((case, count, runs["limbeck"], runs["alembic"]))
    return results


def table(results: list[tuple[Case, int, list[Run], list[Run]]]) -> list[str]:
    rows = [
        ("| Project (history, database) | revisions | command | limbeck median (CPU) | Alembic median (CPU) "
         "| Alembic / limbeck | CPU ratio |"),
        "|---|---|---|---|---|---|---|",
    ]
    ratios: dict[str, list[float]] = {}
    for case, count, mine, theirs in results:
        lw, aw = (statistics.median(r.wall for r in rs) for rs in (mine, theirs))
        lc, ac = (statistics.median(r.cpu for r in rs) for rs in (mine, theirs))
        rows.append(f"| {case.project} ({case.history}, {case.dialect}) | {count} | `{case.label}` | {lw:.3f} s ({lc:.3f} s) "
                    f"| {aw:.3f} s ({ac:.3f} s) | {aw / lw:.1f}x | {ac / lc:.1f}x |")
        ratios.setdefault(case.label, []).append(aw / lw)
    rows += ["", "| command | histories | geometric mean of Alembic / limbeck (wall) | lowest |", "|---|---|---|---|"]
    for label, values in ratios.items():
        rows.append(f"| `{label}` | {len(values)} | {statistics.geometric_mean(values):.1f}x | {min(values):.1f}x |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", help=f"project names from tests/realworld/projects.py (default: {', '.join(DEFAULT)})")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "realworld")
    parser.add_argument("--write-results", action="store_true", help="also write the table into RESULTS.md")
    args = parser.parse_args(argv)
    results = measure(list(args.projects or DEFAULT), args.repeat, args.out, Path(sys.executable))
    rows = table(results)
    print("\n".join(rows))
    if args.write_results:
        from report import write_table_section, written_at

        intro = (
            f"Written by `bench/realworld.py --repeat {args.repeat} --write-results` ({written_at()}). "
            "Each command as its own process in the suite's scratch project for the history (its `env.py`, the "
            "extracted version folders), limbeck and Alembic interleaved, medians of the timed runs after one "
            "untimed round; cold = no `__pycache__` in the version folders or the project, warm = the caches each "
            "tool wrote itself. `--sql` on the first of the history's databases where Alembic renders the whole range."
        )
        write_table_section(HERE / "RESULTS.md", "realworld", "Real histories: the suite's downloaded projects", intro, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
