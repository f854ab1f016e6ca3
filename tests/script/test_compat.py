"""``import alembic`` inside a project's files resolves to limbeck, and only there."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator

import pytest

import limbeck
import limbeck.compat.alembic_package as alembic_package
import limbeck.errors
import limbeck.util
from limbeck import compat
from limbeck.compat import alembic_aliases, aliases_active


def alembic_entries() -> dict[str, object]:
    return {k: v for k, v in sys.modules.items() if k == "alembic" or k.startswith("alembic.")}


@pytest.fixture
def fake_alembic() -> Iterator[types.ModuleType]:
    """A stand-in for an installed, already imported Alembic."""
    saved = alembic_entries()
    for name in saved:
        del sys.modules[name]
    fake = types.ModuleType("alembic")
    fake_util = types.ModuleType("alembic.util")
    fake.util = fake_util  # type: ignore[attr-defined]
    sys.modules["alembic"] = fake
    sys.modules["alembic.util"] = fake_util
    try:
        yield fake
    finally:
        for name in alembic_entries():
            del sys.modules[name]
        sys.modules.update(saved)  # type: ignore[arg-type]


def test_imports_resolve_to_limbeck_modules() -> None:
    with alembic_aliases():
        import alembic
        import alembic.script.revision
        from alembic.util import CommandError, rev_id
        from alembic.util.exc import CommandError as ExcCommandError

        assert alembic is alembic_package
        assert alembic.__version__ == compat.ALEMBIC_VERSION
        assert alembic.script.revision is importlib.import_module("limbeck.script.revision")
        assert CommandError is limbeck.errors.CommandError is ExcCommandError
        assert len(rev_id()) == 12
        assert importlib.import_module("alembic.util") is limbeck.util


def test_op_and_context_names() -> None:
    with alembic_aliases():
        from alembic import context, op

        assert op is importlib.import_module("limbeck.op")
        assert context is importlib.import_module("limbeck.context")


def test_children_of_a_plain_module_target_are_importable() -> None:
    with alembic_aliases():
        import alembic.util.exc
        import alembic.util.messaging

        assert alembic.util.exc is limbeck.errors
        assert alembic.util.messaging is limbeck.util
    assert "exc" not in vars(limbeck.util)


def test_legacy_module_names() -> None:
    with alembic_aliases():
        import alembic.migration

        assert alembic.migration is importlib.import_module("limbeck.runtime.migration")
    # the alias attribute set on the stand-in package does not outlive the block
    assert "migration" not in vars(alembic_package)


def test_unknown_alembic_module_is_a_clear_import_error() -> None:
    with alembic_aliases(), pytest.raises(ImportError, match=r"limbeck does not provide 'alembic.testing'"):
        importlib.import_module("alembic.testing.fixtures")


def test_missing_target_module_is_a_clear_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(compat.ALIASES, "alembic.future_thing", "limbeck.no_such_module")
    with alembic_aliases(), pytest.raises(ImportError, match=r"'limbeck.no_such_module' does not exist"):
        importlib.import_module("alembic.future_thing")


def test_nothing_left_behind_without_alembic(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in alembic_entries():
        monkeypatch.delitem(sys.modules, name)
    finders = list(sys.meta_path)
    with alembic_aliases():
        import alembic
        import alembic.op  # noqa: F401
    assert alembic_entries() == {}
    assert sys.meta_path == finders
    assert not aliases_active()


def test_real_alembic_is_set_aside_and_restored(fake_alembic: types.ModuleType) -> None:
    with alembic_aliases():
        import alembic
        import alembic.util

        assert alembic is alembic_package
        assert alembic.util is limbeck.util
    assert sys.modules["alembic"] is fake_alembic
    assert sys.modules["alembic.util"] is fake_alembic.util  # type: ignore[attr-defined]
    import alembic as after

    assert after is fake_alembic


def test_reentrant(fake_alembic: types.ModuleType) -> None:
    with alembic_aliases():
        with alembic_aliases():
            assert importlib.import_module("alembic") is alembic_package
        # the inner exit must not restore anything yet
        assert aliases_active()
        assert importlib.import_module("alembic") is alembic_package
    assert not aliases_active()
    assert sys.modules["alembic"] is fake_alembic


def test_restored_after_an_exception(fake_alembic: types.ModuleType) -> None:
    with pytest.raises(RuntimeError), alembic_aliases():
        importlib.import_module("alembic")
        raise RuntimeError("boom")
    assert sys.modules["alembic"] is fake_alembic
    assert not any(isinstance(f, compat.AliasFinder) for f in sys.meta_path)
