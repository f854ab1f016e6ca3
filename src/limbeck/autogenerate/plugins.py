"""``autogenerate_plugins``: which of the built-in comparisons take part in a run.

Alembic 1.18 split its comparison into "plugins" and lets ``configure()``
choose among them with a list of names: exact (``alembic.autogenerate.comments``),
wildcards (a ``*`` token stands for one or more tokens: ``alembic.autogenerate.*``)
and exclusions (``~alembic.autogenerate.comments``); the default is
``["alembic.autogenerate.*"]``. limbeck reads the same list, with Alembic's
names and errors: a malformed expression raises ``ValueError("Invalid plugin
expression 'x..y'")``, a name that matches no plugin ``CommandError("Did not
locate plugins: ...")`` (limbeck has no third-party plugins, so that is every
other name). Each built-in comparison of limbeck belongs to the plugin that
holds its Alembic counterpart; its additions go where they fit (primary keys
with ``constraints``, enum values with ``types``, computed columns with
``defaults``).

One departure: Alembic 1.19.2 moved the check constraint plugin out of the
default set (to ``alembic.ext.checkconstraint_byname``) because, by name only,
it drops checks the models declare unnamed and cannot see a changed condition.
limbeck's check comparison has neither flaw, so it keeps the plugin where
Alembic 1.19.0 had it, under its old name ``alembic.autogenerate.checkconstraint_byname``:
``alembic.autogenerate.*`` turns it on, and naming it (either name) or
excluding it (``~``, either name) works as in Alembic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from limbeck.errors import CommandError

SCHEMAS = "alembic.autogenerate.schemas"
TABLES = "alembic.autogenerate.tables"
TYPES = "alembic.autogenerate.types"
CONSTRAINTS = "alembic.autogenerate.constraints"
DEFAULTS = "alembic.autogenerate.defaults"
COMMENTS = "alembic.autogenerate.comments"
CHECKS = "alembic.ext.checkconstraint_byname"

#: each built-in plugin and the names it answers to (the check plugin: Alembic's current and 1.19.0 names)
_NAMES: dict[str, tuple[str, ...]] = {
    SCHEMAS: (SCHEMAS,),
    TABLES: (TABLES,),
    TYPES: (TYPES,),
    CONSTRAINTS: (CONSTRAINTS,),
    DEFAULTS: (DEFAULTS,),
    COMMENTS: (COMMENTS,),
    CHECKS: (CHECKS, "alembic.autogenerate.checkconstraint_byname"),
}

DEFAULT = ("alembic.autogenerate.*",)
ALL = frozenset(_NAMES)


def enabled_plugins(expressions: Iterable[str] | None) -> frozenset[str]:
    """The built-in plugins the ``autogenerate_plugins`` list turns on (``None``: the default list)."""
    include: dict[str, re.Pattern[str]] = {}
    exclude: list[re.Pattern[str]] = []
    for expression in DEFAULT if expressions is None else expressions:
        if expression.startswith("~"):
            exclude.append(_pattern(expression[1:]))
        else:
            include[expression] = _pattern(expression)
    matched: set[str] = set()
    enabled = set()
    for plugin, names in _NAMES.items():
        if any(p.fullmatch(name) for p in exclude for name in names):
            continue
        found = [e for e, p in include.items() if any(p.fullmatch(name) for name in names)]
        if found:
            matched.update(found)
            enabled.add(plugin)
    missing = [e for e in include if e not in matched]
    if missing:
        raise CommandError(f"Did not locate plugins: {', '.join(missing)}")
    return frozenset(enabled)


def _pattern(expression: str) -> re.Pattern[str]:
    """Dot-separated tokens: an identifier stands for itself, ``*`` for one or more characters (dots too)."""
    tokens = expression.split(".")
    if not all(token == "*" or token.isidentifier() for token in tokens):
        raise ValueError(f"Invalid plugin expression {expression!r}")
    return re.compile(r"\.".join(".+?" if token == "*" else re.escape(token) for token in tokens))


__all__ = [
    "ALL",
    "CHECKS",
    "COMMENTS",
    "CONSTRAINTS",
    "DEFAULT",
    "DEFAULTS",
    "SCHEMAS",
    "TABLES",
    "TYPES",
    "enabled_plugins",
]
