//! The TransIP client (`cloudapi::transip`) against a small scripted HTTP/1.1 server on loopback:
//! signed token requests, token renewal, test mode, rate limits, pagination, every response
//! example of `specs/transip.yaml`, typed errors and dates; and the spec through a real linter.
//! Each test reads as one behaviour.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use cloudapi::runtime::{Error, RetryPolicy};
use cloudapi::transip::{types, Client, SignedTokenSource};
use cloudgen_tests::loopback::{Reply, Seen, Server};
use futures_util::StreamExt as _;
use rsa::pkcs8::{EncodePrivateKey as _, LineEnding};
use rsa::signature::Verifier as _;
use serde_json::{json, Value};
use sha2::Sha512;

// ---------------------------------------------------------------------------------------------
// Keys, token sources and clients

struct TestKey {
    private: rsa::RsaPrivateKey,
    pem: String,
}

/// One RSA key pair for the whole test binary. 1024 bits rather than TransIP's 2048: signing
/// and verifying work the same, and generating a 2048-bit key takes seconds in a debug build.
fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let private =
            rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).expect("generate an RSA key");
        let pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .expect("PEM-encode the key")
            .to_string();
        TestKey { private, pem }
    })
}

fn auth_request() -> types::AuthTokenRequest {
    types::AuthTokenRequest {
        login: "test-user".to_owned(),
        nonce: String::new(),
        read_only: false,
        expiration_time: None,
        label: Some("cloudgen test".to_owned()),
        global_key: true,
    }
}

fn token_source(lifetime: Duration) -> SignedTokenSource {
    SignedTokenSource::new(auth_request(), &key().pem, lifetime).expect("a valid PKCS#8 key")
}

/// A client at `base_url` that fetches its tokens from `base_url/auth`; no retries, so that
/// every request the server sees is one the test expects.
fn token_client(base_url: &str, lifetime: Duration) -> Client {
    let runtime = Client::builder()
        .base_url(base_url)
        .token_source(token_source(lifetime))
        .retry(RetryPolicy::none())
        .build()
        .expect("build the client");
    Client::from_runtime(runtime)
}

/// A client at `base_url` with a fixed bearer token and no retries.
fn plain_client(base_url: &str) -> Client {
    let runtime = Client::builder()
        .base_url(base_url)
        .bearer_token("plain-test-token")
        .retry(RetryPolicy::none())
        .build()
        .expect("build the client");
    Client::from_runtime(runtime)
}

/// A server whose `/auth` hands out `t1`, `t2`, ... and whose `/api-test` answers `pong` to
/// a token `accept` likes and `401` otherwise.
async fn token_server(accept: fn(&str) -> bool) -> Server {
    let issued = AtomicU32::new(0);
    Server::start("", move |seen| {
        if seen.path() == "/auth" {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(201, &json!({ "token": format!("t{n}") }))
        } else if seen.bearer().is_some_and(accept) {
            Reply::json(200, &json!({ "ping": "pong" }))
        } else {
            Reply::json(401, &json!({ "error": "Your access token has expired." }))
        }
    })
    .await
}

fn auth_requests(seen: &[Seen]) -> Vec<&Seen> {
    seen.iter().filter(|s| s.path() == "/auth").collect()
}

fn api_requests(seen: &[Seen]) -> Vec<&Seen> {
    seen.iter().filter(|s| s.path() != "/auth").collect()
}

// ---------------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn the_token_request_signature_verifies_with_the_public_key() {
    let server = token_server(|_| true).await;
    let client = token_client(&server.base_url, Duration::from_secs(1800));
    assert_eq!(client.api_test().send().await.expect("api test"), "pong");

    let seen = server.seen();
    let auth = auth_requests(&seen);
    assert_eq!(auth.len(), 1, "one token request: {seen:#?}");
    let auth = auth[0];
    assert_eq!(auth.method, "POST");
    let signature = auth.header("signature").expect("a Signature header");
    let signature = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .expect("the signature is standard base64");
    let signature =
        rsa::pkcs1v15::Signature::try_from(signature.as_slice()).expect("a PKCS#1 v1.5 signature");
    let verifying_key = rsa::pkcs1v15::VerifyingKey::<Sha512>::new(key().private.to_public_key());
    verifying_key
        .verify(&auth.body, &signature)
        .expect("the signature verifies over the exact body bytes with SHA-512");

    // Any other bytes do not verify: the signature covers exactly what was sent.
    let mut other = auth.body.clone();
    other.push(b' ');
    assert!(verifying_key.verify(&other, &signature).is_err());
    assert!(
        auth.header("authorization").is_none(),
        "the token request carries no token"
    );
    assert_eq!(
        auth.header("content-type"),
        Some("application/json"),
        "the token request is JSON"
    );
}

#[tokio::test]
async fn the_token_request_body_has_login_nonce_and_lifetime() {
    let server = token_server(|_| true).await;
    let client = token_client(&server.base_url, Duration::from_secs(1800));
    client.api_test().send().await.expect("api test");

    let seen = server.seen();
    let body = auth_requests(&seen)[0].body_json();
    assert_eq!(body["login"], "test-user");
    assert_eq!(body["expiration_time"], "1800 seconds");
    assert_eq!(body["read_only"], false);
    assert_eq!(body["global_key"], true);
    let label = body["label"].as_str().expect("a string label");
    assert!(
        label.starts_with("cloudgen test-"),
        "the label keeps what was asked for and gets a suffix: {label:?}"
    );
    let nonce = body["nonce"].as_str().expect("a string nonce");
    assert!(
        (6..=32).contains(&nonce.len()) && nonce.chars().all(|c| c.is_ascii_alphanumeric()),
        "TransIP wants 6 to 32 characters: {nonce:?}"
    );
    // 16 bytes from the operating system's generator, as hex: 128 bits, not 32 alphanumerics
    // from a seeded PRNG.
    assert_eq!(nonce.len(), 32);
    assert!(
        nonce
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{nonce:?}"
    );
}

/// The token requests `source` makes for `n` clients, each fetching its own token.
async fn token_requests_of(source: SignedTokenSource, n: usize) -> Vec<Value> {
    let server = token_server(|_| true).await;
    for _ in 0..n {
        let runtime = Client::builder()
            .base_url(&server.base_url)
            .token_source(source.clone())
            .build()
            .expect("build");
        Client::from_runtime(runtime)
            .api_test()
            .send()
            .await
            .expect("api test");
    }
    auth_requests(&server.seen())
        .iter()
        .map(|s| s.body_json())
        .collect()
}

#[tokio::test]
async fn every_token_request_has_a_unique_label() {
    // TransIP keeps a token per label; a renewal or a second process must not reuse one.
    let bodies = token_requests_of(token_source(Duration::from_secs(600)), 3).await;
    let labels: Vec<&str> = bodies
        .iter()
        .map(|b| b["label"].as_str().expect("a label"))
        .collect();
    let distinct: std::collections::BTreeSet<_> = labels.iter().collect();
    assert_eq!(distinct.len(), 3, "labels repeat: {labels:?}");
    for label in &labels {
        let suffix = label
            .strip_prefix("cloudgen test-")
            .unwrap_or_else(|| panic!("the asked-for label comes first: {label:?}"));
        let (seconds, random) = suffix.split_once('-').expect("time and random digits");
        let seconds: u64 = seconds.parse().expect("Unix seconds");
        assert!(seconds.abs_diff(unix_now().as_secs()) < 60, "{label:?}");
        assert!(
            random.len() == 8 && random.bytes().all(|b| b.is_ascii_hexdigit()),
            "{label:?}"
        );
    }
}

#[tokio::test]
async fn without_a_label_the_crate_name_starts_it() {
    let mut request = auth_request();
    request.label = None;
    let source =
        SignedTokenSource::new(request, &key().pem, Duration::from_secs(600)).expect("a valid key");
    let bodies = token_requests_of(source, 1).await;
    let label = bodies[0]["label"].as_str().expect("a label");
    assert!(label.starts_with("cloudapi-"), "{label:?}");
}

#[tokio::test]
async fn read_only_and_global_key_are_always_sent() {
    // Both false, as a default would be: still on the wire, so that the token's scope never
    // depends on what the server assumes.
    let mut request = auth_request();
    request.read_only = false;
    request.global_key = false;
    let source =
        SignedTokenSource::new(request, &key().pem, Duration::from_secs(600)).expect("a valid key");
    let bodies = token_requests_of(source, 1).await;
    let body = bodies[0].as_object().expect("a JSON object");
    assert_eq!(body.get("read_only"), Some(&json!(false)), "{body:?}");
    assert_eq!(body.get("global_key"), Some(&json!(false)), "{body:?}");
}

#[tokio::test]
async fn every_token_request_has_a_fresh_nonce() {
    let server = token_server(|_| true).await;
    // Each client fetches its own token with a clone of one source.
    let source = token_source(Duration::from_secs(600));
    for _ in 0..3 {
        let runtime = Client::builder()
            .base_url(&server.base_url)
            .token_source(source.clone())
            .build()
            .expect("build");
        Client::from_runtime(runtime)
            .api_test()
            .send()
            .await
            .expect("api test");
    }
    let seen = server.seen();
    let nonces: Vec<String> = auth_requests(&seen)
        .iter()
        .map(|s| s.body_json()["nonce"].as_str().expect("nonce").to_owned())
        .collect();
    assert_eq!(nonces.len(), 3);
    let distinct: std::collections::BTreeSet<_> = nonces.iter().collect();
    assert_eq!(distinct.len(), 3, "nonces repeat: {nonces:?}");
    // The lifetime is written the way TransIP documents it.
    assert_eq!(
        auth_requests(&seen)[0].body_json()["expiration_time"],
        "600 seconds"
    );
}

#[tokio::test]
async fn a_token_is_reused_until_it_is_about_to_expire_then_renewed() {
    let server = token_server(|_| true).await;
    // A 2 s token is renewed after half its life.
    let client = token_client(&server.base_url, Duration::from_secs(2));
    client.api_test().send().await.expect("first call");
    client.api_test().send().await.expect("second call");
    tokio::time::sleep(Duration::from_millis(1300)).await;
    client.api_test().send().await.expect("call after expiry");

    let seen = server.seen();
    let tokens: Vec<_> = api_requests(&seen)
        .iter()
        .map(|s| s.bearer().expect("a bearer token").to_owned())
        .collect();
    assert_eq!(tokens, ["t1", "t1", "t2"], "{seen:#?}");
    assert_eq!(auth_requests(&seen).len(), 2);
    assert_eq!(
        auth_requests(&seen)[0].body_json()["expiration_time"],
        "2 seconds"
    );
}

#[tokio::test]
async fn a_401_fetches_a_new_token_once_and_retries() {
    // The server has revoked t1 early.
    let server = token_server(|token| token != "t1").await;
    let client = token_client(&server.base_url, Duration::from_secs(1800));
    assert_eq!(client.api_test().send().await.expect("retried"), "pong");

    let seen = server.seen();
    let order: Vec<_> = seen
        .iter()
        .map(|s| format!("{} {} {:?}", s.method, s.path(), s.bearer()))
        .collect();
    assert_eq!(
        order,
        [
            "POST /auth None",
            "GET /api-test Some(\"t1\")",
            "POST /auth None",
            "GET /api-test Some(\"t2\")",
        ]
    );
}

