"""``limbeck squash`` and ``limbeck check-squash`` (see :mod:`limbeck.squash`).

``squash base:REV`` builds REV on a scratch database with the replaced
revisions' own files, reflects it into ``checkpoints/<REV>_<slug>.py``, and
proves the file on that same database before it returns. ``check-squash``
proves an existing checkpoint again, on other databases (``--url``), after
the file was edited, or in CI.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from limbeck.commands import script_directory
from limbeck.errors import CommandError

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import ScriptDirectory
    from limbeck.script.revision import Revision
    from limbeck.squash.build import Body


def _tip(script: ScriptDirectory, revision_range: str) -> str:
    start, sep, end = revision_range.partition(":")
    if not sep or start not in ("", "base") or not end:
        raise CommandError(f"squash: expected base:REV, got {revision_range!r} (a checkpoint starts from an empty database)")
    found = [r for r in script.get_revisions(end) if r is not None]
    if len(found) != 1:
        raise CommandError(f"squash: {end!r} names {len(found)} revisions; name one (merge the heads first)")
    return str(found[0].revision)


def _op_module(script: ScriptDirectory) -> str:
    """Where the checkpoint imports op from: as the project's revision template does.

    ``alembic`` or ``limbeck`` when the template names one; limbeck's own
    templates choose when they render (``alembic`` while limbeck stands in for it).
    """
    try:
        with open(os.path.join(script.dir, "script.py.mako"), encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        text = ""
    for package in ("alembic", "limbeck"):
        if f"from {package} import" in text:
            return package
    # the compat switch only when squashing: listings import this module
    from limbeck.compat.switch import switched_on

    return "alembic" if switched_on() else "limbeck"


def _warn(text: str) -> None:
    sys.stderr.write(f"WARNING: {text}\n")


def squash(
    config: Config, revision_range: str, message: str | None = None, url: str | None = None,
    schemas: Sequence[str] = (),
) -> str:
    """Write the checkpoint of ``base:REV``; returns its path.

    Raises:
        CommandError: not a ``base:REV`` range, a range something outside
            builds into, an existing checkpoint, a scratch database that is
            not empty or that env.py does not connect to, or a checkpoint
            that does not build what its revisions build (the file is
            written; the message says what differs).
    """
    from limbeck.script.checkpoints import (
        declared_labels,
        read_checkpoint,
        squash_range,
    )
    from limbeck.squash.build import UNKNOWN
    from limbeck.squash.check import plain_upgrade, verify
    from limbeck.squash.scratch import run_on, scratch_url, shown

    script = script_directory(config)
    tip = _tip(script, revision_range)
    rmap = script.revision_map
    replaced = squash_range(rmap, tip)
    with scratch_url(url) as scratch:
        run_on(config, script, scratch, lambda heads, ctx: plain_upgrade(rmap, tip), fresh=True)
        found: dict[str, Any] = {}
        run_on(config, script, scratch, _reflect_into(found, tip, schemas))
        body: Body = found["body"]
        path = _write(config, script, tip, message, replaced, body, found["dialect"], declared_labels(replaced, tip, rmap))
        hidden = [(kind, name) for kind, name in body.hidden if kind != UNKNOWN]
        for kind, name in body.hidden:
            if kind == UNKNOWN:
                _warn(f"{path}: {name}; check by hand that the checkpoint builds them")
            else:
                _warn(f"{path}: the replaced revisions made {kind} {name}, which this checkpoint does not build; add it by hand")
        if hidden:
            listed = ", ".join(f"{kind} {name}" for kind, name in hidden)
            raise CommandError(
                f"{path} was written, but it does not build what reflection cannot see ({listed}): add that to "
                "its upgrade() and downgrade() by hand, then run limbeck check-squash"
            )
        outcome = verify(config, script, read_checkpoint(path), scratch, schemas, built=found["dump"], clean=url is not None)
    config.print_stdout(
        f"Checkpoint {tip} replaces {len(replaced)} revisions: {body.tables} tables, {body.rows} seeded rows; "
        f"it {outcome.summary()}"
    )
    if not outcome.same:
        raise CommandError(f"{path} was written, but it {outcome.summary()}; edit it, then run limbeck check-squash")
    if url is None:
        config.print_stdout(f"Built on a temporary SQLite database; prove it on yours with limbeck check-squash {tip} --url URL")
    else:
        config.print_stdout(f"The scratch database {shown(url)} is empty again")
    return path


def _reflect_into(found: dict[str, Any], tip: str, schemas: Sequence[str]) -> Any:
    from limbeck.squash.build import build
    from limbeck.squash.dump import dump

    def fn(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        if tuple(heads) != (tip,):
            raise CommandError(f"after upgrading the scratch database to {tip}, its version table holds {', '.join(heads)}")
        found["dump"] = dump(context, schemas)
        found["body"] = build(context, schemas)
        found["dialect"] = context.behaviour.display_name
        return []

    return fn


def _write(
    config: Config, script: ScriptDirectory, tip: str, message: str | None, replaced: Sequence[Revision],
    body: Body, built_on: str, labels: Sequence[str],
) -> str:
    from limbeck.script.checkpoints import checkpoint_folder
    from limbeck.script.generate import create_date, revision_path
    from limbeck.script.tags import TagFile, tags_path
    from limbeck.squash.render import Header, checkpoint_source
    from limbeck.util import status

    created = create_date(script.timezone)
    text = message or f"checkpoint of base:{tip}"
    ids = {r.revision for r in replaced}
    tags = {t.name: t.revision for t in TagFile.read(tags_path(script.dir)).tags.values() if t.revision in ids}
    header = Header(
        tip, text, [r.revision for r in replaced], labels, f"a {built_on} database", created,
        _op_module(script), tags,
    )
    folder = checkpoint_folder(script.dir)
    path = str(revision_path(folder, script.file_template, tip, text, created, script.truncate_slug_length))
    if os.path.exists(path):
        raise CommandError(f"File {path} already exists; refusing to overwrite it")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    quiet = bool(config.messaging_opts.get("quiet"))
    with status(f"Generating {os.path.abspath(path)}", quiet=quiet), open(path, "w", encoding=script.output_encoding) as fh:
        fh.write(checkpoint_source(header, body))
    return path


def check_squash(
    config: Config, revision: str | None = None, urls: Sequence[str] = (), schemas: Sequence[str] = ()
) -> None:
    """Prove the checkpoint of *revision* (default: every one) on each of *urls* (default: a temporary SQLite file).

    Raises:
        CommandError: no checkpoint to check, or one that builds something
            else than its replaced revisions.
    """
    from limbeck.squash.check import verify
    from limbeck.squash.scratch import scratch_url

    script = script_directory(config)
    checkpoints = _checkpoints(script, revision)
    failures = []
    for checkpoint in checkpoints:
        targets: list[str | None] = [*urls] or [None]
        for url in targets:
            with scratch_url(url) as scratch:
                outcome = verify(config, script, checkpoint, scratch, schemas, clean=url is not None)
            line = f"Checkpoint {checkpoint.revision} ({checkpoint.checkpoint_path}) {outcome.summary()}"
            config.print_stdout(line)
            for item in outcome.only_files:
                config.print_stdout(f"  only the replaced revisions: {item}")
            for item in outcome.only_checkpoint + outcome.left:
                config.print_stdout(f"  only the checkpoint: {item}")
            if not outcome.same:
                failures.append(line)
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise CommandError(failures[0] + more)


def _checkpoints(script: ScriptDirectory, revision: str | None) -> list[Revision]:
    rmap = script.revision_map
    aside = rmap.checkpoints
    if revision is None:
        if not aside:
            raise CommandError(
                "check-squash: no checkpoint has its replaced files in versions/ (nothing to compare with)"
            )
        return [aside[tip] for tip in sorted(aside)]
    tip = _tip(script, f"base:{revision}")
    if tip not in aside:
        raise CommandError(
            f"check-squash: revision {tip} has no checkpoint whose replaced files are still in versions/"
        )
    return [aside[tip]]
