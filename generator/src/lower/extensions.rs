//! The shapes of the `x-cloudgen-*` keys (specs/EXTENSIONS.md), as typed values read with
//! serde from each key's JSON value, and the one diagnostic a key of the wrong shape gets.
//!
//! Each key is an [`Ext`]: its name, a short text saying what shape it takes, an example, and
//! the Rust type its value is read into. What serde cannot check (a pointer that resolves, a
//! property that exists, a name that is free) stays with the code that uses the key.

use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::schema::KNOWN_RULES;
use super::Lowerer;
use crate::diagnostics::{pointer_join, DiagnosticKind};

/// One `x-cloudgen-*` key: its name, the shape it takes (for the diagnostic of a value of
/// another shape) and the Rust type its value is read into.
pub(crate) struct Ext<T> {
    /// The key, e.g. `x-cloudgen-secret`.
    pub(crate) key: &'static str,
    /// The shape the key takes, completing "`key` must be ...".
    pub(crate) shape: &'static str,
    /// A well-formed use, for the hint.
    pub(crate) example: &'static str,
    ty: PhantomData<fn() -> T>,
}

const fn ext<T>(key: &'static str, shape: &'static str, example: &'static str) -> Ext<T> {
    Ext {
        key,
        shape,
        example,
        ty: PhantomData,
    }
}

impl<T: DeserializeOwned> Ext<T> {
    /// The value in `extensions`, without a diagnostic: for a second look at a key whose
    /// shape the code that owns it reports.
    pub(crate) fn peek(&self, extensions: &IndexMap<String, Value>) -> Option<T> {
        T::deserialize(extensions.get(self.key)?).ok()
    }
}

impl Lowerer<'_> {
    /// The value of `ext` in `extensions` (those of the node at `pointer`): `None` when the key
    /// is absent, and when its value has the wrong shape, after a `bad-extension` error.
    pub(crate) fn ext<T: DeserializeOwned>(
        &mut self,
        ext: &Ext<T>,
        extensions: &IndexMap<String, Value>,
        pointer: &str,
    ) -> Option<T> {
        self.ext_value(ext, extensions.get(ext.key), pointer)
    }

    /// The value of `ext` read from `value`, the key's value in the node at `pointer`.
    pub(crate) fn ext_value<T: DeserializeOwned>(
        &mut self,
        ext: &Ext<T>,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<T> {
        let value = value?;
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(parsed) => Some(parsed),
            Err(e) => {
                let mut at = pointer_join(pointer, ext.key);
                let mut inside = Vec::new();
                for segment in e.path().iter() {
                    let token = match segment {
                        serde_path_to_error::Segment::Seq { index } => index.to_string(),
                        serde_path_to_error::Segment::Map { key } => key.clone(),
                        serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                        serde_path_to_error::Segment::Unknown => continue,
                    };
                    at = pointer_join(&at, &token);
                    inside.push(token);
                }
                let place = if inside.is_empty() {
                    String::new()
                } else {
                    format!(" (at `{}`)", inside.join("/"))
                };
                self.error(
                    DiagnosticKind::BadExtension,
                    &at,
                    format!("`{}` must be {}: {}{place}", ext.key, ext.shape, e.inner()),
                    format!("write e.g. `{}` (see specs/EXTENSIONS.md)", ext.example),
                );
                None
            }
        }
    }
}

/// A JSON pointer to a member: `/` followed by at least one reference token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct JsonPointer(pub(crate) String);

impl TryFrom<String> for JsonPointer {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s.len() > 1 && s.starts_with('/') {
            Ok(JsonPointer(s))
        } else {
            Err(format!(
                "{s:?} is not a JSON pointer to a member (like /error/code)"
            ))
        }
    }
}

/// A string that is not empty.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct NonEmpty(pub(crate) String);

impl TryFrom<String> for NonEmpty {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, &'static str> {
        if s.trim().is_empty() {
            Err("the string is empty")
        } else {
            Ok(NonEmpty(s))
        }
    }
}

/// `true`, the only value of a flag that is off when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "bool")]
pub(crate) struct True;

