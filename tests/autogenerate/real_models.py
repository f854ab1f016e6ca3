"""Real applications' SQLAlchemy models, loaded from their pinned PyPI wheels at test time.

No project's code is kept in this repository: each :class:`Models` names a
release the real-world suite already pins (``tests/realworld/projects.py``:
version, file and SHA-256, downloaded and cached by ``fetch.py``), the model
modules to execute from it, and the attribute that holds their ``MetaData``.

Only the listed modules run, as the wheel has them. Every other import of
the project's own package, and of libraries the suite does not install
(pydantic, tornado, flask extensions...), is answered by the real-world
suite's stubs (``stubs.py``); ``real`` lists the few project modules that
must be the real thing for the models to mean what they mean (the Python
``enum`` classes an ``Enum`` column takes its values from), and ``stubs``
the few names that need a specific stand-in. Package ``__init__`` files
never run.

Both tools load the same metadata this way: limbeck in the test process,
Alembic in the subprocess of ``test_real_models.py``, which imports this
module too.
"""

from __future__ import annotations

import ast
import enum
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.naming import conv

from tests.realworld.fetch import extract_folders, fetch_release
from tests.realworld.projects import PROJECTS
from tests.realworld.stubs import stubbed_imports

__all__ = ["MODELS", "Models", "Tool", "autogenerate", "load_metadata", "perturbed", "upgrade"]


@dataclass(frozen=True)
class Models:
    """The models of one pinned release, and how to load them."""

    #: id of the test, and what the models are
    key: str
    #: the release, by its name in ``tests/realworld/projects.py``
    project: str
    #: project modules executed from the wheel, in order (the models' own modules)
    modules: tuple[str, ...]
    #: ``module:attribute.path`` of the ``MetaData`` once they ran
    metadata: str
    #: third-party top-level packages answered by stubs (the project's own is always stubbed)
    stub_roots: frozenset[str] = frozenset()
    #: further project modules that run for real (enum classes the models use)
    real: tuple[str, ...] = ()
    #: "module.Name" -> factory, for names a stub cannot stand for
    stubs: dict[str, Callable[[], Any]] = field(default_factory=dict)
    #: the databases it is compared on: those of SQLite, PostgreSQL and MariaDB whose DDL the
    #: models compile to (prefect, phoenix: functions compiled for SQLite and PostgreSQL only;
    #: dstack: rows too wide for MariaDB; meltano, keylime: VARCHAR without a length)
    dialects: tuple[str, ...] = ("sqlite", "postgresql", "mariadb")
    #: why the models as written cannot be created on PostgreSQL or MariaDB (by either tool's
    #: migration or by ``create_all``): only the empty-database comparison runs there
    uncreatable: str = ""
    shape: str = ""


def _from(module: str, name: str) -> Callable[[], Any]:
    """A factory for ``name`` of the (real) project ``module``: a re-export through a package ``__init__``."""
    return lambda: getattr(importlib.import_module(module), name)


def _enum(name: str, *members: str) -> Callable[[], Any]:
    """A ``str`` enum whose values are its names (prefect's ``AutoEnum``), for one a stubbed module defines."""
    return lambda: enum.Enum(name, {m: m for m in members}, type=str)


def _logging_mode() -> type:
    """ihatemoney's ``LoggingMode`` (its base class lives in a module the stubs answer)."""

    class LoggingMode(enum.Enum):
        DISABLED = 0
        ENABLED = 1
        RECORD_IP = 2

        @classmethod
        def default(cls) -> LoggingMode:
            return cls.ENABLED

    return LoggingMode


def _statuses(name: str, members: str, finished: str) -> Callable[[], Any]:
    """dstack's status enums (their modules need pydantic): ``finished_statuses()`` feeds partial indexes."""

    def make() -> Any:
        made: Any = enum.Enum(name, {m: m.lower() for m in members.split()}, type=str)
        made.finished_statuses = classmethod(lambda cls: [cls[m] for m in finished.split()])
        return made

    return make


