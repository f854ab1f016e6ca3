"""Text that is not a statement never becomes SQL that no review tool sees.

Before: ``revision = "c3\\nDROP TABLE accounts;"`` was accepted, the script's
``-- Running upgrade b2 -> c3`` comment ended at the newline, and
``DROP TABLE accounts;`` was an executable line of the approved script that
lint, plan and per-statement validation never saw; only ``--validate``'s
script check noticed. Now the id is refused, every comment line is
sanitised, and every ``--sql``, ``sql`` and ``plan`` run checks its script.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck import command
from limbeck.compiler.statement import Kind, Statement
from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.review.errors import PlanFailed, ValidationFailed
from limbeck.review.script_check import check_script
from limbeck.review.stream import StreamRecorder
from limbeck.testing.compile import offline_context

from .conftest import LINEAR


@pytest.mark.parametrize(
    "rev_id, shown",
    [
        ("c3\nDROP TABLE accounts;", r"'\n'"),
        ("c3 x", "' '"),
        ("c3'x", '"\'"'),
        ("c3;", "';'"),
        ("c3\u202ex", r"'\u202e'"),  # a bidirectional override hides what follows
    ],
)
def test_unsafe_revision_ids_are_refused_naming_the_file(
    project: Callable[..., Config], invoke: Callable[..., object], rev_id: str, shown: str
) -> None:
    config = project([*LINEAR[:2], ("c3", "b2", 'op.execute("DELETE FROM account")')])
    proj = config.attributes["project"]
    path = proj.path("c3")
    path.write_text(path.read_text().replace("revision = 'c3'", f"revision = {rev_id!r}"))
    for args in (["upgrade", "heads", "--sql"], ["heads"], ["history"], ["lint"], ["plan"]):
        result = invoke(config, *args)
        assert result.exit_code == 1, args  # type: ignore[attr-defined]
        lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
        assert len(lines) == 1 and lines[0].startswith(f"FAILED: {path}: Character {shown} not allowed"), lines
        assert "DROP TABLE accounts" not in result.stdout  # type: ignore[attr-defined]


def test_revision_command_refuses_an_unsafe_rev_id(project: Callable[..., Config]) -> None:
    with pytest.raises(CommandError, match=r"Character ' ' not allowed in revision identifier 'd4 x'"):
        command.revision(project(), "m", rev_id="d4 x")


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mssql", "oracle", "sqlite"])
def test_no_line_escapes_a_comment(dialect: str) -> None:
    recorder = StreamRecorder()
    context, buffer = offline_context(dialect, **recorder.context_opts())
    for text in ("-- one\nDROP TABLE accounts;", "-- two\r\nDROP TABLE b;", "-- three\u2028DROP TABLE c;", "four\fDROP TABLE d"):
        context.emit(Statement(Kind.COMMENT, text))
    context.impl.flush()
    script = buffer.getvalue()
    for line in script.splitlines():
        assert not line or line.startswith("-- "), repr(line)
    assert "-- DROP TABLE accounts;" in script
    check = check_script(script, recorder.records)
    assert check.ok and check.found == 0


def test_a_version_table_name_cannot_break_out_of_the_guard_comment(project: Callable[..., Config]) -> None:
    config = project()
    env = config.attributes["project"].root / "migrations" / "env.py"
    env.write_text(env.read_text().replace("literal_binds=True,", 'literal_binds=True, version_table="v\\nDROP TABLE accounts;",'))
    config.output_buffer = io.StringIO()
    command.upgrade(config, "b2:heads", sql=True, guard=True, dialect="postgresql")
    script = config.output_buffer.getvalue()
    # in the comment the name's second line is a comment line too (in the SQL it is a quoted identifier)
    assert "-- limbeck guard: continue only if v\n-- DROP TABLE accounts; holds exactly: b2" in script


# -- the script check runs on every offline run -------------------------------------------
HIDDEN_TERMINATOR = [*LINEAR[:2], ("c3", "b2", 'op.execute("UPDATE account SET name = \'x\' -- done;")'),
                     ("d4", "c3", 'op.execute("DELETE FROM account")')]


def test_every_sql_run_checks_its_script(project: Callable[..., Config], invoke: Callable[..., object]) -> None:
    config = project(HIDDEN_TERMINATOR)
    # no --validate: the script Alembic would render is written, with a warning naming the revision
    result = invoke(config, "-q", "upgrade", "heads", "--sql", "--dialect", "postgresql")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    error = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(error) == 1 and error[0].startswith("WARNING: the script does not cut back into its statements: ")
    assert "(revision c3)" in error[0] and "c3_revision.py" in error[0]
    assert error[0].endswith("(--validate, sql and plan refuse this script)")
    refused = invoke(config, "-q", "upgrade", "heads", "--sql", "--validate", "--dialect", "postgresql")
    assert refused.exit_code == 1  # type: ignore[attr-defined]
    assert invoke(config, "downgrade", "heads:base", "--sql", "--dialect", "postgresql").exit_code == 0  # type: ignore[attr-defined]


def test_sql_and_plan_check_their_scripts(project: Callable[..., Config], tmp_path: Path, printed: Callable[[Config], str]) -> None:
    config = project(HIDDEN_TERMINATOR)
    with pytest.raises(ValidationFailed, match="postgresql: cutting the script gives .* at statement .* \\(revision c3\\)"):
        command.sql(config, None, str(tmp_path / "out"), ["postgresql"])
    assert not (tmp_path / "out").exists()
    with pytest.raises(PlanFailed, match="script check FAILED: cutting the script gives"):
        command.plan(config, None, "md", "postgresql")
    assert "## Errors" in printed(config)
