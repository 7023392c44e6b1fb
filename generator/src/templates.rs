//! The hand-written files the generator uses: the runtime's sources, which travel inside the
//! `cloudgen-runtime` crate (for the inline mode), and the skeleton of the `cloudapi` crate under
//! `templates/`, read from the repository when `regenerate` runs there.

use std::path::Path;

/// The runtime files (`mod.rs` and one per submodule), by name, in name order.
pub const RUNTIME: &[(&str, &str)] = cloudgen_runtime::__sources::FILES;

/// The version of the runtime crate the generated code is written for.
pub const RUNTIME_VERSION: &str = cloudgen_runtime::__sources::VERSION;

/// The skeleton of the `cloudapi` crate, read from `root/templates/`.
pub struct CrateTemplates {
    /// templates/Cargo.toml.tmpl
    pub cargo_toml: String,
    /// templates/README.md.tmpl
    pub readme_md: String,
    /// templates/lib.rs.tmpl
    pub lib_rs: String,
    /// The example programs (templates/examples/*.rs), by name, in name order.
    pub examples: Vec<(String, String)>,
}

impl CrateTemplates {
    /// Reads the templates under `root/templates`.
    pub fn read(root: &Path) -> std::io::Result<CrateTemplates> {
        let dir = root.join("templates");
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .map_err(|e| std::io::Error::new(e.kind(), format!("templates/{name}: {e}")))
        };
        let mut examples = Vec::new();
        let listing = std::fs::read_dir(dir.join("examples"))
            .map_err(|e| std::io::Error::new(e.kind(), format!("templates/examples: {e}")))?;
        for entry in listing {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rs") {
                let text = read(&format!("examples/{name}"))?;
                examples.push((name, text));
            }
        }
        examples.sort();
        Ok(CrateTemplates {
            cargo_toml: read("Cargo.toml.tmpl")?,
            readme_md: read("README.md.tmpl")?,
            lib_rs: read("lib.rs.tmpl")?,
            examples,
        })
    }
}

/// The runtime as one inline module body, indented by `indent` spaces: each `pub mod NAME;`
/// line of `mod.rs` replaced by the file's contents, verbatim (comments included), and each
/// item marked `#[cfg(feature = "F")]` kept (without the marker) when `features` has `F`,
/// dropped otherwise. Doc examples are left out: they name the `cloudgen_runtime` crate and
/// are compiled as its doctests. It is hand-written and formatted already, so the single-file output
/// splices it in instead of parsing and formatting it again.
pub fn runtime_inline(indent: usize, features: &[&str]) -> String {
    let find = |name: &str| {
        RUNTIME
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| without_doc_examples(&select_features(text, features)))
    };
    let Some(root) = find("mod.rs") else {
        return String::new();
    };
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for line in root.lines() {
        let t = line.trim();
        let (keyword, rest) = match t.strip_prefix("pub mod ") {
            Some(rest) => ("pub mod", rest),
            None => ("mod", t.strip_prefix("mod ").unwrap_or_default()),
        };
        if let Some(name) = rest.strip_suffix(';') {
            if let Some(text) = find(&format!("{name}.rs")) {
                out.push_str(&format!(
                    "{pad}{keyword} {name} {{\n{}{pad}}}\n",
                    indented(&text, indent + 4)
                ));
                continue;
            }
        }
        out.push_str(&indented(line, indent));
    }
    out
}

/// `text` without its doc examples (the fenced blocks of `///` and `//!` comments), together
/// with the empty doc line before each.
fn without_doc_examples(text: &str) -> String {
    let fence = |line: &str| {
        let t = line.trim_start();
        let doc = t.strip_prefix("///").or_else(|| t.strip_prefix("//!"));
        doc.is_some_and(|d| d.trim_start().starts_with("```"))
    };
    let mut out: Vec<&str> = Vec::with_capacity(text.len() / 32);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !fence(line) {
            out.push(line);
            continue;
        }
        if out
            .last()
            .is_some_and(|l| matches!(l.trim(), "///" | "//!"))
        {
            out.pop();
        }
        for inner in lines.by_ref() {
            if fence(inner) {
                break;
            }
        }
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}

