"""Replay Alembic's recorded answers against limbeck's RevisionMap.

The fixtures under ``revision_fixtures/`` were written by
``tests/parity/record_revisions.py`` from Alembic 1.20 (run as a black box);
this module asks limbeck the same questions. Alembic itself is not imported.

Where Alembic's answer depends on hash order (``variants`` in the fixture),
the comparison ignores order. Where Alembic fails with something other than
its own errors (an ``assert`` tripping, a bare ``KeyError``/``TypeError``),
limbeck deliberately raises a :class:`RevisionError` instead, so the CLI can
print one line; those cases are listed in ``DEVIATIONS``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from limbeck.script import revision as limbeck_revision

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "revision_fixtures"
RECORDER = HERE.parent / "parity" / "record_revisions.py"

#: Alembic error class -> the limbeck class raised instead (any subclass passes).
DEVIATIONS: dict[str, type[Exception]] = {
    "AssertionError": limbeck_revision.RevisionError,
    "KeyError": limbeck_revision.MissingRevisionError,
    "TypeError": limbeck_revision.RevisionError,
    "Exception": limbeck_revision.RevisionError,
}


#: Broken graphs Alembic accepts but limbeck rejects, with the error raised.
CYCLES_ALEMBIC_MISSES: dict[str, tuple[type[Exception], str]] = {
    "cycle_between_head_and_base": (
        limbeck_revision.CycleDetected,
        "Cycle is detected in revisions (y000, z000)",
    ),
    "dependency_cycle_between_head_and_base": (
        limbeck_revision.DependencyCycleDetected,
        "Dependency cycle is detected in revisions (c100, c200)",
    ),
}

#: Revision ids Alembic accepts and limbeck refuses (README, "Revision identifiers"):
#: the id is written into SQL comments and literals, where whitespace, quotes,
#: semicolons and control characters could end them.
IDS_ALEMBIC_ACCEPTS = {"a b"}


def _load_recorder() -> Any:
    spec = importlib.util.spec_from_file_location("record_revisions", RECORDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


recorder = _load_recorder()


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


HANDWRITTEN = _load("graphs_handwritten.json")["graphs"]
RANDOM = _load("graphs_random.json")["graphs"]
ERRORS = _load("errors_and_growth.json")


def _tokens(text: str) -> list[str]:
    return sorted(text.replace(",", " ").split())


def _loosely_equal(expected: Any, actual: Any) -> bool:
    """Equal up to the order of lists and of comma-separated names in messages."""
    if isinstance(expected, str) and isinstance(actual, str):
        return expected == actual or _tokens(expected) == _tokens(actual)
    if isinstance(expected, list) and isinstance(actual, list):
        key = json.dumps
        return sorted(expected, key=key) == sorted(actual, key=key)
    return bool(expected == actual)


def assert_matches(expected: Any, actual: Any, where: str) -> None:
    """Compare an answer with the recording, honouring ``variants`` anywhere inside."""
    if isinstance(expected, dict) and set(expected) == {"variants"}:
        variants = expected["variants"]
        if actual in variants or any(_loosely_equal(v, actual) for v in variants):
            return
        # Every seed raised the same class, with differently ordered text.
        raise AssertionError(f"{where}: {actual!r} matches none of {variants!r}")
    if isinstance(expected, dict) and isinstance(actual, dict) and expected.keys() == actual.keys():
        for key in expected:
            assert_matches(expected[key], actual[key], f"{where}.{key}")
        return
    assert expected == actual, f"{where}: expected {expected!r}, got {actual!r}"


def check_answer(expected: dict[str, Any], actual: dict[str, Any], where: str) -> None:
    """Compare one recorded answer (value or error) with limbeck's."""
    if isinstance(expected, dict) and set(expected) == {"variants"}:
        if any(_answer_ok(v, actual) for v in expected["variants"]):
            return
        raise AssertionError(f"{where}: {actual!r} matches none of {expected['variants']!r}")
    if not _answer_ok(expected, actual, where):
        raise AssertionError(f"{where}: expected {expected!r}, got {actual!r}")


