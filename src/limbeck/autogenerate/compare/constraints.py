"""Foreign keys, check constraints and the table comment of a table on both sides.

Foreign keys are matched by what they do, not by name (as Alembic does):
local columns, referenced schema, table and columns (by name, not by a
Column's key), ON UPDATE / ON DELETE (``NO ACTION``, the default, equals no
clause at all; so does ``RESTRICT`` where the database says it is the default,
MySQL), and whether the key is not deferrable, deferrable, or initially
deferred. ``include_object`` is asked, as by Alembic, only about a key that
would be dropped or added, with the other side's key of the same name.

Check constraints are a limbeck addition (Alembic leaves them out), matched
by name. A named model check the database lacks is added; a named database
check the models lack is dropped, but only when the model table has no
unnamed check, which might be that very one under a name the database
chose. A check on both sides whose condition changed is dropped and added
again: conditions are compared in the database's own words (:mod:`.forms`;
``compare_expressions=False`` turns that off). That includes the CHECK of a
non-native ``Enum`` (``create_constraint=True``), so its values are compared
too. Where the database cannot report check constraints at all
(:mod:`.reflectable`), none is compared, as with Alembic's plugin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.compare.reflectable import reflects_checks
from limbeck.operations import ops

if TYPE_CHECKING:
    from sqlalchemy import ForeignKeyConstraint, Table

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.operations.containers import ModifyTableOps

def _action(value: str | None, restrict_is_default: bool) -> str | None:
    value = value.upper() if value else None
    if value == "NO ACTION" or (value == "RESTRICT" and restrict_is_default):
        return None
    return value


def _fk_signature(ctx: AutogenContext, fk: ForeignKeyConstraint) -> tuple[Any, ...]:
    default = getattr(ctx.dialect, "default_schema_name", None)
    from limbeck.operations.constraints import referred_name

    target_schema, target_table, target_cols = None, "", []
    for element in fk.elements:
        parts = element._get_colspec().split(".")
        target_schema = ".".join(parts[:-2]) or None
        target_table = parts[-2]
        target_cols.append(referred_name(element))
    if target_schema == default:
        target_schema = None
    local = tuple(element.parent.name for element in fk.elements)
    if fk.initially and fk.initially.lower() == "deferred":
        deferral = "initially deferred"
    else:
        deferral = "deferrable" if fk.deferrable else "not deferrable"
    restrict = ctx.catalog.restrict_is_default
    return (local, target_schema, target_table, tuple(target_cols), _action(fk.onupdate, restrict),
            _action(fk.ondelete, restrict), deferral)


def compare_foreign_keys(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    parents = {"table_name": tname, "schema_name": schema}
    if ctx.catalog.restrict_is_default:
        _restrict_from_models(ctx, conn_table, meta_table)
    conn = {}
    for fk in conn_table.foreign_key_constraints:
        if ctx.run_name_filters(_check_name(fk), "foreign_key_constraint", parents):
            conn[_fk_signature(ctx, fk)] = fk
    meta = {_fk_signature(ctx, fk): fk for fk in meta_table.foreign_key_constraints}
    conn_by_name = {_check_name(fk): fk for fk in conn.values() if _check_name(fk)}
    meta_by_name = {_check_name(fk): fk for fk in meta.values() if _check_name(fk)}
    for sig in sorted((s for s in conn if s not in meta), key=repr):
        fk = conn[sig]
        name = _check_name(fk)
        if ctx.run_object_filters(fk, name, "foreign_key_constraint", True, meta_by_name.get(name)):
            modify.ops.append(ops.DropConstraintOp.from_constraint(fk))
    for sig in sorted((s for s in meta if s not in conn), key=repr):
        fk = meta[sig]
        name = _check_name(fk)
        if ctx.run_object_filters(fk, name, "foreign_key_constraint", False, conn_by_name.get(name)):
            modify.ops.append(ops.CreateForeignKeyOp.from_constraint(fk))


def _restrict_from_models(ctx: AutogenContext, conn_table: Table, meta_table: Table) -> None:
    """A key the models declare ``RESTRICT`` is reflected so where the database reports no action.

    MySQL does not report its default, ``RESTRICT``; Alembic takes the model's
    word for it on a key with the same columns and target, so the downgrade
    that puts the old key back says ``ondelete='RESTRICT'`` as it was declared.
    """
    meta = {_fk_signature(ctx, fk)[:4]: fk for fk in meta_table.foreign_key_constraints}
    for fk in conn_table.foreign_key_constraints:
        model = meta.get(_fk_signature(ctx, fk)[:4])
        if model is None:
            continue
        for action in ("ondelete", "onupdate"):
            declared = getattr(model, action)
            if declared is not None and declared.lower() == "restrict" and getattr(fk, action) is None:
                setattr(fk, action, "RESTRICT")


def _check_name(constraint: Any) -> str | None:
    from sqlalchemy.sql.base import _NoneName

    name = constraint.name
    return None if name is None or isinstance(name, _NoneName) else str(name)


def compare_check_constraints(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    """The database's named checks the models lack dropped, changed ones dropped and added, new ones added."""
    from sqlalchemy import CheckConstraint

    from limbeck.autogenerate.compare.forms import table_checks

    meta = table_checks(meta_table)
    conn = {_check_name(c): c for c in conn_table.constraints if isinstance(c, CheckConstraint)}
    if not conn and (not meta or not reflects_checks(ctx, conn_table)):
        return
    conn.pop(None, None)
    meta_names = {_check_name(c) for c in meta}
    if None not in meta_names:
        parents = {"table_name": tname, "schema_name": schema}
        for gone in sorted(n for n in conn if n is not None and n not in meta_names):
            constraint = conn[gone]
            if ctx.run_name_filters(gone, "check_constraint", parents) and ctx.run_object_filters(
                constraint, gone, "check_constraint", True, None
            ):
                modify.ops.append(ops.DropConstraintOp.from_constraint(constraint))
    _changed_checks(ctx, modify, conn_table, meta_table)
    for constraint in sorted(meta, key=lambda c: _check_name(c) or ""):
        name = _check_name(constraint)
        if name is None or name in conn or getattr(constraint, "_type_bound", False):
            continue
        if ctx.run_object_filters(constraint, name, "check_constraint", False, None):
            modify.ops.append(ops.CreateCheckConstraintOp.from_constraint(constraint))


