"""The Operations API itself: Alembic's names and arguments, custom operations, helpers.

Signatures are compared with those ``record_alembic_facts.py`` read from
Alembic, so a script calling ``op.<anything>(...)`` the Alembic way calls
limbeck the same way.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.sql.elements import conv

from limbeck.errors import CommandError
from limbeck.operations import MigrateOperation, Operations, ops
from limbeck.operations.batch import BatchOperations
from limbeck.runtime.migration import MigrationContext
from limbeck.testing import compile_ops

HERE = Path(__file__).resolve().parent
FACTS: dict[str, Any] = json.loads((HERE / "alembic_facts.json").read_text())

#: Alembic's names that are not this module's: batch mode has its own
#: engineer and tests; the module-proxy generator is replaced by PEP 562
OTHERS = {"batch_alter_table", "create_module_class_proxy"}
#: records that belong to autogenerate (containers) rather than to operations
CONTAINERS = {"DowngradeOps", "MigrationScript", "ModifyTableOps", "OpContainer", "UpgradeOps"}


def _signature(fn: Any) -> list[list[str]]:
    params = inspect.signature(fn).parameters.values()
    return [[p.name, p.kind.name, "" if p.default is p.empty else repr(p.default)] for p in params]


@pytest.mark.parametrize("name", sorted(set(FACTS["operations"]) - OTHERS))
def test_operations_method_has_alembics_signature(name: str) -> None:
    assert _signature(getattr(Operations, name)) == FACTS["operations"][name]


@pytest.mark.parametrize("name", sorted(set(FACTS["records"]) - CONTAINERS))
def test_record_has_alembics_constructor(name: str) -> None:
    ours = _signature(getattr(ops, name).__init__)
    theirs = FACTS["records"][name]
    if theirs == [["self", "POSITIONAL_ONLY", ""], ["args", "VAR_POSITIONAL", ""], ["kwargs", "VAR_KEYWORD", ""]]:
        # Alembic's abstract bases take anything
        return
    assert ours == theirs


#: Alembic's BatchOperations inherits these from its Operations base; in a batch they make no sense
BATCH_UNUSED = {"batch_alter_table", "create_module_class_proxy"}


@pytest.mark.parametrize("name", sorted(set(FACTS["batch_operations"]) - BATCH_UNUSED))
def test_batch_operations_method_has_alembics_signature(name: str) -> None:
    assert _signature(getattr(BatchOperations, name)) == FACTS["batch_operations"][name]


@pytest.mark.parametrize("name", sorted(FACTS["batch_classmethods"]))
def test_record_batch_classmethod_has_alembics_signature(name: str) -> None:
    """``AddColumnOp.batch_add_column(batch_op, ...)`` and the rest: what batch plugins call."""
    record, method = name.split(".")
    assert _signature(getattr(getattr(ops, record), method)) == FACTS["batch_classmethods"][name]


def _offline(dialect: str = "postgresql", **opts: Any) -> Operations:
    from limbeck.testing import offline_context

    context, _ = offline_context(dialect, **opts)
    return Operations(context)


# -- custom operations: the README example ------------------------------------------------


@Operations.register_operation("create_sequence")
class CreateSequenceOp(MigrateOperation):
    """A user-defined operation, exactly as an Alembic plugin writes one."""

    def __init__(self, sequence_name: str, schema: str | None = None) -> None:
        self.sequence_name = sequence_name
        self.schema = schema

    @classmethod
    def create_sequence(cls, operations: Operations, sequence_name: str, **kw: Any) -> Any:
        return operations.invoke(cls(sequence_name, **kw))

    def reverse(self) -> MigrateOperation:
        return DropSequenceOp(self.sequence_name, schema=self.schema)


@Operations.register_operation("drop_sequence")
class DropSequenceOp(MigrateOperation):
    def __init__(self, sequence_name: str, schema: str | None = None) -> None:
        self.sequence_name = sequence_name
        self.schema = schema

    @classmethod
    def drop_sequence(cls, operations: Operations, sequence_name: str, **kw: Any) -> Any:
        return operations.invoke(cls(sequence_name, **kw))


@Operations.implementation_for(CreateSequenceOp)
def create_sequence(operations: Operations, operation: CreateSequenceOp) -> None:
    name = f"{operation.schema}.{operation.sequence_name}" if operation.schema else operation.sequence_name
    operations.execute(f"CREATE SEQUENCE {name}")


@Operations.implementation_for(DropSequenceOp)
def drop_sequence(operations: Operations, operation: DropSequenceOp) -> None:
    name = f"{operation.schema}.{operation.sequence_name}" if operation.schema else operation.sequence_name
    operations.execute(f"DROP SEQUENCE {name}")


def test_custom_operation_goes_through_the_stream() -> None:
    def fn(op: Any) -> None:
        op.create_sequence("my_seq", schema="s")
        op.drop_sequence("my_seq")

    assert compile_ops("postgresql", fn) == "CREATE SEQUENCE s.my_seq;\n\nDROP SEQUENCE my_seq;"


def test_batch_plugin_calls_the_builtin_batch_classmethod(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin re-registering ``batch_op.add_column`` delegates to the record's classmethod, as with Alembic.

    The classmethod builds and queues the record itself: calling it from the
    new ``add_column`` does not call that ``add_column`` again.
    """
    monkeypatch.setattr(BatchOperations, "add_column", BatchOperations.add_column)  # undone after the test
    seen: list[str] = []

    @BatchOperations.register_operation("add_column", "batch_add_column")
    class LoggedAddColumnOp(ops.AddColumnOp):
        @classmethod
        def batch_add_column(cls, operations: Any, column: sa.Column[Any], **kw: Any) -> None:
            seen.append(column.name)
            super().batch_add_column(operations, column, **kw)

    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer))

    def fn(op: Any) -> None:
        with op.batch_alter_table("t", copy_from=table, recreate="always") as batch_op:
            batch_op.add_column(sa.Column("x", sa.Integer()), insert_before="a")
            ops.DropColumnOp.batch_drop_column(batch_op, "a")
            ops.CreateIndexOp.batch_create_index(batch_op, "ix_x", ["x"], unique=True)
            ops.AlterColumnOp.batch_alter_column(batch_op, "x", nullable=False, existing_type=sa.Integer())

    # Alembic 1.20.1 renders the same (the plugin and the direct classmethod calls included)
    assert compile_ops("sqlite", fn) == (
        "CREATE TABLE _alembic_tmp_t (\n    id INTEGER NOT NULL, \n    x INTEGER NOT NULL, \n    PRIMARY KEY (id)\n);"
        "\n\nINSERT INTO _alembic_tmp_t (id) SELECT t.id \nFROM t;\n\nDROP TABLE t;"
        "\n\nALTER TABLE _alembic_tmp_t RENAME TO t;\n\nCREATE UNIQUE INDEX ix_x ON t (x);"
    )
    assert seen == ["x"]


