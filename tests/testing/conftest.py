"""Projects for the limbeck.testing tests: real limbeck projects on disk, made with ``init``.

``build_project(root, history)`` is used both for projects in ``tmp_path``
(renderer and stairway tests) and inside pytester's folder (plugin tests).
The history has a branch point, a merge and a second base, so per-revision
grouping is tested where version-table statements depend on other branches.
"""

from __future__ import annotations

import importlib
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from limbeck.config import Config

#: Pytester restores sys.modules after each test: what an inner run imports first
#: would be dropped and imported again by the next (new class objects, SQLAlchemy
#: loaded twice). Imported here, they stay one copy for the session.
PRELOADED = (
    "sqlalchemy",
    "sqlalchemy.dialects.mssql",
    "sqlalchemy.dialects.mysql",
    "sqlalchemy.dialects.oracle",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.sqlite",
    "limbeck.review.capture",
    "limbeck.runtime.environment",
    "limbeck.runtime.migration",
    "limbeck.testing.render",
    "limbeck.testing.snapshots",
    "limbeck.testing.stairway",
)
for _name in PRELOADED:
    importlib.import_module(_name)


def pytest_configure(config: pytest.Config) -> None:
    # ``pytest_plugins = ["pytester"]`` is refused in a conftest below the rootdir when the
    # whole suite runs ("non-top-level conftest"); registering it here works in both cases
    # and is a no-op if the root conftest already loads it.
    config.pluginmanager.import_plugin("pytester")


@dataclass(frozen=True)
class Rev:
    rev: str
    down: str | tuple[str, ...] | None
    upgrade: str
    downgrade: str
    message: str
    labels: str | None = None


#: a1 -> b2 -> (c3 | d4) -> e5 (merge), plus f6, a second base on its own branch
HISTORY: list[Rev] = [
    Rev("a1", None, """
        op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))
        """, 'op.drop_table("account")', "create account"),
    Rev("b2", "a1", """
        op.add_column("account", sa.Column("email", sa.String(100)))
        op.create_index("ix_account_email", "account", ["email"])
        """, """
        op.drop_index("ix_account_email", table_name="account")
        op.drop_column("account", "email")
        """, "add email"),
    Rev("c3", "b2", 'op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("audit")', "create audit"),
    Rev("d4", "b2", 'op.create_table("tag", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("tag")', "create tag"),
    Rev("e5", ("c3", "d4"), "op.execute(\"UPDATE account SET name = 'merged' WHERE id = 2\")",
        "op.execute(\"UPDATE account SET name = NULL WHERE id = 2\")", "merge audit and tag"),
    Rev("f6", None, 'op.create_table("setting", sa.Column("skey", sa.String(40), primary_key=True))',
        'op.drop_table("setting")', "create setting", labels="settings"),
]

TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2024-01-01 00:00:00
"""
from limbeck import op
import sqlalchemy as sa

revision = {rev!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


def _body(text: str) -> str:
    return textwrap.indent(textwrap.dedent(text).strip() or "pass", "    ")


def revision_path(root: Path, rev: Rev) -> Path:
    slug = rev.message.replace(" ", "_")
    return root / "migrations" / "versions" / f"{rev.rev}_{slug}.py"


def write_revision(root: Path, rev: Rev) -> Path:
    down_text = ", ".join(rev.down) if isinstance(rev.down, tuple) else (rev.down or "")
    path = revision_path(root, rev)
    path.write_text(
        TEMPLATE.format(
            message=rev.message, rev=rev.rev, down=rev.down, down_text=down_text, labels=rev.labels,
            upgrade=_body(rev.upgrade), downgrade=_body(rev.downgrade),
        )
    )
    return path


def build_project(root: Path, history: Sequence[Rev] = HISTORY) -> Config:
    """``init`` a project in ``root`` (made if needed) and write ``history``; its Config."""
    from limbeck import command

    root.mkdir(parents=True, exist_ok=True)
    config = Config(str(root / "limbeck.ini"), stdout=io.StringIO())
    command.init(config, str(root / "migrations"))
    env = root / "migrations" / "env.py"
    env.write_text(env.read_text().replace("    fileConfig(config.config_file_name)", "    pass"))
    for rev in history:
        write_revision(root, rev)
    return Config(str(root / "limbeck.ini"), stdout=io.StringIO())


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Config]:
    """``make_project(history=HISTORY) -> Config`` of a new project under ``tmp_path``."""
    count = [0]

    def make(history: Sequence[Rev] = HISTORY) -> Config:
        count[0] += 1
        return build_project(tmp_path / f"proj{count[0]}", history)

    return make


@pytest.fixture
def history() -> list[Rev]:
    """The default history (a copy: tests add to it)."""
    return list(HISTORY)


@pytest.fixture
def new_rev() -> type[Rev]:
    """The revision record, for tests that write their own revisions."""
    return Rev


@pytest.fixture
def project_files() -> Callable[..., Config]:
    """``build_project(root, history)``: a project in a folder the test chooses (pytester's)."""
    return build_project


@pytest.fixture
def revision_file() -> Callable[[Path, Rev], Path]:
    """``revision_file(root, rev)`` writes (or rewrites) one revision file; its path."""
    return write_revision


#: models matching a1 and b2 of HISTORY (a1 -> b2 only)
MODELS = """
import sqlalchemy as sa

target_metadata = sa.MetaData()
sa.Table(
    "account", target_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50)),
    sa.Column("email", sa.String(100), index=True),
)
"""


def write_models(root: Path, extra: str = "") -> None:
    """Put MODELS (plus ``extra`` code) into the project's env.py as its ``target_metadata``."""
    env = root / "migrations" / "env.py"
    text = env.read_text()
    start = text.index("target_metadata = None")
    env.write_text(text[:start] + MODELS + textwrap.dedent(extra) + text[start + len("target_metadata = None"):])


@pytest.fixture
def models() -> Callable[..., None]:
    """``models(root, extra="")``: env.py's target_metadata describes a1 and b2 (plus ``extra``)."""
    return write_models
