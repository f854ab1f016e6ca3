"""The autogenerate corpus: cases, the two runners, and how their answers are compared.

A rendering case is a function of an API namespace (:class:`Api`: Alembic's
``ops`` or limbeck's, and ``sa``) that builds operation records the way
Alembic's own rendering tests build them, and returns one record (rendered
as ``render_op_text`` renders it) or an ``UpgradeOps`` (rendered by
``render_python_code``). Both libraries run in this process, each as a black
box through its public API.

The two texts are compared as what they mean to Python (the same syntax
tree, the same comments in the same order, the same set of imports collected
by the render context), which names the difference when there is one, and
then character for character: ``render_op_text`` and ``render_python_code``
return Alembic's text (limbeck's revision files are laid out as ``ruff
format`` would, a README departure the corpus does not see).
"""

from __future__ import annotations

import ast
import contextlib
import io
import logging
import textwrap
import tokenize
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

#: the render context's options in Alembic's rendering tests
BASE_OPTS: dict[str, Any] = {"sqlalchemy_module_prefix": "sa.", "alembic_module_prefix": "op."}


@dataclass(frozen=True)
class Api:
    """One library's names a case uses; ``name`` is ``"alembic"`` or ``"limbeck"``."""

    name: str
    ops: Any
    render_op_text: Callable[[Any, Any], str]
    render_python_code: Callable[..., str]
    AutogenContext: Any
    MigrationContext: Any
    sa: Any = sa


def alembic_api() -> Api:
    from alembic.autogenerate import render_op_text, render_python_code
    from alembic.autogenerate.api import AutogenContext
    from alembic.migration import MigrationContext
    from alembic.operations import ops

    return Api("alembic", ops, render_op_text, render_python_code, AutogenContext, MigrationContext)


def limbeck_api() -> Api:
    from limbeck.autogenerate import AutogenContext, render_op_text, render_python_code
    from limbeck.operations import ops
    from limbeck.runtime.migration import MigrationContext

    return Api("limbeck", ops, render_op_text, render_python_code, AutogenContext, MigrationContext)


@dataclass(frozen=True)
class RenderCase:
    id: str
    fn: Callable[[Api], Any]
    #: render context options on top of :data:`BASE_OPTS`
    opts: Mapping[str, Any] = field(default_factory=dict)
    #: dialect name of the migration context; ``None`` is SQLAlchemy's generic DefaultDialect
    dialect: str | None = None
    #: render inside a batch block (``batch_op.``), as autogenerate does with ``render_as_batch``
    batch: bool = False


class Corpus:
    """The cases of one module, registered as they are written."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.cases: list[RenderCase] = []

    def add(self, id: str, fn: Callable[[Api], Any], **kw: Any) -> None:
        self.cases.append(RenderCase(f"{self.prefix}.{id}", fn, **kw))

    def case(self, id: str | None = None, **kw: Any) -> Callable[[Callable[[Api], Any]], Callable[[Api], Any]]:
        def register(fn: Callable[[Api], Any]) -> Callable[[Api], Any]:
            self.add(id or fn.__name__, fn, **kw)
            return fn

        return register


@dataclass
class Rendered:
    text: str = ""
    imports: list[str] = field(default_factory=list)
    error: BaseException | None = None
    #: the tool's own warnings (``UserWarning``: Alembic's ``util.warn``), not SQLAlchemy's
    warned: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{type(self.error).__name__}: {self.error}"[:300] if self.error else self.text


def render(api: Api, case: RenderCase) -> Rendered:
    """The case's records as ``api`` renders them (or the exception it raises)."""
    from sqlalchemy.engine.default import DefaultDialect

    opts = {**BASE_OPTS, "target_metadata": sa.MetaData(), **case.opts}
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if case.dialect is None:
                context = api.MigrationContext.configure(dialect=DefaultDialect(), opts=opts)
            else:
                context = api.MigrationContext.configure(dialect_name=case.dialect, opts=opts)
            autogen = api.AutogenContext(context)
            built = case.fn(api)
            if isinstance(built, api.ops.OpContainer):
                keys = ("sqlalchemy_module_prefix", "alembic_module_prefix", "render_item", "user_module_prefix")
                kw = {k: opts[k] for k in keys if k in opts}
                text = api.render_python_code(built, migration_context=context, render_as_batch=case.batch, **kw)
                # the template's line indents the first line
                return Rendered("    " + text, [], warned=_warned(caught))
            if case.batch:
                with autogen._within_batch():
                    text = api.render_op_text(autogen, built)
            else:
                text = api.render_op_text(autogen, built)
    except Exception as exc:  # noqa: BLE001  (a refusal is an answer to compare)
        return Rendered(error=exc)
    return Rendered(text, sorted(autogen.imports), warned=_warned(caught))


