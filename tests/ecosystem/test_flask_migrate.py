"""Flask-Migrate 4.1 on limbeck: ``flask db init/migrate/upgrade/check/current/history/downgrade``.

The same Flask application is migrated twice, once on Alembic and once with
``LIMBECK_AS_ALEMBIC=1``; every command must exit the same way, print the
same thing, write the same files and leave the same database.
"""

from __future__ import annotations

from pathlib import Path

from limbeck_ecosystem_harness import WHO_ANSWERS, twin_projects

APP = '''
import os

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["ECO_URL"]
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


def test_flask_db_commands_match_alembic(tmp_path: Path) -> None:
    pair = twin_projects(tmp_path, {"app.py": APP + WHO_ANSWERS})
    pair.env.update({"FLASK_APP": "app.py", "STAGE": "1"})
    flask_db = ("flask", "db")

    real, ours = pair.both(*flask_db, "init")
    # Alembic lists the template folder in directory order; limbeck sorts it
    assert sorted(ours.splitlines()) == sorted(real.splitlines())
    for name in ("alembic.ini", "env.py", "script.py.mako", "README"):
        assert pair.limbeck.read(f"migrations/{name}") == pair.alembic.read(f"migrations/{name}"), name

    pair.autogenerate("a1", "users", program=(*flask_db, "migrate"))
    real, ours = pair.both(*flask_db, "upgrade")
    assert ours == real
    real, ours = pair.both(*flask_db, "current")
    assert ours == real == "a1 (head)\n"

    # the models move on: check sees it, migrate writes it, upgrade applies it
    pair.env["STAGE"] = "2"
    pair.both(*flask_db, "check", ok=False)
    pair.autogenerate("b2", "email and posts", program=(*flask_db, "migrate"))
    pair.same_sql(*flask_db, "upgrade", "a1:b2")
    pair.both(*flask_db, "upgrade")
    assert "post" in pair.schemas()

    for argv in (("check",), ("current",), ("current", "-v"), ("history",), ("history", "-v"), ("heads",), ("show", "b2")):
        real, ours = pair.both(*flask_db, *argv)
        assert ours == real, argv

    pair.both(*flask_db, "downgrade")
    assert "post" not in pair.schemas()
    real, ours = pair.both(*flask_db, "current")
    assert ours == real == "a1\n"
    pair.both(*flask_db, "downgrade", "base")
    assert list(pair.schemas()) == ["alembic_version"]
    pair.check_answered()
