#!/bin/sh
# The main job, end to end, on the embedded default (SQLite), in a fresh temporary folder:
# create a project, write two revisions, migrate a database, inspect the history, then
# render the same migrations as a reviewable SQL script for PostgreSQL (no server needed).
set -eu
limbeck=${LIMBECK:-limbeck}
work=$(mktemp -d "${TMPDIR:-/tmp}/limbeck-quickstart.XXXXXX")
cd "$work"
echo "== project in $work"

$limbeck init migrations

$limbeck revision -m "create account table" --rev-id 1a2b3c4d5e6f
$limbeck revision -m "add email to account" --rev-id 2b3c4d5e6f7a

# fill in the two revisions (a text editor would do the same)
python3 - <<'PY'
import pathlib
versions = pathlib.Path("migrations/versions")
bodies = {
    "1a2b3c4d5e6f": (
        'op.create_table("account",\n'
        '        sa.Column("id", sa.Integer, primary_key=True),\n'
        '        sa.Column("name", sa.String(50), nullable=False),\n'
        '    )\n'
        '    op.bulk_insert(sa.table("account", sa.column("id"), sa.column("name")),\n'
        '        [{"id": 1, "name": "O\'Brien"}, {"id": 2, "name": "100% sure"}])',
        'op.drop_table("account")',
    ),
    "2b3c4d5e6f7a": (
        'op.add_column("account", sa.Column("email", sa.String(100)))\n'
        '    op.create_index("ix_account_email", "account", ["email"])',
        'op.drop_index("ix_account_email", table_name="account")\n'
        '    op.drop_column("account", "email")',
    ),
}
for rev, (up, down) in bodies.items():
    path = next(versions.glob(f"{rev}_*.py"))
    text = path.read_text()
    text = text.replace("def upgrade() -> None:\n    pass", f"def upgrade() -> None:\n    {up}", 1)
    text = text.replace("def downgrade() -> None:\n    pass", f"def downgrade() -> None:\n    {down}", 1)
    path.write_text(text)
PY

echo "== history"
$limbeck history
echo "== upgrade head (SQLite file app.db next to limbeck.ini)"
$limbeck upgrade head
$limbeck current
echo "== the same migrations as a PostgreSQL script for review"
$limbeck upgrade base:head --sql --dialect postgresql
echo "== and back down"
$limbeck downgrade base
$limbeck current
