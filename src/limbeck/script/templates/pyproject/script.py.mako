<%!
def py(value):
    """A Python literal the way ruff format writes it (double-quoted strings)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(py(v) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def sorted_imports(extra, body, package):
    """sqlalchemy/op imports plus autogenerate's, ordered as isort orders one section;
    the two defaults are marked noqa only while the body does not use them. op comes
    from alembic where limbeck stands in for it and where Alembic renders this file
    (it passes no op_package), so such a project keeps working on either."""
    package = package if isinstance(package, str) else "alembic"
    lines = [
        "import sqlalchemy as sa" + ("" if "sa." in body else "  # noqa: F401"),
        "from " + package + " import op" + ("" if "op." in body else "  # noqa: F401"),
    ]
    lines += [line.strip() for line in (extra or "").splitlines() if line.strip()]
    def key(line):
        words = line.split()
        return (words[0] == "from", words[1].lower())
    return sorted(dict.fromkeys(lines), key=key)
%><%
    import_lines = sorted_imports(imports, (upgrades or "") + (downgrades or ""), op_package)
%>"""${message}

Revision ID: ${up_revision}
Revises:${" " if down_revision else ""}${down_revision | comma,n}
Create Date: ${create_date}

"""

from collections.abc import Sequence

% for line in import_lines:
${line}
% endfor

# revision identifiers, read by limbeck to order the migrations.
revision: str = ${py(up_revision)}
down_revision: str | Sequence[str] | None = ${py(down_revision)}
branch_labels: str | Sequence[str] | None = ${py(branch_labels)}
depends_on: str | Sequence[str] | None = ${py(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
