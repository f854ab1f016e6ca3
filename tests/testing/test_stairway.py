"""The stairway: each revision upgraded, downgraded and upgraded again on a real database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.config import Config
from limbeck.testing import MigrationRenderer, StairwayFailed, run_stairway


def upgrade_order(config: Config) -> list[str]:
    return [s.revision for s in MigrationRenderer(config).upgrade_order()]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def walk_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind: a SQLite file, and PostgreSQL, where the walk sends its DDL in batches."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'walk.db'}"
    return str(request.getfixturevalue("pg_url"))


def said(url: str, sqlite: str, postgresql: str) -> str:
    """What the database of ``url`` says about a finding."""
    return sqlite if url.startswith("sqlite") else postgresql


def tables(url: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        return sorted(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_sound_history_walks_and_leaves_the_database_empty(make_project: Callable[..., Config], tmp_path: Path) -> None:
    config = make_project()
    url = f"sqlite:///{tmp_path / 'walk.db'}"
    order = upgrade_order(config)
    assert sorted(order) == ["a1", "b2", "c3", "d4", "e5", "f6"]
    assert run_stairway(config, url) == order
    assert tables(url) == ["alembic_version"]
    assert run_stairway(config, url) == order  # empty again, so it can walk again


def test_the_default_database_is_a_temporary_sqlite_file(make_project: Callable[..., Config]) -> None:
    config = make_project()
    config.set_main_option("sqlalchemy.url", "postgresql+psycopg://nobody@127.0.0.1:1/never")
    assert run_stairway(config) == upgrade_order(config)
    assert config.get_main_option("sqlalchemy.url") == "postgresql+psycopg://nobody@127.0.0.1:1/never"


def test_a_downgrade_that_leaves_a_column_fails_on_the_second_upgrade(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, walk_url: str
) -> None:
    history[1] = new_rev("b2", "a1", 'op.add_column("account", sa.Column("email", sa.String(100)))', "pass", "add email")
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), walk_url)
    failure = err.value
    assert (failure.revision, failure.phase, Path(failure.path or "").name) == ("b2", "upgrade again", "b2_add_email.py")
    message = str(failure)
    assert message.startswith("stairway failed at revision b2 (") and "b2_add_email.py) on upgrade again:" in message
    assert said(walk_url, "duplicate column name: email", 'column "email" of relation "account" already exists') in message
    assert "\n" not in message


def test_a_downgrade_that_raises_fails_on_downgrade(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, walk_url: str
) -> None:
    history[3] = new_rev("d4", "b2", 'op.create_table("tag", sa.Column("id", sa.Integer, primary_key=True))',
                         'op.drop_table("no_such_table")', "create tag")
    error = said(walk_url, "OperationalError: .*no such table: no_such_table", r'ProgrammingError: \(psycopg\.errors\.UndefinedTable\) table "no_such_table" does not exist')
    with pytest.raises(StairwayFailed, match=rf"revision d4 \(.*d4_create_tag\.py\) on downgrade: {error}$"):
        run_stairway(make_project(history), walk_url)


def test_an_upgrade_whose_ddl_fails_fails_on_upgrade_not_on_the_next_move(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, walk_url: str
) -> None:
    # on PostgreSQL the CREATE INDEX is held back and sent as the downgrade begins: still the upgrade's failure
    history.append(new_rev("g7", "e5", 'op.create_index("ix_bad", "account", ["no_such_column"])',
                           'op.drop_index("ix_bad", table_name="account")', "bad index"))
    error = said(walk_url, "no such column: no_such_column", 'column "no_such_column" does not exist')
    with pytest.raises(StairwayFailed, match=rf"revision g7 \(.*g7_bad_index\.py\) on upgrade: .*{error}$"):
        run_stairway(make_project(history), walk_url)


def test_an_upgrade_that_raises_fails_on_upgrade(make_project: Callable[..., Config], history: list[Any], new_rev: Any) -> None:
    history.append(new_rev("g7", "e5", "1 / 0", "pass", "broken"))
    with pytest.raises(StairwayFailed, match=r"revision g7 \(.*g7_broken\.py\) on upgrade: ZeroDivisionError: division by zero"):
        run_stairway(make_project(history))


def test_a_database_that_is_not_empty_is_refused(make_project: Callable[..., Config], tmp_path: Path) -> None:
    from limbeck import command

    config = make_project()
    url = f"sqlite:///{tmp_path / 'used.db'}"
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "b2")
    with pytest.raises(StairwayFailed, match=r"stairway needs an empty database; sqlite:///.*used\.db is at b2"):
        run_stairway(config, url)
    assert tables(url) == ["account", "alembic_version"]


@pytest.mark.postgresql
def test_any_url_postgresql(make_project: Callable[..., Config], pg_url: str) -> None:
    config = make_project()
    assert run_stairway(config, pg_url) == upgrade_order(config)
    assert tables(pg_url) == ["alembic_version"]


def test_a_downgrade_that_leaves_an_index_fails_on_the_second_upgrade(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, walk_url: str
) -> None:
    # walked down to base, the index goes with its table: only the second upgrade right after g7's downgrade sees it
    history.append(new_rev("g7", "e5", 'op.create_index("ix_account_name", "account", ["name"])', "pass", "index name"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), walk_url)
    assert (err.value.revision, err.value.phase, Path(err.value.path or "").name) == ("g7", "upgrade again", "g7_index_name.py")
    assert said(walk_url, "index ix_account_name already exists", 'relation "ix_account_name" already exists') in str(err.value)


def test_a_downgrade_that_fails_only_on_the_way_back_to_base_is_named(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, walk_url: str
) -> None:
    # h8's downgrade leaves two rows with one name behind, which its own second upgrade cannot see;
    # g7's downgrade runs from the state a rollback starts from (h8 applied, then downgraded) and fails
    history.append(new_rev("g7", "e5", 'op.drop_index("ux_account_name", table_name="account", if_exists=True)',
                           'op.create_index("ux_account_name", "account", ["name"], unique=True)', "names not unique"))
    history.append(new_rev("h8", "g7", "op.execute(\"INSERT INTO account (name) VALUES ('twin'), ('twin')\")", "pass",
                           "two twins"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), walk_url)
    failure = err.value
    assert (failure.revision, failure.phase, Path(failure.path or "").name) == ("g7", "downgrade", "g7_names_not_unique.py")
    assert str(failure).startswith("stairway failed at revision g7 (")
    assert said(walk_url, "UNIQUE constraint failed", 'could not create unique index "ux_account_name"') in str(failure)


def test_a_revision_file_that_cannot_be_imported_is_named_not_the_first_revision(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any
) -> None:
    history.append(new_rev("g7", "e5", "pass", "pass", "broken file"))
    config = make_project(history)
    path = Path(config.get_main_option("script_location") or "") / "versions" / "g7_broken_file.py"
    path.write_text(path.read_text() + "\nraise RuntimeError(\"not importable\")\n")
    with pytest.raises(StairwayFailed) as err:
        run_stairway(config)
    message = str(err.value)
    assert message.startswith("stairway failed: ") and "g7_broken_file.py" in message and "RuntimeError: not importable" in message, message
    assert err.value.revision is None


def test_the_whole_walk_is_one_run_of_env_py(make_project: Callable[..., Config], tmp_path: Path) -> None:
    config = make_project()
    env = Path(config.get_main_option("script_location") or "") / "env.py"
    runs = tmp_path / "runs.txt"
    env.write_text(f"with open({str(runs)!r}, 'a') as _log:\n    _log.write('run\\n')\n" + env.read_text())
    run_stairway(config, f"sqlite:///{tmp_path / 'once.db'}")
    assert runs.read_text() == "run\n"


@pytest.mark.postgresql
def test_a_failed_walk_on_postgresql_leaves_the_database_empty(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str
) -> None:
    history.append(new_rev("g7", "e5", 'op.create_index("ix_account_name", "account", ["name"])', "pass", "index name"))
    with pytest.raises(StairwayFailed, match=r"revision g7 \(.*g7_index_name\.py\) on upgrade again: .*ix_account_name"):
        run_stairway(make_project(history), pg_url)
    assert tables(pg_url) == []  # one transaction for the walk: rolled back, version table included
    assert run_stairway(make_project(), pg_url)[-1] in ("e5", "f6")


PROBE_UP = """
op.create_table("probe", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))
op.bulk_insert(sa.table("probe", sa.column("id"), sa.column("name")), [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
op.create_index("ix_probe_name", "probe", ["name"])
indexes = "SELECT count(*) FROM pg_indexes WHERE tablename = 'probe'"
assert op.get_bind().execute(sa.text(indexes)).scalar() == 2, "the held CREATE INDEX has not run"
with op.get_context().autocommit_block():
    op.create_index("ix_probe_both", "probe", ["id", "name"], postgresql_concurrently=True)
    op.create_index("ix_probe_back", "probe", ["name", "id"], postgresql_concurrently=True)
"""
PROBE_DOWN = """
op.drop_index("ix_probe_both", table_name="probe")
op.drop_index("ix_probe_back", table_name="probe")
op.drop_index("ix_probe_name", table_name="probe")
indexes = "SELECT count(*) FROM pg_indexes WHERE tablename = 'probe'"
assert op.get_bind().exec_driver_sql(indexes).scalar() == 1, "exec_driver_sql ran before the held DROP INDEX"
assert sa.inspect(op.get_bind()).get_indexes("probe") == [], "the held DROP INDEX has not run"
op.drop_table("probe")
"""


@pytest.mark.postgresql
def test_postgresql_ddl_held_back_runs_before_what_the_migration_reads_and_outside_autocommit_blocks(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CREATE INDEX CONCURRENTLY refuses to run in a transaction: held back, it would be in the walk's
    from limbeck.testing import batching

    held: list[int] = []
    close = batching.HeldDDL.__exit__
    monkeypatch.setattr(batching.HeldDDL, "__exit__", lambda self, *exc: (held.append(self.count_held), close(self, *exc))[1])
    history.append(new_rev("g7", "e5", PROBE_UP, PROBE_DOWN, "probe"))
    assert run_stairway(make_project(history), pg_url)[-1] in ("g7", "f6")
    assert tables(pg_url) == ["alembic_version"]
    assert len(held) == 1 and held[0] > 10  # the walk did hold statements back


def test_sqlite_walks_without_an_fsync_per_commit(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, tmp_path: Path
) -> None:
    # a scratch file need not survive a power cut: PRAGMA synchronous = OFF for the walk's connection only
    check = 'assert op.get_bind().exec_driver_sql("PRAGMA synchronous").scalar() == 0, "fsync per commit"'
    history.append(new_rev("g7", "e5", check, check, "no fsync"))
    url = f"sqlite:///{tmp_path / 'walk.db'}"
    assert run_stairway(make_project(history), url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:  # the file keeps nothing of it: a new connection syncs as before
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    engine.dispose()


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("upgrade", "downgrade", "said"),
    [
        pytest.param('op.create_table("feeling", sa.Column("id", sa.Integer, primary_key=True),\n'
                     '                sa.Column("mood", sa.Enum("calm", "cross", name="mood")))',
                     'op.drop_table("feeling")', 'type "mood" already exists', id="enum-type"),
        pytest.param('op.execute("CREATE SEQUENCE invoice_number")', "pass",
                     'relation "invoice_number" already exists', id="sequence"),
    ],
)
def test_postgresql_a_downgrade_that_leaves_a_type_or_sequence_fails_on_the_second_upgrade(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str, upgrade: str, downgrade: str, said: str
) -> None:
    # neither belongs to a table, so no later downgrade takes it away: only the second upgrade sees it
    history.append(new_rev("g7", "e5", upgrade, downgrade, "left behind"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), pg_url)
    assert (err.value.revision, err.value.phase, Path(err.value.path or "").name) == ("g7", "upgrade again", "g7_left_behind.py")
    assert said in str(err.value)
    assert tables(pg_url) == []


@pytest.mark.postgresql
def test_postgresql_an_enum_type_dropped_by_the_downgrade_is_made_again_by_the_second_upgrade(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str
) -> None:
    # each move lowers as a run of its own: the second upgrade's create_table sends CREATE TYPE again
    up = 'op.create_table("feeling", sa.Column("id", sa.Integer, primary_key=True), sa.Column("mood", sa.Enum("calm", name="mood")))'
    history.append(new_rev("g7", "e5", up, 'op.drop_table("feeling")\nop.execute("DROP TYPE mood")', "mood"))
    assert run_stairway(make_project(history), pg_url)[-1] in ("g7", "f6")


LOGGED = """
op.create_table("logged", sa.Column("id", sa.Integer, primary_key=True))
with open({log!r}, "a") as log:
    log.write("{move} ")
"""


def test_the_second_upgrade_is_undone_by_a_savepoint_where_ddl_is_transactional(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, walk_url: str, tmp_path: Path
) -> None:
    # PostgreSQL, and SQLite (in the BEGIN limbeck sends): up, down, up again, rolled back (3N migration calls)
    log = str(tmp_path / "moves.txt")
    up = LOGGED.format(log=log, move="up")
    down = LOGGED.replace("op.create_table", "op.drop_table").replace(', sa.Column("id", sa.Integer, primary_key=True)', "")
    history.append(new_rev("g7", "e5", up, down.format(log=log, move="down"), "logged"))
    assert run_stairway(make_project(history), walk_url)
    assert Path(log).read_text().split() == ["up", "down", "up"]
    assert tables(walk_url) == ["alembic_version"]  # the rollback to the savepoint took the second upgrade's table


ONCE = "import os\nif os.path.exists({marker!r}):\n    raise RuntimeError('not twice')\nopen({marker!r}, 'w').close()\n"


def test_a_second_downgrade_that_fails_is_named(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, walk_url: str, tmp_path: Path
) -> None:
    # the second upgrade commits (an autocommit_block): no savepoint can undo it, so the downgrade runs once more
    up = 'with op.get_context().autocommit_block():\n    op.create_table("kept", sa.Column("id", sa.Integer, primary_key=True))'
    down = ONCE.format(marker=str(tmp_path / "downgraded")) + 'op.drop_table("kept")'
    history.append(new_rev("g7", "e5", up, down, "once only"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), walk_url)
    assert (err.value.revision, err.value.phase, Path(err.value.path or "").name) == ("g7", "downgrade again", "g7_once_only.py")
    assert "RuntimeError: not twice" in str(err.value)


def test_sqlite_a_downgrade_that_sends_nothing_is_run_again_to_undo_the_second_upgrade(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, tmp_path: Path
) -> None:
    # no statement yet, so no BEGIN yet: a savepoint would open the transaction, and its RELEASE commit it
    history.append(new_rev("g7", "e5", "pass", ONCE.format(marker=str(tmp_path / "downgraded")), "nothing sent"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), f"sqlite:///{tmp_path / 'walk.db'}")
    assert (err.value.revision, err.value.phase) == ("g7", "downgrade again")


def test_a_second_upgrade_that_raises_after_the_downgrades_ddl_is_named(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, walk_url: str, tmp_path: Path
) -> None:
    # on PostgreSQL the downgrade's DROP TABLE is still held when the second upgrade raises: not the downgrade's failure
    marker = str(tmp_path / "upgraded")
    up = (f"import os\nif os.path.exists({marker!r}):\n    raise RuntimeError('not twice')\nopen({marker!r}, 'w').close()\n"
          'op.create_table("once", sa.Column("id", sa.Integer, primary_key=True))')
    history.append(new_rev("g7", "e5", up, 'op.drop_table("once")', "up once"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), walk_url)
    assert (err.value.revision, err.value.phase, Path(err.value.path or "").name) == ("g7", "upgrade again", "g7_up_once.py")
    assert "RuntimeError: not twice" in str(err.value)


@pytest.mark.postgresql
def test_postgresql_without_held_ddl_the_savepoint_is_set_and_rolled_back_statement_by_statement(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a driver that takes one statement per call (psycopg2, asyncpg): the same walk and findings
    from limbeck.testing import stairway

    monkeypatch.setattr(stairway, "batches_ddl", lambda context: False)
    assert run_stairway(make_project(), pg_url)[-1] in ("e5", "f6")
    assert tables(pg_url) == ["alembic_version"]
    history.append(new_rev("h8", "e5", "pass", 'op.drop_table("no_such_table")', "bad downgrade"))
    project = make_project(history)
    with pytest.raises(StairwayFailed, match=r"revision h8 \(.*h8_bad_downgrade\.py\) on downgrade: .*no_such_table"):
        run_stairway(project, pg_url)
    assert tables(pg_url) == ["alembic_version"]  # left as the first walk left it


def test_sqlite_a_second_upgrade_whose_error_rolls_back_the_transaction_is_still_named(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, tmp_path: Path
) -> None:
    # INSERT OR ROLLBACK ends the whole transaction, savepoint included: still the second upgrade's failure
    up = ('op.execute("CREATE TABLE IF NOT EXISTS kept (id INTEGER PRIMARY KEY)")\n'
          'op.execute("INSERT OR ROLLBACK INTO kept (id) VALUES (1)")')
    history.append(new_rev("g7", "e5", up, 'op.execute("DELETE FROM kept WHERE id = 2")', "row left"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), f"sqlite:///{tmp_path / 'walk.db'}")
    assert (err.value.revision, err.value.phase) == ("g7", "upgrade again")
    assert "UNIQUE constraint failed: kept.id" in str(err.value)


ROWS_UP = """
op.create_table("people", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)),
                sa.Column("paid", sa.Numeric(8, 2)), sa.Column("born", sa.Date), sa.Column("note", sa.Text))
