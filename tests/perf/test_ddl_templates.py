"""Offline DDL filled in from templates (runtime.ddl_templates) is the SQL the operations compile to.

The reference is the same operations with the templates switched off
(``LIMBECK_DDL_TEMPLATES=0``), on every dialect. Every shape occurs several
times with other names, so templates are made and used; the names include
the ones that must never come from a template: upper case and reserved
words (quoted), names at and past the dialect's length limit (truncated),
names a naming convention makes from other names, and names that sort the
other way round.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.sql.elements import conv

from limbeck.errors import LimbeckWarning
from limbeck.operations import Operations
from limbeck.runtime import ddl_templates
from limbeck.testing.compile import offline_context

DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle")
#: names of every kind, each used where the others are, so every shape meets all of them
NAMES = ("orders_1", "b2", "Users", "user", "select", "x" * 30, "y" * 63, "z" * 64, "w" * 128, "a", "zz")


def render(dialect: str, fn: Callable[[Any], None], *, templates: bool = True, **opts: Any) -> tuple[str, int]:
    """The script ``fn(op)`` renders, and how many operations came from a template."""
    context, buffer = offline_context(dialect, **opts)
    context.impl.ddl_templates.enabled = templates
    with Operations.context(context) as op:
        fn(op)
    context.impl.flush()
    return buffer.getvalue(), context.impl.ddl_templates.hits


def same_both_ways(dialect: str, fn: Callable[[Any], None], **opts: Any) -> int:
    with warnings.catch_warnings(record=True) as with_templates:
        warnings.simplefilter("always")
        fast, hits = render(dialect, fn, **opts)
    with warnings.catch_warnings(record=True) as without:
        warnings.simplefilter("always")
        slow, _ = render(dialect, fn, templates=False, **opts)
    assert fast == slow
    assert [str(w.message) for w in with_templates] == [str(w.message) for w in without]
    return hits


def tables(op: Any) -> None:
    for i, name in enumerate(NAMES):
        other = NAMES[(i + 1) % len(NAMES)]
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column(other, sa.String(length=32), server_default="new", nullable=False),
            sa.Column("amount", sa.Numeric(12, 2), server_default=sa.text("0"), nullable=False),
            sa.Column("ref_id", sa.Integer(), nullable=True),
            sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP")),
            sa.CheckConstraint("amount >= 0", name=op.f(f"ck_{name}")),
            sa.ForeignKeyConstraint(["ref_id"], [f"{other}.id"], name=op.f(f"fk_{name}"), ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
            sa.UniqueConstraint(other, name=f"uq_{i}"),
        )
        op.create_table(name, sa.Column("id", sa.Integer(), primary_key=True), sa.Column("v", sa.Text()))
        op.create_table(name, sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column(other, sa.String(10), index=True, unique=True), schema="audit")
        op.drop_table(name)
        op.drop_table(name, schema="audit")


def columns_and_indexes(op: Any) -> None:
    for i, name in enumerate(NAMES):
        other = NAMES[(i + 3) % len(NAMES)]
        op.add_column(name, sa.Column(other, sa.String(length=64), nullable=True))
        op.add_column(name, sa.Column("n", sa.Integer(), server_default="0", nullable=False))
        op.add_column(name, sa.Column(other, sa.Boolean(), nullable=True))  # a CHECK where not native
        op.create_index(op.f(f"ix_{name}_{other}"), name, [other], unique=False)
        op.create_index(f"ix_{i}", name, [other, "n"], unique=True, schema="audit")
        op.create_index(None, name, [other])
        op.drop_index(op.f(f"ix_{name}_{other}"), table_name=name)
        op.drop_index(f"ix_{i}", table_name=name, schema="audit")
        op.drop_column(name, other)


def alters(op: Any) -> None:
    for i, name in enumerate(NAMES):
        other = NAMES[(i + 5) % len(NAMES)]
        op.alter_column(name, other, existing_type=sa.String(length=64), type_=sa.String(length=128),
                        existing_nullable=True)
        op.alter_column(name, other, existing_type=sa.Integer(), nullable=False, existing_nullable=True)
        op.alter_column(name, other, existing_type=sa.String(20), server_default=sa.text("'x'"),
                        existing_nullable=False)
        op.alter_column(name, other, new_column_name=f"{other}_2", existing_type=sa.Integer(),
                        existing_nullable=True)
        op.alter_column(name, other, comment="why", existing_type=sa.Integer(), existing_nullable=True)


def batches(op: Any) -> None:
    for name in NAMES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column("label", existing_type=sa.String(length=64), type_=sa.String(length=128),
                                  existing_nullable=True)
            batch_op.add_column(sa.Column("extra", sa.Integer(), nullable=True))


@pytest.mark.parametrize(
    ("dialect", "fn"),
    [
        (dialect, fn)
        for fn in (tables, columns_and_indexes, alters)
        for dialect in DIALECTS
        if not (dialect == "sqlite" and fn is alters)  # SQLite has no ALTER COLUMN outside batch mode
    ],
)
def test_templates_give_the_same_script(dialect: str, fn: Callable[[Any], None]) -> None:
    assert same_both_ways(dialect, fn) > 0


@pytest.mark.parametrize("dialect", ("postgresql", "mysql", "mssql", "oracle"))
def test_batch_mode_in_place(dialect: str) -> None:
    assert same_both_ways(dialect, batches) > 0


@pytest.mark.parametrize("dialect", DIALECTS)
def test_names_a_naming_convention_makes(dialect: str) -> None:
    convention = {
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s", "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s",
    }

    def unnamed(op: Any) -> None:
        for name in NAMES[:6]:
            op.create_table(
                name,
                sa.Column("id", sa.Integer(), nullable=False),
                sa.Column("code", sa.String(10), nullable=False),
                sa.CheckConstraint("id > 0", name="positive"),
                sa.PrimaryKeyConstraint("id"),
                sa.UniqueConstraint("code"),
            )
            op.create_index(None, name, ["code"])
            op.add_column(name, sa.Column("flag", sa.Boolean(create_constraint=True, name="flag"), nullable=True))

    same_both_ways(dialect, unnamed, target_metadata=sa.MetaData(naming_convention=convention))


def test_names_made_from_other_names_are_not_templated() -> None:
    """``index=True`` names its index ``ix_<table>_<column>``: a name inside a longer one."""

    def indexed(op: Any) -> None:
        for first, second in (("a", "b"), ("c", "d"), ("f", "e"), ("h", "g"), ("i", "j")):
            op.create_table(
                f"t_{first}{second}",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column(first, sa.Integer(), index=True),
                sa.Column(second, sa.Integer(), index=True),
            )

    script, hits = render("postgresql", indexed)
    assert hits == 0
    assert script == render("postgresql", indexed, templates=False)[0]
    assert script.index("ix_t_fe_e") < script.index("ix_t_fe_f")


@pytest.mark.parametrize("dialect", ("postgresql", "mysql"))
def test_an_error_is_raised_every_time(dialect: str) -> None:
    """A plain constraint name past the limit fails to compile: with the same error each time."""

    def failing(op: Any) -> None:
        for n in range(4):
            try:
                op.create_index(f"ix_{n}_" + "q" * 70, f"t{n}", ["x"])
            except sa.exc.IdentifierError as exc:
                op.execute(f"SELECT '{type(exc).__name__}'")

    script, hits = render(dialect, failing)
    assert script == render(dialect, failing, templates=False)[0] and hits == 0


def test_a_warning_is_given_every_time() -> None:
    def repeated(op: Any) -> None:
        for name in ("a1", "b1", "c1", "d1"):
            op.create_index(f"ix_{name}", name, ["x"], if_not_exists=True)

    with pytest.warns(LimbeckWarning) as caught:
        render("mssql", repeated)
    assert len([w for w in caught if "if_not_exists" in str(w.message)]) == 4
    assert same_both_ways("mssql", repeated) == 0  # a shape that warns is never templated


def test_a_listener_outside_sqlalchemy_turns_templates_off() -> None:
    def add_comment(target: Any, connection: Any, **kw: Any) -> None:
        connection.execute(sa.text(f"COMMENT ON TABLE {target.name} IS 'made here'"))

    event.listen(sa.Table, "after_create", add_comment)
    try:
        script, hits = render("postgresql", tables)
        assert hits == 0 and script.count("made here") == 3 * len(NAMES)
        assert script == render("postgresql", tables, templates=False)[0]
    finally:
        event.remove(sa.Table, "after_create", add_comment)
    assert render("postgresql", tables)[1] > 0


def test_listeners_registered_between_two_operations_are_seen() -> None:
    """The answer about listeners is kept while the registries hold the same listeners.

    One registered after some operations of a shape were templated turns
    templates off for the next one, also when another listener went at the
    same time (the registry keeps its size), and its removal turns them on again.
    """

    def sqlalchemy_s(target: Any, connection: Any, **kw: Any) -> None:
        pass

    sqlalchemy_s.__module__ = "sqlalchemy.sql.own"  # counts as one of SQLAlchemy's own

    def add_comment(target: Any, connection: Any, **kw: Any) -> None:
        connection.execute(sa.text(f"COMMENT ON TABLE {target.name} IS 'made here'"))

    def create(op: Any, names: str) -> None:
        for name in names.split():
            op.create_table(name, sa.Column("id", sa.Integer(), primary_key=True), sa.Column("v", sa.Text()))
            op.drop_table(name)

    hits: list[int] = []

    def run(op: Any) -> None:
        templates = op.migration_context.impl.ddl_templates
        create(op, "a1 a2 a3")
        hits.append(templates.hits)
        event.listen(sa.Table, "after_create", add_comment)  # a new listener
        create(op, "b1 b2")
        hits.append(templates.hits)
        event.remove(sa.Table, "after_create", add_comment)
        create(op, "c1 c2")
        hits.append(templates.hits)
        event.remove(sa.Table, "after_create", sqlalchemy_s)  # one goes, another comes: same size
        event.listen(sa.Table, "after_create", add_comment)
        create(op, "d1 d2")
        hits.append(templates.hits)

    event.listen(sa.Table, "after_create", sqlalchemy_s)
    try:
        script, _ = render("postgresql", run)
    finally:
        for fn in (sqlalchemy_s, add_comment):
            if event.contains(sa.Table, "after_create", fn):
                event.remove(sa.Table, "after_create", fn)
    assert [name for name in "a1 a2 a3 b1 b2 c1 c2 d1 d2".split() if f"TABLE {name} IS 'made here'" in script] == [
        "b1", "b2", "d1", "d2"
    ]
    assert hits[0] > 0 and hits[1] == hits[0] and hits[2] > hits[1] and hits[3] == hits[2]


def test_only_when_the_stream_keeps_texts_alone() -> None:
    from limbeck.review.script_tally import ScriptTally
    from limbeck.review.stream import StreamRecorder

    tally = ScriptTally()  # a plain --sql run: texts alone
    script, hits = render("postgresql", tables, stream_hooks=[tally.attach])
    assert hits > 0 and [check.ok for check in tally.checks()] == [True]
    recorder = StreamRecorder()  # lint and validation read the constructs
    script, hits = render("postgresql", tables, stream_hooks=[recorder.attach])
    assert hits == 0 and len(recorder.records) > 0
    assert all(not isinstance(r.statement.element, str) for r in recorder.records if r.kind.value == "ddl")


def test_an_observer_that_reads_constructs_added_during_a_run_stops_templates() -> None:
    """Whether the observers keep texts alone is kept while they stay the same ones."""
    from limbeck.review.script_tally import ScriptTally
    from limbeck.review.stream import StreamRecorder

    tally, reader = ScriptTally(), StreamRecorder()
    context, _ = offline_context("postgresql", stream_hooks=[tally.attach])
    templates = context.impl.ddl_templates
    with Operations.context(context) as op:
        tables(op)
        hits = templates.hits
        reader.attach(context)  # lint or validation starts reading
        tables(op)
        assert templates.hits == hits > 0
        context.impl.observers.remove(context.impl.observers[-1])
        tables(op)
        assert templates.hits > hits
    assert reader.records and all(not isinstance(r.statement.element, str) for r in reader.records if r.kind.value == "ddl")


def test_a_marker_inside_a_longer_identifier_is_not_a_template() -> None:
    assert ddl_templates._parse("CREATE INDEX ix_zq0000x ON zq0001x (a)", [0, 1]) is None
    template = ddl_templates._parse('CREATE INDEX zq0001x ON "x".zq0000x (zq0002x)', [2, 0, 1])
    assert template is not None and template.fill(["t", "c", "i"]) == 'CREATE INDEX t ON "x".i (c)'


def test_plain_names() -> None:
    context, _ = offline_context("postgresql")
    templates = context.impl.ddl_templates
    assert templates.plain("orders_1") and templates.plain("y" * 63)
    assert not any(templates.plain(n) for n in ("Users", "user", "select", "z" * 64, "a-b", "é", "1a"))
    assert conv("x") == "x"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_plain_asks_what_sqlalchemy_s_quote_answers(dialect: str) -> None:
    """The reserved-word and character checks :meth:`DDLTemplates.plain` makes itself are ``quote()``'s."""
    from sqlalchemy.sql.elements import quoted_name

    context, _ = offline_context(dialect)
    templates = context.impl.ddl_templates
    preparer = context.dialect.identifier_preparer
    assert templates._stock_preparer is preparer  # every built-in dialect quotes by SQLAlchemy's rules
    words = sorted(preparer.reserved_words)[:200] + ["_x", "_", "x_", "orders_1", "label_7", "a1b2", "t"]
    for word in words:
        if not ddl_templates._PLAIN.fullmatch(word):
            continue
        for name in (word, conv(word), quoted_name(word, None)):
            assert templates._unquoted(name) is (preparer.quote(name) == name), (dialect, type(name), word)
    # a name that carries its own quoting is asked of quote() itself
    assert not templates._unquoted(quoted_name("orders", True))
    assert templates._unquoted(quoted_name("select", False))


