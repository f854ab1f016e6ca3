"""Config scenarios run against Alembic (to record facts) and against limbeck (to compare).

Each scenario writes some files into a fresh directory, builds a Config on
them, optionally mutates it, then makes calls. ``record_alembic_facts.py``
runs every scenario on Alembic's ``Config`` and stores what each call
returned (or that it raised) in ``alembic_facts.json``; ``test_parity.py``
runs the same scenarios on limbeck's ``Config`` and compares.

A call is ``(method, args)`` or ``(method, args, deviation)``. ``method`` may
be a dotted attribute path (``"file_config.sections"``). A deviation states
what limbeck deliberately does instead (``{"value": ...}`` or
``{"error": True}``) and why; without one limbeck must match Alembic, and
where Alembic raised anything limbeck must raise a ``LimbeckError``.
"""

from __future__ import annotations

import random
from typing import Any

Call = tuple[Any, ...]
Scenario = dict[str, Any]

SEPARATOR_SAMPLE = "a b,c:d;e\n  f  g"
# Settings for path_separator / version_path_separator; None leaves the key out.
SEPARATOR_SETTINGS = [None, "os", "space", "newline", ":", ";", ",", "foo", "", "OS"]


def _ini(body: str) -> dict[str, str]:
    return {"alembic.ini": body}


