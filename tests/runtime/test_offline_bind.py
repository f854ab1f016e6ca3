"""Offline ``op.get_bind()`` beyond Alembic: a falsy result whose rows are refused in one
line naming the revision file and line, ``--keep-going``, revision errors in one line,
and ``print()`` written as comments (``offline_print``)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from limbeck import command
from limbeck.cli import cli
from limbeck.config import Config
from limbeck.errors import CommandError, ConfigError, OfflineNotSupported

ACCOUNT = ("a1", None, None, None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))', 'op.drop_table("account")')
SELECT = 'result = op.get_bind().execute(sa.text("SELECT id FROM account"))'


def history(body: str, down: str = "pass") -> list[tuple[object, ...]]:
    return [ACCOUNT, ("b2", "a1", None, None, body, down), ("c3", "b2", None, None, 'op.execute("DELETE FROM account")', "pass")]


def render(config: Config, dialect: str = "postgresql", rev: str = "heads", **kw: object) -> str:
    buffer = io.StringIO()
    config.output_buffer = buffer
    command.upgrade(config, rev, sql=True, dialect=dialect, **kw)  # type: ignore[arg-type]
    return buffer.getvalue()


def line_of(config: Config, rev: str, marker: str) -> int:
    """The line of ``rev``'s file holding ``marker`` (what a refusal must name)."""
    path = Path(config.config_file_name or "").parent / "migrations" / "versions" / f"{rev}_revision.py"
    lines = path.read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if marker in text)


def refusal(config: Config, dialect: str = "postgresql") -> str:
    with pytest.raises(OfflineNotSupported) as caught:
        render(config, dialect)
    message = str(caught.value)
    assert "\n" not in message
    return message


# -- what executing writes and returns ---------------------------------------------------
@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mssql", "oracle", "sqlite"])
def test_result_is_falsy_and_the_statement_is_written(make_project: Callable[..., Config], dialect: str) -> None:
    body = SELECT + '\nop.execute("UPDATE account SET name = \'rows\'" if result else "UPDATE account SET name = \'no rows\'")'
    out = render(make_project(history=history(body)), dialect)
    assert out.index("SELECT id FROM account") < out.index("UPDATE account SET name = 'no rows'")
    assert "'rows'" not in out


ROW_ACCESS = [
    "result.fetchall()", "result.fetchone()", "result.fetchmany(2)", "result.first()", "result.one()",
    "result.one_or_none()", "result.scalar()", "result.scalar_one()", "result.scalar_one_or_none()",
    "result.scalars()", "result.mappings()", "result.all()", "result.rowcount", "result.keys()",
    "result.inserted_primary_key", "result.lastrowid", "result.returns_rows", "result.partitions()",
    "result.columns('id')", "result.tuples()", "result.unique()", "result.freeze()", "list(result)",
    "next(result)", "[row for row in result]", "dict(result.mappings().first())",
]


@pytest.mark.parametrize("access", ROW_ACCESS)
def test_row_access_is_refused_naming_file_and_line(make_project: Callable[..., Config], access: str) -> None:
    config = make_project(history=history(f"{SELECT}\nvalue = {access}  # reads rows"))
    message = refusal(config)
    line = line_of(config, "b2", "# reads rows")
    assert re.search(rf"b2_revision\.py:{line} \(revision b2, upgrade\): .* needs a live database and cannot be rendered with --sql$", message)


