//! How the client authenticates its requests.

use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};

use base64::Engine as _;

use super::secret::Secret;
use super::token::CachedToken;

/// The credentials attached to every request a client sends.
///
/// Every credential is held as a [`Secret`], so printing an `Auth` never shows it.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// HTTP Basic authentication (`Authorization: Basic base64(username:password)`).
    Basic {
        /// The user name; not secret, but only ever sent inside the encoded header.
        username: String,
        /// The password.
        password: Secret,
    },
    /// A custom header carrying an API key, e.g. `X-Auth-Token: <key>`.
    Header {
        /// The header's name.
        name: HeaderName,
        /// The header's value.
        value: Secret,
    },
    /// `Authorization: Bearer <token>` with a token fetched at run time and renewed before it
    /// expires (see `ClientBuilder::token_source`). After a `401` the token is fetched again
    /// and the request retried once.
    Token(Arc<CachedToken>),
}

impl Auth {
    /// The header this authentication adds, marked sensitive so that `http` never prints it.
    ///
    /// Fails with a message naming the header (never its value) when the credential holds
    /// characters a header cannot carry.
    pub(super) fn header(&self) -> Result<Option<(HeaderName, HeaderValue)>, String> {
        let (name, value) = match self {
            // A fetched token is added per attempt by `execute`.
            Auth::None | Auth::Token(_) => return Ok(None),
            Auth::Bearer(token) => (AUTHORIZATION, format!("Bearer {}", token.expose())),
            Auth::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                (AUTHORIZATION, format!("Basic {encoded}"))
            }
            Auth::Header { name, value } => (name.clone(), value.expose().to_owned()),
        };
        let value = sensitive_value(&value).map_err(|_| {
            format!("the credential for header `{name}` contains characters a header cannot carry")
        })?;
        Ok(Some((name, value)))
    }
}

/// `Bearer <token>` as a sensitive header value.
pub(super) fn bearer(token: &Secret) -> Result<HeaderValue, String> {
    sensitive_value(&format!("Bearer {}", token.expose()))
        .map_err(|_| "the bearer token contains characters a header cannot carry".to_owned())
}

/// A header value marked sensitive, so that `http` never prints it.
fn sensitive_value(text: &str) -> Result<HeaderValue, reqwest::header::InvalidHeaderValue> {
    let mut value = HeaderValue::from_str(text)?;
    value.set_sensitive(true);
    Ok(value)
}
