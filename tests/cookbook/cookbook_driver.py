"""Child process of the cookbook suite: run one project's steps on one tool, report what was seen.

``python cookbook_driver.py <spec.json> <out.json>``. The spec names the tool
(``alembic``: the real Alembic; ``limbeck``: limbeck's own command line;
``as_alembic``: started with ``LIMBECK_AS_ALEMBIC=1``, so ``alembic`` is
limbeck), the project root, the steps and the databases to read after each
step. A step is either a command line (run through the tool's ``main``, in this
process, so a project costs one interpreter per tool) or ``["python", file,
*args]``, a program of the project run as ``__main__``.

Output is not redirected: Alembic's ``Config`` keeps the ``sys.stdout`` it saw
at import, so each step is followed by a marker line on both streams and the
parent cuts the streams there.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback
from pathlib import Path
from typing import Any

MARK = "\x1e--cookbook-step--"
SKIPPED_DIRS = {"__pycache__"}


def _run_cli(tool: str, argv: list[str]) -> int:
    if tool == "limbeck":
        from limbeck.cli import main as limbeck_main

        limbeck_main(argv, prog="limbeck")
        return 0
    from alembic.config import main as alembic_main

    alembic_main(argv=argv, prog="alembic")
    return 0


def _run_program(argv: list[str]) -> int:
    saved = sys.argv
    sys.argv = argv
    try:
        runpy.run_path(argv[0], run_name="__main__")
    finally:
        sys.argv = saved
    return 0


def _run_step(tool: str, step: list[str]) -> int | str:
    try:
        if step[0] == "python":
            if tool == "limbeck":  # a program of the project imports alembic: as `import limbeck.as_alembic` would
                import limbeck.as_alembic  # noqa: F401
            return _run_program(step[1:])
        return _run_cli(tool, step)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:  # noqa: BLE001 - what the user sees: a traceback ending in this line
        traceback.print_exc()
        return f"{type(exc).__name__}: {exc}"


def _files(root: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_dir() or SKIPPED_DIRS & set(path.parts) or path.suffix in {".db", ".pyc"}:
            continue
        try:
            found[str(path.relative_to(root))] = path.read_text()
        except UnicodeDecodeError:
            found[str(path.relative_to(root))] = "<binary>"
    return found


def _sqlite_state(engine: Any) -> dict[str, Any]:
    import sqlalchemy as sa

    state: dict[str, Any] = {}
    with engine.connect() as conn:
        master = conn.execute(sa.text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")).all()
        for kind, name, sql in master:
            state[f"{kind} {name}"] = sql
            if kind == "table":
                rows = conn.execute(sa.text(f'SELECT * FROM "{name}"')).all()
                state[f"rows {name}"] = sorted(repr(tuple(row)) for row in rows)
    return state


def _reflected_state(engine: Any, schemas: list[str | None]) -> dict[str, Any]:
    import sqlalchemy as sa

    state: dict[str, Any] = {}
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for schema in schemas:
            for name in sorted(inspector.get_table_names(schema=schema)):
                key = f"{schema}.{name}" if schema else name
                state[f"columns {key}"] = [
                    (c["name"], str(c["type"]), c["nullable"], str(c.get("default"))) for c in
                    inspector.get_columns(name, schema=schema)
                ]
                state[f"pk {key}"] = inspector.get_pk_constraint(name, schema=schema)
                state[f"fks {key}"] = sorted(map(repr, inspector.get_foreign_keys(name, schema=schema)))
                state[f"indexes {key}"] = sorted(map(repr, inspector.get_indexes(name, schema=schema)))
                state[f"uniques {key}"] = sorted(map(repr, inspector.get_unique_constraints(name, schema=schema)))
                table = sa.Table(name, sa.MetaData(), schema=schema, autoload_with=conn)
                state[f"rows {key}"] = sorted(repr(tuple(r)) for r in conn.execute(sa.select(table)).all())
            for name in sorted(inspector.get_view_names(schema=schema)):
                state[f"view {schema}.{name}"] = inspector.get_view_definition(name, schema=schema)
    return state


def _db_state(urls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not urls:
        return []
    import sqlalchemy as sa

    states = []
    for entry in urls:
        engine = sa.create_engine(entry["url"], poolclass=sa.pool.NullPool)
        if engine.dialect.name == "sqlite":
            states.append(_sqlite_state(engine))
        else:
            states.append(_reflected_state(engine, entry.get("schemas") or [None]))
        engine.dispose()
    return states


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    root = Path(spec["root"])
    os.chdir(root)
    sys.path.insert(0, str(root))
    results = []
    for step in spec["steps"]:
        code = _run_step(spec["tool"], step)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
            print(MARK, file=stream, flush=True)
        results.append({"code": code, "files": _files(root), "state": _db_state(spec["databases"])})
    Path(sys.argv[2]).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
