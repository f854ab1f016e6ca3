"""Constraint operations: primary key, unique, foreign key, check, exclude; drop.

Each ``Create*Op`` knows the SQLAlchemy constraint it stands for
(``to_constraint``) and is built back from one (``from_constraint``), which
autogenerate uses in both directions. ``AddConstraintOp.from_constraint``
dispatches on the constraint's kind through an explicit registry that
``register_add_constraint`` fills.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from limbeck.errors import InvalidArgument
from limbeck.operations.records import (
    MigrateOperation,
    operation_method,
    schema_objects,
)
from limbeck.sqla_compat import fk_target_tokens

if TYPE_CHECKING:
    from sqlalchemy import (
        CheckConstraint,
        Constraint,
        ForeignKeyConstraint,
        PrimaryKeyConstraint,
        UniqueConstraint,
    )
    from sqlalchemy.dialects.postgresql import ExcludeConstraint
    from sqlalchemy.sql.schema import ColumnCollectionConstraint

    from limbeck.operations.base import OperationsBase
    from limbeck.operations.protocols import BatchTarget, RunningContext

_C = TypeVar("_C", bound=type)

#: ``Constraint.__visit_name__`` -> ``drop_constraint(type_=...)``
DROP_TYPES: dict[str, str] = {
    "unique_constraint": "unique",
    "foreign_key_constraint": "foreignkey",
    "primary_key_constraint": "primary",
    "check_constraint": "check",
    "column_check_constraint": "check",
    "table_or_column_check_constraint": "check",
}

#: the kinds ``drop_constraint(type_=...)`` takes
DROP_KINDS = ("foreignkey", "primary", "unique", "check")


def wrong_constraint_type(type_: Any) -> str:
    """Alembic's words for a ``type_`` no constraint has, kept whole (code and tests match on them)."""
    kinds = ", ".join(sorted(repr(k) for k in (*DROP_KINDS, None)))
    return f"'type' can be one of {kinds} (not {type_!r})"


def _table_of(constraint: Constraint) -> Any:
    """The constraint's table; a column's own check (``Column("x", Integer, CheckConstraint(...))``) is the column's."""
    from sqlalchemy import Column

    parent = getattr(constraint, "parent", None)
    if isinstance(parent, Column):
        return parent.table
    return constraint.table


class AddConstraintOp(MigrateOperation):
    """Base of the operations that add a constraint to an existing table."""

    #: ``Constraint.__visit_name__`` -> the operation class that creates it
    add_constraint_ops: ClassVar[dict[str, type[AddConstraintOp]]] = {}
    constraint_type: ClassVar[str] = ""
    constraint_name: Any
    table_name: str
    schema: str | None

    @classmethod
    def register_add_constraint(cls, type_: str) -> Callable[[_C], _C]:
        """Class decorator: the class ``from_constraint`` uses for constraints of ``type_``."""

        def register(klass: _C) -> _C:
            cls.add_constraint_ops[type_] = klass
            return klass

        return register

    @classmethod
    def from_constraint(cls, constraint: Constraint) -> AddConstraintOp:
        klass = cls.add_constraint_ops.get(constraint.__visit_name__)
        if klass is None:
            raise ValueError(f"no operation creates a {type(constraint).__name__}")
        return klass.from_constraint(constraint)

    def to_constraint(self, migration_context: RunningContext | None = None) -> Constraint:
        raise NotImplementedError(f"{type(self).__name__} does not build a constraint")

    def reverse(self) -> DropConstraintOp:
        return DropConstraintOp.from_constraint(self.to_constraint())

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_constraint", self.to_constraint())


@AddConstraintOp.register_add_constraint("primary_key_constraint")
class CreatePrimaryKeyOp(AddConstraintOp):
    """Add a primary key over ``columns``."""

    op_name = "create_primary_key"
    constraint_type = "primarykey"

    def __init__(
        self, constraint_name: Any, table_name: str, columns: Sequence[str], *, schema: str | None = None, **kw: Any
    ) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.kw = kw

    @classmethod
    def from_constraint(cls, constraint: Constraint) -> CreatePrimaryKeyOp:
        table = _table_of(constraint)
        names = [c.name for c in cast("ColumnCollectionConstraint", constraint).columns]
        return cls(constraint.name, table.name, names, schema=table.schema, **constraint.dialect_kwargs)

    def to_constraint(self, migration_context: RunningContext | None = None) -> PrimaryKeyConstraint:
        return schema_objects(migration_context).primary_key(
            self.constraint_name, self.table_name, self.columns, schema=self.schema, **self.kw
        )

    @classmethod
    def create_primary_key(
        cls, operations: OperationsBase, constraint_name: Any, table_name: str, columns: Sequence[str], *,
        schema: str | None = None,
    ) -> None:
        """Add a primary key; ``constraint_name=None`` takes the naming convention's name."""
        operations.invoke(cls(constraint_name, table_name, columns, schema=schema))

    @classmethod
    def batch_create_primary_key(cls, operations: BatchTarget, constraint_name: Any, columns: Sequence[str]) -> None:
        """Add a primary key to the batch's table."""
        operations.invoke(cls(constraint_name, operations.table_name, columns, schema=operations.schema))


