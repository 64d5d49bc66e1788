//! Whether a string is an image reference Docker's reference parser accepts (the grammar of
//! `distribution/reference`'s `ParseNormalizedNamed`): `[domain/]path[:tag][@digest]`, the path
//! in lower case.

/// True when `text` parses as a normalised image name.
pub fn is_valid(text: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (text, None),
    };
    if digest.is_some_and(|d| !valid_digest(d)) {
        return false;
    }
    // A tag follows the last `:` after the last `/` (a `:` before it is a registry port).
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].find(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if tag.is_some_and(|t| !valid_tag(t)) {
        return false;
    }
    if name.is_empty() || name.len() > 255 {
        return false;
    }
    // The first component is a registry when it has a `.` or `:`, is `localhost`, or has an
    // upper-case letter.
    let (domain, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    };
    if domain.is_some_and(|d| !valid_domain(d)) {
        return false;
    }
    if path.len() == 64 && path.bytes().all(|b| b.is_ascii_hexdigit()) && domain.is_none() {
        return false;
    }
    path.split('/').all(valid_path_component)
}

fn valid_path_component(part: &str) -> bool {
    // [a-z0-9]+ joined by `.`, `_`, `__` or runs of `-`.
    let bytes = part.as_bytes();
    if bytes.is_empty() || !is_alnum_lower(bytes[0]) || !is_alnum_lower(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if is_alnum_lower(bytes[i]) {
            i += 1;
            continue;
        }
        let sep_start = i;
        while i < bytes.len() && !is_alnum_lower(bytes[i]) {
            i += 1;
        }
        let sep = &part[sep_start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|b| b == b'-')) {
            return false;
        }
    }
    true
}

fn is_alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn valid_domain(domain: &str) -> bool {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        if ip.parse::<std::net::Ipv6Addr>().is_err() {
            return false;
        }
        (None, after.strip_prefix(':'))
    } else {
        match domain.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(domain), None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    host.is_none_or(|h| {
        h.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        })
    })
}

fn valid_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    !algorithm.is_empty()
        && algorithm.as_bytes()[0].is_ascii_alphabetic()
        && algorithm
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'+' | b'.'))
        && hex.len() >= 32
        && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn references() {
        for good in [
            "alpine",
            "alpine:3.20",
            "library/alpine",
            "docker.io/library/alpine:latest",
            "localhost:5000/my-app_x/y__z:1.0",
            "ghcr.io/o/r@sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d",
            "MyRegistry/app",
            "[::1]:5000/app",
            "a.b-c/d",
        ] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "",
            "Alpine",
            "alpine:",
            "busybox:",
            "alpine:-x",
            "-alpine",
            "a//b",
            "a/B",
            "alpine@sha256:xyz",
            "24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d",
            "a b",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
