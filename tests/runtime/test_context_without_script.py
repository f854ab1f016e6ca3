"""A MigrationContext a program makes itself, without the script directory, running revisions offline.

``MigrationContext.configure(dialect_name=..., opts={"as_sql": True, "fn": ...})`` has no
``opts["script"]`` (EnvironmentContext.configure() passes it). Upgrades need nothing from
the revision graph for their version rows; only a downgrade out of a merge, or beside
another head, does, and is refused in one line saying what to pass (it was an
``AssertionError`` from inside limbeck). Alembic cannot run a revision there at all: its
``op`` proxy is not set up outside an EnvironmentContext.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from limbeck.alembic_modules.script import ScriptDirectory
from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.runtime.migration import MigrationContext


def _run(config: Config, plan: Callable[[ScriptDirectory, Any], list[Any]], **opts: Any) -> str:
    script = ScriptDirectory.from_config(config)
    buf = io.StringIO()
    context = MigrationContext.configure(
        dialect_name="postgresql",
        opts={"as_sql": True, "output_buffer": buf, "fn": lambda rev, ctx: plan(script, rev), **opts},
    )
    with context.begin_transaction():
        context.run_migrations()
    return buf.getvalue()


def test_upgrades_write_their_version_rows(make_project: Callable[..., Config]) -> None:
    out = _run(make_project(), lambda script, rev: script._upgrade_revs("b2", rev))
    assert "INSERT INTO alembic_version (version_num) VALUES ('a1')" in out
    assert "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';" in out


def test_a_plain_downgrade_needs_no_graph(make_project: Callable[..., Config]) -> None:
    out = _run(make_project(), lambda script, rev: script._downgrade_revs("a1", ("b2",)), starting_rev="b2")
    assert "UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';" in out


def test_a_merge_downgrade_says_what_to_pass(make_project: Callable[..., Config]) -> None:
    with pytest.raises(CommandError, match=r"^downgrading e5 needs the revision map: .*opts=\{'script'"):
        _run(make_project(), lambda script, rev: script._downgrade_revs("c3", ("e5",)), starting_rev="e5")
