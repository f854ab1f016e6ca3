"""Read a revision file's identifiers without importing it.

``heads`` and ``history`` need four module-level names (``revision``,
``down_revision``, ``branch_labels``, ``depends_on``) and the docstring of
every revision file, and nothing else. Importing thousands of files to get
them (what Alembic does) costs seconds and drags in SQLAlchemy; a full
``ast.parse`` per file is still ~10x too slow. So this module does a single
regular-expression pass over the text that skips comments and string
literals, picks the top-level (column 0) assignments of those four names,
plain or annotated, and evaluates each right-hand side with
:func:`ast.literal_eval`. The leading docstring is read the same way.

When anything is not a plain literal (``down_revision = compute()``, a
``revision`` that is never assigned at column 0, an odd encoding), the scan
answers ``None`` and the caller imports that one module instead: the static
path is an optimisation that never changes the answer for the files it
accepts.

Results are cached per version directory in ``limbeck-headers-v3.<cache tag>.bin``
(in its ``__pycache__``, or where :func:`limbeck.script.cachefile.cache_folder`
says), keyed by the file's relative path and validated by size and
``mtime_ns`` (see :class:`HeaderCache`).
"""

from __future__ import annotations

import functools
import io
import marshal
import os
import re
import sys
from typing import Any, NamedTuple

from limbeck.script.cachefile import cache_folder, write_atomically

__all__ = [
    "CACHE_FILENAME",
    "CACHE_FORMAT",
    "HeaderCache",
    "Headers",
    "read_headers",
    "scan_docstring",
    "scan_headers",
]

#: its version changes with what the scan reads (2: parenthesised docstrings), so no older answer is
#: reused, and with how it is written (3: marshal, 15x faster to write for 5,000 files than JSON)
CACHE_FORMAT = 3
#: marshal's format belongs to the interpreter: the cache tag names it, as for bytecode
CACHE_FILENAME = f"limbeck-headers-v{CACHE_FORMAT}.{sys.implementation.cache_tag}.bin"

HeaderValue = str | tuple[str, ...] | None

_NAMES = ("revision", "down_revision", "branch_labels", "depends_on")


class Headers(NamedTuple):
    """The identifying parts of one revision file, as literally written.

    A named tuple: cheaper to make than a frozen dataclass (one per file on a
    cold read), sent between processes as the tuple it is (see
    :mod:`limbeck.script.scanning`), and :mod:`dataclasses` is not imported.
    """

    revision: str
    down_revision: HeaderValue
    branch_labels: HeaderValue
    depends_on: HeaderValue
    doc: str | None

    def to_json(self) -> list[Any]:
        return [self.revision, _jsonable(self.down_revision), _jsonable(self.branch_labels),
                _jsonable(self.depends_on), self.doc]

    @classmethod
    def from_json(cls, data: list[Any]) -> Headers:
        rev, down, labels, deps, doc = data
        if not isinstance(rev, str) or not (doc is None or isinstance(doc, str)):
            raise ValueError("malformed cache entry")
        return cls(rev, _from_jsonable(down), _from_jsonable(labels), _from_jsonable(deps), doc)


def _jsonable(value: HeaderValue) -> str | list[str] | None:
    return list(value) if isinstance(value, tuple) else value


def _from_jsonable(value: Any) -> HeaderValue:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError("malformed cache entry")


