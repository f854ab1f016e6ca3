"""Checkpoints: one file that builds, from nothing, the schema a long history builds.

``limbeck squash base:REV`` writes ``checkpoints/<REV>_<slug>.py`` in the
script directory, beside ``versions/``. The file is an ordinary revision
file (``upgrade()`` / ``downgrade()`` with ``op.*`` calls) whose header says
``revision = "REV"``, ``down_revision = None`` and
``replaces = (...every revision at or below REV...)``: it is another way to
reach REV, the same revision id, from an empty database.

While the replaced files are still in ``versions/`` (the transition), the
checkpoint stays beside the revision graph, in ``RevisionMap.checkpoints``;
:func:`choose` swaps it in for the replaced revisions exactly when a run
crosses all of them (an upgrade from nothing, a downgrade to nothing), and
a database anywhere inside the range keeps moving through the old files.
The version table then holds REV, as if the old files had run, so the
revisions after REV chain on unchanged.

Once every replaced file is deleted, the checkpoint *is* revision REV in
the graph (a base revision); moving it into ``versions/`` then makes the
directory a plain Alembic one again. Only REV may be built on from outside
the range (``squash`` refuses other ranges), so nothing is left pointing at
a deleted file.

Alembic never looks in ``checkpoints/``: it keeps running the old files.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from limbeck.errors import CommandError
from limbeck.script.headers import read_headers

if TYPE_CHECKING:
    from limbeck.script.base import Script
    from limbeck.script.directory import ScriptDirectory
    from limbeck.script.revision import Revision, RevisionMap

__all__ = [
    "CHECKPOINTS_DIRNAME", "checkpoint_files", "checkpoint_folder", "choose", "declared_labels", "include", "read_checkpoint",
    "replaced_range", "squash_range",
]

CHECKPOINTS_DIRNAME = "checkpoints"

_REPLACES = re.compile(r"^replaces[ \t]*(?::[^=\n]*)?=[ \t]*", re.MULTILINE)


def checkpoint_folder(script_dir: str) -> str:
    """The checkpoints of the environment in *script_dir*."""
    return os.path.join(script_dir, CHECKPOINTS_DIRNAME)


def _replaces(path: str, text: str) -> tuple[str, ...]:
    """The ``replaces`` tuple of a checkpoint's source, read without importing it."""
    match = _REPLACES.search(text)
    if match is None:
        raise CommandError(f"{path}: a checkpoint needs a top-level 'replaces = (...)' naming the revisions it replaces")
    start = match.end()
    value = None
    end = text.find(")", start)
    for _ in range(16):  # the first ")" that closes a literal (an id may hold one)
        if end < 0:
            break
        try:
            value = ast.literal_eval(text[start:end + 1])
            break
        except (SyntaxError, ValueError):
            end = text.find(")", end + 1)
    if not isinstance(value, tuple) or not value or not all(isinstance(v, str) for v in value):
        raise CommandError(f"{path}: 'replaces' must be a literal tuple of revision ids")
    return value


def read_checkpoint(path: str) -> Script:
    """The checkpoint file at *path* as a lazy :class:`Script` carrying ``replaces``.

    Raises:
        CommandError: the header is not a checkpoint's (one line naming the file).
    """
    from limbeck.script.base import Script
    from limbeck.script.headers import decode_source

    headers = read_headers(path)
    if headers is None:
        raise CommandError(f"{path}: a checkpoint's revision, down_revision and replaces must be plain literals")
    if headers.down_revision is not None or headers.depends_on is not None:
        raise CommandError(f"{path}: a checkpoint starts from base: down_revision and depends_on must be None")
    with open(path, "rb") as fh:
        text = decode_source(fh.read())
    replaces = _replaces(path, text)
    if headers.revision not in replaces:
        raise CommandError(f"{path}: 'replaces' must include the checkpoint's own revision {headers.revision}")
    script = Script(None, headers.revision, path, headers=headers)
    script.replaces = replaces
    script.checkpoint_path = path
    return script


def checkpoint_files(folder: str) -> list[str]:
    """The checkpoint files in *folder*, in the order they are read (the graph cache keys on them)."""
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    return [os.path.join(folder, n) for n in names if n.endswith(".py") and not n.startswith(("__init__", ".#"))]


def include(sd: ScriptDirectory, scripts: list[Script], by_id: dict[str, Script]) -> dict[str, str]:
    """Put the checkpoints of *sd* in place, before the graph is built.

    A checkpoint whose revision has its file in ``versions/`` is kept
    beside the graph (``revision_map.checkpoints``); one whose replaced
    files are all gone joins *scripts* and *by_id* as that revision.
    Returns the retired ids (replaced, file gone) with the reason.

    Raises:
        CommandError: two checkpoints for one revision, or some replaced
            files deleted and others not.
    """
    retired: dict[str, str] = {}
    # smaller first: a checkpoint standing for a revision a larger one replaces is in place before it
    found = sorted((read_checkpoint(p) for p in checkpoint_files(checkpoint_folder(sd.dir))), key=lambda c: len(c.replaces))
    for checkpoint in found:
        path = str(checkpoint.checkpoint_path)
        tip = checkpoint.revision
        if tip in by_id and by_id[tip].checkpoint_path is not None:
            raise CommandError(f"{path}: revision {tip} already has a checkpoint, {by_id[tip].checkpoint_path}")
        if tip in by_id:
            missing = [r for r in checkpoint.replaces if r not in by_id]
            if missing:
                raise CommandError(
                    f"{path}: replaces {missing[0]}, whose file is gone while {tip}'s is still in versions/; "
                    "delete the replaced files all together, or none"
                )
            sd.revision_map.register_checkpoint(checkpoint)
            by_id[tip].checkpoint_path = path
            continue
        left = [r for r in checkpoint.replaces if r in by_id]
        if left:
            raise CommandError(
                f"{path}: replaces {left[0]} ({by_id[left[0]].path}), still present while {tip}'s file is gone; "
                "delete the replaced files all together, or none"
            )
        scripts.append(checkpoint)
        by_id[tip] = checkpoint
        for rev in checkpoint.replaces:
            if rev != tip:
                retired[rev] = (
                    f"revision {rev} was squashed into checkpoint {tip} ({path}) and its file is gone; "
                    "a database there needs a release that still has it"
                )
    return retired


