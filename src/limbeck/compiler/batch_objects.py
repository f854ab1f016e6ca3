"""Detached copies of schema objects, for the table batch mode rebuilds.

A reflected (or ``copy_from``) table's columns, constraints and indexes are
bound to that table. Batch mode needs free copies it can reshape (rename,
retype, drop) and then attach to the new table. Constraints and indexes are
copied by column *key*: every column of the new table keeps, as its key, the
name it had in the old one even when renamed, so a constraint on a renamed column follows
it without rewriting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Constraint,
    ForeignKeyConstraint,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
)
from sqlalchemy.sql.elements import conv
from sqlalchemy.types import NullType
from sqlalchemy.util import OrderedSet

from limbeck.sqla_compat import dotted, fk_target_tokens


@dataclass
class Item:
    """A detached constraint or index and the column keys it covers."""

    obj: Any
    keys: tuple[str, ...]

    @property
    def name(self) -> str | None:
        return plain_name(self.obj.name)


def plain_name(name: Any) -> str | None:
    """A constraint's name as text; ``None`` when it has none (or SQLAlchemy's "none yet")."""
    if name is None or type(name).__name__ == "_NoneName":
        return None
    return str(name)


def final_name(name: Any) -> Any:
    """``name`` marked final so the new table's naming convention leaves it alone."""
    text = plain_name(name)
    return conv(text) if text is not None else None


def unnamed_only(convention: dict[str, Any] | None) -> dict[str, Any] | None:
    """A batch's ``naming_convention`` as Alembic applies it: to constraints that have no name.

    SQLAlchemy also applies a template holding ``%(constraint_name)s`` to a constraint that
    has a name, so a reflected ``ck_x`` would come back as ``ck_t_ck_x`` (and again at the next
    rebuild) and an explicit ``create_check_constraint("ck_x")`` would not be called ``ck_x``;
    Alembic keeps both names. Such a template cannot name an unnamed constraint, so it is left out.
    """
    if not convention:
        return convention
    return {k: v for k, v in convention.items() if not (isinstance(v, str) and "%(constraint_name)s" in v)}


def copy_column(column: Column[Any], key: str | None = None) -> Column[Any]:
    """A free copy of ``column`` without the constraints and indexes it implies.

    Unique, index and foreign-key markers of a column attached to a table
    are already constraints of that table; they are copied as constraints.
    A CHECK written on the column (``Column("y", Integer, CheckConstraint(...))``)
    stays on it, under its own name (see :func:`column_checks`); the CHECK a
    Boolean / Enum type makes is the type's to make again.
    """
    copy = column._copy()
    copy.key = key or column.name
    copy.unique = None
    copy.index = None
    set_column_checks(copy, [copy_check(check) for check in column_checks(column)])
    copy.foreign_keys = set()
    return copy


def set_column_checks(column: Column[Any], checks: list[CheckConstraint]) -> None:
    """Make ``checks`` the CHECKs written on ``column``, rendered in this order.

    (A column keeps its constraints in a set, which would order them
    differently from run to run.)
    """
    column.constraints = OrderedSet()
    for check in checks:
        check._set_parent_with_dispatch(column)


def column_checks(column: Column[Any]) -> list[CheckConstraint]:
    """The CHECK constraints written on ``column`` (not its type's), by name then text."""
    checks = [k for k in column.constraints if isinstance(k, CheckConstraint) and not k._type_bound]
    return sorted(checks, key=lambda k: (plain_name(k.name) or "", str(k.sqltext)))


def copy_check(check: CheckConstraint, sqltext: Any = None) -> CheckConstraint:
    """A free copy: not attached to the table its condition's columns belong to (whose
    naming convention would name it there), with the type's create rule if a type made it
    (none on a database with the type natively, a PostgreSQL BOOLEAN)."""
    return CheckConstraint(
        check.sqltext if sqltext is None else sqltext, name=final_name(check.name),
        deferrable=check.deferrable, initially=check.initially, _create_rule=check._create_rule,
        _autoattach=False, **_kw(check),
    )


