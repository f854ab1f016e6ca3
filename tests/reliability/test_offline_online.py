"""Offline ≡ online (issue 8 §2): a script run by the database's own client leaves what ``upgrade`` leaves.

Each history is walked through the same steps twice, on two fresh databases
of the same server: online with ``limbeck upgrade/downgrade``, and offline by
rendering ``--sql`` for the same range and feeding the script to ``psql`` /
``mariadb`` / SQLite's script runner. After every step both databases must
hold the same reflected schema, the same rows and the same version rows. The
offline script must also split (at the dialect's terminators, outside
quotes and comments) into exactly the statements the emitter produced.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import limbeck_reliability_dbtools as dbtools
import limbeck_reliability_histories as histories
import limbeck_reliability_project as project
import limbeck_reliability_sqlsplit as sqlsplit
import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.capture import RevisionRange, capture


def render(config: Config, direction: str, start: str, target: str, url: str) -> str:
    """What ``limbeck <direction> <start>:<target> --sql`` prints for this project.

    A start of ``@db`` is ``--from-db``: the range starts at the heads the
    database at ``url`` records (several heads cannot be written as a start).
    """
    offline = Config(config.config_file_name, output_buffer=io.StringIO())
    if start == "@db":
        offline.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        getattr(command, direction)(offline, target, sql=True, from_db=True)
    else:
        getattr(command, direction)(offline, f"{start}:{target}", sql=True)
    assert offline.output_buffer is not None
    return offline.output_buffer.getvalue()  # type: ignore[attr-defined]


def walk(config: Config, online: str, offline: str, steps: list[tuple[str, str, str]]) -> list[str]:
    """Apply each step online and offline; compare after each; return the scripts."""
    scripts = []
    for direction, start, target in steps:
        getattr(command, direction)(config, target)
        script = render(config, direction, start, target, offline)
        dbtools.run_script(offline, script)
        scripts.append(script)
        expected, got = dbtools.state(online), dbtools.state(offline)
        assert got == expected, f"{direction} {start}:{target}: offline script and online run differ"
    return scripts


@pytest.mark.parametrize("name", sorted(histories.HISTORIES))
def test_offline_script_leaves_what_online_run_leaves(
    name: str, databases: Any, new_project: Callable[..., Config]
) -> None:
    history, steps = histories.HISTORIES[name]
    online, offline = databases.new(), databases.new()
    config = new_project(online, history)
    walk(config, online, offline, steps)
    # the walk ends at base: only the (empty) version table is left on both
    assert dbtools.tables(online) == {"alembic_version"}
    assert dbtools.versions(online) == []


def test_one_transaction_per_revision_too(databases: Any, new_project: Callable[..., Config]) -> None:
    """``transaction_per_migration=True`` frames each revision; scripts must still match the run."""
    history, steps = histories.HISTORIES["branchy"]
    online, offline = databases.new(), databases.new()
    config = new_project(online, history, env_edit=project.per_migration)
    scripts = walk(config, online, offline, steps[:2])
    if databases.kind == "postgresql":
        # one BEGIN/COMMIT pair per revision: c3's range has a1, b2, c3
        assert scripts[0].count("\nBEGIN;") + scripts[0].startswith("BEGIN;") == 3


@pytest.mark.parametrize("name", sorted(histories.HISTORIES))
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb", "mysql", "mssql", "oracle"])
def test_scripts_split_into_the_emitted_statements(name: str, dialect: str, new_project: Callable[..., Config]) -> None:
    """A client cuts every script at exactly the emitter's statement boundaries, whatever the values."""
    history, steps = histories.HISTORIES[name]
    config = new_project(None, history, options={"dialect_name": dialect})
    # capture() takes a range the upgrade way round (START:END) and walks it down for a downgrade
    ranges = [("upgrade", "base:heads")] + [(d, f"{t}:{s}") for d, s, t in steps if d == "downgrade" and s != "@db"]
    for direction, rev_range in ranges:
        captured = capture(config, RevisionRange.parse(rev_range), direction=direction, dialect=dialect)
        emitted = [text for record in captured.records for text in record.texts if record.statement.is_executable
                   or record.statement.kind.value in ("begin", "commit")]
        pieces = sqlsplit.split_script(captured.script, dialect)
        expected = [_without_terminator(text, dialect) for text in emitted]
        assert pieces == expected, f"{direction} {rev_range} on {dialect}"


def _without_terminator(text: str, dialect: str) -> str:
    terminator = sqlsplit.FRAMING[dialect][0]
    text = text.strip()
    if terminator and text.endswith(terminator):
        text = text[: -len(terminator)]
    return text.strip()
