"""print_stdout and -q, the memoized attributes, cmd_opts, -x helpers and the template directory."""

from __future__ import annotations

import io
import os
import sys
from argparse import Namespace

import pytest

import limbeck
from limbeck.config import Config, parse_x_arguments, x_arguments


class TestPrintStdout:
    def test_formats_only_with_arguments(self) -> None:
        out = io.StringIO()
        config = Config(stdout=out)
        config.print_stdout("rev %s of %d", "abc", 3)
        config.print_stdout("100% literal %s")
        assert out.getvalue() == "rev abc of 3\n100% literal %s\n"

    @pytest.mark.parametrize("cmd_opts", [Namespace(quiet=True)])
    def test_quiet_prints_nothing(self, cmd_opts: Namespace) -> None:
        out = io.StringIO()
        config = Config(stdout=out, cmd_opts=cmd_opts)
        config.print_stdout("hidden %s", "x")
        assert out.getvalue() == ""
        assert config.messaging_opts == {"quiet": True}

    @pytest.mark.parametrize("cmd_opts", [None, Namespace(), Namespace(quiet=False)])
    def test_not_quiet_without_q(self, cmd_opts: Namespace | None) -> None:
        out = io.StringIO()
        config = Config(stdout=out, cmd_opts=cmd_opts)
        config.print_stdout("shown")
        assert out.getvalue() == "shown\n"
        assert config.messaging_opts == {"quiet": False}

    def test_characters_the_stream_cannot_encode_become_question_marks(self) -> None:
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding="latin-1")
        Config(stdout=stream).print_stdout("café → done")
        stream.flush()
        assert raw.getvalue() == "café ? done\n".encode("latin-1")

    def test_stream_without_encoding_is_treated_as_ascii(self) -> None:
        out = io.StringIO()  # StringIO has encoding None
        Config(stdout=out).print_stdout("é")
        assert out.getvalue() == "?\n"

    def test_utf8_stream_keeps_everything(self) -> None:
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding="utf-8")
        Config(stdout=stream).print_stdout("日本 ✓")
        stream.flush()
        assert raw.getvalue().decode("utf-8") == "日本 ✓\n"

    def test_default_stdout_is_the_current_one(self, capsys: pytest.CaptureFixture[str]) -> None:
        config = Config()
        assert config.stdout is sys.stdout
        config.print_stdout("captured")
        assert capsys.readouterr().out == "captured\n"


class TestState:
    def test_attributes_are_memoized(self) -> None:
        config = Config()
        config.attributes["connection"] = marker = object()
        assert config.attributes["connection"] is marker
        assert config.attributes is config.attributes

    def test_initial_attributes_are_copied(self) -> None:
        initial = {"a": 1}
        config = Config(attributes=initial)
        config.attributes["b"] = 2
        assert initial == {"a": 1}
        assert config.attributes == {"a": 1, "b": 2}

    def test_constructor_arguments_are_kept(self) -> None:
        buffer = io.StringIO()
        opts = Namespace(x=["k=v"], quiet=False)
        config = Config(output_buffer=buffer, cmd_opts=opts, config_args={"k": "v"})
        assert config.output_buffer is buffer
        assert config.cmd_opts is opts
        assert config.config_args == {"k": "v"}
        assert config.config_file_name is None and config.toml_file_name is None

    def test_template_directory_is_limbecks_own(self) -> None:
        expected = os.path.join(os.path.dirname(os.path.abspath(limbeck.__file__)), "script", "templates")
        assert Config().get_template_directory() == expected


class TestXArguments:
    def test_list_form(self) -> None:
        assert x_arguments(Namespace(x=["a=1", "b"])) == ["a=1", "b"]
        assert x_arguments(Namespace(x=None)) == []
        assert x_arguments(Namespace()) == []
        assert x_arguments(None) == []

    def test_dictionary_form(self) -> None:
        assert parse_x_arguments(["db=test", "flag", "url=a=b", "db=prod"]) == {
            "db": "prod",
            "flag": "",
            "url": "a=b",
        }
        assert parse_x_arguments(None) == {}
