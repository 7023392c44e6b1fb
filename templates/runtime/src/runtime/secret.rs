//! Secret values (tokens, passwords, API keys) that must never be printed.
//!
//! A [`Secret`] prints as `<redacted>` through both `Debug` and `Display`, so it can sit inside
//! any struct that derives `Debug` without leaking into logs, panics or error messages. The only
//! way to read the value is the explicit [`Secret::expose`].

use std::fmt;

use reqwest::header::HeaderMap;

/// The text printed in place of a secret value.
const REDACTED: &str = "<redacted>";

/// A string that is never shown by `Debug` or `Display`.
///
/// ```
/// use cloudgen_runtime::Secret;
///
/// let token = Secret::new("s3cr3t");
/// assert_eq!(format!("{token:?}"), "<redacted>");
/// assert_eq!(token.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// Returns the secret value itself; call this only where the value is sent to the server.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// A secret serializes as its plain value: it is only ever serialized into a request body.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// Whether a header's value may carry a credential, judged by its name.
///
/// Header names are lower-case in `http`, so plain substring checks suffice.
pub(super) fn is_sensitive_header(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
    ];
    const PARTS: &[&str] = &[
        "token",
        "secret",
        "password",
        "key",
        "auth",
        "session",
        "signature",
    ];
    EXACT.contains(&name) || PARTS.iter().any(|part| name.contains(part))
}

/// `Debug` for a header map that hides the values of credential-bearing headers.
pub(super) struct RedactedHeaders<'a>(pub(super) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_sensitive_header(name.as_str()) {
                map.entry(&name.as_str(), &REDACTED);
            } else {
                map.entry(&name.as_str(), &value);
            }
        }
        map.finish()
    }
}

/// `Debug` for the headers of an error: the few that help to diagnose a failure (content
/// type, request and trace IDs, rate limits, `Retry-After`, `Location`) with their values,
/// credential-bearing ones never, and the rest counted, so that `{:?}` of an error stays
/// readable. The error keeps every header for a caller that wants them.
pub(super) struct AbbreviatedHeaders<'a>(pub(super) &'a HeaderMap);

impl AbbreviatedHeaders<'_> {
    fn is_diagnostic(name: &str) -> bool {
        const EXACT: &[&str] = &["content-type", "retry-after", "location"];
        const PARTS: &[&str] = &["request-id", "requestid", "trace", "ratelimit", "rate-limit"];
        EXACT.contains(&name) || PARTS.iter().any(|part| name.contains(part))
    }
}

impl fmt::Debug for AbbreviatedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        let mut others = 0usize;
        for (name, value) in self.0 {
            let name = name.as_str();
            if value.is_sensitive() || is_sensitive_header(name) || !Self::is_diagnostic(name) {
                others += 1;
            } else {
                map.entry(&name, &value);
            }
        }
        if others > 0 {
            map.entry(&"…", &format_args!("{others} more"));
        }
        map.finish()
    }
}
