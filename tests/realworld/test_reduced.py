"""Script-level limbeck bugs the real-world histories showed, reduced to a small history of our own.

(Bugs in what an operation renders go to ``tests/parity/corpus_realworld.py``, which compares them
on all six dialects without a script directory.) The revisions below are written for the test,
each naming the downloaded revision that showed the bug; both CLIs run them the way
``test_offline.py`` runs a downloaded history, and must print the same on every dialect.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import Workspace, describe, run_tool
from .normalise import alembic_script
from .projects import History, Project

DIALECTS = ("sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle")

REVISIONS = {
    # invenio-db dbdbc1b19cf2: the revision asks Alembic's op proxy for the running Operations
    "a1_transaction.py": '''
import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import CreateSequence, DropSequence, Sequence

revision = "a1"
down_revision = None
branch_labels = ("db",)
depends_on = None


def upgrade():
    op.create_table("transaction", sa.Column("id", sa.BigInteger(), nullable=False))
    if op._proxy.migration_context.dialect.supports_sequences:
        op.execute(CreateSequence(Sequence("transaction_id_seq")))


def downgrade():
    op.drop_table("transaction")
    if op._proxy.migration_context.dialect.supports_sequences:
        op.execute(DropSequence(Sequence("transaction_id_seq")))
''',
    # invenio-accounts 037afe10e9ff: an empty depends_on declares nothing
    "b2_moderation.py": '''
import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = ()
depends_on = ""


def upgrade():
    op.add_column("transaction", sa.Column("blocked_at", sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column("transaction", "blocked_at")
''',
    # python-watcher 15f7375ca737: the module docstring is a parenthesised concatenation
    "c3_decimals.py": '''(
    """change_decimals

Revision ID: c3
"""
    ""
)

from alembic import op

revision = "c3"
down_revision = "b2"


def upgrade():
    op.create_index("ix_transaction_blocked_at", "transaction", ["blocked_at"])


def downgrade():
    op.drop_index("ix_transaction_blocked_at", table_name="transaction")
''',
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("reduced")
    versions = root / "versions"
    versions.mkdir()
    for name, text in REVISIONS.items():
        (versions / name).write_text(text.lstrip())
    history = History("main", ("versions",), DIALECTS)
    project = Project("reduced", "0", "", "", (history,))
    return Workspace(root / "project", project, history, [Path(versions)])


@pytest.mark.parametrize("command", ["history", "heads"])
def test_listing(workspace: Workspace, command: str) -> None:
    alembic, limbeck = run_tool("alembic", workspace, command), run_tool("limbeck", workspace, command)
    assert alembic.code == 0 and limbeck.code == 0, describe(limbeck)
    assert limbeck.stdout == alembic.stdout


@pytest.mark.parametrize("dialect", DIALECTS)
def test_script(workspace: Workspace, dialect: str) -> None:
    workspace.write_ini(f"{dialect}://")
    for args in (("upgrade", "base:heads", "--sql"), ("downgrade", "heads:base", "--sql")):
        alembic, limbeck = run_tool("alembic", workspace, *args), run_tool("limbeck", workspace, *args)
        assert alembic.code == 0, describe(alembic)
        assert limbeck.code == 0, describe(limbeck)
        assert limbeck.stdout == alembic_script(alembic.stdout, dialect)
