//! Failure classes found by the corpus run (`cargo run --release -p cloudgen-tests
//! --bin corpus`) that a snapshot fixture cannot show: refusals and names.

use cloudgen::Generator;

/// A spec with `n` GET operations.
fn spec_with_operations(n: usize) -> String {
    let mut s = String::from("openapi: 3.0.3\ninfo:\n  title: Huge\n  version: 1.0.0\npaths:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  /r{i}:\n    get:\n      operationId: op{i}\n      responses:\n        \"204\":\n          description: ok\n"
        ));
    }
    s
}

/// Microsoft Graph (11,422 and 22,361 operations) was refused as `too-large` for
/// having more than 5,000 operations. A document is not refused for being large:
/// 5,001 operations generate.
#[test]
fn many_operations_generate() {
    let spec = spec_with_operations(5001);
    let (api, _) = Generator::new()
        .lower_str("huge.yaml", &spec)
        .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(api.operations.len(), 5001);
}

/// Only hostile input is refused for its size: over 256 MiB, before any parsing.
#[test]
fn documents_over_the_byte_limit_are_refused_quickly() {
    let mut spec = spec_with_operations(1);
    spec.push_str(&" ".repeat(cloudgen::load::MAX_DOCUMENT_BYTES));
    let started = std::time::Instant::now();
    let err = Generator::new()
        .generate_str("huge.yaml", &spec)
        .expect_err("too large");
    let d = err.iter().next().expect("one diagnostic");
    assert_eq!(d.kind, "too-large", "{err}");
    assert!(d.message.contains("256 MiB"), "{}", d.message);
    assert!(d.message.contains("hostile input"), "{}", d.message);
    assert!(
        started.elapsed().as_secs() < 10,
        "refusing took {:?}",
        started.elapsed()
    );
}

/// mastercard.com/MATCH.json: a module named like a keyword did not parse.
#[test]
fn a_keyword_module_name_gets_a_suffix() {
    let spec = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths: {}\n";
    for name in ["match", "MATCH", "type", "self"] {
        let g = Generator::new()
            .module_name(name)
            .generate_str("spec.yaml", spec)
            .unwrap_or_else(|d| panic!("{name}: {d}"));
        assert!(
            g.module.ends_with('_'),
            "{name} became the module `{}`",
            g.module
        );
        assert!(g.code.contains(&format!("pub mod {} {{", g.module)));
    }
}

/// api.video.json, cpy.re/peertube.json: a document of the wrong shape is an
/// `invalid-structure` diagnostic, never an internal error.
#[test]
fn a_path_item_that_is_a_string_is_invalid_structure() {
    let spec = "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a: '#/components/callbacks/x'\n";
    let err = Generator::new()
        .generate_str("spec.yaml", spec)
        .expect_err("a string path item");
    assert_eq!(
        err.iter().next().map(|d| d.kind.as_str()),
        Some("invalid-structure"),
        "{err}"
    );
}
