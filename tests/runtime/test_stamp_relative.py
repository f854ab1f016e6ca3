"""``stamp`` with relative and unknown targets does what Alembic 1.20.1 does.

Alembic matches a stamp target, as written, against the lineage of the
current heads: on a database with rows, ``stamp -1`` (or ``+1``) names no
revision ("Can't locate revision identified by '-1'"); on an empty version
table ``-N`` counts down from the heads, and past the base stamps nothing.
``+N`` never names one. Both tools run the same commands on their own copy of
the same project and SQLite database (Alembic as a black box, in a child
process); success or failure, the error line and the version table after each
command must be equal.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .cli_driver import ENV, run_commands  # type: ignore[import-not-found]

COMMANDS = [
    ("stamp", "-1"),  # empty: one below the head
    ("stamp", "base"),
    ("stamp", "-9"),  # empty, past the base: nothing
    ("stamp", "+1"),
    ("stamp", "r2"),
    ("stamp", "-1"),  # rows: no such revision
    ("stamp", "+1"),
    ("stamp", "zzzz"),
    ("stamp", "heads"),
    ("stamp", "-2"),
    ("upgrade", "zzzz"),
    ("downgrade", "zzzz"),
    ("stamp", "r2:-1", "--sql"),
    ("stamp", "base"),
    ("stamp", "-2"),
]


def _project(root: Path) -> Path:
    (root / "versions").mkdir(parents=True)
    (root / "env.py").write_text(ENV)
    down = None
    for rev in ("r1", "r2", "r3"):
        (root / "versions" / f"{rev}.py").write_text(
            f"revision = {rev!r}\ndown_revision = {down!r}\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
        )
        down = rev
    ini = root / "alembic.ini"
    ini.write_text(f"[alembic]\nscript_location = {root}\nsqlalchemy.url = sqlite:///{root}/db.sqlite\n")
    return ini


def test_same_as_alembic(tmp_path: Path) -> None:
    if importlib.util.find_spec("alembic") is None:
        pytest.skip("real Alembic is not installed (pip install -e '.[test]')")
    results = {}
    for tool in ("alembic", "limbeck"):
        ini = _project(tmp_path / tool)
        results[tool] = run_commands(tool, ini, COMMANDS, database=ini.with_name("db.sqlite"))
    for args, theirs, ours in zip(COMMANDS, results["alembic"], results["limbeck"]):
        what = " ".join(args)
        assert (bool(ours.code), ours.versions) == (bool(theirs.code), theirs.versions), what
        if theirs.code:
            assert ours.error == theirs.error, what
    # what the comparison covers
    by_command = dict(zip((" ".join(a) + f"#{i}" for i, a in enumerate(COMMANDS)), results["limbeck"]))
    assert by_command["stamp -1#0"].versions == ["r2"] and by_command["stamp -9#2"].versions == []
    assert by_command["stamp -1#5"].error == "FAILED: Can't locate revision identified by '-1'"
    assert by_command["stamp -2#14"].versions == ["r1"]
