"""Faults (issue 8 §4): a run that dies half way never leaves the database lying about itself.

The run under test starts at w1 and applies w2, w3, w4; w3 fails after its
first statement (an exception in ``upgrade()``, an SQL error, or the process
killed with SIGKILL while w3 runs). Then:

- PostgreSQL (transactional DDL, one transaction per run): nothing of the
  run remains, the version table still says w1;
- PostgreSQL with ``transaction_per_migration``: w2 stays, nothing of w3;
- SQLite (each revision its own transaction, its DDL included; with
  ``transactional_ddl=True`` the whole run is one): w2 stays, nothing of w3
  (nothing of the run at all in one transaction);
- MariaDB (each revision commits on its own, and DDL commits at once): the
  version table names w2, the last completed revision; w3's first
  statement (its CREATE TABLE) has already happened;

and running ``upgrade heads`` again (with the fault gone) finishes the job
with every revision's data written exactly once.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import limbeck_reliability_dbtools as dbtools
import limbeck_reliability_procs as procs
import limbeck_reliability_project as project
import pytest
from click.testing import CliRunner

from limbeck import command
from limbeck.cli import cli
from limbeck.config import Config

#: how env.py frames the run: as generated, ``transaction_per_migration=True``,
#: or ``transactional_ddl=True`` (one transaction for the run on SQLite too)
ENV_EDITS: dict[str, Callable[[str], str] | None] = {
    "": None,
    "per-migration": project.per_migration,
    "one-transaction": project.one_transaction,
}
#: (database, framing) -> (version rows after the fault, tables the run left behind)
AFTER_FAULT: dict[tuple[str, str], tuple[list[str], set[str]]] = {
    ("postgresql", ""): (["w1"], set()),
    ("postgresql", "per-migration"): (["w2"], {"second"}),
    ("mariadb", ""): (["w2"], {"second", "third"}),
    ("sqlite", ""): (["w2"], {"second"}),
    ("sqlite", "per-migration"): (["w2"], {"second"}),
    ("sqlite", "one-transaction"): (["w1"], set()),
}
#: rows of ``applied`` after the fault (w2's row is rolled back with w2 in one transaction)
APPLIED_AFTER_FAULT = {("postgresql", ""): ["w1"], ("sqlite", "one-transaction"): ["w1"]}
CASES = [pytest.param(kind, framing, id=f"{kind}-{framing}" if framing else kind) for kind, framing in AFTER_FAULT]


def _setup(kind: str, framing: str, make_databases: Callable[[str], Any], new_project: Callable[..., Config]) -> tuple[str, Config]:
    url = make_databases(kind).new()
    config = new_project(url, procs.WORK, env_edit=ENV_EDITS[framing])
    command.upgrade(config, "w1")
    return url, config


def _check_after_fault(kind: str, framing: str, url: str) -> None:
    versions, left = AFTER_FAULT[(kind, framing)]
    assert dbtools.versions(url) == versions
    assert dbtools.tables(url) - {"alembic_version", "applied"} == left
    assert procs.applied_rows(url) == APPLIED_AFTER_FAULT.get((kind, framing), ["w1", "w2"])


def _check_rerun(config: Config, url: str) -> None:
    command.upgrade(config, "heads")
    assert dbtools.versions(url) == ["w4"]
    assert dbtools.tables(url) == {"alembic_version", "applied", "second", "third"}
    assert procs.applied_rows(url) == ["w1", "w2", "w3", "w4"]  # each revision's data exactly once


@pytest.mark.parametrize("fault, message", [
    ("exception", "RuntimeError: injected fault in w3"),
    ("sql", "no_such_table"),
])
@pytest.mark.parametrize("kind, framing", CASES)
def test_failing_revision(
    kind: str, framing: str, fault: str, message: str,
    make_databases: Callable[[str], Any], new_project: Callable[..., Config],
) -> None:
    url, config = _setup(kind, framing, make_databases, new_project)
    assert config.config_file_name is not None
    result = CliRunner().invoke(
        cli, ["-c", config.config_file_name, "upgrade", "heads"], env={"RELIABILITY_FAULT": fault},
    )
    assert result.exit_code == 1
    # progress lines of the revisions that ran, then one line for the failure
    failed = [line for line in result.stderr.splitlines() if not line.startswith("Running upgrade ")]
    assert len(failed) == 1 and "Traceback" not in result.output, result.output
    assert failed[0].startswith("FAILED: ") and re.search(r"w3_revision\.py:\d+ \(revision w3, upgrade\): ", failed[0])
    assert message in failed[0]
    _check_after_fault(kind, framing, url)
    # the line says where the database is, and it is there
    assert failed[0].endswith(f"; the database is at {', '.join(AFTER_FAULT[(kind, framing)][0])}"), failed[0]
    _check_rerun(config, url)


@pytest.mark.parametrize("kind, framing", CASES)
def test_process_killed_mid_run(
    kind: str, framing: str, make_databases: Callable[[str], Any], new_project: Callable[..., Config],
    tmp_path: Path,
) -> None:
    url, config = _setup(kind, framing, make_databases, new_project)
    assert config.config_file_name is not None
    log = tmp_path / "applied.log"
    run = procs.limbeck(
        Path(config.config_file_name).parent, "upgrade", "heads",
        env={"RELIABILITY_FAULT": "hang", "RELIABILITY_LOG": str(log)},
    )
    procs.wait_for_line(log, "w3 hanging", proc=run)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL
    _check_after_fault(kind, framing, url)
    # the dead session's lock went with it: the next run is not kept waiting
    _check_rerun(config, url)
