"""Squash on a generated 300-revision history with branches, merges and depends_on (bench/generate.py).

The checkpoint replaces everything up to a revision every branch has merged into, and the
rest of the history (with its own branches) follows it. Equivalence is proved on SQLite,
PostgreSQL and MariaDB: the checkpoint builds the same database as its replaced revisions,
and a fresh database brought to the head through the checkpoint is the same as one
brought there through every old file. Offline, a fresh range renders the checkpoint on
every dialect.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.script import ScriptDirectory
from limbeck.script.checkpoints import squash_range
from limbeck.squash.dump import dump
from limbeck.squash.scratch import run_on

BENCH = Path(__file__).resolve().parents[2] / "bench"
#: revisions that must follow the checkpoint (so later revisions chain on to it)
LATER = 20
DIALECTS = ("sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle")


def _config(root: Path, url: str | None = None) -> Config:
    config = Config(str(root / "limbeck.ini"), stdout=io.StringIO())
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _generate(root: Path) -> None:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from generate import generate

    generate(root, 300, "branchy", "limbeck")
    for path in (root / "migrations" / "versions").glob("*.py"):
        path.write_text(_index_before_drop(path.read_text()))


#: a generated "reindex": drop an index, then create its replacement on the same table
_REINDEX = re.compile(
    r"^(?P<drop>    op\.drop_index\(op\.f\('\w+'\), table_name='(?P<table>\w+)'\)\n)"
    r"(?P<create>    op\.create_index\(op\.f\('\w+'\), '(?P=table)', .*\)\n)",
    re.MULTILINE,
)


def _index_before_drop(text: str) -> str:
    """Create the replacement index first: InnoDB refuses to drop the only index a foreign key has.

    The generated histories are portable to SQLite; this one reordering makes them run on
    MariaDB through every old file too, so the comparison there can reach the head.
    """
    return _REINDEX.sub(lambda m: m.group("create") + m.group("drop"), text)


def _closed_tip(root: Path) -> tuple[str, int]:
    """The newest revision with at least LATER revisions above it that nothing outside builds into."""
    rmap = ScriptDirectory.from_config(_config(root)).revision_map
    for rev in list(rmap.iterate_revisions("heads", None, implicit_base=True))[LATER:]:
        try:
            return rev.revision, len(squash_range(rmap, rev.revision))
        except CommandError:
            continue
    raise AssertionError("no revision closes the range below it")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, int]]:
    """The generated project (without a checkpoint), the squash point and how many revisions it replaces."""
    root = tmp_path_factory.mktemp("h300")
    _generate(root)
    tip, size = _closed_tip(root)
    yield root, tip, size


def _copy(history: tuple[Path, str, int], dest: Path) -> Path:
    shutil.copytree(history[0], dest, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    return dest


@pytest.fixture(scope="module")
def squashed(history: tuple[Path, str, int], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project squashed on SQLite (the default scratch database)."""
    root = _copy(history, tmp_path_factory.mktemp("squashed") / "p")
    config = _config(root)
    command.squash(config, f"base:{history[1]}", message="checkpoint 2026")
    out = config.stdout.getvalue()  # type: ignore[union-attr]
    assert f"replaces {history[2]} revisions" in out and "builds the same database on SQLite" in out, out
    return root


def _dump_of(root: Path, url: str) -> list[str]:
    lines: list[str] = []

    def collect(heads: Sequence[str], context: Any) -> list[Any]:
        lines.extend(dump(context, ()))
        return []

    config = _config(root)
    run_on(config, ScriptDirectory.from_config(config), url, collect)
    return lines


def _via_checkpoint_and_via_files(root: Path, url_a: str, url_b: str, first: str) -> tuple[list[str], list[str]]:
    """Bring one fresh database to the heads through the checkpoint, another through every old file."""
    config = _config(root, url_a)
    command.upgrade(config, "heads")
    command.upgrade(_config(root, url_b), first)  # inside the range: from here on the old files
    command.upgrade(_config(root, url_b), "heads")
    return _dump_of(root, url_a), _dump_of(root, url_b)


