"""Errors of the review tools; all are ``CommandError``s (one ``FAILED:`` line, exit 1)."""

from __future__ import annotations

from limbeck.errors import CommandError


class ValidationFailed(CommandError):
    """A statement sqlglot cannot parse, or a script that does not cut back into its statements."""


class UnrenderedRevisions(CommandError):
    """``--keep-going`` produced a script with revisions it could not render."""


class LintFailed(CommandError):
    """``limbeck lint`` found errors."""


class ManifestMismatch(CommandError):
    """``limbeck verify``: something differs from what the manifest approved."""


class PlanFailed(CommandError):
    """``limbeck plan`` found errors: NOT RENDERED revisions, or a script that does not cut back."""
