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
        self.assertIn("1 fixed files build where the original did not", section)
        self.assertIn("1 not run for the run's time limit", section)
        self.assertIn("- d [dlint fix]: builds; the original is refused by BuildKit (x)", report.render(out, "m", 1))


class FixesByRule(unittest.TestCase):
    def test_a_rule_counts_as_proven_only_through_an_equal_image_or_a_refused_file_made_buildable(self):
        out = Outcome()
        out.fixable = ["DC001", "DC004", "BK001", "DL3030", "DL3060", "DL4006"]
        out.equivalence = [
            {"fixture": "a", "variant": "dlint fix", "tree": [], "config": [], "announced": [], "rules": ["DC001", "DC004"]},
            {"fixture": "b", "variant": "dlint fix", "skipped": "the original is refused by BuildKit (x)", "fixed_builds": True, "rules": ["BK001"]},
            {"fixture": "c", "variant": "-", "skipped": "no local base for fedora:40", "rules": ["DL3030", "DC004"]},
            {"fixture": "d", "variant": "dlint fix --unsafe-fixes", "tree": [], "config": ["does not build"], "announced": [], "rules": ["DL4006"]},
        ]
        proven, missing = report.fix_coverage(out)
        self.assertEqual(proven, ["DC001", "DC004", "BK001"])
        self.assertEqual(missing, {"DL3030": ["c (no local base for fedora:40)"], "DL3060": [],
                                   "DL4006": ["d (the fixed file does not build)"]})
        line = report.coverage_line(out)
        self.assertIn("3 of 6 rules that offer a fix", line)
        self.assertIn("DL3060 (no fixture in the run applies it)", line)
        self.assertIn("- DL3030: not built: c (no local base for fedora:40)", report.render(out, "m", 1))


if __name__ == "__main__":
    unittest.main()
