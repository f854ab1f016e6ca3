"""The review tools on a multi-database project (``limbeck init --template multidb``).

Its env.py configures one migration context per database and, offline, opens
``<name>.sql`` for each as its output: ``sql --output-dir`` writes each
database's files apart, ``plan`` counts each revision once per database, and
neither may leave env.py's own files silently emptied.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.errors import ManifestMismatch

#: each database's functions, as the template writes them with `pass`, and what the tests put there
BODIES = {
    "upgrade_engine1": "op.create_table({t1!r}, sa.Column('id', sa.Integer, primary_key=True))",
    "downgrade_engine1": "op.drop_table({t1!r})",
    "upgrade_engine2": "op.create_table({t2!r}, sa.Column('id', sa.Integer, primary_key=True))\n"
                       "    op.execute('INSERT INTO {t2} (id) VALUES (1)')",
    "downgrade_engine2": "op.drop_table({t2!r})",
}

#: (revision, message, engine1's table, engine2's table), each revising the one before
HISTORY = [("a1", "one", "t1", "u1"), ("b2", "two", "t2", "u2")]


@pytest.fixture
def multidb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """A multidb project with two SQLite databases, the current folder at its root (env.py writes there)."""
    root = tmp_path / "proj"
    root.mkdir()
    config = Config(str(root / "limbeck.ini"), stdout=io.StringIO())
    command.init(config, str(root / "migrations"), template="multidb")
    env = root / "migrations" / "env.py"
    env.write_text(env.read_text().replace("    fileConfig(config.config_file_name)", "    pass"))
    monkeypatch.chdir(root)
    for rev, message, t1, t2 in HISTORY:  # the template's own revision files
        path = Path(command.revision(Config(str(root / "limbeck.ini"), stdout=io.StringIO()), message, rev_id=rev).path)
        text = path.read_text()
        for function, body in BODIES.items():
            text = text.replace(f"def {function}() -> None:\n    pass", f"def {function}() -> None:\n    {body.format(t1=t1, t2=t2)}")
        path.write_text(text)
    return Config(str(root / "limbeck.ini"), stdout=io.StringIO())


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)).replace(os.sep, "/"): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def test_sql_writes_each_database_apart(multidb: Config, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command.sql(multidb, None, str(out))
    written = _files(out)
    per_database = [
        "0001_a1_one.upgrade.sql", "0001_a1_one.rollback.sql", "0002_b2_two.upgrade.sql", "0002_b2_two.rollback.sql",
        "upgrade.sql", "rollback.sql",
    ]
    assert sorted(written) == sorted(["MANIFEST.limbeck"] + [f"sqlite/{db}/{n}" for db in ("engine1", "engine2") for n in per_database])
    # each database's files hold its own statements only
    assert "CREATE TABLE t1" in written["sqlite/engine1/0001_a1_one.upgrade.sql"]
    assert "u1" not in written["sqlite/engine1/0001_a1_one.upgrade.sql"]
    assert "CREATE TABLE u2" in written["sqlite/engine2/0002_b2_two.upgrade.sql"]
    assert "t2" not in written["sqlite/engine2/0002_b2_two.upgrade.sql"]
    assert written["sqlite/engine2/rollback.sql"].count("DROP TABLE") == 2
    assert "DROP TABLE t" not in written["sqlite/engine2/rollback.sql"]
    # a database's combined script is its per-revision files in order, and what `upgrade --sql` writes for it
    for db in ("engine1", "engine2"):
        combined = written[f"sqlite/{db}/upgrade.sql"]
        assert combined == "".join(written[f"sqlite/{db}/{n}"] for n in per_database if n.endswith(".upgrade.sql") and n[0] == "0")
    command.upgrade(Config(multidb.config_file_name, stdout=io.StringIO()), "base:head", sql=True)
    assert Path("engine1.sql").read_text() == written["sqlite/engine1/upgrade.sql"]
    assert Path("engine2.sql").read_text() == written["sqlite/engine2/upgrade.sql"]


def test_per_revision_framing_per_database(multidb: Config, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command.sql(multidb, "base:head", str(out), ["postgresql"])
    written = _files(out)
    first = written["postgresql/engine2/0001_a1_one.upgrade.sql"]
    assert first.startswith("BEGIN;\n\nCREATE TABLE alembic_version")
    assert "CREATE TABLE u1" in first and "INSERT INTO u1 (id) VALUES (1);" in first and "t1" not in first
    assert first.endswith("COMMIT;\n\n")
    second = written["postgresql/engine1/0002_b2_two.upgrade.sql"]
    assert second.startswith("BEGIN;\n\n-- Running upgrade a1 -> b2")
    assert "CREATE TABLE alembic_version" not in second and "u2" not in second


def test_verify_follows_each_database(multidb: Config, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command.sql(multidb, None, str(out))
    command.verify(Config(multidb.config_file_name, stdout=io.StringIO()), str(out))
    revision = Path("migrations/versions/b2_two.py")
    text = revision.read_text()
    assert "op.create_table('u2'" in text
    revision.write_text(text.replace("op.create_table('u2'", "op.create_table('u3'"))
    with pytest.raises(ManifestMismatch, match="b2_two.py: revision file changed since approval"):
        command.verify(Config(multidb.config_file_name, stdout=io.StringIO()), str(out))


def test_manifest_lists_each_revision_source_once(multidb: Config, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command.sql(multidb, None, str(out))
    sources = [line.split()[-1] for line in (out / "MANIFEST.limbeck").read_text().splitlines() if line.startswith("source ")]
    assert sources == ["versions/a1_one.py", "versions/b2_two.py"]


def test_plan_counts_each_revision_once_per_database(multidb: Config) -> None:
    command.plan(multidb, None, format="json")
    stream = multidb.stdout
    assert isinstance(stream, io.StringIO)
    plan = json.loads(stream.getvalue())
    rows = [(r["database"], r["revision"], r["statements"]) for r in plan["revisions"]]
    assert rows == [
        ("engine1", "a1", {"ddl": 1, "dml": 0, "version": 2}),
        ("engine1", "b2", {"ddl": 1, "dml": 0, "version": 1}),
        ("engine2", "a1", {"ddl": 1, "dml": 1, "version": 2}),
        ("engine2", "b2", {"ddl": 1, "dml": 1, "version": 1}),
    ]
    assert [r["upgrade_file"] for r in plan["revisions"]] == [
        "sqlite/engine1/0001_a1_one.upgrade.sql", "sqlite/engine1/0002_b2_two.upgrade.sql",
        "sqlite/engine2/0001_a1_one.upgrade.sql", "sqlite/engine2/0002_b2_two.upgrade.sql",
    ]
    assert plan["databases"] == ["engine1", "engine2"]
    # each database's statements were validated on its own database: every one ran
    assert [r["validation"] for r in plan["revisions"]] == [
        {"executed (sqlite)": 3}, {"executed (sqlite)": 2}, {"executed (sqlite)": 4}, {"executed (sqlite)": 3},
    ]


def test_plan_markdown_labels_each_database(multidb: Config) -> None:
    command.plan(multidb, None)
    stream = multidb.stdout
    assert isinstance(stream, io.StringIO)
    text = stream.getvalue()
    assert "- Revisions: 2 in each of 2 databases (engine1, engine2); statements: 4 DDL, 2 DML, 6 version table" in text
    assert "| 1 | `a1` (engine1) | base | one | 1 | 0 | 2 |" in text
    assert "| 4 | `b2` (engine2) | a1 | two | 1 | 1 | 1 |" in text
    assert "- `b2` (engine2): `sqlite/engine2/0002_b2_two.upgrade.sql`, `sqlite/engine2/0002_b2_two.rollback.sql`" in text


def test_env_py_output_files_are_named(multidb: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """env.py opens <name>.sql for writing whenever it runs offline; the review commands say what that leaves."""
    Path("engine1.sql").write_text("kept?\n")
    command.sql(multidb, None, str(tmp_path / "out"))
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"WARNING: env.py opened {name}.sql for its own offline output, emptying it; this run renders in memory "
        "and writes nothing there (limbeck upgrade --sql writes it)"
        for name in ("engine1", "engine2")
    ]
    assert Path("engine1.sql").read_text() == ""
    # plan (and lint, verify) run env.py offline too: the same line, once per file for a Config
    command.plan(Config(multidb.config_file_name, stdout=io.StringIO()), None)
    assert capsys.readouterr().err.count("WARNING: env.py opened ") == 2


def test_each_database_in_its_own_dialect(multidb: Config, tmp_path: Path) -> None:
    """Without --dialect each database's files go under the dialect of its own URL."""
    ini = Path("limbeck.ini")
    ini.write_text(ini.read_text().replace("sqlite:///%(here)s/engine2.db", "postgresql://scott@db/two"))
    out = tmp_path / "out"
    command.sql(Config(multidb.config_file_name, stdout=io.StringIO()), None, str(out))
    written = _files(out)
    assert "sqlite/engine1/upgrade.sql" in written and "postgresql/engine2/upgrade.sql" in written
    assert written["postgresql/engine2/0002_b2_two.upgrade.sql"].startswith("BEGIN;\n\n-- Running upgrade a1 -> b2")
    config = Config(multidb.config_file_name, stdout=io.StringIO())
    command.plan(config, None, format="json")
    assert isinstance(config.stdout, io.StringIO)
    assert json.loads(config.stdout.getvalue())["dialect"] == "sqlite, postgresql"


