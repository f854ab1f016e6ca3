"""Upgrades and downgrades across branches, merges, dependencies and several bases.

Run in child processes by ``command_harness`` under each tool; see test_commands_vs_alembic.py.
Behaviours from Alembic's test_version_traversal.py, test_revision_paths.py and
test_version_table.py: what runs in which order, and which version rows the database ends with,
online (rows read back) and offline (the script; which row of a merge is updated is set order in
Alembic, so the test compares merge scenarios' version statements by their effect). The graphs
and checks are ours.
"""

from __future__ import annotations

from command_harness import Stage

from alembic import command


def _merged(stage: Stage) -> dict[str, str]:
    """a -> b -> (c1 -> d1 'left', c2 -> d2 'right') -> e (merge) -> f; g off a, depends on d1."""
    r = {}
    r["a"] = stage.revision("a0000000", None, "a")
    r["b"] = stage.revision("b0000000", r["a"], "b")
    r["c1"] = stage.revision("c1000000", r["b"], "c1", labels=("left",))
    r["d1"] = stage.revision("d1000000", r["c1"], "d1")
    r["c2"] = stage.revision("c2000000", r["b"], "c2", labels=("right",))
    r["d2"] = stage.revision("d2000000", r["c2"], "d2")
    r["e"] = stage.revision("e0000000", (r["d1"], r["d2"]), "e")
    r["f"] = stage.revision("f0000000", r["e"], "f")
    r["g"] = stage.revision("g0000000", r["a"], "g", labels=("side",), deps=r["d1"])
    return r


def _walk(stage: Stage, cfg: object, moves: list[tuple[str, str, str]]) -> None:
    for label, verb, target in moves:
        stage.call(label, getattr(command, verb), cfg, target)
        stage.rows()


def scenario_online_branches_and_merges(stage: Stage) -> None:
    cfg = stage.project()
    r = _merged(stage)
    _walk(stage, cfg, [
        ("up left@head", "upgrade", "left@head"),
        ("up right@+1", "upgrade", "right@+1"),
        ("up head (ambiguous)", "upgrade", "head"),
        ("up d2", "upgrade", r["d2"]),
        ("up e", "upgrade", r["e"]),
        ("down right@-1 (through merge)", "downgrade", "right@-1"),
        ("down -1", "downgrade", "-1"),
        ("up heads", "upgrade", "heads"),
        ("down side@base", "downgrade", "side@base"),
        ("down e", "downgrade", r["e"]),
        ("down c1", "downgrade", r["c1"]),
        ("down left@base", "downgrade", "left@base"),
        ("up side@head (pulls its dependency)", "upgrade", "side@head"),
        ("down d1 (needed by g)", "downgrade", r["c1"]),
        ("down base", "downgrade", "base"),
        ("up unknown label", "upgrade", "nope@head"),
        ("up +9", "upgrade", "+9"),
        ("up b+1 (branch point)", "upgrade", f"{r['b']}+1"),
        ("down heads-1", "downgrade", "heads-1"),
    ])


def scenario_online_forest(stage: Stage) -> None:
    cfg = stage.project()
    x1 = stage.revision("x1000000", None, "x1", labels=("xtree",))
    x2 = stage.revision("x2000000", x1, "x2")
    y1 = stage.revision("y1000000", None, "y1", labels=("ytree",))
    stage.revision("y2000000", y1, "y2")
    _walk(stage, cfg, [
        ("up xtree@head", "upgrade", "xtree@head"),
        ("up base+1 (ambiguous)", "upgrade", "base+1"),
        ("up heads", "upgrade", "heads"),
        ("down xtree@base", "downgrade", "xtree@base"),
        ("down ytree@-1", "downgrade", "ytree@-1"),
        ("down -1 (ambiguous)", "downgrade", "-1"),
        ("up x2", "upgrade", x2),
        ("down base", "downgrade", "base"),
    ])


def scenario_offline_merges(stage: Stage) -> None:
    cfg = stage.project()
    r = _merged(stage)
    for label, fn, target in [
        ("up base:heads", command.upgrade, "base:heads"),
        ("up b:e", command.upgrade, f"{r['b']}:{r['e']}"),
        ("up d1,d2:f", command.upgrade, f"{r['d1']},{r['d2']}:{r['f']}"),
        ("up base:side@head", command.upgrade, "base:side@head"),
        ("down f:b", command.downgrade, f"{r['f']}:{r['b']}"),
        ("down e:left@c1", command.downgrade, f"{r['e']}:{r['c1']}"),
        ("down f:base", command.downgrade, f"{r['f']}:base"),
        ("stamp b:heads", command.stamp, f"{r['b']}:heads"),
        ("stamp e:c1", command.stamp, f"{r['e']}:{r['c1']}"),
        ("down g:c1 (dependency above down_revision)", command.downgrade, f"{r['g']}:{r['c1']}"),
    ]:
        stage.call(label, fn, cfg, target, sql=True)

