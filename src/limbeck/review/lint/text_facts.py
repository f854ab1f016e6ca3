"""Facts of a plain-text statement, read from a syntax tree.

On a database whose validator is PostgreSQL's own parser (pglast, see
``statement_validator`` in :mod:`limbeck.dialects.base`) the text is parsed
with it when it is installed: that reads every statement PostgreSQL reads
(``REINDEX``, ``TRUNCATE``, ``SET lock_timeout``, ``ADD COLUMN ...
REFERENCES``...) exactly as the server will. Elsewhere, or without pglast,
sqlglot parses the text in the target dialect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.sql.elements import TextClause

from limbeck.dialects import behaviour_class
from limbeck.review.lint import facts as f
from limbeck.review.describe import short
from limbeck.review.validate import parser_for, plpgsql_language, quiet_sqlglot, sqlglot_dialect

#: PostgreSQL functions whose value differs per row (``pg_proc.provolatile = 'v'``):
#: a column added with one as its default is filled row by row, rewriting the
#: table. ``now()`` and the other STABLE functions are evaluated once (PG >= 11).
VOLATILE_FUNCTIONS = frozenset({
    "random", "random_normal", "gen_random_uuid", "uuidv4", "uuidv7", "uuid_generate_v1", "uuid_generate_v1mc",
    "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "setseed", "txid_current", "gen_random_bytes",
})


def text_of(element: Any) -> str | None:
    if isinstance(element, str):
        return element
    if isinstance(element, TextClause):
        return element.text
    return None


def _uses_pglast(dialect: str) -> bool:
    return parser_for(dialect) == "pglast"


class UnreadableText(ValueError):
    """A statement given as text that the parser cannot read, so no rule can check it.

    ``certain``: PostgreSQL's own parser refused it (the database would too);
    otherwise sqlglot, a lenient reader, did not know it (the database may).
    """

    def __init__(self, message: str, *, certain: bool) -> None:
        super().__init__(message)
        self.certain = certain


def from_text(text: str, dialect: str) -> list[f.Fact]:
    """Every change ``text`` makes.

    Raises:
        UnreadableText: the parser cannot read it (lint says so: LB000).
    """
    if _uses_pglast(dialect):
        return _from_pglast(text)
    # what the server runs: sqlglot keeps MySQL's /*! ... */ as a comment, the server runs its body
    return _from_sqlglot(behaviour_class(dialect).server_text(text), dialect)


def volatile_default(texts: Sequence[str], dialect: str) -> str | None:
    """The volatile function in the DEFAULT of an ``ADD COLUMN`` text, if any."""
    for text in texts:
        try:
            found = from_text(text, dialect)
        except UnreadableText:
            continue  # reported as LB000 by the statement's own reading
        for fact in found:
            if fact.action == f.ADD_COLUMN and fact.volatile:
                return fact.volatile
    return None


# -- PostgreSQL's own parser ------------------------------------------------------------
def _from_pglast(text: str) -> list[f.Fact]:
    # pglast (the optional postgresql extra) only for PostgreSQL statements given as text
    from pglast import parse_sql
    from pglast.parser import ParseError

    try:
        statements = parse_sql(text)
    except ParseError as err:
        raise UnreadableText(f"PostgreSQL's parser cannot read it: {err}", certain=True) from None
    out: list[f.Fact] = []
    for raw in statements:
        kind = type(raw.stmt).__name__
        start = raw.stmt_location or 0  # pglast gives characters, not libpg_query's bytes
        piece = text[start : start + raw.stmt_len if raw.stmt_len else len(text)].strip()
        if kind == "DoStmt":
            found = _pg_do(raw.stmt, piece)
        elif kind == "CallStmt":
            found = [f.Fact(f.UNREAD, None, name="CALL runs a procedure whose body is not in the script")]
        else:
            handler = _PG_HANDLERS.get(kind)
            found = list(handler(raw.stmt)) if handler is not None else []
        if len(statements) > 1:
            found = [fact if fact.source else replace(fact, source=piece) for fact in found]
        out.extend(found)
    return out


#: PL/pgSQL statements whose SQL is a string built when the block runs
_DYNAMIC = {"PLpgSQL_stmt_dynexecute": "EXECUTE", "PLpgSQL_stmt_dynfors": "FOR ... IN EXECUTE"}


def _pg_do(stmt: Any, text: str) -> list[f.Fact]:
    """The facts of the SQL a DO block runs, read by PL/pgSQL's own parser; what it builds at run time is UNREAD."""
    from pglast.parser import ParseError, parse_plpgsql_json

    if not plpgsql_language(stmt):
        language = next((o.arg.sval for o in stmt.args or () if o.defname == "language"), "another language")
        return [f.Fact(f.UNREAD, None, name=f"a DO block in {language}")]
    try:
        functions = json.loads(parse_plpgsql_json(text))
    except ParseError as err:
        raise UnreadableText(f"PL/pgSQL's parser cannot read it: {err}", certain=True) from None
    out: list[f.Fact] = []
    for kind, node in _plpgsql_nodes(functions):
        if kind in _DYNAMIC:
            out.append(f.Fact(f.UNREAD, None, name=f"a DO block's {_DYNAMIC[kind]} of a string built at run time"))
        elif kind == "PLpgSQL_stmt_call":
            out.append(f.Fact(f.UNREAD, None, name="a DO block's CALL runs a procedure whose body is not in the script"))
        elif kind == "PLpgSQL_stmt_execsql":
            query = node["sqlstmt"]["PLpgSQL_expr"]["query"]
            try:
                inner = _from_pglast(query)
            except UnreadableText:
                inner = [f.Fact(f.UNREAD, None, name=f"a DO block's {short(query, 40)}")]
            out.extend(replace(fact, source=fact.source or query, in_block=True) for fact in inner)
    return out


