"""Record how Alembic's RevisionMap behaves, as JSON fixtures for limbeck's tests.

Alembic is used strictly as a black box: this script builds revision graphs,
asks ``alembic.script.revision.RevisionMap`` questions through its API and
writes down the answers (values, or the exception class and message) under
``tests/script/revision_fixtures/``. ``tests/script/test_revision_parity.py``
replays the same questions against ``limbeck.script.revision`` without
importing Alembic.

Alembic iterates some sets in hash order (for instance the normalised
``depends_on`` of a revision with several dependencies), so a few answers
change with ``PYTHONHASHSEED``. Every graph is therefore recorded in several
worker processes with different seeds; answers that differ are stored as
``variants`` and compared loosely by the tests.

Run from the repository root::

    .venv/bin/python tests/parity/record_revisions.py

The graphs and questions are generated deterministically (seeded), so a
rerun against the same Alembic version rewrites identical files.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "script" / "revision_fixtures"
SEEDS = ("0", "1", "2", "3")

Spec = list[list[Any]]  # [revision, down_revision, dependencies, branch_labels]
Query = list[Any]  # [op, *args]


# ---------------------------------------------------------------------------
# Graphs
# ---------------------------------------------------------------------------


def handwritten_graphs() -> dict[str, Spec]:
    """Small histories covering each documented shape."""
    return {
        "linear": [
            ["1a2b3c", None, None, None],
            ["2b3c4d", "1a2b3c", None, None],
            ["3c4d5e", "2b3c4d", None, None],
            ["4d5e6f", "3c4d5e", None, None],
        ],
        # The "Working with Branches" example: a branch point, two heads, a merge.
        "branches_docs": [
            ["1975ea83b712", None, None, None],
            ["ae1027a6acf", "1975ea83b712", None, None],
            ["27c6a30d7c24", "1975ea83b712", None, "shoppingcart"],
            ["d747a8a8879", "27c6a30d7c24", None, None],
            ["53fffde5ad5", "ae1027a6acf", None, None],
            ["cdef0001", ("53fffde5ad5", "d747a8a8879"), None, None],
        ],
        # "Branch Dependencies": independent roots, labels, depends_on across them.
        "multiple_bases": [
            ["1975ea83b712", None, None, "account"],
            ["ae1027a6acf", "1975ea83b712", None, None],
            ["55af2cb1c267", "ae1027a6acf", None, None],
            ["3cac04ae8714", None, None, "networking"],
            ["109ec7d132bf", "3cac04ae8714", None, None],
            ["29f859a13ea", "109ec7d132bf", "55af2cb1c267", None],
            ["2a95102259be", "29f859a13ea", None, None],
            ["0a1b2c3d", None, None, "reporting"],
            ["1b2c3d4e", "0a1b2c3d", "networking", None],
        ],
        "diamond_labels": [
            ["a000", None, None, None],
            ["b111", "a000", None, None],
            ["c222", "b111", None, "left"],
            ["c333", "c222", None, None],
            ["d444", "b111", None, "right"],
            ["d555", "d444", None, None],
            ["e666", ("c333", "d555"), None, None],
            ["f777", "e666", None, None],
            ["f888", "e666", None, "tail"],
        ],
        "merge_of_three": [
            ["aa00", None, None, None],
            ["bb11", "aa00", None, None],
            ["bb22", "aa00", None, None],
            ["bb33", "aa00", None, None],
            ["cc44", ("bb33", "bb11", "bb22"), None, None],
            ["dd55", "cc44", None, None],
        ],
        "deps_redundant": [
            ["a1a1", None, None, None],
            ["x9x9", None, None, "xb"],
            ["b2b2", "a1a1", "x9x9", None],
            ["c3c3", "b2b2", "x9x9", None],
            ["d4d4", "c3c3", ("xb", "a1a1"), None],
            ["y8y8", "x9x9", None, None],
            ["e5e5", "d4d4", "y8y8", None],
        ],
        "depended_head": [
            ["b0b0", None, None, "base_line"],
            ["b1b1", "b0b0", None, None],
            ["o0o0", None, None, "other"],
            ["o1o1", "o0o0", "b1b1", None],
            ["z0z0", None, "o1o1", None],
        ],
        "label_inheritance": [
            ["a000", None, None, None],
            ["b000", "a000", None, None],
            ["c100", "b000", None, None],
            ["c200", "c100", None, "L"],
            ["c300", "c200", None, None],
            ["c4a0", "c300", None, None],
            ["c4b0", "c300", None, None],
            ["c500", "c4b0", None, None],
            ["d100", "b000", None, None],
            ["d200", "d100", None, ("Q", "R")],
            ["d300", "d200", None, None],
        ],
        "label_plain_chain": [
            ["a000", None, None, None],
            ["b000", "a000", None, "L"],
            ["c000", "b000", None, "K"],
            ["d000", "c000", None, None],
            ["e000", "a000", None, None],
            ["f000", "e000", "c000", None],
        ],
        "prefix_clash": [
            ["abc111", None, None, "lbl"],
            ["abc222", "abc111", None, None],
            ["abd333", "abc222", None, None],
            ["x9", "abd333", None, "abcdef"],
            ["abc2229", "abc222", None, None],
            ["ab", "abc2229", None, None],
        ],
        "declared_out_of_order": [
            ["m5m5", ("k3k3", "l4l4"), None, None],
            ["l4l4", "j2j2", None, None],
            ["k3k3", "j2j2", None, "kk"],
            ["j2j2", "i1i1", None, None],
            ["i1i1", None, None, None],
            ["n6n6", "m5m5", None, None],
        ],
        "duplicate_revision": [
            ["aaaa", None, None, None],
            ["aaaa", None, None, None],
            ["bbbb", "aaaa", None, None],
        ],
        "single": [["only1234", None, None, None]],
        "empty": [],
        "multi_deps": [
            ["zz00", None, None, None],
            ["yy00", None, None, None],
            ["xx00", None, None, None],
            ["ww00", ("yy00", "zz00"), ("xx00", "zz00"), None],
            ["vv00", "ww00", None, None],
            ["uu00", "xx00", None, None],
        ],
    }


def broken_graphs() -> dict[str, Spec]:
    """Histories Alembic refuses; only the error is recorded."""
    return {
        "cycle": [["aaaa", "bbbb", None, None], ["bbbb", "aaaa", None, None]],
        "cycle_with_base": [
            ["x000", None, None, None],
            ["a000", ("b000", "x000"), None, None],
            ["b000", "a000", None, None],
            ["c000", "x000", None, None],
        ],
        "cycle_off_to_side": [
            ["z000", None, None, None],
            ["y000", "z000", None, None],
            ["q000", "y000", None, None],
            ["b000", ("q000", "y200"), None, None],
            ["y200", "y300", None, None],
            ["y300", "y200", None, None],
        ],
        "dependency_cycle": [
            ["z000", None, None, None],
            ["q000", None, "r000", None],
            ["r000", None, "s000", None],
            ["s000", None, "q000", None],
            ["k000", "z000", None, None],
        ],
        "dependency_cycle_no_real_head": [
            ["x000", None, None, None],
            ["a000", "x000", "b000", None],
            ["b000", "x000", "a000", None],
        ],
        # Cycles that a head reaches from above and a base from below: Alembic
        # builds these maps anyway; limbeck rejects them (see the parity test).
        "cycle_between_head_and_base": [
            ["x000", None, None, None],
            ["y000", ("x000", "z000"), None, None],
            ["z000", "y000", None, None],
            ["h000", "z000", None, None],
        ],
        "dependency_cycle_between_head_and_base": [
            ["z000", None, None, None],
            ["y000", "z000", "c200", None],
            ["c100", "z000", "c200", None],
            ["c200", "z000", "c100", None],
            ["k000", "z000", None, None],
        ],
        "dangling_down": [["a000", None, None, None], ["b000", "zzzz", None, None]],
        "dangling_dep": [["a000", None, None, None], ["b000", "a000", "zzzz", None]],
        "down_names_label": [["a000", None, None, "L"], ["b000", "L", None, None]],
        "duplicate_label": [["a000", None, None, "L"], ["b000", "a000", None, "L"]],
        "label_is_revision": [["a000", None, None, "b000"], ["b000", "a000", None, None]],
        "label_twice_in_one": [["a000", None, None, ("q", "q")]],
        "label_and_dangling": [["a000", None, None, "L"], ["b000", "zzzz", None, "L"]],
        "dangling_dep_and_down": [["b000", "a000", "qqqq", None], ["c000", "zzzz", None, None]],
    }


_PREFIXES = ("a", "ab", "abc", "b1", "c", "f0", "ff", "3", "34", "9e")


def _random_id(rng: random.Random, taken: set[str]) -> str:
    while True:
        rid = rng.choice(_PREFIXES) + "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(1, 4)))
        if rid not in taken:
            taken.add(rid)
            return rid


def random_graph(seed: int, size: int, *, multi_deps: bool = False, shuffle: bool = False) -> Spec:
    """A seeded random history: chains, branches, merges, several bases, labels, depends_on."""
    rng = random.Random(seed)
    taken: set[str] = set()
    revs: list[list[Any]] = []
    heads: list[str] = []
    labels = 0
    for i in range(size):
        rid = _random_id(rng, taken)
        roll = rng.random()
        if i == 0 or roll < 0.07:
            down: Any = None
        elif roll < 0.22 and len(heads) > 1:
            down = tuple(rng.sample(heads, rng.choice((2, 2, 3)) if len(heads) > 2 else 2))
        elif roll < 0.4:
            down = rng.choice(revs)[0]
        else:
            down = heads[-1] if heads else rng.choice(revs)[0]
        deps: Any = None
        if revs and rng.random() < 0.15:
            deps = rng.choice(revs)[0]
            if labels and rng.random() < 0.2:
                deps = f"lb{rng.randrange(labels)}"
        if multi_deps and len(revs) > 3 and rng.random() < 0.2:
            deps = tuple(dict.fromkeys(rng.choice(revs)[0] for _ in range(3)))
        label: Any = None
        if rng.random() < 0.12:
            label = f"lb{labels}"
            labels += 1
        revs.append([rid, down, deps, label])
        parents = set(down) if isinstance(down, tuple) else {down}
        heads = [h for h in heads if h not in parents] + [rid]
    # A down_revision given as a one-element list/tuple or a list is legal too.
    for rev in revs:
        if isinstance(rev[1], tuple) and rng.random() < 0.3:
            rev[1] = list(rev[1])
    if shuffle:
        rng.shuffle(revs)
    return revs


def random_graphs() -> dict[str, Spec]:
    graphs = {}
    for seed in range(14):
        graphs[f"random_{seed}"] = random_graph(seed, 12 + seed * 2, shuffle=seed % 3 == 2)
    for seed in range(100, 104):
        graphs[f"random_multideps_{seed}"] = random_graph(seed, 16, multi_deps=True)
    return graphs


# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------


def _ids(spec: Spec) -> list[str]:
    return list(dict.fromkeys(r[0] for r in spec))


def _labels(spec: Spec) -> list[str]:
    out: list[str] = []
    for r in spec:
        lab = r[3]
        out.extend([lab] if isinstance(lab, str) else list(lab or ()))
    return list(dict.fromkeys(out))


def identifiers(spec: Spec, rng: random.Random) -> list[Any]:
    """Every identifier form the docs describe, over this graph's ids and labels."""
    ids = _ids(spec)
    labels = _labels(spec)
    forms: list[Any] = ["head", "heads", "base", None, "", "+1", "+2", "-1", "-2", "-9", "+0", "-0", "-01",
                        "base+1", "base+2", "head-1", "heads-1", "@head", "nolabel@head", "zzzzzz"]
    forms += ids
    for rid in ids:
        forms += [rid[:n] for n in (1, 2, 3, 4, 5) if n < len(rid)]
    for rid in rng.sample(ids, min(len(ids), 6)):
        forms += [f"{rid}+1", f"{rid}-1", f"{rid}+2", f"{rid}-2", f"{rid}@head", f"{rid}@base", f"{rid[:4]}+1"]
    for lab in labels:
        forms += [lab, f"{lab}@head", f"{lab}@heads", f"{lab}@base", f"{lab}@+1", f"{lab}@-1", f"{lab}@+2",
                  f"{lab}@base+1"]
        for rid in rng.sample(ids, min(len(ids), 3)):
            forms += [f"{lab}@{rid}", f"{lab}@{rid[:3]}", f"{lab}@{rid}+1", f"{lab}@{rid}-1"]
    return list(dict.fromkeys(forms))


