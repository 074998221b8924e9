"""Build step that puts the flagship pack into the wheel, beside packgen's code.

`packgen init` starts a tailored pack on the flagship by default; installed from
a wheel, packgen finds it at packgen/flagship/. An editable install reads the
checkout itself, so nothing is copied then. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# What a pack consists of (packgen.paths.CHECKED_FILES and CHECKED_FOLDERS); nothing else
# of the checkout (code, tests, build output) goes into the copy.
PACK_FILES = ("pack.yml", "mkdocs.yml")
PACK_FOLDERS = ("content", "exercises", "templates", "locales", "overrides")


class BuildWithFlagship(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "packgen" / "flagship"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name in PACK_FILES:
            if (ROOT / name).is_file():
                shutil.copy2(ROOT / name, target / name)
        for name in PACK_FOLDERS:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, target / name)


setup(cmdclass={"build_py": BuildWithFlagship})
