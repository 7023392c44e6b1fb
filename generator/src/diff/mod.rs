//! API diff: what changed for users of a generated module between two specs or two
//! regenerations, each change classified for semver, and the changelog it feeds.
//!
//! `summary` turns a lowered [`crate::ir::Api`] into an [`ApiSummary`] (the Rust API as data),
//! `compare` diffs two summaries, and `release` applies the verdict: the version check and
//! `generated/CHANGELOG.md`.

pub mod compare;
pub mod release;
pub mod summary;

pub use compare::{diff, diff_modules, Change, Level, ModuleDiff};
pub use release::{api_files, changelog, package_version, read_summary_dir, ApiChanges, Version};
pub use summary::{summarize, ApiSummary};
