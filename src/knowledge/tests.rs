use super::*;

fn k() -> &'static Knowledge {
    knowledge()
}

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

fn manifests_of(manager: &str) -> Vec<String> {
    k().manager(manager).unwrap().manifests().to_vec()
}

#[test]
fn embedded_table_parses_and_validates() {
    let fresh = Knowledge::from_toml(PACKAGE_MANAGERS_TOML);
    assert!(fresh.is_ok(), "{}", fresh.err().unwrap());
    let names: Vec<&str> = k().managers().iter().map(Manager::name).collect();
    for required in [
        "pip", "uv", "poetry", "pipenv", "npm", "yarn", "pnpm", "bun", "apt", "apk", "dnf", "yum",
        "zypper", "go", "cargo", "maven", "gradle", "bundler", "composer", "dotnet",
    ] {
        assert!(names.contains(&required), "missing manager {required}");
    }
}

/// Expected manifest-only result of a case.
#[derive(Debug)]
enum Mf {
    /// Not manifest-only.
    No,
    /// These explicit files.
    Files(&'static [&'static str]),
    /// The manager's default manifests.
    Defaults,
    /// The command's own defaults.
    Own(&'static [&'static str]),
}

use Action::{Build as B, Install as I, Other as O, Refresh as R, Wipe as W};
use Mf::{Defaults as D, Files as F, No as N, Own};

