"""File names and dates of new revisions: slugs, file_template tokens, time zones."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from limbeck.errors import CommandError
from limbeck.script.generate import (
    FILE_TEMPLATE_TOKENS,
    create_date,
    revision_path,
    slugify,
)

FACTS = json.loads((Path(__file__).parent / "alembic_facts" / "facts.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("message", "slug", "_doc"), FACTS["slugs"]["truncate_40"])
def test_slug_matches_alembic(message: str | None, slug: str, _doc: str) -> None:
    assert slugify(message, 40) == slug


@pytest.mark.parametrize(("message", "slug"), FACTS["slugs"]["truncate_10"])
def test_short_truncation_matches_alembic(message: str, slug: str) -> None:
    assert slugify(message, 10) == slug


def test_every_token() -> None:
    when = datetime.datetime(2024, 3, 7, 9, 5, 2, tzinfo=datetime.timezone.utc)
    template = "%(year)d-%(month).2d-%(day).2d_%(hour).2d%(minute).2d%(second).2d_%(epoch)s_%(rev)s_%(slug)s"
    path = revision_path("/v", template, "abc123", "Add users", when, 40)
    assert path == Path("/v/2024-03-07_090502_1709802302_abc123_add_users.py")
    assert set(FILE_TEMPLATE_TOKENS) == {"rev", "slug", "epoch", "year", "month", "day", "hour", "minute", "second"}


def test_slashes_make_subdirectories() -> None:
    when = datetime.datetime(2024, 11, 30, 23, 59, 1)
    path = revision_path("/v", "%(year)d/%(month).2d/%(rev)s_%(slug)s", "r1", "x y", when, 40)
    assert path == Path("/v/2024/11/r1_x_y.py")


def test_template_without_tokens_is_a_fixed_name() -> None:
    assert revision_path("/v", "fixed", "r1", "m", datetime.datetime.now(), 40) == Path("/v/fixed.py")


def test_unknown_token_names_it() -> None:
    with pytest.raises(CommandError, match=r"unknown token %\(bogus\)s"):
        revision_path("/v", "%(rev)s_%(bogus)s", "r1", "m", datetime.datetime.now(), 40)


def test_malformed_template() -> None:
    with pytest.raises(CommandError, match="file_template"):
        revision_path("/v", "%(rev)", "r1", "m", datetime.datetime.now(), 40)


class TestTimezones:
    def test_named_zone(self) -> None:
        date = create_date("Asia/Tokyo")
        assert date.utcoffset() == datetime.timedelta(hours=9)
        assert str(date).endswith("+09:00")

    def test_lower_case_utc_is_accepted_like_alembic(self) -> None:
        assert create_date("utc").utcoffset() == datetime.timedelta(0)

    def test_no_zone_is_naive_local_time(self) -> None:
        date = create_date(None)
        assert date.tzinfo is None
        assert abs((datetime.datetime.now() - date).total_seconds()) < 5

    @pytest.mark.parametrize("name", ["Nowhere/Bogus", "../etc/passwd"])
    def test_bad_zone_names_it(self, name: str) -> None:
        with pytest.raises(CommandError, match=f"Can't locate timezone: {name}"):
            create_date(name)

    def test_zone_applies_to_file_name(self) -> None:
        date = create_date("Asia/Tokyo")
        path = revision_path("/v", "%(hour).2d", "r", None, date, 40)
        utc_hour = date.astimezone(datetime.timezone.utc).hour
        assert path.name == f"{(utc_hour + 9) % 24:02d}.py"
