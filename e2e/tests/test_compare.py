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


class FewerPackages(unittest.TestCase):
    def test_a_fix_that_installs_fewer_packages_announces_their_shared_state_and_nothing_else(self):
        f = lambda size, link="": ("f" if not link else "l", "0o644", size, link, 0, 0)
        before = {"etc/group": f(446), "etc/alternatives/pager": f(0, "/usr/bin/less"), "usr/bin/less": f(10), "etc/motd": f(5)}
        after = {"etc/group": f(434), "etc/alternatives/pager": f(0, "/bin/more"), "etc/alternatives/pager.1.gz": f(0, "/x"), "etc/motd": f(6)}
        said = ["add `--no-install-recommends` (unsafe: packages that were only recommended are no longer installed)"]
        diffs, announced = compare.tree_differences(before, after, said)
        self.assertEqual(diffs, ["/etc/motd: (f 0o644 5B 0:0) -> (f 0o644 6B 0:0)"])
        self.assertEqual(len(announced), 4)
        # Without that announcement, each is a difference.
        diffs, _ = compare.tree_differences(before, after, ["add a cache mount"])
        self.assertEqual(len(diffs), 5)


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
