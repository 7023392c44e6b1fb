//! Fault-injection tests for the client runtime, against a tiny scripted HTTP/1.1 server on
//! loopback. Each test reads as one behaviour of the runtime.

use std::io::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cloudapi::runtime::{
    decode_json, decode_json_pointer, encode_path_segment, BoxFuture, Client, ClientBuilder,
    DecodeError, Decoded, Error, Hook, Request, RequestOptions, ResponseInfo, RetryPolicy,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------------------
// The scripted server

/// How the server sends one reply.
#[derive(Clone, Debug)]
enum Mode {
    /// Status line, headers with `content-length`, full body.
    Normal,
    /// Declares the full length but closes after this many body bytes.
    CutAfter(usize),
    /// No `content-length`: the body runs until the connection closes.
    UntilClose,
}

#[derive(Clone, Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    mode: Mode,
}

impl Reply {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
            mode: Mode::Normal,
        }
    }

    fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::new(status, body).header("content-type", "application/json")
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }

    fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Server {
    base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves `replies` in order, one per connection; the last one repeats.
    async fn start(replies: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().expect("local addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        tokio::spawn(async move {
            let mut index = 0usize;
            // Bounded so that a broken test cannot make the server loop for ever.
            while index < 64 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let reply = replies[index.min(replies.len() - 1)].clone();
                index += 1;
                let log = Arc::clone(&log);
                tokio::spawn(async move { handle(stream, reply, log).await });
            }
        });
        Server { base_url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("log lock").clone()
    }

    fn count(&self) -> usize {
        self.seen.lock().expect("log lock").len()
    }
}

async fn handle(mut stream: TcpStream, reply: Reply, log: Arc<Mutex<Vec<Seen>>>) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    let body = data[head_end..].to_vec();
    log.lock().expect("log lock").push(Seen {
        method,
        target,
        headers,
        body,
    });

    tokio::time::sleep(reply.delay).await;
    let mut out = Vec::new();
    write!(out, "HTTP/1.1 {} X\r\nconnection: close\r\n", reply.status).expect("write to Vec");
    for (name, value) in &reply.headers {
        write!(out, "{name}: {value}\r\n").expect("write to Vec");
    }
    if !matches!(reply.mode, Mode::UntilClose) {
        write!(out, "content-length: {}\r\n", reply.body.len()).expect("write to Vec");
    }
    out.extend_from_slice(b"\r\n");
    match reply.mode {
        Mode::CutAfter(n) => out.extend_from_slice(&reply.body[..n]),
        Mode::Normal | Mode::UntilClose => out.extend_from_slice(&reply.body),
    }
    let _ = stream.write_all(&out).await;
    let _ = stream.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// An operation as emitted code would describe it

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
struct Thing {
    id: String,
    size: u32,
}

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
struct ThingError {
    error_code: String,
}

