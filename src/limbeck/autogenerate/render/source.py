"""A small model of Python call expressions and the layout of their source text.

Generated revision files must pass ``ruff format --check`` unchanged, so the
renderers never concatenate source text: they build :class:`Call`,
:class:`Seq` and :class:`Raw` nodes, and :func:`layout` writes them the way
ruff (and black) would: a node that fits within the line length stays on one
line; one that does not is split one argument per line with a trailing comma.
That trailing comma ("magic trailing comma") is what makes the split stable:
ruff keeps such a bracket exploded, so re-formatting changes nothing.

Strings get ruff's preferred quotes (double, unless that needs more escapes).

That layout is for the files limbeck writes. What ``render_op_text`` and
``render_python_code`` return is Alembic's text (:func:`alembic_text`):
tools and tests written against Alembic compare those strings, so there the
same nodes are written as Alembic writes them: ``repr()`` quotes, one line
per statement, except the few operations Alembic breaks over lines its own
way (:attr:`Call.form`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

#: ruff's and black's default line length
LINE_LENGTH = 88

#: set while rendering Alembic's text (see :func:`alembic_text`)
_ALEMBIC_TEXT: ContextVar[bool] = ContextVar("limbeck_alembic_text", default=False)
#: set by :func:`ruff_layout`: :func:`alembic_text` then changes nothing
_RUFF_LAYOUT: ContextVar[bool] = ContextVar("limbeck_ruff_layout", default=False)


@contextlib.contextmanager
def alembic_text() -> Iterator[None]:
    """Render as Alembic's own renderer writes: ``repr()`` quotes, Alembic's line breaks."""
    token = _ALEMBIC_TEXT.set(not _RUFF_LAYOUT.get())
    try:
        yield
    finally:
        _ALEMBIC_TEXT.reset(token)


@contextlib.contextmanager
def ruff_layout() -> Iterator[None]:
    """Render as the files limbeck writes, inside a call that would give Alembic's text."""
    token = _RUFF_LAYOUT.set(True)
    try:
        yield
    finally:
        _RUFF_LAYOUT.reset(token)


def writing_alembic_text() -> bool:
    """Whether Alembic's text is being written (a renderer's own multi-line strings are indented its way)."""
    return _ALEMBIC_TEXT.get()


@dataclass(frozen=True)
class Raw:
    """Source text used as is (a name, a number, an already rendered expression)."""

    text: str


@dataclass(frozen=True)
class Call:
    """``func(args..., key=value...)``; ``func`` is source text (``op.add_column``)."""

    func: str
    args: tuple[Node, ...] = ()
    kwargs: tuple[tuple[str, Node], ...] = ()
    #: how Alembic's text breaks it over lines: ``""`` one line; ``"lines"`` each argument after
    #: the first on a line of its own and ``)`` on the last (``create_table``); ``"aligned"`` each
    #: keyword on a line of its own under the first argument (``alter_column``); ``"block"``
    #: every argument on an indented line of its own (the table comment operations); ``"trail"``
    #: one line with ``, `` after the positional arguments even when no keyword follows
    #: (``sa.ForeignKeyConstraint(['a'], ['t.id'], )``, Alembic's template)
    form: str = ""


@dataclass(frozen=True)
class Seq:
    """A list, tuple or dict display; dict items are ``(key, value)`` pairs of nodes."""

    items: tuple[Any, ...] = ()
    brackets: str = "[]"
    is_dict: bool = field(default=False)
    #: unpacked into the call it is an argument of (``*[...]``)
    star: bool = False


@dataclass(frozen=True)
class Chain:
    """``base.method(...).method(...)``: a call on the result of another (``with_variant``)."""

    base: Node
    calls: tuple[Call, ...]


Node = Raw | Call | Seq | Chain


def pystr(value: str) -> str:
    """A string literal as ruff writes it: double quotes unless single need fewer escapes (Alembic's: ``repr()``)."""
    text = str.__repr__(value)  # a str subclass's own repr is not a string literal
    if _ALEMBIC_TEXT.get():
        return text
    body = text[1:-1]
    if text[0] == "'":
        # every ' is escaped in a single-quoted repr: the backslash before one is its escape
        body = body.replace("\\'", "'")
    doubles = value.count('"')
    singles = value.count("'")
    if doubles > singles:
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'


def literal(value: Any) -> Node:
    """A node for a plain Python value (str, number, bool, None, list, tuple, dict)."""
    if isinstance(value, str):
        if type(value).__repr__ is not str.__repr__ and not _is_quoted_name(value):
            # a str subclass that says how it is written in source (a constant of the user's module)
            return Raw(repr(value))
        return Raw(pystr(value))
    if isinstance(value, (list, tuple)):
        return Seq(tuple(literal(v) for v in value), "[]" if isinstance(value, list) else "()")
    if isinstance(value, dict):
        return Seq(tuple((literal(k), literal(v)) for k, v in value.items()), "{}", is_dict=True)
    return Raw(repr(value))


def _is_quoted_name(value: str) -> bool:
    return type(value).__name__ == "quoted_name" and type(value).__module__.startswith("sqlalchemy.")


def sort_key(node: Node) -> str:
    """A node's order among its siblings as Alembic orders rendered constraints: by their source text."""
    return flat(node) if _ALEMBIC_TEXT.get() else flat(node).replace('"', "'")