def with_condition(check: CheckConstraint, sqltext: Any) -> CheckConstraint:
    """A copy of ``check`` (name and options kept) whose condition is ``sqltext``."""
    return copy_check(check, sqltext)


def _kw(obj: Any) -> dict[str, Any]:
    return dict(obj.dialect_kwargs)


KeyOf = Callable[[Column[Any]], str]


def by_name(column: Column[Any]) -> str:
    """Model key of a column of the old table: its name."""
    return column.name


def by_key(column: Column[Any]) -> str:
    """Model key of a column of a stub built from the model: its key."""
    return column.key


def column_keys(constraint: Any, key_of: KeyOf) -> tuple[str, ...]:
    return tuple(key_of(col) for col in getattr(constraint, "columns", ()))


#: a foreign key's target: (schema, table, column) names
Target = tuple[str | None, str, str | None]


def fk_reference(target: Target) -> Any:
    """What a copied foreign key names ``target`` by: its dotted ``[schema.]table.column``, or,
    where the table or column name holds a dot (which that string cannot tell from the separator),
    the column of a stand-in table of those names, as Alembic's rebuild refers to ``"my.user"``."""
    schema, table, column = target
    if column is not None and ("." in table or "." in column):
        return Table(table, MetaData(), Column(column, NullType()), schema=schema).c[column]
    return dotted(target)


def detach_constraint(
    constraint: Constraint, key_of: KeyOf = by_name, retarget: Callable[[Target], Target] | None = None
) -> Item | None:
    """A copy of an attached constraint, or ``None`` for kinds batch mode rebuilds itself.

    ``retarget`` maps a foreign key's target (``fk_target_tokens``) to the one
    the copy references.
    """
    name = final_name(constraint.name)
    common = {"name": name, "deferrable": constraint.deferrable, "initially": constraint.initially}
    if isinstance(constraint, ForeignKeyConstraint):
        locals_ = tuple(key_of(element.parent) for element in constraint.elements)
        targets = [fk_target_tokens(element) for element in constraint.elements]
        if retarget is not None:
            targets = [retarget(target) for target in targets]
        copy: Any = ForeignKeyConstraint(
            list(locals_), [fk_reference(t) for t in targets], onupdate=constraint.onupdate, ondelete=constraint.ondelete,
            match=constraint.match, use_alter=constraint.use_alter, **common, **_kw(constraint),
        )
        return Item(copy, locals_)
    if isinstance(constraint, CheckConstraint):
        if constraint._type_bound:
            # regenerated by the Boolean / Enum type of the copied column
            return None
        return Item(copy_check(constraint), column_keys(constraint, key_of))
    if isinstance(constraint, UniqueConstraint):
        keys = column_keys(constraint, key_of)
        return Item(UniqueConstraint(*keys, **common, **_kw(constraint)), keys)
    if isinstance(constraint, PrimaryKeyConstraint):
        keys = column_keys(constraint, key_of)
        return Item(PrimaryKeyConstraint(*keys, name=name, **_kw(constraint)), keys)
    return None


def detach_index(index: Index, key_of: KeyOf = by_name) -> Item:
    """A copy of an attached index; expression elements are kept as they are."""
    keys: list[str] = []
    elements: list[Any] = []
    for expr in index.expressions:
        if isinstance(expr, Column):
            keys.append(key_of(expr))
            elements.append(key_of(expr))
        else:
            elements.append(expr)
    copy = Index(final_name(index.name), *elements, unique=bool(index.unique), **_kw(index))
    return Item(copy, tuple(keys))


def sorted_constraints(table: Any) -> list[Constraint]:
    """A table's constraints in declaration order (a set in SQLAlchemy)."""
    return sorted(table.constraints, key=lambda c: getattr(c, "_creation_order", 0))
