"""Column types as each database reflects them, against the models' (Alembic's CompareMetadataToInspectorTest).

Unchanged types must not be reported; strings, datetimes and numerics that changed must be; MySQL's
character sets and unsigned integers as MariaDB reflects them. The pairs are ours.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)

from .agcorpus_common import BACKENDS, CompareCorpus

#: the same prefix as agcorpus_compare_suite: these cases were written with it
corpus = CompareCorpus("compare_suite")


# --- column types as each database reflects them (CompareMetadataToInspectorTest) -----------------
def _type_pair(id: str, created: Any, model: Any, dialects: tuple[str, ...] = BACKENDS) -> None:
    def tables(m: MetaData, is_model: bool) -> None:
        Table("sometable", m, Column("id", Integer, primary_key=True), Column("col", model if is_model else created))
    corpus.pair(f"type_{id}", tables, dialects=dialects)


def _mysql() -> Any:
    from sqlalchemy.dialects import mysql

    return mysql


for _name, _type in (("char", sa.CHAR()), ("varchar", sa.VARCHAR(32)), ("text", Text()), ("float", sa.FLOAT()),
                     ("numeric", Numeric()), ("decimal", sa.DECIMAL()), ("timestamp", sa.TIMESTAMP()),
                     ("datetime", DateTime()), ("boolean", sa.Boolean()), ("biginteger", BigInteger()),
                     ("smallinteger", sa.SmallInteger()), ("date", sa.DATE()), ("string", String(32)),
                     ("large_binary", sa.LargeBinary()), ("unicode", sa.Unicode(32)), ("json", sa.JSON()),
                     ("enum", sa.Enum("one", "two", "three", name="the_enum"))):
    _type_pair(f"unchanged_{_name}", _type, _type)
_type_pair("unchanged_mysql_longtext", _mysql().LONGTEXT(), _mysql().LONGTEXT(), ("mariadb",))
for _name, _created, _model in (
    ("string_varchar", String(32), sa.VARCHAR(32)), ("varchar_string", sa.VARCHAR(6), String(6)),
    ("char_string1", sa.CHAR(), String(1)), ("text_varchar255", Text(), sa.VARCHAR(255)),
    ("unicode_string", sa.Unicode(32), String(32)), ("unicode_varchar", sa.Unicode(32), sa.VARCHAR(32)),
    ("varchar_longer", sa.VARCHAR(6), sa.VARCHAR(12)), ("varchar_string_longer", sa.VARCHAR(6), String(12)),
    ("integer_to_string", Integer(), String(10)), ("string_to_integer", String(10), Integer()),
    ("datetime_explicit_naive", DateTime(), DateTime(timezone=False)),
    ("datetime_to_aware", DateTime(), DateTime(timezone=True)),
    ("aware_to_naive", DateTime(timezone=True), DateTime(timezone=False)),
    ("integer_numeric80", Integer(), Numeric(8, 0)), ("numeric80_numeric82", Numeric(8, 0), Numeric(8, 2)),
    ("biginteger_integer", BigInteger(), Integer()), ("smallinteger_integer", sa.SmallInteger(), Integer()),
):
    _type_pair(_name, _created, _model)
for _name, _created, _model in (
    ("mysql_varchar_utf8_unicode", lambda m: m.VARCHAR(200, charset="utf8"), lambda m: sa.Unicode(200)),
    ("mysql_varchar_charset_changed", lambda m: m.VARCHAR(200, charset="latin1"),
     lambda m: m.VARCHAR(200, charset="utf8mb4")),
    ("mysql_varchar_default_charset_same", lambda m: m.VARCHAR(200, charset="latin1"),
     lambda m: m.VARCHAR(200, charset="latin1")),
    ("mysql_varchar_other_charset_same", lambda m: m.VARCHAR(200, charset="utf8mb4"),
     lambda m: m.VARCHAR(200, charset="utf8mb4")),
    ("mysql_varchar_charset_to_default", lambda m: m.VARCHAR(200, charset="utf8mb4"), lambda m: m.VARCHAR(200)),
    ("mysql_unsigned_added", lambda m: m.INTEGER(), lambda m: m.INTEGER(unsigned=True)),
    ("mysql_string_collation_dropped", lambda m: String(255, collation="utf8mb4_bin"), lambda m: String(255)),
    ("mysql_unsigned_display_same", lambda m: m.INTEGER(unsigned=True, display_width=10),
     lambda m: m.INTEGER(unsigned=True, display_width=10)),
    ("mysql_unsigned_same", lambda m: m.INTEGER(unsigned=True), lambda m: m.INTEGER(unsigned=True)),
    ("mysql_unsigned_display_dropped", lambda m: m.INTEGER(unsigned=True, display_width=10),
     lambda m: m.INTEGER(unsigned=True)),
    ("mysql_unsigned_display_added", lambda m: m.INTEGER(unsigned=True),
     lambda m: m.INTEGER(unsigned=True, display_width=10)),
    ("mysql_unsigned_dropped", lambda m: m.INTEGER(unsigned=True), lambda m: m.INTEGER()),
):
    _type_pair(_name, _created(_mysql()), _model(_mysql()), ("mariadb",))


CASES = corpus.cases