people = sa.table("people", sa.column("id", sa.Integer), sa.column("name", sa.String(40)), sa.column("paid", sa.Numeric(8, 2)),
                  sa.column("born", sa.Date), sa.column("note", sa.Text))
op.bulk_insert(people, ROWS)
op.execute("UPDATE people SET note = 'a;b' WHERE id = 1")
op.execute(people.update().where(people.c.id == 2).values(note="100% \\\\ 'x'"))
got = [tuple(row) for row in op.get_bind().execute(sa.select(people).order_by(people.c.id))]
assert got == [tuple(row.values()) for row in EXPECTED], got
"""
ROWS = [
    {"id": 1, "name": "O'Brien", "paid": "12.50", "born": "1970-01-02", "note": None},
    {"id": 2, "name": "50% off \\ back", "paid": "0.10", "born": "2000-02-29", "note": "line\nbreak"},
]


@pytest.mark.postgresql
def test_postgresql_rows_and_data_changes_held_back_arrive_as_the_driver_would_send_them(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str
) -> None:
    # bulk_insert's rows and op.execute's row writes join the held text, their values written in by psycopg
    import datetime
    from decimal import Decimal

    rows = [dict(row, paid=Decimal(row["paid"]), born=datetime.date.fromisoformat(row["born"])) for row in ROWS]
    expected = [dict(rows[0], note="a;b"), dict(rows[1], note="100% \\ 'x'")]
    up = (f"import datetime\nfrom decimal import Decimal\nROWS = {rows!r}\nEXPECTED = {expected!r}\n" + ROWS_UP)
    history.append(new_rev("g7", "e5", up, 'op.drop_table("people")', "people"))
    assert run_stairway(make_project(history), pg_url)[-1] in ("g7", "f6")
    assert tables(pg_url) == ["alembic_version"]


@pytest.mark.postgresql
@pytest.mark.parametrize("batched", [True, False], ids=["held", "not-held"])
@pytest.mark.parametrize(
    ("upgrade", "downgrade", "phase", "what"),
    [
        pytest.param('op.execute("DELETE FROM alembic_version")', "pass", "upgrade", "updating 'e5' to 'g7'", id="upgrade"),
        # one string, two statements, two results: the version write's count is not the second result
        pytest.param('op.execute("UPDATE alembic_version SET version_num = version_num; DELETE FROM alembic_version")',
                     "pass", "upgrade", "updating 'e5' to 'g7'", id="upgrade-two-statements"),
        pytest.param('op.execute(sa.DDL("UPDATE alembic_version SET version_num = version_num; DELETE FROM alembic_version"))',
                     "pass", "upgrade", "updating 'e5' to 'g7'", id="upgrade-two-statements-ddl"),
        pytest.param("pass", 'op.execute("DELETE FROM alembic_version")', "upgrade again", "updating 'g7' to 'e5'", id="downgrade"),
    ],
)
def test_postgresql_a_version_row_changed_behind_the_walks_back_fails_the_revision_that_changed_it(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch,
    upgrade: str, downgrade: str, phase: str, what: str, batched: bool,
) -> None:
    # the version table's write travels in the next move's text; its row count is still checked, as the move's own
    from limbeck.testing import stairway

    if not batched:
        monkeypatch.setattr(stairway, "batches_ddl", lambda context: False)
    history.append(new_rev("g7", "e5", upgrade, downgrade, "version row"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), pg_url)
    assert (err.value.revision, err.value.phase, Path(err.value.path or "").name) == ("g7", phase, "g7_version_row.py")
    assert f"expected to match one row when {what} in 'alembic_version'; 0 found" in str(err.value)
    assert tables(pg_url) == []


RETURNING_UP = """
op.create_table("tagged", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))
tagged = sa.Table("tagged", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))
op.execute(tagged.insert().values(name="a"))
op.bulk_insert(tagged, [{"name": "b"}, {"name": "c"}], multiinsert=False)
op.execute(tagged.insert().values(name="d").return_defaults())
assert op.execute(tagged.insert().values(name="e").returning(tagged.c.id)).scalar() == 5
assert [row.name for row in op.get_bind().execute(sa.select(tagged).order_by(tagged.c.id))] == ["a", "b", "c", "d", "e"]
"""


@pytest.mark.postgresql
def test_postgresql_an_insert_whose_new_key_is_read_back_runs_on_its_own(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str
) -> None:
    # rows and new keys read back (RETURNING, return_defaults) need the answer now: those INSERTs are not held
    history.append(new_rev("g7", "e5", RETURNING_UP, 'op.drop_table("tagged")', "tagged"))
    assert run_stairway(make_project(history), pg_url)[-1] in ("g7", "f6")


# -- PostgreSQL: each move's text sent ahead (the server runs it while the walk prepares the next move) --
#: a statement on the raw DBAPI connection, which no SQLAlchemy event announces
RAW_COUNT = """
cursor = op.get_bind().connection.cursor()
cursor.execute("SELECT count(*) FROM raw_seen")
assert cursor.fetchone() == (0,), "raw_seen"
"""


@pytest.fixture
def sent_ahead(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the walk sent ahead (answered later, or first thing when something else needs the connection)."""
    from limbeck.dialects.psycopg_ahead import PsycopgAhead

    texts: list[str] = []
    send = PsycopgAhead._send

    def recording(self: PsycopgAhead, text: str, *args: Any) -> None:
        send(self, text, *args)
        texts.append(text)

    monkeypatch.setattr(PsycopgAhead, "_send", recording)
    return texts


