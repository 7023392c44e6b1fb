//! cloudgen: OpenAPI 3.0 and 3.1 documents to typed, async Rust clients.
//!
//! The pipeline is `load` → `lower` → `emit` → `format` → `write`, each phase
//! with its own types. Use [`Generator`] for one spec (for example from a
//! build script), or [`regenerate`] for the checked-in `cloudapi` crate.
#![deny(missing_docs)]

pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod generator;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod templates;
pub mod write;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use generator::{
    build_crate, build_crate_with, regenerate, regenerate_with, Generated, Generator,
    RegenerateError, Regenerated,
};
