//! Integration tests of cloudgen and the generated `cloudapi` crate.
//!
//! The library part holds the fixture snapshots (compiled here so a snapshot
//! that does not build fails) and helpers shared by the tests in `tests/`.
#![deny(missing_docs)]

use std::path::PathBuf;

pub mod capture;
pub mod clients;
pub mod loopback;

/// Every fixture snapshot, one module each, using `cloudapi::runtime`.
pub mod snapshots {
    include!(concat!(env!("OUT_DIR"), "/snapshots.rs"));
}

/// The Rust blocks of the repository's README.md, compiled (and run unless `no_run`) as
/// doctests of this crate, so that a README example that stops compiling fails the test run.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct RepositoryReadme;

/// The Rust blocks of `cloudapi`'s README (generated/README.md, from
/// templates/README.md.tmpl), compiled as doctests here because `cloudapi` turns its own
/// doctests off (its doc comments quote API descriptions, whose code samples are not Rust).
#[cfg(doctest)]
#[doc = include_str!("../../generated/README.md")]
pub struct CloudapiReadme;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives one level below the repository root")
        .to_path_buf()
}

/// The fixture specs (YAML and JSON) directly under tests/fixtures, in name order.
pub fn fixture_specs() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    specs
}

/// Generates a fixture the way its snapshot is made: module named after the
/// file, sharing `cloudapi::runtime`, or with the runtime inlined for a fixture
/// named `inline_runtime*`.
pub fn generate_fixture(spec: &std::path::Path) -> Result<String, cloudgen::Diagnostics> {
    let stem = spec
        .file_stem()
        .expect("a fixture has a file name")
        .to_string_lossy()
        .into_owned();
    let rel = spec
        .strip_prefix(repo_root())
        .unwrap_or(spec)
        .display()
        .to_string();
    let text = std::fs::read_to_string(spec).expect("the fixture is readable");
    let generator = if stem.starts_with("inline_runtime") {
        cloudgen::Generator::new().inline_runtime(true)
    } else {
        cloudgen::Generator::new().runtime_path("cloudapi::runtime")
    };
    // Fixtures named with `mock` also get the typed mocks, behind this crate's `mock` feature.
    let generator = generator.mocks(stem.contains("mock"));
    generator
        .module_name(stem)
        .generated_by(format!("cloudgen generate {rel}"))
        .generate_str(&rel, &text)
        .map(|g| g.code)
}
