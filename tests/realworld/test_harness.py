"""The harness leaves the process as a separate ``alembic`` / ``limbeck`` process would: as it was."""

from __future__ import annotations

from typing import Any

from .harness import _hooks_restored


def _plugin_comparator(autogen_context: Any, upgrade_ops: Any, schemas: Any) -> None:
    """Stands for a plugin's comparator (alembic_postgresql_enum's compare_enums)."""


def _plugin_renderer(autogen_context: Any, op: Any) -> str:
    return ""


class _PluginOp:
    pass


def test_plugins_registrations_on_alembic_are_undone() -> None:
    import alembic.autogenerate.compare
    import alembic.autogenerate.render

    comparators = alembic.autogenerate.compare.comparators
    renderers = alembic.autogenerate.render.renderers
    before = {key: list(value) for key, value in comparators._registry.items()}
    with _hooks_restored():
        comparators.dispatch_for("schema")(_plugin_comparator)
        renderers.dispatch_for(_PluginOp)(_plugin_renderer)
        assert any(fn is _plugin_comparator for entries in comparators._registry.values() for fn, _ in entries)
    assert not any(fn is _plugin_comparator for entries in comparators._registry.values() for fn, _ in entries)
    assert {key: list(value) for key, value in comparators._registry.items()} == before
    assert not any(key[0] is _PluginOp for key in renderers._registry)
