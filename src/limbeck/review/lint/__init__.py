"""``limbeck lint``: rules over the typed statement stream of an offline run.

Rule ids (``LB001``...) are stable; a revision file silences one with a
comment ``# limbeck: allow LB001`` (or its name, ``drop-table``).
"""

from limbeck.review.lint.engine import Finding, LintResult, lint
from limbeck.review.lint.registry import RULES
from limbeck.review.lint.rules import Rule

__all__ = ["RULES", "Finding", "LintResult", "Rule", "lint"]
