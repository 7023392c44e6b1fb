//! The plumbing of the typed mocks that generated modules offer (the `mock` feature): a mock
//! HTTP server on loopback ([`MockServer`], built on [`wiremock`]), what a request must match
//! ([`When`]) and what the server answers ([`Then`]).
//!
//! Generated code wraps [`When`] and [`Then`] in one pair of types per operation whose setters
//! take the operation's own parameter, body and response types, and encodes them exactly as
//! the client does (path segments, query values, wrapped bodies, unwrapped responses,
//! envelopes), so a test that passes against the mock sends what the real API receives.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::request::encode_path_segment;

/// A mock server on a loopback port, started for one test and stopped when dropped.
///
/// Generated modules wrap it with one method per operation; [`MockServer::inner`] gives the
/// [`wiremock::MockServer`] for anything the typed helpers do not cover.
pub struct MockServer {
    inner: wiremock::MockServer,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.inner.uri())
            .finish()
    }
}

impl MockServer {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        MockServer {
            inner: wiremock::MockServer::start().await,
        }
    }

    /// The base URL to give a client (`http://127.0.0.1:<port>`).
    pub fn base_url(&self) -> String {
        self.inner.uri()
    }

    /// The wiremock server underneath.
    pub fn inner(&self) -> &wiremock::MockServer {
        &self.inner
    }

    /// Answers requests matching `when` as `then` says, for as long as the server runs. When
    /// several mocks match a request, the one mounted first answers.
    pub async fn mount(&self, when: When, then: Then) {
        when.into_mock(then).mount(&self.inner).await;
    }

    /// Every request the server received, in order.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.inner.received_requests().await.unwrap_or_default()
    }

    /// Panics, listing them, if some mock did not receive the number of requests its
    /// [`When::expect`] asked for. The server also checks this when dropped.
    pub async fn verify(&self) {
        self.inner.verify().await;
    }
}

/// What a request must match: the operation's method and path, and the path parameters,
/// query parameters, headers and JSON body a test sets. Query parameters and headers that a
/// test does not set may have any value.
#[derive(Debug, Clone)]
pub struct When {
    operation: &'static str,
    method: &'static str,
    path: &'static str,
    path_values: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    expect: Option<u64>,
}

impl When {
    /// Any request of the operation `operation`: `method` and a path matching the template
    /// `path` (`/server/{uuid}`: any one segment where a parameter is).
    pub fn new(operation: &'static str, method: &'static str, path: &'static str) -> Self {
        When {
            operation,
            method,
            path,
            path_values: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            expect: None,
        }
    }

    /// Matches only requests whose path parameter `name` (as in the template) is `value`,
    /// given as text and percent-encoded here as the client encodes it.
    pub fn path_param(&mut self, name: &'static str, value: &str) -> &mut Self {
        let encoded = encode_path_segment(value);
        self.path_values.retain(|(n, _)| *n != name);
        self.path_values.push((name, encoded));
        self
    }

    /// Matches only requests whose query has `name=value` (among any other parameters).
    pub fn query_param(&mut self, name: &str, value: impl fmt::Display) -> &mut Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Matches only requests carrying every one of `values` as `name`: repeated
    /// (`name=a&name=b`) when `explode`, otherwise joined with commas (`name=a,b`).
    pub fn query_list(&mut self, name: &str, values: &[String], explode: bool) -> &mut Self {
        if explode {
            for value in values {
                self.query_param(name, value);
            }
        } else {
            self.query_param(name, values.join(","));
        }
        self
    }

