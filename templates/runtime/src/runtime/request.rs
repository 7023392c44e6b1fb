//! A request as emitted code builds it, and the per-request options a caller may add.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;

use super::retry::RetryPolicy;
use super::secret::{is_sensitive_header, Secret};

/// One operation call: method, rendered path, query, headers and body.
///
/// Problems found while building (an invalid header value, a body that fails to serialize) are
/// kept and reported by `Client::execute` as `Error::Request`, so the builder methods never fail.
#[must_use = "a request does nothing until it is passed to `Client::execute`"]
pub struct Request {
    pub(super) method: Method,
    pub(super) path_template: &'static str,
    pub(super) operation: &'static str,
    /// JSON pointers of the provider's error code and message in error bodies ("" for none).
    pub(super) error_fields: (&'static str, &'static str),
    pub(super) path: String,
    /// Pairs already percent-encoded, ready to join with `=` and `&`.
    pub(super) query: Vec<(String, String)>,
    /// The (percent-encoded) names of query parameters whose values are secrets, hidden in
    /// error messages like those whose names look like credentials.
    pub(super) secret_query: Vec<String>,
    /// Whether the path holds a secret: error messages then show the path template.
    pub(super) secret_path: bool,
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) body: Option<(Bytes, HeaderValue)>,
    pub(super) retry_safe: bool,
    pub(super) no_auth: bool,
    pub(super) options: RequestOptions,
    pub(super) problem: Option<String>,
}

impl Request {
    /// A request for `path` (already rendered and percent-encoded, starting with `/`);
    /// `path_template` is the spec's path (`/server/{uuid}`), used for tracing instead of `path`.
    pub fn new(method: Method, path_template: &'static str, path: String) -> Self {
        Request {
            method,
            path_template,
            operation: "",
            error_fields: ("", ""),
            path,
            query: Vec::new(),
            secret_query: Vec::new(),
            secret_path: false,
            headers: Vec::new(),
            body: None,
            retry_safe: false,
            no_auth: false,
            options: RequestOptions::default(),
            problem: None,
        }
    }

    /// Names the operation (`get_server`), for error messages and drift reports.
    pub fn operation(mut self, name: &'static str) -> Self {
        self.operation = name;
        self
    }

    /// Where error bodies carry the provider's error code and message (JSON pointers, `""` for
    /// none), so that an API error's message can show them.
    pub fn error_fields(mut self, code: &'static str, message: &'static str) -> Self {
        self.error_fields = (code, message);
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.query
            .push((encode_component(name), encode_component(&value.to_string())));
        self
    }

