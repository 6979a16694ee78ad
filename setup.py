"""Packaging: setuptools reads everything from pyproject.toml; this file only adds the files
that stand outside the packages in the source tree but ship inside them, so that an installed
``policy-search`` works from any folder: the sample corpus (``data/sample`` →
``searchapp/sample``, what ``serve`` indexes when there is no index yet) and the templates
(``templates`` → ``searchapp/web/templates``). A source checkout (and an editable install)
reads them where they are.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = {"data/sample": "searchapp/sample", "templates": "searchapp/web/templates"}


class BuildWithBundledFiles(build_py):
    def run(self):
        super().run()
        for source, target in BUNDLED.items():
            dest = Path(self.build_lib) / target
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(ROOT / source, dest)


setup(cmdclass={"build_py": BuildWithBundledFiles})
