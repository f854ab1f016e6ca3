"""A temporary PostgreSQL for ``--validate``: the script runs on a real server without the user naming one.

A parser knows the grammar, not the schema: a missing column or a ``SET NOT
NULL`` over a row's NULL passes it. So when no scratch database is named and
the PostgreSQL server binaries are on the machine (``pg_config --bindir``,
``PATH``, ``/usr/lib/postgresql/*/bin``, ``/usr/pgsql-*/bin``; the newest
wins), ``--validate`` and ``plan`` make a cluster in a temporary folder, start
it listening only on a Unix socket inside that folder (mode 0700, no TCP: no
one else can connect), run the script there through
:class:`~limbeck.review.execute_check.ScratchDatabase` (the revisions before
the range first, then the range, in one transaction that is rolled back),
then stop it and delete the folder: once per command. A command that cannot
clean up (killed by SIGKILL, crashed) leaves nothing either: a watchdog
process, waiting on a pipe only the command holds, stops the server and
deletes the folder when that pipe closes.

Who runs it: PostgreSQL refuses to run as root. Run by another user, the
server runs as that user. Run by root, only as the ``postgres`` system user
the PostgreSQL packages create, when it exists: limbeck creates no user and
changes no permission outside the folder it made (which it hands to that
user). Without binaries, a driver, or such a user, or when the server does
not start, the statements keep the parser's verdict and the summary says why.
``validate_temporary_server = false`` in the configuration turns it off.

The local server is not the database the script is for. A refusal that says
more about the machine than about the statement is not held against it (its
verdict is ``not checked``, with the reason): a role, tablespace or collation
the cluster lacks, an extension not installed here, and syntax newer than the
local server that pglast (a newer PostgreSQL's parser) accepted.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from limbeck.dialects.base import LocalServer
from limbeck.errors import CommandError
from limbeck.review.execute_check import (
    Excuse,
    PreludeFailed,
    ScratchDatabase,
    sqlstate,
)
from limbeck.review.verdicts import Status, Verdict

if TYPE_CHECKING:
    from limbeck.review.stream import Record

#: the configuration option that turns the temporary server off
OPTION = "validate_temporary_server"
#: the only user a root process runs the server as (the PostgreSQL packages' own)
SERVER_USER = "postgres"
#: where packages put the binaries when neither pg_config nor PATH knows them
_INSTALL_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin")
_TOOLS = ("initdb", "pg_ctl", "postgres")
_SOCKET_PATH_MAX = 100  # sun_path holds 104-108 bytes, the socket's name included
_TIMEOUT = 120


class Unavailable(Exception):
    """No temporary server can be had here; the message says why, for the summary."""


@dataclass(frozen=True)
class Installation:
    """A folder holding initdb, pg_ctl and postgres, and the version its postgres reports."""

    bindir: str
    version: tuple[int, ...]

    @property
    def version_text(self) -> str:
        return ".".join(str(n) for n in self.version)


def _version(bindir: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run(
            [os.path.join(bindir, "postgres"), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?", out)
    if found is None:
        return None
    return tuple(int(n) for n in found.groups() if n is not None)


def _candidate_dirs() -> list[str]:
    dirs: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            dirs.append(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=True).stdout.strip())
    for tool in _TOOLS:
        found = shutil.which(tool)
        if found:
            dirs.append(os.path.dirname(os.path.realpath(found)))
    for pattern in _INSTALL_GLOBS:
        dirs += glob.glob(pattern)
    return list(dict.fromkeys(os.path.realpath(d) for d in dirs if d))


@functools.cache
def find_installation() -> Installation | None:
    """The newest PostgreSQL server installation on the machine, if any (looked for once per process)."""
    best: Installation | None = None
    for bindir in _candidate_dirs():
        if not all(os.access(os.path.join(bindir, tool), os.X_OK) for tool in _TOOLS):
            continue
        version = _version(bindir)
        if version is not None and (best is None or version > best.version):
            best = Installation(bindir, version)
    return best


def _driver() -> str:
    for module in ("psycopg", "psycopg2"):
        if importlib.util.find_spec(module) is not None:
            return module
    raise Unavailable("no PostgreSQL driver to reach it (pip install psycopg)")


def server_user() -> Any:
    """The ``pwd`` entry to run the server as; ``None``: this process's own user.

    Raises :class:`Unavailable` where no user may run it: as root without a
    ``postgres`` user (initdb refuses root, and a tool that creates system
    users behind a ``--validate`` is not one a reviewer wants).
    """
    if os.name != "posix":
        raise Unavailable("the temporary server is started on POSIX systems only")
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise Unavailable(
            f"limbeck runs as root, PostgreSQL refuses to, and there is no '{SERVER_USER}' user to run it as "
            "(limbeck creates none)"
        ) from None
    if entry.pw_uid == 0:
        raise Unavailable(f"the '{SERVER_USER}' user is root")
    return entry


#: the watchdog, a shell beside the server: ``cat`` returns when the command's end of the pipe
#: closes, however the command ends (SIGKILL and crashes included), and then the server is stopped
#: and its folder deleted; after a normal stop() nothing is left for it to do
_WATCHDOG = 'cat >/dev/null; [ -d "$1" ] && "$0" -D "$1" -m immediate -w stop >/dev/null 2>&1; rm -rf "$2"'


def _workdir() -> str:
    folder = tempfile.mkdtemp(prefix="limbeck-validate-")  # mode 0700
    if len(folder) + len("/.s.PGSQL.5432") > _SOCKET_PATH_MAX and os.path.isdir("/tmp"):
        os.rmdir(folder)
        folder = tempfile.mkdtemp(prefix="limbeck-validate-", dir="/tmp")
    return folder


class Cluster:
    """One cluster in a folder of its own: made, started, stopped and deleted by this process."""

    def __init__(self, installation: Installation, user: Any) -> None:
        self.installation = installation
        self.user = user
        self.folder = _workdir()
        self.data = os.path.join(self.folder, "data")
        self.started = False
        self._watchdog: subprocess.Popen[bytes] | None = None

    def _as_server_user(self) -> dict[str, Any]:
        """``env`` and the user and groups of every process run for the server."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        if self.user is None:
            return {"env": env}
        env["HOME"] = self.folder
        return {"env": env, "user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def _tool(self, *args: str) -> None:
        command = [os.path.join(self.installation.bindir, args[0]), *args[1:]]
        try:
            subprocess.run(
                command, cwd=self.folder, capture_output=True, text=True, timeout=_TIMEOUT, check=True, **self._as_server_user()
            )
        except subprocess.CalledProcessError as err:
            lines = (err.stderr or err.stdout or "").strip().splitlines()
            raise Unavailable(f"{args[0]} failed: {lines[-1] if lines else f'exit status {err.returncode}'}") from None
        except (OSError, subprocess.SubprocessError) as err:
            raise Unavailable(f"{args[0]} failed: {err}") from None

    def start(self) -> str:
        """Make and start the cluster; the URL of its ``postgres`` database."""
        if self.user is not None:
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        # a command killed by SIGKILL runs no cleanup: a process of its own stops the server then
        # (its own session: a Ctrl-C meant for the command does not stop it before it is needed)
        pg_ctl = os.path.join(self.installation.bindir, "pg_ctl")
        with contextlib.suppress(OSError):
            self._watchdog = subprocess.Popen(
                ["/bin/sh", "-c", _WATCHDOG, pg_ctl, self.data, self.folder], cwd="/", stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, **self._as_server_user(),
            )
        self._tool("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
        options = " ".join([
            "-c", "listen_addresses=''", "-k", shlex.quote(self.folder), "-p", "5432", "-c", "unix_socket_permissions=0700",
            "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
        ])
        self.started = True  # from here on, stop() tries pg_ctl stop
        self._tool("pg_ctl", "-D", self.data, "-l", os.path.join(self.folder, "log"), "-o", options, "-w", "-t", "60", "start")
        import sqlalchemy as sa

        url = sa.engine.URL.create(
            f"postgresql+{_driver()}", username="postgres", database="postgres", query={"host": self.folder, "port": "5432"}
        )
        return url.render_as_string(hide_password=False)

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is kept) and delete the folder."""
        try:
            if self.started:
                with contextlib.suppress(Unavailable):
                    self._tool("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            watchdog, self._watchdog = self._watchdog, None
            if watchdog is not None:  # nothing left for it: it ends when its pipe closes
                with contextlib.suppress(OSError, subprocess.SubprocessError):
                    watchdog.communicate(timeout=_TIMEOUT)


def pglast_major() -> int | None:
    """The PostgreSQL major version whose grammar pglast parses with, if installed."""
    try:
        from pglast.parser import get_postgresql_version
    except ImportError:
        return None
    return int(get_postgresql_version()[0])


_MISSING = re.compile(r'(role|tablespace|collation) "[^"]*"(?: for encoding "[^"]*")? does not exist')


def excuse_for(server: tuple[int, ...]) -> Excuse:
    """The refusals of a temporary PostgreSQL ``server`` that are about the machine, not the statement."""
    newer_parser = pglast_major()

    def excuse(error: BaseException, parsed: Verdict) -> str | None:
        state = sqlstate(error)
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        missing = _MISSING.search(message)
        if missing is not None and state in ("42704", "22023"):
            return f"{message}: a {missing.group(1)} of the server, not of the script; the database the script is for may have it"
        if state in ("0A000", "58P01") and "extension" in message:
            return f"{message}: not installed on this machine; the database the script is for may have it"
        if (
            # the grammar's own refusal; parse analysis reports some errors of meaning as 42601 too
            state == "42601" and message.startswith("syntax error") and parsed.status is Status.PARSED and parsed.judge == "pglast"
            and newer_parser is not None and server[0] < newer_parser
        ):
            return (
                f"{message}: PostgreSQL {'.'.join(map(str, server))} does not know this syntax; "
                f"pglast (PostgreSQL {newer_parser}'s parser) accepts it"
            )
        return None

    return excuse


#: how to find each server a dialect's behaviour can name (``temporary_server``)
STARTERS: dict[LocalServer, Callable[[], Installation | None]] = {LocalServer.POSTGRESQL: find_installation}


class TemporaryServer:
    """Where ``--validate`` runs a script when no scratch database is named: started on first use.

    ``with server.session():`` around the judging of a command keeps one
    cluster for all of it; the last session to close stops and deletes it.
    ``off`` says why it is turned off (the configuration).
    """

    def __init__(self, off: str | None = None) -> None:
        self.off = off
        self._cluster: Cluster | None = None
        self._scratch: ScratchDatabase | None = None
        self._depth = 0
        self._failed: str | None = None

    @staticmethod
    def _kind(dialect: str) -> LocalServer | None:
        from limbeck.dialects import behaviour_class

        return behaviour_class(dialect).temporary_server

    def executes(self, dialect: str) -> bool:
        """Whether ``dialect``'s statements will run here (it has a temporary server, and one can be had)."""
        return self.unavailable(dialect) is None

    def unavailable(self, dialect: str) -> str | None:
        """Why no temporary server runs ``dialect``'s statements; ``None``: one does."""
        kind = self._kind(dialect)
        if kind is None:
            return f"{dialect} has no temporary server"
        if self.off:
            return f"turned off ({self.off})"
        if self._failed:
            return self._failed
        if STARTERS[kind]() is None:
            return "no PostgreSQL server binaries found (pg_config, PATH, /usr/lib/postgresql/*/bin)"
        try:
            server_user()
            _driver()
        except Unavailable as err:
            return str(err)
        return None

    @contextlib.contextmanager
    def session(self) -> Iterator[TemporaryServer]:
        self._depth += 1
        try:
            yield self
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.close()

    def close(self) -> None:
        cluster, self._cluster, self._scratch = self._cluster, None, None
        if cluster is not None:
            cluster.stop()

    def _database(self, kind: LocalServer) -> ScratchDatabase:
        if self._scratch is None:
            installation = STARTERS[kind]()
            assert installation is not None
            cluster = Cluster(installation, server_user())
            try:
                url = cluster.start()
            except BaseException:
                cluster.stop()
                raise
            self._cluster = cluster
            label = f"temporary postgresql {installation.version_text}"
            self._scratch = ScratchDatabase(url, label, label=label, excuse=excuse_for(installation.version))
        return self._scratch

    def judge(
        self, items: Sequence[tuple[Record, str]], verdicts: Sequence[Verdict], prelude: Sequence[str], notes: list[str]
    ) -> list[Verdict]:
        """``verdicts``, with what the temporary server ran or refused; unchanged (and a note) when none can run."""
        if not items:
            return list(verdicts)
        dialect = items[0][0].dialect
        kind = self._kind(dialect)
        if kind is None:
            return list(verdicts)
        why = self.unavailable(dialect)
        if why is None:
            try:
                with self.session():
                    return self._database(kind).judge(items, verdicts, prelude, notes)
            except Unavailable as err:
                self._failed = f"it did not start: {err}"
                why = self._failed
            except PreludeFailed as err:
                why = f"the revisions before the range failed on it ({err.reason})"
            except CommandError as err:  # it started, but could not be used
                why = str(err)
        note = f"no temporary PostgreSQL: {why}; the statements were only parsed"
        if note not in notes:
            notes.append(note)
        return list(verdicts)