def _sample(rng: random.Random, items: list[Any], k: int) -> list[Any]:
    return rng.sample(items, min(k, len(items)))


def queries_for(spec: Spec, seed: int, scale: int) -> list[Query]:
    rng = random.Random(seed)
    ids = _ids(spec)
    labels = _labels(spec)
    forms = identifiers(spec, rng)
    qs: list[Query] = [["build"]]
    for form in forms:
        qs.append(["get_revisions", form])
        qs.append(["get_revision", form])
    for form in _sample(rng, forms, 25 * scale):
        qs.append(["_get_base_revisions", form])
    qs.append(["get_revisions", {"t": ids[:3]}])
    qs.append(["get_revisions", ids[-3:]])
    qs.append(["get_revision", {"t": ids[:2]}])
    for lab in [None, *labels, *_sample(rng, ids, 5)]:
        qs.append(["get_current_head", lab])
    if not ids:
        return qs
    endpoints = forms + [{"t": tuple(_sample(rng, ids, 2))} for _ in range(6)]
    for _ in range(60 * scale):
        upper, lower = rng.choice(endpoints), rng.choice(endpoints)
        implicit_base, inclusive = rng.random() < 0.5, rng.random() < 0.3
        qs.append(["iterate_revisions", upper, lower, implicit_base, inclusive, rng.random() < 0.8, False])
        qs.append(["iterate_revisions", lower, upper, implicit_base, inclusive, rng.random() < 0.8, True])
    for upper in ["heads", "head", *labels_at(labels, "head"), *_sample(rng, ids, 6)]:
        qs.append(["iterate_revisions", upper, "base", False, True, False, False])
        qs.append(["iterate_revisions", upper, None, True, False, True, False])
        for lower in _sample(rng, ids, 3):
            qs.append(["iterate_revisions", upper, lower, True, False, True, False])
            qs.append(["iterate_revisions", lower, upper, False, False, True, True])
    for _ in range(12 * scale):
        targets = _sample(rng, ids, rng.randint(0, 4))
        qs.append(["filter_for_lineage", targets, rng.choice(forms), rng.random() < 0.5])
        qs.append(["_get_ancestor_nodes", {"revs": targets}, rng.random() < 0.5, rng.random() < 0.5])
        qs.append(["_get_descendant_nodes", {"revs": targets}, rng.random() < 0.5, rng.random() < 0.3,
                   rng.random() < 0.5])
        qs.append(["_shares_lineage", rng.choice(ids), _sample(rng, ids + labels, rng.randint(0, 3)),
                   rng.random() < 0.5])
        qs.append(["_get_all_current", {"t": tuple(targets)}])
        qs.append(["_filter_into_branch_heads", {"revs": targets}])
        # Arbitrary subsets, with every member offered as a head (so the sort
        # must cope with heads below other heads), or with a few heads only.
        subset = _sample(rng, ids, rng.randint(0, len(ids)))
        qs.append(["_topological_sort", {"revs": subset}, {"revs": rng.sample(subset, len(subset))}])
        qs.append(["_topological_sort", {"revs": subset}, {"revs": _sample(rng, ids, rng.randint(0, 4))}])
    for _ in range(15 * scale):
        start = rng.choice([None, "base", *ids])
        qs.append(["_walk", start, rng.randint(-3, 3), rng.choice([None, None, *labels]), rng.random() < 0.7])
        current = rng.choice([None, "heads", {"t": tuple(_sample(rng, ids, 2))}, rng.choice(ids)])
        qs.append(["_parse_upgrade_target", current, rng.choice(forms), rng.random() < 0.7])
        qs.append(["_parse_downgrade_target", current, rng.choice(forms), rng.random() < 0.7])
    return qs