def _generic() -> type:
    """A stand-in for a generic class the models subscript at import time (``TypeAdapter[X]``)."""

    class Generic:
        def __init__(self, *args: Any, **kw: Any) -> None:
            self.args = args

        def __class_getitem__(cls, item: Any) -> type:
            return cls

    return Generic


MODELS: tuple[Models, ...] = (
    Models(
        "optuna", "optuna", ("optuna.storages._rdb.models",), "optuna.storages._rdb.models:BaseModel.metadata",
        real=("optuna.trial._state", "optuna.study._study_direction"),
        stubs={"optuna.trial.TrialState": _from("optuna.trial._state", "TrialState")},
        shape="declarative_base(); Enum of Python enums, CheckConstraint, UniqueConstraint, Float(precision)",
    ),
    Models(
        "jupyterhub", "jupyterhub", ("jupyterhub.orm",), "jupyterhub.orm:meta",
        stub_roots=frozenset({"tornado", "alembic"}), stubs={"jupyterhub.utils._TOKEN_MAX_LEN": lambda: 64},
        shape="naming convention on MetaData, role association tables, ondelete=CASCADE, JSON TypeDecorators",
    ),
    Models(
        "conda-store", "conda-store-server", ("conda_store_server._internal.orm",),
        "conda_store_server._internal.orm:Base.metadata",
        real=("conda_store_server._internal.schema",), stub_roots=frozenset({"pydantic", "conda_lock", "yaml"}),
        uncreatable="build and environment reference each other without use_alter",
        shape="DeclarativeBase + Mapped[enum] (native Enum inferred), JSON, association tables, FK cycle",
    ),
    Models(
        "dstack", "dstack", ("dstack._internal.server.models",), "dstack._internal.server.models:BaseModel.metadata",
        stub_roots=frozenset({"pydantic"}), stubs={
            "dstack._internal.core.models.runs.RunStatus": _statuses(
                "RunStatus", "PENDING SUBMITTED PROVISIONING RUNNING TERMINATING TERMINATED FAILED DONE",
                "TERMINATED FAILED DONE"),
            "dstack._internal.core.models.runs.JobStatus": _statuses(
                "JobStatus", "SUBMITTED PROVISIONING PULLING RUNNING TERMINATING TERMINATED ABORTED FAILED DONE",
                "TERMINATED ABORTED FAILED DONE"),
            "dstack._internal.core.models.compute_groups.ComputeGroupStatus": _statuses(
                "ComputeGroupStatus", "RUNNING TERMINATED", "TERMINATED")},
        dialects=("sqlite", "postgresql"),
        shape="FastAPI server: naming convention, UUIDType, enums stored as strings, partial and expression indexes",
    ),
    Models(
        "phoenix", "arize-phoenix", ("phoenix.db.models",), "phoenix.db.models:Base.metadata",
        stub_roots=frozenset({"orjson", "openinference", "pydantic"}), stubs={
            "pydantic.TypeAdapter": _generic, "phoenix.config.get_env_database_schema": lambda: lambda: None},
        dialects=("sqlite", "postgresql"),
        shape="FastAPI server: naming convention, column CHECKs, composite FKs, Computed, DESC and partial indexes",
    ),
    Models(
        "prefect", "prefect", ("prefect.server.database.orm_models",),
        "prefect.server.database.orm_models:Base.metadata",
        real=("prefect.server.utilities.database",), stub_roots=frozenset({"pydantic"}), stubs={
            "prefect.server.schemas.schedules.SCHEDULE_TYPES": lambda: Any,
            "prefect.server.schemas.states.StateType": _enum(
                "StateType", "SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CRASHED",
                "PAUSED", "CANCELLING"),
            "prefect.server.schemas.statuses.WorkPoolStatus": _enum("WorkPoolStatus", "READY", "NOT_READY", "PAUSED"),
            "prefect.server.schemas.statuses.WorkerStatus": _enum("WorkerStatus", "ONLINE", "OFFLINE"),
            "prefect.server.schemas.statuses.DeploymentStatus": _enum("DeploymentStatus", "READY", "NOT_READY"),
            "prefect.server.schemas.statuses.WorkQueueStatus": _enum("WorkQueueStatus", "READY", "NOT_READY",
                                                                     "PAUSED")},
        dialects=("sqlite", "postgresql"), uncreatable="trgm_ix_flow_name: GIN on a VARCHAR with no operator class",
        shape="FastAPI server: naming convention, UUID, JSON, sa.text defaults, partial and expression indexes",
    ),
    Models(
        "ihatemoney", "ihatemoney", ("ihatemoney.models",), "ihatemoney.models:db.metadata",
        stub_roots=frozenset({"dateutil", "debts", "sqlalchemy_continuum"}),
        stubs={"ihatemoney.versioning.LoggingMode": _logging_mode},
        shape="Flask-SQLAlchemy app: db.Model, native Enum, server_default, foreign keys",
    ),
    Models(
        "meltano", "meltano", ("meltano.core.job.job", "meltano.core.setting", "meltano.core.job_state"),
        "meltano.core.models:SystemMetadata", real=("meltano.core.models", "meltano.core.sqlalchemy"),
        stubs={"meltano.core.job.JobFinder": lambda: object, "meltano.core.job.Payload": lambda: object},
        dialects=("sqlite", "postgresql"),
        shape="DeclarativeBase with type_annotation_map, Mapped annotations, GUID/IntFlag TypeDecorators",
    ),
    Models(
        "keylime", "keylime", ("keylime.db.verifier_db",), "keylime.db.verifier_db:Base.metadata",
        dialects=("sqlite", "postgresql"),
        shape="declarative_base(); PickleType, LargeBinary, with_variant types, server_default",
    ),
    Models(
        "tahrir", "tahrir-api", ("tahrir_api.model",), "tahrir_api.model:DeclarativeBase.metadata",
        stub_roots=frozenset({"arrow", "pygments", "simplejson", "sqlalchemy_helpers"}),
        stubs={"sqlalchemy_helpers.Base": lambda: sa.orm.declarative_base()},
        shape="badges service: association tables, unique=True, defaults from Python callables",
    ),
)


