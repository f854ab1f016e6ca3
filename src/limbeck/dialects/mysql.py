"""MySQL: DDL commits implicitly, so each revision is its own transaction."""

from __future__ import annotations

from typing import ClassVar

from limbeck.dialects.base import DialectBehaviour


class MySQLBehaviour(DialectBehaviour):
    name: ClassVar[str] = "mysql"
    # https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html
    transactional_ddl: ClassVar[bool] = False
