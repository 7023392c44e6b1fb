//! Caller code that runs around every attempt, e.g. to sign requests or collect metrics.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::secret::RedactedHeaders;

/// A boxed, sendable future, as returned by [`Hook`] methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Code run around every attempt of every request; both methods default to doing nothing.
///
/// ```
/// use cloudgen_runtime::reqwest::{self, header::HeaderValue};
/// use cloudgen_runtime::{BoxFuture, Hook};
///
/// struct Stamp;
///
/// impl Hook for Stamp {
///     fn before_send<'a>(&'a self, req: &'a mut reqwest::Request) -> BoxFuture<'a, ()> {
///         Box::pin(async move {
///             req.headers_mut().insert("x-request-id", HeaderValue::from_static("42"));
///         })
///     }
/// }
/// # let _ = cloudgen_runtime::Client::builder("http://127.0.0.1:1").hook(std::sync::Arc::new(Stamp));
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Runs just before an attempt is sent; it may change the request (headers, URL, body).
    fn before_send<'a>(&'a self, req: &'a mut reqwest::Request) -> BoxFuture<'a, ()> {
        let _ = req;
        Box::pin(async {})
    }

    /// Runs when an attempt's response headers have arrived, before the body is read.
    fn after_receive<'a>(&'a self, info: &'a ResponseInfo) -> BoxFuture<'a, ()> {
        let _ = info;
        Box::pin(async {})
    }
}

/// What [`Hook::after_receive`] learns about a response.
pub struct ResponseInfo {
    pub(super) method: Method,
    pub(super) path_template: &'static str,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) attempt: u32,
    pub(super) elapsed: Duration,
}

impl ResponseInfo {
    /// The request's method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The spec's path template, e.g. `/server/{uuid}`.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Which attempt this is (1-based).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Time from sending this attempt until its response headers arrived.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

impl fmt::Debug for ResponseInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseInfo")
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("attempt", &self.attempt)
            .field("elapsed", &self.elapsed)
            .finish()
    }
}
