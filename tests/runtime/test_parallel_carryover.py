"""Parallel offline rendering with state one revision leaves in the process for later ones.

A forked worker starts from the state the parent had before the first step,
so a revision that fills a helper module's set, registers a ``@compiles``
or an event listener inside ``upgrade()`` would leave the revisions of later
slices rendered without it. :class:`limbeck.runtime.carryover.Carryover`
fingerprints that state; each test here renders serially and with three
processes, compares the scripts, shows where the parent took over (the spy
on ``parallel._replay``), and shows that without the check the scripts
differ: the check, not luck, is what makes them the same.

Between two renderings in this process, each test puts the state back as
a fresh process would have it (``reset``).
"""

from __future__ import annotations

import io
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.runtime.carryover import Carryover

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel rendering forks")

BENCH = Path(__file__).resolve().parents[2] / "bench"
JOBS = 3  # 120 steps: the parent renders 0-39, the workers 40-79 and 80-119


def _project(root: Path, special: dict[int, tuple[str, str]], count: int = 120) -> Path:
    """``count`` revisions creating a table and an index each; ``special``: index -> (header, extra upgrade code)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import generate

    generate.write_project(root, [], style="limbeck", url="postgresql://")
    versions = root / "migrations" / "versions"
    for index in range(count):
        header, extra = special.get(index, ("", ""))
        up = (
            f'op.create_table("t{index}", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))\n'
            f'op.create_index("ix_t{index}_name", "t{index}", ["name"])\n{extra}'
        )
        down_rev = repr(f"r{index - 1:04d}") if index else "None"
        (versions / f"r{index:04d}_rev.py").write_text(
            f'"""revision {index}"""\nimport sqlalchemy as sa\nfrom limbeck import op\n{header}\n'
            f'revision = "r{index:04d}"\ndown_revision = {down_rev}\nbranch_labels = None\ndepends_on = None\n\n\n'
            f"def upgrade():\n{textwrap.indent(up, '    ')}\n\n\ndef downgrade():\n    pass\n"
        )
    return root


def _render(root: Path, jobs: int, reset: Callable[[], None]) -> str:
    reset()
    config = Config(str(root / "limbeck.ini"), output_buffer=io.StringIO(), stdout=io.StringIO())
    command.upgrade(config, "base:head", sql=True, jobs=jobs)
    buffer = config.output_buffer
    assert isinstance(buffer, io.StringIO)
    return buffer.getvalue()


def _same_only_with_the_check(
    root: Path, reset: Callable[[], None], replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, list[tuple[int, int, int]]]:
    """The serial script (equal to the parallel one) and the parallel run's replays; unchecked, they differ."""
    monkeypatch.chdir(root)
    serial = _render(root, 1, reset)
    replays.clear()
    assert _render(root, JOBS, reset) == serial
    taken = list(replays)
    with monkeypatch.context() as unchecked:
        unchecked.setattr(Carryover, "changed", staticmethod(lambda *args: False))
        assert _render(root, JOBS, reset) != serial
    reset()
    return serial, taken


# -- a helper module's set ----------------------------------------------------------------------
HELPER = '''
"""What the project's revisions share: the names of the types they created."""
CREATED = set()


def create_once(op, name):
    if name not in CREATED:
        CREATED.add(name)
        op.execute(f"CREATE TYPE {name} AS ENUM ('a', 'b')")
'''


