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


class PythonRequirements(unittest.TestCase):
    def read(self, name: str, text: str) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / name
            f.write_text(text)
            return prepare.python_requirements(f)

    def test_locks_give_the_index_packages_pinned(self):
        self.assertEqual(self.read("uv.lock", UV_LOCK), "flask==3.0.3\n")
        self.assertEqual(self.read("poetry.lock", POETRY_LOCK), "requests==2.32.3\n")

    def test_pyproject_gives_build_requirements_and_dependencies(self):
        self.assertEqual(self.read("pyproject.toml", PYPROJECT), "hatchling>=1.20\nflask>=3\ngunicorn==23.0.0\n")

    def test_requirements_files_as_they_are_and_nothing_from_other_files(self):
        self.assertEqual(self.read("requirements-dev.txt", "pytest\n"), "pytest\n")
        self.assertEqual(self.read("package.json", "{}"), "")
        self.assertEqual(self.read("uv.lock", "not toml ["), "")


if __name__ == "__main__":
    unittest.main()
