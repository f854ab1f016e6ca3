"""How version rows move: the Heads bookkeeping and the SQL it emits."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.dialects.postgresql

from limbeck.runtime.literal_templates import LiteralTemplates
from limbeck.runtime.version_table import Heads, VersionTable, build_table


def sql(stmts: list) -> list[str]:
    """The statements as an offline run renders them (version writes carry their ids as params).

    On PostgreSQL an INSERT returns its key, as Alembic's does (its value is an expression).
    """
    dialect = sa.dialects.postgresql.dialect()
    templates = LiteralTemplates(dialect)
    return [
        templates.prepared(s.element, s.params)
        if s.params is not None
        else str(s.element.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        for s in stmts
    ]


def heads(*revs: str) -> Heads:
    return Heads(VersionTable(build_table()), revs)


def test_create_table_has_pk_named_pkc_and_can_drop_pk() -> None:
    ddl = str(sa.schema.CreateTable(build_table()).compile(dialect=sa.dialects.postgresql.dialect()))
    assert "version_num VARCHAR(32) NOT NULL" in ddl and "CONSTRAINT alembic_version_pkc PRIMARY KEY" in ddl
    assert "PRIMARY KEY" not in str(sa.schema.CreateTable(build_table(pk=False)).compile())
    schema_ddl = str(sa.schema.CreateTable(build_table("v", "s")).compile(dialect=sa.dialects.postgresql.dialect()))
    assert "CREATE TABLE s.v" in schema_ddl and "CONSTRAINT v_pkc" in schema_ddl


def test_upgrade_from_base_inserts() -> None:
    h = heads()
    assert sql(h.upgrade("a", ())) == ["INSERT INTO alembic_version (version_num) VALUES ('a') RETURNING alembic_version.version_num"]
    assert h.heads == ["a"]


def test_upgrade_linear_updates() -> None:
    h = heads("a")
    assert sql(h.upgrade("b", ("a",))) == [
        "UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a'"
    ]
    assert h.heads == ["b"]


def test_upgrade_second_branch_inserts_when_parent_not_a_head() -> None:
    h = heads("c1")
    assert sql(h.upgrade("d1", ("b",))) == ["INSERT INTO alembic_version (version_num) VALUES ('d1') RETURNING alembic_version.version_num"]
    assert h.heads == ["c1", "d1"]


def test_upgrade_merge_deletes_all_but_last_and_updates_last() -> None:
    h = heads("c1", "d1")
    assert sql(h.upgrade("m", ("c1", "d1"))) == [
        "DELETE FROM alembic_version WHERE alembic_version.version_num = 'c1'",
        "UPDATE alembic_version SET version_num='m' WHERE alembic_version.version_num = 'd1'",
    ]
    assert h.heads == ["m"]


def test_downgrade_merge_is_the_mirror_image() -> None:
    h = heads("m")
    assert sql(h.downgrade("m", ["c1", "d1"])) == [
        "INSERT INTO alembic_version (version_num) VALUES ('c1') RETURNING alembic_version.version_num",
        "UPDATE alembic_version SET version_num='d1' WHERE alembic_version.version_num = 'm'",
    ]
    assert sorted(h.heads) == ["c1", "d1"]


def test_downgrade_to_base_deletes_and_covered_parent_deletes() -> None:
    h = heads("a")
    assert sql(h.downgrade("a", [])) == ["DELETE FROM alembic_version WHERE alembic_version.version_num = 'a'"]
    assert h.heads == []


def test_stamp_rules() -> None:
    h = heads("c1", "x")
    assert sql(h.stamp("z", ["c1"])) == [
        "UPDATE alembic_version SET version_num='z' WHERE alembic_version.version_num = 'c1'"
    ]
    assert sql(h.stamp("q", [])) == ["INSERT INTO alembic_version (version_num) VALUES ('q') RETURNING alembic_version.version_num"]
    assert sql(h.stamp(None, ["z", "x", "q"])) == [
        "DELETE FROM alembic_version WHERE alembic_version.version_num = 'z'",
        "DELETE FROM alembic_version WHERE alembic_version.version_num = 'x'",
        "DELETE FROM alembic_version WHERE alembic_version.version_num = 'q'",
    ]
    assert h.heads == []


def test_an_offline_range_from_label_at_base_creates_the_table(make_project, capsys) -> None:  # type: ignore[no-untyped-def]
    # "lbl@base" is the base of that branch: the script creates the table its first INSERT needs
    # (Alembic crashes there: 'NoneType' object has no attribute 'revision')
    from limbeck import command

    history = [("a1", None, ("lbl",), None, "op.execute('SELECT 1')", "pass"),
               ("b2", "a1", None, None, "op.execute('SELECT 2')", "pass")]
    config = make_project(url="postgresql://", history=history)
    command.upgrade(config, "lbl@base:b2", sql=True)
    script = capsys.readouterr().out
    assert script.index("CREATE TABLE alembic_version") < script.index("INSERT INTO alembic_version")
