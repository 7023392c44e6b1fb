//! Compiles every fixture snapshot (tests/fixtures/*.rs) into this crate, so a
//! snapshot that does not build fails the test run.

use std::fs;
use std::path::Path;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        let path = fixtures.join(&name);
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!("include!({:?});\n", path.display().to_string()));
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("snapshots.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
