"""The text of a checkpoint file.

It is a revision file like any other (``ruff format`` leaves it as
written), plus the ``replaces`` tuple that makes it a checkpoint, and two
comments a reviewer needs: what the file does not build (reflection cannot
see it), and the tags of the revisions it replaces.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from limbeck.autogenerate.render.source import pystr
from limbeck.squash.build import UNKNOWN, Body


@dataclass(frozen=True)
class Header:
    """Who the checkpoint is: its revision, what it replaces, how it was made."""

    revision: str
    message: str
    replaces: Sequence[str]
    branch_labels: Sequence[str]
    built_on: str
    created: datetime.datetime
    op_module: str
    tags: Mapping[str, str]


def _tuple(name: str, values: Sequence[str], annotation: str) -> list[str]:
    if not values:
        return [f"{name}: {annotation} = None"]
    return [f"{name}: {annotation} = (", *(f"    {pystr(v)}," for v in values), ")"]


#: modules the seeded values need; they come from the standard library
_STDLIB = ("datetime", "decimal", "uuid")


def _imports(body: Body, op_module: str) -> list[str]:
    """Two isort sections: the standard library, then SQLAlchemy, op and what the types need."""
    stdlib = sorted(line for line in body.imports if line.split()[1] in _STDLIB)
    others = {"import sqlalchemy as sa", f"from {op_module} import op", *body.imports} - set(stdlib)

    def key(line: str) -> tuple[bool, str]:
        words = line.split()
        return (words[0] == "from", words[1].lower())

    return [*stdlib, "from collections.abc import Sequence", "", *sorted(others, key=key)]


def _hidden(body: Body) -> list[str]:
    if not body.hidden:
        return []
    lines = [
        "",
        "# NOT BUILT by this checkpoint: reflection does not see these objects, which the replaced",
        "# revisions made. Add them to upgrade() and downgrade() by hand, then run limbeck check-squash:",
    ]
    lines += [f"#   ({name}: check by hand)" if kind == UNKNOWN else f"#   {kind} {name}" for kind, name in body.hidden]
    return lines


def checkpoint_source(header: Header, body: Body) -> str:
    """The whole file."""
    count = len(header.replaces)
    doc = [
        f'"""{header.message}',
        "",
        f"Checkpoint of {count} revision{'s' if count != 1 else ''}, base to {header.revision}, written by",
        f"limbeck squash from {header.built_on}. A database with none of them runs this",
        "file alone and is then at the revision above; one at a replaced revision keeps",
        "upgrading through the replaced files. Once every database is at that revision or",
        "beyond, the replaced files may be deleted (and this file moved into versions/).",
        "",
        f"Revision ID: {header.revision}",
        "Revises:",
        f"Create Date: {header.created}",
        f"Replaces: base:{header.revision}",
        "",
        '"""',
    ]
    tag_lines = [f"#   {name} = {rev}" for name, rev in header.tags.items()]
    text = [
        *doc,
        "",
        *_imports(body, header.op_module),
        "",
        "# revision identifiers, read by limbeck to order the migrations.",
        f"revision: str = {pystr(header.revision)}",
        "down_revision: str | Sequence[str] | None = None",
        *_tuple("branch_labels", header.branch_labels, "str | Sequence[str] | None"),
        "depends_on: str | Sequence[str] | None = None",
        "# the revisions this checkpoint stands for (limbeck squash); Alembic ignores it",
        *_tuple("replaces", header.replaces, "tuple[str, ...]"),
        *(["", "# release tags of the replaced revisions (tags.txt):", *tag_lines] if tag_lines else []),
        *_hidden(body),
        "",
        "",
        "def upgrade() -> None:",
        *(body.upgrade or ["    pass"]),
        "",
        "",
        "def downgrade() -> None:",
        *(body.downgrade or ["    pass"]),
        "",
    ]
    return "\n".join(text)