@pytest.mark.postgresql
def test_postgresql_what_runs_on_the_raw_connection_runs_after_the_text_sent_ahead(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str, sent_ahead: list[str]
) -> None:
    # g7's CREATE TABLE is still out when h8's upgrade reads through the raw connection: psycopg waits for it first
    history.append(new_rev("g7", "e5", 'op.create_table("raw_seen", sa.Column("id", sa.Integer, primary_key=True))',
                           'op.drop_table("raw_seen")', "raw seen"))
    history.append(new_rev("h8", "g7", RAW_COUNT, RAW_COUNT, "raw read"))
    assert run_stairway(make_project(history), pg_url)[-1] in ("h8", "f6")
    assert tables(pg_url) == ["alembic_version"]
    assert any("CREATE TABLE raw_seen" in text for text in sent_ahead)


@pytest.mark.postgresql
def test_postgresql_a_text_sent_ahead_that_failed_is_named_not_the_move_that_ran_into_its_failed_transaction(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str, sent_ahead: list[str]
) -> None:
    # g7's CREATE INDEX fails while h8's upgrade runs; h8's own statement then fails only because the transaction has
    history.append(new_rev("g7", "e5", 'op.create_index("ix_bad", "account", ["no_such_column"])',
                           'op.drop_index("ix_bad", table_name="account")', "bad index"))
    history.append(new_rev("h8", "g7", 'op.get_bind().connection.cursor().execute("SELECT 1")', "pass", "raw select"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), pg_url)
    assert (err.value.revision, err.value.phase, Path(err.value.path or "").name) == ("g7", "upgrade", "g7_bad_index.py")
    assert 'ProgrammingError: (psycopg.errors.UndefinedColumn) column "no_such_column" does not exist' in str(err.value)
    assert any("ix_bad" in text for text in sent_ahead)
    assert tables(pg_url) == []


