"""Parallel offline rendering: ``--sql --jobs 1`` beside ``--jobs N`` and the default (by CPUs), interleaved.

    .venv/bin/python bench/jobs.py                      # 1000 revisions, up and down, linear and branchy
    .venv/bin/python bench/jobs.py --sizes 100 200 400  # where the default starts to use workers
    .venv/bin/python bench/jobs.py --kinds autogen      # autogenerate-shaped revisions only

Each repetition runs every variant once, in turn (so drift of a shared
machine hits all alike), on the same generated PostgreSQL tree with no
``__pycache__`` (a fresh checkout, as the main scenarios). Reports the
median wall time, the median CPU time (user + system of the command and
its workers) and the speed-up against ``--jobs 1``; every variant must
print the same script (its SHA-1 is compared), or the row says so.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import Run, clear_pycache, run
from runner import CONFIG_NAME, child_env
from scenarios import Tree

VENV_BIN = BENCH.parent / ".venv" / "bin"
BEGIN = "<!-- jobs:begin -->"
END = "<!-- jobs:end -->"
_SPLIT = re.compile(r"^SPLIT (\S+) cpu=([\d.]+)", re.MULTILINE)


def _variants(jobs: list[int]) -> list[tuple[str, list[str]]]:
    """The explicit counts, then no ``--jobs`` at all: the default (by CPUs and what the range renders)."""
    return [*((f"--jobs {n}", ["--jobs", str(n)]) for n in jobs), ("default", [])]


def measure(limbeck: Path, tree: Tree, out: Path, direction: str, jobs: list[int], repeat: int) -> list[str]:
    """Markdown rows for one tree and direction."""
    project, _heads = tree.build(out)
    rng = "base:head" if direction == "upgrade" else "head:base"
    variants = _variants(jobs)
    runs: dict[str, list[Run]] = {name: [] for name, _ in variants}
    env = child_env()
    for rep in range(repeat + 1):  # the first round is an untimed warm-up (OS file cache)
        for name, extra in variants:
            clear_pycache(project)
            argv = [str(limbeck), "-c", CONFIG_NAME, direction, rng, "--sql", *extra]
            result = run(argv, project, out / "logs" / tree.dirname / name.replace(" ", "")/ direction, env)
            if not result.ok:
                raise SystemExit(f"{' '.join(argv)} failed in {project}: {result.error}")
            if rep:
                runs[name].append(result)
    base = statistics.median(r.wall for r in runs[variants[0][0]])
    digests = {r.stdout_sha1 for rs in runs.values() for r in rs}
    same = "same" if len(digests) == 1 else "DIFFERENT"
    rows = []
    for name, _ in variants:
        wall = statistics.median(r.wall for r in runs[name])
        cpu = statistics.median(r.cpu for r in runs[name])
        rows.append(
            f"| `{direction} {rng} --sql`, {label(tree)} | {name} | {wall:.2f} s | {cpu:.2f} s "
            f"| {base / wall:.2f}× | {same} |"
        )
    return rows


def label(tree: Tree) -> str:
    """The tree as a table row names it: shape, size and, unless classic, the kind of revisions."""
    kind = "" if tree.kind == "classic" else f" {tree.kind}"
    return f"{tree.shape} {tree.revisions}{kind}"


def split(python: Path, tree: Tree, out: Path, direction: str, jobs: int, repeat: int) -> list[str]:
    """Rows of the CPU split (``jobs_split.py``): serial parent CPU beside the parallel parent's critical path."""
    project, _heads = tree.build(out)
    rng = "base:head" if direction == "upgrade" else "head:base"
    found: dict[int, dict[str, list[float]]] = {1: {}, jobs: {}}
    for _ in range(repeat):
        for n in (1, jobs):
            clear_pycache(project)
            argv = [str(python), str(BENCH / "jobs_split.py"), "-c", CONFIG_NAME, "-q", direction, rng, "--sql", "--jobs", str(n)]
            done = subprocess.run(argv, cwd=project, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
            for name, cpu in _SPLIT.findall(done.stderr):
                found[n].setdefault(name, []).append(float(cpu))
    med = {n: {k: statistics.median(v) for k, v in parts.items()} for n, parts in found.items()}
    serial, parallel = med[1]["parent-total"], med[jobs]["parent-total"]
    worker = med[jobs].get("worker-render", 0.0)
    replay = med[jobs].get("parent-replay", 0.0)
    row = (
        f"| `{direction} {rng} --sql`, {label(tree)} | {serial:.2f} s ({med[1]['parent-loop']:.2f} s) "
        f"| {parallel:.2f} s ({med[jobs]['parent-loop']:.2f} s) | {worker:.2f} s | {replay:.3f} s "
        f"| {serial / parallel:.2f}× | {scaling(serial, parallel, worker, replay, jobs)} |"
    )
    return [row]


def scaling(serial: float, parallel: float, worker: float, replay: float, jobs: int) -> str:
    """Expected speed-up on 4 and 8 idle cores, and the ceiling, from one measurement at ``jobs``.

    Rendering is ``jobs`` x a worker's slice; the rest of the serial run stays
    serial; the parent's overhead at ``jobs`` (what its CPU exceeds the model
    by: forking, copy-on-write, reading the workers' results) is kept as is.
    """
    rendering = worker * jobs
    rest = max(serial - rendering, 1e-9)
    replay_all = replay * jobs / (jobs - 1)  # the replay of every step but the parent's own slice, per whole range
    overhead = max(parallel - (rest + worker + replay), 0.0)

    def at(n: int) -> float:
        return serial / (rest + rendering / n + replay_all * (n - 1) / n + overhead)

    # the workers' slices can cost more CPU than the serial run they replace (forks, imports):
    # then this measurement shows no serial part, and no ceiling
    ceiling = f"{serial / rest:.2f}×" if serial - rendering > 0.01 * serial else "none measured: workers' CPU >= serial"
    return f"{at(4):.2f}× / {at(8):.2f}× (ceiling {ceiling})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--shapes", nargs="+", default=["linear", "branchy"], choices=["linear", "branchy"])
    parser.add_argument("--kinds", nargs="+", default=["classic", "autogen"], choices=["classic", "autogen"],
                        help="revision shapes (bench/generate.py --kind)")
    parser.add_argument("--directions", nargs="+", default=["upgrade", "downgrade"], choices=["upgrade", "downgrade"])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="explicit --jobs values (the first is the base)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--limbeck", type=Path, default=VENV_BIN / "limbeck")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--write-results", action="store_true", help="put the tables into bench/RESULTS.md")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    lines = ["| command | jobs | wall (median) | CPU (median) | speed-up | script |", "|---|---|---|---|---|---|"]
    trees = [
        Tree(size, "postgresql", shape=shape, kind=kind) for kind in args.kinds for size in args.sizes for shape in args.shapes
    ]
    print("\n".join(lines), flush=True)
    for tree in trees:
        for direction in args.directions:
            for row in measure(args.limbeck, tree, args.out, direction, args.jobs, args.repeat):
                print(row, flush=True)
                lines.append(row)
    top = max(args.jobs)
    cpu = [
        "",
        (
            f"| command | parent CPU, --jobs 1 (loop) | parent CPU, --jobs {top} (loop) | worker CPU | replay CPU "
            "| critical-path ratio | expected on 4 / 8 idle cores |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    print("\n".join(cpu), flush=True)
    for tree in trees:
        for direction in args.directions:
            for row in split(args.limbeck.parent / "python", tree, args.out, direction, top, args.repeat):
                print(row, flush=True)
                cpu.append(row)
    if args.write_results:
        from report import write_section

        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        end_load = os.getloadavg()
        section = [
            BEGIN,
            "## Parallel offline rendering (`--sql --jobs N`)",
            "",
            (
                f"Written by `bench/jobs.py --write-results` ({stamp}; {args.repeat} interleaved runs per variant "
                f"after a warm-up, no `__pycache__`; nproc {os.cpu_count()}; load average {load[0]:.1f} at the "
                f"start, {end_load[0]:.1f} at the end). Wall and CPU are medians; CPU is the command's and its "
                "workers' user + system time; the speed-up is `--jobs 1` wall / this wall; `script` compares "
                "every run's stdout. The second table is `bench/jobs_split.py`: process CPU of the parent (and of "
                "its step loop), of a worker's slice and of the replay. Serial parent CPU / parallel parent CPU "
                "was taken as the speed-up to expect on idle cores, but on the 2-core machine, idle, the wall "
                "times of the first table are the answer: they were longer with two processes although the "
                "parent's CPU fell (2026-12-06), which is why `--jobs` is serial unless asked. The last "
                "column scales the CPU measurement, an estimate only: rendering (the workers' slices) divides by the cores, the rest "
                "of the run (start-up, importing every revision file, the replay) does not, and the parent's "
                "overhead measured here stays; the ceiling is serial CPU / the part that stays serial."
            ),
            "",
            *lines,
            *cpu,
            "",
            END,
        ]
        write_section(BENCH / "RESULTS.md", BEGIN, END, "\n".join(section))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
