"""Batch mode's errors: one line naming the table, operation, revision and remedy."""

from __future__ import annotations

import io
import textwrap
import warnings
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.errors import (
    CommandError,
    LimbeckWarning,
    OfflineNotSupported,
    UnsupportedOperation,
)
from limbeck.operations import Operations
from limbeck.testing.compile import compile_ops

REVISION = '''"""batch"""
import sqlalchemy as sa
from alembic import op

revision = "b1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
{body}


def downgrade():
    pass
'''


def offline_project(tmp_path: Path, body: str) -> Config:
    ini = tmp_path / "limbeck.ini"
    command.init(Config(str(ini)), str(tmp_path / "migrations"))
    env = tmp_path / "migrations" / "env.py"
    env.write_text(env.read_text().replace("    fileConfig(config.config_file_name)", "    pass"))
    text = REVISION.format(body=textwrap.indent(textwrap.dedent(body).strip(), "    "))
    (tmp_path / "migrations" / "versions" / "b1_batch.py").write_text(text)
    config = Config(str(ini))
    config.output_buffer = io.StringIO()
    return config


def test_offline_rebuild_without_copy_from_names_the_revision(tmp_path: Path) -> None:
    config = offline_project(tmp_path, """
        with op.batch_alter_table("foo") as batch_op:
            batch_op.alter_column("x", nullable=False)
    """)
    with pytest.raises(OfflineNotSupported) as caught:
        command.upgrade(config, "head", sql=True, dialect="sqlite")
    message = str(caught.value)
    assert "\n" not in message
    assert "b1_batch.py (revision b1, upgrade)" in message
    assert "batch_alter_table('foo'): " in message
    # Alembic's message, whole
    assert (
        'This operation cannot proceed in --sql mode; batch mode with dialect sqlite requires a live database '
        'connection with which to reflect the table "foo". To generate a batch SQL migration script using table '
        '"move and copy", a complete Table object should be passed to the "copy_from" argument of the '
        "batch_alter_table() method so that table reflection can be skipped."
    ) in message


def test_offline_rebuild_with_copy_from_through_the_cli_path(tmp_path: Path) -> None:
    config = offline_project(tmp_path, """
        foo = sa.Table("foo", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))
        with op.batch_alter_table("foo", copy_from=foo) as batch_op:
            batch_op.alter_column("x", nullable=False)
    """)
    command.upgrade(config, "head", sql=True, dialect="sqlite")
    script = config.output_buffer.getvalue()  # type: ignore[union-attr]
    assert "CREATE TABLE _alembic_tmp_foo (\n    id INTEGER NOT NULL, \n    x INTEGER NOT NULL," in script
    assert script.index("ALTER TABLE _alembic_tmp_foo RENAME TO foo;") < script.index("INSERT INTO alembic_version")


def test_offline_without_copy_from_is_fine_when_nothing_is_rebuilt() -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.add_column(sa.Column("q", sa.Integer))
            b.create_index("ix_q", ["q"])

    assert compile_ops("sqlite", fn) == "ALTER TABLE foo ADD COLUMN q INTEGER;\n\nCREATE INDEX ix_q ON foo (q);"


def test_recreate_never_with_a_change_sqlite_cannot_alter() -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="never") as b:
            b.add_column(sa.Column("q", sa.Integer))
            b.alter_column("x", nullable=False)

    with pytest.raises(UnsupportedOperation) as caught:
        compile_ops("sqlite", fn)
    assert str(caught.value) == (
        "batch_alter_table('foo', recreate='never'): alter_column('x') is not supported on sqlite: "
        "SQLite's ALTER TABLE cannot change nullable; use recreate='auto' (or 'always') so the table is rebuilt"
    )


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_rebuild_that_keeps_no_old_column_is_refused(dialect: str) -> None:
    # nothing to SELECT the rows from: the new table would start empty (Alembic: KeyError)
    def fn(op: Operations) -> None:
        source = sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer))
        with op.batch_alter_table("t", copy_from=source, recreate="always") as b:
            b.add_column(sa.Column("n", sa.Integer, server_default="0", nullable=False))
            b.drop_column("a")

    with pytest.raises(UnsupportedOperation, match="no column of the old table is left to copy"):
        compile_ops(dialect, fn)


