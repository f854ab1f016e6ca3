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
    make_project: Callable[..., Config], history: list[Any], new_rev: Any
) -> None:
    history[1] = new_rev("b2", "a1", 'op.add_column("account", sa.Column("email", sa.String(100)))', "pass", "add email")
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history))
    failure = err.value
    assert (failure.revision, failure.phase, Path(failure.path or "").name) == ("b2", "upgrade again", "b2_add_email.py")
    message = str(failure)
    assert message.startswith("stairway failed at revision b2 (") and "b2_add_email.py) on upgrade again:" in message
    assert "duplicate column name: email" in message and "\n" not in message


def test_a_downgrade_that_raises_fails_on_downgrade(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any
) -> None:
    history[3] = new_rev("d4", "b2", 'op.create_table("tag", sa.Column("id", sa.Integer, primary_key=True))',
                         'op.drop_table("no_such_table")', "create tag")
    with pytest.raises(StairwayFailed, match=r"revision d4 \(.*d4_create_tag\.py\) on downgrade: OperationalError: .*no_such_table"):
        run_stairway(make_project(history))


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
    make_project: Callable[..., Config], history: list[Any], new_rev: Any
) -> None:
    # walked down to base, the index goes with its table: only the round trip sees it
    history.append(new_rev("g7", "e5", 'op.create_index("ix_account_name", "account", ["name"])', "pass", "index name"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history))
    assert (err.value.revision, err.value.phase, Path(err.value.path or "").name) == ("g7", "upgrade again", "g7_index_name.py")
    assert "index ix_account_name already exists" in str(err.value)


def test_a_downgrade_that_fails_only_on_the_way_back_to_base_is_named(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any
) -> None:
    # g7's round trip passes (no duplicate names yet); h8 leaves two rows with one name behind,
    # which its own round trip cannot see; g7's downgrade then fails from the state a rollback starts from
    history.append(new_rev("g7", "e5", 'op.drop_index("ux_account_name", table_name="account", if_exists=True)',
                           'op.create_index("ux_account_name", "account", ["name"], unique=True)', "names not unique"))
    history.append(new_rev("h8", "g7", "op.execute(\"INSERT INTO account (name) VALUES ('twin'), ('twin')\")", "pass",
                           "two twins"))
    with pytest.raises(StairwayFailed) as err:
        run_stairway(make_project(history))
    failure = err.value
    assert (failure.revision, failure.phase, Path(failure.path or "").name) == ("g7", "downgrade to base", "g7_names_not_unique.py")
    assert str(failure).startswith("stairway failed at revision g7 (") and "UNIQUE constraint failed" in str(failure)


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
