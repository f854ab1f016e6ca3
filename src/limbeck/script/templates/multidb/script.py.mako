<%!
import re

%>"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from limbeck import op  # noqa: F401
% if imports:
${imports}
% endif

# revision identifiers, read by limbeck to order the migrations.
revision: str = ${repr(up_revision)}
down_revision: str | Sequence[str] | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}


def upgrade(engine_name: str) -> None:
    """Apply this revision to the database called *engine_name*."""
    globals()[f"upgrade_{engine_name}"]()


def downgrade(engine_name: str) -> None:
    """Revert this revision on the database called *engine_name*."""
    globals()[f"downgrade_{engine_name}"]()

<%
    db_names = [name for name in re.split(r",\s*", config.get_main_option("databases") or "") if name]
%>
% for db_name in db_names:

def upgrade_${db_name}() -> None:
    ${context.get("%s_upgrades" % db_name, "pass")}


def downgrade_${db_name}() -> None:
    ${context.get("%s_downgrades" % db_name, "pass")}

% endfor
