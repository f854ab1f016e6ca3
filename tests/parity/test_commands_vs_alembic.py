"""limbeck against real Alembic 1.20.1 on the behaviours Alembic's own command tests pin.

The scenario modules (``scenarios_*.py``, listed in :data:`MODULES`) drive ``alembic.command``,
``ScriptDirectory``, ``EnvironmentContext`` and ``Config`` the way users' tools do; each module
runs once under real Alembic and once under ``LIMBECK_AS_ALEMBIC=1`` (two child processes, see
``command_harness.py``), and every scenario's observations must be equal: printed output and
offline SQL, exception class, whether it is a ``CommandError`` and its message, return values,
files written, version-table rows, what env.py saw.

Only limbeck's documented departures are undone before comparing (:func:`_departures`), each
naming its README entry; the departure tests at the end show each one still happens.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.sqlalchemy_facts import SQLALCHEMY_2_0

HERE = Path(__file__).resolve().parent


def _harness() -> Any:
    name = "command_harness"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


# every test here reads the same two child runs per module: keep them on one worker
pytestmark = pytest.mark.xdist_group("commands_vs_alembic")
MODULES = ("scenarios_offline", "scenarios_scripts", "scenarios_api", "scenarios_traversal", "scenarios_env",
           "scenarios_suite", "scenarios_mixed", "scenarios_runtime_api")

_VERSION_ROW = re.compile(
    r"^(?:INSERT INTO \S+ \(version_num\) (?:OUTPUT inserted\.version_num )?VALUES \('(?P<ins>[^']*)'\)"
    r"(?: RETURNING [\w.]+)?"
    r"|UPDATE \S+ SET version_num='(?P<new>[^']*)' WHERE \S+ = '(?P<old>[^']*)'"
    r"|DELETE FROM \S+ WHERE \S+ = '(?P<del>[^']*)');$"
)


def _merge_rows(text: str) -> str:
    """Each run of several version statements (a merge or an unmerge) as the rows it removes and adds.

    README, "Offline scripts": which row a merge updates and which it deletes (or an unmerge
    updates and inserts) is fixed in limbeck and set order in Alembic; applied to both sides.
    """
    blocks = text.split("\n\n")
    out: list[str] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _VERSION_ROW.match(blocks[j]):
            j += 1
        if j - i < 2:
            out.append(blocks[i])
            i += 1
            continue
        gone: set[str] = set()
        added: set[str] = set()
        for block in blocks[i:j]:
            m = _VERSION_ROW.match(block)
            assert m is not None
            for removed in (m["del"], m["old"]):
                if removed in added:
                    added.discard(removed)
                elif removed is not None:
                    gone.add(removed)
            for new in (m["ins"], m["new"]):
                if new is not None:
                    added.add(new)
        out.append(f"-- version rows: -{sorted(gone)} +{sorted(added)}")
        i = j
    return "\n\n".join(out)


_BRANCHES_INTO = re.compile(r"^(Branches into: )(.*)$", re.MULTILINE)
_NEXT_REVS = re.compile(r"(?:^   -> .*\n)+", re.MULTILINE)


def _sorted_sets(text: str) -> str:
    """README, "Commands": a branch point's revisions ("Branches into: ...", and the
    ``   -> rev`` lines of ``branches``) are listed sorted by limbeck; Alembic lists them in a
    set's order, which changes with the interpreter's string hashing (3.10 and 3.11 differ)."""
    text = _BRANCHES_INTO.sub(lambda m: m[1] + ", ".join(sorted(m[2].split(", "))), text)
    return _NEXT_REVS.sub(lambda m: "".join(sorted(m[0].splitlines(keepends=True))), text)


def _departures(value: Any) -> Any:
    """Alembic's observation with limbeck's documented departures applied."""
    if isinstance(value, str):
        return _sorted_sets(_merge_rows(value))
    if isinstance(value, list):
        # README, "Running Alembic projects": get_revision_argument() in a command without a
        # destination (current, ...) is None where Alembic raises KeyError('destination_rev')
        if value[1:] == ["KeyError", "'destination_rev'"] and "get_revision_argument" in str(value[0]):
            return [value[0], None]
        return [_departures(v) for v in value]
    if isinstance(value, dict):
        return {k: _departures(v) for k, v in value.items()}
    return value


def _scenarios(module: str) -> list[str]:
    text = (HERE / f"{module}.py").read_text(encoding="utf-8")
    return sorted(re.findall(r"^def scenario_(\w+)\(", text, re.MULTILINE))


@pytest.mark.parametrize(
    "module,name", [(m, n) for m in MODULES for n in _scenarios(m)], ids=lambda v: str(v)
)
def test_scenario_matches_alembic(module: str, name: str) -> None:
    observed = _observed_for(module)
    alembic_steps = observed["alembic"][name]
    limbeck_steps = observed["limbeck"][name]
    for steps in (alembic_steps, limbeck_steps):
        failed = [s for s in steps if s["call"] == "SCENARIO FAILED"]
        assert not failed, failed[0]["tb"]
    expected = _departures(alembic_steps)
    assert [s["call"] for s in limbeck_steps] == [s["call"] for s in expected]
    for want, got in zip(expected, [dict(step) for step in limbeck_steps]):  # the cache stays whole
        if (name, want["call"]) in DEPARTURES:
            continue  # shown by the departure tests below
        if SQLALCHEMY_2_0 and (name, want["call"]) in POSTGRESQL_BACKSLASHES:
            want["out"] = want["out"].replace("\\\\", "\\")  # Alembic's doubled backslashes, written once
        _same_exception(want.pop("exc", None), got.pop("exc", None), want["call"])
        if isinstance(got.get("out"), str):
            got["out"] = _merge_rows(got["out"])
        assert got == want, f"step {want['call']!r} differs"


#: (scenario, step) where limbeck departs on purpose; each has a test below showing it
DEPARTURES = {
    # README, "Configuration": cmd_opts.x given as one string is one -x value as a dictionary too
    ("x_argument_one_string", "env"),
    # README, "Commands": revision refuses an id or branch label already present before writing
    ("revision_id_already_present", "rev id exists"),
    ("revision_id_already_present", "names"),
    ("branch_label_already_used", "label used"),
    ("branch_label_already_used", "names"),
    # README, "Commands": an unknown file_template token is one line naming it (Alembic: KeyError)
    ("file_template_and_slug", "bad token"),
    # README, "Offline scripts": a --sql start of `heads` with several heads starts from all of them
    ("offline_multiple_roots", "downgrade heads:base"),
    ("offline_stamp_multiple_heads", "downgrade heads:base"),
    # the same README entry: a start of several revisions separated by commas (Alembic: unknown id)
    ("offline_merges", "up d1,d2:f"),
    # README, "Commands": a revision on a head in a sub-folder (recursive_version_locations) goes
    # to the version location holding it; Alembic refuses the sub-folder as a location
    ("version_locations", "revision follows sub"),
    ("version_locations", "names 2"),
    # README, "Configuration": a missing section says whether the file or the section is missing
    # (Alembic: "No config file None found, or file has no '[nowhere]' section")
    ("config_values", "missing section"),
    ("config_values", "missing section default"),
    # README, "Tools built on Alembic": alembic.config.main() is limbeck's command line (click):
    # a -c file that does not exist is named as such, no command is click's usage error
    ("command_line_as_library", "main missing ini"),
    ("command_line_as_library", "main no command"),
    # README, "Commands": a revision whose template drops its branch labels is removed again
    ("template_without_branch_labels", "files"),
    # README, "Commands": check prints the changes, one a line, and its exception summarises them
    # (Alembic's message is the repr of the diff tuples); README, "Autogenerate": the generated
    # operations are laid out as ruff format would
    ("autogenerate_guards_and_check", "check with changes"),
    ("autogenerate_guards_and_check", "files"),
    # README, "Commands": $EDITOR with arguments (code --wait) runs with them (Alembic: another editor)
    ("editor_choice", "EDITOR with arguments: ran"),
}

#: README, "Offline scripts": on SQLAlchemy 2.0 a backslash in a PostgreSQL string literal is written
#: once, where Alembic's script doubles it (2.1: both write it once); the steps whose script is
#: PostgreSQL's and holds one (scenarios_mixed's values include 'back\\slash'; no other backslash
#: is written there, so halving Alembic's pairs undoes exactly that departure)
POSTGRESQL_BACKSLASHES = {(f"mixed_shapes_{n}", "upgrade --sql") for n in (1, 2, 3)}


def _same_exception(want: list[Any] | None, got: list[Any] | None, call: str) -> None:
    """limbeck raised what code written for Alembic catches, with Alembic's message.

    The class must be Alembic's or derive from its name (``except OperationalError`` still
    catches it); a ``CommandError`` stays one. The message is Alembic's, except where the
    README says limbeck's names more: a revision's failure is one line naming its file and
    line (README, "Commands", errors), which contains the first line of Alembic's message,
    and some messages add, around Alembic's text, where the bad value came from or the
    remedy; Alembic's text is then still in limbeck's, for code that searches it.
    """
    if want is None or got is None:
        assert want == got, f"step {call!r}: Alembic raised {want}, limbeck {got}"
        return
    (a_name, a_command, a_message, _), (_, l_command, l_message, l_classes) = want, got
    assert a_name in l_classes, f"step {call!r}: {a_name} is not among {l_classes}"
    assert l_command or not a_command, f"step {call!r}: not a CommandError"
    if "MigrationFailed" in l_classes:
        assert a_message.splitlines()[0] in l_message, f"step {call!r}: {l_message}"
    else:
        assert a_message in l_message, f"step {call!r}: {l_message!r} does not say {a_message!r}"


_CACHE: dict[str, dict[str, Any]] = {}


def _observed_for(module: str) -> dict[str, Any]:
    """Both tools' observations of ``module``, computed once per test session and worker."""
    if module not in _CACHE:
        path = HERE / f"{module}.py"
        run = _harness().run_module
        _CACHE[module] = {"alembic": run(path, "alembic"), "limbeck": run(path, "limbeck")}
    return _CACHE[module]


