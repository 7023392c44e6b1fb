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

// Secrets inside generated types: every string the specs mark `format: password` or
// `x-cloudgen-secret: true` is a `runtime::Secret`, shown as `<redacted>` by `Debug` and sent and
// read as the plain string.

/// Reads `wire` into `T`, checks that `Debug` (plain and pretty) shows no secret but does show
/// `<redacted>` (so a secret field is really there), and that writing the value back gives
/// `wire` unchanged: marking a field secret never changes the wire format.
fn holds_secrets<T>(what: &str, wire: serde_json::Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    assert!(
        wire.to_string().contains("SECRET"),
        "{what}: the test value holds no secret"
    );
    let value: T = serde_json::from_value(wire.clone())
        .unwrap_or_else(|e| panic!("{what} does not read {wire}: {e}"));
    for shown in [format!("{value:?}"), format!("{value:#?}")] {
        assert_clean(&format!("{what} Debug"), &shown);
        assert!(
            shown.contains("<redacted>"),
            "{what} Debug shows no redacted field:\n{shown}"
        );
    }
    let written = serde_json::to_value(&value).expect("a generated type serializes");
    assert_eq!(written, wire, "{what}: the wire format changed");
    value
}

#[test]
fn upcloud_types_never_show_passwords_or_tokens() {
    use cloudapi::upcloud::types;
    let server: types::ServerDetails = holds_secrets(
        "ServerDetails",
        serde_json::json!({
            "uuid": "0077fa3d-32db-4b09-9f5f-30d9e9afb565",
            "title": "web1",
            "hostname": "web1.example.com",
            "state": "started",
            "zone": "fi-hel1",
            "password": "pw-SECRET-admin",
            "remote_access_password": "pw-SECRET-vnc",
        }),
    );
    assert_eq!(
        server.password.as_ref().map(Secret::expose),
        Some("pw-SECRET-admin")
    );
    holds_secrets::<types::ModifyServer>(
        "ModifyServer",
        serde_json::json!({"remote_access_password": "pw-SECRET-vnc"}),
    );
    holds_secrets::<types::CreateSubaccount>(
        "CreateSubaccount",
        serde_json::json!({"username": "ops", "password": PASSWORD}),
    );
    holds_secrets::<types::Token>(
        "Token",
        serde_json::json!({
            "id": "0c0e2abf-cd89-490b-abdb-d06db6e8d816",
            "name": "ci",
            "type": "workspace",
            "created_at": "2025-01-01T00:00:00Z",
            "expires_at": "2026-01-01T00:00:00Z",
            "can_create_tokens": false,
            "allowed_ip_ranges": ["0.0.0.0/0"],
            "gui": false,
            "token": "ucat_SECRET_01",
        }),
    );
    // Built by hand, through the setters that take plain strings.
    let modify = types::ModifyServer::default().with_remote_access_password(PASSWORD);
    assert_clean("ModifyServer Debug", &format!("{modify:?}"));
    assert_eq!(
        serde_json::to_value(&modify).expect("serializes")["remote_access_password"],
        PASSWORD
    );
}

