//! Each provider spec against the provider's list of official operations
//! (tests/reference/ops-*.txt, from `../shared/reference/`; see its README): prints covered /
//! wanted per provider (the listed operations less those the evidence shows the real API does
//! not have and less those the provider marks deprecated), and fails when a spec has an
//! operation the list does not know (a path or method that is wrong), one known not to be real
//! or one deprecated by the provider, when a deprecated one is not named in the spec's
//! description, or when coverage drops below what has landed.
//!
//! Run: `cargo test -p cloudgen-tests --test api_coverage -- --nocapture`.

use std::collections::BTreeSet;
use std::path::Path;

/// (spec file, reference list, prefix the list writes before paths, least coverage landed).
const PROVIDERS: &[(&str, &str, &str, usize)] = &[
    ("upcloud", "ops-upcloud-core.txt", "/1.3", 100),
    ("unikraft", "ops-unikraft.txt", "/v1", 74),
    ("transip", "ops-transip.txt", "", 265),
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

/// Lines of a reference list that the real API does not have, each with the evidence. They are
/// counted apart, so that coverage reads "of what is real": `covered / (listed - not real)`. A
/// spec must not have them, and each must still be a line of its list.
const LISTED_BUT_NOT_REAL: &[(&str, &str, &str, &str)] = &[
    (
        "upcloud",
        "PUT",
        "/network/{}/router",
        "marked [manual, unverified path] in the list; upcloud-go-api's AttachNetworkRouter and \
         DetachNetworkRouter send PUT /network/{uuid} with {\"network\": {\"router\": ...}}, as \
         recorded (createtwonetworkstwoserversandarouter #3, #5, #19): modifyNetwork covers it",
    ),
    (
        "upcloud",
        "PUT",
        "/server",
        "UpCloud's description 0.0.83 has PUT /server (ModifyServer) with no identifier and no \
         other /server/{uuid} path at all; the API docs (chapter 8), upcloud-go-api's \
         ModifyServer and recorded traffic (createmodifydeleteserver #2) modify a server with \
         PUT /server/{uuid}, which modifyServer covers",
    ),
    (
        "upcloud",
        "POST",
        "/storage/{}/attach",
        "only in UpCloud's description 0.0.83, whose body is the server-side attach body \
         (storage_device: address, storage, type) naming no server; the API docs (chapter 9), \
         upcloud-go-api's AttachStorage and recorded traffic attach with \
         POST /server/{uuid}/storage/attach, which attachStorage covers",
    ),
    (
        "upcloud",
        "POST",
        "/storage/{}/detach",
        "only in UpCloud's description 0.0.83 (paired with the attach above, which has no \
         /server/{uuid} paths); the API docs (chapter 9), upcloud-go-api's DetachStorage and \
         recorded traffic detach with POST /server/{uuid}/storage/detach naming the device's \
         address, which detachStorage covers",
    ),
];

/// Lines of a reference list that the provider itself marks deprecated, each with the evidence.
/// Issue 13 leaves them out of the specs: they are counted apart, like `LISTED_BUT_NOT_REAL`, so
/// that coverage reads `covered / (listed - deprecated - not real)`. A spec must not have them,
/// its `info.description` must name each (path as the list writes it), and each must still be a
/// line of its list.
const DEPRECATED_BY_THE_PROVIDER: &[(&str, &str, &str, &str)] = &[(
    "transip",
    "GET",
    "/acronis/tenants/{tenantUuid}/usage",
    "TransIP's API description 6.53 marks the operation [DEPRECATED] in its summary and points \
     to the `usages` resource instead; listAcronisTenantUsages covers \
     GET /acronis/tenants/{tenantUuid}/usages",
)];

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

/// `specs/<name>.yaml` as YAML.
fn spec_document(name: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(root().join(format!("specs/{name}.yaml")))
        .expect("the spec is readable");
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

/// The (method, path shape) of every operation of a spec document.
fn spec_operations(doc: &serde_yaml::Value) -> BTreeSet<(String, String)> {
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

/// The (method, path shape) lines of `entries` for `spec`.
fn entries_of(entries: &[(&str, &str, &str, &str)], spec: &str) -> BTreeSet<(String, String)> {
    entries
        .iter()
        .filter(|(s, ..)| *s == spec)
        .map(|(_, m, p, _)| ((*m).to_owned(), shape(p)))
        .collect()
}

/// Problems with the deprecated operations of `spec`: not listed, in the spec, or not named in
/// the spec's description.
fn deprecated_problems(
    spec: &str,
    list: &str,
    prefix: &str,
    doc: &serde_yaml::Value,
) -> Vec<String> {
    let listed = reference(list, prefix);
    let ours = spec_operations(doc);
    let description = doc
        .get("info")
        .and_then(|i| i.get("description"))
        .and_then(|d| d.as_str())
        .unwrap_or_default();
    let mut problems = Vec::new();
    for (s, method, path, _) in DEPRECATED_BY_THE_PROVIDER {
        if *s != spec {
            continue;
        }
        let key = ((*method).to_owned(), shape(path));
        if !listed.contains(&key) {
            problems.push(format!(
                "DEPRECATED_BY_THE_PROVIDER has {spec} {method} {path}, which \
                 tests/reference/{list} does not list: remove the entry"
            ));
        }
        if ours.contains(&key) {
            problems.push(format!(
                "specs/{spec}.yaml has {method} {path}, which the provider marks deprecated"
            ));
        }
        if !description.contains(&format!("{method} {path}")) {
            problems.push(format!(
                "specs/{spec}.yaml's info.description does not name the deprecated \
                 `{method} {path}`"
            ));
        }
    }
    problems
}

#[test]
fn every_spec_operation_is_official_and_coverage_does_not_drop() {
    let mut report =
        String::from("\nprovider   covered / wanted  (listed, not real, deprecated)\n");
    let mut problems = Vec::new();
    for (spec, list, prefix, floor) in PROVIDERS {
        let listed = reference(list, prefix);
        let not_real = entries_of(LISTED_BUT_NOT_REAL, spec);
        for (method, path) in not_real.difference(&listed) {
            problems.push(format!(
                "LISTED_BUT_NOT_REAL has {spec} {method} {path}, which tests/reference/{list} \
                 does not list: remove the entry"
            ));
        }
        let doc = spec_document(spec);
        problems.extend(deprecated_problems(spec, list, prefix, &doc));
        let deprecated = entries_of(DEPRECATED_BY_THE_PROVIDER, spec);
        let wanted: BTreeSet<(String, String)> = listed
            .difference(&not_real)
            .filter(|op| !deprecated.contains(*op))
            .cloned()
            .collect();
        let ours = spec_operations(&doc);
        let covered = ours.intersection(&wanted).count();
        report.push_str(&format!(
            "{spec:<10} {covered:>7} / {:<6}  ({}, {}, {})\n",
            wanted.len(),
            listed.len(),
            listed.intersection(&not_real).count(),
            listed.intersection(&deprecated).count()
        ));
        let documented = |m: &str, p: &str| {
            DOCUMENTED_BEYOND_THE_LIST
                .iter()
                .any(|(s, dm, dp, _)| s == spec && *dm == m && *dp == p)
        };
        for (method, path) in ours.intersection(&not_real) {
            problems.push(format!(
                "specs/{spec}.yaml has {method} {path}, which LISTED_BUT_NOT_REAL says the real \
                 API does not have"
            ));
        }
        for (method, path) in ours.difference(&listed) {
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
    for (title, entries) in [
        ("listed but not real", LISTED_BUT_NOT_REAL),
        ("deprecated by the provider", DEPRECATED_BY_THE_PROVIDER),
    ] {
        if !entries.is_empty() {
            report.push_str(&format!("\n{title}:\n"));
            for (spec, method, path, evidence) in entries {
                report.push_str(&format!("  {spec} {method} {path}: {evidence}\n"));
            }
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

#[test]
fn a_deprecated_route_in_the_spec_or_missing_from_its_description_is_a_problem() {
    let (_, method, path, _) = DEPRECATED_BY_THE_PROVIDER[0];
    let lower = method.to_ascii_lowercase();
    let with_route: serde_yaml::Value = serde_yaml::from_str(&format!(
        "info: {{ description: no word of it }}\npaths:\n  {path}:\n    {lower}: {{}}\n"
    ))
    .expect("YAML");
    let problems = deprecated_problems("transip", "ops-transip.txt", "", &with_route);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    let named: serde_yaml::Value = serde_yaml::from_str(&format!(
        "info: {{ description: 'left out: `{method} {path}`' }}\npaths: {{}}\n"
    ))
    .expect("YAML");
    assert!(deprecated_problems("transip", "ops-transip.txt", "", &named).is_empty());
}