def test_a_self_reference_to_a_dropped_column_is_refused() -> None:
    # the new table's self-reference has no column to point at (was a CompileError about NullType)
    def fn(op: Operations) -> None:
        source = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                          sa.Column("pid", sa.Integer, sa.ForeignKey("t.id")))
        with op.batch_alter_table("t", copy_from=source, recreate="always") as b:
            b.drop_column("id")

    with pytest.raises(CommandError, match="references its column 'id', which the new table does not have"):
        compile_ops("sqlite", fn)


def test_nothing_is_emitted_before_a_batch_error() -> None:
    # the error stops the batch before its first statement, even the ALTER-able ones
    def fn(op: Operations) -> None:
        op.execute("SELECT 1")
        with op.batch_alter_table("foo", recreate="never") as b:
            b.add_column(sa.Column("q", sa.Integer))
            b.drop_column("y")
            b.alter_column("x", type_=sa.String(5))

    from limbeck.testing.compile import offline_context

    context, buffer = offline_context("sqlite")
    with pytest.raises(UnsupportedOperation), Operations.context(context) as op:
        fn(op)  # type: ignore[arg-type]
    context.impl.flush()
    assert buffer.getvalue().strip() == "SELECT 1;"


def test_recreate_never_with_add_column_alters() -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="never") as b:
            b.add_column(sa.Column("q", sa.Integer))

    assert compile_ops("sqlite", fn) == "ALTER TABLE foo ADD COLUMN q INTEGER;"


def test_recreate_never_drops_and_renames_columns_with_alter() -> None:
    # SQLite has DROP COLUMN since 3.35 and RENAME COLUMN since 3.25; Alembic emits both here
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="never") as b:
            b.drop_column("y")
            b.alter_column("x", new_column_name="x2")
            b.create_index("ix_x2", ["x2"])

    assert compile_ops("sqlite", fn) == (
        "ALTER TABLE foo DROP COLUMN y;\n\nALTER TABLE foo RENAME COLUMN x TO x2;\n\nCREATE INDEX ix_x2 ON foo (x2);"
    )


CONSTRAINTS = "No support for ALTER of constraints in SQLite dialect"  # Alembic's words, as its refusal says


@pytest.mark.parametrize(
    "change, said",
    [
        (lambda b: b.add_column(sa.Column("q", sa.Integer, unique=True)), CONSTRAINTS),
        (lambda b: b.alter_column("x", new_column_name="x2", nullable=False), "cannot change nullable"),
        (lambda b: b.alter_column("x", server_default="0"), "cannot change server_default"),
        (lambda b: b.drop_constraint("uq", type_="unique"), CONSTRAINTS),
    ],
    ids=["unique_column", "rename_and_nullable", "server_default", "drop_constraint"],
)
def test_recreate_never_refuses_what_alter_cannot_do(change: Any, said: str) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="never") as b:
            change(b)

    with pytest.raises(UnsupportedOperation, match=rf"^batch_alter_table\('foo', recreate='never'\): .*{said}.*"
                       r"[uU]se recreate='auto' \(or 'always'\) so the table is rebuilt"):
        compile_ops("sqlite", fn)


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mssql", "sqlite"])
def test_insert_before_needs_a_rebuild(dialect: str) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.add_column(sa.Column("q", sa.Integer), insert_before="x")

    with pytest.raises(CommandError, match=r"^batch_alter_table\('foo'\): add_column\('q'\): Can't specify insert_before or insert_after when using "
                       r"ALTER; please specify recreate='always'"):
        compile_ops(dialect, fn)


@pytest.mark.parametrize("recreate", ["auto", "never"])
def test_insert_before_is_refused_at_the_call_as_in_alembic(recreate: str) -> None:
    """Alembic raises inside the block, at ``add_column``: what follows the call does not run,
    and a revision that catches the error there goes on with the rest of the batch."""
    reached: list[str] = []

    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate=recreate) as b:
            with pytest.raises(CommandError, match=r"add_column\('q'\): Can't specify insert_before"):
                b.add_column(sa.Column("q", sa.Integer), insert_after="x")
                reached.append("after the call")
            b.add_column(sa.Column("r", sa.Integer))

    assert compile_ops("sqlite", fn) == "ALTER TABLE foo ADD COLUMN r INTEGER;"
    assert reached == []


