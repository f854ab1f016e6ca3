"""compile_cost.py cuts out one function's body and nothing else, keeping every line where it was."""

from __future__ import annotations

from pathlib import Path

import compile_cost
from generate import generate


def test_cutting_a_body_keeps_the_lines_and_the_other_function(tmp_path: Path) -> None:
    generate(tmp_path, 3, "linear", "alembic", portable=False, url="postgresql://u@localhost/x", kind="autogen")
    for path in sorted((tmp_path / "migrations" / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        cut = compile_cost.without(source, "downgrade")
        assert len(cut.split("\n")) == len(source.split("\n"))
        code = compile(cut, str(path), "exec")
        whole = compile(source, str(path), "exec")
        functions = {c.co_name: c for c in code.co_consts if hasattr(c, "co_name")}
        originals = {c.co_name: c for c in whole.co_consts if hasattr(c, "co_name")}
        assert functions["upgrade"] == originals["upgrade"]  # the same code, the same lines
        assert functions["downgrade"].co_firstlineno == originals["downgrade"].co_firstlineno
        assert functions["downgrade"] != originals["downgrade"]
        assert "op." not in cut.split("def downgrade(")[1]
