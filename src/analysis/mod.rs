//! What rules read, computed once per file from the syntax tree: the model (stages and what
//! each instruction sees), RUN commands, package-manager installs, COPY sources, cache mounts,
//! and the cache plan.

pub mod cache_plan;
pub mod copies;
pub mod installs;
pub mod model;
pub mod mounts;
pub mod runs;