def test_version_insert_returns_as_alembic_does() -> None:
    """The version INSERT carries the RETURNING SQLAlchemy adds for a key given as an expression, as Alembic's."""
    observed = _observed_for("scenarios_offline")
    alembic_sql = observed["alembic"]["offline_ranges"][0]["out"]
    limbeck_sql = observed["limbeck"]["offline_ranges"][0]["out"]
    assert "RETURNING version_num;" in alembic_sql
    assert alembic_sql == limbeck_sql


def test_departure_x_argument_given_as_one_string() -> None:
    """A program's ``cmd_opts.x = "y=5"``: Alembic's dictionary is made of its characters."""
    observed = _observed_for("scenarios_env")
    alembic = observed["alembic"]["x_argument_one_string"][-1]["seen"]
    limbeck = observed["limbeck"]["x_argument_one_string"][-1]["seen"]
    assert alembic == ["y=5", {"": "", "5": "", "y": ""}, True]
    assert limbeck == ["y=5", {"y": "5"}, True]


def test_departure_revision_argument_without_destination() -> None:
    """env.py asking get_revision_argument() under ``current``: Alembic's KeyError, limbeck's None."""
    observed = _observed_for("scenarios_offline")
    steps = observed["alembic"]["context_arguments_before_configure"]
    current = steps[[s["call"] for s in steps].index("current") + 1]["seen"]
    assert ["get_revision_argument", "KeyError", "'destination_rev'"] in current
    steps = observed["limbeck"]["context_arguments_before_configure"]
    current = steps[[s["call"] for s in steps].index("current") + 1]["seen"]
    assert ["get_revision_argument", None] in current