    /// Adds a query parameter when `value` is `Some`; `None` leaves it out.
    pub fn query_opt<V: fmt::Display>(self, name: &str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Adds an array query parameter in `style=form`: with `explode` as `name=a&name=b`, without
    /// as `name=a,b` (commas inside values are percent-encoded). An empty list is left out.
    pub fn query_list<V: fmt::Display>(mut self, name: &str, values: &[V], explode: bool) -> Self {
        if values.is_empty() {
            return self;
        }
        if explode {
            for value in values {
                self = self.query(name, value);
            }
        } else {
            let joined = values
                .iter()
                .map(|v| encode_component(&v.to_string()))
                .collect::<Vec<_>>()
                .join(",");
            self.query.push((encode_component(name), joined));
        }
        self
    }

    /// Marks the path as holding a secret (a path parameter the spec marks secret): error
    /// messages show the path template (`/keys/{key}`) instead of the path.
    pub fn secret_path(mut self) -> Self {
        self.secret_path = true;
        self
    }

    /// Adds a query parameter whose value is a secret: sent as it is, shown as `<redacted>` in
    /// error messages whatever its name.
    pub fn secret_query(mut self, name: &str, value: &Secret) -> Self {
        self.secret_query.push(encode_component(name));
        self.query(name, value.expose())
    }

    /// Adds an array query parameter of secrets, as [`Request::query_list`] does, hidden as
    /// [`Request::secret_query`] is.
    pub fn secret_query_list(mut self, name: &str, values: &[Secret], explode: bool) -> Self {
        self.secret_query.push(encode_component(name));
        let exposed: Vec<&str> = values.iter().map(Secret::expose).collect();
        self.query_list(name, &exposed, explode)
    }

    /// Adds a header whose value is a secret: marked sensitive whatever its name, so that no
    /// `Debug` of the headers shows it.
    pub fn secret_header(mut self, name: &'static str, value: &Secret) -> Self {
        let before = self.headers.len();
        self = self.header(name, value.expose());
        if let Some((_, value)) = self.headers.get_mut(before) {
            value.set_sensitive(true);
        }
        self
    }

    /// Adds a header. An invalid name or value makes `execute` fail with `Error::Request`
    /// (the message names the header, never its value).
    pub fn header(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        let parsed_name = HeaderName::from_bytes(name.as_bytes());
        let parsed_value = HeaderValue::from_str(&value.to_string());
        match (parsed_name, parsed_value) {
            (Ok(name), Ok(mut value)) => {
                value.set_sensitive(is_sensitive_header(name.as_str()));
                self.headers.push((name, value));
            }
            (Err(_), _) => self.fail(format!("`{name}` is not a valid header name")),
            (_, Err(_)) => self.fail(format!(
                "the value of header `{name}` is not a valid header value"
            )),
        }
        self
    }

    /// Sets a JSON body (`application/json`).
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some((bytes.into(), HeaderValue::from_static("application/json")));
            }
            Err(e) => self.fail(format!("could not serialize the JSON body: {e}")),
        }
        self
    }

    /// Sets a form body (`application/x-www-form-urlencoded`): one `name=value` pair per field,
    /// a list as the same name repeated.
    pub fn form<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_html_form::to_string(body) {
            Ok(text) => {
                let content_type = HeaderValue::from_static("application/x-www-form-urlencoded");
                self.body = Some((text.into(), content_type));
            }
            Err(e) => self.fail(format!("could not serialize the form body: {e}")),
        }
        self
    }

    /// Sets a raw body with its content type. These exact bytes are sent (unless a hook changes
    /// them), so a signature computed over them stays valid.
    pub fn bytes(mut self, body: impl Into<Bytes>, content_type: &'static str) -> Self {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => self.body = Some((body.into(), content_type)),
            Err(_) => self.fail(format!("`{content_type}` is not a valid content type")),
        }
        self
    }

    #[cfg(feature = "multipart")]
    /// Sets a `multipart/form-data` body, encoded now with a fresh boundary.
    pub fn multipart(mut self, form: &super::multipart::Multipart) -> Self {
        let (body, content_type) = form.encode();
        match HeaderValue::from_str(&content_type) {
            Ok(content_type) => self.body = Some((body, content_type)),
            Err(_) => self.fail("the multipart boundary is not a valid header value".to_owned()),
        }
        self
    }

    /// Marks a non-idempotent request (POST, PATCH) as safe to send more than once, so it is
    /// retried like a GET.
    pub fn retry_safe(mut self, safe: bool) -> Self {
        self.retry_safe = safe;
        self
    }

    /// Sends this request without the client's `Auth` credentials (default headers are still
    /// sent), e.g. the request that fetches a token for `Auth::Token`, which would otherwise wait
    /// for its own result.
    pub fn no_auth(mut self) -> Self {
        self.no_auth = true;
        self
    }

    /// Applies a caller's per-request options (headers, timeout, retry policy).
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The spec's path template, e.g. `/server/{uuid}`.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// Marks the request as invalid: `Client::execute` refuses it with `Error::Request` and
    /// `message`, sending nothing. Generated methods use it for an argument that failed its
    /// check (a malformed UUID, say), so that the method itself never fails.
    #[doc(hidden)]
    pub fn refuse(mut self, message: impl Into<String>) -> Self {
        self.fail(message.into());
        self
    }

    fn fail(&mut self, message: String) {
        // The first problem is the one worth reporting; later ones often follow from it.
        self.problem.get_or_insert(message);
    }
}

