//! Each provider spec against the provider's list of official operations
//! (tests/reference/ops-*.txt, from `../shared/reference/`; see its README): prints covered /
//! total per provider, and fails when a spec has an operation the list does not know (a path
//! or method that is wrong) or when coverage drops below what has landed.
//!
//! Run: `cargo test -p cloudgen-tests --test api_coverage -- --nocapture`.

use std::collections::BTreeSet;
use std::path::Path;

/// (spec file, reference list, prefix the list writes before paths, least coverage landed).
const PROVIDERS: &[(&str, &str, &str, usize)] = &[
    ("upcloud", "ops-upcloud-core.txt", "/1.3", 89),
    ("unikraft", "ops-unikraft.txt", "/v1", 74),
    ("transip", "ops-transip.txt", "", 203),
];

/// Operations the provider's own documentation has and the reference list lacks (where the
/// two disagree, the documentation wins), each with where it is documented.
const DOCUMENTED_BEYOND_THE_LIST: &[(&str, &str, &str, &str)] = &[
    (
        "upcloud",
        "POST",
        "/server/{}/cancel",
        "seed 001 (servers chapter): Cancel server operation",
    ),
    (
        "upcloud",
        "GET",
        "/storage/template",
        "UpCloud API docs: list storages of one type (`/storage/{type}`); the list has only /storage/favorite",
    ),
    (
        "upcloud",
        "GET",
        "/storage/cdrom",
        "UpCloud API docs: list storages of one type (`/storage/{type}`); the list has only /storage/favorite",
    ),
    (
        "upcloud",
        "GET",
        "/storage/public",
        "UpCloud API docs: list storages of one type (`/storage/{type}`); the list has only /storage/favorite",
    ),
    (
        "upcloud",
        "GET",
        "/storage/private",
        "UpCloud API docs: list storages of one type (`/storage/{type}`); the list has only /storage/favorite",
    ),
    (
        "upcloud",
        "GET",
        "/storage/normal",
        "UpCloud API docs: list storages of one type (`/storage/{type}`); the list has only /storage/favorite",
    ),
    (
        "upcloud",
        "GET",
        "/storage/backup",
        "UpCloud API docs: list storages of one type (`/storage/{type}`); the list has only /storage/favorite",
    ),
    (
        "transip",
        "POST",
        "/auth",
        "seed 002 (authentication); the list names it only in a comment, as the clients' auth flow",
    ),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the workspace")
}

/// `/server/{uuid}/start` -> `/server/{}/start`: parameter names differ between sources.
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            c => out.push(c),
        }
    }
    let trimmed = out.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The (method, path shape) lines of a reference list, without `[sdk-only]` lines.
fn reference(file: &str, prefix: &str) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(root().join("tests/reference").join(file))
        .unwrap_or_else(|e| panic!("tests/reference/{file}: {e}"));
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .filter(|l| !l.contains("[sdk-only"))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let method = words.next()?.to_ascii_uppercase();
            let path = words.next()?;
            let path = path.strip_prefix(prefix).unwrap_or(path);
            Some((method, shape(path)))
        })
        .collect()
}

/// The (method, path shape) of every operation of `specs/<name>.yaml`.
fn spec_operations(name: &str) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(root().join(format!("specs/{name}.yaml")))
        .expect("the spec is readable");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let mut out = BTreeSet::new();
    let Some(paths) = doc.get("paths").and_then(|p| p.as_mapping()) else {
        return out;
    };
    for (path, item) in paths {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else {
            continue;
        };
        for (method, _) in item {
            let Some(method) = method.as_str() else {
                continue;
            };
            if ["get", "put", "post", "delete", "patch", "head", "options"].contains(&method) {
                out.insert((method.to_ascii_uppercase(), shape(path)));
            }
        }
    }
    out
}

#[test]
fn every_spec_operation_is_official_and_coverage_does_not_drop() {
    let mut report = String::from("\nprovider   covered / total\n");
    let mut problems = Vec::new();
    for (spec, list, prefix, floor) in PROVIDERS {
        let official = reference(list, prefix);
        let ours = spec_operations(spec);
        let covered = ours.intersection(&official).count();
        report.push_str(&format!("{spec:<10} {covered:>7} / {}\n", official.len()));
        let documented = |m: &str, p: &str| {
            DOCUMENTED_BEYOND_THE_LIST
                .iter()
                .any(|(s, dm, dp, _)| s == spec && *dm == m && *dp == p)
        };
        for (method, path) in ours.difference(&official) {
            if documented(method, path) {
                continue;
            }
            problems.push(format!(
                "specs/{spec}.yaml has {method} {path}, which tests/reference/{list} does not list"
            ));
        }
        if covered < *floor {
            problems.push(format!(
                "{spec}: {covered} operations covered, fewer than the {floor} that had landed"
            ));
        }
    }
    println!("{report}");
    assert!(problems.is_empty(), "{}\n{report}", problems.join("\n"));
}

#[test]
fn paths_compare_by_shape() {
    assert_eq!(shape("/server/{uuid}/start"), "/server/{}/start");
    assert_eq!(shape("/host/{HostID}/"), "/host/{}");
}
