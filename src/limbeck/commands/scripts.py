"""Commands that work on the script directory: init, list_templates, merge, heads,
branches, history, show, edit (``revision`` and ``check`` are in :mod:`.autogen`).

Signatures and printed output follow ``alembic.command``. Import cost matters:
``limbeck heads`` and ``limbeck history`` import this module and must not load
SQLAlchemy or Mako, so everything heavy is imported inside the function that
needs it.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from limbeck import util
from limbeck.commands import check_format, print_revisions_json
from limbeck.commands import revision_environment as _revision_environment
from limbeck.commands import script_directory as _script_directory
from limbeck.errors import CommandError
from limbeck.script import formatting

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.script import Script, ScriptDirectory


#: The token of a revision range that means "what the database is at".
_CURRENT = "current"
#: The Script attribute ``history --indicate-current`` sets (Alembic's name).
_CURRENT_INDICATOR = "_db_current_indicator"


# ---------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------


def _database_heads(config: Config, script: ScriptDirectory) -> tuple[str, ...]:
    """The revisions recorded in the database's version table, via env.py."""
    return tuple(rev for heads in _heads_per_context(config, script) for rev in heads)


def _heads_per_context(config: Config, script: ScriptDirectory) -> list[tuple[str, ...]]:
    """Each database's recorded revisions, one entry per ``run_migrations()`` env.py makes (multidb: several)."""
    found: list[tuple[str, ...]] = []

    def collect(rev: Any, context: Any) -> list[Any]:
        found.append(tuple(r for r in formatting.to_tuple(rev) if r))
        return []

    # the runtime loads only for a run: `limbeck heads` imports this module
    from limbeck.runtime.run import run

    run(config, script, collect, read_only=True)  # reading the heads never creates the version table
    return found


def _scripts_for(script: ScriptDirectory, ids: Any) -> list[Script]:
    """Resolve a revision argument to Script objects, dropping the ``base`` placeholder."""
    return [sc for sc in script.get_revisions(ids) if sc is not None]


# ---------------------------------------------------------------------------
# init / list_templates
# ---------------------------------------------------------------------------


def list_templates(config: Config) -> None:
    """Print the bundled ``init`` templates with the first line of each README."""
    template_dir = Path(config.get_template_directory())
    config.print_stdout("Available templates:\n")
    for name in _template_names(template_dir):
        config.print_stdout(f"{name} - {_template_synopsis(template_dir / name)}")
    from limbeck.messaging import program_name  # `alembic list_templates` says `alembic init`

    config.print_stdout("\nTemplates are used via the 'init' command, e.g.:")
    config.print_stdout(f"\n  {program_name()} init --template generic ./scripts")