def _plpgsql_nodes(tree: Any) -> Iterator[tuple[str, Any]]:
    """Every PL/pgSQL statement node below ``tree`` (PL/pgSQL's parse tree as JSON), in order."""
    if isinstance(tree, list):
        for item in tree:
            yield from _plpgsql_nodes(item)
    elif isinstance(tree, dict):
        for key, value in tree.items():
            if key.startswith("PLpgSQL_stmt_"):
                yield key, value
            yield from _plpgsql_nodes(value)


def _rel(node: Any) -> str | None:
    """A relation's name, with its schema where the text gives one (``archive.accounts`` is not ``accounts``)."""
    if node is None:
        return None
    return f"{node.schemaname}.{node.relname}" if getattr(node, "schemaname", None) else node.relname


def _volatile_call(node: Any) -> str | None:
    """The first volatile function called anywhere below ``node``."""
    # pglast only when installed and asked (see _from_pglast)
    from pglast import ast
    from pglast.visitors import Visitor

    found: list[str] = []

    class Calls(Visitor):
        def visit_FuncCall(self, ancestors: Any, call: Any) -> None:
            name = call.funcname[-1].sval.lower()
            if name in VOLATILE_FUNCTIONS:
                found.append(name)

    if isinstance(node, ast.Node):
        Calls()(node)
    return found[0] if found else None


def _pg_constraint(con: Any) -> str | None:
    # pglast only when installed and asked (see _from_pglast)
    from pglast.enums import ConstrType

    return {
        ConstrType.CONSTR_FOREIGN: f.FOREIGN_KEY, ConstrType.CONSTR_CHECK: f.CHECK,
        ConstrType.CONSTR_UNIQUE: f.UNIQUE, ConstrType.CONSTR_PRIMARY: f.PRIMARY_KEY,
        ConstrType.CONSTR_EXCLUSION: f.EXCLUDE,
    }.get(con.contype)