SCENARIOS: list[Scenario] = [
    {
        "id": "ini_values_and_interpolation",
        "files": _ini(
            "[alembic]\n"
            "script_location = %(here)s/mig\n"
            "foo = bar\n"
            "pct = 100%%\n"
            "sub = %(foo)s/x\n"
            "multi = a\n  b\n  c\n"
            "empty =\n"
            "Caps = V\n"
            "[other]\n"
            "a = 1\n"
            "b = %(here)s\n"
        ),
        "config": {"file_": "alembic.ini"},
        "calls": [
            ("get_main_option", ["script_location"]),
            ("get_main_option", ["pct"]),
            ("get_main_option", ["sub"]),
            ("get_main_option", ["multi"]),
            ("get_main_option", ["empty"]),
            ("get_main_option", ["caps"]),
            ("get_main_option", ["CAPS"]),
            ("get_main_option", ["here"]),
            ("get_main_option", ["nope"]),
            ("get_main_option", ["nope", "dflt"]),
            ("get_section", ["other"]),
            ("get_section", ["missing"]),
            ("get_section", ["missing", {"x": "y"}]),
            ("get_section", ["DEFAULT"]),
            ("get_section_option", ["other", "b"]),
            ("get_section_option", ["other", "zz", "dflt"]),
            ("get_section_option", ["missing", "b"]),
            ("get_section_option", ["missing", "b", "dflt"]),
            ("get_alembic_option", ["foo"]),
            ("get_alembic_option", ["nope", "dflt"]),
            ("file_config.sections", []),
            ("config_ini_section", None),
        ],
    },
    {
        "id": "ini_default_section_and_config_args",
        "files": _ini("[DEFAULT]\nq = 1\n[alembic]\nx = %(q)s\ny = %(extra)s\n[s2]\nz = 2\n"),
        "config": {"file_": "alembic.ini", "config_args": {"extra": "E", "q": "from-args", "here": "/ignored"}},
        "calls": [
            ("get_main_option", ["x"]),
            ("get_main_option", ["y"]),
            ("get_section", ["s2"]),
            ("get_section_option", ["s2", "q"]),
            ("file_config.defaults", []),
        ],
    },
    {
        "id": "ini_here_overridden_in_section",
        "files": _ini("[alembic]\nhere = /override\nx = %(here)s/a\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_main_option", ["x"]), ("get_main_option", ["here"])],
    },
    {
        "id": "ini_file_without_main_section",
        "files": _ini("[other]\nx = 1\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [
            ("get_main_option", ["x"]),
            ("get_main_option", ["x", "dflt"]),
            ("get_alembic_option", ["x"]),
            ("get_alembic_boolean_option", ["x"]),
            ("get_version_locations_list", []),
            ("get_prepend_sys_paths_list", []),
            ("get_hooks_list", []),
            ("get_section", ["alembic"]),
            ("file_config.sections", []),
            ("remove_main_option", ["x"]),
        ],
    },
    {
        "id": "ini_named_section",
        "files": _ini("[alembic]\nx = main\n[other]\nx = other\n"),
        "config": {"file_": "alembic.ini", "ini_section": "other"},
        "calls": [("get_main_option", ["x"]), ("config_ini_section", None)],
    },
    {
        "id": "ini_missing_file",
        "files": {},
        "config": {"file_": "nope.ini"},
        "calls": [
            ("get_main_option", ["x"]),
            ("get_alembic_option", ["script_location"]),
            ("get_hooks_list", []),
            ("file_config.sections", []),
            ("get_section_option", ["alembic", "x"]),
            ("remove_main_option", ["x"]),
        ],
    },
    {
        "id": "ini_set_and_remove",
        "files": _ini("[alembic]\nfoo = bar\nsub = %(foo)s/x\n"),
        "config": {"file_": "alembic.ini"},
        "setup": [
            ("set_main_option", ["new", "50%%"]),
            ("set_main_option", ["new2", "%(here)s/q"]),
            ("set_section_option", ["newsec", "k", "v%%"]),
            ("remove_main_option", ["foo"]),
            ("remove_main_option", ["never-there"]),
        ],
        "calls": [
            ("get_main_option", ["new"]),
            ("get_main_option", ["new2"]),
            ("get_section_option", ["newsec", "k"]),
            ("get_main_option", ["foo"]),
            ("get_main_option", ["sub"]),
            ("set_main_option", ["raw", "50%"]),
            ("file_config.sections", []),
        ],
    },
    {
        "id": "no_file_programmatic",
        "files": {},
        "config": {},
        "setup": [("set_main_option", ["script_location", "myapp:migrations"])],
        "calls": [
            ("file_config.sections", []),
            ("file_config.defaults", []),
            ("get_main_option", ["script_location"]),
            ("get_main_option", ["here"]),
            ("get_alembic_option", ["script_location"]),
            ("get_version_locations_list", []),
            ("get_hooks_list", []),
        ],
    },
    {
        "id": "no_file_named_section",
        "files": {},
        "config": {"ini_section": "zz"},
        "calls": [("file_config.sections", []), ("get_main_option", ["x", "d"])],
    },
    {
        "id": "ini_parse_error_no_header",
        "files": _ini("garbage\n[alembic]\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_main_option", ["x"])],
    },
    {
        "id": "ini_parse_error_duplicate_option",
        "files": _ini("[alembic]\nx = 1\nx = 2\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_main_option", ["x"])],
    },
    {
        "id": "ini_parse_error_bad_line",
        "files": _ini("[alembic]\nx = 1\nloose line\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_main_option", ["x"])],
    },
    {
        "id": "ini_interpolation_errors",
        "files": _ini(
            "[alembic]\nmissing_ref = %(nope)s\nraw_pct = 50%\nok = fine\nloop = %(loop)s\nunclosed = %(x\n"
            "[other]\npct = 5%\n"
        ),
        "config": {"file_": "alembic.ini"},
        "calls": [
            ("get_main_option", ["missing_ref"]),
            ("get_main_option", ["raw_pct"]),
            ("get_main_option", ["ok"]),
            ("get_section", ["alembic"]),
            ("get_main_option", ["loop"]),
            ("get_main_option", ["unclosed"]),
            ("get_main_option", ["raw_pct", "default"]),
            ("get_section_option", ["other", "pct"]),
            ("get_section", ["other"]),
            ("get_alembic_option", ["loop"]),
            ("get_alembic_boolean_option", ["raw_pct"]),
            ("get_alembic_boolean_option", ["missing_ref"]),
        ],
    },
    {
        "id": "programmatic_bad_values",
        "files": {},
        "config": {},
        "setup": [("set_main_option", ["ref", "%(missing)s"]), ("set_main_option", ["loop", "%(loop)s"])],
        "calls": [
            ("set_main_option", ["a", "50%"]),
            ("set_main_option", ["a", "%(x"]),
            ("set_main_option", ["a", 5]),
            ("set_main_option", ["a", None]),
            ("set_main_option", [5, "x"]),
            ("set_section_option", ["s", "a", 5]),
            ("set_section_option", ["s", "a", "5%"]),
            ("get_main_option", ["ref"]),
            ("get_main_option", ["loop"]),
            ("get_alembic_option", ["ref"]),
            ("get_alembic_boolean_option", ["loop"]),
        ],
    },
    {
        "id": "ctor_bytes_file_name",
        "files": _ini("[alembic]\nx = 1\n"),
        "config": {"raw": {"file_": b"alembic.ini"}},
        "calls": [("get_main_option", ["x"])],
    },
    {
        "id": "ctor_bytes_toml_file_name",
        "files": {"pyproject.toml": "[tool.alembic]\nx = '1'\n"},
        "config": {"raw": {"toml_file": b"pyproject.toml"}},
        "calls": [("get_alembic_option", ["x"])],
    },
    {
        "id": "ctor_empty_file_names",
        "files": {},
        "config": {"raw": {"file_": "", "toml_file": ""}},
        "calls": [
            ("config_file_name", None),
            ("toml_file_name", None),
            ("file_config.sections", []),
            ("get_main_option", ["x"]),
            ("get_section", ["alembic"]),
        ],
    },
    {
        "id": "ctor_empty_ini_section",
        "files": {},
        "config": {"ini_section": ""},
        "calls": [("file_config.sections", []), ("get_main_option", ["x"]), ("config_ini_section", None)],
    },
    {
        "id": "toml_file_is_a_directory",
        "files": {"dir/x": ""},
        "config": {"toml_file": "dir"},
        "calls": [("toml_alembic_config", None), ("get_alembic_option", ["x"])],
    },
    {
        "id": "ini_booleans",
        "files": _ini(
            "[alembic]\nt = true\nf = false\nempty =\nupper = TRUE\ntitle = True\nyes = yes\none = 1\n"
        ),
        "config": {"file_": "alembic.ini"},
        "calls": [
            ("get_alembic_boolean_option", ["t"]),
            ("get_alembic_boolean_option", ["f"]),
            ("get_alembic_boolean_option", ["empty"]),
            ("get_alembic_boolean_option", ["missing"]),
            ("get_alembic_boolean_option", ["yes"]),
            ("get_alembic_boolean_option", ["one"]),
            ("get_alembic_boolean_option", ["upper"], {"value": True, "why": "'TRUE' is read as true"}),
            ("get_alembic_boolean_option", ["title"], {"value": True, "why": "'True' is read as true"}),
        ],
    },
    {
        "id": "ini_path_lists_edge_cases",
        "files": _ini(
            "[alembic]\npath_separator = :\nversion_locations = a :  : b:\nprepend_sys_path = :a : b::\n"
        ),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_version_locations_list", []), ("get_prepend_sys_paths_list", [])],
    },
    {
        "id": "ini_path_lists_newline",
        "files": _ini("[alembic]\npath_separator = newline\nversion_locations =\n  a\n\n  b  \nprepend_sys_path = x\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_version_locations_list", []), ("get_prepend_sys_paths_list", [])],
    },
    {
        "id": "ini_path_lists_empty",
        "files": _ini("[alembic]\npath_separator = space\nversion_locations =\nprepend_sys_path =\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_version_locations_list", []), ("get_prepend_sys_paths_list", [])],
    },
    {
        "id": "ini_legacy_lists",
        "files": _ini("[alembic]\nversion_locations = a, b ,,c  d\nprepend_sys_path = C:/foo,a:b c\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_version_locations_list", []), ("get_prepend_sys_paths_list", [])],
    },
    {
        "id": "toml_typed_values",
        "files": {
            "pyproject.toml": (
                "[tool.alembic]\n"
                'script_location = "%(here)s/mig"\n'
                'prepend_sys_path = [".", "%(here)s/src"]\n'
                'version_locations = ["%(here)s/v1", "v2"]\n'
                'file_template = "%%(rev)s_%%(slug)s"\n'
                "truncate_slug_length = 20\n"
                "sourceless = true\n"
                'recursive_version_locations = "true"\n'
                'timezone = "UTC"\n'
                'raw_pct = "50%"\n'
                'unknown_ref = "%(nope)s"\n'
                "floaty = 1.5\n"
                'table = { a = "1", b = "%(here)s" }\n'
                "ints = [1, 2]\n"
                "[[tool.alembic.post_write_hooks]]\n"
                'name = "black"\n'
                'type = "console_scripts"\n'
                'entrypoint = "black"\n'
                'options = "-l 79 REVISION_SCRIPT_FILENAME"\n'
                "[[tool.alembic.post_write_hooks]]\n"
                'name = "ruff"\n'
                'type = "exec"\n'
                'executable = "%(here)s/ruff"\n'
            )
        },
        "config": {"toml_file": "pyproject.toml"},
        "calls": [
            ("toml_file_name", None),
            ("config_file_name", None),
            ("toml_alembic_config", None),
            ("get_alembic_option", ["script_location"]),
            ("get_main_option", ["script_location"]),
            ("get_alembic_option", ["prepend_sys_path"]),
            ("get_alembic_option", ["version_locations"]),
            ("get_alembic_option", ["file_template"]),
            ("get_alembic_option", ["truncate_slug_length"]),
            ("get_alembic_option", ["sourceless"]),
            ("get_alembic_option", ["recursive_version_locations"]),
            ("get_alembic_option", ["table"]),
            ("get_alembic_option", ["post_write_hooks"]),
            ("get_alembic_option", ["missing"]),
            ("get_alembic_option", ["missing", "dflt"]),
            ("get_alembic_option", ["raw_pct"]),
            ("get_alembic_option", ["unknown_ref"]),
            ("get_alembic_option", ["floaty"]),
            ("get_alembic_option", ["ints"]),
            ("get_alembic_boolean_option", ["sourceless"]),
            ("get_alembic_boolean_option", ["missing"]),
            ("get_alembic_boolean_option", ["recursive_version_locations"]),
            ("get_alembic_boolean_option", ["truncate_slug_length"]),
            ("get_version_locations_list", []),
            ("get_prepend_sys_paths_list", []),
            ("get_hooks_list", []),
            ("file_config.sections", []),
        ],
    },
    {
        "id": "toml_path_lists_must_be_lists",
        "files": {"pyproject.toml": '[tool.alembic]\nversion_locations = "a b:c"\nprepend_sys_path = 5\n'},
        "config": {"toml_file": "pyproject.toml"},
        "calls": [
            ("get_version_locations_list", [], {"error": True, "why": "a TOML path list must be an array"}),
            ("get_prepend_sys_paths_list", [], {"error": True, "why": "a TOML path list must be an array"}),
        ],
    },
    {
        "id": "ini_wins_over_toml",
        "files": {
            "pyproject.toml": (
                "[tool.alembic]\n"
                'script_location = "toml_loc"\n'
                'version_locations = ["t1"]\n'
                'prepend_sys_path = ["tp"]\n'
                "sourceless = false\n"
                'only_toml = "ot"\n'
                'path_separator = "space"\n'
                "[[tool.alembic.post_write_hooks]]\n"
                'name = "toml_hook"\n'
                'type = "exec"\n'
            ),
            "alembic.ini": (
                "[alembic]\n"
                "script_location = ini_loc\n"
                "version_locations = ini_a:ini_b c\n"
                "sourceless = true\n"
                "only_ini = oi\n"
                "prepend_sys_path =\n"
                "[post_write_hooks]\n"
                "hooks = black, ruff  zz\n"
                "black.type = console_scripts\n"
                "black.entrypoint = black\n"
                "ruff.type = exec\n"
                "ruff.options = x %(here)s\n"
                "other = 1\n"
            ),
        },
        "config": {"file_": "alembic.ini", "toml_file": "pyproject.toml"},
        "calls": [
            ("get_alembic_option", ["script_location"]),
            ("get_alembic_option", ["sourceless"]),
            ("get_alembic_boolean_option", ["sourceless"]),
            ("get_alembic_option", ["only_toml"]),
            ("get_alembic_option", ["only_ini"]),
            ("get_alembic_option", ["prepend_sys_path"]),
            ("get_main_option", ["only_toml"]),
            ("get_version_locations_list", []),
            ("get_prepend_sys_paths_list", []),
            ("get_hooks_list", []),
        ],
    },
    {
        "id": "toml_hooks_when_ini_has_no_hooks_section",
        "files": {
            "pyproject.toml": "[tool.alembic]\n[[tool.alembic.post_write_hooks]]\nname = 't'\ntype = 'exec'\n",
            "alembic.ini": "[alembic]\n",
        },
        "config": {"file_": "alembic.ini", "toml_file": "pyproject.toml"},
        "calls": [("get_hooks_list", [])],
    },
    {
        "id": "ini_hooks_section_hides_toml_hooks",
        "files": {
            "pyproject.toml": "[tool.alembic]\n[[tool.alembic.post_write_hooks]]\nname = 't'\ntype = 'exec'\n",
            "alembic.ini": "[alembic]\n[post_write_hooks]\nt.type = x\n",
        },
        "config": {"file_": "alembic.ini", "toml_file": "pyproject.toml"},
        "calls": [("get_hooks_list", [])],
    },
    {
        "id": "ini_hooks_edge_cases",
        "files": _ini(
            "[alembic]\n[post_write_hooks]\nhooks = a, ,b,\na.type = exec\na.x.y = 1\nb.options = %(here)s\n"
        ),
        "config": {"file_": "alembic.ini"},
        "calls": [("get_hooks_list", [])],
    },
    {
        "id": "ini_hooks_split_on_newlines",
        "files": _ini("[alembic]\n[post_write_hooks]\nhooks = a\n  b\na.type = exec\nb.type = exec\n"),
        "config": {"file_": "alembic.ini"},
        "calls": [
            (
                "get_hooks_list",
                [],
                {
                    "value": [{"type": "exec", "_hook_name": "a"}, {"type": "exec", "_hook_name": "b"}],
                    "why": "a newline separates hook names too",
                },
            )
        ],
    },
    {
        "id": "toml_bad_hooks",
        "files": {
            "no_name/pyproject.toml": "[tool.alembic]\npost_write_hooks = [{type = 'exec'}]\n",
        },
        "config": {"toml_file": "no_name/pyproject.toml"},
        "calls": [("get_hooks_list", [])],
    },
    {
        "id": "toml_hooks_not_tables",
        "files": {"pyproject.toml": "[tool.alembic]\npost_write_hooks = ['x']\n"},
        "config": {"toml_file": "pyproject.toml"},
        "calls": [("get_hooks_list", [])],
    },
    {
        "id": "toml_hooks_a_number",
        "files": {"pyproject.toml": "[tool.alembic]\npost_write_hooks = 5\n"},
        "config": {"toml_file": "pyproject.toml"},
        "calls": [("get_hooks_list", [])],
    },
    {
        "id": "toml_hooks_a_string",
        "files": {"pyproject.toml": "[tool.alembic]\npost_write_hooks = 'black'\n"},
        "config": {"toml_file": "pyproject.toml"},
        "calls": [("get_hooks_list", [])],
    },
    {
        "id": "toml_values_of_the_wrong_kind",
        "files": {
            "pyproject.toml": (
                "[tool.alembic]\n"
                "mixed = ['a', 1]\n"
                "table_of_ints = { a = 1 }\n"
                "nested = [[1]]\n"
                "bool_text = 'true'\n"
                "bool_int = 1\n"
                "version_locations = ['%(nope)s']\n"
                "prepend_sys_path = ['50%']\n"
            )
        },
        "config": {"toml_file": "pyproject.toml"},
        "calls": [
            ("get_alembic_option", ["mixed"]),
            ("get_alembic_option", ["table_of_ints"]),
            ("get_alembic_option", ["nested"]),
            ("get_alembic_boolean_option", ["bool_text"]),
            ("get_alembic_boolean_option", ["bool_int"]),
            ("get_version_locations_list", []),
            ("get_prepend_sys_paths_list", []),
        ],
    },
    {
        "id": "toml_hook_value_not_string",
        "files": {"pyproject.toml": "[tool.alembic]\npost_write_hooks = [{name = 'a', type = 'exec', n = 3}]\n"},
        "config": {"toml_file": "pyproject.toml"},
        "calls": [("get_hooks_list", [])],
    },
    {
        "id": "toml_without_alembic_table",
        "files": {"pyproject.toml": "[tool.other]\nx = 1\n"},
        "config": {"toml_file": "pyproject.toml"},
        "calls": [("toml_alembic_config", None), ("get_alembic_option", ["script_location"])],
    },
    {
        "id": "toml_missing_file",
        "files": {},
        "config": {"toml_file": "missing.toml"},
        "calls": [("toml_alembic_config", None), ("get_hooks_list", [])],
    },
    {
        "id": "toml_parse_error",
        "files": {"pyproject.toml": "[tool.alembic\nx = 1\n"},
        "config": {"toml_file": "pyproject.toml"},
        "calls": [("get_alembic_option", ["x"])],
    },
    {
        "id": "toml_alembic_not_a_table",
        "files": {"pyproject.toml": "[tool]\nalembic = 5\n"},
        "config": {"toml_file": "pyproject.toml"},
        "calls": [("get_alembic_option", ["x"])],
    },
    {
        "id": "toml_path_separator_ignored",
        "files": {
            "pyproject.toml": '[tool.alembic]\npath_separator = "space"\n',
            "alembic.ini": "[alembic]\nversion_locations = a:b c\nprepend_sys_path = a:b c\n",
        },
        "config": {"file_": "alembic.ini", "toml_file": "pyproject.toml"},
        "calls": [("get_version_locations_list", []), ("get_prepend_sys_paths_list", [])],
    },
]