#[tokio::test]
async fn a_second_401_is_returned_as_the_typed_error_without_more_fetches() {
    let server = token_server(|_| false).await;
    let client = token_client(&server.base_url, Duration::from_secs(1800));
    let error = client.api_test().send().await.expect_err("always refused");
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 401);
    assert_eq!(
        api.error(),
        Some(&cloudapi::transip::ApiTestError::Unauthorized(
            types::Error {
                error: "Your access token has expired.".to_owned()
            }
        ))
    );
    let seen = server.seen();
    assert_eq!(auth_requests(&seen).len(), 2, "{seen:#?}");
    assert_eq!(api_requests(&seen).len(), 2, "{seen:#?}");
}

#[tokio::test]
async fn tokens_and_the_private_key_never_appear_in_debug_output_or_errors() {
    // Distinctive tokens so that a leak cannot hide behind a short common string.
    let issued = AtomicU32::new(0);
    let server = Server::start("", move |seen| {
        if seen.path() == "/auth" {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(201, &json!({ "token": format!("SECRET-TOKEN-{n}") }))
        } else {
            Reply::json(401, &json!({ "error": "Your access token has expired." }))
        }
    })
    .await;
    let source = token_source(Duration::from_secs(1800));
    let client = token_client(&server.base_url, Duration::from_secs(1800));
    let error = client.api_test().send().await.expect_err("refused");

    // Pieces of the PEM body that any leak of the key material would contain.
    let pem_lines: Vec<&str> = key()
        .pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    assert!(pem_lines.len() > 10);
    let texts = [
        format!("{source:?}"),
        format!("{client:?}"),
        format!("{:?}", client.runtime()),
        format!("{error:?}"),
        format!("{error}"),
    ];
    for text in &texts {
        assert!(!text.contains("SECRET-TOKEN"), "a token leaked: {text}");
        assert!(!text.contains("PRIVATE KEY"), "the key leaked: {text}");
        for line in &pem_lines {
            assert!(!text.contains(line), "the key leaked: {text}");
        }
    }
    // The requests really carried the tokens, so the check above is not vacuous.
    assert!(server
        .seen()
        .iter()
        .any(|s| s.bearer() == Some("SECRET-TOKEN-1")));

    // A key that does not parse is reported without echoing it.
    let bad_pem =
        "-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYMATERIALxyz\n-----END PRIVATE KEY-----\n";
    let bad = SignedTokenSource::new(auth_request(), bad_pem, Duration::from_secs(60))
        .expect_err("not a key");
    for text in [format!("{bad:?}"), format!("{bad}")] {
        assert!(!text.contains("TOPSECRETKEYMATERIAL"), "{text}");
    }
}

#[test]
fn sign_gives_a_base64_signature_that_verifies() {
    let source = token_source(Duration::from_secs(60));
    let body = br#"{"login":"test-user","nonce":"abcdef123456"}"#;
    let signature = base64::engine::general_purpose::STANDARD
        .decode(source.sign(body))
        .expect("base64");
    let signature = rsa::pkcs1v15::Signature::try_from(signature.as_slice()).expect("signature");
    rsa::pkcs1v15::VerifyingKey::<Sha512>::new(key().private.to_public_key())
        .verify(body, &signature)
        .expect("verifies");
}

// ---------------------------------------------------------------------------------------------
// Test mode

#[tokio::test]
async fn test_mode_adds_test_1_to_every_request() {
    let server = token_server(|_| true).await;
    let runtime = Client::builder_test_mode()
        .base_url(&server.base_url)
        .token_source(token_source(Duration::from_secs(1800)))
        .retry(RetryPolicy::none())
        .build()
        .expect("build");
    let client = Client::from_runtime(runtime);
    // Answers are irrelevant here (`pong` for everything but /auth decodes or fails alike);
    // what matters is what was sent.
    let _ = client.api_test().send().await;
    let _ = client.list_invoices().page_size(10).page(2).send().await;
    let _ = client.stop_vps("example-vps").send().await;
    let _ = client.delete_ssh_key(123).send().await;

    let seen = server.seen();
    assert_eq!(seen.len(), 5, "{seen:#?}");
    for request in &seen {
        assert_eq!(
            request.query_value("test").as_deref(),
            Some("1"),
            "{} {}",
            request.method,
            request.target
        );
    }
    let list = seen
        .iter()
        .find(|s| s.path() == "/invoices")
        .expect("list invoices");
    assert_eq!(list.query_value("pageSize").as_deref(), Some("10"));
    assert_eq!(list.query_value("page").as_deref(), Some("2"));

    // Without test mode there is no such flag.
    server.clear();
    let _ = token_client(&server.base_url, Duration::from_secs(1800))
        .api_test()
        .send()
        .await;
    assert!(server
        .seen()
        .iter()
        .all(|s| s.query_value("test").is_none()));
}

// ---------------------------------------------------------------------------------------------
// Rate limits

fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
}

#[tokio::test]
async fn rate_limit_headers_are_exposed_on_responses() {
    let server = Server::start("", |_| {
        Reply::json(200, &json!({ "ping": "pong" }))
            .header("X-Rate-Limit-Limit", "1000")
            .header("X-Rate-Limit-Remaining", "998")
            .header("X-Rate-Limit-Reset", "1700000000")
    })
    .await;
    let response = plain_client(&server.base_url)
        .api_test()
        .send_with_response()
        .await
        .expect("api test");
    let limit = Client::rate_limit(response.headers());
    assert_eq!(limit.limit, Some(1000));
    assert_eq!(limit.remaining, Some(998));
    assert_eq!(
        limit.reset,
        Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
    );
    assert!(!limit.is_exhausted());
    assert_eq!(response.into_inner(), "pong");
}

#[tokio::test]
async fn a_429_waits_until_the_reset_time_and_retries() {
    let reset = unix_now().as_secs() + 1;
    let calls = AtomicU32::new(0);
    let server = Server::start("", move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::json(429, &json!({ "error": "Rate limit exceeded" }))
                .header("X-Rate-Limit-Limit", "1000")
                .header("X-Rate-Limit-Remaining", "0")
                .header("X-Rate-Limit-Reset", reset.to_string())
        } else {
            Reply::json(200, &json!({ "ping": "pong" }))
        }
    })
    .await;
    // The default retry policy of `Client::builder()`.
    let runtime = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("plain-test-token")
        .build()
        .expect("build");
    let started = Instant::now();
    let pong = Client::from_runtime(runtime)
        .api_test()
        .send()
        .await
        .expect("retried after the reset");
    assert_eq!(pong, "pong");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let retried_at = seen[1].at.duration_since(UNIX_EPOCH).expect("after 1970");
    assert!(
        retried_at + Duration::from_millis(20) >= Duration::from_secs(reset),
        "retried at {retried_at:?}, before the reset at {reset}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "waited too long"
    );
}

#[tokio::test]
async fn a_429_on_a_modifying_request_also_waits_and_retries() {
    // A 429 means the request was refused before anything was done, so even a PATCH or POST
    // may be sent again.
    let reset = unix_now().as_secs() + 1;
    let calls = AtomicU32::new(0);
    let server = Server::start("", move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::json(429, &json!({ "error": "Rate limit exceeded" }))
                .header("X-Rate-Limit-Remaining", "0")
                .header("X-Rate-Limit-Reset", reset.to_string())
        } else {
            Reply::empty(204)
        }
    })
    .await;
    let runtime = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("plain-test-token")
        .build()
        .expect("build");
    Client::from_runtime(runtime)
        .stop_vps("example-vps")
        .send()
        .await
        .expect("retried after the reset");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.method == "PATCH"));
}

#[tokio::test]
async fn a_429_with_a_reset_too_far_ahead_is_returned_without_waiting() {
    let reset = unix_now().as_secs() + 3600;
    let server = Server::start("", move |_| {
        Reply::json(429, &json!({ "error": "Rate limit exceeded" }))
            .header("X-Rate-Limit-Remaining", "0")
            .header("X-Rate-Limit-Reset", reset.to_string())
    })
    .await;
    let runtime = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("plain-test-token")
        .build()
        .expect("build");
    let started = Instant::now();
    let error = Client::from_runtime(runtime)
        .api_test()
        .send()
        .await
        .expect_err("rate limited");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.seen().len(), 1);
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 429);
    assert!(matches!(
        api.error(),
        Some(cloudapi::transip::ApiTestError::TooManyRequests(e)) if e.error == "Rate limit exceeded"
    ));
    assert!(Client::rate_limit(api.headers()).is_exhausted());
}

// ---------------------------------------------------------------------------------------------
// Pagination

#[tokio::test]
async fn a_stream_follows_the_pages_until_the_last() {
    let server = Server::start("", |seen| {
        let page: u32 = seen
            .query_value("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        if !(1..=3).contains(&page) {
            return Reply::json(406, &json!({ "error": "no such page" }));
        }
        let link = |n: u32| format!("https://api.transip.nl/v6/vps?pageSize=2&page={n}");
        let mut pages = vec![json!({ "rel": "first", "link": link(1) })];
        if page > 1 {
            pages.push(json!({ "rel": "previous", "link": link(page - 1) }));
        }
        if page < 3 {
            pages.push(json!({ "rel": "next", "link": link(page + 1) }));
        }
        pages.push(json!({ "rel": "last", "link": link(3) }));
        Reply::json(
            200,
            &json!({
                "vpss": [
                    { "name": format!("vps-{}", 2 * page - 1) },
                    { "name": format!("vps-{}", 2 * page) },
                ],
                "_links": { "pages": pages },
            }),
        )
    })
    .await;
    let client = plain_client(&server.base_url);
    let names: Vec<String> = client
        .list_vpss()
        .page_size(2)
        .stream()
        .map(|vps| vps.expect("a page").name)
        .collect()
        .await;
    assert_eq!(
        names,
        ["vps-1", "vps-2", "vps-3", "vps-4", "vps-5", "vps-6"]
    );
    let requested: Vec<_> = server
        .seen()
        .iter()
        .map(|s| {
            assert_eq!(s.path(), "/vps");
            (s.query_value("page"), s.query_value("pageSize"))
        })
        .collect();
    let expected: Vec<_> = (1..=3)
        .map(|p| (Some(p.to_string()), Some("2".to_owned())))
        .collect();
    assert_eq!(requested, expected, "pages 1, 2, 3 and no more");
}

// ---------------------------------------------------------------------------------------------
// Typed errors and dates