@pytest.mark.parametrize(
    "body, what",
    [
        ('op.get_bind().scalar(sa.text("SELECT count(*) FROM account"))', "get_bind().scalar()"),
        ('op.get_bind().scalars(sa.text("SELECT id FROM account"))', "get_bind().scalars()"),
        ("sa.inspect(op.get_bind())", "reflection (sqlalchemy.inspect)"),
        ('sa.Table("account", sa.MetaData(), autoload_with=op.get_bind())', "reflection (sqlalchemy.inspect)"),
        ("sa.MetaData().reflect(op.get_bind())", "reflection (sqlalchemy.inspect)"),
        # the deprecated constructors do not go through sqlalchemy.inspect(): refused when used
        ('sa.engine.reflection.Inspector.from_engine(op.get_bind()).get_columns("account")',
         "reflection (sqlalchemy Inspector)"),
        ('sa.engine.reflection.Inspector(op.get_bind()).get_columns("account")', "reflection (sqlalchemy Inspector)"),
        ("op.get_bind().commit()", "get_bind().commit"),
        ('op.get_bind().exec_driver_sql("UPDATE account SET name = %s", ("x",))', "exec_driver_sql() with parameters"),
    ],
)
def test_what_needs_a_database_is_refused_naming_file_and_line(make_project: Callable[..., Config], body: str, what: str) -> None:
    config = make_project(history=history(f"{body}  # asks the database"))
    message = refusal(config)
    line = line_of(config, "b2", "# asks the database")
    assert f"b2_revision.py:{line} (revision b2, upgrade): {what}" in message


def test_connection_attributes_alembic_lacks_behave_as_attribute_errors(make_project: Callable[..., Config]) -> None:
    """``hasattr``/``getattr(..., default)``/``except AttributeError`` written for Alembic still work."""
    body = (
        "bind = op.get_bind()\n"
        "assert not hasattr(bind, 'in_transaction') and getattr(bind, 'info', None) is None\n"
        + SELECT + "\n"
        "try:\n    rows = result.fetchall()\nexcept AttributeError:\n    rows = []\n"
        "op.execute(f\"UPDATE account SET name = '{len(rows)} rows'\")"
    )
    assert "UPDATE account SET name = '0 rows';" in render(make_project(history=history(body)))


def test_a_caught_refusal_reads_as_alembics_error_inside_the_revision(make_project: Callable[..., Config]) -> None:
    """A revision that prints what it caught writes Alembic's text (the same on every machine), not limbeck's line."""
    body = (
        "for attempt in (lambda: op.get_bind().close(), lambda: op.get_bind().scalar('SELECT 1'),\n"
        "                lambda: op.get_bind().execute(sa.text('SELECT 1')).fetchall(),\n"
        "                lambda: list(op.get_bind().execute(sa.text('SELECT 2')))):\n"
        "    try:\n        attempt()\n    except Exception as exc:\n        print(exc)\n"
    )
    out = render(make_project(history=history(body)))
    assert (
        "-- 'MockConnection' object has no attribute 'close'\n-- 'MockConnection' object has no attribute 'scalar'\n"
        "SELECT 1;\n\n-- 'NoneType' object has no attribute 'fetchall'\nSELECT 2;\n\n-- 'NoneType' object is not iterable\n"
    ) in out
    assert "needs a live database" not in out


#: what Alembic 1.20.1 raises for these, in its words (alembic/ddl/sqlite.py, ddl/mysql.py, operations/batch.py)
SQLITE_CONSTRAINTS = ("No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode feature "
                      "which allows for SQLite migrations using a copy-and-move strategy.")
MYSQL_UNTYPED_DROP = "No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type"
SQLITE_BATCH = ('This operation cannot proceed in --sql mode; batch mode with dialect sqlite requires a live database '
                'connection with which to reflect the table "account". To generate a batch SQL migration script using '
                'table "move and copy", a complete Table object should be passed to the "copy_from" argument of the '
                'batch_alter_table() method so that table reflection can be skipped.')
REBUILD = "def rebuild():\n    with op.batch_alter_table('account') as batch:\n        batch.drop_column('name')\n"
CATCHES = "    try:\n        attempt()\n    except Exception as exc:\n        print(exc)\n        print(repr(exc))\n"