def test_validate_keeps_the_scripts_env_py_wrote(multidb: Config, capsys: pytest.CaptureFixture[str]) -> None:
    """``--validate`` of a range not starting at base renders the revisions before it once more, through
    env.py, which opens its ``<name>.sql`` for writing again: the scripts the run wrote stay as written."""
    plain = Config(multidb.config_file_name, stdout=io.StringIO())
    command.upgrade(plain, "a1:b2", sql=True)
    written = {name: Path(f"{name}.sql").read_text() for name in ("engine1", "engine2")}
    assert "CREATE TABLE t2" in written["engine1"] and "CREATE TABLE u2" in written["engine2"]
    capsys.readouterr()
    command.upgrade(Config(multidb.config_file_name, stdout=io.StringIO()), "a1:b2", sql=True, validate=True)
    assert {name: Path(f"{name}.sql").read_text() for name in ("engine1", "engine2")} == written
    assert "WARNING" not in capsys.readouterr().err


def test_from_db_refuses_databases_at_different_revisions(multidb: Config) -> None:
    """``--from-db`` starts one script per database from where that database is: one start for all
    would render engine2's script from engine1's revision."""
    import sqlite3

    from limbeck.errors import CommandError

    command.upgrade(Config(multidb.config_file_name, stdout=io.StringIO()), "a1")
    command.upgrade(Config(multidb.config_file_name, stdout=io.StringIO()), "heads", sql=True, from_db=True)
    assert Path("engine2.sql").read_text().startswith("-- Running upgrade a1 -> b2")
    with sqlite3.connect("engine2.db") as db:
        db.execute("DELETE FROM alembic_version")
    with pytest.raises(CommandError, match=r"--from-db: the databases env.py runs are at different revisions "
                                           r"\(engine1: a1; engine2: base\)"):
        command.upgrade(Config(multidb.config_file_name, stdout=io.StringIO()), "heads", sql=True, from_db=True)