class _RealFinder(importlib.abc.MetaPathFinder):
    """Loads the listed project modules from the extracted wheel; the stubs answer the rest."""

    def __init__(self, root: Path, names: frozenset[str]) -> None:
        self.root = root
        self.names = names

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        file = self.root.joinpath(*fullname.split(".")).with_suffix(".py")
        return importlib.util.spec_from_file_location(fullname, file)


def _folders(models: Models) -> tuple[str, ...]:
    return tuple(sorted({m.rsplit(".", 1)[0].replace(".", "/") for m in (*models.modules, *models.real)}))


def extracted(models: Models) -> Path:
    """The wheel's folders holding the models' modules, downloaded and extracted if not cached."""
    project = next(p for p in PROJECTS if p.name == models.project)
    archive = fetch_release(project.name, project.version, project.filename, project.sha256)
    return extract_folders(archive, project.sha256, _folders(models))


@contextmanager
def _loading(models: Models, root: Path) -> Iterator[None]:
    own = models.modules[0].split(".", 1)[0]
    finder = _RealFinder(root, frozenset((*models.modules, *models.real)))
    with stubbed_imports(frozenset({own, *models.stub_roots}), models.stubs):
        sys.meta_path.insert(0, finder)
        try:
            yield
        finally:
            sys.meta_path.remove(finder)


#: key -> the top-level modules (stubs and real) the models' rendered types name
_modules: dict[str, dict[str, Any]] = {}


@cache
def _loaded(key: str) -> sa.MetaData:
    models = next(m for m in MODELS if m.key == key)
    root = extracted(models)
    with _loading(models, root):
        for name in models.modules:
            importlib.import_module(name)
        _modules[key] = {name: module for name, module in sys.modules.items() if "." not in name}
        module, attribute = models.metadata.split(":")
        value: Any = importlib.import_module(module)
        for part in attribute.split("."):
            value = getattr(value, part)
    assert isinstance(value, sa.MetaData), f"{models.metadata} is {value!r}"
    _one_index_a_name(value)
    return value


