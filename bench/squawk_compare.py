"""limbeck lint beside Squawk on the same per-revision PostgreSQL scripts.

Squawk (``pip install squawk-cli``, a PostgreSQL migration linter) reads the
upgrade file ``limbeck sql --output-dir`` writes for each revision; limbeck
lints the same range. Each tool's rules are mapped to the families they
share, and the script prints, per family, the revisions both flag, only
Squawk flags and only limbeck flags. It is a comparison, not a test: run it
by hand with Squawk on PATH (or ``--squawk PATH``).

    .venv/bin/python bench/squawk_compare.py --revisions 300 [--out bench/out/squawk]
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

#: family -> (Squawk rule names, limbeck rule ids)
FAMILIES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "drop table/column": (frozenset({"ban-drop-table", "ban-drop-column"}), frozenset({"LB001", "LB002"})),
    "rename table/column": (frozenset({"renaming-table", "renaming-column"}), frozenset({"LB003"})),
    "column type change": (frozenset({"changing-column-type"}), frozenset({"LB005"})),
    "NOT NULL": (frozenset({"adding-not-nullable-field", "adding-required-field"}), frozenset({"LB004"})),
    "CREATE INDEX without CONCURRENTLY": (frozenset({"require-concurrent-index-creation"}), frozenset({"LB006"})),
    "DROP INDEX without CONCURRENTLY": (frozenset({"require-concurrent-index-deletion"}), frozenset({"LB020"})),
    "FK/CHECK without NOT VALID": (
        frozenset({"adding-foreign-key-constraint", "constraint-missing-not-valid"}), frozenset({"LB008"})
    ),
    "unique constraint": (frozenset({"disallowed-unique-constraint"}), frozenset({"LB009"})),
    "volatile default": (frozenset({"adding-field-with-default"}), frozenset({"LB021"})),
    "primary key": (frozenset({"adding-serial-primary-key-field"}), frozenset({"LB022"})),
    "timeouts": (frozenset({"require-lock-timeout", "require-statement-timeout", "require-timeout-settings"}),
                 frozenset({"LB023"})),
    "REINDEX without CONCURRENTLY": (frozenset({"require-concurrent-reindex"}), frozenset({"LB024"})),
    "TRUNCATE CASCADE": (frozenset({"ban-truncate-cascade"}), frozenset({"LB025"})),
}


def squawk_rules(squawk: str, path: Path) -> set[str]:
    done = subprocess.run([squawk, "--reporter", "json", str(path)], capture_output=True, text=True, check=False)
    return {v["rule_name"] for v in json.loads(done.stdout or "[]")}


def compare(project: Path, squawk: str, out: Path) -> dict[str, dict[str, list[str]]]:
    """family -> {"both": [...], "squawk only": [...], "limbeck only": [...]} (revision ids)."""
    from limbeck import command
    from limbeck.config import Config
    from limbeck.review.capture import RevisionRange
    from limbeck.review.lint import lint

    config = Config(str(project / "limbeck.ini"), stdout=io.StringIO())
    command.sql(config, None, str(out), ["postgresql"])
    limbeck_by_rev: dict[str, set[str]] = defaultdict(set)
    for finding in lint(config, RevisionRange(), "postgresql").active():
        if finding.revision:
            limbeck_by_rev[finding.revision].add(finding.rule)
    result: dict[str, dict[str, list[str]]] = {f: {"both": [], "squawk only": [], "limbeck only": []} for f in FAMILIES}
    for path in sorted((out / "postgresql").glob("*.upgrade.sql")):
        revision = path.name.split("_")[1]
        found = squawk_rules(squawk, path)
        for family, (theirs, ours) in FAMILIES.items():
            s, l = bool(found & theirs), bool(limbeck_by_rev[revision] & ours)
            if s or l:
                result[family]["both" if s and l else "squawk only" if s else "limbeck only"].append(revision)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revisions", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "squawk")
    parser.add_argument("--squawk", default=shutil.which("squawk"))
    args = parser.parse_args(argv)
    if not args.squawk:
        parser.error("squawk not found: pip install squawk-cli, or give --squawk PATH")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import generate

    project = args.out / "project"
    generate(project, args.revisions, "branchy", "limbeck", portable=False)
    sql_dir = args.out / "sql"
    if sql_dir.exists():
        shutil.rmtree(sql_dir)
    result = compare(project, args.squawk, sql_dir)
    print("| Family | Both flag | Only Squawk | Only limbeck |")
    print("|---|---|---|---|")
    for family, groups in result.items():
        print(f"| {family} | {len(groups['both'])} | {len(groups['squawk only'])} | {len(groups['limbeck only'])} |")
    for family, groups in result.items():
        for side in ("squawk only", "limbeck only"):
            if groups[side]:
                print(f"{family}, {side}: {', '.join(groups[side][:8])}{' ...' if len(groups[side]) > 8 else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
