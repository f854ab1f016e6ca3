"""EnvironmentContext: the API env.py talks to (``from limbeck import context``).

A command creates one around ``script.run_env()``; while it is entered it is
what :mod:`limbeck.context` resolves to, so an unchanged Alembic env.py
(``from alembic import context``) finds it too. It keeps the command's
arguments (destination, ``start:end``, tag, ``-x``, ``--sql``) and builds the
:class:`~limbeck.runtime.migration.MigrationContext` when env.py calls
:meth:`configure`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, MutableMapping
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Literal, Mapping, Optional, Union, overload

from limbeck import context as context_module
from limbeck.errors import CommandError
from limbeck.runtime.migration import MigrationContext
from limbeck.runtime.options import RunOptions

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql.schema import SchemaItem

    from limbeck.operations.containers import MigrationScript
    from limbeck.runtime.steps import MigrationInfo

    from limbeck.config import Config
    from limbeck.script import ScriptDirectory

# The callables configure() takes, as Alembic names their types (tools type their hooks with them).
NameFilterType = Literal[
    "schema", "table", "column", "index", "unique_constraint", "foreign_key_constraint", "check_constraint"
]
NameFilterParentNames = MutableMapping[Literal["schema_name", "table_name", "schema_qualified_table_name"], Optional[str]]
IncludeNameFn = Callable[[Optional[str], NameFilterType, NameFilterParentNames], bool]
IncludeObjectFn = Callable[["SchemaItem", Optional[str], NameFilterType, bool, Optional["SchemaItem"]], bool]
OnVersionApplyFn = Callable[[MigrationContext, "MigrationInfo", Collection[Any], Mapping[str, Any]], None]
RenderItemFn = Callable[[str, Any, Any], Union[str, Literal[False]]]  # (type, object, the AutogenContext)
ProcessRevisionDirectiveFn = Callable[
    [MigrationContext, Union[str, Iterable[Optional[str]], Iterable[str]], list["MigrationScript"]], None
]

#: configure() parameters used by autogenerate (kept in opts for that feature)
_AUTOGEN_DEFAULTS: dict[str, Any] = {
    "render_as_batch": False,
    "target_metadata": None,
    "include_name": None,
    "include_object": None,
    "include_schemas": False,
    "process_revision_directives": None,
    "compare_type": True,
    "compare_server_default": False,
    "render_item": None,
    "upgrade_token": "upgrades",
    "downgrade_token": "downgrades",
    "alembic_module_prefix": "op.",
    "sqlalchemy_module_prefix": "sa.",
    "user_module_prefix": None,
}


class EnvironmentContext:
    """The facade env.py uses to configure and run migrations."""

    _migration_context: "MigrationContext | None" = None

    def __init__(
        self, config: "Config", script: "ScriptDirectory", *, options: RunOptions | None = None, **kw: Any
    ) -> None:
        """``kw`` are Alembic's context options (``fn``, ``as_sql``, ``starting_rev``, ...).

        A limbeck command passes its typed ``options`` instead of ``as_sql``
        and ``tag``; made the Alembic way, the options come from ``kw``.
        """
        self.config = config
        self.script = script
        #: made by a limbeck command (not a program's ``EnvironmentContext(...)``): its offline
        #: script is held until the run succeeded, so a failed run writes nothing. Made by a
        #: program, text is written as it is produced, as Alembic writes it.
        self.command_run = options is not None
        self.options = options if options is not None else RunOptions.from_context_opts(kw)
        self.context_opts: dict[str, Any] = {**self.options.context_opts(), **kw}
        self._token: Any = None
        self._contexts: list["MigrationContext"] = []

    def __enter__(self) -> "EnvironmentContext":
        self._token = context_module._install(self)
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        context_module._restore(self._token)
        self._token = None
        # offline text of every context env.py configured is written only now,
        # and only if env.py finished: a failed run leaves no half script behind
        for migration_context in self._contexts:
            if exc_type is None:
                migration_context.impl.release()
            else:
                migration_context.impl.discard()
        self._contexts.clear()

    # -- arguments of the running command -----------------------------------------------
    def is_offline_mode(self) -> bool:
        return self.options.sql

    def is_transactional_ddl(self) -> bool:
        return self.get_context().impl.transactional_ddl

    def requires_connection(self) -> bool:
        return not self.is_offline_mode()

    def get_head_revision(self) -> Any:
        return self.script.as_revision_number("head")

    def get_head_revisions(self) -> Any:
        return self.script.as_revision_number("heads")

    def get_starting_revision_argument(self) -> Any:
        if self._migration_context is not None:
            return self.script.as_revision_number(self.get_context().opts.get("starting_rev"))
        if "starting_rev" in self.context_opts:
            return self.script.as_revision_number(self.context_opts["starting_rev"])
        raise CommandError("No starting revision argument is available.")

    def get_revision_argument(self) -> Any:
        return self.script.as_revision_number(self.context_opts.get("destination_rev"))

    def get_tag_argument(self) -> str | None:
        # as Alembic: configure(tag=...) replaces the command's --tag for the rest of env.py
        tag: str | None = self.context_opts.get("tag", self.options.tag)
        return tag

    @overload
    def get_x_argument(self, as_dictionary: Literal[False] = ...) -> list[str]: ...

    @overload
    def get_x_argument(self, as_dictionary: Literal[True]) -> dict[str, str]: ...

    def get_x_argument(self, as_dictionary: bool = False) -> list[str] | dict[str, str]:
        """``-x`` values from the command line, as a list or ``key=value`` dict.

        As Alembic: the values as given (a program's ``cmd_opts.x`` may be one
        string, returned as it is), split at the first ``=`` with nothing stripped.
        """
        cmd_opts = getattr(self.config, "cmd_opts", None)
        given = getattr(cmd_opts, "x", None) or []
        if not as_dictionary:
            return given if isinstance(given, str) else list(given)  # type: ignore[return-value]
        result: dict[str, str] = {}
        for item in [given] if isinstance(given, str) else given:
            key, _, value = item.partition("=")
            result[key] = value
        return result

    # -- configuration -------------------------------------------------------------------
    def configure(
        self,
        connection: "Connection | None" = None,
        url: Any = None,
        dialect_name: str | None = None,
        dialect_opts: Mapping[str, Any] | None = None,
        transactional_ddl: bool | None = None,
        transaction_per_migration: bool = False,
        output_buffer: Any = None,
        starting_rev: str | None = None,
        tag: str | None = None,
        template_args: Mapping[str, Any] | None = None,
        literal_binds: bool = False,
        on_version_apply: Callable[..., None] | None = None,
        **kw: Any,
    ) -> None:
        """Create the migration context env.py will run (see Alembic's docs for each argument)."""
        opts = dict(self.context_opts)
        for key, default in _AUTOGEN_DEFAULTS.items():
            opts.setdefault(key, default)
        if transactional_ddl is not None:
            opts["transactional_ddl"] = transactional_ddl
        # a command may ask for per-revision framing (``limbeck sql``'s per-revision files)
        opts["transaction_per_migration"] = transaction_per_migration or bool(
            self.context_opts.get("transaction_per_migration")
        )
        if output_buffer is not None:
            opts["output_buffer"] = output_buffer
        elif self.config.output_buffer is not None:
            opts["output_buffer"] = self.config.output_buffer
        if starting_rev:
            opts["starting_rev"] = starting_rev
        if tag:
            opts["tag"] = self.context_opts["tag"] = tag
        if template_args and "template_args" in opts:
            opts["template_args"].update(template_args)
        opts["literal_binds"] = literal_binds
        opts["on_version_apply"] = on_version_apply
        opts["script"] = self.script
        encoding = kw.pop("output_encoding", None) or self.config.get_main_option("output_encoding")
        if encoding:
            opts["output_encoding"] = encoding
        opts.update(kw)
        if self.options.dialect:  # only with --sql (see RunOptions)
            url, dialect_name, connection = None, self.options.dialect, None
        self._migration_context = MigrationContext.configure(
            connection=connection,
            url=url,
            dialect_name=dialect_name,
            environment_context=self,
            dialect_opts=dialect_opts,
            opts=opts,
        )
        if self._migration_context.as_sql and self._token is not None and self.command_run:
            self._migration_context.impl.hold()
            self._contexts.append(self._migration_context)

    # -- running -------------------------------------------------------------------------
    def run_migrations(self, **kw: Any) -> None:
        self.get_context().run_migrations(**kw)

    def execute(self, sql: Any, execution_options: Mapping[str, Any] | None = None) -> Any:
        return self.get_context().execute(sql, execution_options)

    def static_output(self, text: str) -> None:
        self.get_context().impl.static_output(text)

    def begin_transaction(self) -> ContextManager[None]:
        """Frame the run in a transaction as the database and options allow."""
        return self.get_context().begin_transaction()

    def get_context(self) -> "MigrationContext":
        if self._migration_context is None:
            raise CommandError("No context has been configured yet. Call context.configure() in env.py first.")
        return self._migration_context

    def get_bind(self) -> Any:
        return self.get_context().bind

    def get_impl(self) -> Any:
        return self.get_context().impl
