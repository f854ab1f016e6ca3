"""Post-write hooks: the three built-in types, custom ones, and their errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from limbeck.errors import CommandError
from limbeck.script import write_hooks

RECORDER = """
import json, os, sys
with open(os.environ["HOOK_RECORD"], "a") as fh:
    fh.write(json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd(), "prog": os.path.basename(sys.argv[0])}) + "\\n")
"""


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "record.jsonl"
    monkeypatch.setenv("HOOK_RECORD", str(path))
    yield path


def calls(record: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in record.read_text().splitlines()]


@pytest.fixture
def revision_file(tmp_path: Path) -> Path:
    path = tmp_path / "versions" / "abc_x.py"
    path.parent.mkdir()
    path.write_text("revision = 'abc'\ndown_revision = None\n")
    return path


@pytest.fixture
def fake_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site dir with a recorder module and a console-script entry point for it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "hookrec.py").write_text(RECORDER + "\ndef main():\n    return 0\n\nif __name__ == '__main__':\n    main()\n")
    dist = site / "hookrec-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: hookrec\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[console_scripts]\nhookrec = hookrec:main\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", str(site))
    return site


def test_exec_substitutes_the_filename(record: Path, revision_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hook = {"_hook_name": "rec", "type": "exec", "executable": sys.executable,
            "options": f"-c '{RECORDER}' --first REVISION_SCRIPT_FILENAME --file=REVISION_SCRIPT_FILENAME"}
    write_hooks._run_hooks(revision_file, [hook])
    (call,) = calls(record)
    assert call["argv"] == ["--first", str(revision_file), f"--file={revision_file}"]
    assert capsys.readouterr().out == "Running post write hook 'rec' ...\n  done\n"


def test_filename_goes_first_without_the_token(record: Path, revision_file: Path, tmp_path: Path) -> None:
    script = tmp_path / "rec.py"
    script.write_text(RECORDER)
    hook = {"_hook_name": "rec", "type": "exec", "executable": sys.executable, "options": "-l 79"}
    # the path is inserted before the options, so the interpreter runs it
    revision_file.write_text(RECORDER)
    write_hooks._run_hooks(revision_file, [hook], quiet=True)
    assert calls(record)[0]["argv"] == ["-l", "79"]


def test_cwd_option(record: Path, revision_file: Path, tmp_path: Path) -> None:
    where = tmp_path / "elsewhere"
    where.mkdir()
    hook = {"_hook_name": "rec", "type": "exec", "executable": sys.executable,
            "options": f"-c '{RECORDER}' REVISION_SCRIPT_FILENAME", "cwd": str(where)}
    write_hooks._run_hooks(revision_file, [hook], quiet=True)
    assert calls(record)[0]["cwd"] == str(where)


def test_module_hook(record: Path, revision_file: Path, fake_packages: Path) -> None:
    hook = {"_hook_name": "m", "type": "module", "module": "hookrec", "options": "check REVISION_SCRIPT_FILENAME"}
    write_hooks._run_hooks(revision_file, [hook], quiet=True)
    assert calls(record)[0]["argv"] == ["check", str(revision_file)]


def test_console_scripts_hook(record: Path, revision_file: Path, fake_packages: Path) -> None:
    hook = {"_hook_name": "fmt", "type": "console_scripts", "entrypoint": "hookrec", "options": "-q"}
    write_hooks._run_hooks(revision_file, [hook], quiet=True)
    (call,) = calls(record)
    assert call["argv"] == [str(revision_file), "-q"]
    assert call["prog"] == "hookrec"


def test_hooks_run_in_order(record: Path, revision_file: Path) -> None:
    hooks = [
        {"_hook_name": n, "type": "exec", "executable": sys.executable, "options": f"-c '{RECORDER}' {n} REVISION_SCRIPT_FILENAME"}
        for n in ("one", "two")
    ]
    write_hooks._run_hooks(revision_file, hooks, quiet=True)
    assert [c["argv"] for c in calls(record)] == [["one", str(revision_file)], ["two", str(revision_file)]]


def test_custom_registered_hook(revision_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write_hooks, "_registry", dict(write_hooks._registry))
    seen: list[tuple[str, dict[str, str]]] = []

    @write_hooks.register("tabs")
    def to_tabs(filename: str, options: dict[str, str]) -> None:
        seen.append((filename, dict(options)))
        Path(filename).write_text(Path(filename).read_text().replace("    ", "\t"))

    write_hooks._run_hooks(revision_file, [{"_hook_name": "t", "type": "tabs", "width": "4"}], quiet=True)
    assert seen == [(str(revision_file), {"_hook_name": "t", "type": "tabs", "width": "4"})]


def test_non_zero_exit_does_not_fail(revision_file: Path) -> None:
    hook = {"_hook_name": "f", "type": "exec", "executable": sys.executable, "options": "-c 'raise SystemExit(3)'"}
    write_hooks._run_hooks(revision_file, [hook], quiet=True)


@pytest.mark.parametrize(
    ("hook", "message"),
    [
        ({"_hook_name": "h1", "type": "nosuch"}, r"No formatter with name 'nosuch' registered \(post-write hook 'h1'"),
        ({"_hook_name": "h1", "foo": "bar"}, r"Key 'h1.type' \(or 'type' in toml\) is required for post write hook 'h1'"),
        ({"_hook_name": "h1", "type": "console_scripts"}, r"Key h1.entrypoint is required for post write hook 'h1' \(of type 'console_scripts'\)"),
        ({"_hook_name": "h1", "type": "console_scripts", "entrypoint": "no-such-entry-point-xyz"},
         r"Could not find entrypoint console_scripts.no-such-entry-point-xyz \(post-write hook 'h1'"),
        ({"_hook_name": "h1", "type": "exec"}, r"Key h1.executable is required for post write hook 'h1'"),
        ({"_hook_name": "h1", "type": "exec", "executable": "no-such-exe-xyz"}, r"'h1': no-such-exe-xyz not found"),
        ({"_hook_name": "h1", "type": "exec", "executable": sys.executable, "cwd": "/no/such/dir"},
         r"'h1': /no/such/dir not found"),
        ({"_hook_name": "h1", "type": "module"}, r"Key h1.module is required for post write hook 'h1'"),
        ({"_hook_name": "h1", "type": "module", "module": "no_such_module_xyz"},
         r"'h1': Could not find module no_such_module_xyz"),
    ],
)
def test_errors_name_the_hook(hook: dict[str, str], message: str, revision_file: Path) -> None:
    with pytest.raises(CommandError, match=message) as info:
        write_hooks._run_hooks(revision_file, [hook], quiet=True)
    assert "\n" not in str(info.value)
