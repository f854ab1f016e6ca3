"""limbeck's deliberate departures from Alembic, as they show in the autogenerate corpus.

Each entry names cases (``fnmatch`` patterns over case ids) and the reason,
one the README states. A listed case must still differ: when limbeck and
Alembic agree again, the entry goes.
"""

from __future__ import annotations

from fnmatch import fnmatchcase


class Why:
    NO_RENDERER = ("Alembic has no renderer for this record (create_primary_key raises NotImplementedError, "
                   "rename_table has no dispatch); limbeck renders it (its own primary key changes need it)")
    DROPPED_KW = ("Alembic's drop_column and alter_column leave the dialect keywords (mssql_drop_check=True, "
                  "postgresql_using=...) out; limbeck keeps them")
    NESTED_TYPE = ("Alembic writes a type nested in a dialect type without its module (postgresql.JSONB("
                   "astext_type=Text()), postgresql.ARRAY(String(length=5))) unless the context is that dialect's, "
                   "and one nested in a user's type always (user.MyArray(DateTime(timezone=True))): "
                   "the revision fails with NameError; limbeck writes sa.Text()")
    DOMAIN_OUTSIDE_PG = ("outside a PostgreSQL context Alembic writes a DOMAIN from its repr: the base type without "
                         "its module (postgresql.DOMAIN('email', CITEXT()), a NameError) and without its check, "
                         "collation, default or not_null; limbeck writes the DOMAIN as in a PostgreSQL context")
    REVERSED_RENAME = ("Alembic's reverse of a column rename renames nothing (the downgrade leaves the new name); "
                       "limbeck renames it back")
    ALTER_TEXT_DEFAULT = ("Alembic writes alter_column(server_default=text('now()')) as bare SQL (server_default=now(),"
                          " a NameError); limbeck writes sa.text('now()')")
    SQLITE_EXPRESSION_INDEX = ("SQLite keeps an expression index's CREATE INDEX in sqlite_master: limbeck compares it; "
                               "Alembic skips it with a warning, so a model's is never created, a dropped one never "
                               "dropped")
    IDENTITY_EXISTING = ("an identity changed in place is written with existing_server_default=sa.Identity(...): "
                         "without it Alembic's file asks PostgreSQL to add an identity the column has "
                         "('is already an identity column')")
    PRIMARY_KEY = ("limbeck compares primary keys (Alembic never does): a model key the table lacks is added "
                   "with create_primary_key")
    ROWID = "SQLite's INTEGER PRIMARY KEY is the rowid, never NULL: its nullability is not compared"
    NUMERIC_DEFAULT = ("MariaDB reports a NUMERIC default in the column's scale ('0.00' for '0'): Alembic reports it "
                       "changed on every run; limbeck compares the numbers")
    FLOAT_DEFAULT = ("MariaDB reports a FLOAT default written 5.0 as '5': Alembic reports it changed on every run; "
                     "limbeck compares the numbers")
    BLANK_DEFAULT = ("an empty string default reads back as '' (SQLite, MariaDB): Alembic reports it changed on every "
                     "run; limbeck compares it equal")
    UNSIGNED = ("a MySQL/MariaDB integer's UNSIGNED added or removed is a change of type: Alembic compares integers "
                "without it, so the models' UNSIGNED (or its removal) never reaches the table")
    CHECKS = "named check constraints are compared (Alembic leaves them out): a changed condition is dropped and added"
    UNRESOLVED_FK = ("Alembic crashes (NoReferencedTableError) rendering create_foreign_key for a foreign key whose "
                     "referred table is not in the model's MetaData; limbeck renders it from the key's spec")
    OTHER_SCHEMAS = ("a model table in a schema that is not compared (include_schemas off, or include_name rejects "
                     "the schema) is not reported as new: Alembic reports it on every run, and its migration creates "
                     "a table that exists")
    UNNAMED_CHECK = ("a model's unnamed check may be the database's under the name the database gave it: limbeck "
                     "keeps the database's checks then (Alembic's check plugin drops them, removing a check the "
                     "models declare)")
    NATIVE_BOOLEAN_CHECK = ("a Boolean(create_constraint=True) has no CHECK where BOOLEAN is native (PostgreSQL; "
                            "SQLAlchemy leaves it out too): Alembic's check plugin adds one, and 'b IN (0, 1)' fails")
    TYPE_BOUND_ADDED = ("a new column's type-bound CHECK (Enum / Boolean create_constraint=True) comes with its "
                        "add_column: Alembic's check plugin adds it again with create_check_constraint, which fails "
                        "(PostgreSQL, MariaDB: the constraint exists; SQLite: no ALTER of constraints)")
    CHECKS_IN_WILDCARD = ("limbeck's check comparison answers to alembic.autogenerate.* (the place Alembic 1.19.0 "
                          "gave its check plugin): with the default list, or one that keeps the wildcard and does "
                          "not exclude it, the changed check is dropped and added (Alembic 1.19.2 leaves it out)")
    BATCH_IF_EXISTS = ("in a batch block Alembic writes batch_op.add_column / drop_column without the record's "
                       "if_not_exists / if_exists (batch_op takes both): the option is dropped silently; limbeck keeps it")
    BATCH_PREFIX = ("Alembic writes a batch block's header as op.batch_alter_table whatever alembic_module_prefix "
                    "says (a NameError where the template binds the operations under that prefix only); limbeck "
                    "writes the prefix there too, as on every other operation")
    UNKNOWN_CONSTRAINT = ("Alembic writes a constraint of a class it has no renderer for as "
                          "[Unknown Python object ...] inside create_table, which is not Python (the revision does not "
                          "import); limbeck leaves it out, with Alembic's warning ('No renderer is established for "
                          "object ...')")
    EXECUTE_EXPR = ("Alembic refuses an op.execute of a SQL expression (NotImplementedError); "
                    "limbeck writes sa.text(...)")