#[tokio::test]
async fn api_errors_decode_into_the_typed_error_with_the_status() {
    let server = Server::start("", |seen| match (seen.method.as_str(), seen.path()) {
        ("GET", "/vps/missing-vps") => Reply::json(
            404,
            &json!({ "error": "VPS with identifier 'missing-vps' not found" }),
        ),
        ("PATCH", "/vps/example-vps") => Reply::json(
            409,
            &json!({ "error": "Actions on VPS 'example-vps' are temporary disabled." }),
        ),
        ("POST", "/ssh-keys") => {
            Reply::json(406, &json!({ "error": "This is not a valid SSH key" }))
        }
        _ => Reply::json(418, &json!({ "error": "I'm a teapot" })),
    })
    .await;
    let client = plain_client(&server.base_url);

    let error = client.get_vps("missing-vps").send().await.expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        error.api().and_then(|api| api.error()),
        Some(&cloudapi::transip::GetVpsError::NotFound(types::Error {
            error: "VPS with identifier 'missing-vps' not found".to_owned()
        }))
    );

    let error = client
        .stop_vps("example-vps")
        .send()
        .await
        .expect_err("409");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert!(matches!(
        error.api().and_then(|api| api.error()),
        Some(cloudapi::transip::StopVpsError::Conflict(e))
            if e.error == "Actions on VPS 'example-vps' are temporary disabled."
    ));

    let body: types::SshKeyCreateRequest =
        serde_json::from_value(json!({ "sshKey": "not a key" })).expect("a request body");
    let error = client.create_ssh_key(body).send().await.expect_err("406");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(406));
    assert!(matches!(
        error.api().and_then(|api| api.error()),
        Some(cloudapi::transip::CreateSshKeyError::NotAcceptable(e))
            if e.error == "This is not a valid SSH key"
    ));

    // Any other status is an API error with the status, the raw body and, as the API
    // documentation's general chapter says every error has, the typed `error` message.
    let error = client.get_invoice("X").send().await.expect_err("418");
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 418);
    assert!(matches!(
        api.error(),
        Some(cloudapi::transip::GetInvoiceError::Default(e)) if e.error == "I'm a teapot"
    ));
    assert_eq!(api.body(), br#"{"error":"I'm a teapot"}"#);
}

#[tokio::test]
async fn dates_decode_to_naive_date_times_and_serialize_back_identically() {
    let served = json!({
        "sshKey": {
            "id": 123,
            "key": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQDf2pxWX/yhUBDyk2LPhvRtI0LnVO8PyR5Zt6AHrnhtLGqK+8YG9EMlWbCCWrASR+Q1hFQG example",
            "description": "Jim key",
            "creationDate": "2024-01-01 23:59:59",
            "fingerprint": "bb:22:43:69:2b:0d:3e:16:58:91:27:8a:62:29:97:d1",
            "isDefault": false
        }
    });
    let reply = Reply::json(200, &served);
    let server = Server::start("", move |_| reply.clone()).await;
    let key = plain_client(&server.base_url)
        .get_ssh_key(123)
        .send()
        .await
        .expect("an SSH key");
    let expected = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .expect("a valid date");
    assert_eq!(key.creation_date, Some(expected));

    let back = serde_json::to_value(&key).expect("serialize");
    assert_eq!(back["creationDate"], "2024-01-01 23:59:59");
    assert_eq!(back, served["sshKey"], "the whole object round-trips");

    // `null` is no date; a date in another format is a decode error naming the field.
    let cert: types::SslCertificate =
        serde_json::from_value(json!({ "certificateId": 1, "expirationDate": null }))
            .expect("null date");
    assert_eq!(cert.expiration_date, None);
    let wrong = serde_json::from_value::<types::SslCertificate>(
        json!({ "certificateId": 1, "expirationDate": "2024-01-01T23:59:59Z" }),
    );
    assert!(wrong.is_err());
}

// ---------------------------------------------------------------------------------------------
// Spec defects of issue 12: paths, wire shapes and missing fields

/// A server that answers `path` with `body` (200) and anything else with 404, so that a
/// request to the wrong path fails instead of decoding by accident.
async fn serve_at(method: &'static str, path: &'static str, status: u16, body: Value) -> Server {
    let reply = if body.is_null() {
        Reply::empty(status)
    } else {
        Reply::json(status, &body)
    };
    Server::start("", move |seen| {
        if seen.method == method && seen.path() == path {
            reply.clone()
        } else {
            Reply::json(404, &json!({ "error": "no such resource" }))
        }
    })
    .await
}

/// The traffic of a period as TransIP's published API description (6.53) shows it, with
/// `usedTotalBytes` from gotransip's test `TestRepository_GetTrafficPool`.
fn traffic_period() -> Value {
    json!({
        "startDate": "2019-06-22",
        "endDate": "2019-07-22",
        "usedInBytes": 7_860_253_754_i64,
        "usedTotalBytes": 11_935_325_369_i64,
        "maxInBytes": 1_073_741_824_000_i64,
        "expectedBytes": 1_073_741_824_000_i64
    })
}

#[tokio::test]
async fn the_traffic_pool_is_read_from_traffic_pool_as_a_list() {
    let server = serve_at(
        "GET",
        "/traffic-pool",
        200,
        json!({ "trafficPoolInformation": [traffic_period()] }),
    )
    .await;
    let pool = plain_client(&server.base_url)
        .get_traffic_pool()
        .send()
        .await
        .expect("the traffic pool decodes");
    assert_eq!(server.only_request().target, "/traffic-pool");
    assert_eq!(pool.len(), 1);
    assert_eq!(pool[0].used_in_bytes, Some(7_860_253_754));
    assert_eq!(pool[0].used_total_bytes, Some(11_935_325_369));
    assert_eq!(
        pool[0].start_date,
        chrono::NaiveDate::from_ymd_opt(2019, 6, 22)
    );
}

#[tokio::test]
async fn the_traffic_of_one_vps_is_read_from_traffic_pool_with_its_name() {
    let server = serve_at(
        "GET",
        "/traffic-pool/example-vps",
        200,
        json!({ "trafficPoolInformation": [traffic_period()] }),
    )
    .await;
    let traffic = plain_client(&server.base_url)
        .get_vps_traffic("example-vps")
        .send()
        .await
        .expect("the traffic of the VPS decodes");
    assert_eq!(server.only_request().target, "/traffic-pool/example-vps");
    assert_eq!(traffic[0].max_in_bytes, Some(1_073_741_824_000));
    assert_eq!(traffic[0].used_total_bytes, Some(11_935_325_369));
}

#[tokio::test]
async fn the_auth_code_path_is_hyphenated() {
    let server = serve_at(
        "GET",
        "/domains/example.com/auth-code",
        200,
        json!({ "authCode": "kJqfuOXNOYQKqh/jO4bYSn54YDqgAt1ksCe+ZG4Ud" }),
    )
    .await;
    let code = plain_client(&server.base_url)
        .get_domain_auth_code("example.com")
        .send()
        .await
        .expect("the auth code");
    assert_eq!(code.expose(), "kJqfuOXNOYQKqh/jO4bYSn54YDqgAt1ksCe+ZG4Ud");

    let server = serve_at("POST", "/domains/example.be/auth-code", 201, Value::Null).await;
    plain_client(&server.base_url)
        .request_domain_auth_code("example.be")
        .send()
        .await
        .expect("the auth code is requested");
    let sent = server.only_request();
    assert_eq!(
        (sent.method.as_str(), sent.path()),
        ("POST", "/domains/example.be/auth-code")
    );
}

#[tokio::test]
async fn ssl_certificates_carry_can_reissue_as_a_string_and_their_order_date() {
    // The API description's example: `canReissue` is the string "true" or "false".
    let served = json!({
        "certificates": [
            {
                "certificateId": 12358,
                "commonName": "example.com",
                "expirationDate": "2019-10-24 12:59:59",
                "orderDate": "2018-10-24 12:59:59",
                "status": "active",
                "canReissue": "true"
            },
            {
                "certificateId": 12359,
                "commonName": "*.example.com",
                "expirationDate": "2019-10-24 12:59:59",
                "orderDate": "2018-10-24 12:59:59",
                "status": "expired",
                "canReissue": "false"
            }
        ]
    });
    let server = serve_at("GET", "/domains/example.com/ssl", 200, served.clone()).await;
    let certificates = plain_client(&server.base_url)
        .list_ssl_certificates("example.com")
        .send()
        .await
        .expect("string booleans decode");
    let ordered = chrono::NaiveDate::from_ymd_opt(2018, 10, 24)
        .and_then(|d| d.and_hms_opt(12, 59, 59))
        .expect("a valid date");
    assert_eq!(certificates[0].order_date, Some(ordered));
    // Whatever the Rust type, the value goes back on the wire as the same string.
    let back = serde_json::to_value(&certificates).expect("serialize");
    assert_eq!(back, served["certificates"]);
}

#[tokio::test]
async fn licenses_carry_their_description_and_default_flag() {
    // The example of TransIP's published API description (6.53) for `GET /vps/{vps}/licenses`.
    let license = json!({
        "id": 42,
        "name": "cpanel-admin",
        "description": "cPanel Admin",
        "price": 1050,
        "recurringPrice": 1050,
        "type": "addon",
        "quantity": 1,
        "maxQuantity": 1,
        "keys": [{ "name": "Cpanel license key", "key": "XXXXXXXXXXX" }]
    });
    let served = json!({
        "licenses": {
            "active": [license.clone()],
            "cancellable": [license],
            "available": [{
                "name": "cpanel-pro",
                "description": "cPanel Pro",
                "isDefault": true,
                "price": 2750,
                "recurringPrice": 2750,
                "type": "operating-system",
                "minQuantity": 1,
                "maxQuantity": 1
            }]
        }
    });
    let server = serve_at("GET", "/vps/example-vps/licenses", 200, served.clone()).await;
    let licenses = plain_client(&server.base_url)
        .list_vps_licenses("example-vps")
        .send()
        .await
        .expect("licenses");
    let active = licenses.active.as_deref().expect("active licenses");
    assert_eq!(active[0].description.as_deref(), Some("cPanel Admin"));
    let available = licenses.available.as_deref().expect("available licenses");
    assert_eq!(available[0].description.as_deref(), Some("cPanel Pro"));
    assert_eq!(available[0].is_default, Some(true));
    // Nothing the server sent is dropped.
    assert_eq!(
        serde_json::to_value(&licenses).expect("serialize"),
        served["licenses"]
    );
}

#[tokio::test]
async fn products_include_block_storage_products() {
    let product = json!({
        "name": "example-product-name",
        "description": "This is an example product",
        "price": 499,
        "recurringPrice": 799
    });
    // gotransip's `product.Products` lists `blockStorage` beside the other groups.
    let served = json!({
        "products": {
            "vps": [product.clone()],
            "bigStorage": [product.clone()],
            "blockStorage": [product]
        }
    });
    let server = serve_at("GET", "/products", 200, served.clone()).await;
    let products = plain_client(&server.base_url)
        .list_products()
        .send()
        .await
        .expect("products");
    let block = products
        .block_storage
        .as_deref()
        .expect("block storage products");
    assert_eq!(block[0].name, "example-product-name");
    assert_eq!(
        serde_json::to_value(&products).expect("serialize"),
        served["products"]
    );
}

