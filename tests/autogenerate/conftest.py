"""A migration project on disk whose models a test can rewrite between revisions.

``project(url)`` writes ``limbeck.ini``, ``script.py.mako`` (the generic
template's), an ``env.py`` that loads ``models.py`` afresh on every run, and
an empty ``versions/`` folder. Options for ``context.configure()`` go into
``[limbeck] autogen_options`` as JSON, so one env.py serves every test.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from limbeck.config import Config

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "limbeck" / "script" / "templates"

ENV_PY = '''\
import importlib.util
import json
import shutil
from pathlib import Path

from limbeck import context
from sqlalchemy import engine_from_config, pool

config = context.config
here = Path(config.config_file_name).parent
spec = importlib.util.spec_from_file_location("models_under_test", here / "models.py")
models = importlib.util.module_from_spec(spec)
spec.loader.exec_module(models)
options = json.loads(config.get_main_option("autogen_options") or "{}")
engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                            poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=models.metadata, **options)
    with context.begin_transaction():
        context.run_migrations()
'''


@dataclass
class Project:
    home: Path
    url: str
    out: io.StringIO

    def config(self) -> Config:
        self.out = io.StringIO()
        return Config(str(self.home / "limbeck.ini"), stdout=self.out)

    def models(self, source: str) -> None:
        (self.home / "models.py").write_text(source, encoding="utf-8")

    def options(self, **options: Any) -> None:
        ini = self.home / "limbeck.ini"
        lines = [ln for ln in ini.read_text().splitlines() if not ln.startswith("autogen_options")]
        lines.append(f"autogen_options = {json.dumps(options)}")
        ini.write_text("\n".join(lines) + "\n")

    def revision_files(self) -> list[Path]:
        return sorted((self.home / "versions").glob("*.py"))


@pytest.fixture
def project(tmp_path: Path) -> Callable[[str], Project]:
    def make(url: str) -> Project:
        home = tmp_path / "proj"
        (home / "versions").mkdir(parents=True)
        shutil.copy(TEMPLATES / "generic" / "script.py.mako", home / "script.py.mako")
        (home / "env.py").write_text(ENV_PY, encoding="utf-8")
        (home / "limbeck.ini").write_text(
            f"[limbeck]\nscript_location = %(here)s\nsqlalchemy.url = {url}\n"
            "file_template = %%(rev)s_%%(slug)s\n",
            encoding="utf-8",
        )
        return Project(home, url, io.StringIO())

    return make


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ruff (from the test environment) with its default settings, in isolation.

    It runs from the first file's folder, as in a user's project: from this
    repository's root ruff would count ``limbeck`` as first-party code.
    """
    exe = Path(sys.executable).with_name("ruff")
    files = [a for a in args if a.endswith(".py")]
    cwd = Path(files[0]).parent if files else None
    return subprocess.run([str(exe), *args, "--isolated"], capture_output=True, text=True, check=False, cwd=cwd)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql),
            pytest.param("mariadb", marks=pytest.mark.mariadb)]
)
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """An engine on an empty database: a SQLite file, or the suite's PostgreSQL or MariaDB server."""
    import sqlalchemy as sa

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/db.sqlite"
    elif request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        url = request.getfixturevalue("mariadb_url")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


def compare(engine: Any, metadata: Any, **opts: Any) -> list[Any]:
    """``compare_metadata`` of ``metadata`` against the engine's database, warnings silenced."""
    import warnings

    from limbeck.autogenerate import compare_metadata
    from limbeck.runtime.migration import MigrationContext

    with engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(conn, opts={"target_metadata": metadata, **opts})
        return compare_metadata(context, metadata)


def produce(engine: Any, metadata: Any, **opts: Any) -> tuple[str, str]:
    """The upgrade and downgrade source autogenerate writes for ``metadata``."""
    import warnings

    from limbeck.autogenerate import produce_migrations
    from limbeck.autogenerate.render import render_revision_code
    from limbeck.runtime.migration import MigrationContext

    with engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(conn, opts={"target_metadata": metadata, **opts})
        script = produce_migrations(context, metadata)
        kw = {"migration_context": context, "render_as_batch": bool(opts.get("render_as_batch"))}
        return render_revision_code(script.upgrade_ops, **kw), render_revision_code(script.downgrade_ops, **kw)


def create(engine: Any, metadata: Any) -> None:
    """The database side: ``metadata`` created as SQLAlchemy would."""
    metadata.create_all(engine)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db2(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """An engine on an empty SQLite file or PostgreSQL database (the two with expression indexes)."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path}/db.sqlite" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()
