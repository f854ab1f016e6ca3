"""alembic-utils 0.8 on limbeck: PGView, PGFunction and PGTrigger as replaceable entities.

On PostgreSQL, twice (Alembic, then ``LIMBECK_AS_ALEMBIC=1``): autogenerate
the entities' ``create_entity``, then changed definitions (``replace_entity``
with the database's old definition as the downgrade), then a removed trigger
(``drop_entity``); run each online and as ``--sql``, and downgrade to base.
Revision files, scripts and the catalog must match after every step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from limbeck_ecosystem_harness import alembic_project, twin_projects

pytestmark = pytest.mark.postgresql

MODELS = '''
import os

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase
from alembic_utils.pg_function import PGFunction
from alembic_utils.pg_trigger import PGTrigger
from alembic_utils.pg_view import PGView
from alembic_utils.replaceable_entity import register_entities

STAGE = int(os.environ.get("STAGE", "0"))


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "account"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(200), nullable=False)
    updated = sa.Column(sa.DateTime)


to_upper = PGFunction(
    schema="public",
    signature="to_upper(some_text text)",
    definition="RETURNS text as $$ SELECT upper(some_text) $$ language SQL;"
    if STAGE < 2 else "RETURNS text as $$ SELECT upper(trim(some_text)) $$ language SQL;",
)
touch = PGFunction(
    schema="public",
    signature="touch_updated()",
    definition="RETURNS trigger as $$ BEGIN NEW.updated = now(); RETURN NEW; END; $$ language plpgsql;",
)
emails = PGView(
    schema="public",
    signature="account_emails",
    definition="select id, email from account" if STAGE < 2 else "select id, lower(email) as email from account",
)
touch_trigger = PGTrigger(
    schema="public",
    signature="account_touch",
    on_entity="public.account",
    definition="BEFORE UPDATE ON public.account FOR EACH ROW EXECUTE PROCEDURE public.touch_updated()",
)

if STAGE == 1 or STAGE == 2:
    register_entities([to_upper, touch, emails, touch_trigger])
elif STAGE == 3:
    register_entities([to_upper, touch, emails])
'''

CATALOG = [
    "SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1",
    (
        "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public' ORDER BY 1"
    ),
    "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
]


def test_replaceable_entities_match_alembic(tmp_path: Path, pg_databases: Any) -> None:
    files = alembic_project(MODELS, imports="import models", code="target_metadata = models.Base.metadata")
    pair = twin_projects(tmp_path, files, urls=(pg_databases(), pg_databases()))

    pair.env["STAGE"] = "0"
    pair.autogenerate("a1", "tables")
    pair.both("alembic", "upgrade", "head")

    pair.env["STAGE"] = "1"
    assert "op.create_entity(public_account_account_touch)" in pair.autogenerate("b2", "entities")
    pair.same_sql("alembic", "upgrade", "a1:b2")
    pair.both("alembic", "upgrade", "head")
    assert pair.schemas(CATALOG)[CATALOG[2]], "the trigger exists"

    pair.env["STAGE"] = "2"
    assert "op.replace_entity(public_account_emails)" in pair.autogenerate("c3", "definitions")
    pair.same_sql("alembic", "upgrade", "b2:c3")
    pair.both("alembic", "upgrade", "head")
    pair.schemas(CATALOG)

    pair.env["STAGE"] = "3"
    assert "op.drop_entity(public_account_account_touch)" in pair.autogenerate("d4", "no_trigger")
    pair.both("alembic", "upgrade", "head")
    assert not pair.schemas(CATALOG)[CATALOG[2]], "the trigger is gone"

    pair.same_sql("alembic", "downgrade", "d4:a1")
    pair.both("alembic", "downgrade", "b2")
    views = pair.schemas(CATALOG)[CATALOG[0]]
    assert views == [("account_emails", " SELECT account.id,\n    account.email\n   FROM account;")]
    pair.both("alembic", "downgrade", "base")
    assert list(pair.schemas(CATALOG)) == ["alembic_version", *CATALOG]
    pair.check_answered()
