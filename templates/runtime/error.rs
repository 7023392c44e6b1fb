//! The one error type every operation returns.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::decode::{excerpt, DecodeError};
use super::secret::AbbreviatedHeaders;

/// Why an operation failed.
///
/// `E` is the operation's documented error body. Every variant that involved the network says
/// how many attempts were made, and every variant names the call (see [`Error::call`]), so that
/// `Display` alone tells what failed, where and why, in one line. No variant holds credentials:
/// URLs are shown without user info, and query values that may be credentials are redacted.
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be built: an invalid header, a body that failed to serialize, a
    /// malformed URL. Nothing was sent.
    Request {
        /// What was wrong.
        message: String,
        /// The call: the operation and its method and path template (there may be no URL yet);
        /// empty when the request did not come from an operation.
        call: Box<str>,
    },
    /// Connecting, TLS, or reading/writing the connection failed.
    Transport {
        /// The underlying error, without its URL: [`Error::call`] has the URL.
        source: reqwest::Error,
        /// The call that failed: the operation, the method and the URL without secrets.
        call: Box<str>,
        /// Attempts made.
        attempts: u32,
    },
    /// The request (or the total retry deadline) timed out.
    Timeout {
        /// The call that timed out: the operation, the method and the URL without secrets.
        call: Box<str>,
        /// Attempts made, the timed-out one included.
        attempts: u32,
        /// Time from the first attempt until giving up.
        elapsed: Duration,
    },
    /// A success response whose body did not match the documented type.
    Decode {
        /// The response status.
        status: StatusCode,
        /// The operation (`get_server`); empty when the request did not name one.
        operation: &'static str,
        /// The call: the operation, the method and the URL without secrets.
        call: Box<str>,
        /// The whole body as received, for a caller that wants to read it another way.
        body: Vec<u8>,
        /// What failed, and where.
        error: DecodeError,
        /// Attempts made.
        attempts: u32,
    },
    /// The response body was larger than the client's `max_body_bytes`; reading stopped there.
    BodyTooLarge {
        /// The call: the operation, the method and the URL without secrets.
        call: Box<str>,
        /// The response status.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
        /// Attempts made.
        attempts: u32,
    },
    /// The server answered with an error status, documented or not.
    Api(ApiError<E>),
    /// A token for `Auth::Token` could not be obtained, so the request was not sent (again).
    /// The message says why (the token endpoint's status, a transport or decode problem) and
    /// never holds the token.
    Auth {
        /// What went wrong while fetching the token.
        message: String,
        /// The call that needed the token: the operation, the method and the URL without
        /// secrets.
        call: Box<str>,
        /// Attempts of the request itself made before the token was needed (0 or 1: a request
        /// rejected with `401` is retried once with a new token).
        attempts: u32,
    },
}

/// How long a body excerpt in an error may be, in bytes.
pub(super) const EXCERPT_BYTES: usize = 512;

