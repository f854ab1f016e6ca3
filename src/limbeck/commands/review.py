"""Review commands (``sql``, ``verify``, ``lint``, ``plan``) and what review adds to upgrade/downgrade.

:class:`OfflineRun` is the one object ``upgrade``/``downgrade`` consult for
``--validate``, ``--guard``, ``--keep-going`` and ``--from-db``; the command
functions below are thin: each builds a capture of the range and hands it
to a module of :mod:`limbeck.review`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.review.describe import RevisionNames
    from limbeck.review.guards import SegmentGuard
    from limbeck.review.script_check import ScriptCheck
    from limbeck.review.stream import StreamRecorder
    from limbeck.review.validate import Validator
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import ScriptDirectory

StepsFn = Callable[[Sequence[str], "MigrationContext"], list[Any]]


class OfflineRun:
    """``--validate``, ``--guard``, ``--keep-going`` and ``--from-db`` of one upgrade or downgrade."""

    def __init__(
        self,
        config: Config,
        *,
        sql: bool,
        validate: bool = False,
        guard: bool = False,
        keep_going: bool = False,
        from_db: bool = False,
        dialect: str | None = None,
        validate_on: str | None = None,
    ) -> None:
        for flag, given in (
            ("--validate", validate), ("--validate-on", validate_on), ("--guard", guard), ("--keep-going", keep_going),
            ("--from-db", from_db),
        ):
            if given and not sql:
                raise CommandError(f"{flag} works on the offline script and needs --sql")
        if from_db and dialect:
            raise CommandError("--from-db renders for the database it reads; it cannot be combined with --dialect")
        self.config = config
        self.validate = bool(validate or validate_on) or (sql and config.get_alembic_boolean_option("validate_sql"))
        self.dialect = dialect
        self.start: Any = None
        self.guard = guard
        self.keep_going = keep_going
        self.from_db = from_db
        self.recorder: StreamRecorder | None = None
        self.validator: Validator | None = None
        self.segment_guard: SegmentGuard | None = None
        if guard:
            from limbeck.review.guards import SegmentGuard

            self.segment_guard = SegmentGuard()
        if sql:
            # every offline script checks that it cuts back into its statements
            from limbeck.review.stream import StreamRecorder

            self.recorder = StreamRecorder(locate=self.validate, light=not self.validate)
        if self.validate:
            from limbeck.review.execute_check import scratch_database
            from limbeck.review.validate import Validator

            self.validator = Validator(scratch=scratch_database(config, validate_on))
            assert self.recorder is not None
            self.recorder.listeners.append(self.validator)

    def starting_rev(self, script: ScriptDirectory, given: str | None) -> Any:
        """The start of the offline run: the range's, or the live database's with ``--from-db``."""
        if not self.from_db:
            self.start = given
            return given
        if given is not None:
            raise CommandError("--from-db reads the start revision from the database; give a target, not START:END")
        from limbeck.review.dryrun import database_start

        self.start = database_start(self.config, script)
        return self.start

    def context_opts(self) -> dict[str, Any]:
        opts: dict[str, Any] = {}
        hooks: list[Any] = []
        if self.recorder is not None:
            hooks += self.recorder.context_opts()["stream_hooks"]
        if self.segment_guard is not None:
            hooks += self.segment_guard.context_opts()["stream_hooks"]
        if hooks:
            opts["stream_hooks"] = hooks
        if self.keep_going:
            opts["keep_going"] = True
        return opts

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
        if self.recorder is None:
            return
        from limbeck.review.describe import RevisionNames
        from limbeck.review.script_check import check_records

        names = RevisionNames(script)
        checks = check_records(self.recorder.records)
        error: CommandError | None = script_check_error(checks, names)
        if self.validator is not None:
            from limbeck.review.execute_check import prelude_for
            from limbeck.review.validation_report import summary, verdict

            if self.validator.executes:
                self.validator.prelude = prelude_for(self.config, self.start, self.dialect, script)
            if not self.config.messaging_opts.get("quiet"):
                dialect = self.recorder.dialect or "default"
                sys.stderr.write("\n".join(summary(self.validator, checks, names, dialect)) + "\n")
            error = verdict(self.validator, checks, names) or error
        failed = self.recorder.unrendered()
        if failed:
            from limbeck.review.errors import UnrenderedRevisions

            listed = ", ".join(names.where(r) for r in failed)
            raise UnrenderedRevisions(f"{len(failed)} revision(s) could not be rendered offline: {listed}")
        if error is not None and self.validator is None:
            # a plain --sql run renders what Alembic renders, even a script its client would cut
            # differently (a MySQL procedure body without DELIMITER, text from static_output());
            # it says so, and --validate, sql, plan and verify refuse such a script
            sys.stderr.write(f"WARNING: {error} (--validate, sql and plan refuse this script)\n")
            return
        if error is not None:
            raise error


def script_check_error(checks: Sequence[ScriptCheck], names: RevisionNames | None = None, where: str = "") -> CommandError | None:
    """The error for the first script that does not cut back into its statements, if any."""
    from limbeck.review.describe import display_path
    from limbeck.review.errors import ValidationFailed
    from limbeck.review.script_check import first_failure

    failed = first_failure(checks)
    if failed is None:
        return None
    revision = ""
    if failed.revision and names is not None:
        path = display_path(names.path(failed.revision))
        revision = f" ({path})" if path else ""
    return ValidationFailed(f"{where}the script does not cut back into its statements: {failed.problem}{revision}")


# -- the review commands --------------------------------------------------------------------
def _range(revision_range: str | None) -> Any:
    from limbeck.review.capture import RevisionRange

    return RevisionRange.parse(revision_range)


def sql(
    config: Config,
    revision_range: str | None = None,
    output_dir: str | None = None,
    dialect: Sequence[str] = (),
    keep_going: bool = False,
) -> None:
    """Write per-revision upgrade and rollback files, combined scripts and a manifest to ``output_dir``.

    A revision whose upgrade or downgrade cannot be rendered offline stops
    it before anything is written; with ``keep_going`` the files hold it as
    a ``NOT RENDERED`` block (and no version-table change for it), and the
    command still exits non-zero.
    """
    from limbeck.review.approval import compile_approval, write
    from limbeck.review.errors import ValidationFailed
    from limbeck.review.sqlfiles import unrendered_error

    if not output_dir:
        raise CommandError("sql: --output-dir is required (the folder the files and the manifest go to)")
    approval = compile_approval(config, _range(revision_range), tuple(dialect), keep_going=keep_going)
    problem = approval.script_problem()
    if problem is not None:
        raise ValidationFailed(f"sql: a script does not cut back into its statements, nothing written: {problem}")
    written = write(approval, output_dir)
    for path in written:
        config.print_stdout("Writing %s", path)
    for flag in approval.flags:
        config.print_stdout("Flagged %s revision %s: %s", flag.dialect, flag.revision, flag.reason)
    for item in approval.unrendered:
        config.print_stdout("NOT RENDERED %s", item.text)
    config.print_stdout("Manifest hash %s", approval.manifest.digest)
    if approval.unrendered:
        raise unrendered_error(approval.unrendered, f"{output_dir}: written with")


def verify(config: Config, directory: str) -> None:
    """Recompile what ``directory``'s manifest approved and fail on the first file that differs."""
    from limbeck.review.approval import verify as verify_approval

    approval = verify_approval(config, directory)
    config.print_stdout(
        "Verified %d files of %s against the revisions; manifest hash %s",
        len(approval.manifest.lines), directory, approval.manifest.digest,
    )


