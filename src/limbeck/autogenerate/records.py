"""Operation records only autogenerate makes; they render as the ``op.*`` calls one writes by hand.

:class:`EnumValuesOp` stands for a change to the values of an enum type kept
apart from tables (PostgreSQL): its statements are worked out when it is
compared, for the database compared with, and render as ``op.execute``
calls, so the revision file holds plain SQL anyone can read and edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from limbeck.operations.records import MigrateOperation


class EnumValuesOp(MigrateOperation):
    """The values of enum type ``type_name`` go from ``old_values`` to ``new_values``.

    ``statements`` do it; ``reverse_statements`` undo it (the reverse of
    adding a value is the rename-and-recreate of a removal).
    """

    def __init__(
        self, type_name: str, old_values: Sequence[str], new_values: Sequence[str], *,
        schema: str | None = None, statements: Sequence[str] = (), reverse_statements: Sequence[str] = (),
        comment: str | None = None, reverse_comment: str | None = None,
    ) -> None:
        self.type_name = type_name
        self.old_values = list(old_values)
        self.new_values = list(new_values)
        self.schema = schema
        self.statements = list(statements)
        self.reverse_statements = list(reverse_statements)
        self.comment = comment
        self.reverse_comment = reverse_comment

    def reverse(self) -> EnumValuesOp:
        return EnumValuesOp(
            self.type_name, self.new_values, self.old_values, schema=self.schema,
            statements=self.reverse_statements, reverse_statements=self.statements,
            comment=self.reverse_comment, reverse_comment=self.comment,
        )

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("modify_enum", self.schema, self.type_name, tuple(self.old_values), tuple(self.new_values))


__all__ = ["EnumValuesOp"]