@pytest.mark.parametrize("dialect, attempts, said", [
    ("sqlite", ("lambda: op.create_unique_constraint('uq_name', 'account', ['name']), "
                "lambda: op.drop_constraint('uq_name', 'account', type_='unique')"),
     [("NotImplementedError", SQLITE_CONSTRAINTS)] * 2),
    ("sqlite", "lambda: rebuild(),", [("CommandError", SQLITE_BATCH)]),
    ("mysql", "lambda: op.drop_constraint('uq_name', 'account'),", [("NotImplementedError", MYSQL_UNTYPED_DROP)]),
    ("mysql", "lambda: op.alter_column('account', 'name', nullable=False),",
     [("CommandError", "All MySQL CHANGE/MODIFY COLUMN operations require the existing type.")]),
    ("mysql", "lambda: op.create_foreign_key('fk', 'account', 'r', ['name'], ['id'], match='FULL'),",
     [("CompileError", "MySQL ignores the 'MATCH' keyword while at the same time causes ON UPDATE/ON DELETE clauses "
                       "to be ignored.")]),
    ("postgresql", ("lambda: op.alter_column('account', 'name', server_default=sa.Computed('id + 1')), "
                    "lambda: op.alter_column('account', 'name', postgresql_using='name::int')"),
     [("CompileError", 'Adding or removing a "computed" construct, e.g. GENERATED ALWAYS AS, to or from an existing '
                       "column is not supported."),
      ("CommandError", "postgresql_using must be used with the type_ parameter")]),
])
def test_a_caught_refusal_alembic_makes_too_reads_as_alembics(
    make_project: Callable[..., Config], dialect: str, attempts: str, said: list[tuple[str, str]]
) -> None:
    """A revision that catches a refusal Alembic makes too and prints it writes Alembic's text and class.

    privacyidea's and eduMFA's revisions wrap operations in ``try`` and print
    what they catch; on SQLite that wrote limbeck's line (the refused
    operation, the remedy, for a batch the absolute path of the file) where
    Alembic writes its own sentence. Uncaught, the refusal is limbeck's one
    line naming the file.
    """
    body = REBUILD + f"for attempt in ({attempts}):\n" + CATCHES
    config = make_project(history=history(body))
    config.set_main_option("offline_print", "raw")
    out = render(config, dialect)
    printed = "".join(f"{text}\n{cls}({text!r})\n" for cls, text in said)
    assert printed in out
    assert "is not supported on" not in out and "(revision b2, upgrade)" not in out
    first = attempts.split(", lambda")[0].removesuffix(",").removeprefix("lambda: ")
    uncaught = make_project(history=history(REBUILD + first))
    with pytest.raises(CommandError) as caught:
        render(uncaught, dialect)
    message = str(caught.value)
    assert "b2_revision.py" in message and said[0][1] in message and message != said[0][1]
    assert "\n" not in message and repr(caught.value) != f"{said[0][0]}({said[0][1]!r})"


def test_driver_sql_and_connect_context_are_written(make_project: Callable[..., Config]) -> None:
    body = (
        "with op.get_bind().connect() as conn:\n"
        "    conn.exec_driver_sql(\"UPDATE account SET name = '100%'\")\n"
        "    conn.execute(\"UPDATE account SET name = 'plain'\")"
    )
    out = render(make_project(history=history(body)), "mssql")
    assert "UPDATE account SET name = '100%';\n\nGO\n\nUPDATE account SET name = 'plain';\n\nGO\n\n" in out


def test_bind_statements_join_the_stream(make_project: Callable[..., Config]) -> None:
    """Tagged with their revision and located on its line: lint, validation and the per-revision files read them."""
    from limbeck.review.capture import RevisionRange, capture

    config = make_project(history=history(SELECT + "  # the select\nop.get_bind().execute(sa.text(\"UPDATE account SET name = 'x'\"))"))
    cap = capture(config, RevisionRange(), dialect="postgresql", locate=True)
    mine = [(r.texts, r.line) for r in cap.records if r.revision == "b2" and r.statement.is_executable]
    line = line_of(config, "b2", "# the select")
    assert mine[:2] == [(("SELECT id FROM account",), line), (("UPDATE account SET name = 'x'",), line + 1)]


