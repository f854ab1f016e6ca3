"""Lowering of ``alter_column``: the generic form and the pieces dialects reuse.

The generic form is one ALTER per requested change (nullability, default,
type, comment, name) in the order the dialect's ``alter_column_order``
gives. Databases that restate the whole column (MySQL, SQL Server) build
their statements from the same :class:`ColumnChange` facts in their own
modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Computed, Constraint, Identity, PrimaryKeyConstraint
from sqlalchemy.schema import AddConstraint
from sqlalchemy.types import to_instance

from limbeck.compiler import constructs as c
from limbeck.compiler.columns import applies_to
from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.support import unsupported, warn_as_alembic, warn_unknown_keywords
from limbeck.errors import RefusedAsAlembic
from limbeck.operations.schemaobj import SchemaObjects

if TYPE_CHECKING:
    from limbeck.compiler.behaviour import DialectBehaviour
    from limbeck.operations.columns import AlterColumnOp

#: ``alter_column`` keywords besides the named arguments
ALTER_KEYWORDS = ("postgresql_using", "autoincrement", "existing_autoincrement")


def is_identity(value: Any) -> bool:
    return isinstance(value, Identity)


class ColumnChange:
    """The facts of one ``alter_column``: what is asked, what the column is now.

    ``default`` is the requested server default (``False``: unchanged,
    ``None``: drop); ``existing_default`` is ``None`` when unknown or absent.
    """

    def __init__(self, op: AlterColumnOp) -> None:
        self.op = op
        self.type_ = op.modify_type
        self.nullable = op.modify_nullable
        self.default = op.modify_server_default
        self.comment = op.modify_comment
        self.name = op.modify_name
        self.existing_type = op.existing_type
        self.existing_nullable = op.existing_nullable
        self.existing_default = op.existing_server_default if op.existing_server_default is not False else None
        self.existing_comment = op.existing_comment
        self.autoincrement = op.kw.get("autoincrement")
        self.existing_autoincrement = op.kw.get("existing_autoincrement")
        self.using = op.kw.get("postgresql_using")

    @property
    def changes_default(self) -> bool:
        return self.default is not False

    @property
    def changes_comment(self) -> bool:
        return self.comment is not False

    @property
    def identity_change(self) -> bool:
        """The default change adds, alters or drops a GENERATED AS IDENTITY."""
        return self.changes_default and (is_identity(self.default) or is_identity(self.existing_default))

    def existing(self) -> dict[str, Any]:
        """What every AlterColumn construct carries about the column as it is."""
        op = self.op
        return {
            "schema": op.schema,
            "existing_type": self.existing_type,
            "existing_nullable": self.existing_nullable,
            "existing_server_default": self.existing_default,
            "existing_comment": self.existing_comment,
        }


def check_alter_column(op: AlterColumnOp, behaviour: DialectBehaviour, *, identity: bool) -> ColumnChange:
    """Common refusals and warnings; ``identity`` says whether the dialect can alter identity."""
    change = ColumnChange(op)
    warn_unknown_keywords(op, behaviour, op.kw, ALTER_KEYWORDS)
    if change.using is not None and change.type_ is None and behaviour.using_needs_type:
        alembic = "postgresql_using must be used with the type_ parameter"
        raise RefusedAsAlembic(f"alter_column({op.table_name}.{op.column_name}) on {behaviour.name}: {alembic}", alembic)
    if isinstance(change.default, Computed) or (change.changes_default and isinstance(change.existing_default, Computed)):
        raise unsupported(
            op, behaviour, 'Adding or removing a "computed" construct, e.g. GENERATED ALWAYS AS, to or from an '
            "existing column is not supported.", "drop the column and add it again", compile_error=True, alembic=True,
        )
    if change.identity_change and not identity:
        raise unsupported(
            op, behaviour, 'Adding, removing or modifying an "identity" construct, e.g. GENERATED AS IDENTITY, '
            "to or from an existing column is not supported in this dialect.", "drop the column and add it again",
            compile_error=True, alembic=True,
        )
    return change


def warn_autoincrement(op: AlterColumnOp, behaviour: DialectBehaviour, change: ColumnChange) -> None:
    if change.autoincrement is not None or change.existing_autoincrement is not None:
        warn_as_alembic("autoincrement and existing_autoincrement only make sense for MySQL")


def identity_parts(change: ColumnChange, source: Any, drops_default: bool) -> dict[str, list[Statement]]:
    """Add / change / drop an identity, keyed like ``alter_column_order`` (and ``"drop_identity"``, first of all).

    Dropping an identity comes before any other change: PostgreSQL refuses a
    type other than an integer for an identity column. Switching to a plain
    default drops the identity, then sets the default. Where ``drops_default``
    (PostgreSQL: "column already has a default value"), an identity added to a
    column with a known plain default drops that default first.
    """
    op = change.op
    new = change.default if is_identity(change.default) else None
    old = change.existing_default if is_identity(change.existing_default) else None
    if new is not None and old is not None and _same_identity(new, old):
        return {}
    kw = change.existing()
    identity = ddl(c.ColumnIdentity(op.table_name, op.column_name, new, old, **kw), source)
    if new is None:
        parts = {"drop_identity": [identity]}
        if change.default is not None:
            parts["default"] = [ddl(c.ColumnDefault(op.table_name, op.column_name, change.default, **kw), source)]
        return parts
    stmts = []
    if old is None and change.existing_default is not None and drops_default:
        stmts.append(ddl(c.ColumnDefault(op.table_name, op.column_name, None, **kw), source))
    return {"default": [*stmts, identity]}


def _same_identity(a: Identity, b: Identity) -> bool:
    keys = ("always", "on_null", "start", "increment", "minvalue", "maxvalue", "nominvalue", "nomaxvalue",
            "cycle", "cache", "order")
    return all(getattr(a, k, None) == getattr(b, k, None) for k in keys)


def alter_column_parts(change: ColumnChange, source: Any, identity_drops_default: bool) -> dict[str, list[Statement]]:
    """The statements of each requested change, keyed like ``alter_column_order``."""
    op = change.op
    kw = change.existing()
    t, col = op.table_name, op.column_name
    parts: dict[str, list[Statement]] = {}
    if change.type_ is not None:
        parts["type"] = [ddl(c.ColumnType(t, col, change.type_, using=change.using, **kw), source)]
    if change.nullable is not None:
        parts["nullable"] = [ddl(c.ColumnNullable(t, col, change.nullable, **kw), source)]
    if change.identity_change:
        parts.update(identity_parts(change, source, identity_drops_default))
    elif change.changes_default:
        parts["default"] = [ddl(c.ColumnDefault(t, col, change.default, **kw), source)]
    if change.changes_comment:
        parts["comment"] = [ddl(c.ColumnComment(t, col, change.comment, **kw), source)]
    if change.name:
        parts["name"] = [ddl(c.ColumnName(t, col, change.name, **kw), source)]
    return parts


def ordered(parts: dict[str, list[Statement]], order: tuple[str, ...]) -> list[Statement]:
    return [stmt for key in ("drop_identity", *order) for stmt in parts.get(key, [])]


def type_constraints(op: AlterColumnOp, type_: Any, behaviour: DialectBehaviour) -> list[Constraint]:
    """The constraints ``type_`` brings to the column here: a ``Boolean`` / ``Enum`` CHECK
    where the database has no native type (the rule ``add_column`` applies too)."""
    if type_ is None:
        return []
    type_ = to_instance(type_)
    if not may_bring_constraints(type_):
        return []  # the usual alter_column: no table to build for a plain type
    column = Column(op.column_name, type_.copy())  # a copy: attaching may change the type object
    table = SchemaObjects.for_behaviour(behaviour).column_table(op.table_name, column, schema=op.schema)
    return [
        k for k in sorted(table.constraints, key=lambda k: str(k.name or ""))
        if not isinstance(k, PrimaryKeyConstraint) and applies_to(k, behaviour)
    ]


def may_bring_constraints(type_: Any) -> bool:
    """Whether a column of ``type_`` could gain a constraint when attached to a table.

    Only a type that takes part in schema events does that (``Boolean`` and
    ``Enum`` are ``SchemaType`` subclasses; a ``TypeDecorator`` or a variant may wrap
    one), or a listener registered on every ``Column`` or ``Table``. For any
    other type the table :func:`type_constraints` would build ends up with
    its primary key only, which it leaves out: building it (two tables per
    ``alter_column`` with a type) was most of the lowering's cost.
    """
    from sqlalchemy import Table
    from sqlalchemy.sql.base import SchemaEventTarget

    if isinstance(type_, SchemaEventTarget):
        return True
    if any(isinstance(t, SchemaEventTarget) for t in getattr(type_, "_variant_mapping", {}).values()):
        return True
    try:
        return any(
            getattr(cls.dispatch, event)._clslevel.get(cls)
            for cls in (Column, Table)
            for event in ("before_parent_attach", "after_parent_attach")
        )
    except AttributeError:  # another SQLAlchemy's event internals: build the table
        return True


def with_type_constraints(op: AlterColumnOp, behaviour: DialectBehaviour, stmts: list[Statement]) -> list[Statement]:
    """``stmts`` with the old type's CHECK dropped before and the new type's added after.

    Changing the type away from a ``Boolean`` / non-native ``Enum`` would
    leave its CHECK rejecting values the new type allows; changing to one
    would leave the values unchecked. The old type's constraint is only
    known when ``existing_type`` is given, and must have a name to be
    dropped (Alembic refuses an unnamed one too).
    """
    if op.modify_type is None:
        return stmts
    drops = type_constraints(op, op.existing_type, behaviour) if op.existing_type is not None else []
    preparer = behaviour.dialect.identifier_preparer
    for constraint in drops:
        if _name_of(op, behaviour, preparer, constraint) is None:  # no name, and no naming convention gives one
            raise unsupported(
                op, behaviour, "the CHECK constraint of existing_type has no name, so it cannot be dropped",
                "name it (name= on the type, or a naming convention for \"ck\" in the target metadata), or drop it "
                "with op.drop_constraint() and pass existing_type without create_constraint=True",
                compile_error=True,
            )
    adds = type_constraints(op, op.modify_type, behaviour)
    return [
        *(ddl(c.DropConstraint(k, type_="check"), op) for k in drops),
        *stmts,
        *(ddl(AddConstraint(k), op) for k in adds),
    ]


def _name_of(op: AlterColumnOp, behaviour: DialectBehaviour, preparer: Any, constraint: Any) -> str | None:
    """The constraint's name as the DDL would write it.

    A ``"ck"`` convention with ``%(constraint_name)s`` names nothing for an
    unnamed CHECK: SQLAlchemy's ``InvalidRequestError``, as Alembic raises it,
    with the remedy.
    """
    from sqlalchemy.exc import InvalidRequestError

    from limbeck.compiler.support import describe
    from limbeck.errors import UnnamedByConvention

    try:
        name: str | None = preparer.format_constraint(constraint)
    except InvalidRequestError as err:
        raise UnnamedByConvention(
            describe(op), behaviour.name, str(err).split(" (Background on this error")[0],
            "name the existing type's CHECK (name= on the type), or drop it with op.drop_constraint() and pass "
            "existing_type without create_constraint=True", alembic=True,
        ) from None
    return name


def lower_alter_column(op: AlterColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    """One ALTER per change; identity changes only where the dialect module allows them."""
    change = check_alter_column(op, behaviour, identity=behaviour.alter_identity)
    warn_autoincrement(op, behaviour, change)
    if change.changes_comment and not behaviour.supports_comments:
        raise unsupported(op, behaviour, f"{behaviour.display_name} does not store column comments",
                          "leave comment= out for this database", compile_error=True)
    return with_type_constraints(op, behaviour, ordered(
        alter_column_parts(change, op, behaviour.identity_drops_default), behaviour.alter_column_order))