def _separator_scenarios() -> list[Scenario]:
    """Every path_separator / version_path_separator setting on the same sample."""
    scenarios = []
    for key in ("path_separator", "version_path_separator"):
        for setting in SEPARATOR_SETTINGS:
            if setting is None and key == "version_path_separator":
                continue
            body = f"[alembic]\nversion_locations = {SEPARATOR_SAMPLE}\nprepend_sys_path = {SEPARATOR_SAMPLE}\n"
            if setting is not None:
                body += f"{key} = {setting}\n"
            scenarios.append(
                {
                    "id": f"separator_{key}_{setting!r}",
                    "files": _ini(body),
                    "config": {"file_": "alembic.ini"},
                    "calls": [("get_version_locations_list", []), ("get_prepend_sys_paths_list", [])],
                }
            )
    return scenarios


SCENARIOS.extend(_separator_scenarios())


def split_samples(count: int = 250, seed: int = 20250601) -> list[str]:
    """Random path-list texts for checking the splitting rules against Alembic.

    The text is stripped as ``configparser`` strips values; the alphabet holds
    every character some rule splits on.
    """
    rng = random.Random(seed)
    samples = []
    while len(samples) < count:
        text = "".join(rng.choice("ab ,:;\t\n") for _ in range(rng.randint(1, 14))).strip()
        if text and text not in samples:
            samples.append(text)
    return samples