impl<E> Error<E> {
    /// The response status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Api(api) => Some(api.status()),
            Error::Request { .. }
            | Error::Transport { .. }
            | Error::Timeout { .. }
            | Error::Auth { .. } => None,
        }
    }

    /// The API error, when the server answered with an error status.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The API error, by value, when the server answered with an error status.
    pub fn into_api(self) -> Option<ApiError<E>> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// How many attempts were made (0 when the request could not be built).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Request { .. } => 0,
            Error::Transport { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::BodyTooLarge { attempts, .. }
            | Error::Auth { attempts, .. } => *attempts,
            Error::Api(api) => api.attempts(),
        }
    }

    /// The call that failed, as `Display` names it: `` `get_server` (GET
    /// https://api.upcloud.com/1.3/server/0079…) ``, or the method and path template when
    /// there is no URL yet; `None` when unknown (a request that named no operation and failed
    /// before it had a URL).
    pub fn call(&self) -> Option<&str> {
        let call = match self {
            Error::Request { call, .. }
            | Error::Transport { call, .. }
            | Error::Timeout { call, .. }
            | Error::Decode { call, .. }
            | Error::BodyTooLarge { call, .. }
            | Error::Auth { call, .. } => &**call,
            Error::Api(api) => api.inner.call.as_str(),
        };
        (!call.is_empty()).then_some(call)
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    pub(super) fn request(message: impl Into<String>) -> Self {
        Error::Request {
            message: message.into(),
            call: Box::default(),
        }
    }

    /// Turns a failed token fetch into the error of the request that needed the token.
    ///
    /// Only what cannot hold the token is kept: statuses, the decode path (serde messages may
    /// quote the value that failed, which could be the token), and error-status bodies, which
    /// are refusals and carry no token.
    pub(super) fn auth(
        error: Error<std::convert::Infallible>,
        call: Box<str>,
        attempts: u32,
    ) -> Self {
        let message = match &error {
            Error::Request { message, .. } => format!("the token request is invalid: {message}"),
            Error::Transport { source, .. } => {
                format!("could not reach the token endpoint: {source}")
            }
            Error::Timeout { .. } => "the token request timed out".to_owned(),
            Error::Decode { status, error, .. } if error.path().is_empty() => {
                format!("the {status} token response is not what was expected")
            }
            Error::Decode { status, error, .. } => format!(
                "the {status} token response is not what was expected at `{}`",
                error.path()
            ),
            Error::BodyTooLarge { status, limit, .. } => {
                format!("the {status} token response is larger than the {limit}-byte limit")
            }
            Error::Api(api) if api.body().is_empty() => {
                format!("the token endpoint answered {}", api.status())
            }
            Error::Api(api) => format!(
                "the token endpoint answered {}: {}",
                api.status(),
                excerpt(api.body(), 200)
            ),
            Error::Auth { message, .. } => message.clone(),
        };
        Error::Auth {
            message,
            call,
            attempts,
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Request { message, call } => f
                .debug_struct("Request")
                .field("call", call)
                .field("message", message)
                .finish(),
            Error::Transport {
                source,
                call,
                attempts,
            } => f
                .debug_struct("Transport")
                .field("call", call)
                .field("source", source)
                .field("attempts", attempts)
                .finish(),
            Error::Timeout {
                call,
                attempts,
                elapsed,
            } => f
                .debug_struct("Timeout")
                .field("call", call)
                .field("attempts", attempts)
                .field("elapsed", elapsed)
                .finish(),
            Error::Decode {
                status,
                operation,
                call,
                body,
                error,
                attempts,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("operation", operation)
                .field("call", call)
                .field("body", &excerpt(body, EXCERPT_BYTES))
                .field("error", error)
                .field("attempts", attempts)
                .finish(),
            Error::BodyTooLarge {
                call,
                status,
                limit,
                attempts,
            } => f
                .debug_struct("BodyTooLarge")
                .field("call", call)
                .field("status", status)
                .field("limit", limit)
                .field("attempts", attempts)
                .finish(),
            Error::Api(api) => f.debug_tuple("Api").field(api).finish(),
            Error::Auth {
                message,
                call,
                attempts,
            } => f
                .debug_struct("Auth")
                .field("call", call)
                .field("message", message)
                .field("attempts", attempts)
                .finish(),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Request { message, call } => {
                write!(f, "invalid request{}: {message}", For(call))
            }
            Error::Transport {
                source,
                call,
                attempts,
            } => write!(
                f,
                "could not talk to the server{}: {} ({})",
                For(call),
                Causes(source),
                Attempts(*attempts)
            ),
            Error::Timeout {
                call,
                attempts,
                elapsed,
            } => write!(
                f,
                "request timed out after {} ms{} ({})",
                elapsed.as_millis(),
                For(call),
                Attempts(*attempts)
            ),
            Error::Decode {
                status,
                call,
                error,
                attempts,
                ..
            } => {
                write!(f, "could not decode the {status} response")?;
                if !call.is_empty() {
                    write!(f, " to {call}")?;
                }
                if !error.path().is_empty() {
                    write!(f, " at `{}`", error.path())?;
                }
                write!(f, ": {} ({})", error.redacted_message(), Attempts(*attempts))
            }
            Error::BodyTooLarge {
                call,
                status,
                limit,
                attempts,
            } => {
                write!(f, "the {status} response")?;
                if !call.is_empty() {
                    write!(f, " to {call}")?;
                }
                write!(
                    f,
                    " is larger than the {limit}-byte body limit ({})",
                    Attempts(*attempts)
                )
            }
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Auth { message, call, .. } => {
                write!(f, "could not obtain a token{}: {message}", For(call))
            }
        }
    }
}

/// Prints ` for <call>`, or nothing for an unknown call.
struct For<'a>(&'a str);

impl fmt::Display for For<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, " for {}", self.0)
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Decode { error, .. } => Some(error),
            Error::Api(api) => api
                .decode_error()
                .map(|e| e as &(dyn std::error::Error + 'static)),
            Error::Request { .. }
            | Error::Timeout { .. }
            | Error::BodyTooLarge { .. }
            | Error::Auth { .. } => None,
        }
    }
}

/// Prints an error and the distinct messages of its sources, `: `-separated, so that one line
/// says both "error sending request for url (...)" and "Connection refused".
struct Causes<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown: Vec<String> = Vec::new();
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(self.0);
        while let Some(error) = next {
            let text = error.to_string();
            if !shown.iter().any(|s| s.contains(&text)) {
                shown.push(text);
            }
            next = error.source();
        }
        f.write_str(&shown.join(": "))
    }
}

/// Prints "1 attempt" / "3 attempts".
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 attempt"),
            n => write!(f, "{n} attempts"),
        }
    }
}

