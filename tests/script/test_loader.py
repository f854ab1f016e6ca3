"""Loading env.py and revision files by path, with errors that name the file."""

from __future__ import annotations

import py_compile
import sys
from pathlib import Path

import pytest

from limbeck.script.loader import ScriptLoadError, load_python_file, module_id_for


def test_loads_fresh_each_time_and_releases_the_name(tmp_path: Path) -> None:
    (tmp_path / "a_b.py").write_text("import random\nVALUE = random.random()\n")
    first = load_python_file(tmp_path, "a_b.py")
    second = load_python_file(tmp_path, "a_b.py")
    assert first is not second
    assert first.__name__ == module_id_for("a_b.py") == "a_b_py"
    assert "a_b_py" not in sys.modules


def test_alembic_imports_work_inside(tmp_path: Path) -> None:
    (tmp_path / "rev.py").write_text("from alembic.util import rev_id\nfrom alembic import op\nRID = rev_id()\n")
    module = load_python_file(tmp_path, "rev.py")
    assert len(module.RID) == 12


def test_dataclasses_can_find_their_module(tmp_path: Path) -> None:
    (tmp_path / "dc.py").write_text(
        "from __future__ import annotations\nimport dataclasses\n\n@dataclasses.dataclass\nclass P:\n    x: int\n"
    )
    assert load_python_file(tmp_path, "dc.py").P(1).x == 1


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("x = 1\n\ndef f(:\n    pass\n")
    with pytest.raises(ScriptLoadError, match=r"Syntax error in .*bad\.py, line 3") as info:
        load_python_file(tmp_path, "bad.py")
    assert "\n" not in str(info.value)


def test_import_error_names_file(tmp_path: Path) -> None:
    (tmp_path / "imp.py").write_text("import no_such_module_abc\n")
    with pytest.raises(ScriptLoadError, match=r"Could not import .*imp\.py: No module named 'no_such_module_abc'"):
        load_python_file(tmp_path, "imp.py")


def test_runtime_error_names_file(tmp_path: Path) -> None:
    (tmp_path / "boom.py").write_text("raise ValueError('nope')\n")
    with pytest.raises(ScriptLoadError, match=r"Error while loading .*boom\.py: ValueError: nope"):
        load_python_file(tmp_path, "boom.py")


def test_env_py_errors_propagate_unwrapped(tmp_path: Path) -> None:
    (tmp_path / "env.py").write_text("raise ValueError('from the migration')\n")
    with pytest.raises(ValueError, match="from the migration"):
        load_python_file(tmp_path, "env.py", wrap_errors=False)
    (tmp_path / "env.py").write_text("def f(:\n")
    with pytest.raises(ScriptLoadError, match=r"env\.py, line 1"):
        load_python_file(tmp_path, "env.py", wrap_errors=False)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScriptLoadError, match=r"Can't find Python file .*env\.py"):
        load_python_file(tmp_path, "env.py")


def test_compiled_file_stands_in_for_missing_source(tmp_path: Path) -> None:
    src = tmp_path / "env.py"
    src.write_text("WHO = 'compiled'\n")
    py_compile.compile(str(src), cfile=str(tmp_path / "env.pyc"))
    src.unlink()
    assert load_python_file(tmp_path, "env.py").WHO == "compiled"
    assert load_python_file(tmp_path, "env.pyc").WHO == "compiled"