@pytest.mark.postgresql
def test_postgresql_a_second_upgrade_sent_ahead_whose_downgrade_part_failed_is_the_downgrades_failure(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str, sent_ahead: list[str]
) -> None:
    # one text: the downgrade's DDL, the savepoint, the second upgrade's DDL; it failed before the savepoint
    history.append(new_rev("g7", "e5", 'op.create_table("kept", sa.Column("id", sa.Integer, primary_key=True))',
                           'op.drop_table("kept")\nop.drop_table("no_such_table")', "bad drop"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), pg_url)
    assert (err.value.revision, err.value.phase) == ("g7", "downgrade")
    assert 'table "no_such_table" does not exist' in str(err.value)
    assert any("no_such_table" in text and "SAVEPOINT" in text for text in sent_ahead)


@pytest.mark.postgresql
def test_postgresql_the_raw_connection_also_sees_what_its_own_move_holds(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str
) -> None:
    # CREATE TABLE is held (not sent) when the raw cursor runs: what is held goes first
    history.append(new_rev("g7", "e5", 'op.create_table("raw_seen", sa.Column("id", sa.Integer, primary_key=True))\n' + RAW_COUNT,
                           RAW_COUNT + 'op.drop_table("raw_seen")', "own move"))
    assert run_stairway(make_project(history), pg_url)[-1] in ("g7", "f6")


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("upgrade", "downgrade", "phase", "said"),
    [
        pytest.param('op.create_index("ix_bad", "account", ["no_such_column"])', 'op.drop_index("ix_bad", table_name="account")',
                     "upgrade", 'column "no_such_column" does not exist', id="upgrade"),
        pytest.param('op.create_index("ix_account_name", "account", ["name"])', "pass",
                     "upgrade again", 'relation "ix_account_name" already exists', id="upgrade-again"),
        pytest.param('op.create_table("kept", sa.Column("id", sa.Integer, primary_key=True))',
                     'op.drop_table("kept")\nop.drop_table("no_such_table")', "downgrade", 'table "no_such_table" does not exist',
                     id="downgrade"),
    ],
)
def test_postgresql_moves_held_together_while_the_server_is_busy_fail_as_the_move_of_the_statement_that_failed(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch,
    upgrade: str, downgrade: str, phase: str, said: str,
) -> None:
    # the server never seems done: each move's statements wait and leave with the next move's, one text for many moves
    from limbeck.dialects.psycopg_ahead import PsycopgAhead

    monkeypatch.setattr(PsycopgAhead, "answered", lambda self: False)
    history.append(new_rev("g7", "e5", upgrade, downgrade, "g7"))
    history.append(new_rev("h8", "g7", 'op.create_table("later", sa.Column("id", sa.Integer, primary_key=True))',
                           'op.drop_table("later")', "h8"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history), pg_url)
    assert (err.value.revision, err.value.phase) == ("g7", phase)
    assert said in str(err.value)
    assert tables(pg_url) == []


