"""Per-revision progress on stderr.

stdout belongs to SQL (offline) and to command output; progress goes to
stderr so ``limbeck upgrade head --sql > change.sql`` stays clean. On a
terminal the lines are drawn as a bar that rewrites itself; elsewhere (CI
logs, pipes) each revision gets one plain line with its time.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Reports each step of a run: which revision, its message, how long it took."""

    def __init__(self, total: int, *, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet or total == 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._count = 0
        self._started = 0.0
        self._label = ""

    def start(self, label: str) -> None:
        self._count += 1
        self._label = label
        self._started = time.perf_counter()
        if not self.quiet and self.tty:
            self._draw(label)

    def done(self) -> float:
        elapsed = time.perf_counter() - self._started
        if self.quiet:
            return elapsed
        if self.tty:
            self._draw(self._label, elapsed)
            if self._count == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"Running {self._label} ({elapsed:.3f}s)\n")
        self.stream.flush()
        return elapsed

    def _draw(self, label: str, elapsed: float | None = None) -> None:
        width = 24
        filled = width * (self._count - (0 if elapsed is not None else 1)) // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        tail = f" {elapsed:.3f}s" if elapsed is not None else ""
        text = f"\r[{bar}] {self._count}/{self.total} {label}{tail}"
        self.stream.write(text[:160].ljust(80))
        self.stream.flush()
