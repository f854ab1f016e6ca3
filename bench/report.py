"""Markdown for benchmark results: tables, targets with PASS/FAIL, RESULTS.md.

Targets are the figures the project's issues ask for. A target whose
scenario could not run for limbeck (command missing, crashed) says NOT RUN
with the reason, so a failure is never mistaken for a slow pass.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import subprocess
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from runner import Outcome
from scenarios import LINEARITY_SIZES, Scenario

Results = Mapping[str, Mapping[str, Outcome]]  # scenario name -> tool name -> outcome
Probes = Mapping[str, tuple[set[str], str]]  # scenario name -> (modules imported, error)


@dataclass(frozen=True)
class Target:
    scenario: str
    text: str
    max_seconds: float | None = None
    min_ratio: float | None = None
    forbidden_import: str | None = None


TARGETS = (
    Target("help", "`limbeck --help` < 0.12 s", max_seconds=0.12),
    Target("help", "`--help` never imports SQLAlchemy", forbidden_import="sqlalchemy"),
    Target("heads-1k", "`heads` 1k < 0.25 s without cache", max_seconds=0.25),
    Target("heads-1k", "`heads` 1k >= 5x faster than Alembic", min_ratio=5),
    Target("heads-1k", "`heads` never imports SQLAlchemy", forbidden_import="sqlalchemy"),
    Target("history-1k", "`history` 1k < 0.25 s without cache", max_seconds=0.25),
    Target("history-1k", "`history` 1k >= 5x faster than Alembic", min_ratio=5),
    Target("history-1k", "`history` never imports SQLAlchemy", forbidden_import="sqlalchemy"),
    Target("heads-5k", "`heads` 5k >= 10x faster", min_ratio=10),
    Target("history-5k", "`history` 5k >= 10x faster", min_ratio=10),
    Target("upgrade-sql-1k", "`upgrade --sql` 1k >= 2x faster", min_ratio=2),
    Target("downgrade-sql-1k", "`downgrade --sql` 1k >= 3x faster", min_ratio=3),
    Target("upgrade-sql-1k-autogen-linear", "`upgrade --sql` 1k autogenerate-shaped, linear >= 2x", min_ratio=2),
    Target("downgrade-sql-1k-autogen-linear", "`downgrade --sql` 1k autogenerate-shaped, linear >= 3x", min_ratio=3),
    Target("upgrade-sql-1k-autogen-branchy", "`upgrade --sql` 1k autogenerate-shaped, branchy >= 2x", min_ratio=2),
    Target("downgrade-sql-1k-autogen-branchy", "`downgrade --sql` 1k autogenerate-shaped, branchy >= 3x", min_ratio=3),
    Target("upgrade-sql-1k-autogen-linear-1cpu", "the same, one core: `upgrade --sql` linear >= 2x", min_ratio=2),
    Target("downgrade-sql-1k-autogen-linear-1cpu", "the same, one core: `downgrade --sql` linear >= 3x", min_ratio=3),
    Target("upgrade-sql-1k-autogen-branchy-1cpu", "the same, one core: `upgrade --sql` branchy >= 2x", min_ratio=2),
    Target("downgrade-sql-1k-autogen-branchy-1cpu", "the same, one core: `downgrade --sql` branchy >= 3x", min_ratio=3),
    # the same offline targets, caches kept (Alembic's .pyc files, limbeck's code cache): users mostly run warm
    *(Target(f"{direction}-sql-1k-autogen-{shape}{cpu}-cached",
             f"warm{', one core' if cpu else ''}: `{direction} --sql` {shape} >= {ratio}x", min_ratio=ratio)
      for direction, ratio in (("upgrade", 2), ("downgrade", 3)) for shape in ("linear", "branchy")
      for cpu in ("", "-1cpu")),
    Target("current-5k", "`current` 5k >= 10x faster", min_ratio=10),
    # issue 14 item 2: read-only commands on 5,000 revisions, caches warm and cold
    *(Target(f"{verb}-5k{cached}", f"`{verb}` 5k{' warm' if cached else ' cold'} >= 15x faster", min_ratio=15)
      for verb in ("heads", "history", "branches", "current") for cached in ("-cached", "")),
    Target("upgrade-online-100", "online `upgrade` 100 revisions >= 2x faster", min_ratio=2),
)


def seconds(value: float) -> str:
    return f"{value:.3f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def _failed(outcome: Outcome | None) -> str:
    if outcome is None:
        return "not run"
    assert outcome.failure is not None
    return f"FAILED: exit {outcome.failure.status}: {outcome.failure.error}".replace("|", "\\|")


def ratio(outcomes: Mapping[str, Outcome], cpu: bool = False) -> float | None:
    """alembic / limbeck of the median wall time (or median CPU time)."""
    lim, ale = outcomes.get("limbeck"), outcomes.get("alembic")
    if lim is None or ale is None or not lim.ok or not ale.ok:
        return None
    if cpu:
        return ale.cpu / lim.cpu if lim.cpu else None
    return ale.median / lim.median


def main_table(scenarios: list[Scenario], results: Results, tools: list[str]) -> str:
    head = ["Scenario"]
    for tool in tools:
        head += [f"{tool} median", f"{tool} min", f"{tool} CPU", f"{tool} peak RSS"]
    if len(tools) > 1:
        head += ["alembic/limbeck", "CPU ratio", "same stdout"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for scenario in scenarios:
        outcomes = results.get(scenario.name)
        if outcomes is None:
            continue
        cells = [scenario.name]
        for tool in tools:
            o = outcomes.get(tool)
            cells += ([seconds(o.median), seconds(o.best), seconds(o.cpu), mib(o.peak_rss_kib)]
                      if o and o.ok else [_failed(o), "", "", ""])
        if len(tools) > 1:
            r = ratio(outcomes)
            cells.append(f"{r:.1f}x" if r is not None else "n/a")
            c = ratio(outcomes, cpu=True)
            cells.append(f"{c:.1f}x" if c is not None else "n/a")
            cells.append(same_stdout(outcomes, tools))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def same_stdout(outcomes: Mapping[str, Outcome], tools: list[str]) -> str:
    """"yes", "n/a", or "no" with how many lines differ (order ignored)."""
    oks = [outcomes[t] for t in tools if t in outcomes and outcomes[t].ok]
    if len(oks) != len(tools) or len(oks) < 2:
        return "n/a"
    if len({o.stdout_sha1 for o in oks}) == 1:
        return "yes"
    paths = [o.stdout_path for o in oks]
    if any(p is None or not p.exists() for p in paths):
        return "no"
    first, second = (Counter(p.read_text(encoding="utf-8", errors="replace").splitlines()) for p in paths[:2])
    return f"no ({sum(((first - second) + (second - first)).values())} lines differ)"


def _fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line t = a + b*n; returns (a seconds, b seconds per revision)."""
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    b = sum((p[0] - mx) * (p[1] - my) for p in points) / sxx if sxx else 0.0
    return my - b * mx, b


