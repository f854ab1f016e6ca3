"""The records import without SQLAlchemy: ``limbeck revision`` imports them (autogenerate's
``MigrationScript``) to write a new file, and must not pay for it.

The records build SQLAlchemy objects (``to_table()`` & co.) through
:mod:`limbeck.operations.schemaobj`, imported when first needed.
"""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
import limbeck.operations
from limbeck.operations import ops
ops.CreateTableOp("t", [])
print(sorted({m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "mako", "sqlglot"}))
"""


def test_the_records_import_no_sqlalchemy() -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_building_an_object_does() -> None:
    """Guards the test above: the probe sees SQLAlchemy once a record builds a table."""
    probe = _PROBE.replace('ops.CreateTableOp("t", [])', 'ops.CreateTableOp("t", []).to_table()')
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['sqlalchemy']"
