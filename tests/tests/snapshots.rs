//! Every fixture spec generates exactly its checked-in snapshot (tests/fixtures/NAME.rs).
//! The snapshots are compiled by this crate's library, so they must also build.
//!
//! To accept new output: `UPDATE_SNAPSHOTS=1 cargo test -p cloudgen-tests --test snapshots`.

use cloudgen_tests::{fixture_specs, generate_fixture};

#[test]
fn every_fixture_matches_its_snapshot() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut problems = Vec::new();
    for spec in fixture_specs() {
        let snapshot = spec.with_extension("rs");
        let code = match generate_fixture(&spec) {
            Ok(code) => code,
            Err(d) => {
                problems.push(format!("{}: generation failed:\n{d}", spec.display()));
                continue;
            }
        };
        if update {
            std::fs::write(&snapshot, &code).expect("the snapshot is writable");
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(existing) if existing == code => {}
            Ok(_) => problems.push(format!(
                "{}: output differs from the snapshot",
                snapshot.display()
            )),
            Err(_) => problems.push(format!("{}: snapshot missing", snapshot.display())),
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nIf the change is intended, run: UPDATE_SNAPSHOTS=1 cargo test -p cloudgen-tests --test snapshots",
        problems.join("\n")
    );
}

#[test]
fn there_are_at_least_thirty_fixtures() {
    let n = fixture_specs().len();
    assert!(n >= 30, "only {n} fixture specs under tests/fixtures");
}

#[test]
fn no_snapshot_is_left_without_its_fixture() {
    let dir = cloudgen_tests::repo_root().join("tests/fixtures");
    for entry in std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
    {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "rs") {
            let has_spec = p.with_extension("yaml").exists() || p.with_extension("json").exists();
            assert!(
                has_spec,
                "{} has no fixture spec beside it; delete it",
                p.display()
            );
        }
    }
}
