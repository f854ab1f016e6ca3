"""Text and JSON renderings of revision scripts, shared by every command that lists revisions.

People parse the output of ``heads``, ``history``, ``branches``, ``show`` and ``current``
with scripts written against Alembic, so the text here reproduces Alembic's byte for byte.
The one deliberate difference: where Alembic prints the members of a *set* (branch labels,
the revisions a branch point branches into) in hash order, which changes from one run to the
next, limbeck sorts them so the output is reproducible.

``Script.cmd_format`` and ``Script.log_entry`` delegate here; the functions only read
attributes of the script (``revision``, ``down_revision``, ``dependencies``,
``branch_labels``, ``nextrev``, ``is_head`` and friends, ``path``, ``doc``, ``longdoc``), so
they work on any object shaped like an Alembic ``Script``.

This module must stay import-light: ``limbeck heads`` and ``limbeck history`` load it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

__all__ = [
    "ScriptLike",
    "branch_children_line",
    "cmd_format",
    "format_down_revision",
    "log_entry",
    "revision_record",
    "to_tuple",
]


class ScriptLike(Protocol):
    """The attributes of ``limbeck.script.Script`` that rendering reads."""

    revision: str
    down_revision: Any
    dependencies: Any
    branch_labels: Any
    nextrev: Any
    path: str

    @property
    def is_head(self) -> bool: ...

    @property
    def _is_real_head(self) -> bool: ...

    @property
    def is_branch_point(self) -> bool: ...

    @property
    def is_merge_point(self) -> bool: ...

    @property
    def doc(self) -> str: ...

    @property
    def longdoc(self) -> str: ...


def to_tuple(value: Any) -> tuple[str, ...]:
    """Normalise a header value (``None``, a string, or a sequence of strings) to a tuple.

    Revision headers accept all three spellings, and rendering must not care which one a
    script author chose. An empty value (``depends_on = ""``) declares nothing, as Alembic
    reads it.
    """
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _sorted(values: Any) -> list[str]:
    # Alembic prints these sets in hash order; sorting keeps output stable between runs.
    return sorted(to_tuple(values))


def format_down_revision(script: ScriptLike) -> str:
    """The "parents" column: ``<base>`` for a root, else the down revisions in file order."""
    down = to_tuple(script.down_revision)
    return ", ".join(down) if down else "<base>"


def _current_marker(script: ScriptLike) -> str:
    # ``history --indicate-current`` sets ``_db_current_indicator`` on each walked script,
    # as Alembic does; other callers never set it, hence the getattr default.
    return " (current)" if getattr(script, "_db_current_indicator", None) else ""


def _short_head_marker(script: ScriptLike) -> str:
    # A head that another revision depends on is only an "effective" head: upgrading to
    # "heads" reaches it through the dependency, so Alembic words it differently.
    if script._is_real_head:
        return " (head)"
    if script.is_head:
        return " (effective head)"
    return ""


def _tree_markers(script: ScriptLike) -> str:
    text = ""
    if script.is_branch_point:
        text += " (branchpoint)"
    if script.is_merge_point:
        text += " (mergepoint)"
    if getattr(script, "checkpoint_path", None):
        # a limbeck checkpoint stands for this revision (limbeck.script.checkpoints)
        text += " (checkpoint)"
    return text


def _tag_marker(script: ScriptLike) -> str:
    # release tags (limbeck.script.tags), named as git decorates a commit
    tags = getattr(script, "tags", ())
    return f" ({', '.join(f'tag: {t}' for t in tags)})" if tags else ""


def log_entry(script: ScriptLike) -> str:
    """The multi-line block of ``show``, ``history -v``, ``heads -v`` and ``branches -v``.

    Ends with a newline, so printing it leaves the blank line Alembic puts between entries.
    """
    marker = " (head)" if script.is_head else ""
    marker += _tree_markers(script) + _current_marker(script)
    lines = [f"Rev: {script.revision}{marker}"]
    if script.is_merge_point:
        lines.append(f"Merges: {format_down_revision(script)}")
    else:
        lines.append(f"Parent: {format_down_revision(script)}")
    dependencies = to_tuple(script.dependencies)
    if dependencies:
        lines.append(f"Also depends on: {', '.join(dependencies)}")
    if script.is_branch_point:
        lines.append(f"Branches into: {', '.join(_sorted(script.nextrev))}")
    if script.branch_labels:
        lines.append(f"Branch names: {', '.join(_sorted(script.branch_labels))}")
    tags = getattr(script, "tags", ())
    if tags:
        lines.append(f"Tags: {', '.join(tags)}")
    checkpoint = getattr(script, "checkpoint_path", None)
    if checkpoint and checkpoint != script.path:
        lines.append(f"Checkpoint: {checkpoint}")
    elif checkpoint:
        lines.append(f"Replaces: {len(getattr(script, 'replaces', ()))} revisions")
    lines.append(f"Path: {script.path}")
    lines.append("")
    doc_lines = "\n".join(f"    {line}" for line in (script.longdoc or "").splitlines())
    return "\n".join(lines) + "\n" + doc_lines + "\n"


def cmd_format(
    script: ScriptLike,
    verbose: bool,
    include_branches: bool = False,
    include_doc: bool = False,
    include_parents: bool = False,
    tree_indicators: bool = True,
    head_indicators: bool = True,
) -> str:
    """One revision as a command prints it.

    ``verbose`` selects :func:`log_entry`; otherwise a one-line summary
    ``[parents [(dependencies)] -> ]rev [(labels)] [(head)] [(current)] [(branchpoint)]
    [(mergepoint)][, doc]``. ``head_indicators=False`` together with
    ``tree_indicators=False`` drops the head and current markers (Alembic's
    ``Script._head_only``); Alembic's ``cmd_format`` always shows them, which the ``True``
    default reproduces.
    """
    if verbose:
        return log_entry(script)
    text = ""
    if include_parents:
        dependencies = to_tuple(script.dependencies)
        text = format_down_revision(script)
        if dependencies:
            text += f" ({', '.join(dependencies)})"
        text += " -> "
    text += script.revision
    if include_branches and script.branch_labels:
        text += f" ({', '.join(_sorted(script.branch_labels))})"
    text += _tag_marker(script)
    if head_indicators or tree_indicators:
        text += _short_head_marker(script) + _current_marker(script)
    if tree_indicators:
        text += _tree_markers(script)
    if include_doc:
        text += f", {script.doc}"
    return text


def branch_children_line(parent: ScriptLike, child: ScriptLike, verbose: bool) -> str:
    """A ``branches`` child line: ``-> child`` indented by the width of the parent's id."""
    pad = " " * len(str(parent.revision))
    return f"{pad} -> {cmd_format(child, False, include_branches=True, include_doc=verbose)}"


def revision_record(
    script: ScriptLike, current: Iterable[str] | None = None
) -> dict[str, Any]:
    """One revision as a JSON object for ``heads --format json`` / ``history --format json``.

    A limbeck addition: tools get the graph facts without parsing text. ``is_current`` is
    ``null`` unless the caller asked the database (``history --indicate-current``).
    """
    current_set = None if current is None else set(current)
    return {
        "revision": script.revision,
        "down_revisions": list(to_tuple(script.down_revision)),
        "next_revisions": sorted(script.nextrev),
        "dependencies": list(to_tuple(script.dependencies)),
        "branch_labels": _sorted(script.branch_labels),
        "is_head": bool(script.is_head),
        "is_branch_point": bool(script.is_branch_point),
        "is_merge_point": bool(script.is_merge_point),
        "is_current": None if current_set is None else script.revision in current_set,
        "path": str(script.path),
        "doc": script.doc,
        "tags": list(getattr(script, "tags", ())),
        "checkpoint": getattr(script, "checkpoint_path", None),
    }
