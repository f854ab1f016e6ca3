"""What ``alembic.ddl.postgresql`` answers: the impl classes, and PostgreSQL's ``@compiles`` renderers.

A dialect derived from PostgreSQL registers these for its own name
(sqlalchemy-redshift: ``compiles(RenameTable, "redshift")(visit_rename_table)``,
``compiles(ColumnComment, "redshift")(visit_column_comment)``), so each is
limbeck's PostgreSQL rendering, whatever dialect compiles it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.compiler import DDLCompiler

from limbeck.alembic_modules.ddl import *  # the impl classes, as alembic.ddl.postgresql has them
from limbeck.alembic_modules.ddl import __all__ as _impls
from limbeck.alembic_modules.ddl_base import IdentityColumnDefault, as_column_identity
from limbeck.compiler import ansi
from limbeck.compiler.constructs import ColumnType
from limbeck.dialects import postgresql as _pg
from limbeck.operations.constraints import CreateExcludeConstraintOp

__all__ = [*_impls, "CreateExcludeConstraintOp",  # noqa: PLE0604 - the impl names are Alembic's (see alembic_modules.ddl) "PostgresqlColumnType", "visit_column_comment",
           "visit_column_type", "visit_identity_column", "visit_rename_table"]

#: Alembic's PostgreSQL type change (with ``using=``): limbeck's ``ColumnType`` takes ``using`` itself
PostgresqlColumnType = ColumnType

visit_rename_table = ansi.rename_table_in_place
visit_column_comment = ansi.visit_column_comment
visit_column_type = _pg.visit_column_type


def visit_identity_column(element: IdentityColumnDefault, compiler: DDLCompiler, **kw: Any) -> str:
    """PostgreSQL's ``ADD GENERATED`` / ``SET ...`` / ``DROP IDENTITY`` for Alembic's identity construct."""
    return _pg.visit_column_identity(as_column_identity(element), compiler, **kw)