def test_unknown_constraint_and_index_and_column() -> None:
    source = sa.Table("foo", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))
    cases = {
        "drop_constraint: No such constraint: 'nope'": lambda b: b.drop_constraint("nope"),
        "drop_index: No such index: 'ix_nope'": lambda b: b.drop_index("ix_nope"),
        "drop_column('nope'): no column 'nope' in the table": lambda b: b.drop_column("nope"),
        "alter_column('nope'): no column 'nope' in the table": lambda b: b.alter_column("nope", nullable=True),
        "add_column: column 'x' already exists": lambda b: b.add_column(sa.Column("x", sa.Integer)),
    }
    for message, action in cases.items():
        def fn(op: Operations, action=action) -> None:  # type: ignore[no-untyped-def]
            with op.batch_alter_table("foo", copy_from=source, recreate="always") as b:
                action(b)

        with pytest.raises(CommandError) as caught:
            compile_ops("sqlite", fn)
        assert str(caught.value) == f"batch_alter_table('foo'): {message}"


@pytest.mark.parametrize("drop", ["drop_constraint", "drop_index"])
def test_dropping_what_the_table_lacks_is_a_value_error_as_in_alembic(drop: str) -> None:
    """Alembic raises ``ValueError("No such constraint: 'nope'")``: ``except ValueError`` catches
    limbeck's too (found by online fuzzing, where the two failures differed in class)."""
    alembic_ops = pytest.importorskip("alembic.operations")
    from alembic.migration import MigrationContext as AlembicContext

    from limbeck.runtime.migration import MigrationContext

    caught = []
    for make in (lambda c: alembic_ops.Operations(AlembicContext.configure(c)),
                 lambda c: Operations(MigrationContext.configure(c))):
        engine = sa.create_engine("sqlite://")
        with engine.begin() as conn, pytest.raises(ValueError) as error:
            conn.exec_driver_sql("CREATE TABLE foo (id INTEGER PRIMARY KEY, x INTEGER)")
            with make(conn).batch_alter_table("foo", recreate="always") as b:
                getattr(b, drop)("nope")
        caught.append(error.value)
        engine.dispose()
    assert isinstance(caught[1], CommandError) and "'nope'" in str(caught[1])


def test_bad_recreate_value() -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="sometimes"):
            pass

    with pytest.raises(CommandError, match=r"recreate must be one of 'auto', 'always', 'never', got 'sometimes'"):
        compile_ops("sqlite", fn)


def test_partial_reordering_without_a_rebuild_warns() -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", partial_reordering=[("b", "a")]) as b:
            b.add_column(sa.Column("q", sa.Integer))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert compile_ops("postgresql", fn) == "ALTER TABLE foo ADD COLUMN q INTEGER;"
    assert [w.category for w in caught] == [LimbeckWarning]
    assert "partial_reordering is ignored" in str(caught[0].message)
    assert caught[0].filename == __file__  # the batch block's line, not limbeck's


def test_an_exception_in_the_block_emits_nothing() -> None:
    from limbeck.testing.compile import offline_context

    context, buffer = offline_context("sqlite")
    with (
        pytest.raises(RuntimeError),
        Operations.context(context) as op,
        op.batch_alter_table("foo") as b,  # type: ignore[attr-defined]
    ):
        b.add_column(sa.Column("q", sa.Integer))
        raise RuntimeError("user code failed")
    context.impl.flush()
    assert buffer.getvalue() == ""


def test_exclude_constraint_alters_on_postgresql_and_refuses_a_rebuild() -> None:
    def batch(op: Operations, recreate: str) -> None:
        with op.batch_alter_table("foo", recreate=recreate, copy_from=SOURCE) as b:
            b.create_exclude_constraint("ex_x", ("x", "="), using="gist")
            b.add_column(sa.Column("q", sa.Integer))

    def plain(op: Operations) -> None:
        op.create_exclude_constraint("ex_x", "foo", ("x", "="), using="gist")
        op.add_column("foo", sa.Column("q", sa.Integer))

    assert compile_ops("postgresql", lambda op: batch(op, "auto")) == compile_ops("postgresql", plain)
    with pytest.raises(CommandError, match=r"^batch_alter_table\('foo'\): create_exclude_constraint cannot be part of a table rebuild; run it after the batch$"):
        compile_ops("postgresql", lambda op: batch(op, "always"))


SOURCE = sa.Table("foo", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))