def test_not_rendered_names_its_database(multidb: Config, tmp_path: Path) -> None:
    from limbeck.review.errors import UnrenderedRevisions

    revision = Path("migrations/versions/b2_two.py")
    text = revision.read_text()
    assert "op.execute('INSERT INTO u2 (id) VALUES (1)')" in text
    revision.write_text(text.replace(
        "op.execute('INSERT INTO u2 (id) VALUES (1)')", "op.get_bind().execute(sa.text('SELECT 1')).fetchall()"))
    config = Config(multidb.config_file_name, stdout=io.StringIO())
    with pytest.raises(UnrenderedRevisions, match=r"written with 1 revision step\(s\) that cannot be rendered offline: "
                                                  r"sqlite engine2 upgrade: "):
        command.sql(config, None, str(tmp_path / "out"), keep_going=True)
    assert isinstance(config.stdout, io.StringIO)
    assert "NOT RENDERED sqlite engine2: upgrade of revision b2 NOT RENDERED: " in config.stdout.getvalue()
    assert "NOT RENDERED" in (tmp_path / "out/sqlite/engine2/0002_b2_two.upgrade.sql").read_text()
    assert "NOT RENDERED" not in (tmp_path / "out/sqlite/engine1/0002_b2_two.upgrade.sql").read_text()


