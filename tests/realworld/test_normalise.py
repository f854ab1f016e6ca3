"""The comparison's normalisations hide exactly their departure or noise, and nothing else."""

from __future__ import annotations

import datetime

from .normalise import alembic_listing, alembic_script, limbeck_departures, table_indexes, version_rows
from .projects import FRESH_UUID, StaleCheck, WrittenParameters

UNMERGE = """-- Running downgrade m -> a, b, c

INSERT INTO alembic_version (version_num) VALUES ('{0}');

INSERT INTO alembic_version (version_num) VALUES ('{1}');

UPDATE alembic_version SET version_num='{2}' WHERE alembic_version.version_num = 'm';

COMMIT;"""

MERGE = """-- Running upgrade a, b -> m

DELETE FROM alembic_version WHERE alembic_version.version_num = '{0}';

UPDATE alembic_version SET version_num='m' WHERE alembic_version.version_num = '{1}';"""


def _indexes(*names: str, table: str = "t", go: bool = False) -> str:
    statements = [f"CREATE TABLE {table} (\n    id INTEGER\n);",
                  *(f"CREATE INDEX {n} ON t (id);" for n in names), "ALTER TABLE t ADD x INTEGER;"]
    return "\n\nGO\n\n".join(statements) + "\n\nGO" if go else "\n\n".join(statements)


def test_table_indexes_hide_their_order_only() -> None:
    for go in (False, True):  # SQL Server: each statement followed by GO
        assert table_indexes(_indexes("b", "a", go=go)) == table_indexes(_indexes("a", "b", go=go)) \
            == _indexes("a", "b", go=go)
        # another table's indexes, and a different set of them, still differ
        assert table_indexes(_indexes("b", "a", table="u", go=go)) == _indexes("b", "a", table="u", go=go)
        assert table_indexes(_indexes("a", "c", go=go)) != table_indexes(_indexes("a", "b", go=go))


def test_version_rows_hide_which_row_is_updated() -> None:
    assert version_rows(UNMERGE.format("a", "b", "c")) == version_rows(UNMERGE.format("c", "a", "b"))
    assert version_rows(MERGE.format("a", "b")) == version_rows(MERGE.format("b", "a"))


def test_version_rows_keep_the_rows_a_run_leaves() -> None:
    assert version_rows(UNMERGE.format("a", "b", "c")) != version_rows(UNMERGE.format("a", "b", "d"))
    assert version_rows(MERGE.format("a", "b")) != version_rows(MERGE.format("a", "x"))
    # statement kinds and places are kept: an UPDATE written as DELETE + INSERT still differs
    split = MERGE.format("a", "b").replace(
        "UPDATE alembic_version SET version_num='m' WHERE alembic_version.version_num = 'b';",
        "DELETE FROM alembic_version WHERE alembic_version.version_num = 'b';\n\n"
        "INSERT INTO alembic_version (version_num) VALUES ('m');",
    )
    assert version_rows(split) != version_rows(MERGE.format("a", "b"))


NOW = datetime.datetime(2024, 5, 1, 12, 30, 45, tzinfo=datetime.timezone.utc)
SCRIPT = """-- Running upgrade x -> r1

UPDATE t SET c = '2024-05-01 12:30:45';

ALTER TABLE runs DROP CHECK status;

-- Running upgrade r1 -> r2

UPDATE t SET c = '2024-05-01 12:30:45';

ALTER TABLE runs DROP CHECK status;
"""


def test_departures_are_undone_in_their_revision_only() -> None:
    departures = [WrittenParameters("r1", (NOW,)), StaleCheck("r1", "runs", "status")]
    text, found = limbeck_departures(SCRIPT, departures, "upgrade", "mysql")
    assert found == set(departures)
    assert text == SCRIPT.replace("'2024-05-01 12:30:45'", "NULL", 1).replace(
        "ALTER TABLE runs DROP CHECK status;\n\n", "", 1)
    # a departure its revision does not show is reported as not found
    assert limbeck_departures(SCRIPT, [StaleCheck("r1", "runs", "other")], "upgrade", "mysql")[1] == set()


