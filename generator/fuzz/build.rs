//! Embeds every provider spec and fixture spec as a seed of `generate_mutated`, so
//! the target needs no files at run time.

use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut seeds: Vec<PathBuf> = Vec::new();
    for dir in [
        "specs",
        "tests/fixtures",
        "tests/fixtures/broken",
        "tests/fixtures/warnings",
    ] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        seeds.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json")),
        );
    }
    seeds.sort();
    let mut out =
        String::from("/// Seed specs: (file name, text).\npub const SEEDS: &[(&str, &str)] = &[\n");
    for seed in &seeds {
        let path = seed.canonicalize().expect("seed path");
        let name = seed.file_name().expect("a file").to_string_lossy();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("seeds.rs");
    std::fs::write(target, out).expect("write seeds.rs");
}