def _answer_ok(expected: dict[str, Any], actual: dict[str, Any], where: str = "") -> bool:
    if "err" in expected:
        if "err" not in actual:
            return False
        err = expected["err"]
        if isinstance(err, str) and err in DEVIATIONS:
            return issubclass(getattr(limbeck_revision, actual["err"], Exception), DEVIATIONS[err])
        if err != actual["err"] and not (isinstance(err, dict) and actual["err"] in err["variants"]):
            return False
        if _unordered_message(expected["msg"]) and _unordered_message(actual["msg"]):
            return _loosely_equal(expected["msg"], actual["msg"])
        try:
            assert_matches(expected["msg"], actual["msg"], where)
        except AssertionError:
            return False
        return True
    if "ok" not in actual:
        return False
    try:
        assert_matches(expected["ok"], actual["ok"], where)
    except AssertionError:
        return False
    return _warnings_ok(expected, actual)


def _unordered_message(msg: Any) -> bool:
    """Alembic lists overlapping revisions in set order (by object address)."""
    return isinstance(msg, str) and msg.startswith("Requested revision ")


def _warnings_ok(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    return bool(expected.get("warn", []) == actual.get("warn", []))


def _replay(case: dict[str, Any]) -> list[str]:
    answers = recorder.record_graph(limbeck_revision, case["spec"], case["queries"])
    failures: list[str] = []
    for i, (query, expected, actual) in enumerate(zip(case["queries"], case["answers"], answers)):
        try:
            check_answer(expected, actual, f"query {i} {query!r}")
        except AssertionError as err:
            failures.append(_short(str(err)))
    if len(answers) != len(case["answers"]):
        failures.append(f"{len(answers)} answers, {len(case['answers'])} recorded")
    return failures


def _short(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


@pytest.mark.parametrize("name", sorted(HANDWRITTEN))
def test_handwritten_graph(name: str) -> None:
    failures = _replay(HANDWRITTEN[name])
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(failures[:15])


@pytest.mark.parametrize("name", sorted(RANDOM))
def test_random_graph(name: str) -> None:
    failures = _replay(RANDOM[name])
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(failures[:15])


@pytest.mark.parametrize("name", sorted(ERRORS["broken"]))
def test_broken_graph(name: str) -> None:
    case = ERRORS["broken"][name]
    rmap = recorder.build(limbeck_revision, case["spec"])
    actual = recorder.answer(lambda: recorder.describe(rmap, limbeck_revision.Revision))
    if name in CYCLES_ALEMBIC_MISSES:
        assert "ok" in case["answer"], "Alembic now rejects this graph: drop the deviation"
        error, message = CYCLES_ALEMBIC_MISSES[name]
        assert actual.get("err") == error.__name__ and actual.get("msg") == message
        return
    check_answer(case["answer"], actual, name)


@pytest.mark.parametrize("name", sorted(ERRORS["add_revision"]))
def test_add_revision(name: str) -> None:
    scenario = ERRORS["add_revision"][name]
    actual = recorder.record_add(limbeck_revision, scenario)
    for i, (expected, got) in enumerate(zip(scenario["answers"], actual)):
        if "err" in expected:
            check_answer(expected, got, f"{name} step {i}")
            break  # Alembic leaves the map half-updated after a failed add.
        check_answer(expected, got, f"{name} step {i}")


@pytest.mark.parametrize("index", range(len(ERRORS["constructor"])))
def test_revision_constructor(index: int) -> None:
    case = ERRORS["constructor"][index]
    actual = recorder.record_constructor(limbeck_revision, case["args"])
    if case["args"][0] in IDS_ALEMBIC_ACCEPTS:
        assert "ok" in case["answer"], "Alembic now refuses this id: drop the deviation"
        assert actual.get("err") == "RevisionError" and "not allowed in revision identifier" in actual["msg"]
        return
    check_answer(case["answer"], actual, repr(case["args"]))
