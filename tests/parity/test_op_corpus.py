"""The operation corpus against real Alembic 1.20.1, run at test time on all six dialects and SQLAlchemy's generic one.

Each case (``corpus_*.py``) runs offline through Alembic's Operations and
limbeck's; the statements must be the same text, or both must refuse with an
exception that code written for Alembic catches, or the difference must be one
of the departures in ``corpus_departures.py`` (each a README departure).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def _load(name: str) -> Any:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


common = _load("corpus_common")
departures = _load("corpus_departures")
MODULES = ("corpus_ops", "corpus_dialects", "corpus_batch", "corpus_data", "corpus_realworld")
CASES = [case for name in MODULES for case in _load(name).CASES]


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_listed_departures_name_cases() -> None:
    ids = [case.id for case in CASES]
    from fnmatch import fnmatchcase

    stale = [p for p in departures.LISTED if not any(fnmatchcase(i, p) for i in ids)]
    assert not stale, f"departures listed for no case: {stale}"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_limbeck_does_what_alembic_does(case: Any) -> None:
    pytest.importorskip("alembic")
    listed = {**departures.listed(case.id), **case.departures()}
    problems = []
    for dialect in case.dialects:
        theirs, ours = common.alembic_outcome(dialect, case), common.limbeck_outcome(dialect, case)
        difference = common.compare(theirs, ours)
        reason = listed.get(dialect)
        if difference is None:
            if reason is not None:
                problems.append(f"[{dialect}] listed as a departure ({reason!r}) but limbeck now does what Alembic does")
        elif reason is None and departures.systematic(dialect, theirs, ours) is None:
            problems.append(f"[{dialect}] {difference}")
    assert not problems, "\n".join(problems)
