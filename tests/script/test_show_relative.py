"""`show` of a relative revision that names no single script: one line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError


def test_show_a_relative_step_off_several_heads_is_refused(tmp_path: Path) -> None:
    # Alembic crashes here ('str' / 'NoneType' object has no attribute 'log_entry')
    config = Config(str(tmp_path / "limbeck.ini"))
    command.init(config, str(tmp_path / "migrations"))
    config = Config(str(tmp_path / "limbeck.ini"))
    command.revision(config, message="a", rev_id="a1")
    command.revision(config, message="b", rev_id="b1", head="base")  # a second root: two heads
    for rev in ("-1", "-2"):
        with pytest.raises(CommandError, match=f"Can't locate revision identified by '{rev}'"):
            command.show(config, rev)