#[test]
fn transip_types_never_show_passwords_keys_or_auth_codes() {
    use cloudapi::transip::types;
    holds_secrets::<types::MailboxCreateRequest>(
        "MailboxCreateRequest",
        serde_json::json!({"localPart": "info", "password": PASSWORD}),
    );
    holds_secrets::<types::MailboxUpdateRequest>(
        "MailboxUpdateRequest",
        serde_json::json!({"password": PASSWORD}),
    );
    holds_secrets::<types::MailboxPatchRequest>(
        "MailboxPatchRequest",
        serde_json::json!({"password": PASSWORD}),
    );
    holds_secrets::<types::MailServiceInformation>(
        "MailServiceInformation",
        serde_json::json!({"username": "test@vps.transip.email", "password": PASSWORD}),
    );
    holds_secrets::<types::OpenStackUserCreateRequest>(
        "OpenStackUserCreateRequest",
        serde_json::json!({"username": "example-support", "password": PASSWORD}),
    );
    holds_secrets::<types::OpenStackUserPasswordRequest>(
        "OpenStackUserPasswordRequest",
        serde_json::json!({"newPassword": PASSWORD}),
    );
    holds_secrets::<types::OpenStackToken>(
        "OpenStackToken",
        serde_json::json!({"tokenId": "883a", "accessKey": "humje06", "secretKey": "sk-SECRET-6d2t"}),
    );
    holds_secrets::<types::VncData>(
        "VncData",
        serde_json::json!({
            "host": "vncproxy.transip.nl",
            "path": "websockify?token=vnc-SECRET-t",
            "url": "https://vncproxy.transip.nl/websockify?token=vnc-SECRET-t",
            "token": "vnc-SECRET-t",
            "password": "vnc-SECRET-pw",
        }),
    );
    holds_secrets::<types::SslCertificateData>(
        "SslCertificateData",
        serde_json::json!({"certificateCrt": "crt", "certificateKey": "-----BEGIN PRIVATE KEY----- SECRET"}),
    );
    holds_secrets::<types::SslCertificateDownloadRequest>(
        "SslCertificateDownloadRequest",
        serde_json::json!({"passphrase": PASSWORD}),
    );
    holds_secrets::<types::SslCertificateInstallRequest>(
        "SslCertificateInstallRequest",
        serde_json::json!({"domainName": "example.com", "passphrase": PASSWORD}),
    );
    holds_secrets::<types::Domain>(
        "Domain",
        serde_json::json!({"name": "example.com", "authCode": "epp-SECRET-1"}),
    );
    holds_secrets::<types::DomainTransferRequest>(
        "DomainTransferRequest",
        serde_json::json!({"domainName": "example.com", "authCode": "epp-SECRET-1"}),
    );
    holds_secrets::<types::DomainActionRetryRequest>(
        "DomainActionRetryRequest",
        serde_json::json!({"authCode": "epp-SECRET-1"}),
    );
    holds_secrets::<types::LicenseKey>(
        "LicenseKey",
        serde_json::json!({"name": "cpanel", "key": "lic-SECRET-1"}),
    );
    holds_secrets::<types::VpsOrder>(
        "VpsOrder",
        serde_json::json!({"productName": "vps-bladevps-x8", "operatingSystem": "ubuntu-24.04", "hashedPassword": "$2y$10$SECRET"}),
    );
    holds_secrets::<types::VpsOperatingSystemInstallRequest>(
        "VpsOperatingSystemInstallRequest",
        serde_json::json!({"operatingSystemName": "ubuntu-24.04", "hashedPassword": "$2y$10$SECRET"}),
    );
    let mailbox = types::MailboxCreateRequest::new("info", PASSWORD);
    assert_clean("MailboxCreateRequest Debug", &format!("{mailbox:?}"));
}

#[test]
fn unikraft_types_never_show_private_keys_or_user_tokens() {
    use cloudapi::unikraft::types;
    holds_secrets::<types::CertificateCreateRequest>(
        "CertificateCreateRequest",
        serde_json::json!({"cn": "*.example.com", "chain": "CHAIN", "pkey": "-----BEGIN PRIVATE KEY----- SECRET"}),
    );
    holds_secrets::<types::CertificateUpdateRequest>(
        "CertificateUpdateRequest",
        serde_json::json!({"chain": "CHAIN", "pkey": "-----BEGIN PRIVATE KEY----- SECRET"}),
    );
    holds_secrets::<types::UserAccount>(
        "UserAccount",
        serde_json::json!({
            "uuid": "0077fa3d-32db-4b09-9f5f-30d9e9afb565",
            "name": "alice",
            "auth_token": ["tok-SECRET-1", "tok-SECRET-2"],
        }),
    );
}

/// A password in a request body reaches the server as it is, and no error, `Debug` or trace of
/// the call shows it.
#[tokio::test]
async fn a_password_in_a_request_body_is_sent_but_never_shown() {
    let (traces, _guard) = capture_traces();
    let server = Server::scripted(
        "",
        vec![Reply::json(
            406,
            &serde_json::json!({"error": "The mailbox could not be created"}),
        )],
    )
    .await;
    let client = cloudgen_tests::clients::transip(&server.base_url);
    let body = cloudapi::transip::types::MailboxCreateRequest::new("info", PASSWORD);
    let builder = client.create_mailbox("example.com", body);
    let err = builder.send().await.expect_err("the server answers 406");
    assert_clean("error Display", &err.to_string());
    assert_clean("error Debug", &format!("{err:?}"));
    assert_clean("tracing output", &recorded(&traces));
    assert_eq!(server.only_request().body_json()["password"], PASSWORD);
}

// The fixture `tests/fixtures/secret_fields.yaml`: secrets in every position the generator
// supports.

