//! What a new user meets first: `{}` on an error says what they need in one line (the call,
//! the cause of a transport failure, the provider's code and message, where a body failed to
//! decode), the prelude is enough for headers and page streams, and list query parameters take
//! one value per call or a list.

use cloudapi::runtime::RetryPolicy;
use cloudgen_tests::loopback::{Reply, Server};
use serde_json::json;

fn upcloud(base_url: &str) -> cloudapi::upcloud::Client {
    cloudapi::upcloud::Client::from_runtime(
        cloudapi::upcloud::Client::builder()
            .base_url(base_url)
            .bearer_token("token")
            .retry(RetryPolicy::none())
            .build()
            .expect("a client"),
    )
}

const SERVER: &str = "00798b85-efdc-41ca-8021-f6ef457b8531";

/// A loopback port nothing listens on: a listener is bound and dropped.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

#[tokio::test]
async fn an_upcloud_api_error_shows_the_call_the_code_and_the_message() {
    let body = json!({"error": {"error_code": "SERVER_NOT_FOUND", "error_message": "The server 00798b85 does not exist."}});
    let server = Server::scripted("/1.3", vec![Reply::json(404, &body)]).await;
    let error = upcloud(&server.base_url)
        .get_server(SERVER.parse::<uuid::Uuid>().expect("a UUID"))
        .send()
        .await
        .expect_err("404");
    assert_eq!(
        error.to_string(),
        format!(
            "the server answered 404 Not Found to `get_server` (GET {}/server/{SERVER}): SERVER_NOT_FOUND: The server 00798b85 does not exist. (1 attempt)",
            server.base_url
        )
    );
    assert_eq!(
        error.api().and_then(|a| a.summary()),
        Some("SERVER_NOT_FOUND: The server 00798b85 does not exist.")
    );
}

#[tokio::test]
async fn a_transip_api_error_shows_the_message() {
    let server = Server::scripted(
        "/v6",
        vec![Reply::json(
            406,
            &json!({"error": "This is not a valid SSH key"}),
        )],
    )
    .await;
    let client = cloudapi::transip::Client::from_runtime(
        cloudapi::transip::Client::builder()
            .base_url(&server.base_url)
            .bearer_token("token")
            .retry(RetryPolicy::none())
            .build()
            .expect("a client"),
    );
    let error = client.get_invoice("F0001").send().await.expect_err("406");
    assert_eq!(
        error.to_string(),
        format!(
            "the server answered 406 Not Acceptable to `get_invoice` (GET {}/invoices/F0001): This is not a valid SSH key (1 attempt)",
            server.base_url
        )
    );
}

#[tokio::test]
async fn a_refused_connection_names_the_call_the_url_and_the_cause() {
    let port = closed_port();
    let error = upcloud(&format!("http://127.0.0.1:{port}/1.3"))
        .list_zones()
        .send()
        .await
        .expect_err("nothing listens");
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!(
            "could not talk to the server for `list_zones` (GET http://127.0.0.1:{port}/1.3/zone): error sending request: "
        )),
        "{shown}"
    );
    assert!(
        shown.to_lowercase().contains("connection refused"),
        "{shown}"
    );
    assert!(!shown.contains("token"), "{shown}");
}

#[tokio::test]
async fn a_decode_error_names_the_operation_and_the_path() {
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(200, &json!({"zones": {"zone": [{"id": 7}]}}))],
    )
    .await;
    let error = upcloud(&server.base_url)
        .list_zones()
        .send()
        .await
        .expect_err("a number where a string belongs");
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!(
            "could not decode the 200 OK response to `list_zones` (GET {}/zone) at `zones.zone[0].id`: invalid type: integer",
            server.base_url
        )),
        "{shown}"
    );
}

#[tokio::test]
async fn the_prelude_is_enough_for_headers_and_page_streams() {
    use cloudapi::prelude::*;
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(200, &json!({"zones": {"zone": []}}))],
    )
    .await;
    let zones = upcloud(&server.base_url)
        .list_zones()
        .header(
            HeaderName::from_static("x-request-id"),
            HeaderValue::from_static("42"),
        )
        .send()
        .await
        .expect("an empty list");
    assert!(zones.is_empty());
    assert_eq!(server.only_request().header("x-request-id"), Some("42"));
    // The stream traits come from the same re-exported futures_util.
    let items: Vec<u32> = cloudapi::futures_util::stream::iter([Ok::<u32, ()>(1), Ok(2)])
        .try_collect()
        .await
        .expect("collects");
    assert_eq!(items, [1, 2]);
}