#: case id pattern -> why limbeck deliberately renders something else
LISTED: dict[str, str] = {
    "render.add_primary_key*": Why.NO_RENDERER,
    "render.ctor_create_pk": Why.NO_RENDERER,
    "render.ctor_rename_table*": Why.NO_RENDERER,
    "render.ctor_drop_column_kw": Why.DROPPED_KW,
    "render.ctor_execute_text": Why.EXECUTE_EXPR,
    "render.create_table_unsupported_constraint": Why.UNKNOWN_CONSTRAINT,
    "render.add_column_if_not_exists_batch": Why.BATCH_IF_EXISTS,
    "render.drop_column_if_exists_batch": Why.BATCH_IF_EXISTS,
    "render.code_alembic_prefix_batch": Why.BATCH_PREFIX,
    "render_dialect.nc_added_fk": Why.UNRESOLVED_FK,
    "render.type_pg_json": Why.NESTED_TYPE,
    "render.type_pg_jsonb": Why.NESTED_TYPE,
    "render.type_pg_array": Why.NESTED_TYPE,
    "render.type_pg_array_of_pg": Why.NESTED_TYPE,
    "render.type_pg_hstore": Why.NESTED_TYPE,
    "render.type_pg_array_user_inner": Why.NESTED_TYPE,
    "render.type_user_type_nested_sa_type": Why.NESTED_TYPE,
    "render.type_pg_domain*": Why.DOMAIN_OUTSIDE_PG,
    "render.type_variant_dialect_types": Why.NESTED_TYPE,
    "render.alter_column_pg_type*": Why.NESTED_TYPE,
    "render.alter_column_modify_name_reversed": Why.REVERSED_RENAME,
    "render.alter_column_everything_reversed": Why.REVERSED_RENAME,
    "render.alter_column_modify_default_text": Why.ALTER_TEXT_DEFAULT,
    "render.alter_column_modify_default_text_batch": Why.ALTER_TEXT_DEFAULT,
    "render.alter_column_dialect_kw*": Why.DROPPED_KW,
    "render.alter_column_postgresql_using*": Why.DROPPED_KW,
    # comparison cases: <case id>-<dialect>
    "compare.ix_expression_added-sqlite": Why.SQLITE_EXPRESSION_INDEX,
    "compare.ix_expression_removed-sqlite": Why.SQLITE_EXPRESSION_INDEX,
    "compare.ix_expression_kept-sqlite": Why.SQLITE_EXPRESSION_INDEX,
    "compare.identity_changed_*-postgresql": Why.IDENTITY_EXISTING,
    "compare.pk_column_not_null_unchanged-sqlite": Why.ROWID,
    "compare.nothing_changed_model_one-mariadb": Why.NUMERIC_DEFAULT,
    "compare_suite.model_one_two_no_schema-mariadb": Why.NUMERIC_DEFAULT,
    "compare_suite.server_default_float_integer_to_decimal_*-mariadb": Why.FLOAT_DEFAULT,
    "compare_suite.server_default_float_decimal_*_same-mariadb": Why.FLOAT_DEFAULT,
    "compare_suite.server_default_string_blank-sqlite": Why.BLANK_DEFAULT,
    "compare_suite.server_default_string_blank-mariadb": Why.BLANK_DEFAULT,
    "compare_suite.naming_convention_model*": Why.CHECKS,
    "compare_suite.type_mysql_unsigned_added-mariadb": Why.UNSIGNED,
    "compare_suite.type_mysql_unsigned_dropped-mariadb": Why.UNSIGNED,
    "compare.model_one_to_two*": Why.CHECKS,
    "compare.schemas_*_by_schema_name-postgresql": Why.OTHER_SCHEMAS,
    "compare.schemas_not_included-postgresql": Why.OTHER_SCHEMAS,
    "compare.check_same_name_other_condition_*": Why.CHECKS,
    "compare.check_plugin_off_removed-sqlite": Why.CHECKS,
    "compare.plugins_default-*": Why.CHECKS_IN_WILDCARD,
    "compare.plugins_wildcard-*": Why.CHECKS_IN_WILDCARD,
    "compare.plugins_no_types-*": Why.CHECKS_IN_WILDCARD,
    "compare.plugins_no_constraints-*": Why.CHECKS_IN_WILDCARD,
    "compare.plugins_no_defaults-*": Why.CHECKS_IN_WILDCARD,
    "compare.plugins_no_comments-*": Why.CHECKS_IN_WILDCARD,
    "compare.check_unnamed_same_*-postgresql": Why.UNNAMED_CHECK,
    "compare.check_unnamed_same_table-mariadb": Why.UNNAMED_CHECK,
    "compare.check_unnamed_other_condition_*-postgresql": Why.UNNAMED_CHECK,
    "compare.check_unnamed_other_condition_table-mariadb": Why.UNNAMED_CHECK,
    "compare.check_named_to_unnamed_*": Why.UNNAMED_CHECK,
    "compare.check_type_bound_boolean_no_change-postgresql": Why.NATIVE_BOOLEAN_CHECK,
    "compare.check_type_bound_enum_added_with_column-*": Why.TYPE_BOUND_ADDED,
    "compare.identity_column_added-postgresql": Why.PRIMARY_KEY,
}


def reason(case_id: str) -> str | None:
    for pattern, why in LISTED.items():
        if fnmatchcase(case_id, pattern):
            return why
    return None