def test_select_in_the_script_is_a_lint_warning_on_its_line(make_project: Callable[..., Config]) -> None:
    from limbeck.review.capture import RevisionRange
    from limbeck.review.lint import lint

    config = make_project(history=history(SELECT + "  # the select"))
    found = [f for f in lint(config, RevisionRange(), "postgresql").findings if f.rule == "LB014"]
    assert [(f.revision, f.line, f.level) for f in found] == [("b2", line_of(config, "b2", "# the select"), "warning")]


# -- --keep-going ---------------------------------------------------------------------------
def test_keep_going_marks_the_revision_that_reads_rows(make_project: Callable[..., Config]) -> None:
    from limbeck.review.errors import UnrenderedRevisions

    config = make_project(history=history('op.execute("UPDATE account SET name = \'b2\'")\n' + SELECT + "\ncount = result.scalar()  # reads"))
    buffer = io.StringIO()
    config.output_buffer = buffer
    with pytest.raises(UnrenderedRevisions):
        command.upgrade(config, "heads", sql=True, dialect="postgresql", keep_going=True)
    out = buffer.getvalue()
    line = line_of(config, "b2", "# reads")
    assert "-- NOT RENDERED: upgrade a1 -> b2 could not be rendered offline" in out
    assert f"b2_revision.py:{line} (revision b2, upgrade): result.scalar on the rows of" in out
    assert "name = 'b2'" not in out and "DELETE FROM account;" in out


# -- a revision's own errors: one line with file and line ---------------------------------
BROKEN = "op.get_bind().dialect.no_such_attribute  # broken"


@pytest.mark.parametrize("offline", [True, False])
def test_revision_error_is_one_line_with_file_and_line(make_project: Callable[..., Config], tmp_path: Path, offline: bool) -> None:
    config = make_project(url=f"sqlite:///{tmp_path / 'app.db'}", history=history(BROKEN))
    args = ["-c", str(config.config_file_name), "upgrade", "heads"] + (["--sql"] if offline else [])
    result = CliRunner().invoke(cli, args)
    line = line_of(config, "b2", "# broken")
    failed = [text for text in result.stderr.splitlines() if text.startswith("FAILED")]
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(failed) == 1
    assert re.search(rf"b2_revision\.py:{line} \(revision b2, upgrade\): AttributeError: '\w+' object has no attribute 'no_such_attribute'", failed[0])
    raised = CliRunner().invoke(cli, ["--raiseerr", *args])
    assert isinstance(raised.exception, CommandError) and isinstance(raised.exception.__cause__, AttributeError)


# -- print() --------------------------------------------------------------------------------
PRINTS = (
    'print("first\\nsecond", 2)\nprint()\nprint("open line", end="")\n'
    'op.execute("UPDATE account SET name = \'x\'")\nprint("closed by the end of the revision", end="")'
)


def test_print_becomes_comment_lines(make_project: Callable[..., Config]) -> None:
    out = render(make_project(history=history(PRINTS)))
    assert (
        "-- first\n-- second 2\n--\n-- open line\nUPDATE account SET name = 'x';\n\n-- closed by the end of the revision\n"
        "UPDATE alembic_version" in out
    )


def test_offline_print_raw_writes_what_was_printed(make_project: Callable[..., Config]) -> None:
    config = make_project(history=history(PRINTS))
    config.set_main_option("offline_print", "raw")
    out = render(config)
    assert "first\nsecond 2\n\nopen lineUPDATE account SET name = 'x';\n\nclosed by the end of the revisionUPDATE" in out


def test_offline_print_from_configure(make_project: Callable[..., Config]) -> None:
    def edit(env: str) -> str:
        return env.replace("        literal_binds=True,\n", "        literal_binds=True,\n        offline_print='raw',\n")

    config = make_project(history=history('print("raw line")'), env_edit=edit)
    config.set_main_option("offline_print", "comment")  # configure() wins over the config file
    assert "\nraw line\n" in render(config)