@pytest.fixture
def helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An importable helper module (a fresh name per test), taken out of ``sys.modules`` afterwards."""
    name = f"carry_helper_{abs(hash(str(tmp_path))) % 10**8}"
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / f"{name}.py").write_text(HELPER)
    monkeypatch.syspath_prepend(str(folder))
    module = __import__(name)
    yield module
    sys.modules.pop(name, None)


@pytest.mark.parametrize("first", [10, 50])
def test_helper_module_set_read_by_a_later_revision(
    tmp_path: Path, helper: Any, first: int, replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # revision `first` creates the type; revision 100 (a later worker's slice) must not create it again
    call = f"{helper.__name__}.create_once(op, 'flavour')"
    special = {first: (f"import {helper.__name__}", call), 100: (f"import {helper.__name__}", call)}
    root = _project(tmp_path / "project", special)
    serial, taken = _same_only_with_the_check(root, helper.CREATED.clear, replays, monkeypatch)
    assert serial.count("CREATE TYPE flavour") == 1
    if first < 40:  # the parent's own slice changed it: it renders all the rest itself
        assert taken == []
    else:  # the first worker's slice changed it: the parent renders that slice and the rest
        assert taken == [(40, 0, 40)]


# -- a @compiles registered inside upgrade() ----------------------------------------------------
RUNTIME_COMPILES = '''
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateIndex


@compiles(CreateIndex, "postgresql")
def _tagged(element, compiler, **kw):
    return compiler.visit_create_index(element, **kw) + " /* tagged at run time */"
'''


@pytest.fixture
def restore_create_index() -> Iterator[Callable[[], None]]:
    """Takes back a ``@compiles(CreateIndex)`` a revision registers; also the test's ``reset``."""
    from sqlalchemy.schema import CreateIndex

    keys = ("_compiler_dispatch", "_compiler_dispatcher")
    saved = {key: CreateIndex.__dict__[key] for key in keys if key in CreateIndex.__dict__}

    def restore() -> None:
        for key in keys:
            if key in saved:
                setattr(CreateIndex, key, saved[key])
            elif key in CreateIndex.__dict__:
                delattr(CreateIndex, key)

    yield restore
    restore()