def labels_at(labels: list[str], what: str) -> list[str]:
    return [f"{lab}@{what}" for lab in labels]


def add_revision_scenarios() -> list[dict[str, Any]]:
    """Maps grown one revision at a time, as ``revision`` does after writing a file."""
    base = [["a000", None, None, None], ["b000", "a000", None, "L"], ["c000", "b000", None, None],
            ["x000", "a000", None, None]]
    return [
        {"name": "add_chain", "spec": base, "add": [["d000", "c000", None, None, False]]},
        {"name": "add_labelled", "spec": base, "add": [["d000", "c000", None, "E", False]]},
        {"name": "add_labelled_branch", "spec": base[:3], "add": [["e000", "c000", None, "E", False]]},
        {"name": "add_dependent", "spec": base,
         "add": [["d000", "c000", None, None, False], ["f000", "x000", "d000", None, False]]},
        {"name": "add_base", "spec": [], "add": [["q000", None, None, None, False]]},
        {"name": "add_replace_missing", "spec": base, "add": [["zz00", "a000", None, None, True]]},
        {"name": "add_replace", "spec": base, "add": [["c000", "b000", None, None, True]]},
        {"name": "add_duplicate", "spec": base, "add": [["a000", None, None, None, False]]},
        {"name": "add_dangling", "spec": base, "add": [["g000", "nope", None, None, False]]},
        {"name": "add_label_taken", "spec": base, "add": [["g000", "c000", None, "L", False]]},
        {"name": "add_merge", "spec": base, "add": [["m000", ("c000", "x000"), None, "M", False]]},
    ]