def test_a_dialect_that_quotes_its_own_way_is_asked_each_name() -> None:
    from sqlalchemy.dialects.postgresql.base import PGIdentifierPreparer

    class Quoting(PGIdentifierPreparer):
        def _requires_quotes(self, value: str) -> bool:
            return value == "orders" or super()._requires_quotes(value)

    assert ddl_templates._stock_quoting(PGIdentifierPreparer)
    assert not ddl_templates._stock_quoting(Quoting)
    context, _ = offline_context("postgresql")
    templates = context.impl.ddl_templates
    templates._stock_preparer = None
    templates._quote = Quoting(context.dialect).quote
    assert not templates.plain("orders") and templates.plain("orders_1")


def test_migration_context_copies_every_field_of_a_statement() -> None:
    """``MigrationContext.emit`` tags a statement with its revision field by field, in this order:
    a field added to ``Statement`` must be added there too (this fails until it is)."""
    import dataclasses

    from limbeck.compiler.statement import Statement

    names = [f.name for f in dataclasses.fields(Statement)]
    assert names == ["kind", "element", "revision", "direction", "source", "multiparams", "params",
                     "execution_options", "autocommit", "info"]


def test_statements_from_templates_carry_the_running_revision() -> None:
    """A statement made from a template is made with the revision and direction ``emit`` would give it."""
    from types import SimpleNamespace

    step = SimpleNamespace(revision=SimpleNamespace(revision="ab12"), name="downgrade", to_revisions=())
    seen: list[list[Any]] = []
    for templates in (True, False):
        observed: list[Any] = []

        def observe(stmt: Any, texts: Any, observed: list[Any] = observed) -> None:
            observed.append((stmt.kind, stmt.revision, stmt.direction, texts))

        observe.text_only = True  # type: ignore[attr-defined]  # reads texts alone: templates stay on
        context, _ = offline_context("postgresql", stream_hooks=[lambda ctx, fn=observe: ctx.impl.observers.append(fn)])
        context.impl.ddl_templates.enabled = templates
        with context.running(step), Operations.context(context) as op:  # type: ignore[arg-type]
            tables(op)
        assert (context.impl.ddl_templates.hits > 0) is templates
        seen.append(observed)
    assert seen[0] == seen[1]
    assert {(kind.value, revision, direction) for kind, revision, direction, _ in seen[0]} == {("ddl", "ab12", "downgrade")}


