"""The per-dialect tables share :mod:`cases` (loaded under a stable name).

pytest runs in importlib mode, where test folders are not importable
packages; test modules say ``import limbeck_dialect_cases``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES_MODULE = "limbeck_dialect_cases"


def load(name: str, filename: str) -> Any:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


load(CASES_MODULE, "cases.py")
#: the test-only database of ``test_txlite.py`` (registered by that module's fixture)
load("limbeck_dialect_txlite", "txlite.py")