#[tokio::test]
async fn a_clone_can_order_addons() {
    let server = serve_at("POST", "/vps", 201, Value::Null).await;
    plain_client(&server.base_url)
        .clone_vps("example-vps")
        .target_product_name("vps-bladevps-x8")
        .addons(vec!["vps-addon-flex-100-gb-extra-harddisk".to_owned()])
        .send()
        .await
        .expect("cloned");
    assert_eq!(
        server.only_request().body_json(),
        json!({
            "vpsName": "example-vps",
            "targetProductName": "vps-bladevps-x8",
            "addons": ["vps-addon-flex-100-gb-extra-harddisk"]
        })
    );
}

#[tokio::test]
async fn a_big_storage_backup_can_be_reverted_onto_another_big_storage_by_name() {
    // The body gotransip's `TestBigStorageRepository_RevertBackupToOtherBigStorage` expects
    // (conformance case transip-vps-bigstoragerepository-revertbackuptootherbigstorage).
    let expected =
        json!({ "action": "revert", "destinationBigStorageName": "example-bigStorage2" });
    let server = serve_at(
        "PATCH",
        "/big-storages/example-bigstorage/backups/123",
        204,
        Value::Null,
    )
    .await;
    let body: types::BigStorageBackupRevertRequest =
        serde_json::from_value(expected.clone()).expect("a revert request");
    plain_client(&server.base_url)
        .revert_big_storage_backup("example-bigstorage", 123, body)
        .send()
        .await
        .expect("reverted");
    assert_eq!(server.only_request().body_json(), expected);
}

#[tokio::test]
async fn empty_date_times_read_as_absent() {
    // gotransip's `rest.Time` reads "" as no date; so must we, or a whole list fails to decode.
    let served = json!({
        "certificates": [{
            "certificateId": 12358,
            "commonName": "example.com",
            "expirationDate": "",
            "orderDate": "",
            "status": "busy",
            "canReissue": "false"
        }]
    });
    let server = serve_at("GET", "/domains/example.com/ssl", 200, served).await;
    let certificates = plain_client(&server.base_url)
        .list_ssl_certificates("example.com")
        .send()
        .await
        .expect("empty date-times decode");
    assert_eq!(certificates[0].expiration_date, None);
    assert_eq!(certificates[0].order_date, None);

    let backups = json!({
        "backups": [{ "id": 1583, "status": "active", "size": 4_294_967_296_i64,
                      "dateTimeCreate": "", "availabilityZone": "ams0" }]
    });
    let server = serve_at(
        "GET",
        "/block-storages/example-faststorage/backups",
        200,
        backups,
    )
    .await;
    let backups = plain_client(&server.base_url)
        .list_block_storage_backups("example-faststorage")
        .send()
        .await
        .expect("an empty backup date decodes");
    assert_eq!(backups[0].date_time_create, None);
}

#[tokio::test]
async fn empty_dates_read_as_absent() {
    let served = json!({
        "invoices": [{
            "invoiceNumber": "F0000.1911.0000.0004",
            "creationDate": "2020-01-01",
            "payDate": "",
            "dueDate": "2020-02-01",
            "invoiceStatus": "waitsforpayment",
            "currency": "EUR",
            "totalAmount": 1000,
            "totalAmountInclVat": 1240
        }]
    });
    let server = serve_at("GET", "/invoices", 200, served).await;
    let invoices = plain_client(&server.base_url)
        .list_invoices()
        .send()
        .await
        .expect("an unpaid invoice decodes");
    assert_eq!(invoices.invoices[0].pay_date, None);
    assert_eq!(
        invoices.invoices[0].creation_date,
        chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
    );

    let served = json!({ "invoiceItems": [{ "product": "Big Storage Disk 2000 GB", "date": "" }] });
    let server = serve_at(
        "GET",
        "/invoices/F0000.1911.0000.0004/invoice-items",
        200,
        served,
    )
    .await;
    let items = plain_client(&server.base_url)
        .list_invoice_items("F0000.1911.0000.0004")
        .send()
        .await
        .expect("an invoice item without date decodes");
    assert_eq!(items[0].date, None);

    let served = json!({
        "domains": [{ "name": "example.com", "registrationDate": "", "renewalDate": "",
                      "isTransferLocked": false, "isWhitelabel": false, "tags": [] }]
    });
    let server = serve_at("GET", "/domains", 200, served).await;
    let domains = plain_client(&server.base_url)
        .list_domains()
        .send()
        .await
        .expect("a domain in registration decodes");
    assert_eq!(domains.domains[0].registration_date, None);
    assert_eq!(domains.domains[0].renewal_date, None);

    let mut period = traffic_period();
    period["startDate"] = json!("");
    period["endDate"] = json!("");
    let served = json!({ "trafficPoolInformation": [period] });
    let server = serve_at("GET", "/traffic-pool", 200, served).await;
    let pool = plain_client(&server.base_url)
        .get_traffic_pool()
        .send()
        .await
        .expect("a traffic period without dates decodes");
    assert_eq!((pool[0].start_date, pool[0].end_date), (None, None));
}

#[tokio::test]
async fn detaching_a_storage_sends_vps_name_null() {
    // The seed: "Set the vpsName property to null to detach the block storage from the
    // currently attached VPS." An absent `vpsName` would leave it attached.
    let expected = json!({ "blockStorage": { "name": "example-faststorage", "vpsName": null } });
    let server = serve_at(
        "PUT",
        "/block-storages/example-faststorage",
        204,
        Value::Null,
    )
    .await;
    let body: types::BlockStorageWrapper =
        serde_json::from_value(expected.clone()).expect("a block storage body");
    plain_client(&server.base_url)
        .update_block_storage("example-faststorage", body.block_storage)
        .send()
        .await
        .expect("detached");
    assert_eq!(server.only_request().body_json(), expected);

    let expected = json!({ "bigStorage": { "name": "example-bigstorage", "vpsName": null } });
    let server = serve_at("PUT", "/big-storages/example-bigstorage", 204, Value::Null).await;
    let body: types::BigStorageWrapper =
        serde_json::from_value(expected.clone()).expect("a big storage body");
    plain_client(&server.base_url)
        .update_big_storage("example-bigstorage", body.big_storage)
        .send()
        .await
        .expect("detached");
    assert_eq!(server.only_request().body_json(), expected);
}

// ---------------------------------------------------------------------------------------------
// Every response example of the spec

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the workspace")
        .to_path_buf()
}

fn spec() -> Value {
    let path = workspace_root().join("specs/transip.yaml");
    let text = std::fs::read_to_string(&path).expect("read specs/transip.yaml");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("parse specs/transip.yaml");
    serde_json::to_value(yaml).expect("the spec as JSON")
}

/// One operation of the spec.
struct Operation {
    method: String,
    path: String,
    op: Value,
}

fn operations(spec: &Value) -> BTreeMap<String, Operation> {
    let mut out = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                out.insert(
                    id.to_owned(),
                    Operation {
                        method: method.to_ascii_uppercase(),
                        path: path.clone(),
                        op: op.clone(),
                    },
                );
            }
        }
    }
    out
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local $ref");
            spec.pointer(pointer).expect("the $ref resolves")
        }
        None => value,
    }
}

/// The JSON response examples of an operation: (status, example).
fn response_examples(spec: &Value, op: &Value) -> Vec<(u16, Value)> {
    let mut out = Vec::new();
    for (status, response) in op["responses"].as_object().expect("responses") {
        let Ok(status) = status.parse::<u16>() else {
            continue;
        };
        let media = &resolve(spec, response)["content"]["application/json"];
        if let Some(example) = media.get("example") {
            out.push((status, example.clone()));
        }
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            for example in examples.values() {
                out.push((status, resolve(spec, example)["value"].clone()));
            }
        }
    }
    out
}

/// What calling one client method against one served example came to.
#[derive(Debug)]
enum Outcome {
    /// The decoded value, serialized again.
    Decoded(Value),
    Api {
        status: u16,
        typed: Option<String>,
        body_error: Option<String>,
    },
    Failed(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Decoded(value) => write!(f, "decoded as {value}"),
            Outcome::Api {
                status,
                typed,
                body_error,
            } => write!(
                f,
                "API error {status}, typed error {typed:?}, body decode error {body_error:?}"
            ),
            Outcome::Failed(message) => write!(f, "failed: {message}"),
        }
    }
}

impl Outcome {
    fn of<T: serde::Serialize, E: std::fmt::Debug>(result: Result<T, Error<E>>) -> Outcome {
        match result {
            Ok(value) => Outcome::Decoded(serde_json::to_value(value).expect("serialize a value")),
            Err(Error::Api(api)) => Outcome::Api {
                status: api.status().as_u16(),
                typed: api.error().map(|e| format!("{e:?}")),
                body_error: api.decode_error().map(ToString::to_string),
            },
            Err(other) => Outcome::Failed(other.to_string()),
        }
    }
}

/// Request bodies for the calls, taken from the spec's request examples.
struct Bodies<'a> {
    ops: &'a BTreeMap<String, Operation>,
}

impl Bodies<'_> {
    fn at<T: serde::de::DeserializeOwned>(&self, op: &str, pointer: &str) -> T {
        let media = &self.ops[op].op["requestBody"]["content"]["application/json"];
        let value = media
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{op}: no request example at {pointer}"));
        serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{op}: the request example does not decode: {e}"))
    }

    fn body<T: serde::de::DeserializeOwned>(&self, op: &str) -> T {
        self.at(op, "/example")
    }
}