#: ``path_separator`` settings the split samples are run with (None = legacy rules).
SPLIT_SETTINGS = [None, ":", ";", "space", "newline", "os"]


#: Script-directory option sets: Alembic's ``ScriptDirectory.from_config`` against
#: limbeck's ``Config.get_script_settings``. ``dirs`` are created before the run.
SCRIPT_SCENARIOS: list[Scenario] = [
    {
        "id": "script_minimal_ini",
        "files": _ini("[alembic]\nscript_location = %(here)s/mig\n"),
        "dirs": ["mig/versions"],
        "config": {"file_": "alembic.ini"},
    },
    {
        "id": "script_every_key_ini",
        "files": _ini(
            "[alembic]\n"
            "script_location = mig\n"
            "file_template = %%(rev)s_x\n"
            "truncate_slug_length = 7\n"
            "sourceless = true\n"
            "recursive_version_locations = true\n"
            "timezone = UTC\n"
            "output_encoding = latin-1\n"
            "path_separator = space\n"
            "version_locations = %(here)s/a b\n"
            "prepend_sys_path = .\n"
            "[post_write_hooks]\n"
            "hooks = fmt\n"
            "fmt.type = exec\n"
            "fmt.executable = %(here)s/fmt\n"
        ),
        "dirs": ["mig/versions", "a", "b"],
        "config": {"file_": "alembic.ini"},
    },
    {
        "id": "script_every_key_toml",
        "files": {
            "pyproject.toml": (
                "[tool.alembic]\n"
                'script_location = "%(here)s/mig"\n'
                'file_template = "%%(rev)s_x"\n'
                "truncate_slug_length = 7\n"
                "sourceless = true\n"
                "recursive_version_locations = true\n"
                'timezone = "UTC"\n'
                'output_encoding = "latin-1"\n'
                'version_locations = ["%(here)s/a"]\n'
                "[[tool.alembic.post_write_hooks]]\n"
                'name = "fmt"\n'
                'type = "exec"\n'
            )
        },
        "dirs": ["mig/versions", "a"],
        "config": {"toml_file": "pyproject.toml"},
    },
    {
        "id": "script_relative_location_normalised",
        "files": _ini("[alembic]\nscript_location = ./mig//\n"),
        "dirs": ["mig/versions"],
        "config": {"file_": "alembic.ini"},
    },
    {
        "id": "script_package_resource",
        "files": {
            "alembic.ini": "[alembic]\nscript_location = limbeck_facts_pkg:migs\nprepend_sys_path = pkgs\npath_separator = os\n",
            "pkgs/limbeck_facts_pkg/__init__.py": "",
        },
        "dirs": ["pkgs/limbeck_facts_pkg/migs/versions"],
        "config": {"file_": "alembic.ini"},
    },
    {
        "id": "script_missing_location",
        "files": _ini("[alembic]\nsourceless = true\n"),
        "dirs": [],
        "config": {"file_": "alembic.ini"},
    },
    {
        "id": "script_bad_truncate_slug_length",
        "files": _ini("[alembic]\nscript_location = mig\ntruncate_slug_length = abc\n"),
        "dirs": ["mig/versions"],
        "config": {"file_": "alembic.ini"},
    },
    {
        "id": "script_toml_truncate_slug_length_string",
        "files": {"pyproject.toml": '[tool.alembic]\nscript_location = "mig"\ntruncate_slug_length = "7"\n'},
        "dirs": ["mig/versions"],
        "config": {"toml_file": "pyproject.toml"},
    },
    {
        "id": "script_toml_truncate_slug_length_boolean",
        "files": {"pyproject.toml": '[tool.alembic]\nscript_location = "mig"\ntruncate_slug_length = true\n'},
        "dirs": ["mig/versions"],
        "config": {"toml_file": "pyproject.toml"},
        "deviation": {"error": True, "why": "a boolean is no slug length"},
    },
    {
        "id": "script_toml_location_an_integer",
        "files": {"pyproject.toml": "[tool.alembic]\nscript_location = 5\n"},
        "dirs": [],
        "config": {"toml_file": "pyproject.toml"},
    },
    {
        "id": "script_toml_truncate_slug_length_table",
        "files": {"pyproject.toml": "[tool.alembic]\nscript_location = 'mig'\ntruncate_slug_length = {a = 'b'}\n"},
        "dirs": ["mig/versions"],
        "config": {"toml_file": "pyproject.toml"},
    },
    {
        "id": "script_toml_version_locations_an_integer",
        "files": {"pyproject.toml": "[tool.alembic]\nscript_location = 'mig'\nversion_locations = 5\n"},
        "dirs": ["mig/versions"],
        "config": {"toml_file": "pyproject.toml"},
    },
    {
        "id": "script_toml_file_template_unknown_reference",
        "files": {"pyproject.toml": "[tool.alembic]\nscript_location = 'mig'\nfile_template = '%(nope)s'\n"},
        "dirs": ["mig/versions"],
        "config": {"toml_file": "pyproject.toml"},
    },
    {
        "id": "script_ini_truncate_slug_length_raw_percent",
        "files": _ini("[alembic]\nscript_location = mig\ntruncate_slug_length = 5%\n"),
        "dirs": ["mig/versions"],
        "config": {"file_": "alembic.ini"},
    },
    {
        "id": "script_ini_truncate_slug_length_empty",
        "files": _ini("[alembic]\nscript_location = mig\ntruncate_slug_length =\n"),
        "dirs": ["mig/versions"],
        "config": {"file_": "alembic.ini"},
    },
    {
        "id": "script_toml_location_not_a_string",
        "files": {"pyproject.toml": '[tool.alembic]\nscript_location = ["mig"]\n'},
        "dirs": ["mig/versions"],
        "config": {"toml_file": "pyproject.toml"},
    },
    {
        "id": "script_empty_timezone_and_encoding",
        "files": _ini("[alembic]\nscript_location = mig\ntimezone =\noutput_encoding =\nfile_template =\n"),
        "dirs": ["mig/versions"],
        "config": {"file_": "alembic.ini"},
        "deviation": {
            "fields": {"timezone": None, "output_encoding": "utf-8"},
            "why": "blank timezone means local time and blank output_encoding the default, not ''",
        },
    },
]

#: ``-x`` command-line values and what ``get_x_argument`` makes of them.
X_ARGUMENT_SAMPLES: list[list[str]] = [
    [],
    ["a=1"],
    ["a=1", "b", "c==d", " e = f ", "=g", "a=2", "", "h="],
]
