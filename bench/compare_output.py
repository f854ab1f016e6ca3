"""Prove an optimisation changes no output: whole trees, every dialect, against another checkout.

    python bench/compare_output.py                       # against main, 1,000 revisions per tree
    python bench/compare_output.py --ref b80d211 --revisions 300
    python bench/compare_output.py --ref-src /tmp/ref/src  # a source tree instead of a git ref
    python bench/compare_output.py --src /tmp/snapshot/src # this side from a copy (keep editing meanwhile)

For every generated tree (autogenerate-shaped linear and branchy, and the
classic generator's branchy tree with and without SQLite-portable DDL) and
every dialect limbeck supports offline (PostgreSQL, MySQL, MariaDB, SQLite,
SQL Server, Oracle), this runs ``upgrade base:head --sql`` and
``downgrade head:base --sql`` with the limbeck of this checkout and with the
reference limbeck (``git archive`` of ``--ref`` into ``bench/out/compare``,
run through ``PYTHONPATH``, same interpreter and packages), and compares
standard output, standard error and the exit status byte for byte. A run
that fails must fail the same way on both sides (SQLite cannot alter a
column offline, for instance). Exit status 1 and a diff excerpt when
anything differs.

Both sides run with ``LIMBECK_PRECOMPILE=0`` and without
``PYTHONDONTWRITEBYTECODE``, on the same tree, one after the other, each
with the tree's ``__pycache__`` removed first.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generate import generate
from measure import clear_pycache
from runner import child_env

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = ROOT / ".venv" / "bin"

DIALECT_URLS = {
    "postgresql": "postgresql://localhost/bench",
    "mysql": "mysql://localhost/bench",
    "mariadb": "mariadb://localhost/bench",
    "sqlite": "sqlite:///%(here)s/bench.db",
    "mssql": "mssql+pyodbc://localhost/bench",
    "oracle": "oracle://localhost/bench",
}
#: (name, shape, kind, portable)
TREES = (
    ("autogen-linear", "linear", "autogen", False),
    ("autogen-branchy", "branchy", "autogen", False),
    ("classic-branchy", "branchy", "classic", False),
    ("classic-branchy-portable", "branchy", "classic", True),
)
COMMANDS = (("upgrade", "base:head", "--sql"), ("downgrade", "head:base", "--sql"))
#: the progress lines on stderr end in each revision's duration: the only text that may differ
_DURATION = re.compile(r" \(\d+\.\d+s\)$", re.M)


def reference_source(ref: str, out: Path) -> Path:
    """``src/`` of git ``ref``, extracted once under ``out``."""
    commit = subprocess.run(["git", "rev-parse", ref], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    target = out / f"ref-{commit[:12]}"
    if not (target / "src" / "limbeck").is_dir():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", commit, "src"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def run(cwd: Path, args: tuple[str, ...], src: Path | None) -> tuple[int, str, str]:
    env = child_env()
    env["LIMBECK_PRECOMPILE"] = "0"
    env.pop("PYTHONPATH", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    clear_pycache(cwd)
    proc = subprocess.run([str(VENV_BIN / "limbeck"), "-c", "alembic.ini", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout, _DURATION.sub(" (time)", proc.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="main", help="git ref to compare with (default: main)")
    parser.add_argument("--ref-src", type=Path, help="a limbeck src/ folder to compare with instead of --ref")
    parser.add_argument("--src", type=Path, help="run this side from a copy of src/ instead of the checkout")
    parser.add_argument("--revisions", type=int, default=1000)
    parser.add_argument("--dialect", action="append", choices=sorted(DIALECT_URLS), help="only these (repeatable)")
    parser.add_argument("--tree", action="append", choices=[t[0] for t in TREES], help="only these (repeatable)")
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "compare")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    ref = args.ref_src.resolve() if args.ref_src else reference_source(args.ref, args.out)
    mine_src = args.src.resolve() if args.src else None
    differences = 0
    runs = 0
    for name, shape, kind, portable in TREES:
        if args.tree and name not in args.tree:
            continue
        for dialect, url in DIALECT_URLS.items():
            if args.dialect and dialect not in args.dialect:
                continue
            tree = args.out / f"{name}-{args.revisions}-{dialect}"
            generate(tree, args.revisions, shape, "alembic", portable=portable, url=url, kind=kind)
            for command in COMMANDS:
                mine, theirs = run(tree, command, mine_src), run(tree, command, ref)
                runs += 1
                label = f"{name} {dialect} {' '.join(command)}"
                if mine == theirs:
                    outcome = "ok" if mine[0] == 0 else f"ok (both exit {mine[0]})"
                    print(f"{label}: {outcome}, {len(mine[1].splitlines())} lines", flush=True)
                    continue
                differences += 1
                print(f"{label}: DIFFERENT (exit {mine[0]} here, {theirs[0]} in the reference)", flush=True)
                for part, a, b in (("stdout", mine[1], theirs[1]), ("stderr", mine[2], theirs[2])):
                    diff = list(difflib.unified_diff(b.splitlines(), a.splitlines(), "reference", "this checkout",
                                                     lineterm="", n=1))
                    if diff:
                        print(f"  {part}:", *diff[:40], sep="\n    ")
    print(f"{runs} runs, {differences} different; reference: {ref}")
    return 1 if differences else 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
