//! Problems found in a spec, collected across a whole phase and reported together.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation continues; the output is still correct but may be less precise.
    Warning,
    /// Generation stops after the phase that found it.
    Error,
}

/// The kind of a problem. Its `as_str()` is the stable kebab-case identifier printed in
/// brackets (`error[bad-extension]: ...`), which users and tests match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// `allof-primitive`: An `allOf` part that is not an object, merged into an object.
    AllofPrimitive,
    /// `bad-extension`: An `x-cloudgen-*` key with a wrong shape or one that cannot apply where it is.
    BadExtension,
    /// `bad-setting`: A generator setting (not the spec) that cannot be used.
    BadSetting,
    /// `duplicate-auth`: A second security scheme of a kind the client already covers.
    DuplicateAuth,
    /// `duplicate-operation-id`: Two operations with the same `operationId`.
    DuplicateOperationId,
    /// `external-ref`: A `$ref` into another file.
    ExternalRef,
    /// `internal`: A bug in the generator, not in the spec.
    Internal,
    /// `invalid-ref-target`: A `$ref` whose target is not the object it must be.
    InvalidRefTarget,
    /// `invalid-schema`: A `$ref` to a node that is not a schema.
    InvalidSchema,
    /// `invalid-structure`: A document that does not follow the OpenAPI structure.
    InvalidStructure,
    /// `io`: A file that cannot be read or written.
    Io,
    /// `json-schema-dialect`: An OpenAPI 3.1 `jsonSchemaDialect` other than the default.
    JsonSchemaDialect,
    /// `json-syntax`: A JSON syntax error.
    JsonSyntax,
    /// `missing-version`: A document without an `openapi` field.
    MissingVersion,
    /// `mixed-enum`: An `enum` whose values are of different JSON types.
    MixedEnum,
    /// `mixed-union`: A union whose variants cannot all be told apart.
    MixedUnion,
    /// `name-collision`: A Rust name already taken, suffixed.
    NameCollision,
    /// `no-out-dir`: `OUT_DIR` is not set outside a build script.
    NoOutDir,
    /// `no-responses`: An operation without responses.
    NoResponses,
    /// `not-a-mapping`: A document root that is not a mapping.
    NotAMapping,
    /// `ref-cycle`: A cycle of `$ref`s that never reaches a schema.
    RefCycle,
    /// `ref-sibling-ignored`: Keys beside a `$ref` that OpenAPI 3.0 ignores.
    RefSiblingIgnored,
    /// `required-not-defined`: `required` naming a property the object does not define.
    RequiredNotDefined,
    /// `too-deep`: A document nested deeper than the generator follows.
    TooDeep,
    /// `too-large`: A document larger than the generator reads.
    TooLarge,
    /// `undeclared-path-param`: A path template variable without a parameter.
    UndeclaredPathParam,
    /// `union-catch-all`: Union variants accepting any JSON value, tried last.
    UnionCatchAll,
    /// `unknown-extension`: An `x-cloudgen-*` key the generator does not know.
    UnknownExtension,
    /// `unknown-type`: A schema `type` that does not exist.
    UnknownType,
    /// `unresolved-ref`: A `$ref` to nothing.
    UnresolvedRef,
    /// `unsupported-auth`: A security scheme the client cannot send.
    UnsupportedAuth,
    /// `unsupported-body`: A request body media type the client cannot send.
    UnsupportedBody,
    /// `unsupported-cookie`: A cookie parameter.
    UnsupportedCookie,
    /// `unsupported-keyword`: A schema keyword without an equivalent in the generated code.
    UnsupportedKeyword,
    /// `unsupported-not`: A `not` schema.
    UnsupportedNot,
    /// `unsupported-param-content`: A parameter described by `content` instead of `schema`.
    UnsupportedParamContent,
    /// `unsupported-ref`: A `$ref` where the generator does not follow one.
    UnsupportedRef,
    /// `unsupported-style`: A parameter serialization style the client does not write.
    UnsupportedStyle,
    /// `unsupported-version`: An OpenAPI version other than 3.0.x or 3.1.x.
    UnsupportedVersion,
    /// `untagged-discriminator`: A discriminator the generator cannot use as a tag.
    UntaggedDiscriminator,
    /// `unused-path-param`: A path parameter missing from the path template.
    UnusedPathParam,
    /// `webhooks-ignored`: OpenAPI 3.1 webhooks, which are not generated.
    WebhooksIgnored,
    /// `yaml-syntax`: A YAML syntax error.
    YamlSyntax,
    /// `yaml-value`: A YAML value that JSON cannot represent.
    YamlValue,
}

