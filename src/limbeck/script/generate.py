"""Writing new revision files: naming, dating, Mako rendering, the rules.

The only module of limbeck that imports Mako (inside functions), so commands
that never render a template never pay for it.

Rules for a new revision (Alembic's, plus checks Alembic only makes after it
has already written a broken file):

* ``head`` defaults to ``"head"``; several heads without an explicit ``head``
  is an error (merge first, or choose one); ``"heads"`` merges them all.
* a ``head`` that is not a head needs ``splice=True``.
* with several version locations, a revision goes into the location of its
  first head; a new root needs ``version_path``, which must be one of them.
* ``branch_labels`` must not already be declared by another revision.
* ``depends_on`` entries may be partial ids or branch labels: partial ids are
  written out in full, labels are kept as labels.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.langhelpers import format_as_comma, to_list, to_tuple
from limbeck.messaging import status
from limbeck.script import write_hooks
from limbeck.script.base import Script
from limbeck.script.revision import MultipleHeads, Revision, RevisionError, tuple_rev_as_scalar

if TYPE_CHECKING:
    from limbeck.script.directory import ScriptDirectory

__all__ = [
    "FILE_TEMPLATE_TOKENS",
    "create_date",
    "generate_revision",
    "render_template_to_file",
    "revision_path",
    "slugify",
]

#: Every ``%(token)`` a ``file_template`` may use.
FILE_TEMPLATE_TOKENS = ("rev", "slug", "epoch", "year", "month", "day", "hour", "minute", "second")

_WORD = re.compile(r"\w+")


def slugify(message: str | None, truncate_slug_length: int | None = 40) -> str:
    """The ``%(slug)s`` of a message: lower-cased words joined by ``_``.

    Longer than *truncate_slug_length*: cut there, back to the last word
    boundary, and end with ``_`` (so a cut slug is visibly a cut one).
    """
    if not message:
        return ""
    slug = "_".join(_WORD.findall(message.lower()))
    limit = truncate_slug_length or 40  # 0 (or none) means the default, as in Alembic
    if len(slug) > limit:
        slug = slug[:limit].rsplit("_", 1)[0] + "_"
    return slug


def _zone(name: str) -> datetime.tzinfo:
    import zoneinfo  # only with a `timezone` option: most projects never load the tz database

    for candidate in (name, name.upper()):
        try:
            return zoneinfo.ZoneInfo(candidate)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            continue
    raise CommandError(f"Can't locate timezone: {name}")


def create_date(timezone: str | None) -> datetime.datetime:
    """Now, in the configured ``timezone`` (a zoneinfo name) or local time."""
    if timezone:
        return datetime.datetime.now(tz=datetime.timezone.utc).astimezone(_zone(timezone))
    return datetime.datetime.now()


def revision_path(
    dest_dir: str | os.PathLike[str],
    file_template: str,
    rev_id: str,
    message: str | None,
    created: datetime.datetime,
    truncate_slug_length: int | None = 40,
) -> Path:
    """The new file's path: ``dest_dir / (file_template % tokens) + ".py"``.

    ``/`` in the rendered template makes sub-directories (for example
    ``%(year)d/%(month).2d/...``); they are created by the caller.
    """
    tokens: dict[str, Any] = {
        "rev": rev_id,
        "slug": slugify(message, truncate_slug_length),
        "epoch": int(created.timestamp()),
        "year": created.year,
        "month": created.month,
        "day": created.day,
        "hour": created.hour,
        "minute": created.minute,
        "second": created.second,
    }
    try:
        filename = file_template % tokens
    except KeyError as exc:
        raise CommandError(
            f"file_template {file_template!r} uses unknown token %({exc.args[0]})s; "
            f"available: {', '.join(FILE_TEMPLATE_TOKENS)}"
        ) from None
    except (ValueError, TypeError) as exc:
        raise CommandError(f"file_template {file_template!r} is not a valid %-format string: {exc}") from None
    parts = filename.split("/")
    return Path(dest_dir, *parts[:-1], parts[-1] + ".py")


def render_template_to_file(
    template_file: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    output_encoding: str,
    *,
    append_with_newlines: bool = False,
    **kw: Any,
) -> None:
    """Render the Mako template *template_file* into *dest*.

    Template errors become a :class:`CommandError` in Alembic's words, naming
    the file that holds Mako's template-oriented traceback, followed by the
    template, the template line and the error, so the one line says what
    went wrong without opening that file.
    """
    # Mako only to render: the review tools import this module for slugify()
    from mako import exceptions as mako_exceptions
    from mako.template import Template

    template_file = os.fspath(template_file)
    try:
        template = Template(filename=template_file)
        output: str = template.render_unicode(**kw)
    except Exception as exc:
        detail = _describe_template_error(template_file, exc, mako_exceptions)
        traceback_file = _write_template_traceback(mako_exceptions, output_encoding)
        raise CommandError(
            f"Template rendering failed; see {traceback_file} for a template-oriented traceback. ({detail})"
        ) from exc
    data = output.encode(output_encoding)
    with open(dest, "ab" if append_with_newlines else "wb") as fh:
        if append_with_newlines:
            fh.write(b"\n\n")
        fh.write(data)


def _write_template_traceback(mako_exceptions: Any, output_encoding: str) -> str:
    """Mako's text traceback of the error being handled, in a kept temporary file; its path."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as fh:
        fh.write(mako_exceptions.text_error_template().render_unicode().encode(output_encoding, "replace"))
        return fh.name


