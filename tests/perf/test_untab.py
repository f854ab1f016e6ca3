"""The quote-skipping ``untab`` equals the character-by-character one it replaced."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from limbeck.runtime.emitter import untab


def reference_untab(text: str, *, backslash_escapes: bool = False) -> str:
    """The previous implementation, one character at a time (kept as the reference)."""
    if "\t" not in text:
        return text
    closing = {"'": "'", '"': '"', "`": "`", "[": "]"}
    out: list[str] = []
    quote: str | None = None
    escapes = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote is None:
            if ch in closing:
                quote = closing[ch]
                escapes = ch == "'" and (backslash_escapes or (text[i - 1 : i] in ("E", "e")))
            out.append("    " if ch == "\t" else ch)
        elif ch == "\\" and escapes:
            out.append(text[i : i + 2])
            i += 1
        else:
            if ch == quote:
                quote = None
            out.append(ch)
        i += 1
    return "".join(out)


SQL_ISH = st.text(alphabet=st.sampled_from(list("\t'\"`[]\\Ee x;\n(),")), max_size=60)


@settings(max_examples=3000, deadline=None)
@given(text=SQL_ISH, backslash_escapes=st.booleans())
def test_same_text_as_the_reference(text: str, backslash_escapes: bool) -> None:
    assert untab(text, backslash_escapes=backslash_escapes) == reference_untab(text, backslash_escapes=backslash_escapes)


def test_layout_tabs_become_spaces_and_quoted_tabs_stay() -> None:
    text = "CREATE TABLE t (\n\tc VARCHAR DEFAULT 'a\tb',\n\t\"q\tq\" INTEGER\n)"
    assert untab(text) == "CREATE TABLE t (\n    c VARCHAR DEFAULT 'a\tb',\n    \"q\tq\" INTEGER\n)"
    assert untab("SET x = E'\\'\t'\t") == "SET x = E'\\'\t'    "
    assert untab("SET x = '\\'\t'\t", backslash_escapes=True) == "SET x = '\\'\t'    "
    assert untab("SET x = '\\'\t'\t") == "SET x = '\\'    '\t"
