"""Ship the repository's data/ inside the wheel as zwgk/bundled, so `zwgk status` works anywhere.

data/ stays the one copy people edit; this only copies it at build time.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "data"
        target = Path(self.build_lib) / "zwgk" / "bundled"
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(source.glob("*.yaml")):
            (target / path.name).write_bytes(path.read_bytes())


setup(cmdclass={"build_py": BuildWithBundledData})
