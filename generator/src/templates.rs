//! The hand-written files under templates/, embedded at build time.

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The runtime as one inline module body, indented by `indent` spaces: each
/// `pub mod NAME;` line of `mod.rs` replaced by the file's contents, verbatim
/// (comments included). It is hand-written and formatted already, so the
/// single-file output splices it in instead of parsing and formatting it again.
pub fn runtime_inline(indent: usize) -> String {
    let find = |name: &str| {
        RUNTIME
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text)
    };
    let Some(root) = find("mod.rs") else {
        return String::new();
    };
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for line in root.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("pub mod ").and_then(|r| r.strip_suffix(';')) {
            if let Some(text) = find(&format!("{name}.rs")) {
                out.push_str(&format!(
                    "{pad}pub mod {name} {{\n{}{pad}}}\n",
                    indented(text, indent + 4)
                ));
                continue;
            }
        }
        if let Some(name) = t.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
            if let Some(text) = find(&format!("{name}.rs")) {
                out.push_str(&format!(
                    "{pad}mod {name} {{\n{}{pad}}}\n",
                    indented(text, indent + 4)
                ));
                continue;
            }
        }
        out.push_str(&indented(line, indent));
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
        let flat = super::runtime_inline(0);
        let indented = super::runtime_inline(8);
        assert!(flat.contains("pub mod "), "the runtime has modules");
        assert_ne!(flat, indented);
        assert_eq!(tokens(&flat), tokens(&indented));
    }
}
