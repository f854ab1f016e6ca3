"""Model drift: the migrated schema compared with env.py's target_metadata."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.config import Config
from limbeck.testing import ModelDrift, check_model_drift


@pytest.fixture
def two_revisions(history: list[Any]) -> list[Any]:
    return history[:2]


def project_root(config: Config) -> Path:
    return Path(config.config_file_name or "").parent


def tables(url: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        return sorted(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_that_match_the_migrations_pass_and_the_database_is_left_empty(
    make_project: Callable[..., Config], two_revisions: list[Any], models: Any, tmp_path: Path
) -> None:
    config = make_project(two_revisions)
    models(project_root(config))
    url = f"sqlite:///{tmp_path / 'drift.db'}"
    check_model_drift(config, url)
    assert tables(url) == ["alembic_version"]
    check_model_drift(config)  # default: a temporary SQLite database


def test_each_difference_is_listed(make_project: Callable[..., Config], two_revisions: list[Any], models: Any) -> None:
    config = make_project(two_revisions)
    models(project_root(config), """
        sa.Table("account_extra", target_metadata, sa.Column("id", sa.Integer, primary_key=True))
        target_metadata.tables["account"].append_column(sa.Column("phone", sa.String(20)))
        """)
    with pytest.raises(ModelDrift) as err:
        check_model_drift(config)
    drift = err.value
    assert drift.differences == ["add_table account_extra", "add_column account.phone (VARCHAR(20))"]
    assert str(drift) == (
        "the models differ from what the migrations build (2): add_table account_extra; add_column account.phone (VARCHAR(20))"
    )
    assert [d[0] for d in drift.diffs] == ["add_table", "add_column"]


def test_a_migration_that_drops_what_the_models_keep(
    make_project: Callable[..., Config], two_revisions: list[Any], new_rev: Any, models: Any
) -> None:
    dropping = new_rev("c3", "b2", 'op.drop_index("ix_account_email", table_name="account")',
                       'op.create_index("ix_account_email", "account", ["email"])', "drop email index")
    config = make_project([*two_revisions, dropping])
    models(project_root(config))
    with pytest.raises(ModelDrift, match=r"\(1\): add_index ix_account_email on account$"):
        check_model_drift(config)


def test_migrations_that_fail_are_reported_as_such(
    make_project: Callable[..., Config], two_revisions: list[Any], new_rev: Any, models: Any
) -> None:
    config = make_project([*two_revisions, new_rev("c3", "b2", "1 / 0", "pass", "broken")])
    models(project_root(config))
    with pytest.raises(ModelDrift, match=r"the upgrade to heads failed: .*c3_broken\.py:17 \(revision c3, upgrade\): ZeroDivisionError"):
        check_model_drift(config)
