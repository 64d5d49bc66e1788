"""Self-tests of how two images are compared: announced config differences, cache directories."""

import unittest

from harness import compare


class ConfigDifferences(unittest.TestCase):
    def test_a_label_is_announced_only_by_its_own_key(self):
        before = {"Labels": {"base": "x"}}
        after = {"Labels": {"base": "x", "org.opencontainers.image.authors": "Jane"}}
        described = ["replace it with LABEL org.opencontainers.image.authors (the Author field is no longer set)"]
        self.assertEqual(compare.config_differences(before, after, described), ([], ["Label org.opencontainers.image.authors: None -> 'Jane'"]))
        # A description naming a longer key, or only the word "label", announces nothing.
        for text in ["writes LABEL org.opencontainers.image.authors.extra", "a label is added"]:
            bad, announced = compare.config_differences(before, after, [text])
            self.assertEqual((len(bad), announced), (1, []), text)

    def test_an_unnamed_environment_change_is_a_difference(self):
        bad, announced = compare.config_differences({"Env": ["A=1"]}, {"Env": []}, ["removes the environment variable B"])
        self.assertEqual((bad, announced), (["Env A: '1' -> None"], []))


class CacheDirectories(unittest.TestCase):
    def test_caches_of_root_and_of_other_users_are_not_compared(self):
        for path in ["root/.cache/pip/http/x", "home/app/.cache/pip", "home/node/.npm/_cacache", "home/app/go/pkg/mod/x", "root/.local/share/pnpm/store/v3/x", "home/node/.local/share/pnpm/store"]:
            self.assertTrue(compare.in_cache(path), path)
        for path in ["home/app/.cachefile", "home/app/.local/lib", "srv/home/app/.cache", "home/.cache"]:
            self.assertFalse(compare.in_cache(path), path)
        self.assertTrue(compare.ancestor_of_cache("home/app/go/pkg"))
        self.assertFalse(compare.ancestor_of_cache("home/app"))


if __name__ == "__main__":
    unittest.main()