/// `text` with its `#[cfg(feature = "F")]` markers resolved: the marker line goes, and so does
/// the item after it (up to the first line at the marker's indentation that ends with `;` or
/// is `}`) unless `features` has `F`.
fn select_features(text: &str, features: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        let Some(feature) = t
            .strip_prefix("#[cfg(feature = \"")
            .and_then(|r| r.strip_suffix("\")]"))
        else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        if features.contains(&feature) {
            continue;
        }
        let pad = &line[..line.len() - line.trim_start().len()];
        for item in lines.by_ref() {
            let at_pad = item.starts_with(pad) && !item[pad.len()..].starts_with(' ');
            let it = item.trim();
            if at_pad
                && !it.starts_with("///")
                && !it.starts_with("#[")
                && (it.ends_with(';') || it == "}")
            {
                break;
            }
        }
    }
    out
}

/// `text` with every non-empty line indented by `indent` spaces. The runtime has
/// no string literal spanning lines without a `\` continuation, so this changes
/// no value.
fn indented(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str(&pad);
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use proc_macro2::{TokenStream, TokenTree};

    /// Every token, with string literals by value and groups flattened.
    fn tokens(text: &str) -> Vec<String> {
        fn walk(stream: TokenStream, out: &mut Vec<String>) {
            for tree in stream {
                match tree {
                    TokenTree::Group(group) => {
                        out.push(format!("{:?}", group.delimiter()));
                        walk(group.stream(), out);
                    }
                    TokenTree::Literal(literal) => match syn::Lit::new(literal) {
                        syn::Lit::Str(s) => out.push(format!("str {:?}", s.value())),
                        other => out.push(quote::quote!(#other).to_string()),
                    },
                    other => out.push(other.to_string()),
                }
            }
        }
        let stream: TokenStream = text.parse().expect("the runtime tokenizes");
        let mut out = Vec::new();
        walk(stream, &mut out);
        out
    }

    #[test]
    fn indenting_the_runtime_changes_no_token_or_string_value() {
        let all = ["envelope", "multipart", "token-exchange"];
        let flat = super::runtime_inline(0, &all);
        let indented = super::runtime_inline(8, &all);
        assert!(flat.contains("pub mod "), "the runtime has modules");
        assert_ne!(flat, indented);
        assert_eq!(tokens(&flat), tokens(&indented));
    }
}

#[cfg(test)]
mod feature_tests {
    #[test]
    fn an_item_of_a_feature_goes_unless_the_feature_is_wanted() {
        let text = "pub mod a;\n#[cfg(feature = \"x\")]\npub use self::a::{\n    B,\n    C,\n};\nimpl D {\n    #[cfg(feature = \"y\")]\n    /// Doc.\n    pub fn y(self) -> Self {\n        self\n    }\n\n    pub fn z() {}\n}\n";
        let none = super::select_features(text, &[]);
        assert_eq!(none, "pub mod a;\nimpl D {\n\n    pub fn z() {}\n}\n");
        let both = super::select_features(text, &["x", "y"]);
        assert_eq!(
            both,
            text.replace("#[cfg(feature = \"x\")]\n", "")
                .replace("    #[cfg(feature = \"y\")]\n", "")
        );
    }

    #[test]
    fn doc_examples_stay_in_the_runtime_crate() {
        let text = "/// Does a.\n///\n/// ```\n/// a();\n/// ```\nfn a() {}\n//! B.\n//!\n//! ```no_run\n//! b();\n//! ```\n//!\n//! More.\n";
        assert_eq!(
            super::without_doc_examples(text),
            "/// Does a.\nfn a() {}\n//! B.\n//!\n//! More.\n"
        );
        let all = ["envelope", "multipart", "token-exchange"];
        assert!(!super::runtime_inline(0, &all).contains("```"));
    }

    #[test]
    fn the_inline_runtime_has_a_feature_module_only_when_asked() {
        assert!(!super::runtime_inline(0, &[]).contains("pub mod envelope {"));
        assert!(super::runtime_inline(0, &["envelope"]).contains("pub mod envelope {"));
        let inline = super::runtime_inline(0, &[]);
        assert!(!inline
            .lines()
            .any(|l| l.trim().starts_with("#[cfg(feature")));
    }
}
