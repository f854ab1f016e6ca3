"""How a ``limbeck`` process uses Python's cyclic garbage collector.

Only the command line changes anything here (``limbeck.cli.tune_gc``): a
library caller's process is its own business.

A migration run builds SQLAlchemy constructs for every operation, and most
of them are cyclic (a column points at its table and back), so the
collector has real work, about a tenth of an offline run. Two things make
that work smaller without keeping garbage: young collections happen less
often (bigger first-generation threshold, more objects die by reference
count before a scan), and everything that exists when the first step
starts (SQLAlchemy, env.py, the revision map: hundreds of thousands of
objects that live until the process ends) is frozen, so older-generation
collections no longer walk it over and over.
"""

from __future__ import annotations

import gc

__all__ = ["CLI_THRESHOLD", "DEFAULT_THRESHOLD", "before_steps", "tune_for_command"]

#: the interpreter's default collection thresholds
DEFAULT_THRESHOLD = (700, 10, 10)
#: young-generation size and older-generation ratios for a one-command process
CLI_THRESHOLD = (10_000, 20, 100)

_freeze_before_steps = False


def tune_for_command() -> None:
    """The ``limbeck`` process: raise the thresholds unless someone chose their own; freeze at the first step."""
    global _freeze_before_steps
    if gc.get_threshold() == DEFAULT_THRESHOLD:
        gc.set_threshold(*CLI_THRESHOLD)
        _freeze_before_steps = True


def before_steps() -> None:
    """Called when a run is about to execute its first step."""
    global _freeze_before_steps
    if _freeze_before_steps:
        _freeze_before_steps = False  # once: later runs of the same process add little
        gc.freeze()