def _pg_add_column(table: str | None, col: Any) -> f.Fact:
    # pglast only when installed and asked (see _from_pglast)
    from pglast.enums import ConstrType

    constraints = col.constraints or ()
    kinds = {c.contype for c in constraints}
    default = next((c.raw_expr for c in constraints if c.contype == ConstrType.CONSTR_DEFAULT), None)
    references = next((_rel(c.pktable) for c in constraints if c.contype == ConstrType.CONSTR_FOREIGN), None)
    key = f.PRIMARY_KEY if ConstrType.CONSTR_PRIMARY in kinds else f.UNIQUE if ConstrType.CONSTR_UNIQUE in kinds else None
    generated = ConstrType.CONSTR_GENERATED in kinds  # a stored generated column is computed row by row
    # a serial or identity column numbers the existing rows: each gets its own value, a rewrite
    numbered = ConstrType.CONSTR_IDENTITY in kinds or _type_name(col) in _SERIALS
    volatile = _volatile_call(default) or ("generated" if generated else "nextval" if numbered else None)
    return f.Fact(
        f.ADD_COLUMN, table, col.colname, nullable=ConstrType.CONSTR_NOTNULL not in kinds and key != f.PRIMARY_KEY,
        has_default=default is not None or generated or numbered, volatile=volatile,
        references=references, constraint=key,
    )


_SERIALS = {"smallserial", "serial", "bigserial", "serial2", "serial4", "serial8"}


def _type_name(col: Any) -> str:
    names = getattr(getattr(col, "typeName", None), "names", None) or ()
    last = names[-1] if names else None
    return str(getattr(last, "sval", "") or "").lower()


def _pg_alter(stmt: Any) -> list[f.Fact]:
    # pglast only when installed and asked (see _from_pglast)
    from pglast.enums import AlterTableType as T
    from pglast.enums import ObjectType

    if stmt.objtype != ObjectType.OBJECT_TABLE:
        return []
    table = _rel(stmt.relation)
    out = []
    for cmd in stmt.cmds or ():
        sub = cmd.subtype
        if sub == T.AT_AddColumn:
            out.append(_pg_add_column(table, cmd.def_))
        elif sub == T.AT_DropColumn:
            out.append(f.Fact(f.DROP_COLUMN, table, cmd.name))
        elif sub == T.AT_AlterColumnType:
            out.append(f.Fact(f.CHANGE_TYPE, table, cmd.name))
        elif sub == T.AT_SetNotNull:
            out.append(f.Fact(f.SET_NOT_NULL, table, cmd.name, nullable=False))
        elif sub == T.AT_AddConstraint:
            con = cmd.def_
            out.append(f.Fact(
                f.ADD_CONSTRAINT, table, constraint=_pg_constraint(con), not_valid=bool(con.skip_validation),
                using_index=bool(con.indexname), references=_rel(con.pktable),
            ))
        elif sub == T.AT_ValidateConstraint:
            out.append(f.Fact(f.VALIDATE_CONSTRAINT, table))
        elif sub.name in _REWRITES:
            out.append(f.Fact(f.REWRITE_TABLE, table))
        else:  # ACCESS EXCLUSIVE unless the form is known to take less (ALTER TABLE's Notes)
            out.append(f.Fact(f.ALTER_TABLE, table, cmd.name, lock_mode=_ALTER_LOCKS.get(sub.name)))
    return out


#: ALTER TABLE forms that take less than ACCESS EXCLUSIVE (each checked on the server: test_plan_locks.py)
_ALTER_LOCKS = {
    **dict.fromkeys(
        ("AT_EnableTrig", "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig", "AT_DisableTrig", "AT_EnableTrigAll",
         "AT_DisableTrigAll", "AT_EnableTrigUser", "AT_DisableTrigUser"), f.SHARE_ROW_EXCLUSIVE),
    **dict.fromkeys(
        ("AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions", "AT_ClusterOn", "AT_DropCluster"), f.SHARE_UPDATE_EXCLUSIVE),
}

