"""What each database keeps that SQLAlchemy's reflection does not return, and how to ask for it.

``limbeck squash`` builds a checkpoint from a reflected database; whatever
reflection cannot see (triggers, functions, views, grants, extensions,
sequences and their positions) must be listed, never silently dropped, and
``check-squash`` compares it between the two ways of building a database.
The catalog queries are per database, so they live here, one
:class:`ObjectCatalog` per registry name; a database without one gets a
warning that nothing could be listed.

Every query runs in the scratch database squash works on, on the default
schema (``current_schema()`` / ``DATABASE()`` / ``main``); each field
says what its rows hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from limbeck.dialects import behaviour_class

__all__ = ["ObjectCatalog", "object_catalog"]


@dataclass(frozen=True)
class ObjectCatalog:
    """Catalog queries of one database for squash and check-squash."""

    #: rows (kind, name): triggers, routines, views, grants, extensions, ... of the default schema
    objects: str | None = None
    #: rows (sequence name, owning table or NULL, owning column or NULL, last value handed out or NULL,
    #: the SQLAlchemy type of its values: Integer, SmallInteger or BigInteger)
    sequences: str | None = None
    #: a statement making ``{value}`` the last value sequence ``{name}`` handed out
    set_sequence: str | None = None
    #: a statement giving sequence ``{name}`` to column ``{table}.{column}`` (dropped with it)
    own_sequence: str | None = None
    #: a statement renaming sequence ``{old}`` to ``{new}``
    rename_sequence: str | None = None
    #: a column default drawing from a sequence; group ``name`` is the sequence
    sequence_default: re.Pattern[str] | None = None
    #: the sequence name the database gives a serial or identity column of ``{table}``.``{column}``
    serial_sequence: str | None = None


# https://www.postgresql.org/docs/current/infoschema-triggers.html,
# https://www.postgresql.org/docs/current/catalog-pg-extension.html (plpgsql is built in)
_POSTGRESQL = ObjectCatalog(
    objects="""
SELECT DISTINCT 'trigger', event_object_table || '.' || trigger_name FROM information_schema.triggers
 WHERE trigger_schema = current_schema()
UNION SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
UNION SELECT 'view', table_name FROM information_schema.views WHERE table_schema = current_schema()
UNION SELECT 'materialized view', matviewname FROM pg_matviews WHERE schemaname = current_schema()
UNION SELECT 'grant', privilege_type || ' ON ' || table_name || ' TO ' || grantee
 FROM information_schema.table_privileges WHERE table_schema = current_schema() AND grantee <> current_user
UNION SELECT 'extension', extname FROM pg_extension WHERE extname <> 'plpgsql'
UNION SELECT 'domain', domain_name FROM information_schema.domains WHERE domain_schema = current_schema()
UNION SELECT 'policy', tablename || '.' || policyname FROM pg_policies WHERE schemaname = current_schema()
ORDER BY 1, 2""",
    sequences="""
SELECT s.sequencename, t.relname, a.attname, s.last_value,
 CASE s.data_type WHEN 'integer'::regtype THEN 'Integer' WHEN 'smallint'::regtype THEN 'SmallInteger'
  ELSE 'BigInteger' END
 FROM pg_sequences s
 JOIN pg_namespace n ON n.nspname = s.schemaname
 JOIN pg_class c ON c.relname = s.sequencename AND c.relnamespace = n.oid
 LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass
  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
 LEFT JOIN pg_class t ON t.oid = d.refobjid
 LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
 WHERE s.schemaname = current_schema()
ORDER BY 1""",
    set_sequence="SELECT setval('{name}', {value})",
    own_sequence="ALTER SEQUENCE {name} OWNED BY {table}.{column}",
    rename_sequence="ALTER SEQUENCE {old} RENAME TO {new}",
    sequence_default=re.compile(r"nextval\('(?P<name>[^']+)'(?:::regclass)?\)"),
    serial_sequence="{table}_{column}_seq",
)

# https://mariadb.com/kb/en/information-schema-triggers-table/ (and ROUTINES, VIEWS, EVENTS, TABLE_PRIVILEGES)
_MYSQL = ObjectCatalog(
    objects="""
SELECT 'trigger', CONCAT(EVENT_OBJECT_TABLE, '.', TRIGGER_NAME) FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = DATABASE()
UNION SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
UNION SELECT 'view', TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()
UNION SELECT 'event', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()
UNION SELECT 'grant', CONCAT(PRIVILEGE_TYPE, ' ON ', TABLE_NAME, ' TO ', GRANTEE)
 FROM information_schema.TABLE_PRIVILEGES WHERE TABLE_SCHEMA = DATABASE()
ORDER BY 1, 2""",
)

# https://www.sqlite.org/schematab.html
_SQLITE = ObjectCatalog(
    objects="SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY 1, 2",
)

_CATALOGS: dict[str, ObjectCatalog] = {
    "postgresql": _POSTGRESQL,
    "mysql": _MYSQL,
    "sqlite": _SQLITE,
}


def object_catalog(name: str) -> ObjectCatalog | None:
    """The catalog queries of the database with registry name *name* (MariaDB shares MySQL's)."""
    for cls in behaviour_class(name).__mro__:
        found = _CATALOGS.get(str(getattr(cls, "name", "")))
        if found is not None:
            return found
    return None