def _warned(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def _missing_warnings(theirs: list[str], ours: list[str]) -> str | None:
    """Each warning Alembic gives, limbeck gives in its words (limbeck may warn more)."""
    missing = [w for w in theirs if w not in ours]
    return f"alembic warns {missing} / limbeck {ours}" if missing else None


def _body(text: str) -> str:
    """The text as the body of a function, so indented and top-level renderings both parse."""
    lines = textwrap.dedent(text).splitlines()
    return "def f():\n" + "\n".join("    " + line if line.strip() else "" for line in lines) + "\n    pass\n"


def python_tree(text: str) -> str:
    """What the text means to Python: its syntax tree without positions."""
    return ast.dump(ast.parse(_body(text)), include_attributes=False)


def comments(text: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(_body(text)).readline)
    return [tok.string for tok in tokens if tok.type == tokenize.COMMENT]


def same_code(theirs: str, ours: str) -> str | None:
    """``None`` when the two sources are the same code (layout and quotes aside), else what differs."""
    try:
        mine = python_tree(ours)
    except SyntaxError as exc:
        return f"limbeck's rendering is not Python ({exc}):\n{ours}"
    try:
        alembic = python_tree(theirs)
    except SyntaxError as exc:
        return f"Alembic's rendering is not Python ({exc}):\n{theirs}"
    if mine != alembic:
        return f"other code:\n--- alembic ---\n{theirs}\n--- limbeck ---\n{ours}"
    if comments(theirs) != comments(ours):
        return f"other comments: alembic {comments(theirs)} / limbeck {comments(ours)}"
    return None


def compare(theirs: Rendered, ours: Rendered) -> str | None:
    """``None`` when limbeck renders what Alembic renders, else what differs."""
    if theirs.error is not None or ours.error is not None:
        if theirs.error is None or ours.error is None:
            return f"alembic: {theirs.summary()}\nlimbeck: {ours.summary()}"
        return None
    difference = same_code(theirs.text, ours.text)
    if difference is not None:
        return difference
    if theirs.text != ours.text:
        return f"same code, other text:\n--- alembic ---\n{theirs.text}\n--- limbeck ---\n{ours.text}"
    if theirs.imports != ours.imports:
        return f"other imports: alembic {theirs.imports} / limbeck {ours.imports}"
    return _missing_warnings(theirs.warned, ours.warned)


# --- comparison against a live database ---------------------------------------------------------
#: the databases a comparison case runs on
SQLITE, BACKENDS = ("sqlite",), ("sqlite", "postgresql", "mariadb")
#: the options of Alembic's comparison fixture
FIXTURE_OPTS: dict[str, Any] = {"compare_type": True, "compare_server_default": True}


@dataclass(frozen=True)
class CompareCase:
    """The database as ``db`` builds it (``create_all``) and the models ``models`` builds, compared."""

    id: str
    db: Callable[[], Any]
    models: Callable[[], Any]
    #: ``configure()`` options on top of ``target_metadata``
    opts: Mapping[str, Any] = field(default_factory=dict)
    dialects: tuple[str, ...] = SQLITE


class CompareCorpus:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.cases: list[CompareCase] = []

    def pair(self, id: str, tables: Callable[[sa.MetaData, bool], Any], *, convention: Mapping[str, Any] | None = None,
             **kw: Any) -> None:
        """A case from one function that builds the database's tables (``False``) or the models' (``True``)."""
        def build(model: bool) -> Callable[[], sa.MetaData]:
            def make() -> sa.MetaData:
                m = sa.MetaData(naming_convention=dict(convention)) if convention else sa.MetaData()
                tables(m, model)
                return m
            return make
        kw["opts"] = {**FIXTURE_OPTS, **kw.get("opts", {})}
        self.cases.append(CompareCase(f"{self.prefix}.{id}", build(False), build(True), **kw))

    def on(self, id: str, **kw: Any) -> Callable[[Callable[[sa.MetaData, bool], Any]], Callable[[sa.MetaData, bool], Any]]:
        """``@corpus.on("case_id")`` over a tables function: a case on every backend unless ``dialects`` says."""
        def register(fn: Callable[[sa.MetaData, bool], Any]) -> Callable[[sa.MetaData, bool], Any]:
            self.pair(id, fn, **{"dialects": BACKENDS, **kw})
            return fn
        return register


@dataclass
class Compared:
    diffs: Any = None
    upgrade: str = ""
    downgrade: str = ""
    error: str | None = None
    warned: list[str] = field(default_factory=list)
    #: the tool's ``Detected ...`` INFO messages (what Flask-Migrate's users and the CLI read)
    logged: list[str] = field(default_factory=list)


class _Findings(logging.Handler):
    """Collects the ``Detected ...`` messages of one tool's autogenerate loggers."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Detected "):
            self.messages.append(message)


@contextlib.contextmanager
def _findings(api: Api) -> Iterator[_Findings]:
    handler = _Findings()
    logger = logging.getLogger(f"{api.name}.autogenerate")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def run_compare(api: Api, conn: Any, case: CompareCase) -> Compared:
    """The diff entries and the rendered ``produce_migrations`` of ``api`` on the connection."""
    from .live_scenarios import plain

    if api.name == "alembic":
        from alembic.autogenerate import produce_migrations
    else:
        from limbeck.autogenerate import produce_migrations
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught, _findings(api) as found:
            warnings.simplefilter("always")
            metadata = case.models()
            context = api.MigrationContext.configure(conn, opts={"target_metadata": metadata, **case.opts})
            script = produce_migrations(context, metadata)
            # what compare_metadata returns (both libraries build it from the same records)
            diffs = plain(script.upgrade_ops.as_diffs(), conn.dialect)
            kw = {"migration_context": context, "render_as_batch": bool(case.opts.get("render_as_batch"))}
            upgrade = api.render_python_code(script.upgrade_ops, **kw)
            downgrade = api.render_python_code(script.downgrade_ops, **kw)
    except Exception as exc:  # noqa: BLE001  (a refusal is an answer to compare)
        return Compared(error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        if conn.in_transaction():
            conn.rollback()
    return Compared(diffs, "    " + upgrade, "    " + downgrade, warned=_warned(caught), logged=found.messages)


def compare_compared(theirs: Compared, ours: Compared) -> str | None:
    """``None`` when limbeck finds and writes what Alembic does, else what differs."""
    if theirs.error or ours.error:
        if bool(theirs.error) != bool(ours.error):
            return f"alembic: {theirs.error or theirs.diffs}\nlimbeck: {ours.error or ours.diffs}"
        return None
    if theirs.diffs != ours.diffs:
        return f"other diffs:\nalembic: {theirs.diffs}\nlimbeck: {ours.diffs}"
    for key in ("upgrade", "downgrade"):
        difference = same_code(getattr(theirs, key), getattr(ours, key))
        if difference is not None:
            return f"{key}: {difference}"
    unlogged = [m for m in theirs.logged if m not in ours.logged]
    if unlogged:  # each finding Alembic logs, limbeck logs in its words (limbeck may log more)
        return f"alembic logs {unlogged} / limbeck {ours.logged}"
    return _missing_warnings(theirs.warned, ours.warned)
