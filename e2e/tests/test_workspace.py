"""Self-tests of the harness's reading of Dockerfiles (no engine needed): run by `cargo test`
(tests/e2e.rs), from e2e/, as `python3 -m unittest discover -s tests -t .`."""

import tempfile
import unittest
from pathlib import Path

from harness import workspace


class BasesOf(unittest.TestCase):
    def test_stages_and_images_named_by_copy_and_mounts(self):
        text = (
            "FROM python:3.12 AS build\n"
            "COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\n"
            "COPY --chown=1000 --from=build /a /b\n"
            "RUN --mount=type=cache,from=build,target=/x --mount=type=bind,from=nginx:1.27,target=/n true\n"
            "FROM docker.io/library/python:3.12\n"
            "COPY --from=0 /a /b\n"
            "FROM scratch\n"
        )
        self.assertEqual(workspace.bases_of(text), ["python:3.12", "python:3.12", "ghcr.io/astral-sh/uv:0.5", "nginx:1.27"])

    def test_variables_take_the_defaults_of_the_args_before_the_first_from(self):
        text = "ARG TAG=12-slim\nARG REG\nFROM debian:${TAG}\nFROM ${REG}python:3.12\nFROM alpine:${VERSON}\nARG TAG=9\n"
        bases = workspace.bases_of(text)
        self.assertEqual(bases, ["debian:12-slim", "python:3.12", "alpine:"])
        self.assertEqual([workspace.valid_reference(b) for b in bases], [True, True, False])

    def test_stage_names_are_case_insensitive(self):
        self.assertEqual(workspace.bases_of("FROM alpine AS Base\nFROM base\nCOPY --from=BASE /a /b\n"), ["alpine"])


class SyntaxDirective(unittest.TestCase):
    def test_only_dockerfile_1x_is_left_to_the_builtin_frontend(self):
        for syntax, builtin in [
            ("docker/dockerfile:1", True),
            ("docker/dockerfile:1.7", True),
            ("docker.io/docker/dockerfile:1.4.3", True),
            ("docker/dockerfile:1-labs", False),
            ("docker/dockerfile:1.7-labs", False),
            ("example.com/frontend:1", False),
        ]:
            text = f"# syntax={syntax}\nFROM debian\n"
            self.assertEqual(workspace.syntax_directive(text), syntax)
            self.assertEqual(bool(workspace.BUILTIN_STANDS_IN.match(syntax)), builtin, syntax)

    def test_a_directive_after_the_first_instruction_is_a_comment(self):
        self.assertIsNone(workspace.syntax_directive("FROM debian\n# syntax=docker/dockerfile:1\n"))

    def test_the_builtin_copy_keeps_every_other_byte_and_the_ignore_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp)
            src = d / "app.Dockerfile"
            src.write_text("# syntax=docker/dockerfile:1\n# check=error=true\nFROM debian\nRUN true\n")
            (d / "app.Dockerfile.dockerignore").write_text("secret\n")
            out = workspace.builtin_frontend_copy(src, d / "1.builtin.Dockerfile")
            self.assertEqual(out.read_text(), "#\n# check=error=true\nFROM debian\nRUN true\n")
            self.assertEqual((d / "1.builtin.Dockerfile.dockerignore").read_text(), "secret\n")


if __name__ == "__main__":
    unittest.main()
