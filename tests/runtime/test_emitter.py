"""The emitter's offline rendering rules and online execution, per dialect."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from limbeck.compiler.statement import Kind, Statement
from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext
from limbeck.testing import compile_ops, offline_context


def render(dialect: str, *stmts: Statement, **opts: object) -> str:
    context, buffer = offline_context(dialect, **opts)
    for stmt in stmts:
        context.emit(stmt)
    return buffer.getvalue()


def test_terminator_and_blank_line_after_each_statement() -> None:
    out = render("postgresql", Statement(Kind.DDL, "CREATE TABLE a (x INT)"), Statement(Kind.DML, "DELETE FROM a"))
    assert out == "CREATE TABLE a (x INT);\n\nDELETE FROM a;\n\n"


def test_text_already_terminated_gets_no_second_terminator() -> None:
    assert render("mysql", Statement(Kind.DML, "select 1;")) == "select 1;\n\n"


@pytest.mark.parametrize(
    "dialect, expected",
    [
        ("mssql", "DROP TABLE a;\n\nGO\n\n"),
        ("oracle", "DROP TABLE a\n\n/\n\n"),
        ("sqlite", "DROP TABLE a;\n\n"),
    ],
)
def test_batch_separator_per_dialect(dialect: str, expected: str) -> None:
    assert render(dialect, Statement(Kind.DDL, "DROP TABLE a")) == expected


def test_separator_can_be_changed_or_disabled() -> None:
    stmt = Statement(Kind.DDL, "DROP TABLE a")
    assert render("mssql", stmt, mssql_batch_separator="GO 1") == "DROP TABLE a;\n\nGO 1\n\n"
    assert render("mssql", stmt, mssql_batch_separator=None) == "DROP TABLE a;\n\n"
    assert render("oracle", stmt, oracle_batch_separator="") == "DROP TABLE a\n\n"


@pytest.mark.parametrize(
    "dialect, begin, commit",
    [
        ("postgresql", "BEGIN;\n\n", "COMMIT;\n\n"),
        ("mssql", "BEGIN TRANSACTION;\n\n", "COMMIT;\n\nGO\n\n"),
    ],
)
def test_transaction_markers_where_ddl_is_transactional(dialect: str, begin: str, commit: str) -> None:
    out = render(dialect, Statement(Kind.BEGIN), Statement(Kind.COMMIT))
    assert out == begin + commit


@pytest.mark.parametrize("dialect", ["sqlite", "mysql", "mariadb", "oracle"])
def test_no_transaction_markers_without_transactional_ddl(dialect: str) -> None:
    assert render(dialect, Statement(Kind.BEGIN), Statement(Kind.COMMIT)) == ""


def test_transactional_ddl_can_be_forced() -> None:
    out = render("mysql", Statement(Kind.BEGIN), Statement(Kind.COMMIT), transactional_ddl=True)
    assert out == "BEGIN;\n\nCOMMIT;\n\n"


def test_forced_transaction_on_oracle_is_what_alembic_writes() -> None:
    """No bare BEGIN (SQL*Plus would read a PL/SQL block): SET TRANSACTION, run at "/" like the rest."""
    import alembic.migration

    stmts = (Statement(Kind.BEGIN), Statement(Kind.DDL, "DROP TABLE a"), Statement(Kind.COMMIT))
    ours = render("oracle", *stmts, transactional_ddl=True)
    assert ours == "SET TRANSACTION READ WRITE\n\n/\n\nDROP TABLE a\n\n/\n\nCOMMIT\n\n/\n\n"
    buffer = io.StringIO()
    context = alembic.migration.MigrationContext.configure(
        dialect_name="oracle", opts={"as_sql": True, "output_buffer": buffer, "transactional_ddl": True}
    )
    with context.begin_transaction():
        context.impl.execute("DROP TABLE a")
    assert buffer.getvalue() == ours


def test_percent_is_never_doubled_and_colon_text_is_raw() -> None:
    out = compile_ops("mysql", lambda op: op.execute("UPDATE t SET a = '100%' WHERE b = ':name'"))
    assert out == "UPDATE t SET a = '100%' WHERE b = ':name';"


def test_text_construct_binds_render_literally_with_literal_binds() -> None:
    stmt = sa.text("UPDATE t SET a = :v").bindparams(v="it's 5%")
    out = compile_ops("postgresql", lambda op: op.execute(stmt))
    assert out == "UPDATE t SET a = 'it''s 5%';"


def test_comment_and_static_text() -> None:
    context, buffer = offline_context("postgresql")
    context.emit(Statement(Kind.COMMENT, "-- Running upgrade  -> a1"))
    context.static_output("-- hand written")
    context.emit(Statement(Kind.TEXT, "printed\n"))
    assert buffer.getvalue() == "-- Running upgrade  -> a1\n\n-- hand written\n\nprinted\n"


def test_bulk_insert_renders_one_literal_insert_per_row() -> None:
    table = sa.table("t", sa.column("id", sa.Integer), sa.column("name"))
    out = compile_ops("postgresql", lambda op: op.bulk_insert(table, [{"id": 1, "name": "o'x"}, {"id": 2, "name": None}]))
    assert out == "INSERT INTO t (id, name) VALUES (1, 'o''x');\n\nINSERT INTO t (id, name) VALUES (2, NULL);"


def test_observers_see_each_statement_and_its_texts() -> None:
    context, _ = offline_context("mssql")
    seen: list[tuple[Kind, list[str] | None]] = []
    context.impl.observers.append(lambda stmt, texts: seen.append((stmt.kind, texts)))
    context.emit(Statement(Kind.BEGIN))
    context.emit(Statement(Kind.DDL, "DROP TABLE a"))
    assert seen == [(Kind.BEGIN, ["BEGIN TRANSACTION"]), (Kind.DDL, ["DROP TABLE a"])]


def test_output_is_held_during_a_run_and_dropped_on_failure() -> None:
    context, buffer = offline_context("postgresql")
    context.impl.hold()
    context.emit(Statement(Kind.DDL, "DROP TABLE a"))
    assert buffer.getvalue() == ""
    context.impl.rollback()
    context.impl.release()
    assert buffer.getvalue() == ""


def test_output_encoding_writes_bytes() -> None:
    raw = io.BytesIO()
    text = io.TextIOWrapper(raw, encoding="utf-8")
    context = MigrationContext.configure(
        dialect_name="postgresql", opts={"as_sql": True, "output_buffer": text, "output_encoding": "latin-1"}
    )
    context.execute("SELECT 'é'")
    text.flush()
    assert raw.getvalue() == "SELECT 'é';\n\n".encode("latin-1")


def test_online_execution_of_strings_constructs_and_executemany() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        context.execute("CREATE TABLE t (id INTEGER, name VARCHAR(20))")
        context.execute("INSERT INTO t VALUES (1, '100% :name')")
        table = sa.table("t", sa.column("id"), sa.column("name"))
        context.emit(Statement(Kind.DML, table.insert(), multiparams=({"id": 2, "name": "b"}, {"id": 3, "name": "c"})))
        rows = conn.execute(sa.text("SELECT id, name FROM t ORDER BY id")).all()
    assert rows == [(1, "100% :name"), (2, "b"), (3, "c")]


def test_online_begin_commit_markers_are_real_transactions() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        context.execute("CREATE TABLE t (id INTEGER)")
        context.impl.finish()
        with pytest.raises(RuntimeError):
            with context.begin_transaction(_per_migration=True):
                context.execute("INSERT INTO t VALUES (1)")
                raise RuntimeError("boom")
        with context.begin_transaction(_per_migration=True):
            context.execute("INSERT INTO t VALUES (2)")
        assert conn.execute(sa.text("SELECT id FROM t")).scalars().all() == [2]


def test_an_operation_that_cannot_be_rendered_writes_none_of_its_statements() -> None:
    """SQL Server's SET IDENTITY_INSERT ON stays out when the row after it cannot be rendered."""
    from limbeck.runtime.literals import LiteralValueError

    context, buffer = offline_context("mssql")
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("d", sa.Date))
    with Operations.context(context) as op:
        op.execute("SELECT 1")
        with pytest.raises(LiteralValueError, match="column 'd'"):
            op.bulk_insert(table, [{"id": 1, "d": object()}])
    context.impl.flush()
    assert buffer.getvalue() == "SELECT 1;\n\nGO\n\n"


