"""``Script``: one revision file in a version directory.

A :class:`Script` knows its identifiers and docstring from the static header
scan (:mod:`limbeck.script.headers`) and imports the file only when something
needs the code: reading :attr:`Script.module` (which ``upgrade``/``downgrade``
do). That is what lets ``heads`` and ``history`` list thousands of revisions
without executing any of them, and without SQLAlchemy.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.langhelpers import to_tuple
from limbeck.script import formatting
from limbeck.script.headers import Headers, HeaderValue, read_headers
from limbeck.script.revision import Revision

if TYPE_CHECKING:
    from limbeck.script.directory import ScriptDirectory

__all__ = ["SOURCELESS_SUFFIXES", "Script", "ScriptDirectory", "compiled_only", "is_revision_filename"]


@functools.cache
def _loading() -> tuple[Any, Any]:
    """The code cache and the loader, imported when the first revision runs (`limbeck heads` reads
    headers only) and kept: an import statement in :meth:`Script._load_module` would cost a module
    lookup for each of the thousand files of a long history."""
    from limbeck.script.codecache import code_cache
    from limbeck.script.loader import load_python_file

    return code_cache, load_python_file


#: compiled revision files, read only with ``sourceless = true``
SOURCELESS_SUFFIXES = (".pyc", ".pyo")


def __getattr__(name: str) -> Any:
    # Alembic defines ScriptDirectory in this module and env.py files import it from
    # here; limbeck's lives in .directory, which imports this module (hence lazily).
    if name == "ScriptDirectory":
        from limbeck.script.directory import ScriptDirectory

        return ScriptDirectory
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

_PARAGRAPH = re.compile(r"\n\n")
#: a revision file of Alembic 0.1, named by its id, which assigns no ``revision``
_LEGACY_REVISION_FILE = re.compile(r"([a-f0-9]+)\.py$")


def is_revision_filename(name: str, sourceless: bool) -> bool:
    """Whether a file name in a version directory can be a revision.

    Alembic's rules, observed: any ``*.py`` except ``__init__*`` and Emacs
    lock files (``.#*``); with ``sourceless``, also ``*.pyc``/``*.pyo``.
    Backups (``x.py~``, ``#x.py#``) fail the suffix test.
    """
    if name.startswith((".#", "__init__")):
        return False
    if name.endswith(".py"):
        return True
    return sourceless and name.endswith(SOURCELESS_SUFFIXES)


def compiled_only(directory: str, names: Iterable[str]) -> list[str]:
    """With ``sourceless``: the revisions that are only bytecode in ``directory``'s ``__pycache__``.

    As Alembic: a ``*.pyc``/``*.pyo`` there is a revision file when none of
    ``names`` (the folder's own files) has its name before the first dot (the
    PEP 3147 layout of a project shipped without its sources); the others are
    Python's cache of a source that is there.
    """
    present = {name.split(".")[0] for name in names}
    try:
        cached = sorted(os.scandir(os.path.join(directory, "__pycache__")), key=lambda e: e.name)
    except OSError:
        return []
    return [
        e.path for e in cached
        if e.name.endswith(SOURCELESS_SUFFIXES) and is_revision_filename(e.name, True)
        and e.name.split(".")[0] not in present and not e.is_dir()
    ]


def _as_header_value(value: Any) -> HeaderValue:
    """Lists become tuples: a header written as a list means the same thing."""
    if isinstance(value, list):
        return tuple(value)
    # what the module set, as Alembic takes it: the revision map reports a value of another type
    return value  # type: ignore[no-any-return]


class Script(Revision):
    """A revision file: the :class:`Revision` graph node plus its file.

    ``Script(module, rev_id, path)`` is Alembic's constructor and still works;
    passing ``module=None`` makes the script lazy, with its headers taken from
    ``headers=`` or, failing that, scanned from ``path``.
    """

    path: str
    """Filesystem path of the revision file."""

    def __init__(
        self,
        module: ModuleType | None,
        rev_id: str,
        path: str | os.PathLike[str],
        *,
        headers: Headers | None = None,
    ) -> None:
        self.path: str = os.fspath(path)
        self._module: ModuleType | None = module
        if module is None and headers is None:
            headers = read_headers(self.path)
            if headers is None:
                module = self._load_module()
                self._module = module
        if module is not None:
            down_revision, labels, depends_on = _module_headers(module, self.path)
            self._longdoc = (module.__doc__ or "").strip()
        else:
            assert headers is not None
            down_revision = headers.down_revision
            labels, depends_on = headers.branch_labels, headers.depends_on
            self._longdoc = (headers.doc or "").strip()
        label_tuple: tuple[str, ...] = to_tuple(labels, default=())
        #: the labels written in this file (the map adds inherited ones to branch_labels)
        self.declared_branch_labels = label_tuple
        super().__init__(
            rev_id,
            down_revision,
            branch_labels=label_tuple,
            dependencies=depends_on,
        )

    # -- the module, loaded on demand -------------------------------------------------

    @property
    def module(self) -> ModuleType:
        """The executed revision file, imported on first access."""
        if self._module is None:
            self._module = self._load_module()
        return self._module

    @module.setter
    def module(self, value: ModuleType) -> None:
        self._module = value

    @property
    def module_loaded(self) -> bool:
        """Whether the file has been executed (tests and ``--verbose`` use this)."""
        return self._module is not None

    def _load_module(self) -> ModuleType:
        code_cache, load_python_file = _loading()
        dir_, filename = os.path.split(self.path)
        module: ModuleType = load_python_file(dir_, filename, code_cache=code_cache(dir_ or os.curdir))
        return module

    # -- documentation ---------------------------------------------------------------

    @property
    def longdoc(self) -> str:
        """The module docstring, stripped."""
        return self._longdoc

    @property
    def doc(self) -> str:
        """The docstring's first paragraph: the message given to ``revision -m``."""
        return _PARAGRAPH.split(self._longdoc, 1)[0]

    # -- rendering (owned by limbeck.script.formatting) -------------------------------

    @property
    def log_entry(self) -> str:
        """The multi-line block ``history --verbose`` and ``show`` print."""
        return formatting.log_entry(self)

    def cmd_format(
        self,
        verbose: bool,
        include_branches: bool = False,
        include_doc: bool = False,
        include_parents: bool = False,
        tree_indicators: bool = True,
        head_indicators: bool = True,
    ) -> str:
        """One revision as ``heads``/``branches``/``history`` print it."""
        return formatting.cmd_format(
            self,
            verbose,
            include_branches=include_branches,
            include_doc=include_doc,
            include_parents=include_parents,
            tree_indicators=tree_indicators,
            head_indicators=head_indicators,
        )

    def __repr__(self) -> str:
        return "Script" + super().__repr__().partition("(")[1] + super().__repr__().partition("(")[2]

    def __str__(self) -> str:
        markers = ""
        if self.is_head:
            markers += " (head)"
        if self.is_branch_point:
            markers += " (branchpoint)"
        if self.is_merge_point:
            markers += " (mergepoint)"
        return f"{formatting.format_down_revision(self)} -> {self.revision}{markers}, {self.doc}"

    # -- construction from files ------------------------------------------------------

    @classmethod
    def from_path(cls, scriptdir: ScriptDirectory | None, path: str | os.PathLike[str]) -> Script | None:
        """A Script for the file at *path*, statically when possible.

        Returns ``None`` for files that are not revision files (wrong suffix,
        ``__init__.py``, editor droppings), as Alembic's equivalent does.
        """
        path = os.fspath(path)
        sourceless = bool(scriptdir.sourceless) if scriptdir is not None else False
        if not is_revision_filename(os.path.basename(path), sourceless):
            return None
        if path.endswith(SOURCELESS_SUFFIXES):
            return cls.from_module_file(path)
        headers = read_headers(path)
        if headers is None:
            return cls.from_module_file(path)
        return cls(None, headers.revision, path, headers=headers)

    _from_path = from_path  # Alembic's name

    @classmethod
    def from_module_file(cls, path: str) -> Script:
        """A Script read by executing the file (no static header, or a ``.pyc``)."""
        # running a revision only: `limbeck heads` reads headers
        from limbeck.script.loader import load_python_file

        dir_, filename = os.path.split(path)
        module = load_python_file(dir_, filename)
        rev_id = getattr(module, "revision", None)
        legacy = _LEGACY_REVISION_FILE.match(filename) if not hasattr(module, "revision") else None
        if legacy is not None:
            rev_id = legacy.group(1)  # as Alembic: the id is the file's name
        if not isinstance(rev_id, str) or not rev_id:
            raise CommandError(
                f"Could not determine revision id from filename {filename}. Be sure the 'revision' "
                "variable is declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2' "
                f"in the documentation). {path} must assign a string to 'revision' at module level."
            )
        return cls(module, rev_id, path)


def _module_headers(module: ModuleType, path: str) -> tuple[HeaderValue, HeaderValue, HeaderValue]:
    if not hasattr(module, "down_revision"):
        raise CommandError(f"Revision file {path} does not define 'down_revision'")
    return (
        _as_header_value(module.down_revision),
        _as_header_value(getattr(module, "branch_labels", None)),
        _as_header_value(getattr(module, "depends_on", None)),
    )