def constructor_cases() -> list[list[Any]]:
    """Revision(...) arguments, valid and invalid."""
    return [
        ["a-b", None, None, None], ["a+b", None, None, None], ["a@b", None, None, None], ["a:b", None, None, None],
        ["a-b+c@d", None, None, None], ["a b", None, None, None], ["a.b", None, None, None],
        ["a", "a", None, None], ["a", ["b", "a"], None, None], ["a", None, "a", None], ["a", None, ["x", "a"], None],
        ["a-b", "a-b", None, None], ["a-b", None, "a-b", None],
        ["a", ["b"], None, None], ["a", ("b", "c"), "d", ["x", "y"]], ["a", [], [], None], ["a", "", "", None],
        ["a", ("b", "c", "b"), ("d",), "l"],
    ]


# ---------------------------------------------------------------------------
# Running questions (shared with the tests, which pass limbeck's module)
# ---------------------------------------------------------------------------


def decode(arg: Any, rmap: Any) -> Any:
    """Turn a JSON argument back into what the API takes."""
    if isinstance(arg, dict):
        if "t" in arg:
            return tuple(arg["t"])
        if "revs" in arg:
            return [rmap._revision_map[r] for r in arg["revs"]]
    return arg


def encode(value: Any, revision_cls: type) -> Any:
    """A JSON form of an answer: revisions become their ids."""
    if isinstance(value, revision_cls):
        return value.revision
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, (set, frozenset)):
        return sorted((encode(v, revision_cls) for v in value), key=json.dumps)
    if isinstance(value, (list, tuple)):
        return [encode(v, revision_cls) for v in value]
    return value