def call(func: str, *args: Node, **kwargs: Node) -> Call:
    """``Call`` with keyword arguments in the order given."""
    return Call(func, tuple(args), tuple(kwargs.items()))


def flat(node: Node) -> str:
    """The node on one line."""
    if isinstance(node, Raw):
        return node.text
    if isinstance(node, Call):
        args, kwargs = [flat(a) for a in node.args], [f"{k}={flat(v)}" for k, v in node.kwargs]
        if node.form == "trail" and _ALEMBIC_TEXT.get():
            # Alembic's template puts ", " after the positional arguments, keywords or not
            return f"{node.func}({', '.join(args)}, {', '.join(kwargs)})"
        return f"{node.func}({', '.join(args + kwargs)})"
    if isinstance(node, Chain):
        return flat(node.base) + "".join(flat(c) for c in node.calls)
    if node.is_dict:
        inner = ", ".join(f"{flat(k)}: {flat(v)}" for k, v in node.items)
    else:
        inner = ", ".join(flat(v) for v in node.items)
        if node.brackets == "()" and len(node.items) == 1:
            inner += ","
    return f"{'*' if node.star else ''}{node.brackets[0]}{inner}{node.brackets[1]}"


def _parts(node: Call | Seq | Chain) -> list[tuple[str, Node]]:
    """(prefix, child) pairs of the items of a bracket, for the exploded layout."""
    if isinstance(node, Call):
        return [("", a) for a in node.args] + [(f"{k}=", v) for k, v in node.kwargs]
    if isinstance(node, Chain):
        return []
    if node.is_dict:
        return [(f"{flat(k)}: ", v) for k, v in node.items]
    return [("", v) for v in node.items]


def layout(node: Node, indent: int, trailer: int = 0, width: int = LINE_LENGTH, lead: int = 0) -> str:
    """The node's source at indentation ``indent``.

    ``lead`` counts what precedes the node on its first line beyond the
    indentation (``key=``), ``trailer`` what follows it (``,``, ``)``). The
    first line carries no indentation (the caller's line has it);
    continuation lines are indented absolutely, closing brackets at ``indent``.
    """
    one_line = flat(node)
    if indent + lead + len(one_line) + trailer <= width or isinstance(node, Raw):
        return one_line
    if isinstance(node, Chain):
        # ruff's "fluent" layout: the base, then one line per call, all at this indentation
        lines = [layout(node.base, indent, 0, width, lead)]
        lines += [" " * indent + layout(c, indent, trailer if i == len(node.calls) - 1 else 0, width)
                  for i, c in enumerate(node.calls)]
        return "\n".join(lines)
    parts = _parts(node)
    if not parts:
        return one_line
    opening = f"{node.func}(" if isinstance(node, Call) else ("*" if node.star else "") + node.brackets[0]
    closing = ")" if isinstance(node, Call) else node.brackets[1]
    pad = " " * (indent + 4)
    lines = [opening]
    for prefix, child in parts:
        lines.append(f"{pad}{prefix}{layout(child, indent + 4, 1, width, len(prefix))},")
    lines.append(" " * indent + closing)
    return "\n".join(lines)


def statement(node: Node, indent: int, suffix: str = "", width: int = LINE_LENGTH, continuation: int | None = None) -> str:
    """A statement line (plus continuation lines) at ``indent``, ending with ``suffix``.

    In Alembic's text, continuation lines are indented by ``continuation``
    (the function body's indentation, default ``indent``) on top of their own.
    """
    if _ALEMBIC_TEXT.get():
        base = indent if continuation is None else continuation
        return " " * indent + alembic_layout(node).replace("\n", "\n" + " " * base) + suffix
    return " " * indent + layout(node, indent, len(suffix), width) + suffix


#: the indentation of ``alter_column``'s keyword lines in Alembic's text
_ALIGNED = " " * 11


def alembic_layout(node: Node) -> str:
    """The node as Alembic's renderer writes it (continuation lines unindented but for the form's own)."""
    if not isinstance(node, Call) or node.form in ("", "trail"):  # "trail" is one line (flat writes it)
        return flat(node)
    args = [flat(a) for a in node.args]
    kwargs = [f"{k}={flat(v)}" for k, v in node.kwargs]
    if node.form == "lines":
        # a table of more columns than a call takes: one unpacked list, an item a line
        args = ["*[" + ",\n".join(flat(i) for i in a.items) + "]" if isinstance(a, Seq) and a.star else flat(a)
                for a in node.args]
        return f"{node.func}(" + ",\n".join([*args, *kwargs]) + "\n)"
    if node.form == "aligned":
        return f"{node.func}(" + ", ".join(args) + "".join(f",\n{_ALIGNED}{kw}" for kw in kwargs) + ")"
    if node.form == "block":
        return f"{node.func}(\n" + ",\n".join("    " + part for part in [*args, *kwargs]) + "\n)"
    raise ValueError(f"unknown form {node.form!r}")


__all__ = [
    "LINE_LENGTH", "Call", "Chain", "Node", "Raw", "Seq", "alembic_layout", "alembic_text", "call", "flat", "layout",
    "literal", "pystr", "ruff_layout", "sort_key", "statement", "writing_alembic_text",
]
