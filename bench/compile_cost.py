"""What compiling a history's revision files costs, whole and without the direction a run does not call.

An offline ``upgrade`` never calls a revision's ``downgrade()`` and the
other way round, so compiling only what runs would save part of the compile
(see issue 14). This measures how much, on a generated tree, and what a
check that the left-out body still compiles would cost instead: Python
reports a syntax error in any part of a file when the file is imported (as
Alembic does), and finding it needs at least the parse and the symbol table
(``symtable``), which is most of ``compile()``.

    .venv/bin/python bench/compile_cost.py /tmp/ag1k/migrations/versions

Prints the CPU time of each variant over all ``*.py`` files of the
directory (best of ``--repeat``). The bodies are cut at the top-level
``def upgrade(`` / ``def downgrade(`` by indentation, which is right for
the generated files this is meant for, not for arbitrary ones.
"""

from __future__ import annotations

import argparse
import symtable
import time
from collections.abc import Callable
from pathlib import Path


def without(source: str, name: str) -> str:
    """``source`` with the body of the top-level function ``name`` reduced to ``pass`` (same line count)."""
    lines = source.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(f"def {name}(")), None)
    if start is None:
        return source
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    body = end - start - 1
    return "\n".join(lines[: start + 1] + ["    pass"] + [""] * (body - 1) + lines[end:])


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", type=Path, help="a versions directory (bench/generate.py --kind autogen)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    files = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(args.versions.glob("*.py"))]
    variants = {
        "whole files (what a run compiles today)": files,
        "without downgrade() (an upgrade run)": [(p, without(s, "downgrade")) for p, s in files],
        "without upgrade() (a downgrade run)": [(p, without(s, "upgrade")) for p, s in files],
    }
    print(f"{len(files)} files, CPU seconds, best of {args.repeat}")
    for label, sources in variants.items():
        seconds = best(args.repeat, lambda: [compile(s, p, "exec", dont_inherit=True) for p, s in sources])
        print(f"  compile, {label}: {seconds:.3f}")
    seconds = best(args.repeat, lambda: [symtable.symtable(s, p, "exec") for p, s in files])
    print(f"  parse and symbol table only, whole files (the least a syntax check costs): {seconds:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