def _describe_template_error(template_file: str, exc: Exception, mako_exceptions: Any) -> str:
    line = getattr(exc, "lineno", None)
    try:
        tb = mako_exceptions.RichTraceback()
        for record in reversed(tb.records):
            if record[4] is not None:  # a frame inside the template
                line = record[5]
                break
    except Exception:  # noqa: BLE001, S110 # pragma: no cover - RichTraceback is best effort
        pass
    where = f" at line {line}" if line else ""
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{template_file}{where}: {type(exc).__name__}: {message}"


# ----------------------------------------------------------------------------
# generate_revision and its rules
# ----------------------------------------------------------------------------


def _resolve_heads(sd: ScriptDirectory, head: str | Sequence[str] | None, splice: bool | None) -> list[Revision]:
    target: Any = "head" if head is None else head
    if not isinstance(target, str):
        target = tuple(target)
    with sd.revision_errors():
        try:
            found = sd.revision_map.get_revisions(target)
        except MultipleHeads as mh:
            raise CommandError(
                "Multiple heads are present; please specify the head revision on which the "
                "new revision should be based, or perform a merge."
            ) from mh
    heads = [h for h in found if h is not None and not isinstance(h, str)]
    if not splice:
        for h in heads:
            if not h.is_head:
                raise CommandError(
                    f"Revision {h.revision} is not a head revision; please specify --splice "
                    "to create a new branch from this revision"
                )
    return heads


def _target_directory(
    sd: ScriptDirectory, heads: Sequence[Revision], version_path: str | os.PathLike[str] | None
) -> str:
    locations = sd.version_location_paths
    if version_path is not None:
        wanted = os.path.abspath(os.path.normpath(os.fspath(version_path)))
        if wanted not in locations:
            # named as a Path writes it (Alembic's text: 'foo/bar/' is 'foo/bar')
            raise CommandError(f"Path {Path(version_path)} is not represented in current version locations")
        return wanted
    if len(locations) == 1:
        return locations[0]
    for h in heads:
        path = getattr(h, "path", None)
        if path:
            return _location_of(os.path.abspath(str(path)), locations)
    raise CommandError("Multiple version locations present, please specify --version-path")


def _location_of(path: str, locations: Sequence[str]) -> str:
    """The version location holding *path* (deepest match), else its folder."""
    best = None
    for loc in locations:
        if path.startswith(loc.rstrip(os.sep) + os.sep) and (best is None or len(loc) > len(best)):
            best = loc
    return best or os.path.dirname(path)


def _check_rev_id(revid: str) -> None:
    try:
        Revision.verify_rev_id(revid)
    except RevisionError as exc:
        raise CommandError(str(exc)) from exc