/// argv (split on spaces), manager, action, manifest-only, argv indices of no-cache flags.
type Case = (
    &'static str,
    Option<&'static str>,
    Action,
    Mf,
    &'static [usize],
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // pip and its many spellings
    ("pip install flask", Some("pip"), I, N, &[]),
    ("pip install --no-cache-dir flask", Some("pip"), I, N, &[2]),
    ("pip3 install -r requirements.txt", Some("pip"), I, F(&["requirements.txt"]), &[]),
    ("pip3.12 install -r requirements.txt -r dev.txt", Some("pip"), I, F(&["requirements.txt", "dev.txt"]), &[]),
    ("python3 -m pip install --no-cache-dir -r requirements.txt", Some("pip"), I, F(&["requirements.txt"]), &[4]),
    ("python -m pip install .", Some("pip"), I, N, &[]),
    ("python3.12 -m pip install -e .", Some("pip"), I, N, &[]),
    ("python3 -u -mpip install flask", Some("pip"), I, N, &[]),
    ("/usr/local/bin/pip install --upgrade pip", Some("pip"), I, N, &[]),
    ("/opt/venv/bin/pip install -i https://x/simple -r req.txt", Some("pip"), I, F(&["req.txt"]), &[]),
    ("pip install --index-url https://x/simple -c constraints.txt -r requirements.txt", Some("pip"), I, F(&["constraints.txt", "requirements.txt"]), &[]),
    ("pip install -c constraints.txt flask", Some("pip"), I, N, &[]),
    ("pip install -rrequirements.txt", Some("pip"), I, F(&["requirements.txt"]), &[]),
    ("pip install --requirement=requirements.txt --no-cache", Some("pip"), I, F(&["requirements.txt"]), &[3]),
    ("pip --no-cache-dir install -r r.txt", Some("pip"), I, F(&["r.txt"]), &[1]),
    ("pip3 install --target /deps -r requirements.txt", Some("pip"), I, F(&["requirements.txt"]), &[]),
    ("pip download -r r.txt -d wheels", Some("pip"), I, F(&["r.txt"]), &[]),
    ("pip wheel -r r.txt -w /wheels", Some("pip"), I, F(&["r.txt"]), &[]),
    ("pip cache purge", Some("pip"), W, N, &[]),
    ("pip cache remove *", Some("pip"), W, N, &[]),
    ("pip list", Some("pip"), O, N, &[]),
    ("sudo pip install flask", Some("pip"), I, N, &[]),
    ("sudo -H -u app pip install -r r.txt", Some("pip"), I, F(&["r.txt"]), &[]),
    ("env PIP_NO_CACHE_DIR=1 pip install -r r.txt", Some("pip"), I, F(&["r.txt"]), &[]),
    ("gosu app pip install -r r.txt", Some("pip"), I, F(&["r.txt"]), &[]),
    ("time -a -o /tmp/t pip install flask", Some("pip"), I, N, &[]),
    ("exec -a pip3 pip3 install --no-cache-dir flask", Some("pip"), I, N, &[5]),
    ("sudo -E env HOME=/root pip install flask", Some("pip"), I, N, &[]),
    ("pip3 --version", Some("pip"), O, N, &[]),
    ("bash -c pip", None, O, N, &[]),
    ("php -d memory_limit=-1 /usr/bin/composer install --no-scripts --no-autoloader", Some("composer"), I, D, &[]),
    ("pipx install black", None, O, N, &[]),
    ("python -m venv /opt/venv", None, O, N, &[]),
    ("python3 setup.py install", None, O, N, &[]),
    ("python -c print(1)", None, O, N, &[]),
    ("python -m uv pip install flask", None, O, N, &[]),
    ("command -v pip", None, O, N, &[]),
    // pipenv, uv, poetry
    ("pipenv install --deploy --system", Some("pipenv"), I, D, &[]),
    ("pipenv install requests", Some("pipenv"), I, N, &[]),
    ("uv pip install --system -r requirements.txt", Some("uv"), I, F(&["requirements.txt"]), &[]),
    ("uv pip sync requirements.lock", Some("uv"), I, F(&["requirements.lock"]), &[]),
    ("uv sync --frozen --no-install-project", Some("uv"), I, D, &[]),
    ("uv sync --frozen", Some("uv"), I, N, &[]),
    ("uv sync --no-cache --locked --no-install-project", Some("uv"), I, D, &[2]),
    ("uv -n pip install flask", Some("uv"), I, N, &[1]),
    ("uv cache clean", Some("uv"), W, N, &[]),
    ("uv run app.py", Some("uv"), B, N, &[]),
    ("poetry install --no-root --no-interaction", Some("poetry"), I, D, &[]),
    ("poetry install", Some("poetry"), I, N, &[]),
    ("poetry install --no-cache --only main --no-root", Some("poetry"), I, D, &[2]),
    ("poetry cache clear --all pypi", Some("poetry"), W, N, &[]),
    // JavaScript
    ("npm ci", Some("npm"), I, D, &[]),
    ("npm i", Some("npm"), I, D, &[]),
    ("npm install -g pnpm", Some("npm"), I, N, &[]),
    ("npm install --omit=dev", Some("npm"), I, D, &[]),
    ("npm ci --omit dev", Some("npm"), I, D, &[]),
    ("npm --cache /tmp/npm ci", Some("npm"), I, D, &[]),
    ("npm cache clean --force", Some("npm"), W, N, &[]),
    ("npm run build", Some("npm"), O, N, &[]),
    ("timeout 600 npm ci", Some("npm"), I, D, &[]),
    ("yarn", Some("yarn"), I, D, &[]),
    ("yarn install --frozen-lockfile", Some("yarn"), I, D, &[]),
    ("yarn --frozen-lockfile --network-timeout 100000", Some("yarn"), I, D, &[]),
    ("yarn add react", Some("yarn"), I, N, &[]),
    ("yarn -v", Some("yarn"), O, N, &[]),
    ("yarn cache clean", Some("yarn"), W, N, &[]),
    ("yarn build", Some("yarn"), O, N, &[]),
    ("pnpm i --frozen-lockfile", Some("pnpm"), I, D, &[]),
    ("corepack pnpm install --frozen-lockfile", Some("pnpm"), I, D, &[]),
    ("pnpm fetch --prod", Some("pnpm"), I, Own(&["pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc"]), &[]),
    ("pnpm add -D typescript", Some("pnpm"), I, N, &[]),
    ("pnpm store prune", Some("pnpm"), W, N, &[]),
    ("bun install --frozen-lockfile", Some("bun"), I, D, &[]),
    ("bun install --no-cache", Some("bun"), I, D, &[2]),
    // System packages
    ("apt-get update", Some("apt"), R, N, &[]),
    ("apt-get -y install curl", Some("apt"), I, N, &[]),
    ("apt-get install -y --no-install-recommends curl ca-certificates", Some("apt"), I, N, &[]),
    ("apt install -y curl", Some("apt"), I, N, &[]),
    ("apt-get -o Dpkg::Options::=--force-confold -y upgrade", Some("apt"), I, N, &[]),
    ("apt-get clean", Some("apt"), W, N, &[]),
    ("apt-get autoclean", Some("apt"), W, N, &[]),
    ("eatmydata apt-get install -y curl", Some("apt"), I, N, &[]),
    ("DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata", Some("apt"), I, N, &[]),
    ("apk add --no-cache curl", Some("apk"), I, N, &[2]),
    ("apk add -t .build-deps gcc", Some("apk"), I, N, &[]),
    ("apk update", Some("apk"), R, N, &[]),
    ("apk cache clean", Some("apk"), W, N, &[]),
    ("dnf install -y gcc", Some("dnf"), I, N, &[]),
    ("dnf -y makecache", Some("dnf"), R, N, &[]),
    ("dnf5 install -y gcc", Some("dnf"), I, N, &[]),
    ("dnf clean all", Some("dnf"), W, N, &[]),
    ("yum clean all", Some("yum"), W, N, &[]),
    ("yum install -y httpd", Some("yum"), I, N, &[]),
    ("zypper --non-interactive install curl", Some("zypper"), I, N, &[]),
    ("zypper -n in curl", Some("zypper"), I, N, &[]),
    ("zypper clean --all", Some("zypper"), W, N, &[]),
    // Go, Rust
    ("go mod download", Some("go"), I, D, &[]),
    ("go mod download -x", Some("go"), I, D, &[]),
    ("go build -o /app ./cmd/app", Some("go"), B, N, &[]),
    ("go build -ldflags=-s -o app .", Some("go"), B, N, &[]),
    ("go test ./...", Some("go"), B, N, &[]),
    ("go install github.com/x/y@latest", Some("go"), I, N, &[]),
    ("go clean -cache -modcache", Some("go"), W, N, &[]),
    ("go clean", Some("go"), O, N, &[]),
    ("go version", Some("go"), O, N, &[]),
    ("cargo fetch", Some("cargo"), I, D, &[]),
    ("cargo fetch --manifest-path app/Cargo.toml", Some("cargo"), I, F(&["app/Cargo.toml"]), &[]),
    ("cargo build --release", Some("cargo"), B, N, &[]),
    ("nice -n 10 cargo build", Some("cargo"), B, N, &[]),
    ("cargo chef cook --release --recipe-path recipe.json", Some("cargo"), I, F(&["recipe.json"]), &[]),
    ("cargo install ripgrep", Some("cargo"), I, N, &[]),
    ("cargo install --path .", Some("cargo"), I, N, &[]),
    // JVM
    ("mvn -B dependency:go-offline", Some("maven"), I, D, &[]),
    ("./mvnw -B -q dependency:go-offline", Some("maven"), I, D, &[]),
    ("mvn -f backend/pom.xml dependency:resolve", Some("maven"), I, F(&["backend/pom.xml"]), &[]),
    ("mvn org.apache.maven.plugins:maven-dependency-plugin:3.6.1:go-offline", Some("maven"), I, D, &[]),
    ("mvn -B clean package -DskipTests", Some("maven"), B, N, &[]),
    ("mvn clean", Some("maven"), O, N, &[]),
    ("mvn --version", Some("maven"), O, N, &[]),
    ("gradle build --no-daemon", Some("gradle"), B, N, &[]),
    ("./gradlew dependencies --no-daemon", Some("gradle"), I, D, &[]),
    ("sh ./gradlew build", Some("gradle"), B, N, &[]),
    ("./gradlew --version", Some("gradle"), O, N, &[]),
    // Ruby, PHP, .NET
    ("bundle install", Some("bundler"), I, D, &[]),
    ("bundle", Some("bundler"), I, D, &[]),
    ("bundle install --jobs 4 --retry 3", Some("bundler"), I, D, &[]),
    ("bundle exec rake", Some("bundler"), O, N, &[]),
    ("bundle clean --force", Some("bundler"), W, N, &[]),
    ("composer install --no-scripts --no-autoloader --no-dev", Some("composer"), I, D, &[]),
    ("composer install", Some("composer"), I, N, &[]),
    ("php composer.phar install --no-scripts --no-autoloader", Some("composer"), I, D, &[]),
    ("composer --no-cache install", Some("composer"), I, N, &[1]),
    ("composer clear-cache", Some("composer"), W, N, &[]),
    ("composer require monolog/monolog", Some("composer"), I, N, &[]),
    ("dotnet restore", Some("dotnet"), I, D, &[]),
    ("dotnet restore src/App/App.csproj", Some("dotnet"), I, F(&["src/App/App.csproj"]), &[]),
    ("dotnet publish -c Release -o /app", Some("dotnet"), B, N, &[]),
    ("dotnet nuget locals all --clear", Some("dotnet"), W, N, &[]),
    ("dotnet --info", Some("dotnet"), O, N, &[]),
    // Not package managers
    ("ls -la", None, O, N, &[]),
    ("rm -rf /root/.cache/pip", None, O, N, &[]),
    ("", None, O, N, &[]),
];

