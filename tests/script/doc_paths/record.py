"""Write ``paths.txt``: every ``alembic.x.y.Name`` path Alembic's documentation shows.

Run from the repository root with the reference pages beside the checkout
(``python tests/script/doc_paths/record.py [REFERENCE_DIR]``). Parameter anchors
(``alembic.command.upgrade.params.sql``) count as the function they document.
``tests/script/test_import_paths.py`` re-extracts the pages when it finds them and
fails if this list is out of date; it also runs ``record.py --alembic`` to learn
what real Alembic resolves, so this file imports nothing of limbeck.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATH = re.compile(r"\balembic(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
#: what the pages write like a dotted path but is a file or a host: ``alembic.ini``, ``alembic.sqlalchemy.org``
NOT_A_PATH = re.compile(r"\.(?:ini|cfg|toml|txt|org|com|net|io)$")
#: where the reference pages are looked for, first found wins
REFERENCE_DIRS = (HERE.parents[3] / "shared" / "reference", Path("/work/shared/reference"))


def reference_dir() -> Path | None:
    return next((d for d in REFERENCE_DIRS if d.is_dir()), None)


def extract(directory: Path) -> list[str]:
    found: set[str] = set()
    for page in sorted(directory.iterdir()):
        for match in PATH.finditer(page.read_text(encoding="utf-8")):
            if not NOT_A_PATH.search(match.group(0)):
                found.add(match.group(0).split(".params.")[0])
    return sorted(found)


def resolve(dotted: str) -> object:
    """Import the longest module prefix of ``dotted``, then follow the attributes."""
    parts = dotted.split(".")
    for index in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:index]))
        except ImportError:
            continue
        for attr in parts[index:]:
            obj = attribute(obj, attr)
        return obj
    raise ImportError(dotted)


def attribute(owner: object, attr: str) -> object:
    """``getattr``, or for an instance attribute a class only declares, the declaration."""
    if hasattr(owner, attr) or not isinstance(owner, type):
        return getattr(owner, attr)
    for klass in owner.__mro__:
        declared = inspect.get_annotations(klass)
        if attr in declared:
            return declared[attr]
    return getattr(owner, attr)


def alembic_answers(paths: list[str]) -> dict[str, str | None]:
    """Which of ``paths`` real Alembic resolves, and where each class or function is defined."""
    answers: dict[str, str | None] = {}
    for dotted in paths:
        try:
            obj = resolve(dotted)
        except (AttributeError, ImportError):
            continue
        home, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
        defined = isinstance(home, str) and home.startswith("alembic") and isinstance(qualname, str)
        answers[dotted] = f"{home}.{qualname}" if defined else None
    return answers


if __name__ == "__main__":
    if sys.argv[1:] == ["--alembic"]:
        print(json.dumps(alembic_answers(json.load(sys.stdin))))
        sys.exit(0)
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else reference_dir()
    if source is None:
        sys.exit("no reference pages found; give their folder")
    (HERE / "paths.txt").write_text("\n".join(extract(source)) + "\n", encoding="utf-8")