@AddConstraintOp.register_add_constraint("unique_constraint")
class CreateUniqueConstraintOp(AddConstraintOp):
    """Add a unique constraint; ``kw`` takes ``deferrable``, ``initially`` and dialect keywords."""

    op_name = "create_unique_constraint"
    constraint_type = "unique"

    def __init__(
        self, constraint_name: Any, table_name: str, columns: Sequence[str], *, schema: str | None = None, **kw: Any
    ) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.kw = kw

    @classmethod
    def from_constraint(cls, constraint: Constraint) -> CreateUniqueConstraintOp:
        table = _table_of(constraint)
        kw: dict[str, Any] = {}
        if constraint.deferrable:
            kw["deferrable"] = constraint.deferrable
        if constraint.initially:
            kw["initially"] = constraint.initially
        kw.update(constraint.dialect_kwargs)
        names = [c.name for c in cast("ColumnCollectionConstraint", constraint).columns]
        return cls(constraint.name, table.name, names, schema=table.schema, **kw)

    def to_constraint(self, migration_context: RunningContext | None = None) -> UniqueConstraint:
        return schema_objects(migration_context).unique(
            self.constraint_name, self.table_name, self.columns, schema=self.schema, **self.kw
        )

    @classmethod
    def create_unique_constraint(
        cls, operations: OperationsBase, constraint_name: Any, table_name: str, columns: Sequence[str], *,
        schema: str | None = None, **kw: Any,
    ) -> None:
        """Add a unique constraint (``deferrable``, ``initially`` and dialect keywords in ``kw``)."""
        operations.invoke(cls(constraint_name, table_name, columns, schema=schema, **kw))

    @classmethod
    def batch_create_unique_constraint(
        cls, operations: BatchTarget, constraint_name: Any, columns: Sequence[str], **kw: Any
    ) -> None:
        """Add a unique constraint to the batch's table."""
        operations.invoke(cls(constraint_name, operations.table_name, columns, schema=operations.schema, **kw))


def referred_name(element: Any) -> str:
    """The referred column's name; its key in the spec (``a.aid``) names a Column attribute, not the column."""
    from sqlalchemy import exc

    try:
        return str(element.column.name)
    except (exc.NoReferenceError, exc.InvalidRequestError):  # the referred table is not in this MetaData
        return str(fk_target_tokens(element)[2])


