"""The manifest: chained SHA-256 over the revision sources and the SQL emitted from them.

Format (UTF-8 text, one entry a line, ``#`` lines are the header)::

    # limbeck manifest 1
    # range: base:heads
    # dialects: postgresql mssql
    source <sha256 of file> <chain> versions/a1_create_account.py
    sql <sha256 of file> <chain> postgresql/0001_a1_create_account.upgrade.sql

``chain`` is SHA-256 of the previous line's chain (the first line: of the
header), a newline, and ``<kind> <file sha256> <path>``: each chain value
covers its file and every line before it, so the last one (the *manifest
hash*) fingerprints the whole approval. Sources come first, in upgrade
order, with paths relative to the script directory; then each dialect's
files, with paths relative to the output folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from limbeck.review.errors import ManifestMismatch

MANIFEST_NAME = "MANIFEST.limbeck"
VERSION = "1"
SOURCE, SQL = "source", "sql"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    digest: str
    path: str

    @property
    def text(self) -> str:
        return f"{self.kind} {self.digest} {self.path}"


@dataclass(frozen=True, slots=True)
class Line:
    entry: Entry
    chain: str

    def render(self) -> str:
        e = self.entry
        return f"{e.kind} {e.digest} {self.chain} {e.path}"


@dataclass(frozen=True)
class Manifest:
    """A range, its dialects, and the chained entries."""

    range: str
    dialects: tuple[str, ...]
    lines: tuple[Line, ...]

    @property
    def header(self) -> list[str]:
        return [f"# limbeck manifest {VERSION}", f"# range: {self.range}", f"# dialects: {' '.join(self.dialects)}"]

    @property
    def digest(self) -> str:
        """The manifest hash: the last chain value."""
        return self.lines[-1].chain if self.lines else chain_start(self.header)

    def render(self) -> str:
        return "\n".join([*self.header, *(line.render() for line in self.lines)]) + "\n"

    @classmethod
    def build(cls, range_: str, dialects: Sequence[str], entries: Iterable[Entry]) -> Manifest:
        empty = cls(range_, tuple(dialects), ())
        return cls(range_, tuple(dialects), tuple(chained(empty.header, entries)))


def chain_start(header: Sequence[str]) -> str:
    return sha256("\n".join(header).encode("utf-8"))


def chain_next(previous: str, entry: Entry) -> str:
    return sha256(f"{previous}\n{entry.text}".encode())


def chained(header: Sequence[str], entries: Iterable[Entry]) -> list[Line]:
    previous = chain_start(header)
    lines = []
    for entry in entries:
        previous = chain_next(previous, entry)
        lines.append(Line(entry, previous))
    return lines


def source_entry(path: str, script_dir: str) -> Entry:
    """The entry of a revision file; its path relative to the script directory."""
    with open(path, "rb") as handle:
        data = handle.read()
    rel = os.path.relpath(path, script_dir).replace(os.sep, "/")
    return Entry(SOURCE, sha256(data), rel)


def parse(text: str, where: str) -> Manifest:
    """Read a manifest; any malformed line is a one-line error naming ``where``."""
    lines = text.splitlines()
    header = lines[:3]
    if len(header) < 3 or header[0] != f"# limbeck manifest {VERSION}":
        raise ManifestMismatch(f"{where}: not a limbeck manifest (expected '# limbeck manifest {VERSION}' first)")
    range_ = _header_value(header[1], "range", where)
    dialects = tuple(_header_value(header[2], "dialects", where).split())
    entries = []
    for number, raw in enumerate(lines[3:], start=4):
        parts = raw.split(" ", 3)
        if len(parts) != 4 or parts[0] not in (SOURCE, SQL):
            raise ManifestMismatch(f"{where}:{number}: malformed manifest line")
        kind, digest, chain, path = parts
        entries.append(Line(Entry(kind, digest, path), chain))
    return Manifest(range_, dialects, tuple(entries))


def _header_value(line: str, key: str, where: str) -> str:
    prefix = f"# {key}: "
    if not line.startswith(prefix):
        raise ManifestMismatch(f"{where}: manifest header is missing '{prefix.strip()}'")
    return line[len(prefix) :]


def broken_link(manifest: Manifest) -> int | None:
    """Index of the first line whose chain does not follow from the lines above, if any."""
    expected = chained(manifest.header, (line.entry for line in manifest.lines))
    for index, (line, good) in enumerate(zip(manifest.lines, expected)):
        if line.chain != good.chain:
            return index
    return None
