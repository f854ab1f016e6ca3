"""Every case agrees with Alembic's recorded output, or says why it does not.

``alembic_facts.json`` holds what Alembic rendered for each case
(``record_alembic.py``). A case's dialect either matches that fact (same
statements, or both refuse) or is listed in ``Case.differs`` with the reason
limbeck deliberately does better; a listed dialect that in fact matches is
an error too, so the list stays honest.
"""

from __future__ import annotations

import json
from typing import Any

import limbeck_dialect_cases as cases
import pytest
from limbeck_dialect_cases import Case, Error, Warn

_record = cases.HERE / "record_alembic.py"


def _load_tables() -> list[Case]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("limbeck_dialect_recorder", _record)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.load_cases())


ALL_CASES = _load_tables()
FACTS: dict[str, Any] = json.loads(cases.FACTS.read_text())["cases"]


def _ours(expected: Any) -> dict[str, Any]:
    if isinstance(expected, Error):
        return {"error": expected.exc.__name__}
    if isinstance(expected, Warn):
        return {"sql": cases.as_list(expected.sql)}
    return {"sql": cases.as_list(expected)}


def _same(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    if "error" in ours or "error" in theirs:
        return "error" in ours and "error" in theirs
    return bool(ours["sql"] == theirs["sql"])


@pytest.mark.parametrize("case,dialect", list(cases.params(ALL_CASES)))
def test_matches_alembic_or_says_why(case: Case, dialect: str) -> None:
    theirs = FACTS.get(case.id, {}).get(dialect)
    assert theirs is not None, f"no Alembic fact for {case.id}/{dialect}: run tests/dialects/record_alembic.py"
    ours = _ours(case.per_dialect()[dialect])
    reason = case.differences().get(dialect)
    if reason is None:
        assert _same(ours, theirs), f"differs from Alembic ({theirs}) without a reason in Case.differs"
    else:
        assert not _same(ours, theirs), f"listed as differing ({reason!r}) but equal to Alembic"


def _alembic_exception(name: str) -> type[BaseException]:
    """The class migration code would catch for Alembic's recorded exception ``name``.

    Inside a limbeck run ``alembic.util.CommandError`` is limbeck's
    ``CommandError``; SQLAlchemy's ``UnsupportedCompilationError`` is caught
    as its base ``CompileError`` (its constructor takes a compiler object,
    nothing a refusal before compiling has).
    """
    import builtins

    import sqlalchemy.exc

    from limbeck.errors import CommandError

    if name == "CommandError":
        return CommandError
    if name == "UnsupportedCompilationError":
        return sqlalchemy.exc.CompileError
    found = getattr(builtins, name, None) or getattr(sqlalchemy.exc, name)
    assert isinstance(found, type) and issubclass(found, BaseException)
    return found


BOTH_REFUSE = [
    pytest.param(case, dialect, id=f"{case.id}-{dialect}")
    for case in ALL_CASES
    for dialect, expected in case.per_dialect().items()
    if isinstance(expected, Error) and "error" in FACTS.get(case.id, {}).get(dialect, {})
]


@pytest.mark.parametrize("case,dialect", BOTH_REFUSE)
def test_refusals_are_caught_as_alembic_s(case: Case, dialect: str) -> None:
    """Where both refuse, code catching Alembic's exception catches limbeck's (with limbeck's message)."""
    wanted = _alembic_exception(FACTS[case.id][dialect]["error"])
    with pytest.raises(wanted):
        cases.limbeck_statements(dialect, case.fn, **case.opts)


def test_facts_cover_only_known_cases() -> None:
    stale = set(FACTS) - {case.id for case in ALL_CASES}
    assert not stale, f"facts for cases that no longer exist: {sorted(stale)} (re-run record_alembic.py)"