impl DiagnosticKind {
    /// Every kind, in the order declared.
    pub const ALL: &'static [DiagnosticKind] = &[
        DiagnosticKind::AllofPrimitive,
        DiagnosticKind::BadExtension,
        DiagnosticKind::BadSetting,
        DiagnosticKind::DuplicateAuth,
        DiagnosticKind::DuplicateOperationId,
        DiagnosticKind::ExternalRef,
        DiagnosticKind::Internal,
        DiagnosticKind::InvalidRefTarget,
        DiagnosticKind::InvalidSchema,
        DiagnosticKind::InvalidStructure,
        DiagnosticKind::Io,
        DiagnosticKind::JsonSchemaDialect,
        DiagnosticKind::JsonSyntax,
        DiagnosticKind::MissingVersion,
        DiagnosticKind::MixedEnum,
        DiagnosticKind::MixedUnion,
        DiagnosticKind::NameCollision,
        DiagnosticKind::NoOutDir,
        DiagnosticKind::NoResponses,
        DiagnosticKind::NotAMapping,
        DiagnosticKind::RefCycle,
        DiagnosticKind::RefSiblingIgnored,
        DiagnosticKind::RequiredNotDefined,
        DiagnosticKind::TooDeep,
        DiagnosticKind::TooLarge,
        DiagnosticKind::UndeclaredPathParam,
        DiagnosticKind::UnionCatchAll,
        DiagnosticKind::UnknownExtension,
        DiagnosticKind::UnknownType,
        DiagnosticKind::UnresolvedRef,
        DiagnosticKind::UnsupportedAuth,
        DiagnosticKind::UnsupportedBody,
        DiagnosticKind::UnsupportedCookie,
        DiagnosticKind::UnsupportedKeyword,
        DiagnosticKind::UnsupportedNot,
        DiagnosticKind::UnsupportedParamContent,
        DiagnosticKind::UnsupportedRef,
        DiagnosticKind::UnsupportedStyle,
        DiagnosticKind::UnsupportedVersion,
        DiagnosticKind::UntaggedDiscriminator,
        DiagnosticKind::UnusedPathParam,
        DiagnosticKind::WebhooksIgnored,
        DiagnosticKind::YamlSyntax,
        DiagnosticKind::YamlValue,
    ];

    /// The stable kebab-case identifier, e.g. `unresolved-ref`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::AllofPrimitive => "allof-primitive",
            DiagnosticKind::BadExtension => "bad-extension",
            DiagnosticKind::BadSetting => "bad-setting",
            DiagnosticKind::DuplicateAuth => "duplicate-auth",
            DiagnosticKind::DuplicateOperationId => "duplicate-operation-id",
            DiagnosticKind::ExternalRef => "external-ref",
            DiagnosticKind::Internal => "internal",
            DiagnosticKind::InvalidRefTarget => "invalid-ref-target",
            DiagnosticKind::InvalidSchema => "invalid-schema",
            DiagnosticKind::InvalidStructure => "invalid-structure",
            DiagnosticKind::Io => "io",
            DiagnosticKind::JsonSchemaDialect => "json-schema-dialect",
            DiagnosticKind::JsonSyntax => "json-syntax",
            DiagnosticKind::MissingVersion => "missing-version",
            DiagnosticKind::MixedEnum => "mixed-enum",
            DiagnosticKind::MixedUnion => "mixed-union",
            DiagnosticKind::NameCollision => "name-collision",
            DiagnosticKind::NoOutDir => "no-out-dir",
            DiagnosticKind::NoResponses => "no-responses",
            DiagnosticKind::NotAMapping => "not-a-mapping",
            DiagnosticKind::RefCycle => "ref-cycle",
            DiagnosticKind::RefSiblingIgnored => "ref-sibling-ignored",
            DiagnosticKind::RequiredNotDefined => "required-not-defined",
            DiagnosticKind::TooDeep => "too-deep",
            DiagnosticKind::TooLarge => "too-large",
            DiagnosticKind::UndeclaredPathParam => "undeclared-path-param",
            DiagnosticKind::UnionCatchAll => "union-catch-all",
            DiagnosticKind::UnknownExtension => "unknown-extension",
            DiagnosticKind::UnknownType => "unknown-type",
            DiagnosticKind::UnresolvedRef => "unresolved-ref",
            DiagnosticKind::UnsupportedAuth => "unsupported-auth",
            DiagnosticKind::UnsupportedBody => "unsupported-body",
            DiagnosticKind::UnsupportedCookie => "unsupported-cookie",
            DiagnosticKind::UnsupportedKeyword => "unsupported-keyword",
            DiagnosticKind::UnsupportedNot => "unsupported-not",
            DiagnosticKind::UnsupportedParamContent => "unsupported-param-content",
            DiagnosticKind::UnsupportedRef => "unsupported-ref",
            DiagnosticKind::UnsupportedStyle => "unsupported-style",
            DiagnosticKind::UnsupportedVersion => "unsupported-version",
            DiagnosticKind::UntaggedDiscriminator => "untagged-discriminator",
            DiagnosticKind::UnusedPathParam => "unused-path-param",
            DiagnosticKind::WebhooksIgnored => "webhooks-ignored",
            DiagnosticKind::YamlSyntax => "yaml-syntax",
            DiagnosticKind::YamlValue => "yaml-value",
        }
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for DiagnosticKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for DiagnosticKind {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// One problem in a spec, pointing at where it is and saying how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The kind of problem; `kind.as_str()` is its stable identifier, e.g. `unresolved-ref`.
    pub kind: DiagnosticKind,
    /// The spec file the problem is in.
    pub file: String,
    /// The JSON pointer of the offending node, when the problem has one.
    pub pointer: Option<String>,
    /// The 1-based line of the offending node, when known.
    pub line: Option<usize>,
    /// The 1-based column of the offending node, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error of `kind` with `message`, located nowhere yet.
    pub fn error(kind: DiagnosticKind, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            file: file.to_string(),
            pointer: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A new warning of `kind` with `message`, located nowhere yet.
    pub fn warning(kind: DiagnosticKind, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, file, message)
        }
    }

    /// Sets the JSON pointer.
    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Sets the line and column.
    pub fn line_col(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}[{}]: {}", self.kind, self.message)?;
        write!(f, "\n  --> {}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, " at {}", if pointer.is_empty() { "/" } else { pointer })?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every diagnostic of a run, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// The diagnostics, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Only the errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    /// How many diagnostics there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let errors = self.errors().count();
        let warnings = self.0.len() - errors;
        if !self.0.is_empty() {
            write!(f, "\n{errors} error(s), {warnings} warning(s)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends `token` to `pointer`.
pub fn pointer_join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(token))
}

/// The candidate closest to `word` when it is close enough to be a likely typo
/// (for "did you mean" hints): at most one edit per three characters, ignoring case.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, DiagnosticKind};

    #[test]
    fn kinds_print_as_distinct_kebab_case_identifiers() {
        let mut seen = std::collections::HashSet::new();
        for kind in DiagnosticKind::ALL {
            let s = kind.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                !s.is_empty()
                    && s.split('-').all(|w| !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{s} is not kebab-case"
            );
            assert_eq!(kind.to_string(), s);
        }
        assert_eq!(DiagnosticKind::BadExtension.as_str(), "bad-extension");
        assert_eq!(DiagnosticKind::UnresolvedRef, "unresolved-ref");
    }

    #[test]
    fn did_you_mean_finds_one_letter_typos() {
        assert_eq!(did_you_mean("Servr", ["Zone", "Server"]), Some("Server"));
        assert_eq!(did_you_mean("strng", ["string", "integer"]), Some("string"));
    }

    #[test]
    fn did_you_mean_ignores_distant_names() {
        assert_eq!(did_you_mean("Servr", ["Storage", "Zone"]), None);
    }
}
