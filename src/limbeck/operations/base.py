"""The Operations core: invoke, registration of custom operations, the op proxy.

Every ``op.<name>(...)`` builds an operation record (a ``MigrateOperation``)
and passes it to :meth:`OperationsBase.invoke`. A user implementation
registered for the record's class (nearest in its MRO) runs it; otherwise the
migration context does (:meth:`MigrationContext.run_operation()
<limbeck.runtime.migration.MigrationContext.run_operation>`: lower the record
for the target database and emit the statements). Users add operations with
:meth:`register_operation` and :meth:`implementation_for` exactly as with
Alembic, and without ``exec()``.
"""

from __future__ import annotations

import contextlib
import functools
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator, TypeVar

from limbeck import op as op_module
from limbeck.errors import AlreadyRegistered, NoImplementation
from limbeck.operations import columns, comments, constraints, data, indexes, tables
from limbeck.operations.records import MigrateOperation
from limbeck.operations.tables import BatchAlterTableOp

if TYPE_CHECKING:
    from limbeck.operations.protocols import RunningContext

_T = TypeVar("_T")
_Ops = TypeVar("_Ops", bound="OperationsBase")
Implementation = Callable[["OperationsBase", Any], Any]

#: where invoke's walk up a record's MRO hands it to the migration context (a batch to its
#: rebuild, any other record to its lowering); a user implementation met before runs instead
_RUN_BY_CONTEXT = (BatchAlterTableOp, MigrateOperation)

@functools.cache
def _conv() -> Any:
    """SQLAlchemy's ``conv``, imported when :meth:`OperationsBase.f` first needs it (`limbeck revision`
    imports the Operations without SQLAlchemy) and kept: an import statement in ``f`` itself costs a
    module lookup on every call, and a generated script calls it for every name."""
    from sqlalchemy.sql.elements import conv

    return conv

#: the records limbeck runs itself (the compiler lowers them; batch mode rebuilds a table):
#: an implementation registered for one of them replaces limbeck's, so it asks ``replace=True``
BUILTIN_RECORDS: frozenset[type] = frozenset(
    {
        *_RUN_BY_CONTEXT,
        tables.CreateTableOp,
        tables.DropTableOp,
        tables.RenameTableOp,
        comments.CreateTableCommentOp,
        comments.DropTableCommentOp,
        columns.AddColumnOp,
        columns.DropColumnOp,
        columns.AlterColumnOp,
        constraints.AddConstraintOp,
        constraints.CreatePrimaryKeyOp,
        constraints.CreateUniqueConstraintOp,
        constraints.CreateForeignKeyOp,
        constraints.CreateCheckConstraintOp,
        constraints.CreateExcludeConstraintOp,
        constraints.DropConstraintOp,
        indexes.CreateIndexOp,
        indexes.DropIndexOp,
        data.ExecuteSQLOp,
        data.BulkInsertOp,
    }
)


class OperationsBase:
    """Binds operation methods to a migration context.

    ``Operations(context)`` works outside a migration run too, as Alembic's
    docs show: ``op = Operations(MigrationContext.configure(conn))``.
    """

    #: operation record class -> the implementation a user registered; shared by all instances
    _to_impl: ClassVar[dict[type, Implementation]] = {}

    def __init__(self, migration_context: RunningContext, impl: Any = None) -> None:
        self.migration_context = migration_context
        self.impl = impl if impl is not None else migration_context.impl

    # -- custom operations -------------------------------------------------------------
    @classmethod
    def register_operation(cls, name: str, sourcename: str | None = None) -> Callable[[type[_T]], type[_T]]:
        """Class decorator: expose ``op_cls.<sourcename>`` as ``Operations.<name>``.

        The operation class provides a classmethod taking ``(operations, *args,
        **kw)`` that builds the record and calls ``operations.invoke(record)``.
        """

        def register(op_cls: type[_T]) -> type[_T]:
            source = getattr(op_cls, sourcename or name)

            @functools.wraps(source)
            def method(self: "OperationsBase", *args: Any, **kw: Any) -> Any:
                return source(self, *args, **kw)

            setattr(cls, name, method)
            return op_cls

        return register

    @classmethod
    def implementation_for(cls, op_cls: type, replace: bool = False) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
        """Function decorator: ``fn(operations, operation)`` runs records of ``op_cls``.

        A class that already has an implementation (every built-in record
        has one) is only taken over with ``replace=True``, so two plugins
        cannot silently fight over the same operation.
        """

        def register(fn: Callable[..., _T]) -> Callable[..., _T]:
            if not replace and (op_cls in cls._to_impl or op_cls in BUILTIN_RECORDS):
                raise AlreadyRegistered(
                    f"Can not set dispatch function for object {op_cls!r}: key already exists. "
                    "To replace existing function, use replace=True."
                )
            cls._to_impl[op_cls] = fn
            return fn

        return register

    def invoke(self, operation: MigrateOperation) -> Any:
        """Run ``operation``: the user implementation registered for its class, else the migration context.

        What Alembic's built-in implementation returns is returned (``op.invoke(CreateTableOp(...))``
        gives the ``Table``, as ``op.create_table`` does).
        """
        for klass in type(operation).__mro__:
            fn = self._to_impl.get(klass)
            if fn is not None:
                return fn(self, operation)
            if klass in _RUN_BY_CONTEXT:
                result = self.migration_context.run_operation(operation, self)
                made = getattr(operation, "invoke_result", None)
                return result if made is None else made(self.migration_context, result)
        raise NoImplementation.of(operation)

    # -- the op proxy ------------------------------------------------------------------
    @classmethod
    @contextlib.contextmanager
    def context(cls: type[_Ops], migration_context: RunningContext) -> Iterator[_Ops]:
        """Make ``op`` (``limbeck.op`` / ``alembic.op``) refer to a new instance."""
        operations = cls(migration_context)
        token = op_module._install(operations)
        try:
            yield operations
        finally:
            op_module._restore(token)

    # -- plain helpers -------------------------------------------------------------------
    def get_context(self) -> RunningContext:
        return self.migration_context

    def get_bind(self) -> Any:
        """The connection online; offline a stand-in that refuses to read rows."""
        return self.migration_context.bind

    def f(self, name: str) -> Any:
        """Mark ``name`` as final: naming conventions leave it as is."""
        return _conv()(name)

    def inline_literal(self, value: Any, type_: Any = None) -> Any:
        """A value rendered inline as a literal, online and offline alike."""
        # SQLAlchemy only when called: `limbeck revision` imports the Operations without it
        from limbeck.operations.schemaobj import InlineLiteral

        return InlineLiteral(value, type_)
