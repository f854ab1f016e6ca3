"""Load a project's Python files (``env.py``, revision scripts) by path.

These files are not importable modules of any package: they are executed
fresh from their path each time, the way Alembic does it, under a module name
derived from the file name (``1a2b_add_users.py`` -> ``1a2b_add_users_py``).
Loading always happens inside :func:`limbeck.compat.alembic_aliases` so that
``from alembic import op`` in those files gets limbeck.

A file that does not compile or raises while it runs is reported as one
:class:`ScriptLoadError` line naming the file (and the line, for syntax
errors); ``--raiseerr`` still shows the original traceback via ``__cause__``.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
from types import ModuleType

from limbeck.compat import alembic_aliases
from limbeck.errors import CommandError
from limbeck.script.codecache import CachingSourceLoader, CodeCache
from limbeck.script.pyfiles import pyc_file_from_path

__all__ = ["ScriptLoadError", "load_module_py", "load_module_pyc", "load_python_file", "module_id_for"]


class ScriptLoadError(CommandError):
    """A project file (env.py or a revision) could not be compiled or run."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


_NON_IDENT = re.compile(r"\W")


def module_id_for(filename: str) -> str:
    """The module name a project file is executed under (Alembic's naming)."""
    return _NON_IDENT.sub("_", filename)


def load_python_file(
    dir_: str | os.PathLike[str],
    filename: str | os.PathLike[str],
    *,
    wrap_errors: bool = True,
    code_cache: CodeCache | None = None,
) -> ModuleType:
    """Execute ``dir_/filename`` as a new module and return it.

    ``filename`` may name a ``.py`` file, or a ``.pyc``/``.pyo`` file for
    sourceless deployments; a missing ``.py`` falls back to its compiled form
    (``x.pyc`` beside it, or the ``__pycache__`` entry).

    With ``wrap_errors=False`` (used for ``env.py``, whose execution *is* the
    migration run) only a syntax error in the file itself becomes a
    :class:`ScriptLoadError`; everything else propagates untouched.

    ``code_cache`` (revision files) supplies and keeps compiled code when
    Python does not write ``.pyc`` files (see :mod:`limbeck.script.codecache`).
    """
    name = os.fspath(filename)
    path = os.path.join(os.fspath(dir_), name)
    module_id = module_id_for(name)
    if name.endswith((".pyc", ".pyo")):
        if not os.path.exists(path):
            raise ScriptLoadError(f"Can't find Python file {path}", path)
        return _execute(module_id, path, _pyc_loader(module_id, path), wrap_errors)
    if os.path.exists(path):
        loader = _py_loader(module_id, path) if code_cache is None else CachingSourceLoader(module_id, path, code_cache)
        return _execute(module_id, path, loader, wrap_errors)
    compiled = pyc_file_from_path(path)
    if compiled is None:
        raise ScriptLoadError(f"Can't find Python file {path}", path)
    return _execute(module_id, str(compiled), _pyc_loader(module_id, str(compiled)), wrap_errors)


def load_module_py(module_id: str, path: str | os.PathLike[str]) -> ModuleType:
    """Execute a source file as module *module_id*."""
    p = os.fspath(path)
    return _execute(module_id, p, _py_loader(module_id, p), True)


def load_module_pyc(module_id: str, path: str | os.PathLike[str]) -> ModuleType:
    """Execute a compiled (``.pyc``) file as module *module_id*."""
    p = os.fspath(path)
    return _execute(module_id, p, _pyc_loader(module_id, p), True)


def _py_loader(module_id: str, path: str) -> importlib.abc.Loader:
    return importlib.machinery.SourceFileLoader(module_id, path)


def _pyc_loader(module_id: str, path: str) -> importlib.abc.Loader:
    return importlib.machinery.SourcelessFileLoader(module_id, path)


def _execute(module_id: str, path: str, loader: importlib.abc.Loader, wrap_errors: bool) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_id, path, loader=loader)
    if spec is None:  # pragma: no cover - only for paths importlib cannot describe
        raise ScriptLoadError(f"Can't load Python file {path}", path)
    module = importlib.util.module_from_spec(spec)
    # Registered only while it executes: decorators such as @dataclass look
    # the module up by name; afterwards the name is released (as Alembic does)
    # so two projects' files with the same name never shadow each other.
    previous = sys.modules.get(module_id)
    sys.modules[module_id] = module
    try:
        with alembic_aliases():
            loader.exec_module(module)
    except SyntaxError as exc:
        if not wrap_errors and not _same_file(exc.filename, path):
            raise
        where = f", line {exc.lineno}" if exc.lineno else ""
        raise ScriptLoadError(f"Syntax error in {exc.filename or path}{where}: {exc.msg}", path) from exc
    except CommandError:
        raise
    except ImportError as exc:
        if not wrap_errors:
            raise
        raise ScriptLoadError(f"Could not import {path}: {exc}", path) from exc
    except Exception as exc:
        if not wrap_errors:
            raise
        raise ScriptLoadError(f"Error while loading {path}: {type(exc).__name__}: {exc}", path) from exc
    finally:
        if previous is None:
            sys.modules.pop(module_id, None)
        else:
            sys.modules[module_id] = previous
    return module


def _same_file(a: str | None, b: str) -> bool:
    if not a:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