impl TryFrom<bool> for True {
    type Error = &'static str;
    fn try_from(b: bool) -> Result<Self, &'static str> {
        if b {
            Ok(True)
        } else {
            Err("`false` is not a value of this key; remove the key instead")
        }
    }
}

/// A `strftime` pattern: not empty, with at least one `%` directive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct Strftime(pub(crate) String);

impl TryFrom<String> for Strftime {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s.contains('%') {
            Ok(Strftime(s))
        } else {
            Err(format!("{s:?} has no `%` directive"))
        }
    }
}

/// The name of a validation rule cloudgen knows (`KNOWN_RULES`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct Rule(pub(crate) String);

impl TryFrom<String> for Rule {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if KNOWN_RULES.contains(&s.as_str()) {
            Ok(Rule(s))
        } else {
            Err(format!(
                "unknown validation rule {s:?}, expected one of: {}",
                KNOWN_RULES.join(", ")
            ))
        }
    }
}

/// Two or more property names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<String>")]
pub(crate) struct PropertyNames(pub(crate) Vec<String>);

impl TryFrom<Vec<String>> for PropertyNames {
    type Error = String;
    fn try_from(names: Vec<String>) -> Result<Self, String> {
        if names.len() < 2 {
            Err(format!(
                "{} name(s) given, at least two needed",
                names.len()
            ))
        } else {
            Ok(PropertyNames(names))
        }
    }
}

/// A scalar written as text: a string as it is, a number or a boolean as JSON writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Value")]
pub(crate) struct ScalarText(pub(crate) String);

impl TryFrom<Value> for ScalarText {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(ScalarText(s)),
            Value::Number(_) | Value::Bool(_) => Ok(ScalarText(v.to_string())),
            other => Err(format!(
                "expected a string, number or boolean, found {other}"
            )),
        }
    }
}

/// `x-cloudgen-string-number`: which number the string holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum StringNumber {
    Integer,
    Number,
}

/// `x-cloudgen-rate-limit`: the header names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RateLimit {
    pub(crate) limit: String,
    pub(crate) remaining: String,
    pub(crate) reset: String,
}

/// `x-cloudgen-test-mode`: the query parameter and its value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestMode {
    pub(crate) query: String,
    pub(crate) value: ScalarText,
}

/// The signature algorithms of `x-cloudgen-token-exchange`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    #[serde(rename = "rsa-sha512")]
    RsaSha512,
}

/// `x-cloudgen-token-exchange`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TokenExchange {
    pub(crate) operation: String,
    pub(crate) signature_header: String,
    /// Only one algorithm exists; reading it refuses any other.
    #[allow(dead_code)]
    pub(crate) algorithm: SignatureAlgorithm,
    pub(crate) token_field: Option<String>,
    pub(crate) nonce_field: Option<String>,
    pub(crate) lifetime_field: Option<String>,
    pub(crate) lifetime_format: Option<String>,
    pub(crate) label_field: Option<String>,
    pub(crate) demo_token: Option<String>,
}

/// One entry of the root `x-cloudgen-envelope`'s `codes`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemErrorCode {
    pub(crate) code: i64,
    pub(crate) name: String,
    pub(crate) meaning: String,
}

/// `x-cloudgen-envelope` at the root: the pointers every envelope shares, and the codes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RootEnvelope {
    pub(crate) status: Option<JsonPointer>,
    pub(crate) message: Option<JsonPointer>,
    pub(crate) errors: Option<JsonPointer>,
    pub(crate) items: Option<JsonPointer>,
    pub(crate) object: Option<String>,
    #[serde(default)]
    pub(crate) codes: Vec<ItemErrorCode>,
}

/// `x-cloudgen-envelope` on an operation: its items, and overrides of the root's pointers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OperationEnvelope {
    pub(crate) status: Option<JsonPointer>,
    pub(crate) message: Option<JsonPointer>,
    pub(crate) errors: Option<JsonPointer>,
    pub(crate) items: Option<JsonPointer>,
    pub(crate) object: Option<String>,
    #[serde(default)]
    pub(crate) single: bool,
}