#[test]
fn fixture_secrets_are_redacted_in_every_position() {
    use cloudgen_tests::snapshots::secret_fields::types;
    let credentials = types::Credentials::new("alice", PASSWORD)
        .with_otp("otp-SECRET-1")
        .with_recovery_code(Secret::from("rc-SECRET-1"))
        .with_api_key("key-SECRET-1")
        .with_backup_codes(vec![Secret::from("bc-SECRET-1")])
        .with_password_hint("the usual");
    assert_clean("Credentials Debug", &format!("{credentials:?}"));
    assert!(format!("{credentials:?}").contains("the usual"));
    let wire = serde_json::to_value(&credentials).expect("serializes");
    assert_eq!(
        wire,
        serde_json::json!({
            "username": "alice",
            "password": PASSWORD,
            "otp": "otp-SECRET-1",
            "recovery_code": "rc-SECRET-1",
            "api_key": "key-SECRET-1",
            "backup_codes": ["bc-SECRET-1"],
            "password_hint": "the usual",
        })
    );
    // `null` for a nullable secret stays `null` on the wire.
    let cleared = types::Credentials::new("alice", PASSWORD)
        .with_recovery_code(cloudapi::runtime::Nullable::Null);
    assert_eq!(
        serde_json::to_value(&cleared).expect("serializes")["recovery_code"],
        serde_json::Value::Null
    );
    holds_secrets::<types::Session>(
        "Session",
        serde_json::json!({"token": "tok-SECRET-1", "previous_token": null, "refresh_token": "rt-SECRET-1"}),
    );
    holds_secrets::<types::Session>(
        "Session",
        serde_json::json!({"token": "tok-SECRET-1", "previous_token": "tok-SECRET-0", "expires_in": 3600}),
    );
}

/// Secret path, query and header parameters are sent as they are; the error of the call shows
/// the path as its template and neither the query values nor the header, whatever their names.
#[tokio::test]
async fn fixture_secret_parameters_are_sent_but_never_shown() {
    let (traces, _guard) = capture_traces();
    let server = Server::scripted(
        "",
        vec![Reply {
            status: 500,
            headers: Vec::new(),
            body: b"down".to_vec(),
        }],
    )
    .await;
    let client = cloudgen_tests::snapshots::secret_fields::Client::new(server.base_url.clone())
        .expect("client builds");
    let builder = client
        .check_key("key-SECRET-1", "pin-SECRET-1")
        .backup(["bk-SECRET-1", "bk-SECRET-2"].map(Secret::from))
        .x_passcode("pass-SECRET-1");
    let err = builder.send().await.expect_err("the server answers 500");
    let shown = err.to_string();
    assert!(
        shown.contains("/keys/{key}?pin=<redacted>&backup=<redacted>"),
        "the path is not shown as its template, or the query not redacted: {shown}"
    );
    assert_clean("error Debug", &format!("{err:?}"));
    assert_clean("tracing output", &recorded(&traces));
    let sent = server.only_request();
    assert_eq!(sent.path(), "/keys/key-SECRET-1");
    assert_eq!(
        sent.query(),
        [
            ("pin".to_string(), "pin-SECRET-1".to_string()),
            ("backup".to_string(), "bk-SECRET-1".to_string()),
            ("backup".to_string(), "bk-SECRET-2".to_string()),
        ]
    );
    assert_eq!(sent.header("x-passcode"), Some("pass-SECRET-1"));
}

/// A success body the types cannot read keeps its bytes for the caller, but the excerpt that
/// `Debug` and `Display` show has the values of credential-looking members redacted: such a
/// body may echo a secret (UpCloud's createServer answers with the one-time root password).
#[tokio::test]
async fn an_unreadable_response_echoing_a_password_is_shown_redacted() {
    let (_traces, _guard) = capture_traces();
    let echo =
        serde_json::json!({"id": 1, "password": PASSWORD, "nested": {"auth_token": [TOKEN]}});
    let server = Server::scripted("", vec![Reply::json(200, &echo)]).await;
    let client = Client::builder(server.base_url.clone())
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let err = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("`id` is no string");
    let shown = format!("{err} {err:?}");
    assert_clean("decode error", &shown);
    assert!(shown.contains("<redacted>"), "{shown}");
    match err {
        cloudapi::runtime::Error::Decode { body, .. } => {
            let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
            assert_eq!(body, echo, "the caller still gets the body as sent");
        }
        other => panic!("not a decode error: {other:?}"),
    }
}