impl fmt::Debug for Request {
    /// Shows the shape of the request but no values that could be secret: no rendered path,
    /// query values, header values or body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field(
                "query",
                &self.query.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field(
                "body_bytes",
                &self.body.as_ref().map(|(body, _)| body.len()),
            )
            .field("retry_safe", &self.retry_safe)
            .field("no_auth", &self.no_auth)
            .field("options", &self.options)
            .finish()
    }
}

/// Options a caller sets on one request: extra headers, a timeout, a retry policy.
///
/// ```
/// use std::time::Duration;
/// use cloudgen_runtime::{RequestOptions, RetryPolicy};
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::none());
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct RequestOptions {
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) timeout: Option<Duration>,
    pub(super) retry: Option<RetryPolicy>,
}

impl RequestOptions {
    /// No options: the client's defaults apply.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Adds a header, replacing any header of the same name the request would otherwise send.
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        if is_sensitive_header(name.as_str()) {
            value.set_sensitive(true);
        }
        self.headers.push((name, value));
        self
    }

    /// The timeout for each attempt, instead of the client's.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// The retry policy, instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

impl fmt::Debug for RequestOptions {
    /// Header values are left out: a caller may pass a credential this way.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

/// Percent-encodes a path parameter value so that it stays one path segment: every byte
/// except ASCII letters, digits and `-._~` is encoded (so `/`, `?`, `#` and `%` are).
pub fn encode_path_segment(s: &str) -> String {
    encode_component(s)
}

/// Percent-encodes everything but RFC 3986 "unreserved" characters.
pub(super) fn encode_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    out
}

/// Whether a rendered path has a `.` or `..` segment (plain or percent-encoded), which URL
/// parsing would resolve away, sending the request to a different resource.
pub(super) fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|segment| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    })
}

/// Values for a query parameter that holds a list: one value, or any list of them. Each call
/// of such a parameter's setter adds its values, so `.label("a").label("b")` and
/// `.label(["a", "b"])` send the same query.
pub trait QueryValues<T> {
    /// The values, in order.
    fn into_values(self) -> Vec<T>;
}

impl<T> QueryValues<T> for Vec<T> {
    fn into_values(self) -> Vec<T> {
        self
    }
}

impl<T, const N: usize> QueryValues<T> for [T; N] {
    fn into_values(self) -> Vec<T> {
        self.into()
    }
}

impl<T: Clone> QueryValues<T> for &[T] {
    fn into_values(self) -> Vec<T> {
        self.to_vec()
    }
}

impl QueryValues<String> for &str {
    fn into_values(self) -> Vec<String> {
        vec![self.to_owned()]
    }
}

impl QueryValues<String> for &String {
    fn into_values(self) -> Vec<String> {
        vec![self.clone()]
    }
}

impl QueryValues<String> for Vec<&str> {
    fn into_values(self) -> Vec<String> {
        self.into_iter().map(str::to_owned).collect()
    }
}

impl<const N: usize> QueryValues<String> for [&str; N] {
    fn into_values(self) -> Vec<String> {
        self.iter().map(|s| (*s).to_owned()).collect()
    }
}

impl QueryValues<String> for &[&str] {
    fn into_values(self) -> Vec<String> {
        self.iter().map(|s| (*s).to_owned()).collect()
    }
}

/// `QueryValues<T> for T`, for item types that are one value.
macro_rules! one_query_value {
    ($($t:ty),*) => {$(
        impl QueryValues<$t> for $t {
            fn into_values(self) -> Vec<$t> {
                vec![self]
            }
        }
    )*};
}

one_query_value!(String, Secret, bool, i32, i64, u32, u64, f32, f64, uuid::Uuid);

impl QueryValues<Secret> for &str {
    fn into_values(self) -> Vec<Secret> {
        vec![Secret::from(self)]
    }
}