def replaced_range(rmap: RevisionMap, tip: str) -> set[str]:
    """Every revision an upgrade from nothing to *tip* runs: *tip* and all below it."""
    found = rmap.get_revisions(tip)
    return {r.revision for r in rmap._get_ancestor_nodes(found, include_dependencies=True)}


def choose(rmap: RevisionMap, revisions: Sequence[Revision], upgrading: bool) -> list[Revision]:
    """*revisions* (in run order) with each checkpoint that covers a whole range it crosses.

    A checkpoint applies when every revision it replaces is in the run: an
    upgrade of a database holding none of them, or a downgrade removing all
    of them. It takes the place of the first replaced revision going up
    (everything that needs the range comes later) and of the last going
    down. Larger checkpoints are tried first, so a newer checkpoint wins
    over the older one it contains.

    Raises:
        CommandError: a checkpoint's ``replaces`` no longer matches the
            history below its revision (a revision was added or removed
            there since the squash).
    """
    if not rmap.checkpoints or not revisions:
        return list(revisions)
    result = list(revisions)
    in_run = {r.revision for r in result}
    for tip, checkpoint in sorted(rmap.checkpoints.items(), key=lambda item: -len(item[1].replaces)):
        replaced = set(checkpoint.replaces)
        if not replaced <= in_run:
            continue
        _check_range(rmap, tip, checkpoint)
        positions = [i for i, r in enumerate(result) if r.revision in replaced]
        at = positions[0] if upgrading else positions[-1]
        kept = [r for i, r in enumerate(result) if i == at or r.revision not in replaced]
        result = [checkpoint if r is result[at] else r for r in kept]
        in_run -= replaced
    return result


def _check_range(rmap: RevisionMap, tip: str, checkpoint: Revision) -> None:
    below = replaced_range(rmap, tip)
    recorded = set(checkpoint.replaces)
    if below != recorded:
        extra = sorted(below - recorded) or sorted(recorded - below)
        what = "is below" if below - recorded else "is no longer below"
        raise CommandError(
            f"{checkpoint.checkpoint_path}: revision {extra[0]} {what} {tip} but the checkpoint says otherwise; "
            f"squash base:{tip} again"
        )


def squash_range(rmap: RevisionMap, tip: str) -> list[Revision]:
    """What ``squash base:<tip>`` replaces, oldest first.

    Raises:
        CommandError: a revision outside the range builds on one inside it
            other than *tip* (the checkpoint could then never replace the
            range: that revision needs the old file), or *tip* already has
            a checkpoint.
    """
    replaced = replaced_range(rmap, tip)
    if tip in rmap.checkpoints:
        raise CommandError(f"revision {tip} already has a checkpoint, {rmap.checkpoints[tip].checkpoint_path}")
    ordered = list(rmap.iterate_revisions(tip, None, implicit_base=True))[::-1]
    everything = list(rmap.iterate_revisions("heads", None, implicit_base=True))
    for rev in everything:
        if rev.revision in replaced:
            continue
        inside = [d for d in rev._all_down_revisions if d in replaced and d != tip]
        if inside:
            path = getattr(rev, "path", rev.revision)
            raise CommandError(
                f"squash base:{tip}: revision {rev.revision} ({path}) builds on {inside[0]}, inside the range; "
                f"squash up to a revision every branch has merged into{_closed_hint(rmap, replaced)}"
            )
    return ordered


def _closed_hint(rmap: RevisionMap, below: set[str]) -> str:
    """``, e.g. <id>``: the newest revision of *below* whose own range nothing outside builds into."""
    everything = list(rmap.iterate_revisions("heads", None, implicit_base=True))
    tried = 0
    for rev in everything:
        if rev.revision not in below:
            continue
        if _is_closed(rmap, rev.revision, everything):
            return f", e.g. {rev.revision}"
        tried += 1
        if tried == _HINT_TRIES:
            break
    return ""


#: how many candidates the error message's hint tries (each costs a walk of the history)
_HINT_TRIES = 50


def _is_closed(rmap: RevisionMap, tip: str, everything: Sequence[Revision]) -> bool:
    replaced = replaced_range(rmap, tip)
    return not any(
        rev.revision not in replaced and any(d in replaced and d != tip for d in rev._all_down_revisions)
        for rev in everything
    )


def declared_labels(revisions: Iterable[Revision], tip: str, rmap: RevisionMap) -> list[str]:
    """The branch labels declared on the revisions below *tip* along ``down_revision`` (they reach *tip*)."""
    versioned = {r.revision for r in rmap._get_ancestor_nodes(rmap.get_revisions(tip), include_dependencies=False)}
    return sorted({label for r in revisions if r.revision in versioned for label in r._orig_branch_labels})
