//! Tokens obtained at run time (for example by a signed token exchange), cached and renewed
//! before they expire.
//!
//! A client built with `ClientBuilder::token_source` asks its [`CachedToken`] for a token before
//! each attempt and sends it as `Authorization: Bearer <token>`. The token request itself goes
//! through the same client, marked with `Request::no_auth` so that it does not wait for itself.

use std::convert::Infallible;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::client::Client;
use super::error::Error;
use super::hooks::BoxFuture;
use super::secret::Secret;

/// How long before expiry a token is renewed unless [`CachedToken::renew_before`] says otherwise.
const DEFAULT_RENEW_BEFORE: Duration = Duration::from_secs(60);

/// Fetches fresh tokens.
///
/// The request for a token must be sent with `Request::no_auth`: the client would otherwise
/// try to authenticate it with the very token being fetched and wait for itself for ever.
///
/// ```ignore
/// struct Exchange { login: String, key: Secret }
/// impl TokenSource for Exchange {
///     fn fetch<'a>(&'a self, http: &'a Client)
///         -> BoxFuture<'a, Result<(Secret, Duration), Error<Infallible>>> {
///         Box::pin(async move {
///             let body = sign_request(&self.login, &self.key);
///             let request = Request::new(Method::POST, "/auth", "/auth".into())
///                 .bytes(body.bytes, "application/json")
///                 .header("Signature", body.signature)
///                 .no_auth();
///             let token = http.execute(request, decode_token).await?.into_inner();
///             Ok((token, Duration::from_secs(30 * 60)))
///         })
///     }
/// }
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// Fetches a fresh token and how long it is valid.
    fn fetch<'a>(
        &'a self,
        http: &'a Client,
    ) -> BoxFuture<'a, Result<(Secret, Duration), Error<Infallible>>>;
}

/// The error a [`TokenSource`] returns when it cannot build its token request, for example
/// because the operating system's random number generator failed; nothing was sent. The
/// message must not contain a credential.
pub fn token_request_failed(message: impl Into<String>) -> Error<Infallible> {
    Error::request(message)
}

/// A token from a [`TokenSource`], fetched when first needed and renewed when it is about to
/// expire.
///
/// Concurrent callers share one fetch: while a token is being fetched, others wait for it
/// instead of fetching their own. `Debug` never shows the token.
pub struct CachedToken {
    source: Box<dyn TokenSource>,
    renew_before: Duration,
    /// The current token; a plain mutex, never held across an `.await`.
    current: Mutex<Option<Current>>,
    /// Held by the one caller fetching a token, so that others wait instead of fetching too.
    fetching: tokio::sync::Mutex<()>,
}

/// A cached token and when to stop using it.
struct Current {
    token: Secret,
    renew_at: Instant,
}

impl CachedToken {
    /// A cache with nothing in it yet, renewing tokens 60 s before they expire.
    pub fn new(source: impl TokenSource) -> Self {
        CachedToken {
            source: Box::new(source),
            renew_before: DEFAULT_RENEW_BEFORE,
            current: Mutex::new(None),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// Renew a token when less than `margin` of its lifetime is left (default 60 s). For a
    /// token valid for less than twice the margin, half its lifetime is used instead, so that
    /// a short-lived token is still reused.
    #[must_use]
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }

    /// The cached token, fetching or renewing it first when needed. Only one fetch runs at a
    /// time; concurrent callers wait for it and share its token.
    ///
    /// A failed fetch is returned to the caller that made it; the next caller tries again.
    pub async fn get(&self, http: &Client) -> Result<Secret, Error<Infallible>> {
        if let Some(token) = self.valid() {
            return Ok(token);
        }
        let _fetching = self.fetching.lock().await;
        // Whoever held the lock before may have just fetched a token.
        if let Some(token) = self.valid() {
            return Ok(token);
        }
        let (token, valid_for) = self.source.fetch(http).await?;
        let margin = self.renew_before.min(valid_for / 2);
        let renew_at = Instant::now() + valid_for.saturating_sub(margin);
        *self.lock_current() = Some(Current {
            token: token.clone(),
            renew_at,
        });
        Ok(token)
    }

    /// Forgets the token, so that the next [`CachedToken::get`] fetches a new one.
    pub fn invalidate(&self) {
        *self.lock_current() = None;
    }

    /// Forgets the token only if it is still `rejected`: a request that failed with an old
    /// token must not throw away the new one another request already fetched.
    pub(super) fn invalidate_if_current(&self, rejected: &Secret) {
        let mut current = self.lock_current();
        if current.as_ref().is_some_and(|c| c.token == *rejected) {
            *current = None;
        }
    }

    /// The cached token if it is not due for renewal.
    fn valid(&self) -> Option<Secret> {
        let current = self.lock_current();
        current
            .as_ref()
            .filter(|c| Instant::now() < c.renew_at)
            .map(|c| c.token.clone())
    }

    fn lock_current(&self) -> std::sync::MutexGuard<'_, Option<Current>> {
        // The guarded value is a plain replaceable token, always consistent, so a panic in
        // another holder leaves nothing to repair.
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.lock_current().as_ref().map(|c| c.renew_at);
        f.debug_struct("CachedToken")
            .field("token", &cached.map(|_| "<redacted>"))
            .field(
                "renew_in",
                &cached.map(|at| at.saturating_duration_since(Instant::now())),
            )
            .field("renew_before", &self.renew_before)
            .finish_non_exhaustive()
    }
}