/// Calls every client method of operation `op` once; `None` for an operation the table does
/// not know (a new operation in the spec must be added here).
async fn call_operation(
    c: &Client,
    b: &Bodies<'_>,
    op: &str,
) -> Option<Vec<(&'static str, Outcome)>> {
    macro_rules! calls {
        ($($name:literal => $request:expr),+ $(,)?) => {
            vec![$(($name, Outcome::of($request.send().await))),+]
        };
    }
    let d = "example.com";
    let v = "example-vps";
    let pn = "example-privatenetwork";
    let bs = "example-bigstorage";
    let fs = "example-faststorage";
    let ha = "example-haip";
    let co = "example2";
    let mb = "test@example.com";
    let ac = "6c7fa1c1-f509-4999-a513-bdf4e7a0cebb";
    let tn = "bfa08ad9-6c12-4e03-95dd-a888b97ffe49";
    Some(match op {
        "createAuthToken" => calls!("create_auth_token" =>
            c.create_auth_token("c2lnbmF0dXJl", b.body::<types::AuthTokenRequest>(op))),
        "listProducts" => calls!("list_products" => c.list_products()),
        "listProductElements" => {
            calls!("list_product_elements" => c.list_product_elements("vps-bladevps-x1"))
        }
        "listAvailabilityZones" => calls!("list_availability_zones" => c.list_availability_zones()),
        "apiTest" => calls!("api_test" => c.api_test()),
        "listInvoices" => calls!("list_invoices" => c.list_invoices()),
        "getInvoice" => calls!("get_invoice" => c.get_invoice("F0000.1911.0000.0004")),
        "listInvoiceItems" => {
            calls!("list_invoice_items" => c.list_invoice_items("F0000.1911.0000.0004"))
        }
        "getInvoicePdf" => calls!("get_invoice_pdf" => c.get_invoice_pdf("F0000.1911.0000.0004")),
        "listSshKeys" => calls!("list_ssh_keys" => c.list_ssh_keys()),
        "createSshKey" => calls!("create_ssh_key" =>
            c.create_ssh_key(b.body::<types::SshKeyCreateRequest>(op))),
        "getSshKey" => calls!("get_ssh_key" => c.get_ssh_key(123)),
        "updateSshKey" => calls!("update_ssh_key" =>
            c.update_ssh_key(123, b.body::<types::SshKeyWrapper>(op).ssh_key)),
        "deleteSshKey" => calls!("delete_ssh_key" => c.delete_ssh_key(123)),
        "getContactKey" => calls!("get_contact_key" => c.get_contact_key()),
        "listDomains" => calls!("list_domains" => c.list_domains()),
        "createDomain" => calls!(
            "register_domain" => c.register_domain(d),
            "transfer_domain" => c.transfer_domain(d, "CYPMaN[a@ZOe"),
        ),
        "getDomain" => calls!("get_domain" => c.get_domain(d)),
        "updateDomain" => calls!("update_domain" =>
            c.update_domain(d, b.body::<types::DomainWrapper>(op))),
        "handoverDomain" => calls!("handover_domain" =>
            c.handover_domain(d, b.body::<types::DomainHandoverRequest>(op))),
        "cancelDomain" => calls!("cancel_domain" =>
            c.cancel_domain(d, b.body::<types::CancellationRequest>(op))),
        "getDomainBranding" => calls!("get_domain_branding" => c.get_domain_branding(d)),
        "updateDomainBranding" => calls!("update_domain_branding" =>
            c.update_domain_branding(d, b.body::<types::BrandingWrapper>(op).branding)),
        "listDomainContacts" => calls!("list_domain_contacts" => c.list_domain_contacts(d)),
        "updateDomainContacts" => calls!("update_domain_contacts" =>
            c.update_domain_contacts(d, b.body::<types::ContactsWrapper>(op).contacts)),
        "listDefaultDomainContacts" => {
            calls!("list_default_domain_contacts" => c.list_default_domain_contacts())
        }
        "updateDefaultDomainContacts" => calls!("update_default_domain_contacts" =>
            c.update_default_domain_contacts(b.body::<types::ContactsWrapper>(op).contacts)),
        "listDnsEntries" => calls!("list_dns_entries" => c.list_dns_entries(d)),
        "createDnsEntry" => calls!("create_dns_entry" =>
            c.create_dns_entry(d, b.body::<types::DnsEntryWrapper>(op).dns_entry)),
        "updateDnsEntry" => calls!("update_dns_entry" =>
            c.update_dns_entry(d, b.body::<types::DnsEntryWrapper>(op).dns_entry)),
        "updateDnsEntries" => calls!("update_dns_entries" =>
            c.update_dns_entries(d, b.body::<types::DnsEntriesWrapper>(op).dns_entries)),
        "deleteDnsEntry" => calls!("delete_dns_entry" =>
            c.delete_dns_entry(d, b.body::<types::DnsEntryWrapper>(op).dns_entry)),
        "listDnsSecEntries" => calls!("list_dns_sec_entries" => c.list_dns_sec_entries(d)),
        "updateDnsSecEntries" => calls!("update_dns_sec_entries" =>
            c.update_dns_sec_entries(d, b.body::<types::DnsSecEntriesWrapper>(op).dns_sec_entries)),
        "listNameservers" => calls!("list_nameservers" => c.list_nameservers(d)),
        "updateNameservers" => calls!("update_nameservers" =>
            c.update_nameservers(d, b.body::<types::NameserversWrapper>(op).nameservers)),
        "getDomainAction" => calls!("get_domain_action" => c.get_domain_action(d)),
        "retryDomainAction" => calls!("retry_domain_action" =>
            c.retry_domain_action(d, b.body::<types::DomainActionRetryRequest>(op))),
        "cancelDomainAction" => calls!("cancel_domain_action" => c.cancel_domain_action(d)),
        "listSslCertificates" => calls!("list_ssl_certificates" => c.list_ssl_certificates(d)),
        "getSslCertificate" => calls!("get_ssl_certificate" => c.get_ssl_certificate(d, 12358)),
        "getDomainAuthCode" => calls!("get_domain_auth_code" => c.get_domain_auth_code(d)),
        "requestDomainAuthCode" => {
            calls!("request_domain_auth_code" => c.request_domain_auth_code(d))
        }
        "getDomainWhois" => calls!("get_domain_whois" => c.get_domain_whois(d)),
        "orderWhitelabel" => calls!("order_whitelabel" => c.order_whitelabel()),
        "checkMultipleDomainAvailability" => calls!("check_multiple_domain_availability" =>
            c.check_multiple_domain_availability(vec![d.to_owned(), "example.nl".to_owned()])),
        "checkDomainAvailability" => {
            calls!("check_domain_availability" => c.check_domain_availability(d))
        }
        "listTlds" => calls!("list_tlds" => c.list_tlds()),
        "getTld" => calls!("get_tld" => c.get_tld("nl")),
        "listVpss" => calls!("list_vpss" => c.list_vpss()),
        "createVps" => calls!(
            "order_vps" => c.order_vps("vps-bladevps-x1", "ubuntu-22.04"),
            "order_multiple_vps" => c.order_multiple_vps(
                b.at::<Vec<types::VpsOrder>>(op, "/examples/orderMultiple/value/vpss")),
            "clone_vps" => c.clone_vps(v),
        ),
        "getVps" => calls!("get_vps" => c.get_vps(v)),
        "updateVps" => calls!("update_vps" => c.update_vps(v, b.body::<types::VpsWrapper>(op).vps)),
        "vpsAction" => calls!(
            "start_vps" => c.start_vps(v),
            "stop_vps" => c.stop_vps(v),
            "reset_vps" => c.reset_vps(v),
            "handover_vps" => c.handover_vps(v, "bobexample"),
        ),
        "cancelVps" => calls!("cancel_vps" =>
            c.cancel_vps(v, b.body::<types::CancellationRequest>(op))),
        "getVpsUsage" => calls!("get_vps_usage" => c.get_vps_usage(v)),
        "getVpsVncData" => calls!("get_vps_vnc_data" => c.get_vps_vnc_data(v)),
        "regenerateVpsVncToken" => {
            calls!("regenerate_vps_vnc_token" => c.regenerate_vps_vnc_token(v))
        }
        "listVpsAddons" => calls!("list_vps_addons" => c.list_vps_addons(v)),
        "orderVpsAddons" => calls!("order_vps_addons" =>
            c.order_vps_addons(v, b.body::<types::VpsAddonOrderRequest>(op))),
        "cancelVpsAddon" => {
            calls!("cancel_vps_addon" => c.cancel_vps_addon(v, "vps-addon-1-extra-ip-address"))
        }
        "listVpsLicenses" => calls!("list_vps_licenses" => c.list_vps_licenses(v)),
        "orderVpsLicense" => calls!("order_vps_license" =>
            c.order_vps_license(v, b.body::<types::VpsLicenseOrderRequest>(op))),
        "updateVpsLicense" => calls!("update_vps_license" =>
            c.update_vps_license(v, 42, b.body::<types::VpsLicenseUpdateRequest>(op))),
        "cancelVpsLicense" => calls!("cancel_vps_license" => c.cancel_vps_license(v, 42)),
        "listVpsUpgrades" => calls!("list_vps_upgrades" => c.list_vps_upgrades(v)),
        "upgradeVps" => calls!("upgrade_vps" =>
            c.upgrade_vps(v, b.body::<types::VpsUpgradeRequest>(op))),
        "listVpsOperatingSystems" => {
            calls!("list_vps_operating_systems" => c.list_vps_operating_systems(v))
        }
        "installVpsOperatingSystem" => calls!("install_vps_operating_system" =>
            c.install_vps_operating_system(v, b.body::<types::VpsOperatingSystemInstallRequest>(op))),
        "listVpsIpAddresses" => calls!("list_vps_ip_addresses" => c.list_vps_ip_addresses(v)),
        "addVpsIpv6Address" => calls!("add_vps_ipv6_address" =>
            c.add_vps_ipv6_address(v, b.body::<types::IpAddressAddRequest>(op))),
        "getVpsIpAddress" => calls!("get_vps_ip_address" => c.get_vps_ip_address(v, "37.97.254.6")),
        "updateVpsReverseDns" => calls!("update_vps_reverse_dns" =>
            c.update_vps_reverse_dns(v, "37.97.254.6", b.body::<types::IpAddressWrapper>(op).ip_address)),
        "removeVpsIpv6Address" => calls!("remove_vps_ipv6_address" =>
            c.remove_vps_ipv6_address(v, "2a01:7c8:3:1337::6")),
        "listVpsSnapshots" => calls!("list_vps_snapshots" => c.list_vps_snapshots(v)),
        "createVpsSnapshot" => calls!("create_vps_snapshot" =>
            c.create_vps_snapshot(v, b.body::<types::VpsSnapshotCreateRequest>(op))),
        "getVpsSnapshot" => calls!("get_vps_snapshot" => c.get_vps_snapshot(v, "1572607577")),
        "revertVpsSnapshot" => {
            calls!("revert_vps_snapshot" => c.revert_vps_snapshot(v, "1572607577"))
        }
        "deleteVpsSnapshot" => {
            calls!("delete_vps_snapshot" => c.delete_vps_snapshot(v, "1572607577"))
        }
        "listVpsBackups" => calls!("list_vps_backups" => c.list_vps_backups(v)),
        "vpsBackupAction" => calls!(
            "revert_vps_backup" => c.revert_vps_backup(v, 712332),
            "convert_vps_backup_to_snapshot" => c.convert_vps_backup_to_snapshot(v, 712332),
        ),
        "getTrafficPool" => calls!("get_traffic_pool" => c.get_traffic_pool()),
        "getVpsTraffic" => calls!("get_vps_traffic" => c.get_vps_traffic(v)),
        "getVpsFirewall" => calls!("get_vps_firewall" => c.get_vps_firewall(v)),
        "updateVpsFirewall" => calls!("update_vps_firewall" =>
            c.update_vps_firewall(v, b.body::<types::VpsFirewallWrapper>(op).vps_firewall)),
        "resetVpsFirewall" => calls!("reset_vps_firewall" =>
            c.reset_vps_firewall(v, b.body::<types::VpsFirewallResetRequest>(op))),
        "listVpsSettings" => calls!("list_vps_settings" => c.list_vps_settings(v)),
        "getVpsSetting" => calls!("get_vps_setting" => c.get_vps_setting(v, "blockVpsMailPorts")),
        "updateVpsSetting" => calls!("update_vps_setting" =>
            c.update_vps_setting(v, "blockVpsMailPorts", b.body::<types::VpsSettingWrapper>(op).setting)),
        "listPrivateNetworks" => calls!("list_private_networks" => c.list_private_networks()),
        "orderPrivateNetwork" => calls!("order_private_network" => c.order_private_network()),
        "getPrivateNetwork" => calls!("get_private_network" => c.get_private_network(pn)),
        "updatePrivateNetwork" => calls!("update_private_network" =>
            c.update_private_network(pn, b.body::<types::PrivateNetworkWrapper>(op).private_network)),
        "privateNetworkAction" => calls!(
            "attach_vps_to_private_network" => c.attach_vps_to_private_network(pn, v),
            "detach_vps_from_private_network" => c.detach_vps_from_private_network(pn, v),
        ),
        "cancelPrivateNetwork" => calls!("cancel_private_network" =>
            c.cancel_private_network(pn, b.body::<types::CancellationRequest>(op))),
        "listBigStorages" => calls!("list_big_storages" => c.list_big_storages()),
        "createBigStorage" => calls!(
            "order_big_storage" => c.order_big_storage(2000),
            "upgrade_big_storage" => c.upgrade_big_storage(bs, 4000),
        ),
        "getBigStorage" => calls!("get_big_storage" => c.get_big_storage(bs)),
        "updateBigStorage" => calls!("update_big_storage" =>
            c.update_big_storage(bs, b.body::<types::BigStorageWrapper>(op).big_storage)),
        "cancelBigStorage" => calls!("cancel_big_storage" =>
            c.cancel_big_storage(bs, b.body::<types::CancellationRequest>(op))),
        "listBigStorageBackups" => {
            calls!("list_big_storage_backups" => c.list_big_storage_backups(bs))
        }
        "revertBigStorageBackup" => calls!("revert_big_storage_backup" =>
            c.revert_big_storage_backup(bs, 1583, b.body::<types::BigStorageBackupRevertRequest>(op))),
        "getBigStorageUsage" => calls!("get_big_storage_usage" => c.get_big_storage_usage(bs)),
        "listBlockStorages" => calls!("list_block_storages" => c.list_block_storages()),
        "createBlockStorage" => calls!(
            "order_block_storage" =>
                c.order_block_storage(types::BlockStorageType::FastStorage, 2_147_483_648_i64),
            "upgrade_block_storage" => c.upgrade_block_storage(fs, 4_294_967_296_i64),
        ),
        "getBlockStorage" => calls!("get_block_storage" => c.get_block_storage(fs)),
        "updateBlockStorage" => calls!("update_block_storage" =>
            c.update_block_storage(fs, b.body::<types::BlockStorageWrapper>(op).block_storage)),
        "cancelBlockStorage" => calls!("cancel_block_storage" =>
            c.cancel_block_storage(fs, b.body::<types::CancellationRequest>(op))),
        "listBlockStorageBackups" => {
            calls!("list_block_storage_backups" => c.list_block_storage_backups(fs))
        }
        "revertBlockStorageBackup" => calls!("revert_block_storage_backup" =>
            c.revert_block_storage_backup(fs, 1583, b.body::<types::BlockStorageBackupRevertRequest>(op))),
        "listHaips" => calls!("list_haips" => c.list_haips()),
        "orderHaip" => calls!("order_haip" => c.order_haip(b.body::<types::HaipOrderRequest>(op))),
        "getHaip" => calls!("get_haip" => c.get_haip(ha)),
        "updateHaip" => {
            calls!("update_haip" => c.update_haip(ha, b.body::<types::HaipWrapper>(op).haip))
        }
        "cancelHaip" => calls!("cancel_haip" =>
            c.cancel_haip(ha, b.body::<types::CancellationRequest>(op))),
        "listHaipCertificates" => calls!("list_haip_certificates" => c.list_haip_certificates(ha)),
        "addHaipCertificate" => calls!("add_haip_certificate" =>
            c.add_haip_certificate(ha, b.body::<types::HaipCertificateAddRequest>(op))),
        "detachHaipCertificate" => {
            calls!("detach_haip_certificate" => c.detach_haip_certificate(ha, 1337))
        }
        "listHaipIpAddresses" => calls!("list_haip_ip_addresses" => c.list_haip_ip_addresses(ha)),
        "setHaipIpAddresses" => calls!("set_haip_ip_addresses" =>
            c.set_haip_ip_addresses(ha, b.body::<types::HaipIpAddresses>(op))),
        "detachHaipIpAddresses" => {
            calls!("detach_haip_ip_addresses" => c.detach_haip_ip_addresses(ha))
        }
        "listHaipPortConfigurations" => {
            calls!("list_haip_port_configurations" => c.list_haip_port_configurations(ha))
        }
        "createHaipPortConfiguration" => calls!("create_haip_port_configuration" =>
            c.create_haip_port_configuration(ha, b.body::<types::HaipPortConfigurationRequest>(op))),
        "getHaipPortConfiguration" => {
            calls!("get_haip_port_configuration" => c.get_haip_port_configuration(ha, 9865))
        }
        "updateHaipPortConfiguration" => calls!("update_haip_port_configuration" =>
            c.update_haip_port_configuration(ha, 9865, b.body::<types::HaipPortConfigurationWrapper>(op).port_configuration)),
        "deleteHaipPortConfiguration" => {
            calls!("delete_haip_port_configuration" => c.delete_haip_port_configuration(ha, 9865))
        }
        "getHaipStatusReports" => {
            calls!("get_haip_status_reports" => c.get_haip_status_reports(ha))
        }
        "listVpsRescueImages" => calls!("list_vps_rescue_images" => c.list_vps_rescue_images(v)),
        "bootVpsRescueImage" => calls!("boot_vps_rescue_image" =>
            c.boot_vps_rescue_image(v, b.body::<types::RescueImageBootRequest>(op))),
        "listVpsTcpMonitors" => calls!("list_vps_tcp_monitors" => c.list_vps_tcp_monitors(v)),
        "createVpsTcpMonitor" => calls!("create_vps_tcp_monitor" =>
            c.create_vps_tcp_monitor(v, b.body::<types::TcpMonitorWrapper>(op).tcp_monitor)),
        "updateVpsTcpMonitor" => calls!("update_vps_tcp_monitor" =>
            c.update_vps_tcp_monitor(v, "10.3.37.1", b.body::<types::TcpMonitorWrapper>(op).tcp_monitor)),
        "deleteVpsTcpMonitor" => {
            calls!("delete_vps_tcp_monitor" => c.delete_vps_tcp_monitor(v, "10.3.37.1"))
        }
        "listMonitoringContacts" => {
            calls!("list_monitoring_contacts" => c.list_monitoring_contacts())
        }
        "createMonitoringContact" => calls!("create_monitoring_contact" =>
            c.create_monitoring_contact(b.body::<types::MonitoringContactRequest>(op))),
        "updateMonitoringContact" => calls!("update_monitoring_contact" =>
            c.update_monitoring_contact(1, b.body::<types::MonitoringContactWrapper>(op).contact)),
        "deleteMonitoringContact" => {
            calls!("delete_monitoring_contact" => c.delete_monitoring_contact(1))
        }
        "getMailServiceInformation" => {
            calls!("get_mail_service_information" => c.get_mail_service_information())
        }
        "regenerateMailServicePassword" => {
            calls!("regenerate_mail_service_password" => c.regenerate_mail_service_password())
        }
        "addMailServiceDnsEntries" => calls!("add_mail_service_dns_entries" =>
            c.add_mail_service_dns_entries(b.body::<types::MailServiceDomainsRequest>(op))),
        "listOperatingSystems" => calls!("list_operating_systems" => c.list_operating_systems()),
        "listColocations" => calls!("list_colocations" => c.list_colocations()),
        "getColocation" => calls!("get_colocation" => c.get_colocation(co)),
        "listColocationIpAddresses" => {
            calls!("list_colocation_ip_addresses" => c.list_colocation_ip_addresses(co))
        }
        "addColocationIpAddress" => calls!("add_colocation_ip_address" =>
            c.add_colocation_ip_address(co, b.body::<types::ColocationIpAddressAddRequest>(op))),
        "getColocationIpAddress" => {
            calls!("get_colocation_ip_address" => c.get_colocation_ip_address(co, "37.97.254.6"))
        }
        "updateColocationReverseDns" => calls!("update_colocation_reverse_dns" =>
            c.update_colocation_reverse_dns(co, "37.97.254.6", b.body::<types::IpAddressWrapper>(op).ip_address)),
        "removeColocationIpAddress" => calls!("remove_colocation_ip_address" =>
            c.remove_colocation_ip_address(co, "37.97.254.6")),
        "listActions" => calls!("list_actions" => c.list_actions()),
        "getAction" => calls!("get_action" => c.get_action(ac)),
        "listChildActions" => calls!("list_child_actions" => c.list_child_actions(ac)),
        "getBlockStorageUsage" => {
            calls!("get_block_storage_usage" => c.get_block_storage_usage(fs))
        }
        "listMailPackages" => calls!("list_mail_packages" => c.list_mail_packages()),
        "listMailAddons" => calls!("list_mail_addons" => c.list_mail_addons(d)),
        "listMailboxes" => calls!("list_mailboxes" => c.list_mailboxes(d)),
        "createMailbox" => calls!("create_mailbox" =>
            c.create_mailbox(d, b.body::<types::MailboxCreateRequest>(op))),
        "getMailbox" => calls!("get_mailbox" => c.get_mailbox(d, mb)),
        "updateMailbox" => calls!("update_mailbox" =>
            c.update_mailbox(d, mb, b.body::<types::MailboxUpdateRequest>(op))),
        "deleteMailbox" => calls!("delete_mailbox" => c.delete_mailbox(d, mb)),
        "listMailForwards" => calls!("list_mail_forwards" => c.list_mail_forwards(d)),
        "createMailForward" => calls!("create_mail_forward" =>
            c.create_mail_forward(d, b.body::<types::MailForwardRequest>(op))),
        "getMailForward" => calls!("get_mail_forward" => c.get_mail_forward(d, 1)),
        "updateMailForward" => calls!("update_mail_forward" =>
            c.update_mail_forward(d, 1, b.body::<types::MailForwardRequest>(op))),
        "deleteMailForward" => calls!("delete_mail_forward" => c.delete_mail_forward(d, 1)),
        "listMailLists" => calls!("list_mail_lists" => c.list_mail_lists(d)),
        "createMailList" => calls!("create_mail_list" =>
            c.create_mail_list(d, b.body::<types::MailListCreateRequest>(op))),
        "getMailList" => calls!("get_mail_list" => c.get_mail_list(d, 1)),
        "updateMailList" => calls!("update_mail_list" =>
            c.update_mail_list(d, 1, b.body::<types::MailListUpdateRequest>(op))),
        "deleteMailList" => calls!("delete_mail_list" => c.delete_mail_list(d, 1)),
        "listAccountSslCertificates" => {
            calls!("list_account_ssl_certificates" => c.list_account_ssl_certificates())
        }
        "orderAccountSslCertificate" => calls!("order_account_ssl_certificate" =>
            c.order_account_ssl_certificate(b.body::<types::SslCertificateOrderRequest>(op))),
        "getAccountSslCertificate" => {
            calls!("get_account_ssl_certificate" => c.get_account_ssl_certificate(1))
        }
        "getAccountSslCertificateDetails" => calls!("get_account_ssl_certificate_details" =>
            c.get_account_ssl_certificate_details(1)),
        "listKubernetesReleases" => {
            calls!("list_kubernetes_releases" => c.list_kubernetes_releases())
        }
        "getKubernetesRelease" => {
            calls!("get_kubernetes_release" => c.get_kubernetes_release("1.23.5"))
        }
        // Kubernetes, OpenStack, e-mail PATCH and SSL certificate routes.
        "addOpenstackProjectUser" => calls!("add_openstack_project_user" =>
            c.add_openstack_project_user("project-id-1", b.body::<types::OpenStackProjectUserAddRequest>(op))),
        "cancelOpenstackProject" => calls!("cancel_openstack_project" =>
            c.cancel_openstack_project("project-id-1")),
        "changeMailAddonLink" => {
            // Two success statuses: 202 with a message, 204 without a body.
            use cloudapi::transip::{LinkMailAddonResponse as L, UnlinkMailAddonResponse as U};
            let link = c.link_mail_addon(d, 282154, 282154, mb).send().await;
            let link = link.map(|r| match r {
                L::Accepted(message) => Some(message),
                L::NoContent => None,
            });
            let unlink = c.unlink_mail_addon(d, 282154, 282154).send().await;
            let unlink = unlink.map(|r| match r {
                U::Accepted(message) => Some(message),
                U::NoContent => None,
            });
            vec![
                ("link_mail_addon", Outcome::of(link)),
                ("unlink_mail_addon", Outcome::of(unlink)),
            ]
        }
        "changeOpenstackUserPassword" => calls!("change_openstack_user_password" =>
            c.change_openstack_user_password("user-id-1", b.body::<types::OpenStackUserPasswordRequest>(op))),
        "createKubernetesCluster" => calls!("create_kubernetes_cluster" =>
            c.create_kubernetes_cluster(b.body::<types::KubernetesClusterOrderRequest>(op))),
        "createKubernetesLoadBalancer" => calls!("create_kubernetes_load_balancer" =>
            c.create_kubernetes_load_balancer("k888k", b.body::<types::KubernetesLoadBalancerOrderRequest>(op))),
        "createKubernetesNodePool" => calls!("create_kubernetes_node_pool" =>
            c.create_kubernetes_node_pool("k888k", b.body::<types::KubernetesNodePoolOrderRequest>(op))),
        "createOpenstackProject" => calls!("create_openstack_project" =>
            c.create_openstack_project(b.body::<types::OpenStackProjectCreateRequest>(op))),
        "createOpenstackUser" => calls!("create_openstack_user" =>
            c.create_openstack_user(b.body::<types::OpenStackUserCreateRequest>(op))),
        "createOpenstackUserToken" => calls!("create_openstack_user_token" =>
            c.create_openstack_user_token("user-id-1", b.body::<types::OpenStackTokenCreateRequest>(op))),
        "deleteKubernetesBlockStorage" => calls!("delete_kubernetes_block_storage" =>
            c.delete_kubernetes_block_storage("k888k", "name-1")),
        "deleteKubernetesCluster" => calls!("delete_kubernetes_cluster" =>
            c.delete_kubernetes_cluster("k888k")),
        "deleteKubernetesLoadBalancer" => calls!("delete_kubernetes_load_balancer" =>
            c.delete_kubernetes_load_balancer("k888k", "name-1")),
        "deleteKubernetesNodePool" => calls!("delete_kubernetes_node_pool" =>
            c.delete_kubernetes_node_pool("k888k", "uuid-1")),
        "deleteOpenstackUser" => calls!("delete_openstack_user" =>
            c.delete_openstack_user("user-id-1")),
        "deleteOpenstackUserToken" => calls!("delete_openstack_user_token" =>
            c.delete_openstack_user_token("user-id-1", "token-id-1")),
        "downloadAccountSslCertificate" => calls!("download_account_ssl_certificate" =>
            c.download_account_ssl_certificate(1)),
        "getKubernetesBlockStorage" => calls!("get_kubernetes_block_storage" =>
            c.get_kubernetes_block_storage("k888k", "name-1")),
        "getKubernetesBlockStorageStats" => calls!("get_kubernetes_block_storage_stats" =>
            c.get_kubernetes_block_storage_stats("k888k", "name-1")),
        "getKubernetesCluster" => calls!("get_kubernetes_cluster" =>
            c.get_kubernetes_cluster("k888k")),
        "getKubernetesClusterEvent" => calls!("get_kubernetes_cluster_event" =>
            c.get_kubernetes_cluster_event("k888k", "name-1")),
        "getKubernetesClusterRelease" => calls!("get_kubernetes_cluster_release" =>
            c.get_kubernetes_cluster_release("k888k", "version-1")),
        "getKubernetesKubeConfig" => calls!("get_kubernetes_kube_config" =>
            c.get_kubernetes_kube_config("k888k")),
        "getKubernetesLoadBalancer" => calls!("get_kubernetes_load_balancer" =>
            c.get_kubernetes_load_balancer("k888k", "name-1")),
        "getKubernetesNode" => calls!("get_kubernetes_node" =>
            c.get_kubernetes_node("k888k", "uuid-1")),
        "getKubernetesNodePool" => calls!("get_kubernetes_node_pool" =>
            c.get_kubernetes_node_pool("k888k", "uuid-1")),
        "getKubernetesNodeStats" => calls!("get_kubernetes_node_stats" =>
            c.get_kubernetes_node_stats("k888k", "uuid-1")),
        "getKubernetesProduct" => calls!("get_kubernetes_product" =>
            c.get_kubernetes_product("product-1")),
        "getOpenstackProject" => calls!("get_openstack_project" =>
            c.get_openstack_project("project-id-1")),
        "getOpenstackProjectQuota" => calls!("get_openstack_project_quota" =>
            c.get_openstack_project_quota("project-id-1")),
        "getOpenstackUser" => calls!("get_openstack_user" =>
            c.get_openstack_user("user-id-1")),
        "getOpenstackUserToken" => calls!("get_openstack_user_token" =>
            c.get_openstack_user_token("user-id-1", "token-id-1")),
        "handoverOpenstackProject" => calls!("handover_openstack_project" =>
            c.handover_openstack_project("project-id-1", b.body::<types::OpenStackProjectHandoverRequest>(op))),
        "installAccountSslCertificate" => calls!("install_account_ssl_certificate" =>
            c.install_account_ssl_certificate(1, b.body::<types::SslCertificateInstallRequest>(op))),
        "kubernetesClusterAction" => calls!(
            "upgrade_kubernetes_cluster" => c.upgrade_kubernetes_cluster("k888k", "1.27.0"),
            "reset_kubernetes_cluster" => c.reset_kubernetes_cluster("k888k", "k888k"),
            "handover_kubernetes_cluster" => c.handover_kubernetes_cluster("k888k", co),
            "block_kubernetes_cluster_mail_ports" => c.block_kubernetes_cluster_mail_ports("k888k"),
            "unblock_kubernetes_cluster_mail_ports" =>
                c.unblock_kubernetes_cluster_mail_ports("k888k"),
        ),
        "listKubernetesBlockStorages" => calls!("list_kubernetes_block_storages" =>
            c.list_kubernetes_block_storages("k888k")),
        "listKubernetesClusterEvents" => calls!("list_kubernetes_cluster_events" =>
            c.list_kubernetes_cluster_events("k888k")),
        "listKubernetesClusterReleases" => calls!("list_kubernetes_cluster_releases" =>
            c.list_kubernetes_cluster_releases("k888k")),
        "listKubernetesClusters" => calls!("list_kubernetes_clusters" =>
            c.list_kubernetes_clusters()),
        "listKubernetesLoadBalancerNodeStatusReports" => {
            calls!("list_kubernetes_load_balancer_node_status_reports" =>
            c.list_kubernetes_load_balancer_node_status_reports("k888k", "lb-1", "node-1"))
        }
        "listKubernetesLoadBalancerStatusReports" => {
            calls!("list_kubernetes_load_balancer_status_reports" =>
            c.list_kubernetes_load_balancer_status_reports("k888k", "name-1"))
        }
        "listKubernetesLoadBalancers" => calls!("list_kubernetes_load_balancers" =>
            c.list_kubernetes_load_balancers("k888k")),
        "listKubernetesNodePoolLabels" => calls!("list_kubernetes_node_pool_labels" =>
            c.list_kubernetes_node_pool_labels("k888k", "uuid-1")),
        "listKubernetesNodePoolTaints" => calls!("list_kubernetes_node_pool_taints" =>
            c.list_kubernetes_node_pool_taints("k888k", "uuid-1")),
        "listKubernetesNodePools" => calls!("list_kubernetes_node_pools" =>
            c.list_kubernetes_node_pools("k888k")),
        "listKubernetesNodes" => calls!("list_kubernetes_nodes" =>
            c.list_kubernetes_nodes("k888k")),
        "listKubernetesProducts" => calls!("list_kubernetes_products" =>
            c.list_kubernetes_products()),
        "listOpenstackProjectAssignableUsers" => {
            calls!("list_openstack_project_assignable_users" =>
            c.list_openstack_project_assignable_users("project-id-1"))
        }
        "listOpenstackProjectUsers" => calls!("list_openstack_project_users" =>
            c.list_openstack_project_users("project-id-1")),
        "listOpenstackProjects" => calls!("list_openstack_projects" =>
            c.list_openstack_projects()),
        "listOpenstackUserTokens" => calls!("list_openstack_user_tokens" =>
            c.list_openstack_user_tokens("user-id-1")),
        "listOpenstackUsers" => calls!("list_openstack_users" =>
            c.list_openstack_users()),
        "rebootKubernetesNode" => calls!("reboot_kubernetes_node" =>
            c.reboot_kubernetes_node("k888k", "uuid-1", b.body::<types::KubernetesNodeRebootAction>(op))),
        "reissueAccountSslCertificate" => calls!("reissue_account_ssl_certificate" =>
            c.reissue_account_ssl_certificate(1, b.body::<types::SslCertificateReissueRequest>(op))),
        "removeOpenstackProjectUser" => calls!("remove_openstack_project_user" =>
            c.remove_openstack_project_user("project-id-1", "user-id-1")),
        "setKubernetesNodePoolLabels" => calls!("set_kubernetes_node_pool_labels" =>
            c.set_kubernetes_node_pool_labels("k888k", "uuid-1", b.at::<Vec<types::KubernetesLabel>>(op, "/example/labels"))),
        "setKubernetesNodePoolTaints" => calls!("set_kubernetes_node_pool_taints" =>
            c.set_kubernetes_node_pool_taints("k888k", "uuid-1", b.at::<Vec<types::KubernetesTaint>>(op, "/example/taints"))),
        "setOpenstackProjectQuota" => calls!("set_openstack_project_quota" =>
            c.set_openstack_project_quota("project-id-1", b.body::<types::OpenStackProjectQuotaRequest>(op))),
        "uninstallAccountSslCertificate" => calls!("uninstall_account_ssl_certificate" =>
            c.uninstall_account_ssl_certificate(1, b.body::<types::SslCertificateUninstallRequest>(op))),
        "updateKubernetesBlockStorage" => calls!("update_kubernetes_block_storage" =>
            c.update_kubernetes_block_storage("k888k", "name-1", b.at::<types::KubernetesBlockStorage>(op, "/example/volume"))),
        "updateKubernetesCluster" => calls!("update_kubernetes_cluster" =>
            c.update_kubernetes_cluster("k888k", b.at::<types::KubernetesCluster>(op, "/example/cluster"))),
        "updateKubernetesLoadBalancer" => calls!("update_kubernetes_load_balancer" =>
            c.update_kubernetes_load_balancer("k888k", "name-1", b.at::<types::KubernetesLoadBalancerConfig>(op, "/example/loadBalancerConfig"))),
        "updateKubernetesNodePool" => calls!("update_kubernetes_node_pool" =>
            c.update_kubernetes_node_pool("k888k", "uuid-1", b.at::<types::KubernetesNodePool>(op, "/example/nodePool"))),
        "updateMailForwardFields" => calls!("update_mail_forward_fields" =>
            c.update_mail_forward_fields(d, 1, b.body::<types::MailForwardPatchRequest>(op))),
        "updateMailboxFields" => calls!("update_mailbox_fields" =>
            c.update_mailbox_fields(d, "identifier-1", b.body::<types::MailboxPatchRequest>(op))),
        "updateOpenstackProject" => calls!("update_openstack_project" =>
            c.update_openstack_project("project-id-1", b.at::<types::OpenStackProject>(op, "/example/project"))),
        "updateOpenstackUser" => calls!("update_openstack_user" =>
            c.update_openstack_user("user-id-1", b.at::<types::OpenStackUser>(op, "/example/user"))),
        // Acronis and file hosting.
        "listAcronisTenants" => calls!("list_acronis_tenants" => c.list_acronis_tenants()),
        "orderAcronisTenant" => calls!("order_acronis_tenant" =>
            c.order_acronis_tenant(b.body::<types::AcronisTenantOrderRequest>(op))),
        "getAcronisTenant" => calls!("get_acronis_tenant" => c.get_acronis_tenant(tn)),
        "updateAcronisTenant" => calls!("update_acronis_tenant" =>
            c.update_acronis_tenant(tn, b.at::<types::AcronisTenant>(op, "/example/tenant"))),
        "cancelAcronisTenant" => calls!("cancel_acronis_tenant" =>
            c.cancel_acronis_tenant(tn, b.body::<types::CancellationRequest>(op))),
        "orderAcronisTenantAddons" => calls!("order_acronis_tenant_addons" =>
            c.order_acronis_tenant_addons(tn, b.at::<Vec<String>>(op, "/example/addons"))),
        "cancelAcronisTenantAddon" => calls!("cancel_acronis_tenant_addon" =>
            c.cancel_acronis_tenant_addon(tn, "acronisAddon-250gb")),
        "downgradeAcronisTenant" => calls!("downgrade_acronis_tenant" =>
            c.downgrade_acronis_tenant(tn, b.at::<String>(op, "/example/productName"))),
        "getAcronisTenantLoginUrl" => {
            calls!("get_acronis_tenant_login_url" => c.get_acronis_tenant_login_url(tn))
        }
        "upgradeAcronisTenant" => calls!("upgrade_acronis_tenant" =>
            c.upgrade_acronis_tenant(tn, b.at::<String>(op, "/example/productName"))),
        "listAcronisTenantUsages" => {
            calls!("list_acronis_tenant_usages" => c.list_acronis_tenant_usages(tn))
        }
        "listFilehostingDisks" => calls!("list_filehosting_disks" => c.list_filehosting_disks()),
        "orderFilehostingDisk" => calls!("order_filehosting_disk" =>
            c.order_filehosting_disk(b.at::<String>(op, "/example/productName"))),
        "getFilehostingDisk" => calls!("get_filehosting_disk" => c.get_filehosting_disk(4134)),
        "updateFilehostingDisk" => calls!("update_filehosting_disk" =>
            c.update_filehosting_disk(4134, b.at::<types::FilehostingDisk>(op, "/example/disk"))),
        "cancelFilehostingDisk" => calls!("cancel_filehosting_disk" =>
            c.cancel_filehosting_disk(4134, b.body::<types::CancellationRequest>(op))),
        "listFilehostingDiskBackups" => calls!("list_filehosting_disk_backups" =>
            c.list_filehosting_disk_backups(4134)),
        "revertFilehostingDiskBackup" => calls!("revert_filehosting_disk_backup" =>
            c.revert_filehosting_disk_backup(4134, 160277323)),
        "listFilehostingDiskCustomDomains" => calls!("list_filehosting_disk_custom_domains" =>
            c.list_filehosting_disk_custom_domains(4134)),
        "attachFilehostingDiskCustomDomain" => calls!("attach_filehosting_disk_custom_domain" =>
            c.attach_filehosting_disk_custom_domain(4134, b.body::<types::FilehostingCustomDomainRequest>(op))),
        "detachFilehostingDiskCustomDomain" => calls!("detach_filehosting_disk_custom_domain" =>
            c.detach_filehosting_disk_custom_domain(4134, 1027)),
        "upgradeFilehostingDisk" => calls!("upgrade_filehosting_disk" =>
            c.upgrade_filehosting_disk(4134, b.at::<String>(op, "/example/productName"))),
        "listFilehostingDiskUsers" => calls!("list_filehosting_disk_users" =>
            c.list_filehosting_disk_users(4134)),
        "resetFilehostingDiskUserPassword" => calls!("reset_filehosting_disk_user_password" =>
            c.reset_filehosting_disk_user_password(4134, b.body::<types::FilehostingUserPasswordRequest>(op))),
        _ => return None,
    })
}