def test_offline_print_bad_value_names_the_option(make_project: Callable[..., Config]) -> None:
    config = make_project(history=history('print("x")'))
    config.set_main_option("offline_print", "loud")
    with pytest.raises(ConfigError, match=r"^offline_print in .*limbeck\.ini: 'loud' is not one of comment, raw$"):
        render(config)


def test_commented_print_keeps_the_script_checkable(make_project: Callable[..., Config]) -> None:
    from limbeck.review.capture import RevisionRange, capture
    from limbeck.review.script_check import check_script

    config = make_project(history=history(PRINTS))
    cap = capture(config, RevisionRange(), dialect="mssql")
    assert check_script(cap.script, cap.records).ok
    config.set_main_option("offline_print", "raw")
    cap = capture(config, RevisionRange(), dialect="mssql")
    assert not check_script(cap.script, cap.records).ok


def test_a_bulk_insert_row_naming_no_column_is_alembics_key_error_inside_and_out(
        make_project: Callable[..., Config]) -> None:
    """Alembic's offline ``bulk_insert`` raises ``KeyError('zz')`` (``table.c['zz']``): a revision
    catching it reads Alembic's error, and out of ``command.upgrade()`` it is still a ``KeyError``,
    with limbeck's one line naming the revision and the table's columns."""
    insert = 'op.bulk_insert(sa.table("account", sa.column("id", sa.Integer)), [{"id": 1, "zz": 2}])'
    caught = f'try:\n    {insert}\nexcept KeyError as e:\n    print(f"caught {{e!r}} {{e}}")\n{insert}'
    with pytest.raises(KeyError) as raised:
        render(make_project(history=history(caught)), "sqlite")
    assert isinstance(raised.value, CommandError)
    message = str(raised.value)
    assert re.search(r"b2_revision\.py:\d+ \(revision b2, upgrade\): bulk_insert\(account\): a row names column 'zz'", message)
    assert "(its columns: id)" in message and "\n" not in message
    out = render(make_project(history=history(caught.rsplit("\n", 1)[0])), "sqlite")
    assert "-- caught KeyError('zz') 'zz'" in out


@pytest.mark.parametrize("package", ["limbeck", "alembic"])
def test_an_imported_op_function_finds_each_runs_operations(make_project: Callable[..., Config], package: str) -> None:
    """``from alembic.op import execute`` in a helper module imported once: each later run of the process
    writes through it, as with Alembic's proxy functions (it kept the first run's Operations, and the
    second script silently lacked the statement)."""
    import io
    import sys
    import uuid

    from limbeck import command

    helper = f"helper_{uuid.uuid4().hex}"
    config = make_project(history=[("a1", None, None, None, f"import {helper}\n{helper}.execute(\"SELECT 'from the helper'\")", "pass")],
                          package=package)
    root = Path(config.config_file_name).parent
    (root / f"{helper}.py").write_text(f"from {package}.op import execute\n")
    sys.path.insert(0, str(root))
    try:
        scripts = []
        for _ in range(2):
            config.output_buffer = io.StringIO()
            command.upgrade(config, "head", sql=True)
            scripts.append(config.output_buffer.getvalue())
    finally:
        sys.path.remove(str(root))
        sys.modules.pop(helper, None)
    assert all("SELECT 'from the helper';" in script for script in scripts)


def test_op_and_context_names_exist_outside_a_run() -> None:
    """As Alembic's modules: hasattr() and mock.patch() work outside a run; a call says no run is active."""
    from unittest import mock

    import limbeck.context
    import limbeck.op

    assert hasattr(limbeck.op, "execute") and hasattr(limbeck.context, "configure")
    with mock.patch("limbeck.op.execute") as patched:
        limbeck.op.execute("SELECT 1")
    patched.assert_called_once_with("SELECT 1")
    with pytest.raises(AttributeError, match="no migration is running"):
        limbeck.op.execute("SELECT 1")
