"""The indexes of a rebuilt table whose elements or ``WHERE`` are SQL text, when a column changes.

A plain index names its columns by key, so the batch model renames and drops
them with the columns. An index read back as written (SQLite: ``"y" DESC``,
``y COLLATE NOCASE``, ``lower(y)``; see ``limbeck.operations.written_ddl``)
or a partial index's ``WHERE`` holds the column's name in text instead. Left
as it is, a renamed or dropped column breaks the new table's ``CREATE INDEX``
("no such column: y"), or, since SQLite takes a double-quoted name that
matches no column for a string literal, silently makes an index on the
constant ``'y'``. Alembic's reflection reads such an index as the plain
column (a renamed column keeps its index, without ``DESC`` / ``COLLATE``), or
not at all (an expression index is dropped), so its rebuild works.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from sqlalchemy import Index
from sqlalchemy.sql.elements import ClauseElement

from limbeck.compiler.batch_checks import refers_to, rename
from limbeck.compiler.batch_objects import Item, final_name, plain_name
from limbeck.errors import LimbeckWarning

if TYPE_CHECKING:
    from limbeck.compiler.batch_model import BatchTable


def _where_keys(index: Index) -> list[str]:
    """The dialect keywords of ``index`` holding a partial index's condition (``sqlite_where``...)."""
    return [key for key, value in index.dialect_kwargs.items()
            if key.endswith("_where") and isinstance(value, ClauseElement)]


def _texts(index: Index) -> list[Any]:
    """The parts of ``index`` that are SQL (not a column named by key): expressions and ``WHERE``."""
    parts = [e for e in index.expressions if isinstance(e, ClauseElement)]
    return parts + [index.dialect_kwargs[key] for key in _where_keys(index)]


def rename_in_indexes(model: BatchTable, old: str, new: str) -> None:
    """Every index of ``model`` whose expressions or ``WHERE`` name column ``old`` names ``new``."""
    for position, item in enumerate(model.indexes):
        index = item.obj
        if not any(refers_to(part, old) for part in _texts(index)):
            continue
        elements = [rename(e, old, new, model.quote, model.names_ignore_case) if isinstance(e, ClauseElement) else e
                    for e in index.expressions]
        kw = dict(index.dialect_kwargs)
        for key in _where_keys(index):
            kw[key] = rename(kw[key], old, new, model.quote, model.names_ignore_case)
        model.indexes[position] = Item(Index(final_name(index.name), *elements, unique=bool(index.unique), **kw),
                                       item.keys)


def drop_indexes_naming(model: BatchTable, dropped: str) -> None:
    """Drop the indexes whose expressions or ``WHERE`` name the dropped column, with a warning each.

    As the indexes on the column itself (``BatchTable.drop_column``): the new
    table has no such column to index.
    """
    kept: list[Item] = []
    for item in model.indexes:
        if any(refers_to(part, dropped) for part in _texts(item.obj)):
            warnings.warn(
                f"batch_alter_table('{model.name}'): index {plain_name(item.obj.name)} names the dropped column "
                f"'{dropped}' and is dropped with it",
                LimbeckWarning,
                stacklevel=4,
            )
        else:
            kept.append(item)
    model.indexes = kept