def _check_new_identity(sd: ScriptDirectory, revid: str, labels: tuple[str, ...]) -> None:
    scripts = sd.revision_scripts()
    for script in scripts:
        if script.revision == revid:
            raise CommandError(f"Revision id {revid} is already present in {script.path}")
    for label in labels:
        for script in scripts:
            if label in script.declared_branch_labels:
                raise CommandError(
                    f"Branch name '{label}' in revision {revid} already used by revision {script.revision}"
                )


def _resolve_depends_on(sd: ScriptDirectory, depends_on: str | Sequence[str] | None) -> str | list[str] | None:
    if not depends_on:
        return None
    resolved: list[str] = []
    with sd.revision_errors():
        for dep in to_list(depends_on):
            rev = sd.revision_map.get_revision(dep)
            if rev is None:
                raise CommandError(f"depends_on {dep!r} does not name a revision")
            resolved.append(dep if dep in rev.branch_labels else rev.revision)
    return resolved[0] if len(resolved) == 1 else resolved  # one is written as a string, as Alembic writes it


def generate_revision(
    sd: ScriptDirectory,
    revid: str,
    message: str | None,
    head: str | Sequence[str] | None = None,
    splice: bool | None = False,
    branch_labels: str | Sequence[str] | None = None,
    version_path: str | os.PathLike[str] | None = None,
    file_template: str | None = None,
    depends_on: str | Sequence[str] | None = None,
    **kw: Any,
) -> Script | None:
    """Write a new revision file for *sd* and add it to its revision map.

    Every check runs before anything is written. Returns the new Script
    (``None`` only if a customised template produced a file without a
    ``revision``, which Alembic also tolerates).
    """
    _check_rev_id(revid)  # first, as Alembic: a bad id is the error even where the head is ambiguous too
    heads = _resolve_heads(sd, head, splice)
    labels = to_tuple(branch_labels, default=())
    _check_new_identity(sd, revid, labels)
    resolved_deps = _resolve_depends_on(sd, depends_on)
    created = create_date(sd.timezone)
    directory = _target_directory(sd, heads, version_path)
    path = revision_path(
        directory, file_template or sd.file_template, revid, message, created, sd.truncate_slug_length
    )
    if path.exists():
        raise CommandError(f"File {path} already exists; refusing to overwrite it")
    template = os.path.join(sd.dir, "script.py.mako")
    if not os.path.exists(template):
        raise CommandError(f"Template file {template} not found; the script directory needs a script.py.mako")
    sd.ensure_directory(directory)
    sd.ensure_directory(path.parent)
    quiet = sd.quiet
    with status(f"Generating {path.absolute()}", quiet=quiet):
        render_template_to_file(
            template,
            path,
            sd.output_encoding,
            **{
                "up_revision": str(revid),
                "down_revision": tuple_rev_as_scalar(tuple(h.revision for h in heads)),
                # None stays None, anything else a tuple: an empty list (Flask-Alembic passes one
                # for every revision) writes (), as Alembic writes it
                "branch_labels": None if branch_labels is None else labels,
                "depends_on": resolved_deps,
                "create_date": created,
                "comma": format_as_comma,
                "message": message if message is not None else "empty message",
                # the package limbeck's templates import op from: alembic while limbeck stands in for it
                "op_package": "alembic" if _switched_on() else "limbeck",
                **kw,
            },
        )
    if sd.hooks:
        write_hooks._run_hooks(path, sd.hooks, quiet=quiet)
    script = Script.from_path(sd, path)
    if script is None:
        return None
    if labels and not script.branch_labels:
        # a template without the branch_labels line: the file would silently lose them;
        # Alembic raises too, but leaves the file behind (README, "Commands")
        os.remove(path)
        raise CommandError(
            f"Version {script.revision} specified branch_labels {format_as_comma(labels)}, however the "
            f"migration file {path} does not have them; have you upgraded your script.py.mako to include "
            "the 'branch_labels' section?"
        )
    sd.add_script(script)
    return script


def _switched_on() -> bool:
    # the compat switch only when a revision is written: listings import this module (slugify)
    from limbeck.compat.switch import switched_on

    return switched_on()
