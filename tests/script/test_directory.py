"""ScriptDirectory: which files count, in which order, and the one-line errors."""

from __future__ import annotations

import json
import os
import py_compile
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.script import Script, ScriptDirectory
from limbeck.script.revision import RevisionError
from limbeck.script.loader import ScriptLoadError

FACTS = json.loads((Path(__file__).parent / "alembic_facts" / "facts.json").read_text(encoding="utf-8"))

WriteRev = Callable[..., Path]


def chain(write_rev: WriteRev, n: int) -> list[str]:
    ids = [f"r{i}" for i in range(n)]
    for i, rev in enumerate(ids):
        write_rev(f"{rev}_step.py", rev, ids[i - 1] if i else None)
    return ids


class TestListing:
    def test_file_name_rules_match_alembic(self, script_dir: Path) -> None:
        versions = script_dir / "versions"
        names = ["ok.py", ".hidden.py", "_under.py", "__init__.py", "__init__x.py", ".#lock.py",
                 "#auto.py#", "back.py~", "x.py.bak", "w.pyw", "x.txt", "Z.py", "a.py"]
        for name in names:
            (versions / name).write_text(f'revision = "{name}"\ndown_revision = None\n'.replace("#", "H"))
        (versions / "sub").mkdir()
        (versions / "sub" / "nested.py").write_text('revision = "nested"\ndown_revision = None\n')
        sd = ScriptDirectory(script_dir)
        assert sorted(sd.get_heads()) == FACTS["listing"]["flat"]

    def test_recursive_order_matches_alembic(self, script_dir: Path) -> None:
        versions = script_dir / "versions"
        for name in ["ok.py", ".hidden.py", "_under.py", "Z.py", "a.py"]:
            (versions / name).write_text(f'revision = "{name}"\ndown_revision = None\n')
        for folder, name, rev in (("sub", "nested.py", "nested"), ("A", "c.py", "Ac")):
            (versions / folder).mkdir()
            (versions / folder / name).write_text(f'revision = "{rev}"\ndown_revision = None\n')
        sd = ScriptDirectory(script_dir, recursive_version_locations=True)
        assert sd.get_heads() == FACTS["listing"]["recursive_heads_order"]

    def test_sourceless_matches_alembic(self, script_dir: Path) -> None:
        versions = script_dir / "versions"
        for name in ("a", "b", "c"):
            (versions / f"{name}.py").write_text(f'revision = "{name}rev"\ndown_revision = None\n')
        py_compile.compile(str(versions / "a.py"), cfile=str(versions / "a.pyc"))
        py_compile.compile(str(versions / "c.py"), cfile=str(versions / "c.pyc"))
        (versions / "a.py").unlink()
        assert sorted(ScriptDirectory(script_dir).get_heads()) == FACTS["sourceless"]["without_sourceless"]
        assert sorted(ScriptDirectory(script_dir, sourceless=True).get_heads()) == FACTS["sourceless"]["with_sourceless"]

    def test_sourceless_reads_revisions_left_only_in_pycache(self, script_dir: Path) -> None:
        # as Alembic: a project shipped as PEP 3147 bytecode (its .py removed) still has its revisions
        versions = script_dir / "versions"
        (versions / "a.py").write_text('revision = "arev"\ndown_revision = None\n')
        (versions / "b.py").write_text('revision = "brev"\ndown_revision = "arev"\n')
        for name in ("a", "b"):
            py_compile.compile(str(versions / f"{name}.py"))  # versions/__pycache__/<name>.cpython-3x.pyc
        (versions / "a.py").unlink()
        with pytest.raises(KeyError, match="Revision arev referenced from brev"):
            ScriptDirectory(script_dir).get_heads()  # without sourceless, b's parent is missing
        sd = ScriptDirectory(script_dir, sourceless=True)
        assert sd.get_heads() == ["brev"] and sd.get_bases() == ["arev"]
        assert sd.get_revision("arev").path.endswith(".pyc")  # read from the bytecode
        assert sd.get_revision("brev").path.endswith("b.py")  # the source wins over its own cache
        # a later run sees a revision added as bytecode only (the warm graph cache does not hide it)
        (versions / "c.py").write_text('revision = "crev"\ndown_revision = "brev"\n')
        py_compile.compile(str(versions / "c.py"))
        (versions / "c.py").unlink()
        assert ScriptDirectory(script_dir, sourceless=True).get_heads() == ["crev"]

    def test_pycache_is_never_a_revision_folder(self, script_dir: Path, write_rev: WriteRev) -> None:
        write_rev("a.py", "a")
        py_compile.compile(str(script_dir / "versions" / "a.py"))
        sd = ScriptDirectory(script_dir, sourceless=True, recursive_version_locations=True)
        assert sd.get_heads() == ["a"]

    def test_missing_versions_folder_means_no_revisions(self, script_dir: Path) -> None:
        (script_dir / "versions").rmdir()
        assert ScriptDirectory(script_dir).get_heads() == []