# Column-0 assignments of the four names, plain or annotated. Cheap to find;
# each hit is then checked against the string/comment tokens before it, so a
# line inside a triple-quoted string (an ``op.execute`` body, a docstring)
# never counts.
#
# ``rhs`` is the rest of the line; when that is one plain string or ``None``
# (nearly always), the groups ``s1`` (single-quoted), ``s2`` (double-quoted)
# or ``none`` already hold the value, which saves a second regex per header.
_HEADER = (
    r"(?P<name>revision|down_revision|branch_labels|depends_on)"
    r"[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*"
    r"""(?P<rhs>(?:'(?P<s1>[^'\\\n]*)'|"(?P<s2>[^"\\\n]*)"|(?P<none>None))[ \t]*(?:\#[^\n]*)?(?=\n|\Z)|[^\n]*)"""
)
# Strings and comments, consumed whole. Triple-quoted strings only have their
# opening matched (their end is found with str.find, faster than a regex).
# Every alternative starts with a literal character and none is a group, so the
# regex engine skips to the next quote or ``#`` at C speed instead of trying
# each alternative at each position (with a group first, the scan of a typical
# revision file took 30% more instructions).
_SKIP = r"""\"\"\"|'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*"""
_TRIPLE_QUOTES = ('"""', "'''")
_SEQ = r"""[ \t]*(?P<open>[\(\[])(?P<body>[^()\[\]\\#\n]*)[\)\]][ \t]*(?:\#[^\n]*)?"""
_SEQ_ITEM = r"""[ \t]*(?:'([^'\\\n]*)'|"([^"\\\n]*)")[ \t]*"""
# Blank lines and comments, then the first statement's string literal.
_DOC_START = r"""(?:[ \t\f]*(?:\#[^\n]*)?\n)*[ \t\f]*(?P<prefix>[rRuU]?)(?P<q>\"\"\"|'''|"|')"""
#: a module that opens with a parenthesis: its docstring may be a parenthesised (concatenated) string
_DOC_PAREN = r"""(?:[ \t\f]*(?:\#[^\n]*)?\n)*[ \t\f]*\("""
_DOC_END_OK = r"[ \t\f]*(?:;[ \t\f]*)?(?:\#[^\n]*)?(?:\n|\Z)"
_CODING = rb"^[ \t\f]*#.*?coding[:=]"


class _Regexes:
    """The scan's regular expressions, compiled when the first file is scanned.

    Compiling them costs about 3 ms, more than half of what a warm ``heads``
    does besides starting Python; a warm run (the graph cache answers) scans
    no file, so it does not pay for them.
    """

    def __init__(self) -> None:
        self.header = re.compile("^" + _HEADER, re.M)
        #: the same, found from the line break before it (group 1 is the name; see :func:`_candidates`)
        self.header_line = re.compile("\n" + _HEADER)
        self.skip = re.compile(_SKIP)
        self.seq = re.compile(_SEQ)
        self.seq_item = re.compile(_SEQ_ITEM)
        self.doc_start = re.compile(_DOC_START)
        self.doc_paren = re.compile(_DOC_PAREN)
        self.doc_end_ok = re.compile(_DOC_END_OK)
        self.coding = re.compile(_CODING)


_regexes = functools.cache(_Regexes)


class NotStatic(Exception):
    """The file cannot be read statically; import it instead."""


