//! Doc comments from spec text, made safe for rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Doc;

/// Makes spec prose safe as a doc comment: fenced blocks without a language
/// (which rustdoc would compile as Rust) are marked `text`, indented lines
/// (which rustdoc would treat as code) lose their indentation, and bare
/// URLs get angle brackets so they render as links.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            if !in_fence {
                let lang = lang.trim();
                if lang.is_empty() || lang == "rust" || lang.starts_with("rust,") {
                    out.push("```text".to_string());
                } else {
                    out.push(format!("```{lang}"));
                }
            } else {
                out.push("```".to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
        } else {
            let indent = line.len() - trimmed.len();
            let prefix = if indent >= 2 && (trimmed.starts_with("- ") || trimmed.starts_with("* "))
            {
                "  "
            } else {
                ""
            };
            out.push(format!("{prefix}{}", link_urls(trimmed.trim_end())));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

fn link_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("http") {
        let (before, candidate) = rest.split_at(i);
        out.push_str(before);
        let is_url = candidate.starts_with("http://") || candidate.starts_with("https://");
        let preceded = before.ends_with('<')
            || before.ends_with('(')
            || before.ends_with('"')
            || before.ends_with('`')
            || before.ends_with('[')
            || before.ends_with('\'');
        if is_url && !preceded {
            let end = candidate
                .find(|c: char| {
                    c.is_whitespace()
                        || c == ')'
                        || c == '>'
                        || c == '"'
                        || c == '\''
                        || c == '`'
                        || c == ']'
                })
                .unwrap_or(candidate.len());
            let mut url = &candidate[..end];
            while url.ends_with('.')
                || url.ends_with(',')
                || url.ends_with(';')
                || url.ends_with(':')
            {
                url = &url[..url.len() - 1];
            }
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &candidate[url.len()..];
        } else {
            out.push_str(&candidate[..4]);
            rest = &candidate[4..];
        }
    }
    out.push_str(rest);
    out
}

/// `#[doc]` attributes for a documented item; `fallback` when the spec says nothing.
pub fn doc_attrs(doc: &Doc, fallback: &str) -> TokenStream {
    spec_docs(doc, Some(fallback)).unwrap_or_default()
}

/// `#[doc]` attributes for what the spec says of an item, or `None` when it says nothing:
/// a filler line ("The `zone` property.") would tell the reader nothing.
pub fn item_docs(doc: &Doc) -> Option<TokenStream> {
    spec_docs(doc, None)
}

fn spec_docs(doc: &Doc, fallback: Option<&str>) -> Option<TokenStream> {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(s) = doc.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        paragraphs.push(sanitize(s.trim()));
    }
    if let Some(d) = doc.description.as_deref().filter(|s| !s.trim().is_empty()) {
        let d = sanitize(d.trim());
        if !paragraphs.contains(&d) {
            paragraphs.push(d);
        }
    }
    if let (true, Some(fallback)) = (paragraphs.is_empty(), fallback) {
        paragraphs.push(fallback.to_string());
    }
    if doc.deprecated {
        // A doc note rather than `#[deprecated]`: the generated code itself uses
        // these items, and the attribute would make it warn.
        paragraphs.push("**Deprecated** in the API description.".to_string());
    }
    if let Some(default) = &doc.default {
        paragraphs.push(format!(
            "Defaults to `{}` on the server.",
            default.to_string().replace('`', "'")
        ));
    }
    if let Some(example) = &doc.example {
        let pretty = serde_json::to_string_pretty(example).unwrap_or_default();
        if pretty.len() <= 2000 {
            paragraphs.push(format!("Example:\n```json\n{pretty}\n```"));
        }
    }
    if paragraphs.is_empty() {
        return None;
    }
    Some(lines_to_attrs(&paragraphs.join("\n\n")))
}

/// `#[doc]` attributes for literal text, one per line.
pub fn lines_to_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_without_language_become_text() {
        assert_eq!(sanitize("```\nx\n```"), "```text\nx\n```");
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
    }

    #[test]
    fn bare_urls_get_brackets() {
        assert_eq!(sanitize("see https://a.b/c."), "see <https://a.b/c>.");
        assert_eq!(sanitize("<https://a.b>"), "<https://a.b>");
    }

    #[test]
    fn indented_lines_are_not_code_blocks() {
        assert_eq!(sanitize("a\n    b"), "a\nb");
    }
}
