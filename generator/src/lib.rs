//! cloudgen: OpenAPI 3.0 and 3.1 documents to typed, async Rust clients.
//!
//! Use [`Generator`] for one spec, typically from a build script:
//!
//! ```toml
//! [build-dependencies]
//! cloudgen = { version = "0.1", default-features = false }
//!
//! [dependencies]
//! cloudgen-runtime = "0.1"
//! ```
//!
//! Errors and warnings are [`Diagnostics`]. The default `cli` feature builds the `cloudgen`
//! command; a build script does not need it.
//!
//! Inside, the pipeline is `load` → `lower` → `emit` → `format` → `write`, each phase with its
//! own types; those modules are public only for the command, the tests and the benchmarks, and
//! not a stable API.
#![deny(missing_docs)]

pub mod diagnostics;
#[doc(hidden)]
pub mod diff;
#[doc(hidden)]
pub mod emit;
#[doc(hidden)]
pub mod format;
mod generator;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod naming;
mod templates;
#[doc(hidden)]
pub mod write;

pub use diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Severity};
#[doc(hidden)]
pub use generator::{
    build_crate, build_crate_with, regenerate, regenerate_with, spec_files, RegenerateError,
    Regenerated, REGENERATE_COMMAND,
};
pub use generator::{Generated, Generator};