#[test]
fn classify_table() {
    assert!(CASES.len() >= 60);
    let mut failures = Vec::new();
    for (line, manager, action, mf, no_cache) in CASES {
        let argv = words(line);
        let inv = k().classify(&argv);
        let got_manager = inv.as_ref().map(|i| i.manager.name());
        if got_manager != *manager {
            failures.push(format!(
                "{line:?}: manager {got_manager:?}, expected {manager:?}"
            ));
            continue;
        }
        let Some(inv) = inv else { continue };
        if inv.action != *action {
            failures.push(format!(
                "{line:?}: action {:?}, expected {action:?}",
                inv.action
            ));
        }
        let expected: Option<Vec<String>> = match mf {
            Mf::No => None,
            Mf::Files(f) | Mf::Own(f) => Some(f.iter().map(|s| s.to_string()).collect()),
            Mf::Defaults => Some(manifests_of(manager.unwrap())),
        };
        if inv.manifest_only != expected {
            failures.push(format!(
                "{line:?}: manifest_only {:?}, expected {expected:?}",
                inv.manifest_only
            ));
        }
        if inv.no_cache_flags != *no_cache {
            failures.push(format!(
                "{line:?}: no_cache_flags {:?}, expected {no_cache:?}",
                inv.no_cache_flags
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn offsets_through_wrappers_and_interpreters() {
    let argv = words("env PIP_NO_CACHE_DIR=1 pip install --no-cache-dir flask");
    let inv = k().classify(&argv).unwrap();
    assert_eq!(inv.program, 2);
    assert_eq!(inv.env_words, vec![1]);
    assert_eq!(inv.no_cache_flags, vec![4]);
    assert_eq!(inv.packages, vec![5]);
    let sub = inv.subcommand.unwrap();
    assert_eq!((sub.start, sub.end, sub.name.as_str()), (3, 4, "install"));

    let argv = words("sudo -u app python3.12 -m pip install -r r.txt");
    let inv = k().classify(&argv).unwrap();
    assert_eq!((inv.program, inv.args_start), (3, 6));
    assert_eq!(inv.subcommand.unwrap().start, 6);

    let argv = words("go mod download -x");
    let sub = k().classify(&argv).unwrap().subcommand.unwrap();
    assert_eq!(
        (sub.start, sub.end, sub.name.as_str()),
        (1, 3, "mod download")
    );

    let argv = words("npm i --omit=dev");
    let sub = k().classify(&argv).unwrap().subcommand.unwrap();
    assert_eq!(sub.name, "install");
    assert!(sub.command.is_some());

    let argv = words("npm run build");
    let sub = k().classify(&argv).unwrap().subcommand.unwrap();
    assert_eq!((sub.name.as_str(), sub.command.is_none()), ("run", true));

    assert!(k().classify(&words("yarn")).unwrap().subcommand.is_none());
}

#[test]
fn needs_source() {
    for (line, expected) in [
        ("pip install .", true),
        ("pip install -e .", true),
        ("pip install --editable=./pkg", true),
        ("pip install .[dev]", true),
        ("pip install dist/app-1.0-py3-none-any.whl", true),
        ("pip install flask", false),
        ("pip install -r requirements.txt", false),
        ("pip install -r requirements.txt .", true),
        ("uv sync", true),
        ("uv sync --no-install-project", false),
        ("poetry install", true),
        ("poetry install --no-root", false),
        ("composer install --no-scripts", true),
        ("go build ./...", true),
        ("go mod download", false),
        ("cargo install --path .", true),
        ("cargo install ripgrep", false),
        ("mvn package", true),
        ("mvn dependency:go-offline", false),
        ("npm install ./local-pkg", true),
        ("npm install", false),
        ("apt-get install -y ./pkg.deb", true),
        ("apt-get install -y curl", false),
    ] {
        let argv = words(line);
        let inv = k().classify(&argv).unwrap();
        assert_eq!(inv.needs_source, expected, "{line}");
    }
    let argv = words("pip install -r requirements.txt .");
    assert_eq!(k().classify(&argv).unwrap().manifest_only, None);
}

#[test]
fn options_with_values_are_not_packages() {
    let argv = words(
        "pip install -i https://x/simple --extra-index-url https://y --trusted-host y -r r.txt",
    );
    let inv = k().classify(&argv).unwrap();
    assert!(inv.packages.is_empty());
    assert_eq!(inv.manifest_only, Some(vec!["r.txt".to_string()]));

    let argv = words("pip install -i https://x/simple flask==2.0 -c c.txt");
    let inv = k().classify(&argv).unwrap();
    assert_eq!(inv.packages, vec![4]);
}

#[test]
fn cache_dir_flags() {
    let check = |line: &str, range: (usize, usize), dir: &str, cache: &str| {
        let argv = words(line);
        let inv = k().classify(&argv).unwrap();
        let f = inv
            .cache_dir_flag
            .unwrap_or_else(|| panic!("{line}: no flag"));
        assert_eq!((f.start, f.end), range, "{line}");
        assert_eq!(f.dir, dir, "{line}");
        assert_eq!(f.cache.id(), cache, "{line}");
    };
    check(
        "pip install --cache-dir /tmp/pip flask",
        (2, 4),
        "/tmp/pip",
        "pip",
    );
    check(
        "pip install --cache-dir=/tmp/pip flask",
        (2, 3),
        "/tmp/pip",
        "pip",
    );
    check("uv --cache-dir /uv sync", (1, 3), "/uv", "uv");
    check("npm ci --cache /npm", (2, 4), "/npm", "npm");
    check("yarn install --cache-folder /y", (2, 4), "/y", "yarn");
    check("pnpm install --store-dir=/s", (2, 3), "/s", "store");
    check(
        "mvn -Dmaven.repo.local=/m2 -B dependency:go-offline",
        (1, 2),
        "/m2",
        "m2",
    );
    check("mvn -D maven.repo.local=/m2 package", (1, 3), "/m2", "m2");
    check("gradle -g /gh build", (1, 3), "/gh", "gradle");
    check(
        "dotnet restore --packages /nuget",
        (2, 4),
        "/nuget",
        "packages",
    );
    check("apk add --cache-dir /apk curl", (2, 4), "/apk", "apk");

    let argv = words("mvn -DskipTests package");
    assert!(k().classify(&argv).unwrap().cache_dir_flag.is_none());

    let argv = words("pip install --cache-dir /tmp/pip flask");
    let inv = k().classify(&argv).unwrap();
    assert_eq!(inv.cache_dirs("/root", &no_env), vec!["/tmp/pip"]);
    let argv = words("go build .");
    let inv = k().classify(&argv).unwrap();
    assert_eq!(
        inv.cache_dirs("/root", &no_env),
        vec!["/go/pkg/mod", "/root/.cache/go-build"]
    );
}

#[test]
fn env_disables_cache() {
    for v in ["0", "false", "off", "no", "1", "true", "yes", "FALSE", ""] {
        let m = k().env_disables_cache("PIP_NO_CACHE_DIR", v);
        assert_eq!(m.map(Manager::name), Some("pip"), "PIP_NO_CACHE_DIR={v}");
    }
    for v in ["1", "true", "yes", "TRUE", "on", "y"] {
        let m = k().env_disables_cache("UV_NO_CACHE", v);
        assert_eq!(m.map(Manager::name), Some("uv"), "UV_NO_CACHE={v}");
    }
    for v in ["0", "false", "no", "off", ""] {
        assert!(
            k().env_disables_cache("UV_NO_CACHE", v).is_none(),
            "UV_NO_CACHE={v}"
        );
    }
    assert!(k().env_disables_cache("PIP_CACHE_DIR", "/x").is_none());
    assert!(k().env_disables_cache("pip_no_cache_dir", "1").is_none());
    let vars: Vec<&str> = k().cache_disabling_vars().map(|(_, v)| v).collect();
    assert!(vars.contains(&"PIP_NO_CACHE_DIR") && vars.contains(&"UV_NO_CACHE"));
}

#[test]
fn env_relocates_cache() {
    let xdg: Vec<&str> = k()
        .env_relocates_cache("XDG_CACHE_HOME")
        .iter()
        .map(|r| r.manager.name())
        .collect();
    for m in ["pip", "uv", "poetry", "go", "composer", "yarn"] {
        assert!(xdg.contains(&m), "XDG_CACHE_HOME should move {m}'s cache");
    }
    let one = |var: &str| {
        let r = k().env_relocates_cache(var);
        assert_eq!(r.len(), 1, "{var}");
        (r[0].manager.name(), r[0].cache.id(), r[0].suffix)
    };
    assert_eq!(one("PIP_CACHE_DIR"), ("pip", "pip", ""));
    assert_eq!(one("UV_CACHE_DIR"), ("uv", "uv", ""));
    assert_eq!(one("npm_config_cache"), ("npm", "npm", ""));
    assert_eq!(one("YARN_CACHE_FOLDER"), ("yarn", "yarn", ""));
    assert_eq!(one("GOMODCACHE"), ("go", "mod", ""));
    assert_eq!(one("GOPATH"), ("go", "mod", "pkg/mod"));
    assert_eq!(one("GOCACHE"), ("go", "build", ""));
    assert_eq!(one("GRADLE_USER_HOME"), ("gradle", "gradle", ""));
    assert_eq!(one("NUGET_PACKAGES"), ("dotnet", "packages", ""));
    assert_eq!(one("COMPOSER_CACHE_DIR"), ("composer", "composer", ""));
    assert_eq!(one("COMPOSER_HOME"), ("composer", "composer", "cache"));
    assert_eq!(k().env_relocates_cache("CARGO_HOME").len(), 2);
    assert!(k().env_relocates_cache("PATH").is_empty());
}

#[test]
fn cache_dirs_for_root_and_users() {
    let dirs = |m: &str, home: &str, env: &dyn Fn(&str) -> Option<String>| {
        k().manager(m).unwrap().cache_dirs(home, env)
    };
    // pip
    assert_eq!(dirs("pip", "/root", &no_env), ["/root/.cache/pip"]);
    assert_eq!(dirs("pip", "/home/app", &no_env), ["/home/app/.cache/pip"]);
    assert_eq!(dirs("pip", "/home/app/", &no_env), ["/home/app/.cache/pip"]);
    let e = env_of(&[("XDG_CACHE_HOME", "/xdg")]);
    assert_eq!(dirs("pip", "/home/app", &e), ["/xdg/pip"]);
    let e = env_of(&[("XDG_CACHE_HOME", "/xdg"), ("PIP_CACHE_DIR", "/pipc")]);
    assert_eq!(dirs("pip", "/home/app", &e), ["/pipc"]);
    let e = env_of(&[("PIP_CACHE_DIR", "")]);
    assert_eq!(dirs("pip", "/root", &e), ["/root/.cache/pip"]);
    // uv
    assert_eq!(dirs("uv", "/home/app", &no_env), ["/home/app/.cache/uv"]);
    let e = env_of(&[("UV_CACHE_DIR", "/uvc")]);
    assert_eq!(dirs("uv", "/root", &e), ["/uvc"]);
    // go: GOPATH from the golang image, build cache in the home
    assert_eq!(
        dirs("go", "/root", &no_env),
        ["/go/pkg/mod", "/root/.cache/go-build"]
    );
    assert_eq!(
        dirs("go", "/home/app", &no_env),
        ["/go/pkg/mod", "/home/app/.cache/go-build"]
    );
    let e = env_of(&[("GOMODCACHE", "/m"), ("GOCACHE", "/b")]);
    assert_eq!(dirs("go", "/home/app", &e), ["/m", "/b"]);
    let e = env_of(&[("GOPATH", "/gp:/other"), ("XDG_CACHE_HOME", "/x")]);
    assert_eq!(dirs("go", "/home/app", &e), ["/gp/pkg/mod", "/x/go-build"]);
    // yarn: root's cache is not under /root
    assert_eq!(
        dirs("yarn", "/root", &no_env),
        ["/usr/local/share/.cache/yarn"]
    );
    assert_eq!(
        dirs("yarn", "/home/node", &no_env),
        ["/home/node/.cache/yarn"]
    );
    let e = env_of(&[("YARN_CACHE_FOLDER", "/yc")]);
    assert_eq!(dirs("yarn", "/root", &e), ["/yc"]);
    // npm, pnpm, bun
    assert_eq!(dirs("npm", "/root", &no_env), ["/root/.npm"]);
    assert_eq!(dirs("npm", "/home/node", &no_env), ["/home/node/.npm"]);
    let e = env_of(&[("npm_config_cache", "/nc")]);
    assert_eq!(dirs("npm", "/home/node", &e), ["/nc"]);
    assert_eq!(
        dirs("pnpm", "/root", &no_env),
        ["/root/.local/share/pnpm/store"]
    );
    let e = env_of(&[("PNPM_HOME", "/pnpm")]);
    assert_eq!(dirs("pnpm", "/root", &e), ["/pnpm/store"]);
    assert_eq!(dirs("bun", "/root", &no_env), ["/root/.bun/install/cache"]);
    // system managers: absolute, the same for everyone
    assert_eq!(
        dirs("apt", "/root", &no_env),
        ["/var/cache/apt", "/var/lib/apt/lists"]
    );
    assert_eq!(
        dirs("apt", "/home/app", &no_env),
        ["/var/cache/apt", "/var/lib/apt/lists"]
    );
    assert_eq!(dirs("apk", "/home/app", &no_env), ["/var/cache/apk"]);
    // cargo: CARGO_HOME from the rust image
    assert_eq!(
        dirs("cargo", "/root", &no_env),
        ["/usr/local/cargo/registry", "/usr/local/cargo/git/db"]
    );
    let e = env_of(&[("CARGO_HOME", "/home/app/.cargo")]);
    assert_eq!(
        dirs("cargo", "/home/app", &e),
        ["/home/app/.cargo/registry", "/home/app/.cargo/git/db"]
    );
    // JVM, Ruby, PHP, .NET
    assert_eq!(dirs("maven", "/root", &no_env), ["/root/.m2"]);
    assert_eq!(dirs("gradle", "/home/app", &no_env), ["/home/app/.gradle"]);
    let e = env_of(&[("GRADLE_USER_HOME", "/g")]);
    assert_eq!(dirs("gradle", "/home/app", &e), ["/g"]);
    assert_eq!(
        dirs("bundler", "/root", &no_env),
        ["/usr/local/bundle/cache"]
    );
    assert_eq!(
        dirs("composer", "/root", &no_env),
        ["/root/.cache/composer"]
    );
    let e = env_of(&[("COMPOSER_HOME", "/tmp")]);
    assert_eq!(dirs("composer", "/root", &e), ["/tmp/cache"]);
    assert_eq!(
        dirs("dotnet", "/home/app", &no_env),
        ["/home/app/.nuget/packages"]
    );
    let e = env_of(&[("NUGET_PACKAGES", "/nuget")]);
    assert_eq!(dirs("dotnet", "/root", &e), ["/nuget"]);

    assert_eq!(
        k().manager("poetry").unwrap().root_cache_dirs(),
        ["/root/.cache/pypoetry"]
    );
    let pip = k().manager("pip").unwrap();
    assert!(pip.caches()[0].is_home_based());
    assert!(!k().manager("apt").unwrap().caches()[0].is_home_based());
}

#[test]
fn mount_requirements() {
    let m = |name: &str| k().manager(name).unwrap();
    for name in ["apt", "apk", "dnf", "yum", "zypper"] {
        assert_eq!(m(name).mount_sharing(), Some("locked"), "{name}");
    }
    for name in ["pip", "npm", "go"] {
        assert_eq!(m(name).mount_sharing(), None, "{name}");
    }
    assert!(
        m("apt")
            .setup_for_mount()
            .iter()
            .any(|s| s.run().is_some_and(|r| r.contains("docker-clean")))
    );
    assert!(m("apt").setup_for_mount().iter().any(|s| {
        s.run()
            .is_some_and(|r| r.contains("Keep-Downloaded-Packages"))
    }));
    assert!(
        m("apk")
            .setup_for_mount()
            .iter()
            .any(|s| s.run().is_some_and(|r| r.contains("/etc/apk/cache")))
    );
    assert!(m("pip").setup_for_mount().is_empty());
    // dnf and yum take keepcache on the command line; microdnf before 3.5 refuses it.
    for name in ["dnf", "yum"] {
        let flags: Vec<Option<&str>> = m(name).setup_for_mount().iter().map(|s| s.flag()).collect();
        assert_eq!(flags, [Some("--setopt=keepcache=1")], "{name}");
        assert!(m(name).fetches_missing_index(), "{name}");
    }
    assert!(m("microdnf").setup_for_mount().is_empty());
    assert!(!m("apt").fetches_missing_index());
    let uv_env: Vec<(&str, &str)> = m("uv").mount_env().collect();
    assert_eq!(uv_env, [("UV_LINK_MODE", "copy")]);
    assert!(m("pip").caches_by_default());
    assert!(!m("apt").caches_by_default());
    assert!(!m("apk").caches_by_default());
    assert_eq!(
        m("go").assumed_env().collect::<Vec<_>>(),
        [("GOPATH", "/go")]
    );
}

#[test]
fn removed_caches() {
    let removed = |line: &str, home: &str, env: &dyn Fn(&str) -> Option<String>| {
        let argv = words(line);
        k().removed_caches(&argv, home, env)
            .into_iter()
            .map(|r| format!("{}:{}:{}", r.manager.name(), r.cache.id(), r.arg))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        removed("rm -rf /var/lib/apt/lists/*", "/root", &no_env),
        ["apt:lists:2"]
    );
    assert_eq!(
        removed(
            "rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists",
            "/root",
            &no_env
        ),
        ["apt:archives:2", "apt:lists:3"]
    );
    assert_eq!(
        removed("rm -rf ~/.cache/pip", "/home/app", &no_env),
        ["pip:pip:2"]
    );
    assert_eq!(
        removed("rm -rf $HOME/.cache/pip", "/root", &no_env),
        ["pip:pip:2"]
    );
    assert!(removed("rm -rf /home/app/.cache/pip", "/root", &no_env).is_empty());
    assert_eq!(
        removed("sudo rm -rf /var/cache/apk/*", "/root", &no_env),
        ["apk:apk:3"]
    );
    let e = env_of(&[("PIP_CACHE_DIR", "/pipc")]);
    assert_eq!(
        removed("rm -rf ${PIP_CACHE_DIR}", "/root", &e),
        ["pip:pip:2"]
    );
    let all = removed("rm -rf /root/.cache", "/root", &no_env);
    assert!(all.contains(&"pip:pip:2".to_string()));
    assert!(all.contains(&"uv:uv:2".to_string()));
    assert!(all.contains(&"go:build:2".to_string()));
    assert!(
        removed(
            "rm -rf /tmp/build node_modules $UNKNOWN/x",
            "/root",
            &no_env
        )
        .is_empty()
    );
    assert!(removed("ls /var/cache/apt", "/root", &no_env).is_empty());
    assert!(removed("rm -rf /root/.cache/pipx", "/root", &no_env).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Malformed tables must be rejected.

const MINIMAL: &str = r#"
version = 1
truthy-values = ["1"]

[[interpreter]]
name = "python"
executables = ["python"]
module-flag = "-m"

[removal]
executables = ["rm"]

[[manager]]
name = "tool"
ecosystem = "test"
description = "a tool"
executables = ["tool"]
modules = [{ interpreter = "python", module = "tool" }]
caches-by-default = true
manifests = ["tool.lock"]
no-cache-flags = ["--no-cache"]
cache-dir-flags = [{ flag = "--cache-dir", cache = "c" }]

[[manager.cache]]
id = "c"
dir = "$HOME/.cache/tool"

[manager.mount]
sharing = "locked"

[[manager.command]]
name = "install"
action = "install"
manifest-only = "always"
"#;

fn with(from: &str, to: &str) -> String {
    assert!(MINIMAL.contains(from), "fixture lacks {from:?}");
    MINIMAL.replacen(from, to, 1)
}

fn invalid(text: &str) -> Vec<String> {
    match Knowledge::from_toml(text) {
        Err(KnowledgeError::Invalid(p)) => p,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn unparsable(text: &str) -> String {
    match Knowledge::from_toml(text) {
        Err(KnowledgeError::Parse(msg)) => msg,
        other => panic!("expected Parse, got {other:?}"),
    }
}

#[test]
fn minimal_table_is_valid() {
    let k = Knowledge::from_toml(MINIMAL).unwrap();
    let inv = k.classify(&["python", "-m", "tool", "install"]).unwrap();
    assert_eq!(inv.manager.name(), "tool");
    assert_eq!(inv.manifest_only, Some(vec!["tool.lock".to_string()]));
}

#[test]
fn unknown_fields_are_rejected() {
    unparsable(&format!("colour = 1\n{MINIMAL}"));
    unparsable(&with(
        "caches-by-default = true",
        "caches-by-default = true\ncolour = 1",
    ));
    unparsable(&with(
        "dir = \"$HOME/.cache/tool\"",
        "dir = \"/c\"\nsize = 1",
    ));
    unparsable(&with(
        "manifest-only = \"always\"",
        "manifest-only = \"always\"\nflags = []",
    ));
    unparsable(&with(
        "sharing = \"locked\"",
        "sharing = \"locked\"\nuid = 1",
    ));
}

#[test]
fn wrong_types_and_values_are_rejected() {
    unparsable(&with("action = \"install\"", "action = \"download\""));
    unparsable(&with(
        "manifest-only = \"always\"",
        "manifest-only = \"sometimes\"",
    ));
    unparsable(&with(
        "caches-by-default = true",
        "caches-by-default = \"yes\"",
    ));
    unparsable(&with(
        "[[manager.cache]]\nid = \"c\"\ndir = \"$HOME/.cache/tool\"\n",
        "",
    ));
    unparsable("version = 1\n[[manager");
}

#[test]
fn inconsistent_tables_are_rejected() {
    let has = |problems: Vec<String>, needle: &str| {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "{needle:?} not in {problems:?}"
        );
    };
    // duplicate manager names
    let dup = format!(
        "{MINIMAL}\n[[manager]]\nname = \"tool\"\necosystem = \"test\"\ndescription = \"again\"\nexecutables = [\"tool2\"]\n\
         caches-by-default = true\n[[manager.cache]]\nid = \"c\"\ndir = \"/c\"\n"
    );
    has(invalid(&dup), "duplicate manager name");
    // an executable claimed by two managers
    let twice = format!(
        "{MINIMAL}\n[[manager]]\nname = \"other\"\necosystem = \"test\"\ndescription = \"other\"\nexecutables = [\"tool\"]\n\
         caches-by-default = true\n[[manager.cache]]\nid = \"c\"\ndir = \"/c\"\n"
    );
    has(invalid(&twice), "claimed twice");
    // no way to invoke it
    has(
        invalid(&with(
            "executables = [\"tool\"]\nmodules = [{ interpreter = \"python\", module = \"tool\" }]",
            "executables = []",
        )),
        "no invocation",
    );
    // no cache
    has(
        invalid(&with(
            "[[manager.cache]]\nid = \"c\"\ndir = \"$HOME/.cache/tool\"\n",
            "cache = []\n",
        )),
        "cache is empty",
    );
    // flags must start with '-'
    has(
        invalid(&with("[\"--no-cache\"]", "[\"no-cache\"]")),
        "is not a flag",
    );
    has(
        invalid(&with("flag = \"--cache-dir\"", "flag = \"cache-dir\"")),
        "is not a flag",
    );
    // references
    has(
        invalid(&with("cache = \"c\" }", "cache = \"nope\" }")),
        "unknown cache",
    );
    has(
        invalid(&with("interpreter = \"python\"", "interpreter = \"ruby\"")),
        "unknown interpreter",
    );
    // directories
    has(
        invalid(&with("$HOME/.cache/tool", ".cache/tool")),
        "must be absolute",
    );
    has(
        invalid(&with("$HOME/.cache/tool", "~/.cache/tool")),
        "must be absolute",
    );
    // sharing
    has(
        invalid(&with("sharing = \"locked\"", "sharing = \"exclusive\"")),
        "sharing",
    );
    // default command must exist
    has(
        invalid(&with(
            "caches-by-default = true",
            "caches-by-default = true\ndefault-command = \"run\"",
        )),
        "default-command",
    );
    // a wipe cannot be manifest-only
    has(
        invalid(&with("action = \"install\"", "action = \"wipe\"")),
        "only an install",
    );
    // two commands spelled alike
    has(
        invalid(&format!(
            "{MINIMAL}\n[[manager.command]]\nname = \"install\"\naction = \"other\"\n"
        )),
        "spelled by two commands",
    );
    // bad variable names
    has(
        invalid(&with(
            "caches-by-default = true",
            "caches-by-default = true\nenv-disables = [{ var = \"NO-CACHE\", when = \"truthy\" }]",
        )),
        "environment variable",
    );
    // unsupported version
    has(invalid(&with("version = 1", "version = 2")), "version");
}

/// The package rules' facts name the manager's own flags and executables.
#[test]
fn lint_facts_are_checked() {
    let lint = |text: &str| {
        with(
            "[[manager.command]]\nname = \"install\"",
            &format!("{text}\n\n[[manager.command]]\nname = \"install\""),
        )
    };
    let ok = lint(
        "[manager.lint.yes]\ncommands = [\"install\"]\nflags = [\"-y\"]\nadd = \"-y\"\n\n[manager.lint.pin]\ncommands = [\"install\"]\nmarks = [\"==\"]",
    );
    let k = Knowledge::from_toml(&ok).unwrap();
    let tool = k.manager("tool").unwrap();
    assert_eq!(tool.lint().yes.as_ref().unwrap().add, "-y");
    assert_eq!(tool.lint().pin.as_ref().unwrap().marks, ["=="]);

    let p = invalid(&lint(
        "[manager.lint.yes]\ncommands = [\"install\"]\nflags = [\"-y\"]\nadd = \"--yes\"",
    ));
    assert!(p.iter().any(|m| m.contains("add \"--yes\"")), "{p:?}");
    let p = invalid(&lint("[manager.lint.pin]\ncommands = [\"install\"]"));
    assert!(
        p.iter().any(|m| m.contains("no way to write a version")),
        "{p:?}"
    );
    let p = invalid(&lint(
        "[manager.lint.interactive]\nexecutable = \"apt\"\ninstead = \"tool\"\nsame-commands = [\"install\"]",
    ));
    assert!(p.iter().any(|m| m.contains("lint.interactive")), "{p:?}");
    unparsable(&lint("[manager.lint]\nshiny = true"));
}

#[test]
fn offline_installs_and_builds() {
    let offline = |s: &str| k().classify(&words(s)).unwrap().offline;
    assert!(offline(
        "pip install --no-index --find-links /wheels -r requirements.txt"
    ));
    assert!(offline(
        "pip install --no-deps /wheels/app-1.0-py3-none-any.whl"
    ));
    // A wheel's dependencies come from the index unless --no-deps.
    assert!(!offline("pip install /wheels/app-1.0-py3-none-any.whl"));
    assert!(!offline("pip install --no-deps -r requirements.txt"));
    assert!(!offline("pip install --no-deps flask"));
    assert!(offline("mvn -B -o package"));
    assert!(offline("dotnet publish --no-restore -c Release"));
    assert!(offline("cargo build --frozen --release"));
    assert!(!offline("cargo build --release"));
}

#[test]
fn commands_use_only_their_caches() {
    let dirs = |s: &str| {
        k().classify(&words(s))
            .unwrap()
            .cache_dirs("/root", &env_of(&[("GOPATH", "/go")]))
    };
    assert_eq!(dirs("go mod download"), vec!["/go/pkg/mod"]);
    assert_eq!(
        dirs("go build ./..."),
        vec!["/go/pkg/mod", "/root/.cache/go-build"]
    );
    assert_eq!(dirs("apt-get clean"), vec!["/var/cache/apt"]);
    assert_eq!(dirs("apt-get update"), vec!["/var/lib/apt/lists"]);
}

#[test]
fn dependency_caches_are_marked() {
    let holds = |m: &str| {
        k().manager(m)
            .unwrap()
            .caches()
            .iter()
            .any(Cache::holds_dependencies)
    };
    for m in ["go", "cargo", "maven", "gradle", "dotnet"] {
        assert!(holds(m), "{m}");
    }
    for m in ["pip", "npm", "apt"] {
        assert!(!holds(m), "{m}");
    }
}

#[test]
fn config_commands_move_caches() {
    let pnpm = k().manager("pnpm").unwrap();
    let set = |argv: &str| {
        pnpm.config_relocations()
            .iter()
            .find_map(|c| c.dir_set(&words(argv), 1))
    };
    assert_eq!(
        set("pnpm config set store-dir /pnpm/store").as_deref(),
        Some("/pnpm/store")
    );
    assert_eq!(set("pnpm config set store-dir=/s").as_deref(), Some("/s"));
    assert_eq!(set("pnpm config set registry https://x"), None);
    let bundler = k().manager("bundler").unwrap();
    let dir = bundler
        .config_relocations()
        .iter()
        .find_map(|c| c.dir_set(&words("bundle config set --local path vendor/bundle"), 1));
    assert_eq!(dir.as_deref(), Some("vendor/bundle/*"));
    let gems = bundler.cache("gems").unwrap();
    assert_eq!(
        bundler.cache_dir(gems, "/root", &env_of(&[("BUNDLE_PATH", "/app/vendor")])),
        "/app/vendor/*"
    );
}

#[test]
fn wrappers_that_switch_users() {
    let user = |s: &str| k().classify(&words(s)).unwrap().run_as;
    assert_eq!(user("gosu node npm ci").as_deref(), Some("node"));
    assert_eq!(user("sudo -u app -E npm ci").as_deref(), Some("app"));
    assert_eq!(user("su-exec 1000:1000 yarn").as_deref(), Some("1000:1000"));
    assert_eq!(user("sudo npm ci"), None);
    assert_eq!(user("npm ci"), None);
}

#[test]
fn the_json_the_binary_reads_is_the_toml_table() {
    let from_toml = Knowledge::from_toml(PACKAGE_MANAGERS_TOML).unwrap();
    let from_json = Knowledge::from_json(PACKAGE_MANAGERS_JSON).unwrap();
    assert_eq!(format!("{from_toml:?}"), format!("{from_json:?}"));
}
