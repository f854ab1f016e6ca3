"""MigrationRenderer: the same text as the commands, one script directory, per-revision SQL."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.testing import MigrationRenderer


def command_sql(config: Config, cmd: str, revision: str, dialect: str) -> str:
    buffer = io.StringIO()
    config.output_buffer = buffer
    try:
        getattr(command, cmd)(config, revision, sql=True, dialect=dialect)
    finally:
        config.output_buffer = None
    return buffer.getvalue()


@pytest.mark.parametrize(
    "cmd,revision,dialect",
    [
        ("upgrade", "heads", "postgresql"),
        ("upgrade", "b2:e5", "mssql"),
        ("upgrade", "c3", "sqlite"),
        ("upgrade", "settings@head", "oracle"),
        ("downgrade", "e5:base", "mysql"),
        ("downgrade", "e5:b2", "postgresql"),
    ],
)
def test_ranges_are_what_the_commands_write(make_project: Callable[..., Config], cmd: str, revision: str, dialect: str) -> None:
    config = make_project()
    renderer = MigrationRenderer(config)
    rendered = getattr(renderer, cmd)(revision, dialect)
    assert rendered == command_sql(config, cmd, revision, dialect)
    assert "-- Running" in rendered


def test_one_script_directory_executes_each_revision_once(make_project: Callable[..., Config], tmp_path: Path) -> None:
    config = make_project()
    counter = tmp_path / "loads.txt"
    versions = Path(config.get_main_option("script_location") or "") / "versions"
    for path in sorted(versions.glob("*.py")):
        text = path.read_text().replace(
            "import sqlalchemy as sa\n", f"import sqlalchemy as sa\nopen({str(counter)!r}, 'a').write('x')\n", 1
        )
        path.write_text(text)
    renderer = MigrationRenderer(config)
    renderer.upgrade("heads", "postgresql")
    renderer.downgrade("heads:base", "sqlite")
    renderer.revisions("mssql")
    renderer.revisions("oracle")
    assert counter.read_text() == "x" * 6  # six revisions, each executed once across all renders
    command_sql(config, "upgrade", "heads", "postgresql")
    assert counter.read_text() == "x" * 12  # the command loads its own script directory


def test_revisions_come_in_upgrade_order_with_both_directions(make_project: Callable[..., Config]) -> None:
    renderer = MigrationRenderer(make_project())
    revisions = renderer.revisions("postgresql")
    assert [r.revision for r in revisions] == [s.revision for s in renderer.upgrade_order()]
    b2 = renderer.revision("b2", "postgresql")
    assert b2.dialect == "postgresql" and b2.doc == "add email" and b2.filename == "b2_add_email.py"
    assert b2.upgrade.startswith("BEGIN;\n\n-- Running upgrade a1 -> b2\n\n")
    assert "ALTER TABLE account ADD COLUMN email VARCHAR(100);" in b2.upgrade
    assert "DROP INDEX ix_account_email;" in b2.downgrade and "ALTER TABLE account ADD" not in b2.downgrade
    assert b2.upgrade.rstrip().endswith("COMMIT;") and b2.problems == ()
    # the first revision carries the version table's CREATE; the merge records both parents
    assert "CREATE TABLE alembic_version" in renderer.revision("a1", "postgresql").upgrade
    assert "CREATE TABLE alembic_version" not in b2.upgrade
    assert "-- Running upgrade c3, d4 -> e5" in renderer.revision("e5", "postgresql").upgrade


@pytest.mark.parametrize("dialect", ["postgresql", "mssql", "sqlite"])
def test_revision_texts_add_up_to_the_whole_script(make_project: Callable[..., Config], dialect: str) -> None:
    renderer = MigrationRenderer(make_project())
    revisions = renderer.revisions(dialect)
    whole_up = renderer.upgrade("heads", dialect, transaction_per_migration=True)
    whole_down = renderer.downgrade("heads:base", dialect, transaction_per_migration=True)
    assert "".join(r.upgrade for r in revisions) == whole_up
    by_id = {r.revision: r for r in revisions}
    down_order = [line.split()[3] for line in whole_down.splitlines() if line.startswith("-- Running downgrade")]
    assert "".join(by_id[rev].downgrade for rev in down_order) == whole_down


def test_revision_accepts_partial_ids_and_labels(make_project: Callable[..., Config]) -> None:
    renderer = MigrationRenderer(make_project())
    assert renderer.revision("settings@head", "sqlite").revision == "f6"
    with pytest.raises(CommandError, match="zz"):
        renderer.revision("zz", "sqlite")


def test_a_revision_that_needs_a_database_is_reported_and_the_others_render(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any
) -> None:
    reads = new_rev("r9", "e5", 'op.get_bind().execute(sa.text("SELECT count(*) FROM account")).scalar()', "pass", "read rows")
    renderer = MigrationRenderer(make_project([*history, reads]))
    revisions = {r.revision: r for r in renderer.revisions("postgresql")}
    (problem,) = revisions["r9"].problems
    assert "r9_read_rows.py" in problem and "needs a live database" in problem
    assert revisions["e5"].problems == () and "UPDATE account" in revisions["e5"].upgrade
    assert "-- Running downgrade r9 -> e5" in revisions["r9"].downgrade


def test_errors_are_one_line_and_rendered_once(make_project: Callable[..., Config]) -> None:
    config = make_project()
    renderer = MigrationRenderer(config)
    with pytest.raises(CommandError, match="unknown SQLAlchemy dialect 'nosuchdb'"):
        renderer.revisions("nosuchdb")
    with pytest.raises(CommandError, match="<fromrev>:<torev>"):
        renderer.downgrade("b2", "sqlite")
    env = Path(config.get_main_option("script_location") or "") / "env.py"
    env.write_text("raise RuntimeError('env.py is broken')\n")
    with pytest.raises(RuntimeError) as first:
        renderer.revisions("postgresql")
    with pytest.raises(RuntimeError) as second:
        renderer.revisions("postgresql")
    assert first.value is second.value


def test_plugin_and_revision_listing_import_no_sqlalchemy(make_project: Callable[..., Config]) -> None:
    config = make_project()
    code = textwrap.dedent(
        f"""
        import sys
        import limbeck.testing.plugin
        from limbeck.config import Config
        from limbeck.testing import MigrationRenderer
        order = MigrationRenderer(Config({config.config_file_name!r})).upgrade_order()
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "mako", "sqlglot"))
        print(len(order), heavy)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "6 []"


