//! Build-context rules (DC007-DC010): what the context sends, what `.dockerignore` leaves out,
//! and COPY sources the context does not have.

pub mod copy_ignored_file;
pub mod copy_missing_source;
pub mod dockerignore_leaves_heavy;
pub mod missing_dockerignore;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &missing_dockerignore::MissingDockerignore,
    &copy_ignored_file::CopyIgnoredFile,
    &copy_missing_source::CopyMissingSource,
    &dockerignore_leaves_heavy::DockerignoreLeavesHeavy,
];