def test_departure_revision_refuses_duplicates_before_writing() -> None:
    """A repeated --rev-id or branch label: Alembic writes the file, then every command fails."""
    observed = _observed_for("scenarios_scripts")
    for name, call in (("revision_id_already_present", "rev id exists"), ("branch_label_already_used", "label used")):
        a_steps, l_steps = observed["alembic"][name], observed["limbeck"][name]
        a_names, l_names = a_steps[-1]["value"], l_steps[-1]["value"]
        assert len(a_names) == len(l_names) + 1, (a_names, l_names)  # Alembic left the file behind
        failed = next(s for s in l_steps if s["call"] == call)
        assert failed["exc"][1] and failed["out"] == ""
    later = observed["alembic"]["revision_id_already_present"]
    assert later[-2]["exc"][0] == "CommandError"


def test_departure_unknown_file_template_token() -> None:
    observed = _observed_for("scenarios_scripts")
    a = next(s for s in observed["alembic"]["file_template_and_slug"] if s["call"] == "bad token")
    l_ = next(s for s in observed["limbeck"]["file_template_and_slug"] if s["call"] == "bad token")
    assert a["exc"][0] == "KeyError"
    assert l_["exc"][1] and "%(nope)s" in l_["exc"][2]


def test_departure_offline_start_at_several_heads() -> None:
    """``downgrade heads:base --sql`` with two heads: Alembic refuses, limbeck takes every branch down."""
    observed = _observed_for("scenarios_offline")
    a = next(s for s in observed["alembic"]["offline_multiple_roots"] if s["call"] == "downgrade heads:base")
    l_ = next(s for s in observed["limbeck"]["offline_multiple_roots"] if s["call"] == "downgrade heads:base")
    assert a["exc"][1] and "Multiple head revisions" in a["exc"][2]
    assert "exc" not in l_
    assert l_["out"].count("DELETE FROM alembic_version") == 2  # both roots' rows removed


def test_departure_revision_on_a_head_in_a_sub_folder() -> None:
    observed = _observed_for("scenarios_scripts")
    a = next(s for s in observed["alembic"]["version_locations"] if s["call"] == "revision follows sub")
    l_ = next(s for s in observed["limbeck"]["version_locations"] if s["call"] == "revision follows sub")
    assert "is not represented in current version locations" in a["exc"][2]
    assert l_["ret"]["down_revision"] == "v9" and l_["ret"]["path"] == "<HOME>/other/v10_w.py"


