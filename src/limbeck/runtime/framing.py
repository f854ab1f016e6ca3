"""Transaction framing of a migration run: where BEGIN and COMMIT go, online and offline.

One frame for the run (env.py's ``begin_transaction()``) or one per revision
(``transaction_per_migration``, or a database whose DDL is not transactional);
a frame opened inside another is part of it; a revision that commits midway
splits the run's frame; an ``autocommit_block`` steps outside it. The markers
are statements of the stream like any other, so the one emitter executes them
online and writes them offline.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Callable, Iterator

from limbeck.compiler.statement import Kind, Statement
from limbeck.errors import CommandError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from limbeck.runtime.emitter import Emitter
    from limbeck.runtime.locking import RunLock


class TransactionFraming:
    """The transaction methods of :class:`~limbeck.runtime.migration.MigrationContext` (mixed into it)."""

    impl: Emitter
    run_lock: RunLock
    as_sql: bool
    _transaction_per_migration: bool
    _outer_transaction: bool
    _autocommit_depth: int
    #: the connection online (None offline)
    _connection: Connection | None
    #: the context's: hands a statement to the stream
    emit: Callable[[Statement], Any]

    def _per_migration(self) -> bool:
        return self._transaction_per_migration or not self.impl.transactional_ddl

    @contextlib.contextmanager
    def begin_transaction(self, _per_migration: bool = False) -> Iterator[None]:
        """A logical transaction: real online, BEGIN/COMMIT text offline.

        env.py's call (``_per_migration=False``) frames the whole run unless
        the run is per migration (``transaction_per_migration`` or a database
        whose DDL is not transactional); then each step gets its own. Online,
        that call takes the migration lock first and gives it back after the
        frame's COMMIT, so the next run reads what this one committed.
        """
        if not _per_migration and self.run_lock.needed:
            with self.run_lock.hold(), self.begin_transaction():
                yield
            return
        if _per_migration:
            # an env.py that never calls begin_transaction(): online each step still commits its own
            # transaction; offline the script has no framing, as Alembic writes it
            active = self._per_migration() or (not self._outer_transaction and not self.as_sql)
        else:
            active = not self._per_migration()
        if not active or self.impl.in_transaction:
            if not _per_migration and not self._outer_transaction:
                # the outermost frame: the held script is written when it ends (a frame opened inside
                # it, in env.py or a revision, is part of it: one BEGIN/COMMIT, nothing written early)
                self._outer_transaction = True
                try:
                    yield
                finally:
                    self._outer_transaction = False
                self.impl.release()
            else:
                yield
            return
        if not _per_migration:
            self._outer_transaction = True
        self.emit(Statement(Kind.BEGIN))
        try:
            yield
        except BaseException:
            self.impl.rollback()
            raise
        else:
            self.emit(Statement(Kind.COMMIT))
        finally:
            if not _per_migration:
                self._outer_transaction = False
        if not _per_migration:
            # the run env.py framed is complete: its script can be written out
            self.impl.release()

    def commit_if_split(self) -> None:
        """After a revision: if it ended the run's transaction midway, commit its version row now.

        A revision that calls ``op.get_bind().commit()`` or runs an
        ``autocommit_block`` has committed part of the run already; the rest
        of the run is framed anew, so a later failure rolls back only what
        came after this revision and the version table names it. (Alembic
        leaves the version row in a transaction that such a failure rolls
        back, and the re-run trips over the revision's committed objects.)
        """
        if not self.as_sql and self._outer_transaction and self.impl.in_transaction and self.impl.split:
            self.emit(Statement(Kind.COMMIT, info={"split": True}))
            self.emit(Statement(Kind.BEGIN, info={"split": True}))

    def _refuse_managed_commit(self) -> None:
        """Refuse, before anything is committed, a block SQLAlchemy would not let commit env.py's transaction.

        A transaction env.py opened as a context manager (``with
        engine.begin() as connection:``, ``with connection.begin():``) can be
        ended only by leaving that ``with``: committing it here would keep
        what ran so far and then fail on the next statement, half-migrated.
        Raised instead, the ``with`` rolls everything back (Alembic stops
        there too, with an ``AssertionError``).
        """
        managed = getattr(self._connection, "_trans_context_manager", None)
        if managed is not None:
            raise CommandError(
                "autocommit_block() would have to commit the transaction env.py opened with "
                "'with ... begin():', which only leaving that block can end; begin it with "
                "context.begin_transaction() (or connection.begin() outside a 'with') instead"
            )

    @contextlib.contextmanager
    def autocommit_block(self) -> Iterator[None]:
        """Run the enclosed statements outside any transaction.

        Offline this is COMMIT before and BEGIN after (whenever the database's DDL is
        transactional, as Alembic writes it); online the first
        statement commits whatever transaction is open (one env.py opened
        before ``configure()`` too) and switches the connection to AUTOCOMMIT
        isolation, and the BEGIN after the block switches it back. Everything
        before the block is committed first: the revision is no longer atomic.
        The BEGIN comes after a block an error left too, as in Alembic: a
        revision that catches the error goes on in a transaction (nonebot-plugin-user's).
        """
        was_open = self.impl.in_transaction
        if self.as_sql and self.impl.transactional_ddl:
            # as Alembic: offline on a transactional database the block always steps out of a
            # transaction, one the script did not BEGIN included (env.py without begin_transaction():
            # the script is then meant for a runner that opens one, as psql --single-transaction does)
            was_open = True
        if was_open and not self.as_sql:
            self._refuse_managed_commit()
        if was_open:
            self.emit(Statement(Kind.COMMIT, info={"autocommit_block": True}))
        self._autocommit_depth += 1
        try:
            yield
        finally:
            self._autocommit_depth -= 1
            if was_open:
                self.emit(Statement(Kind.BEGIN, info={"autocommit_block": True}))
