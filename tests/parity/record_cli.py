"""Record what the real ``alembic`` CLI prints on the CLI fixture projects.

Run by hand when the fixture projects or the recorded Alembic version change:

    .venv/bin/python tests/parity/record_cli.py

It builds each project of ``tests/cli/fixture_projects.py`` in a temp dir, runs
``.venv/bin/alembic`` (a black box: only its output is used) with every case below, and
writes ``tests/cli/fixtures/cli_outputs.json``. It also records, through Alembic's public
``Script.cmd_format`` / ``log_entry`` API, how one revision renders under every
combination of flags and graph properties: ``tests/cli/fixtures/format_matrix.json``.
The tests replay both files against limbeck; they never import Alembic.
"""

from __future__ import annotations

import itertools
import json
import os
import runpy
import subprocess
import sys
import tempfile
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO = TESTS.parent
FIXTURES = TESTS / "cli" / "fixtures"
ALEMBIC = REPO / ".venv" / "bin" / "alembic"
fp: dict[str, Any] = runpy.run_path(str(TESTS / "cli" / "fixture_projects.py"))

#: hash seeds each exact case is run with (see _exact_case)
SEEDS = range(12)

# (project, database heads or None, args); output compared byte for byte (normalised).
L = ("1a0c0b1e2d3f", "2b1d1c2f3e4a", "3c2e2d3a4f5b", "4d3f3e4b5a6c", "5e4a4f5c6b7d")
EXACT: list[tuple[str, tuple[str, ...] | None, list[str]]] = [
    ("linear", None, ["heads"]),
    ("linear", None, ["heads", "-v"]),
    ("linear", None, ["heads", "--resolve-dependencies"]),
    ("linear", None, ["branches"]),
    ("linear", None, ["history"]),
    ("linear", None, ["history", "-v"]),
    ("linear", None, ["history", f"--rev-range={L[1]}:{L[3]}"]),
    ("linear", None, ["history", f"--rev-range=:{L[2]}"]),
    ("linear", None, ["history", f"--rev-range={L[2]}:"]),
    ("linear", None, ["history", "--rev-range=-3:"]),
    ("linear", None, ["history", "--rev-range=-2:head"]),
    ("linear", None, ["history", "--rev-range=base:+2"]),
    ("linear", None, ["history", f"--rev-range={L[1]}:+2"]),
    ("linear", None, ["history", "--rev-range=base:heads"]),
    ("linear", None, ["history", "--rev-range=heads:"]),
    ("linear", None, ["history", f"--rev-range={L[2][:4]}:{L[4][:5]}"]),
    ("linear", None, ["show", L[2]]),
    ("linear", None, ["show", L[0][:4]]),
    ("linear", None, ["show", "head"]),
    ("linear", None, ["show", "heads"]),
    ("linear", None, ["show", "base"]),
    ("linear", (L[2],), ["history", "-i"]),
    ("linear", (L[2],), ["history", "-i", "-v"]),
    ("linear", (L[2],), ["history", "--rev-range=current:"]),
    ("linear", (L[2],), ["history", "--rev-range=:current"]),
    ("linear", (L[2],), ["history", "--rev-range=current:heads"]),
    ("linear", (L[2],), ["history", "--rev-range=current:+1"]),
    ("linear", (L[2],), ["show", "current"]),
    ("linear", (), ["history", "--rev-range=current:"]),
    ("linear", (), ["show", "current"]),
    ("branchy", None, ["heads"]),
    ("branchy", None, ["heads", "-v"]),
    ("branchy", None, ["heads", "--resolve-dependencies"]),
    ("branchy", None, ["heads", "--resolve-dependencies", "-v"]),
    ("branchy", None, ["branches"]),
    ("branchy", None, ["branches", "-v"]),
    ("branchy", None, ["history"]),
    ("branchy", None, ["history", "-v"]),
    ("branchy", None, ["history", "--rev-range=b2c3d4e5f6a1:3f5e6a1b2c3d"]),
    ("branchy", None, ["history", "--rev-range=feature@head:"]),
    ("branchy", None, ["history", "--rev-range=b2c3:feature@head"]),
    ("branchy", None, ["history", "--rev-range=reporting@base:"]),
    ("branchy", None, ["history", "--rev-range=:reporting@head"]),
    ("branchy", None, ["history", "--rev-range=audit@base:audit@head"]),
    ("branchy", None, ["history", "--rev-range=a1b2:"]),
    ("branchy", None, ["history", "--rev-range=:9c8d"]),
    ("branchy", None, ["history", "--rev-range=heads:"]),
    ("branchy", None, ["show", "heads"]),
    ("branchy", None, ["show", "feature@head"]),
    ("branchy", None, ["show", "reporting@base"]),
    ("branchy", None, ["show", "analytics"]),
    ("branchy", None, ["show", "3f5e6"]),
    ("branchy", None, ["show", "0b8c"]),
    ("branchy", None, ["show", "9c8d7e6f5a4b"]),
    ("branchy", None, ["show", "7e6f"]),
    ("branchy", ("3f5e9b8c7d6a", "f6a1b2c3d4e5"), ["history", "-i"]),
    ("branchy", ("3f5e9b8c7d6a", "f6a1b2c3d4e5"), ["history", "-i", "-v"]),
    ("branchy", ("b2c3d4e5f6a1",), ["history", "-i"]),
    ("branchy", ("3f5e9b8c7d6a", "f6a1b2c3d4e5"), ["history", "--rev-range=current:"]),
    ("branchy", ("3f5e9b8c7d6a", "f6a1b2c3d4e5"), ["show", "current"]),
    ("branchy", ("b2c3d4e5f6a1",), ["history", "--rev-range=current:feature@head"]),
    ("empty", None, ["heads"]),
    ("empty", None, ["branches"]),
    ("empty", None, ["history"]),
    ("empty", None, ["show", "heads"]),
    ("pyproject_only", None, ["heads"]),
    ("pyproject_only", None, ["history", "-v"]),
]

