//! The client: configuration shared by every request, built once and cheap to clone.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::auth::Auth;
use super::error::BuildError;
use super::hooks::Hook;
use super::request::encode_component;
use super::retry::RetryPolicy;
use super::secret::{is_sensitive_header, Secret};
use super::token::{CachedToken, TokenSource};

/// The `User-Agent` of a client built with [`Client::builder`] directly: the runtime's name and
/// version. A generated `Client::builder()` sets `<crate>/<version> cloudgen/<version>` instead,
/// naming the crate that uses the generated code.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The default limit on a response body, 32 MiB.
const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The most redirects followed for one request.
const MAX_REDIRECTS: usize = 10;

/// An API client. Cloning is cheap: clones share configuration and the connection pool.
///
/// `Debug` shows the configuration but never a credential, a default header's value or a
/// default query parameter's value.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<ClientInner>,
}

#[derive(Clone)]
pub(super) struct ClientInner {
    /// The base URL without a trailing `/`; request paths start with `/`.
    pub(super) base_url: String,
    pub(super) http: reqwest::Client,
    pub(super) auth: Auth,
    pub(super) auth_header: Option<(HeaderName, HeaderValue)>,
    pub(super) timeout: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) custom_http: bool,
    pub(super) retry: RetryPolicy,
    pub(super) user_agent: HeaderValue,
    pub(super) default_headers: Vec<(HeaderName, HeaderValue)>,
    /// Pairs already percent-encoded.
    pub(super) default_query: Vec<(String, String)>,
    pub(super) max_body_bytes: usize,
    pub(super) hooks: Vec<Arc<dyn Hook>>,
    pub(super) rate_limit_reset: Option<HeaderName>,
    pub(super) report_drift: bool,
}

impl Client {
    /// Starts configuring a client for the API at `base_url`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The same client (credentials, token cache, timeouts, retries, hooks, connection pool)
    /// sending its requests to `base_url` instead: a mock server, a proxy, another region.
    /// The URL is checked as [`ClientBuilder::build`] checks it.
    pub fn with_base_url(&self, base_url: impl Into<String>) -> Result<Client, BuildError> {
        let mut inner = ClientInner::clone(&self.inner);
        inner.base_url = check_base_url(&base_url.into())?;
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &redact_url(&inner.base_url))
            .field("auth", &inner.auth)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("custom_http_client", &inner.custom_http)
            .field("retry", &inner.retry)
            .field("user_agent", &inner.user_agent)
            .field("default_headers", &names(&inner.default_headers))
            .field(
                "default_query",
                &inner
                    .default_query
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            .field("max_body_bytes", &inner.max_body_bytes)
            .field("hooks", &inner.hooks.len())
            .field("rate_limit_reset_header", &inner.rate_limit_reset)
            .field("report_drift", &inner.report_drift)
            .finish()
    }
}

/// Configures a [`Client`].
///
/// ```no_run
/// use std::time::Duration;
/// use cloudgen_runtime::{Client, RetryPolicy};
/// # fn example() -> Result<(), Box<dyn std::error::Error>> {
///
/// let client = Client::builder("https://api.example.com/1.0")
///     .bearer_token(std::env::var("API_TOKEN")?)
///     .timeout(Duration::from_secs(30))
///     .retry(RetryPolicy::new(5))
///     .build()?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    base_url: String,
    auth: Auth,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    default_headers: Vec<(HeaderName, HeaderValue)>,
    default_query: Vec<(String, String)>,
    max_body_bytes: usize,
    hooks: Vec<Arc<dyn Hook>>,
    http: Option<reqwest::Client>,
    rate_limit_reset_header: Option<String>,
    report_drift: bool,
}