def linearity_table(results: Results, tools: list[str]) -> str:
    """Per command and tool: time and time per revision at each size, and the fitted line.

    Times are the median CPU time (user + system) of the child: growth is a
    property of the algorithm, and CPU time does not count the waits that
    other load on the machine adds to wall time. Linear growth shows as a steady marginal cost: the cost per added
    revision from 1000 to 2000 should not exceed 1.5x the cost from 250 to
    1000 (the fixed start-up cost cancels out of both).
    """
    head = ["Command", "Tool", *[f"N={n}" for n in LINEARITY_SIZES], "fit: start + per rev",
            "marginal 250→1000 / 1000→2000", "linear?"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for command in ("heads", "history", "upgrade-sql"):
        for tool in tools:
            points = []
            cells = [command, tool]
            for n in LINEARITY_SIZES:
                o = results.get(f"linearity:{command}-{n}", {}).get(tool)
                if o is not None and o.ok:
                    points.append((n, o.cpu))
                    cells.append(f"{o.cpu:.3f} s ({o.cpu / n * 1000:.2f} ms/rev)")
                else:
                    cells.append(_failed(o) if o is not None else "not run")
            cells += _linearity_cells(dict(points))
            rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _linearity_cells(times: dict[int, float]) -> list[str]:
    if len(times) < 2:
        return ["n/a", "n/a", "n/a"]
    a, b = _fit(sorted(times.items()))
    fit = f"{a:.3f} s + {b * 1000:.3f} ms/rev"
    if not all(n in times for n in (250, 1000, 2000)):
        return [fit, "n/a", "n/a"]
    early = (times[1000] - times[250]) / 750
    late = (times[2000] - times[1000]) / 1000
    verdict = "yes" if late <= 1.5 * early else "NO"
    return [fit, f"{early * 1000:.3f} / {late * 1000:.3f} ms/rev", verdict]


def evaluate(target: Target, results: Results, probes: Probes) -> tuple[str, str]:
    """(measured figure, verdict) for one target."""
    outcomes = results.get(target.scenario)
    if outcomes is None:
        return "", "NOT RUN (scenario not selected)"
    lim = outcomes.get("limbeck")
    if lim is None or not lim.ok:
        return "", f"NOT RUN (limbeck {_failed(lim)})"
    if target.max_seconds is not None:
        measured = f"{seconds(lim.median)} (CPU {seconds(lim.cpu)})"
        return measured, "PASS" if lim.median < target.max_seconds else "FAIL"
    if target.min_ratio is not None:
        r = ratio(outcomes)
        if r is None:
            return "", f"NOT RUN (alembic {_failed(outcomes.get('alembic'))})"
        c = ratio(outcomes, cpu=True)
        measured = f"{r:.1f}x" + (f" (CPU {c:.1f}x)" if c is not None else "")
        return measured, "PASS" if r >= target.min_ratio else "FAIL"
    modules, error = probes.get(target.scenario, (set(), "not probed"))
    if error:
        return "", f"NOT RUN (probe {error})".replace("|", "\\|")
    imported = target.forbidden_import in modules
    return ("imports it" if imported else "not imported"), "FAIL" if imported else "PASS"


def targets_table(results: Results, probes: Probes) -> str:
    rows = ["| Target | Measured | Verdict |", "|---|---|---|"]
    for target in TARGETS:
        measured, verdict = evaluate(target, results, probes)
        rows.append(f"| {target.text} | {measured} | {verdict} |")
    return "\n".join(rows)


def _versions(python: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, platform\n"
        "print('Python', platform.python_version())\n"
        "for d in ('SQLAlchemy', 'alembic', 'limbeck'):\n"
        "    try: print(d, m.version(d))\n"
        "    except m.PackageNotFoundError: print(d, 'not installed')\n"
    )
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(python: Path) -> list[str]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    found = _versions(python)
    lines = [f"nproc {cpus}", f"CPU {_cpu_model()}", f"{platform.system()} {platform.release()}"]
    if hasattr(os, "getloadavg"):
        lines.append("load average at the end {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg()))
    lines += [f"{name} {found.get(name, 'unknown')}" for name in ("Python", "SQLAlchemy", "alembic", "limbeck")]
    return lines


def checkout() -> str:
    """The commit the measured limbeck was at, and whether the tree had edits."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "src"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + (" with uncommitted changes in src/" if dirty else "")


def failures(results: Results) -> list[str]:
    found = []
    for name, outcomes in results.items():
        for tool, o in outcomes.items():
            if o.failure is not None:
                found.append(f"- `{name}` / {tool}: exit {o.failure.status}: `{o.failure.error}`")
    return found


_FOREIGN_SECTION = re.compile(r"<!-- ([\w-]+):begin -->.*?<!-- \1:end -->\n?", re.DOTALL)


def write_section(results: "os.PathLike[str] | str", begin: str, end: str, section: str) -> None:
    """Put ``section`` (which starts with ``begin`` and ends with ``end``) into the results file.

    Replaces the block between the markers, or appends one; the other
    scripts' blocks and ``run.py``'s tables are left as they are.
    """
    from pathlib import Path

    path = Path(results)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        start, stop = text.index(begin), text.index(end) + len(end)
        text = text[:start] + section + text[stop:]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def written_at() -> str:
    """When a results block is written and how busy the machine was then (its figures are wall times)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{now:%Y-%m-%d %H:%M} UTC, load average at the end {load}"


def write_table_section(results: "os.PathLike[str] | str", name: str, title: str, intro: str,
                        table: list[str]) -> None:
    """:func:`write_section` for a script's own block: ``<!-- name:begin -->``, a heading, one
    paragraph saying how the figures were taken, the table."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    write_section(results, begin, end, "\n".join([begin, f"## {title}", "", intro, "", *table, "", end]))


def foreign_sections(previous: str) -> list[str]:
    """Blocks other scripts keep in RESULTS.md between ``<!-- NAME:begin/end -->`` markers.

    run.py rewrites the file, but such blocks (e.g. autogen_compare.py's)
    belong to other benchmarks and are carried over unchanged.
    """
    return [m.group(0).rstrip("\n") + "\n" for m in _FOREIGN_SECTION.finditer(previous)]


def document(*, command: str, python: Path, repeat: int, body: list[str],
             load_start: tuple[float, float, float] | None = None, keep: list[str] | None = None) -> str:
    """The whole RESULTS.md: provenance first, then the sections in ``body``."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py --write-results`; do not edit by hand, re-run it. "
        "See bench/README.md for what each scenario measures.",
        "",
        f"- Date: {stamp}",
        f"- Command: `{command}`",
        f"- Repetitions: {repeat} timed runs per tool and scenario (after one untimed warm-up), interleaved",
        "- Machine: " + "; ".join(machine(python)),
        f"- limbeck checkout: {checkout()}",
        *([f"- Load average at the start: {load_start[0]:.1f} / {load_start[1]:.1f} / {load_start[2]:.1f} "
           "(1 / 5 / 15 min; other work on the machine inflates wall times, CPU times less so)"]
          if load_start else []),
        "",
    ]
    text = "\n".join(head + body) + "\n"
    for block in keep or []:
        text += ("" if text.endswith("\n\n") else "\n") + block
    return text
