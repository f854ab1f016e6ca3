"""Base classes of operation records.

An operation record says what a migration wants ("add column c to t"), with
the same constructor arguments Alembic's ``alembic.operations.ops`` classes
take, so ``process_revision_directives`` hooks and custom operations written
for Alembic work unchanged. Records are plain mutable objects (autogenerate
hooks edit them); how a record becomes SQL lives in :mod:`limbeck.compiler`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from limbeck.operations.protocols import RunningContext
    from limbeck.operations.schemaobj import SchemaObjects


def schema_objects(context: RunningContext | None) -> SchemaObjects:
    """What builds the SQLAlchemy objects of a record, for ``context``'s database (generic for None)."""
    # SQLAlchemy loads when a record first builds an object: `limbeck revision` imports the records without it
    from limbeck.operations.schemaobj import SchemaObjects

    return SchemaObjects.for_context(context)


class MigrateOperation:
    """Base of every operation record, built-in or user-defined."""

    @property
    def info(self) -> dict[str, Any]:
        """Free-form data for users and hooks (Alembic's ``MigrateOperation.info``)."""
        info: dict[str, Any] | None = self.__dict__.get("_info")
        if info is None:
            info = self.__dict__["_info"] = {}
        return info

    @info.setter
    def info(self, value: dict[str, Any]) -> None:
        self.__dict__["_info"] = dict(value or {})

    _mutations: frozenset[Any] = frozenset()

    def reverse(self) -> "MigrateOperation":
        raise NotImplementedError(f"{type(self).__name__} has no reverse operation")

    def to_diff_tuple(self) -> tuple[Any, ...]:
        raise NotImplementedError(f"{type(self).__name__} has no diff tuple")

    def __repr__(self) -> str:
        # "is" tests: a field may hold a SQL expression, whose == builds a clause
        fields = ", ".join(
            f"{k}={v!r}"
            for k, v in vars(self).items()
            if not k.startswith("_") and v is not None and v is not False and not (isinstance(v, dict) and not v)
        )
        return f"{type(self).__name__}({fields})"


class AlterTableOp(MigrateOperation):
    """An operation on an existing table (the table name and schema are its target)."""

    def __init__(self, table_name: str, *, schema: str | None = None) -> None:
        self.table_name = table_name
        self.schema = schema
