"""Every lint rule, by id and by name.

Each family of rules keeps its own tuple (``rules.RULES``: changes that break
code or data on any database; ``locks.RULES``: PostgreSQL's lock model); this
module only joins them, so a new rule is one entry in its family's tuple.
"""

from __future__ import annotations

from limbeck.review.lint import locks, rules
from limbeck.review.lint.rules import ERROR, Rule

#: not a check: what a finding says when a rule itself failed on a statement,
#: so that one broken rule never stops the review of a range (nor passes it silently)
RULE_FAILED = Rule("LB000", "rule-failed", ERROR, "a lint rule failed on a statement, which it therefore did not check")

RULES: tuple[Rule, ...] = tuple(sorted(rules.RULES + locks.RULES, key=lambda rule: rule.id))

BY_KEY: dict[str, Rule] = {
    **{r.id: r for r in (RULE_FAILED, *RULES)},
    **{r.name: r for r in (RULE_FAILED, *RULES)},
}
