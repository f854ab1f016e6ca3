"""Make the bench modules importable the way the bench scripts see them.

The scripts run as ``python bench/run.py``, which puts bench/ first on
sys.path; the tests do the same instead of turning bench/ into a package.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
