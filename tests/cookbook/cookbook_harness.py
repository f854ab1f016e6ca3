"""Run one cookbook project on real Alembic 1.20.1 and on limbeck, and compare what a user sees.

Each recipe test lays its project out once per tool (same files, its own
database), runs the same steps in each (one child process per tool, see
``cookbook_driver.py``) and compares, step by step: exit code, stdout, the
stderr (log lines, error messages), the files under the project (revision files
compared as syntax trees: limbeck lays out what it renders as ``ruff format``
would) and the databases after the step. Alembic's behaviour is the expected
value, computed at test time.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DRIVER = Path(__file__).with_name("cookbook_driver.py")
MARK = "\x1e--cookbook-step--"

#: the tools a project runs on: the real Alembic, limbeck's CLI, and ``alembic`` switched to limbeck
ALEMBIC, LIMBECK, AS_ALEMBIC = "alembic", "limbeck", "as_alembic"

_CREATE_DATE = re.compile(r"Create Date: [0-9][0-9:. -]+")
#: an object's address in an error message (``<... object at 0x7f...>``)
_ADDRESS = re.compile(r"0x[0-9a-f]+")


@dataclass
class Step:
    """What one step showed: exit code (or the exception's last line), streams, files, databases."""

    code: int | str
    stdout: str
    stderr: str
    files: dict[str, str]
    state: list[dict[str, Any]]


@dataclass
class Project:
    """A recipe's project: its files, with ``{url}``, ``{url2}``, ``{root}`` and ``fill``'s keys filled in per tool."""

    files: dict[str, str]
    #: per tool, the database URLs the project's files name ({url}, {url2}); default one SQLite file
    urls: dict[str, list[str]] | None = None
    #: schemas read after each step on a server database (None: the default schema)
    schemas: tuple[str | None, ...] = (None,)
    #: per tool, more values to fill in (and to take out of what the tool shows, as ``<key>``)
    fill: dict[str, dict[str, str]] | None = None

    def values(self, root: Path, tool: str) -> dict[str, str]:
        urls = self.urls[tool] if self.urls else [f"sqlite:///{root / 'app.db'}"]
        named = {("url" if i == 0 else f"url{i + 1}"): u for i, u in enumerate(urls)}
        return {**(self.fill or {}).get(tool, {}), **named, "root": str(root)}

    def lay_out(self, root: Path, tool: str) -> dict[str, str]:
        values = self.values(root, tool)
        for relative, text in self.files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            for key, value in values.items():
                text = text.replace("{" + key + "}", value)
            path.write_text(text)
        return values


def run(base: Path, project: Project, steps: list[list[str]], tool: str) -> list[Step]:
    """Lay ``project`` out under ``base/<tool>`` and run ``steps`` on ``tool`` in one child."""
    root = base / tool
    values = project.lay_out(root, tool)
    urls = [value for key, value in values.items() if re.fullmatch(r"url\d*", key)]
    spec = {
        "tool": tool, "root": str(root), "steps": steps,
        "databases": [{"url": u, "schemas": list(project.schemas)} for u in urls],
    }
    (base / f"{tool}.json").write_text(json.dumps(spec))
    env = {k: v for k, v in os.environ.items() if k != "LIMBECK_AS_ALEMBIC"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if tool == AS_ALEMBIC:
        env["LIMBECK_AS_ALEMBIC"] = "1"
    out = base / f"{tool}-out.json"
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(base / f"{tool}.json"), str(out)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0 and out.exists(), f"{tool} driver failed:\n{done.stderr[-4000:]}"
    stdouts = done.stdout.split(MARK + "\n")
    stderrs = done.stderr.split(MARK + "\n")
    return [
        Step(r["code"], _neutral(stdouts[i], values), _neutral(stderrs[i], values),
             {k: _neutral(v, values) for k, v in r["files"].items()}, r["state"])
        for i, r in enumerate(json.loads(out.read_text()))
    ]


def _neutral(text: str, values: dict[str, str]) -> str:
    """What differs between the tools' copies of a project (paths, database names) taken out."""
    for key, value in sorted(values.items(), key=lambda item: -len(item[1])):
        text = text.replace(value, "<project>" if key == "root" else f"<{key}>")
    return _CREATE_DATE.sub("Create Date: <date>", text)


def same_python(a: str, b: str) -> bool:
    """Same syntax tree (comments and layout aside); non-Python text must be equal."""
    try:
        return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    except SyntaxError:
        return a == b


def failure(step: Step) -> str:
    """The error a failed step showed: its ``FAILED:`` line, else the exception's last line."""
    lines = [l for l in (step.stdout + step.stderr).splitlines() if l.startswith("FAILED:")]
    if lines:
        return lines[-1][len("FAILED:"):].strip()
    if isinstance(step.code, str):  # a traceback: its exception's first line
        return step.code.splitlines()[0]
    return step.stderr.strip().splitlines()[-1]


def _without_failed(text: str) -> str:
    return "".join(l for l in text.splitlines(keepends=True) if not l.startswith("FAILED:"))


def compare(
    base: Path, project: Project, steps: list[list[str]], tools: tuple[str, ...] = (LIMBECK,),
    departure: Callable[[str, str], str] | None = None,
) -> list[Step]:
    """Run on Alembic and on each of ``tools``; every step must show the same. Alembic's steps are returned.

    Compared: success or failure (Alembic exits -1, limbeck 1), stdout (an
    Alembic ``--sql`` script: the same text),
    the error (Alembic's ``FAILED:`` text or exception line must be within
    limbeck's one ``FAILED:`` line, which adds the file and line at fault), the
    project's files and the databases. Not compared: the log lines on stderr,
    where limbeck prints its own progress (README, "Online runs").
    ``departure(name, text)`` turns a file Alembic wrote into what limbeck
    writes instead, for a departure the README documents (it should check that
    Alembic still does what the README says).
    """
    expected = run(base, project, steps, ALEMBIC)
    for tool in tools:
        got = run(base, project, steps, tool)
        for i, (want, have) in enumerate(zip(expected, got, strict=True)):
            where = f"step {i} {steps[i]} on {tool}\n--- alembic:\n{want.stdout}{want.stderr}\n--- {tool}:\n" \
                f"{have.stdout}{have.stderr}"
            assert (have.code == 0) == (want.code == 0), where
            if want.code != 0:  # limbeck's line may say more (where it looked, the file at fault)
                assert _ADDRESS.sub("0x", failure(want).rstrip(".")) in _ADDRESS.sub("0x", failure(have)), where
            assert _without_failed(have.stdout) == _without_failed(want.stdout), where
            assert sorted(have.files) == sorted(want.files), where
            for name, text in want.files.items():
                if departure is not None:
                    text = departure(name, text)
                assert same_python(text, have.files[name]), f"{where}: {name}\n{text}\n--- {tool}:\n{have.files[name]}"
            assert have.state == want.state, where
    return expected
