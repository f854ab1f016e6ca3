"""Write a deterministic migration project for benchmarking.

    python bench/generate.py --revisions 1000 --shape branchy --style alembic --out DIR

The same arguments always give byte-identical files: every random choice
comes from generators seeded with ``--seed`` (one stream each for ids, graph
shape and DDL, so changing one aspect does not reshuffle the others), and
create dates advance from a fixed start instead of the clock.

The project is complete: a config file (``alembic.ini`` or ``limbeck.ini``),
``migrations/env.py``, ``migrations/script.py.mako`` and
``migrations/versions/*.py``. With ``--portable`` (the default) every revision
runs online on SQLite without batch mode; ``--no-portable`` adds
alter_column / drop_column revisions that only offline or non-SQLite targets
can take.
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
import sys
from pathlib import Path

from autogen_changes import AutogenLane, autogen_change
from changes import Context, pick_change
from render import RevisionText, fixed_files, revision_file
from schema import Lane, Table
from shapes import Step, branchy, linear

DEFAULT_URL = "sqlite:///%(here)s/bench.db"
START_DATE = datetime.datetime(2024, 1, 2, 9, 0, 0, 1)
SECOND_CHANGE_CHANCE = 0.3
KINDS = ("classic", "autogen")


def _rev_ids(count: int, rng: random.Random) -> list[str]:
    ids: list[str] = []
    seen: set[str] = set()
    while len(ids) < count:
        rev = f"{rng.getrandbits(48):012x}"
        if rev not in seen:
            seen.add(rev)
            ids.append(rev)
    return ids


def _ancestry(steps: list[Step]) -> list[int]:
    """Ancestor sets as bit masks: bit j of masks[i] is set when j is an ancestor of i."""
    masks: list[int] = []
    for step in steps:
        mask = 0
        for parent in step.parents:
            mask |= masks[parent] | (1 << parent)
        masks.append(mask)
    return masks


def _dependable(steps: list[Step]) -> set[int]:
    """Revisions a depends_on may name: those with a child that are never merged.

    Alembic drops a depended-on revision from the version table once the
    dependent is applied, and then fails (KeyError in offline mode) when a
    later merge names that revision as a parent. Real projects avoid that
    shape, so the generator does too.
    """
    merged = {p for s in steps if s.is_merge for p in s.parents}
    with_child = {p for s in steps for p in s.parents}
    return with_child - merged


class _History:
    """Walks the graph once, giving each revision its DDL and header fields."""

    def __init__(self, steps: list[Step], seed: int, portable: bool, kind: str = "classic") -> None:
        self.steps = steps
        self.portable = portable
        self.kind = kind
        self.autogen_lanes: dict[int, AutogenLane] = {}
        self.ids = _rev_ids(len(steps), random.Random(f"ids:{seed}"))
        self.rng = random.Random(f"ddl:{seed}")
        self.ancestry = _ancestry(steps)
        self.dependable = _dependable(steps)
        self.lanes: dict[int, Lane] = {}
        self.heads: dict[int, int] = {}  # open lane -> index of its head
        self.when = START_DATE

    def revisions(self) -> list[RevisionText]:
        return [self._revision(step) for step in self.steps]

    def _foreign(self, step: Step) -> list[tuple[Table, str]]:
        """Tables of other open lanes whose head may be depended on from here."""
        mine = self.ancestry[step.parents[0]] | (1 << step.parents[0]) if step.parents else 0
        found = []
        for lane, head in sorted(self.heads.items()):
            if lane == step.lane or (mine >> head) & 1 or head not in self.dependable:
                continue
            for name in sorted(self.lanes[lane].tables):
                found.append((self.lanes[lane].tables[name], self.ids[head]))
        return found

    def _revision(self, step: Step) -> RevisionText:
        self.when += datetime.timedelta(minutes=self.rng.randint(5, 900), microseconds=self.rng.randint(1, 999_999))
        text = RevisionText(
            rev_id=self.ids[step.index],
            down=tuple(self.ids[p] for p in step.parents),
            message="",
            create_date=str(self.when),
            branch_labels=(step.label,) if step.label else (),
        )
        lane = self.lanes.setdefault(step.lane, Lane())
        if step.is_merge:
            for closed in step.merged_lanes:
                lane.absorb(self.lanes.pop(closed))
                del self.heads[closed]
                if closed in self.autogen_lanes:
                    self.autogen_lanes.setdefault(step.lane, AutogenLane()).absorb(self.autogen_lanes.pop(closed))
            text.message = "merge " + " and ".join(text.down)
        else:
            self._fill(step, lane, text)
        self.heads[step.lane] = step.index
        return text

    def _fill(self, step: Step, lane: Lane, text: RevisionText) -> None:
        if self.kind == "autogen":
            extra = self.autogen_lanes.setdefault(step.lane, AutogenLane())
            change = autogen_change(self.rng, str(step.index), lane, extra)
            text.message, text.up, text.down_ops = change.message, change.up, change.down
            return
        ctx = Context(self.rng, str(step.index), lane, self.portable, self._foreign(step))
        changes = [pick_change(ctx)]
        if self.rng.random() < SECOND_CHANGE_CHANCE:
            ctx.foreign, ctx.suffix = [], f"{step.index}b"
            changes.append(pick_change(ctx))
        text.message = ", ".join(c.message for c in changes)
        text.depends_on = tuple(dict.fromkeys(d for c in changes for d in c.depends_on))
        for change in changes:
            text.up += ([""] if text.up else []) + change.up
        for change in reversed(changes):
            text.down_ops += ([""] if text.down_ops else []) + change.down


def build_history(
    count: int, shape: str, *, seed: int = 0, portable: bool = True, heads_left: int = 1, kind: str = "classic"
) -> list[RevisionText]:
    """The revisions of a generated history, in a topological order.

    ``kind``: ``classic`` (one or two small changes per revision, changes.py) or
    ``autogen`` (several operations per revision, autogen_changes.py).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} ({' or '.join(KINDS)})")
    if shape == "linear":
        if heads_left != 1:
            raise ValueError("a linear history has exactly one head")
        steps = linear(count)
    elif shape == "branchy":
        steps = branchy(count, heads_left, random.Random(f"shape:{seed}"))
    else:
        raise ValueError(f"unknown shape {shape!r} (linear or branchy)")
    return _History(steps, seed, portable, kind).revisions()


