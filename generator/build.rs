//! Embeds every file under templates/ so the generator works from any directory.

use std::fs;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut runtime: Vec<String> = fs::read_dir(root.join("runtime"))
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".rs"))
                .collect()
        })
        .unwrap_or_default();
    runtime.sort();
    let mut out = String::from(
        "/// The runtime files, by name, in name order.\npub const RUNTIME: &[(&str, &str)] = &[\n",
    );
    for name in &runtime {
        let path = root
            .join("runtime")
            .join(name)
            .canonicalize()
            .expect("template file exists: it was just listed");
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    // Example programs of the generated crate (templates/examples/*.rs), if any.
    let mut examples: Vec<String> = fs::read_dir(root.join("examples"))
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".rs"))
                .collect()
        })
        .unwrap_or_default();
    examples.sort();
    out.push_str("/// The example programs, by name, in name order.\npub const EXAMPLES: &[(&str, &str)] = &[\n");
    for name in &examples {
        let path = root
            .join("examples")
            .join(name)
            .canonicalize()
            .expect("example file exists: it was just listed");
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    for (konst, file) in [
        ("CARGO_TOML", "Cargo.toml.tmpl"),
        ("README_MD", "README.md.tmpl"),
        ("LIB_RS", "lib.rs.tmpl"),
    ] {
        let path = root
            .join(file)
            .canonicalize()
            .unwrap_or_else(|_| panic!("templates/{file} is missing"));
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "/// templates/{file}\npub const {konst}: &str = include_str!({:?});\n",
            path.display().to_string()
        ));
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("templates.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
