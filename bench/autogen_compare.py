"""Benchmark: autogenerate's comparison of 500 tables x 10 columns on PostgreSQL, limbeck vs Alembic.

    .venv/bin/python bench/autogen_compare.py [--url postgresql+psycopg://...] [--tables 500]
                                              [--repeat 5] [--write-results]

Without ``--url`` a throwaway PostgreSQL cluster is started from the Debian
binaries (``/usr/lib/postgresql/*/bin``) in a temporary directory and
stopped afterwards. The database gets ``--tables`` tables of 10 columns
each (a primary key, a foreign key to the previous table, an index, a
unique constraint, a server default, a comment every tenth table). Two
model sets are compared with it: the same schema (the usual ``check`` in
CI: nothing to do) and one with a change in every tenth table.

Each timed run is a fresh child process per tool (runs interleaved), which
times ``compare_metadata`` alone and reports how many diff entries it
found; the two tools must agree on that count. ``--write-results``
replaces the autogenerate section of ``bench/RESULTS.md`` (between its
markers) or appends one.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BEGIN = "<!-- autogen_compare:begin -->"
END = "<!-- autogen_compare:end -->"


# -- the schema ------------------------------------------------------------------------
def build_metadata(tables: int, changed: bool) -> Any:
    """``tables`` tables of 10 columns; ``changed`` alters every tenth one."""
    import sqlalchemy as sa

    metadata = sa.MetaData()
    for i in range(tables):
        bump = changed and i % 10 == 0
        columns: list[Any] = [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(60 if bump else 50), nullable=False),
            sa.Column("code", sa.String(12)),
            sa.Column("amount", sa.Numeric(12, 2), server_default="0"),
            sa.Column("created", sa.DateTime, server_default=sa.func.now()),
            sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
            sa.Column("notes", sa.Text, nullable=bump),
            sa.Column("counter", sa.BigInteger),
            sa.Column("ratio", sa.Float),
        ]
        if i:
            columns.append(sa.Column("parent_id", sa.ForeignKey(f"t{i - 1:04d}.id", name=f"fk_t{i:04d}_parent")))
        else:
            columns.append(sa.Column("parent_id", sa.Integer))
        sa.Table(
            f"t{i:04d}", metadata, *columns,
            sa.Index(f"ix_t{i:04d}_name", "name"),
            sa.UniqueConstraint("code", name=f"uq_t{i:04d}_code"),
            comment=f"table {i}" if i % 10 == 0 else None,
        )
        if bump:
            metadata.tables[f"t{i:04d}"].append_column(sa.Column("extra", sa.Integer))
    return metadata


# -- one timed child -------------------------------------------------------------------
def child(tool: str, url: str, tables: int, changed: bool) -> None:
    import sqlalchemy as sa

    started = time.perf_counter()
    if tool == "alembic":
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext
    else:
        from limbeck.autogenerate import compare_metadata  # type: ignore[assignment]
        from limbeck.runtime.migration import MigrationContext  # type: ignore[assignment]
    metadata = build_metadata(tables, changed)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"target_metadata": metadata})
        t0 = time.perf_counter()
        diffs = compare_metadata(context, metadata)
        compare = time.perf_counter() - t0
    flat = [d for diff in diffs for d in (diff if isinstance(diff, list) else [diff])]
    print(json.dumps({"compare": compare, "total": time.perf_counter() - started, "diffs": len(flat)}))


def _run_child(tool: str, url: str, tables: int, changed: bool) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", tool, "--url", url, "--tables", str(tables)]
    if changed:
        args.append("--changed")
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- a throwaway server ----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class TemporaryPostgres:
    """A PostgreSQL cluster on loopback in a temporary directory, for one benchmark run."""

    def __enter__(self) -> str:
        initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not initdbs:
            raise SystemExit("PostgreSQL binaries not found (Debian package 'postgresql'); pass --url instead")
        self.bindir = os.path.dirname(initdbs[-1])
        self.workdir = tempfile.mkdtemp(prefix="limbeck-bench-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.workdir, user="postgres")
        self.data = os.path.join(self.workdir, "data")
        subprocess.run([*_as_postgres(), f"{self.bindir}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                        "--no-sync"], check=True, capture_output=True)
        port = _free_port()
        opts = f"-p {port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*_as_postgres(), f"{self.bindir}/pg_ctl", "-D", self.data, "-o", opts, "-l",
                        os.path.join(self.workdir, "log"), "-w", "start"], check=True, capture_output=True)
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def __exit__(self, *exc: object) -> None:
        subprocess.run([*_as_postgres(), f"{self.bindir}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _prepare(url: str, tables: int) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    build_metadata(tables, changed=False).create_all(engine)


# -- the report ------------------------------------------------------------------------
def _versions() -> str:
    import alembic
    import sqlalchemy

    import limbeck

    return f"SQLAlchemy {sqlalchemy.__version__}; alembic {alembic.__version__}; limbeck {limbeck.__version__}"


def measure(url: str, tables: int, repeat: int) -> list[dict[str, Any]]:
    rows = []
    for changed in (False, True):
        runs: dict[str, list[dict[str, Any]]] = {"limbeck": [], "alembic": []}
        for tool in runs:  # one untimed warm-up each (catalog caches, imports on disk)
            _run_child(tool, url, tables, changed)
        for _ in range(repeat):
            for tool, results in runs.items():
                results.append(_run_child(tool, url, tables, changed))
        counts = {tool: {r["diffs"] for r in results} for tool, results in runs.items()}
        rows.append({"changed": changed, "runs": runs, "counts": counts})
    return rows


def report(rows: list[dict[str, Any]], tables: int, repeat: int) -> str:
    lines = [
        BEGIN,
        f"## Autogenerate: comparing {tables} tables x 10 columns on PostgreSQL",
        "",
        "Written by `bench/autogen_compare.py --write-results`. `compare_metadata` alone, timed inside a fresh",
        f"child process per run ({repeat} interleaved runs per tool after a warm-up); process = the whole child",
        f"(imports, models, connect, compare). {_versions()}; load average {os.getloadavg()[0]:.1f}.",
        "",
        (
            "| Models | limbeck compare (median / min) | alembic compare (median / min) | alembic/limbeck"
            " | limbeck process | alembic process | diff entries (limbeck / alembic) |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lim, ale = row["runs"]["limbeck"], row["runs"]["alembic"]
        lc = [r["compare"] for r in lim]
        ac = [r["compare"] for r in ale]
        ratio = statistics.median(ac) / statistics.median(lc)
        label = "a change in every 10th table" if row["changed"] else "same as the database"
        counts = f"{'/'.join(map(str, sorted(row['counts']['limbeck'])))} / " \
                 f"{'/'.join(map(str, sorted(row['counts']['alembic'])))}"
        lines.append(
            f"| {label} | {statistics.median(lc):.2f} s / {min(lc):.2f} s | {statistics.median(ac):.2f} s / "
            f"{min(ac):.2f} s | {ratio:.1f}x | {statistics.median(r['total'] for r in lim):.2f} s | "
            f"{statistics.median(r['total'] for r in ale):.2f} s | {counts} |"
        )
    lines += ["", END]
    return "\n".join(lines)


def write_results(section: str) -> None:
    from report import write_section

    write_section(HERE / "RESULTS.md", BEGIN, END, section)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="PostgreSQL URL of a database the benchmark may wipe")
    parser.add_argument("--tables", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write-results", action="store_true")
    parser.add_argument("--child", choices=("limbeck", "alembic"), help=argparse.SUPPRESS)
    parser.add_argument("--changed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.url, args.tables, args.changed)
        return
    server = None if args.url else TemporaryPostgres()
    url = args.url or server.__enter__()  # type: ignore[union-attr]
    try:
        _prepare(url, args.tables)
        rows = measure(url, args.tables, args.repeat)
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    section = report(rows, args.tables, args.repeat)
    print(section)
    for row in rows:
        if row["counts"]["limbeck"] != row["counts"]["alembic"]:
            print(f"WARNING: the tools found different numbers of changes: {row['counts']}", file=sys.stderr)
    if args.write_results:
        write_results(section)


if __name__ == "__main__":
    main()
