//! A successful response: the typed value plus what else the server said.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::secret::RedactedHeaders;

/// A decoded success response with its status, headers and the number of attempts it took.
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
}

impl<T> Response<T> {
    pub(super) fn new(value: T, status: StatusCode, headers: HeaderMap, attempts: u32) -> Self {
        Response {
            value,
            status,
            headers,
            attempts,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The decoded value, by reference.
    pub fn inner(&self) -> &T {
        &self.value
    }

    /// How many attempts the request took (1 when it succeeded the first time).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The value, status and headers, by value.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.value, self.status, self.headers)
    }

    /// Converts the value, keeping status, headers and attempts.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("value", &self.value)
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("attempts", &self.attempts)
            .finish()
    }
}
