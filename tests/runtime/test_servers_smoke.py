"""The real servers the suite starts are reachable and fresh per test."""

import sqlalchemy as sa


def test_postgresql_database_is_empty_and_usable(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        assert sa.inspect(conn).get_table_names() == []
        conn.exec_driver_sql("CREATE TABLE x (id int)")
        assert conn.exec_driver_sql("SELECT version()").scalar().startswith("PostgreSQL")
    engine.dispose()


def test_mariadb_database_is_empty_and_usable(mariadb_url: str) -> None:
    engine = sa.create_engine(mariadb_url)
    with engine.begin() as conn:
        assert sa.inspect(conn).get_table_names() == []
        conn.exec_driver_sql("CREATE TABLE x (id int)")
        assert "MariaDB" in conn.exec_driver_sql("SELECT version()").scalar()
    engine.dispose()
