"""TxLite (``txlite.py``): a database added by the README's recipe, its test table, and a project run with it.

The recipe followed to the letter: one module holds everything limbeck
decides for the database; at test time it is registered with SQLAlchemy
(``registry.register``, what a dialect package's entry point does) and with
limbeck (``limbeck.dialects.register``); this table checks its statements,
and a project is then rendered offline (guarded and validated, the script run
by Python's sqlite3) and run online. The table is ``TXLITE_CASES``, not
``CASES``: ``record_alembic.py`` records Alembic's output for ``CASES``, and
Alembic has no implementation for a database it does not know.
"""

from __future__ import annotations

import io
import sqlite3
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import limbeck_dialect_cases as cases
import limbeck_dialect_txlite as txlite
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Case, Error, Warn
from sqlalchemy.dialects import registry

from limbeck import command, dialects
from limbeck.config import Config
from limbeck.errors import UnsupportedOperation

NAME = txlite.NAME


@pytest.fixture(scope="module", autouse=True)
def _registered() -> Iterator[None]:
    registry.register(NAME, "limbeck_dialect_txlite", "TxLiteDialect")
    dialects.register(NAME, "limbeck_dialect_txlite:TxLiteBehaviour")
    yield
    dialects.unregister(NAME)
    registry.deregister(NAME)


def _table() -> sa.Table:
    return sa.Table(
        "t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("c", sa.Integer), schema="other"
    )


def _retype(op: Any) -> None:
    with op.batch_alter_table("t", schema="other", copy_from=_table()) as b:
        b.alter_column("c", type_=sa.String(20))


def _never(op: Any) -> None:
    with op.batch_alter_table("t", schema="other", copy_from=_table(), recreate="never") as b:
        b.alter_column("c", nullable=False)


TXLITE_CASES = [
    Case(
        "create_table",
        lambda op: op.create_table(
            "t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50), server_default="x")
        ),
        {NAME: "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    name VARCHAR(50) DEFAULT 'x', \n    PRIMARY KEY (id)\n)"},
    ),
    # its own @compiles variant
    Case("rename_column", lambda op: op.alter_column("t", "c", new_column_name="d"), {NAME: "ALTER TABLE t RENAME c TO d"}),
    # if_exists_clauses and display_name
    Case(
        "add_column_if_not_exists",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer), if_not_exists=True),
        {NAME: Warn("if_not_exists=True ignored: TxLite has no such clause", "ALTER TABLE t ADD COLUMN c INTEGER")},
    ),
    Case(
        "drop_index_if_exists",
        lambda op: op.drop_index("ix", table_name="t", if_exists=True),
        {NAME: "DROP INDEX IF EXISTS ix"},
    ),
    # its LOWERINGS
    Case(
        "alter_column_nullable",
        lambda op: op.alter_column("t", "c", nullable=False, existing_type=sa.Integer),
        {NAME: Error(UnsupportedOperation, "cannot change nullable")},
    ),
    Case(
        "create_foreign_key",
        lambda op: op.create_foreign_key("fk", "t", "p", ["p_id"], ["id"]),
        {NAME: Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect")},
    ),
    # batch_needs_recreate / batch_cannot_alter
    Case(
        "batch_retype",
        _retype,
        {
            NAME: [
                "CREATE TABLE other._alembic_tmp_t (\n    id INTEGER NOT NULL, \n    c VARCHAR(20), \n    PRIMARY KEY (id)\n)",
                "INSERT INTO other._alembic_tmp_t (id, c) SELECT other.t.id, CAST(other.t.c AS VARCHAR(20)) AS c \nFROM other.t",
                "DROP TABLE other.t",
                "ALTER TABLE other._alembic_tmp_t RENAME TO t",
            ]
        },
    ),
    Case("batch_never", _never, {NAME: Error(UnsupportedOperation, "is not supported on txlite")}),
    # binary_literal (the default, the SQL standard's)
    Case(
        "bulk_insert_bytes",
        lambda op: op.bulk_insert(sa.table("t", sa.column("id", sa.Integer), sa.column("b", sa.LargeBinary)),
                                  [{"id": 1, "b": b"\x00\xff"}]),
        {NAME: "INSERT INTO t (id, b) VALUES (1, X'00FF')"},
    ),
]


