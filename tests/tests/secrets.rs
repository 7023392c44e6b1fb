//! Secrets given to generated clients never show in `Debug`, `Display`, error
//! messages or tracing output, while they are still sent on the wire.
//!
//! Every test here that sends a request installs its capturing subscriber before
//! its first request. tracing caches, per call site and process-wide, whether any
//! subscriber wants it; a call site first reached on a thread with no subscriber
//! can be cached as "never" while another test thread installs one, and that
//! test would then see no spans at all. With a subscriber on every thread that
//! reaches the call sites, the cache can only ever say "yes".

use std::time::Duration;

use cloudapi::runtime::{
    decode_json, encode_path_segment, Client, DecodeError, Decoded, Request, RequestOptions,
    RetryPolicy, Secret,
};
use cloudgen_tests::capture::Captured;
use cloudgen_tests::loopback::{Reply, Server};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use tokio::net::TcpListener;
use tracing::subscriber::DefaultGuard;

const TOKEN: &str = "tok-SECRET-4f9a1c";
const PASSWORD: &str = "pw-SECRET-77b2";
const QUERY_KEY: &str = "qk-SECRET-2718";

/// What `captured` printed; fails the test when it recorded no request span, since a check
/// of empty output for secrets proves nothing.
fn recorded(captured: &Captured) -> String {
    let text = captured.printed();
    assert!(
        text.contains("cloudapi.request"),
        "tracing recorded no request span:\n{text}"
    );
    text
}

/// Installs a TRACE-level subscriber writing into the returned buffer for this
/// thread; keep the guard alive for the whole test.
fn capture_traces() -> (Captured, DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (captured, guard)
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains("SECRET"), "{what} shows a secret:\n{text}");
    assert!(
        !text.contains("session=abc"),
        "{what} shows a cookie:\n{text}"
    );
}

fn auth_failed() -> Reply {
    Reply::json(
        401,
        &serde_json::json!({"error": {"error_code": "AUTHENTICATION_FAILED", "error_message": "Authentication failed"}}),
    )
}

#[tokio::test]
async fn bearer_token_is_sent_but_never_shown() {
    let (traces, _guard) = capture_traces();
    let server = Server::scripted("", vec![auth_failed()]).await;
    let client = cloudapi::upcloud::Client::from_runtime(
        cloudapi::upcloud::Client::builder()
            .base_url(server.base_url.clone())
            .bearer_token(TOKEN)
            .build()
            .expect("client builds"),
    );
    assert_clean("client Debug", &format!("{client:?}"));
    let err = client
        .get_account()
        .send()
        .await
        .expect_err("the server answers 401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_clean("error Display", &err.to_string());
    assert_clean("error Debug", &format!("{err:?}"));
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        assert_clean("error source", &s.to_string());
        source = s.source();
    }
    assert_clean("tracing output", &recorded(&traces));
    assert_eq!(
        server.only_request().header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str()),
        "the token was not sent"
    );
}

#[tokio::test]
async fn basic_auth_password_is_sent_but_never_shown() {
    let (traces, _guard) = capture_traces();
    let server = Server::scripted("", vec![auth_failed()]).await;
    let client = cloudapi::upcloud::Client::from_runtime(
        cloudapi::upcloud::Client::builder()
            .base_url(server.base_url.clone())
            .basic_auth("user", PASSWORD)
            .build()
            .expect("client builds"),
    );
    assert_clean("client Debug", &format!("{client:?}"));
    let err = client
        .get_account()
        .send()
        .await
        .expect_err("the server answers 401");
    assert_clean("error Display", &err.to_string());
    assert_clean("error Debug", &format!("{err:?}"));
    assert_clean("tracing output", &recorded(&traces));
    let sent = server.only_request();
    assert!(
        sent.header("authorization")
            .is_some_and(|v| v.starts_with("Basic ")),
        "basic credentials were not sent: {sent:?}"
    );
}