@AddConstraintOp.register_add_constraint("foreign_key_constraint")
class CreateForeignKeyOp(AddConstraintOp):
    """Add a foreign key from ``source_table(local_cols)`` to ``referent_table(remote_cols)``.

    ``kw`` takes ``onupdate``, ``ondelete``, ``deferrable``, ``initially``,
    ``match``, ``use_alter``, ``source_schema``, ``referent_schema`` and
    dialect keywords.
    """

    op_name = "create_foreign_key"
    constraint_type = "foreignkey"

    def __init__(
        self, constraint_name: Any, source_table: str, referent_table: str, local_cols: Sequence[str],
        remote_cols: Sequence[str], **kw: Any,
    ) -> None:
        self.constraint_name = constraint_name
        self.source_table = source_table
        self.referent_table = referent_table
        self.local_cols = list(local_cols)
        self.remote_cols = list(remote_cols)
        self.kw = kw

    # Alembic keeps a foreign key's table in source_table / source_schema: the table_name and
    # schema every AddConstraintOp has read them here, read-only (hence the override ignores)
    @property
    def table_name(self) -> str:  # type: ignore[override]
        return self.source_table

    @property
    def schema(self) -> str | None:  # type: ignore[override]
        return self.kw.get("source_schema")

    @classmethod
    def from_constraint(cls, constraint: Constraint) -> CreateForeignKeyOp:
        fk = cast("ForeignKeyConstraint", constraint)
        kw: dict[str, Any] = {}
        for key in ("onupdate", "ondelete", "initially", "deferrable", "use_alter", "match"):
            value = getattr(fk, key)
            if value:
                kw[key] = value
        source = _table_of(fk)
        if source.schema:
            kw["source_schema"] = source.schema
        referent_schema, referent, _ = fk_target_tokens(fk.elements[0])
        if referent_schema:
            kw["referent_schema"] = referent_schema
        kw.update(fk.dialect_kwargs)
        remote = [referred_name(el) for el in fk.elements]
        return cls(fk.name, source.name, referent, [c.name for c in fk.columns], remote, **kw)

    def to_constraint(self, migration_context: RunningContext | None = None) -> ForeignKeyConstraint:
        return schema_objects(migration_context).foreign_key(
            self.constraint_name, self.source_table, self.referent_table, self.local_cols, self.remote_cols, **self.kw
        )

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_fk", self.to_constraint())

    @classmethod
    def create_foreign_key(
        cls, operations: OperationsBase, constraint_name: Any, source_table: str, referent_table: str,
        local_cols: Sequence[str], remote_cols: Sequence[str], *, onupdate: str | None = None,
        ondelete: str | None = None, deferrable: bool | None = None, initially: str | None = None,
        match: str | None = None, source_schema: str | None = None, referent_schema: str | None = None,
        **dialect_kw: Any,
    ) -> None:
        """Add a foreign key; the referenced table need not be known to the migration."""
        operations.invoke(
            cls(
                constraint_name, source_table, referent_table, local_cols, remote_cols, onupdate=onupdate,
                ondelete=ondelete, deferrable=deferrable, source_schema=source_schema,
                referent_schema=referent_schema, initially=initially, match=match, **dialect_kw,
            )
        )

    @classmethod
    def batch_create_foreign_key(
        cls, operations: BatchTarget, constraint_name: Any, referent_table: str, local_cols: Sequence[str],
        remote_cols: Sequence[str], *, referent_schema: str | None = None, onupdate: str | None = None,
        ondelete: str | None = None, deferrable: bool | None = None, initially: str | None = None,
        match: str | None = None, **dialect_kw: Any,
    ) -> None:
        """Add a foreign key from the batch's table to ``referent_table``."""
        operations.invoke(
            cls(
                constraint_name, operations.table_name, referent_table, local_cols, remote_cols,
                onupdate=onupdate, ondelete=ondelete, deferrable=deferrable, initially=initially, match=match,
                source_schema=operations.schema, referent_schema=referent_schema, **dialect_kw,
            )
        )


@AddConstraintOp.register_add_constraint("check_constraint")
@AddConstraintOp.register_add_constraint("column_check_constraint")
@AddConstraintOp.register_add_constraint("table_or_column_check_constraint")
class CreateCheckConstraintOp(AddConstraintOp):
    """Add a check constraint; ``condition`` is SQL text or a SQL expression."""

    op_name = "create_check_constraint"
    constraint_type = "check"

    def __init__(
        self, constraint_name: Any, table_name: str, condition: Any, *, schema: str | None = None, **kw: Any
    ) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.condition = condition
        self.schema = schema
        self.kw = kw

    @classmethod
    def from_constraint(cls, constraint: Constraint) -> CreateCheckConstraintOp:
        ck = cast("CheckConstraint", constraint)
        table = _table_of(ck)
        return cls(ck.name, table.name, ck.sqltext, schema=table.schema, **ck.dialect_kwargs)

    def to_constraint(self, migration_context: RunningContext | None = None) -> CheckConstraint:
        return schema_objects(migration_context).check(
            self.constraint_name, self.table_name, self.condition, schema=self.schema, **self.kw
        )

    @classmethod
    def create_check_constraint(
        cls, operations: OperationsBase, constraint_name: Any, table_name: str, condition: Any, *,
        schema: str | None = None, **kw: Any,
    ) -> None:
        """Add a check constraint from SQL text or a SQL expression (``sa.column("a") > 5``)."""
        operations.invoke(cls(constraint_name, table_name, condition, schema=schema, **kw))

    @classmethod
    def batch_create_check_constraint(
        cls, operations: BatchTarget, constraint_name: Any, condition: Any, **kw: Any
    ) -> None:
        """Add a check constraint to the batch's table."""
        operations.invoke(cls(constraint_name, operations.table_name, condition, schema=operations.schema, **kw))