def _one_index_a_name(metadata: sa.MetaData) -> None:
    """Keep one of a table's indexes that share a name (no database creates the second).

    prefect declares ``ix_artifact__key`` twice (``index=True`` and an explicit ``Index``): its
    ``create_all`` fails, and so would either tool's migration. The projects' own migrations
    never create both; neither does this test, which keeps the explicit one (both processes
    the same one: the order of a table's index set differs between them).
    """
    for table in metadata.tables.values():
        seen: set[str] = set()
        for index in sorted(table.indexes, key=lambda i: (len(i.expressions), isinstance(i.name, conv))):
            if index.name in seen:
                table.indexes.discard(index)
            seen.add(str(index.name))


def load_metadata(key: str) -> sa.MetaData:
    """The models' ``MetaData``, as the application's env.py would pass it (loaded once per process)."""
    return _loaded(key)


def _copy(metadata: sa.MetaData) -> sa.MetaData:
    fresh = sa.MetaData(naming_convention=dict(metadata.naming_convention), schema=metadata.schema)
    for table in metadata.tables.values():
        table.to_metadata(fresh)
    return fresh


def perturbed(metadata: sa.MetaData) -> sa.MetaData:
    """The database a user's models drifted from: built from a copy of ``metadata`` with changes.

    On the table with the most plain columns: one column gone, one of another type, one whose
    nullability and one whose server default changed; the first indexed table's first index
    gone; and a table the models do not have.
    """
    other = _copy(metadata)
    tables = sorted(other.tables.values(), key=lambda t: t.key)
    plain = {t.key: _plain_columns(t) for t in tables}
    target = max(tables, key=lambda t: len(plain[t.key]))
    columns = plain[target.key]
    if columns:
        target._columns.remove(columns[0])  # a column the database lacks
    if len(columns) > 1:
        columns[1].type = sa.Integer() if isinstance(columns[1].type, sa.String) else sa.String(30)
    if len(columns) > 2:
        columns[2].nullable = not columns[2].nullable
    defaulted = [c for c in columns[3:] if type(c.type) in (sa.String, sa.Integer, sa.Unicode)]
    if defaulted:
        defaulted[0].server_default = sa.DefaultClause("7" if isinstance(defaulted[0].type, sa.Integer) else "x")
    indexed = next((t for t in tables if t.indexes), None)
    if indexed is not None:
        indexed.indexes.remove(min(indexed.indexes, key=lambda i: str(i.name)))
    sa.Table("legacy_audit", other, sa.Column("id", sa.Integer, primary_key=True), sa.Column("note", sa.String(40)))
    _one_index_a_name(other)  # the copy makes an index=True column's index again
    return other


def _plain_columns(table: sa.Table) -> list[sa.Column[Any]]:
    """Columns nothing else hangs on: no key, index, constraint, default or decorated type."""
    taken = {c.name for c in table.primary_key.columns}
    for constraint in table.constraints:
        taken.update(c.name for c in getattr(constraint, "columns", ()))
        if isinstance(constraint, sa.CheckConstraint):
            taken.update(_named(constraint.sqltext))
    for index in table.indexes:
        for expression in (*index.expressions, *index.dialect_kwargs.values()):
            taken.update(_named(expression))
    return [
        c for c in table.columns
        if c.name not in taken and not c.foreign_keys and c.server_default is None and c.computed is None
        and c.identity is None and type(c.type) in (sa.String, sa.Integer, sa.Text, sa.Unicode, sa.DateTime)
    ]


class _Lenient:
    """A module as rendered code reaches it, whose column types can be made from their rendering.

    A model's own ``TypeDecorator`` is rendered as Alembic renders it, from its arguments as
    SQLAlchemy reports them (``EnumAsString(length=100)``), which its constructor may not take (the
    enum class is gone). The user edits that line; here such a type is made over its ``impl``
    with the rendered arguments, what the edited line would create.
    """

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if isinstance(value, type) and issubclass(value, sa.types.TypeDecorator):
            return _decorated(value)
        return value if isinstance(value, (int, str, float)) else _Lenient(value) if _is_module(value) else value


def _resolved(name: str, modules: dict[str, Any]) -> Any:
    """What a name in rendered code stands for: a module, or (Alembic's bare ``Text()`` inside
    another type, a NameError the user fixes with an import) SQLAlchemy's type of that name."""
    if name[:1].isupper():
        return getattr(sa, name)
    return _Lenient(modules[name] if name in modules else importlib.import_module(name))


