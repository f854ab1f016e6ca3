"""Whether the statement that called an ``op.*`` method throws its result away.

``op.create_table()`` returns the SQLAlchemy ``Table`` it creates, as
Alembic's does, so a script can ``bulk_insert`` into it. Building that
``Table`` (columns attached, constraints resolved, foreign key targets
stubbed) is most of what a ``create_table`` costs an offline run whose DDL
comes from a template (:mod:`limbeck.runtime.ddl_templates`), and almost
every script writes ``op.create_table(...)`` as a statement of its own,
which discards it. :func:`result_discarded` reads that from the caller's
bytecode: the call instruction running now is ``<x>.<name>(...)`` (the
attribute load of ``name`` starts where the call does, so no C function such
as ``map`` or ``list.extend`` stands between the call and the method) and
the next instruction is ``POP_TOP``. Anything else, or an interpreter
without instruction positions (before 3.11), answers False: the caller gets
its value.
"""

from __future__ import annotations

import opcode
import sys
from itertools import islice
from types import FrameType

__all__ = ["result_discarded"]

_POP_TOP = opcode.opmap["POP_TOP"]
_CACHE = opcode.opmap.get("CACHE", -1)
_EXTENDED_ARG = opcode.opmap["EXTENDED_ARG"]
_CALLS = frozenset(opcode.opmap[n] for n in ("CALL", "CALL_KW", "CALL_FUNCTION_EX") if n in opcode.opmap)
#: attribute loads, with how their argument gives the index into ``co_names``
#: (3.12 and later list LOAD_METHOD as a pseudo-instruction numbered past 255: never in co_code)
_LOADS = {opcode.opmap[n]: shift for n, shift in (("LOAD_METHOD", 0), ("LOAD_ATTR", 1 if sys.version_info >= (3, 12) else 0))
          if n in opcode.opmap and opcode.opmap[n] < 256}


def result_discarded(frame: FrameType | None, name: str) -> bool:
    """Whether ``frame`` is executing ``<x>.name(...)`` as a statement whose value is dropped.

    Reading bytecode is version-specific (a release may number or lay out its
    instructions differently): anything unexpected answers False, so the caller
    gets its value as always, never an error.
    """
    try:
        return _discarded(frame, name)
    except Exception:
        return False


def _discarded(frame: FrameType | None, name: str) -> bool:
    if frame is None or not _CALLS or sys.version_info < (3, 11):
        return False
    code = frame.f_code
    raw = code.co_code
    lasti = frame.f_lasti
    if lasti < 0 or lasti + 1 >= len(raw):
        return False
    while lasti > 0 and raw[lasti] == _CACHE:  # 3.11 reports the call's last inline cache entry
        lasti -= 2
    if raw[lasti] not in _CALLS:
        return False
    after = lasti + 2
    while after < len(raw) and raw[after] == _CACHE:
        after += 2
    if after >= len(raw) or raw[after] != _POP_TOP:
        return False
    try:
        name_index = code.co_names.index(name)
    except ValueError:
        return False
    # the loads of `name` before the call: opcode and argument bytes at an even offset (C-speed search)
    candidates = []
    for op, shift in _LOADS.items():
        for arg in {name_index << shift, (name_index << shift) | shift}:  # 3.12: the low bit says "method"
            if arg > 255:
                continue
            pattern, end = bytes((op, arg)), lasti
            while (found := raw.rfind(pattern, 0, end)) >= 0:
                if found % 2 == 0 and (found == 0 or raw[found - 2] != _EXTENDED_ARG):
                    candidates.append(found // 2)
                end = found + 1
    if not candidates:
        return False
    # positions of the instructions up to the call (one per code unit, caches included)
    positions = list(islice(code.co_positions(), lasti // 2 + 1))
    call_start = positions[-1][::2]  # (line, column) where the call expression starts
    if None in call_start:
        return False
    # the load that starts the call expression is the callee: `<x>.name` itself
    return any(positions[unit][::2] == call_start for unit in candidates)
