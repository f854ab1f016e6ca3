"""Comparison of the target MetaData with the database, into operation records.

Three levels, each a list of comparator functions in :data:`comparators`
(Alembic's extension point, ``@comparators.dispatch_for("table")``):

* ``"schema"``: ``fn(autogen_context, upgrade_ops, schemas)``, once per run;
  the built-in one finds tables to create and drop and, for each table on
  both sides, runs the table level;
* ``"table"``: ``fn(autogen_context, modify_table_ops, schema, table_name,
  conn_table, metadata_table)``, once per table present on both sides;
* ``"column"``: ``fn(autogen_context, alter_column_op, schema, table_name,
  column_name, conn_column, metadata_column)``, once per column on both sides.

A comparator registered with a dialect name as qualifier runs only for that
dialect. Order within a level (Alembic's, observed on 1.20): by ``priority``,
a dialect's comparators before the default ones, then as registered. At the
``"schema"`` level the built-in comparison runs after the user comparators
of its priority (``MEDIUM``), so a ``LAST`` one sees the tables it adds; at
the table and column levels the built-in ones run before any user one. A
comparator returning ``PriorityDispatchResult.STOP`` ends its level.

Each built-in comparator belongs to one of Alembic's plugin names and runs
only when ``autogenerate_plugins`` turns that plugin on
(:mod:`limbeck.autogenerate.plugins`); user comparators always run, as the
ones Alembic's global registry holds do, but within the levels: without the
``schemas`` plugin no level runs, without ``tables`` no table or column level.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.dispatch import Dispatcher
from limbeck.util import DispatchPriority, PriorityDispatchResult

if TYPE_CHECKING:
    from limbeck.autogenerate.api import AutogenContext
    from limbeck.operations.containers import UpgradeOps

#: ``comparators.dispatch_for("schema" | "table" | "column", qualifier="default")``
comparators = Dispatcher(uselist=True)


#: the ``autogenerate_plugins`` plugin each built-in comparator belongs to (user ones belong to none)
_PLUGIN_OF: dict[Callable[..., Any], str] = {}

#: built-in table and column comparators run ahead of every user priority
_AHEAD_OF_USERS = DispatchPriority.FIRST + 1


def _register_builtins() -> None:
    from limbeck.autogenerate import plugins as p
    from limbeck.autogenerate.compare import (
        columns,
        constraints,
        enums,
        generated,
        indexes,
        keys,
        tables,
    )

    def builtin(level: str, plugin: str, priority: int = _AHEAD_OF_USERS) -> Any:
        def register(fn: Any) -> Any:
            _PLUGIN_OF[fn] = plugin
            return comparators._register(level, "default", False, priority, builtin=True)(fn)
        return register

    builtin("schema", p.TABLES, DispatchPriority.MEDIUM)(tables.compare_tables)
    builtin("schema", p.TYPES, DispatchPriority.MEDIUM)(enums.compare_enum_types)
    builtin("table", p.TABLES)(columns.compare_columns)
    builtin("table", p.CONSTRAINTS)(keys.compare_primary_key)
    builtin("table", p.CONSTRAINTS)(indexes.compare_indexes_and_uniques)
    builtin("table", p.DEFAULTS)(generated.compare_computed_columns)
    builtin("table", p.CONSTRAINTS)(constraints.compare_foreign_keys)
    # Alembic's check plugin is registered after its comments plugin, so its changes come after the comment's
    builtin("table", p.COMMENTS)(constraints.compare_table_comment)
    builtin("table", p.CHECKS)(constraints.compare_check_constraints)
    builtin("table", p.TABLES)(columns.compare_removed_columns)
    builtin("column", p.CONSTRAINTS)(columns.compare_nullable)
    builtin("column", p.TYPES)(columns.compare_type)
    builtin("column", p.DEFAULTS)(columns.compare_server_default)
    builtin("column", p.COMMENTS)(columns.compare_column_comment)
    builtin("column", p.DEFAULTS)(columns.compare_generated)


_register_builtins()


def run_comparators(level: str, ctx: AutogenContext, *args: Any) -> None:
    """Run the comparators of ``level`` for the context's dialect, in order, until one says STOP."""
    for fn in comparators.find(level, ctx.dialect.name):
        plugin = _PLUGIN_OF.get(fn)
        if plugin is not None and plugin not in ctx.plugins:
            continue
        if fn(ctx, *args) is PriorityDispatchResult.STOP:
            break


def compare_into(ctx: AutogenContext, upgrade_ops: UpgradeOps) -> None:
    """Append to ``upgrade_ops`` what makes the database match the target metadata."""
    from limbeck.autogenerate.api import _require_metadata
    from limbeck.autogenerate.compare.tables import schemas_to_compare
    from limbeck.autogenerate.describe import log_changes
    from limbeck.autogenerate.plugins import SCHEMAS

    _require_metadata(ctx)
    if SCHEMAS in ctx.plugins:  # the plugin that walks the schemas (and runs the "schema" level)
        run_comparators("schema", ctx, upgrade_ops, schemas_to_compare(ctx))
    log_changes(upgrade_ops, ctx.catalog, getattr(ctx.dialect, "default_schema_name", None))


__all__ = ["comparators", "compare_into", "run_comparators"]