def test_staged_operations_inside_a_staged_revision_keep_their_place() -> None:
    """``--keep-going`` stages a revision; each multi-statement operation in it is staged too."""
    context, buffer = offline_context("postgresql")
    table = sa.table("t", sa.column("id", sa.Integer))
    with context.impl.staged(), Operations.context(context) as op:
        op.execute("SELECT 1")
        op.bulk_insert(table, [{"id": 1}, {"id": 2}], multiinsert=False)
        op.execute("SELECT 2")
    context.impl.flush()
    assert buffer.getvalue().split(";\n\n") == [
        "SELECT 1", "INSERT INTO t (id) VALUES (1)", "INSERT INTO t (id) VALUES (2)", "SELECT 2", "",
    ]


def test_a_plain_sql_run_checks_what_a_recorder_would_check() -> None:
    """A plain --sql run keeps texts alone (ScriptTally): the same checks as records give, the
    revision of a statement the script loses, and --keep-going's marks with their revision and info."""
    from types import SimpleNamespace

    from limbeck.review.script_check import check_records
    from limbeck.review.script_tally import ScriptTally
    from limbeck.review.stream import UNRENDERED, StreamRecorder

    def run(lose: bool) -> tuple[ScriptTally, StreamRecorder]:
        tally, recorder = ScriptTally(), StreamRecorder()
        context, _ = offline_context("postgresql", stream_hooks=[tally.attach, recorder.attach])
        for revision, direction in (("a1", "upgrade"), ("a1", "downgrade"), ("b2", "upgrade")):
            step = SimpleNamespace(revision=SimpleNamespace(revision=revision), name=direction, to_revisions=())
            with context.running(step):  # type: ignore[arg-type]
                for stmt in (
                    Statement(Kind.DDL, "CREATE TABLE a (x INT)"),
                    Statement(Kind.COMMENT, "-- not rendered", info={UNRENDERED: f"{revision} failed"}),
                    Statement(Kind.DML, "DELETE FROM a -- ; trailing" if lose and revision == "b2" else "DELETE FROM a"),
                    Statement(Kind.TEXT, "SELECT 1; SELECT 2;\n"),
                    Statement(Kind.DDL, "DROP TABLE a", revision="other", direction="upgrade"),
                ):
                    context.emit(stmt)
        return tally, recorder

    tally, recorder = run(lose=False)
    assert tally.checks() == check_records(recorder.records)
    assert [(c.ok, c.expected) for c in tally.checks()] == [(True, 15)]
    marks = [(r.kind, r.revision, r.statement.direction, dict(r.info), r.statement.element) for r in tally.unrendered()]
    assert marks == [(Kind.COMMENT, rev, direction, {UNRENDERED: f"{rev} failed"}, None)
                     for rev, direction in (("a1", "upgrade"), ("a1", "downgrade"), ("b2", "upgrade"))]
    assert tally.dialect == "postgresql"
    tally, recorder = run(lose=True)  # a terminator inside a trailing comment: the cut loses a statement
    checks = tally.checks()
    assert checks == check_records(recorder.records)
    assert not checks[0].ok and checks[0].revision == "b2"