class TestDocs:
    @pytest.mark.parametrize(("source", "doc", "longdoc"), list(FACTS["docs"].values()), ids=sorted(FACTS["docs"]))
    def test_doc_and_longdoc_match_alembic(self, source: str, doc: str, longdoc: str, script_dir: Path) -> None:
        (script_dir / "versions" / "d.py").write_text(f'{source}revision = "d1"\ndown_revision = None\n')
        script = ScriptDirectory(script_dir).get_revision("d1")
        assert (script.doc, script.longdoc) == (doc, longdoc)
        assert not script.module_loaded

    def test_doc_of_an_imported_script_is_the_same(self, script_dir: Path) -> None:
        (script_dir / "versions" / "d.py").write_text('"""Dynamic\n\nmore"""\nrevision = "d" + "1"\ndown_revision = None\n')
        script = ScriptDirectory(script_dir).get_revision("d1")
        assert script.module_loaded  # the header is not a literal
        assert (script.doc, script.longdoc) == ("Dynamic", "Dynamic\n\nmore")


class TestLazyModule:
    def test_listing_imports_nothing(self, script_dir: Path, write_rev: WriteRev, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
        (tmp_path / "side_effect_marker_mod.py").write_text("LOADED = True\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        write_rev("a.py", "a", body="import side_effect_marker_mod\n")
        write_rev("b.py", "b", "a", body="import side_effect_marker_mod\n")
        sd = ScriptDirectory(script_dir)
        assert sd.get_heads() == ["b"]
        assert [s.revision for s in sd.walk_revisions()] == ["b", "a"]
        assert "side_effect_marker_mod" not in sys.modules
        script = sd.get_revision("a")
        assert not script.module_loaded
        assert callable(script.module.upgrade)
        assert "side_effect_marker_mod" in sys.modules
        monkeypatch.delitem(sys.modules, "side_effect_marker_mod")

    def test_positional_constructor(self, write_rev: WriteRev) -> None:
        path = write_rev("a.py", "a", "z", labels="feat", depends_on=["q"])
        lazy = Script(None, "a", path)
        assert not lazy.module_loaded
        assert (lazy.down_revision, lazy.branch_labels, lazy.dependencies) == ("z", {"feat"}, "q")
        eager = Script(lazy.module, "a", path)
        assert (eager.down_revision, eager.branch_labels, eager.dependencies) == ("z", {"feat"}, "q")
        assert repr(eager).startswith("Script('a', 'z'")

    def test_alembic_style_script_runs(self, script_dir: Path) -> None:
        (script_dir / "versions" / "a.py").write_text(
            '"""x"""\nfrom alembic import op\nimport alembic.util\nrevision = "a"\ndown_revision = None\n'
            "def upgrade():\n    return alembic.util.format_as_comma(('a', 'b'))\n"
        )
        script = ScriptDirectory(script_dir).get_revision("a")
        assert script.module.upgrade() == "a, b"


class TestQueries:
    def test_walk_and_heads(self, script_dir: Path, write_rev: WriteRev) -> None:
        ids = chain(write_rev, 4)
        sd = ScriptDirectory(script_dir)
        assert sd.get_heads() == ["r3"] and sd.get_current_head() == "r3"
        assert sd.get_bases() == ["r0"] and sd.get_base() == "r0"
        assert [s.revision for s in sd.walk_revisions()] == ids[::-1]
        assert [s.revision for s in sd.walk_revisions("r1", "r2")] == ["r2", "r1"]
        assert [s.revision for s in sd.iterate_revisions("r3", "r1")] == ["r3", "r2"]
        assert sd.as_revision_number("head") == "r3"
        assert sd.as_revision_number("base") is None
        assert sd.get_revision("r2").revision == "r2"
        assert [s.revision for s in sd.get_revisions("heads")] == ["r3"]
        assert {s.revision for s in sd.get_all_current(("r2",))} == {"r2"}
        assert str(sd.get_revision("r1")) == "r0 -> r1, rev r1"

    def test_empty(self, script_dir: Path) -> None:
        sd = ScriptDirectory(script_dir)
        assert sd.get_heads() == [] and sd.get_current_head() is None and sd.get_base() is None

    def test_multiple_heads_and_bases(self, script_dir: Path, write_rev: WriteRev) -> None:
        write_rev("a.py", "a")
        write_rev("b.py", "b")
        sd = ScriptDirectory(script_dir)
        with pytest.raises(CommandError, match=r"multiple heads \(due to branching\)"):
            sd.get_current_head()
        with pytest.raises(CommandError, match="multiple bases"):
            sd.get_base()
        with pytest.raises(CommandError, match=r"Multiple head revisions are present for given argument 'head'"):
            sd.get_revision("head")
        with pytest.raises(CommandError, match=r"Multiple head revisions .* argument 'head'"):
            list(sd.walk_revisions("base", "head"))

    def test_unknown_revision(self, script_dir: Path, write_rev: WriteRev) -> None:
        chain(write_rev, 2)
        sd = ScriptDirectory(script_dir)
        with pytest.raises(CommandError, match=r"Can't locate revision identified by 'zz'"):
            sd.get_revision("zz")
        with pytest.raises(CommandError, match=r"Can't locate revision identified by 'zz'"):
            list(sd.walk_revisions("zz", "heads"))

    def test_catch_revision_errors_custom_messages(self, script_dir: Path) -> None:
        from limbeck.script.revision import MultipleHeads, RangeNotAncestorError

        sd = ScriptDirectory(script_dir)
        with pytest.raises(CommandError, match="^MH head h1, h2$"):
            with sd._catch_revision_errors(multiple_heads="MH %(head_arg)s %(heads)s"):
                raise MultipleHeads(["h1", "h2"], "head")
        with pytest.raises(CommandError, match="^Requested range low:up does not refer"):
            with sd._catch_revision_errors():
                raise RangeNotAncestorError("low", "up")
        with pytest.raises(CommandError, match="^ANC S E$"):
            with sd._catch_revision_errors(ancestor="ANC %(start)s %(end)s", start="S", end="E"):
                raise RangeNotAncestorError("low", "up")


class TestLocations:
    def test_multiple_version_locations(self, script_dir: Path, write_rev: WriteRev, tmp_path: Path) -> None:
        other = tmp_path / "other"
        write_rev("a.py", "a")
        write_rev("b.py", "b", "a", folder=other)
        sd = ScriptDirectory(script_dir, version_locations=[script_dir / "versions", other])
        assert sd.get_heads() == ["b"]
        with pytest.raises(CommandError, match="Multiple version_locations present"):
            sd.versions

    def test_package_resource_locations(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        pkg = tmp_path / "mypkg_for_locations"
        (pkg / "migrations" / "versions").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "migrations" / "versions" / "a.py").write_text('revision = "a"\ndown_revision = None\n')
        monkeypatch.syspath_prepend(str(tmp_path))
        config = Config()
        config.set_main_option("script_location", "mypkg_for_locations:migrations")
        sd = ScriptDirectory.from_config(config)
        assert Path(sd.dir) == pkg / "migrations"
        assert sd.get_heads() == ["a"]

    def test_from_config_options(self, script_dir: Path, tmp_path: Path) -> None:
        ini = tmp_path / "limbeck.ini"
        ini.write_text(
            "[limbeck]\n"
            f"script_location = %(here)s/{script_dir.name}\n"
            "path_separator = space\n"
            "version_locations = %(here)s/v1 %(here)s/v2\n"
            "file_template = %%(rev)s\n"
            "truncate_slug_length = 12\n"
            "sourceless = true\n"
            "recursive_version_locations = true\n"
            "timezone = UTC\n"
            "output_encoding = latin-1\n"
            "[post_write_hooks]\nhooks = fmt\nfmt.type = exec\nfmt.executable = true\n"
        )
        sd = ScriptDirectory.from_config(Config(str(ini)))
        assert Path(sd.dir) == script_dir
        assert sd._version_locations == (str(tmp_path / "v1"), str(tmp_path / "v2"))
        assert (sd.file_template, sd.truncate_slug_length, sd.sourceless) == ("%(rev)s", 12, True)
        assert (sd.recursive_version_locations, sd.timezone, sd.output_encoding) == (True, "UTC", "latin-1")
        assert sd.hooks == [{"type": "exec", "executable": "true", "_hook_name": "fmt"}]
        assert sd.env_py_location == str(script_dir / "env.py")

    def test_missing_script_directory(self, tmp_path: Path) -> None:
        with pytest.raises(CommandError, match=r"Path doesn't exist: .*nowhere\.  Please use the 'init' command"):
            ScriptDirectory(tmp_path / "nowhere")


class TestBuildErrors:
    def test_duplicate_id_names_both_files(self, script_dir: Path, write_rev: WriteRev) -> None:
        first = write_rev("a1.py", "a")
        second = write_rev("a2.py", "a")
        with pytest.raises(CommandError, match="Revision a is present more than once") as info:
            ScriptDirectory(script_dir).get_heads()
        assert str(first) in str(info.value) and str(second) in str(info.value)

    @pytest.mark.parametrize("layout", ["same folder twice", "parent and child, recursive", "a link"])
    def test_a_file_listed_twice_is_read_once_with_alembics_warning(
        self, script_dir: Path, write_rev: WriteRev, layout: str
    ) -> None:
        versions = script_dir / "versions"
        write_rev("a.py", "a")
        inner = write_rev("b.py", "b", "a", folder=versions / "sub")
        locations, recursive = [str(versions), str(versions)], False
        if layout == "parent and child, recursive":
            locations, recursive = [str(versions), str(versions / "sub")], True
        elif layout == "a link":
            (script_dir / "other").mkdir()
            (script_dir / "other" / "b_link.py").symlink_to(inner)
            locations, recursive = [str(versions), str(script_dir / "other")], True
        for _ in range(2):  # the second run (graph cache) warns as well
            sd = ScriptDirectory(script_dir, version_locations=locations, recursive_version_locations=recursive)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                assert sd.get_heads() == (["b"] if recursive else ["a"])
            twice = os.path.realpath(inner if recursive else versions / "a.py")
            assert [str(w.message) for w in caught] == [
                f"File {twice} loaded twice! ignoring. Please ensure version_locations is unique."
            ]

    @pytest.mark.parametrize("method", ["get_heads", "get_bases", "get_revision"])
    def test_dangling_down_revision_names_the_file(self, script_dir: Path, write_rev: WriteRev, method: str) -> None:
        path = write_rev("b.py", "b", "nope")
        call = getattr(ScriptDirectory(script_dir), method)
        # a KeyError, as Alembic's map lets through (also a RevisionError, whose line the CLI prints)
        with pytest.raises(KeyError, match=r"Revision nope referenced from b .*b\.py.* is not present") as info:
            call("b") if method == "get_revision" else call()
        assert isinstance(info.value, RevisionError) and str(path) in str(info.value)

    def test_syntax_error_in_a_non_literal_script(self, script_dir: Path) -> None:
        (script_dir / "versions" / "bad.py").write_text('revision = make()\ndown_revision = None\ndef f(:\n')
        with pytest.raises(ScriptLoadError, match=r"Syntax error in .*bad\.py, line 3"):
            ScriptDirectory(script_dir).get_heads()

    def test_file_without_revision(self, script_dir: Path) -> None:
        (script_dir / "versions" / "norev.py").write_text("x = 1\n")
        with pytest.raises(CommandError, match=r"Could not determine revision id from filename norev\.py\. .*norev\.py"):
            ScriptDirectory(script_dir).get_heads()

    def test_illegal_revision_id_names_the_file(self, script_dir: Path, write_rev: WriteRev) -> None:
        write_rev("bad.py", "a-b")
        with pytest.raises(RevisionError, match=r"bad\.py: Character\(s\) '-' not allowed"):  # Alembic's class
            ScriptDirectory(script_dir).get_heads()

    @pytest.mark.parametrize(
        "method, raised",
        [
            # Alembic's classes: the map's own error from these, wrapped in a CommandError by the lookups
            ("get_heads", RevisionError), ("get_bases", RevisionError), ("get_base", RevisionError),
            ("revision_map.heads", RevisionError), ("get_revision", CommandError), ("walk_revisions", CommandError),
        ],
    )
    def test_a_branch_label_declared_twice(
        self, script_dir: Path, write_rev: WriteRev, method: str, raised: type[Exception]
    ) -> None:
        write_rev("a.py", "a", labels=("lbl",))
        write_rev("b.py", "b", labels=("lbl",))
        sd = ScriptDirectory(script_dir)
        calls: dict[str, Callable[[], object]] = {
            "get_heads": sd.get_heads, "get_bases": sd.get_bases, "get_base": sd.get_base,
            "revision_map.heads": lambda: sd.revision_map.heads, "get_revision": lambda: sd.get_revision("a"),
            "walk_revisions": lambda: list(sd.walk_revisions()),
        }
        with pytest.raises(raised, match=r"^Branch name 'lbl' in revision b already used by revision a$") as info:
            calls[method]()
        assert isinstance(info.value, CommandError) == (raised is CommandError)

    @pytest.mark.parametrize("verb", ["heads", "history"])
    def test_a_branch_label_declared_twice_on_the_command_line(
        self, script_dir: Path, write_rev: WriteRev, verb: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from click.testing import CliRunner

        from limbeck.cli import cli

        write_rev("a.py", "a", labels=("lbl",))
        write_rev("b.py", "b", labels=("lbl",))
        ini = script_dir.parent / "limbeck.ini"
        ini.write_text(f"[limbeck]\nscript_location = {script_dir}\n", encoding="utf-8")
        monkeypatch.delenv("LIMBECK_CONFIG", raising=False)
        monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
        result = CliRunner().invoke(cli, ["-c", str(ini), verb], prog_name="limbeck", catch_exceptions=False)
        assert (result.exit_code, result.stderr) == (1, "FAILED: Branch name 'lbl' in revision b already used by revision a\n")


def test_run_env_aliases_alembic(script_dir: Path) -> None:
    (script_dir / "env.py").write_text(
        "import builtins, limbeck.context\nfrom alembic import context\n"
        "builtins._limbeck_env_ran = context is limbeck.context\n"
    )
    import builtins

    ScriptDirectory(script_dir).run_env()
    assert builtins._limbeck_env_ran is True  # type: ignore[attr-defined]
    del builtins._limbeck_env_ran  # type: ignore[attr-defined]


def test_run_env_missing(script_dir: Path) -> None:
    with pytest.raises(CommandError, match=r"Can't find Python file .*env\.py"):
        ScriptDirectory(script_dir).run_env()
