"""Projects for runtime tests: a real limbeck project on disk, made with ``init``.

The fixture history has a branch point (b), a merge (m), a second base on its
own branch label (x, "other") and a revision that depends on another branch
(y depends on c1). Each revision does real DDL and DML that every dialect
can render and SQLite / PostgreSQL can run.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from limbeck.config import Config

#: (revision, down_revision, branch_labels, depends_on, upgrade body, downgrade body)
HISTORY: list[tuple[str, object, object, object, str, str]] = [
    (
        "a1",
        None,
        None,
        None,
        """
        op.create_table(
            "account",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(50), nullable=False),
            sa.Column("balance", sa.Numeric(10, 2), server_default="0"),
        )
        account = sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String))
        op.bulk_insert(account, [{"id": 1, "name": "o'brien"}, {"id": 2, "name": "100% sure"}])
        """,
        'op.drop_table("account")',
    ),
    (
        "b2",
        "a1",
        None,
        None,
        """
        op.add_column("account", sa.Column("email", sa.String(100)))
        op.create_index("ix_account_email", "account", ["email"])
        """,
        """
        op.drop_index("ix_account_email", table_name="account")
        op.drop_column("account", "email")
        """,
    ),
    (
        "c3",
        "b2",
        None,
        None,
        """
        op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True), sa.Column("note", sa.Text))
        """,
        'op.drop_table("audit")',
    ),
    (
        "d4",
        "b2",
        None,
        None,
        """
        op.create_table("tag", sa.Column("id", sa.Integer, primary_key=True), sa.Column("label", sa.String(30)))
        """,
        'op.drop_table("tag")',
    ),
    (
        "e5",
        ("c3", "d4"),
        None,
        None,
        """
        op.execute("UPDATE account SET name = 'merged' WHERE id = 2")
        """,
        """
        op.execute("UPDATE account SET name = '100% sure' WHERE id = 2")
        """,
    ),
    (
        "f6",
        None,
        "other",
        None,
        """
        op.create_table("setting", sa.Column("skey", sa.String(40), primary_key=True), sa.Column("value", sa.String(200)))
        """,
        'op.drop_table("setting")',
    ),
    (
        "g7",
        "f6",
        None,
        "c3",
        """
        setting = sa.table("setting", sa.column("skey", sa.String), sa.column("value", sa.String))
        op.bulk_insert(setting, [{"skey": "audit", "value": "on"}])
        """,
        """
        op.execute("DELETE FROM setting WHERE skey = 'audit'")
        """,
    ),
]

REVISION_TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from {package} import op
import sqlalchemy as sa

revision: str = {rev!r}
down_revision: Union[str, Sequence[str], None] = {down!r}
branch_labels: Union[str, Sequence[str], None] = {labels!r}
depends_on: Union[str, Sequence[str], None] = {depends!r}


def upgrade() -> None:
{upgrade}


def downgrade() -> None:
{downgrade}
'''


def write_revision(
    versions: Path, rev: str, down: object, labels: object, depends: object, up: str, down_body: str,
    package: str = "limbeck", message: str | None = None,
) -> Path:
    down_text = ", ".join(down) if isinstance(down, tuple) else (down or "")
    body = REVISION_TEMPLATE.format(
        message=message or f"revision {rev}",
        rev=rev,
        down=down,
        down_text=down_text,
        labels=labels,
        depends=depends,
        package=package,
        upgrade=textwrap.indent(textwrap.dedent(up).strip(), "    "),
        downgrade=textwrap.indent(textwrap.dedent(down_body).strip(), "    "),
    )
    path = versions / f"{rev}_revision.py"
    path.write_text(body)
    return path


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Config]:
    """``make_project(url=..., history=HISTORY, package="limbeck")`` -> a Config for it."""

    def make(url: str | None = None, history: list = HISTORY, package: str = "limbeck", env_edit: Callable[[str], str] | None = None) -> Config:
        from limbeck import command

        root = tmp_path / f"proj{len(list(tmp_path.glob('proj*')))}"
        root.mkdir()
        ini = root / "limbeck.ini"
        config = Config(str(ini))
        command.init(config, str(root / "migrations"))
        config = Config(str(ini))
        if url is not None:
            config.set_main_option("sqlalchemy.url", url)
        env = root / "migrations" / "env.py"
        text = env.read_text()
        text = text.replace("    fileConfig(config.config_file_name)", "    pass")
        if env_edit is not None:
            text = env_edit(text)
        env.write_text(text)
        versions = root / "migrations" / "versions"
        for entry in history:
            write_revision(versions, *entry, package=package)
        return config

    return make


#: a revision on top of the merge that fails half way through its upgrade()
FAILING = ("h8", "e5", None, None, 'op.create_table("half", sa.Column("id", sa.Integer))\n1 / 0', 'op.drop_table("half")')


@pytest.fixture
def history_with_failure() -> list[tuple[str, object, object, object, str, str]]:
    return [*HISTORY, FAILING]


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]]:
    """Parallel offline runs (runtime/parallel.py): (slice start, steps the worker handed back, position the
    parent went on from), per worker's slice replayed; shows which steps really came from workers."""
    from limbeck.runtime import parallel

    seen: list[tuple[int, int, int]] = []
    real = parallel._replay

    def spy(loop: object, steps: object, start: int, rendered: list[object]) -> int:
        position = real(loop, steps, start, rendered)  # type: ignore[arg-type]
        seen.append((start, len(rendered), position))
        return position

    monkeypatch.setattr(parallel, "_replay", spy)
    return seen
