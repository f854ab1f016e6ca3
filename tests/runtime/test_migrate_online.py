"""upgrade / downgrade / stamp / current online, on SQLite and the real PostgreSQL server."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError, DatabaseNotAtHead

APP_TABLES = {"account", "audit", "tag", "setting"}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'app.db'}"
    return str(request.getfixturevalue("pg_url"))


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def versions(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def printed(config: Config, fn: Callable[[], None]) -> str:
    buf = io.StringIO()
    config.stdout = buf
    fn()
    return buf.getvalue()


def test_upgrade_heads_then_downgrade_base(make_project: Callable[..., Config], db_url: str) -> None:
    config = make_project(url=db_url)
    command.upgrade(config, "heads")
    assert APP_TABLES <= tables(db_url)
    assert versions(db_url) == {"e5", "g7"}
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT name FROM account ORDER BY id").scalars().all()
    assert names == ["o'brien", "merged"]
    assert printed(config, lambda: command.current(config)) == "e5 (head) (mergepoint)\ng7 (head)\n"

    command.downgrade(config, "other@base")
    assert versions(db_url) == {"e5"}
    command.downgrade(config, "base")
    assert tables(db_url) == {"alembic_version"}
    assert versions(db_url) == set()


def test_upgrade_relative_and_branch_targets(make_project: Callable[..., Config], db_url: str) -> None:
    config = make_project(url=db_url)
    with pytest.raises(CommandError, match="Ambiguous walk"):
        command.upgrade(config, "+2")  # two bases: Alembic refuses too
    command.upgrade(config, "a1")
    command.upgrade(config, "+1")
    assert versions(db_url) == {"b2"}
    command.upgrade(config, "other@head")
    # g7 depends on c3: one row covers both (see README, version table rules)
    assert versions(db_url) == {"g7"}
    command.downgrade(config, "other@-1")
    assert versions(db_url) == {"f6", "c3"}


def test_stamp_and_purge(make_project: Callable[..., Config], db_url: str) -> None:
    config = make_project(url=db_url)
    command.stamp(config, "heads")
    assert versions(db_url) == {"e5", "g7"}
    assert tables(db_url) == {"alembic_version"}
    command.stamp(config, "b2")
    assert versions(db_url) == {"b2"}
    command.stamp(config, ["c3"], purge=True)
    assert versions(db_url) == {"c3"}
    command.stamp(config, "base")
    assert versions(db_url) == set()
    # as Alembic: stamping to no revision at all is "base", on one row or several
    for nothing in ((), []):
        command.stamp(config, "heads")
        command.stamp(config, nothing)
        assert versions(db_url) == set()


def test_current_check_heads(make_project: Callable[..., Config], db_url: str) -> None:
    config = make_project(url=db_url)
    command.upgrade(config, "e5")
    with pytest.raises(DatabaseNotAtHead):
        command.current(config, check_heads=True)
    command.upgrade(config, "heads")
    command.current(config, check_heads=True)


def test_unknown_revision_in_database_is_one_clear_error(make_project: Callable[..., Config], db_url: str) -> None:
    config = make_project(url=db_url)
    command.stamp(config, "a1")
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'feedbeef'")
    with pytest.raises(CommandError, match="feedbeef"):
        command.upgrade(config, "heads")


def test_failure_midway_rolls_back_what_the_database_can(
    make_project: Callable[..., Config], db_url: str, request: pytest.FixtureRequest
) -> None:
    history = request.getfixturevalue("history_with_failure")
    config = make_project(url=db_url, history=history)
    command.upgrade(config, "b2")
    with pytest.raises(CommandError) as failure:
        command.upgrade(config, "h8")
    message = str(failure.value)
    assert "h8_revision.py" in message and "ZeroDivisionError" in message
    if db_url.startswith("postgresql"):
        # one transaction for the run: nothing of c3, d4, e5 or h8 remains
        assert versions(db_url) == {"b2"}
        assert message.endswith("the database is at b2")
        assert "half" not in tables(db_url) and "audit" not in tables(db_url)
    else:
        # per-revision commits: the revisions before h8 are in, h8's version row is not
        assert versions(db_url) == {"e5"}
        assert message.endswith("the database is at e5")
    # fix the revision and run again: it continues from where the table says
    versions_dir = Path(config.get_main_option("script_location")) / "versions"
    path = versions_dir / "h8_revision.py"
    path.write_text(path.read_text().replace("1 / 0", "pass"))
    if "half" in tables(db_url):
        engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE half")
    command.upgrade(config, "h8")
    assert "h8" in versions(db_url)
