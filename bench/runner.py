"""Running scenarios for each tool: interleaved repetitions and their summary.

Repetitions alternate between the tools (limbeck, alembic, limbeck, ...) so
slow drift of the machine (thermal, other load) hits both alike. Each tool
gets one untimed warm-up run per scenario to fill the OS file cache; a tool
that fails there, or in any timed run, is recorded as failed with its exit
status and error line, and is not run again for that scenario.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from measure import Run, error_line, run
from scenarios import Scenario, Tree

CONFIG_NAME = "alembic.ini"
# What could make the two tools read different projects or skip caches.
#: how old a tree's files must be before a cached scenario warms up (limbeck's racy window is 2 s)
SETTLE_SECONDS = 2.5
SCRUBBED_ENV = ("ALEMBIC_CONFIG", "LIMBECK_CONFIG", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")


@dataclass(frozen=True)
class Tool:
    """A command-line tool under test: its name and console script."""

    name: str
    script: Path

    def argv(self, scenario: Scenario) -> list[str]:
        # one core for both tools: limbeck's --jobs default and precompile child see one CPU
        prefix = ["taskset", "-c", "0"] if scenario.one_core and shutil.which("taskset") else []
        if scenario.tree is None:
            return [*prefix, str(self.script), *scenario.args]
        return [*prefix, str(self.script), "-c", CONFIG_NAME, *scenario.args]


@dataclass
class Outcome:
    """All runs of one tool in one scenario."""

    runs: list[Run] = field(default_factory=list)
    failure: Run | None = None
    stdout_path: Path | None = None  # output of the last run, kept for comparison

    @property
    def ok(self) -> bool:
        return self.failure is None and bool(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_rss_kib(self) -> int:
        return max(r.max_rss_kib for r in self.runs)

    @property
    def stdout_sha1(self) -> str:
        return self.runs[-1].stdout_sha1 if self.runs else ""


def ram_root() -> Path | None:
    """A writable directory on tmpfs (``/dev/shm``) for trees that must not hit the disk."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        return None
    root = shm / f"limbeck-bench-{os.getuid()}"
    root.mkdir(exist_ok=True)
    return root


def child_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}


def tool_available(python: Path, tool: Tool, module: str) -> str:
    """Empty when ``tool`` can run; otherwise why not (one line)."""
    if not tool.script.exists():
        return f"{tool.script} does not exist"
    probe = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True, text=True, env=child_env())
    if probe.returncode:
        lines = probe.stderr.strip().splitlines()
        return f"`import {module}` fails: {lines[-1] if lines else probe.returncode}"
    return ""


class Runner:
    """Builds trees once per run and measures scenarios with them."""

    def __init__(self, tools: list[Tool], repeat: int, out: Path, verbose: bool = True) -> None:
        self.tools = tools
        self.repeat = repeat
        self.out = out
        self.verbose = verbose
        self.trees: dict[Tree, tuple[Path, list[str]]] = {}
        #: when each tree was written (see :meth:`settle`)
        self.written: dict[Tree, float] = {}
        self.done: dict[tuple[object, ...], dict[str, Outcome]] = {}
        self.env = child_env()
        self.ram_root = ram_root()

    def log(self, text: str) -> None:
        if self.verbose:
            print(text, file=sys.stderr, flush=True)

    def project(self, scenario: Scenario) -> Path:
        """The directory a scenario runs in (a generated tree, or an empty one)."""
        if scenario.tree is None:
            empty = self.out / "empty"
            empty.mkdir(parents=True, exist_ok=True)
            return empty
        if scenario.tree not in self.trees:
            root = self.ram_root if scenario.tree.ram and self.ram_root else self.out
            self.log(f"  generating {root / scenario.tree.dirname}")
            self.trees[scenario.tree] = scenario.tree.build(root)
            self.written[scenario.tree] = time.time()
        return self.trees[scenario.tree][0]

    def settle(self, scenario: Scenario) -> None:
        """Before a ``-cached`` scenario: let the tree's files age past limbeck's 2 s window.

        limbeck keeps no graph cache of files modified within 2 s of reading
        them (a second edit in the same timestamp tick could go unseen), so
        the warm-up right after generating a tree would leave it cold.
        """
        written = self.written.get(scenario.tree) if scenario.tree is not None else None
        if written is not None and scenario.before_each is None:
            time.sleep(max(0.0, written + SETTLE_SECONDS - time.time()))

    def measure(self, scenario: Scenario) -> dict[str, Outcome]:
        """Outcomes per tool name; a measurement with the same key is reused."""
        if scenario.key in self.done:
            return self.done[scenario.key]
        cwd = self.project(scenario)
        if scenario.setup is not None and scenario.tree is not None:
            scenario.setup(cwd, self.trees[scenario.tree][1])
        self.settle(scenario)
        outcomes = {tool.name: Outcome() for tool in self.tools}
        logs = self.out / "logs" / scenario.name.replace(":", "_")
        env = {**self.env, **dict(scenario.env)}
        for rep in range(self.repeat + 1):  # repetition 0 is the warm-up
            for tool in self.tools:
                outcome = outcomes[tool.name]
                if outcome.failure is not None:
                    continue
                if scenario.before_each is not None:
                    scenario.before_each(cwd)
                result = run(tool.argv(scenario), cwd, logs / tool.name, env,
                             normalize=scenario.lists_revisions)
                outcome.stdout_path = logs / tool.name / "stdout.txt"
                if not result.ok:
                    outcome.failure = result
                elif rep:
                    outcome.runs.append(result)
        self.done[scenario.key] = outcomes
        self.log(f"{scenario.name}: " + "; ".join(_summary(n, o) for n, o in outcomes.items()))
        return outcomes


def _summary(name: str, outcome: Outcome) -> str:
    if outcome.failure is not None:
        return f"{name} FAILED (exit {outcome.failure.status}: {outcome.failure.error})"
    return f"{name} median {outcome.median:.3f}s"


def imported_modules(python: Path, argv: list[str], cwd: Path) -> tuple[set[str], str]:
    """Top-level modules a command imports (via ``-X importtime``), or why it failed."""
    proc = subprocess.run([str(python), "-X", "importtime", *argv], cwd=cwd, capture_output=True,
                          text=True, env=child_env())
    modules: set[str] = set()
    other: list[str] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:"):
            other.append(line)
        elif "|" in line and not line.endswith("imported package"):
            modules.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    if proc.returncode:
        return modules, f"exit {proc.returncode}: {error_line(chr(10).join(other))}"
    return modules, ""
