"""The test histories the offline ≡ online comparison runs, with the steps each is walked through.

``branchy`` has the shape of the runtime suite's fixture history (a branch
point, a merge, a second base on its own branch label, a revision that
depends on another branch) with hostile data in it; ``schema`` walks the
operations through a linear history (constraints, indexes, batch mode with
``copy_from``, renames, typed data); ``chain`` is generated: many small
revisions with two merges and cross-branch dependencies. Every body runs on
SQLite, PostgreSQL and MariaDB, online and as an offline script.
"""

from __future__ import annotations

from limbeck_reliability_project import Rev

#: strings that break naive quoting, splitting or parameter handling
NASTY = [
    "o'brien",
    "100% sure",
    "back\\slash; -- not a comment\n\nnext line;",
    ":name %(x)s %s ?",
    "tab\there \"dq\" `bt` $$dollar$$",
    "unicode \u00e9\u4e2d\U0001f600",
]

_account_rows = ", ".join(f"{{'id': {i + 1}, 'name': {value!r}}}" for i, value in enumerate(NASTY))

BRANCHY: list[Rev] = [
    Rev(
        "a1", None,
        f"""
        op.create_table(
            "account",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("name", sa.String(80), nullable=False),
            sa.Column("balance", sa.Numeric(10, 2), server_default="0"),
        )
        account = sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String))
        op.bulk_insert(account, [{_account_rows}])
        """,
        'op.drop_table("account")',
    ),
    Rev(
        "b2", "a1",
        """
        op.add_column("account", sa.Column("email", sa.String(100)))
        op.create_index("ix_account_email", "account", ["email"])
        """,
        """
        op.drop_index("ix_account_email", table_name="account")
        op.drop_column("account", "email")
        """,
    ),
    Rev(
        "c3", "b2",
        """
        op.create_table(
            "audit",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id", name="fk_audit_account")),
            sa.Column("note", sa.Text),
        )
        """,
        'op.drop_table("audit")',
    ),
    Rev(
        "d4", "b2",
        """
        op.create_table(
            "tag",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("label", sa.String(30)),
            sa.UniqueConstraint("label", name="uq_tag_label"),
        )
        """,
        'op.drop_table("tag")',
    ),
    Rev(
        "e5", ("c3", "d4"),
        """
        op.execute("UPDATE account SET name = 'merged' WHERE id = 2")
        account = sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String))
        op.execute(account.update().where(account.c.id == 4).values(name="it's 50% :done"))
        """,
        """
        op.execute("UPDATE account SET name = '100% sure' WHERE id = 2")
        account = sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String))
        op.execute(account.update().where(account.c.id == 4).values(name=":name %(x)s %s ?"))
        """,
    ),
    Rev(
        "f6", None,
        """
        op.create_table(
            "setting",
            sa.Column("skey", sa.String(40), primary_key=True),
            sa.Column("value", sa.String(200)),
        )
        """,
        'op.drop_table("setting")',
        labels="other",
    ),
    Rev(
        "g7", "f6",
        """
        setting = sa.table("setting", sa.column("skey", sa.String), sa.column("value", sa.String))
        op.bulk_insert(setting, [{"skey": "audit", "value": "on"}, {"skey": "quote's", "value": "a;b"}])
        """,
        """op.execute("DELETE FROM setting WHERE skey IN ('audit', 'quote''s')")""",
        depends="c3",
    ),
]

_CHILD_AFTER_S2 = """
child = sa.Table(
    "child",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_parent")),
    sa.Column("qty", sa.Integer),
    sa.Column("note", sa.String({width}), server_default="n/a"),
    sa.CheckConstraint("qty >= 0", name="ck_child_qty"),
    sa.Index("ix_child_qty", "qty"),
    sa.Index("ix_child_note_qty", "note", "qty", unique=True),
)
"""

