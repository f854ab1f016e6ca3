"""RunOptions: the one place that checks which option needs ``--sql``, and what reads it.

The messages a user sees are the commands' (Alembic's where Alembic has the
option), and when several options are wrong at once the first in this order is
reported: ``--purge`` with ``--sql``, ``--dialect`` without it, the review flags
without it, an unknown dialect, ``--from-db`` with ``--dialect``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.runtime.environment import EnvironmentContext
from limbeck.runtime.options import RunOptions

NEEDS_SQL = [
    ({"validate": True}, "--validate works on the offline script and needs --sql"),
    ({"validate_on": "sqlite://"}, "--validate-on works on the offline script and needs --sql"),
    ({"guard": True}, "--guard works on the offline script and needs --sql"),
    ({"keep_going": True}, "--keep-going works on the offline script and needs --sql"),
    ({"from_db": True}, "--from-db works on the offline script and needs --sql"),
    ({"dialect": "postgresql"}, "--dialect renders for another database and needs --sql"),
]


@pytest.mark.parametrize(("given", "message"), NEEDS_SQL, ids=[m.split()[0] for _, m in NEEDS_SQL])
def test_an_offline_option_needs_sql(given: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError) as err:
        RunOptions(**given)
    assert str(err.value) == message
    RunOptions(sql=True, **given)  # with --sql it is fine


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"sql": True, "purge": True, "dialect": "nosuchdb"}, "Can't use --purge with --sql mode"),
        ({"dialect": "nosuchdb", "validate": True}, "--dialect renders for another database and needs --sql"),
        ({"validate": True, "from_db": True}, "--validate works on the offline script and needs --sql"),
        ({"sql": True, "dialect": "nosuchdb", "from_db": True}, "--dialect: unknown SQLAlchemy dialect 'nosuchdb'"),
        (
            {"sql": True, "dialect": "postgresql", "from_db": True},
            "--from-db renders for the database it reads; it cannot be combined with --dialect",
        ),
    ],
)
def test_the_first_problem_is_reported(given: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError) as err:
        RunOptions(**given)
    assert str(err.value) == message


def test_a_dialect_with_a_driver_is_known() -> None:
    assert RunOptions(sql=True, dialect="postgresql+psycopg2").dialect == "postgresql+psycopg2"


def test_a_range_needs_sql() -> None:
    assert RunOptions(sql=True).split_range("a1:b2") == ("a1", "b2")
    assert RunOptions(sql=True).split_range(":b2") == (None, "b2")
    assert RunOptions().split_range("b2") == (None, "b2")
    with pytest.raises(CommandError, match="^Range revision not allowed$"):
        RunOptions().split_range("a1:b2")


def test_context_opts_carry_alembics_names() -> None:
    # as_sql and tag are always there, as in Alembic's opts (a revision reads opts["as_sql"] online too)
    assert RunOptions().context_opts() == {"as_sql": False, "tag": None}
    assert RunOptions(sql=True, tag="t", keep_going=True).context_opts() == {
        "as_sql": True,
        "tag": "t",
        "keep_going": True,
    }
    assert RunOptions(purge=True).context_opts() == {"as_sql": False, "tag": None, "purge": True}


def _config() -> Config:
    return Config(output_buffer=io.StringIO())


def test_an_environment_context_made_the_alembic_way() -> None:
    env = EnvironmentContext(_config(), None, as_sql=True, tag="release", starting_rev="a1")  # type: ignore[arg-type]
    assert env.options == RunOptions(sql=True, tag="release")
    assert env.is_offline_mode() and not env.requires_connection()
    assert env.get_tag_argument() == "release"
    assert env.context_opts["starting_rev"] == "a1"


def test_an_environment_context_made_by_a_command() -> None:
    options = RunOptions(sql=True, dialect="mssql", tag="t")
    env = EnvironmentContext(_config(), None, options=options, fn=None)  # type: ignore[arg-type]
    assert env.is_offline_mode() and env.get_tag_argument() == "t"
    assert env.context_opts == {"as_sql": True, "tag": "t", "fn": None}
    env.configure(url="sqlite://")
    assert env.get_context().dialect.name == "mssql"  # --dialect wins over env.py's URL


def test_alembic_gives_the_same_range_message(tmp_path: Path) -> None:
    """``Range revision not allowed`` is Alembic's own answer, before env.py runs."""
    from alembic import command as alembic_command
    from alembic.config import Config as AlembicConfig
    from alembic.util import CommandError as AlembicError

    from limbeck import command

    ini = tmp_path / "alembic.ini"
    alembic_command.init(AlembicConfig(str(ini)), str(tmp_path / "migrations"))
    for call in (
        lambda cmd, cfg: cmd.upgrade(cfg, "a1:b2"),
        lambda cmd, cfg: cmd.downgrade(cfg, "b2:a1"),
    ):
        with pytest.raises(AlembicError) as theirs:
            call(alembic_command, AlembicConfig(str(ini)))
        with pytest.raises(CommandError) as ours:
            call(command, Config(str(ini)))
        assert str(ours.value) == str(theirs.value)