#[test]
fn runtime_secret_redacts_in_debug_and_display() {
    let secret = Secret::new(TOKEN);
    assert_clean("Secret Debug", &format!("{secret:?}"));
    assert_clean("Secret Display", &format!("{secret}"));
    assert_eq!(secret.expose(), TOKEN);
}

// The runtime on its own: every place a secret could surface.

#[derive(Debug, Deserialize, serde::Serialize)]
struct Thing {
    #[allow(dead_code)]
    id: String,
}

#[derive(Debug, Deserialize, serde::Serialize)]
struct ThingError {
    #[allow(dead_code)]
    error_code: String,
}

fn decode_thing(
    status: StatusCode,
    _headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded<Thing, ThingError>, DecodeError> {
    match status.as_u16() {
        200 => decode_json(body).map(Decoded::Ok),
        500 => decode_json(body).map(Decoded::Err),
        _ => Ok(Decoded::Unexpected),
    }
}

fn get_thing() -> Request {
    Request::new(
        Method::GET,
        "/things/{id}",
        format!("/things/{}", encode_path_segment("t-1")),
    )
}

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::new(attempts)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

#[tokio::test]
async fn runtime_never_shows_secrets_in_debug_display_errors_or_traces() {
    let (traces, _guard) = capture_traces();
    let busy = Reply {
        status: 503,
        headers: Vec::new(),
        body: b"busy".to_vec(),
    };
    let server = Server::scripted(
        "",
        vec![
            busy,
            Reply::json(500, &serde_json::json!({"error_code": "BOOM"}))
                .header("set-cookie", "session=abc"),
            Reply::json(200, &serde_json::json!({"id": 1})),
        ],
    )
    .await;
    let builder = Client::builder(server.base_url.clone())
        .retry(fast_retries(3))
        .timeout(Duration::from_secs(5))
        .bearer_token(TOKEN)
        .default_query("api_key", QUERY_KEY)
        .default_header(
            HeaderName::from_static("x-api-key"),
            HeaderValue::from_static("hdr-SECRET"),
        );
    let mut printed = format!("{builder:?}");
    let client = builder.build().expect("client");
    printed += &format!("{client:?} {:?}", client.clone());

    // The token is really sent, and only where it belongs.
    let api_error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("500");
    let seen = server.seen();
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(seen[0].target.contains(QUERY_KEY));
    printed += &format!("{api_error} {api_error:?}");
    let decode_error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("bad body");
    printed += &format!("{decode_error} {decode_error:?}");

    // A transport error whose URL carries the key in its query.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let closed = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let offline = Client::builder(closed)
        .basic_auth("me", PASSWORD)
        .default_query("api_key", QUERY_KEY)
        .retry(fast_retries(2))
        .build()
        .expect("client");
    printed += &format!("{offline:?}");
    let transport = offline
        .execute(get_thing().query("token", TOKEN), decode_thing)
        .await
        .expect_err("refused");
    printed += &format!("{transport} {transport:?}");
    let mut source = std::error::Error::source(&transport);
    while let Some(error) = source {
        printed += &format!(" / {error} {error:?}");
        source = error.source();
    }
    printed += &format!("{:?} {}", Secret::new(TOKEN), Secret::from(PASSWORD));
    printed += &format!(
        "{:?}",
        get_thing()
            .query("token", TOKEN)
            .header("authorization", TOKEN)
    );
    printed += &format!(
        "{:?}",
        RequestOptions::new().header(
            HeaderName::from_static("x-key"),
            HeaderValue::from_static("hdr-SECRET")
        )
    );

    let traces = recorded(&traces);
    assert!(traces.contains("/things/{id}"), "{traces}");
    assert!(traces.contains("status=500"), "{traces}");
    assert!(traces.contains("attempt=2"), "{traces}");
    assert!(printed.contains("<redacted>"), "{printed}");
    assert_clean("printed values", &printed);
    assert_clean("tracing output", &traces);
}