def _first(root: Path) -> str:
    rmap = ScriptDirectory.from_config(_config(root)).revision_map
    return str(list(rmap.iterate_revisions("heads", None, implicit_base=True))[-1].revision)


def test_the_range_has_branches_and_merges_and_revisions_follow_it(history: tuple[Path, str, int]) -> None:
    root, tip, size = history
    rmap = ScriptDirectory.from_config(_config(root)).revision_map
    replaced = {r.revision for r in rmap.iterate_revisions(tip, None, implicit_base=True)}
    inside = [rmap.get_revision(r) for r in replaced]
    assert size == len(replaced) >= 250
    assert any(r.is_merge_point for r in inside) and any(r.is_branch_point for r in inside)  # type: ignore[union-attr]
    assert any(r.dependencies for r in inside)  # type: ignore[union-attr]
    assert len(list(rmap.iterate_revisions("heads", None, implicit_base=True))) - size >= LATER


def test_sqlite_fresh_database_through_the_checkpoint_equals_the_old_files(squashed: Path, tmp_path: Path) -> None:
    ours, theirs = _via_checkpoint_and_via_files(
        squashed, f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}", _first(squashed)
    )
    assert ours == theirs and len(ours) > 1000


@pytest.mark.parametrize("dialect", DIALECTS)
def test_offline_a_fresh_range_renders_the_checkpoint_on_every_dialect(
    squashed: Path, history: tuple[Path, str, int], dialect: str, capsys: pytest.CaptureFixture[str],
) -> None:
    config = _config(squashed)
    # limbeck's validator does not read its own SQL Server IDENTITY_INSERT guard (the old files' bulk_insert too)
    command.upgrade(config, "base:heads", sql=True, dialect=dialect, validate=dialect != "mssql")
    script = capsys.readouterr().out
    assert f"(checkpoint of {history[2]} revisions)" in script
    assert script.count("Running upgrade") == 300 - history[2] + 1
    command.downgrade(_config(squashed), "heads:base", sql=True, dialect=dialect)
    down = capsys.readouterr().out
    assert down.count("Running downgrade") == 300 - history[2] + 1 and "(checkpoint of" in down


def test_postgresql(history: tuple[Path, str, int], squashed: Path, pg_url: str, tmp_path: Path) -> None:
    # the SQLite-built checkpoint builds PostgreSQL's tables, constraints, indexes and rows as the old
    # files do; only the serial sequences of renamed tables keep their old names in the old files
    config = _config(squashed)
    with pytest.raises(CommandError) as failed:
        command.check_squash(config, urls=[_fresh(pg_url, "a")])
    assert "differs on PostgreSQL" in str(failed.value)
    differences = [line for line in config.stdout.getvalue().splitlines() if line.startswith("  only")]  # type: ignore[union-attr]
    assert differences and all(re.search(r"_id_seq\b", line) for line in differences), differences
    # built on PostgreSQL itself, the checkpoint keeps them too
    root = _copy(history, tmp_path / "pg")
    config = _config(root)
    command.squash(config, f"base:{history[1]}", message="pg", url=_fresh(pg_url, "b"))
    assert "builds the same database on PostgreSQL" in config.stdout.getvalue()  # type: ignore[union-attr]
    ours, theirs = _via_checkpoint_and_via_files(root, _fresh(pg_url, "c"), _fresh(pg_url, "d"), _first(root))
    assert ours == theirs


def test_mariadb(squashed: Path, mariadb_url: str) -> None:
    # the checkpoint built on SQLite, proved on MariaDB (squash --url on MariaDB itself: test_servers.py)
    config = _config(squashed)
    command.check_squash(config, urls=[_fresh(mariadb_url, "a")])
    assert "builds the same database on MariaDB" in config.stdout.getvalue()  # type: ignore[union-attr]


def _fresh(url: str, suffix: str) -> str:
    """Another empty database beside *url*'s (the fixture drops its server's databases with the session)."""
    import sqlalchemy as sa

    base, _, name = url.rpartition("/")
    admin = f"{base}/{'postgres' if url.startswith('postgresql') else 'mysql'}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}_{suffix}")
    engine.dispose()
    return f"{base}/{name}_{suffix}"