def decode_source(data: bytes) -> str:
    """Decode Python source bytes the way the interpreter would (PEP 263)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        head = data[:400].split(b"\n", 2)[:2] if data.find(b"coding", 0, 400) >= 0 else ()
        coding = _regexes().coding
        if any(coding.match(line) for line in head):
            # tokenize only for a coding cookie: the header-scanning child (script.precompile) imports this module bare
            import tokenize

            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
            if encoding == "utf-8-sig" and text.startswith("\ufeff"):  # pragma: no cover - handled above
                text = text[1:]
        else:
            text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _string_end(text: str, start: int, quote: str) -> int:
    """Index just past the string whose body starts at *start*."""
    pos = start
    while True:
        end = text.find(quote, pos)
        if end < 0:
            raise NotStatic("unterminated string")
        backslashes = 0
        i = end - 1
        while i >= start and text[i] == "\\":
            backslashes += 1
            i -= 1
        if backslashes % 2 == 0:
            return end + len(quote)
        pos = end + 1


def _literal(rhs: str, text: str, line_end: int) -> tuple[Any, int]:
    """Evaluate an assignment's right-hand side, following continuation lines.

    Returns the value and the offset where the assignment's text ends. One
    plain string or ``None`` never gets here (see :data:`_HEADER`).
    """
    seq = _regexes().seq.fullmatch(rhs)
    if seq is not None:
        body = seq.group("body")
        items = _fast_sequence(body)
        if items is not None:
            if seq.group("open") == "(" and len(items) == 1 and "," not in body:
                return items[0], line_end  # ("abc") is just a parenthesised string
            return items, line_end
    # ast only where the scan gives up: the header-scanning child (script.precompile) imports this module bare
    import ast

    candidate = rhs
    pos = line_end
    for _ in range(200):
        try:
            return ast.literal_eval(candidate.strip()), pos
        except SyntaxError:
            if pos >= len(text):
                break
            nxt = text.find("\n", pos + 1)
            nxt = len(text) if nxt < 0 else nxt
            candidate += text[pos:nxt]
            pos = nxt
        except (ValueError, TypeError, MemoryError, RecursionError) as exc:
            raise NotStatic(f"not a literal: {rhs!r}") from exc
    raise NotStatic(f"not a literal: {rhs!r}")


def _fast_sequence(body: str) -> tuple[str, ...] | None:
    """``'a', "b",`` -> ``("a", "b")`` without the parser, or None if unsure."""
    if not body.strip():
        return ()
    items: list[str] = []
    parts = body.split(",")
    if not parts[-1].strip():
        parts.pop()
    item = _regexes().seq_item.fullmatch
    for part in parts:
        m = item(part)
        if m is None:
            return None
        items.append(m.group(1) if m.group(1) is not None else m.group(2))
    return tuple(items)


def _normalise(name: str, value: Any) -> HeaderValue:
    if value is None or isinstance(value, str):
        if name == "revision" and not isinstance(value, str):
            raise NotStatic("revision is not a string")
        return value
    if name != "revision" and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise NotStatic(f"{name} is not a string or a sequence of strings")


def scan_docstring(text: str) -> str | None:
    """The module docstring of decoded source *text* (``None`` when absent)."""
    return _docstring(text, _regexes())


def _docstring(text: str, rx: _Regexes) -> str | None:
    m = rx.doc_start.match(text)
    if m is None:
        # ("""...""" "") is a docstring too (python-watcher's 15f7375ca737): the parser decides
        return _docstring_by_ast(text) if rx.doc_paren.match(text) else None
    quote = m.group("q")
    body_start = m.end()
    end = _string_end(text, body_start, quote)
    if not rx.doc_end_ok.match(text, end):
        # Implicit concatenation, a method call on the string, a line
        # continuation...: let the real parser decide what the docstring is.
        return _docstring_by_ast(text)
    token = text[m.start("prefix"):end]
    if "\\" not in token and not m.group("prefix"):
        return text[body_start:end - len(quote)]
    # ast only where the scan gives up: the header-scanning child (script.precompile) imports this module bare
    import ast

    try:
        value = ast.literal_eval(token)
    except (SyntaxError, ValueError) as exc:
        raise NotStatic("undecodable docstring") from exc
    return value if isinstance(value, str) else None


def _docstring_by_ast(text: str) -> str | None:
    # ast only where the scan gives up: the header-scanning child (script.precompile) imports this module bare
    import ast

    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise NotStatic("syntax error") from exc
    return ast.get_docstring(tree, clean=False)


def _candidates(text: str, rx: _Regexes) -> list[re.Match[str]]:
    """Column-0 assignments of the header names, in file order.

    One pass of ``header_line``, whose literal first character (a line
    break) lets the regex engine skip to the next line at C speed: half the
    instructions of one ``str.find`` pass per name plus a sort.
    """
    hits = list(rx.header_line.finditer(text))
    if text.startswith(_NAMES):
        m = rx.header.match(text)
        if m is not None:
            hits.insert(0, m)
    return hits


def scan_headers(text: str) -> Headers:
    """Statically read the revision identifiers of decoded source *text*.

    Raises:
        NotStatic: the file needs to be imported to know its identifiers.
    """
    found: dict[str, Any] = {}
    code_from = 0  # text before this offset has been classified
    token_end = 0  # end of the last string/comment token seen
    # The first string/comment token at or after some offset <= token_end, kept between
    # candidates: when it starts at or after token_end it is also the first one from there
    # (a match of _SKIP does not depend on where the search began), so it is not searched again.
    tok: re.Match[str] | None = None
    rx = _regexes()
    search = rx.skip.search
    for m in _candidates(text, rx):
        start = m.start(1)
        if start < code_from:
            continue  # part of a previous header's continuation lines
        # Advance over string/comment tokens that begin before this line.
        while token_end <= start:
            if tok is None or tok.start() < token_end:
                tok = search(text, token_end)
                if tok is None:
                    break
            if tok.start() >= start:
                break
            tq = tok.group()
            token_end = _string_end(text, tok.end(), tq) if tq in _TRIPLE_QUOTES else tok.end()
        else:
            continue  # the candidate line sits inside a string
        name, rhs, single, double, none = m.groups()
        if single is not None:
            found[name] = single
            code_from = m.end()
        elif double is not None:
            found[name] = double
            code_from = m.end()
        elif none is not None:
            if name == "revision":
                raise NotStatic("revision is not a string")
            found[name] = None
            code_from = m.end()
        else:
            value, code_from = _literal(rhs, text, m.end())
            found[name] = _normalise(name, value)
        if code_from > token_end:
            token_end = code_from
    if "revision" not in found or "down_revision" not in found:
        raise NotStatic("revision or down_revision is not assigned literally at top level")
    return Headers(
        revision=found["revision"],
        down_revision=found["down_revision"],
        branch_labels=found.get("branch_labels"),
        depends_on=found.get("depends_on"),
        doc=_docstring(text, rx),
    )


def read_headers(path: str | os.PathLike[str], size: int = -1) -> Headers | None:
    """Headers of the revision file at *path*, or ``None`` if it must be imported.

    ``size``: the file's size as the caller just saw it, which saves asking
    again (any size is only a hint: the file is read to its end).
    """
    try:
        return scan_headers(decode_source(read_file(path, size)))
    except (NotStatic, UnicodeDecodeError, SyntaxError, LookupError):
        return None


def read_file(path: str | os.PathLike[str], size: int = -1) -> bytes:
    """The whole content of the file at *path*, in one ``read`` where ``size`` is right.

    Half the cost of ``open(path, "rb").read()``, whose file objects take
    longer to make than the read itself on a small revision file.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        if size < 0:
            size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        while True:  # to the end, as a file object reads: the size may be stale
            more = os.read(fd, 65536)
            if not more:
                return data
            data += more
    finally:
        os.close(fd)