/// The part of a success example the client returns: the whole body, or the value at the
/// response's `x-cloudgen-unwrap` pointer.
fn example_at(spec: &Value, op: &Value, status: u16, example: &Value) -> Value {
    let response = resolve(spec, &op["responses"][status.to_string()]);
    let unwrap = response
        .get("x-cloudgen-unwrap")
        .or_else(|| response["content"]["application/json"].get("x-cloudgen-unwrap"))
        .and_then(Value::as_str);
    match unwrap {
        Some(pointer) => example.pointer(pointer).cloned().unwrap_or(Value::Null),
        None => example.clone(),
    }
}

/// `value` without `null` object members: the client leaves absent optional fields out.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Whether a request path fits a spec path template (`{name}` matches one segment).
fn path_fits(template: &str, path: &str) -> bool {
    let template: Vec<_> = template.split('/').collect();
    let path: Vec<_> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

/// Runs on a thread with a 64 MiB stack: `call_operation`'s poll frame (an arm per operation)
/// outgrows the 2 MiB test thread in debug builds.
#[test]
fn every_response_example_of_the_spec_decodes() {
    let run = std::thread::Builder::new()
        .name("every-response-example".to_owned())
        .stack_size(64 << 20)
        .spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime")
                .block_on(every_response_example_decodes())
        })
        .expect("start the test's thread");
    if let Err(panic) = run.join() {
        std::panic::resume_unwind(panic);
    }
}