@pytest.mark.parametrize("case", TXLITE_CASES, ids=[case.id for case in TXLITE_CASES])
def test_sql(case: Case) -> None:
    cases.check(case, NAME)


# -- a project, end to end ----------------------------------------------------------------
A1 = """
op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))
op.create_index("ix_account_name", "account", ["name"])
op.bulk_insert(sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String)),
               [{"id": 1, "name": "it's"}, {"id": 2, "name": "b"}])
"""
B2 = """
op.alter_column("account", "name", new_column_name="title")
account = sa.Table("account", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("title", sa.String(50)), sa.Index("ix_account_name", "title"))
with op.batch_alter_table("account", copy_from=account) as batch:
    batch.alter_column("title", type_=sa.String(80), nullable=False)
"""


def _project(root: Path) -> Config:
    config = Config(str(root / "limbeck.ini"), stdout=io.StringIO())
    command.init(config, str(root / "migrations"))
    for rev, body in (("a1", A1), ("b2", B2)):
        script = command.revision(config, rev, rev_id=rev)
        assert script is not None and not isinstance(script, list)
        path = Path(script.path)
        upgrade = textwrap.indent(textwrap.dedent(body).strip(), "    ")
        path.write_text(path.read_text().replace("def upgrade() -> None:\n    pass", f"def upgrade() -> None:\n{upgrade}"))
    config.set_main_option("sqlalchemy.url", f"{NAME}:///{root / 'app.db'}")
    return config


def _schema(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        columns = conn.execute("SELECT name, type, \"notnull\" FROM pragma_table_info('account') ORDER BY cid").fetchall()
        rows = conn.execute("SELECT id, title FROM account ORDER BY id").fetchall()
        versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        conn.close()
    return columns, rows, versions


def test_a_project_renders_validates_and_runs_on_txlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path)
    config.output_buffer = io.StringIO()
    command.upgrade(config, "base:head", sql=True, guard=True, validate=True)
    script = config.output_buffer.getvalue()
    err = capsys.readouterr().err
    # transactional_ddl and begin_sql: one transaction around the run; version_guard None: a
    # comment naming the database as limbeck does
    assert script.startswith(f"BEGIN TRANSACTION;\n\n-- limbeck guard: {NAME} cannot stop a script on a condition;")
    assert script.count("BEGIN TRANSACTION;") == 1 and script.rstrip().endswith("COMMIT;")
    # statement_validator: every statement ran on an in-memory database; client_syntax: the script check
    executed = script.count(";\n")
    assert f"validation ({NAME}): {executed} statements: {executed} executed (sqlite)" in err
    assert f"script check: the script cuts back into its {executed} statements" in err
    # the script as the sqlite3 shell would run it
    offline = tmp_path / "offline.db"
    conn = sqlite3.connect(offline)
    conn.executescript(script)
    conn.close()
    expected_columns = [("id", "INTEGER", 1), ("title", "VARCHAR(80)", 1)]
    assert _schema(offline) == (expected_columns, [(1, "it's"), (2, "b")], [("b2",)])
    # online, through SQLAlchemy's dialect of that name
    command.upgrade(config, "head")
    assert _schema(tmp_path / "app.db") == _schema(offline)


def test_dialect_option_renders_for_txlite(tmp_path: Path) -> None:
    """``--dialect txlite`` on a project configured for SQLite writes the same script as a txlite URL."""
    config = _project(tmp_path)
    config.output_buffer = io.StringIO()
    command.upgrade(config, "base:head", sql=True)
    wanted = config.output_buffer.getvalue()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{tmp_path / 'app.db'}")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "base:head", sql=True, dialect=NAME)
    assert config.output_buffer.getvalue() == wanted and "ALTER TABLE account RENAME name TO title;" in wanted


def test_the_dialect_resolves_by_its_name() -> None:
    assert dialects.dialect_class(NAME) is txlite.TxLiteDialect
    behaviour = dialects.behaviour_for(txlite.TxLiteDialect())
    assert type(behaviour) is txlite.TxLiteBehaviour and behaviour.dialect_name == NAME
