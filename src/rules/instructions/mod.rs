//! Rules about single Dockerfile instructions and how they fit together (hadolint's DL3xxx
//! rules that are not about package managers or labels): base images, COPY/ADD, WORKDIR,
//! USER, EXPOSE, ENV, stage names and order.

pub mod add_instead_of_copy;
pub mod before_from;
pub mod consecutive_runs;
pub mod copy_archive_then_extract;
pub mod copy_from_unknown;
pub mod copy_many_to_file;
pub mod copy_relative_no_workdir;
pub mod copy_whole_filesystem;
pub mod env_self_reference;
pub mod from_platform;
pub mod healthcheck_missing;
pub mod image;
pub mod last_user_root;
pub mod latest_tag;
pub mod onbuild_forbidden;
pub mod port_range;
pub mod reserved_stage_name;
pub mod secret_in_build_arg;
pub mod untagged_image;
pub mod untrusted_registry;
pub mod user_not_numeric;
pub mod words;
pub mod workdir_relative;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &workdir_relative::WorkdirRelative,
    &last_user_root::LastUserRoot,
    &untagged_image::UntaggedImage,
    &latest_tag::LatestTag,
    &copy_archive_then_extract::CopyArchiveThenExtract,
    &port_range::PortOutOfRange,
    &add_instead_of_copy::AddInsteadOfCopy,
    &copy_many_to_file::CopyManyToFile,
    &copy_from_unknown::CopyFromUnknownStage,
    &copy_from_unknown::CopyFromOwnStage,
    &untrusted_registry::UntrustedRegistry,
    &from_platform::FromPlatform,
    &onbuild_forbidden::OnbuildForbidden,
    &env_self_reference::EnvSelfReference,
    &copy_relative_no_workdir::CopyRelativeNoWorkdir,
    &healthcheck_missing::HealthcheckMissing,
    &consecutive_runs::ConsecutiveRuns,
    &before_from::BeforeFrom,
    &reserved_stage_name::ReservedStageName,
    &secret_in_build_arg::SecretInArgOrEnv,
    &from_platform::FromPlatformTarget,
    &user_not_numeric::UserNotNumeric,
    &copy_whole_filesystem::CopyWholeFilesystem,
];