def write_project(out: Path, revisions: list[RevisionText], *, style: str, url: str = DEFAULT_URL) -> Path:
    """Write the project under ``out``; returns the path of its config file.

    A previous ``migrations/`` there is replaced, so stale revision files of an
    earlier, different history never mix in.
    """
    if style not in ("alembic", "limbeck"):
        raise ValueError(f"unknown style {style!r} (alembic or limbeck)")
    shutil.rmtree(out / "migrations", ignore_errors=True)
    versions = out / "migrations" / "versions"
    versions.mkdir(parents=True)
    for rel, text in fixed_files(style, url).items():
        (out / rel).write_bytes(text.encode("utf-8"))
    for rev in revisions:
        (versions / rev.filename).write_bytes(revision_file(rev, style).encode("utf-8"))
    return out / f"{style}.ini"


def generate(
    out: Path, count: int, shape: str, style: str, *, seed: int = 0, portable: bool = True,
    heads_left: int = 1, url: str = DEFAULT_URL, kind: str = "classic",
) -> list[RevisionText]:
    """Build a history and write it as a project; returns the revisions written."""
    revisions = build_history(count, shape, seed=seed, portable=portable, heads_left=heads_left, kind=kind)
    write_project(out, revisions, style=style, url=url)
    return revisions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revisions", type=int, required=True, help="number of revision files")
    parser.add_argument("--shape", choices=("linear", "branchy"), default="linear")
    parser.add_argument("--style", choices=("limbeck", "alembic"), default="alembic",
                        help="package the scripts import op/context from; names the config file")
    parser.add_argument("--out", type=Path, required=True, help="project directory to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heads-left", type=int, default=1, help="heads the branchy history ends with")
    parser.add_argument("--portable", action=argparse.BooleanOptionalAction, default=True,
                        help="only DDL SQLite runs without batch mode (default on)")
    parser.add_argument("--url", default=DEFAULT_URL, help="sqlalchemy.url written to the config")
    parser.add_argument("--kind", choices=KINDS, default="classic",
                        help="classic: one or two small changes per revision; autogen: several operations "
                             "per revision, as autogenerate writes them (for --sql runs)")
    args = parser.parse_args(argv)
    if args.revisions < 1:
        parser.error("--revisions must be at least 1")
    try:
        revisions = generate(args.out, args.revisions, args.shape, args.style, seed=args.seed,
                             portable=args.portable, heads_left=args.heads_left, url=args.url,
                             kind=args.kind)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"wrote {len(revisions)} revisions to {args.out / 'migrations' / 'versions'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
