"""``limbeck.util``: the helpers Alembic-era scripts import from ``alembic.util``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from limbeck import util
from limbeck.errors import CommandError


def test_rev_id_shape_and_uniqueness() -> None:
    ids = {util.rev_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids)


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("a", ("a",)), (["a", "b"], ("a", "b")), (("x",), ("x",))])
def test_to_tuple(value: object, expected: object) -> None:
    assert util.to_tuple(value) == expected
    assert util.to_tuple(None, default=()) == ()


def test_to_list_and_dedupe() -> None:
    assert util.to_list(None) == [] and util.to_list("a") == ["a"] and util.to_list(("a", "b")) == ["a", "b"]
    assert util.dedupe_tuple(("a", "b", "a")) == ("a", "b")
    assert util.unique_list(["Aa", "aa", "b"], hashfunc=str.lower) == ["Aa", "b"]


@pytest.mark.parametrize(("value", "expected"), [(None, ""), ("a", "a"), (("a", "b"), "a, b"), (["a"], "a")])
def test_format_as_comma_matches_alembic(value: object, expected: str) -> None:
    assert util.format_as_comma(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("Yes", True), ("on", True), ("1", True),
                                                 ("false", False), ("0", False), ("", False), (1, True)])
def test_asbool(value: object, expected: bool) -> None:
    assert util.asbool(value) is expected


def test_status_and_msg(capsys: pytest.CaptureFixture[str]) -> None:
    with util.status("Doing thing"):
        pass
    with util.status("Quiet thing", quiet=True):
        pass
    with util.status("NL thing", newline=True):
        print("inner")
    with pytest.raises(ValueError), util.status("Bad thing"):
        raise ValueError("x")
    util.msg("hello")
    util.msg("hidden", quiet=True)
    util.msg("no newline", newline=False)
    # the exact framing Alembic prints
    assert capsys.readouterr().out == (
        "Doing thing ...  done\nNL thing ...\ninner\n  done\nBad thing ...  FAILED\nhello\nno newline"
    )


def test_err_exits_with_255(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        util.err("oops")
    assert info.value.code == -1
    assert capsys.readouterr().out == "FAILED: oops\n"


def test_coerce_resource_to_filename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "respkg_x" / "data").mkdir(parents=True)
    (tmp_path / "respkg_x" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert util.coerce_resource_to_filename("respkg_x:data") == tmp_path / "respkg_x" / "data"
    assert util.coerce_resource_to_filename("/abs/path") == Path("/abs/path")
    assert util.coerce_resource_to_filename("relative/dir") == Path("relative/dir")
    with pytest.raises(CommandError, match="Can't locate package 'no_such_pkg_q'"):
        util.coerce_resource_to_filename("no_such_pkg_q:x")


def test_memoized_property() -> None:
    calls: list[int] = []

    class Thing:
        @util.memoized_property
        def value(self) -> int:
            calls.append(1)
            return 42

    t = Thing()
    assert (t.value, t.value, len(calls)) == (42, 42, 1)


def test_listing_revisions_imports_neither_sqlalchemy_nor_mako(script_dir: Path, write_rev: object) -> None:
    for i in range(3):
        write_rev(f"r{i}.py", f"r{i}", f"r{i - 1}" if i else None)  # type: ignore[operator]
    code = (
        "import sys, json\n"
        "from limbeck.script import ScriptDirectory\n"
        f"sd = ScriptDirectory({str(script_dir)!r})\n"
        "heads = sd.get_heads()\n"
        "docs = [s.doc for s in sd.walk_revisions()]\n"
        "print(json.dumps([heads, docs, 'sqlalchemy' in sys.modules, 'mako' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [["r2"], ["rev r2", "rev r1", "rev r0"], False, False]


def test_msg_and_warn_take_alembics_keyword(capsys: pytest.CaptureFixture[str]) -> None:
    """``util.msg(msg=...)`` and ``util.warn(msg=...)``, as tools call Alembic's (found by the API surface audit)."""
    from limbeck import util

    util.msg(msg="hello")
    assert capsys.readouterr().out == "hello\n"
    with pytest.warns(UserWarning, match="careful"):
        util.warn(msg="careful")