def build(module: Any, spec: Spec) -> Any:
    revs = [module.Revision(r, _tup(d), _tup(dep), _tup(lab)) for r, d, dep, lab in spec]
    return module.RevisionMap(lambda: revs)


def _tup(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def describe(rmap: Any, revision_cls: type) -> dict[str, Any]:
    """Everything the built map says about itself and each revision."""
    out: dict[str, Any] = {
        "heads": list(rmap.heads), "bases": list(rmap.bases),
        "real_heads": list(rmap._real_heads), "real_bases": list(rmap._real_bases),
        # Alembic adds branch-label keys in an arbitrary order: compare them as a set.
        "keys": [k for k, r in rmap._revision_map.items() if r is not None and k == r.revision],
        "label_keys": sorted(k for k, r in rmap._revision_map.items() if r is not None and k != r.revision),
    }
    revs = {}
    for key, rev in rmap._revision_map.items():
        if rev is None or key != rev.revision:
            continue
        revs[key] = {
            "down_revision": encode(rev.down_revision, revision_cls), "dependencies": encode(rev.dependencies, revision_cls),
            "nextrev": sorted(rev.nextrev), "all_nextrev": sorted(rev._all_nextrev),
            "branch_labels": sorted(rev.branch_labels),
            "resolved": list(rev._resolved_dependencies),
            "normalized": list(rev._normalized_resolved_dependencies),
            "normalized_down": list(rev._normalized_down_revisions), "all_down": list(rev._all_down_revisions),
            "versioned_down": list(rev._versioned_down_revisions),
            "flags": [rev.is_head, rev._is_real_head, rev.is_base, rev._is_real_base, rev.is_branch_point,
                      rev._is_real_branch_point, rev.is_merge_point],
        }
    out["revisions"] = revs
    return out


def run_query(module: Any, rmap: Any, query: Query) -> Any:
    """Ask one question; returns the encoded answer."""
    op, *args = query
    cls = module.Revision
    if op == "build":
        return describe(rmap, cls)
    args = [decode(a, rmap) for a in args]
    if op == "iterate_revisions":
        upper, lower, implicit_base, inclusive, arl, downgrade = args
        value: Any = list(rmap.iterate_revisions(upper, lower, implicit_base=implicit_base, inclusive=inclusive,
                                                  assert_relative_length=arl, select_for_downgrade=downgrade))
    elif op == "_get_ancestor_nodes":
        value = list(rmap._get_ancestor_nodes(args[0], check=args[1], include_dependencies=args[2]))
    elif op == "_get_descendant_nodes":
        value = set(rmap._get_descendant_nodes(args[0], check=args[1], omit_immediate_dependencies=args[2],
                                               include_dependencies=args[3]))
    elif op == "_shares_lineage":
        value = rmap._shares_lineage(args[0], args[1], include_dependencies=args[2])
    elif op == "filter_for_lineage":
        value = rmap.filter_for_lineage(args[0], args[1], include_dependencies=args[2])
    elif op in ("_get_all_current", "_filter_into_branch_heads"):
        value = set(getattr(rmap, op)(args[0]))
    elif op == "_walk":
        value = rmap._walk(args[0], args[1], branch_label=args[2], no_overwalk=args[3])
    elif op in ("_parse_upgrade_target", "_parse_downgrade_target"):
        value = getattr(rmap, op)(args[0], args[1], args[2])
    else:
        value = getattr(rmap, op)(*args)
    return encode(value, cls)


def answer(fn: Any) -> dict[str, Any]:
    """Run *fn*, capturing its encoded value or its error, and any warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: dict[str, Any] = {"ok": fn()}
        except Exception as err:  # noqa: BLE001 - recording whatever Alembic raises
            result = {"err": type(err).__name__, "msg": _canonical_message(str(err))}
    if caught:
        result["warn"] = [str(w.message) for w in caught]
    return result


_OVERLAP = "overlaps with other requested revisions "


def _canonical_message(text: str) -> str:
    """Sort the revisions an overlap error lists: Alembic lists them in set order."""
    head, sep, names = text.partition(_OVERLAP)
    if not sep:
        return text
    return head + sep + ", ".join(sorted(names.split(", ")))


def record_graph(module: Any, spec: Spec, queries: list[Query]) -> list[dict[str, Any]]:
    rmap = build(module, spec)
    first = answer(lambda: describe(rmap, module.Revision))
    if "err" in first:
        return [first]
    return [answer(lambda q=q: run_query(module, rmap, q)) for q in queries]


def record_add(module: Any, scenario: dict[str, Any]) -> list[dict[str, Any]]:
    rmap = build(module, scenario["spec"])
    results = [answer(lambda: describe(rmap, module.Revision))]
    for rid, down, deps, labels, replace in scenario["add"]:
        rev = module.Revision(rid, _tup(down), _tup(deps), _tup(labels))
        results.append(answer(lambda rev=rev, replace=replace: rmap.add_revision(rev, _replace=replace)))
        results.append(answer(lambda: describe(rmap, module.Revision)))
    return results


def record_constructor(module: Any, case: list[Any]) -> dict[str, Any]:
    def make() -> Any:
        rev = module.Revision(case[0], _tup(case[1]), _tup(case[2]), _tup(case[3]))
        return [encode(rev.down_revision, module.Revision), encode(rev.dependencies, module.Revision),
                sorted(rev.branch_labels),
                list(rev._versioned_down_revisions), rev.is_base, rev._is_real_base, rev.is_merge_point]
    return answer(make)


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def all_cases() -> dict[str, Any]:
    graphs = {**handwritten_graphs(), **random_graphs()}
    cases: dict[str, Any] = {}
    for i, (name, spec) in enumerate(graphs.items()):
        scale = 2 if name.startswith("random") and len(spec) > 20 else 1
        cases[name] = {"spec": spec, "queries": queries_for(spec, 1000 + i, scale)}
    return cases


def worker() -> dict[str, Any]:
    from alembic.script import revision as alembic_revision

    out: dict[str, Any] = {"graphs": {}, "broken": {}, "add": {}, "constructor": []}
    for name, case in all_cases().items():
        out["graphs"][name] = record_graph(alembic_revision, case["spec"], case["queries"])
    for name, spec in broken_graphs().items():
        rmap = build(alembic_revision, spec)
        out["broken"][name] = answer(lambda rmap=rmap: describe(rmap, alembic_revision.Revision))
    for scenario in add_revision_scenarios():
        out["add"][scenario["name"]] = record_add(alembic_revision, scenario)
    out["constructor"] = [record_constructor(alembic_revision, c) for c in constructor_cases()]
    return out


def merge(runs: list[Any]) -> Any:
    """Collapse per-seed answers: one value where they agree, else ``{"variants": [...]}``.

    Dicts are merged key by key and lists of answers element by element, so a
    hash-order difference marks only the value that differs.
    """
    first = runs[0]
    if all(r == first for r in runs[1:]):
        return first
    if all(isinstance(r, dict) and r.keys() == first.keys() for r in runs):
        return {k: merge([r[k] for r in runs]) for k in first}
    if all(isinstance(r, list) and len(r) == len(first) for r in runs) and _is_answer_list(first):
        return [merge([r[i] for r in runs]) for i in range(len(first))]
    variants: list[Any] = []
    for r in runs:
        if r not in variants:
            variants.append(r)
    return {"variants": variants}


def _is_answer_list(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and ("ok" in i or "err" in i) for i in items)


def main() -> None:
    if "--worker" in sys.argv:
        json.dump(worker(), sys.stdout)
        return
    runs = []
    for seed in SEEDS:
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, __file__, "--worker"], env=env, capture_output=True, text=True,
                              check=True)
        runs.append(json.loads(proc.stdout))
    merged = merge(runs)
    import alembic

    FIXTURES.mkdir(parents=True, exist_ok=True)
    cases = all_cases()
    graphs = {
        name: {"spec": case["spec"], "queries": case["queries"], "answers": merged["graphs"][name]}
        for name, case in cases.items()
    }
    hand = {k: v for k, v in graphs.items() if not k.startswith("random")}
    rand = {k: v for k, v in graphs.items() if k.startswith("random")}
    meta = {"alembic": alembic.__version__, "seeds": list(SEEDS), "recorded_by": "tests/parity/record_revisions.py"}
    _write("graphs_handwritten.json", {"meta": meta, "graphs": hand})
    _write("graphs_random.json", {"meta": meta, "graphs": rand})
    broken = {name: {"spec": spec, "answer": merged["broken"][name]} for name, spec in broken_graphs().items()}
    adds = {s["name"]: {**s, "answers": merged["add"][s["name"]]} for s in add_revision_scenarios()}
    ctor = [{"args": c, "answer": a} for c, a in zip(constructor_cases(), merged["constructor"])]
    _write("errors_and_growth.json", {"meta": meta, "broken": broken, "add_revision": adds, "constructor": ctor})


def _write(name: str, data: Any) -> None:
    path = FIXTURES / name
    path.write_text(json.dumps(data, indent=None, separators=(",", ":"), sort_keys=False) + "\n")
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