@pytest.mark.skipif(not hasattr(__import__("os"), "fork") or (__import__("os").cpu_count() or 1) < 2,
                    reason="prefetch forks, and only with more than one CPU")
@pytest.mark.parametrize("processes", [1, 2])
def test_prefetched_dialects_render_in_children_exactly_as_in_process(make_project: Callable[..., Config], processes: int) -> None:
    import os

    config = make_project()
    ahead = MigrationRenderer(config)
    # one child: each dialect in turn, sent as it is done; two: half each (the parent renders
    # the ones a child has not started when it would wait, so which process renders what varies)
    assert ahead.prefetch(["postgresql", "mssql", "postgresql", "no_such_dialect", "sqlite"], processes) == 4
    children = [child.pid for child in set(ahead._children.values())]
    assert len(children) == processes
    assert ahead.prefetch(["postgresql"]) == 0  # already under way
    here = MigrationRenderer(config)
    for dialect in ("mssql", "postgresql"):  # the second one was sent before the first: kept until asked for
        assert ahead.revisions(dialect) == here.revisions(dialect)
    # a dialect that cannot render is sent as None: rendered again here, the same error
    with pytest.raises(CommandError) as ahead_error:
        ahead.revisions("no_such_dialect")
    with pytest.raises(CommandError) as here_error:
        here.revisions("no_such_dialect")
    assert str(ahead_error.value) == str(here_error.value)
    # never asked for: still the child's, unless the parent took it while it waited (work stealing)
    assert list(ahead._children) in ([], ["sqlite"])
    ahead.close()
    for pid in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped
    assert ahead.revisions("sqlite") == here.revisions("sqlite")  # closed: rendered in process


@pytest.mark.skipif(not hasattr(__import__("os"), "fork") or (__import__("os").cpu_count() or 1) < 2,
                    reason="prefetch forks, and only with more than one CPU")
def test_a_child_that_dies_leaves_its_dialects_to_the_parent(make_project: Callable[..., Config]) -> None:
    import os
    import signal

    config = make_project()
    ahead = MigrationRenderer(config)
    assert ahead.prefetch(["mssql", "postgresql"], 1) == 2
    child = ahead._children["mssql"]
    os.kill(child.pid, signal.SIGKILL)
    here = MigrationRenderer(config)
    assert ahead.revisions("postgresql") == here.revisions("postgresql")
    assert ahead.revisions("mssql") == here.revisions("mssql")
    assert ahead._children == {}
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped
