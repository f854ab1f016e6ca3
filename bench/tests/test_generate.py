"""The generator: determinism, graph shape, header fields, file layout."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generate import build_history, generate, main
from scenarios import heads_of


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_arguments_give_byte_identical_files(tmp_path: Path) -> None:
    args = ["--revisions", "150", "--shape", "branchy", "--style", "alembic"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(first) == 150 + 3
    assert first == second


def test_seed_changes_the_history() -> None:
    one = build_history(50, "branchy", seed=1)
    two = build_history(50, "branchy", seed=2)
    assert [r.rev_id for r in one] != [r.rev_id for r in two]


def test_regenerating_replaces_stale_revision_files(tmp_path: Path) -> None:
    generate(tmp_path, 30, "linear", "alembic")
    generate(tmp_path, 10, "linear", "alembic", seed=5)
    assert len(list((tmp_path / "migrations" / "versions").glob("*.py"))) == 10


@pytest.mark.parametrize("count,heads_left", [(1, 1), (2, 1), (4, 2), (12, 3), (300, 1), (300, 4), (1000, 1)])
def test_branchy_ends_with_the_requested_heads(count: int, heads_left: int) -> None:
    revisions = build_history(count, "branchy", heads_left=heads_left)
    assert len(revisions) == count
    assert len(heads_of(revisions)) == heads_left


def test_branchy_has_branch_points_merges_labels_and_dependencies() -> None:
    revisions = build_history(1000, "branchy")
    children: dict[str, int] = {}
    for rev in revisions:
        for parent in rev.down:
            children[parent] = children.get(parent, 0) + 1
    assert sum(1 for n in children.values() if n > 1) >= 10
    assert sum(1 for r in revisions if len(r.down) > 1) >= 10
    assert sum(1 for r in revisions if r.branch_labels) >= 2
    assert sum(1 for r in revisions if r.depends_on) >= 5


def test_parents_and_dependencies_come_first() -> None:
    """Generation order is topological, so every reference points backwards."""
    seen: set[str] = set()
    for rev in build_history(800, "branchy"):
        assert set(rev.down) <= seen and set(rev.depends_on) <= seen
        seen.add(rev.rev_id)


def test_linear_chain() -> None:
    revisions = build_history(40, "linear")
    assert revisions[0].down == ()
    assert all(r.down == (p.rev_id,) for p, r in zip(revisions, revisions[1:]))


def test_heads_left_is_validated() -> None:
    with pytest.raises(ValueError, match="heads-left"):
        build_history(10, "branchy", heads_left=6)
    with pytest.raises(ValueError, match="one head"):
        build_history(10, "linear", heads_left=2)


def _literal(tree: ast.Module, name: str) -> object:
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            assert node.value is not None
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not assigned")


@pytest.mark.parametrize("style", ["alembic", "limbeck"])
def test_revision_files_parse_and_carry_their_headers(tmp_path: Path, style: str) -> None:
    revisions = generate(tmp_path, 120, "branchy", style, portable=False)
    by_id = {r.rev_id: r for r in revisions}
    for path in (tmp_path / "migrations" / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        rev = by_id[_literal(tree, "revision")]  # type: ignore[index]
        down = _literal(tree, "down_revision")
        assert ((down,) if isinstance(down, str) else tuple(down or ())) == rev.down  # type: ignore[arg-type]
        depends = _literal(tree, "depends_on")
        assert ((depends,) if isinstance(depends, str) else tuple(depends or ())) == rev.depends_on  # type: ignore[arg-type]
        assert f"from {style} import op" in source
        doc = ast.get_docstring(tree)
        assert doc is not None and f"Revision ID: {rev.rev_id}" in doc
        assert path.name.startswith(rev.rev_id + "_")
    config = (tmp_path / f"{style}.ini").read_text(encoding="utf-8")
    assert f"[{style}]" in config and "sqlalchemy.url = sqlite:///%(here)s/bench.db" in config
    env = (tmp_path / "migrations" / "env.py").read_text(encoding="utf-8")
    assert f"from {style} import context" in env and "literal_binds=True" in env
    compile(env, "env.py", "exec")


def test_portable_trees_avoid_what_sqlite_cannot_do() -> None:
    portable = "\n".join(line for r in build_history(400, "branchy") for line in r.up)
    assert "op.alter_column" not in portable and "op.drop_column" not in portable
    for needed in ("op.create_table", "op.add_column", "op.create_index", "op.drop_index",
                   "op.rename_table", "op.bulk_insert", "op.execute", "sa.ForeignKeyConstraint"):
        assert needed in portable
    full = "\n".join(line for r in build_history(400, "branchy", portable=False) for line in r.up)
    assert "op.alter_column" in full and "existing_type=" in full and "op.drop_column" in full


def test_autogenerate_shaped_revisions(tmp_path: Path) -> None:
    """Every revision but merges creates a 7-column table with two FKs, a unique and a check constraint
    and inserts 3 rows into it; once the lane has tables, the other operations follow."""
    args = ["--revisions", "80", "--shape", "branchy", "--kind", "autogen"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    revisions = build_history(80, "branchy", kind="autogen")
    plain = [r for r in revisions if len(r.down) < 2]
    for rev in plain:
        up = "\n".join(rev.up)
        create = up[: up.index("\n)")]  # the create_table call
        assert create.count("\n    sa.Column(") == 7 and create.count("sa.ForeignKeyConstraint(") == 2
        assert "sa.UniqueConstraint(" in up and "sa.CheckConstraint(" in up and up.count("server_default=") == 2
        assert up.count("{'id': ") == 3
    late = plain[len(plain) // 2:]
    for needle in ("op.add_column(", "op.create_index(", "op.batch_alter_table(", "op.execute(sa.text(",
                   "op.drop_index(", "op.drop_table("):
        assert sum(needle in "\n".join(r.up) for r in late) > len(late) // 2, needle
    with pytest.raises(ValueError, match="unknown kind"):
        build_history(5, "linear", kind="other")