#: ALTER TABLE forms that write every row into new files (ALTER TABLE's Notes; ALTER COLUMN TYPE is CHANGE_TYPE)
_REWRITES = frozenset({"AT_SetLogged", "AT_SetUnLogged", "AT_SetTableSpace", "AT_SetAccessMethod"})


def _pg_drop(stmt: Any) -> list[f.Fact]:
    # pglast only when installed and asked (see _from_pglast)
    from pglast.enums import DropBehavior, ObjectType

    kind, cascade = stmt.removeType, stmt.behavior == DropBehavior.DROP_CASCADE
    if kind in (ObjectType.OBJECT_TYPE, ObjectType.OBJECT_DOMAIN):
        types = [".".join(part.sval for part in obj.names) for obj in stmt.objects or ()]
        return [f.Fact(f.DROP_TYPE, None, name=name, cascade=cascade) for name in types]
    # a schema is a String; a table or an index a list of them (schema first when given)
    names = [getattr(obj, "sval", None) or ".".join(part.sval for part in obj) for obj in stmt.objects or ()]
    if kind == ObjectType.OBJECT_TABLE:
        # with its schema: archive.account is not the account the change created
        return [f.Fact(f.DROP_TABLE, name) for name in names]
    if kind == ObjectType.OBJECT_INDEX:
        return [f.Fact(f.DROP_INDEX, None, index=name.rsplit(".", 1)[-1], concurrently=bool(stmt.concurrent)) for name in names]
    if kind == ObjectType.OBJECT_SCHEMA:
        return [f.Fact(f.DROP_SCHEMA, None, name=name, cascade=cascade) for name in names]
    if kind in (ObjectType.OBJECT_TRIGGER, ObjectType.OBJECT_POLICY, ObjectType.OBJECT_RULE):
        # [schema.]table.name: the table's ACCESS EXCLUSIVE lock
        return [f.Fact(f.TABLE_OBJECT, name.rsplit(".", 1)[0], lock_mode=f.ACCESS_EXCLUSIVE) for name in names]
    return []


def _on_table(mode: str, node: Any) -> list[f.Fact]:
    return [f.Fact(f.TABLE_OBJECT, _rel(node), lock_mode=mode)]


def _pg_comment(stmt: Any) -> list[f.Fact]:
    # pglast only when installed and asked (see _from_pglast)
    from pglast.enums import ObjectType

    parts = [part.sval for part in stmt.object] if isinstance(stmt.object, tuple) else []
    if stmt.objtype == ObjectType.OBJECT_TABLE and parts:
        return [f.Fact(f.TABLE_OBJECT, ".".join(parts), lock_mode=f.SHARE_UPDATE_EXCLUSIVE)]
    if stmt.objtype == ObjectType.OBJECT_COLUMN and len(parts) > 1:
        return [f.Fact(f.TABLE_OBJECT, ".".join(parts[:-1]), lock_mode=f.SHARE_UPDATE_EXCLUSIVE)]
    return []


def _pg_vacuum(stmt: Any) -> list[f.Fact]:
    """VACUUM (not in a transaction block; FULL rewrites) or ANALYZE, of each table named or of every one."""
    options = {option.defname for option in stmt.options or ()}
    vacuum = bool(stmt.is_vacuumcmd)
    word = ("VACUUM FULL" if "full" in options else "VACUUM") if vacuum else None
    tables = [_rel(rel.relation) for rel in stmt.rels or ()] or [None]
    return [f.Fact(f.VACUUM, table, full=vacuum and "full" in options, no_transaction=word) for table in tables]


#: pglast's LockStmt.mode (PostgreSQL's lock numbers, 1 to 8) -> the mode's name
_PG_LOCK_MODES = dict(enumerate(reversed(f.LOCK_MODES), start=1))


def _pg_lock(stmt: Any) -> list[f.Fact]:
    return [f.Fact(f.LOCK, _rel(rel), lock_mode=_PG_LOCK_MODES[int(stmt.mode)]) for rel in stmt.relations or ()]