/// `x-cloudgen-waiter`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Waiter {
    pub(crate) name: String,
    pub(crate) field: JsonPointer,
}

/// `x-cloudgen-pagination`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Pagination {
    pub(crate) page_param: String,
    /// Documents the page-size parameter; the page walk does not set it.
    #[allow(dead_code)]
    pub(crate) size_param: Option<String>,
    pub(crate) items: JsonPointer,
    pub(crate) next_link: JsonPointer,
}

/// One entry of `x-cloudgen-error-codes`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorCodeEntry {
    pub(crate) code: String,
    pub(crate) status: Option<u16>,
    pub(crate) description: Option<String>,
}

// Document level.
pub(crate) const MODULE: Ext<String> = ext(
    "x-cloudgen-module",
    "a module name (a string)",
    "x-cloudgen-module: upcloud",
);
pub(crate) const RATE_LIMIT: Ext<RateLimit> = ext(
    "x-cloudgen-rate-limit",
    "a mapping of the header names `limit`, `remaining` and `reset`",
    "{limit: X-Rate-Limit-Limit, remaining: X-Rate-Limit-Remaining, reset: X-Rate-Limit-Reset}",
);
pub(crate) const TEST_MODE: Ext<TestMode> = ext(
    "x-cloudgen-test-mode",
    "a mapping with the query parameter `query` and its `value`",
    "x-cloudgen-test-mode: {query: test, value: \"1\"}",
);
pub(crate) const ERROR_CODE_FIELD: Ext<JsonPointer> = ext(
    "x-cloudgen-error-code-field",
    "a JSON pointer into error bodies",
    "x-cloudgen-error-code-field: /error/error_code",
);
pub(crate) const ERROR_MESSAGE_FIELD: Ext<JsonPointer> = ext(
    "x-cloudgen-error-message-field",
    "a JSON pointer into error bodies",
    "x-cloudgen-error-message-field: /error/error_message",
);
pub(crate) const ROOT_ENVELOPE: Ext<RootEnvelope> = ext(
    "x-cloudgen-envelope",
    "a mapping with optional JSON pointers `status`, `message`, `errors`, `items`, an optional `object` and optional `codes` (a list of `{code, name, meaning}`)",
    "x-cloudgen-envelope: {status: /status, message: /message, errors: /errors, codes: [{code: 8, name: not-found, meaning: object not found}]}",
);

// Servers and security schemes.
pub(crate) const URL_ENV: Ext<NonEmpty> = ext(
    "x-cloudgen-url-env",
    "the name of an environment variable (a non-empty string)",
    "x-cloudgen-url-env: UPCLOUD_API_URL",
);
pub(crate) const ENV: Ext<NonEmpty> = ext(
    "x-cloudgen-env",
    "the name of an environment variable (a non-empty string)",
    "x-cloudgen-env: UKC_METRO",
);
pub(crate) const TOKEN_ENV: Ext<NonEmpty> = ext(
    "x-cloudgen-token-env",
    "the name of an environment variable (a non-empty string)",
    "x-cloudgen-token-env: UPCLOUD_TOKEN",
);
pub(crate) const TOKEN_EXCHANGE: Ext<TokenExchange> = ext(
    "x-cloudgen-token-exchange",
    "a mapping with `operation`, `signature-header`, `algorithm: rsa-sha512` and the optional `token-field`, `nonce-field`, `lifetime-field`, `lifetime-format`, `label-field`, `demo-token`",
    "{operation: createAuthToken, signature-header: Signature, algorithm: rsa-sha512}",
);

