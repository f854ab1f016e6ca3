"""Run a tool built on Alembic twice on the same project: on Alembic, and on limbeck.

Each project is laid out twice from the same files (``twin_projects``); a
step runs the same command in both, with ``LIMBECK_AS_ALEMBIC=1`` only in
limbeck's, and the test compares what came out: exit codes, output,
generated revision files, ``--sql`` scripts and the database left behind.
The comparison is the strongest test there is of "tools run unchanged":
Alembic's own behaviour is the expected value, computed at test time.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

BIN = Path(sys.executable).parent

_CREATE_DATE = re.compile(r"Create Date: [0-9][0-9:. -]+")

#: limbeck's deliberate departure from Alembic's ``--sql`` text on the databases here (README,
#: "Deliberate differences"): a statement already ending in ``;`` gets no second one.
_DOUBLE_TERMINATOR = re.compile(r";;$", re.MULTILINE)


#: Put into a project module: records which package answered ``import alembic`` (read by
#: :meth:`Twin.check_answered`), so a switch that silently did nothing fails the test.
WHO_ANSWERS = (
    "import alembic as _alembic\n"
    "with open('answered_by.txt', 'w') as _out:\n"
    "    _out.write(_alembic.__name__)\n"
)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Twin:
    """One project laid out for one tool: ``alembic`` or ``limbeck`` answers ``import alembic``."""

    root: Path
    on_limbeck: bool
    env: dict[str, str]

    def run(self, *argv: str, extra_env: dict[str, str] | None = None, timeout: int = 300) -> Result:
        env = {**self.env, **(extra_env or {})}
        program = argv[0] if os.path.isabs(argv[0]) else str(BIN / argv[0])
        done = subprocess.run(
            [program, *argv[1:]], cwd=self.root, env=env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )
        return Result(done.returncode, self._neutral(done.stdout), self._neutral(done.stderr))

    def _neutral(self, text: str) -> str:
        return _CREATE_DATE.sub("Create Date: <date>", text.replace(str(self.root), "<project>"))

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text()

    def check_answered(self) -> None:
        """The project's modules saw limbeck as ``alembic`` exactly when this twin is limbeck's."""
        expected = "limbeck.compat.alembic_package" if self.on_limbeck else "alembic"
        assert self.read("answered_by.txt") == expected


@dataclass
class Pair:
    """The same project on Alembic and on limbeck; each step runs in both and is compared."""

    alembic: Twin
    limbeck: Twin
    #: what every command gets in its environment (the stage of the models, FLASK_APP, ...)
    env: dict[str, str] = field(default_factory=dict)

    def both(self, *argv: str, ok: bool = True) -> tuple[str, str]:
        """Run ``argv`` in both projects: the exit codes must agree (and be 0 when ``ok``)."""
        real = self.alembic.run(*argv, extra_env=self.env)
        ours = self.limbeck.run(*argv, extra_env=self.env)
        shown = f"{' '.join(argv)}:\n{real.output}\n--- limbeck:\n{ours.output}"
        assert ours.returncode == real.returncode, shown
        assert real.returncode == 0 or not ok, shown
        return real.stdout, ours.stdout

    def same_sql(self, *argv: str) -> str:
        """A ``--sql`` run: limbeck's script is Alembic's (documented departures applied)."""
        real, ours = self.both(*argv, "--sql")
        assert ours == alembic_sql_as_limbeck_writes_it(real)
        return ours

    def autogenerate(
        self, rev_id: str, message: str, *, program: tuple[str, ...] = ("alembic", "revision", "--autogenerate")
    ) -> str:
        """``revision --autogenerate`` in both: the two files must mean the same; limbeck's is returned."""
        self.both(*program, "-m", message, "--rev-id", rev_id)
        path = f"migrations/versions/{rev_id}_{message.replace(' ', '_')}.py"
        real, ours = self.alembic.read(path), self.limbeck.read(path)
        assert same_python(real, ours), f"{path}:\n{real}\n--- limbeck:\n{ours}"
        return ours

    def schemas(self, extra: list[str] | None = None) -> dict[str, Any]:
        """Both databases hold the same (see :func:`schema_of`); limbeck's is returned."""
        ours = schema_of(self.limbeck.env["ECO_URL"], extra)
        assert ours == schema_of(self.alembic.env["ECO_URL"], extra)
        return ours

    def write(self, relative: str, text: str) -> None:
        for twin in (self.alembic, self.limbeck):
            (twin.root / relative).write_text(text)

    def check_answered(self) -> None:
        self.alembic.check_answered()
        self.limbeck.check_answered()


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def cache_dir() -> Path:
    """The suite's download cache: ``$LIMBECK_TEST_CACHE``, else ``~/.cache/limbeck-tests``."""
    explicit = os.environ.get("LIMBECK_TEST_CACHE")
    return Path(explicit) if explicit else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "limbeck-tests"