def test_batch_alter_column_warns_at_the_script_line_for_ignored_placement() -> None:
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer))
    line = inspect.currentframe().f_lineno  # type: ignore[union-attr]

    def fn(op: Any) -> None:
        with op.batch_alter_table("t", copy_from=table) as batch_op:
            batch_op.alter_column("a", insert_before="id", existing_type=sa.Integer())  # line + 4
            ops.AlterColumnOp.batch_alter_column(batch_op, "a", insert_after="id", existing_type=sa.Integer())

    with pytest.warns(UserWarning, match="is ignored") as caught:
        compile_ops("postgresql", fn)
    assert [(w.filename, w.lineno) for w in caught] == [(__file__, line + 4), (__file__, line + 5)]


def test_custom_operation_reverse() -> None:
    assert type(CreateSequenceOp("s").reverse()) is DropSequenceOp


def test_implementation_for_a_builtin_needs_replace() -> None:
    with pytest.raises(CommandError, match="replace=True"):
        Operations.implementation_for(ops.AddColumnOp)(lambda operations, operation: None)
    seen: list[str] = []

    def counting(operations: Operations, operation: ops.AddColumnOp) -> None:
        seen.append(operation.column.name)

    Operations.implementation_for(ops.AddColumnOp, replace=True)(counting)
    try:
        assert compile_ops("sqlite", lambda op: op.add_column("t", sa.Column("c", sa.Integer))) == ""
        assert seen == ["c"]
    finally:
        del Operations._to_impl[ops.AddColumnOp]
    assert compile_ops("sqlite", lambda op: op.add_column("t", sa.Column("c", sa.Integer))).startswith("ALTER TABLE")


def test_invoke_a_record_nobody_implements() -> None:
    class Nobody(MigrateOperation):
        pass

    with pytest.raises(CommandError, match="no implementation for operation Nobody"):
        _offline().invoke(Nobody())


def test_invoke_a_builtin_record_directly() -> None:
    def fn(op: Any) -> None:
        op.invoke(ops.RenameTableOp("t", "u"))
        op.invoke(ops.CreateTableCommentOp("t", "c"))

    assert compile_ops("postgresql", fn) == "ALTER TABLE t RENAME TO u;\n\nCOMMENT ON TABLE t IS 'c';"


# -- helpers ---------------------------------------------------------------------------------


def test_f_marks_a_name_final_under_a_naming_convention() -> None:
    md = sa.MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})

    def fn(op: Any) -> None:
        assert isinstance(op.f("keep_me"), conv)
        op.create_unique_constraint(op.f("keep_me"), "t", ["a"])
        op.create_unique_constraint(None, "t", ["a"])

    out = compile_ops("postgresql", fn, target_metadata=md)
    assert out == "ALTER TABLE t ADD CONSTRAINT keep_me UNIQUE (a);\n\nALTER TABLE t ADD CONSTRAINT uq_t_a UNIQUE (a);"