// Schemas.
pub(crate) const YES_NO: Ext<True> = ext("x-cloudgen-yes-no", "`true`", "x-cloudgen-yes-no: true");
pub(crate) const BOOL_STRING: Ext<True> = ext(
    "x-cloudgen-bool-string",
    "`true`",
    "x-cloudgen-bool-string: true",
);
pub(crate) const EMPTY_AS_ABSENT: Ext<bool> = ext(
    "x-cloudgen-empty-as-absent",
    "`true` or `false`",
    "x-cloudgen-empty-as-absent: true",
);
pub(crate) const STRING_NUMBER: Ext<StringNumber> = ext(
    "x-cloudgen-string-number",
    "`integer` or `number`",
    "x-cloudgen-string-number: integer",
);
pub(crate) const WRAPPED_LIST: Ext<String> = ext(
    "x-cloudgen-wrapped-list",
    "the name of the list property (a string)",
    "x-cloudgen-wrapped-list: label",
);
pub(crate) const DATETIME_FORMAT: Ext<Strftime> = ext(
    "x-cloudgen-datetime-format",
    "a strftime pattern",
    "x-cloudgen-datetime-format: \"%Y-%m-%d %H:%M:%S\"",
);
pub(crate) const SECRET: Ext<bool> = ext(
    "x-cloudgen-secret",
    "`true` or `false`",
    "x-cloudgen-secret: true",
);
pub(crate) const VALIDATE: Ext<Rule> = ext(
    "x-cloudgen-validate",
    "the name of a validation rule cloudgen knows",
    "x-cloudgen-validate: rfc1035-name",
);
pub(crate) const EXCLUSIVE: Ext<PropertyNames> = ext(
    "x-cloudgen-exclusive",
    "a list of two or more property names",
    "x-cloudgen-exclusive: [uuid, name]",
);
pub(crate) const OPERATION_ID: Ext<String> = ext(
    "x-cloudgen-operation-id",
    "a method name (a string)",
    "x-cloudgen-operation-id: startVps",
);
pub(crate) const NAME: Ext<NonEmpty> = ext(
    "x-cloudgen-name",
    "a Rust name (a non-empty string)",
    "x-cloudgen-name: get_pet_legacy",
);

// Operations, bodies and responses.
pub(crate) const UNWRAP: Ext<JsonPointer> = ext(
    "x-cloudgen-unwrap",
    "a JSON pointer into the response body",
    "x-cloudgen-unwrap: /server",
);
pub(crate) const WRAP: Ext<JsonPointer> = ext(
    "x-cloudgen-wrap",
    "a JSON pointer into the request body",
    "x-cloudgen-wrap: /server",
);
pub(crate) const ERROR_CODES: Ext<Vec<ErrorCodeEntry>> = ext(
    "x-cloudgen-error-codes",
    "a list of `{code, status, description}` (a string, an HTTP status and a text)",
    "x-cloudgen-error-codes: [{code: SERVER_NOT_FOUND, status: 404, description: The server does not exist.}]",
);
pub(crate) const SPLIT_BY: Ext<String> = ext(
    "x-cloudgen-split-by",
    "the name of the discriminator property (a string)",
    "x-cloudgen-split-by: action",
);
pub(crate) const SPLIT_UNTAGGED: Ext<bool> = ext(
    "x-cloudgen-split-untagged",
    "`true` or `false`",
    "x-cloudgen-split-untagged: true",
);
pub(crate) const PAGINATION: Ext<Pagination> = ext(
    "x-cloudgen-pagination",
    "a mapping with `page-param`, an optional `size-param`, and the JSON pointers `items` and `next-link`",
    "{page-param: page, size-param: pageSize, items: /vpss, next-link: /_links/pages}",
);
pub(crate) const WAITER: Ext<Waiter> = ext(
    "x-cloudgen-waiter",
    "a mapping with the method `name` and the `field` to poll (a JSON pointer into the result)",
    "x-cloudgen-waiter: {name: waitForServerState, field: /state}",
);
pub(crate) const RETRY_SAFE: Ext<bool> = ext(
    "x-cloudgen-retry-safe",
    "`true` or `false`",
    "x-cloudgen-retry-safe: true",
);
pub(crate) const ENVELOPE: Ext<OperationEnvelope> = ext(
    "x-cloudgen-envelope",
    "a mapping with the JSON pointer `items`, optional `single` (bool) and `object`, and optional overrides of the root's `status`, `message`, `errors`",
    "x-cloudgen-envelope: {items: /data/instances, single: true}",
);
pub(crate) const BATCH: Ext<bool> = ext(
    "x-cloudgen-batch",
    "`true` or `false`",
    "x-cloudgen-batch: true",
);