    /// Matches only requests with the header `name: value`.
    pub fn header(&mut self, name: &str, value: &str) -> &mut Self {
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Matches only requests whose body is this JSON value (compared as JSON, so key order
    /// and spacing do not matter). Generated code passes the body through the codec the
    /// client sends it with.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        // A body that cannot be serialised matches no request, and the test sees the mock
        // unmatched rather than a panic.
        self.body = Some(serde_json::to_value(body).unwrap_or_else(|e| {
            Value::String(format!("the expected body cannot be serialised: {e}"))
        }));
        self
    }

    /// Expects exactly `times` matching requests: [`MockServer::verify`], or dropping the
    /// server, panics otherwise.
    pub fn expect(&mut self, times: u64) -> &mut Self {
        self.expect = Some(times);
        self
    }

    /// The wiremock mock answering matching requests with `then`.
    pub fn into_mock(self, then: Then) -> wiremock::Mock {
        let name = format!("{} {} ({})", self.method, self.path, self.operation);
        let expect = self.expect;
        let mock = wiremock::Mock::given(self)
            .respond_with(then.into_template())
            .named(name);
        match expect {
            Some(times) => mock.expect(times),
            None => mock,
        }
    }

    fn path_matches(&self, path: &str) -> bool {
        let mut rest = path;
        let mut template = self.path;
        while let Some(start) = template.find('{') {
            let Some(len) = template[start..].find('}') else {
                break;
            };
            let Some(after) = rest.strip_prefix(&template[..start]) else {
                return false;
            };
            let name = &template[start + 1..start + len];
            template = &template[start + len + 1..];
            // A parameter's value runs to the next `/` (or to the literal text after it).
            let stop = template.chars().next().filter(|c| *c != '/');
            let end = after
                .find(|c: char| c == '/' || Some(c) == stop)
                .unwrap_or(after.len());
            let (value, tail) = after.split_at(end);
            let wanted = self.path_values.iter().find(|(n, _)| *n == name);
            if value.is_empty() || wanted.is_some_and(|(_, v)| v != value) {
                return false;
            }
            rest = tail;
        }
        rest == template
    }
}

impl wiremock::Match for When {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if request.method.as_str() != self.method || !self.path_matches(request.url.path()) {
            return false;
        }
        let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        if !self.query.iter().all(|wanted| pairs.contains(wanted)) {
            return false;
        }
        let headers_match = self.headers.iter().all(|(name, value)| {
            request
                .headers
                .get_all(name.as_str())
                .iter()
                .any(|v| v.as_bytes() == value.as_bytes())
        });
        if !headers_match {
            return false;
        }
        match &self.body {
            None => true,
            Some(wanted) => serde_json::from_slice::<Value>(&request.body).ok().as_ref() == Some(wanted),
        }
    }
}

/// What the mock server answers. Until a response is set it answers `500` with a body saying
/// so, which the client reports as an undocumented status.
#[derive(Debug, Clone)]
pub struct Then {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    content_type: Option<String>,
    items: Vec<Value>,
}

impl Default for Then {
    fn default() -> Self {
        Then {
            status: 500,
            headers: Vec::new(),
            body: b"the mock of this operation sets no response".to_vec(),
            content_type: Some("text/plain".to_owned()),
            items: Vec::new(),
        }
    }
}

impl Then {
    /// The `500` answer of a mock that sets no response.
    pub fn new() -> Self {
        Then::default()
    }

    /// Answers `status` with `value` as JSON, placed at the JSON pointer `unwrap` (the one the
    /// client reads the value from: `/server` gives `{"server": value}`), or as the whole
    /// body when `unwrap` is `None`. Generated code passes the value through its codec.
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        status: u16,
        value: &T,
        unwrap: Option<&str>,
    ) -> &mut Self {
        match serde_json::to_value(value) {
            Ok(value) => {
                let value = match unwrap {
                    Some(pointer) => wrap_at_pointer(value, pointer),
                    None => value,
                };
                self.json_value(status, &value)
            }
            Err(e) => self.text(
                500,
                format!("the mocked response cannot be serialised: {e}"),
                "text/plain",
            ),
        }
    }

    /// Answers `status` with this JSON body as it is.
    pub fn json_value(&mut self, status: u16, body: &Value) -> &mut Self {
        self.status = status;
        self.body = body.to_string().into_bytes();
        self.content_type = Some("application/json".to_owned());
        self
    }

    /// Answers `status` with a text body of the given content type.
    pub fn text(&mut self, status: u16, body: impl Into<String>, content_type: &str) -> &mut Self {
        self.bytes(status, body.into().into_bytes(), content_type)
    }

    /// Answers `status` with a raw body of the given content type.
    pub fn bytes(&mut self, status: u16, body: impl Into<Vec<u8>>, content_type: &str) -> &mut Self {
        self.status = status;
        self.body = body.into();
        self.content_type = Some(content_type.to_owned());
        self
    }

    /// Answers `status` with no body.
    pub fn empty(&mut self, status: u16) -> &mut Self {
        self.status = status;
        self.body = Vec::new();
        self.content_type = None;
        self
    }

    /// Adds a response header (rate-limit headers, `Retry-After`, ...).
    pub fn header(&mut self, name: &str, value: &str) -> &mut Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds one object to the items of an envelope (as `spec` places its parts) and answers
    /// `200` with it: a success when `failure` is `None`, otherwise a failed object carrying
    /// the numeric code and message of `failure` beside its own fields. The envelope's status
    /// says how the items went: `"success"`, `"partial_success"` or `"error"`.
    #[cfg(feature = "envelope")]
    pub fn envelope_item<T: Serialize + ?Sized>(
        &mut self,
        spec: &super::envelope::EnvelopeSpec,
        item: &T,
        failure: Option<(i64, &str)>,
    ) -> &mut Self {
        let mut item = serde_json::to_value(item).unwrap_or_else(|e| {
            Value::String(format!("the mocked object cannot be serialised: {e}"))
        });
        if let Some((code, message)) = failure {
            if !item.is_object() {
                item = Value::Object(serde_json::Map::new());
            }
            set_at_pointer(&mut item, "/status", Value::from("error"));
            set_at_pointer(&mut item, "/error", Value::from(code));
            set_at_pointer(&mut item, "/message", Value::from(message));
        }
        self.items.push(item);
        let failed = self
            .items
            .iter()
            .filter(|i| i.get("status").and_then(Value::as_str) == Some("error"))
            .count();
        let status = match failed {
            0 => "success",
            n if n == self.items.len() => "error",
            _ => "partial_success",
        };
        let root = envelope(spec, status, None, self.items.clone(), Vec::new());
        self.json_value(200, &root)
    }

    /// Answers `status` with an envelope reporting that the request as a whole failed: the
    /// status `"error"`, `message`, and one entry in its errors with the status and message.
    #[cfg(feature = "envelope")]
    pub fn envelope_error(
        &mut self,
        status: u16,
        spec: &super::envelope::EnvelopeSpec,
        message: &str,
    ) -> &mut Self {
        let error = serde_json::json!({"status": status, "message": message});
        let root = envelope(spec, "error", Some(message), Vec::new(), vec![error]);
        self.items.clear();
        self.json_value(status, &root)
    }

    /// The wiremock response.
    pub fn into_template(self) -> wiremock::ResponseTemplate {
        let mut template = wiremock::ResponseTemplate::new(self.status);
        for (name, value) in &self.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        match self.content_type {
            Some(content_type) => template.set_body_raw(self.body, &content_type),
            None => template,
        }
    }
}

