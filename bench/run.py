"""Time limbeck against Alembic on the same generated projects.

    python bench/run.py                      # every scenario, 7 repetitions
    python bench/run.py --quick heads-1k 'history-*'
    python bench/run.py linearity
    python bench/run.py --write-results      # also rewrite bench/RESULTS.md

Prints a markdown report on stdout (progress on stderr). Both tools run as
subprocesses of their console scripts; a tool that is missing or fails is
reported with its exit status and error line, never as a crash of the
benchmark, so the suite is useful while limbeck's commands are still landing.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

import report
from runner import Outcome, Runner, Tool, imported_modules, tool_available
from scenarios import Scenario, main_scenarios, select

BENCH = Path(__file__).resolve().parent
VENV_BIN = BENCH.parent / ".venv" / "bin"
# scenarios whose limbeck run is also checked for SQLAlchemy imports
PROBED = ("help", "heads-1k", "history-1k")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", default=["all"],
                        help="names or globs (e.g. 'heads-*'), 'linearity' or 'all' (default)")
    parser.add_argument("--quick", action="store_true", help="3 repetitions instead of 7")
    parser.add_argument("--repeat", type=int, help="timed repetitions per tool (overrides --quick)")
    parser.add_argument("--python", type=Path, default=VENV_BIN / "python",
                        help="interpreter for version and import probes (default: the project venv)")
    parser.add_argument("--limbeck", type=Path, help="limbeck console script (default: next to --python)")
    parser.add_argument("--alembic", type=Path, help="alembic console script (default: next to --python)")
    parser.add_argument("--no-alembic", action="store_true", help="time limbeck alone")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="scratch directory for generated trees")
    parser.add_argument("--write-results", action="store_true", help="rewrite bench/RESULTS.md")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    return parser


def _tools(args: argparse.Namespace) -> tuple[list[Tool], list[str]]:
    """Tools that can run, and notes on those that cannot."""
    bin_dir = args.python.parent
    wanted = [Tool("limbeck", args.limbeck or bin_dir / "limbeck")]
    if not args.no_alembic:
        wanted.append(Tool("alembic", args.alembic or bin_dir / "alembic"))
    tools, notes = [], []
    for tool in wanted:
        # limbeck is measured even when it cannot import: its failure is a result.
        why = tool_available(args.python, tool, tool.name) if tool.name == "alembic" else ""
        if why:
            notes.append(f"- {tool.name} not measured: {why}")
        else:
            tools.append(tool)
    return tools, notes


def _probes(runner: Runner, python: Path, limbeck: Tool | None, chosen: list[Scenario]) -> report.Probes:
    found: dict[str, tuple[set[str], str]] = {}
    if limbeck is None:
        return found
    for scenario in chosen:
        if scenario.name in PROBED:
            cwd = runner.project(scenario)
            if scenario.before_each is not None:
                scenario.before_each(cwd)
            found[scenario.name] = imported_modules(python, limbeck.argv(scenario), cwd)
    return found


def _sections(chosen: list[Scenario], results: dict[str, dict[str, Outcome]], probes: report.Probes,
              tool_names: list[str], notes: list[str]) -> list[str]:
    main = [s for s in chosen if s.group == "main"]
    body: list[str] = []
    if main:
        body += ["## Scenarios", "", "Wall times are medians and minima over the timed runs; CPU is the "
                 "median user + system time; peak RSS is the largest over the runs. Ratios are "
                 "alembic / limbeck.", "", report.main_table(main, results, tool_names), ""]
    if any(s.group == "linearity" for s in chosen):
        body += ["## Linearity", "", "Median CPU time (user + system) of the command per size, no caches; "
                 "`fit` is a least-squares line through all sizes. A command grows linearly when the "
                 "marginal cost per added revision stays flat (verdict: 1000→2000 at most 1.5x 250→1000).",
                 "", report.linearity_table(results, tool_names), ""]
    body += ["## Targets", "", report.targets_table(results, probes), ""]
    problems = report.failures(results) + notes
    if problems:
        body += ["## Failures", "", *problems, ""]
    return body


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.list:
        for scenario in main_scenarios():
            print(f"{scenario.name:38} {scenario.what}")
        print(f"{'linearity':38} heads, history and upgrade --sql at 250/500/1000/2000 revisions")
        return 0
    try:
        chosen = select(args.scenarios)
    except ValueError as exc:
        print(f"run.py: {exc}", file=sys.stderr)
        return 2
    repeat = args.repeat or (3 if args.quick else 7)
    load_start = os.getloadavg() if hasattr(os, "getloadavg") else None
    tools, notes = _tools(args)
    runner = Runner(tools, repeat, args.out.resolve())
    results = {scenario.name: runner.measure(scenario) for scenario in chosen}
    limbeck = next((t for t in tools if t.name == "limbeck"), None)
    probes = _probes(runner, args.python, limbeck, chosen)
    body = _sections(chosen, results, probes, [t.name for t in tools], notes)
    print("\n".join(body))
    if args.write_results:
        command = "python bench/run.py " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
        target = BENCH / "RESULTS.md"
        keep = report.foreign_sections(target.read_text(encoding="utf-8")) if target.exists() else []
        text = report.document(command=command.strip(), python=args.python, repeat=repeat, body=body,
                               load_start=load_start, keep=keep)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {BENCH / 'RESULTS.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