def _pg_created(stmt: Any) -> list[f.Fact]:
    """CREATE TABLE AS, CREATE MATERIALIZED VIEW, SELECT INTO: a relation the change makes."""
    into = getattr(stmt, "into", None) or getattr(stmt, "intoClause", None)
    return [f.Fact(f.CREATE_TABLE, _rel(into.rel))] if into is not None else []


def _pg_rename(stmt: Any) -> list[f.Fact]:
    # pglast only when installed and asked (see _from_pglast)
    from pglast.enums import ObjectType

    kind = stmt.renameType
    if kind == ObjectType.OBJECT_TABLE:
        return [f.Fact(f.RENAME_TABLE, _rel(stmt.relation), new_name=stmt.newname)]
    if kind == ObjectType.OBJECT_COLUMN and stmt.relationType == ObjectType.OBJECT_TABLE:
        return [f.Fact(f.RENAME_COLUMN, _rel(stmt.relation), stmt.subname, new_name=stmt.newname)]
    if kind == ObjectType.OBJECT_INDEX:
        return [f.Fact(f.RENAME_INDEX, None, index=_rel(stmt.relation), new_name=stmt.newname)]
    return []


def _pg_reindex(stmt: Any) -> list[f.Fact]:
    # pglast only when installed and asked (see _from_pglast)
    from pglast.enums import ReindexObjectType

    concurrently = any(p.defname == "concurrently" for p in stmt.params or ())
    if stmt.kind == ReindexObjectType.REINDEX_OBJECT_INDEX:
        return [f.Fact(f.REINDEX, None, index=_rel(stmt.relation), concurrently=concurrently)]
    return [f.Fact(f.REINDEX, _rel(stmt.relation) or stmt.name, concurrently=concurrently)]


def _pg_set(stmt: Any) -> list[f.Fact]:
    # VariableSetKind: 0 SET value, 1 SET ... TO DEFAULT, 4 RESET name, 5 RESET ALL
    kind = int(stmt.kind)
    name = "*" if kind == 5 else (stmt.name or "").lower()
    unset = kind in (1, 4, 5) or (kind == 0 and _all_zero(stmt.args))
    return [f.Fact(f.SET, None, setting=name, local=bool(stmt.is_local), unset=unset)]


def _all_zero(args: Any) -> bool:
    """``SET x = 0`` / ``'0'`` / ``'0ms'``: for a timeout, none at all."""
    values = [getattr(getattr(arg, "val", None), "ival", None) for arg in args or ()]
    values += [getattr(getattr(arg, "val", None), "sval", None) for arg in args or ()]
    texts = [str(v).strip().lower() for v in values if v is not None]
    return bool(texts) and all(re.fullmatch(r"0+(?:\.0*)?\s*(?:us|ms|s|min|h|d)?", t) is not None for t in texts)


def _pg_truncate(stmt: Any) -> list[f.Fact]:
    # pglast only when installed and asked (see _from_pglast)
    from pglast.enums import DropBehavior

    cascade = stmt.behavior == DropBehavior.DROP_CASCADE
    return [f.Fact(f.TRUNCATE, _rel(rel), cascade=cascade) for rel in stmt.relations or ()]


