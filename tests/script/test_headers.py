"""The static header scan: same answers as executing the file, or no answer."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from limbeck.script.headers import (
    Headers,
    NotStatic,
    decode_source,
    read_headers,
    scan_docstring,
    scan_headers,
)


def scan(src: str) -> Headers:
    return scan_headers(textwrap.dedent(src))


def executed(src: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(src, "<rev>", "exec"), namespace)  # noqa: S102 - the oracle
    return namespace


class TestAssignments:
    def test_plain(self) -> None:
        h = scan(
            """
            revision = "abc"
            down_revision = 'def'
            branch_labels = None
            depends_on = None
            """
        )
        assert (h.revision, h.down_revision, h.branch_labels, h.depends_on) == ("abc", "def", None, None)

    def test_annotated_like_the_template(self) -> None:
        h = scan(
            """
            revision: str = 'abc'
            down_revision: Union[str, Sequence[str], None] = "def"
            branch_labels: Union[str, Sequence[str], None] = ('feature',)
            depends_on: Union[str, Sequence[str], None] = ['x1', "y2"]
            """
        )
        assert h.down_revision == "def"
        assert h.branch_labels == ("feature",)
        assert h.depends_on == ("x1", "y2")

    def test_tuples_multi_line_and_comments(self) -> None:
        h = scan(
            """
            revision = "m"  # the merge
            down_revision = (
                "a",  # left
                "b",
            )
            branch_labels = ("x")
            depends_on = ()
            """
        )
        assert h.revision == "m"
        assert h.down_revision == ("a", "b")
        assert h.branch_labels == "x"  # a parenthesised string is a string
        assert h.depends_on == ()

    def test_escapes_go_through_literal_eval(self) -> None:
        h = scan('revision = "a\\x62c"\ndown_revision = None\n')
        assert h.revision == "abc"

    def test_last_assignment_wins(self) -> None:
        h = scan('revision = "old"\ndown_revision = None\nrevision = "new"\n')
        assert h.revision == "new"

    def test_optional_names_default_to_none(self) -> None:
        h = scan('revision = "a"\ndown_revision = None\n')
        assert h.branch_labels is None and h.depends_on is None

    def test_lines_inside_strings_and_functions_do_not_count(self) -> None:
        h = scan(
            '''
            """Docstring mentioning
            revision = "fake1"
            """
            revision = "real"
            down_revision = None
            SQL = """
            down_revision = "fake2"
            """
            TEXT = '"""'  # not the start of a triple-quoted string
            depends_on = "d"


            def upgrade():
                revision = "local"
            '''
        )
        assert (h.revision, h.down_revision, h.depends_on) == ("real", None, "d")

    def test_comparison_is_not_assignment(self) -> None:
        with pytest.raises(NotStatic):
            scan('revision == "a"\ndown_revision = None\n')

    @pytest.mark.parametrize(
        "src",
        [
            'revision = make_id()\ndown_revision = None\n',
            'revision = "a"\ndown_revision = OTHER\n',
            'revision = "a"\n',  # no down_revision
            'down_revision = None\n',  # no revision
            'revision = None\ndown_revision = None\n',
            'revision = "a"\ndown_revision = 5\n',
            'revision = "a"\ndown_revision = ("x", 1)\n',
            'if True:\n    revision = "a"\n    down_revision = None\n',
        ],
    )
    def test_non_literal_needs_import(self, src: str) -> None:
        with pytest.raises(NotStatic):
            scan_headers(src)


class TestDocstrings:
    @pytest.mark.parametrize(
        ("src", "expected"),
        [
            ('"""Add users\n\nRevision ID: a\n"""\n', "Add users\n\nRevision ID: a\n"),
            ("'''single'''\n", "single"),
            ('"one line"\n', "one line"),
            ("'one line'\n", "one line"),
            ('r"""raw \\d doc"""\n', "raw \\d doc"),
            ('"""esc \\\\n \\x41 doc"""\n', "esc \\n A doc"),
            ('u"""unicode prefix"""\n', "unicode prefix"),
            ('#!/usr/bin/env python\n# comment\n\n"""after comments"""\n', "after comments"),
            ('"""implicit " "concat"""\n', 'implicit " "concat'),
            ('"a" "b"\n', "ab"),
            ('"""doc"""  # trailing comment\nx = 1\n', "doc"),
            ('"""doc with \\"\\"\\" inside"""\n', 'doc with """ inside'),
            ('x = 1\n"""not a docstring"""\n', None),
            ('b"""bytes are not docstrings"""\n', None),
            ('f"""f-strings are not docstrings"""\n', None),
            ('"""a method call""".strip()\n', None),
            ("", None),
        ],
    )
    def test_matches_python(self, src: str, expected: str | None) -> None:
        assert scan_docstring(src) == expected
        namespace = executed(src.replace(".strip()", ".strip()\n") if src else "")
        assert namespace.get("__doc__") == expected


class TestDecoding:
    def test_crlf(self) -> None:
        text = decode_source(b'"""doc\r\n\r\nmore"""\r\nrevision = "a"\r\ndown_revision = None\r\n')
        h = scan_headers(text)
        assert h.revision == "a" and h.doc == "doc\n\nmore"

    def test_encoding_cookie(self) -> None:
        data = '# -*- coding: latin-1 -*-\n"""café"""\nrevision = "é1"\ndown_revision = None\n'.encode("latin-1")
        h = scan_headers(decode_source(data))
        assert h.doc == "café" and h.revision == "é1"

    def test_utf8_bom(self) -> None:
        h = scan_headers(decode_source(b'\xef\xbb\xbf"""d"""\nrevision = "a"\ndown_revision = None\n'))
        assert h.doc == "d"

    def test_undecodable_file_means_import(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / "bad.py"
        path.write_bytes(b'"""\xff\xfe"""\nrevision = "a"\ndown_revision = None\n')
        assert read_headers(path) is None


_ids = st.text(alphabet="abcdef0123456789_xyz", min_size=1, max_size=12)
_value = st.one_of(st.none(), _ids, st.tuples(_ids), st.lists(_ids, max_size=3))
_doc = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters='\\"'),
        st.sampled_from("\n\t"),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(
    rev=_ids,
    down=_value,
    labels=_value,
    deps=_value,
    doc=_doc,
    annotated=st.booleans(),
    quote=st.sampled_from(['"', "'"]),
)
def test_agrees_with_executing_the_file(
    rev: str, down: object, labels: object, deps: object, doc: str, annotated: bool, quote: str
) -> None:
    ann = ": Union[str, Sequence[str], None]" if annotated else ""
    src = (
        f'"""{doc}"""\n'
        "from typing import Sequence, Union\n"
        f"revision{': str' if annotated else ''} = {quote}{rev}{quote}\n"
        f"down_revision{ann} = {down!r}\n"
        f"branch_labels{ann} = {labels!r}\n"
        f"depends_on{ann} = {deps!r}\n"
    )
    ns = executed(src)
    h = scan_headers(src)

    def norm(v: object) -> object:
        return tuple(v) if isinstance(v, list) else v

    assert h.revision == ns["revision"]
    assert h.down_revision == norm(ns["down_revision"])
    assert h.branch_labels == norm(ns["branch_labels"])
    assert h.depends_on == norm(ns["depends_on"])
    assert h.doc == ns["__doc__"]
