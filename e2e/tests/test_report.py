"""Self-tests of how the report counts the sweep's outcomes."""

import unittest

from harness import report
from harness.proofs import Outcome


class ReadmeSectionCounts(unittest.TestCase):
    def test_refused_originals_whose_fix_builds_are_counted_apart(self):
        out = Outcome()
        out.equivalence = [
            {"fixture": "a", "variant": "dlint fix", "tree": [], "config": [], "announced": []},
            {"fixture": "b", "variant": "dlint fix", "tree": ["only after the fix: /x"], "config": [], "announced": []},
            {"fixture": "c", "variant": "-", "skipped": "no local base for fedora:40"},
            {"fixture": "d", "variant": "dlint fix", "skipped": "the original is refused by BuildKit (x)", "fixed_builds": True},
            {"fixture": "e", "variant": "-", "skipped": "not run: the run's time limit (--sweep-minutes 1) was reached"},
        ]
        section = report.readme_section(out, "machine", 60)
        self.assertIn("1 of 2 fixed images equal", section)
        self.assertIn("1 fixtures with fixes could not be built here", section)
        self.assertIn("1 fixes make a file BuildKit refuses build", section)
        self.assertIn("1 not run for the run's time limit", section)
        self.assertIn("- d [dlint fix]: builds; the original is refused by BuildKit (x)", report.render(out, "m", 1))


if __name__ == "__main__":
    unittest.main()
