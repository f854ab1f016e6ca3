"""lint reads what MySQL and MariaDB run inside ``/*! ... */`` and ``/*M! ... */`` conditional comments.

The server executes their body ("MySQL Server parses and executes the code within
the comment as it would any other SQL statement",
https://dev.mysql.com/doc/refman/8.0/en/comments.html; MariaDB's ``/*M!`` likewise,
https://mariadb.com/kb/en/comment-syntax/), while sqlglot, which reads MySQL text for
lint, keeps them as comments: ``/*!50000 DROP TABLE account */`` parsed to no
statement at all, so lint passed a table drop. The script check refuses such a
script anyway (``sql``, ``plan``, ``verify``, ``--validate``); ``lint`` alone said nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from limbeck.config import Config
from limbeck.dialects.mysql import MySQLBehaviour
from limbeck.review.capture import RevisionRange
from limbeck.review.lint import lint

ACCOUNT = ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))')


@pytest.mark.parametrize(
    "text, rule",
    [
        ("/*!50000 DROP TABLE account */", "LB001"),
        ("/*! DROP TABLE account */", "LB001"),
        ("ALTER TABLE account /*!50100 DROP COLUMN name */", "LB002"),
        ("/*M!100100 ALTER TABLE account RENAME TO person */", "LB003"),
    ],
)
@pytest.mark.parametrize("dialect", ["mysql", "mariadb"])
def test_lint_reads_inside_conditional_comments(project: Callable[..., Config], text: str, rule: str, dialect: str) -> None:
    config = project([ACCOUNT, ("b2", "a1", f"op.execute({text!r})")])
    result = lint(config, RevisionRange(), dialect)
    assert rule in {x.rule for x in result.active() if x.revision == "b2"}


@pytest.mark.parametrize(
    "text, read",
    [
        ("/*!50000 DROP TABLE a */", "         DROP TABLE a   "),
        ("/*M!100100 DROP TABLE a */", "           DROP TABLE a   "),
        # a plain comment stays one; a '/*!' inside a literal or a quoted name is data
        ("/* DROP TABLE a */ SELECT '/*! x */', `/*!y*/`", "/* DROP TABLE a */ SELECT '/*! x */', `/*!y*/`"),
        # the body ends at the first '*/' outside its literals
        ("/*! UPDATE t SET c = '*/' */ SELECT 1", "    UPDATE t SET c = '*/'    SELECT 1"),
        ("-- /*! DROP TABLE a */\nSELECT 1", "-- /*! DROP TABLE a */\nSELECT 1"),
    ],
)
def test_server_text(text: str, read: str) -> None:
    assert MySQLBehaviour.server_text(text) == read