def installed_tool(*requirements: str) -> Path:
    """A folder holding the pinned ``requirements`` (``name==version``) from PyPI, without their dependencies.

    Tools that are not in the ``test`` extra are installed at test time with
    ``pip install --target`` into the test cache (once; the folder is reused),
    so the project's environment stays as its extras say; the twins get the
    folder on ``PYTHONPATH`` (``twin_projects(..., tool_path=...)``). Their
    dependencies (SQLAlchemy, Alembic, Flask, ...) are the test extra's. No
    network: skipped locally, failed in CI.
    """
    import pytest

    for requirement in requirements:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*", requirement), requirement
    key = hashlib.sha256(" ".join(sorted(requirements)).encode()).hexdigest()[:12]
    target = cache_dir() / "tools" / f"{requirements[0].split('==')[0]}-{key}"
    if not (target / ".complete").exists():
        target.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile", "--upgrade",
             "--target", str(target), *requirements],
            capture_output=True, text=True, timeout=600, check=False,
        )
        if done.returncode != 0:
            message = f"cannot install {' '.join(requirements)} from PyPI: {done.stderr.strip()[-500:]}"
            pytest.fail(message) if IN_CI else pytest.skip(message)
        (target / ".complete").write_text("\n".join(requirements) + "\n")
    if not (target / ".compiled").exists():
        # the twins run with PYTHONDONTWRITEBYTECODE (nothing written into their projects), so a
        # tool's modules were compiled again in each of a test's dozens of processes
        import compileall

        compileall.compile_dir(str(target), quiet=2)
        (target / ".compiled").write_text("")
    return target


def twin_projects(
    base: Path, files: dict[str, str], urls: tuple[str, str] | None = None, tool_path: Path | None = None
) -> Pair:
    """The same project twice under ``base``; ``urls`` are their databases (``ECO_URL``), ``tool_path`` a folder
    of :func:`installed_tool` put on both twins' ``PYTHONPATH``."""
    twins = []
    for name, on_limbeck in (("alembic", False), ("limbeck", True)):
        root = base / name
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        run_env = {k: v for k, v in os.environ.items() if k != "LIMBECK_AS_ALEMBIC"}
        run_env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(root), str(tool_path) if tool_path else None, run_env.get("PYTHONPATH")])
        )
        run_env["PYTHONDONTWRITEBYTECODE"] = "1"
        # the tools' console scripts (flask, alembic) are this interpreter's
        run_env["PATH"] = os.pathsep.join([str(BIN), run_env.get("PATH", "")])
        run_env["ECO_URL"] = urls[on_limbeck] if urls else f"sqlite:///{root / 'app.db'}"
        if on_limbeck:
            run_env["LIMBECK_AS_ALEMBIC"] = "1"
        twins.append(Twin(root, on_limbeck, run_env))
    return Pair(twins[0], twins[1])


#: env.py of the Alembic projects below: the database is ``$ECO_URL``; ``{imports}`` and
#: ``{configure}`` are what a project adds (its models module, ``render_item=...``).
ENV_PY = '''
import os

from alembic import context
from sqlalchemy import create_engine, pool
{imports}

config = context.config
URL = os.environ["ECO_URL"]
{code}

if context.is_offline_mode():
    context.configure(url=URL, target_metadata=target_metadata, literal_binds=True{configure})
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(URL, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata{configure})
        with context.begin_transaction():
            context.run_migrations()
'''

SCRIPT_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def alembic_project(models: str, *, imports: str, code: str = "", configure: str = "") -> dict[str, str]:
    """The files of an Alembic project whose ``models.py`` is ``models`` (it also records who answered)."""
    return {
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": ENV_PY.format(imports=imports, code=code, configure=configure),
        "migrations/script.py.mako": SCRIPT_MAKO,
        "migrations/versions/.keep": "",
        "models.py": models + WHO_ANSWERS,
    }


def same_python(alembic_text: str, limbeck_text: str) -> bool:
    """Two revision files mean the same: equal syntax trees, the creation date aside.

    limbeck lays out what it renders itself as ``ruff format`` would (README,
    "Autogenerate"); the tree ignores quotes and line breaks, nothing else.
    """

    def tree(text: str) -> str:
        kept = "\n".join(line for line in text.splitlines() if not line.startswith("Create Date:"))
        return ast.dump(ast.parse(kept))

    return tree(alembic_text) == tree(limbeck_text)


def alembic_sql_as_limbeck_writes_it(script: str) -> str:
    """Alembic's ``--sql`` text with limbeck's documented departures applied."""
    return _DOUBLE_TERMINATOR.sub(";", script)


def schema_of(url: str, extra: list[str] | None = None) -> dict[str, Any]:
    """What a database holds: tables, columns, keys, indexes, and the rows of ``extra`` queries."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            found: dict[str, Any] = {}
            for table in sorted(inspector.get_table_names()):
                found[table] = {
                    "columns": [
                        (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                        for c in inspector.get_columns(table)
                    ],
                    "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                    "fks": sorted(
                        (tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
                        for fk in inspector.get_foreign_keys(table)
                    ),
                    "indexes": sorted(
                        (ix["name"], tuple(ix["column_names"]), bool(ix["unique"])) for ix in inspector.get_indexes(table)
                    ),
                }
                if table == "alembic_version":
                    found[table]["rows"] = sorted(r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
            for query in extra or []:
                found[query] = [tuple(row) for row in conn.exec_driver_sql(query)]
            return found
    finally:
        engine.dispose()