/// An error status from the server: status, headers, raw body and, when the operation
/// documents this status, the typed error body.
pub struct ApiError<E> {
    // Boxed so that `Error<E>` stays small whatever the size of `E`.
    inner: Box<ApiErrorInner<E>>,
}

struct ApiErrorInner<E> {
    /// The call, as [`Error::Transport`] names it; empty when unknown.
    call: String,
    /// The provider's error code and message from the body, when the API says where they are.
    summary: Option<String>,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    error: Option<E>,
    decode_error: Option<DecodeError>,
    attempts: u32,
}

impl<E> ApiError<E> {
    pub(super) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
        error: Option<E>,
        decode_error: Option<DecodeError>,
        attempts: u32,
    ) -> Self {
        ApiError {
            inner: Box::new(ApiErrorInner {
                call: String::new(),
                summary: None,
                status,
                headers,
                body,
                error,
                decode_error,
                attempts,
            }),
        }
    }

    /// Names the call and reads the provider's code and message from the body at `fields`
    /// (JSON pointers of the code and of the message, `""` for none), for `Display`.
    ///
    /// An envelope's [`BatchError`](super::BatchError) says it best itself (the message, and
    /// the object that failed with its code), so its `Display` is the summary.
    pub(super) fn about(mut self, call: String, fields: (&str, &str)) -> Self
    where
        E: 'static,
    {
        self.inner.call = call;
        let batch = self
            .inner
            .error
            .as_ref()
            .and_then(|error| (error as &dyn std::any::Any).downcast_ref::<super::BatchError>());
        self.inner.summary = match batch {
            Some(batch) => Some(batch.to_string()),
            None => summarize(&self.inner.body, fields),
        };
        self
    }

    /// The provider's error code and message as the body gives them (`SERVER_NOT_FOUND: The
    /// server ... does not exist.`), when the API description says where they are.
    pub fn summary(&self) -> Option<&str> {
        self.inner.summary.as_deref()
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The raw response body.
    pub fn body(&self) -> &[u8] {
        &self.inner.body
    }

    /// The typed error body; `None` when the status is not documented for the operation or the
    /// documented body did not decode (see [`ApiError::decode_error`]).
    pub fn error(&self) -> Option<&E> {
        self.inner.error.as_ref()
    }

    /// The typed error body, by value.
    pub fn into_error(self) -> Option<E> {
        self.inner.error
    }

    /// Why the documented error body could not be decoded, if that is why [`ApiError::error`] is
    /// `None`.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        self.inner.decode_error.as_ref()
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.inner.status)
            .field("call", &self.inner.call)
            .field("headers", &AbbreviatedHeaders(&self.inner.headers))
            .field("body", &excerpt(&self.inner.body, EXCERPT_BYTES))
            .field("error", &self.inner.error)
            .field("decode_error", &self.inner.decode_error)
            .field("attempts", &self.inner.attempts)
            .finish()
    }
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.inner.status)?;
        if !self.inner.call.is_empty() {
            write!(f, " to {}", self.inner.call)?;
        }
        match (&self.inner.summary, &self.inner.error) {
            (Some(summary), _) => write!(f, ": {summary}")?,
            (None, Some(error)) => write!(f, ": {error:?}")?,
            (None, None) => {}
        }
        write!(f, " ({})", Attempts(self.inner.attempts))
    }
}

/// `CODE: message`, `CODE` or `message` from an error body, at most about 300 characters.
fn summarize(body: &[u8], (code, message): (&str, &str)) -> Option<String> {
    if code.is_empty() && message.is_empty() {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text_at = |pointer: &str| -> Option<String> {
        if pointer.is_empty() {
            return None;
        }
        match json.pointer(pointer)? {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let summary = match (text_at(code), text_at(message)) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => return None,
    };
    let mut chars = summary.chars();
    let short: String = chars.by_ref().take(300).collect();
    Some(if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    })
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .decode_error
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Why a client could not be built.
#[derive(Debug)]
pub struct BuildError {
    message: String,
    source: Option<reqwest::Error>,
}

impl BuildError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
            source: None,
        }
    }

    pub(super) fn with_source(message: impl Into<String>, source: reqwest::Error) -> Self {
        BuildError {
            message: message.into(),
            source: Some(source),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not build the client: {}", self.message)
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl BuildError {
    /// The client could not be configured because environment variable `name` is unset or not UTF-8.
    /// The message names the variable, never its value.
    pub fn missing_env(name: &str) -> Self {
        BuildError::new(format!(
            "environment variable `{name}` is not set (or not valid UTF-8)"
        ))
    }
}

impl BuildError {
    /// The client could not be configured for a reason given in `message`, which must not
    /// contain secrets (generated constructors use it, e.g. for an unreadable private key).
    pub fn other(message: impl Into<String>) -> Self {
        BuildError::new(message)
    }
}