def _template_names(template_dir: Path) -> list[str]:
    if not template_dir.is_dir():
        return []
    return sorted(p.name for p in template_dir.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def _template_synopsis(template: Path) -> str:
    readme = template / "README"
    if not readme.is_file():
        return ""
    with readme.open(encoding="utf-8") as fh:
        return fh.readline().strip()


def init(config: Config, directory: str, template: str = "generic", package: bool = False) -> None:
    """Create a migration environment in *directory* from one of the bundled templates.

    The directory must be empty or absent. Template files are copied (``*.mako`` config
    templates are rendered instead); the config file goes where the Config points
    (``limbeck.ini`` in the working directory by default) and is never overwritten;
    the pyproject template's ``[tool.limbeck]`` table is appended to an existing
    ``pyproject.toml`` unless it already has a ``[tool.limbeck]`` or ``[tool.alembic]``
    table.

    Raises:
        CommandError: non-empty directory, unknown template, unparsable pyproject.toml.
    """
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CommandError(f"Directory {directory} already exists and is not empty")
    template_root = Path(config.get_template_directory())
    names = _template_names(template_root)
    if template not in names:
        raise CommandError(f"No such template {template!r}; available templates: {', '.join(names)}")
    template_dir = template_root / template
    ini_path, toml_path = _init_config_paths(config)
    section = _init_section(ini_path)
    toml_table = _toml_migration_table(toml_path) if (template_dir / _TOML_TEMPLATE).exists() else None
    quiet = bool(config.messaging_opts["quiet"])

    for folder in (target, target / "versions"):
        if not folder.exists():
            with util.status(f"Creating directory {folder.absolute()}", quiet=quiet):
                folder.mkdir(parents=True)
    config_templates = []
    for source in sorted(template_dir.iterdir()):
        if source.name == _TOML_TEMPLATE or source.name.endswith(".ini.mako"):
            config_templates.append(source)
        elif source.name != "__pycache__":
            with util.status(f"Generating {(target / source.name).absolute()}", quiet=quiet):
                _copy_template_entry(source, target / source.name, section)

    for source in sorted(config_templates, key=lambda p: p.name != _TOML_TEMPLATE):
        if source.name == _TOML_TEMPLATE:
            location = _script_location_for(target, toml_path)
            _write_toml_config(source, toml_path, toml_table, location, section, quiet)
        else:
            _write_ini_config(source, ini_path, _script_location_for(target, ini_path), section, quiet)
    if package:
        for folder in (target, target / "versions"):
            init_py = folder / "__init__.py"
            with util.status(f"Adding {init_py.absolute()}", quiet=quiet):
                init_py.touch()
    # on the console, with the status lines above, as Alembic's util.msg (not the Config's stdout)
    if any(p.name == _TOML_TEMPLATE for p in config_templates):
        util.msg(
            f"Please edit configuration settings in {toml_path.absolute()} and "
            f"configuration/connection/logging settings in {ini_path.absolute()} before proceeding.",
            quiet=quiet,
        )
    else:
        util.msg(
            f"Please edit configuration/connection/logging settings in {ini_path.absolute()} before proceeding.",
            quiet=quiet,
        )


_TOML_TEMPLATE = "pyproject.toml.mako"
_MIGRATION_TABLES = ("limbeck", "alembic")


def _copy_template_entry(source: Path, dest: Path, section: str) -> None:
    if source.is_dir():
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
    elif section == "alembic" and source.suffix == ".py":
        # an environment made for Alembic's file names imports Alembic's names, so it runs on
        # Alembic as it is (with limbeck standing in, `alembic` is limbeck)
        text = source.read_text(encoding="utf-8")
        dest.write_text(_LIMBECK_IMPORT.sub(r"from alembic import \1", text), encoding="utf-8")
    else:
        shutil.copyfile(source, dest)


_LIMBECK_IMPORT = re.compile(r"^from limbeck import (context|op)$", re.MULTILINE)


def _init_config_paths(config: Config) -> tuple[Path, Path]:
    """Where ``init`` writes: the Config's files, else limbeck.ini / pyproject.toml here."""
    ini = Path(config.config_file_name) if config.config_file_name else Path("limbeck.ini")
    toml = Path(config.toml_file_name) if config.toml_file_name else Path("pyproject.toml")
    return ini, toml


def _init_section(ini_path: Path) -> str:
    """The main section (and ``[tool.*]`` table) ``init`` writes: ``alembic`` into an ``alembic.ini``.

    ``alembic init`` (Alembic's command landing here, whose default file is
    ``alembic.ini``), Flask-Migrate and other tools name that file, and the
    project must keep working if it goes back to Alembic, which reads only
    ``[alembic]``; limbeck reads either.
    """
    return "alembic" if ini_path.name == "alembic.ini" else "limbeck"


def _script_location_for(target: Path, config_path: Path) -> str:
    """The ``script_location`` value to write: relative to the config file's folder.

    ``%(here)s`` keeps the project relocatable; an absolute directory stays absolute.
    """
    if target.is_absolute():
        return target.as_posix()
    relative = os.path.relpath(target.absolute(), config_path.absolute().parent)
    return "%(here)s/" + Path(relative).as_posix()


def _toml_migration_table(toml_path: Path) -> str | None:
    """``tool.limbeck`` or ``tool.alembic`` if *toml_path* already configures migrations.

    Read before anything is created, so a broken pyproject.toml fails init cleanly.
    """
    if not toml_path.exists():
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with toml_path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, ValueError) as exc:
        raise CommandError(f"Can't read {toml_path}: {exc}") from exc
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None
    return next((f"tool.{name}" for name in _MIGRATION_TABLES if name in tool), None)


def _write_toml_config(
    source: Path, toml_path: Path, table: str | None, script_location: str, section: str, quiet: bool
) -> None:
    shown = toml_path.absolute()
    if table is not None:
        util.msg(f"File {shown} already exists and already has a [{table}] section, skipping", quiet=quiet)
        return
    appending = toml_path.exists()
    label = f"Appending to existing {shown}" if appending else f"Generating {shown}"
    with util.status(label, quiet=quiet):
        util.template_to_file(
            source, toml_path, "utf-8", append_with_newlines=appending, script_location=script_location, section=section
        )