@pytest.mark.postgresql
@pytest.mark.parametrize("watched", [False, True], ids=["unwatched", "watched"])
def test_postgresql_every_revision_gets_its_savepoint_statements_whether_or_not_executions_are_watched(
    make_project: Callable[..., Config], pg_url: str, monkeypatch: pytest.MonkeyPatch, watched: bool
) -> None:
    # the same held texts either way; where a listener watches executions, they go through SQLAlchemy and it sees them
    from limbeck.testing.batching import HeldDDL

    left: list[str] = []
    take, fly = HeldDDL._take, HeldDDL._in_flight

    def taking(self: HeldDDL) -> Any:
        text, checks = take(self)
        left.append(text)
        return text, checks

    def flying(self: HeldDDL, text: str) -> str:
        left.append(text)
        return fly(self, text)

    monkeypatch.setattr(HeldDDL, "_take", taking)
    monkeypatch.setattr(HeldDDL, "_in_flight", flying)
    seen: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    if watched:
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", watch)
    try:
        walked = run_stairway(make_project(), pg_url)
    finally:
        if watched:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", watch)
    sent = [statement.strip() for text in left for statement in text.split(";\n")]
    for statement in ("SAVEPOINT", "ROLLBACK TO SAVEPOINT", "RELEASE SAVEPOINT"):
        assert sent.count(f"{statement} limbeck_stairway") == len(walked)
        assert seen.count(f"{statement} limbeck_stairway") == (len(walked) if watched else 0)
