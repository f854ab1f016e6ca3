"""Count the instructions a scenario costs each tool, with callgrind.

    python bench/icount.py upgrade-sql-1k-autogen-linear downgrade-sql-1k-autogen-linear
    python bench/icount.py --src /tmp/ref/src heads-5k-cached     # another limbeck checkout
    python bench/icount.py --no-alembic 'heads-*-cached'

Wall and CPU times on a shared machine move with the load; the number of
instructions a process executes does not (to within a fraction of a per
cent). This runs each tool once under ``valgrind --tool=callgrind`` on the
scenario's tree (after one untimed run that fills the caches a ``-cached``
scenario keeps, and with every ``__pycache__`` removed first for the other
scenarios, as run.py does) and prints the instructions of that process
alone (``Collected``, user space). limbeck runs with ``LIMBECK_PRECOMPILE=0``
so that all of its work happens in the one process that is counted;
``--precompile`` leaves the background children on and counts only the
parent. ``--src`` runs limbeck from another source tree (``PYTHONPATH``),
to compare a change with the code before it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from runner import Runner, Tool, child_env
from scenarios import select

BENCH = Path(__file__).resolve().parent
VENV_BIN = BENCH.parent / ".venv" / "bin"
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def count(argv: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Instructions executed by ``argv`` (not its children), or an error."""
    # valgrind goes inside a one-core scenario's ``taskset`` (which execs the tool): outside it
    # would count taskset alone
    split = 3 if argv[:1] == ["taskset"] else 0
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [*argv[:split], "valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", *argv[split:]],
            cwd=cwd, env=env, capture_output=True, text=True,
        )
    found = _COLLECTED.findall(proc.stderr)
    if proc.returncode or not found:
        tail = [line for line in proc.stderr.splitlines() if not line.startswith("==")][-3:]
        raise RuntimeError(f"{' '.join(argv[:3])}: exit {proc.returncode}: {' | '.join(tail)}")
    return int(found[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="+", help="scenario names or globs (see run.py --list)")
    parser.add_argument("--src", type=Path, help="limbeck source tree to run instead of the installed one")
    parser.add_argument("--no-alembic", action="store_true", help="count limbeck only")
    parser.add_argument("--precompile", action="store_true", help="leave limbeck's background children on")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="scratch directory for generated trees")
    args = parser.parse_args(argv)
    tools = [Tool("limbeck", VENV_BIN / "limbeck")] + ([] if args.no_alembic else [Tool("alembic", VENV_BIN / "alembic")])
    runner = Runner(tools, 0, args.out.resolve())
    env = child_env()
    if not args.precompile:
        env["LIMBECK_PRECOMPILE"] = "0"
    if args.src is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.src.resolve()), env.get("PYTHONPATH")]))
    print("| Scenario | " + " | ".join(f"{t.name} instructions" for t in tools)
          + (" | alembic / limbeck |" if len(tools) > 1 else " |"))
    print("|---" * (len(tools) + 1 + (len(tools) > 1)) + "|")
    for scenario in select(args.scenarios):
        cwd = runner.project(scenario)
        if scenario.setup is not None and scenario.tree is not None:
            scenario.setup(cwd, runner.trees[scenario.tree][1])
        runner.settle(scenario)
        counts = []
        for tool in tools:
            run_env = {**env, **dict(scenario.env)}
            if scenario.before_each is not None:
                scenario.before_each(cwd)
            else:  # a -cached scenario: fill the caches first
                subprocess.run(tool.argv(scenario), cwd=cwd, env=run_env, capture_output=True)
            counts.append(count(tool.argv(scenario), cwd, run_env))
            print(f"  {scenario.name} {tool.name}: {counts[-1] / 1e9:.3f} G", file=sys.stderr, flush=True)
        cells = [f"{n / 1e9:.3f} G" for n in counts]
        if len(counts) > 1:
            cells.append(f"{counts[1] / counts[0]:.2f}x")
        print(f"| {scenario.name} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
