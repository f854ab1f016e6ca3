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
dialect. Built-in comparators come first; user ones follow in the order
they were registered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.dispatch import Dispatcher

if TYPE_CHECKING:
    from limbeck.autogenerate.api import AutogenContext
    from limbeck.operations.containers import UpgradeOps

#: ``comparators.dispatch_for("schema" | "table" | "column", qualifier="default")``
comparators = Dispatcher(uselist=True)


def _register_builtins() -> None:
    from limbeck.autogenerate.compare import (
        columns,
        constraints,
        enums,
        generated,
        indexes,
        keys,
        tables,
    )

    comparators.dispatch_for("schema")(tables.compare_tables)
    comparators.dispatch_for("schema")(enums.compare_enum_types)
    comparators.dispatch_for("table")(columns.compare_columns)
    comparators.dispatch_for("table")(keys.compare_primary_key)
    comparators.dispatch_for("table")(indexes.compare_indexes_and_uniques)
    comparators.dispatch_for("table")(generated.compare_computed_columns)
    comparators.dispatch_for("table")(constraints.compare_foreign_keys)
    comparators.dispatch_for("table")(constraints.compare_check_constraints)
    comparators.dispatch_for("table")(constraints.compare_table_comment)
    comparators.dispatch_for("table")(columns.compare_removed_columns)
    comparators.dispatch_for("column")(columns.compare_nullable)
    comparators.dispatch_for("column")(columns.compare_type)
    comparators.dispatch_for("column")(columns.compare_server_default)
    comparators.dispatch_for("column")(columns.compare_column_comment)
    comparators.dispatch_for("column")(columns.compare_generated)


_register_builtins()


def run_comparators(level: str, ctx: AutogenContext, *args: Any) -> None:
    """Run every comparator of ``level`` for the context's dialect, built-ins first."""
    for fn in comparators.find(level, ctx.dialect.name):
        fn(ctx, *args)


def compare_into(ctx: AutogenContext, upgrade_ops: UpgradeOps) -> None:
    """Append to ``upgrade_ops`` what makes the database match the target metadata."""
    from limbeck.autogenerate.compare.tables import schemas_to_compare
    from limbeck.autogenerate.describe import log_changes

    run_comparators("schema", ctx, upgrade_ops, schemas_to_compare(ctx))
    log_changes(upgrade_ops)


__all__ = ["comparators", "compare_into", "run_comparators"]
