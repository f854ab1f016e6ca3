"""Projects for the review tests: a real limbeck project on disk (``init``), with revisions written per test.

``project(history)`` writes each ``Rev`` as a revision file and returns the
project's Config; ``project.add(...)``/``project.path(rev)`` edit it later
(the manifest tests change revisions after approval).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from limbeck.config import Config

if TYPE_CHECKING:
    from click.testing import Result


@dataclass(frozen=True)
class Rev:
    rev: str
    down: str | tuple[str, ...] | None
    upgrade: str
    downgrade: str = "pass"
    message: str | None = None
    extra: str = ""


#: a small linear history every dialect can render
LINEAR: list[Rev] = [
    Rev("a1", None, """
        op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))
        """, 'op.drop_table("account")', "create account"),
    Rev("b2", "a1", """
        op.add_column("account", sa.Column("email", sa.String(100)))
        """, 'op.drop_column("account", "email")', "add email"),
    Rev("c3", "b2", """
        op.execute("UPDATE account SET name = 'x; y' WHERE id = 1")
        """, "op.execute(\"UPDATE account SET name = NULL WHERE id = 1\")", "fill names"),
]

TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2024-01-01 00:00:00
"""
from limbeck import op
import sqlalchemy as sa
{extra}
revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


def _body(text: str) -> str:
    return textwrap.indent(textwrap.dedent(text).strip() or "pass", "    ")


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions = root / "migrations" / "versions"
        self.config: Config | None = None

    def path(self, rev: str) -> Path:
        return self.versions / f"{rev}_revision.py"

    def write(self, item: Rev | tuple[object, ...]) -> Path:
        if not isinstance(item, Rev):
            item = Rev(*item)  # type: ignore[arg-type]
        down_text = ", ".join(item.down) if isinstance(item.down, tuple) else (item.down or "")
        text = TEMPLATE.format(
            message=item.message or f"revision {item.rev}", rev=item.rev, down=item.down, down_text=down_text,
            upgrade=_body(item.upgrade), downgrade=_body(item.downgrade), extra=textwrap.dedent(item.extra),
        )
        path = self.path(item.rev)
        path.write_text(text)
        return path

    def set_down(self, rev: str, down: str | None) -> None:
        """Point ``rev`` at another down revision (reorders or extends the history)."""
        path = self.path(rev)
        lines = [f"down_revision = {down!r}" if l.startswith("down_revision") else l for l in path.read_text().splitlines()]
        path.write_text("\n".join(lines) + "\n")

    def fresh_config(self) -> Config:
        """A new Config (commands cache nothing between Config objects)."""
        config = Config(str(self.root / "limbeck.ini"), stdout=io.StringIO())
        if self.url is not None:
            config.set_main_option("sqlalchemy.url", self.url)
        return config

    url: str | None = None


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Callable[..., Config]]:
    """``project(history, url=None) -> Config``; the Project is ``config.attributes["project"]``."""
    made: list[int] = []

    def make(history: Sequence[Rev | tuple[object, ...]] = LINEAR, url: str | None = None) -> Config:
        from limbeck import command

        made.append(1)
        root = tmp_path / ("proj" if len(made) == 1 else f"proj{len(made)}")
        root.mkdir()
        config = Config(str(root / "limbeck.ini"), stdout=io.StringIO())
        command.init(config, str(root / "migrations"))
        env = root / "migrations" / "env.py"
        env.write_text(env.read_text().replace("    fileConfig(config.config_file_name)", "    pass"))
        proj = Project(root)
        proj.url = url or f"sqlite:///{root / 'app.db'}"
        for item in history:
            proj.write(item)
        config = proj.fresh_config()
        config.attributes["project"] = proj
        return config

    yield make


@pytest.fixture
def temporary_pg() -> str:
    """The label of the temporary PostgreSQL ``--validate`` starts here ("temporary postgresql 15.18").

    Skipped locally without the server binaries; under CI=true that fails
    (.ci/run installs them).
    """
    from limbeck.review.temporary_server import TemporaryServer, find_installation

    why = TemporaryServer().unavailable("postgresql")
    if why is not None:
        reason = f"no temporary PostgreSQL: {why}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason} (CI must run it; .ci/run installs the packages)")
        pytest.skip(reason)
    installation = find_installation()
    assert installation is not None
    return f"temporary postgresql {installation.version_text}"


@pytest.fixture
def linear() -> list[Rev]:
    return list(LINEAR)


@pytest.fixture
def printed() -> Callable[[Config], str]:
    """What a command printed through ``config.print_stdout``."""

    def read(config: Config) -> str:
        stream = config.stdout
        assert isinstance(stream, io.StringIO)
        return stream.getvalue()

    return read


@pytest.fixture
def proj_of() -> Callable[[Config], Project]:
    return lambda config: config.attributes["project"]  # type: ignore[no-any-return]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the limbeck CLI in-process against a project's ini (``invoke(config, "lint")``)."""
    from click.testing import CliRunner

    from limbeck.cli import cli

    monkeypatch.delenv("LIMBECK_CONFIG", raising=False)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)

    def run(config: Config, *args: str) -> Result:
        monkeypatch.chdir(config.attributes["project"].root)
        return CliRunner().invoke(cli, ["-c", str(config.config_file_name), *args], prog_name="limbeck")

    return run


# -- the real command-line clients, for scripts that must run as they were reviewed ---------
Client = Callable[..., "subprocess.CompletedProcess[str]"]


def _client_missing(what: str) -> None:
    # the server packages CI installs bring the clients: under CI this must not pass silently
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is not installed")
    pytest.skip(f"{what} is not installed")


@pytest.fixture
def psql() -> Client:
    """``psql(url, script, stop=True)``: run ``script`` with psql (``stop``: ``-v ON_ERROR_STOP=1``)."""
    import sqlalchemy as sa

    binary = shutil.which("psql")
    if binary is None:
        _client_missing("psql (Debian package postgresql-client)")

    def run(url: str, script: str, stop: bool = True) -> subprocess.CompletedProcess[str]:
        plain = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        args = [str(binary), "-X", "-q", *(["-v", "ON_ERROR_STOP=1"] if stop else []), plain]
        return subprocess.run(args, input=script, capture_output=True, text=True, timeout=120, check=False)

    return run


@pytest.fixture
def mariadb_client() -> Client:
    """``mariadb_client(url, script, stop=True)``: the mariadb client (``stop=False``: ``--force``)."""
    import sqlalchemy as sa

    binary = shutil.which("mariadb") or shutil.which("mysql")
    if binary is None:
        _client_missing("the mariadb client (Debian package mariadb-client)")

    def run(url: str, script: str, stop: bool = True) -> subprocess.CompletedProcess[str]:
        u = sa.engine.make_url(url)
        args = [str(binary), "--no-defaults", "-h", str(u.host), "-P", str(u.port), "-u", str(u.username)]
        args += [*([] if stop else ["--force"]), str(u.database)]
        return subprocess.run(args, input=script, capture_output=True, text=True, timeout=120, check=False)

    return run


@pytest.fixture
def sqlite3_client() -> Client:
    """``sqlite3_client(path, script)``: the sqlite3 shell, stopping at the first error (``-bail``)."""
    binary = shutil.which("sqlite3")
    if binary is None:
        pytest.skip("the sqlite3 shell is not installed (Debian package sqlite3)")

    def run(path: str, script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(binary), "-bail", path], input=script, capture_output=True, text=True, timeout=120, check=False)

    return run


def versions_in(url: str) -> set[str]:
    """The rows of ``url``'s version table."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


@pytest.fixture
def versions() -> Callable[[str], set[str]]:
    return versions_in
