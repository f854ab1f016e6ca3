"""The benchmark scenarios: which command, on which generated tree, prepared how.

Every tree is alembic-style (``alembic.ini``, ``from alembic import op``),
because limbeck must run Alembic projects unchanged and both tools then
measure the very same files. Trees are regenerated at the start of a run
(deterministic, so they are the same every time) under ``bench/out/``.

Unless a scenario's name ends in ``-cached``, every ``__pycache__`` of the
project is deleted before each timed run, so neither tool profits from
bytecode or header caches left by an earlier run: that is a fresh checkout,
what CI and a new developer see. The ``-cached`` variants keep them (after an
untimed warm-up run has filled them), which is a developer's second run: the
``--sql`` ones let Alembic read its ``.pyc`` files (one per revision file, and
env.py's) and limbeck its code, header and graph caches (one file each in the
versions directory's ``__pycache__``), each tool what it wrote itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generate import generate
from measure import clear_pycache
from render import RevisionText

LINEARITY_SIZES = (250, 500, 1000, 2000)
DB_NAME = "bench.db"


@dataclass(frozen=True)
class Tree:
    """A generated project: its size, shape and the database its config names."""

    revisions: int
    dialect: str  # "sqlite" (runs online, portable DDL) or "postgresql" (offline only)
    shape: str = "branchy"
    # Online runs commit per revision, and SQLite syncs the file on every
    # commit: on a plain disk that is seconds of fsync for 100 revisions,
    # the same for both tools, which would hide what the tools cost. Such
    # trees live on a RAM-backed file system when there is one.
    ram: bool = False
    #: "classic" (changes.py) or "autogen" (autogen_changes.py: autogenerate-shaped revisions)
    kind: str = "classic"

    @property
    def dirname(self) -> str:
        kind = "" if self.kind == "classic" else f"-{self.kind}"
        return f"alembic-{self.shape}-{self.revisions}-{self.dialect}{kind}"

    @property
    def url(self) -> str:
        if self.dialect == "sqlite":
            return f"sqlite:///%(here)s/{DB_NAME}"
        return "postgresql://localhost/bench"

    def build(self, root: Path) -> tuple[Path, list[str]]:
        """Write the tree under ``root``; returns its directory and its head ids."""
        path = root / self.dirname
        path.mkdir(parents=True, exist_ok=True)
        revisions = generate(path, self.revisions, self.shape, "alembic",
                             portable=self.dialect == "sqlite", url=self.url, kind=self.kind)
        return path, heads_of(revisions)


def heads_of(revisions: list[RevisionText]) -> list[str]:
    """Revisions nothing revises; what ``heads`` should print, in file order."""
    parents = {p for rev in revisions for p in rev.down}
    return [rev.rev_id for rev in revisions if rev.rev_id not in parents]


def stamp(project: Path, heads: list[str]) -> None:
    """Make ``bench.db`` look migrated to ``heads`` without running anything."""
    db = project / DB_NAME
    db.unlink(missing_ok=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        conn.executemany("INSERT INTO alembic_version (version_num) VALUES (?)", [(h,) for h in heads])
    conn.close()


def fresh_database(project: Path) -> None:
    clear_pycache(project)
    (project / DB_NAME).unlink(missing_ok=True)


@dataclass(frozen=True)
class Scenario:
    """One timed command.

    ``before_each`` runs (untimed) before every run of either tool;
    ``setup`` once after the tree is written. ``key`` identifies the
    measurement, so the linearity report can reuse e.g. ``heads-1k``.
    """

    name: str
    what: str
    args: tuple[str, ...]
    tree: Tree | None = None
    before_each: Callable[[Path], None] | None = clear_pycache
    setup: Callable[[Path, list[str]], None] | None = None
    group: str = "main"
    revisions: int = 0
    #: extra environment for the limbeck runs (Alembic ignores LIMBECK_* anyway)
    env: tuple[tuple[str, str], ...] = ()
    #: both tools pinned to one core (``taskset -c 0``): the issue's single-core targets
    one_core: bool = False

    @property
    def lists_revisions(self) -> bool:
        """Output is a revision listing, where label order carries no meaning."""
        return bool(self.args) and self.args[0] in ("heads", "history", "current", "branches")

    @property
    def key(self) -> tuple[object, ...]:
        return (self.args, self.tree, self.before_each, self.setup, self.env, self.one_core)


def _sized(verb: str, n: int, *, cached: bool = False, group: str = "main", name: str | None = None) -> Scenario:
    label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    return Scenario(
        name=name or f"{verb}-{label}{'-cached' if cached else ''}",
        what=f"`{verb}` on {n} revisions" + (", caches kept" if cached else ", no caches"),
        args=(verb,),
        tree=Tree(n, "sqlite"),
        before_each=None if cached else clear_pycache,
        group=group,
        revisions=n,
    )


def _sql(direction: str, n: int, group: str = "main", name: str | None = None, *, kind: str = "classic",
         shape: str = "branchy", one_cpu: bool = False, cached: bool = False) -> Scenario:
    rng = "base:head" if direction == "upgrade" else "head:base"
    label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    suffix = "" if kind == "classic" else f"-{kind}-{shape}"
    what = f"`{direction} {rng} --sql` on {n} revisions, postgresql dialect"
    if kind != "classic":
        what += f", {shape}, autogenerate-shaped revisions"
    if one_cpu:
        what += ", `LIMBECK_PRECOMPILE=0`, both tools pinned to one core (`taskset -c 0`)"
    # warm: each tool reads what its previous run left, Alembic the revision files' and env.py's
    # __pycache__/*.pyc, limbeck its code, header and graph caches (versions/__pycache__/limbeck-*)
    what += ", caches kept" if cached else ", no caches"
    return Scenario(
        name=name or f"{direction}-sql-{label}{suffix}{'-1cpu' if one_cpu else ''}{'-cached' if cached else ''}",
        what=what,
        args=(direction, rng, "--sql"),
        tree=Tree(n, "postgresql", shape=shape, kind=kind),
        before_each=None if cached else clear_pycache,
        group=group,
        revisions=n,
        env=(("LIMBECK_PRECOMPILE", "0"),) if one_cpu else (),
        one_core=one_cpu,
    )


def main_scenarios() -> list[Scenario]:
    found = [Scenario("help", "`--help`, no project", ("--help",), before_each=None)]
    for n in (1000, 5000):
        for verb in ("heads", "history"):
            found += [_sized(verb, n), _sized(verb, n, cached=True)]
    found += [_sized("branches", 5000), _sized("branches", 5000, cached=True)]
    found += [
        _sql("upgrade", 1000),
        _sql("downgrade", 1000),
    ]
    for shape in ("linear", "branchy"):
        for direction in ("upgrade", "downgrade"):
            for cached in (False, True):
                found += [_sql(direction, 1000, kind="autogen", shape=shape, cached=cached),
                          _sql(direction, 1000, kind="autogen", shape=shape, one_cpu=True, cached=cached)]
    found += [
        Scenario("current-5k", "`current` on 5000 revisions, SQLite stamped at head", ("current",),
                 Tree(5000, "sqlite"), setup=stamp, revisions=5000),
        Scenario("current-5k-cached", "`current` on 5000 revisions, SQLite stamped at head, caches kept",
                 ("current",), Tree(5000, "sqlite"), setup=stamp, revisions=5000, before_each=None),
        Scenario("upgrade-online-100", "`upgrade head` on 100 revisions into a new SQLite file",
                 ("upgrade", "head"), Tree(100, "sqlite", ram=True), before_each=fresh_database,
                 revisions=100),
    ]
    return found


def linearity_scenarios() -> list[Scenario]:
    found = []
    for n in LINEARITY_SIZES:
        found.append(_sized("heads", n, group="linearity", name=f"linearity:heads-{n}"))
        found.append(_sized("history", n, group="linearity", name=f"linearity:history-{n}"))
        found.append(_sql("upgrade", n, group="linearity", name=f"linearity:upgrade-sql-{n}"))
    return found


def all_scenarios() -> list[Scenario]:
    return main_scenarios() + linearity_scenarios()


def select(patterns: list[str]) -> list[Scenario]:
    """Scenarios matching any of ``patterns`` (names, globs, ``all`` or ``linearity``).

    Raises:
        ValueError: a pattern matches nothing (names the pattern).
    """
    from fnmatch import fnmatchcase

    everything = all_scenarios()
    chosen: list[Scenario] = []
    for pattern in patterns or ["all"]:
        if pattern == "all":
            hits = everything
        elif pattern == "linearity":
            hits = [s for s in everything if s.group == "linearity"]
        else:
            hits = [s for s in everything if fnmatchcase(s.name, pattern)]
        if not hits:
            names = ", ".join(s.name for s in main_scenarios())
            raise ValueError(f"no scenario matches {pattern!r}; known: {names}, linearity, all")
        chosen += [s for s in hits if s not in chosen]
    return chosen
