"""limbeck on the oldest and the newest SQLAlchemy 2.0 release, beside Alembic on the same one.

Alembic 1.20 runs on any SQLAlchemy from 2.0.0, so a project switching to limbeck may have
any of them that runs on its Python (the oldest: 2.0.0, or 2.0.31 on Python 3.13); the rest of
the suite runs on the release the test extra installs (2.1, or 2.0 on Python 3.10).
limbeck reads some of SQLAlchemy's objects closely (cache keys, compilers, column
attributes: see ``limbeck/sqla_compat.py``), and each of those once broke every offline
script on 2.0 (a ``bulk_insert`` or a version-table ``UPDATE`` raised ``AttributeError``).
Here the operation corpus (``tests/parity``: limbeck and real Alembic on six dialects,
compared statement by statement) runs in a child pytest with the release's pure-Python
wheel first on ``sys.path``. The wheel is pinned by digest, downloaded from PyPI at test
time and cached, like the real-world inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.realworld.fetch import FetchError, extract_folders, fetch_release

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: (version, wheel, sha256): the first 2.0 release that runs on this Python, and the last one.
#: Before 2.0.31 SQLAlchemy does not import on Python 3.13 (its ``TypingOnly`` check refuses the
#: ``__static_attributes__`` and ``__firstlineno__`` every class gets there), so nobody on 3.13 has one
FIRST = {
    (3, 10): ("2.0.0", "SQLAlchemy-2.0.0-py3-none-any.whl",
              "192210daec1062e93fcc732de0c602c4b58097257c56874baa6e491849e82ceb"),
    (3, 13): ("2.0.31", "SQLAlchemy-2.0.31-py3-none-any.whl",
              "69f3e3c08867a8e4856e92d7afb618b95cdee18e0bc1647b77599722c9a28911"),
}
RELEASES = (
    FIRST[max(v for v in FIRST if sys.version_info >= v)],
    ("2.0.58", "sqlalchemy-2.0.58-py3-none-any.whl", "cc1b78ba0ed1f32156d1582f94ca4aca74633e4dcdde3eb1562dd4742493f594"),
)

#: corpus cases whose Alembic side depends on the release: on 2.0.0 PostgreSQL's dialect does
#: not know ``postgresql_nulls_not_distinct`` yet, so Alembic refuses the keyword (ArgumentError)
#: before SQLite's refusal of ALTER ... ADD CONSTRAINT, which limbeck states first; both refuse
DIFFERENT_ON = {"2.0.0": ("dialects.unique_nulls_not_distinct",)}


def _release_path(version: str, wheel: str, sha256: str) -> Path:
    try:
        return extract_folders(fetch_release("SQLAlchemy", version, wheel, sha256), sha256, ("sqlalchemy",))
    except FetchError as exc:
        if IN_CI:
            pytest.fail(str(exc))
        pytest.skip(f"cannot download: {exc}")


@pytest.mark.parametrize(("version", "wheel", "sha256"), RELEASES, ids=[r[0] for r in RELEASES])
def test_operation_corpus_on_release(version: str, wheel: str, sha256: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_release_path(version, wheel, sha256)), str(ROOT)])}
    found = subprocess.run([sys.executable, "-c", "import sqlalchemy; print(sqlalchemy.__version__)"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert found == version, "the child does not run the release under test"
    deselect = [f"--deselect=tests/parity/test_op_corpus.py::test_limbeck_does_what_alembic_does[{case}]"
                for case in DIFFERENT_ON.get(version, ())]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider", *deselect,
         "tests/parity/test_op_corpus.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, f"SQLAlchemy {version}:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"


#: one string with a backslash through the three ways a literal reaches an offline PostgreSQL script
BACKSLASHES = r'''
import io, json, sys
import sqlalchemy as sa
tool = sys.argv[1]
if tool == "alembic":
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
else:
    from limbeck.operations import Operations
    from limbeck.runtime.migration import MigrationContext
buf = io.StringIO()
ctx = MigrationContext.configure(dialect_name="postgresql",
                                 opts={"as_sql": True, "output_buffer": buf, "literal_binds": True})
op = Operations(ctx)
t = sa.table("t", sa.column("s", sa.String))
op.bulk_insert(t, [{"s": "a\\b"}])
op.add_column("t", sa.Column("x", sa.String, server_default="c\\d"))
op.execute(t.update().values(s="e\\f"))
print(json.dumps(buf.getvalue()))
'''


@pytest.mark.parametrize(("version", "wheel", "sha256"), RELEASES, ids=[r[0] for r in RELEASES])
def test_postgresql_backslashes_are_not_doubled(version: str, wheel: str, sha256: str) -> None:
    """README departure: SQLAlchemy 2.0 doubles backslashes in offline PostgreSQL literals
    (it assumes standard_conforming_strings off until a server says otherwise), and Alembic's
    script then stores two where the migration wrote one; limbeck writes the value as given."""
    import json

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_release_path(version, wheel, sha256)), str(ROOT)])}

    def script(tool: str) -> str:
        done = subprocess.run([sys.executable, "-c", BACKSLASHES, tool], env=env, capture_output=True, text=True,
                              check=True)
        text: str = json.loads(done.stdout)
        return text

    ours = script("limbeck")
    assert "VALUES ('a\\b')" in ours and "DEFAULT 'c\\d'" in ours and "SET s='e\\f'" in ours, ours
    assert script("alembic") == ours.replace("\\", "\\\\"), "Alembic no longer doubles them: drop the departure"


#: an autogenerate rendering of a PostgreSQL ENUM its author creates elsewhere (create_type=False)
ENUM_RENDER = r'''
import sys
from sqlalchemy.dialects import postgresql
tool = sys.argv[1]
if tool == "alembic":
    from alembic.autogenerate.api import AutogenContext
    from alembic.autogenerate.render import _repr_type as render
    from alembic.runtime.migration import MigrationContext
else:
    from limbeck.autogenerate.api import AutogenContext
    from limbeck.autogenerate.render import render_op_text
    from limbeck.runtime.migration import MigrationContext
ctx = AutogenContext(MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True}),
                     opts={"sqlalchemy_module_prefix": "sa.", "alembic_module_prefix": "op."}, autogenerate=False)
enum = postgresql.ENUM("a", "b", name="state", create_type=False)
if tool == "alembic":
    print(render(enum, ctx))
else:
    import sqlalchemy as sa
    from limbeck.operations import ops
    print(render_op_text(ctx, ops.AddColumnOp("t", sa.Column("s", enum))))
'''


@pytest.mark.parametrize(("version", "wheel", "sha256"), RELEASES, ids=[r[0] for r in RELEASES])
def test_enum_create_type_false_is_rendered(version: str, wheel: str, sha256: str) -> None:
    """README departure: SQLAlchemy 2.0's repr of PostgreSQL's ENUM leaves out ``create_type``, so
    Alembic's autogenerate drops ``create_type=False`` and the migration creates a type its author
    creates elsewhere ("type already exists"; limbeck's squash checkpoints create their types first)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_release_path(version, wheel, sha256)), str(ROOT)])}

    def rendered(tool: str) -> str:
        return subprocess.run([sys.executable, "-c", ENUM_RENDER, tool], env=env, capture_output=True, text=True,
                              check=True).stdout

    assert "create_type=False" in rendered("limbeck")
    assert "create_type" not in rendered("alembic"), "Alembic now keeps it on this release: drop the departure"