_PG_HANDLERS: dict[str, Callable[[Any], Iterable[f.Fact]]] = {
    "CreateStmt": lambda s: [f.Fact(f.CREATE_TABLE, _rel(s.relation))],
    "IndexStmt": lambda s: [
        f.Fact(f.CREATE_INDEX, _rel(s.relation), unique=bool(s.unique), concurrently=bool(s.concurrent), index=s.idxname)
    ],
    "AlterTableStmt": _pg_alter,
    "DropStmt": _pg_drop,
    "RenameStmt": _pg_rename,
    "ReindexStmt": _pg_reindex,
    "VariableSetStmt": _pg_set,
    "TruncateStmt": _pg_truncate,
    # a query (not SELECT ... INTO, which creates a table)
    "SelectStmt": lambda s: _pg_created(s) if s.intoClause is not None else [f.Fact(f.SELECT, None)],
    "CreateTableAsStmt": _pg_created,
    "LockStmt": _pg_lock,
    # CLUSTER alone reclusters every table, and not inside a transaction block
    "ClusterStmt": lambda s: [f.Fact(f.CLUSTER, _rel(s.relation), no_transaction=None if s.relation else "CLUSTER without a table")],
    "VacuumStmt": _pg_vacuum,
    "CreateTrigStmt": lambda s: _on_table(f.SHARE_ROW_EXCLUSIVE, s.relation),
    "CreatePolicyStmt": lambda s: _on_table(f.ACCESS_EXCLUSIVE, s.table),
    "AlterPolicyStmt": lambda s: _on_table(f.ACCESS_EXCLUSIVE, s.table),
    "RuleStmt": lambda s: _on_table(f.ACCESS_EXCLUSIVE, s.relation),
    "CreateStatsStmt": lambda s: [f.Fact(f.TABLE_OBJECT, _rel(rel), lock_mode=f.SHARE_UPDATE_EXCLUSIVE)
                                  for rel in s.relations or () if hasattr(rel, "relname")],
    "CommentStmt": _pg_comment,
    "CreatedbStmt": lambda s: [f.Fact(f.UTILITY, None, no_transaction="CREATE DATABASE")],
    "DropdbStmt": lambda s: [f.Fact(f.UTILITY, None, no_transaction="DROP DATABASE")],
    "AlterSystemStmt": lambda s: [f.Fact(f.UTILITY, None, no_transaction="ALTER SYSTEM")],
    "CreateTableSpaceStmt": lambda s: [f.Fact(f.UTILITY, None, no_transaction="CREATE TABLESPACE")],
    "DropTableSpaceStmt": lambda s: [f.Fact(f.UTILITY, None, no_transaction="DROP TABLESPACE")],
    "RefreshMatViewStmt": lambda s: [
        f.Fact(f.REFRESH_VIEW, _rel(s.relation), concurrently=bool(s.concurrent), no_data=bool(s.skipData))
    ],
}


