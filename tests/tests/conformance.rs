//! Conformance with real traffic: every case of every `tests/conformance/*.jsonl` file goes
//! through the generated types by the code path `send()` uses.
//!
//! For each case the operation is found by provider, method and path template. A request body
//! must read as the operation's body type and write back the same JSON (`null` and absence
//! differ there). A response body must decode through the operation's own decode function for
//! its status, and writing the decoded value back must keep every member that was sent. A case
//! that matches no operation is uncovered: listed, not failed. A difference may be allowed by
//! `tests/conformance/allowlist.yaml`, each entry with its reason; an entry that allows nothing
//! fails the test, so the list cannot go stale.
//!
//! Run: `cargo test -p cloudgen-tests --test conformance -- --nocapture` prints the table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cloudapi::runtime::drift::{Drift, OperationInfo};
use serde::Deserialize;
use serde_json::Value;

/// One line of a corpus file (the format is in tests/conformance/README.md).
#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    provider: String,
    method: String,
    path: String,
    #[serde(default)]
    request_body: Value,
    status: u16,
    #[serde(default)]
    response_body: Value,
    #[serde(default)]
    request_body_unchecked: bool,
}

/// An allowed difference: a field of an operation (or of every operation, `*`), with why.
#[derive(Debug, Deserialize)]
struct Allowed {
    provider: String,
    operation: String,
    /// The field's path with indexes written `[]` (`data.instances[].fqdn`); a parent path
    /// covers the members below it. `*` covers every problem of the operation, also a body
    /// that does not read or a status it does not document: for cases the evidence shows
    /// to be wrong as a whole.
    field: String,
    reason: String,
}

impl Allowed {
    fn covers(&self, provider: &str, operation: &str, path: Option<&str>) -> bool {
        if self.provider != provider || (self.operation != "*" && self.operation != operation) {
            return false;
        }
        if self.field == "*" {
            return true;
        }
        let Some(path) = path else {
            return false;
        };
        let path = without_indexes(path);
        path == self.field
            || path.starts_with(&format!("{}.", self.field))
            || path.starts_with(&format!("{}[", self.field))
    }
}

/// `a[0].b[12]` -> `a[].b[]`.
fn without_indexes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

fn operations(provider: &str) -> Option<Vec<OperationInfo>> {
    match provider {
        "upcloud" => Some(cloudapi::upcloud::operations()),
        "transip" => Some(cloudapi::transip::operations()),
        "unikraft" => Some(cloudapi::unikraft::operations()),
        _ => None,
    }
}

/// How well a path template matches a path: the number of literal segments, or `None`.
fn match_score(template: &str, path: &str) -> Option<usize> {
    let template: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if template.len() != path.len() {
        return None;
    }
    let mut literal = 0;
    for (t, p) in template.iter().zip(&path) {
        if t.starts_with('{') && t.ends_with('}') {
            if p.is_empty() {
                return None;
            }
        } else if t == p {
            literal += 1;
        } else {
            return None;
        }
    }
    Some(literal)
}

/// The operations a case belongs to: every operation with the best-matching template (split
/// operations share one).
fn candidates<'a>(ops: &'a [OperationInfo], case: &Case) -> Vec<&'a OperationInfo> {
    let scored: Vec<(usize, &OperationInfo)> = ops
        .iter()
        .filter(|op| op.method.eq_ignore_ascii_case(&case.method))
        .filter_map(|op| match_score(op.path, &case.path).map(|s| (s, op)))
        .collect();
    let Some(best) = scored.iter().map(|(s, _)| *s).max() else {
        return Vec::new();
    };
    scored
        .into_iter()
        .filter(|(s, _)| *s == best)
        .map(|(_, op)| op)
        .collect()
}

#[derive(Default)]
struct Tally {
    cases: usize,
    passed: usize,
    failed: usize,
    uncovered: usize,
    uncovered_routes: BTreeMap<String, usize>,
}

/// The problems of one case, each checked against the allowlist as it is found.
struct Problems<'a> {
    provider: &'a str,
    allowed: &'a [Allowed],
    used: &'a mut [bool],
    found: Vec<String>,
}

impl Problems<'_> {
    /// Records a problem of `operation` at `path` (`None`: not at a field), unless allowed.
    fn add(&mut self, operation: &str, path: Option<&str>, message: String) {
        match self
            .allowed
            .iter()
            .position(|a| a.covers(self.provider, operation, path))
        {
            Some(i) => self.used[i] = true,
            None => self.found.push(message),
        }
    }

    fn drift(&mut self, what: &str, operation: &str, drift: &[Drift]) {
        for d in drift {
            self.add(
                operation,
                Some(&d.path),
                format!("{what}: `{operation}`: {d}"),
            );
        }
    }
}