async fn every_response_example_decodes() {
    let spec = spec();
    let ops = operations(&spec);
    let bodies = Bodies { ops: &ops };
    let current = Arc::new(Mutex::new(Reply::empty(500)));
    let serving = Arc::clone(&current);
    let server = Server::start("", move |_| serving.lock().expect("reply lock").clone()).await;
    let client = plain_client(&server.base_url);

    let mut problems = Vec::new();
    let (mut success_examples, mut error_examples, mut calls) = (0, 0, 0);
    let mut unknown = Vec::new();
    let mut covered = 0;
    for (id, operation) in &ops {
        // Every operation must be in the table, examples or not.
        server.clear();
        *current.lock().expect("reply lock") = Reply::empty(204);
        if call_operation(&client, &bodies, id).await.is_none() {
            unknown.push(id.clone());
            continue;
        }
        covered += 1;
        for (status, example) in response_examples(&spec, &operation.op) {
            if (200..300).contains(&status) {
                success_examples += 1;
            } else {
                error_examples += 1;
            }
            *current.lock().expect("reply lock") = Reply::json(status, &example);
            server.clear();
            let outcomes = call_operation(&client, &bodies, id)
                .await
                .expect("known operation");
            for (request, (method, _)) in server.seen().iter().zip(&outcomes) {
                if request.method != operation.method || !path_fits(&operation.path, request.path())
                {
                    problems.push(format!(
                        "{id}/{method}: sent {} {}, the spec says {} {}",
                        request.method, request.target, operation.method, operation.path
                    ));
                }
            }
            for (method, outcome) in outcomes {
                calls += 1;
                let fine = match &outcome {
                    Outcome::Decoded(value) => {
                        (200..300).contains(&status)
                            && *value
                                == without_nulls(&example_at(
                                    &spec,
                                    &operation.op,
                                    status,
                                    &example,
                                ))
                    }
                    Outcome::Api {
                        status: got,
                        typed: Some(typed),
                        ..
                    } => {
                        let message = example["error"].as_str().unwrap_or_default();
                        *got == status && typed.contains(&format!("{message:?}"))
                    }
                    Outcome::Api { .. } | Outcome::Failed(_) => false,
                };
                if !fine {
                    problems.push(format!(
                        "{id}/{method} with the {status} example: {outcome}"
                    ));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "operations without a call in the table: {unknown:?}"
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The counts pin what was checked, so that a spec change that drops examples is noticed.
    assert_eq!(covered, ops.len());
    assert_eq!(
        (ops.len(), success_examples, error_examples, calls),
        (266, 133, 1505, 1758),
        "(operations, success examples, error examples, client calls)"
    );
}

// ---------------------------------------------------------------------------------------------
// The spec through a real linter

#[test]
fn the_spec_passes_the_redocly_linter_with_zero_errors() {
    let output = std::process::Command::new("npx")
        .args([
            "--yes",
            "@redocly/cli@2.77.0",
            "lint",
            "--format=json",
            "specs/transip.yaml",
        ])
        .current_dir(workspace_root())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "could not run `npx` ({e}). This test needs Node.js 20 or newer with npm \
                 (which provides npx), e.g. `apt-get install nodejs npm` or \
                 https://nodejs.org/en/download; it runs `npx --yes @redocly/cli@2.77.0 lint \
                 specs/transip.yaml` and needs network access the first time"
            )
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "redocly printed no JSON report ({e}); is npm able to fetch @redocly/cli@2.77.0?\n\
             stdout:\n{stdout}\nstderr:\n{stderr}"
        )
    });
    assert_eq!(report["version"], "2.77.0");
    let errors: Vec<_> = report["problems"]
        .as_array()
        .expect("a problems list")
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| format!("{}: {}", p["ruleId"], p["message"]))
        .collect();
    assert_eq!(report["totals"]["errors"], 0, "redocly errors: {errors:#?}");
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(output.status.success(), "redocly failed:\n{stderr}");
}
