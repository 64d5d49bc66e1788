//! Image references of FROM (`registry/path/name:tag@digest`), with build arguments resolved
//! from their defaults, for the rules that judge the base image (DL3006, DL3007, DL3026).

use crate::analysis::model::Stage;

/// A FROM image reference, split into its parts.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// The registry host, when the reference names one (`gcr.io`, `localhost:5000`).
    pub registry: Option<&'a str>,
    /// The repository path without registry, tag or digest.
    pub name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    pub fn parse(reference: &'a str) -> ImageRef<'a> {
        let (rest, digest) = match reference.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (reference, None),
        };
        // A tag follows the last `:` of the last path component (a registry port has a `/`
        // after it).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        let (registry, name) = match path.split_once('/') {
            Some((first, name))
                if first.contains(['.', ':']) || first.eq_ignore_ascii_case("localhost") =>
            {
                (Some(first), name)
            }
            _ => (None, path),
        };
        ImageRef {
            registry,
            name,
            tag,
            digest,
        }
    }

    /// The registry the reference pulls from: Docker Hub when it names none.
    pub fn registry_or_hub(&self) -> &'a str {
        self.registry.unwrap_or("docker.io")
    }
}

/// What a stage's base image is, once build arguments are resolved.
pub enum Base<'a> {
    /// `scratch` or another stage of the file: no image is pulled.
    NotPulled,
    /// A variable without a default is left: the image is chosen at build time.
    Unresolved(&'a str),
    Image(ImageRef<'a>),
}

/// The stage's base (already expanded with the global ARG defaults by the model).
pub fn base(stage: &Stage) -> Base<'_> {
    if stage.base_stage.is_some() || stage.base.eq_ignore_ascii_case("scratch") {
        return Base::NotPulled;
    }
    if stage.base.contains('$') {
        return Base::Unresolved(&stage.base);
    }
    Base::Image(ImageRef::parse(&stage.base))
}

/// Whether the FROM line's image word differs from its expansion: the name came from a build
/// argument's default, which a message should say.
pub fn from_default(written: &str, expanded: &str) -> bool {
    written.contains('$') && written != expanded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:ab");
        assert_eq!(r.registry, Some("localhost:5000"));
        assert_eq!(
            (r.name, r.tag, r.digest),
            ("team/app", Some("1.2"), Some("sha256:ab"))
        );
        let r = ImageRef::parse("library/python");
        assert_eq!((r.registry, r.name, r.tag), (None, "library/python", None));
        assert_eq!(r.registry_or_hub(), "docker.io");
        let r = ImageRef::parse("gcr.io/distroless/static:nonroot");
        assert_eq!((r.registry, r.tag), (Some("gcr.io"), Some("nonroot")));
    }
}
