//! The hand-written files under templates/, embedded at build time.

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The runtime as one inline module body: each `pub mod NAME;` line of
/// `mod.rs` replaced by the file's contents.
pub fn runtime_inline() -> String {
    let find = |name: &str| {
        RUNTIME
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text)
    };
    let Some(root) = find("mod.rs") else {
        return String::new();
    };
    let mut out = String::new();
    for line in root.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("pub mod ").and_then(|r| r.strip_suffix(';')) {
            if let Some(text) = find(&format!("{name}.rs")) {
                out.push_str(&format!("pub mod {name} {{\n{text}\n}}\n"));
                continue;
            }
        }
        if let Some(name) = t.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
            if let Some(text) = find(&format!("{name}.rs")) {
                out.push_str(&format!("mod {name} {{\n{text}\n}}\n"));
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
