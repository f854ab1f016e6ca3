"""Flask-Migrate 4.1 on limbeck: ``flask db init/migrate/upgrade/check/current/history/downgrade``.

The same Flask application is migrated twice, once on Alembic and once with
``LIMBECK_AS_ALEMBIC=1``; every command must exit the same way, print the
same thing, write the same files and leave the same database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from limbeck_ecosystem_harness import (
    WHO_ANSWERS,
    Twin,
    alembic_sql_as_limbeck_writes_it,
    same_python,
    schema_of,
    twin_projects,
)

pytest.importorskip("flask_migrate")

APP = '''
import os

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.root_path, "app.db")
db = SQLAlchemy(app)
migrate = Migrate(app, db)
STAGE = int(os.environ.get("STAGE", "1"))


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(128), nullable=False)
    if STAGE >= 2:
        email = db.Column(db.String(200), index=True)


if STAGE >= 2:
    class Post(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
        body = db.Column(db.Text)
'''


def _both(alembic: Twin, limbeck: Twin, *argv: str, stage: int = 1) -> tuple[str, str]:
    env = {"FLASK_APP": "app.py", "STAGE": str(stage)}
    real = alembic.run("flask", "db", *argv, extra_env=env)
    ours = limbeck.run("flask", "db", *argv, extra_env=env)
    assert ours.returncode == real.returncode, f"flask db {' '.join(argv)}:\n{real.output}\n---\n{ours.output}"
    return real.stdout, ours.stdout


def _schemas(alembic: Twin, limbeck: Twin) -> tuple[object, object]:
    return (schema_of(f"sqlite:///{alembic.root / 'app.db'}"), schema_of(f"sqlite:///{limbeck.root / 'app.db'}"))


def test_flask_db_commands_match_alembic(tmp_path: Path) -> None:
    alembic, limbeck = twin_projects(tmp_path, {"app.py": APP + WHO_ANSWERS})

    real, ours = _both(alembic, limbeck, "init")
    # Alembic lists the template folder in directory order; limbeck sorts it
    assert sorted(ours.splitlines()) == sorted(real.splitlines())
    for name in ("alembic.ini", "env.py", "script.py.mako", "README"):
        assert limbeck.read(f"migrations/{name}") == alembic.read(f"migrations/{name}"), name

    real, ours = _both(alembic, limbeck, "migrate", "-m", "users", "--rev-id", "a1")
    assert ours == real
    assert same_python(alembic.read("migrations/versions/a1_users.py"), limbeck.read("migrations/versions/a1_users.py"))

    real, ours = _both(alembic, limbeck, "upgrade")
    assert ours == real
    real, ours = _both(alembic, limbeck, "current")
    assert ours == real == "a1 (head)\n"

    # the models move on: check sees it, migrate writes it, upgrade applies it
    real, ours = _both(alembic, limbeck, "check", stage=2)
    real, ours = _both(alembic, limbeck, "migrate", "-m", "email and posts", "--rev-id", "b2", stage=2)
    assert ours == real
    path = "migrations/versions/b2_email_and_posts.py"
    assert same_python(alembic.read(path), limbeck.read(path))

    real, ours = _both(alembic, limbeck, "upgrade", "--sql", "a1:b2", stage=2)
    assert ours == alembic_sql_as_limbeck_writes_it(real)

    real, ours = _both(alembic, limbeck, "upgrade", stage=2)
    real_schema, our_schema = _schemas(alembic, limbeck)
    assert our_schema == real_schema
    assert "post" in our_schema

    real, ours = _both(alembic, limbeck, "check", stage=2)
    assert ours == real
    for argv in (("current",), ("current", "-v"), ("history",), ("history", "-v"), ("heads",), ("show", "b2")):
        real, ours = _both(alembic, limbeck, *argv, stage=2)
        assert ours == real, argv

    real, ours = _both(alembic, limbeck, "downgrade", stage=2)
    real_schema, our_schema = _schemas(alembic, limbeck)
    assert our_schema == real_schema
    assert "post" not in our_schema
    real, ours = _both(alembic, limbeck, "current", stage=2)
    assert ours == real == "a1\n"

    real, ours = _both(alembic, limbeck, "downgrade", "base", stage=2)
    real_schema, our_schema = _schemas(alembic, limbeck)
    assert our_schema == real_schema
    alembic.check_answered()
    limbeck.check_answered()