# -- sqlglot, in the target dialect -----------------------------------------------------
def _from_sqlglot(text: str, dialect: str) -> list[f.Fact]:
    # sqlglot only for statements given as text that pglast does not read
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        with quiet_sqlglot():
            trees = [t for t in sqlglot.parse(text, read=sqlglot_dialect(dialect)) if t is not None]
    except (ParseError, TokenError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UnreadableText(f"sqlglot cannot read it: {first}", certain=False) from None
    facts: list[f.Fact] = []
    for tree in trees:
        kind = str(tree.args.get("kind", "")).upper()
        if isinstance(tree, exp.Drop) and kind == "TABLE":
            facts.extend(f.Fact(f.DROP_TABLE, t.name) for t in tree.args.get("tables") or [tree.this] if t is not None)
        elif isinstance(tree, exp.Drop) and kind == "INDEX":
            facts.append(f.Fact(f.DROP_INDEX, None, index=tree.this.name if tree.this is not None else None,
                                concurrently=bool(tree.args.get("concurrently"))))
        elif isinstance(tree, exp.Create) and kind == "INDEX":
            index = tree.this
            table = index.args.get("table") if isinstance(index, exp.Index) else None
            facts.append(
                f.Fact(f.CREATE_INDEX, table.name if table is not None else None, unique=bool(tree.args.get("unique")),
                       concurrently=bool(tree.args.get("concurrently")))
            )
        elif isinstance(tree, exp.Create) and kind == "TABLE":
            facts.append(f.Fact(f.CREATE_TABLE, tree.this.name if tree.this is not None else None))
        elif isinstance(tree, exp.Alter) and kind == "TABLE":
            facts.extend(_from_alter_tree(tree))
        elif isinstance(tree, exp.TruncateTable):
            cascade = str(tree.args.get("option") or "").upper() == "CASCADE"
            facts.extend(f.Fact(f.TRUNCATE, t.name, cascade=cascade) for t in tree.expressions)
        elif isinstance(tree, exp.Alter) and kind == "INDEX" and any(isinstance(a, exp.AlterRename) for a in tree.args.get("actions") or []):
            facts.append(f.Fact(f.RENAME_INDEX, None, index=tree.this.name if tree.this is not None else None))
        elif isinstance(tree, exp.Query) and tree.find(exp.Into) is None:
            facts.append(f.Fact(f.SELECT, None))
    return facts


def _from_alter_tree(tree: Any) -> list[f.Fact]:
    # sqlglot only for text statements (see _from_sqlglot)
    from sqlglot import exp

    table = tree.this.name if tree.this is not None else None
    not_valid = bool(tree.args.get("not_valid"))
    handlers: dict[type, Callable[[Any], f.Fact | None]] = {
        exp.Drop: lambda a: f.Fact(f.DROP_COLUMN, table, _first_name(a)) if str(a.args.get("kind", "")).upper() == "COLUMN" else None,
        exp.RenameColumn: lambda a: f.Fact(f.RENAME_COLUMN, table, a.this.name, new_name=a.args["to"].name),
        exp.AlterRename: lambda a: f.Fact(f.RENAME_TABLE, table, new_name=a.this.name),
        exp.AlterColumn: lambda a: _alter_column_tree(table, a),
        exp.AddConstraint: lambda a: f.Fact(f.ADD_CONSTRAINT, table, constraint=_tree_constraint(a), not_valid=not_valid),
        exp.ColumnDef: lambda a: f.Fact(
            f.ADD_COLUMN, table, a.name, nullable=not a.find(exp.NotNullColumnConstraint),
            has_default=bool(a.find(exp.DefaultColumnConstraint)),
            volatile=_sqlglot_volatile(a.find(exp.DefaultColumnConstraint)),
            references=_sqlglot_reference(a),
        ),
    }
    facts: list[f.Fact] = []
    for action in tree.args.get("actions") or []:
        handler = handlers.get(type(action))
        fact = handler(action) if handler is not None else f.Fact(f.ALTER_TABLE, table)
        if fact is not None:
            facts.append(fact)
    return facts


def _sqlglot_volatile(default: Any) -> str | None:
    # sqlglot only for text statements (see _from_sqlglot)
    from sqlglot import exp

    if default is None:
        return None
    for func in default.find_all(exp.Func):
        name = (func.name if isinstance(func, exp.Anonymous) else func.sql_name()).lower()
        if name in VOLATILE_FUNCTIONS or (isinstance(func, exp.Rand)):
            return name or "random"
    return None


def _sqlglot_reference(column: Any) -> str | None:
    # sqlglot only for text statements (see _from_sqlglot)
    from sqlglot import exp

    ref = column.find(exp.Reference)
    table = ref.find(exp.Table) if ref is not None else None
    return table.name if table is not None else None


def _first_name(drop: Any) -> str | None:
    targets = drop.args.get("tables") or []
    return targets[0].name if targets else None


def _alter_column_tree(table: str | None, action: Any) -> f.Fact | None:
    if action.args.get("dtype") is not None:
        return f.Fact(f.CHANGE_TYPE, table, action.this.name)
    if action.args.get("allow_null") is False:
        return f.Fact(f.SET_NOT_NULL, table, action.this.name, nullable=False)
    return f.Fact(f.ALTER_TABLE, table, action.this.name)


def _tree_constraint(action: Any) -> str | None:
    # sqlglot only for text statements (see _from_sqlglot)
    from sqlglot import exp

    for klass, kind in (
        (exp.ForeignKey, f.FOREIGN_KEY),
        (exp.CheckColumnConstraint, f.CHECK),
        (exp.UniqueColumnConstraint, f.UNIQUE),
        (exp.PrimaryKey, f.PRIMARY_KEY),
    ):
        if action.find(klass) is not None:
            return kind
    return None
