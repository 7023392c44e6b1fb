//! Identifier rules, in one place: wire names become safe, unique Rust names.
//!
//! Every Rust name the generator writes is made here. The wire name always
//! stays beside it (in the IR), so serde can rename back.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};

/// Words that cannot be an identifier even as a raw identifier (`r#self` is invalid).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Rust keywords, strict and reserved, of the 2021 edition.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Type names that generated code refers to unqualified, so a spec type may not take them.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "Serialize",
    "Deserialize",
    "PartialEq",
    "Eq",
    "Hash",
    "Into",
    "From",
];

/// True when `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Replaces every character that cannot be in an identifier with a word break.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '_' || c == '-' || c == ' ' || c == '.' || c == '/' {
            out.push('_');
        } else {
            // Other symbols and non-ASCII letters become word breaks too;
            // names made only of them fall back to a positional name later.
            out.push('_');
        }
    }
    out
}

/// A snake_case identifier for a field, parameter, method or module, not yet made unique.
/// Keywords become raw identifiers (`r#type`); those that cannot be raw get a `_` suffix.
pub fn snake_ident(raw: &str, fallback: &str) -> String {
    let mut s = clean(raw).to_snake_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("{fallback}_{s}");
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A PascalCase identifier for a type or variant, not yet made unique.
pub fn pascal_ident(raw: &str, fallback: &str) -> String {
    let mut s = clean(raw).to_pascal_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("{fallback}{s}");
    }
    if NOT_RAW.contains(&s.as_str()) || is_keyword(&s) {
        // `Self` cannot be a type or variant name; a suffix keeps it UpperCamelCase.
        s.push_str("Value");
    }
    s
}

/// Renders an identifier for source: keywords that may be raw become `r#kw`.
pub fn ident_source(name: &str) -> String {
    if is_keyword(name) && !NOT_RAW.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// Hands out names that are unique within one scope: a second `foo` becomes `foo_2`.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    used: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope in which the reserved type names are already taken.
    pub fn for_types() -> Self {
        let mut scope = Scope::new();
        for r in RESERVED_TYPES {
            scope.used.insert((*r).to_string());
        }
        scope
    }

    /// Marks `name` as taken without returning a new name.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    /// Makes `base` unique in this scope, with a separator fitting its case.
    pub fn unique(&mut self, base: &str) -> String {
        let snake = base
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let mut n = 2;
        loop {
            let candidate = if snake {
                format!("{}_{n}", base.trim_end_matches('_'))
            } else {
                format!("{base}{n}")
            };
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// The reason phrase of an HTTP status used to name a response variant (`404` → `NotFound`).
pub fn status_variant(code: u16) -> String {
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake_ident("type", "field"), "type");
        assert_eq!(ident_source("type"), "r#type");
        assert_eq!(snake_ident("self", "field"), "self_");
        assert_eq!(pascal_ident("self", "Type"), "SelfValue");
    }

    #[test]
    fn leading_digits_and_symbols_get_fallbacks() {
        assert_eq!(pascal_ident("2fa", "V"), "V2fa");
        assert_eq!(pascal_ident("", "Empty"), "Empty");
        assert_eq!(snake_ident("+", "field"), "field");
        assert_eq!(snake_ident("fooBar", "field"), "foo_bar");
    }

    #[test]
    fn scope_suffixes_collisions() {
        let mut s = Scope::new();
        assert_eq!(s.unique("foo_bar"), "foo_bar");
        assert_eq!(s.unique("foo_bar"), "foo_bar_2");
        let mut t = Scope::for_types();
        assert_eq!(t.unique("Option"), "Option2");
    }
}
