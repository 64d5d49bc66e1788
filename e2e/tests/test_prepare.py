"""Self-tests of what the wheel folder is filled from."""

import tempfile
import unittest
from pathlib import Path

from harness import prepare

UV_LOCK = """version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "flask"
version = "3.0.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "tool"
version = "1.0"
source = { git = "https://example.com/tool.git" }
"""

POETRY_LOCK = """[[package]]
name = "requests"
version = "2.32.3"

[[package]]
name = "local-lib"
version = "0.1.0"

[package.source]
type = "directory"
url = "libs/local"
"""

PYPROJECT = """[build-system]
requires = ["hatchling>=1.20"]
build-backend = "hatchling.build"

[project]
name = "app"
version = "1"
dependencies = ["flask>=3", "gunicorn==23.0.0"]
"""


def read_file(reader, name: str, text: str):
    """What `reader` makes of a file called `name` holding `text`."""
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / name
        f.write_text(text)
        return reader(f)


class PythonRequirements(unittest.TestCase):
    def read(self, name: str, text: str) -> str:
        return read_file(prepare.python_requirements, name, text)

    def test_locks_give_the_index_packages_pinned(self):
        self.assertEqual(self.read("uv.lock", UV_LOCK), "flask==3.0.3\n")
        self.assertEqual(self.read("poetry.lock", POETRY_LOCK), "requests==2.32.3\n")

    def test_pyproject_gives_build_requirements_and_dependencies(self):
        self.assertEqual(self.read("pyproject.toml", PYPROJECT), "hatchling>=1.20\nflask>=3\ngunicorn==23.0.0\n")

    def test_requirements_files_as_they_are_and_nothing_from_other_files(self):
        self.assertEqual(self.read("requirements-dev.txt", "pytest\n"), "pytest\n")
        self.assertEqual(self.read("package.json", "{}"), "")
        self.assertEqual(self.read("uv.lock", "not toml ["), "")


PNPM_LOCK_V9 = """lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      left-pad:
        specifier: 1.3.0
        version: 1.3.0

packages:

  '@types/node@20.11.5':
    resolution: {integrity: sha512-x}

  left-pad@1.3.0:
    resolution: {integrity: sha512-y}

snapshots:

  left-pad@1.3.0: {}
"""

PNPM_LOCK_V6 = """lockfileVersion: '6.0'

packages:

  /react-dom@18.2.0(react@18.2.0):
    resolution: {integrity: sha512-z}
    dependencies:
      react: 18.2.0
"""

YARN_LOCK = """# yarn lockfile v1


"@babel/code-frame@^7.0.0":
  version "7.24.2"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.24.2.tgz#abc"
  integrity sha512-q

left-pad@^1.3.0:
  version "1.3.0"
  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#def"
"""

R = "https://registry.npmjs.org/"


class NodeLocks(unittest.TestCase):
    def read(self, name: str, text: str) -> list:
        return read_file(prepare.node_lock_packages, name, text)

    def test_pnpm_locks_give_each_package_once_with_its_registry_tarball(self):
        self.assertEqual(self.read("pnpm-lock.yaml", PNPM_LOCK_V9), [
            ("@types/node", "20.11.5", R + "@types/node/-/node-20.11.5.tgz"),
            ("left-pad", "1.3.0", R + "left-pad/-/left-pad-1.3.0.tgz"),
        ])
        self.assertEqual(self.read("pnpm-lock.yaml", PNPM_LOCK_V6), [("react-dom", "18.2.0", R + "react-dom/-/react-dom-18.2.0.tgz")])

    def test_yarn_locks_read_the_resolved_urls(self):
        self.assertEqual(self.read("yarn.lock", YARN_LOCK), [
            ("@babel/code-frame", "7.24.2", R + "@babel/code-frame/-/code-frame-7.24.2.tgz"),
            ("left-pad", "1.3.0", R + "left-pad/-/left-pad-1.3.0.tgz"),
        ])
        self.assertEqual(self.read("yarn.lock", ""), [])


if __name__ == "__main__":
    unittest.main()
