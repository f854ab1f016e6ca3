"""The autogenerate corpus against real Alembic 1.20.1, run at test time.

Rendering cases (``agcorpus_render_*.py``) build operation records as
Alembic's own rendering tests do and render them with both libraries in this
process; the two must be the same code with the same imports (see
``agcorpus_common``), or the case names the README departure it shows, and
then it must still differ.
"""

from __future__ import annotations

from typing import Any

import pytest

from . import agcorpus_common as common
from . import agcorpus_departures as departures
from . import agcorpus_render_ops, agcorpus_render_tables

RENDER = [*agcorpus_render_ops.CASES, *agcorpus_render_tables.CASES]


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in RENDER]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_listed_departures_name_cases() -> None:
    from fnmatch import fnmatchcase

    ids = [c.id for c in RENDER]
    stale = [p for p in departures.LISTED if not any(fnmatchcase(i, p) for i in ids)]
    assert not stale, f"departures listed for no case: {stale}"


@pytest.mark.parametrize("case", RENDER, ids=[c.id for c in RENDER])
def test_renders_what_alembic_renders(case: Any) -> None:
    pytest.importorskip("alembic")
    theirs = common.render(common.alembic_api(), case)
    ours = common.render(common.limbeck_api(), case)
    difference = common.compare(theirs, ours)
    why = departures.reason(case.id)
    if why is None:
        assert difference is None, difference
    else:
        assert difference is not None, f"listed as a departure ({why}) but limbeck now renders what Alembic does"
