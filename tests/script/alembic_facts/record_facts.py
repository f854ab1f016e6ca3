"""Record what Alembic does, as facts the limbeck tests compare against.

Run with an environment where Alembic is installed (the ``bench`` extra):

    python tests/script/alembic_facts/record_facts.py

It drives Alembic's public API as a black box in a temporary directory and
writes ``facts.json`` beside this file. Nothing of Alembic's source is read.
"""

from __future__ import annotations

import json
import os
import py_compile
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

MESSAGES = [
    "Add user table!",
    "  leading  spaces  ",
    "café ünïcode — dash",
    "x" * 60,
    "this is a fairly long message that goes past forty characters for sure",
    "this is a fairly long message that goesXpast forty",
    "foo__bar _x_",
    "abcdefghij abcdefghij abcdefghij abcdefghijklmnop",
    "x" * 39 + " y",
    "!!!",
    "a/b\\c d",
    "tab\tand\nnewline",
    "CamelCase Words_under",
    "ends with dot.",
    "日本語 テキスト",
    "",
    None,
]

DOCSTRINGS = {
    "leading_newline": '"""\n  Leading newline doc\n  second line\n\n  para two\n"""\n',
    "single_quoted": "'single quoted'\n",
    "none": "",
    "raw": 'r"""raw \\d doc\n\n"""\n',
    "blank_first_para": '"""  \n\n  blank first para\n\nmore"""\n',
    "spaces_between": '"""a\n  \nb"""\n',
}

FILE_NAMES = [
    "ok.py", ".hidden.py", "_under.py", "__init__.py", "__init__x.py", ".#lock.py",
    "#auto.py#", "back.py~", "x.py.bak", "w.pyw", "x.txt", "Z.py", "a.py",
]


def _init(tmp: Path) -> None:
    subprocess.run([sys.executable, "-m", "alembic", "init", "proj"], cwd=tmp, check=True, capture_output=True)


def _script_dir(tmp: Path):  # type: ignore[no-untyped-def]
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config(str(tmp / "alembic.ini"))
    return ScriptDirectory.from_config(cfg)


def slugs(tmp: Path) -> dict[str, int | list[list[object]]]:
    _init(tmp)
    sd = _script_dir(tmp)
    out: list[list[object]] = []
    prev = None
    for i, message in enumerate(MESSAGES):
        script = sd.generate_revision(f"r{i:02d}", message, head=prev or "base", splice=True)
        prev = script.revision
        name = os.path.basename(script.path)
        out.append([message, name[len(f"r{i:02d}_"):-3], script.doc])
    sd.truncate_slug_length = 10
    short = []
    for i, message in enumerate(["hello world again friends", "helloworldagainfriends"]):
        script = sd.generate_revision(f"t{i:02d}", message, head=prev)
        prev = script.revision
        short.append([message, os.path.basename(script.path)[len(f"t{i:02d}_"):-3]])
    return {"truncate_40": out, "truncate_10": short}  # type: ignore[dict-item]


def docs(tmp: Path) -> dict[str, list[str]]:
    _init(tmp)
    versions = tmp / "proj" / "versions"
    for i, (key, doc) in enumerate(DOCSTRINGS.items()):
        (versions / f"{key}.py").write_text(f'{doc}revision = "d{i}"\ndown_revision = None\n')
    sd = _script_dir(tmp)
    keys = list(DOCSTRINGS)
    return {
        keys[int(s.revision[1:])]: [DOCSTRINGS[keys[int(s.revision[1:])]], s.doc, s.longdoc]
        for s in sd.walk_revisions()
    }


def listing(tmp: Path) -> dict[str, list[str]]:
    _init(tmp)
    versions = tmp / "proj" / "versions"
    for name in FILE_NAMES:
        (versions / name).write_text(f'revision = "{name}"\ndown_revision = None\n'.replace("#", "H"))
    (versions / "sub").mkdir()
    (versions / "sub" / "nested.py").write_text('revision = "nested"\ndown_revision = None\n')
    (versions / "A").mkdir()
    (versions / "A" / "c.py").write_text('revision = "Ac"\ndown_revision = None\n')
    flat = sorted(s.revision for s in _script_dir(tmp).walk_revisions())
    ini = tmp / "alembic.ini"
    ini.write_text(ini.read_text().replace("# recursive_version_locations = false", "recursive_version_locations = true"))
    heads_recursive = _script_dir(tmp).get_heads()
    return {"flat": flat, "recursive_heads_order": heads_recursive}


def sourceless(tmp: Path) -> dict[str, list[str]]:
    _init(tmp)
    versions = tmp / "proj" / "versions"
    for name in ("a", "b", "c"):
        (versions / f"{name}.py").write_text(f'revision = "{name}rev"\ndown_revision = None\n')
    py_compile.compile(str(versions / "a.py"), cfile=str(versions / "a.pyc"))
    py_compile.compile(str(versions / "c.py"), cfile=str(versions / "c.pyc"))
    (versions / "a.py").unlink()
    without = sorted(_script_dir(tmp).get_heads())
    ini = tmp / "alembic.ini"
    ini.write_text(ini.read_text().replace("# sourceless = false", "sourceless = true"))
    with_ = sorted(_script_dir(tmp).get_heads())
    return {"without_sourceless": without, "with_sourceless": with_}


def main() -> None:
    facts: dict[str, object] = {}
    for name, fn in (("slugs", slugs), ("docs", docs), ("listing", listing), ("sourceless", sourceless)):
        with tempfile.TemporaryDirectory() as tmp:
            cwd = os.getcwd()
            os.chdir(tmp)
            try:
                facts[name] = fn(Path(tmp))
            finally:
                os.chdir(cwd)
    import alembic

    facts["alembic_version"] = alembic.__version__
    (HERE / "facts.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
