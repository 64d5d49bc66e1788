//! Cache and layer rules (DC001-DC006, DC011-DC013): downloads kept between builds, out of the image, and
//! installs that re-run only when their manifests change. `cache_fix` holds the edits they share.

pub(crate) mod cache_fix;
pub mod cache_in_layer;
pub mod cache_mount_defeated;
pub mod copy_before_install;
pub mod git_clone_cached;
pub mod manifest_above_system_install;
pub(crate) mod manifest_reads;
pub mod missing_cache_mount;
pub mod pip_no_cache_dir;
pub mod pip_no_cache_dir_env;
pub mod stage_from_sources;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &pip_no_cache_dir::PipNoCacheDir,
    &pip_no_cache_dir_env::PipNoCacheDirEnv,
    &copy_before_install::CopyBeforeInstall,
    &missing_cache_mount::MissingCacheMount,
    &cache_mount_defeated::CacheMountDefeated,
    &cache_in_layer::CacheInLayer,
    &git_clone_cached::GitCloneCached,
    &manifest_above_system_install::ManifestAboveSystemInstall,
    &stage_from_sources::StageFromSources,
];
