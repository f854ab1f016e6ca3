"""upgrade --sql --from-db: render exactly the revisions the live database has not run (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'live.db'}"
    return str(request.getfixturevalue("pg_url"))


def snapshot(url: str) -> tuple[set[str], set[str]]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        rows = set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()) if "alembic_version" in tables else set()
    return tables, rows


def dry_run(config: Config, target: str = "heads", **kw: object) -> str:
    config.output_buffer = io.StringIO()
    command.upgrade(config, target, sql=True, from_db=True, **kw)  # type: ignore[arg-type]
    return config.output_buffer.getvalue()


def test_renders_only_pending_revisions_and_writes_nothing(project: Callable[..., Config], db_url: str) -> None:
    config = project(url=db_url)
    command.upgrade(config, "b2")
    before = snapshot(db_url)
    script = dry_run(config)
    assert "-- Running upgrade b2 -> c3" in script
    assert "-- Running upgrade  -> a1" not in script and "-- Running upgrade a1 -> b2" not in script
    assert "CREATE TABLE alembic_version" not in script
    assert "UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'b2';" in script
    assert snapshot(db_url) == before == ({"account", "alembic_version"}, {"b2"})


def test_database_without_version_table_gets_everything(project: Callable[..., Config], db_url: str) -> None:
    config = project(url=db_url)
    sa.create_engine(db_url, poolclass=sa.pool.NullPool).connect().close()
    script = dry_run(config)
    assert script.count("-- Running upgrade") == 3
    assert "CREATE TABLE alembic_version" in script
    assert "alembic_version" not in snapshot(db_url)[0]


def test_empty_version_table_is_not_created_again(project: Callable[..., Config], db_url: str) -> None:
    config = project(url=db_url)
    command.upgrade(config, "heads")
    command.downgrade(config, "base")
    script = dry_run(config, "b2")
    assert "CREATE TABLE alembic_version" not in script
    assert "-- Running upgrade  -> a1" in script and "-- Running upgrade a1 -> b2" in script
    assert "b2 -> c3" not in script


def test_up_to_date_database_renders_no_revision(project: Callable[..., Config], db_url: str) -> None:
    config = project(url=db_url)
    command.upgrade(config, "heads")
    assert "-- Running" not in dry_run(config)


def test_downgrade_from_db(project: Callable[..., Config], db_url: str) -> None:
    config = project(url=db_url)
    command.upgrade(config, "heads")
    config.output_buffer = io.StringIO()
    command.downgrade(config, "a1", sql=True, from_db=True)
    script = config.output_buffer.getvalue()
    assert "-- Running downgrade c3 -> b2" in script and "-- Running downgrade b2 -> a1" in script
    assert snapshot(db_url)[1] == {"c3"}


def test_from_db_refuses_ranges_and_dialects(project: Callable[..., Config]) -> None:
    config = project()
    with pytest.raises(CommandError, match="give a target, not START:END"):
        dry_run(config, "a1:heads")
    with pytest.raises(CommandError, match="cannot be combined with --dialect"):
        dry_run(config, dialect="postgresql")
    with pytest.raises(CommandError, match="--from-db works on the offline script and needs --sql"):
        command.upgrade(config, "heads", from_db=True)