def lint(config: Config, revision_range: str | None = None, format: str = "text", dialect: str | None = None) -> None:
    """Lint the range's statement stream; exit 1 when an error-level finding is not suppressed."""
    from limbeck.review.errors import LintFailed
    from limbeck.review.lint import lint as run_lint
    from limbeck.review.lint.report import render_json, render_text

    if format not in ("text", "json"):
        raise CommandError(f"lint --format: expected text or json, got {format!r}")
    result = run_lint(config, _range(revision_range), dialect)
    config.print_stdout(render_json(result) if format == "json" else render_text(result))
    if result.errors:
        raise LintFailed(f"lint found {result.errors} error{'s' if result.errors != 1 else ''} in {result.range}")


def plan(
    config: Config, revision_range: str | None = None, format: str = "md", dialect: str | None = None,
    validate_on: str | None = None,
) -> None:
    """Print the change-ticket document for the range (Markdown or JSON); ``validate_on`` names a scratch database."""
    from limbeck.review.plan import build_plan, render_json, render_markdown

    if format not in ("md", "json"):
        raise CommandError(f"plan --format: expected md or json, got {format!r}")
    result = build_plan(config, _range(revision_range), dialect, validate_on)
    config.print_stdout(render_json(result) if format == "json" else render_markdown(result).rstrip("\n"))
    if result.errors:
        from limbeck.review.errors import PlanFailed

        more = f" (and {len(result.errors) - 1} more)" if len(result.errors) > 1 else ""
        raise PlanFailed(f"plan of {result.range} ({result.dialect}): {result.errors[0]}{more}")