def _changed_checks(ctx: AutogenContext, modify: ModifyTableOps, conn_table: Table, meta_table: Table) -> None:
    """Drop and add again the named checks whose condition the models change."""
    from limbeck.autogenerate.compare.forms import checks_of, table_forms

    if not ctx.compare_options.expressions:
        return
    meta, conn = checks_of(meta_table), checks_of(conn_table)
    if not any(name in conn for name in meta):
        return
    forms = table_forms(ctx, conn_table, meta_table)
    parents = {"table_name": meta_table.name, "schema_name": meta_table.schema}
    for name in sorted(n for n in meta if n in conn):
        new, old = forms.model.checks.get(name), forms.conn.checks.get(name)
        if new is None or old is None or new == old:
            continue
        if ctx.run_name_filters(name, "check_constraint", parents) and ctx.run_object_filters(
            meta[name], name, "check_constraint", False, conn[name]
        ):
            modify.ops.append(ops.DropConstraintOp.from_constraint(conn[name]))
            modify.ops.append(ops.CreateCheckConstraintOp.from_constraint(meta[name]))


def compare_table_comment(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    if not getattr(ctx.dialect, "supports_comments", False):
        return
    new, old = meta_table.comment or None, conn_table.comment or None
    if new == old:
        return
    if new is None:
        modify.ops.append(ops.DropTableCommentOp(tname, existing_comment=old, schema=schema))
    else:
        modify.ops.append(ops.CreateTableCommentOp(tname, new, existing_comment=old, schema=schema))


__all__ = ["compare_check_constraints", "compare_foreign_keys", "compare_table_comment"]
