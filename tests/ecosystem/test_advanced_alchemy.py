"""advanced-alchemy 1.12 on limbeck: its ``AlembicCommands`` and its own ``init`` templates.

advanced-alchemy (Litestar's SQLAlchemy layer) drives Alembic's ``command``
module with a ``Config`` subclass of its own (``AlembicCommandConfig``: the
engine, the version table name and batch rendering carried as attributes,
``get_template_directory()`` pointing at its ``sync``/``asyncio`` templates);
its env.py reads those attributes, passes an ``autogenerate.rewriter.Rewriter``
as ``process_revision_directives`` and its script template wraps the
revision's operations in ``op.get_context().autocommit_block()``. The same
project runs ``init``, ``revision --autogenerate``, ``upgrade`` (online and
``--sql``), ``current``/``history``/``heads``/``check``/``stamp`` and
``downgrade`` twice (Alembic, then ``LIMBECK_AS_ALEMBIC=1``), with the sync
template on SQLite and PostgreSQL and the asyncio one on aiosqlite; every step
must print the same, write the same files and leave the same database.
advanced-alchemy is installed at test time (:func:`installed_tool`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from limbeck_ecosystem_harness import (
    WHO_ANSWERS,
    Pair,
    installed_tool,
    same_python,
    schema_of,
    twin_projects,
)

ADVANCED_ALCHEMY = "advanced-alchemy==1.12.0"

MODELS = '''
import os
from typing import Optional
from uuid import UUID

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from advanced_alchemy.base import BigIntAuditBase, UUIDBase

STAGE = int(os.environ.get("STAGE", "1"))


class Author(UUIDBase):
    __tablename__ = "author"
    name: Mapped[str] = mapped_column(String(100))
    if STAGE >= 2:
        email: Mapped[Optional[str]] = mapped_column(String(200), index=True)


if STAGE >= 2:
    class Book(BigIntAuditBase):
        __tablename__ = "book"
        title: Mapped[str] = mapped_column(String(200))
        author_id: Mapped[UUID] = mapped_column(ForeignKey("author.id", ondelete="CASCADE"))
'''

#: advanced-alchemy's Python API, one call per run: ``python aa.py COMMAND ARGS...``
DRIVER = '''
import os
import sys

from advanced_alchemy.alembic.commands import AlembicCommands
from advanced_alchemy.config import AlembicAsyncConfig, AlembicSyncConfig, SQLAlchemyAsyncConfig, SQLAlchemySyncConfig

import models  # noqa: F401  (registers the tables in advanced-alchemy's metadata)

url = os.environ["ECO_URL"]
if os.environ.get("ECO_ASYNC"):
    config = SQLAlchemyAsyncConfig(connection_string=url, alembic_config=AlembicAsyncConfig())
else:
    config = SQLAlchemySyncConfig(connection_string=url, alembic_config=AlembicSyncConfig())
commands = AlembicCommands(sqlalchemy_config=config)
what, args = sys.argv[1], sys.argv[2:]
sql = "--sql" in args
args = [a for a in args if a != "--sql"]
if what == "init":
    commands.init(directory="migrations")
elif what == "revision":
    script = commands.revision(message=args[0], autogenerate=True, rev_id=args[1])
    print("revision", script.revision, script.down_revision)
elif what == "upgrade":
    commands.upgrade(args[0] if args else "head", sql=sql)
elif what == "downgrade":
    commands.downgrade(args[0], sql=sql)
elif what == "stamp":
    commands.stamp(args[0], sql=sql)
elif what == "check":
    commands.check()
elif what == "history":
    commands.history(verbose=True, indicate_current=True)
elif what in ("current", "heads", "branches"):
    getattr(commands, what)(verbose=True)
elif what == "show":
    commands.show(args[0])
else:
    raise SystemExit(f"unknown command {what}")
'''

#: an ``init`` project's ``alembic.ini`` and env.py and README are advanced-alchemy's (compared byte for byte)
INIT_FILES = ("alembic.ini", "migrations/env.py", "migrations/script.py.mako", "migrations/README")


@pytest.fixture(scope="module")
def advanced_alchemy() -> Path:
    return installed_tool(ADVANCED_ALCHEMY)


def _revision(pair: Pair, rev_id: str, message: str) -> str:
    real, ours = pair.both("python", "aa.py", "revision", message, rev_id)
    assert ours == real
    (name,) = [p.name for p in (pair.alembic.root / "migrations/versions").glob(f"*_{rev_id}.py")]
    written_real, written_ours = pair.alembic.read(f"migrations/versions/{name}"), pair.limbeck.read(f"migrations/versions/{name}")
    assert same_python(written_real, written_ours), f"{name}:\n{written_real}\n--- limbeck:\n{written_ours}"
    return written_ours


#: each twin has its own PostgreSQL database, named in ``current``'s first line
_DATABASE = re.compile(r"/eco_[0-9a-f]{10}\b")


def _same(pair: Pair, *argv: str, ok: bool = True) -> str:
    real, ours = pair.both("python", "aa.py", *argv, ok=ok)
    assert _DATABASE.sub("/<db>", ours) == _DATABASE.sub("/<db>", real), argv
    return ours


def _workflow(pair: Pair, extra: list[str] | None = None) -> None:
    pair.env["STAGE"] = "1"
    real, ours = pair.both("python", "aa.py", "init")
    # Alembic lists the template folder in directory order; limbeck sorts it (README)
    assert sorted(ours.splitlines()) == sorted(real.splitlines())
    for name in INIT_FILES:
        assert pair.limbeck.read(name) == pair.alembic.read(name), name
    written = _revision(pair, "a1", "authors")
    assert "sa.GUID(length=16)" in written
    _same(pair, "upgrade", "--sql")
    _same(pair, "upgrade")
    _same(pair, "current")
    pair.schemas(extra)

    pair.env["STAGE"] = "2"
    # check: limbeck prints the changes, one a line (README, a documented departure); both exit 1
    real, ours = pair.both("python", "aa.py", "check", ok=False)
    assert real == "" and ours.startswith("New upgrade operations detected:\n  add_table book\n")
    written = _revision(pair, "b2", "books")
    assert "sa.DateTimeUTC(timezone=True)" in written
    _same(pair, "upgrade", "a1:b2", "--sql")
    _same(pair, "upgrade")
    for argv in (("current",), ("heads",), ("branches",), ("history",), ("show", "b2"), ("check",)):
        _same(pair, *argv)
    assert "book" in pair.schemas(extra)
    if "sqlite" in pair.limbeck.env["ECO_URL"]:
        # the template renders as batch: dropping a column rebuilds the table, which needs the database
        # to reflect it; both refuse --sql (limbeck before printing any of the script: README, "Batch")
        pair.both("python", "aa.py", "downgrade", "b2:a1", "--sql", ok=False)
    else:
        _same(pair, "downgrade", "b2:a1", "--sql")
    _same(pair, "downgrade", "a1")
    assert "book" not in pair.schemas(extra)
    _same(pair, "stamp", "b2")
    _same(pair, "current")
    _same(pair, "stamp", "a1")
    _same(pair, "downgrade", "base")
    assert list(pair.schemas(extra)) == ["alembic_versions"]
    pair.check_answered()


def _pair(tmp_path: Path, advanced_alchemy: Path, urls: tuple[str, str] | None = None) -> Pair:
    files = {"models.py": MODELS + WHO_ANSWERS, "aa.py": DRIVER}
    return twin_projects(tmp_path, files, urls=urls, tool_path=advanced_alchemy)


def test_sync_template_on_sqlite_matches_alembic(tmp_path: Path, advanced_alchemy: Path) -> None:
    _workflow(_pair(tmp_path, advanced_alchemy))


def test_asyncio_template_on_aiosqlite_matches_alembic(tmp_path: Path, advanced_alchemy: Path) -> None:
    pair = _pair(tmp_path, advanced_alchemy)
    pair.env["ECO_ASYNC"] = "1"
    for twin in (pair.alembic, pair.limbeck):
        twin.env["ECO_URL"] = twin.env["ECO_URL"].replace("sqlite://", "sqlite+aiosqlite://")

    def schemas(extra: list[str] | None = None) -> dict[str, Any]:
        """The databases, read back through the sync driver."""
        ours = schema_of(pair.limbeck.env["ECO_URL"].replace("+aiosqlite", ""), extra)
        assert ours == schema_of(pair.alembic.env["ECO_URL"].replace("+aiosqlite", ""), extra)
        return ours

    pair.schemas = schemas  # type: ignore[method-assign]
    _workflow(pair)


@pytest.mark.postgresql
def test_sync_template_on_postgresql_matches_alembic(tmp_path: Path, advanced_alchemy: Path, pg_databases: Any) -> None:
    _workflow(_pair(tmp_path, advanced_alchemy, urls=(pg_databases(), pg_databases())))