#[tokio::test]
async fn an_array_query_parameter_takes_one_value_per_call_or_a_list() {
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(200, &json!({"servers": {"server": []}}))],
    )
    .await;
    let client = upcloud(&server.base_url);
    client
        .list_servers()
        .label("env=prod")
        .label(["team=a", "tier"])
        .send()
        .await
        .expect("lists");
    let labels: Vec<String> = server
        .only_request()
        .query()
        .into_iter()
        .filter(|(k, _)| k == "label")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(labels, ["env%3Dprod", "team%3Da", "tier"]);
}

#[tokio::test]
async fn a_timeout_names_the_call_and_the_url() {
    // A listener that never accepts: the connection opens, no answer ever comes.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base_url = format!("http://{}/1.3", silent.local_addr().expect("addr"));
    let client = cloudapi::upcloud::Client::from_runtime(
        cloudapi::upcloud::Client::builder()
            .base_url(&base_url)
            .bearer_token("token")
            .retry(RetryPolicy::none())
            .timeout(std::time::Duration::from_millis(200))
            .build()
            .expect("a client"),
    );
    let error = client.list_zones().send().await.expect_err("no answer");
    let shown = error.to_string();
    assert!(shown.starts_with("request timed out after "), "{shown}");
    assert!(
        shown.ends_with(&format!(
            " ms for `list_zones` (GET {base_url}/zone) (1 attempt)"
        )),
        "{shown}"
    );
    assert_eq!(
        error.call(),
        Some(format!("`list_zones` (GET {base_url}/zone)").as_str())
    );
    drop(silent);
}

#[tokio::test]
async fn a_too_large_body_names_the_call() {
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(
            200,
            &json!({"zones": {"zone": [{"id": "x".repeat(2000)}]}}),
        )],
    )
    .await;
    let client = cloudapi::upcloud::Client::from_runtime(
        cloudapi::upcloud::Client::builder()
            .base_url(&server.base_url)
            .bearer_token("token")
            .max_body_bytes(1000)
            .build()
            .expect("a client"),
    );
    let error = client.list_zones().send().await.expect_err("too large");
    assert_eq!(
        error.to_string(),
        format!(
            "the 200 OK response to `list_zones` (GET {}/zone) is larger than the 1000-byte body limit (1 attempt)",
            server.base_url
        )
    );
}

#[tokio::test]
async fn the_url_in_an_error_hides_credentials_but_keeps_filters() {
    let port = closed_port();
    let client = cloudapi::upcloud::Client::from_runtime(
        cloudapi::upcloud::Client::builder()
            .base_url(format!("http://127.0.0.1:{port}/1.3"))
            .bearer_token("token")
            .default_query("api_key", "SECRET-KEY")
            .retry(RetryPolicy::none())
            .build()
            .expect("a client"),
    );
    let error = client
        .list_servers()
        .label("env=prod")
        .send()
        .await
        .expect_err("nothing listens");
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!(
            "could not talk to the server for `list_servers` (GET http://127.0.0.1:{port}/1.3/server?label=env%3Dprod&api_key=<redacted>): "
        )),
        "{shown}"
    );
    let debug = format!("{error:?}");
    for text in [&shown, &debug] {
        assert!(!text.contains("SECRET-KEY"), "{text}");
    }
}

#[tokio::test]
async fn debug_of_an_api_error_is_complete_but_abbreviates_headers() {
    let body = json!({"error": {"error_code": "SERVER_NOT_FOUND", "error_message": "gone"}});
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(404, &body)
            .header("x-request-id", "req-42")
            .header("x-backend", "node-7")
            .header("x-api-key", "SECRET")],
    )
    .await;
    let error = upcloud(&server.base_url)
        .get_server(SERVER.parse::<uuid::Uuid>().expect("a UUID"))
        .send()
        .await
        .expect_err("404");
    let debug = format!("{error:?}");
    // The diagnostic headers with their values, the others counted, credentials never.
    assert!(debug.contains(r#""x-request-id": "req-42""#), "{debug}");
    assert!(
        debug.contains(r#""content-type": "application/json""#),
        "{debug}"
    );
    assert!(!debug.contains("node-7"), "{debug}");
    assert!(!debug.contains("SECRET"), "{debug}");
    assert!(debug.contains(" more"), "{debug}");
    // Everything else stays: the call, the status, the body and the typed error.
    assert!(debug.contains("get_server"), "{debug}");
    assert!(debug.contains("404"), "{debug}");
    assert!(debug.contains("SERVER_NOT_FOUND"), "{debug}");
    // The full headers stay reachable.
    assert_eq!(
        error.api().expect("an API error").headers()["x-backend"],
        "node-7"
    );
}