def test_departure_missing_section_message() -> None:
    observed = _observed_for("scenarios_api")
    a = next(s for s in observed["alembic"]["config_values"] if s["call"] == "missing section")
    l_ = next(s for s in observed["limbeck"]["config_values"] if s["call"] == "missing section")
    assert a["exc"][2] == "No config file None found, or file has no '[nowhere]' section"
    assert l_["exc"][1] and "[nowhere]" in l_["exc"][2] and "None" not in l_["exc"][2]


def test_departure_merge_rows_are_fixed() -> None:
    """A merge's version rows: the same effect on both sides, limbeck's choice fixed."""
    observed = _observed_for("scenarios_traversal")
    a = next(s for s in observed["alembic"]["offline_merges"] if s["call"] == "down f:b")
    l_ = next(s for s in observed["limbeck"]["offline_merges"] if s["call"] == "down f:b")
    assert "-- version rows: -['e0000000'] +['d1000000', 'd2000000']" in _merge_rows(l_["out"])
    assert _merge_rows(_departures(a["out"])) == _merge_rows(l_["out"])


def test_departure_offline_start_of_several_revisions() -> None:
    observed = _observed_for("scenarios_traversal")
    a = next(s for s in observed["alembic"]["offline_merges"] if s["call"] == "up d1,d2:f")
    l_ = next(s for s in observed["limbeck"]["offline_merges"] if s["call"] == "up d1,d2:f")
    assert "Can't locate revision identified by 'd1000000,d2000000'" in a["exc"][2]
    assert "exc" not in l_ and "-- Running upgrade d1000000, d2000000 -> e0000000" in l_["out"]


def test_departure_main_is_limbecks_command_line() -> None:
    observed = _observed_for("scenarios_env")
    steps = {s["call"]: s for s in observed["limbeck"]["command_line_as_library"]}
    alembic = {s["call"]: s for s in observed["alembic"]["command_line_as_library"]}
    assert alembic["main missing ini"]["out"].startswith("FAILED: No 'script_location' key")
    assert steps["main missing ini"]["exit"] and "nope.ini' given with -c does not exist" in steps["main missing ini"]["out"]
    assert alembic["main no command"]["exit"] and steps["main no command"]["exit"]
    assert "Missing command" in steps["main no command"]["out"]


def test_departure_template_without_branch_labels_leaves_no_file() -> None:
    observed = _observed_for("scenarios_scripts")
    a = {s["call"]: s for s in observed["alembic"]["template_without_branch_labels"]}
    l_ = {s["call"]: s for s in observed["limbeck"]["template_without_branch_labels"]}
    assert a["labels"]["exc"] == l_["labels"]["exc"][:3] + [a["labels"]["exc"][3]]
    assert "scripts/versions/o2_labelled.py" in a["files"]["files"]
    assert "scripts/versions/o2_labelled.py" not in l_["files"]["files"]


def test_departure_check_lists_the_changes() -> None:
    observed = _observed_for("scenarios_scripts")
    a = {s["call"]: s for s in observed["alembic"]["autogenerate_guards_and_check"]}["check with changes"]
    l_ = {s["call"]: s for s in observed["limbeck"]["autogenerate_guards_and_check"]}["check with changes"]
    assert a["exc"][0] == l_["exc"][0] == "AutogenerateDiffsDetected"
    assert a["exc"][2].startswith("New upgrade operations detected: [('add_table', Table('things'")
    assert l_["exc"][2] == "New upgrade operations detected: 1 (add_table things)"
    assert a["out"] == "" and l_["out"] == "New upgrade operations detected:\n  add_table things\n"


def test_departure_editor_with_arguments() -> None:
    observed = _observed_for("scenarios_suite")
    a = {s["call"]: s for s in observed["alembic"]["editor_choice"]}["EDITOR with arguments: ran"]
    l_ = {s["call"]: s for s in observed["limbeck"]["editor_choice"]}["EDITOR with arguments: ran"]
    assert a["value"] == "vim the-file\n"  # Alembic took "myvim --wait" for a file name, found none, ran vim
    assert l_["value"] == "myvim --wait the-file\n"


def test_departure_postgresql_backslash_on_sqlalchemy_2_0() -> None:
    """A backslash in a PostgreSQL literal: limbeck writes it once; Alembic's script doubles it on 2.0 only."""
    observed = _observed_for("scenarios_mixed")
    for name, call in sorted(POSTGRESQL_BACKSLASHES):
        alembic = next(s for s in observed["alembic"][name] if s["call"] == call)["out"]
        limbeck = next(s for s in observed["limbeck"][name] if s["call"] == call)["out"]
        assert "'back\\slash'" in limbeck and "\\\\" not in limbeck, name
        if SQLALCHEMY_2_0:
            assert "'back\\\\slash'" in alembic and "'back\\slash'" not in alembic, name
        else:
            assert "'back\\slash'" in alembic and "\\\\" not in alembic, name
