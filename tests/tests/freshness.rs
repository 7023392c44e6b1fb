//! generated/ is exactly what the generator makes from specs/ and templates/.

#[test]
fn generated_crate_is_fresh() {
    let (report, _) =
        cloudgen::regenerate(&cloudgen_tests::repo_root(), true).expect("regenerate --check runs");
    let stale: Vec<String> = report
        .changed
        .iter()
        .chain(report.extra.iter())
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo run -p cloudgen -- regenerate`. Stale files:\n  {}",
        stale.join("\n  ")
    );
}