def _is_module(value: Any) -> bool:
    return isinstance(value, type(sys))


def _decorated(cls: type[sa.types.TypeDecorator[Any]]) -> Callable[..., Any]:
    def make(*args: Any, **kw: Any) -> Any:
        try:
            return cls(*args, **kw)
        except TypeError:
            made = cls.__new__(cls)
            sa.types.TypeDecorator.__init__(made, *args, **kw)
            return made

    return make


def _named(expression: Any) -> set[str]:
    """The names of the columns an expression (or an index option) mentions."""
    if not isinstance(expression, sa.sql.ClauseElement):
        return set()
    return {e.name for e in sa.sql.visitors.iterate(expression) if isinstance(e, sa.sql.expression.ColumnClause)}


@dataclass(frozen=True)
class Tool:
    """One tool's autogenerate API: limbeck's in the test, Alembic's in its subprocess."""

    MigrationContext: Any
    Operations: Any
    compare_metadata: Callable[..., Any]
    produce_migrations: Callable[..., Any]
    render_python_code: Callable[..., str]


def _compiled_defaults(obj: Any, dialect: Any) -> Any:
    """Diff entries with each server default an SQL expression given as the database compiles it
    (prefect's ``GenerateUUID()`` has no default compilation: ``plain`` could not show it)."""
    if isinstance(obj, (list, tuple)):
        return type(obj)(_compiled_defaults(o, dialect) for o in obj)
    if isinstance(obj, sa.schema.DefaultClause) and isinstance(obj.arg, sa.sql.ClauseElement):
        return sa.schema.DefaultClause(sa.text(str(obj.arg.compile(dialect=dialect))))
    return obj


def autogenerate(tool: Tool, key: str, url: str, opts: dict[str, Any] | None = None) -> dict[str, Any]:
    """What ``tool`` finds between the database at ``url`` and the models: diffs and code, as plain values.

    ``opts``: more options of ``context.configure()`` (``compare_server_default``).
    """
    from .live_scenarios import plain

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metadata = load_metadata(key)
        context = tool.MigrationContext.configure(conn, opts={"target_metadata": metadata, **(opts or {})})
        diffs = plain(_compiled_defaults(tool.compare_metadata(context, metadata), conn.dialect), conn.dialect)
        metadata = load_metadata(key)
        context = tool.MigrationContext.configure(conn, opts={"target_metadata": metadata, **(opts or {})})
        script = tool.produce_migrations(context, metadata)
        result = {
            "diffs": diffs,
            "upgrade": tool.render_python_code(script.upgrade_ops, migration_context=context),
            "downgrade": tool.render_python_code(script.downgrade_ops, migration_context=context),
            "warnings": sorted({str(w.message) for w in caught}),
            # the models' CHECKs declared on columns, which one departure is about
            "column_checks": sorted(str(k.name) for t in metadata.tables.values() for c in t.columns
                                    for k in c.constraints if isinstance(k, sa.CheckConstraint)),
        }
    engine.dispose()
    return result


def upgrade(tool: Tool, key: str, url: str, code: str) -> None:
    """Run rendered upgrade ``code`` with ``tool``'s operations, as the revision file would."""
    import sqlalchemy.dialects.mysql
    import sqlalchemy.dialects.postgresql
    import sqlalchemy.dialects.sqlite

    source = "\n".join(line.removeprefix("    ") for line in code.splitlines())
    namespace: dict[str, Any] = {"sa": sa, "postgresql": sqlalchemy.dialects.postgresql,
                                 "mysql": sqlalchemy.dialects.mysql, "sqlite": sqlalchemy.dialects.sqlite}
    modules = _modules[key]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id not in namespace and node.id != "op":
            namespace[node.id] = _resolved(node.id, modules)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        namespace["op"] = tool.Operations(tool.MigrationContext.configure(conn))
        exec(compile(source, "<upgrade>", "exec"), namespace)  # noqa: S102 - the tool's own rendering
    engine.dispose()
