"""MariaDB: MySQL's behaviour, with its own constraint syntax where they differ."""

from __future__ import annotations

from typing import ClassVar

from limbeck.dialects.mysql import MySQLBehaviour


class MariaDBBehaviour(MySQLBehaviour):
    name: ClassVar[str] = "mariadb"
