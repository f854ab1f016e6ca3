"""MariaDB: MySQL's behaviour, with more ``IF [NOT] EXISTS`` and ``mariadb_*`` keywords.

https://mariadb.com/kb/en/alter-table/: ``ADD COLUMN IF NOT EXISTS``,
``DROP COLUMN / INDEX / FOREIGN KEY / CONSTRAINT IF EXISTS`` and
``CREATE INDEX IF NOT EXISTS`` all exist. SQLAlchemy's ``mariadb`` dialect
reads ``mariadb_*`` keywords; scripts written for MySQL say ``mysql_*``
(``mysql_engine``, ``mysql_length``), so those are passed on under both names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from sqlalchemy.types import JSON, TypeEngine

from limbeck.dialects.base import CatalogFacts
from limbeck.dialects.mysql import MySQLBehaviour


class MariaDBBehaviour(MySQLBehaviour):
    name: ClassVar[str] = "mariadb"
    alembic_impl: ClassVar[str] = "MariaDBImpl"
    display_name: ClassVar[str] = "MariaDB"
    if_exists_clauses: ClassVar[frozenset[str]] = frozenset(
        {"create_table", "drop_table", "add_column", "drop_column", "create_index", "drop_index", "drop_constraint"}
    )
    dialect_kw_aliases: ClassVar[Mapping[str, str]] = {"mysql": "mariadb"}
    # https://mariadb.com/kb/en/alter-table/: SET DEFAULT takes any DEFAULT expression
    set_default_expressions: ClassVar[bool] = True
    # https://mariadb.com/kb/en/json/: JSON is an alias of LONGTEXT (with a json_valid CHECK)
    catalog: ClassVar[CatalogFacts] = replace(
        MySQLBehaviour.catalog, type_synonyms={"BOOLEAN": "TINYINT", "JSON": "LONGTEXT"}
    )

    def batch_copy_cast(self, source: TypeEngine[Any], target: TypeEngine[Any]) -> TypeEngine[Any] | None:
        """MySQL's rule, except that nothing is CAST to JSON when a batch rebuild copies the rows.

        MariaDB has no ``CAST(x AS JSON)`` (a syntax error; Alembic writes it
        all the same): its ``JSON`` is ``LONGTEXT`` with a ``json_valid()``
        CHECK, which checks each copied document itself.
        """
        affinity = getattr(target, "_type_affinity", None)
        if isinstance(affinity, type) and issubclass(affinity, JSON):
            return None
        return super().batch_copy_cast(source, target)
