"""Real Alembic's side of ``test_real_models.py``: a subprocess answering one JSON request a line.

Run as ``python real_models_alembic.py REPO_ROOT``; never imported by the suite, so limbeck's
process does not import Alembic. Each request names a project's models (``real_models.MODELS``)
and a database URL, and asks for ``autogenerate`` (diffs and rendered code) or ``upgrade``
(Alembic's own rendered code run with Alembic's operations); the answer is one JSON line.
"""

from __future__ import annotations

import json
import sys
import traceback

sys.path.insert(0, sys.argv[1])

from alembic.autogenerate import (
    compare_metadata,
    produce_migrations,
    render_python_code,
)
from alembic.migration import MigrationContext
from alembic.operations import Operations

from tests.autogenerate.real_models import Tool, autogenerate, upgrade

ALEMBIC = Tool(MigrationContext, Operations, compare_metadata, produce_migrations, render_python_code)

for line in sys.stdin:
    request = json.loads(line)
    try:
        if request["op"] == "autogenerate":
            answer = autogenerate(ALEMBIC, request["key"], request["url"], request.get("opts"))
        else:
            upgrade(ALEMBIC, request["key"], request["url"], request["code"])
            answer = {}
    except Exception as exc:  # noqa: BLE001 - the test shows what Alembic raised
        answer = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    print(json.dumps(answer), flush=True)
