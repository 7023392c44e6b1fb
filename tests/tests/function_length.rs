//! No function in `generator/src` is over 150 lines, so that each prints or decides one thing.
//! The sources are rustfmt-formatted, so a function runs from its `fn` line to the first `}` at
//! the same indentation.

use std::path::{Path, PathBuf};

/// The most lines a function may have, from its `fn` line to its closing brace.
const MAX_LINES: usize = 150;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The name of the function a line starts, if it starts one.
fn fn_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    if let Some(after) = rest.strip_prefix("pub") {
        rest = match after.strip_prefix('(') {
            Some(scoped) => scoped.split_once(") ")?.1,
            None => after.strip_prefix(' ')?,
        };
    }
    for qualifier in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    let name = rest.strip_prefix("fn ")?;
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    Some(&name[..end])
}

/// Every function of `text` with its length in lines.
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let indent = &line[..line.len() - line.trim_start().len()];
        // The signature ends at the first line ending in `{` (a body) or `;` (none).
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&j| lines[j] == close) {
            out.push((name.to_string(), end - i + 1));
        }
    }
    out
}

#[test]
fn the_length_scan_measures_a_function_from_fn_to_its_brace() {
    let text = "impl X {\n    pub(crate) fn a(\n        x: u8,\n    ) -> u8 {\n        x\n    }\n\n    fn b();\n}\nfn c() {}\n";
    assert_eq!(function_lengths(text), vec![("a".to_string(), 5)]);
}

#[test]
fn no_generator_function_is_over_150_lines() {
    let src = cloudgen_tests::repo_root().join("generator/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut too_long = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let rel = file
            .strip_prefix(&src)
            .expect("under generator/src")
            .to_string_lossy()
            .replace('\\', "/");
        for (name, lines) in function_lengths(&text) {
            if lines <= MAX_LINES {
                continue;
            }
            too_long.push(format!("{rel}: `{name}` has {lines} lines"));
        }
    }
    assert!(
        too_long.is_empty(),
        "functions over {MAX_LINES} lines; split them into functions that each do one thing:\n{}",
        too_long.join("\n")
    );
}