@pytest.mark.parametrize(
    "column",
    [
        sa.Column("x", sa.Integer, nullable=False),
        sa.Column("x", sa.Integer, sa.Computed("id * 2", persisted=True)),
    ],
    ids=["not-null", "stored"],
)
def test_an_explained_refusal_is_still_the_database_error(column: sa.Column[int]) -> None:
    """Each FAILURE_HINTS explanation: one line with the remedy, and still the driver's error
    class, so a revision written for Alembic (``except sqlalchemy.exc.OperationalError``) catches it."""
    from limbeck.errors import CommandError

    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        context = MigrationContext.configure(conn)
        with pytest.raises(sa.exc.OperationalError) as caught:
            with Operations.context(context) as op:
                op.add_column("t", column)
            context.impl.flush()
    err = caught.value
    assert isinstance(err, CommandError)
    assert "\n" not in str(err) and str(err).startswith("add_column(t.x): SQLite adds ")
    assert "(the database said: " in str(err)
    assert isinstance(err.__cause__, sa.exc.OperationalError) and not isinstance(err.__cause__, CommandError)
    assert err.orig is err.__cause__.orig


def test_a_one_row_insert_naming_no_column_is_refused_online_as_in_alembic() -> None:
    """``multiinsert=False`` rows go into Alembic's INSERT (``.values(**row)``), which refuses an
    unknown key (``CompileError: Unconsumed column names``); as parameters it would be dropped silently."""
    engine = sa.create_engine("sqlite://")
    table = sa.table("t", sa.column("a", sa.Integer))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (a INTEGER)")
        context = MigrationContext.configure(conn)
        with pytest.raises(sa.exc.CompileError, match=r"^bulk_insert\(t\): Unconsumed column names: zz "):
            with Operations.context(context) as op:
                op.bulk_insert(table, [{"a": 1}, {"a": 2, "zz": 3}], multiinsert=False)
            context.impl.flush()
        with Operations.context(context) as op:
            op.bulk_insert(table, [{"a": 1, "zz": 3}])  # one executemany: SQLAlchemy drops the key, as for Alembic
        # the first call's first row went in before its second was refused, as under Alembic
        assert conn.exec_driver_sql("SELECT a FROM t").all() == [(1,), (1,)]