def test_get_context_and_get_bind_offline() -> None:
    op = _offline("mysql")
    assert op.get_context().dialect.name == "mysql"
    assert op.get_context().as_sql is True
    assert op.get_bind() is not None


def test_create_table_returns_the_table_it_created() -> None:
    op = _offline()
    table = op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), schema="s")
    assert (table.name, table.schema, [c.name for c in table.c]) == ("t", "s", ["id"])


def test_run_async_on_an_async_connection(tmp_path: Path) -> None:
    import asyncio

    from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

    async def add_rows(conn: AsyncConnection, count: int) -> int:
        for i in range(count):
            await conn.execute(sa.text("INSERT INTO t (id) VALUES (:i)"), {"i": i})
        return int((await conn.execute(sa.text("SELECT count(*) FROM t"))).scalar_one())

    def migrate(sync_conn: sa.Connection) -> int:
        op = Operations(MigrationContext.configure(sync_conn))
        op.create_table("t", sa.Column("id", sa.Integer))
        return int(op.run_async(add_rows, 3))

    async def main() -> int:
        engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
        async with engine.begin() as conn:
            result = await conn.run_sync(migrate)
        await engine.dispose()
        return result

    assert asyncio.run(main()) == 3


def test_run_async_refuses_offline() -> None:
    async def nothing(conn: Any) -> None:
        return None

    # offline on a sync dialect Alembic's bind is a sync mock: its ValueError, in its words, comes first
    with pytest.raises(ValueError, match="^Cannot call run_async with a sync engine") as refused:
        _offline().run_async(nothing)
    assert isinstance(refused.value, CommandError)
    # on an async dialect: Alembic's NotImplementedError (and a ValueError, Alembic 1.20's class offline)
    from limbeck.runtime.migration import MigrationContext as Context

    context = Context.configure(url="postgresql+asyncpg://u@h/d", opts={"as_sql": True})
    with pytest.raises(NotImplementedError, match="^Cannot call run_async in SQL mode .*cannot run in --sql mode") as refused:
        Operations(context).run_async(nothing)
    assert isinstance(refused.value, ValueError)


def test_run_async_refuses_a_sync_engine() -> None:
    async def nothing(conn: Any) -> None:
        return None

    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        op = Operations(MigrationContext.configure(conn))
        # a ValueError too, which is what Alembic raises here, with Alembic's text
        with pytest.raises(ValueError, match="^Cannot call run_async with a sync engine .*needs an async engine") as refused:
            op.run_async(nothing)
    assert isinstance(refused.value, CommandError)


def test_invoke_of_a_create_table_record_returns_the_table() -> None:
    # Alembic's implementation returns the Table; op.create_table(...) returns it too
    from limbeck.operations import ops

    op = _offline()
    table = op.invoke(ops.CreateTableOp("b", [sa.Column("id", sa.Integer)]))
    assert isinstance(table, sa.Table) and table.name == "b"
    assert op.create_table("c", sa.Column("id", sa.Integer)).name == "c"


def test_literal_binds_online_is_refused_as_alembic_refuses_it() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn, pytest.raises(CommandError, match="^Can't use literal_binds setting without as_sql mode$"):
        MigrationContext.configure(conn, opts={"literal_binds": True})


@pytest.mark.parametrize(
    ("call", "batch"),
    [
        (lambda op: op.drop_column("t", "c", "extra"), False),
        (lambda op: op.drop_column("t"), False),
        (lambda op: op.create_index("ix", "t", ["a"], False, "x", "y"), False),
        (lambda op: op.drop_column("c", "extra"), True),
    ],
)
def test_wrong_arguments_are_reported_as_alembics_method_reports_them(call: Any, batch: bool) -> None:
    """Python's own message for ``op.<name>(...)`` (a keylime downgrade passes the table to batch_op.drop_column):
    not the record's classmethod's name and count (``DropColumnOp.batch_drop_column() takes 3 ...``)."""
    alembic_migration = pytest.importorskip("alembic.runtime.migration")
    alembic_operations = pytest.importorskip("alembic.operations")
    messages = []
    for context_class, operations_class in ((alembic_migration.MigrationContext, alembic_operations.Operations),
                                            (MigrationContext, Operations)):
        op = operations_class(context_class.configure(dialect_name="sqlite", opts={"as_sql": True}))
        with pytest.raises(TypeError) as raised:
            if batch:
                with op.batch_alter_table("t", recreate="never") as batch_op:
                    call(batch_op)
            else:
                call(op)
        messages.append(str(raised.value))
    assert messages[1] == messages[0]