def test_pytest_renderer_lists_each_revision_once(multidb: Config) -> None:
    """limbeck.testing's per-revision SQL: one entry per revision, holding each database's statements in turn."""
    from limbeck.testing.render import MigrationRenderer

    revisions = MigrationRenderer(Config(multidb.config_file_name, stdout=io.StringIO())).revisions()
    assert [r.revision for r in revisions] == ["a1", "b2"]
    upgrade = revisions[1].upgrade
    assert upgrade.index("CREATE TABLE t2") < upgrade.index("CREATE TABLE u2")


def test_plan_names_the_database_of_an_invalid_statement(multidb: Config) -> None:
    from limbeck.review.errors import PlanFailed

    revision = Path("migrations/versions/b2_two.py")
    text = revision.read_text()
    revision.write_text(text.replace("INSERT INTO u2 (id)", "INSERT INTO missing (id)"))
    config = Config(multidb.config_file_name, stdout=io.StringIO())
    with pytest.raises(PlanFailed, match=r"revision b2 \(engine2\): invalid statement \(sqlite: no such table: missing\)"):
        command.plan(config, None)
    assert isinstance(config.stdout, io.StringIO)
    assert "- `b2` (engine2) invalid: `INSERT INTO missing (id) VALUES (1)`: sqlite: no such table: missing" in (
        config.stdout.getvalue())
    config = Config(multidb.config_file_name, stdout=io.StringIO())
    with pytest.raises(PlanFailed):
        command.plan(config, None, format="json")
    assert isinstance(config.stdout, io.StringIO)
    problems = json.loads(config.stdout.getvalue())["validation_problems"]
    assert [(p["database"], p["revision"], p["verdict"]) for p in problems] == [("engine2", "b2", "invalid")]


def _rewrite(rev_file: str, function: str, body: str) -> None:
    """Give ``function`` of the revision file a new body (the fixture's revisions are the template's)."""
    path = Path("migrations/versions") / rev_file
    text = path.read_text()
    start = text.index(f"def {function}() -> None:\n") + len(f"def {function}() -> None:\n")
    end = text.find("\n\n\n", start)
    path.write_text(text[:start] + "    " + body + (text[end:] if end != -1 else "\n"))


def test_lint_reads_each_database_on_its_own(multidb: Config) -> None:
    """DDL on one database and DML on the other in one revision is no mixed revision (LB011), and a
    setting one database's session makes does not hold on the other's (LB023)."""
    from limbeck.review.capture import RevisionRange
    from limbeck.review.lint import lint

    _rewrite("b2_two.py", "upgrade_engine2", "op.execute('UPDATE u1 SET id = id')")
    found = lint(Config(multidb.config_file_name, stdout=io.StringIO()), RevisionRange(), "mysql")
    assert ("LB011", "b2") not in {(x.rule, x.revision) for x in found.active()}
    _rewrite("b2_two.py", "upgrade_engine2", "op.execute('INSERT INTO u1 (id) VALUES (2)')\n"
                                              "    op.add_column('u1', sa.Column('x', sa.Integer))")
    found = lint(Config(multidb.config_file_name, stdout=io.StringIO()), RevisionRange(), "mysql")
    assert [(x.rule, x.revision) for x in found.active()].count(("LB011", "b2")) == 1
    # PostgreSQL's lock timeouts: engine1 sets them in a1, engine2 never does
    _rewrite("a1_one.py", "upgrade_engine1", "op.execute(\"SET lock_timeout = '2s'\")\n"
                                             "    op.execute(\"SET statement_timeout = '1min'\")")
    _rewrite("b2_two.py", "upgrade_engine1", "op.add_column('t1', sa.Column('x', sa.Integer))")
    _rewrite("b2_two.py", "upgrade_engine2", "op.add_column('u1', sa.Column('x', sa.Integer))")
    found = lint(Config(multidb.config_file_name, stdout=io.StringIO()), RevisionRange(), "postgresql")
    assert [(x.rule, x.revision) for x in found.findings if x.rule == "LB023"] == [("LB023", "b2")]