class HeaderCache:
    """On-disk memo of :func:`read_headers` results for one version directory.

    Why on disk: the static scan is fast, but a warm ``heads`` on thousands of
    files should not even read them. Each entry is keyed by the path relative
    to the version directory and carries the file's size and ``mtime_ns``;
    a changed, added or removed file invalidates only its own entry. The file
    lives in ``__pycache__`` (already ignored by every VCS setup; elsewhere
    under ``PYTHONDONTWRITEBYTECODE`` or a prefix, see ``cache_folder``), is written
    atomically, and any failure to read or write it is silent: the cache can
    only make things faster, never wrong or broken.
    """

    def __init__(self, directory: str | os.PathLike[str], folder: str | None = None) -> None:
        self.directory = os.fspath(directory)
        #: ``folder``: where the cache file goes (a child is told; see :func:`cache_folder`)
        folder = folder if folder is not None else cache_folder(self.directory)
        self.path = os.path.join(folder, CACHE_FILENAME) if folder else None
        self._entries: dict[str, list[Any]] = {}
        self._seen: set[str] = set()
        self._dirty = False
        self._load()

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as fh:
                data = marshal.loads(fh.read())
        except (OSError, ValueError, EOFError, TypeError):
            return
        if isinstance(data, dict) and data.get("version") == CACHE_FORMAT and isinstance(data.get("files"), dict):
            self._entries = data["files"]

    def get(self, relpath: str, size: int, mtime_ns: int) -> Headers | None:
        """The cached headers for *relpath* if the file is unchanged."""
        self._seen.add(relpath)
        entry = self._entries.get(relpath)
        if entry is None or not isinstance(entry, list) or len(entry) != 3:
            return None
        if entry[0] != size or entry[1] != mtime_ns:
            return None
        try:
            return Headers.from_json(entry[2])
        except (ValueError, TypeError):
            return None

    def put(self, relpath: str, size: int, mtime_ns: int, headers: Headers) -> None:
        """Remember *headers* for the file at *relpath* in its current state."""
        self._seen.add(relpath)
        self._entries[relpath] = [size, mtime_ns, headers.to_json()]
        self._dirty = True

    def forget(self, relpath: str) -> None:
        """Mark *relpath* as seen but not cacheable (it needs importing)."""
        self._seen.add(relpath)
        if self._entries.pop(relpath, None) is not None:
            self._dirty = True

    def save(self) -> None:
        """Write the cache if it changed; entries of files not seen are dropped."""
        stale = set(self._entries) - self._seen
        if stale:
            for key in stale:
                del self._entries[key]
            self._dirty = True
        if not self._dirty or self.path is None:
            return
        # version 2: no back-references, so the same entries are the same bytes whatever else holds them
        payload = marshal.dumps({"version": CACHE_FORMAT, "files": self._entries}, 2)
        if write_atomically(self.path, ".limbeck-headers-", lambda fh: fh.write(payload)):
            self._dirty = False
