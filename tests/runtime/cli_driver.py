"""Run several commands of Alembic's or limbeck's CLI in one child process, as a black box.

Real Alembic must not run inside the test process (a revision file's
import-time ``@compiles`` would stay registered, and Alembic's ``Config``
binds ``sys.stdout`` at import). One interpreter per command costs a
second each on a loaded machine, so a child runs a list of commands
through the tool's command-line ``main`` and reports, per command, its exit
code, its error line and, optionally, what the command appended to
a log file (revision files write to it when imported) and the rows of a
SQLite database's version table after it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ENV", "Result", "run_commands"]

#: an env.py both tools run: offline with literal values, online on the URL's database, committing
ENV = '''
from alembic import context
from sqlalchemy import create_engine

url = context.config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine(url).connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
'''

_DRIVER = """
import contextlib, io, json, sys
import sqlite3
tool, ini, commands, out, log, db = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]


def versions():
    if not db:
        return []
    with contextlib.closing(sqlite3.connect(db)) as conn:
        try:
            return sorted(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
        except sqlite3.OperationalError:
            return None
if tool == "alembic":
    from alembic.config import main as alembic_main
    run = lambda argv: alembic_main(argv=argv, prog="alembic")
else:
    from limbeck.cli import main as limbeck_main
    run = lambda argv: limbeck_main(argv, prog="limbeck")
results = []
for args in commands:
    if log:
        open(log, "w").close()
    out_, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out_), contextlib.redirect_stderr(err):
        try:
            run(["-c", ini, *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    # Alembic writes its FAILED line on stdout, limbeck on stderr
    lines = [line for line in (out_.getvalue() + err.getvalue()).splitlines() if line.startswith("FAILED")]
    lines = lines or err.getvalue().strip().splitlines()
    results.append([open(log).read().split() if log else [], code, lines[-1] if lines else "", versions()])
json.dump(results, open(out, "w"))
"""


@dataclass(frozen=True)
class Result:
    log: list[str]
    code: int
    error: str  # its FAILED line (Alembic writes it on stdout), else its last line on stderr
    versions: list[str] | None  # the version table's rows after it (None: no table)


def run_commands(tool: str, ini: Path, commands: list[tuple[str, ...]], env: dict[str, str] | None = None,
                 log: Path | None = None, database: Path | None = None) -> list[Result]:
    """Run ``<tool> -c ini <command>`` for each command, in order, in one child process."""
    out = ini.with_name(f"results-{tool}.json")
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, tool, str(ini), json.dumps(commands), str(out), str(log or ""),
         str(database or "")],
        env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [Result(*item) for item in json.loads(out.read_text())]
