"""Install ``limbeck-as-alembic.pth`` at the top of site-packages, in every kind of install.

``pyproject.toml`` holds all the metadata; this file only adds what setuptools
cannot declare: one file beside the packages rather than inside one. Python
runs the ``import`` line of a ``.pth`` file at start-up; ours looks at
``LIMBECK_AS_ALEMBIC`` and imports nothing unless it is set (see
``src/limbeck/as_alembic.py``).

- A regular wheel (``pip install .``) gets the file from ``build_py``: what it
  writes to ``build_lib`` is what lands in site-packages.
- An editable wheel (``pip install -e .``, PEP 660) holds no build output,
  only setuptools' own path file, so the finished wheel gets the file added,
  with its line in ``RECORD`` so that ``pip uninstall`` removes it too.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel

PTH = Path("src", "limbeck-as-alembic.pth")


class build_py_with_pth(build_py):
    def run(self) -> None:
        super().run()
        self.copy_file(str(PTH), str(Path(self.build_lib, PTH.name)), preserve_mode=False)

    def get_source_files(self) -> list[str]:
        # what the sdist must carry for the wheel to be built from it
        return [*super().get_source_files(), PTH.as_posix()]


class editable_wheel_with_pth(editable_wheel):
    def run(self) -> None:
        super().run()
        for wheel in Path(self.dist_dir).glob("*.whl"):
            _add_to_wheel(wheel, PTH)


def _add_to_wheel(wheel: Path, source: Path) -> None:
    data = source.read_bytes()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    rewritten = wheel.with_name(wheel.name + ".tmp")
    with zipfile.ZipFile(wheel) as old:
        if source.name in old.namelist():
            return
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as new:
            for info in old.infolist():
                content = old.read(info)
                if info.filename.endswith(".dist-info/RECORD"):
                    content += f"{source.name},sha256={digest},{len(data)}\n".encode()
                new.writestr(info, content)
            new.writestr(zipfile.ZipInfo(source.name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    rewritten.replace(wheel)


setup(cmdclass={"build_py": build_py_with_pth, "editable_wheel": editable_wheel_with_pth})
