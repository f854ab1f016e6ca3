"""Post-write hooks: run formatters and linters on each new revision file.

Configured per hook name (ini ``[post_write_hooks]`` or the TOML
``post_write_hooks`` list); each hook has a ``type`` naming a function in the
registry below. Three types are built in, as in Alembic:

``console_scripts``  an installed console-script entry point (``black``),
                     run in a fresh interpreter;
``exec``             any executable on ``PATH`` or by path (``ruff``);
``module``           ``python -m <module>``.

Each takes ``options`` (split like a shell line; ``REVISION_SCRIPT_FILENAME``
stands for the new file's path, which is otherwise put first) and ``cwd``.
``env.py`` code can add types with :func:`register`. A hook's exit status is
not checked (a failing formatter must not lose the revision that was just
written); a hook that cannot even be started is a one-line
:class:`~limbeck.errors.CommandError` naming the hook.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from limbeck.errors import CommandError, also_as
from limbeck.messaging import status

__all__ = ["REVISION_SCRIPT_TOKEN", "console_scripts", "exec_", "module", "register"]

REVISION_SCRIPT_TOKEN = "REVISION_SCRIPT_FILENAME"

HookFunction = Callable[..., Any]

_registry: dict[str, HookFunction] = {}


def register(name: str) -> Callable[[HookFunction], HookFunction]:
    """Register a function ``fn(filename, options)`` as hook type *name*.

    ``options`` is the hook's configuration mapping (``_hook_name`` holds the
    configured hook's own name). Registering an existing name replaces it.
    """

    def decorate(fn: HookFunction) -> HookFunction:
        _registry[name] = fn
        return fn

    return decorate


def _hook_name(options: Mapping[str, Any]) -> str:
    return str(options.get("_hook_name", "<unnamed>"))


def _invoke(name: str, revision_path: str | os.PathLike[str], options: Mapping[str, Any]) -> Any:
    """Run the hook function registered as *name*."""
    try:
        hook = _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry))
        # Alembic's words first (code may search them), then which hook and what exists
        raise CommandError(
            f"No formatter with name {name!r} registered (post-write hook {_hook_name(options)!r}; known: {known})"
        ) from None
    return hook(os.fspath(revision_path), options)


def _run_hooks(
    path: str | os.PathLike[str], hooks: Sequence[Mapping[str, Any]], quiet: bool = False
) -> None:
    """Run every configured hook, in order, on the revision file at *path*."""
    for hook in hooks:
        name = _hook_name(hook)
        type_ = hook.get("type")
        if not type_:
            raise CommandError(
                f"Key '{name}.type' (or 'type' in toml) is required for post write hook {name!r} "
                "(set it in [post_write_hooks] or the hook's pyproject.toml entry)"
            )
        with status(f"Running post write hook {name!r}", newline=True, quiet=quiet):
            _invoke(str(type_), path, hook)


def _required(options: Mapping[str, Any], key: str) -> str:
    value = options.get(key)
    if not value:
        name = _hook_name(options)
        raise CommandError(
            f"Key {name}.{key} is required for post write hook {name!r} (of type {options.get('type')!r})"
        )
    return str(value)


def _arguments(path: str, options: Mapping[str, Any]) -> list[str]:
    """The hook's ``options`` as argv, with the revision file put in."""
    # only when a hook runs: `limbeck revision` without post_write_hooks does without
    import shlex

    raw = options.get("options") or ""
    args = shlex.split(str(raw), posix=os.name != "nt")
    if any(REVISION_SCRIPT_TOKEN in arg for arg in args):
        return [arg.replace(REVISION_SCRIPT_TOKEN, path) for arg in args]
    return [path, *args]


def _run(cmd: list[str], options: Mapping[str, Any], ignore_output: bool) -> None:
    # only when a hook runs: `limbeck revision` without post_write_hooks does without
    import subprocess

    kw: dict[str, Any] = {}
    if ignore_output:
        kw = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    cwd = options.get("cwd") or None
    try:
        subprocess.run(cmd, cwd=cwd, check=False, **kw)
    except FileNotFoundError as exc:
        missing = cwd if cwd and not os.path.isdir(cwd) else cmd[0]
        # Alembic lets the FileNotFoundError through: limbeck's error is one too, and says which
        raise also_as(
            CommandError, exc, f"{exc} (post-write hook {_hook_name(options)!r}: {missing} not found)"
        ) from exc
    except OSError as exc:
        raise CommandError(f"Post-write hook {_hook_name(options)!r}: cannot run {cmd[0]}: {exc}") from exc


@register("console_scripts")
def console_scripts(path: str, options: Mapping[str, Any], ignore_output: bool = False) -> None:
    """Run an installed console-script entry point on the revision file."""
    # only when a hook runs: `limbeck revision` without post_write_hooks does without
    from importlib.metadata import entry_points

    name = _required(options, "entrypoint")
    found = list(entry_points(group="console_scripts", name=name))
    if not found:
        raise CommandError(
            f"Could not find entrypoint console_scripts.{name} (post-write hook {_hook_name(options)!r}: "
            "no installed distribution provides it)"
        )
    target = found[0]
    module_name, _, attrs = target.value.partition(":")
    attrs = attrs.split("[", 1)[0].strip()  # drop any "[extra]" marker
    code = (
        "import sys, importlib\n"
        f"sys.argv[0] = {name!r}\n"
        f"obj = importlib.import_module({module_name.strip()!r})\n"
        f"for part in {attrs!r}.split('.'):\n"
        "    obj = getattr(obj, part)\n"
        "sys.exit(obj())\n"
    )
    _run([sys.executable, "-c", code, *_arguments(path, options)], options, ignore_output)


@register("exec")
def exec_(path: str, options: Mapping[str, Any], ignore_output: bool = False) -> None:
    """Run an executable (found on ``PATH`` or given by path) on the revision file."""
    executable = _required(options, "executable")
    _run([executable, *_arguments(path, options)], options, ignore_output)


@register("module")
def module(path: str, options: Mapping[str, Any], ignore_output: bool = False) -> None:
    """Run ``python -m <module>`` on the revision file."""
    name = _required(options, "module")
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise CommandError(f"Post-write hook {_hook_name(options)!r}: Could not find module {name}")
    _run([sys.executable, "-m", name, *_arguments(path, options)], options, ignore_output)