/// An envelope with its parts where `spec` places them.
#[cfg(feature = "envelope")]
fn envelope(
    spec: &super::envelope::EnvelopeSpec,
    status: &str,
    message: Option<&str>,
    items: Vec<Value>,
    errors: Vec<Value>,
) -> Value {
    if spec.items.is_empty() {
        // The whole body is the array: there is no room for the other parts.
        return Value::Array(items);
    }
    let mut root = Value::Object(serde_json::Map::new());
    if !spec.status.is_empty() {
        set_at_pointer(&mut root, spec.status, Value::from(status));
    }
    if let (false, Some(message)) = (spec.message.is_empty(), message) {
        set_at_pointer(&mut root, spec.message, Value::from(message));
    }
    if !spec.errors.is_empty() && !errors.is_empty() {
        set_at_pointer(&mut root, spec.errors, Value::Array(errors));
    }
    set_at_pointer(&mut root, spec.items, Value::Array(items));
    root
}

/// `value` placed at the JSON pointer `pointer` of an otherwise empty object:
/// `wrap_at_pointer(v, "/data/server")` is `{"data": {"server": v}}`.
pub fn wrap_at_pointer(value: Value, pointer: &str) -> Value {
    let mut root = Value::Null;
    set_at_pointer(&mut root, pointer, value);
    root
}

/// Sets the member at `pointer` of `root`, making the objects on the way (an array index in
/// the pointer is taken as an object key). The empty pointer replaces `root`.
pub fn set_at_pointer(root: &mut Value, pointer: &str, value: Value) {
    let mut place = root;
    for segment in pointer.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        if !place.is_object() {
            *place = Value::Object(serde_json::Map::new());
        }
        let Value::Object(map) = place else {
            return;
        };
        place = map.entry(key).or_insert(Value::Null);
    }
    *place = value;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_wrapped_at_its_pointer() {
        let wrapped = wrap_at_pointer(Value::from(1), "/data/a~1b");
        assert_eq!(wrapped, serde_json::json!({"data": {"a/b": 1}}));
        assert_eq!(wrap_at_pointer(Value::from(1), ""), Value::from(1));
    }

    #[test]
    fn a_path_template_matches_one_segment_per_parameter() {
        let mut when = When::new("get", "GET", "/server/{uuid}/storage");
        assert!(when.path_matches("/server/abc/storage"));
        assert!(!when.path_matches("/server//storage"));
        assert!(!when.path_matches("/server/a/b/storage"));
        when.path_param("uuid", "a b");
        assert!(when.path_matches("/server/a%20b/storage"));
        assert!(!when.path_matches("/server/abc/storage"));
        let when = When::new("get", "GET", "/zone/{name}.json");
        assert!(when.path_matches("/zone/fi-hel1.json"));
    }
}