def _write_ini_config(source: Path, ini_path: Path, script_location: str, section: str, quiet: bool) -> None:
    shown = ini_path.absolute()
    if ini_path.exists():
        util.msg(f"File {shown} already exists, skipping", quiet=quiet)
        return
    with util.status(f"Generating {shown}", quiet=quiet):
        util.template_to_file(source, ini_path, "utf-8", script_location=script_location, section=section)


# ---------------------------------------------------------------------------
# revision / merge
# ---------------------------------------------------------------------------


class RevisionDirective:
    """Alembic's ``MigrationScript`` under the name earlier limbeck versions gave it.

    Hooks receive :class:`limbeck.operations.ops.MigrationScript` objects; this
    builds one with empty operations, for hooks that add a revision of their own.
    """

    def __new__(cls, rev_id: str, message: str | None = None, **kw: Any) -> Any:
        # SQLAlchemy only for a hook's new revision: `limbeck heads` imports this module
        from limbeck.operations.ops import DowngradeOps, MigrationScript, UpgradeOps

        kw.setdefault("head", "head")
        return MigrationScript(rev_id, UpgradeOps([]), DowngradeOps([]), message=message, **kw)


def _revision_context_from_env(
    config: Config,
    script: ScriptDirectory,
    sql: bool,
    template_args: dict[str, Any],
    hooks: list[Callable[..., None]],
) -> Any:
    """Run env.py and pick up what its ``configure()`` asked of revision generation."""
    captured: list[Any] = []

    def capture(rev: Any, context: Any) -> list[Any]:
        opts = getattr(context, "opts", {}) or {}
        template_args.update(opts.get("template_args") or {})
        hook = opts.get("process_revision_directives")
        if hook is not None:
            hooks.append(hook)
        captured.append(context)
        return []

    # the runtime loads only for a run: `limbeck heads` imports this module
    from limbeck.runtime.options import RunOptions
    from limbeck.runtime.run import run

    run(config, script, capture, RunOptions(sql=sql), template_args=template_args)
    return captured[-1] if captured else None


def merge(
    config: Config,
    revisions: str | Sequence[str],
    message: str | None = None,
    branch_label: str | Sequence[str] | None = None,
    rev_id: str | None = None,
    splice: bool = False,
) -> Script | None:
    """Write a revision whose down revisions are *revisions* (e.g. ``heads``).

    Raises:
        CommandError: a revision is not a head (without ``splice``), an unknown revision,
            an existing ``rev_id``.
    """
    script = _script_directory(config)
    template_args: dict[str, Any] = {"config": config}
    if _revision_environment(config):
        _revision_context_from_env(config, script, False, template_args, [])
    return script.generate_revision(
        rev_id or util.rev_id(),
        message,
        head=revisions,
        splice=splice,
        branch_labels=branch_label,
        **template_args,
    )


# ---------------------------------------------------------------------------
# read-only commands
# ---------------------------------------------------------------------------


def heads(config: Config, verbose: bool = False, resolve_dependencies: bool = False, format: str = "text") -> None:
    """Print the head revisions of the script directory.

    ``resolve_dependencies`` leaves out heads that another revision depends on (they are
    reached through that dependency). ``format="json"`` prints a JSON list instead.
    """
    check_format(format)
    script = _script_directory(config)
    if resolve_dependencies:
        scripts = _scripts_for(script, "heads")
    else:
        scripts = _scripts_for(script, script.get_heads())
    if format == "json":
        print_revisions_json(config, scripts)
        return
    for sc in scripts:
        config.print_stdout(formatting.cmd_format(sc, verbose, include_branches=True, tree_indicators=False))


def branches(config: Config, verbose: bool = False, format: str = "text") -> None:
    """Print every branch point with the revisions it branches into.

    ``format="json"`` prints a JSON list of the branch points instead (their
    ``next_revisions`` are the revisions they branch into).
    """
    check_format(format)
    script = _script_directory(config)
    points = [sc for sc in script.walk_revisions() if sc.is_branch_point]
    if format == "json":
        print_revisions_json(config, points)
        return
    for sc in points:
        children = "\n".join(
            formatting.branch_children_line(sc, script.get_revision(rev), verbose) for rev in sorted(sc.nextrev)
        )
        head_line = formatting.cmd_format(sc, verbose, include_branches=True)
        config.print_stdout(f"{head_line}\n{children}\n")


