"""One tool's side of ``test_real_models.py``: a subprocess answering one JSON request a line.

Run as ``python real_models_child.py TOOL REPO_ROOT`` (``TOOL``: ``alembic`` or ``limbeck``).
Both tools run in children of their own, never in the test's process: loading an application's
models imports its modules, and those change SQLAlchemy for the whole process (prefect's
``@compiles`` makes SQLite's ``CURRENT_TIMESTAMP`` a ``strftime()`` call in every later
compilation), so a worker that loaded them would render other tests' SQL differently. Each
request names a project's models (``real_models.MODELS``) and a database URL, and asks for
``autogenerate`` (diffs and rendered code), ``upgrade`` (rendered code run with the tool's
operations) or ``drift`` (the models' drifted copy created in the database); the answer is one
JSON line.
"""

from __future__ import annotations

import json
import sys
import traceback

sys.path.insert(0, sys.argv[2])

import sqlalchemy as sa

from tests.autogenerate.real_models import (
    Tool,
    autogenerate,
    load_metadata,
    perturbed,
    upgrade,
)

if sys.argv[1] == "alembic":
    from alembic.autogenerate import (
        compare_metadata,
        produce_migrations,
        render_python_code,
    )
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
else:
    from limbeck.autogenerate import (  # type: ignore[assignment]
        compare_metadata,
        produce_migrations,
        render_python_code,
    )
    from limbeck.operations import Operations  # type: ignore[assignment]
    from limbeck.runtime.migration import MigrationContext  # type: ignore[assignment]

TOOL = Tool(MigrationContext, Operations, compare_metadata, produce_migrations, render_python_code)


def drift(key: str, url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    perturbed(load_metadata(key)).create_all(engine)
    engine.dispose()


for line in sys.stdin:
    request = json.loads(line)
    try:
        if request["op"] == "autogenerate":
            answer = autogenerate(TOOL, request["key"], request["url"], request.get("opts"))
        elif request["op"] == "upgrade":
            upgrade(TOOL, request["key"], request["url"], request["code"])
            answer = {}
        else:
            drift(request["key"], request["url"])
            answer = {}
    except Exception as exc:  # noqa: BLE001 - the test shows what the tool raised
        answer = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    print(json.dumps(answer), flush=True)
