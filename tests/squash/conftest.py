"""Projects for the tag and checkpoint tests: a limbeck project on disk with a small branchy history.

``BRANCHY`` is base -> a1 -> b2, which branches into c3 and d4, merged by e5,
followed by f6: the range base:e5 is one a checkpoint can replace (only e5
is built on from outside it), base:c3 is not (d4 builds on b2).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config


@dataclass(frozen=True)
class Rev:
    rev: str
    down: str | tuple[str, ...] | None
    upgrade: str
    downgrade: str
    message: str
    labels: tuple[str, ...] | None = None


BRANCHY: list[Rev] = [
    Rev("a1", None, """
        op.create_table(
            "account",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(50), server_default="nobody", nullable=False),
            sa.Column("created", sa.DateTime, server_default=sa.func.current_timestamp()),
        )
        op.create_index("ix_account_name", "account", ["name"])
        op.bulk_insert(sa.table("account", sa.column("id"), sa.column("name")), [{"id": 1, "name": "root"}])
        """, 'op.drop_index("ix_account_name", table_name="account")\nop.drop_table("account")', "create account"),
    Rev("b2", "a1", """
        op.add_column("account", sa.Column("email", sa.String(100), comment="where to write"))
        """, 'op.drop_column("account", "email")', "add email"),
    Rev("c3", "b2", """
        op.create_table(
            "orders",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id", name="fk_orders_account", ondelete="CASCADE")),
            sa.Column("total", sa.Numeric(10, 2), nullable=False),
            sa.CheckConstraint("total >= 0", name="ck_orders_total"),
        )
        op.bulk_insert(
            sa.table("orders", sa.column("id"), sa.column("account_id"), sa.column("total", sa.Numeric(10, 2))),
            [{"id": 7, "account_id": 1, "total": Decimal("12.50")}],
        )
        """, 'op.drop_table("orders")', "create orders"),
    Rev("d4", "b2", """
        op.create_table(
            "note",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("body", sa.Text),
            sa.UniqueConstraint("body", name="uq_note_body"),
            comment="free text",
        )
        """, 'op.drop_table("note")', "create note"),
    Rev("e5", ("c3", "d4"), "pass", "pass", "merge"),
    Rev("f6", "e5", """
        op.add_column("note", sa.Column("done", sa.Boolean, server_default=sa.false(), nullable=False))
        """, 'op.drop_column("note", "done")', "add done"),
]

TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2024-01-01 00:00:00
"""
from decimal import Decimal

import sqlalchemy as sa
from limbeck import op

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


class Project:
    """A limbeck project in a temporary folder; ``config()`` gives a fresh Config printing to a buffer."""

    def __init__(self, root: Path, url: str) -> None:
        self.root = root
        self.url = url
        self.config_name = "limbeck.ini"
        self.versions = root / "migrations" / "versions"
        self.checkpoints = root / "migrations" / "checkpoints"

    def write(self, item: Rev) -> Path:
        down_text = ", ".join(item.down) if isinstance(item.down, tuple) else (item.down or "")
        path = self.versions / f"{item.rev}_revision.py"
        path.write_text(TEMPLATE.format(
            message=item.message, rev=item.rev, down=item.down, down_text=down_text, labels=item.labels,
            upgrade=_body(item.upgrade), downgrade=_body(item.downgrade),
        ))
        return path

    def config(self, url: str | None = None) -> Config:
        config = Config(str(self.root / self.config_name), stdout=io.StringIO())
        config.set_main_option("sqlalchemy.url", (url or self.url).replace("%", "%%"))
        return config

    def printed(self, config: Config) -> str:
        stream = config.stdout
        assert isinstance(stream, io.StringIO)
        return stream.getvalue()

    def run(self, name: str, *args: object, db_url: str | None = None, **kw: object) -> str:
        """``command.<name>(config, *args, **kw)`` with ``sqlalchemy.url`` = *db_url*; what it printed."""
        config = self.config(db_url)
        getattr(command, name)(config, *args, **kw)
        return self.printed(config)

    def heads_in(self, url: str | None = None) -> list[str]:
        """The version table's rows."""
        engine = sa.create_engine(url or self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                if not sa.inspect(conn).has_table("alembic_version"):
                    return []
                return sorted(r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version")))
        finally:
            engine.dispose()

    def tables_in(self, url: str | None = None) -> list[str]:
        engine = sa.create_engine(url or self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                return sorted(t for t in sa.inspect(conn).get_table_names() if t != "alembic_version")
        finally:
            engine.dispose()

    def checkpoint_file(self) -> Path:
        (found,) = sorted(self.checkpoints.glob("*.py"))
        return found


@pytest.fixture
def make_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Project]]:
    """``make_project(history=BRANCHY, url=None) -> Project`` (SQLite file in the project by default)."""
    monkeypatch.delenv("LIMBECK_CONFIG", raising=False)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
    made: list[Path] = []

    def make(history: Sequence[Rev] = BRANCHY, url: str | None = None) -> Project:
        root = tmp_path / f"proj{len(made)}"
        root.mkdir()
        made.append(root)
        config = Config(str(root / "limbeck.ini"), stdout=io.StringIO())
        command.init(config, str(root / "migrations"))
        env = root / "migrations" / "env.py"
        env.write_text(env.read_text().replace("    fileConfig(config.config_file_name)", "    pass"))
        project = Project(root, url or f"sqlite:///{root / 'app.db'}")
        for item in history:
            project.write(item)
        monkeypatch.chdir(root)
        return project

    yield make


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project()