# (project, database heads or None, args, words limbeck's one-line error must contain);
# whether Alembic's message names them too is recorded, not required.
ERRORS: list[tuple[str, tuple[str, ...] | None, list[str], list[str]]] = [
    ("linear", None, ["show", "zzzz"], ["zzzz"]),
    ("linear", None, ["history", "--rev-range=zzzz:"], ["zzzz"]),
    ("linear", None, ["history", f"--rev-range={L[3]}:{L[1]}"], [L[3], L[1]]),
    ("linear", None, ["history", f"--rev-range={L[1]}"], ["[start]:[end]"]),
    ("linear", None, ["history", "--rev-range=-9:"], ["-9"]),
    ("linear", None, ["edit", "base"], ["base"]),
    ("linear", None, ["history", "--rev-range=:-2"], ["-2"]),
    ("linear", None, ["show", "head-2"], ["head-2"]),
    ("branchy", None, ["show", "3f5e"], ["3f5e"]),
    ("branchy", None, ["show", "head"], ["head"]),
    ("branchy", None, ["revision", "-m", "x"], ["head"]),
    ("branchy", None, ["merge", "a1b2c3d4e5f6", "b2c3d4e5f6a1"], ["a1b2c3d4e5f6"]),
    (
        "branchy",
        None,
        ["revision", "-m", "x", "--head", "feature@head", "--depends-on", "nope"],
        ["nope"],
    ),
    ("linear", None, ["revision", "-m", "x", "--rev-id", "bad-id"], ["bad-id"]),
    ("linear", None, ["revision", "-m", "x", "--sql"], ["revision_environment"]),
    ("linear", (), ["edit", "current"], ["current"]),
    ("nowhere", None, ["heads"], ["script_location"]),
]


