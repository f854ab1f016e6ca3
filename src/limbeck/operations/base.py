"""The Operations core: invoke, registration of custom operations, the op proxy.

Every ``op.<name>(...)`` builds an operation record (a ``MigrateOperation``)
and passes it to :meth:`OperationsBase.invoke`, which finds the
implementation registered for the record's class (nearest in its MRO). The
built-in records share one implementation: lower the record to statements
for the target dialect and hand them to the migration context's emitter.
Users add operations with :meth:`register_operation` and
:meth:`implementation_for` exactly as with Alembic, and without ``exec()``.
"""

from __future__ import annotations

import contextlib
import functools
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator, TypeVar

from limbeck.errors import CommandError
from limbeck.operations.records import MigrateOperation

if TYPE_CHECKING:
    from limbeck.runtime.migration import MigrationContext

_T = TypeVar("_T")
Implementation = Callable[["OperationsBase", Any], Any]


def lower_and_emit(operations: "OperationsBase", operation: MigrateOperation) -> Any:
    """The implementation of every built-in operation: lower, then emit."""
    context = operations.migration_context
    behaviour = context.behaviour
    lowering = behaviour.lowering_for(type(operation))
    if lowering is None:
        raise CommandError(
            f"no implementation for operation {type(operation).__name__}: register one with "
            "Operations.implementation_for()"
        )
    # offline, a DDL operation whose shape was compiled before is filled in from its template
    templates = getattr(context.impl, "ddl_templates", None)
    statements = templates.lower(operation, behaviour, lowering) if templates is not None else lowering(operation, behaviour)
    return context.emit_all(statements)


def _has_implementation(cls: type["OperationsBase"], op_cls: type) -> bool:
    if op_cls in cls._to_impl:
        return True
    from limbeck.compiler.lowering import DEFAULT_LOWERINGS

    return op_cls in DEFAULT_LOWERINGS


class OperationsBase:
    """Binds operation methods to a migration context.

    ``Operations(context)`` works outside a migration run too, as Alembic's
    docs show: ``op = Operations(MigrationContext.configure(conn))``.
    """

    #: operation record class -> implementation; shared by all instances
    _to_impl: ClassVar[dict[type, Implementation]] = {MigrateOperation: lower_and_emit}

    def __init__(self, migration_context: "MigrationContext", impl: Any = None) -> None:
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
            if not replace and _has_implementation(cls, op_cls):
                raise CommandError(
                    f"Operations.implementation_for({op_cls.__name__}): an implementation is already "
                    "registered; pass replace=True to replace it"
                )
            cls._to_impl[op_cls] = fn
            return fn

        return register

    def invoke(self, operation: MigrateOperation) -> Any:
        """Run ``operation`` through the implementation registered for its class."""
        for klass in type(operation).__mro__:
            fn = self._to_impl.get(klass)
            if fn is not None:
                return fn(self, operation)
        raise CommandError(f"no implementation for operation {type(operation).__name__}")

    # -- the op proxy ------------------------------------------------------------------
    @classmethod
    @contextlib.contextmanager
    def context(cls, migration_context: "MigrationContext") -> Iterator["OperationsBase"]:
        """Make ``op`` (``limbeck.op`` / ``alembic.op``) refer to a new instance."""
        from limbeck import op as op_module

        operations = cls(migration_context)
        token = op_module._install(operations)
        try:
            yield operations
        finally:
            op_module._restore(token)

    # -- plain helpers -------------------------------------------------------------------
    def get_context(self) -> "MigrationContext":
        return self.migration_context

    def get_bind(self) -> Any:
        """The connection online; offline a stand-in that refuses to read rows."""
        return self.migration_context.bind

    def f(self, name: str) -> Any:
        """Mark ``name`` as final: naming conventions leave it as is."""
        from sqlalchemy.sql.elements import conv

        return conv(name)

    def inline_literal(self, value: Any, type_: Any = None) -> Any:
        """A value rendered inline as a literal, online and offline alike."""
        from limbeck.compiler.constructs import InlineLiteral

        return InlineLiteral(value, type_)