def test_written_parameters_are_undone_where_they_stand_as_values_only() -> None:
    # skypilot's 001: the parameter 0 is not the 0 of its revision id, nor '{}' its server default
    script = ("-- Running upgrade  -> 001\n\nALTER TABLE spot ADD COLUMN metadata TEXT DEFAULT '{}';\n\n"
              "UPDATE spot SET metadata = '{}' WHERE metadata IS NULL;\n\nUPDATE spot SET task_id = 0 WHERE "
              "task_id IS NULL;\n\nINSERT INTO alembic_version (version_num) VALUES ('001');\n\n")
    text, found = limbeck_departures(script, [WrittenParameters("001", (0, "{}"))], "upgrade", "postgresql")
    assert found == {WrittenParameters("001", (0, "{}"))}
    assert text == script.replace("metadata = '{}'", "metadata = NULL").replace("task_id = 0", "task_id = NULL")


def test_a_fresh_uuid_parameter_is_any_version_4_uuid_standing_as_a_value() -> None:
    # orchestrator-core's a76b9185b334: a workflow id made by uuid4(); a quoted UUID that is no version 4 stays
    script = ("-- Running upgrade  -> a7\n\nINSERT INTO workflows VALUES ('cd5e7863-9d7a-45e6-9ca1-c7b31b7e4f8e', "
              "'modify_note', now());\n\nUPDATE w SET x = '00000000-0000-0000-0000-000000000000';\n\n")
    departure = WrittenParameters("a7", (FRESH_UUID, "modify_note"))
    text, found = limbeck_departures(script, [departure], "upgrade", "postgresql")
    assert found == {departure}
    assert text == script.replace("('cd5e7863-9d7a-45e6-9ca1-c7b31b7e4f8e', 'modify_note'", "(NULL, NULL")


def test_aware_datetimes_and_nul_bytes_are_limbecks_form() -> None:
    # Alembic's script as limbeck writes it: on MySQL no offset on a datetime and \0 for a NUL
    # byte, on PostgreSQL a timestamptz; a time with an offset is no datetime
    text = "UPDATE t SET a = '2024-05-01 12:30:45.5+02:00', b = 'x\0y', c = '12:30:45+02:00';"
    want = "UPDATE t SET a = '2024-05-01 12:30:45.5', b = 'x\\0y', c = '12:30:45+02:00';"
    assert alembic_script(text, "mysql") == alembic_script(text, "mariadb") == want
    assert alembic_script(text, "postgresql") == text.replace(
        "'2024-05-01 12:30:45.5+02:00'", "CAST('2024-05-01 12:30:45.5+02:00' AS TIMESTAMP WITH TIME ZONE)")
    assert alembic_script(text, "sqlite") == text


def test_drop_index_if_exists_only_on_mysql() -> None:
    text = "DROP INDEX IF EXISTS ix ON t;"
    assert alembic_script(text, "mysql") == "DROP INDEX ix ON t;"
    assert alembic_script(text, "mariadb") == text


def test_version_insert_returning_only_on_oracle_and_the_version_table() -> None:
    returning = "INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;"
    assert alembic_script(returning, "postgresql") == returning
    output = "INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('a1');"
    assert alembic_script(output, "mssql") == output
    assert alembic_script("INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING "
                          "alembic_version.version_num INTO :ret_0\n\n/", "oracle") == (
        "INSERT INTO alembic_version (version_num) VALUES ('a1')\n\n/")
    quoted = ('INSERT INTO "DOMA_IDDS".alembic_version (version_num) VALUES (\'a1\') RETURNING '
              '"DOMA_IDDS".alembic_version.version_num INTO :ret_0')
    assert alembic_script(quoted, "oracle") == 'INSERT INTO "DOMA_IDDS".alembic_version (version_num) VALUES (\'a1\')'
    other = "INSERT INTO t (id) VALUES (1) RETURNING t.id INTO :ret_0"
    assert alembic_script(other, "oracle") == other


def test_listing_sorts_branch_labels_not_dependencies() -> None:
    assert alembic_listing("b (y, x) -> c (l2, l1) (head), doc\n") == "b (y, x) -> c (l1, l2) (head), doc\n"
    assert alembic_listing("c (l2, l1) (head)\n") == "c (l1, l2) (head)\n"
