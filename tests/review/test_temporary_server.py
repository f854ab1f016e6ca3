"""--validate on PostgreSQL without a URL: the script runs on a temporary server made from the machine's binaries."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck import command
from limbeck.compiler.statement import Kind, Statement
from limbeck.config import Config
from limbeck.dialects.base import LocalServer
from limbeck.review import temporary_server as ts
from limbeck.review.errors import PlanFailed, ValidationFailed
from limbeck.review.stream import Record
from limbeck.review.validate import Status, Verdict, pglast_verdict

HISTORY = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))',
     'op.drop_table("account")'),
    ("b2", "a1", 'op.add_column("account", sa.Column("email", sa.String(100)))', 'op.drop_column("account", "email")'),
]
#: parses, fails on the database: the column does not exist
WRONG_COLUMN = ("c3", "b2", 'op.create_index("ix_nope", "account", ["nope"])', 'op.drop_index("ix_nope", table_name="account")')


@pytest.fixture
def clusters(monkeypatch: pytest.MonkeyPatch) -> list[ts.Cluster]:
    """Every cluster a test starts, to check that none outlives its command."""
    made: list[ts.Cluster] = []
    start = ts.Cluster.start

    def recording(self: ts.Cluster) -> str:
        made.append(self)
        return start(self)

    monkeypatch.setattr(ts.Cluster, "start", recording)
    return made


def _gone(cluster: ts.Cluster) -> bool:
    """The folder is deleted and no process runs on its data directory."""
    if os.path.exists(cluster.folder):
        return False
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if cluster.folder.encode() in cmdline:
                return False
    return True


def _validate(config: Config, rev_range: str = "heads") -> None:
    config.output_buffer = io.StringIO()
    command.upgrade(config, rev_range, sql=True, validate=True, dialect="postgresql")


def test_schema_error_is_caught_without_a_url(
    project: Callable[..., Config], temporary_pg: str, clusters: list[ts.Cluster], capsys: pytest.CaptureFixture[str]
) -> None:
    config = project([*HISTORY, WRONG_COLUMN])
    with pytest.raises(ValidationFailed, match=(
        rf"1 invalid statement: .*c3_revision.py:17 \(revision c3, upgrade\): {temporary_pg}: column \"nope\" does not exist"
    )):
        _validate(config)
    err = capsys.readouterr().err
    assert "revision a1 (" in err and f"3 executed ({temporary_pg})" in err
    # one server for the command, stopped and deleted after it
    assert len(clusters) == 1 and _gone(clusters[0])


def test_a_killed_command_leaves_no_server_behind(temporary_pg: str) -> None:
    """SIGKILL runs no cleanup in the command: the watchdog stops the server and deletes its folder."""
    import signal
    import subprocess
    import sys
    import time

    child = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "from limbeck.review import temporary_server as ts\n"
            "cluster = ts.Cluster(ts.find_installation(), ts.server_user())\n"
            "cluster.start()\n"
            "print(cluster.folder, flush=True)\n"
            "time.sleep(600)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )
    assert child.stdout is not None
    folder = child.stdout.readline().strip()
    cluster = ts.Cluster.__new__(ts.Cluster)
    cluster.folder = folder
    assert folder and os.path.isdir(os.path.join(folder, "data")) and not _gone(cluster)
    child.send_signal(signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 60
    while not _gone(cluster) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(cluster), f"{folder} or its server outlived the killed command"


def test_the_cluster_is_private_and_listens_on_a_socket_only(temporary_pg: str) -> None:
    installation = ts.find_installation()
    assert installation is not None
    cluster = ts.Cluster(installation, ts.server_user())
    try:
        url = cluster.start()
        assert stat.S_IMODE(os.stat(cluster.folder).st_mode) == 0o700
        assert f"host={cluster.folder.replace('/', '%2F')}" in url
        import sqlalchemy as sa

        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                assert conn.exec_driver_sql("SHOW listen_addresses").scalar() == ""
                assert conn.exec_driver_sql("SHOW unix_socket_permissions").scalar() == "0700"
        finally:
            engine.dispose()
    finally:
        cluster.stop()
    assert _gone(cluster)


def test_plan_carries_the_verdicts(
    project: Callable[..., Config], printed: Callable[[Config], str], temporary_pg: str, clusters: list[ts.Cluster]
) -> None:
    config = project([*HISTORY, WRONG_COLUMN])
    with pytest.raises(PlanFailed, match='revision c3: invalid statement'):
        command.plan(config, "a1:heads", "json", "postgresql")
    data = json.loads(printed(config))
    revs = {r["revision"]: r for r in data["revisions"]}
    # after the revisions before the range, applied first: account exists. The script's own
    # BEGIN and COMMIT are stood in for by the rolled-back transaction: only parsed; so is
    # the version update after the failing statement, which did not run
    assert revs["b2"]["validation"] == {f"executed ({temporary_pg})": 2, "parsed (pglast)": 2}
    assert revs["c3"]["validation"] == {"invalid": 1, "parsed (pglast)": 3}
    problem = data["validation_problems"][0]
    assert (problem["revision"], problem["verdict"]) == ("c3", "invalid")
    assert problem["detail"] == f'{temporary_pg}: column "nope" does not exist'
    assert len(clusters) == 1 and _gone(clusters[0])


def test_no_binaries_falls_back_to_the_parser_and_says_so(
    project: Callable[..., Config], printed: Callable[[Config], str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(ts.STARTERS, LocalServer.POSTGRESQL, lambda: None)
    config = project([*HISTORY, WRONG_COLUMN])
    _validate(config)  # only parsed: nothing says the column is missing
    err = capsys.readouterr().err
    assert "executed" not in err and "invalid" not in err and "parsed (pglast)" in err
    assert "no temporary PostgreSQL: no PostgreSQL server binaries found" in err
    command.plan(config, None, "json", "postgresql")
    notes = [p["detail"] for p in json.loads(printed(config))["validation_problems"] if p["verdict"] == "note"]
    assert notes == [
        ("no temporary PostgreSQL: no PostgreSQL server binaries found (pg_config, PATH, /usr/lib/postgresql/*/bin); "
         "the statements were only parsed")
    ]
    command.plan(config, None, "md", "postgresql")
    assert "- no temporary PostgreSQL: no PostgreSQL server binaries found" in printed(config)


def test_a_server_that_does_not_start_falls_back(
    project: Callable[..., Config], monkeypatch: pytest.MonkeyPatch, clusters: list[ts.Cluster],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # a folder the postgres user can read too, when the suite runs as root
    bindir = Path(tempfile.mkdtemp(prefix="limbeck-test-bin-"))
    bindir.chmod(0o755)
    for tool in ("initdb", "pg_ctl", "postgres"):
        (bindir / tool).write_text("#!/bin/sh\necho 'initdb: error: cannot be run here' >&2\nexit 1\n")
        (bindir / tool).chmod(0o755)
    monkeypatch.setitem(ts.STARTERS, LocalServer.POSTGRESQL, lambda: ts.Installation(str(bindir), (99, 0)))
    config = project([*HISTORY, WRONG_COLUMN])
    try:
        _validate(config)
    finally:
        shutil.rmtree(bindir)
    err = capsys.readouterr().err
    assert "no temporary PostgreSQL: it did not start: initdb failed: initdb: error: cannot be run here" in err
    assert "invalid" not in err and "parsed (pglast)" in err
    assert len(clusters) == 1 and _gone(clusters[0])


def test_root_runs_it_only_as_the_postgres_user(monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert ts.server_user() is None  # a user runs it as themselves
    monkeypatch.setattr(os, "geteuid", lambda: 0)

    def no_user(name: str) -> pwd.struct_passwd:
        raise KeyError(name)

    monkeypatch.setattr(pwd, "getpwnam", no_user)
    with pytest.raises(ts.Unavailable, match="runs as root, PostgreSQL refuses to, and there is no 'postgres' user"):
        ts.server_user()
    assert "no 'postgres' user" in str(ts.TemporaryServer().unavailable("postgresql"))
    monkeypatch.setattr(pwd, "getpwnam", lambda name: pwd.struct_passwd((name, "x", 0, 0, "", "/", "/bin/sh")))
    with pytest.raises(ts.Unavailable, match="'postgres' user is root"):
        ts.server_user()


def test_other_dialects_have_no_temporary_server(project: Callable[..., Config], capsys: pytest.CaptureFixture[str]) -> None:
    assert ts.TemporaryServer().unavailable("mysql") == "mysql has no temporary server"
    config = project(HISTORY)
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, validate=True, dialect="mysql")
    assert "temporary" not in capsys.readouterr().err


def _judge(server: ts.TemporaryServer, statements: list[str], notes: list[str]) -> list[Verdict]:
    items = [(Record(Statement(Kind.DDL, s), (s,), (s + ";\n",), "postgresql", True, False), s) for s in statements]
    return server.judge(items, [pglast_verdict(s) for s in statements], [], notes)


def test_what_the_machine_lacks_is_not_held_against_the_script(temporary_pg: str) -> None:
    installation = ts.find_installation()
    assert installation is not None
    server = ts.TemporaryServer()
    notes: list[str] = []
    newer = "ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (id * 3)"  # PostgreSQL 17
    verdicts = _judge(server, [
        "CREATE TABLE t (id INTEGER PRIMARY KEY, g INTEGER GENERATED ALWAYS AS (id * 2) STORED)",
        "GRANT SELECT ON t TO reporting",
        "CREATE EXTENSION no_such_extension",
        "CREATE TABLE t2 (id INTEGER) TABLESPACE fast",
        newer,
        "ALTER TABLE t ADD COLUMN x INTEGER",
        "ALTER TABLE t ADD COLUMN x INTEGER",
    ], notes)
    labels = [v.label for v in verdicts]
    executed = f"executed ({temporary_pg})"
    assert labels[:4] == [executed, "not checked", "not checked", "not checked"]
    assert 'role "reporting" does not exist: a role of the server, not of the script' in verdicts[1].detail
    assert 'extension "no_such_extension" is not available: not installed on this machine' in verdicts[2].detail
    assert 'tablespace "fast" does not exist' in verdicts[3].detail
    if installation.version[0] < 17:
        assert labels[4] == "not checked" and "does not know this syntax; pglast (PostgreSQL" in verdicts[4].detail
    else:
        assert labels[4] == executed
    # the run went on past each of them
    assert labels[5] == executed
    # a refusal after one of them may follow from it: not checked, not invalid
    assert labels[6] == "not checked" and "after a statement it could not run" in verdicts[6].detail
    assert notes == [f"{temporary_pg}: stopped at the first failing statement; 0 statement(s) after it were not run"]


def test_an_error_of_meaning_is_not_excused_nor_a_parser_refusal(temporary_pg: str) -> None:
    notes: list[str] = []
    verdicts = _judge(ts.TemporaryServer(), [
        "CREATE TABLE team (id INTEGER PRIMARY KEY)",
        "GRANT SELECT ON team TO reporting",
        "ALTER TABLEE team ADD COLUMN x INTEGER",
    ], notes)
    # PostgreSQL reports this as a syntax error (42601) though the grammar accepts it
    meaning = _judge(ts.TemporaryServer(), ["CREATE TABLE u (id INTEGER)", "INSERT INTO u (id) VALUES (1, 2)"], [])
    assert meaning[1].status is Status.INVALID and "more expressions than target columns" in meaning[1].detail
    # pglast refused it: invalid, whatever came before
    assert verdicts[2].status is Status.INVALID


def test_copy_from_stdin_is_not_run_and_the_script_is_refused(
    project: Callable[..., Config], temporary_pg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """psql reads the lines after ``COPY ... FROM STDIN`` as rows: the server is not given it (the driver
    waited on COPY data, then failed with tracebacks), the statements from it are 'not run', and the
    script check refuses the script, in one line (found by an audit of the review tools)."""
    copy = ("c3", "b2", 'op.execute("COPY account (name) FROM stdin")\nop.drop_table("account")')
    config = project([*HISTORY, copy])
    with pytest.raises(Exception, match="FROM STDIN: psql reads the lines after it as the rows to copy"):
        _validate(config)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "not run: COPY ... FROM STDIN" in err


def test_a_commit_written_as_sql_is_not_run_by_validation(
    project: Callable[..., Config], temporary_pg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Validation runs the script in one transaction it rolls back: a raw COMMIT would end it (and, on a
    --validate-on scratch database, keep what ran). It and what follows are 'not run', said why."""
    raw = ("c3", "b2", 'op.execute("COMMIT")\nop.execute("CREATE INDEX CONCURRENTLY ix_e ON account (email)")\n'
                       'op.execute("BEGIN")')
    config = project([*HISTORY, raw])
    _validate(config)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "not run: a COMMIT written as SQL ends or opens a transaction" in err
