"""Lowering of constraint operations, and the checks every constraint goes through.

A constraint reaches SQL from several operations (``create_table``,
``add_column``, ``create_foreign_key``...); :func:`check_constraint_options`
is applied on all of those paths so a database gets only the options it
understands, whichever operation brought the constraint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKeyConstraint
from sqlalchemy.schema import AddConstraint

from limbeck.compiler import constructs as c
from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.support import supports_clause, unsupported, warn
from limbeck.operations.constraints import (
    AddConstraintOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreatePrimaryKeyOp,
    CreateUniqueConstraintOp,
    DropConstraintOp,
)
from limbeck.operations.schemaobj import SchemaObjects

if TYPE_CHECKING:
    from sqlalchemy import Constraint

    from limbeck.compiler.behaviour import DialectBehaviour


def check_constraint_options(op: Any, behaviour: DialectBehaviour, constraint: Constraint) -> None:
    """Refuse what the database cannot do; drop what only restates its default.

    ``deferrable=True`` or ``initially="DEFERRED"`` ask for a behaviour that
    MySQL and SQL Server lack, and PostgreSQL and SQLite for some kinds of
    constraint (a CHECK; on SQLite all but foreign keys): an error, where
    Alembic writes SQL the database rejects. ``deferrable=False`` /
    ``initially="IMMEDIATE"`` describe what such a constraint always does,
    but where the parser rejects the words they are left out, with a warning.
    ``MATCH`` on a foreign key is an error where the database has no such clause.
    """
    kind = constraint.__visit_name__
    if not _has(behaviour.deferrable_kinds, kind):
        initially = str(constraint.initially or "").upper()
        if constraint.deferrable or initially == "DEFERRED":
            raise unsupported(
                op, behaviour, f"{behaviour.display_name} {_KIND_WORDS.get(kind, '') if behaviour.deferrable_kinds else ''}"
                "constraints cannot be deferred",
                "drop deferrable=/initially= for this database",
            )
        if not _has(behaviour.deferral_clause_kinds, kind) and (
            constraint.deferrable is not None or constraint.initially is not None
        ):
            warn(op, behaviour, "NOT DEFERRABLE / INITIALLY IMMEDIATE left out: it is the only behaviour here")
            constraint.deferrable = None
            constraint.initially = None
    if isinstance(constraint, ForeignKeyConstraint) and constraint.match and not behaviour.foreign_key_match:
        raise unsupported(
            op, behaviour, behaviour.foreign_key_match_refusal or f"{behaviour.display_name} foreign keys have no MATCH clause",
            "drop match= for this database",
            compile_error=True, alembic=bool(behaviour.foreign_key_match_refusal),
        )


#: how a refusal names the kind of constraint a database cannot defer
_KIND_WORDS = {"table_or_column_check_constraint": "CHECK ", "unique_constraint": "UNIQUE ", "primary_key_constraint": "PRIMARY KEY "}


def _has(kinds: frozenset[str] | None, kind: str) -> bool:
    return kinds is None or kind in kinds


def lower_add_constraint(op: AddConstraintOp, behaviour: DialectBehaviour) -> list[Statement]:
    constraint = build_constraint(op, behaviour)
    check_constraint_options(op, behaviour, constraint)
    return [ddl(AddConstraint(constraint), op)]


def build_constraint(op: AddConstraintOp, behaviour: DialectBehaviour) -> Constraint:
    """The constraint, built with this database's naming convention and keyword aliases."""
    objects = SchemaObjects.for_behaviour(behaviour)
    if isinstance(op, CreatePrimaryKeyOp):
        return objects.primary_key(op.constraint_name, op.table_name, op.columns, schema=op.schema, **op.kw)
    if isinstance(op, CreateUniqueConstraintOp):
        return objects.unique(op.constraint_name, op.table_name, op.columns, schema=op.schema, **op.kw)
    if isinstance(op, CreateForeignKeyOp):
        return objects.foreign_key(
            op.constraint_name, op.source_table, op.referent_table, op.local_cols, op.remote_cols, **op.kw
        )
    if isinstance(op, CreateCheckConstraintOp):
        return objects.check(op.constraint_name, op.table_name, op.condition, schema=op.schema, **op.kw)
    # a user-defined AddConstraintOp subclass knows its own constraint
    return op.to_constraint()


def lower_create_exclude_constraint(op: Any, behaviour: DialectBehaviour) -> list[Statement]:
    raise unsupported(op, behaviour, "EXCLUDE constraints exist only in PostgreSQL", compile_error=True)


def drop_constraint_element(op: DropConstraintOp, behaviour: DialectBehaviour) -> c.DropConstraint:
    objects = SchemaObjects.for_behaviour(behaviour)
    constraint = objects.named_constraint(op.constraint_name, op.table_name, op.constraint_type, schema=op.schema)
    if_exists = supports_clause(op, behaviour, "drop_constraint", op.if_exists)
    return c.DropConstraint(constraint, type_=op.constraint_type, if_exists=if_exists)


def lower_drop_constraint(op: DropConstraintOp, behaviour: DialectBehaviour) -> list[Statement]:
    return [ddl(drop_constraint_element(op, behaviour), op)]
