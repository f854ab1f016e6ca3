"""The public API of autogenerate: compare, produce, render; and what ``revision`` uses.

``compare_metadata`` and ``produce_migrations`` take a live
:class:`~limbeck.runtime.migration.MigrationContext` and the target
``MetaData`` (one, or a sequence of them); ``render_python_code`` turns the
result into the text of a revision's function body. :class:`AutogenContext`
carries what one comparison needs (the connection, the dialect, the
``configure()`` options, the imports the rendering collects);
:class:`RevisionContext` drives ``revision --autogenerate`` through env.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.options import CompareOptions
from limbeck.autogenerate.plugins import ALL as ALL_PLUGINS
from limbeck.autogenerate.plugins import enabled_plugins
from limbeck.autogenerate.render import render_python_code
from limbeck.errors import CommandError, DuplicateTableKeys
from limbeck.operations.containers import DowngradeOps, MigrationScript, UpgradeOps

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Table
    from sqlalchemy.engine import Connection, Dialect, Inspector

    from limbeck.autogenerate.compare.forms import TableForms
    from limbeck.dialects.base import CatalogFacts, DialectBehaviour
    from limbeck.operations.written_ddl import IndexSQL
    from limbeck.runtime.migration import MigrationContext


class AutogenContext:
    """One comparison (or rendering): the database, the models and the options.

    Args:
        migration_context: the live context; ``None`` renders for a generic dialect.
        metadata: the target ``MetaData`` (or a sequence); default: ``target_metadata``.
        opts: options; default: the migration context's ``configure()`` options.
        autogenerate: ``True`` to compare, which needs a connection and metadata.
    """

    def __init__(
        self,
        migration_context: MigrationContext | None,
        metadata: MetaData | Sequence[MetaData] | None = None,
        opts: Mapping[str, Any] | None = None,
        autogenerate: bool = True,
    ) -> None:
        if opts is None:
            opts = migration_context.opts if migration_context is not None else {}
        self.opts: dict[str, Any] = dict(opts)
        if metadata is None:
            metadata = self.opts.get("target_metadata")
        if autogenerate and migration_context is not None and migration_context.as_sql:
            raise CommandError(
                "autogenerate can't use as_sql=True as it prevents querying the database for schema information"
            )
        #: the built-in comparisons ``autogenerate_plugins`` turns on (see :mod:`limbeck.autogenerate.plugins`)
        self.plugins = _plugins(migration_context, self.opts) if autogenerate else ALL_PLUGINS
        if autogenerate and metadata is None and getattr(migration_context, "script", None) is not None:
            # Alembic's condition: run by env.py. A context built by hand (to render records) needs no
            # models; comparing without them still refuses (:func:`_require_metadata`)
            _refuse_without_metadata(_env_script(migration_context))
        self.metadata = metadata
        self.migration_context = migration_context
        self.connection: Connection | None = migration_context.bind if migration_context is not None else None
        self.dialect: Dialect = migration_context.dialect if migration_context is not None else _default_dialect()
        self.imports: set[str] = set()
        self._has_batch = False
        self._inspector: Inspector | None = None
        self._behaviour: DialectBehaviour | None = None
        self.compare_options = CompareOptions.from_opts(self.opts)
        #: what the schema level reflected: every database table, and the (model, database) pairs
        self.conn_tables: list[Table] = []
        self.table_pairs: list[tuple[Table, Table]] = []
        #: (schema, table) -> its indexes' statements as the catalog keeps them (SQLite)
        self.written_indexes: dict[tuple[str | None, str], dict[str, IndexSQL]] = {}
        #: (schema, table) -> the forms of that compared table pair (see compare.forms)
        self.forms_cache: dict[tuple[str | None, str], TableForms] = {}
        #: "unique" / "check" -> whether the database reports that kind at all (see compare.reflectable)
        self.reflected_kinds: dict[str, bool] = {}

    @property
    def behaviour(self) -> DialectBehaviour:
        """The database's behaviour object (the migration context's, or the dialect's default)."""
        if self.migration_context is not None:
            return self.migration_context.behaviour
        if self._behaviour is None:
            from limbeck.dialects import behaviour_for

            self._behaviour = behaviour_for(self.dialect)
        return self._behaviour

    @property
    def catalog(self) -> CatalogFacts:
        return self.behaviour.catalog

    # -- what comparators and renderers use -------------------------------------------
    @property
    def inspector(self) -> Inspector:
        if self.connection is None:
            raise CommandError("autogenerate needs a database connection to inspect")
        if self._inspector is None:
            from sqlalchemy import inspect

            self._inspector = inspect(self.connection)
        return self._inspector

    @property
    def metadatas(self) -> list[MetaData]:
        if self.metadata is None:
            return []
        if isinstance(self.metadata, (list, tuple)):
            return list(self.metadata)
        # only a list or tuple counts as several, as env.py files pass them; anything else is one
        return [self.metadata]  # type: ignore[list-item]

    @property
    def sorted_tables(self) -> list[Table]:
        """Every table of the target metadata, dependencies first, metadata by metadata."""
        return [table for md in self.metadatas for table in md.sorted_tables]

    @property
    def table_key_to_table(self) -> dict[str, Table]:
        """``schema.name`` (or ``name``) -> Table over all target metadata; keys must be unique."""
        result: dict[str, Table] = {}
        for md in self.metadatas:
            twice = sorted(set(result) & set(md.tables))
            if twice:
                keys = ", ".join(f'"{key}"' for key in twice)
                raise DuplicateTableKeys(f"Duplicate table keys across multiple MetaData objects: {keys}")
            result.update(md.tables)
        return result

    def render_item(self, type_: str, obj: Any) -> Any:
        """The user's ``render_item(type_, obj, context)`` result, or ``False`` to render normally."""
        hook = self.opts.get("render_item")
        if hook is None:
            return False
        return hook(type_, obj, self)

    def run_name_filters(self, name: str | None, type_: str, parent_names: Mapping[str, Any]) -> bool:
        """``include_name(name, type_, parent_names)``; ``False`` skips the object."""
        hook = self.opts.get("include_name")
        if hook is None:
            return True
        names = dict(parent_names)
        # a table's own name counts as its table name: hooks read "schema_qualified_table_name" for tables too
        table = name if type_ == "table" else names.get("table_name")
        if "schema_name" in names and table:
            schema = names["schema_name"]
            names["schema_qualified_table_name"] = f"{schema}.{table}" if schema else table
        return bool(hook(name, type_, names))

    def run_object_filters(self, object_: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        """``include_object(object, name, type_, reflected, compare_to)``; ``False`` skips it."""
        hook = self.opts.get("include_object")
        if hook is None:
            return True
        return bool(hook(object_, name, type_, reflected, compare_to))

    run_filters = run_object_filters

    @contextlib.contextmanager
    def _within_batch(self) -> Iterator[None]:
        self._has_batch = True
        try:
            yield
        finally:
            self._has_batch = False


def _plugins(migration_context: MigrationContext | None, opts: Mapping[str, Any]) -> frozenset[str]:
    """The plugins of the migration context's ``configure()`` (as Alembic reads them), else of ``opts``."""
    source = migration_context.opts if migration_context is not None else opts
    return enabled_plugins(source.get("autogenerate_plugins"))


def _refuse_without_metadata(where: str) -> None:
    raise CommandError(
        f"Can't proceed with --autogenerate option; environment script {where} does not provide "
        "a MetaData object or sequence of objects to the context."
    )


def _require_metadata(ctx: AutogenContext) -> None:
    """Refuse to compare without models: every table would be reported removed."""
    if ctx.metadata is None:
        _refuse_without_metadata(_env_script(ctx.migration_context))


def _env_script(migration_context: MigrationContext | None) -> str:
    script = getattr(migration_context, "script", None)
    env = getattr(script, "env_py_location", None) if script is not None else None
    return str(env) if env else "env.py"


def _default_dialect() -> Dialect:
    from sqlalchemy.engine.default import DefaultDialect

    return DefaultDialect()


def compare_metadata(context: MigrationContext, metadata: MetaData | Sequence[MetaData]) -> list[Any]:
    """The differences between ``metadata`` and the database, as Alembic's diff entries.

    Each entry is a tuple such as ``("add_table", Table)`` or
    ``("remove_column", schema, table_name, Column)``; the changes to one
    column are grouped in a list of ``("modify_*", ...)`` tuples.
    """
    from limbeck.autogenerate.compare import compare_into

    ctx = AutogenContext(context, metadata=metadata)
    upgrade_ops = UpgradeOps([])
    compare_into(ctx, upgrade_ops)
    return upgrade_ops.as_diffs()


def produce_migrations(context: MigrationContext, metadata: MetaData | Sequence[MetaData]) -> MigrationScript:
    """A ``MigrationScript`` whose upgrade makes the database match ``metadata``."""

    ctx = AutogenContext(context, metadata=metadata)
    script = MigrationScript(rev_id=None, upgrade_ops=UpgradeOps([]), downgrade_ops=DowngradeOps([]))
    populate_migration_script(ctx, script)
    return script


def populate_migration_script(ctx: AutogenContext, script: MigrationScript) -> None:
    """Compare into the script's last upgrade container and fill its downgrade."""
    from limbeck.autogenerate.compare import compare_into

    upgrade_ops = script.upgrade_ops_list[-1]
    compare_into(ctx, upgrade_ops)
    upgrade_ops.reverse_into(script.downgrade_ops_list[-1])


__all__ = [
    "AutogenContext",
    "compare_metadata",
    "populate_migration_script",
    "produce_migrations",
    "render_python_code",
]



def __getattr__(name: str) -> Any:
    """``RevisionContext`` here too, as in Alembic's ``autogenerate.api`` (tools' docs import it from there);
    looked up on use: its module imports this one."""
    if name == "RevisionContext":
        from limbeck.autogenerate.revision import RevisionContext

        return RevisionContext
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
