"""``limbeck tag``: name a revision for a release, list the names, remove one.

The names go to ``tags.txt`` beside ``versions/`` (see :mod:`limbeck.script.tags`);
every other command reads them. Like ``heads``, this never imports SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from limbeck.commands import script_directory
from limbeck.errors import CommandError
from limbeck.script.base import Script

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.script import ScriptDirectory


def tag(
    config: Config, tag_name: str | None = None, revision: str = "head", delete: bool = False, force: bool = False
) -> None:
    """Tag *revision* (default: the head) as *tag_name*; without a name, list the tags.

    ``delete`` removes the tag; ``force`` moves an existing tag.

    Raises:
        CommandError: a name breaking the tag rule or already used, a revision
            that is not exactly one revision.
    """
    from limbeck.script.tags import TagFile, collision, name_problem, tags_path

    script = script_directory(config)
    revisions = list(script.walk_revisions())  # reads and checks the existing tags too
    tag_file = TagFile.read(tags_path(script.dir))
    name = tag_name
    if name is None:
        if delete or force:
            raise CommandError("tag: --delete and --force need a tag name")
        for item in tag_file.tags.values():
            config.print_stdout(f"{item.name} -> {_describe(script, item.revision)}")
        return
    if delete:
        removed = tag_file.remove(name)
        tag_file.write()
        config.print_stdout(f"Removed tag {name} (was {removed.revision}) from {tag_file.path}")
        return
    problem = name_problem(name) or collision(
        name, (r.revision for r in revisions), {label for r in revisions for label in r.branch_labels}
    )
    if problem is not None:
        raise CommandError(f"tag: {problem}")
    target = _one_revision(script, revision)
    existing = tag_file.tags.get(name)
    if existing is not None and existing.revision != target.revision and not force:
        raise CommandError(
            f"tag '{name}' already names {existing.revision} ({tag_file.path}:{existing.line}); --force moves it"
        )
    tag_file.set(name, target.revision)
    tag_file.write()
    config.print_stdout(f"Tagged {target.revision} as {name} in {tag_file.path}")


def _one_revision(script: ScriptDirectory, revision: str) -> Script:
    from limbeck.runtime.steps import revision_errors

    rmap = script.revision_map
    with revision_errors(revision):
        # "base" (a string) names no revision file
        found = [r for r in rmap.parse_upgrade_target(rmap.heads, revision, True) if isinstance(r, Script)]
    if len(found) != 1:
        what = "no revision (base)" if not found else f"{len(found)} revisions"
        raise CommandError(f"tag: '{revision}' names {what}; a tag names exactly one revision")
    return found[0]


def _describe(script: ScriptDirectory, revision: str) -> str:
    from limbeck.script import formatting as fmt

    try:
        found = script.get_revision(revision)
    except CommandError as exc:
        return f"{revision} ({exc})"
    return fmt.cmd_format(found, False, include_doc=True, tree_indicators=False, head_indicators=False)
