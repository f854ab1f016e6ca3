"""Migration projects the CLI parity fixtures were recorded on, generated identically each time.

``tests/parity/record_cli.py`` builds these in a temp dir, runs the real ``alembic`` on
them and saves the output; ``tests/cli/test_parity.py`` builds them again and runs
limbeck. Everything that reaches the output (ids, docstrings, dates, file names) is fixed
here, so the two runs see the same bytes apart from the temp path, which both sides
replace with ``<ROOT>``.

Loaded by path (``load_fixture_projects()`` in conftest, ``runpy`` in the recorder), so it
imports nothing from the test tree.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

CREATE_DATE = "2024-01-02 03:04:05.000000"

ENV_PY = '''\
"""env.py of a CLI fixture project: SQLite online, dialect-only offline."""
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

INI = """\
[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = sqlite:///%(here)s/app.db
"""

PYPROJECT = """\
[project]
name = "fixture"

[tool.alembic]
script_location = "%(here)s/migrations"
"""


@dataclass(frozen=True)
class Rev:
    """One revision file of a fixture project."""

    id: str
    down: str | tuple[str, ...] | None = None
    labels: tuple[str, ...] = ()
    depends: str | tuple[str, ...] | None = None
    doc: str | None = None
    #: ``docstring`` writes the doc as given; ``alembic`` adds the header lines Alembic's
    #: template writes (Revision ID / Revises / Create Date).
    doc_style: str = "alembic"
    file_name: str = ""


@dataclass(frozen=True)
class Project:
    """A migration project: its revisions and how its configuration is given."""

    name: str
    revisions: tuple[Rev, ...]
    config: str = "ini"  # "ini" (alembic.ini) or "pyproject" ([tool.alembic] only)
    notes: dict[str, str] = field(default_factory=dict)


def _literal(value: str | tuple[str, ...] | None) -> str:
    if value is None:
        return "None"
    if isinstance(value, str):
        return repr(value)
    return repr(tuple(value))


def _revises(down: str | tuple[str, ...] | None) -> str:
    if down is None:
        return ""
    return down if isinstance(down, str) else ", ".join(down)


def render_revision(rev: Rev) -> str:
    """The text of one revision file (headers as Alembic's template writes them)."""
    parts: list[str] = []
    if rev.doc is not None:
        if rev.doc_style == "alembic":
            body = f"{rev.doc}\n\nRevision ID: {rev.id}\nRevises: {_revises(rev.down)}\nCreate Date: {CREATE_DATE}\n\n"
        else:
            body = rev.doc
        parts.append(f'"""{body}"""\n')
    parts.append("from typing import Sequence, Union\n\n")
    parts.append(f"revision: str = {rev.id!r}\n")
    parts.append(
        f"down_revision: Union[str, Sequence[str], None] = {_literal(rev.down)}\n"
    )
    labels = _literal(rev.labels) if rev.labels else "None"
    parts.append(f"branch_labels: Union[str, Sequence[str], None] = {labels}\n")
    parts.append(
        f"depends_on: Union[str, Sequence[str], None] = {_literal(rev.depends)}\n\n\n"
    )
    parts.append(
        "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"
    )
    return "".join(parts)


LINEAR = Project(
    "linear",
    (
        Rev("1a0c0b1e2d3f", doc="create account table"),
        Rev("2b1d1c2f3e4a", "1a0c0b1e2d3f", doc="add a column"),
        Rev("3c2e2d3a4f5b", "2b1d1c2f3e4a", doc="add an index"),
        Rev("4d3f3e4b5a6c", "3c2e2d3a4f5b", doc="rename a table"),
        Rev("5e4a4f5c6b7d", "4d3f3e4b5a6c", doc="drop the old column"),
    ),
)

_LONG = (
    "A deliberately long first line that goes on well past eighty columns so that nothing wraps it "
    "or cuts it short in any listing"
)

BRANCHY = Project(
    "branchy",
    (
        Rev("a1b2c3d4e5f6", doc="initial schema"),
        Rev("b2c3d4e5f6a1", "a1b2c3d4e5f6", doc="shared second step"),
        Rev(
            "c3d4e5f6a1b2",
            "b2c3d4e5f6a1",
            labels=("feature",),
            doc="feature branch starts",
        ),
        Rev("d4e5f6a1b2c3", "b2c3d4e5f6a1", doc="hotfix branch starts"),
        Rev(
            "3f5e6a1b2c3d",
            ("c3d4e5f6a1b2", "d4e5f6a1b2c3"),
            doc="merge feature and hotfix",
        ),
        Rev(
            "3f5e9b8c7d6a",
            "3f5e6a1b2c3d",
            doc=_LONG + "\n\nSecond paragraph of the\nlong docstring.\n",
            doc_style="docstring",
        ),
        # a second base, with a label, depending on a revision of the first tree
        Rev(
            "e5f6a1b2c3d4",
            None,
            labels=("reporting", "analytics"),
            depends="b2c3d4e5f6a1",
            doc="reporting base",
        ),
        Rev("f6a1b2c3d4e5", "e5f6a1b2c3d4", doc="reporting views"),
        # a third base whose head another revision depends on: an "effective head"
        Rev("0a9b8c7d6e5f", None, labels=("audit",), doc="audit base"),
        Rev("0b8c7d6e5f4a", "0a9b8c7d6e5f", doc=None),
        Rev(
            "9c8d7e6f5a4b",
            None,
            depends=("0b8c7d6e5f4a", "audit"),
            doc="depends on the audit head and label",
        ),
        # a branch point whose children are both heads
        Rev("8d7e6f5a4b3c", "9c8d7e6f5a4b", doc="left child"),
        Rev(
            "7e6f5a4b3c2d",
            "9c8d7e6f5a4b",
            labels=("right",),
            doc="  indented first line\n\n      more indented\ntrailing spaces   \n",
            doc_style="docstring",
        ),
    ),
)

EMPTY = Project("empty", ())

PYPROJECT_ONLY = Project(
    "pyproject_only",
    (
        Rev("11aa22bb33cc", doc="first"),
        Rev("22bb33cc44dd", "11aa22bb33cc", doc="second"),
    ),
    config="pyproject",
)

PROJECTS: dict[str, Project] = {
    p.name: p for p in (LINEAR, BRANCHY, EMPTY, PYPROJECT_ONLY)
}


def build_project(project: Project, root: Path) -> Path:
    """Write *project* under ``root/<name>`` and return that folder."""
    home = root / project.name
    versions = home / "migrations" / "versions"
    versions.mkdir(parents=True)
    (home / "migrations" / "env.py").write_text(ENV_PY, encoding="utf-8")
    if project.config == "ini":
        (home / "alembic.ini").write_text(INI, encoding="utf-8")
    else:
        (home / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for rev in project.revisions:
        name = rev.file_name or f"{rev.id}_rev.py"
        (versions / name).write_text(render_revision(rev), encoding="utf-8")
    return home


def set_database_heads(home: Path, heads: tuple[str, ...]) -> None:
    """Make ``home/app.db`` hold exactly *heads* in its ``alembic_version`` table.

    Written with sqlite3 directly (the table Alembic creates), so tests need neither
    Alembic nor a migration run to put the database in a known state.
    """
    db = home / "app.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
        conn.execute("DELETE FROM alembic_version")
        conn.executemany(
            "INSERT INTO alembic_version (version_num) VALUES (?)",
            [(h,) for h in heads],
        )
    conn.close()


# ---------------------------------------------------------------------------
# comparing outputs
# ---------------------------------------------------------------------------

_LABELS_AFTER_REV = re.compile(r"(-> )([0-9A-Za-z_]+) \(([^()]*)\)")
_LABELS_AT_START = re.compile(r"^([0-9A-Za-z_]+) \(([^()]*)\)")
_SORTED_LINE_PREFIXES = ("Branch names: ", "Branches into: ")


def _sort_items(text: str) -> str:
    return ", ".join(sorted(text.split(", ")))


def _normalise_line(line: str) -> str:
    for prefix in _SORTED_LINE_PREFIXES:
        if line.startswith(prefix):
            return prefix + _sort_items(line[len(prefix) :])
    if " -> " in line:
        return _LABELS_AFTER_REV.sub(
            lambda m: f"{m[1]}{m[2]} ({_sort_items(m[3])})", line, count=1
        )
    return _LABELS_AT_START.sub(
        lambda m: f"{m[1]} ({_sort_items(m[2])})", line, count=1
    )


def normalise_output(text: str, root: str | None = None) -> str:
    """Make Alembic's and limbeck's outputs comparable byte for byte.

    Replaces the temp folder with ``<ROOT>``, and puts into sorted order what Alembic
    prints in hash order (so differently on every run): branch labels, the ``Branches
    into:`` list and the ``->`` child lines of ``branches``. Nothing else is touched.
    """
    if root:
        text = text.replace(root, "<ROOT>")
    lines = [_normalise_line(line) for line in text.split("\n")]
    out: list[str] = []
    block: list[str] = []
    for line in lines:
        if re.match(r"^ +-> ", line):
            block.append(line)
            continue
        out.extend(sorted(block))
        block = []
        out.append(line)
    out.extend(sorted(block))
    return "\n".join(out)
