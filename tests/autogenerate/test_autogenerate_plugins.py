"""``autogenerate_plugins`` refused as Alembic 1.20.1 refuses it: the same exception and text.

What each accepted list compares is in the corpus (``agcorpus_compare_plugins``);
the corpus takes two refusals as the same answer, so their words are checked here.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.autogenerate.plugins import ALL, CHECKS, COMMENTS, enabled_plugins

REFUSED = [
    ["mycompany.views"],
    ["alembic.autogenerate.*", "alembic.autogenerate.view"],
    ["alembic.autogenerate.comments", "~alembic.autogenerate.comments"],
    ["alembic.ext.*", "~alembic.ext.checkconstraint_byname"],
    ["alembic..tables"],
    ["~alembic.auto-generate.tables"],
    ["alembic.autogenerate.*", ""],
    ["alembic.autogenerate.**"],
]


def _refusal(migration_context: Any, autogen_context: Any, plugins: list[str]) -> str:
    with sa.create_engine("sqlite://").connect() as conn:
        context = migration_context.configure(conn, opts={"autogenerate_plugins": plugins})
        try:
            autogen_context(context, sa.MetaData())
        except Exception as exc:  # noqa: BLE001  (the refusal is what is compared)
            return f"{type(exc).__name__}: {exc}"
    return "accepted"


@pytest.mark.parametrize("plugins", REFUSED, ids=["/".join(p) for p in REFUSED])
def test_refused_in_alembics_words(plugins: list[str]) -> None:
    pytest.importorskip("alembic")
    from alembic.autogenerate.api import AutogenContext as AlembicContext
    from alembic.migration import MigrationContext as AlembicMigrationContext

    from limbeck.autogenerate import AutogenContext
    from limbeck.runtime.migration import MigrationContext

    theirs = _refusal(AlembicMigrationContext, AlembicContext, plugins)
    assert theirs != "accepted"
    assert _refusal(MigrationContext, AutogenContext, plugins) == theirs


def test_default_list_and_the_check_plugin() -> None:
    assert enabled_plugins(None) == ALL
    assert enabled_plugins(["alembic.autogenerate.*"]) == ALL
    assert enabled_plugins(["alembic.autogenerate.*", "~alembic.autogenerate.checkconstraint_byname"]) == ALL - {CHECKS}
    assert enabled_plugins(["alembic.autogenerate.*", "~alembic.autogenerate.comments"]) == ALL - {COMMENTS}
    assert enabled_plugins(["alembic.ext.checkconstraint_byname"]) == {CHECKS}
    assert enabled_plugins([]) == frozenset()


def test_dispatch_answers_as_alembics_registries() -> None:
    """``comparators.dispatch(target)`` is a callable (running nothing for an unknown target);
    ``renderers.dispatch(obj)`` raises ValueError where nothing renders it (it returned None)."""
    from limbeck.autogenerate import comparators, renderers

    comparators.dispatch("nosuch")(None, None)  # nothing registered: nothing runs
    with pytest.raises(ValueError, match="no dispatch function for object"):
        renderers.dispatch(object())
