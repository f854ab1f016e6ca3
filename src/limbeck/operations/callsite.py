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

Whether a load of ``name`` is the callee is first read from the stack: the
call that takes the entries the load pushed (and the NULL or ``self`` slot
that goes with a callable) calls that attribute, and with no jump between
the load and the call, the stack effect of each instruction
(``dis.stack_effect``) says exactly which call takes them. That walks the
few hundred bytes of the call's arguments at C speed, where reading the
instructions' source positions decodes the function's location table from
its start, one tuple per instruction (most of what the check cost). A call
the stack walk cannot decide (a jump or an ``EXTENDED_ARG`` between, star
arguments) is decided by the positions, as before. The walk's answer depends
on nothing but the code units from the load to the call, so it is kept by
them (a few hundred of the last ones): revision files written by one
generator (autogenerate) repeat the same call shapes file after file.
"""

from __future__ import annotations

import opcode
import sys
from itertools import accumulate, islice
from types import FrameType
from typing import Any

__all__ = ["result_discarded"]

_POP_TOP = opcode.opmap["POP_TOP"]
_CACHE = opcode.opmap.get("CACHE", -1)
_EXTENDED_ARG = opcode.opmap["EXTENDED_ARG"]
_CALLS = frozenset(opcode.opmap[n] for n in ("CALL", "CALL_KW", "CALL_FUNCTION_EX") if n in opcode.opmap)
#: attribute loads, with how their argument gives the index into ``co_names``
#: (3.12 and later list LOAD_METHOD as a pseudo-instruction numbered past 255: never in co_code)
_LOADS = {opcode.opmap[n]: shift for n, shift in (("LOAD_METHOD", 0), ("LOAD_ATTR", 1 if sys.version_info >= (3, 12) else 0))
          if n in opcode.opmap and opcode.opmap[n] < 256}
#: the stack level right after the call, counted from right after the attribute load, when that
#: load is the callee: the load's entries and the slot beside them taken, the result pushed. A method
#: load pushes two entries; the value of a plain one sits on a NULL pushed before it, except from 3.13
#: on, where the NULL comes after it (as an argument would: the level is back where the load left it)
_CALLEE_LEVEL: dict[tuple[int, int], int] = {
    (opcode.opmap["LOAD_ATTR"], 0): -1 if sys.version_info < (3, 13) else 0,
    (opcode.opmap["LOAD_ATTR"], 1): -1,  # 3.12 on: the method bit; 3.11: a name of odd index
}
if "LOAD_METHOD" in opcode.opmap and opcode.opmap["LOAD_METHOD"] < 256:  # 3.11
    _CALLEE_LEVEL.update({(opcode.opmap["LOAD_METHOD"], 0): -1, (opcode.opmap["LOAD_METHOD"], 1): -1})
#: calls the stack walk decides (not CALL_FUNCTION_EX, whose callable sits apart from a NULL)
_PLAIN_CALLS = frozenset(opcode.opmap[n] for n in ("CALL", "CALL_KW") if n in opcode.opmap)
#: instructions after which the next one is not always the one that runs
_JUMPS = frozenset(op for op in (*opcode.hasjrel, *opcode.hasjabs) if op < 256)


class _Effects(dict):  # type: ignore[type-arg]
    """Code unit (opcode and argument as one native-order 16-bit value) -> its stack effect, or None."""

    def __missing__(self, unit: int) -> int | None:
        op, arg = (unit & 0xFF, unit >> 8) if sys.byteorder == "little" else (unit >> 8, unit & 0xFF)
        effect: int | None
        if op in _JUMPS or op == _EXTENDED_ARG:
            effect = None  # the walk cannot follow a jump or read a wider argument
        else:
            try:
                effect = opcode.stack_effect(op, arg) if op >= opcode.HAVE_ARGUMENT else opcode.stack_effect(op)
            except ValueError:
                effect = None
        self[unit] = effect
        return effect


_EFFECTS = _Effects()

#: the stack walk's answers by the code units it read (the load through the call): the answer depends
#: on nothing else, and scripts written by one generator repeat the same call shapes file after file
_WALKS: dict[bytes, bool | None] = {}
_WALKS_KEPT = 256


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
    if raw[lasti] in _PLAIN_CALLS:
        undecided = False
        for unit in sorted(candidates, reverse=True):  # the nearest load first: usually the callee
            units = raw[unit * 2 : lasti + 2]
            callee = _WALKS[units] if units in _WALKS else _walked(units)
            if callee:
                return True
            undecided = undecided or callee is None
        if not undecided:
            return False
    # positions of the instructions up to the call (one per code unit, caches included)
    positions = list(islice(code.co_positions(), lasti // 2 + 1))
    call_start = positions[-1][::2]  # (line, column) where the call expression starts
    if None in call_start:
        return False
    # the load that starts the call expression is the callee: `<x>.name` itself
    return any(positions[unit][::2] == call_start for unit in candidates)


def _walked(units: bytes) -> bool | None:
    if len(_WALKS) >= _WALKS_KEPT:
        _WALKS.clear()
    callee = _WALKS[units] = _callee_by_stack(units, 0, len(units) - 2)
    return callee


def _callee_by_stack(raw: bytes, load: int, call: int) -> bool | None:
    """Whether the attribute load at byte ``load`` is the callee of the call at byte ``call``; None: cannot tell.

    Counting the stack from right after the load, nothing before ``call``
    may take what the load pushed (the level never goes below zero), and
    ``call`` must take it with its slot beside it (:data:`_CALLEE_LEVEL`).
    """
    expected = _CALLEE_LEVEL.get((raw[load], raw[load + 1] & 1))
    if expected is None:
        return None
    # most code units are inline caches (CACHE, argument 0: the unit 0, no stack effect): left out
    effects: Any = map(_EFFECTS.__getitem__, filter(None, memoryview(raw)[load + 2 : call + 2].cast("H")))
    try:
        levels = list(accumulate(effects))
    except TypeError:  # a None: a jump, a wide argument or an unknown instruction between
        return None
    return levels[-1] == expected and (len(levels) == 1 or min(levels[:-1]) >= 0)
