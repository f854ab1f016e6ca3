"""Review commands: ``sql``, ``verify``, ``lint``, ``plan``.

Thin: each hands the range to a module of :mod:`limbeck.review`, which
captures it through :mod:`limbeck.runtime.run`. What review adds to
``upgrade``/``downgrade --sql`` is :class:`limbeck.review.offline.OfflineRun`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError

if TYPE_CHECKING:
    from limbeck.config import Config


def _range(revision_range: str | None) -> Any:
    # the review tools load only for a review command: `limbeck heads` imports this module
    from limbeck.review.capture import RevisionRange

    return RevisionRange.parse(revision_range)


def sql(
    config: Config,
    revision_range: str | None = None,
    output_dir: str | None = None,
    dialect: Sequence[str] = (),
    keep_going: bool = False,
    jobs: int | None = None,
) -> None:
    """Write per-revision upgrade and rollback files, combined scripts and a manifest to ``output_dir``.

    A revision whose upgrade or downgrade cannot be rendered offline stops
    it before anything is written; with ``keep_going`` the files hold it as
    a ``NOT RENDERED`` block (and no version-table change for it), and the
    command still exits non-zero. ``jobs``: processes rendering each run
    (see :mod:`limbeck.runtime.parallel`; the files are the same).
    """
    # the review tools load only for a review command: `limbeck heads` imports this module
    from limbeck.review.approval import compile_approval, write
    from limbeck.review.errors import ValidationFailed
    from limbeck.review.sqlfiles import unrendered_error
    from limbeck.runtime.parallel import configured_jobs

    if not output_dir:
        raise CommandError("sql: --output-dir is required (the folder the files and the manifest go to)")
    approval = compile_approval(
        config, _range(revision_range), tuple(dialect), keep_going=keep_going, jobs=configured_jobs(config, jobs)
    )
    problem = approval.script_problem()
    if problem is not None:
        raise ValidationFailed(f"sql: a script does not cut back into its statements, nothing written: {problem}")
    written = write(approval, output_dir)
    for path in written:
        config.print_stdout("Writing %s", path)
    for flag in approval.flags:
        config.print_stdout("Flagged %s revision %s: %s", flag.where, flag.revision, flag.reason)
    for item in approval.unrendered:
        config.print_stdout("NOT RENDERED %s", item.text)
    config.print_stdout("Manifest hash %s", approval.manifest.digest)
    if approval.unrendered:
        raise unrendered_error(approval.unrendered, f"{output_dir}: written with")


def verify(config: Config, directory: str) -> None:
    """Recompile what ``directory``'s manifest approved and fail on the first file that differs."""
    # the review tools load only for a review command: `limbeck heads` imports this module
    from limbeck.review.approval import verify as verify_approval

    approval = verify_approval(config, directory)
    config.print_stdout(
        "Verified %d files of %s against the revisions; manifest hash %s",
        len(approval.manifest.lines), directory, approval.manifest.digest,
    )


def lint(config: Config, revision_range: str | None = None, format: str = "text", dialect: str | None = None) -> None:
    """Lint the range's statement stream; exit 1 when an error-level finding is not suppressed."""
    # the review tools load only for a review command: `limbeck heads` imports this module
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
    # the review tools load only for a review command: `limbeck heads` imports this module
    from limbeck.review.plan import build_plan, render_json, render_markdown

    if format not in ("md", "json"):
        raise CommandError(f"plan --format: expected md or json, got {format!r}")
    result = build_plan(config, _range(revision_range), dialect, validate_on)
    config.print_stdout(render_json(result) if format == "json" else render_markdown(result).rstrip("\n"))
    if result.errors:
        from limbeck.review.errors import PlanFailed  # the review tools: see above

        more = f" (and {len(result.errors) - 1} more)" if len(result.errors) > 1 else ""
        raise PlanFailed(f"plan of {result.range} ({result.dialect}): {result.errors[0]}{more}")