def run_alembic(home: Path, args: list[str], seed: int = 0) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "EDITOR": "true",
        "COLUMNS": "200",
        "PYTHONHASHSEED": str(seed),
    }
    env.pop("ALEMBIC_CONFIG", None)
    proc = subprocess.run(
        [str(ALEMBIC), *args],
        cwd=home,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _prepare(
    root: Path, index: int, project: str, db_heads: tuple[str, ...] | None
) -> Path:
    """A private copy of *project* per case, so cases can run in parallel."""
    home = root / f"case{index}" / project
    home.parent.mkdir()
    if project == "nowhere":
        home.mkdir()
        return home
    fp["build_project"](fp["PROJECTS"][project], home.parent)
    if db_heads is not None:
        fp["set_database_heads"](home, db_heads)
    return home


def _exact_case(
    root: Path,
    index: int,
    project: str,
    db_heads: tuple[str, ...] | None,
    args: list[str],
) -> dict[str, Any]:
    home = _prepare(root, index, project, db_heads)
    variants: set[str] = set()
    # Alembic breaks some ordering ties by hash order, which changes with the hash seed;
    # every distinct output seen is recorded and limbeck's must be one of them.
    for seed in SEEDS if project == "branchy" else SEEDS[:2]:
        rc, out, err = run_alembic(home, args, seed)
        if rc != 0:
            raise SystemExit(f"alembic {args} on {project} failed: {out}{err}")
        variants.add(fp["normalise_output"](out, str(home)))
    return {
        "kind": "exact",
        "project": project,
        "db_heads": db_heads,
        "args": args,
        "rc": 0,
        "stdout_variants": sorted(variants),
    }


def _error_case(
    root: Path,
    index: int,
    project: str,
    db_heads: tuple[str, ...] | None,
    args: list[str],
    words: list[str],
) -> dict[str, Any]:
    home = _prepare(root, index, project, db_heads)
    rc, out, err = run_alembic(home, args)
    # Alembic prints "FAILED: ..." on stdout (limbeck uses stderr); keep both.
    said = out + err
    if rc == 0:
        raise SystemExit(f"alembic {args} on {project} succeeded; expected an error")
    return {
        "kind": "error",
        "project": project,
        "db_heads": db_heads,
        "args": args,
        "rc": rc,
        "output": said.replace(str(home), "<ROOT>"),
        "names": words,
        "alembic_names_them": all(w in said for w in words),
    }


def record_cli(root: Path) -> dict[str, Any]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        exact = [
            pool.submit(_exact_case, root, i, *case) for i, case in enumerate(EXACT)
        ]
        errors = [
            pool.submit(_error_case, root, len(EXACT) + i, *case)
            for i, case in enumerate(ERRORS)
        ]
        cases = [f.result() for f in exact + errors]
    return {"alembic_version": _alembic_version(), "seeds": list(SEEDS), "cases": cases}


def record_init(root: Path) -> list[dict[str, Any]]:
    """What ``init`` prints and writes, per template option (compared as line sets)."""
    cases: list[dict[str, Any]] = []
    setups: list[tuple[str, list[str], str | None]] = [
        ("generic", ["init", "migrations"], None),
        ("package", ["init", "--package", "migrations"], None),
        ("pyproject_new", ["init", "-t", "pyproject", "migrations"], None),
        (
            "pyproject_append",
            ["init", "-t", "pyproject", "migrations"],
            '[project]\nname = "x"\n',
        ),
        (
            "pyproject_has_table",
            ["init", "-t", "pyproject", "migrations"],
            '[tool.alembic]\nscript_location = "x"\n',
        ),
    ]
    for name, args, pyproject in setups:
        home = root / f"init_{name}"
        home.mkdir()
        if pyproject is not None:
            (home / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        rc, out, _err = run_alembic(home, args)
        files = sorted(
            str(p.relative_to(home))
            for p in home.rglob("*")
            if "__pycache__" not in p.parts
        )
        toml = (
            (home / "pyproject.toml").read_text(encoding="utf-8")
            if (home / "pyproject.toml").exists()
            else None
        )
        cases.append(
            {
                "name": name,
                "args": args,
                "pyproject": pyproject,
                "rc": rc,
                "stdout": out.replace(str(home), "<ROOT>"),
                "files": files,
                "pyproject_after_starts_with": None
                if toml is None
                else toml[: len(pyproject or "") + 20],
            }
        )
    return cases


def _alembic_version() -> str:
    return subprocess.run(
        [str(ALEMBIC), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


# ---------------------------------------------------------------------------
# the format matrix: Script.cmd_format / log_entry under every flag combination
# ---------------------------------------------------------------------------

GRAPH_FLAGS = ("is_head", "_is_real_head", "is_branch_point", "is_merge_point")
FORMAT_FLAGS = ("include_branches", "include_doc", "include_parents", "tree_indicators")
SHAPES: list[dict[str, Any]] = [
    {
        "down_revision": None,
        "dependencies": None,
        "branch_labels": [],
        "nextrev": [],
        "doc": None,
    },
    {
        "down_revision": "p1",
        "dependencies": "d1",
        "branch_labels": ["lab"],
        "nextrev": ["n1", "n2"],
        "doc": "One line",
    },
    {
        "down_revision": ["p1", "p2"],
        "dependencies": ["d2", "d1"],
        "branch_labels": ["zeta", "alpha"],
        "nextrev": ["n2", "n1"],
        "doc": "\n  First line\n\n    indented\ntrailing   \n",
    },
]


def record_format_matrix() -> dict[str, Any]:
    sys.path.insert(0, "")
    from alembic.script import Script  # black-box use of the public API

    rows: list[dict[str, Any]] = []
    strings: dict[str, int] = {}
    keys: list[str] = []
    for shape_index, shape in enumerate(SHAPES):
        for graph in itertools.product([False, True], repeat=len(GRAPH_FLAGS)):
            for current in (None, False, True):
                script = _fake_script(Script, shape, dict(zip(GRAPH_FLAGS, graph)))
                script._db_current_indicator = current
                outputs: dict[str, str] = {
                    "log_entry": _sorted_sets(script.log_entry, shape)
                }
                for flags in itertools.product([False, True], repeat=len(FORMAT_FLAGS)):
                    kw = dict(zip(FORMAT_FLAGS, flags))
                    key = ",".join(f"{k}={int(v)}" for k, v in kw.items())
                    outputs[f"cmd_format:{key}"] = _sorted_sets(
                        script.cmd_format(False, **kw), shape
                    )
                    for head_ind in (False, True):
                        outputs[f"head_only:{key},head_indicators={int(head_ind)}"] = (
                            _sorted_sets(
                                script._head_only(head_indicators=head_ind, **kw), shape
                            )
                        )
                if not keys:
                    keys.extend(outputs)
                rows.append(
                    {
                        "shape": shape_index,
                        "graph": dict(zip(GRAPH_FLAGS, graph)),
                        "current": current,
                        "outputs": [
                            strings.setdefault(outputs[k], len(strings)) for k in keys
                        ],
                    }
                )
    # Each row lists output indexes into "strings", in the order of "keys".
    return {"keys": keys, "strings": list(strings), "rows": rows}


def _fake_script(script_cls: Any, shape: dict[str, Any], graph: dict[str, bool]) -> Any:
    module = types.ModuleType("fake_revision")
    module.__doc__ = shape["doc"]
    module.revision = "r0"  # type: ignore[attr-defined]
    module.down_revision = shape["down_revision"]  # type: ignore[attr-defined]
    module.depends_on = shape["dependencies"]  # type: ignore[attr-defined]
    module.branch_labels = None  # type: ignore[attr-defined]
    props = {name: property(lambda self, v=value: v) for name, value in graph.items()}
    cls = type("ProbeScript", (script_cls,), props)
    script = cls(module, "r0", "/scripts/r0.py")
    script.branch_labels = set(shape["branch_labels"])
    script.nextrev = frozenset(shape["nextrev"])
    return script


def _sorted_sets(text: str, shape: dict[str, Any]) -> str:
    # Alembic prints these two sets in hash order; record them sorted, as limbeck prints.
    for values in (shape["branch_labels"], shape["nextrev"]):
        if len(values) > 1:
            for perm in itertools.permutations(values):
                text = text.replace(", ".join(perm), ", ".join(sorted(values)))
    return text


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="limbeck-record-cli-") as tmp:
        root = Path(tmp)
        data = record_cli(root)
        data["init"] = record_init(root)
    (FIXTURES / "cli_outputs.json").write_text(
        json.dumps(data, indent=1) + "\n", encoding="utf-8"
    )
    matrix = {
        "alembic_version": data["alembic_version"],
        "shapes": SHAPES,
        **record_format_matrix(),
    }
    (FIXTURES / "format_matrix.json").write_text(
        json.dumps(matrix) + "\n", encoding="utf-8"
    )
    print(
        f"recorded {len(data['cases'])} CLI cases, {len(data['init'])} init cases, "
        f"{len(matrix['rows'])} format rows with {data['alembic_version']}"
    )


if __name__ == "__main__":
    main()