def test_compiles_registered_at_run_time(
    tmp_path: Path, restore_create_index: Callable[[], None], replays: list[tuple[int, int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # with DDL templates on (the default): a revision function naming `compiles` keeps them off for
    # the run, or the CREATE INDEX shape templated before revision 60 would keep its old text
    root = _project(tmp_path, {60: ("", RUNTIME_COMPILES)})
    serial, taken = _same_only_with_the_check(root, restore_create_index, replays, monkeypatch)
    assert "CREATE INDEX ix_t59_name ON t59 (name);" in serial
    assert "CREATE INDEX ix_t61_name ON t61 (name) /* tagged at run time */;" in serial
    assert taken == [(40, 0, 40)]


# -- an event listener registered inside upgrade() ----------------------------------------------
#: a class-level listener kept nowhere but in SQLAlchemy's event registry (the stash is for the test's reset)
LISTENER = '''
audit = sa.DDL("COMMENT ON TABLE %(table)s IS 'audited'")
sa.event.listen(sa.Table, "after_create", audit)
sa.Table._carryover_test_listener = audit
'''


def test_event_listener_registered_at_run_time(
    tmp_path: Path, replays: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def reset() -> None:
        listener = sa.Table.__dict__.get("_carryover_test_listener")
        if listener is not None:
            sa.event.remove(sa.Table, "after_create", listener)
            del sa.Table._carryover_test_listener  # type: ignore[attr-defined]

    root = _project(tmp_path, {70: ("", LISTENER)})
    serial, taken = _same_only_with_the_check(root, reset, replays, monkeypatch)
    assert "COMMENT ON TABLE t69" not in serial and "COMMENT ON TABLE t71 IS 'audited';" in serial
    assert taken == [(40, 0, 40)]


# -- what the fingerprint sees, one kind at a time ----------------------------------------------
@pytest.fixture
def carryover() -> Carryover:
    from limbeck.runtime.migration import MigrationContext

    return Carryover(MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True}), [])


def test_fingerprint_sees_each_kind_of_state(carryover: Carryover, helper: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import functools
    import itertools

    def changes(action: Callable[[], object]) -> bool:
        before = carryover.take()
        action()
        return Carryover.changed(before, carryover.take())

    assert not changes(lambda: None)
    assert changes(lambda: helper.CREATED.add("x"))  # a helper module's global set
    helper.NAMES = itertools.count()
    assert changes(lambda: next(helper.NAMES))  # a name counter
    helper.cached = functools.lru_cache(maxsize=None)(lambda name: name)
    assert changes(lambda: helper.cached("once"))  # a "do it once" cache
    helper.meta = sa.MetaData()
    assert changes(lambda: sa.Table("kept", helper.meta))  # a MetaData a helper keeps, gaining a table
    assert changes(lambda: helper.create_once.__dict__.update(seen=True))  # a function's attribute
    helper.kind = sa.String(250)
    assert not changes(lambda: helper.kind._type_affinity)  # a cached read (memoized_property) is no state

    class Settings:
        @functools.cached_property
        def url(self) -> str:
            return "postgresql://"

    helper.settings = Settings()
    assert not changes(lambda: helper.settings.url)  # nor is a functools.cached_property
    assert changes(lambda: setattr(helper.settings, "mode", "fast"))
    monkeypatch.setenv("CARRYOVER_TEST", "1")
    assert changes(lambda: os.environ.pop("CARRYOVER_TEST"))  # the environment

    def listener(*args: Any) -> None:
        pass

    assert changes(lambda: sa.event.listen(sa.Column, "after_parent_attach", listener))  # on a class
    assert changes(lambda: sa.event.remove(sa.Column, "after_parent_attach", listener))
    assert changes(lambda: sa.event.listen(helper.meta, "before_create", listener))  # on an object a global holds
    assert not changes(lambda: sa.event.listen(sa.Table("gone", sa.MetaData()), "after_create", listener))

    class Custom(sa.sql.expression.ColumnElement[Any]):
        pass

    from sqlalchemy.ext.compiler import compiles

    assert changes(lambda: compiles(Custom, "postgresql")(lambda element, compiler, **kw: "x"))
    from limbeck.operations.base import OperationsBase

    op_cls = type("CarryoverOp", (), {})
    try:
        assert changes(lambda: OperationsBase.implementation_for(op_cls)(lambda operations, operation: None))
    finally:
        OperationsBase._to_impl.pop(op_cls, None)
    assert not changes(lambda: None)


def test_revision_file_globals_by_slice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from limbeck.runtime.migration import MigrationContext
    from limbeck.runtime.steps import RevisionStep
    from limbeck.script import ScriptDirectory

    root = _project(tmp_path, {}, count=4)
    monkeypatch.chdir(root)
    script = ScriptDirectory.from_config(Config(str(root / "limbeck.ini")))
    steps = [RevisionStep(script.get_revision(f"r{i:04d}"), True) for i in range(4)]
    ctx = MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True, "script": script})
    assert all(step.revision.module for step in steps)  # a run imports them before its first step
    carry = Carryover(ctx, steps)
    before = carry.take()
    steps[1].revision.module.state = ["changed"]  # a revision's own global, which its downgrade may read later
    assert not Carryover.changed(before, carry.take(2, 4), 2)  # another slice's files: unchanged
    assert Carryover.changed(before, carry.take(0, 2), 0)
    assert Carryover.changed(before, carry.take())


def test_garbage_collected_between_takes_is_no_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dropped class with a ``@compiles`` (and a listener on it), still uncollected when the run starts,
    disappears when the collector runs between the first take and a later one: no revision changed anything."""
    import gc

    from sqlalchemy import event
    from sqlalchemy.ext.compiler import compiles

    from limbeck.runtime.migration import MigrationContext

    def dropped() -> None:
        class Gone(sa.Table):  # a class is in a reference cycle with its own dict: only the collector frees it
            pass

        compiles(Gone)(lambda element, compiler, **kw: "gone")
        event.listen(Gone, "before_create", lambda *args, **kw: None)

    gc.disable()  # so the garbage is still there when the run starts, as it was in the failing CI run
    try:
        dropped()
        ctx = MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True})
        carry = Carryover(ctx, [])
        before = carry.take()
    finally:
        gc.enable()
    gc.collect()
    after = carry.take()
    assert not Carryover.changed(before, after), carry.difference(before, after)
