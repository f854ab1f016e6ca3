"""Timing one child process: wall time, peak RSS, exit status, the error line.

Children are started with Popen and reaped with ``os.wait4`` so the rusage
(and so ``ru_maxrss``) is that child's own, not the sum over every child the
benchmark has run. Output goes to files, never pipes: ``history`` on 5,000
revisions or ``upgrade --sql`` would fill a pipe and stall the child.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    max_rss_kib: int  # ru_maxrss: KiB on Linux
    status: int  # exit status, or -signal
    error: str  # the line of stderr that says what went wrong ("" when status is 0)
    stdout_sha1: str

    @property
    def ok(self) -> bool:
        return self.status == 0


def error_line(stderr: str) -> str:
    """The stderr line that best says why a command failed.

    That is the first line, except where the first line carries no
    information: a traceback's header (then its last line, the exception) or
    INFO logging that env.py printed before the failure (then the first line
    after it).
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return ""
    if lines[0].startswith("Traceback"):
        return lines[-1]
    for line in lines:
        if not line.startswith(("INFO ", "INFO\t")):
            return line
    return lines[0]


_GROUP = re.compile(r"\(([^()]*, [^()]*)\)")


def normalized(stdout: str) -> str:
    """Output with comma-separated lists in parentheses sorted.

    Alembic prints a revision's branch labels in set order, which changes
    from run to run with hash randomisation; sorting them lets two outputs
    be compared for meaning.
    """
    return _GROUP.sub(lambda m: "(" + ", ".join(sorted(m.group(1).split(", "))) + ")", stdout)


def run(argv: Sequence[str], cwd: Path, scratch: Path, env: dict[str, str] | None = None,
        normalize: bool = False) -> Run:
    """Run ``argv`` in ``cwd``; ``scratch`` receives its stdout and stderr files.

    ``normalize`` hashes the :func:`normalized` stdout (for revision listings).
    """
    scratch.mkdir(parents=True, exist_ok=True)
    out_path, err_path = scratch / "stdout.txt", scratch / "stderr.txt"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        except OSError as exc:  # missing or non-executable script: a result, not a crash
            return Run(0.0, 0.0, 0, 127, f"cannot start {argv[0]}: {exc.strerror or exc}", "")
        _, wait_status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(wait_status)  # keeps Popen from reaping again
    status = proc.returncode
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    stdout = out_path.read_bytes()
    if normalize:
        stdout = normalized(stdout.decode("utf-8", errors="replace")).encode("utf-8")
    digest = hashlib.sha1(stdout).hexdigest()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, status, "" if status == 0 else error_line(stderr) or "(no stderr)", digest)


def clear_pycache(root: Path) -> None:
    """Delete every ``__pycache__`` under ``root`` (both tools' caches live there)."""
    for cache in sorted(root.rglob("__pycache__"), reverse=True):
        shutil.rmtree(cache, ignore_errors=True)
