"""The files every cookbook project starts from: those of ``alembic init`` (its generic template).

A recipe changes one of them (``env_py(...)`` takes the recipe's additions) and
adds its revisions; everything else stays as a freshly initialised Alembic
project would have it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

#: the generic template of the installed Alembic, as ``alembic init`` lays it out (read, not
#: copied; found without importing Alembic into the test process)
TEMPLATES = Path(importlib.util.find_spec("alembic").submodule_search_locations[0]) / "templates"
TEMPLATE = TEMPLATES / "generic"


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, f"Alembic's generic template changed: {old!r} not found"
    return text.replace(old, new, 1)


def ini(extra: str = "", hooks: str = "") -> str:
    """alembic.ini: ``{url}`` as the database, ``extra`` lines in [alembic], ``hooks`` in [post_write_hooks]."""
    text = (TEMPLATE / "alembic.ini.mako").read_text()
    text = replace_once(text, "${script_location}", "%(here)s/migrations")
    text = replace_once(text, "sqlalchemy.url = driver://user:pass@localhost/dbname", "sqlalchemy.url = {url}\n" + extra)
    return replace_once(text, "[post_write_hooks]\n", "[post_write_hooks]\n" + hooks)


def env_py(head: str = "", offline: str = "", online: str = "", connect: str = "") -> str:
    """Alembic's generic env.py with a recipe's additions: ``head`` after ``target_metadata``,
    ``offline``/``online`` more ``configure()`` keywords (each line ``name=value,``), ``connect``
    statements run on the connection before ``configure()``."""
    text = (TEMPLATE / "env.py").read_text()
    text = replace_once(text, "target_metadata = None\n", "target_metadata = None\n" + head + "\n")
    text = replace_once(text, '        dialect_opts={"paramstyle": "named"},\n',
                    '        dialect_opts={"paramstyle": "named"},\n' + _indent(offline, 8) + "\n")
    text = replace_once(text, "            connection=connection, target_metadata=target_metadata\n",
                    "            connection=connection, target_metadata=target_metadata,\n" + _indent(online, 12) + "\n")
    return replace_once(text, "    with connectable.connect() as connection:\n",
                    "    with connectable.connect() as connection:\n" + _indent(connect, 8) + "\n")


def revision(rev: str, down: str | None, upgrade: str, downgrade: str = "pass", head: str = "") -> str:
    """A hand-written revision file; ``upgrade``/``downgrade`` are function bodies (4-space indented)."""
    return (
        f'"""{rev}\n\nRevision ID: {rev}\nRevises: {down or ""}\nCreate Date: 2024-01-01 00:00:00\n\n"""\n'
        f"from alembic import op\nimport sqlalchemy as sa\n{head}\n\n"
        f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{_indent(upgrade)}\n\n\ndef downgrade():\n{_indent(downgrade)}\n"
    )


def _indent(body: str, by: int = 4) -> str:
    return "\n".join(" " * by + line if line else "" for line in body.strip("\n").splitlines())


def project(versions: dict[str, str], env: str | None = None, extra_ini: str = "") -> dict[str, str]:
    """A whole project: alembic.ini, migrations/ (env.py, script.py.mako) and revision files."""
    files = {
        "alembic.ini": ini(extra_ini),
        "migrations/env.py": env if env is not None else env_py(),
        "migrations/script.py.mako": (TEMPLATE / "script.py.mako").read_text(),
    }
    files.update({f"migrations/versions/{name}.py": text for name, text in versions.items()})
    return files
