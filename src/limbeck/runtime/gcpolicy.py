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

import contextlib
import gc
from collections.abc import Iterator

__all__ = [
    "CLI_THRESHOLD", "DEFAULT_THRESHOLD", "INTERPRETER_DEFAULTS", "before_steps", "is_untouched", "paused_until_steps",
    "tune_for_command",
]

#: the collection thresholds CPython 3.10-3.12 start with
DEFAULT_THRESHOLD = (700, 10, 10)
#: the thresholds CPython releases start with: 3.10-3.12, 3.13 (a young generation of 2,000),
#: and 3.14's incremental collector (whose third value means nothing and reads 0). A process
#: still on one of them has not chosen its own; comparing with 3.10's alone left 3.13 untuned
#: and unfrozen (a cold offline downgrade of 1,000 revisions there: 0.054 s collecting, 0.021 s now)
INTERPRETER_DEFAULTS = frozenset({DEFAULT_THRESHOLD, (2000, 10, 10), (2000, 10, 0)})
#: young-generation size and older-generation ratios for a one-command process
CLI_THRESHOLD = (10_000, 20, 100)

_freeze_before_steps = False
#: the collector is off until the first step (see :func:`paused_until_steps`)
_paused = False


def tune_for_command() -> None:
    """The ``limbeck`` process: raise the thresholds unless someone chose their own; freeze at the first step."""
    global _freeze_before_steps
    if is_untouched(gc.get_threshold()):
        gc.set_threshold(*CLI_THRESHOLD)
        _freeze_before_steps = True


def is_untouched(threshold: tuple[int, int, int]) -> bool:
    """Whether ``threshold`` is what the interpreter started with (nobody chose their own)."""
    return tuple(threshold) in INTERPRETER_DEFAULTS


@contextlib.contextmanager
def paused_until_steps() -> Iterator[None]:
    """No cyclic collection from here to the first step (or the end of the block), in the command's process.

    What a migration command allocates before its first step (SQLAlchemy's
    modules, env.py, the revision map, every revision file's module) lives
    until the process ends and is frozen at the first step: each young
    collection before then only walks it (a few per cent of a run's time on
    a long history) and finds next to no garbage, which the freeze would
    keep anyway. Only where :func:`tune_for_command` armed the freeze.
    """
    global _paused
    if not _freeze_before_steps or not gc.isenabled():
        yield
        return
    gc.disable()
    _paused = True
    try:
        yield
    finally:
        if _paused:  # no step ran: collect again as before
            _paused = False
            gc.enable()


def before_steps() -> None:
    """Called when a run is about to execute its first step."""
    global _freeze_before_steps, _paused
    if _freeze_before_steps:
        _freeze_before_steps = False  # once: later runs of the same process add little
        gc.freeze()
    if _paused:
        _paused = False
        gc.enable()
