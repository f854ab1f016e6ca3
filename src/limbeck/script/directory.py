"""``ScriptDirectory``: the migration environment folder and its revisions.

Same constructor, methods and private helper names as Alembic's class, since
``env.py`` files and custom commands use it directly. What differs is how
revisions are found: files are listed and their headers read statically (and
cached on disk), so building the revision map imports no revision file and no
SQLAlchemy (:mod:`limbeck.script.listing`). ``_upgrade_revs``, ``_downgrade_revs`` and ``_stamp_revs`` are
attached by the runtime package.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.messaging import status
from limbeck.script.base import Script, is_revision_filename
from limbeck.script.listing import RevisionFiles
from limbeck.script.pyfiles import coerce_resource_to_filename
from limbeck.script.revision import (
    MissingRevisionError,
    MultipleHeads,
    RangeNotAncestorError,
    ResolutionError,
    RevisionError,
    RevisionMap,
)

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.script.precompile import HeaderScan
    from limbeck.script.revision._build import BuiltGraph

__all__ = ["ScriptDirectory", "is_revision_filename"]

class ScriptDirectory(RevisionFiles):
    """Operations on a migration environment: its revisions and new ones."""

    def __init__(
        self,
        dir: str | os.PathLike[str],  # Alembic's parameter name
        file_template: str = "%(rev)s_%(slug)s",
        truncate_slug_length: int | None = 40,
        version_locations: Sequence[str | os.PathLike[str]] | None = None,
        sourceless: bool = False,
        output_encoding: str = "utf-8",
        timezone: str | None = None,
        hooks: Sequence[Mapping[str, str]] = (),
        recursive_version_locations: bool = False,
        messaging_opts: Mapping[str, Any] | None = None,
    ) -> None:
        self.dir: str = os.fspath(dir)
        self.file_template = file_template
        self.truncate_slug_length = truncate_slug_length if truncate_slug_length is not None else 40
        #: as given ([] when none is: Alembic's value, which callers iterate)
        self.version_locations = [os.fspath(v) for v in version_locations] if version_locations else []
        self.sourceless = sourceless
        self.output_encoding = output_encoding
        self.timezone = timezone
        self.hooks: list[Mapping[str, str]] = list(hooks)
        self.recursive_version_locations = recursive_version_locations
        self.messaging_opts: Mapping[str, Any] = dict(messaging_opts or {})
        self.revision_map = RevisionMap(self._load_revisions, build=self._build_graph)
        #: the Scripts loaded into the map, by id (kept for generate's label checks)
        self._scripts: dict[str, Script] = {}
        #: revision files' ``(size, mtime_ns)`` by path, as the graph cache just listed them:
        #: :meth:`_scripts_in` asks the header cache with these instead of a second ``stat`` each
        self._listed_stats: dict[str, tuple[int, int]] | None = None
        if not os.access(self.dir, os.F_OK):
            raise CommandError(
                f"Path doesn't exist: {self.dir}.  Please use the 'init' command to create a new scripts folder."
            )

    @classmethod
    def from_config(cls, config: Config) -> ScriptDirectory:
        """Build the script directory a :class:`~limbeck.config.Config` describes.

        Puts ``prepend_sys_path`` entries first on ``sys.path`` (before the
        ``script_location`` is resolved, since a ``package:resource`` location
        may only be importable from there), as Alembic does.
        """
        settings = config.get_script_settings()
        _prepend_sys_path(settings.prepend_sys_path)
        location = settings.resolve_script_location()
        return cls(
            location,
            file_template=settings.file_template,
            truncate_slug_length=settings.truncate_slug_length,
            version_locations=list(settings.version_locations) or None,
            sourceless=settings.sourceless,
            output_encoding=settings.output_encoding,
            timezone=settings.timezone,
            hooks=list(settings.hooks),
            recursive_version_locations=settings.recursive_version_locations,
            messaging_opts=config.messaging_opts,
        )

    # -- locations -------------------------------------------------------------------

    @property
    def version_location_paths(self) -> tuple[str, ...]:
        """Every version location as an absolute path (``versions/`` when none is configured)."""
        if self.version_locations:
            return tuple(
                os.path.abspath(os.path.normpath(coerce_resource_to_filename(loc)))
                for loc in self.version_locations
            )
        return (os.path.abspath(os.path.join(self.dir, "versions")),)

    _version_locations = version_location_paths  # Alembic's name

    @property
    def _singular_version_location(self) -> str:
        locations = self.version_location_paths
        if len(locations) > 1:
            raise CommandError("Multiple version_locations present")
        return locations[0]

    @property
    def versions(self) -> str:
        """The one version directory (error when several are configured)."""
        return self._singular_version_location

    @property
    def env_py_location(self) -> str:
        """Absolute path of this environment's ``env.py``."""
        return os.path.abspath(os.path.join(self.dir, "env.py"))

    def _build_graph(self) -> BuiltGraph:
        """The linked graph of the revision files: kept between runs (:mod:`limbeck.script.graphcache`)."""
        from limbeck.script import graphcache

        return graphcache.build_graph(self)

    def revision_scripts(self) -> list[Script]:
        """Every revision, in the order Alembic imports the files when it builds its map.

        Version locations as configured; in each, the files in sorted order,
        then (``recursive_version_locations``) each sub-directory in sorted
        order, depth first.
        """
        with self.revision_errors():
            self.revision_map.heads  # noqa: B018 - building the map lists the scripts
        return list(self._scripts.values())

    def prefetch(self, code: bool = False) -> HeaderScan | None:
        """Start filling cold header caches on another core (see :mod:`limbeck.script.precompile`).

        Returns what to ``wait()`` for before the revision map is read, or
        None. Only before the map is built; afterwards there is nothing to gain.
        ``code``: also start compiling the revision files the code caches lack,
        in the order the run imports them (listing order, see
        :meth:`revision_scripts`), so the compile overlaps the SQLAlchemy import
        and env.py instead of starting after the map is read.
        """
        if self._scripts:  # the map was read already
            return None
        # upgrade and downgrade only: `limbeck heads` imports this module
        from limbeck.script.precompile import scan_headers

        found = []
        paths: list[str] = []
        for location in self.version_location_paths:
            if os.path.isdir(location):
                listed = [(path, rel) for path, rel in self._list_revision_files(location) if path.endswith(".py")]
                found.append((location, [rel for _, rel in listed]))
                paths += [path for path, _ in listed]
        scan = scan_headers(found)
        if code:
            from limbeck.script.codecache import prefetch_files

            prefetch_files(paths)
        return scan

    # -- queries ----------------------------------------------------------------------

    @contextlib.contextmanager
    def revision_errors(
        self,
        ancestor: str | None = None,
        multiple_heads: str | None = None,
        start: str | None = None,
        end: str | None = None,
        resolution: str | None = None,
    ) -> Iterator[None]:
        """Turn revision-graph errors into one-line :class:`CommandError`\\ s.

        Callers may pass their own wording: ``ancestor`` (``%(start)s``,
        ``%(end)s``) and ``multiple_heads`` (``%(head_arg)s``, ``%(heads)s``)
        are %-formatted; ``resolution`` is used as given.
        """
        try:
            yield
        except MissingRevisionError:
            raise  # Alembic lets its KeyError through: this one names both revisions already
        except RangeNotAncestorError as rna:
            start_ = start if start is not None else rna.lower
            end_ = end if end is not None else rna.upper
            template = ancestor or (
                "Requested range %(start)s:%(end)s does not refer to "
                "ancestor/descendant revisions along the same branch"
            )
            raise CommandError(template % {"start": start_, "end": end_}) from rna
        except MultipleHeads as mh:
            template = multiple_heads or (
                "Multiple head revisions are present for given argument '%(head_arg)s'; "
                "please specify a specific target revision, '<branchname>@%(head_arg)s' "
                "to narrow to a specific head, or 'heads' for all heads"
            )
            raise CommandError(
                template % {"head_arg": end or mh.argument, "heads": ", ".join(mh.heads)}
            ) from mh
        except ResolutionError as re_:
            raise CommandError(
                resolution or f"Can't locate revision identified by '{re_.argument}'"
            ) from re_
        except RevisionError as err:
            raise CommandError(str(err)) from err

    _catch_revision_errors = revision_errors  # Alembic's name

    def add_script(self, script: Script) -> None:
        """Add a revision file written after the map was built (``revision``, ``merge``)."""
        with self.revision_errors():
            self.revision_map.add_revision(script)
        self._scripts[script.revision] = script

    # _SCRIPT_MAP: this directory's revision map holds only Scripts (the generator gives it
    # nothing else), but RevisionMap is typed over Revision, not generic over the node class;
    # the ignores below stand for that until it is (Alembic's own map is not generic either)
    def walk_revisions(self, base: str = "base", head: str = "heads") -> Iterator[Script]:
        """Every revision from *head* down to *base*, newest first."""

        def walk() -> Iterator[Script]:
            return self.revision_map.iterate_revisions(  # type: ignore[return-value]  # a Script map: see _SCRIPT_MAP
                head, base, inclusive=True, assert_relative_length=False
            )

        with self.revision_errors(start=base, end=head):
            if base == "base" and head == "heads":  # the whole history: its order is kept with the graph
                from limbeck.script import graphcache

                yield from graphcache.whole_walk(self, walk)
            else:
                yield from walk()

    def iterate_revisions(
        self, upper: str | tuple[str, ...] | None, lower: str | tuple[str, ...] | None, **kw: Any
    ) -> Iterator[Script]:
        """Revisions from *upper* down to *lower* (see ``RevisionMap``)."""
        return self.revision_map.iterate_revisions(upper, lower, **kw)  # type: ignore[return-value]  # see _SCRIPT_MAP

    def get_revisions(self, id_: Any) -> tuple[Script, ...]:
        """Scripts for an id, a symbolic name (``heads``) or several ids."""
        with self.revision_errors():
            return self.revision_map.get_revisions(id_)  # type: ignore[return-value]  # see _SCRIPT_MAP

    def get_all_current(self, id_: tuple[str, ...]) -> set[Script]:
        """The revisions *id_* names plus every ancestor they imply."""
        with self.revision_errors():
            return set(self.revision_map.get_all_current(id_))  # type: ignore[arg-type]  # see _SCRIPT_MAP

    def get_revision(self, id_: str) -> Script:
        """The Script for one id (partial ids and branch labels accepted)."""
        with self.revision_errors():
            return self.revision_map.get_revision(id_)  # type: ignore[return-value]  # see _SCRIPT_MAP

    def as_revision_number(self, id_: str | None) -> str | tuple[str, ...] | None:
        """Resolve ``head``/``heads``/``base``/``label@head`` to revision ids."""
        with self.revision_errors():
            rev, _branch = self.revision_map._resolve_revision_number(id_)
        if not rev:
            return None
        if id_ == "heads":
            return tuple(rev)
        return rev[0]

    def get_current_head(self) -> str | None:
        """The single head; a :class:`CommandError` if branches are unmerged."""
        from limbeck.messaging import program_name  # the program the user runs names the command

        program = program_name()
        with self.revision_errors(
            multiple_heads=(
                "The script directory has multiple heads (due to branching).Please use "
                f"get_heads(), or merge the branches using {program} merge."
            )
        ):
            return self.revision_map.get_current_head()

    def get_heads(self, consider_depends_on: bool = False) -> list[str]:
        """All head revision ids; ``consider_depends_on``: without those another revision depends on
        (the heads the version table holds once every upgrade ran)."""
        # the map's own errors (RevisionError, CycleDetected, ...) pass through, as Alembic's do
        return list(self.revision_map._real_heads if consider_depends_on else self.revision_map.heads)

    def get_base(self) -> str | None:
        """The single base revision id; a :class:`CommandError` if there are several."""
        bases = self.get_bases()
        if len(bases) > 1:
            raise CommandError("The script directory has multiple bases. Please use get_bases().")
        return bases[0] if bases else None

    def get_bases(self) -> list[str]:
        """All base revision ids (the map's own errors pass through, as in get_heads)."""
        return list(self.revision_map.bases)

    # -- running env.py ----------------------------------------------------------------

    def run_env(self) -> None:
        """Execute ``env.py`` (fresh each time), with ``alembic`` aliased to limbeck."""
        # running env.py only: `limbeck heads` imports this module
        from limbeck.compat import alembic_aliases
        from limbeck.script.codecache import save_code_caches
        from limbeck.script.loader import load_python_file

        with alembic_aliases():
            try:
                load_python_file(self.dir, "env.py", wrap_errors=False)
            except KeyError as err:
                raise _missing_url(err) or err
            finally:
                save_code_caches()  # the revision files this run compiled, for the next one


    # -- generating files --------------------------------------------------------------

    def generate_revision(
        self,
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
        """Render ``script.py.mako`` into a new revision file and add it to the map.

        See :func:`limbeck.script.generate.generate_revision` for the rules.
        """
        # writing files only: `limbeck heads` imports this module
        from limbeck.script import generate

        return generate.generate_revision(
            self,
            revid,
            message,
            head=head,
            splice=splice,
            branch_labels=branch_labels,
            version_path=version_path,
            file_template=file_template,
            depends_on=depends_on,
            **kw,
        )

    def _generate_create_date(self) -> datetime.datetime:
        # writing files only: `limbeck heads` imports this module
        from limbeck.script import generate

        return generate.create_date(self.timezone)

    def _rev_path(
        self,
        path: str | os.PathLike[str],
        rev_id: str,
        message: str | None,
        create_date: datetime.datetime,
    ) -> Path:
        # writing files only: `limbeck heads` imports this module
        from limbeck.script import generate

        return generate.revision_path(
            path, self.file_template, rev_id, message, create_date, self.truncate_slug_length
        )

    @property
    def quiet(self) -> bool:
        """``-q``: generating files prints nothing."""
        return bool(self.messaging_opts.get("quiet", False))

    def ensure_directory(self, path: str | os.PathLike[str]) -> None:
        """Create ``path`` (and its parents) unless it exists, saying so."""
        path = os.path.abspath(os.fspath(path))
        if not os.path.exists(path):
            with status(f"Creating directory {path}", quiet=self.quiet):
                os.makedirs(path)

    _ensure_directory = ensure_directory  # Alembic's name

    def _copy_file(self, src: str | os.PathLike[str], dest: str | os.PathLike[str]) -> None:
        with status(f"Generating {os.path.abspath(dest)}", quiet=self.quiet):
            shutil.copy(src, dest)

    def _generate_template(self, src: str | os.PathLike[str], dest: str | os.PathLike[str], **kw: Any) -> None:
        # writing files only: `limbeck heads` imports this module
        from limbeck.script import generate

        with status(f"Generating {os.path.abspath(dest)}", quiet=self.quiet):
            generate.render_template_to_file(src, dest, self.output_encoding, **kw)

    def _append_template(self, src: str | os.PathLike[str], dest: str | os.PathLike[str], **kw: Any) -> None:
        # writing files only: `limbeck heads` imports this module
        from limbeck.script import generate

        with status(f"Appending to existing {os.path.abspath(dest)}", quiet=self.quiet):
            generate.render_template_to_file(
                src, dest, self.output_encoding, append_with_newlines=True, **kw
            )


def _prepend_sys_path(paths: Sequence[str]) -> None:
    if not paths:
        return
    for p in paths:
        while p in sys.path:
            sys.path.remove(p)
    sys.path[:0] = list(paths)


def _missing_url(err: KeyError) -> Exception | None:
    """``engine_from_config()`` without ``sqlalchemy.url`` raises ``KeyError('url')``.

    Alembic's env.py and ours both call it; the bare KeyError traceback becomes
    one line naming the config file and section.
    """
    if err.args != ("url",):
        return None
    frames = []
    tb = err.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    if not any(name.endswith("engine_from_config") for name in frames):
        return None
    # a failed env.py only: `limbeck heads` imports this module
    from limbeck import context as context_module

    env = context_module._current[-1] if context_module._current else None
    config = getattr(env, "config", None)
    where = getattr(config, "config_file_name", None) or "the configuration"
    section = getattr(config, "config_ini_section", "alembic")
    error = CommandError(
        f"{where}: no sqlalchemy.url in [{section}]; env.py needs the database URL to connect "
        "(set it, or use --sql to render a script)"
    )
    error.__cause__ = err
    return error

