"""The pinned public releases whose Alembic histories the suite runs.

Each :class:`Project` names one file on PyPI by version, file name and
SHA-256 (PyPI files never change, so the digest pins the exact input), the
migration environments (:class:`History`) inside it, and what its revision
files import from the host application (``stub_roots``: answered by
``stubs.py``; ``stubs``: the few names that need a specific stand-in).

``configure`` holds what the project's own ``env.py`` passes to
``context.configure()`` that changes the output (version table name,
transaction per migration); dialects are the databases the project
supports in production, first the one it documents first.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

__all__ = ["FRESH_UUID", "PROJECTS", "DelimitedBody", "Departure", "FreshUUIDs", "History", "Project", "Release", "Skip", "StaleCheck",
           "WrittenParameters"]


@dataclass(frozen=True)
class Skip:
    """A revision the offline comparison goes around, and why.

    ``reason`` says why Alembic cannot render it with ``--sql`` (it asks
    the database something: ``sa.inspect(bind)``, ``.fetchall()`` on
    Alembic's ``None`` result, ``bind.url``), or, with ``departure``, which
    documented limbeck departure applies (Alembic renders invalid SQL and
    limbeck refuses; ``departure`` is a substring of limbeck's one-line
    error), or, with ``rendered``, a documented departure where Alembic crashes
    part way through the revision and limbeck renders all of it its own way
    (``rendered`` is a piece of limbeck's script, where the two differ). The
    history is compared up to the revision before it and from the revision
    itself on; ``test_skipped_revision`` checks that Alembic really fails
    there (or renders the documented invalid SQL) and that limbeck fails in
    one line naming the file, or renders it.
    """

    revision: str
    reason: str
    direction: str = "upgrade"  # or "downgrade"
    dialects: tuple[str, ...] = ()  # () = every dialect of the history
    departure: str | None = None
    rendered: str | None = None


@dataclass(frozen=True)
class WrittenParameters:
    """Departure: limbeck writes the parameters given to ``get_bind().execute()`` into the statement.

    README, "Deliberate differences": Alembic drops them, so a ``:name`` in a
    ``text()`` statement renders as ``NULL``. ``values`` are what the
    revision passes (the stubs make them real, fixed values); in the
    revision's block of limbeck's script each one's literal is put back to
    ``NULL`` (``normalise.limbeck_departures``), nothing else; ``FRESH_UUID`` stands for
    each value the revision makes with ``uuid4()`` (orchestrator-core's workflow ids).
    """

    revision: str
    values: tuple[Any, ...]
    direction: str = "upgrade"
    dialects: tuple[str, ...] = ()


class _FreshUUID:
    """A ``WrittenParameters`` value the revision makes with ``uuid.uuid4()``: any version-4 UUID literal."""

    def __repr__(self) -> str:
        return "uuid4()"


FRESH_UUID = _FreshUUID()


@dataclass(frozen=True)
class StaleCheck:
    """Departure: limbeck drops the CHECK of a non-native ``Enum``/``Boolean`` ``existing_type``.

    README, "Operations": when ``alter_column`` changes the type, the old
    type's CHECK (``name`` on ``table``) is dropped; Alembic leaves it on
    MySQL/MariaDB, where it keeps rejecting the values the new type allows.
    The ``ALTER TABLE table DROP CHECK name`` limbeck writes in the
    revision's block is taken out before comparing, nothing else.
    """

    revision: str
    table: str
    name: str
    direction: str = "upgrade"
    dialects: tuple[str, ...] = ("mysql", "mariadb")


@dataclass(frozen=True)
class DelimitedBody:
    """Departure: limbeck sets the mysql client's ``DELIMITER`` around a stored program's body.

    README, "Offline scripts": a ``BEGIN ... END`` body written in one ``op.execute()`` text has a
    ``;`` the mysql client ends the statement at, so Alembic's script sends half a trigger or
    procedure. In the revision's block of limbeck's script each ``DELIMITER //`` ... ``//``
    ``DELIMITER ;`` frame is put back to the text and its ``;`` (``normalise.limbeck_departures``).
    """

    revision: str
    direction: str = "upgrade"
    dialects: tuple[str, ...] = ("mysql", "mariadb")


Departure = WrittenParameters | StaleCheck | DelimitedBody


@dataclass(frozen=True)
class FreshUUIDs:
    """Not a tool's doing: the revision writes ``uuid.uuid4()`` values into the script.

    They differ on every run, so in that revision's block (both outputs) each
    quoted UUID is replaced by ``'<uuid4>'`` (``normalise.fresh_uuids``) and
    must be found there; nothing else in the script is touched.
    """

    revision: str
    direction: str = "upgrade"


@dataclass(frozen=True)
class History:
    """One migration environment of a release."""

    key: str
    #: archive paths of its version folders; with ``nested`` every folder
    #: below that holds revision files is its own version location
    folders: tuple[str, ...]
    dialects: tuple[str, ...]
    nested: bool = False
    downgrade: bool = True
    #: False: only ``heads`` and ``history`` (Alembic cannot render most of it offline)
    sql: bool = True
    configure: dict[str, Any] = field(default_factory=dict)
    skips: tuple[Skip, ...] = ()
    #: documented limbeck departures in its revisions, each undone precisely before comparing
    departures: tuple[Departure, ...] = ()
    #: revisions whose script holds values made afresh on each run
    fresh: tuple[FreshUUIDs, ...] = ()
    #: merges whose parents' branches each hold a skipped upgrade: Alembic starts a range from one
    #: revision, so no range renders them without running a skipped one (``test_offline.chains``)
    straddled_merges: tuple[str, ...] = ()
    #: "<direction>:<dialect>" -> the limbeck bug that still makes it differ
    xfail: dict[str, str] = field(default_factory=dict)

    def skipped(self, direction: str, dialect: str) -> list[Skip]:
        return [s for s in self.skips if s.direction == direction and (not s.dialects or dialect in s.dialects)]

    def departed(self, direction: str, dialect: str) -> list[Departure]:
        return [d for d in self.departures if d.direction == direction and (not d.dialects or dialect in d.dialects)]


@dataclass(frozen=True)
class Release:
    """One file on PyPI, pinned by version, file name and SHA-256."""

    name: str
    version: str
    filename: str
    sha256: str


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    filename: str
    sha256: str
    histories: tuple[History, ...]
    stub_roots: frozenset[str] = frozenset()
    stubs: dict[str, Callable[[], Any]] = field(default_factory=dict)
    #: what it is, for the README table
    shape: str = ""
    #: other releases whose version folders the histories list too: one history made of
    #: several packages' folders, as an application installing them all runs it (invenio's)
    more: tuple[Release, ...] = ()

    @property
    def id(self) -> str:
        return self.name

    @property
    def releases(self) -> tuple[Release, ...]:
        return (Release(self.name, self.version, self.filename, self.sha256), *self.more)


def _auto_string() -> type:
    # sqlmodel's AutoString: VARCHAR, with a length where the database needs one
    class AutoString(sa.types.TypeDecorator):  # type: ignore[type-arg]
        impl = sa.String
        cache_ok = True

        def load_dialect_impl(self, dialect: Any) -> Any:
            if dialect.name in ("mysql", "mariadb"):
                return dialect.type_descriptor(sa.String(255))
            return super().load_dialect_impl(dialect)

    return AutoString


def _type(impl: Any) -> Callable[[], type]:
    """A stand-in for a host column type: a ``TypeDecorator`` over ``impl``."""

    def make() -> type:
        def __init__(self: Any, *args: Any, **kw: Any) -> None:
            sa.types.TypeDecorator.__init__(self)

        return type("HostType", (sa.types.TypeDecorator,), {"impl": impl, "cache_ok": True, "__init__": __init__})

    return make


_OSLO = frozenset({"oslo_config", "oslo_db", "oslo_log", "oslo_serialization", "oslo_utils"})

# Why Alembic cannot render a revision with --sql (the Skip reasons)
INSPECTS = "inspects the database (sa.inspect(bind), Inspector.from_engine), which offline Alembic cannot"
READS = "reads rows from conn.execute(), which returns None in offline Alembic"
ASKS_BIND = "asks the offline bind for what only a live connection has (close(), url, begin(), engine)"
ORM = "queries through the application's ORM session and models (stand-ins here) and reads the rows"
LITERAL = "binds a value SQLAlchemy cannot render as a literal (no type)"
ONLINE = "refuses offline mode itself"
NO_DOWNGRADE = "its downgrade raises NotImplementedError"
BATCH_LIVE = ("a SQLite batch_alter_table() that rebuilds the table, without copy_from: Alembic needs the "
              "database to reflect the table")
NO_LENGTH = "declares a VARCHAR without a length, which SQLAlchemy cannot compile for MySQL"
UNNAMED_DROP = "drops a constraint created without a name (drop_constraint(None, ...)): there is no name to write"
COLUMN_NAME = "passes a Column where drop_column() takes the column's name (or too many arguments)"
MODELS = "rebuilds tables from the application's models (stand-ins here)"
SIBLING = ("rebuilds a table from the models another revision module declares, imported through the application's "
           "package (a stand-in here)")
GEOALCHEMY = "calls geoalchemy2's batch operations (add_geospatial_column), which this suite does not install"
TARGET_METADATA = ("sets the naming convention on the env.py's target_metadata (the application's models, None "
                   "here) and inspects the database")
NAMELESS = "its downgrade adds a Column made without a name to a table"
PRIVATE_API = "calls Column._set_parent() with the arguments of SQLAlchemy 1.4"
INLINE_FK = ("add_column() of a Column with a ForeignKey on SQLite: Alembic writes the ADD COLUMN, then refuses "
             "the constraint (NotImplementedError); limbeck writes the key inline, REFERENCES in the ADD COLUMN")
FILES = "moves the application's files on disk (none here)"
PICKLE = "writes a PickleType default, which SQLAlchemy cannot render as a literal"
SELECT_LIST = "calls select() with a list of columns, the SQLAlchemy 1.x form that SQLAlchemy 2 refuses"
SAME_COLUMN_TWICE = "names one column twice in a primary key, which SQLAlchemy refuses (DuplicateColumnError)"
ENUM_PLUGIN = ("calls op.sync_enum_values() of the alembic-autogenerate-enums plugin its env.py imports, which this "
               "suite does not install")
SERVER_VERSION = "reads the server's version (dialect.server_version_info), which offline Alembic does not know"
AUTOGENERATE = "runs autogenerate (produce_migrations) inside the revision, which needs the database"
JSON_LITERAL = "writes a JSON value as a literal, which SQLAlchemy cannot render (no literal renderer for JSON)"
SQL_FILE = "reads a .sql file shipped beside it (not a .py file, so not extracted here)"
AUTOLOAD = "reflects a Table with autoload=True, the SQLAlchemy 1.x argument SQLAlchemy 2 refuses"
EXECUTE_KEYWORDS = "passes execute() parameters as keywords, the SQLAlchemy 1.x form SQLAlchemy 2 refuses"
MYSQL_DROP_CONSTRAINT = "drops a constraint without its type on MySQL, which Alembic refuses (no generic DROP CONSTRAINT)"
AIIDA_PROFILE = ("needs the application's profile (the aiida_profile option its env.py passes online) to move the "
                 "files of its repository")
CHECKFIRST = ("creates the application's model table and its indexes with checkfirst=True, which first asks the "
              "database")
DROP_ALL = "drops the application's model tables with metadata.drop_all(), which first asks the database (checkfirst)"
ENUM_NAME = "declares an Enum without a name, which SQLAlchemy cannot compile for PostgreSQL"
ENCRYPTS = ("encrypts a value with the application's key for a server default (the encrypted type is a stand-in "
            "here; AES-GCM would make a fresh value on every run)")
DROP_COLUMN_ARGS = ("calls drop_column() with arguments it does not take (op's with a column name alone, "
                    "batch_op's with a table name too)")
UNSET_OPTION = ("reads a main option its env.py never sets (trulens.prefix, beside the trulens.table_prefix it "
                "sets) and adds the None to a table name")
MYSQL_EXISTING_TYPE = ("alter_column() on MySQL without existing_type, which Alembic refuses (MySQL's MODIFY restates "
                       "the whole column)")
METADATA_BIND = "makes MetaData(bind=...), the SQLAlchemy 1.x argument SQLAlchemy 2 refuses"
NO_SUCH_OP = "calls op.drop_sequence(), an operation Alembic does not have"
ADD_COLUMN_NAME = "passes a column's name where add_column() takes a Column"
ORACLE_JSON = "creates a JSON column, which SQLAlchemy 2.0's Oracle dialect cannot render (2.1 writes JSON)"

#: SQLAlchemy 2.0 (Python 3.10's): the skips only its releases need
SQLALCHEMY_2_0 = tuple(int(part) for part in sa.__version__.split(".")[:2]) < (2, 1)
#: the reasons of those skips: the README's table counts a run on 2.1, which has none of them
#: (test_readme leaves their tests out of the count on 2.0)
SQLALCHEMY_2_0_REASONS = frozenset({ORACLE_JSON})


def _json_text() -> type:
    """A host JSON-in-TEXT column type that encodes what is bound to it (rally's data migrations bind dicts)."""
    import json

    class JSONText(sa.types.TypeDecorator):  # type: ignore[type-arg]
        impl = sa.Text
        cache_ok = True

        def process_bind_param(self, value: Any, dialect: Any) -> Any:
            return None if value is None else json.dumps(value)

        def process_result_value(self, value: Any, dialect: Any) -> Any:
            return None if value is None else json.loads(value)

    return JSONText


def _bentoml_label() -> Any:
    """Stand-in for bentoml's Label model: a table with an Enum (a PostgreSQL type), a unique constraint, an index."""
    table = sa.Table("labels", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("resource_type", sa.Enum("deployment", "bento", name="resource_type")),
                     sa.Column("resource_id", sa.Integer), sa.Column("key", sa.String, nullable=False),
                     sa.Column("value", sa.String, nullable=False),
                     sa.UniqueConstraint("resource_type", "resource_id", "key", name="_resource_type_id_key_uc"),
                     sa.Index("ix_labels_key", "key"))
    return SimpleNamespace(__table__=table)


def _bentoml_lock() -> Any:
    """Stand-in for bentoml's Lock model."""
    table = sa.Table("locks", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("resource_id", sa.Integer, nullable=False, unique=True),
                     sa.Column("resource_type", sa.Enum("deployment", "bento", name="lock_resource_type")),
                     sa.Column("lock_status", sa.Enum("read", "write", name="lock_status")),
                     sa.Column("ttl", sa.DateTime, nullable=False, default=datetime.datetime(2020, 1, 1)))
    return SimpleNamespace(__table__=table)


def _skypilot_add_column() -> Callable[..., None]:
    """Stand-in for skypilot's column helper, written from the statements its revisions are seen to make.

    The helper adds one column; when told to, it then fills the rows already
    there, from another column (a plain UPDATE) or, for rows still NULL, with
    a value passed to ``get_bind().execute()`` as a parameter (limbeck writes
    it in, Alembic writes NULL: the ``WrittenParameters`` departure).
    """

    def stand_in(table_name: str, column_name: str, column_type: Any, server_default: str | None = None,
                 copy_from: str | None = None, value_to_replace_existing_entries: Any = None,
                 index: bool | None = None) -> None:
        from alembic import op

        new_column = sa.Column(column_name, column_type, server_default=server_default, index=index)
        op.add_column(table_name, new_column)
        fill = f"UPDATE {table_name} SET {column_name} = "
        if copy_from is not None:
            op.execute(sa.text(fill + copy_from))
        if value_to_replace_existing_entries is None:
            return
        statement = sa.text(fill + f":replacement_value WHERE {column_name} IS NULL")
        op.get_bind().execute(statement, {"replacement_value": value_to_replace_existing_entries})

    return stand_in


def _migrated_engine() -> Any:
    """The application's engine, as far as revisions use it: its dialect is the migration's."""
    from alembic import op

    return SimpleNamespace(dialect=op.get_bind().dialect)


def _sqlalchemy_utils() -> dict[str, Callable[[], Any]]:
    """Stand-ins for the sqlalchemy-utils column types revisions use (invenio's, lemur's), under each path they import them by."""
    types = {"UUIDType": (_type(sa.Uuid), "uuid"), "JSONType": (_type(sa.JSON), "json"),
             "IPAddressType": (_type(sa.String(50)), "ip_address"),
             "StringEncryptedType": (_type(sa.LargeBinary), "encrypted.encrypted_type"),
             "ArrowType": (_type(sa.DateTime(timezone=True)), "arrow"),
             "ChoiceType": (_type(sa.Unicode(255)), "choice")}
    return {f"{module}.{name}": factory for name, (factory, submodule) in types.items()
            for module in ("sqlalchemy_utils", "sqlalchemy_utils.types", f"sqlalchemy_utils.types.{submodule}")}


def _zou_base_mixin() -> type:
    """Stand-in for zou's model mixin, as its revisions' declarative models need it: a UUID primary key
    (made on insert: a revision seeds a row through the ORM), timestamps."""
    import uuid

    class BaseMixin:
        id = sa.Column(sa.Uuid, primary_key=True, default=uuid.uuid4)
        created_at = sa.Column(sa.DateTime)
        updated_at = sa.Column(sa.DateTime)

    return BaseMixin


def _rucio_guid() -> type:
    """Stand-in for rucio's GUID column type: a native UUID where the database has one, 16 raw bytes elsewhere."""

    class GUID(sa.types.TypeDecorator):  # type: ignore[type-arg]
        impl = sa.CHAR(32)
        cache_ok = True

        def load_dialect_impl(self, dialect: Any) -> Any:
            if dialect.name == "postgresql":
                return dialect.type_descriptor(sa.Uuid())
            if dialect.name == "oracle":
                from sqlalchemy.dialects.oracle import RAW

                return dialect.type_descriptor(RAW(16))
            if dialect.name in ("mysql", "mariadb"):
                return dialect.type_descriptor(sa.BINARY(16))
            return dialect.type_descriptor(sa.CHAR(32))

    return GUID


def _rucio_enums() -> dict[str, Callable[[], Any]]:
    """Stand-ins for the rucio enums its revisions give to sa.Enum (with values_callable: the values are written)."""
    members = {"DIDType": {"FILE": "F", "DATASET": "D", "CONTAINER": "C"},
               "RuleState": {"REPLICATING": "R", "OK": "O", "STUCK": "S"},
               "RuleGrouping": {"ALL": "A", "DATASET": "D", "NONE": "N"},
               "RuleNotification": {"YES": "Y", "NO": "N", "CLOSE": "C"},
               "ReplicaState": {"AVAILABLE": "A", "UNAVAILABLE": "U", "COPYING": "C", "SOURCE": "S"},
               "KeyType": {"ALL": "ALL", "COLLECTION": "COLLECTION", "FILE": "FILE"},
               "BadPFNStatus": {"BAD": "B", "SUSPICIOUS": "S", "TEMPORARY_UNAVAILABLE": "T"},
               "LifetimeExceptionsState": {"APPROVED": "A", "REJECTED": "R", "WAITING": "W"},
               "OpenDataDIDState": {"DRAFT": "D", "PUBLIC": "P", "SUSPENDED": "S"},
               "TransferLimitDirection": {"SOURCE": "S", "DESTINATION": "D"}}
    module = {name: "rucio.common.constants" if name == "TransferLimitDirection" else "rucio.db.sqla.constants"
              for name in members}
    return {f"{module[name]}.{name}": (lambda name=name: enum.Enum(name, members[name])) for name in members}


def _invenio(*names: tuple[str, str, str]) -> tuple[Release, ...]:
    return tuple(Release(name, version, f"{name.replace('-', '_')}-{version}-py3-none-any.whl", sha256)
                 for name, version, sha256 in names)


#: what the host application's clock says in airflow's revisions: fixed, so both runs see the same
AIRFLOW_NOW = datetime.datetime(2024, 5, 1, 12, 30, 45, tzinfo=datetime.timezone.utc)


def skip_case_id(project: Project, history: History, skip: Skip, dialect: str) -> str:
    """The id of ``test_skipped_revision``'s case for ``skip`` on ``dialect``."""
    return f"{project.name}-{history.key}-{dialect}-{skip.direction}-{skip.revision}"


def _skips(reason: str, *revisions: str, direction: str = "upgrade", dialects: tuple[str, ...] = ()) -> tuple[Skip, ...]:
    return tuple(Skip(r, reason, direction, dialects) for r in revisions)


def _sqlite_alter(*revisions: str) -> tuple[Skip, ...]:
    """alter_column() on SQLite outside batch mode, both ways: Alembic writes an ALTER COLUMN SQLite does not have."""
    return tuple(Skip(r, "alter_column() outside batch mode: Alembic writes ALTER COLUMN, which SQLite does not have",
                      direction, ("sqlite",), departure="is not supported on sqlite")
                 for r in revisions for direction in ("upgrade", "downgrade"))


PROJECTS: tuple[Project, ...] = (
    Project(
        "mlflow", "3.18.0", "mlflow-3.18.0-py3-none-any.whl",
        "be7d84ba0d0b12392f5b53260cdb3e6d7b7ef4b80c29da90a89b5a1f6db7102f",
        (History("tracking", ("mlflow/store/db_migrations/versions",), ("postgresql", "mysql", "mssql"), skips=(
            *_skips(ASKS_BIND, "90e64c465722"),
            *_skips(ORM, "89d4b8295536"),
            *_skips(INSPECTS, "3500859a5d39"),
            Skip("867495a8f9d4", "declares ForeignKey(column=...) by keyword; Alembic's create_table then has "
                 "no table to name"),
            *_skips(INSPECTS, "0584bdc529eb", "1b5f0d9ad7c1", "75868b020152"),
            *_skips(LITERAL, "dc11669786a5"),
            *_skips(READS, "8b6ad64cb8f5"),
            *_skips(READS, "f4a9b2c7d1e6", dialects=("mysql", "mssql")),
            *_skips(INSPECTS, "75868b020152", "1b5f0d9ad7c1", direction="downgrade"),
        ), departures=(StaleCheck("cfd24bdc0731", "runs", "status"), DelimitedBody("1bd49d398cd23"))),),
        stub_roots=frozenset({"mlflow"}),
        stubs={"mlflow.entities.lifecycle_stage.LifecycleStage": lambda: SimpleNamespace(
            ACTIVE="active", DELETED="deleted", view_type_to_stages=lambda view_type: ["active", "deleted"])},
        shape="long linear; data migrations through the bind",
    ),
    Project(
        "prefect", "3.9.1", "prefect-3.9.1-py3-none-any.whl",
        "0c662e26e971b617993eed1f3d02fb8bc3c2dd47bee521b495f6e4dfeb38ae74",
        (
            History("postgresql", ("prefect/server/database/_migrations/versions/postgresql",), ("postgresql",),
                    configure={"transaction_per_migration": True},
                    skips=(
                        *_skips(READS, "14dc68cc5853"),
                        *_skips(INSPECTS, "1c9390e2f9c6", "724e6dcc6b5d", "2fe6fe6ca16e", "4cdc2ba709a4",
                                "bb4dc90d3e29", "4ff2f2bf81f4"),
                        *_skips(READS, "22b7cb02e593", "2882cd2df464", "2882cd2df465", "f98ae6d8e2cc",
                                "15f5083c16bd", "cef24af2ec34", "94622c1663e8", "4160a4841eed", "9e83011d1f2a"),
                        *_skips(ONLINE, "c8d5f2a71b3e", "d4a7e1c93f52"),
                        *_skips(READS, "9e83011d1f2a", "94622c1663e8", "f98ae6d8e2cc", "2882cd2df465",
                                direction="downgrade"),
                        *_skips(INSPECTS, "724e6dcc6b5d", direction="downgrade"),
                    )),
            # Offline, Alembic renders a SQLite batch that rebuilds a table only with copy_from, which
            # prefect's revisions never pass: 29 upgrades stop there, and 65 of the 115 downgrades. The
            # upgrade is compared around them, downgrades are not compared offline; the whole history
            # also runs online on SQLite with both tools (test_online.py).
            History("sqlite", ("prefect/server/database/_migrations/versions/sqlite",), ("sqlite",),
                    configure={"transaction_per_migration": True}, downgrade=False,
                    skips=(
                        *_skips(BATCH_LIVE, "e1ff4973a9eb", "c8ff35f94028", "fd966d4ad99c", "b75d279ba985",
                                "33439667aeea", "d76326ed0d06", "42762c37b7bc", "638cbcc2a158", "56be24fdb383",
                                "2fe8ef6a6514", "88c2112b668f", "575634b7acd4", "fe77ad0dda06", "bb38729c471a",
                                "f92143d30c24", "f92143d30c27", "b9bda9f142f1", "bfe42b7090d6", "8d148e44e669",
                                "f3df94dca3cc", "8167af8df781", "05ea6f882b1d", "35659cc49969", "2b6c2b548f95",
                                "354f1ede7e9f", "4ad4658cbefe", "a49711513ad4", "8bb517bae6f9", "2095de406cbe"),
                        *_skips(READS, "db6bde582447", "22b7cb02e593", "f92143d30c25", "f92143d30c26",
                                "1678f2fb8b33", "2dbcec43c857", "22ef3915ccd8", "2ac65f1758c2", "7655f31c5157",
                                "9e83011d1f2a"),
                        *_skips(INSPECTS, "e73c6f1fe752", "e2dae764a603", "628a873f0d1a", "f335f9633eec"),
                    )),
        ),
        stub_roots=frozenset({"prefect"}),
        stubs={"prefect.server.utilities.database.Pydantic": _type(sa.JSON)},
        shape="long linear, one history per database",
    ),
    Project(
        "zenml", "0.98.0", "zenml-0.98.0-py3-none-any.whl",
        "801ffbe1821bd48dfc03c9fd5519f5a7d4387d86b3d48d08bd2057dfcde5ad30",
        # 42 of its revisions inspect the database or read rows: offline it is listings only
        (History("main", ("zenml/zen_stores/migrations/versions",), ("mysql",), sql=False),),
        stub_roots=frozenset({"zenml", "sqlmodel", "azure", "botocore", "google", "hvac", "pydantic"}),
        stubs={"sqlmodel.sql.sqltypes.AutoString": _auto_string},
        shape="long linear",
    ),
    Project(
        "buildbot", "4.3.0", "buildbot-4.3.0-py3-none-any.whl",
        "5cd502825b1bbacda2ac0b24e6da5107dbbc2c54f80cd53100f85a5b2e30c400",
        (History("main", ("buildbot/db/migrations/versions",), ("postgresql", "mysql"),
                 skips=tuple(Skip(r, "drop_index() without table_name: Alembic writes DROP INDEX ... ON no_table",
                                  "downgrade", ("mysql",), departure="pass table_name=") for r in ("067", "060"))),),
        stub_roots=frozenset({"buildbot"}),
        stubs={"buildbot.util.sautils.Table": lambda: sa.Table},
        shape="short linear",
    ),
    Project(
        "apache-airflow-providers-fab", "3.10.2", "apache_airflow_providers_fab-3.10.2-py3-none-any.whl",
        "531ec2787089c318969e0f2a94afbdc268a67153610fff28504e3228088f88cd",
        (History("main", ("airflow/providers/fab/migrations/versions",), ("postgresql", "mysql"),
                 configure={"version_table": "alembic_version_fab"},
                 skips=(Skip("6709f7a774b9", INSPECTS),),
                 departures=(DelimitedBody("02ca36b0235b"), DelimitedBody("02ca36b0235b", "downgrade"))),),
        stub_roots=frozenset({"airflow"}),
        shape="short linear, own version table",
    ),
    Project(
        "neutron", "29.0.0", "neutron-29.0.0-py3-none-any.whl",
        "6e998e2e55d233ff757f3ae1d53dd8dfd2cb455a01868e494c22fd6b8b0aba36",
        (History("main", ("neutron/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 # 17 revisions inspect the database or close the bind: offline it is listings only
                 nested=True, sql=False),),
        stub_roots=frozenset({"neutron", "neutron_lib"}) | _OSLO,
        shape="expand/contract branches, depends_on, 27 version locations",
    ),
    Project(
        "nova", "34.0.0", "nova-34.0.0-py3-none-any.whl",
        "8b46997836961762608e6e46e6d4945325d8a1fb8004e79e552e55839061f10c",
        (
            History("main", ("nova/db/main/migrations/versions",), ("mysql", "postgresql"), downgrade=False,
                    # its initial revision (8f2f1571d55b, skipped here) registers, when imported, a
                    # @compiles that writes PostgreSQL foreign keys without their names: both tools
                    # import every revision file before the first step, so it shapes the rest too
                    skips=_skips(ASKS_BIND, "8f2f1571d55b", "1b91788ec3a6")),
            History("api", ("nova/db/api/migrations/versions",), ("mysql", "postgresql"), downgrade=False,
                    skips=_skips(ASKS_BIND, "cdeec0c85668")),
        ),
        stub_roots=frozenset({"nova"}) | _OSLO,
        stubs={"nova.db.types.IPAddress": _type(sa.String(39)), "nova.db.types.CIDR": _type(sa.String(43))},
        shape="two databases, short linear",
    ),
    Project(
        "keystone", "30.0.0", "keystone-30.0.0-py3-none-any.whl",
        "d0fa097278b1c1eda5b2c727766322a6a8afac0ed848d3104253855d4d483515",
        (History("main", ("keystone/common/sql/migrations/versions",), ("mysql", "postgresql"), nested=True,
                 downgrade=False, skips=(*_skips(ASKS_BIND, "27e647c0fad4"),
                                          *_skips(ASKS_BIND, "c88cdce8f248", dialects=("mysql",)))),),
        stub_roots=frozenset({"keystone"}) | _OSLO,
        stubs={"keystone.common.sql.DateTimeInt": _type(sa.BigInteger)},
        shape="expand/contract branches, 8 version locations",
    ),
    Project(
        "cinder", "29.0.0", "cinder-29.0.0-py3-none-any.whl",
        "da8b1441740fb2dcfd76138607c6a96fc14d2548826741a6246bbd0d73f88860",
        (History("main", ("cinder/db/migrations/versions",), ("mysql", "postgresql"), downgrade=False,
                 skips=(*_skips(ASKS_BIND, "921e1a36b076"), *_skips(INSPECTS, "c92a3e68beed"),
                        *_skips(ASKS_BIND, "89aa6f9639f9"), *_skips(INSPECTS, "b8660621f1b9"),
                        *_skips(ORM, "b7b88f50aab5"), *_skips(ASKS_BIND, "9c74c1c6971f"))),),
        stub_roots=frozenset({"cinder"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "apache-airflow-core", "3.3.2", "apache_airflow_core-3.3.2-py3-none-any.whl",
        "99258922bccec15be4700ff89f3c942b8acd93407e263c287ce863e671bb3c50",
        (History("main", ("airflow/migrations/versions",), ("postgresql", "mysql"),
                 skips=(*_skips(READS, "d59cbbef95eb", dialects=("postgresql",)),
                        *_skips(READS, "b12d4f98a91e", direction="downgrade"),
                        *_skips(READS, "b87d2135fa50", "7645189f3479", direction="downgrade", dialects=("mysql",))),
                 # 0101_3_2_0_ui_improvements_for_deadlines.py: UPDATE ... SET created_at = :now, {"now": utcnow()}
                 departures=(WrittenParameters("55297ae24532", (AIRFLOW_NOW,)), DelimitedBody("5f2621c13b39"),
                             DelimitedBody("d59cbbef95eb"), DelimitedBody("5f2621c13b39", "downgrade"))),),
        stub_roots=frozenset({"airflow", "dill", "structlog", "uuid6"}),
        stubs={"airflow.models.base.StringID": _type(sa.String(250)),
               "airflow.migrations.db_types.StringID": _type(sa.String(250)),
               "airflow.models.base.COLLATION_ARGS": dict,
               "airflow.utils.sqlalchemy.ExecutorConfigType": _type(sa.LargeBinary),
               # a real value for get_bind().execute(..., {"now": timezone.utcnow()}), which limbeck
               # writes into the statement (a documented departure: WrittenParameters above)
               "airflow._shared.timezones.timezone.utcnow": lambda: lambda: AIRFLOW_NOW},
        shape="long linear, per-dialect branches in revisions",
    ),
    Project(
        "ckan", "2.12.0", "ckan-2.12.0-py3-none-any.whl",
        "3b41cb4860286813fbcd18c57341e96edba266e2e492aeea92c4e03ce9e2934e",
        (History("main", ("ckan/migration/versions",), ("postgresql",),
                 skips=(Skip("f98d8fa2a7f7", READS),
                        Skip("fd6622e3d964", "its downgrade adds a column to a Table it already declared",
                             "downgrade"))),),
        stub_roots=frozenset({"ckan"}),
        shape="long linear",
    ),
    Project(
        "glance", "33.0.0", "glance-33.0.0-py3-none-any.whl",
        "680091845b2fb8e395926a6760f82b569facb6fd0521a0cfaa0fa2bc014d3701",
        (History("main", ("glance/db/sqlalchemy/alembic_migrations/versions",), ("mysql",), downgrade=False,
                 skips=(Skip("mitaka02", INSPECTS),), departures=(DelimitedBody("ocata_expand01"),)),),
        stub_roots=frozenset({"glance"}) | _OSLO,
        shape="expand/contract in one folder",
    ),
    Project(
        "ironic", "39.0.0", "ironic-39.0.0-py3-none-any.whl",
        "99250b7ec5bc4736279984652acdf51e5af99a6e5ffd8f06d51820990639f4cb",
        (History("main", ("ironic/db/sqlalchemy/alembic/versions",), ("mysql",), downgrade=False,
                 skips=(Skip("c1fd28861bb9", READS),)),),
        stub_roots=frozenset({"ironic"}) | _OSLO,
        stubs={"ironic.db.sqlalchemy.types.JsonEncodedDict": _type(sa.Text)},
        shape="long linear",
    ),
    Project(
        "octavia", "19.0.0", "octavia-19.0.0-py3-none-any.whl",
        "63e1396b940cab6d9e0fd8d3907bc74886a0e1cf77547cc4d8c7da5987fc961c",
        (History("main", ("octavia/db/migration/alembic_migrations/versions",), ("mysql",), downgrade=False,
                 skips=(*_skips(INSPECTS, "3b199c848b96"), *_skips(READS, "29ff921a6eb"),
                        *_skips(INSPECTS, "4aeb9e23ad43"), *_skips(ASKS_BIND, "392fb85b4419"),
                        *_skips(READS, "dcf88e59aae4"))),),
        stub_roots=frozenset({"octavia"}) | _OSLO,
        shape="long linear",
    ),
    Project(
        "aodh", "23.0.0", "aodh-23.0.0-py3-none-any.whl",
        "225663eff53f6b62ad8d4e72d8573de0274df84f2f9ac5fd3f1973e58d138898",
        (History("main", ("aodh/storage/sqlalchemy/alembic/versions",), ("mysql", "postgresql"), downgrade=False,
                 skips=(Skip("367aadf5485f", "adds the same Column object to two tables", dialects=("mysql",)),
                        *_skips(ASKS_BIND, "010"))),),
        stub_roots=frozenset({"aodh"}) | _OSLO,
        stubs={"aodh.storage.sqlalchemy.models.TimestampUTC": _type(sa.DateTime)},
        shape="short linear",
    ),
    Project(
        "apache-airflow", "2.10.5", "apache_airflow-2.10.5-py3-none-any.whl",
        "4c6d19159bcd85f496fbea70db72ef55d32335f80e4ffb82ae3c252782079ca0",
        (History("main", ("airflow/migrations/versions",), ("postgresql",), skips=(
            *_skips(INSPECTS, "e3a246e0dc1", "1507a7289a2f", "cc1e65623dc7", "33ae817a1ff4", "92c57b58940d",
                    "03afc6b6f902", "cf5dc11e79ad", "bbf4a7ad0465", "3c20cacc0044", "e38be357a868", "bef4f3d11e8b",
                    "5f2621c13b39"),
            *_skips(ORM, "6e96a59344a4", "849da589634d"),
            *_skips(ASKS_BIND, "952da73b5eff", "8f966b9c467a"),
            *_skips(INSPECTS, "5f2621c13b39", "bef4f3d11e8b", "e38be357a868", "03afc6b6f902", "92c57b58940d",
                    "33ae817a1ff4", direction="downgrade"),
            *_skips(ORM, "849da589634d", "6e96a59344a4", direction="downgrade"),
            Skip("c306b5b5ae4a", "calls select([...]), SQLAlchemy 1.x's form, which SQLAlchemy 2 (installed here) "
                 "refuses", "downgrade"),
        )),),
        stub_roots=frozenset({"airflow", "dill", "flask_appbuilder", "sqlalchemy_jsonfield"}),
        stubs={"airflow.migrations.db_types.StringID": _type(sa.String(250)),
               "airflow.models.base.StringID": _type(sa.String(250)),
               "airflow.models.base.COLLATION_ARGS": dict,
               "airflow.utils.sqlalchemy.ExecutorConfigType": _type(sa.LargeBinary)},
        shape="long linear from Airflow 1.5, branches and 3 merges",
    ),
    Project(
        "designate", "23.0.0", "designate-23.0.0-py3-none-any.whl",
        "5df2306b4104fcf1f957d6d2ba4f9d5f9e6c18222b39fef9118a020e86417765",
        (History("main", ("designate/storage/sqlalchemy/alembic/versions",), ("mysql",), downgrade=False),),
        stub_roots=frozenset({"designate"}) | _OSLO,
        shape="linear",
    ),
    Project(
        "open-webui", "0.12.4", "open_webui-0.12.4-py3-none-any.whl",
        "02e9caba96234db3fa17a92e56163b3f7f2b8ca8227fa886b85c178d696483f6",
        # 45 of its 66 revisions inspect the database (most to skip what exists): offline it is
        # listings only; the whole history runs online on SQLite with both tools (test_online.py)
        (History("main", ("open_webui/migrations/versions",), ("sqlite", "postgresql"), sql=False),),
        stub_roots=frozenset({"open_webui"}),
        shape="linear; SQLite batch online, data migrations through the bind",
    ),
    Project(
        "jupyterhub", "6.1.1", "jupyterhub-6.1.1-py3-none-any.whl",
        "ae20ed7b3d7cef1dd5d51e28723fd53853d69f732e7a9e84a73136acab454248",
        (History("main", ("jupyterhub/alembic/versions",), ("sqlite", "postgresql", "mysql"),
                 configure={"transaction_per_migration": True},
                 skips=(*_skips(INSPECTS, "1cebaf56856c", "56cc5a70207e", "d68c98b66cd4", "4dc2d5a8c53c", "651f5419b74d",
                                "0eee8c825d24", "3c2384c5aae1", "4621fec11365", "afd65840b69e"),
                        Skip("99a28a4418e1", "calls datetime._replace(), which datetime does not have: it fails in any mode"),
                        *_skips(BATCH_LIVE, "833da8570507", dialects=("sqlite",)),
                        *_skips(INSPECTS, "afd65840b69e", "4621fec11365", direction="downgrade"),
                        *_skips(ASKS_BIND, "3ec6993fe20c", direction="downgrade"),
                        *_skips(COLUMN_NAME, "3c2384c5aae1", "0eee8c825d24", "4dc2d5a8c53c", direction="downgrade"),
                        *_skips(UNNAMED_DROP, "56cc5a70207e", direction="downgrade"),
                        *_skips(BATCH_LIVE, "833da8570507", direction="downgrade", dialects=("sqlite",)))),),
        stub_roots=frozenset({"jupyterhub"}),
        # 833da8570507 names its foreign keys with the application's naming convention
        stubs={"jupyterhub.orm.meta": lambda: sa.MetaData(naming_convention={
            "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"})},
        shape="linear; transaction per migration, naming convention in batch",
    ),
    Project(
        "magnum", "23.0.0", "magnum-23.0.0-py3-none-any.whl",
        "e85214e082fdca95463a92721a5c153786bf2fe6e6926b397c12d1a39c910bfd",
        (History("main", ("magnum/db/sqlalchemy/alembic/versions",), ("mysql",), downgrade=False,
                 skips=_skips(READS, "461d798132c7")),),
        stub_roots=frozenset({"magnum"}) | _OSLO,
        shape="long linear",
    ),
    Project(
        "blazar", "18.0.0", "blazar-18.0.0-py3-none-any.whl",
        "cf98341ddc09a6fbab46943e726f3291ab55bf33127b2d6ebaec73f94456e4d5",
        (History("main", ("blazar/db/migration/alembic_migrations/versions",), ("mysql",),
                 skips=(*_skips(ASKS_BIND, "6bfd1c23aa18"), *_skips(INSPECTS, "75a74e4539cb"), *_skips(READS, "02e2f2186d98"),
                        *_skips(INSPECTS, "75a74e4539cb", direction="downgrade"))),),
        stub_roots=frozenset({"blazar"}) | _OSLO,
        shape="linear",
    ),
    Project(
        "conda-store-server", "2025.2.2", "conda_store_server-2025.2.2-py3-none-any.whl",
        "ea9bc3d61ec7f61f7ad6b1c28ae719dc06a9e36d04e22ff3bb869189a456784e",
        (History("main", ("conda_store_server/_internal/alembic/versions",), ("sqlite", "postgresql"),
                 skips=(*_skips(BATCH_LIVE, "5ad723de2abd", "16f65805dc8f", "57cd11b949d5", "03c839888c82", dialects=("sqlite",)),
                        *_skips(ASKS_BIND, "57cd11b949d5", "03c839888c82", dialects=("postgresql",)),
                        *_skips(BATCH_LIVE, "57cd11b949d5", "16f65805dc8f", "8d63a091aff8", direction="downgrade",
                                dialects=("sqlite",)))),),
        stub_roots=frozenset({"conda_store_server"}),
        shape="linear; SQLite batch",
    ),
    Project(
        "nbgrader", "0.9.6", "nbgrader-0.9.6-py3-none-any.whl",
        "8a185fe53cab78363102862e3d845c48b26823f349482ea9209426bdae5bd75f",
        (History("main", ("nbgrader/alembic/versions",), ("sqlite",),
                 skips=(*_skips(INSPECTS, "167914646830", "e43177bfe90b"),
                        *_skips(COLUMN_NAME, "e43177bfe90b", direction="downgrade"))),),
        stub_roots=frozenset({"nbgrader"}),
        shape="short linear",
    ),
    Project(
        "openstack-heat", "27.0.1", "openstack_heat-27.0.1-py3-none-any.whl",
        "6eb3e0e15da4e86a3f3c21543efcf65c5848412eb1864423ce4cff56c435897f",
        (History("main", ("heat/db/migrations/versions",), ("mysql", "postgresql"), downgrade=False,
                 skips=_skips(INSPECTS, "97b2a986f922")),),
        stub_roots=frozenset({"heat"}) | _OSLO,
        stubs={"heat.db.types.List": _type(sa.Text)},
        shape="short linear",
    ),
    Project(
        "openstack-placement", "16.0.0", "openstack_placement-16.0.0-py3-none-any.whl",
        "3286f433f9c2aa365de847539a60ce99cd07fedc1cd782ffa4b2bcdc5eb30b55",
        (History("main", ("placement/db/sqlalchemy/alembic/versions",), ("mysql", "postgresql"), downgrade=False,
                 skips=_skips(INSPECTS, "611cd6dffd7b", "b5c396305c25")),),
        stub_roots=frozenset({"placement"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "trove", "26.0.0", "trove-26.0.0-py3-none-any.whl",
        "a85257330313ad2e373bea6eef7eba6e9b1d3e9718fb5da3468b8cbcd05ddaea",
        (History("main", ("trove/db/sqlalchemy/migrations/versions",), ("mysql",),
                 skips=(*_skips(READS, "5c68b4fb3cd1"), *_skips(ASKS_BIND, "cee1bcba3541"))),),
        stub_roots=frozenset({"trove"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "indico", "3.3.14", "indico-3.3.14-py3-none-any.whl",
        "d98e030e0f21d22b9d9423d7cb3f9fca472ac5c2c4f3d8c5d7026ed3ed6c9811",
        (History("main", ("indico/migrations/versions",), ("postgresql",),
                 configure={"version_table_schema": "public", "include_schemas": True},
                 skips=(*_skips(ONLINE, "7a72d63acba9", "27c45c384d65", "ec410be271df", "cbe630695800", "a3295d628e3b",
                                "933665578547", "c997dc927fbc", "d354278c6d95", "7551bd141960", "e47fc6634291",
                                "0af8f63aa603"),
                        *_skips(READS, "2496c4adc7e9"),
                        *_skips(ONLINE, "e47fc6634291", "c997dc927fbc", "933665578547", "a3295d628e3b", "cbe630695800",
                                "ec410be271df", "27c45c384d65", "7a72d63acba9", direction="downgrade"),
                        *_skips(READS, "2496c4adc7e9", direction="downgrade")),
                 fresh=(FreshUUIDs("26806768cd3f", "downgrade"),)),),
        stub_roots=frozenset({"indico"}),
        stubs={"indico.core.db.sqlalchemy.PyIntEnum": _type(sa.SmallInteger),
               "indico.util.enum.IndicoIntEnum": lambda: enum.IntEnum,
               "indico.core.db.sqlalchemy.links.LinkType": lambda: enum.IntEnum("LinkType", [
                   "category", "event", "contribution", "subcontribution", "session", "session_block"]),
               # a fixed clock, as for airflow: f37d509e221c writes it into its SQL
               "indico.util.date_time.now_utc": lambda: lambda: AIRFLOW_NOW},
        shape="long linear, many schemas",
    ),
    Project(
        "dagster", "1.13.29", "dagster-1.13.29-py3-none-any.whl",
        "65f7bf2f52c0c1219cb1ca63a1f0f95a1af83d12e94ebec7598e47ee49889859",
        (History("main", ("dagster/_core/storage/alembic/versions",), ("sqlite", "postgresql", "mysql"), sql=False),),
        stub_roots=frozenset({"dagster", "dagster_shared"}),
        stubs={"dagster._core.storage.sql.get_sql_current_timestamp": lambda: lambda: sa.text("CURRENT_TIMESTAMP")},
        shape="long linear",
    ),
    Project(
        "manila", "23.0.1", "manila-23.0.1-py3-none-any.whl",
        "3237549ee1dc3fc0846190db6e657a9cc4e56f220c95baa9f48cbd1c550536c6",
        (History("main", ("manila/db/migrations/alembic/versions",), ("mysql",), skips=(
            *_skips(ASKS_BIND, "162a3e673105", "59eb64046740", "56cdbe267881", "55761e5f59c5", "3e7d62517afa", "87ce15c59bbe"),
            *_skips(READS, "38e632621e5a", "dda6de06349"),
            *_skips(INSPECTS, "3db9992c30f3", "5077ffcc5f1c", "579c267fbb4d", "1f0bd302c1a6", "344c1ac4747f", "48a7beae3117",
                    "54667b9cade7", "e9f79621d83f", "a77e2ad5012d", "31252d671ae5", "6a3fd2984bc31", "805685098bd2",
                    "e6d88547b381", "0c23aec99b74", "a87e0fb17dee", "2d708a9a3ba9"),
            *_skips(INSPECTS, "2d708a9a3ba9", "a87e0fb17dee", "805685098bd2", "31252d671ae5", "03da71c0e321", "54667b9cade7",
                    "3e7d62517afa", "48a7beae3117", "e8ea58723178", "344c1ac4747f", "55761e5f59c5", "1f0bd302c1a6",
                    "579c267fbb4d", "5077ffcc5f1c", "3db9992c30f3", direction="downgrade"),
            *_skips(ASKS_BIND, "56cdbe267881", direction="downgrade"),
            *_skips(READS, "38e632621e5a", direction="downgrade"),
            *_skips(NO_DOWNGRADE, "162a3e673105", direction="downgrade"))),),
        stub_roots=frozenset({"manila"}) | _OSLO,
        # its load_table() reflects the table from the bind, which offline neither tool can
        stubs={"manila.db.migrations.utils.load_table": lambda: lambda name, bind: sa.Table(
            name, sa.MetaData(), autoload_with=bind)},
        shape="long linear",
    ),
    Project(
        "fittrackee", "1.3.6", "fittrackee-1.3.6-py3-none-any.whl",
        "6aefd582e04de2ab6abb80d7910fa2260107c9f96bd67f846e1595cc2b05c28e",
        (History("main", ("fittrackee/migrations/versions",), ("postgresql",), skips=(
            *_skips(READS, "3243cd25eca7", "aa7802092404", "70f12f8c0218", "e63433a1d62e", "076d33eab04f"),
            *_skips(GEOALCHEMY, "fed271354410", "0a2e2369b972"),
            *_skips(READS, "aa7802092404", direction="downgrade"),
            *_skips(GEOALCHEMY, "0a2e2369b972", "fed271354410", direction="downgrade"),
            *_skips(UNNAMED_DROP, "5a42db64e872", direction="downgrade"))),),
        stub_roots=frozenset({"fittrackee", "geoalchemy2", "flask"}),
        # 4e8597c50064 renames upload folders on disk first (none exists here)
        stubs={"flask.current_app": lambda: SimpleNamespace(config={"UPLOAD_FOLDER": "/nonexistent/upload-folder"})},
        shape="long linear",
    ),
    Project(
        "gnocchi", "4.7.1", "gnocchi-4.7.1-py3-none-any.whl",
        "8ec5c64d7eeec1ccd2b36e48bffbd80fdaf9a99035d6916eaf61f8daa8ed88a3",
        (History("main", ("gnocchi/indexer/alembic/versions",), ("mysql", "postgresql"), downgrade=False,
                 skips=(*_skips(READS, "62a8dfb139bb", "ffc7bbeec0b0", "397987e38570"),
                        *_skips(INSPECTS, "ed9c6ddc5c35", "34c517bcc2dd", "5c4f93e5bb4", "04eba72e4f90"))),),
        stub_roots=frozenset({"gnocchi"}) | _OSLO,
        stubs={"gnocchi.indexer.sqlalchemy_base.ArchivePolicyDefinitionType": _type(sa.Text),
               "gnocchi.indexer.sqlalchemy_types.TimestampUTC": _type(sa.DateTime),
               "gnocchi.utils.utcnow": lambda: lambda: AIRFLOW_NOW,
               "gnocchi.indexer.sqlalchemy_base.SetType": _type(sa.Text)},
        shape="linear",
    ),
    Project(
        "tacker", "16.0.0", "tacker-16.0.0-py3-none-any.whl",
        "6550cd094e9b8e0a722e9c88c1ba6c6160c2bd09b2b76ce8acfaaa5d942f89dd",
        (History("main", ("tacker/db/migration/alembic_migrations/versions",), ("mysql",), downgrade=False,
                 skips=(*_skips(INSPECTS, "6e56d4474b2a", "0ae5b1ce3024"), *_skips(ASKS_BIND, "975e28392888"))),),
        stub_roots=frozenset({"tacker"}) | _OSLO,
        stubs={"tacker.db.types.Uuid": _type(sa.String(36))},
        shape="long linear",
    ),
    Project(
        "arize-phoenix", "20.26.1", "arize_phoenix-20.26.1-py3-none-any.whl",
        "dd318844cba1d7021d8accaa995b7f3716d559eab4afb549dfb1017dd51bab56",
        (History("main", ("phoenix/db/migrations/versions",), ("sqlite", "postgresql"),
                 configure={"transaction_per_migration": True},
                 skips=(*_skips(BATCH_LIVE, "4ded9e43755f", "2f9d1a65945f", "bb8139330879", "8a3764fe7f1a", "01a8342c9cdf",
                                "ab513d89518b", "d0690a79ea51", "3f53d82a1b7e", "9c5c1f6bd0d2", "575aa27302ee",
                                "0ff41b5b118f", dialects=("sqlite",)),
                        *_skips(READS, "6a88424799fe", "a1b2c3d4e5f6", "132d988c5bef", dialects=("sqlite",)),
                        *_skips(READS, "eaf1907ae453", "4aad9107d196", dialects=("postgresql",)),
                        *_skips(READS, "132d988c5bef", "a1b2c3d4e5f6", "6a88424799fe", direction="downgrade",
                                dialects=("sqlite",)),
                        *_skips(BATCH_LIVE, "0ff41b5b118f", "575aa27302ee", "9c5c1f6bd0d2", "3f53d82a1b7e", "d0690a79ea51",
                                "ab513d89518b", "01a8342c9cdf", "8a3764fe7f1a", "bb8139330879", "2f9d1a65945f",
                                "4ded9e43755f", direction="downgrade", dialects=("sqlite",)),
                        *_skips(READS, "4aad9107d196", "eaf1907ae453", direction="downgrade", dialects=("postgresql",)))),),
        stub_roots=frozenset({"phoenix"}),
        shape="linear; @compiles in revisions",
    ),
    Project(
        "langflow-base", "1.13.0", "langflow_base-1.13.0-py3-none-any.whl",
        "e15db23e16cf27d6d1ac8fcc5030cf25ad3a04356a9581862b4e97de739dd3a2",
        # most of its revisions inspect the database to skip what exists: listings only
        (History("main", ("langflow/alembic/versions",), ("sqlite", "postgresql"), sql=False),),
        stub_roots=frozenset({"langflow", "sqlmodel", "lfx"}),
        stubs={"sqlmodel.sql.sqltypes.AutoString": _auto_string},
        shape="branches and merges",
    ),
    Project(
        "dstack", "0.22.5", "dstack-0.22.5-py3-none-any.whl",
        "e83cd6b7161f379ed173c012cd4d4149d1c395af6abf1dae61a9143f78e3cd04",
        # on SQLite 60 of its revisions rebuild a table in batch mode without copy_from, which
        # Alembic cannot render offline: offline it is compared on PostgreSQL
        (History("main", ("dstack/_internal/server/migrations/versions",), ("postgresql",), nested=True,
                 configure={"transaction_per_migration": True},
                 skips=(*_skips(READS, "710e5b3fac8f", "3cf77fb8bcf1", "afbc600ff2b2", "72cfa56364ad"),
                        *_skips(READS, "3cf77fb8bcf1", direction="downgrade"))),),
        stub_roots=frozenset({"dstack"}),
        # e3b7db07727f writes the application's clock into an UPDATE through the bind
        stubs={"dstack._internal.utils.common.get_current_datetime": lambda: lambda: AIRFLOW_NOW},
        shape="long linear, yearly folders, alembic-postgresql-enum operations",
    ),
    Project(
        "meltano", "4.4.1", "meltano-4.4.1-py3-none-any.whl",
        "0cb012ffbc40d019c86694480f02575fdd8c1bf92c5549a4295c285b9d6a3225",
        (History("main", ("meltano/migrations/versions",), ("sqlite", "postgresql"),
                 skips=_skips(INSPECTS, "53e97221d99f", "23ea52e6d784", "6828cc5b1a4f")),),
        stub_roots=frozenset({"meltano"}),
        stubs={"meltano.core.sqlalchemy.IntFlag": _type(sa.Integer), "meltano.migrations.IntFlag": _type(sa.Integer),
               "meltano.core.sqlalchemy.GUID": _type(sa.CHAR(32)), "meltano.migrations.GUID": _type(sa.CHAR(32)),
               "meltano.migrations.utils.dialect_typing.datetime_for_dialect": lambda: lambda name: sa.DateTime()},
        shape="short linear",
    ),
    Project(
        "apache-airflow-providers-edge3", "5.1.0", "apache_airflow_providers_edge3-5.1.0-py3-none-any.whl",
        "4d0e3c7790aa919c33db93c85b9cd7a4142d5405ba9b5d1cbe7ee1f5600c7182",
        (History("main", ("airflow/providers/edge3/migrations/versions",), ("postgresql", "mysql"),
                 configure={"version_table": "alembic_version_edge3"},
                 skips=(*_skips(INSPECTS, "9d34dfc2de06", "b3c4d5e6f7a8", "a09c3ee8e1d3"),
                        *_skips(ONLINE, "f2a4b6c8d0e1", direction="downgrade"))),),
        stub_roots=frozenset({"airflow"}),
        shape="short linear, own version table",
    ),
    Project(
        "mistral", "23.0.0", "mistral-23.0.0-py3-none-any.whl",
        "6cd92af6e0b5850a794db65784fa340ce174fdba9227f67707fa8b8c36c35f1c",
        (History("main", ("mistral/db/sqlalchemy/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 downgrade=False,
                 skips=_skips(ASKS_BIND, "009", "014", "019", "020", "022", "028", "029", "034", "035", "036", "037", "038"),
                 # 042: INSERT ... VALUES (..., :status), {"status": maintenance.RUNNING}
                 departures=(WrittenParameters("042", ("running",)),)),),
        stub_roots=frozenset({"mistral", "mistral_lib"}) | _OSLO,
        shape="linear",
    ),
    Project(
        "zun", "18.0.0", "zun-18.0.0-py3-none-any.whl",
        "a0d74a230096edd8f6492fed80435532eac0f459a9e090d19ae32a66acd05fa1",
        (History("main", ("zun/db/sqlalchemy/alembic/versions",), ("mysql",), downgrade=False,
                 skips=_skips(ASKS_BIND, "8b0082d9e7c1", "fb9ad4a050f8", "50829990c965", "3e80bbfd8da7", "33cdd98bb9b2",
                              "d502ce8fb705")),),
        stub_roots=frozenset({"zun"}) | _OSLO,
        shape="long linear",
    ),
    Project(
        "ironic-inspector", "12.5.0", "ironic_inspector-12.5.0-py3-none-any.whl",
        "583a040e33e5460e7a7ea12330ae5e9e3be74dcf4d40c0713320d2708b314dd2",
        (History("main", ("ironic_inspector/db/migrations/versions",), ("mysql",), downgrade=False,
                 skips=(*_skips(READS, "d00d6e3f38c4"), *_skips(ASKS_BIND, "882b2d84cb1b"))),),
        stub_roots=frozenset({"ironic_inspector"}) | _OSLO,
        # d2e48801c8ef builds its state ENUM from the application's state machine
        stubs={"ironic_inspector.introspection_state.States": lambda: SimpleNamespace(
            all=lambda: ["aborting", "enrolling", "error", "finished", "processing", "reapplying", "starting",
                         "waiting"], finished="finished", error="error")},
        shape="short linear",
    ),
    Project(
        "cloudkitty", "25.0.0", "cloudkitty-25.0.0-py3-none-any.whl",
        "7ed3e5ce3e990fad885c7402eb6ac10c81e0c162354b5ace7fa0c2ce9e217b0f",
        # each history's first revision has no downgrade(); three revisions rebuild tables from the
        # application's models (stand-ins here: hashmap's f8c799db4aa0) or from the models a sibling
        # revision module declares, imported through the application's package (state's two)
        tuple(History(key, (f"cloudkitty/{folder}/alembic/versions",), ("mysql", "postgresql"), downgrade=False,
                      configure={"version_table": table},
                      skips={"hashmap": _skips(MODELS, "f8c799db4aa0"),
                             "state": _skips(SIBLING, "750d3050cf71", "4d69395f")}.get(key, ()))
              for key, folder, table in (("main", "db/sqlalchemy", "cloudkitty_alembic"),
                                         ("hashmap", "rating/hash/db/sqlalchemy", "hashmap_alembic"),
                                         ("pyscripts", "rating/pyscripts/db/sqlalchemy", "pyscripts_alembic"),
                                         ("storage", "storage/v1/sqlalchemy", "storage_sqlalchemy_alembic"),
                                         ("hybrid", "storage/v1/hybrid", "storage_hybrid_alembic"),
                                         ("state", "storage_state", "storage_states_alembic"))),
        stub_roots=frozenset({"cloudkitty"}) | _OSLO,
        shape="six histories in one release, each its own version table",
    ),
    Project(
        "invenio-db", "2.6.1", "invenio_db-2.6.1-py3-none-any.whl",
        "9c5f7c6f01cf3d1c963c6355b8d68dbc2016b1f033ccf054e3fc0fe53ab4384a",
        # one history from eight packages' folders, each package its own branch (branch_labels)
        # rooted on invenio-db's, with depends_on across packages; invenio_accounts' f2522cdd5fcd
        # computes its depends_on from which other invenio packages import. (invenio-files-rest,
        # and the packages that depend on it, are left out: its e172c837b036 inspects the database,
        # and a branch's skipped revision cannot be gone around by one --sql range.)
        (History("main", tuple(f"invenio_{p}/alembic" for p in (
            "db", "accounts", "access", "records", "pidstore", "oauthclient", "oaiserver", "vocabularies")),
            ("postgresql",), downgrade=False, skips=_skips(TARGET_METADATA, "35c1075e6360")),),
        more=_invenio(
            ("invenio-accounts", "9.1.0", "b3529213456a91b3aa3ba79ba0d0074cfa29bc81715b2d3300f8c47e7ac06d47"),
            ("invenio-access", "7.1.0", "eafedf3274bbf47166e92ca23ed19acf46d6c825a9bcaeea2a59e934011987c0"),
            ("invenio-records", "6.1.0", "de1d75d6ef9fe4d12983c0003a367aaa3b83cfafce868cbb8437fabf3ccbd541"),
            ("invenio-pidstore", "4.0.2", "3c3f8bea59fd0761d6e4f5a70e7deebddcb7785a56e559ba34c6d64a6f542434"),
            ("invenio-oauthclient", "9.1.2", "1c608474d0c8bb554fd6994438736aa36c08a595e62f12988498789c32b2d468"),
            ("invenio-oaiserver", "6.0.2", "e8e04d2995dfec7f87de88f2f57fa38f337f324c0b537dc808aa18049dd4db8b"),
            ("invenio-vocabularies", "14.5.0", "01e7e2ac644bab380a4eaa12dc83ad21ece5d7e58eaec5192618d6c3de664403")),
        stub_roots=frozenset({"invenio_db", "invenio_accounts", "invenio_access", "sqlalchemy_utils", "flask"}),
        stubs=_sqlalchemy_utils(),
        shape="one history from 8 packages' folders: a branch label each, depends_on across packages",
    ),
    Project(
        "keylime", "7.14.3", "keylime-7.14.3-py3-none-any.whl",
        "38596188f7950ae7d095b162a3ecc61345cd6f419b8302f5cf1c961d8e586e8d",
        # Alembic's multidb template: each revision's upgrade(engine_name) runs upgrade_<engine>(),
        # each database with its own version table
        # (on SQLite 12 of its revisions rebuild a table in batch mode without copy_from, which
        # Alembic cannot render offline)
        tuple(History(name, ("keylime/migrations/versions",), ("postgresql", "mysql"),
                      configure={"version_table": f"alembic_version_{name}", "render_as_batch": True,
                                 "run_migrations": {"engine_name": name}},
                      skips=skips)
              for name, skips in (("cloud_verifier", (
                  *_skips(READS, "a72aec03d720", "f4196d13fe45"),
                  *_skips(INSPECTS, "4329e2d14944", "8c0f8ded1f90", "9d2f6fab52b1", "5a8b2c3d4e6f"),
                  *_skips(ASKS_BIND, "32902c0a8d90"),
                  *_skips(READS, "a59cc9366774", dialects=("mysql",)),
                  *_skips(INSPECTS, "5a8b2c3d4e6f", "f4196d13fe45", "8c0f8ded1f90", "a72aec03d720", direction="downgrade"),
                  *_skips(COLUMN_NAME, "870c218abd9a", direction="downgrade"),
                  *_skips(NAMELESS, "bc3b6b551b0a", direction="downgrade"),
                  *_skips(PRIVATE_API, "257fe0f0c039", direction="downgrade"))),
                                  ("registrar", ()))),
        stub_roots=frozenset({"keylime"}),
        shape="multidb template: two databases from one folder, each its own version table",
    ),
    Project(
        "galaxy-data", "26.1.2", "galaxy_data-26.1.2-py3-none-any.whl",
        "c2a6ae5002f410506328ec748c749c0cf066d7b341f48c5b653b76f825173bf9",
        (History("main", ("galaxy/model/migrations/alembic/versions_gxy", "galaxy/model/migrations/alembic/versions_tsi"),
                 ("postgresql", "sqlite"), downgrade=False, skips=_skips(READS, "c63848676caf")),),
        stub_roots=frozenset({"galaxy"}),
        stubs={"galaxy.model.custom_types.UUIDType": _type(sa.CHAR(32)),
               "galaxy.model.custom_types.TrimmedString": _type(sa.String),
               "galaxy.util.now": lambda: lambda: AIRFLOW_NOW,
               # the trigger functions b8d5e2f9a1c7 writes with op.execute(): one statement each
               "galaxy.model.triggers.update_audit_table.build_trigger_fn": lambda: lambda name, field, **kw: (
                   f"CREATE OR REPLACE FUNCTION {name}() RETURNS TRIGGER AS $$ BEGIN RETURN NULL; END; $$ "
                   f"LANGUAGE plpgsql -- {field} {sorted(kw.items())}")},
        shape="two databases' branches (gxy, tsi) in two version folders of one history",
    ),
    Project(
        "mailman", "3.3.10", "mailman-3.3.10-py3-none-any.whl",
        "0f63ed38efa938357074e993d6a9b2d81bedaab92f5b3ecdd519890259893f37",
        # (on SQLite 13 of its revisions rebuild a table in batch mode without copy_from)
        (History("main", ("mailman/database/alembic/versions",), ("postgresql", "mysql"),
                 configure={"render_as_batch": True},
                 skips=(*_skips(READS, "42756496720", "fa0d96e28631", "47294d3a604", "7b254d88f122"),
                        *_skips(FILES, "70af5a4e5790"),
                        *_skips(PICKLE, "2156fc3f6f7d"),
                        *_skips(READS, "fa0d96e28631", "7b254d88f122", "47294d3a604", "42756496720", direction="downgrade"),
                        *_skips(FILES, "70af5a4e5790", direction="downgrade"))),),
        stub_roots=frozenset({"mailman"}),
        stubs={"mailman.database.types.SAUnicode": _type(sa.Unicode(255)),
               "mailman.database.types.SAUnicodeLarge": _type(sa.Unicode(510)),
               "mailman.database.types.SAUnicodeXL": _type(sa.Unicode(20000)),
               "mailman.database.types.SAUnicode4Byte": _type(sa.Unicode(255)),
               "mailman.database.types.SAText": _type(sa.UnicodeText),
               # its helpers that look at the bind's dialect, as the application's do
               "mailman.database.helpers.is_mysql": lambda: lambda bind: bind.dialect.name == "mysql",
               "mailman.database.helpers.is_sqlite": lambda: lambda bind: bind.dialect.name == "sqlite",
               "mailman.database.types.Enum": _type(sa.Integer),
               # the values its data migrations write, as the application's IntEnums
               "mailman.interfaces.mailinglist.SubscriptionPolicy": lambda: enum.IntEnum(
                   "SubscriptionPolicy", ["open", "confirm", "moderate", "confirm_then_moderate"]),
               "mailman.interfaces.mailinglist.DMARCMitigateAction": lambda: enum.IntEnum(
                   "DMARCMitigateAction", ["no_mitigation", "munge_from", "wrap_message", "reject", "discard"]),
               "mailman.interfaces.action.Action": lambda: enum.IntEnum(
                   "Action", ["hold", "reject", "discard", "accept", "defer"]),
               "mailman.interfaces.member.MemberRole": lambda: enum.IntEnum(
                   "MemberRole", ["member", "owner", "moderator", "nonmember"])},
        shape="linear; render_as_batch, per-dialect branches in revisions",
    ),
    Project(
        "optuna", "5.1.0", "optuna-5.1.0-py3-none-any.whl",
        "aba6a73d32e4ccf58c00ea70a60bf5bcece6b34defb024474dddd0962dc070b1",
        (History("main", ("optuna/storages/_rdb/alembic/versions",), ("sqlite", "postgresql"),
                 configure={"render_as_batch": True},
                 skips=(*_skips(BATCH_LIVE, "v1.2.0.a", "v2.6.0.a", dialects=("sqlite",)),
                        *_skips(ASKS_BIND, "v1.3.0.a", "v3.0.0.b"),
                        *_skips(INSPECTS, "v2.4.0.a", "v3.0.0.a", "v3.0.0.c", "v3.0.0.d"),
                        *_skips(ASKS_BIND, "v3.0.0.d", "v3.0.0.c", "v1.3.0.a", direction="downgrade"),
                        *_skips(BATCH_LIVE, "v3.0.0.b", "v2.6.0.a", "v1.2.0.a", direction="downgrade", dialects=("sqlite",)),
                        *_skips(INSPECTS, "v3.0.0.a", direction="downgrade"))),),
        stub_roots=frozenset({"optuna", "numpy"}),
        shape="short linear; batch mode on every database, ORM data migrations",
    ),
    Project(
        "bodhi-server", "26.4.0", "bodhi_server-26.4.0-py3-none-any.whl",
        "65803c4fc5d8393ef3f972b183b1aa0f22a7855298daf0708052a56a8efa98d9",
        (History("main", ("bodhi/server/migrations/versions",), ("postgresql",),
                 skips=_skips(NO_DOWNGRADE, "8e9dc57e082d", direction="downgrade")),),
        shape="linear; PostgreSQL enums altered in revisions",
    ),
    Project(
        "faradaysec", "5.25.2", "faradaysec-5.25.2-py3-none-any.whl",
        "e1ea7da64a03ddef3f8ce7774a0e825948d44055ac9b04269c8529856eae098a",
        # (its downgrade is not compared, for the suite's time: 11 of its downgrades read rows)
        (History("main", ("faraday/migrations/versions",), ("postgresql",), downgrade=False,
                 configure={"transaction_per_migration": True},
                 skips=(*_skips(READS, "1b2533cc16fe", "fa12b8322112", "f0a507afabd4", "f0439bf6688a", "a9fcf8444c79",
                                "89115e133f0a", "4d7a8fdd94e4", "443a136bb5f2", "34468fcfd92e", "45a831782601",
                                "d350513b107e", "e0c9670228b9", "9cd894a4c872", "2ee8b7eb119f", "b22cb062fae4",
                                "82a05afc9c2f"),
                        *_skips(ASKS_BIND, "aa56852fa76d", "1574fbcf72f5", "abb7ed8c56b4"),
                        *_skips(ORM, "06c48492f587"))),),
        stub_roots=frozenset({"faraday"}),
        shape="long linear; transaction per migration",
    ),
    Project(
        "anitya", "2.3.0", "anitya-2.3.0-py3-none-any.whl",
        "439b48d8111fd6eb51486ba35d00be59ac8d2c0add542ec45bad3970b0a976d6",
        (History("main", ("anitya/db/migrations/versions",), ("postgresql",),
                 skips=(*_skips(NO_DOWNGRADE, "1ab95561edae", "7a8c4aa92678", "540bdcf7edbc", "27342bce1d0f",
                                direction="downgrade"),
                        *_skips(MODELS, "b9201d816075", direction="downgrade"))),),
        stub_roots=frozenset({"anitya", "arrow", "semver", "rpm", "packaging"}),
        shape="linear",
    ),
    Project(
        "ihatemoney", "7.2.1", "ihatemoney-7.2.1-py3-none-any.whl",
        "19742d7c6d08ee5675b97beefc7c40f1e07fe8ee2124a1036f5679f20ff9e324",
        (History("main", ("ihatemoney/migrations/versions",), ("postgresql", "mysql"),
                 skips=_skips(READS, "b78f8a8bdb16")),),
        stub_roots=frozenset({"ihatemoney", "werkzeug"}),
        stubs={"ihatemoney.models.BillType": lambda: enum.Enum("BillType", ["EXPENSE", "REIMBURSEMENT"])},
        shape="short linear",
    ),
    Project(
        "neutron-vpnaas", "29.0.0", "neutron_vpnaas-29.0.0-py3-none-any.whl",
        "7fc6dbb38bb1d49ef70596c506fdef5cdfeaf69342d5aa092408919fe2ecb802",
        (History("main", ("neutron_vpnaas/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, configure={"version_table": "alembic_version_vpnaas"}, downgrade=False,
                 skips=(*_skips(INSPECTS, "start_neutron_vpnaas", "56893333aa52", "333dfd6afaa2", "2c82e782d734",
                                "e50641731f1a"),
                        *_skips(ASKS_BIND, "2cb4ee992b41", "b6a2519ab7dc"))),),
        stub_roots=frozenset({"neutron", "neutron_lib", "neutron_vpnaas", "netaddr"}) | _OSLO,
        shape="neutron subproject: expand/contract branches in release folders, own version table",
    ),
    Project(
        "aim", "3.29.1", "aim-3.29.1.tar.gz",
        "30fb70f983844eebd270049206c839e6dc09ce9de500048dc97a7a8b22ed83fb",
        tuple(History(key, (f"aim-3.29.1/aim/{key}/migrations/versions",), ("sqlite",), skips={"storage": (
            *_skips(BATCH_LIVE, "46b89d830ad8"),
            *_skips("drops a constraint outside batch mode, which SQLite cannot", "46b89d830ad8",
                    direction="downgrade"))}.get(key, ()))
              for key in ("storage", "web")),
        stub_roots=frozenset({"aim"}),
        shape="two histories in a source distribution, SQLite",
    ),
    Project(
        "datanommer.models", "1.5.0", "datanommer_models-1.5.0-py3-none-any.whl",
        "d0fb6e5d109b56942e6ba341c9b66e221a62f7d558dfe6c18676f96efa0b1dd2",
        (History("main", ("datanommer/models/alembic/versions",), ("postgresql",)),),
        stub_roots=frozenset({"datanommer"}),
        # f4fdb5442d05 creates a materialized view through the application's DDL element
        stubs={"datanommer.models.view.CreateMaterializedView": lambda: lambda name, selectable: sa.DDL(
            f"CREATE MATERIALIZED VIEW {name} AS SELECT topic, count(*) AS message_count FROM messages GROUP BY topic")},
        shape="short linear",
    ),
    Project(
        "tahrir-api", "1.5.6", "tahrir_api-1.5.6-py3-none-any.whl",
        "fb98e4c92cbd7049b34390407f4bfa4ab24fc1154d95ef0fb768bdd1f58176a8",
        (History("main", ("tahrir_api/migrations/versions",), ("postgresql", "sqlite"), skips=(
            *_skips(ORM, "3c7fd5b4e2c2"),
            *_skips(READS, "1013e1694fa2", "196a305a2e0c"),
            *_skips(READS, "196a305a2e0c", "1013e1694fa2", direction="downgrade"),
            *_skips(BATCH_LIVE, "53b73809290f", dialects=("sqlite",)),
            *_skips(BATCH_LIVE, "53b73809290f", direction="downgrade", dialects=("sqlite",)),
            *_sqlite_alter("16943d9088cf"),
            *(Skip(r, INLINE_FK, dialects=("sqlite",), rendered=" REFERENCES ") for r in ("24282792d72a", "5b1e956d70b5")),
        )),),
        stub_roots=frozenset({"tahrir_api"}),
        shape="short linear (Fedora Badges); on SQLite, add_column() with a foreign key outside batch mode",
    ),
    Project(
        "fief-server", "0.30.0", "fief_server-0.30.0-py3-none-any.whl",
        "e524a9d690bda115d15b19fe5647293393f7a9e35f4c1e12b5b114ec03231af8",
        # its revisions prefix every table name with an option its env.py passes to configure()
        (History("main", ("fief/alembic/versions",), ("postgresql", "sqlite", "mysql"),
                 configure={"table_prefix": "fief_"},
                 skips=(*_skips(BATCH_LIVE, "a736fe95ec4f", dialects=("sqlite",)),
                        *_skips(BATCH_LIVE, "a736fe95ec4f", direction="downgrade", dialects=("sqlite",)))),),
        stub_roots=frozenset({"fief"}),
        stubs={"fief.models.generics.GUID": _type(sa.CHAR(36)),
               "fief.models.generics.TIMESTAMPAware": _type(sa.TIMESTAMP(timezone=True)),
               "fief.crypto.encryption.StringEncryptedType": _type(sa.Text)},
        shape="short linear; table names from a custom configure() option",
    ),
    Project(
        "python-watcher", "17.0.0", "python_watcher-17.0.0-py3-none-any.whl",
        "60c5e9ec218687f8642690f189b0abc65ca9604e22b0555ce651331f7a93686b",
        # (several of its revisions have no downgrade())
        (History("main", ("watcher/db/sqlalchemy/alembic/versions",), ("mysql", "postgresql"), downgrade=False,
                 skips=(*_skips(INSPECTS, "0f6042416884"), *_skips(ASKS_BIND, "a86240e89a29"))),),
        stub_roots=frozenset({"watcher"}) | _OSLO,
        shape="short linear; a parenthesised docstring",
    ),
    Project(
        "sahara", "19.0.0", "sahara-19.0.0-py3-none-any.whl",
        "bdc7a0206312d08cf278d9d91020da3362ae36a4f9541e1bb22ef7d74fb3fb12",
        (History("main", ("sahara/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"), downgrade=False),),
        stub_roots=frozenset({"sahara"}) | _OSLO,
        shape="long linear",
    ),
    Project(
        "openstack-cyborg", "17.0.0", "openstack_cyborg-17.0.0-py3-none-any.whl",
        "7f5509f936821d7432fbdf9fb788e4f3712fdb2b7a707eff4c39047c28e8115e",
        # (on PostgreSQL its 6c77bd6afea5 adds an Enum without a name, which SQLAlchemy cannot compile)
        (History("main", ("cyborg/db/sqlalchemy/alembic/versions",), ("mysql",), downgrade=False),),
        stub_roots=frozenset({"cyborg"}) | _OSLO,
        shape="linear",
    ),
    Project(
        "senlin", "16.0.0", "senlin-16.0.0-py3-none-any.whl",
        "df592607f426c5f68753587069bf1c9e863657c0baa3fb5ddd460e7eb15dc985",
        (History("main", ("senlin/db/sqlalchemy/alembic/versions",), ("mysql", "postgresql"),
                 downgrade=False, configure={"transaction_per_migration": True},
                 skips=_skips(INSPECTS, "ab7b23c67360")),),
        stub_roots=frozenset({"senlin"}) | _OSLO,
        stubs={"senlin.db.sqlalchemy.alembic.legacy_utils.is_migration_needed": lambda: lambda version: True,
               "senlin.db.sqlalchemy.types.List": _type(sa.Text)},
        shape="linear; transaction per migration",
    ),
    Project(
        "quetz-server", "0.10.4", "quetz_server-0.10.4-py2.py3-none-any.whl",
        "e286572a8f0311f48c7c5da40b9dc284dae4cf7a80175795d17d4ea35b904c3d",
        # (on SQLite 4 of its upgrades rebuild a table in batch mode without copy_from, two on sibling
        # branches, which no --sql range goes around: its SQLite history runs online)
        (History("main", ("quetz/migrations/versions",), ("postgresql",),
                 skips=(*_skips(READS, "3ba25f23fb7d"), *_skips(READS, "3ba25f23fb7d", direction="downgrade"))),),
        stub_roots=frozenset({"quetz"}),
        shape="branch label, a merge; SQLite batch online",
    ),
    Project(
        "zaqar", "23.0.1", "zaqar-23.0.1-py3-none-any.whl",
        "24f7a7ec91e1d29f21eba9ec5fb3c5faa9ab7da413fdfd855a56434239b1af24",
        (History("main", ("zaqar/storage/sqlalchemy/migration/alembic_migrations/versions",), ("mysql",), downgrade=False),),
        stub_roots=frozenset({"zaqar"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "monasca-api", "11.0.0", "monasca_api-11.0.0-py3-none-any.whl",
        "5f9bd1ced28ad7cfba02d993bf9575fda3c7ae07393469da396264e8be0231d4",
        (History("main", ("monasca_api/db/alembic/versions",), ("mysql",), skips=_skips(READS, "26083b298bb7")),),
        stub_roots=frozenset({"monasca_api"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "skyline-apiserver", "9.0.0", "skyline_apiserver-9.0.0-py3-none-any.whl",
        "96ca6b8f4404fa9003d2f499421d56a15c3c3f3cfcb3a6e5d93fbde4508e3f13",
        (History("main", ("skyline_apiserver/db/alembic/versions",), ("mysql",)),),
        stub_roots=frozenset({"skyline_apiserver"}),
        shape="short linear",
    ),
    Project(
        "flaskbb", "2.2.0", "flaskbb-2.2.0-py3-none-any.whl",
        "e2922af20433782b0e08327301e2c5556ac2cf53d340b272ea4b3d33c7636f34",
        (History("main", ("flaskbb/migrations",), ("postgresql", "mysql"),
                 skips=(*_skips(LITERAL, "881dd22cab94", "d0ffadc3ea48"), *_skips(READS, "232e68a03aa2"),
                        *_skips(READS, "232e68a03aa2", direction="downgrade"))),),
        stub_roots=frozenset({"flaskbb", "sqlalchemy_utils"}),
        # 881dd22cab94 writes the application's clock into an UPDATE (online; offline it has no type to render)
        stubs={**_sqlalchemy_utils(), "flaskbb.utils.helpers.time_utcnow": lambda: lambda: AIRFLOW_NOW},
        shape="linear; SQLite batch online",
    ),
    Project(
        "barbican", "23.0.0", "barbican-23.0.0-py3-none-any.whl",
        "69c0fac46b105621302f4dacb1f8344dda08672bc273412b5c08dc17feb9a7e0",
        (History("main", ("barbican/model/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 downgrade=False),),
        stub_roots=frozenset({"barbican"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "masakari", "22.0.0", "masakari-22.0.0-py3-none-any.whl",
        "cdf59ed7243a94df21b89178b66e60fda56dc7c0ac86874612ab0908b4035f3e",
        (History("main", ("masakari/db/sqlalchemy/migrations/versions",), ("mysql",),
                 downgrade=False, configure={"version_table": "masakari_alembic_version"}),),
        stub_roots=frozenset({"masakari"}) | _OSLO,
        shape="short linear, own version table",
    ),
    Project(
        "neutron-dynamic-routing", "29.0.0", "neutron_dynamic_routing-29.0.0-py3-none-any.whl",
        "60dcb3a60f4637f40125a5d9f12f9aad9428e307ad52b97964d94bc40d35b932",
        (History("main", ("neutron_dynamic_routing/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "alembic_version_dr"},
                 skips=_skips(ASKS_BIND, "4cf8bc3edb66")),),
        stub_roots=frozenset({"neutron", "neutron_lib", "neutron_dynamic_routing"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "networking-l2gw", "22.0.0", "networking_l2gw-22.0.0-py3-none-any.whl",
        "cb7e2562e3b693f1e5ad396ace5ca2493b91c00ad7b04258552a6353aa8777ea",
        (History("main", ("networking_l2gw/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "l2gw_alembic_version"},
                 skips=_skips(ASKS_BIND, "2f533f7705dd", "0fb45e525aa9")),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_l2gw"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "networking-bagpipe", "25.0.0", "networking_bagpipe-25.0.0-py3-none-any.whl",
        "cc2660b2751e5840cf37d66a0ae74d70246d199277a650a06fa49929182f52a3",
        (History("main", ("networking_bagpipe/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "alembic_version_bagpipel2"}),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_bagpipe"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "zuul", "14.3.0", "zuul-14.3.0-py3-none-any.whl",
        "54b8cfcf397ce7324a87b3c0cfea5a8fcd0f430082ba6be25f9e62326d9949e2",
        # its env.py passes the connection's table prefix to run_migrations(), which hands it to
        # every upgrade(table_prefix=...), and names the version table with it
        # (its downgrade() functions take no table_prefix, so its downgrades fail under its own env.py)
        (History("main", ("zuul/driver/sql/alembic/versions",), ("mysql", "postgresql"), downgrade=False,
                 configure={"version_table": "zuul_alembic_version", "run_migrations": {"table_prefix": "zuul_"}},
                 skips=(*_skips(INSPECTS, "f181b33958c6"), *_skips(ASKS_BIND, "268b2da7a66e", dialects=("postgresql",)))),),
        stub_roots=frozenset({"zuul"}),
        shape="long linear; table prefix through run_migrations(), online on PostgreSQL",
    ),
    Project(
        "rally", "5.1.1", "rally-5.1.1-py3-none-any.whl",
        "7bcbd416e9e99dbe4dffb070f0bbb53562cbca57f9ba2b5adc48018e6a469ed9",
        # 18 of its upgrades read rows or inspect the database, and every downgrade raises: offline it is
        # listings only; its whole history runs online on SQLite (render_as_batch) with both tools
        (History("main", ("rally/common/db/migrations/versions",), ("sqlite", "postgresql", "mysql"), sql=False,
                 configure={"render_as_batch": True}),),
        stub_roots=frozenset({"rally"}) | _OSLO,
        stubs={"rally.common.db.sa_types.TimeStamp": _type(sa.BigInteger),
               "rally.common.db.sa_types.MutableJSONEncodedDict": _json_text,
               "rally.common.db.sa_types.MutableJSONEncodedList": _json_text,
               # its revisions ask the application's engine for the dialect: the one being migrated
               "rally.common.db.api.get_engine": lambda: _migrated_engine},
        shape="linear; render_as_batch and data migrations, online on SQLite",
    ),
    Project(
        "argilla-server", "2.8.0", "argilla_server-2.8.0-py3-none-any.whl",
        "e21a5c979ef6536fca634dc957469daca8fb09440c39b2fbeefb223459cc61e0",
        (History("main", ("argilla_server/alembic/versions",), ("postgresql", "sqlite"),
                 skips=(*_skips(BATCH_LIVE, "84f6b9ff6076", "ca7293c38970", "d00f819ccc67", "45a12f74448b", dialects=("sqlite",)),
                        *_skips(BATCH_LIVE, "d00f819ccc67", direction="downgrade", dialects=("sqlite",)))),),
        stub_roots=frozenset({"argilla_server"}),
        shape="linear",
    ),
    Project(
        "networking-odl", "22.0.0", "networking_odl-22.0.0-py3-none-any.whl",
        "18a43164a742579c228b7a0329e19e767cf636a7ffb603d37223466ce6ca4ba8",
        (History("main", ("networking_odl/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "odl_alembic_version"}),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_odl"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "vmware-nsx", "17.0.0", "vmware_nsx-17.0.0-py3-none-any.whl",
        "58271b3291fd71f926e5ca2bcd84e2d7f2bcb487ed3b0f9d4a2255a65635244e",
        (History("main", ("vmware_nsx/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "vmware_alembic_version"},
                 skips=_skips(ASKS_BIND, "5ed1ffbc0d2a", "d49ac91b560e", "14a89ddf96e2", "8c0a81a07691", "84ceffa27115")),),
        stub_roots=frozenset({"neutron", "neutron_lib", "vmware_nsx", "vmware_nsxlib"}) | _OSLO,
        # c288bb6a7252's server default is an option of the application's configuration (unset by default)
        stubs={"oslo_config.cfg.CONF": lambda: SimpleNamespace(nsxv=SimpleNamespace(resource_pool_id=None))},
        shape="neutron subproject: expand/contract branches over 8 releases, own version table",
    ),
    Project(
        "neutron-fwaas", "25.0.0", "neutron_fwaas-25.0.0-py3-none-any.whl",
        "a90c58a74e58e593ebcbb64ead1594bd34ae72b26661e42e16a8793f43d0617e",
        (History("main", ("neutron_fwaas/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "alembic_version_fwaas"},
                 skips=(*_skips(ASKS_BIND, "6941ce70131e", "2a0d33e9ef63"), *_skips(INSPECTS, "1007f519ea46"))),),
        stub_roots=frozenset({"neutron", "neutron_lib", "neutron_fwaas"}) | _OSLO,
        # 876782258a43 formats its exception's message with "%" at import time
        stubs={"neutron_fwaas._i18n._": lambda: str},
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "networking-sfc", "23.0.0", "networking_sfc-23.0.0-py3-none-any.whl",
        "b27e7e4ec48acf63d687e50e9b7b22ecd382adfe02f0c84584c1a187043bee8e",
        (History("main", ("networking_sfc/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "alembic_version_sfc"},
                 skips=_skips(ASKS_BIND, "010308b06b49", "06382790fb2c")),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_sfc"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "networking-bgpvpn", "25.0.0", "networking_bgpvpn-25.0.0-py3-none-any.whl",
        "f741791540a8312a373226af25bbf936d29973db9b95c4b90b3b85b2f71925be",
        (History("main", ("networking_bgpvpn/neutron/db/migration/alembic_migrations/versions",),
                 ("mysql", "postgresql"), nested=True, downgrade=False,
                 configure={"version_table": "alembic_version_bgpvpn"},
                 skips=_skips(ASKS_BIND, "23ce05e0a19f", "9d7f1ae5fa56")),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_bgpvpn"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "tap-as-a-service", "18.0.0", "tap_as_a_service-18.0.0-py3-none-any.whl",
        "3f2927c3acf8c3a932ad618ae707119c720a2ccdcafe3a97206e77ece8b73fb6",
        (History("main", ("neutron_taas/db/migration/alembic_migration/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "alembic_version_taas"},
                 skips=_skips(ASKS_BIND, "4086b3cffc01", "bac61f603e39")),),
        stub_roots=frozenset({"neutron", "neutron_lib", "neutron_taas"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "indico-plugin-livesync", "3.3.4", "indico_plugin_livesync-3.3.4-py3-none-any.whl",
        "e3b3a498a7f892be372221e46518739c82977c9e333d031b55d38da61c793e93",
        # indico's plugin env.py: the plugin's own version table, in the public schema
        (History("main", ("indico_livesync/migrations",), ("postgresql",),
                 configure={"version_table": "alembic_version_plugin_livesync", "version_table_schema": "public",
                            "include_schemas": True}),),
        stub_roots=frozenset({"indico", "indico_livesync"}),
        stubs={"indico.core.db.sqlalchemy.PyIntEnum": _type(sa.SmallInteger)},
        shape="indico plugin: short linear in its own schema, own version table",
    ),
    Project(
        "indico-plugin-citadel", "3.3.5", "indico_plugin_citadel-3.3.5-py3-none-any.whl",
        "14b7b6695662796c2684ded70d4c4df5eb4e3504a1ebeb02dedd034f5bec0d43",
        (History("main", ("indico_citadel/migrations",), ("postgresql",),
                 configure={"version_table": "alembic_version_plugin_citadel", "version_table_schema": "public",
                            "include_schemas": True}),),
        stub_roots=frozenset({"indico", "indico_citadel"}),
        stubs={"indico.core.db.sqlalchemy.PyIntEnum": _type(sa.SmallInteger)},
        shape="indico plugin: one revision in its own schema, own version table",
    ),
    Project(
        "vitrage", "15.0.1", "vitrage-15.0.1-py3-none-any.whl",
        "f1569341b8060c2395d15ae1ea28f7bb3c9ecaa35b260fa1d9dc9c71a23c52f0",
        (History("main", ("vitrage/storage/sqlalchemy/migration/alembic_migrations/versions",), ("mysql",),
                 downgrade=False),),  # its initial revision has no downgrade()
        stub_roots=frozenset({"vitrage"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "freezer-api", "19.0.0", "freezer_api-19.0.0-py3-none-any.whl",
        "e9d95fa0909329f513e7bd9cbaa4f3ff54d54f02d1b87ad2565448c23af7a6c3",
        (History("main", ("freezer_api/db/sqlalchemy/migrations/versions",), ("mysql",), downgrade=False,
                 skips=_skips(INSPECTS, "a1b2c3d4e5f6")),),  # (29a2fd19eb86 has no downgrade())
        stub_roots=_OSLO,
        shape="short linear",
    ),
    Project(
        "solum", "15.0.0", "solum-15.0.0-py3-none-any.whl",
        "54a57cd1cd3dd12324b13f121feaa45423289503634fbc504c5c3bb7c60b820b",
        (History("main", ("solum/objects/sqlalchemy/migration/alembic_migrations/versions",), ("mysql",),
                 skips=_skips("calls op.drop_unique_constraint(), which Alembic does not have", "e5f2e8af3b8",
                              direction="downgrade")),),
        stub_roots=frozenset({"solum"}) | _OSLO,
        shape="linear",
    ),
    Project(
        "ckanext-harvest", "1.6.3", "ckanext_harvest-1.6.3-py3-none-any.whl",
        "8b0846bacc39f8543a2a0d565784f0a10eb0f7f92101616114ca6ff85033527a",
        # a CKAN extension's env.py: the version table is named after the plugin
        (History("main", ("ckanext/harvest/migration/harvest/versions",), ("postgresql",),
                 configure={"version_table": "harvest_alembic_version"}, skips=_skips(INSPECTS, "3b4894672727")),),
        shape="CKAN extension: short linear, own version table",
    ),
    Project(
        "duffy", "3.4.0", "duffy-3.4.0-py3-none-any.whl",
        "3e8de4fac8913f071b463bd4875e1718b4cdac04038be5d5bd01a0db4985f4e7",
        (History("main", ("duffy/database/migrations/versions",), ("postgresql", "sqlite")),),
        stub_roots=frozenset({"duffy"}),
        shape="short linear",
    ),
    Project(
        "fmn", "3.4.0", "fmn-3.4.0-py3-none-any.whl",
        "9f9bbe10b59699b3d9a945d62ad0bb1e8234d95c02252149d4ca826d740f2863",
        (History("main", ("fmn/database/migrations/versions",), ("postgresql", "sqlite"),
                 skips=_sqlite_alter("85ea1d6c9a3f")),),
        stub_roots=frozenset({"fmn"}),
        shape="short linear",
    ),
    Project(
        "waiverdb", "1.4.0", "waiverdb-1.4.0.tar.gz",
        "15eab2f1a17775c23adaaa67e9a026d0e2eda417addba47b3020815a5657576e",
        (History("main", ("waiverdb-1.4.0/waiverdb/migrations/versions",), ("postgresql",),
                 configure={"transaction_per_migration": True},
                 skips=(*_skips(SELECT_LIST, "71b84ccc31bb", "f6bc296ba966"), *_skips(READS, "ce8a1351ecdc"),
                        *_skips(SELECT_LIST, "f6bc296ba966", direction="downgrade"),
                        *_skips("its downgrade raises RuntimeError (irreversible)", "71b84ccc31bb",
                                direction="downgrade"))),),
        stub_roots=frozenset({"waiverdb", "requests"}),
        shape="linear; transaction per migration",
    ),
    Project(
        "Kotti", "2.0.9", "Kotti-2.0.9.tar.gz",
        "c8e417073a131987da50deaf0fee75205f82fe1d7118f080fae8debb618f8668",
        (History("main", ("Kotti-2.0.9/kotti/alembic/versions",), ("postgresql", "mysql", "sqlite"),
                 skips=(*_skips(ORM, "57fecf5dbd62", "413fa5fcc581"), *_skips(ORM, "559ce6eb0949", direction="downgrade"),
                        *_sqlite_alter("37a05f6246af"))),),
        stub_roots=frozenset({"kotti", "depot", "pyramid"}),
        # filedepot's column type: JSON text in a Unicode column
        stubs={"depot.fields.sqlalchemy.UploadedFileField": _type(sa.Unicode(4096))},
        shape="short linear",
    ),
    Project(
        "edumfa", "2.9.5", "edumfa-2.9.5-py3-none-any.whl",
        "9667183a17c7f86be946fe5cb20fa40a8fdc0c9df9aa9cc8a683e8b08cbed1fb",
        (History("main", ("edumfa-2.9.5.data/data/lib/edumfa/migrations/versions",), ("mysql", "postgresql"), skips=(
            *_skips(ASKS_BIND, "4f32a4e1bf33"), *_skips(ORM, "b9131d0686eb", "3d7f8b29cbb1", "fa07bd604a75"),
            Skip("e360c56bcf8c", "passes the table name to batch_op.drop_constraint(), which takes none (too many "
                 "arguments)", "downgrade"),
            *_skips(ASKS_BIND, "3d7f8b29cbb1", "b9131d0686eb", direction="downgrade"),
            *_skips(UNNAMED_DROP, "4238eac8ccab", direction="downgrade"))),),
        stub_roots=frozenset({"edumfa"}),
        shape="long linear, branches and merges; data migrations that catch and print their errors",
    ),
    Project(
        "c2cgeoportal-commons", "2.9.0.613", "c2cgeoportal_commons-2.9.0.613-py3-none-any.whl",
        "d7abe0f09bcdf9336495dba2e1c2e97add7a964b5573d0dc159aeaffa827fff4",
        # its env.py puts each history's version table in that history's schema
        tuple(History(key, (f"c2cgeoportal_commons/alembic/{key}",), ("postgresql",),
                      configure={"version_table_schema": schema}, skips=skips)
              for key, schema, skips in (
                  ("main", "main", (*_skips(ASKS_BIND, "166ff2dcc48d", "415746eb9f6", "1d5d4abfebd1"),
                                    *_skips(READS, "78fd093c8393"), *_skips(INSPECTS, "b6b09f414fe8"),
                                    *_skips(READS, "78fd093c8393", direction="downgrade"))),
                  ("static", "main_static", _skips(ASKS_BIND, "1da396a88908")))),
        stub_roots=frozenset({"c2c", "psycopg2"}),
        # the application's configuration, as its default project template sets it
        stubs={"c2c.template.config.config": lambda: {"schema": "main", "schema_static": "main_static",
                                                       "srid": 2056, "parentschema": ""}},
        shape="two histories (main and static schemas), branches and merges",
    ),
    Project(
        "bentoml", "0.13.2", "BentoML-0.13.2-py3-none-any.whl",
        "92ffc4f90987bcc2bb2446e8516ebfc114099ae25ec329cb26f17adfe1f48eef",
        (History("yatai", ("bentoml/yatai/migrations/versions",), ("postgresql", "sqlite"), skips=(
            *_skips(BATCH_LIVE, "719dd2aacc9a", "370a2bf2e594", dialects=("sqlite",)),
            *_skips(BATCH_LIVE, "370a2bf2e594", direction="downgrade", dialects=("sqlite",)))),),
        stub_roots=frozenset({"bentoml"}),
        # two revisions create a model's table through the bind: Label.__table__.create(bind)
        stubs={"bentoml.yatai.db.stores.label.Label": _bentoml_label,
               "bentoml.yatai.db.stores.lock.Lock": _bentoml_lock},
        shape="short linear; model tables created through the bind",
    ),
    Project(
        "networking-cisco", "10.0.0", "networking_cisco-10.0.0-py2.py3-none-any.whl",
        "49d996bedbbdf4253013241cc39e967be9cc6b0c4bb2944f9c59f18b7dc5b345",
        (History("main", ("networking_cisco/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "cisco_alembic_version"}),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_cisco"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "networking-arista", "2025.1.0", "networking_arista-2025.1.0-py2.py3-none-any.whl",
        "49e44a4214fc52f8691c14e1431107a087c8657584788562cda25e2a5ceb6fda",
        (History("main", ("networking_arista/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "arista_alembic_version"}),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_arista"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "networking-midonet", "11.0.0", "networking_midonet-11.0.0-py3-none-any.whl",
        "c3e105620c364f0e55f83f48b6a843fa745d1531741a1f651bac8f96dd6b9a85",
        (History("main", ("midonet/neutron/db/migration/alembic_migration/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "alembic_version_midonet"},
                 skips=_skips(ASKS_BIND, "27e6e3451f22")),),
        stub_roots=frozenset({"neutron", "neutron_lib", "midonet"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "group-based-policy", "18.0.0", "group_based_policy-18.0.0-py3-none-any.whl",
        "a1c4e9a82353f936cbe102a200a9b863ee78de83d1f2d110a997ef88774d57b5",
        # MySQL only: its revisions declare Enums without a name, which PostgreSQL cannot create
        (History("main", ("gbpservice/neutron/db/migration/alembic_migrations/versions",), ("mysql",),
                 downgrade=False,  # (47b999aa98e3 has no downgrade())
                 configure={"version_table": "gbp_alembic_version"},
                 skips=(*_skips(ASKS_BIND, "97ac978118c6", "2f3834ea746b", "1fadeb573886", "5239b0a50036",
                                "c460c5682e74", "cc09261e0fb5", "facc1ababba1", "886c376885a3", "7eaf537d927f",
                                "68fcb81878c5"),
                        *_skips("opens an ORM Session with autocommit=True, which SQLAlchemy 2 refuses",
                                "1c564e737f9f"))),),
        stub_roots=frozenset({"neutron", "neutron_lib", "gbpservice", "netaddr"}) | _OSLO,
        # two revisions put the folder beside the migrations package's file on sys.path to import siblings
        stubs={"gbpservice.neutron.db.migration.alembic_migrations.__file__":
               lambda: "/nonexistent/gbpservice/alembic_migrations/__init__.py"},
        shape="neutron subproject: long linear, own version table",
    ),
    Project(
        "openstack-congress", "11.0.0", "openstack_congress-11.0.0-py3-none-any.whl",
        "fef3f82ea01baa3f4aea392ea8c76bd3469d1aac371bece24e1a2265f0bad416",
        (History("main", ("congress/db/migration/alembic_migrations/versions",), ("mysql", "postgresql")),),
        stub_roots=frozenset({"congress"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "panko", "10.0.0", "panko-10.0.0-py3-none-any.whl",
        "323a2ef84ddad2c21c997873c1addb6d97100247a011bd3bbfde16e55e8bf3a4",
        (History("main", ("panko/storage/sqlalchemy/alembic/versions",), ("mysql", "postgresql"),
                 downgrade=False),),  # its revision has no downgrade()
        stub_roots=frozenset({"panko"}) | _OSLO,
        shape="one revision",
    ),
    Project(
        "odcs", "0.9.2", "odcs-0.9.2.tar.gz",
        "22e6e8206e9d50ae07dc61bec4887329a559999270cea41e785ed452f65c428a",
        (History("main", ("odcs-0.9.2/src/odcs/server/migrations/versions",), ("postgresql", "sqlite")),),
        stub_roots=frozenset({"odcs"}),
        shape="linear; online on SQLite",
    ),
    Project(
        "evidently", "0.7.23", "evidently-0.7.23-py3-none-any.whl",
        "dbba5537a644f3401b8a393008cd126e304bcf939a070a7c4399bcc5b97061f6",
        (History("main", ("evidently/ui/service/storage/sql/migrations/versions",), ("postgresql", "sqlite")),),
        stub_roots=frozenset({"evidently"}),
        shape="short linear",
    ),
    Project(
        "module-build-service", "3.8.0", "module-build-service-3.8.0.tar.gz",
        "f85ce757b7a50c57c9d1ce974f3a0cfd24197569e8395c0bea14436bfc80c2f0",
        # PostgreSQL only: on SQLite most of its revisions rebuild a table in batch mode without copy_from
        (History("main", ("module-build-service-3.8.0/module_build_service/migrations/versions",), ("postgresql",),
                 skips=(*_skips(ASKS_BIND, "6d503efcd2b8"), *_skips(READS, "9ca1c166f426", "c8e2fc555399", "caeae7a4f537", "708ac8950f55", "526fb7d445f7",
                                "a87264eeb49f"),
                        *_skips(READS, "79babdadc942", "708ac8950f55", direction="downgrade"),
                        *_skips(PRIVATE_API, "526fb7d445f7", direction="downgrade"),
                        *_skips("passes nullable= to batch_op.add_column() instead of to the Column", "9d5e6938588f",
                                direction="downgrade"))),),
        stub_roots=frozenset({"module_build_service"}),
        shape="linear; online on PostgreSQL",
    ),
    Project(
        "networking-mlnx", "21.0.0", "networking_mlnx-21.0.0-py2.py3-none-any.whl",
        "be2d36ef7c87ba504674939c832ab4605deebc060b6709b64e2e2f773e18e62f",
        (History("main", ("networking_mlnx/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "mlnx_alembic_version"}),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_mlnx"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "networking-infoblox", "19.0.0", "networking_infoblox-19.0.0-py3-none-any.whl",
        "61e3b26d762738b202de64b135b2208c69f9552c439981e4629a6f9920ce81c8",
        (History("main", ("networking_infoblox/neutron/db/migration/alembic_migrations/versions",),
                 ("mysql", "postgresql"), downgrade=False,  # (most of its revisions have no downgrade())
                 configure={"version_table": "alembic_version_infoblox"}, skips=_skips(ASKS_BIND, "4d0bb1d080f8")),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_infoblox"}) | _OSLO,
        shape="neutron subproject: linear, own version table",
    ),
    Project(
        "networking-bigswitch", "15.0.2", "networking_bigswitch-15.0.2-py2.py3-none-any.whl",
        "935bedbb58d2bafc2e1371944cb9eae20291eb3bf02b177eda9cffd9dc163fe8",
        # MySQL only: its revisions declare Enums without a name, which PostgreSQL cannot create
        (History("main", ("networking_bigswitch/plugins/bigswitch/db/migration/alembic_migrations/versions",),
                 ("mysql",), downgrade=False,  # (two heads, and 7db8cd315b95 has no downgrade())
                 configure={"version_table": "bsn_alembic_version"}, skips=(
                     *_skips(READS, "66cc6bc031de"), *_skips(ASKS_BIND, "f774eae87144"),
                     *_skips("declares String(convert_unicode=True), which SQLAlchemy 2 refuses", "938c3e0e2029"))),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_bigswitch"}) | _OSLO,
        shape="neutron subproject: two heads, own version table",
    ),
    Project(
        "networking-ovn", "7.4.1", "networking_ovn-7.4.1-py2.py3-none-any.whl",
        "a6fa33569c5ad9b75bef5059989edfbcc81a9eea94790494666da869f983bed8",
        (History("main", ("networking_ovn/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "ovn_alembic_version"},
                 skips=_skips(ASKS_BIND, "e55d09277410", "5c198d2723b6", dialects=("postgresql",))),),
        stub_roots=frozenset({"neutron", "neutron_lib", "networking_ovn"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "qinling", "5.0.0", "qinling-5.0.0-py3-none-any.whl",
        "8fa9e4ddbd6293e66a234e0d2561a0c5b655d115c22dbe4bb8cc4790415afe8a",
        (History("main", ("qinling/db/sqlalchemy/migration/alembic_migrations/versions",), ("mysql",),
                 downgrade=False),),  # (none of its revisions has a downgrade())
        stub_roots=frozenset({"qinling"}) | _OSLO,
        shape="linear",
    ),
    Project(
        "datajunction-server", "0.0.272", "datajunction_server-0.0.272-py3-none-any.whl",
        "01bf2166db0ee2b73f508348cc6bd49ec0a078975b8dd398eb4e3c2e66ae1cc6",
        (History("main", ("datajunction_server/alembic/versions",), ("postgresql",), skips=(
            *_skips(READS, "b2c3d4e5f6a7"), *_skips(UNNAMED_DROP, "f3c9b40deb6f", "34171c92dd6d", direction="downgrade"))),),
        stub_roots=frozenset({"datajunction_server"}),
        stubs={**_sqlalchemy_utils(),
               # the application's JSON column type for a measure's aggregation rule
               "datajunction_server.database.measure.MeasureAggregationRuleType": _type(sa.JSON)},
        shape="long linear; online on PostgreSQL",
    ),
    Project(
        "rucio", "41.5.1", "rucio-41.5.1-py3-none-any.whl",
        "7699144ab19f65602a02a8b2adb87fccd2bb19ba235950d211dd59319f81e9e7",
        (History("main", ("rucio/db/sqla/migrate_repo/versions",), ("oracle", "postgresql", "mysql"),
                 # its deployments name a schema (version_table_schema), which every revision puts on
                 # its operations
                 configure={"version_table_schema": "dev", "include_schemas": True},
                 skips=(*_skips(SERVER_VERSION, "d23453595260", dialects=("mysql",)),
                        *_skips(SERVER_VERSION, "d23453595260", direction="downgrade", dialects=("mysql",)),
                        *_skips(INSPECTS, "f41ffe206f37", direction="downgrade", dialects=("oracle",)),
                        *(_skips(ORACLE_JSON, "688ef1840840", "b0070f3695c8", "9a45bc4ea66d", "a62db546a1f1",
                                  dialects=("oracle",)) if SQLALCHEMY_2_0 else ()))),),
        stub_roots=frozenset({"rucio"}),
        stubs={"rucio.db.sqla.types.GUID": _rucio_guid, **_rucio_enums(),
               # the lengths of a scope and a name
               "rucio.common.schema.get_schema_value": lambda: lambda key: 255},
        shape="long linear; Oracle, schema-qualified",
    ),
    Project(
        "lemur", "1.9.3", "lemur-1.9.3-py3-none-any.whl",
        "22d5d8723b4b8617dd4d648a483fc352bbc34e90e7546b2d9ad8b40d753a8f7b",
        (History("main", ("lemur/migrations/versions",), ("postgresql",), skips=(
            *_skips(SAME_COLUMN_TWICE, "412b22cb656a"), *_skips(SAME_COLUMN_TWICE, "8ae67285ff14", direction="downgrade"),
            *_skips(READS, "3307381f3b88", "7f71c0cea31a", "a02a678ddc25", "1db4f82bc780", "c301c59688d2"),
            *_skips(ENUM_PLUGIN, "1ae8e3104db8", "b29e2c4bf8c9", "9f79024fe67b"),
            *_skips(ENUM_PLUGIN, "1ae8e3104db8", "b29e2c4bf8c9", "9f79024fe67b", direction="downgrade"),
            *_skips(UNNAMED_DROP, "3adfdd6598df", "a02a678ddc25", "5e680529b666", "7f71c0cea31a", "3307381f3b88",
                    direction="downgrade"))),),
        stub_roots=frozenset({"lemur", "flask", "flask_sqlalchemy", "sqlalchemy_utils"}),
        stubs={**_sqlalchemy_utils(),
               # its encrypted column type (bytes)
               "lemur.utils.Vault": _type(sa.LargeBinary),
               # two revisions open a log file named in the application's settings when imported
               "flask.current_app": lambda: SimpleNamespace(config={})},
        shape="linear",
    ),
    Project(
        "qcfractal", "0.71", "qcfractal-0.71-py3-none-any.whl",
        "ca86eadba6df806ee6beeaba0069df68e40ecdaa6fece3ad5ebfab2678535d7f",
        # upgrade only: four of its downgrades raise NotImplementedError, one of them a merge's
        (History("main", ("qcfractal/alembic/versions",), ("postgresql",), downgrade=False,
                 configure={"transaction_per_migration": True},
                 skips=_skips(READS, "a5a701dc344d", "6b758fd53ff0", "e04bf1eedfbc", "518ee94f4749", "12d37bad13ba",
                              "a3c51b03bc19", "0587bb0220aa", "67f7b25de401"),
                 # the data migrations of its two manybody branches (a5a701dc344d; 6b758fd53ff0 and
                 # after) meet here
                 straddled_merges=("d5988aa750ae",)),),
        stub_roots=frozenset({"qcfractal", "numpy", "msgpack", "tqdm"}),
        shape="branches and merges; data migrations on parallel branches",
    ),
    Project(
        "pgadmin4", "9.18", "pgadmin4-9.18-py3-none-any.whl",
        "9ea084fc416265e4fc95c9fb6e6ae0f6668d34da8670c9b65c79cea054124356",
        # its first revision reads back what it wrote, 15 of its 53 inspect the database and SQLite's batch
        # rebuilds need it: offline it is listings only
        (History("main", ("pgadmin4/migrations/versions",), ("sqlite", "postgresql"), sql=False),),
        stub_roots=frozenset({"pgadmin", "config", "flask", "flask_security"}),
        shape="linear, named revision ids",
    ),
    Project(
        "mindsdb", "26.1.0", "mindsdb-26.1.0-py3-none-any.whl",
        "f770ac7933b3dac0291b077ce16eee807c56079868a385a022154050a3b4509f",
        # PostgreSQL only: on SQLite most of its revisions rebuild a table in batch mode without copy_from
        (History("main", ("mindsdb/migrations/versions",), ("postgresql",),
                 configure={"render_as_batch": True}, skips=(
                     *_skips(AUTOGENERATE, "17c3d2384711"),
                     *_skips(READS, "27c5aca9e47e", "d74c189b87e6", "999bceb904df", "96d5fef10caa", "87b2df2b83e1",
                             "cada7d2be947", "43c52d23845a", "1e60096fc817", "d429095b570f", "607709e1615b",
                             "011e6f2dd9c2", "45eb2eb61f70", "a8a3fac369e7", "c06c35f7e8e1", "f64112749455"),
                     *_skips(FILES, "3d5e70105df7"),
                     *_skips(JSON_LITERAL, "f6dc924079fa"),
                     *_skips(ORM, "11347c213b36"),
                     *_skips(READS, "f64112749455", "a8a3fac369e7", "cada7d2be947", "999bceb904df",
                             direction="downgrade"),
                     *_skips(ORM, "d429095b570f", "43c52d23845a", direction="downgrade"),
                     *_skips(FILES, "3d5e70105df7", direction="downgrade"),
                     *_skips(NO_DOWNGRADE, "17c3d2384711", direction="downgrade")),
                 departures=(WrittenParameters("976f15a37e6a", (True,)),)),),
        stub_roots=frozenset({"mindsdb"}),
        # its column types: JSON and lists kept as text in a VARCHAR
        stubs={"mindsdb.interfaces.storage.db.Array": _type(sa.String),
               "mindsdb.interfaces.storage.db.Json": _type(sa.String)},
        shape="long linear; render_as_batch, data migrations through the bind",
    ),
    Project(
        "mage-ai", "0.9.80", "mage_ai-0.9.80-py3-none-any.whl",
        "1be6e3d0969d9724ee0742d5167ba188273691cad76ddd04857f3a9fd0a8f437",
        # not on SQLite: there its batch operations rebuild tables without copy_from
        (History("main", ("mage_ai/orchestration/db/migrations/versions",), ("postgresql", "mysql"),
                 configure={"render_as_batch": True}, skips=_skips(INSPECTS, "90d978a8aef8")),),
        stub_roots=frozenset({"mage_ai"}),
        # the Python enum a revision gives to sa.Enum
        stubs={"mage_ai.data_preparation.models.constants.ExecutorType": lambda: enum.Enum("ExecutorType", {
            name.upper(): name for name in ("azure_container_instance", "ecs", "gcp_cloud_run", "k8s", "local_python",
                                            "local_python_force", "pyspark")})},
        shape="linear; render_as_batch",
    ),
    Project(
        "skypilot", "0.14.1", "skypilot-0.14.1-py3-none-any.whl",
        "8201f566a051677713e288231c7a994e9ebb5ea79bea9bc36eeeffb654543d02",
        # each database's first revision creates its tables from the application's models
        # (db_utils.add_all_tables_to_db_sqlalchemy, checkfirst: a stand-in that does nothing here)
        tuple(History(key, (f"sky/schemas/db/{folder}",), ("postgresql", "sqlite"),
                      configure={"version_table": f"alembic_version_{table}"},
                      skips=(*skips, *_skips(DROP_ALL, "001", direction="downgrade")), departures=departures)
              for key, folder, table, skips, departures in (
                  ("state", "global_user_state", "state_db",
                   (*_skips(READS, "009", "010"), *_skips(INSPECTS, "017", "023"), *_skips(CHECKFIRST, "024")),
                   (WrittenParameters("003", (1,)),)),
                  ("spot_jobs", "spot_jobs", "spot_jobs_db",
                   _skips(INSPECTS, "020", "023", "024", "025", "026", "027"),
                   # (the application's constants are stand-ins: strings of their names)
                   (WrittenParameters("001", (0, '{"max_restarts_on_errors": 0}', "{}", "skypilot_default_workspace",
                                              "default_priority")),)),
                  ("serve", "serve_state", "serve_state_db", (), (WrittenParameters("001", (-1,)),)),
                  ("config", "skypilot_config", "sky_config_db", (), ()),
                  ("kv_cache", "kv_cache", "kv_cache_db", (), ()),
                  ("recipes", "recipes", "recipes_db", (), ()))),
        stub_roots=frozenset({"sky"}),
        stubs={"sky.utils.db.db_utils.add_column_to_table_alembic": _skypilot_add_column,
               "sky.dag.DagExecution": lambda: enum.Enum("DagExecution", {"SERIAL": "serial", "PARALLEL": "parallel"})},
        shape="six histories in one release, each its own version table; autocommit blocks",
    ),
    Project(
        "openhands-ai", "1.11.0", "openhands_ai-1.11.0-py3-none-any.whl",
        "833de097150d498ffc7e175869df4723aec4a6b3c0be27545ca37089e6452c8f",
        (History("main", ("openhands/app_server/app_lifespan/alembic/versions",), ("postgresql", "sqlite"), skips=(
            *_skips(BATCH_LIVE, "005", "012", dialects=("sqlite",)),
            *_skips(BATCH_LIVE, "013", "011", "006", "005", direction="downgrade", dialects=("sqlite",)))),),
        stub_roots=frozenset({"openhands"}),
        # the Python enums its first revision gives to sa.Enum
        stubs={"openhands.app_server.app_conversation.app_conversation_models.AppConversationStartTaskStatus":
               lambda: enum.Enum("AppConversationStartTaskStatus", {name: name for name in (
                   "WORKING", "WAITING_FOR_SANDBOX", "PREPARING_REPOSITORY", "RUNNING_SETUP_SCRIPT",
                   "SETTING_UP_GIT_HOOKS", "SETTING_UP_SKILLS", "STARTING_CONVERSATION", "READY", "ERROR")}),
               "openhands.app_server.event_callback.event_callback_result_models.EventCallbackResultStatus":
               lambda: enum.Enum("EventCallbackResultStatus", {"SUCCESS": "SUCCESS", "ERROR": "ERROR"})},
        shape="short linear",
    ),
    Project(
        "aiida-core", "2.9.4", "aiida_core-2.9.4-py3-none-any.whl",
        "b6c92ff3c183d50b361c47963770aa99dcaceb906c7dbd972a4adf23ebc10beb",
        # three roots (django, sqlalchemy: the two legacy backends; main); upgrade only: Alembic's
        # downgrade heads:base refuses the three heads
        (History("psql_dos", ("aiida/storage/psql_dos/migrations/versions",), ("postgresql",), downgrade=False,
                 configure={"transaction_per_migration": True}, skips=(
                     *_skips(AIIDA_PROFILE, "django_0024a", "django_0026", "django_0027", "django_0032", "django_0047",
                             "041a79fc615f", "12536798d4d3", "ce56d84bcc35", "1b8ed3425af9", "1feaea71bd5a"),
                     *_skips(READS, "django_0037"), *_skips(INSPECTS, "59edaf8a8b79"),
                     *_skips(JSON_LITERAL, "1de112340b16"))),),
        stub_roots=frozenset({"aiida"}),
        shape="three roots with branch labels (two legacy backends' histories, main), three heads; data migrations",
    ),
    Project(
        "subunit2sql", "1.10.0", "subunit2sql-1.10.0-py2.py3-none-any.whl",
        "5acd07f9021ec937ea3d2d679792844216e0365a6970e3bc56987846b1dccb7c",
        (History("main", ("subunit2sql/migrations/versions",), ("mysql", "postgresql"), skips=(
            *_skips(ASKS_BIND, "13d819bbb0ff", "1ff737bef438", "2fb76f1a1393", "b96122f780", "35cd45895e56"),
            *_skips(SQL_FILE, "1679b5bc102c", dialects=("mysql",)),
            *_skips(AUTOLOAD, "1679b5bc102c", dialects=("postgresql",)),
            *_skips(READS, "2822a408bdd0"),
            *_skips(NO_DOWNGRADE, "2822a408bdd0", direction="downgrade"),
            *_skips(MYSQL_DROP_CONSTRAINT, "13d819bbb0ff", direction="downgrade", dialects=("mysql",)))),),
        stub_roots=frozenset({"subunit2sql"}) | _OSLO,
        shape="linear; data migrations",
    ),
    Project(
        "gertty", "1.6.0", "gertty-1.6.0-py3-none-any.whl",
        "225679f5519b13b351ad787ca0d4ed30f8dc0fbb666a7d530f8efa5cbdeaaafe",
        (History("main", ("gertty/alembic/versions",), ("sqlite",), skips=(
            *_skips(READS, "38104b4c1b84", "725816dc500", "50344aecd1c2", "254ac5fc3941"),
            *_skips(EXECUTE_KEYWORDS, "312cd5a9f878"))),),
        stub_roots=frozenset({"gertty", "git"}),
        shape="linear, SQLite",
    ),
    Project(
        "refstack", "2.1.0", "refstack-2.1.0-py3-none-any.whl",
        "18c409032ea24d654e8dd0107487929a5eccd4a7f659fa8ee0314ad7cdf7b95b",
        (History("main", ("refstack/db/migrations/alembic/versions",), ("mysql",),
                 skips=_skips(READS, "428e5aef5534", "434be17a6ec3")),),
        shape="linear",
    ),
    Project(
        "ethyca-fides", "2.36.0", "ethyca_fides-2.36.0-py2.py3-none-any.whl",
        "e622a85856f230d7b55655a0d61794eed8217c073f03b229b0366dadd15427dd",
        # a release from before a revision imported LegacyCursorResult (SQLAlchemy 1.4's: the later
        # releases' histories load under neither tool on SQLAlchemy 2)
        (History("main", ("fides/api/alembic/migrations/versions",), ("postgresql",), skips=(
            *_skips(READS, "fc90277bbcde", "216cdc7944f1", "7fd4601ef88b", "9f38dad37628", "68a518a3c050",
                    "48d9caacebd4", "8a71872089e4", "63b482f5b49b", "76c02f99eec1", "d2996381c4dd", "fd52d5f08c17",
                    "1ea164cee8bc", "671358247251", "f17f92237383", "14acee6f5459"),
            *_skips(ASKS_BIND, "643249f65453", "2f6aa5fe797a", "3038667ba898"),
            *_skips(ENCRYPTS, "c9ee230fa6da"),
            *_skips(ENUM_NAME, "d49a767eb49d", "f9b28f36b53e", direction="downgrade"),
            *_skips(READS, "671358247251", "d2996381c4dd", "63b482f5b49b", "48d9caacebd4", "9f38dad37628",
                    "fc90277bbcde", direction="downgrade"),
            *_skips(ASKS_BIND, "2f6aa5fe797a", direction="downgrade"),
            *_skips(UNNAMED_DROP, "c7cc36820d4b", direction="downgrade")),
            # DELETE FROM ctl_datasets WHERE meta->>'fides_source'= :automigration_string, its own constant
            departures=(WrittenParameters("216cdc7944f1", ("auto-migrated from datasetconfig.dataset",),
                                          "downgrade"),)),),
        stub_roots=frozenset({"fides", "fideslang", "loguru", "networkx", "pandas", "sqlalchemy_utils"}),
        # the application's configuration, as far as revisions read it: encryption keys (fixed stand-ins)
        stubs={**_sqlalchemy_utils(), "fides.config.CONFIG": lambda: SimpleNamespace(
            security=SimpleNamespace(app_encryption_key="stand-in-app-encryption-key-0001"),
            user=SimpleNamespace(encryption_key="stand-in-user-key"))},
        shape="long linear; data migrations through the bind",
    ),
    Project(
        "zou", "1.0.97", "zou-1.0.97-py3-none-any.whl",
        "54d235fbe30cf6d2ec251ea07887a827a91c157722bd7f48b1c1a878b1c7d131",
        # the folder Flask-Migrate's alembic.ini names: its legacy/ subfolder (the history before
        # the 1.0 squash) is not a version location
        (History("main", ("zou/migrations/versions",), ("postgresql",), skips=(
            *_skips(ASKS_BIND, "e7a4c2b9f1d3"), *_skips(READS, "f2c9a1b7e4d8"), *_skips(INSPECTS, "d7a3e5b1c9f2"),
            *_skips(INSPECTS, "d7a3e5b1c9f2", direction="downgrade"),
            *_skips(UNNAMED_DROP, "a0f668430352", direction="downgrade"))),),
        stub_roots=frozenset({"zou", "sqlalchemy_utils", "babel", "pytz"}),
        stubs={**_sqlalchemy_utils(), "zou.migrations.utils.base.BaseMixin": _zou_base_mixin},
        shape="linear from a squash; an ORM data migration, online on PostgreSQL",
    ),
    Project(
        "mautrix-telegram", "0.10.2", "mautrix_telegram-0.10.2-py3-none-any.whl",
        "2cad3cdf1e3f12320af211a85cdadaeb2ca9eeebfb53266dd281dafe6a6d588a",
        # offline on PostgreSQL only: on SQLite most of its batch operations rebuild a table without
        # copy_from (it runs online on SQLite instead)
        (History("main", ("mautrix_telegram-0.10.2.data/data/alembic/versions",), ("postgresql",),
                 configure={"render_as_batch": True}),),
        stub_roots=frozenset({"mautrix", "mautrix_telegram"}),
        # mautrix's JSON-in-text column type
        stubs={"mautrix.client.state_store.sqlalchemy.SerializableType": _type(sa.Text)},
        shape="linear; render_as_batch",
    ),
    Project(
        "pyfunceble", "4.3.1", "pyfunceble-4.3.1-py3-none-any.whl",
        "15e8357cbdb786603a4d13b5234bb9cfb311dfaa71873a0d08ab6201611bd99a",
        (History("mysql", ("PyFunceble/data/alembic/mysql/versions",), ("mysql",)),
         History("postgresql", ("PyFunceble/data/alembic/postgresql/versions",), ("postgresql",))),
        stub_roots=frozenset({"PyFunceble"}),
        shape="one history per database; online on MariaDB",
    ),
    Project(
        "mlrun", "1.5.2", "mlrun-1.5.2-py3-none-any.whl",
        "65ccad85edcf005983438b0b00ad1552ada95a82a0d763a8bd047a0ef297c185",
        (History("mysql", ("mlrun/api/migrations_mysql/versions",), ("mysql",), configure={"render_as_batch": True}),
         History("sqlite", ("mlrun/api/migrations_sqlite/versions",), ("sqlite",),
                 configure={"render_as_batch": True}, skips=(
                     *_skips(BATCH_LIVE, "cf21882f938e", "863114f0c659", "d781f58f607f", "026c947c4487",
                             "114b2c80710f"),
                     *_skips(READS, "4acd9430b093"),
                     *_skips(BATCH_LIVE, "27ed4ecb734c", "114b2c80710f", "026c947c4487", "803438ecd005",
                             "6401142f2d7c", "e5594ed3ab53", "d781f58f607f", "e1dd5983c06b", "863114f0c659",
                             "1c954f8cb32d", "cf21882f938e", direction="downgrade"),
                     *_skips(READS, "4acd9430b093", direction="downgrade")))),
        stub_roots=frozenset({"mlrun"}),
        shape="one history per database (MySQL, SQLite); online on MariaDB",
    ),
    Project(
        "reana-db", "0.9.5", "reana-db-0.9.5.tar.gz",
        "1308af68cb5d7747a981517608154f338250833ec34c268facb82dbcc39a347b",
        (History("main", ("reana-db-0.9.5/reana_db/alembic/versions",), ("postgresql",),
                 configure={"version_table_schema": "__reana"},
                 skips=_skips(READS, "b85c3e601de4", direction="downgrade")),),
        stub_roots=frozenset({"reana_db", "reana_commons", "sqlalchemy_utils"}),
        stubs=_sqlalchemy_utils(),
        shape="short linear, version table in the application's schema",
    ),
    Project(
        "neutron-lbaas", "14.0.1", "neutron_lbaas-14.0.1-py2.py3-none-any.whl",
        "7578883e6892856e7a671cb16d20608fe2950f4dd53b75590a5305109a95cefc",
        (History("main", ("neutron_lbaas/db/migration/alembic_migrations/versions",), ("mysql", "postgresql"),
                 nested=True, downgrade=False, configure={"version_table": "alembic_version_lbaas"},
                 skips=(*_skips(SELECT_LIST, "6aee0434f911"), *_skips(ASKS_BIND, "4b4dc6d5d843"))),),
        stub_roots=frozenset({"neutron", "neutron_lib", "neutron_lbaas"}) | _OSLO,
        shape="neutron subproject: linear, then expand/contract branches, own version table",
    ),
    Project(
        "Cuckoo", "2.0.7", "Cuckoo-2.0.7.tar.gz",
        "335f4607882f1fcd2887bf13e547f672059233721c9abbf3269336fb4ba2d6af",
        # its distributed API's history (PostgreSQL: it alters an enum type); the sandbox's own
        # history (cuckoo/private/db_migration) is Python 2 (print statements), which neither tool imports
        (History("distributed", ("Cuckoo-2.0.7/cuckoo/private/distributed/migration/versions",), ("postgresql",)),),
        stub_roots=frozenset({"cuckoo", "dateutil"}),
        shape="short linear; enum value added after a COMMIT",
    ),
    Project(
        "maubot", "0.1.2", "maubot-0.1.2-py3-none-any.whl",
        "0432105825d4737ec81ca56aced96c17a66072aac9df415d8f89e99f9641d628",
        (History("main", ("maubot-0.1.2.data/data/alembic/versions",), ("postgresql", "sqlite"),
                 configure={"render_as_batch": True}, skips=(
                     *_skips(BATCH_LIVE, "fccd1f95544d", dialects=("sqlite",)),
                     *_skips(BATCH_LIVE, "4b93300852aa", "fccd1f95544d", direction="downgrade",
                             dialects=("sqlite",)))),),
        stub_roots=frozenset({"mautrix", "maubot"}),
        # mautrix's JSON-in-text column type
        stubs={"mautrix.client.state_store.sqlalchemy.SerializableType": _type(sa.Text)},
        shape="short linear; render_as_batch, online on SQLite",
    ),
    Project(
        "galaxy-tool-shed", "26.1.2", "galaxy_tool_shed-26.1.2-py3-none-any.whl",
        "8b1a53453f02248c5b2978cbd54773c80c62678e4ce30cabd832261f2f86cf27",
        (History("main", ("tool_shed/webapp/model/migrations/alembic/versions",), ("postgresql", "sqlite")),),
        stub_roots=frozenset({"galaxy", "tool_shed"}),
        shape="short linear",
    ),
    Project(
        "ziggurat-foundations", "0.9.1", "ziggurat_foundations-0.9.1-py2.py3-none-any.whl",
        "b05c7e582c5933f946ef2efb762be6b796f5b56561733a99c62a9215e97d1979",
        (History("main", ("ziggurat_foundations/migrations/versions",), ("postgresql", "mysql"),
                 configure={"version_table": "alembic_ziggurat_foundations_version",
                            "transaction_per_migration": True},
                 skips=(*_skips(INSPECTS, "20671b28c538", "438c27ec1c9"),
                        *_skips(INSPECTS, "53927300c277", "3cfc41c4a5f0", dialects=("mysql",)))),),
        shape="linear; per-dialect branches in revisions, own version table, transaction per migration",
    ),
    Project(
        "mautrix-facebook", "0.2.1", "mautrix_facebook-0.2.1-py3-none-any.whl",
        "0d64719db9df180dd584ca0a3e3fc9fc3aa0d0522bba9dccec0253264bc10681",
        # the last release with an Alembic history (0.3.0 and later ship none); offline on
        # PostgreSQL only: on SQLite most of its batch operations rebuild a table without copy_from
        (History("main", ("mautrix_facebook-0.2.1.data/data/alembic/versions",), ("postgresql",),
                 configure={"render_as_batch": True}),),
        stub_roots=frozenset({"mautrix", "mautrix_facebook"}),
        # mautrix's JSON-in-text column type
        stubs={"mautrix.client.state_store.sqlalchemy.SerializableType": _type(sa.Text)},
        shape="linear; render_as_batch, online on SQLite",
    ),
    Project(
        "trulens-core", "2.16.0", "trulens_core-2.16.0-py3-none-any.whl",
        "61bbb400ee4f7d2fe746f73f47e84f71d1999b0ebc20630411d2c680dae28e4a",
        # its env.py names the tables' prefix in the Config's main section and hands the Config to
        # every upgrade(config) through run_migrations(config=...) (offline it passes confi=, which
        # its revisions do not take: that is its own env.py's typo, not followed here)
        (History("main", ("trulens/core/database/migrations/versions",), ("sqlite", "postgresql", "mysql"),
                 configure={"version_table": "trulens_alembic_version",
                            "main_options": {"trulens.table_prefix": "trulens_"},
                            "run_migrations": {"config": "<config>"}},
                 skips=(*_skips(ORM, "6", "8", "9"), *_skips(ORM, "6", "8", "9", direction="downgrade"),
                        *_skips(BATCH_LIVE, "4", "7", dialects=("sqlite",)),
                        *_skips(BATCH_LIVE, "7", direction="downgrade", dialects=("sqlite",)),
                        *_skips(UNSET_OPTION, "4", direction="downgrade"))),),
        stub_roots=frozenset({"trulens", "tqdm"}),
        shape="linear; table prefix from the Config its env.py hands every upgrade()",
    ),
    Project(
        "covalent", "0.240.0", "covalent-0.240.0.tar.gz",
        "3252ffcbffd13403c4678f45e97f0db3557861a8fb4a5727d55b3c92e33c5407",
        # offline around its batch rebuilds without copy_from (most of its revisions; online in full)
        (History("main", ("covalent-0.240.0/covalent_migrations/versions",), ("sqlite",),
                 configure={"render_as_batch": True}, skips=(
                     *_skips(BATCH_LIVE, "9b9d58f02985", "97202f5f47cb", "f64ecaa040d5", "de0a6c0a3e3d",
                             "1142d81b29b8", "3727163f275c", "7b40a55c0752", "7e9fb153ecfb"),
                     *_skips(BATCH_LIVE, "7e9fb153ecfb", "7b40a55c0752", "3727163f275c", "1142d81b29b8",
                             "de0a6c0a3e3d", "f64ecaa040d5", "97202f5f47cb", "26d71848a404", "9b9d58f02985",
                             direction="downgrade"))),),
        stub_roots=frozenset({"covalent", "covalent_dispatcher"}),
        shape="linear, SQLite; render_as_batch, online on SQLite",
    ),
    Project(
        "knowledge-repo", "0.9.3", "knowledge_repo-0.9.3-py3-none-any.whl",
        "25890784b069d4400bc6f67fc876967ea45fa734c6dbc3fffc275607565c74f8",
        (History("main", ("knowledge_repo/app/migrations/versions",), ("sqlite", "mysql", "postgresql"), skips=(
            *_skips(BATCH_LIVE, "1b385158fd32", "9715822acf6c", "38eeba774226", dialects=("sqlite",)),
            *_skips(BATCH_LIVE, "38eeba774226", "009eafe4838f", "9715822acf6c", direction="downgrade",
                    dialects=("sqlite",)),
            *_skips(DROP_COLUMN_ARGS, "36baffc5df12", direction="downgrade"),
            *_skips(DROP_COLUMN_ARGS, "1b385158fd32", direction="downgrade", dialects=("mysql", "postgresql")),
            *_skips(BATCH_LIVE, "1b385158fd32", direction="downgrade", dialects=("sqlite",)))),),
        stub_roots=frozenset({"knowledge_repo"}),
        shape="linear; Flask-Migrate, batch operations, online on SQLite",
    ),
    Project(
        "iotronic", "0.4.17", "iotronic-0.4.17-py3-none-any.whl",
        "370ace7bc3090e6877e2fa7ab499d04c5654c31e573e9dfdaf8811515b7b92a5",
        # upgrade only: its revision 76c628d60004 has no downgrade()
        (History("main", ("iotronic/db/sqlalchemy/alembic/versions",), ("mysql",), downgrade=False),),
        stub_roots=frozenset({"iotronic"}) | _OSLO,
        shape="short linear, upgrade only; online on MariaDB",
    ),
    Project(
        "glare", "5.0.1", "glare-5.0.1-py3-none-any.whl",
        "119d1f768402be73f2e680c3fe462726a995ce8488f087135fca42c57324670e",
        (History("main", ("glare/db/migration/alembic_migrations/versions",), ("mysql", "postgresql")),),
        stub_roots=frozenset({"glare"}) | _OSLO,
        shape="short linear",
    ),
    Project(
        "amundsen-rds", "0.0.8", "amundsen_rds-0.0.8-py3-none-any.whl",
        "6c0beff39800bdebee1d281d80659a3537ca1c435adcec44bf774a69bf390cce",
        (History("main", ("amundsen_rds/migrations/versions",), ("mysql",)),),
        stub_roots=frozenset({"amundsen_rds"}),
        shape="short linear; online on MariaDB",
    ),
    Project(
        "nostr-relay", "1.14", "nostr_relay-1.14-py3-none-any.whl",
        "a4f401a0ae2d794298ec95623961bac6bc78e47dbc7e19a2ea71317ca338e117",
        (History("main", ("nostr_relay/alembic/versions",), ("sqlite", "postgresql"),
                 skips=_skips(INSPECTS, "fb1b3b1247a1")),),
        stub_roots=frozenset({"nostr_relay", "aionostr"}),
        shape="short linear; a data migration that inspects the database, online on SQLite",
    ),
    Project(
        "dragonflow", "4.0.0", "dragonflow-4.0.0.tar.gz",
        "9ce486c21d224b2808794d19cc5e380f90198ec50bc545c19da751e80907ff95",
        (History("main", ("dragonflow-4.0.0/dragonflow/db/neutron/migration/alembic_migrations/versions",),
                 # upgrade only: Alembic's downgrade heads:base --sql refuses its two heads
                 ("mysql", "postgresql"), nested=True, downgrade=False,
                 configure={"version_table": "df_alembic_version"}),),
        stub_roots=frozenset({"neutron", "neutron_lib", "dragonflow"}) | _OSLO,
        shape="neutron subproject: expand/contract branches, own version table",
    ),
    Project(
        "mwdb-core", "2.20.0", "mwdb_core-2.20.0-py3-none-any.whl",
        "9d1dec26ee15e8ffa4d46d56182b34b695b70b69e64dda2afdf477760fa7a6ed",
        (History("main", ("mwdb/model/migrations/versions",), ("postgresql",), skips=(
            *_skips(READS, "f4ccb4be2170", "4f0405411201", "e81d851aa91f", "6a7aefae72d3", "72a94f88d2b6"),
            *_skips(UNNAMED_DROP, "7nsxysyisgrc", "01dea56ffaf7", "72a94f88d2b6", "1a46a79d9108", "1b49fefdfcb0",
                    "bd88eb7eec2b", "c8ba40a69421", direction="downgrade"),
            *_skips(NO_DOWNGRADE, "6a7aefae72d3", "e81d851aa91f", "6db157d09a30", "d7725a4e500c", "4f0405411201",
                    "f4ccb4be2170", direction="downgrade"))),),
        stub_roots=frozenset({"mwdb"}),
        # the enum its OIDC revision gives to sa.Enum (the type its own CREATE TYPE makes first)
        stubs={"mwdb.model.OpenIDGroupManagementMode":
               lambda: enum.Enum("OpenIDGroupManagementMode", ["NONE", "FULL", "MIXED"])},
        shape="long linear; Flask-Migrate, data migrations in SQL",
    ),
    Project(
        "idds-server", "2.6.21", "idds_server-2.6.21-py3-none-any.whl",
        "71de8b31fd324c5de88bf321dc262b159fdff89972c71e618b697b20f4922803",
        # its alembic.ini names the schema its env.py passes as version_table_schema, which every
        # revision reads back from the context for its operations
        (History("main", ("idds/orm/base/alembic/versions",), ("oracle", "postgresql", "mysql"),
                 configure={"version_table_schema": "DOMA_IDDS", "include_schemas": True}, skips=(
                     *_skips(MYSQL_EXISTING_TYPE, "6ca0e5e466eb", dialects=("mysql",)),
                     *_skips(MYSQL_DROP_CONSTRAINT, "1bc6e82e8514", dialects=("mysql",)),
                     *_skips(ADD_COLUMN_NAME, "8c3a2b989a93", direction="downgrade"),
                     *_skips(NO_SUCH_OP, "53d0af715dab", direction="downgrade", dialects=("oracle", "postgresql")),
                     *_skips(MYSQL_DROP_CONSTRAINT, "6931b48500a2", "8fe5cab9bde1", "3073c5de8f73", "354f8e5a5879",
                             "1bc6e82e8514", "b0ec813021d6", "53d0af715dab", direction="downgrade",
                             dialects=("mysql",)),
                     *_skips(MYSQL_EXISTING_TYPE, "6ca0e5e466eb", direction="downgrade", dialects=("mysql",)))),),
        stub_roots=frozenset({"idds"}),
        # its integer column holding an enum's value
        stubs={"idds.orm.base.types.EnumWithValue": _type(sa.Integer)},
        shape="linear; Oracle, schema read from the context, sequences",
    ),
    Project(
        "taskflow", "6.5.0", "taskflow-6.5.0-py3-none-any.whl",
        "6f71f24f8b39833647e4aa71badbf441ff4abfab51ee8ae837f9dbb1fff08ea6",
        (History("main", ("taskflow/persistence/backends/sqlalchemy/alembic/versions",),
                 # upgrade only: its revision 40fc8c914bd2 has no downgrade()
                 ("mysql", "postgresql", "sqlite"), downgrade=False),),
        stub_roots=frozenset({"taskflow"}) | _OSLO,
        # the atom types and intentions its Enums list, as taskflow's models and states define them
        stubs={"taskflow.persistence.models.ATOM_TYPES": lambda: ["RETRY_DETAIL", "TASK_DETAIL"],
               "taskflow.states.INTENTIONS": lambda: ("EXECUTE", "IGNORE", "REVERT", "RETRY"),
               "taskflow.states.EXECUTE": lambda: "EXECUTE"},
        shape="linear, upgrade only; a library's persistence tables, online on all three databases",
    ),
    Project(
        "dbos", "1.14.0", "dbos-1.14.0-py3-none-any.whl",
        "544c99a641636f6b9f528f64ae92430c444bc68486fc2511ab5415f61304e2bb",
        # the last releases whose system database is migrated by Alembic (2.0 writes its own SQL)
        (History("main", ("dbos/_alembic_migrations/versions",), ("postgresql",)),),
        shape="linear; system tables in their own schema, triggers; online on PostgreSQL",
    ),
    Project(
        "freshmaker", "0.1.2", "freshmaker-0.1.2.tar.gz",
        "105c04f7025a8a46906c3667658709c21df4b8083532e98e74aedef9b0a5496e",
        (History("main", ("freshmaker-0.1.2/freshmaker/migrations/versions",), ("postgresql", "sqlite"), skips=(
            *_skips(READS, "b17231ee8220", "e06434b3ef5e"),
            *_skips(ASKS_BIND, "b17231ee8220", direction="downgrade"),
            *_skips(BATCH_LIVE, "90f8444d5ab7", direction="downgrade", dialects=("sqlite",)))),),
        stub_roots=frozenset({"freshmaker", "flask", "six"}),
        # the event states and the events table its data migration updates
        stubs={"freshmaker.types.EventState": lambda: enum.IntEnum(
                   "EventState", ["INITIALIZED", "BUILDING", "COMPLETE", "FAILED", "SKIPPED"], start=0),
               "freshmaker.models.Event": lambda: sa.table("events", sa.column("state"))},
        shape="linear; Flask-Migrate, ORM data migrations",
    ),
    Project(
        "nonebot-bison", "0.9.14", "nonebot_bison-0.9.14-py3-none-any.whl",
        "e0a3cb1684d5e398165009b0f49944db45c0650cd80286bd71dad89592dbda06",
        # nonebot-plugin-datastore runs each plugin's history with its own version table, in batch mode
        # offline on PostgreSQL only: on SQLite most of its batch operations rebuild a table without copy_from
        (History("main", ("nonebot_bison/config/migrations",), ("postgresql",),
                 configure={"version_table": "nonebot_bison_alembic_version", "render_as_batch": True}, skips=(
                     *_skips(INSPECTS, "bd92923c218f", "a5466912fad0", "f9baef347cc8"),
                     *_skips(INSPECTS, "a5466912fad0", direction="downgrade"))),),
        stub_roots=frozenset({"nonebot_bison", "nonebot_plugin_datastore"}),
        shape="linear; a bot plugin's own version table, render_as_batch, online on SQLite",
    ),
    Project(
        "sickrage", "10.0.71", "sickrage-10.0.71-py2.py3-none-any.whl",
        "ffecdcff4993fced800b4554928d9f39ff4cabb2ece2d794d7093a15849fb098",
        # its main and cache histories by listings only: 20 of the 23 and 8 of the 11 revisions make
        # MetaData(bind=...), which SQLAlchemy 2 refuses, for either tool
        (History("main", ("sickrage/core/databases/main/migrations/versions",), ("sqlite",), sql=False),
         History("cache", ("sickrage/core/databases/cache/migrations/versions",), ("sqlite",), sql=False),
         History("config", ("sickrage/core/databases/config/migrations/versions",), ("sqlite",), skips=(
             *_skips(BATCH_LIVE, "2", "3"), *_skips(READS, "5"), *_skips(METADATA_BIND, "7")))),
        stub_roots=frozenset({"sickrage", "babelfish", "keycloak"}),
        shape="three SQLite histories, numbered revision ids; main and cache by listings",
    ),
    Project(
        "datacube", "1.9.23", "datacube-1.9.23-py3-none-any.whl",
        "898153639830e5bab094b24ca71a5fa77118e239c97fdb25330861b891ac6581",
        (History("main", ("datacube/drivers/postgis/alembic/versions",), ("postgresql",),
                 configure={"version_table_schema": "odc", "include_schemas": True}, skips=(
                     *_skips(INSPECTS, "18afe14f2816"), *_skips(READS, "01fa1abedd6d"),
                     *_skips(READS, "d27eed82e1f6", direction="downgrade"))),),
        stub_roots=frozenset({"datacube"}),
        shape="short linear; PostGIS index driver, version table in the application's schema",
    ),
    Project(
        "embedchain", "0.1.128", "embedchain-0.1.128-py3-none-any.whl",
        "380e848c053a335b06d535efcbfdc6b98a5d0b2a6a1f553aae94cb1c85676183",
        (History("main", ("embedchain/migrations/versions",), ("sqlite", "postgresql")),),
        stub_roots=frozenset({"embedchain"}),
        shape="one revision; online on SQLite",
    ),
    Project(
        "skyvern", "1.0.56", "skyvern-1.0.56-py3-none-any.whl",
        "821e7bee0dc642a0a609eac45b656a0a96690592a240058bd3153177c1c77d40",
        # its Alembic folder ships at the top of the wheel, beside the package
        (History("main", ("alembic/versions",), ("postgresql",), skips=(
            *_skips(READS, "12f6731887f4", "9f512f2da31e", "0b0bd1875c6e", "d1e2f3a4b5c6", "58c683692601",
                    "3739fba3dc3d", "214808602675", "f65c97b21be8", "4909d15f6587", "55f527c1d158", "13139662a50b",
                    "2b0a571b6e5e", "4bb7e94abfb6"),
            *_skips(INSPECTS, "8a7754a48701", "ed48b2c9cab2", "a8c4e2f9d6b1", "218048b68412"),
            *_skips(READS, "9bde879d4fc0", "762d72647b18", "58c683692601", "d1e2f3a4b5c6", "0b0bd1875c6e",
                    "9f512f2da31e", "12f6731887f4", direction="downgrade"),
            *_skips(INSPECTS, "218048b68412", "a8c4e2f9d6b1", "ed48b2c9cab2", "8a7754a48701", direction="downgrade"),
            *_skips(UNNAMED_DROP, "511d9da18f5d", "3aa0ef96942d", direction="downgrade"))),),
        stub_roots=frozenset({"skyvern"}),
        shape="very long linear (autogenerated); online on PostgreSQL",
    ),
    Project(
        "orchestrator-core", "5.5.0", "orchestrator_core-5.5.0-py3-none-any.whl",
        "8f7ed553b94d0bbeb61fc3858620951ff3044a7ad642e4353fd4dd4f688d9201",
        # the core's schema branch (branch label "schema"); applications add their own data branch beside it
        (History("main", ("orchestrator/core/migrations/versions/schema",), ("postgresql",), skips=(
            *_skips(SQL_FILE, "a09ac125ea73", "165303a20fb1", "da5c9f4cce1c", "460ec6748e37", "42b3d076a85b",
                    "d69e10434a04"),
            *_skips(INSPECTS, "961eddbd4c13"), *_skips(READS, "cab8b6a0ac92"),
            *_skips(READS, "cab8b6a0ac92", direction="downgrade"),
            *_skips(SQL_FILE, "d69e10434a04", direction="downgrade")), departures=(
            # workflows inserted with ids made by uuid4(), found again by name
            WrittenParameters("a76b9185b334", (
                FRESH_UUID, "modify_note", "MODIFY", "Modify Note", "task_clean_up_tasks", "SYSTEM",
                "Clean up old tasks", "task_resume_workflows",
                "Resume all workflows that are stuck on tasks with the status 'waiting'")),
            WrittenParameters("3c8b9185c221", (FRESH_UUID, "task_validate_products", "SYSTEM", "Validate products")),
            WrittenParameters("4fjdn13f83ga", (FRESH_UUID, "task_validate_product_type", "SYSTEM",
                                               "Validate all subscriptions of Product Type")),
            WrittenParameters("9736496e3eba", ("task_clean_up_tasks", "task_resume_workflows", "task_validate_products",
                                               "task_validate_subscriptions")),
            WrittenParameters("a76b9185b334", ("modify_note", "task_clean_up_tasks", "task_resume_workflows"),
                              direction="downgrade"),
            WrittenParameters("3c8b9185c221", ("task_validate_products",), direction="downgrade"),
            WrittenParameters("4fjdn13f83ga", ("task_validate_product_type",), direction="downgrade"),
            WrittenParameters("961eddbd4c13", ("task_validate_subscriptions",), direction="downgrade"))),),
        stub_roots=frozenset({"orchestrator", "sqlalchemy_utils", "structlog"}),
        stubs={**_sqlalchemy_utils(),
               "sqlalchemy_utils.types.ts_vector.TSVectorType": _type(postgresql.TSVECTOR),
               # its String that stores an empty string as NULL
               "orchestrator.core.db.models.StringThatAutoConvertsToNullWhenEmpty": _type(sa.String(5000)),
               # the search index's field types, which a revision lists in a CREATE TYPE (values of ours)
               "orchestrator.core.search.core.types.FieldType": lambda: enum.Enum(
                   "FieldType", {"STRING": "string", "INTEGER": "integer", "BOOLEAN": "boolean"})},
        shape="linear under a branch label; a workflow engine's schema, data migrations in SQL",
    ),
    Project(
        "mlflow-oidc-auth", "11.0.2", "mlflow_oidc_auth-11.0.2-py3-none-any.whl",
        "58d9d87a8b92c8ffc404a05c5eff714bdd8f3e40cb14eadd045036ea45992095",
        (History("main", ("mlflow_oidc_auth/db/migrations/versions",), ("sqlite", "postgresql", "mysql"), skips=(
            *_skips(READS, "f6a7b8c9d0e1"),
            *_skips(BATCH_LIVE, "a7b8c9d0e1f2", "b8c9d0e1f2a3", "c9d0e1f2a3b4", dialects=("sqlite",)),
            *_skips(BATCH_LIVE, "e1f2a3b4c5d6", "c2f3a4b56789", direction="downgrade", dialects=("sqlite",)),
            *_skips(READS, "c9d0e1f2a3b4", "b8c9d0e1f2a3", "a7b8c9d0e1f2", "f6a7b8c9d0e1", direction="downgrade"))),),
        stub_roots=frozenset({"mlflow_oidc_auth", "werkzeug"}),
        shape="linear; an MLflow plugin's permission tables, online on SQLite and MariaDB",
    ),
    Project(
        "ckanext-files", "1.3.4", "ckanext_files-1.3.4-py3-none-any.whl",
        "854acbb1085836588d0e3ccbd3b6457c074f99ce205cd9d0ed5c96d224351280",
        (History("main", ("ckanext/files/migration/files/versions",), ("postgresql",),
                 configure={"version_table": "files_alembic_version"},
                 skips=_skips(READS, "6e3c2aa192f6", "b4b6ff46cd13")),),
        stub_roots=frozenset({"ckan"}),
        shape="CKAN extension: linear, own version table",
    ),
    Project(
        "ckanext-feedback", "1.5.0", "ckanext_feedback-1.5.0-py3-none-any.whl",
        "d88533518ddf289f401f0aa73fc0205356257eb4925ab8b67f0ea3daccaf9507",
        (History("main", ("ckanext/feedback/migration/feedback/versions",), ("postgresql",),
                 configure={"version_table": "feedback_alembic_version"}, skips=_skips(READS, "8293443a0ff2")),),
        stub_roots=frozenset({"ckan"}),
        shape="CKAN extension: linear, own version table; PostgreSQL enums",
    ),
    Project(
        "nonebot-plugin-user", "0.6.1", "nonebot_plugin_user-0.6.1-py3-none-any.whl",
        "57e322e62a3930e42ffddfdce1921c18d5470571096e7967f5bd41f43a8abe15",
        # nonebot-plugin-orm runs every plugin's branch (branch label: the plugin) in batch mode
        (History("main", ("nonebot_plugin_user/migrations",), ("sqlite", "postgresql", "mysql"),
                 configure={"render_as_batch": True}, skips=(
                     *_skips(INSPECTS, "d6e05e49f79f"), *_skips(INSPECTS, "d6e05e49f79f", direction="downgrade"),
                     *_skips(BATCH_LIVE, "fc352174a592", direction="downgrade", dialects=("sqlite",)))),),
        stub_roots=frozenset({"nonebot", "nonebot_plugin_user"}),
        shape="short linear under a branch label; render_as_batch, online on SQLite",
    ),
    Project(
        "ckanext-admin-panel", "2.1.3", "ckanext_admin_panel-2.1.3-py3-none-any.whl",
        "858d9f0243956f051dea4c5e888b57ba36a6e449738969f25b4d9ca6487188d4",
        # one package, three CKAN plugins: each its own history and version table
        tuple(History(name, (f"ckanext/ap_{name}/migration/admin_panel_{name}/versions",), ("postgresql",),
                      configure={"version_table": f"admin_panel_{name}_alembic_version"})
              for name in ("cron", "log", "support")),
        stub_roots=frozenset({"ckan"}),
        shape="CKAN extension: three plugins' histories in one package, each its own version table",
    ),
    Project(
        "ckanext-comments", "0.3.1.post1", "ckanext_comments-0.3.1.post1-py3-none-any.whl",
        "13cdd479cd950cf39b638a579ce91864ec1fbee5bec80b234f7664f3d95332eb",
        (History("main", ("ckanext/comments/migration/comments/versions",), ("postgresql",),
                 configure={"version_table": "comments_alembic_version"}),),
        stub_roots=frozenset({"ckan"}),
        shape="CKAN extension: short linear, own version table",
    ),
    Project(
        "nonebot-plugin-chatrecorder", "0.7.0", "nonebot_plugin_chatrecorder-0.7.0-py3-none-any.whl",
        "56cfb306cc85c602c8c97e7f1a63328d075ac8fd2349ddefcb501600f416d544",
        # nonebot-plugin-orm's one history of every installed plugin: chatrecorder's branch depends on
        # uninfo's root, from the package it requires (upgrade only: two heads, which Alembic's
        # downgrade heads:base --sql refuses)
        (History("main", ("nonebot_plugin_uninfo/migrations", "nonebot_plugin_chatrecorder/migrations"),
                 # offline on PostgreSQL and MySQL (on SQLite uninfo's second revision rebuilds a table
                 # without copy_from); online on SQLite
                 ("postgresql", "mysql"), downgrade=False, configure={"render_as_batch": True},
                 skips=_skips(INSPECTS, "bc43ce947963")),),
        more=(Release("nonebot-plugin-uninfo", "0.11.2", "nonebot_plugin_uninfo-0.11.2-py3-none-any.whl",
                      "47a42e16247649986affedc9c649d57a12d026b19f4d9c0c22829b4a585411a4"),),
        stub_roots=frozenset({"nonebot", "nonebot_session_to_uninfo"}),
        shape="two packages' branches, depends_on across them, upgrade only; online on SQLite",
    ),
    Project(
        "invenio-oauth2server", "6.1.0", "invenio_oauth2server-6.1.0-py3-none-any.whl",
        "29eaf2787cae067f4ab0690e0cbaa853f6ce8fe78efc453f5e7de7c285270972",
        # another InvenioRDM installation's history, of packages the invenio-db project leaves out:
        # OAuth2 server, webhooks and GitHub on top of it, static pages, banners, jobs (whose branch
        # merges two heads of its own), each package its own branch rooted on invenio-db's
        (History("main", tuple(f"invenio_{p}/alembic" for p in (
            "db", "accounts", "oauth2server", "webhooks", "github", "pages", "banners", "jobs")),
            ("postgresql",), downgrade=False, skips=_skips(TARGET_METADATA, "35c1075e6360")),),
        more=_invenio(
            ("invenio-db", "2.6.1", "9c5f7c6f01cf3d1c963c6355b8d68dbc2016b1f033ccf054e3fc0fe53ab4384a"),
            ("invenio-accounts", "9.1.0", "b3529213456a91b3aa3ba79ba0d0074cfa29bc81715b2d3300f8c47e7ac06d47"),
            ("invenio-webhooks", "4.0.2", "ca075d1d1eb595984ce9055efc2a6faf9a3276b17e2946052ef1c0f49c035cb3"),
            ("invenio-github", "7.1.2", "bbf4f92790a8e2fb8e10c7c696b58495c2cc650d59239b8cf607f9cf03401828"),
            ("invenio-pages", "10.0.3", "49066e866c86e7c0ff3c433a664abe2a71af4437bfc3a1729beaf6c9fb359f97"),
            ("invenio-banners", "8.0.2", "30bf87756ee5faee66b717828f95388575ac4f77c7dd3d385f78f5887f3d59a6"),
            ("invenio-jobs", "11.1.0", "272be33592bd9fc77aba6e2fcdd2e9059349aa360562d45897781676de02353c")),
        # (invenio_communities and invenio_access are not installed here: accounts' f2522cdd5fcd
        # depends on their revisions only where they import)
        stub_roots=frozenset({"invenio_db", "invenio_accounts", "invenio_jobs", "sqlalchemy_utils", "flask"}),
        # a job run's states (values of ours: only the Python-side default reads one)
        stubs={**_sqlalchemy_utils(), "sqlalchemy_utils.types.url.URLType": _type(sa.UnicodeText),
               "invenio_jobs.models.RunStatusEnum": lambda: enum.Enum(
            "RunStatusEnum", {"QUEUED": "Q", "RUNNING": "R", "SUCCESS": "S", "FAILED": "F"})},
        shape="one history from 8 packages' folders: branch labels, depends_on across packages, a merge; upgrade only",
    ),
    Project(
        "gramps-webapi", "3.24.0", "gramps_webapi-3.24.0.tar.gz",
        "8d993785cc6f1fd60c1a1b853c0be927c6d8517676cb2487039e54a2c53e157a",
        # its user database's history (the sdist's alembic_users; the wheel ships none)
        (History("main", ("gramps_webapi-3.24.0/alembic_users/versions",), ("sqlite", "postgresql"), skips=(
            # 13 of its 17 upgrades inspect the database first (online in full)
            *_skips(INSPECTS, "c89728e71264", "e5e738d09fa7", "e176543c72a8", "66e56620891a", "22c8d1fba959",
                    "a8e57fe0d82e", "f3a1c8e92b47", "b2c3d4e5f6a7", "6d8f3cb50b71", "d4e9a1c7b3f2", "7b2e9f4c1a63",
                    "4b7f9d2e6c01", "9c4d2e7a5b18"),
            *_skips(BATCH_LIVE, "9c4d2e7a5b18", direction="downgrade", dialects=("sqlite",)),
            *_skips(INSPECTS, "7b2e9f4c1a63", "d4e9a1c7b3f2", direction="downgrade")),
            # its merge of two branches whose heads both inspect the database
            straddled_merges=("c1d2e3f4a5b6",)),),
        stub_roots=frozenset({"gramps_webapi"}),
        # its GUID column type: PostgreSQL's UUID, CHAR(32) elsewhere (rucio's stand-in is the same there)
        stubs={"gramps_webapi.auth.sql_guid.GUID": _rucio_guid},
        shape="two branches and a merge; revisions that inspect the database first, online on SQLite and PostgreSQL",
    ),
)
