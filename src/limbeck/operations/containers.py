"""Containers of operation records: what autogenerate produces and hooks edit.

``MigrationScript`` is the new revision file as data (its id, message, head
and the operations of ``upgrade()`` / ``downgrade()``); ``UpgradeOps`` and
``DowngradeOps`` hold the operations of one function (one token of the
template: several with the multidb template); ``ModifyTableOps`` groups the
changes to one existing table, which is what lets them be rendered as one
``batch_alter_table`` block. Names and attributes are Alembic's, so
``process_revision_directives`` hooks written for Alembic work unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from limbeck.errors import SeveralContainers
from limbeck.operations.records import MigrateOperation


class OpContainer(MigrateOperation):
    """An ordered list of operation records (``ops``), possibly nested."""

    def __init__(self, ops: Sequence[MigrateOperation] = ()) -> None:
        self.ops: list[MigrateOperation] = list(ops)

    def is_empty(self) -> bool:
        return not self.ops

    def as_diffs(self) -> list[Any]:
        """The diff entries of every record, nested containers flattened."""
        return list(_flatten_diffs(self))

    def _reversed_ops(self) -> list[MigrateOperation]:
        return [op.reverse() for op in reversed(self.ops)]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(ops={self.ops!r})"


def _flatten_diffs(container: OpContainer) -> Iterator[Any]:
    for op in container.ops:
        if isinstance(op, OpContainer):
            yield from _flatten_diffs(op)
        else:
            yield op.to_diff_tuple()


class ModifyTableOps(OpContainer):
    """The changes to one existing table (rendered together, or as one batch block)."""

    def __init__(self, table_name: str, ops: Sequence[MigrateOperation], *, schema: str | None = None) -> None:
        super().__init__(ops)
        self.table_name = table_name
        self.schema = schema

    def reverse(self) -> ModifyTableOps:
        return ModifyTableOps(self.table_name, self._reversed_ops(), schema=self.schema)

    def __repr__(self) -> str:
        return f"ModifyTableOps(table_name={self.table_name!r}, schema={self.schema!r}, ops={self.ops!r})"


class UpgradeOps(OpContainer):
    """The body of ``upgrade()``; ``upgrade_token`` is the template variable it fills."""

    def __init__(self, ops: Sequence[MigrateOperation] = (), upgrade_token: str = "upgrades") -> None:
        super().__init__(ops)
        self.upgrade_token = upgrade_token

    def reverse_into(self, downgrade_ops: DowngradeOps) -> DowngradeOps:
        """Fill ``downgrade_ops`` with the reverse of these operations, last first."""
        downgrade_ops.ops[:] = self._reversed_ops()
        return downgrade_ops

    def reverse(self) -> DowngradeOps:
        return self.reverse_into(DowngradeOps(ops=[]))


class DowngradeOps(OpContainer):
    """The body of ``downgrade()``; ``downgrade_token`` is the template variable it fills."""

    def __init__(self, ops: Sequence[MigrateOperation] = (), downgrade_token: str = "downgrades") -> None:
        super().__init__(ops)
        self.downgrade_token = downgrade_token

    def reverse(self) -> UpgradeOps:
        return UpgradeOps(ops=self._reversed_ops())


class MigrationScript(MigrateOperation):
    """A revision file about to be written.

    ``upgrade_ops`` / ``downgrade_ops`` accept one container or a list (one
    per template token); ``upgrade_ops_list`` / ``downgrade_ops_list`` always
    give the list. Reading ``upgrade_ops`` when there are several raises,
    as there is no single answer.
    """

    def __init__(
        self,
        rev_id: str | None,
        upgrade_ops: UpgradeOps | Sequence[UpgradeOps],
        downgrade_ops: DowngradeOps | Sequence[DowngradeOps],
        *,
        message: str | None = None,
        imports: set[str] | None = None,
        head: str | Sequence[str] | None = None,
        splice: bool | None = None,
        branch_label: str | Sequence[str] | None = None,
        version_path: str | None = None,
        depends_on: str | Sequence[str] | None = None,
    ) -> None:
        self.rev_id = rev_id
        self.message = message
        self.imports: set[str] = set(imports) if imports is not None else set()
        self.head = head
        self.splice = splice
        self.branch_label = branch_label
        self.version_path = version_path
        self.depends_on = depends_on
        self.upgrade_ops = upgrade_ops
        self.downgrade_ops = downgrade_ops

    @property
    def upgrade_ops(self) -> UpgradeOps | None:
        found: UpgradeOps | None = _single(self._upgrade_ops, "upgrade_ops")
        return found

    @upgrade_ops.setter
    def upgrade_ops(self, value: UpgradeOps | Sequence[UpgradeOps]) -> None:
        self._upgrade_ops: list[UpgradeOps] = [value] if isinstance(value, UpgradeOps) else list(value)

    @property
    def downgrade_ops(self) -> DowngradeOps | None:
        found: DowngradeOps | None = _single(self._downgrade_ops, "downgrade_ops")
        return found

    @downgrade_ops.setter
    def downgrade_ops(self, value: DowngradeOps | Sequence[DowngradeOps]) -> None:
        self._downgrade_ops: list[DowngradeOps] = [value] if isinstance(value, DowngradeOps) else list(value)

    @property
    def upgrade_ops_list(self) -> list[UpgradeOps]:
        return self._upgrade_ops

    @property
    def downgrade_ops_list(self) -> list[DowngradeOps]:
        return self._downgrade_ops

    def __repr__(self) -> str:
        return (
            f"MigrationScript(rev_id={self.rev_id!r}, message={self.message!r}, "
            f"upgrade_ops={self._upgrade_ops!r}, downgrade_ops={self._downgrade_ops!r})"
        )


def _single(items: list[Any], name: str) -> Any:
    if not items:
        return None
    if len(items) > 1:
        kind = "UpgradeOps" if name == "upgrade_ops" else "DowngradeOps"
        raise SeveralContainers(
            f"This MigrationScript instance has a multiple-entry list for {kind}; please use the "
            f"{name}_list attribute."
        )
    return items[0]


__all__ = ["DowngradeOps", "MigrationScript", "ModifyTableOps", "OpContainer", "UpgradeOps"]
