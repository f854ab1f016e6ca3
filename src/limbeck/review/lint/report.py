"""``limbeck lint`` output: one line per finding (text) or one JSON document."""

from __future__ import annotations

import json

from limbeck.review.lint.engine import LintResult


def render_text(result: LintResult) -> str:
    lines = [finding.text() for finding in result.findings]
    if result.stopped:
        lines.append(f"lint stopped: {result.stopped}")
    suppressed = len(result.findings) - len(result.active())
    tail = f" ({suppressed} suppressed)" if suppressed else ""
    lines.append(
        f"{result.dialect} {result.range}: {result.errors} error{'s' if result.errors != 1 else ''}, "
        f"{result.warnings} warning{'s' if result.warnings != 1 else ''}{tail}"
    )
    return "\n".join(lines)


def as_data(result: LintResult) -> dict[str, object]:
    return {
        "dialect": result.dialect,
        "range": result.range,
        "errors": result.errors,
        "warnings": result.warnings,
        "stopped": result.stopped,
        "findings": [finding.as_dict() for finding in result.findings],
    }


def render_json(result: LintResult) -> str:
    return json.dumps(as_data(result), indent=2, sort_keys=True)
