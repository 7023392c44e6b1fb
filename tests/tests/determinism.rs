//! The same spec gives byte-identical output every time.

use cloudgen_tests::repo_root;

#[test]
fn each_provider_spec_generates_identical_bytes_five_times() {
    for spec in cloudgen::spec_files(&repo_root()).expect("specs/ is readable") {
        let first = cloudgen::Generator::new()
            .generate(&spec)
            .expect("provider specs generate");
        for run in 2..=5 {
            let again = cloudgen::Generator::new()
                .generate(&spec)
                .expect("provider specs generate");
            assert!(
                again == first,
                "{}: run {run} differs from run 1",
                spec.display()
            );
        }
    }
}

#[test]
fn the_whole_crate_builds_identically_twice() {
    let (a, _) = cloudgen::build_crate(&repo_root()).expect("the crate builds");
    let (b, _) = cloudgen::build_crate(&repo_root()).expect("the crate builds");
    assert_eq!(
        a.files.keys().collect::<Vec<_>>(),
        b.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &a.files {
        assert!(
            b.files[path] == *text,
            "{} differs between two builds",
            path.display()
        );
    }
}

#[test]
fn each_fixture_generates_identical_bytes_five_times() {
    for spec in cloudgen_tests::fixture_specs() {
        let first = cloudgen_tests::generate_fixture(&spec).expect("fixtures generate");
        for _ in 2..=5 {
            assert!(
                cloudgen_tests::generate_fixture(&spec).expect("fixtures generate") == first,
                "{} is unstable",
                spec.display()
            );
        }
    }
}
