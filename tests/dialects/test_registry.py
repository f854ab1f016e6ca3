"""The registry: a dialect name on the command line becomes SQLAlchemy's dialect once, and its behaviour."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects.mysql.pymysql import MySQLDialect_pymysql
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.dialects.sqlite.base import SQLiteDialect

from limbeck import dialects
from limbeck.dialects import (
    UnknownDialect,
    behaviour_class_of,
    behaviour_for,
    dialect_class,
)
from limbeck.dialects.base import DialectBehaviour
from limbeck.dialects.mariadb import MariaDBBehaviour
from limbeck.dialects.mysql import MySQLBehaviour
from limbeck.errors import CommandError


@pytest.mark.parametrize("name, base", [("postgresql", PGDialect), ("postgresql+psycopg2", PGDialect), ("sqlite", SQLiteDialect)])
def test_a_dialect_name_becomes_sqlalchemy_s_dialect_class(name: str, base: type) -> None:
    assert issubclass(dialect_class(name), base)


@pytest.mark.parametrize("name", ["nope", "post gres", "postgresql+nodriver"])
def test_an_unknown_name_is_one_command_error_naming_it(name: str) -> None:
    with pytest.raises(UnknownDialect) as caught:
        dialect_class(name)
    assert isinstance(caught.value, CommandError)
    assert str(caught.value) == f"unknown SQLAlchemy dialect '{name}'" and caught.value.name == name


def test_mariadb_behind_a_mysql_driver_gets_mariadb_s_behaviour() -> None:
    dialect = MySQLDialect_pymysql()
    assert behaviour_class_of(dialect) is MySQLBehaviour
    dialect.is_mariadb = True  # what SQLAlchemy sets on connecting to a MariaDB server
    assert behaviour_class_of(dialect) is MariaDBBehaviour
    behaviour = behaviour_for(dialect)
    assert behaviour.name == "mariadb" and behaviour.dialect_name == "mariadb" and dialect.name == "mysql"


def test_a_database_without_a_module_gets_the_default_behaviour_under_its_own_name() -> None:
    class Other(SQLiteDialect):
        name = "otherdb"

    behaviour = behaviour_for(Other())
    assert type(behaviour) is DialectBehaviour
    assert behaviour.name == "default" and behaviour.dialect_name == "otherdb"


def test_keywords_of_a_registered_database_are_another_database_s() -> None:
    behaviour = behaviour_for(dialect_class("sqlite")())
    assert behaviour.keyword_for_another_database("postgresql")
    assert not behaviour.keyword_for_another_database("sqlite")
    assert not behaviour.keyword_for_another_database("otherdb")
    dialects.register("otherdb", "limbeck.dialects.base:DialectBehaviour")
    try:
        assert behaviour.keyword_for_another_database("otherdb")
        assert "otherdb" in dialects.registered() and "otherdb" not in dialects.KNOWN_DIALECTS
    finally:
        dialects.unregister("otherdb")
    assert not behaviour.keyword_for_another_database("otherdb")