impl ClientBuilder {
    /// A builder with the defaults: no auth, 60 s per-request timeout, 10 s connect timeout,
    /// [`RetryPolicy::default`], 32 MiB body limit.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            auth: Auth::None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            default_headers: Vec::new(),
            default_query: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            hooks: Vec::new(),
            http: None,
            rate_limit_reset_header: None,
            report_drift: false,
        }
    }

    /// Replaces the base URL (`http` or `https`, no query or fragment).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sets how requests authenticate.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Authenticates with `Authorization: Bearer <token>`.
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        self.auth(Auth::Bearer(token.into()))
    }

    /// Authenticates with `Authorization: Bearer <token>`, the token fetched from `source` when
    /// first needed, cached, and renewed shortly before it expires (same as
    /// `auth(Auth::Token(Arc::new(CachedToken::new(source))))`). After a `401` the token is
    /// fetched again and the request retried once.
    pub fn token_source(self, source: impl TokenSource) -> Self {
        self.auth(Auth::Token(Arc::new(CachedToken::new(source))))
    }

    /// Authenticates with HTTP Basic authentication.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth(Auth::Basic {
            username: username.into(),
            password: password.into(),
        })
    }

    /// The time allowed for each attempt, from sending until the whole body is read (default
    /// 60 s). A request may override it with `RequestOptions::timeout`.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The time allowed to open a connection, TLS included (default 10 s). Ignored when
    /// [`ClientBuilder::reqwest_client`] supplies the HTTP client.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// The retry policy for every request; a request may override it.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header. The default of a generated client is
    /// `<crate>/<version> cloudgen/<version>`, naming the crate that uses it.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// A header sent with every request (a request's own header of the same name wins).
    pub fn default_header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        if is_sensitive_header(name.as_str()) {
            value.set_sensitive(true);
        }
        self.default_headers.push((name, value));
        self
    }

    /// A query parameter added to every request, e.g. `test=1` for a provider's test mode.
    pub fn default_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_query.push((
            encode_component(&name.into()),
            encode_component(&value.into()),
        ));
        self
    }

    /// The largest response body read, in bytes (default 32 MiB); a larger one fails with
    /// `Error::BodyTooLarge` without being buffered.
    pub fn max_body_bytes(mut self, n: usize) -> Self {
        self.max_body_bytes = n;
        self
    }

    /// Adds a hook; hooks run in the order they were added.
    pub fn hook(mut self, hook: Arc<dyn Hook>) -> Self {
        self.hooks.push(hook);
        self
    }

    /// Uses this HTTP client instead of building one (its own timeouts, proxy and redirect
    /// settings then apply; `connect_timeout` is ignored). Start from
    /// [`reqwest_client_builder`]: the runtime's `reqwest` has no TLS crypto provider of its
    /// own, and `reqwest::Client::builder().build()` panics unless the application installed
    /// one (`rustls::crypto::CryptoProvider::install_default`) or enabled reqwest's `rustls`
    /// feature.
    pub fn reqwest_client(mut self, c: reqwest::Client) -> Self {
        self.http = Some(c);
        self
    }

    /// A response header holding the Unix time (seconds) at which a rate limit resets, e.g.
    /// `X-RateLimit-Reset`. On `429` without `Retry-After`, the client waits until then before
    /// retrying, if that is within the retry policy's `max_server_wait`.
    pub fn rate_limit_reset_header(mut self, name: impl Into<String>) -> Self {
        self.rate_limit_reset_header = Some(name.into());
        self
    }

    /// Reports spec drift: every decoded response is written back to JSON and compared with
    /// what the server sent, and each member that the types dropped, each value that reads
    /// back different and each enum value they do not know is logged through `tracing` at warn
    /// level, with the operation and the JSON path (never the value of a dropped field). Off
    /// by default; when off it costs nothing. See [`drift`](super::drift).
    pub fn report_drift(mut self, on: bool) -> Self {
        self.report_drift = on;
        self
    }

    /// Builds the client, checking the base URL, credentials and header values.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = check_base_url(&self.base_url)?;
        let auth_header = self.auth.header().map_err(BuildError::new)?;
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| BuildError::new("the user agent is not a valid header value"))?;
        let rate_limit_reset = match &self.rate_limit_reset_header {
            None => None,
            Some(name) => Some(
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| BuildError::new(format!("`{name}` is not a valid header name")))?,
            ),
        };
        let custom_http = self.http.is_some();
        let http = match self.http {
            Some(http) => http,
            None => reqwest_client_builder()?
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(|e| BuildError::with_source("the HTTP client could not be set up", e))?,
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                base_url,
                http,
                auth: self.auth,
                auth_header,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                custom_http,
                retry: self.retry,
                user_agent,
                default_headers: self.default_headers,
                default_query: self.default_query,
                max_body_bytes: self.max_body_bytes,
                hooks: self.hooks,
                rate_limit_reset,
                report_drift: self.report_drift,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("default_headers", &names(&self.default_headers))
            .field(
                "default_query",
                &self
                    .default_query
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            .field("max_body_bytes", &self.max_body_bytes)
            .field("hooks", &self.hooks.len())
            .field("rate_limit_reset_header", &self.rate_limit_reset_header)
            .field("report_drift", &self.report_drift)
            .finish()
    }
}

/// A `reqwest` client builder set up for HTTPS as the runtime's clients are: rustls with the
/// `ring` crypto provider (or the process default, if the application installed one) and the
/// platform's certificate verifier (the system's CA certificates), HTTP/1.1. Fails when the
/// system has no CA certificates to load.
pub fn reqwest_client_builder() -> Result<reqwest::ClientBuilder, BuildError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let tls_error =
        |e: rustls::Error| BuildError::new(format!("TLS could not be set up: {e}"));
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(reqwest::Client::builder().tls_backend_preconfigured(tls))
}

/// Validates the base URL and returns it without a trailing `/`. Error messages never repeat
/// the URL, which may hold credentials.
fn check_base_url(raw: &str) -> Result<String, BuildError> {
    let url = reqwest::Url::parse(raw)
        .map_err(|e| BuildError::new(format!("the base URL is not a valid URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BuildError::new("the base URL must use http or https"));
    }
    if url.host().is_none() {
        return Err(BuildError::new("the base URL has no host"));
    }
    // Credentials in the URL would travel into connection-pool keys and their traces.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BuildError::new(
            "the base URL must not hold credentials (use `basic_auth` or `auth`)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BuildError::new(
            "the base URL must not have a query or fragment (use `default_query` for parameters)",
        ));
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

/// Redirects are followed only within the original origin, so that credentials in custom
/// headers (which `reqwest` only strips for `Authorization` and cookies) never reach another
/// host. A cross-origin redirect is returned to the caller as the response.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error("too many redirects");
        }
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// The URL with any password and query hidden, for `Debug`.
fn redact_url(raw: &str) -> String {
    match reqwest::Url::parse(raw) {
        Ok(mut url) => {
            if url.password().is_some() {
                // Cannot fail: the URL already has a password, hence a host.
                let _ = url.set_password(Some("redacted"));
            }
            if url.query().is_some() {
                url.set_query(Some("redacted"));
            }
            url.to_string()
        }
        Err(_) => "<invalid URL>".to_owned(),
    }
}

fn names(headers: &[(HeaderName, HeaderValue)]) -> Vec<&str> {
    headers.iter().map(|(name, _)| name.as_str()).collect()
}
