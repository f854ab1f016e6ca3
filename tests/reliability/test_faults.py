"""Faults (issue 8 §4): a run that dies half way never leaves the database lying about itself.

The run under test starts at w1 and applies w2, w3, w4; w3 fails after its
first statement (an exception in ``upgrade()``, an SQL error, or the process
killed with SIGKILL while w3 runs). Then:

- PostgreSQL (transactional DDL, one transaction per run): nothing of the
  run remains, the version table still says w1;
- PostgreSQL with ``transaction_per_migration``: w2 stays, nothing of w3;
- MariaDB and SQLite (each revision commits on its own; MariaDB's DDL
  commits at once): the version table names w2, the last completed
  revision; w3's first statement (its CREATE TABLE) has already happened;

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

#: (database, per-migration?) -> (version rows after the fault, tables the run left behind)
AFTER_FAULT: dict[tuple[str, bool], tuple[list[str], set[str]]] = {
    ("postgresql", False): (["w1"], set()),
    ("postgresql", True): (["w2"], {"second"}),
    ("mariadb", False): (["w2"], {"second", "third"}),
    ("sqlite", False): (["w2"], {"second", "third"}),
}
#: rows of ``applied`` after the fault (w2's row is rolled back with w2 on PostgreSQL)
APPLIED_AFTER_FAULT = {("postgresql", False): ["w1"]}
CASES = [pytest.param(kind, per, id=f"{kind}{'-per-migration' if per else ''}") for kind, per in AFTER_FAULT]


def _setup(kind: str, per_migration: bool, make_databases: Callable[[str], Any], new_project: Callable[..., Config]) -> tuple[str, Config]:
    url = make_databases(kind).new()
    config = new_project(url, procs.WORK, env_edit=project.per_migration if per_migration else None)
    command.upgrade(config, "w1")
    return url, config


def _check_after_fault(kind: str, per_migration: bool, url: str) -> None:
    versions, left = AFTER_FAULT[(kind, per_migration)]
    assert dbtools.versions(url) == versions
    assert dbtools.tables(url) - {"alembic_version", "applied"} == left
    assert procs.applied_rows(url) == APPLIED_AFTER_FAULT.get((kind, per_migration), ["w1", "w2"])


def _check_rerun(config: Config, url: str) -> None:
    command.upgrade(config, "heads")
    assert dbtools.versions(url) == ["w4"]
    assert dbtools.tables(url) == {"alembic_version", "applied", "second", "third"}
    assert procs.applied_rows(url) == ["w1", "w2", "w3", "w4"]  # each revision's data exactly once


@pytest.mark.parametrize("fault, message", [
    ("exception", "RuntimeError: injected fault in w3"),
    ("sql", "no_such_table"),
])
@pytest.mark.parametrize("kind, per_migration", CASES)
def test_failing_revision(
    kind: str, per_migration: bool, fault: str, message: str,
    make_databases: Callable[[str], Any], new_project: Callable[..., Config],
) -> None:
    url, config = _setup(kind, per_migration, make_databases, new_project)
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
    _check_after_fault(kind, per_migration, url)
    _check_rerun(config, url)


@pytest.mark.parametrize("kind, per_migration", CASES)
def test_process_killed_mid_run(
    kind: str, per_migration: bool, make_databases: Callable[[str], Any], new_project: Callable[..., Config],
    tmp_path: Path,
) -> None:
    url, config = _setup(kind, per_migration, make_databases, new_project)
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
    _check_after_fault(kind, per_migration, url)
    # the dead session's lock went with it: the next run is not kept waiting
    _check_rerun(config, url)