def test_type_keys_differ_exactly_where_the_types_do() -> None:
    from limbeck.compiler.op_shapes import type_key

    same = [(sa.String(length=32), sa.String(length=32)), (sa.Numeric(12, 2), sa.Numeric(12, 2)),
            (sa.Integer(), sa.Integer())]
    for a, b in same:
        assert type_key(a) == type_key(b)
    different = [
        (sa.String(length=32), sa.String(length=33)),
        (sa.String(length=1), sa.String(length=True)),  # equal values of another class
        (sa.Numeric(12, 2), sa.Numeric(12, 2, asdecimal=False)),
        (sa.Numeric(12, 2), sa.Numeric(12.0, 2)),
        (sa.Integer(), sa.BigInteger()),
        (sa.String(length=32), sa.Unicode(length=32)),
    ]
    for a, b in different:
        assert type_key(a) != type_key(b), (a, b)
    # once SQLAlchemy memoized its own key on an instance, that memo is not part of the key
    keyed = [sa.String(length=32), sa.String(length=32), sa.String(length=33)]
    for t in keyed:
        t._static_cache_key  # noqa: B018
        assert "_static_cache_key" in vars(t)
    assert type_key(keyed[0]) == type_key(keyed[1]) != type_key(keyed[2])


def test_a_function_that_registers_compile_hooks_is_seen() -> None:
    from sqlalchemy.ext.compiler import compiles

    def plain(op: Any) -> None:
        op.create_index("ix", "t", ["c"])

    def registers(op: Any) -> None:
        @compiles(sa.schema.CreateIndex)
        def tagged(element: Any, compiler: Any, **kw: Any) -> str:
            return str(compiler.visit_create_index(element, **kw))

    def listens(op: Any) -> None:
        def inner() -> None:
            event.listen(sa.Table, "after_create", lambda *a, **k: None)

        inner()

    assert not ddl_templates.registers_at_run_time([plain, len, 42])
    assert ddl_templates.registers_at_run_time([plain, registers])
    assert ddl_templates.registers_at_run_time([listens])  # in a nested function too