fn decode_thing(
    status: StatusCode,
    _headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded<Thing, ThingError>, DecodeError> {
    match status.as_u16() {
        200 => decode_json(body).map(Decoded::Ok),
        404 | 500 => decode_json(body).map(Decoded::Err),
        _ => Ok(Decoded::Unexpected),
    }
}

const THING: &str = r#"{"id":"t-1","size":3}"#;

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::new(attempts)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

fn client_for(server: &Server) -> ClientBuilder {
    Client::builder(server.base_url.clone())
        .retry(fast_retries(3))
        .timeout(Duration::from_secs(5))
}

fn get_thing() -> Request {
    Request::new(
        Method::GET,
        "/things/{id}",
        format!("/things/{}", encode_path_segment("t-1")),
    )
}

fn post_thing() -> Request {
    Request::new(Method::POST, "/things", "/things".to_owned())
        .json(&serde_json::json!({"size": 3}))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

// ---------------------------------------------------------------------------------------------
// Success and API errors

#[tokio::test]
async fn success_returns_value_status_headers_and_one_attempt() {
    let server = Server::start(vec![Reply::json(200, THING).header("x-request-id", "r1")]).await;
    let client = client_for(&server).build().expect("client");
    let response = client
        .execute(get_thing(), decode_thing)
        .await
        .expect("success");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.attempts(), 1);
    assert_eq!(response.headers()["x-request-id"], "r1");
    assert_eq!(
        response.into_inner(),
        Thing {
            id: "t-1".into(),
            size: 3
        }
    );
    assert_eq!(server.seen()[0].target, "/things/t-1");
}

#[tokio::test]
async fn status_500_is_an_api_error_and_is_not_retried() {
    let server = Server::start(vec![Reply::json(500, r#"{"error_code":"BOOM"}"#)]).await;
    let client = client_for(&server).build().expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("500 fails");
    let api = error.api().expect("an API error");
    assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        api.error(),
        Some(&ThingError {
            error_code: "BOOM".into()
        })
    );
    assert_eq!(api.body(), br#"{"error_code":"BOOM"}"#);
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.count(), 1);
    assert_eq!(
        error.to_string(),
        format!(
            r#"the server answered 500 Internal Server Error to GET {}/things/t-1: ThingError {{ error_code: "BOOM" }} (1 attempt)"#,
            server.base_url
        )
    );
}

#[tokio::test]
async fn undocumented_status_is_an_api_error_without_typed_body() {
    let server = Server::start(vec![Reply::new(418, "short and stout")]).await;
    let client = client_for(&server).build().expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("418 fails");
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 418);
    assert!(api.error().is_none());
    assert_eq!(api.body(), b"short and stout");
}

#[tokio::test]
async fn error_status_with_malformed_error_body_keeps_status_and_decode_error() {
    let server = Server::start(vec![Reply::new(404, "<html>not json</html>")]).await;
    let client = client_for(&server).build().expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("404 fails");
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    let api = error.api().expect("an API error, not a decode error");
    assert!(api.error().is_none());
    assert!(api.decode_error().is_some());
    assert!(
        std::error::Error::source(&error).is_some(),
        "the decode error is the source"
    );
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn status_503_then_200_succeeds_on_the_second_attempt() {
    let server = Server::start(vec![Reply::new(503, "busy"), Reply::json(200, THING)]).await;
    let client = client_for(&server).build().expect("client");
    let response = client
        .execute(get_thing(), decode_thing)
        .await
        .expect("retried");
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retryable_statuses_give_up_after_max_attempts() {
    for status in [429, 502, 503, 504] {
        let server = Server::start(vec![Reply::new(status, "no")]).await;
        let client = client_for(&server).build().expect("client");
        let error = client
            .execute(get_thing(), decode_thing)
            .await
            .expect_err("keeps failing");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.attempts(), 3, "status {status}");
        assert_eq!(server.count(), 3, "status {status}");
    }
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = Server::start(vec![
        Reply::new(429, "slow down").header("retry-after", "1"),
        Reply::json(200, THING),
    ])
    .await;
    let client = client_for(&server).build().expect("client");
    let started = Instant::now();
    let response = client
        .execute(get_thing(), decode_thing)
        .await
        .expect("retried");
    assert_eq!(response.attempts(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = Server::start(vec![
        Reply::new(503, "later").header("retry-after", when),
        Reply::json(200, THING),
    ])
    .await;
    let client = client_for(&server).build().expect("client");
    let started = Instant::now();
    let response = client
        .execute(get_thing(), decode_thing)
        .await
        .expect("retried");
    assert_eq!(response.attempts(), 2);
    // The date has one-second resolution, so the wait is between one and two seconds.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_longer_than_max_server_wait_is_not_waited_for() {
    let far = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    for value in ["7200".to_owned(), far] {
        let server = Server::start(vec![
            Reply::new(429, "go away").header("retry-after", value),
            Reply::json(200, THING),
        ])
        .await;
        let client = client_for(&server).build().expect("client");
        let started = Instant::now();
        let error = client
            .execute(get_thing(), decode_thing)
            .await
            .expect_err("not retried");
        assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(error.attempts(), 1);
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}

#[tokio::test]
async fn rate_limit_reset_header_is_honoured_on_429() {
    let reset = (unix_now() + 2).to_string();
    let server = Server::start(vec![
        Reply::new(429, "limited").header("x-ratelimit-reset", reset),
        Reply::json(200, THING),
    ])
    .await;
    let client = client_for(&server)
        .rate_limit_reset_header("X-RateLimit-Reset")
        .build()
        .expect("client");
    let started = Instant::now();
    let response = client
        .execute(get_thing(), decode_thing)
        .await
        .expect("retried");
    assert_eq!(response.attempts(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn rate_limit_reset_beyond_the_bound_is_not_waited_for() {
    let reset = (unix_now() + 3600).to_string();
    let server = Server::start(vec![
        Reply::new(429, "limited").header("x-ratelimit-reset", reset)
    ])
    .await;
    let client = client_for(&server)
        .rate_limit_reset_header("x-ratelimit-reset")
        .build()
        .expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("not retried");
    assert_eq!(error.attempts(), 1);
}

#[tokio::test]
async fn post_with_503_is_not_retried() {
    let server = Server::start(vec![Reply::new(503, "busy"), Reply::json(200, THING)]).await;
    let client = client_for(&server).build().expect("client");
    let error = client
        .execute(post_thing(), decode_thing)
        .await
        .expect_err("POST not retried");
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn post_marked_retry_safe_is_retried() {
    let server = Server::start(vec![Reply::new(503, "busy"), Reply::json(200, THING)]).await;
    let client = client_for(&server).build().expect("client");
    let response = client
        .execute(post_thing().retry_safe(true), decode_thing)
        .await
        .expect("retried");
    assert_eq!(response.attempts(), 2);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|s| s.method == "POST" && s.body == br#"{"size":3}"#),
        "{seen:?}"
    );
}

#[tokio::test]
async fn total_deadline_stops_retrying() {
    let server = Server::start(vec![Reply::new(503, "busy")]).await;
    let policy = RetryPolicy::new(50)
        .initial_backoff(Duration::from_millis(40))
        .max_backoff(Duration::from_millis(40))
        .jitter(false)
        .deadline(Duration::from_millis(300));
    let client = client_for(&server).retry(policy).build().expect("client");
    let started = Instant::now();
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("gives up");
    // Either the last attempt started in time and got its 503, or, on a slow machine, the
    // deadline passed while it ran and it timed out, as `RetryPolicy::deadline` documents.
    if !error.is_timeout() {
        assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    }
    assert!(
        error.attempts() > 1 && error.attempts() < 50,
        "attempts {}",
        error.attempts()
    );
    // Well under the 2 s that 50 attempts 40 ms apart would take, with room for a loaded
    // machine: attempts are cut at the deadline, so only scheduling delay adds to it.
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn per_request_retry_policy_overrides_the_client() {
    let server = Server::start(vec![Reply::new(503, "busy"), Reply::json(200, THING)]).await;
    let client = client_for(&server).build().expect("client");
    let request = get_thing().options(RequestOptions::new().retry(RetryPolicy::none()));
    let error = client
        .execute(request, decode_thing)
        .await
        .expect_err("no retries");
    assert_eq!(error.attempts(), 1);
}

// ---------------------------------------------------------------------------------------------
// Transport, decoding, limits, timeouts

#[tokio::test]
async fn connection_closed_mid_body_is_a_transport_error() {
    let reply = Reply::json(200, THING).mode(Mode::CutAfter(5));
    let server = Server::start(vec![reply]).await;
    let client = client_for(&server)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("cut body");
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn connection_closed_mid_body_is_retried_for_get() {
    let server = Server::start(vec![
        Reply::json(200, THING).mode(Mode::CutAfter(5)),
        Reply::json(200, THING),
    ])
    .await;
    let client = client_for(&server).build().expect("client");
    let response = client
        .execute(get_thing(), decode_thing)
        .await
        .expect("retried");
    assert_eq!(response.attempts(), 2);
}

#[tokio::test]
async fn refused_connection_is_retried_then_a_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let client = Client::builder(base_url.clone())
        .retry(fast_retries(3))
        .build()
        .expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("refused");
    assert!(
        matches!(error, Error::Transport { attempts: 3, .. }),
        "{error:?}"
    );
    // One line says which call, the URL, and the cause at the bottom of the chain.
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!(
            "could not talk to the server for GET {base_url}/things/t-1: error sending request: "
        )),
        "{shown}"
    );
    assert!(
        shown.to_lowercase().contains("connection refused"),
        "{shown}"
    );
    assert!(shown.ends_with("(3 attempts)"), "{shown}");
}

/// HTTPS goes through rustls with the runtime's own crypto provider (`ring`): building the
/// client does not panic for want of a provider, and a server that does not speak TLS gives a
/// transport error whose cause comes from the TLS handshake.
#[tokio::test]
async fn https_to_a_server_without_tls_is_a_tls_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut hello = [0u8; 5];
        // The first bytes of a TLS ClientHello: a handshake record (22), TLS 1.x.
        stream.read_exact(&mut hello).await.expect("client hello");
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        hello
    });
    let client = Client::builder(format!("https://{addr}"))
        .retry(RetryPolicy::none())
        .build()
        .expect("an HTTPS client builds without a process-wide crypto provider");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("not TLS");
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    let hello = server.await.expect("server");
    assert_eq!((hello[0], hello[1]), (22, 3), "{hello:?}");
    let built = cloudapi::runtime::reqwest_client_builder()
        .expect("TLS configuration")
        .build();
    assert!(built.is_ok(), "{built:?}");
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_with_the_field_path() {
    let body = r#"{"id":"t-1","size":"three"}"#;
    let server = Server::start(vec![Reply::json(200, body)]).await;
    let client = client_for(&server).build().expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("bad JSON");
    match &error {
        Error::Decode {
            status,
            body: raw,
            error: decode,
            attempts,
            ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(raw, body.as_bytes(), "the raw body stays on the error");
            assert_eq!(decode.path(), "size");
            assert_eq!(*attempts, 1);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!(
            "could not decode the 200 OK response to GET {}/things/t-1 at `size`: invalid type: string",
            server.base_url
        )),
        "{shown}"
    );
    assert!(shown.ends_with("(1 attempt)"), "{shown}");
    assert!(
        !shown.contains("three"),
        "Display never quotes the value, which could be a secret: {shown}"
    );
    let source = std::error::Error::source(&error)
        .expect("decode error as source")
        .to_string();
    assert!(
        source.starts_with("at `size`: invalid type: string \"three\""),
        "{source}"
    );
}

#[tokio::test]
async fn decode_excerpt_is_bounded() {
    let body = format!(r#"{{"id":"{}","size":"x"}}"#, "é".repeat(2000));
    let server = Server::start(vec![Reply::json(200, body.as_str())]).await;
    let client = client_for(&server).build().expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("bad JSON");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    // Debug shows the start of the body, not all of it.
    let shown = format!("{error:?}");
    let excerpt = shown
        .split("body: \"")
        .nth(1)
        .and_then(|rest| rest.split("\", error:").next())
        .expect("Debug shows the body excerpt");
    // Debug escapes the body's quotes (`\"`), which adds a byte for each of the 4 quotes it
    // has before the cut.
    assert!(
        excerpt.replace("\\\"", "\"").len() <= 512 + 4,
        "excerpt is {} bytes",
        excerpt.len()
    );
    assert!(
        excerpt.ends_with('…'),
        "the excerpt says it is cut: {excerpt}"
    );
    assert!(!excerpt.contains('\u{FFFD}'), "cut on a character boundary");
}

#[test]
fn decode_paths_name_nested_fields() {
    #[derive(Debug, Deserialize, serde::Serialize)]
    #[allow(dead_code)]
    struct Server {
        id: u32,
    }
    #[derive(Debug, Deserialize, serde::Serialize)]
    #[allow(dead_code)]
    struct List {
        items: Vec<Server>,
    }
    let error = decode_json::<List>(br#"{"items":[{"id":1},{"id":"a"}]}"#).expect_err("bad id");
    assert_eq!(error.path(), "items[1].id");

    let body = br#"{"servers":{"server":[{"id":1},{"id":true}]}}"#;
    let error = decode_json_pointer::<Vec<Server>>(body, "/servers/server").expect_err("bad id");
    assert_eq!(error.path(), "servers.server[1].id");
    let servers: Vec<Server> =
        decode_json_pointer(br#"{"servers":{"server":[{"id":7}]}}"#, "/servers/server")
            .expect("unwrapped");
    assert_eq!(servers[0].id, 7);
    let missing = decode_json_pointer::<Vec<Server>>(br#"{"servers":{}}"#, "/servers/server")
        .expect_err("missing");
    assert_eq!(missing.path(), "servers.server");
    assert!(decode_json::<List>(br#"{"items":[]} trailing"#).is_err());
}

#[tokio::test]
async fn body_over_the_limit_is_refused_by_declared_length() {
    let server = Server::start(vec![Reply::json(200, vec![b' '; 4096])]).await;
    let client = client_for(&server)
        .max_body_bytes(1024)
        .build()
        .expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("too large");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                limit: 1024,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(StatusCode::OK));
}

#[tokio::test]
async fn body_over_the_limit_is_refused_while_streaming() {
    let server = Server::start(vec![
        Reply::json(200, vec![b' '; 256 * 1024]).mode(Mode::UntilClose)
    ])
    .await;
    let client = client_for(&server)
        .max_body_bytes(1024)
        .build()
        .expect("client");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("too large");
    assert!(
        matches!(error, Error::BodyTooLarge { limit: 1024, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn body_at_the_limit_is_accepted() {
    let server = Server::start(vec![Reply::json(200, THING).mode(Mode::UntilClose)]).await;
    let client = client_for(&server)
        .max_body_bytes(THING.len())
        .build()
        .expect("client");
    client
        .execute(get_thing(), decode_thing)
        .await
        .expect("exactly at the limit");
}

#[tokio::test]
async fn slow_response_times_out() {
    let server = Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(3))]).await;
    let client = client_for(&server)
        .timeout(Duration::from_millis(150))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("too slow");
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(error.is_timeout());
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn per_request_timeout_overrides_the_client() {
    let server = Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(3))]).await;
    let client = client_for(&server).build().expect("client");
    let request = get_thing().options(RequestOptions::new().timeout(Duration::from_millis(100)));
    let error = client
        .execute(request, decode_thing)
        .await
        .expect_err("too slow");
    assert!(error.is_timeout(), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// Building requests

#[tokio::test]
async fn query_headers_and_default_query_are_sent() {
    let server = Server::start(vec![Reply::json(200, THING)]).await;
    let client = client_for(&server)
        .default_query("test", "1")
        .default_header(
            HeaderName::from_static("x-tenant"),
            HeaderValue::from_static("acme"),
        )
        .user_agent("rt-tests/1")
        .build()
        .expect("client");
    let request = Request::new(
        Method::GET,
        "/things/{id}",
        format!("/things/{}", encode_path_segment("a/b c")),
    )
    .query("q", "x&y=z")
    .query_opt("absent", None::<u32>)
    .query_opt("limit", Some(10))
    .query_list("id", &["a", "b,c"], false)
    .query_list("tag", &["x", "y"], true)
    .query_list("none", &[] as &[u8], true)
    .header("X-Trace", 42)
    .options(RequestOptions::new().header(
        HeaderName::from_static("x-tenant"),
        HeaderValue::from_static("other"),
    ));
    client
        .execute(request, decode_thing)
        .await
        .expect("success");
    let seen = &server.seen()[0];
    assert_eq!(
        seen.target,
        "/things/a%2Fb%20c?q=x%26y%3Dz&limit=10&id=a,b%2Cc&tag=x&tag=y&test=1"
    );
    assert_eq!(seen.header("x-trace"), Some("42"));
    assert_eq!(
        seen.header("x-tenant"),
        Some("other"),
        "per-request header wins"
    );
    assert_eq!(seen.header("user-agent"), Some("rt-tests/1"));
}

#[tokio::test]
async fn json_and_form_bodies_carry_their_content_type() {
    #[derive(Serialize)]
    struct Form {
        name: &'static str,
        size: u32,
    }
    let server = Server::start(vec![Reply::json(200, THING)]).await;
    let client = client_for(&server).build().expect("client");
    let form = Request::new(Method::PUT, "/things", "/things".into()).form(&Form {
        name: "a b",
        size: 2,
    });
    client.execute(form, decode_thing).await.expect("success");
    let seen = &server.seen()[0];
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen.body, b"name=a+b&size=2");
}

#[tokio::test]
async fn invalid_header_value_is_a_request_error_and_nothing_is_sent() {
    let server = Server::start(vec![Reply::json(200, THING)]).await;
    let client = client_for(&server).build().expect("client");
    let request = get_thing().header("x-bad", "line\nbreak");
    let error = client
        .execute(request, decode_thing)
        .await
        .expect_err("bad header");
    assert!(matches!(error, Error::Request { .. }), "{error:?}");
    assert_eq!(error.attempts(), 0);
    assert!(
        !error.to_string().contains("break"),
        "the value is not echoed: {error}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn dot_segments_in_paths_are_refused() {
    let server = Server::start(vec![Reply::json(200, THING)]).await;
    let client = client_for(&server).build().expect("client");
    for path in ["/things/..", "/things/%2E%2e/admin", "/things/./x"] {
        let request = Request::new(Method::GET, "/things/{id}", path.to_owned());
        let error = client
            .execute(request, decode_thing)
            .await
            .expect_err("dot segment");
        assert!(matches!(error, Error::Request { .. }), "{path}: {error:?}");
    }
    assert_eq!(server.count(), 0);
}

#[test]
fn invalid_base_urls_are_refused() {
    let with_password = "https://me:pw-SECRET-1618@example.com".to_owned();
    for url in [
        "not a url",
        "ftp://example.com",
        "https://example.com/?key=1",
        &with_password,
    ] {
        let error = Client::builder(url).build().expect_err(url);
        assert!(
            !format!("{error} {error:?}").contains("SECRET"),
            "{error:?}"
        );
    }
    let client = Client::builder("https://example.com/api/")
        .build()
        .expect("valid");
    assert_eq!(client.base_url(), "https://example.com/api");
}

// ---------------------------------------------------------------------------------------------
// Hooks

struct CountingHook {
    received: AtomicU32,
}

impl Hook for CountingHook {
    fn before_send<'a>(&'a self, req: &'a mut reqwest::Request) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            req.headers_mut()
                .insert("x-hooked", HeaderValue::from_static("yes"));
        })
    }

    fn after_receive<'a>(&'a self, info: &'a ResponseInfo) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            assert_eq!(info.path_template(), "/things/{id}");
            self.received.fetch_add(1, Ordering::SeqCst);
        })
    }
}

struct DefaultHook;
impl Hook for DefaultHook {}

#[tokio::test]
async fn hooks_run_around_every_attempt() {
    let server = Server::start(vec![Reply::new(503, "busy"), Reply::json(200, THING)]).await;
    let hook = Arc::new(CountingHook {
        received: AtomicU32::new(0),
    });
    let client = client_for(&server)
        .hook(hook.clone())
        .hook(Arc::new(DefaultHook))
        .build()
        .expect("client");
    client
        .execute(get_thing(), decode_thing)
        .await
        .expect("success");
    assert_eq!(hook.received.load(Ordering::SeqCst), 2);
    assert!(server
        .seen()
        .iter()
        .all(|s| s.header("x-hooked") == Some("yes")));
}

// ---------------------------------------------------------------------------------------------
// Types

#[test]
fn errors_stay_small_and_futures_are_send() {
    assert!(
        std::mem::size_of::<Error<[u8; 4096]>>() <= 128,
        "{}",
        std::mem::size_of::<Error<[u8; 4096]>>()
    );
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::builder("http://127.0.0.1:9")
        .build()
        .expect("client");
    let future = client.execute(get_thing(), decode_thing);
    assert_send(&future);
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error<ThingError>>();
}

#[test]
fn codecs_read_leniently_and_write_the_wire_format() {
    use cloudapi::runtime::codec;
    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Wire {
        #[serde(with = "codec::As::<codec::YesNo>")]
        flag: bool,
        #[serde(
            with = "codec::As::<Option<codec::YesNo>>",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        maybe: Option<bool>,
        #[serde(with = "codec::As::<codec::StringNumber>")]
        count: i64,
        #[serde(
            with = "codec::As::<Option<codec::StringNumber>>",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        count_opt: Option<i64>,
        #[serde(with = "codec::As::<codec::StringNumber>")]
        ratio: f64,
        #[serde(
            with = "codec::As::<Option<codec::StringNumber>>",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        ratio_opt: Option<f64>,
        #[serde(with = "codec::As::<codec::Base64>")]
        data: Vec<u8>,
        #[serde(
            with = "codec::As::<Option<codec::Base64>>",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        data_opt: Option<Vec<u8>>,
    }
    let value = Wire {
        flag: true,
        maybe: Some(false),
        count: -12,
        count_opt: Some(7),
        ratio: 1.5,
        ratio_opt: None,
        data: b"hi!".to_vec(),
        data_opt: Some(vec![0xff]),
    };
    let json = serde_json::to_string(&value).expect("serialize");
    assert_eq!(
        json,
        r#"{"flag":"yes","maybe":"no","count":"-12","count_opt":"7","ratio":"1.5","data":"aGkh","data_opt":"/w=="}"#
    );
    assert_eq!(
        serde_json::from_str::<Wire>(&json).expect("round trip"),
        value
    );
    let lenient = r#"{"flag":true,"maybe":null,"count":5,"count_opt":"6","ratio":2,"ratio_opt":"0.25","data":"aGkh","data_opt":"_w"}"#;
    let read: Wire = serde_json::from_str(lenient).expect("lenient read");
    assert_eq!(
        (read.flag, read.maybe, read.count, read.count_opt),
        (true, None, 5, Some(6))
    );
    assert_eq!(
        (read.ratio, read.ratio_opt, read.data_opt),
        (2.0, Some(0.25), Some(vec![0xff]))
    );
    assert!(
        serde_json::from_str::<Wire>(r#"{"flag":"maybe","count":"1","ratio":"1","data":""}"#)
            .is_err()
    );
}
