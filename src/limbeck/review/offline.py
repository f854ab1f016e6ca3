"""What review adds to ``upgrade``/``downgrade``/``stamp``/``ensure_version --sql``.

:class:`OfflineRun` is the one object those commands consult for
``--validate``, ``--guard``, ``--keep-going`` and ``--from-db``, and for the
check every offline script gets: that it cuts back into its statements.

Import-light: ``limbeck heads`` imports the commands, and so this module;
what only a ``--sql`` run needs is imported when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.review.describe import RevisionNames, display_path
from limbeck.review.errors import UnrenderedRevisions, ValidationFailed
from limbeck.review.script_tally import ScriptTally
from limbeck.review.stream import StreamRecorder

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.review.guards import SegmentGuard
    from limbeck.review.script_check import ScriptCheck
    from limbeck.review.validate import Validator
    from limbeck.runtime.migration import MigrationContext
    from limbeck.runtime.run import ContextHook, RunOptions, StepsFn
    from limbeck.script import ScriptDirectory


class OfflineRun:
    """``--validate``, ``--guard``, ``--keep-going`` and ``--from-db`` of one upgrade or downgrade."""

    def __init__(self, config: Config, options: RunOptions) -> None:
        self.config = config
        self.options = options
        sql = options.sql
        self.validate = bool(options.validate or options.validate_on) or (
            sql and config.get_alembic_boolean_option("validate_sql")
        )
        self.start: Any = None
        self.recorder: StreamRecorder | None = None
        self.validator: Validator | None = None
        self.segment_guard: SegmentGuard | None = None
        if options.guard:
            # SQLAlchemy's compiler extension, for --guard only
            from limbeck.review.guards import SegmentGuard

            self.segment_guard = SegmentGuard()
        self.tally: ScriptTally | None = None
        if sql and self.validate:
            self.recorder = StreamRecorder(locate=True)
        elif sql:
            # every offline script checks that it cuts back into its statements: a plain --sql run keeps
            # only what that check reads
            self.tally = ScriptTally()
        if self.validate:
            # the parsers and sqlite3, for --validate only
            from limbeck.review.execute_check import scratch_database
            from limbeck.review.validate import Validator

            self.validator = Validator(scratch=scratch_database(config, options.validate_on))
            assert self.recorder is not None
            self.recorder.listeners.append(self.validator)

    def starting_rev(self, script: ScriptDirectory, given: str | None) -> Any:
        """The start of the offline run: the range's, or the live database's with ``--from-db``."""
        if not self.options.from_db:
            self.start = given
            return given
        if given is not None:
            raise CommandError("--from-db reads the start revision from the database; give a target, not START:END")
        # --from-db only (it reads the database through SQLAlchemy, after upgrade's start-up overlap)
        from limbeck.review.dryrun import database_start

        self.start = database_start(self.config, script)
        return self.start

    def hooks(self) -> list[ContextHook]:
        """What watches each migration context of the run: the recorder, then the guard."""
        hooks: list[ContextHook] = []
        if self.recorder is not None:
            hooks.append(self.recorder.attach)
        if self.tally is not None:
            hooks.append(self.tally.attach)
        if self.segment_guard is not None:
            hooks.append(self.segment_guard.attach)
        return hooks

    def steps(self, fn: StepsFn) -> StepsFn:
        """``fn``, preceded by the version guard when ``--guard`` was given."""
        guard = self.segment_guard
        if guard is None:
            return fn

        def guarded(heads: Sequence[str], context: MigrationContext) -> list[Any]:
            steps = fn(heads, context)
            guard.start(context, heads)
            return steps

        return guarded

    def finish(self, script: ScriptDirectory) -> None:
        """After the script was written: the summary on stderr, then the exit status."""
        observer = self.recorder if self.recorder is not None else self.tally
        if observer is None:
            return
        names = RevisionNames(script)
        if self.recorder is not None:
            # the script check reads the dialects' client syntax (SQLAlchemy): only after a --sql run
            from limbeck.review.script_check import check_records

            checks = check_records(self.recorder.records)
        else:
            assert self.tally is not None
            checks = self.tally.checks()
        error: CommandError | None = script_check_error(checks, names)
        if self.validator is not None:
            # --validate only (see __init__)
            from limbeck.review.capture import kept_outputs
            from limbeck.review.execute_check import prelude_for
            from limbeck.review.validation_report import summary, verdict

            if self.validator.executes:
                # env.py runs again: what it wrote its script to (the multidb template's <name>.sql) is kept
                with kept_outputs(self.recorder.contexts if self.recorder is not None else []):
                    self.validator.prelude = prelude_for(
                        self.config, self.start, self.options.dialect, script, warn=False
                    )
            if not self.config.messaging_opts.get("quiet"):
                dialect = observer.dialect or "default"
                sys.stderr.write("\n".join(summary(self.validator, checks, names, dialect)) + "\n")
            error = verdict(self.validator, checks, names) or error
        failed = observer.unrendered()
        if failed:
            listed = ", ".join(names.where(r) for r in failed)
            raise UnrenderedRevisions(f"{len(failed)} revision(s) could not be rendered offline: {listed}")
        if error is not None and self.validator is None:
            # a plain --sql run renders what Alembic renders, even a script its client would cut
            # differently (a MySQL procedure body without DELIMITER, text from static_output());
            # it says so, and --validate, sql and plan refuse such a script
            sys.stderr.write(f"WARNING: {error} (--validate, sql and plan refuse this script)\n")
            return
        if error is not None:
            raise error


def script_check_error(checks: Sequence[ScriptCheck], names: RevisionNames | None = None, where: str = "") -> CommandError | None:
    """The error for the first script that does not cut back into its statements, if any."""
    # the script check reads the dialects' client syntax (SQLAlchemy): only after a --sql run
    from limbeck.review.script_check import first_failure

    failed = first_failure(checks)
    if failed is None:
        return None
    revision = ""
    if failed.revision and names is not None:
        path = display_path(names.path(failed.revision))
        revision = f" ({path})" if path else ""
    return ValidationFailed(f"{where}the script does not cut back into its statements: {failed.problem}{revision}")