def _split_range(rev_range: str | None) -> tuple[str | None, str | None]:
    if rev_range is None:
        return None, None
    if rev_range.count(":") != 1:
        raise CommandError(
            f"History range requires [start]:[end], [start]:, or :[end] (got {rev_range!r})"
        )
    base, head = rev_range.strip().split(":")
    return base or None, head or None


def history(
    config: Config,
    rev_range: str | None = None,
    verbose: bool = False,
    indicate_current: bool = False,
    format: str = "text",
) -> None:
    """Print revisions newest first, optionally limited to ``[start]:[end]``.

    ``current`` in the range, ``indicate_current`` and ``revision_environment = true``
    run env.py to learn the database's heads. ``format="json"`` prints a JSON list.
    """
    check_format(format)
    script = _script_directory(config)
    base, head = _split_range(rev_range)
    needs_db = _CURRENT in (base, head) or indicate_current or _revision_environment(config)
    if not needs_db:
        _history_listing(config, script, rev_range, base, head, (), verbose, False, format)
    elif format == "json":
        # one JSON document: every database's current revisions marked in it
        currents = _database_heads(config, script)
        _history_listing(config, script, rev_range, base, head, currents, verbose, indicate_current, format)
    else:
        # as Alembic: a listing per database env.py runs (multidb: each with its own current)
        for currents in _heads_per_context(config, script):
            _history_listing(config, script, rev_range, base, head, currents, verbose, indicate_current, format)


def _history_listing(
    config: Config, script: ScriptDirectory, rev_range: str | None, base: Any, head: Any,
    currents: tuple[str, ...], verbose: bool, indicate_current: bool, format: str,
) -> None:
    lower: Any = currents if base == _CURRENT else base
    upper: Any = currents if head == _CURRENT else head
    try:
        walked = list(script.walk_revisions(base=lower or "base", head=upper or "heads"))
    except CommandError as exc:
        # Some range errors name an implied endpoint ("Can't locate ... 'heads'" for -9:);
        # say which option was at fault.
        if rev_range is None or rev_range in str(exc):
            raise
        raise CommandError(f"{exc} (in history range {rev_range!r})") from exc
    if format == "json":
        print_revisions_json(config, walked, currents if indicate_current else None)
        return
    current_set = set(currents)
    for sc in walked:
        # Alembic's mechanism, kept for code that reads it: the formatter shows
        # "(current)" for a script whose _db_current_indicator is true.
        if indicate_current:
            setattr(sc, _CURRENT_INDICATOR, sc.revision in current_set)
        try:
            config.print_stdout(
                formatting.cmd_format(sc, verbose, include_branches=True, include_doc=True, include_parents=True)
            )
        finally:
            if indicate_current:
                setattr(sc, _CURRENT_INDICATOR, None)


def show(config: Config, rev: str) -> None:
    """Print the full entry of each revision *rev* names (``current``: the database's)."""
    script = _script_directory(config)
    if rev == _CURRENT:
        scripts = _scripts_for(script, _database_heads(config, script))
    else:
        found = list(script.get_revisions(rev))
        scripts = [sc for sc in found if sc is not None]
        relative = isinstance(rev, str) and rev.lstrip("+-").isdigit() and rev[:1] in "+-"  # a tuple works too
        if (relative and not scripts) or any(isinstance(sc, str) for sc in scripts):
            # a relative step off several heads, or below base: nothing to show (Alembic crashes)
            raise CommandError(f"Can't locate revision identified by '{rev}'")
    for sc in scripts:
        config.print_stdout(formatting.log_entry(sc))


def edit(config: Config, rev: str) -> None:
    """Open the file of each revision *rev* names in ``$EDITOR`` (``current``: the database's).

    Raises:
        CommandError: nothing to edit, or the editor failed / was not found.
    """
    import subprocess  # only `edit` starts a process: `limbeck heads` imports this module

    script = _script_directory(config)
    if rev == _CURRENT:
        scripts = _scripts_for(script, _database_heads(config, script))
        if not scripts:
            raise CommandError("No current revisions")
    else:
        scripts = _scripts_for(script, rev)
        if not scripts:
            raise CommandError(f"No revision files indicated by symbol '{rev}'")
    for sc in scripts:
        try:
            util.open_in_editor(str(sc.path))
        except CommandError as exc:  # no editor: Alembic's words, then the file
            raise CommandError(f"{exc} for {sc.path}") from exc
        except (OSError, subprocess.CalledProcessError) as exc:
            # Alembic's words, then the file (a one-line failure names what it was about)
            raise CommandError(f"Error executing editor ({exc}) for {sc.path}") from exc