@AddConstraintOp.register_add_constraint("exclude_constraint")
class CreateExcludeConstraintOp(AddConstraintOp):
    """PostgreSQL ``EXCLUDE``: ``elements`` are ``(column or expression, operator)`` pairs.

    ``kw`` takes ``using``, ``deferrable``, ``initially``; ``where`` limits
    the constraint to rows matching a condition.
    """

    op_name = "create_exclude_constraint"
    constraint_type = "exclude"

    def __init__(
        self, constraint_name: Any, table_name: str, elements: Sequence[Any], where: Any = None,
        schema: str | None = None, _orig_constraint: Any = None, **kw: Any,
    ) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.elements = list(elements)
        self.where = where
        self.schema = schema
        self._orig_constraint: Constraint | None = _orig_constraint
        self.kw = kw

    @classmethod
    def from_constraint(cls, constraint: Constraint) -> CreateExcludeConstraintOp:
        ex = cast("ExcludeConstraint", constraint)
        table = _table_of(ex)
        elements = [(expr, operator) for expr, _name, operator in ex._render_exprs]
        kw = {"deferrable": ex.deferrable, "initially": ex.initially, "using": ex.using}
        return cls(ex.name, table.name, elements, where=ex.where, schema=table.schema, _orig_constraint=ex, **kw)

    def to_constraint(self, migration_context: RunningContext | None = None) -> Constraint:
        if self._orig_constraint is not None:
            return self._orig_constraint
        return schema_objects(migration_context).exclude(
            self.constraint_name, self.table_name, self.elements, schema=self.schema, where=self.where, **self.kw
        )

    @classmethod
    def create_exclude_constraint(
        cls, operations: OperationsBase, constraint_name: Any, table_name: str, *elements: Any, **kw: Any
    ) -> None:
        """PostgreSQL only: ``EXCLUDE USING <using> (<element> WITH <operator>, ...)``."""
        operations.invoke(cls(constraint_name, table_name, elements, **kw))

    @classmethod
    def batch_create_exclude_constraint(
        cls, operations: BatchTarget, constraint_name: Any, *elements: Any, **kw: Any
    ) -> None:
        """PostgreSQL only: an ``EXCLUDE`` constraint on the batch's table (altered in place; a rebuild refuses it)."""
        operations.invoke(cls(constraint_name, operations.table_name, elements, schema=operations.schema, **kw))


class DropConstraintOp(MigrateOperation):
    """Drop a constraint by name; ``type_`` says its kind, which MySQL needs."""

    op_name = "drop_constraint"

    def __init__(
        self, constraint_name: Any, table_name: str, type_: str | None = None, *, schema: str | None = None,
        if_exists: bool | None = None, _reverse: AddConstraintOp | None = None,
    ) -> None:
        if type_ is not None and type_ not in DROP_KINDS:
            # at the call, as Alembic: before any database's refusal of the operation itself
            raise InvalidArgument(f"drop_constraint {constraint_name} on {table_name}: {wrong_constraint_type(type_)}")
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.constraint_type = type_
        self.schema = schema
        self.if_exists = if_exists
        self._reverse = _reverse

    @classmethod
    def from_constraint(cls, constraint: Constraint) -> DropConstraintOp:
        table = _table_of(constraint)
        return cls(
            constraint.name, table.name, DROP_TYPES.get(constraint.__visit_name__),
            schema=table.schema, _reverse=AddConstraintOp.from_constraint(constraint),
        )

    def to_constraint(self, migration_context: RunningContext | None = None) -> Constraint:
        if self._reverse is None:
            raise ValueError("constraint cannot be produced; original constraint is not present")
        constraint = self._reverse.to_constraint(migration_context)
        constraint.name = self.constraint_name
        return constraint

    def reverse(self) -> AddConstraintOp:
        return AddConstraintOp.from_constraint(self.to_constraint())

    def to_diff_tuple(self) -> tuple[Any, ...]:
        constraint = self.to_constraint()
        if self.constraint_type == "foreignkey":
            return ("remove_fk", constraint)
        return ("remove_constraint", constraint)

    @classmethod
    def drop_constraint(
        cls, operations: OperationsBase, constraint_name: Any, table_name: str, type_: str | None = None, *,
        schema: str | None = None, if_exists: bool | None = None,
    ) -> None:
        """Drop a constraint; MySQL needs ``type_`` ("foreignkey", "primary", "unique", "check")."""
        operations.invoke(cls(constraint_name, table_name, type_, schema=schema, if_exists=if_exists))

    @classmethod
    def batch_drop_constraint(cls, operations: BatchTarget, constraint_name: Any, type_: str | None = None) -> None:
        """Drop a constraint of the batch's table (unnamed ones get names from ``naming_convention``)."""
        operations.invoke(cls(constraint_name, operations.table_name, type_=type_, schema=operations.schema))


class ConstraintOperations:
    """``op.create_primary_key`` & co. and ``op.drop_constraint``."""

    create_primary_key = operation_method(CreatePrimaryKeyOp.create_primary_key)
    create_unique_constraint = operation_method(CreateUniqueConstraintOp.create_unique_constraint)
    create_foreign_key = operation_method(CreateForeignKeyOp.create_foreign_key)
    create_check_constraint = operation_method(CreateCheckConstraintOp.create_check_constraint)
    create_exclude_constraint = operation_method(CreateExcludeConstraintOp.create_exclude_constraint)
    drop_constraint = operation_method(DropConstraintOp.drop_constraint)
