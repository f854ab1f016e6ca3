"""The review tools on a project whose revisions live in several version locations, one outside the script folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.errors import ManifestMismatch


@pytest.fixture
def two_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    root = tmp_path / "proj"
    root.mkdir()
    command.init(Config(str(root / "limbeck.ini"), stdout=io.StringIO()), str(root / "migrations"))
    (root / "other" / "versions").mkdir(parents=True)
    ini = root / "limbeck.ini"
    ini.write_text(ini.read_text().replace(
        "[limbeck]\n", "[limbeck]\nversion_locations = %(here)s/migrations/versions:%(here)s/other/versions\n", 1))
    monkeypatch.chdir(root)
    command.revision(Config(str(ini), stdout=io.StringIO()), "first", rev_id="a1", version_path="migrations/versions")
    command.revision(Config(str(ini), stdout=io.StringIO()), "second", rev_id="b2", version_path="other/versions")
    return Config(str(ini), stdout=io.StringIO())


def test_manifest_and_verify_name_each_location(two_locations: Config, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command.sql(two_locations, None, str(out))
    sources = [line.split()[-1] for line in (out / "MANIFEST.limbeck").read_text().splitlines() if line.startswith("source ")]
    assert sources == ["versions/a1_first.py", "../other/versions/b2_second.py"]
    command.verify(Config(two_locations.config_file_name, stdout=io.StringIO()), str(out))
    revision = Path("other/versions/b2_second.py")
    revision.write_text(revision.read_text() + "\n# edited\n")
    with pytest.raises(ManifestMismatch) as failed:
        command.verify(Config(two_locations.config_file_name, stdout=io.StringIO()), str(out))
    assert str(failed.value) == f"{Path('other/versions/b2_second.py').resolve()}: revision file changed since approval"
