"""The CLI raises the collector's thresholds and freezes at the first step, unless someone chose their own."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from limbeck import cli
from limbeck.runtime import gcpolicy


@pytest.fixture
def thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)
    gcpolicy._freeze_before_steps = False  # no later test's run freezes the test process


@pytest.mark.usefixtures("thresholds")
@pytest.mark.parametrize("default", sorted(gcpolicy.INTERPRETER_DEFAULTS))
def test_default_thresholds_are_raised_for_the_command(default: tuple[int, int, int]) -> None:
    gc.set_threshold(*default)
    cli.tune_gc()
    assert gc.get_threshold() == (10_000, 20, 100)


def test_this_interpreters_own_default_counts_as_untouched() -> None:
    # 3.13 starts with (2000, 10, 10): compared with 3.10's (700, 10, 10) alone, the CLI
    # took it for an application's choice and neither raised the thresholds nor froze
    code = "import gc; from limbeck.runtime.gcpolicy import is_untouched; print(is_untouched(gc.get_threshold()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


@pytest.mark.usefixtures("thresholds")
def test_thresholds_an_application_chose_are_kept() -> None:
    gc.set_threshold(1234, 5, 6)
    cli.tune_gc()
    assert gc.get_threshold() == (1234, 5, 6)


@pytest.mark.usefixtures("thresholds")
def test_main_tunes_before_running_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert "limbeck" in capsys.readouterr().out
    assert gc.get_threshold() == (10_000, 20, 100)


@pytest.mark.usefixtures("thresholds")
def test_the_command_freezes_once_when_the_first_step_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(gcpolicy, "_freeze_before_steps", False)
    gcpolicy.before_steps()
    assert frozen == []  # a library caller: nothing happens
    gc.set_threshold(700, 10, 10)
    cli.tune_gc()
    gcpolicy.before_steps()
    gcpolicy.before_steps()
    assert frozen == [True]


@pytest.mark.usefixtures("thresholds")
def test_no_freeze_when_the_application_chose_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(gcpolicy, "_freeze_before_steps", False)
    gc.set_threshold(1234, 5, 6)
    cli.tune_gc()
    gcpolicy.before_steps()
    assert frozen == []