SCHEMA: list[Rev] = [
    Rev(
        "s1", None,
        """
        op.create_table(
            "parent",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("code", sa.String(10), nullable=False),
            sa.Column("created", sa.Date),
            sa.UniqueConstraint("code", name="uq_parent_code"),
        )
        op.create_table(
            "child",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_parent")),
            sa.Column("qty", sa.Integer),
            sa.CheckConstraint("qty >= 0", name="ck_child_qty"),
        )
        import datetime
        parent = sa.table("parent", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("created", sa.Date))
        op.bulk_insert(parent, [
            {"id": 1, "code": "A'1", "created": datetime.date(2001, 2, 3)},
            {"id": 2, "code": "B%2", "created": datetime.date(1999, 12, 31)},
        ])
        child = sa.table("child", sa.column("id", sa.Integer), sa.column("parent_id", sa.Integer), sa.column("qty", sa.Integer))
        op.bulk_insert(child, [{"id": 1, "parent_id": 1, "qty": 3}, {"id": 2, "parent_id": 2, "qty": 0}])
        """,
        """
        op.drop_table("child")
        op.drop_table("parent")
        """,
    ),
    Rev(
        "s2", "s1",
        """
        op.add_column("child", sa.Column("note", sa.String(20), server_default="n/a"))
        op.create_index("ix_child_qty", "child", ["qty"])
        op.create_index("ix_child_note_qty", "child", ["note", "qty"], unique=True)
        """,
        """
        op.drop_index("ix_child_note_qty", table_name="child")
        op.drop_index("ix_child_qty", table_name="child")
        op.drop_column("child", "note")
        """,
    ),
    Rev(
        "s3", "s2",
        _CHILD_AFTER_S2.format(width=20) + """
with op.batch_alter_table("child", copy_from=child) as batch_op:
    batch_op.alter_column(
        "note", existing_type=sa.String(20), type_=sa.String(40),
        existing_nullable=True, existing_server_default="n/a",
    )
""",
        _CHILD_AFTER_S2.format(width=40) + """
with op.batch_alter_table("child", copy_from=child) as batch_op:
    batch_op.alter_column(
        "note", existing_type=sa.String(40), type_=sa.String(20),
        existing_nullable=True, existing_server_default="n/a",
    )
""",
    ),
    Rev("s4", "s3", 'op.rename_table("child", "item")', 'op.rename_table("item", "child")'),
    Rev(
        "s5", "s4",
        """
        op.create_table(
            "blob",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("data", sa.LargeBinary),
            sa.Column("flag", sa.Boolean),
            sa.Column("at", sa.DateTime),
            sa.Column("ratio", sa.Float),
        )
        import datetime
        blob = sa.table(
            "blob", sa.column("id", sa.Integer), sa.column("data", sa.LargeBinary), sa.column("flag", sa.Boolean),
            sa.column("at", sa.DateTime), sa.column("ratio", sa.Float),
        )
        op.bulk_insert(blob, [
            {"id": 1, "data": b"\\x00\\x01'\\\\;\\n", "flag": True, "at": datetime.datetime(2020, 2, 29, 23, 59, 58), "ratio": 0.5},
            {"id": 2, "data": b"", "flag": False, "at": datetime.datetime(1970, 1, 1), "ratio": -1.25e10},
        ])
        item = sa.table("item", sa.column("id", sa.Integer), sa.column("note", sa.String))
        op.execute(item.update().where(item.c.id == 2).values(note="n/a 'quoted' \\\\ 100%"))
        """,
        """
        item = sa.table("item", sa.column("id", sa.Integer), sa.column("note", sa.String))
        op.execute(item.update().where(item.c.id == 2).values(note="n/a"))
        op.drop_table("blob")
        """,
    ),
]


def _chain() -> list[Rev]:
    """Twelve small revisions: a fork at r03, a merge at r06, a second root joined at r10."""
    revs: list[Rev] = []

    def table(rev: str, down: object, depends: object = None, labels: str | None = None) -> None:
        up = f"""
        op.create_table("t_{rev}", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False), sa.Column("v", sa.String(20)))
        op.bulk_insert(sa.table("t_{rev}", sa.column("id", sa.Integer), sa.column("v", sa.String)), [{{"id": 1, "v": "{rev};'x'"}}])
        """
        revs.append(Rev(rev, down, up, f'op.drop_table("t_{rev}")', labels=labels, depends=depends))  # type: ignore[arg-type]

    table("r01", None)
    table("r02", "r01")
    table("r03", "r02")
    table("r04a", "r03")
    table("r04b", "r03")
    table("r05a", "r04a")
    table("r06", ("r05a", "r04b"))
    table("q01", None, labels="side")
    table("q02", "q01", depends="r04b")
    table("r07", "r06")
    table("r08", "r07", depends="q02")
    table("r10", ("r08", "q02"))
    return revs


CHAIN = _chain()

#: name -> (history, steps); a step is (direction, offline start, target); a start of
#: ``@db`` renders with ``--from-db`` (the database has several heads there)
HISTORIES: dict[str, tuple[list[Rev], list[tuple[str, str, str]]]] = {
    "branchy": (
        BRANCHY,
        [("upgrade", "base", "c3"), ("upgrade", "c3", "heads"), ("downgrade", "heads", "b2"), ("downgrade", "@db", "base")],
    ),
    "schema": (
        SCHEMA,
        [("upgrade", "base", "s3"), ("upgrade", "s3", "head"), ("downgrade", "head", "s2"), ("downgrade", "s2", "base")],
    ),
    "chain": (
        CHAIN,
        [("upgrade", "base", "r04b"), ("upgrade", "r04b", "heads"), ("downgrade", "heads", "r03"), ("downgrade", "@db", "base")],
    ),
}