def test_findings_and_locks_name_their_database(multidb: Config) -> None:
    """A finding or lock of one database's statements is shown on that database's row only, and
    says which database it is (the revision runs once per database: before, plan put engine2's
    DROP COLUMN finding on engine1's row too, and the longest lock named no database)."""
    from limbeck.review.capture import RevisionRange
    from limbeck.review.lint import lint

    _rewrite("b2_two.py", "upgrade_engine1", "op.add_column('t1', sa.Column('x', sa.Integer))")
    _rewrite("b2_two.py", "upgrade_engine2", "op.drop_column('u1', 'id')")
    found = [x for x in lint(Config(multidb.config_file_name, stdout=io.StringIO()), RevisionRange(), "postgresql").findings
             if x.revision == "b2"]
    assert {x.database for x in found} == {"engine1", "engine2"}
    assert [x.database for x in found if x.rule == "LB002"] == ["engine2"]  # the dropped column
    assert all(x.as_dict()["database"] == x.database and f" ({x.database}): LB" in x.text() for x in found)
    config = Config(multidb.config_file_name, stdout=io.StringIO())
    command.plan(config, "a1:b2", dialect="postgresql", format="json")
    assert isinstance(config.stdout, io.StringIO)
    plan = json.loads(config.stdout.getvalue())
    rows = {(r["database"], r["revision"]): r for r in plan["revisions"]}  # b2 only: its tables exist before
    for database in ("engine1", "engine2"):
        assert [x["rule"] for x in rows[(database, "b2")]["lint"]] == [x.rule for x in found if x.database == database]
    for (database, _), row in rows.items():
        assert all(lock["database"] == database for lock in row["locks"])
    assert {lock["database"] for row in rows.values() for lock in row["locks"]} == {"engine1", "engine2"}
    longest = plan["longest_lock"]
    assert longest["revision"] == "b2" and longest["database"] in ("engine1", "engine2")
    config = Config(multidb.config_file_name, stdout=io.StringIO())
    command.plan(config, "a1:b2", dialect="postgresql")
    assert isinstance(config.stdout, io.StringIO)
    assert f"(`b2` ({longest['database']}): `{longest['statement']}`)" in config.stdout.getvalue()


def test_a_merge_range_rolls_back_each_database_once(multidb: Config, tmp_path: Path) -> None:
    """``b2:m4`` (``m4`` merging ``b2`` and ``c3``, a branch from ``a1``): each database's rollback undoes
    ``c3`` once, after the unmerge (the rollback's undo steps are the same revisions in every database)."""
    root = Path(multidb.config_file_name).parent

    def fill(rev_id: str, t1: str, t2: str) -> None:
        path = next((root / "migrations" / "versions").glob(f"{rev_id}_*.py"))
        text = path.read_text()
        for function, body in BODIES.items():
            text = text.replace(f"def {function}() -> None:\n    pass", f"def {function}() -> None:\n    {body.format(t1=t1, t2=t2)}")
        path.write_text(text)

    command.revision(Config(multidb.config_file_name, stdout=io.StringIO()), "side", rev_id="c3", head="a1", splice=True)
    fill("c3", "t3", "u3")
    command.merge(Config(multidb.config_file_name, stdout=io.StringIO()), ["b2", "c3"], "merge", rev_id="m4")
    out = tmp_path / "out"
    command.sql(Config(multidb.config_file_name, stdout=io.StringIO()), "b2:m4", str(out), ["postgresql"])
    written = _files(out)
    for db, table in (("engine1", "t3"), ("engine2", "u3")):
        rollback = written[f"postgresql/{db}/rollback.sql"]
        assert rollback.count(f"DROP TABLE {table};") == 1, db
        assert rollback.index("-- Running downgrade m4 -> b2, c3") < rollback.index("-- Running downgrade c3 -> a1")
        assert "DELETE FROM alembic_version WHERE alembic_version.version_num = 'c3';" in rollback