/// Every `x-cloudgen-*` key the generator knows.
pub const KNOWN_EXTENSIONS: &[&str] = &[
    MODULE.key,
    RATE_LIMIT.key,
    TEST_MODE.key,
    TOKEN_ENV.key,
    TOKEN_EXCHANGE.key,
    YES_NO.key,
    BOOL_STRING.key,
    ERROR_MESSAGE_FIELD.key,
    EMPTY_AS_ABSENT.key,
    STRING_NUMBER.key,
    WRAPPED_LIST.key,
    DATETIME_FORMAT.key,
    UNWRAP.key,
    WRAP.key,
    ERROR_CODES.key,
    SPLIT_BY.key,
    OPERATION_ID.key,
    PAGINATION.key,
    RETRY_SAFE.key,
    ENVELOPE.key,
    BATCH.key,
    EXCLUSIVE.key,
    SPLIT_UNTAGGED.key,
    ERROR_CODE_FIELD.key,
    WAITER.key,
    VALIDATE.key,
    ENV.key,
    URL_ENV.key,
    NAME.key,
    SECRET.key,
];

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Diagnostic, DiagnosticKind};

    /// The errors of lowering `yaml`, which must fail.
    fn errors(yaml: &str) -> Vec<Diagnostic> {
        let doc = crate::load::load_str("spec.yaml", yaml).expect("the document loads");
        match super::super::lower(&doc, None) {
            Ok(_) => panic!("the document must be refused"),
            Err(d) => d.errors().cloned().collect(),
        }
    }

    const WAITER: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /s:
    get:
      operationId: getS
      x-cloudgen-waiter: WAITER
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {state: {type: string}}}
";

    #[test]
    fn a_missing_member_names_the_key_the_shape_and_serdes_reason() {
        let e = errors(&WAITER.replace("WAITER", "{name: waitForS}"));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].kind, DiagnosticKind::BadExtension);
        assert_eq!(
            e[0].pointer.as_deref(),
            Some("/paths/~1s/get/x-cloudgen-waiter")
        );
        assert!(
            e[0].message
                .starts_with("`x-cloudgen-waiter` must be a mapping with the method `name`"),
            "{}",
            e[0].message
        );
        assert!(
            e[0].message.ends_with("missing field `field`"),
            "{}",
            e[0].message
        );
        assert_eq!(e[0].line, Some(7), "located by the source map");
    }

    #[test]
    fn an_unknown_member_is_refused_and_named() {
        let e = errors(&WAITER.replace("WAITER", "{name: waitForS, field: /state, feild: /x}"));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].message.contains("unknown field `feild`"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn a_member_of_the_wrong_shape_is_located_at_the_member() {
        let e = errors(&WAITER.replace("WAITER", "{name: waitForS, field: state}"));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            e[0].pointer.as_deref(),
            Some("/paths/~1s/get/x-cloudgen-waiter/field")
        );
        assert!(
            e[0].message.contains("\"state\" is not a JSON pointer")
                && e[0].message.ends_with("(at `field`)"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn a_flag_that_only_takes_true_refuses_false() {
        let spec = WAITER
            .replace("      x-cloudgen-waiter: WAITER\n", "")
            .replace(
                "{state: {type: string}}",
                "{state: {type: string, enum: ['yes', 'no'], x-cloudgen-yes-no: false}}",
            );
        let e = errors(&spec);
        assert_eq!(e.len(), 1, "reported once: {e:?}");
        assert!(
            e[0].message
                .starts_with("`x-cloudgen-yes-no` must be `true`: `false` is not"),
            "{}",
            e[0].message
        );
        assert_eq!(
            e[0].hint.as_deref(),
            Some("write e.g. `x-cloudgen-yes-no: true` (see specs/EXTENSIONS.md)")
        );
    }
}
