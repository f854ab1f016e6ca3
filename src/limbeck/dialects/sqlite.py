"""SQLite: no transactional DDL in Alembic's sense, ALTER limited to a few forms.

https://www.sqlite.org/lang_altertable.html: SQLite can rename a table, add,
rename and drop a column. Other changes need batch mode ("move and copy").
"""

from __future__ import annotations

from typing import ClassVar

from limbeck.dialects.base import DialectBehaviour


class SQLiteBehaviour(DialectBehaviour):
    name: ClassVar[str] = "sqlite"
    # SQLite can roll back DDL, but Alembic treats it as non-transactional so
    # that each revision commits on its own; kept for identical scripts
    transactional_ddl: ClassVar[bool] = False
