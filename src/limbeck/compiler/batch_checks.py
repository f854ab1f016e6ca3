"""The columns a CHECK condition (or an index expression) names, and the condition with one of them renamed.

Batch mode keeps a table's CHECK constraints when it rebuilds the table. A
condition is SQL text (``CheckConstraint("y > 0")``, or what reflection
read) or an expression; when the batch renames column ``y`` the condition
must say the new name, or the new table is invalid (SQLite: "no such column:
y"), and when it drops ``y`` a condition naming it cannot be kept.

Text is read with sqlglot's tokenizer for SQLite, which knows every way the
supported databases quote a name (``"y"``, ```y```, ``[y]``): string
literals, numbers and function names (a name followed by ``(``) are never
taken for columns, and only the characters of a renamed name change.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, MetaData, Table, literal_column, text
from sqlalchemy import column as column_clause
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnClause, TextClause

from limbeck.compiler.batch_objects import (
    Item,
    column_checks,
    plain_name,
    set_column_checks,
    with_condition,
)
from limbeck.errors import LimbeckWarning

if TYPE_CHECKING:
    from sqlalchemy.sql.schema import Column

    from limbeck.compiler.batch_model import BatchTable

#: quotes a column name for the target database (its identifier preparer's ``quote``)
Quote = Callable[[str], str]


def _name_tokens(sql: str) -> Iterator[tuple[int, int, str, bool]]:
    """``(start, end, name, quoted)`` for each token of ``sql`` that can name a column."""
    # sqlglot (a large import) only when a rebuild renames or drops a column a CHECK names
    from sqlglot import TokenType
    from sqlglot.dialects import Dialect

    not_names = {TokenType.STRING, TokenType.NUMBER, TokenType.NATIONAL_STRING, TokenType.BIT_STRING,
                 TokenType.HEX_STRING, TokenType.BYTE_STRING, TokenType.PARAMETER, TokenType.PLACEHOLDER}
    tokens = Dialect.get_or_raise("sqlite").tokenize(sql)
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.token_type in not_names or (following is not None and following.token_type is TokenType.L_PAREN):
            continue
        quoted = token.token_type is TokenType.IDENTIFIER
        if quoted or token.text.replace("_", "a").isalnum():
            yield token.start, token.end, token.text, quoted


def _same(token: str, quoted: bool, name: str, ignore_case: bool) -> bool:
    """Whether a name token of SQL text names column ``name``.

    Unquoted names are compared without case everywhere; quoted ones exactly, unless the
    database compares quoted names without case too (SQLite, MySQL: ``"Col"`` is ``col``
    there, and a rename that left it would leave the condition naming no column).
    """
    return token == name if quoted and not ignore_case else token.lower() == name.lower()


def text_names(sql: str) -> set[str]:
    """Lower-cased names of the columns ``sql`` may name (a superset: keywords included)."""
    return {token.lower() for _, _, token, _ in _name_tokens(sql)}


def rename_in_text(sql: str, old: str, new: str, quote: Quote, ignore_case: bool = False) -> str:
    """``sql`` with every reference to column ``old`` naming ``new`` instead (``ignore_case``: see :func:`_same`)."""
    out: list[str] = []
    last = 0
    for start, end, token, quoted in _name_tokens(sql):
        if _same(token, quoted, old, ignore_case):
            out.append(sql[last:start])
            out.append(quote(new))
            last = end + 1
    if not out:
        return sql
    out.append(sql[last:])
    return "".join(out)


def names(sqltext: Any) -> set[str]:
    """Lower-cased names the condition refers to (columns, and in text also keywords)."""
    found: set[str] = set()
    for element in visitors.iterate(sqltext):
        if isinstance(element, TextClause):
            found |= text_names(element.text)
        elif isinstance(element, ColumnClause) and element.is_literal:
            # literal_column('"y" DESC'): SQL as written (an index element read back from SQLite)
            found |= text_names(element.name)
        elif isinstance(element, ColumnClause):
            found.add(element.name.lower())
    return found


def refers_to(sqltext: Any, name: str) -> bool:
    """Whether the condition names column ``name``."""
    return name.lower() in names(sqltext)


def rename(sqltext: Any, old: str, new: str, quote: Quote, ignore_case: bool = False) -> Any:
    """The condition with column ``old`` renamed to ``new`` (``sqltext`` itself if it does not name it).

    ``ignore_case``: the database compares quoted names without case (see :func:`_same`).
    """
    if not refers_to(sqltext, old):
        return sqltext

    def replace(element: Any, **kw: Any) -> Any:
        if isinstance(element, TextClause):
            return text(rename_in_text(element.text, old, new, quote, ignore_case))
        if isinstance(element, ColumnClause) and element.is_literal:
            return literal_column(rename_in_text(element.name, old, new, quote, ignore_case), element.type)
        if isinstance(element, ColumnClause) and element.name.lower() == old.lower():
            return column_clause(new, element.type)
        return None

    return visitors.replacement_traverse(sqltext, {}, replace)


# -- the CHECKs of a table batch mode rebuilds ------------------------------------------------
def rename_in_checks(model: BatchTable, old: str, new: str) -> None:
    """Every CHECK of ``model`` (table-level or on a column) that names column ``old`` names ``new``."""
    for index, item in enumerate(model.constraints):
        if isinstance(item.obj, CheckConstraint):
            sqltext = rename(item.obj.sqltext, old, new, model.quote, model.names_ignore_case)
            if sqltext is not item.obj.sqltext:
                model.constraints[index] = Item(with_condition(item.obj, sqltext), item.keys)
    for column in model.columns.values():
        checks = column_checks(column)
        renamed = [with_condition(k, rename(k.sqltext, old, new, model.quote, model.names_ignore_case))
                   for k in checks]
        if any(a.sqltext is not b.sqltext for a, b in zip(checks, renamed)):
            set_column_checks(column, renamed)


def drop_checks_naming(model: BatchTable, dropped: str) -> None:
    """Drop the CHECKs whose condition names the dropped column, with a warning for each.

    Deliberately unlike Alembic, which keeps them in the new table and so
    makes it invalid ("no such column"); PostgreSQL drops them with the
    column too.
    """
    gone: list[CheckConstraint] = []
    kept: list[Item] = []
    for item in model.constraints:
        if isinstance(item.obj, CheckConstraint) and refers_to(item.obj.sqltext, dropped):
            gone.append(item.obj)
        else:
            kept.append(item)
    model.constraints = kept
    for column in model.columns.values():
        checks = column_checks(column)
        left = [k for k in checks if not refers_to(k.sqltext, dropped)]
        if len(left) != len(checks):
            gone += [k for k in checks if k not in left]
            set_column_checks(column, left)
    for check in gone:
        label = plain_name(check.name) or f"({check.sqltext})"
        warnings.warn(
            f"batch_alter_table('{model.name}'): CHECK constraint {label} names the dropped column "
            f"'{dropped}' and is dropped with it",
            LimbeckWarning,
            stacklevel=4,
        )


def name_type_checks(tmp: Table, real_name: str, conventions: Mapping[str, Mapping[str, Any] | None]) -> None:
    """Name the CHECKs the new table's Boolean / Enum types make as Alembic's batch names them.

    The temporary table has no convention (and another name), so a type's
    CHECK would be created under the type's bare name: a table made under a
    ``ck_%(table_name)s_%(constraint_name)s`` convention would come back from
    the rebuild with its ``ck_t_flag`` renamed ``flag``. ``conventions`` maps
    a column key to the convention its type's CHECK is named by, with the
    real table's name (as Alembic: a column the table had, the convention of
    the table being replaced; a column the batch adds, the target metadata's).
    A convention that needs the constraint's name cannot name the CHECK of a
    type that has none: it stays unnamed, with Alembic's warning.
    """
    from sqlalchemy.exc import InvalidRequestError
    from sqlalchemy.sql.naming import _constraint_name_for_table

    tables: dict[int, Table] = {}
    for constraint in sorted(tmp.constraints, key=lambda k: getattr(k, "_creation_order", 0)):
        if not (isinstance(constraint, CheckConstraint) and constraint._type_bound):
            continue
        columns = _columns_of(constraint)
        convention = conventions.get(columns[0].key) if columns else None
        if not convention:
            continue
        real = tables.get(id(convention))
        if real is None:
            real = tables[id(convention)] = Table(real_name, MetaData(naming_convention=dict(convention)))
        try:
            name = _constraint_name_for_table(constraint, real)  # type: ignore[no-untyped-call]  # SQLAlchemy leaves it unannotated
        except InvalidRequestError:
            warnings.warn(
                f"The CHECK constraint generated by the type of column '{real_name}."
                f"{', '.join(col.name for col in columns)}' has no name, while the naming convention in use "
                "requires one; the constraint is emitted without a name.  Boolean and Enum datatypes should be "
                "given a name, e.g. Boolean(name='...'), in order for their CHECK constraints to participate "
                "fully in batch mode.",
                LimbeckWarning,
                stacklevel=5,
            )
            continue
        if name:
            constraint.name = name


def _columns_of(constraint: CheckConstraint) -> list[Column[Any]]:
    """The table columns a type's CHECK condition names (its one column)."""
    from sqlalchemy import Column

    found: list[Column[Any]] = []
    visitors.traverse(constraint.sqltext, {}, {"column": found.append})
    return [col for col in dict.fromkeys(found) if isinstance(col, Column)]
