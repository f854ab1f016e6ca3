"""``RevisionContext``: how ``revision`` (with or without ``--autogenerate``) builds its files.

env.py runs with a migration function that never migrates: each time env.py
configures a context and calls ``run_migrations()``, the function compares
that database with its target metadata (``--autogenerate``) into the
``MigrationScript`` being built, then lets the ``process_revision_directives``
hooks edit the list of scripts. A multi-database env.py configures several
contexts, each with its own ``upgrade_token``; each adds its own pair of
containers to the one script. :meth:`generate_scripts` finally renders the
containers into the template and writes the files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.operations.containers import DowngradeOps, MigrationScript, UpgradeOps

if TYPE_CHECKING:
    from limbeck.autogenerate.api import AutogenContext
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import Script, ScriptDirectory

Hook = Callable[[Any, Any, list[Any]], None]


class RevisionContext:
    """The revision(s) one ``revision`` command is about to write."""

    def __init__(
        self,
        config: Config,
        script_directory: ScriptDirectory,
        command_args: Mapping[str, Any],
        process_revision_directives: Hook | None = None,
    ) -> None:
        from limbeck import util

        self.config = config
        self.script_directory = script_directory
        self.command_args = dict(command_args)
        self.process_revision_directives = process_revision_directives
        self.template_args: dict[str, Any] = {"config": config}
        self._contexts: list[AutogenContext] = []
        self._rendered = False
        version_path = self.command_args.get("version_path")
        self.generated_revisions: list[MigrationScript] = [
            MigrationScript(
                rev_id=self.command_args.get("rev_id") or util.rev_id(),
                message=self.command_args.get("message"),
                upgrade_ops=UpgradeOps([]),
                downgrade_ops=DowngradeOps([]),
                head=self.command_args.get("head") or "head",
                splice=self.command_args.get("splice"),
                branch_label=self.command_args.get("branch_label"),
                version_path=None if version_path is None else os.fspath(version_path),
                depends_on=self.command_args.get("depends_on"),
            )
        ]

    # -- called from env.py's run_migrations() --------------------------------------
    def run_autogenerate(self, rev: Any, migration_context: MigrationContext) -> None:
        """Compare ``migration_context``'s database with its ``target_metadata``."""
        if self.command_args.get("sql"):
            raise CommandError("Using --sql with --autogenerate does not make any sense")
        script = self.script_directory
        if set(script.get_revisions(rev)) != set(script.get_revisions("heads")):
            raise CommandError("Target database is not up to date.")
        self._run_environment(rev, migration_context, autogenerate=True)

    def run_no_autogenerate(self, rev: Any, migration_context: MigrationContext) -> None:
        """Let env.py's hooks and template arguments apply to a hand-written revision."""
        self._run_environment(rev, migration_context, autogenerate=False)

    def _run_environment(self, rev: Any, migration_context: MigrationContext, autogenerate: bool) -> None:
        from limbeck.autogenerate.api import AutogenContext, populate_migration_script

        opts = migration_context.opts
        script = self.generated_revisions[-1]
        upgrade_token = opts.get("upgrade_token") or "upgrades"
        downgrade_token = opts.get("downgrade_token") or "downgrades"
        if not self._contexts:
            script.upgrade_ops_list[-1].upgrade_token = upgrade_token
            script.downgrade_ops_list[-1].downgrade_token = downgrade_token
        else:
            script.upgrade_ops_list.append(UpgradeOps([], upgrade_token=upgrade_token))
            script.downgrade_ops_list.append(DowngradeOps([], downgrade_token=downgrade_token))
        ctx = AutogenContext(migration_context, autogenerate=autogenerate)
        self._contexts.append(ctx)
        self.template_args.update(opts.get("template_args") or {})
        # once env.py ran, the revisions are rendered, empty ones too (Alembic's "commands auto
        # generated" lines around pass), as with --autogenerate
        self._rendered = True
        if autogenerate:
            populate_migration_script(ctx, script)
        revision = tuple(rev) if isinstance(rev, (list, tuple)) else (rev,)
        # the command's hook first, then env.py's, as Alembic calls them
        for hook in (self.process_revision_directives, opts.get("process_revision_directives")):
            if hook is not None:
                hook(migration_context, revision, self.generated_revisions)

    @property
    def environment_ran(self) -> bool:
        """Whether env.py reached ``run_migrations()`` (and so applied its own hooks)."""
        return bool(self._contexts)

    def run_hooks_without_environment(self) -> None:
        """No env.py ran: only the ``process_revision_directives`` given to the command apply."""
        if self.process_revision_directives is not None:
            rev_ids = tuple(s.rev_id for s in self.generated_revisions)
            self.process_revision_directives(None, rev_ids, self.generated_revisions)

    # -- writing ------------------------------------------------------------------------
    def generate_scripts(self) -> Iterator[Script | None]:
        """Write every generated revision; yield each new Script."""
        for script in self.generated_revisions:
            yield self._to_script(script)

    def _render_context(self, index: int) -> AutogenContext:
        from limbeck.autogenerate.api import AutogenContext

        if self._contexts:
            ctx = self._contexts[min(index, len(self._contexts) - 1)]
            return AutogenContext(ctx.migration_context, opts=ctx.opts, autogenerate=False)
        return AutogenContext(None, opts={}, autogenerate=False)

    def _to_script(self, script: MigrationScript) -> Script | None:
        from limbeck.autogenerate.render import render_cmd_body

        template_args = dict(self.template_args)
        imports: set[str] = set(script.imports)
        for index, (up, down) in enumerate(zip(script.upgrade_ops_list, script.downgrade_ops_list)):
            if not (self._rendered or not up.is_empty() or not down.is_empty()):
                continue
            ctx = self._render_context(index)
            template_args[up.upgrade_token] = render_cmd_body(up, ctx)
            template_args[down.downgrade_token] = render_cmd_body(down, ctx)
            imports |= ctx.imports
        template_args["imports"] = "\n".join(sorted(imports))
        from limbeck import util

        return self.script_directory.generate_revision(
            script.rev_id or util.rev_id(),
            script.message,
            head=script.head,
            splice=script.splice,
            branch_labels=script.branch_label,
            version_path=script.version_path,
            depends_on=script.depends_on,
            **template_args,
        )


__all__ = ["RevisionContext"]
