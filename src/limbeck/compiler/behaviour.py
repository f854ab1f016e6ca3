"""The database the compiler lowers for, as lowering sees it: a Protocol.

Every lowering function takes ``(record, behaviour)``. The behaviour objects are defined in
:mod:`limbeck.dialects` (the class of the same name, :class:`limbeck.dialects.base.DialectBehaviour`,
and one subclass per database), and the dialects build on the compiler, not the other way
round: so the compiler names here the facts it reads, each documented where the dialects set
it. A new fact the compiler reads is added to both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from limbeck.operations.protocols import SchemaTarget

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.types import TypeEngine


class DialectBehaviour(SchemaTarget, Protocol):
    """Facts about the target database that decide what lowering produces."""

    @property
    def name(self) -> str:
        """The registry key (``dialect.name``, or ``mariadb``)."""

    @property
    def display_name(self) -> str:
        """How messages name the database."""

    @property
    def dialect(self) -> Dialect:
        """The SQLAlchemy dialect statements are compiled with."""

    @property
    def if_exists_clauses(self) -> frozenset[str]:
        """Statements that take ``IF [NOT] EXISTS`` here, by operation."""

    @property
    def alter_column_order(self) -> tuple[str, ...]:
        """Order of the separate ALTERs one ``alter_column`` makes."""

    @property
    def alter_identity(self) -> bool:
        """``alter_column`` can add, change and drop ``GENERATED ... AS IDENTITY``."""

    @property
    def identity_drops_default(self) -> bool:
        """An identity added over a plain default drops the default first."""

    @property
    def deferrable_kinds(self) -> frozenset[str] | None:
        """Constraints (``__visit_name__``) that can be deferred; None: every kind."""

    @property
    def deferral_clause_kinds(self) -> frozenset[str] | None:
        """Constraints whose syntax takes ``NOT DEFERRABLE`` / ``INITIALLY``; None: every kind."""

    @property
    def foreign_key_match(self) -> bool:
        """``MATCH FULL|PARTIAL|SIMPLE`` on foreign keys."""

    @property
    def foreign_key_match_refusal(self) -> str:
        """Why ``MATCH`` is refused where it is off, in SQLAlchemy's words where it refuses too ('' otherwise)."""

    @property
    def drop_index_needs_table(self) -> bool:
        """DROP INDEX names the table."""

    @property
    def using_needs_type(self) -> bool:
        """``alter_column``'s ``postgresql_using`` is refused without a ``type_``."""

    @property
    def supports_comments(self) -> bool:
        """The database stores table and column comments."""

    @property
    def writes_table_comments(self) -> bool:
        """``create_table_comment`` / ``drop_table_comment`` write COMMENT ON TABLE (else they are refused)."""

    @property
    def inline_comments(self) -> bool:
        """Comments are part of CREATE TABLE / column definitions."""

    @property
    def implicit_returning(self) -> bool:
        """An ``op.execute()`` INSERT keeps the key-fetching clause SQLAlchemy adds (Alembic's text)."""

    def batch_copy_cast(self, source: TypeEngine[Any], target: TypeEngine[Any]) -> TypeEngine[Any] | None:
        """The type batch mode CASTs a copied column to (``None``: as is)."""

    @property
    def constraint_names_per_schema(self) -> bool:
        """Constraint names are unique per schema: batch mode drops the old table's first."""

    @property
    def serial_sequences(self) -> bool:
        """A serial column draws from a sequence of its own, which batch mode moves past the copy."""

    @property
    def identity_insert(self) -> bool:
        """Explicit identity values need ``SET IDENTITY_INSERT`` on around batch mode's copy."""

    @property
    def unqualified_references(self) -> bool:
        """A foreign key cannot name a schema: batch mode's new table references its own."""

    @property
    def names_ignore_case(self) -> bool:
        """Quoted column names compare without case: batch mode renames ``"Col"`` with ``col``."""

    def batch_needs_recreate(self, op: Any) -> bool:
        """Whether ``op`` makes a ``recreate="auto"`` batch rebuild the table."""

    def batch_cannot_alter(self, op: Any) -> bool:
        """Whether ALTER TABLE has no form for ``op`` (what ``recreate="never"`` refuses)."""

    def keyword_for_another_database(self, prefix: str) -> bool:
        """Whether ``<prefix>_...`` keywords are meant for another database limbeck knows."""


__all__ = ["DialectBehaviour"]