/// Checks one case against its candidate operations: `Ok(())` or the problems found.
fn check_case(
    case: &Case,
    candidates: &[&OperationInfo],
    allowed: &[Allowed],
    used: &mut [bool],
) -> Result<(), Vec<String>> {
    let mut problems = Problems {
        provider: &case.provider,
        allowed,
        used,
        found: Vec::new(),
    };
    // The candidate whose body type reads the request body (the first one otherwise).
    let mut chosen = candidates[0];
    if !case.request_body.is_null() && !case.request_body_unchecked {
        let mut first_error: Option<(&str, Option<String>, String)> = None;
        let mut found = None;
        for op in candidates {
            match op.request {
                None => {
                    first_error.get_or_insert_with(|| {
                        let m = format!(
                            "request: `{}` sends no JSON body, but the case has one",
                            op.name
                        );
                        (op.name, None, m)
                    });
                }
                Some(check) => match check(&case.request_body) {
                    // A split operation's variants share one path: the one that keeps the
                    // whole body is the one the case is for.
                    Ok(drift) if drift.is_empty() => {
                        found = Some((*op, drift));
                        break;
                    }
                    Ok(drift) => {
                        if found.is_none() {
                            found = Some((*op, drift));
                        }
                    }
                    Err(e) => {
                        first_error.get_or_insert_with(|| {
                            let m =
                                format!("request: does not read as the body of `{}`: {e}", op.name);
                            (op.name, Some(e.path().to_owned()), m)
                        });
                    }
                },
            }
        }
        match found {
            Some((op, drift)) => {
                chosen = op;
                problems.drift("request", op.name, &drift);
            }
            None => {
                if let Some((op, path, message)) = first_error {
                    problems.add(op, path.as_deref(), message);
                }
            }
        }
    }
    let body = if case.response_body.is_null() {
        Vec::new()
    } else {
        serde_json::to_vec(&case.response_body).expect("a JSON value serializes")
    };
    match (chosen.response)(case.status, &body) {
        Err(e) => problems.add(
            chosen.name,
            Some(e.path()),
            format!(
                "response {}: `{}` fails to decode it: {e}",
                case.status, chosen.name
            ),
        ),
        Ok(checked) if checked.outcome == "unexpected" => problems.add(
            chosen.name,
            None,
            format!(
                "response {}: `{}` does not document this status",
                case.status, chosen.name
            ),
        ),
        Ok(checked) => problems.drift(
            &format!("response {}", case.status),
            chosen.name,
            &checked.drift,
        ),
    }
    if problems.found.is_empty() {
        Ok(())
    } else {
        Err(problems.found)
    }
}

#[test]
fn recorded_traffic_goes_through_the_generated_types() {
    let dir = conformance_dir();
    let allowed: Vec<Allowed> = serde_yaml::from_str(
        &std::fs::read_to_string(dir.join("allowlist.yaml"))
            .expect("tests/conformance/allowlist.yaml is readable"),
    )
    .expect("the allowlist is a YAML list of {provider, operation, field, reason}");
    for a in &allowed {
        assert!(
            !a.reason.trim().is_empty(),
            "allowlist entry without a reason: {a:?}"
        );
    }
    let mut used = vec![false; allowed.len()];
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/conformance exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no *.jsonl files under {}",
        dir.display()
    );

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = String::new();
    let mut tables: BTreeMap<String, Vec<OperationInfo>> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a corpus file is readable");
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let case: Case = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!("{}:{}: not a conformance case: {e}", file.display(), n + 1)
            });
            let tally = tallies.entry(case.provider.clone()).or_default();
            tally.cases += 1;
            if !tables.contains_key(&case.provider) {
                let ops = operations(&case.provider)
                    .unwrap_or_else(|| panic!("{}: unknown provider `{}`", case.id, case.provider));
                tables.insert(case.provider.clone(), ops);
            }
            let ops = &tables[&case.provider];
            let found = candidates(ops, &case);
            if found.is_empty() {
                tally.uncovered += 1;
                *tally
                    .uncovered_routes
                    .entry(format!("{} {}", case.method, route_shape(&case.path)))
                    .or_default() += 1;
                continue;
            }
            match check_case(&case, &found, &allowed, &mut used) {
                Ok(()) => tally.passed += 1,
                Err(problems) => {
                    tally.failed += 1;
                    let _ = writeln!(failures, "{} ({} {}):", case.id, case.method, case.path);
                    for p in problems {
                        let _ = writeln!(failures, "    {p}");
                    }
                }
            }
        }
    }

    let mut report = String::from("\nprovider   cases  passed  failed  uncovered\n");
    for (provider, t) in &tallies {
        let _ = writeln!(
            report,
            "{provider:<10} {:>5}  {:>6}  {:>6}  {:>9}",
            t.cases, t.passed, t.failed, t.uncovered
        );
    }
    for (provider, t) in &tallies {
        if t.uncovered_routes.is_empty() {
            continue;
        }
        let _ = writeln!(report, "\nuncovered {provider} routes (cases):");
        for (route, n) in &t.uncovered_routes {
            let _ = writeln!(report, "    {route} ({n})");
        }
    }
    println!("{report}");
    let stale: Vec<String> = allowed
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(a, _)| format!("{} {} {}", a.provider, a.operation, a.field))
        .collect();
    assert!(
        failures.is_empty() && stale.is_empty(),
        "conformance failures:\n{failures}\nallowlist entries that allow nothing (remove them): {stale:?}\n{report}"
    );
}

/// A path with its identifiers replaced, so that uncovered cases group by route.
fn route_shape(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let hexish =
                segment.len() >= 8 && segment.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
            let numeric = !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit());
            let address = segment.contains('.')
                && segment.chars().all(|c| c.is_ascii_digit() || c == '.')
                || segment.contains(':')
                    && segment.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
            if hexish || numeric || address {
                "{id}".to_string()
            } else {
                segment.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn a_template_matches_by_segments_and_prefers_literals() {
    assert_eq!(match_score("/server/{uuid}", "/server/00aa"), Some(2));
    assert_eq!(match_score("/server/size", "/server/size"), Some(3));
    assert_eq!(match_score("/server/{uuid}", "/server/"), None);
    assert_eq!(match_score("/server/{uuid}", "/server/a/b"), None);
    assert_eq!(without_indexes("a[0].b[12].c"), "a[].b[].c");
}
