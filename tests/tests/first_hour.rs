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

#[tokio::test]
async fn a_send_future_can_be_spawned_and_outlive_the_client() {
    let server = Server::scripted(
        "/1.3",
        vec![
            Reply::json(200, &json!({"zones": {"zone": []}})),
            Reply::json(200, &json!({"zones": {"zone": []}})),
        ],
    )
    .await;
    let client = upcloud(&server.base_url);
    // The builder owns a clone of the client, so its future is `'static` and `Send`.
    let spawned = tokio::spawn(client.list_zones().send());
    let request = client.list_zones();
    drop(client);
    let later = request
        .send()
        .await
        .expect("the builder keeps the client alive");
    assert!(later.is_empty());
    assert!(spawned.await.expect("joined").expect("zones").is_empty());
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn an_id_can_be_given_as_a_string() {
    let server = Server::scripted("/1.3", vec![Reply::empty(404)]).await;
    let client = upcloud(&server.base_url);
    // The typed UUID still works; so does its text, checked when the request is built.
    let error = client.get_server(SERVER).send().await.expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        server.only_request().path(),
        format!("/1.3/server/{SERVER}")
    );
}

#[tokio::test]
async fn an_invalid_id_string_fails_at_send_without_a_request() {
    let server = Server::scripted("/1.3", vec![Reply::empty(500)]).await;
    let error = upcloud(&server.base_url)
        .get_server("web-1")
        .send()
        .await
        .expect_err("not a UUID");
    assert!(
        matches!(error, cloudapi::runtime::Error::Request { .. }),
        "{error:?}"
    );
    let shown = error.to_string();
    assert!(
        shown.starts_with(
            "invalid request for `get_server` (GET /server/{uuid}): the `uuid` path parameter is invalid: "
        ),
        "{shown}"
    );
    assert!(server.seen().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn a_unikraft_instance_uuid_can_be_given_as_a_string() {
    let server = Server::scripted("/v1", vec![Reply::json(404, &json!({"status": "error"}))]).await;
    let client = cloudapi::unikraft::Client::from_runtime(
        cloudapi::unikraft::Client::builder()
            .base_url(&server.base_url)
            .bearer_token("token")
            .retry(RetryPolicy::none())
            .build()
            .expect("a client"),
    );
    let uuid = "7bece402-c36f-457f-a165-0e2d63f1db53";
    let error = client.get_instance(uuid).send().await.expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        server.only_request().path(),
        format!("/v1/instances/{uuid}")
    );
}

#[test]
fn a_request_body_is_built_from_its_required_fields_and_chained_setters() {
    use cloudapi::upcloud::types::{
        CreateServer, CreateServerInterface, CreateServerInterfaceType, CreateServerIpAddress,
        CreateServerIpAddressFamily, CreateServerNetworking, LoginUser, StorageDeviceClone,
    };
    let template = "01000000-0000-4000-8000-000030240200";
    let server = CreateServer::new(
        "fi-hel1",
        "web1",
        "web1.example.com",
        // The union variant fills in its own `action: clone`.
        vec![
            StorageDeviceClone::new(template.parse::<uuid::Uuid>().expect("a UUID"))
                .with_title("web1 disk")
                .into(),
        ],
        CreateServerNetworking::new(vec![CreateServerInterface::new(
            CreateServerInterfaceType::Public,
            vec![CreateServerIpAddress::new(
                CreateServerIpAddressFamily::IPv4,
            )],
        )]),
    )
    .with_plan("1xCPU-1GB")
    .with_login_user(LoginUser::default().with_ssh_keys(["ssh-ed25519 AAAA me".to_owned()]));
    // The method takes the inner value; the client adds the `{"server": ...}` wrapper.
    let json = serde_json::to_value(&server).expect("serializes");
    let server = &json;
    assert_eq!(server["zone"], "fi-hel1");
    assert_eq!(server["plan"], "1xCPU-1GB");
    let disk = &server["storage_devices"]["storage_device"][0];
    assert_eq!(disk["action"], "clone", "{json}");
    assert_eq!(disk["storage"], template);
    assert_eq!(disk["title"], "web1 disk");
    assert_eq!(
        server["login_user"]["ssh_keys"]["ssh_key"][0], "ssh-ed25519 AAAA me",
        "{json}"
    );
    // Optional fields left alone are not sent.
    assert!(server.get("memory_amount").is_none(), "{json}");
    assert!(server.get("core_number").is_none(), "{json}");
}

#[test]
fn a_unikraft_instance_request_takes_the_image_and_setters() {
    use cloudapi::unikraft::types::InstanceCreateRequest;
    let request = InstanceCreateRequest::new("nginx:latest")
        .with_memory_mb(256)
        .with_env(
            [("PORT".to_owned(), "8080".to_owned())]
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .with_autostart(true);
    let json = serde_json::to_value(&request).expect("serializes");
    assert_eq!(
        json,
        json!({"image": "nginx:latest", "memory_mb": 256, "env": {"PORT": "8080"}, "autostart": true})
    );
}

/// Every fenced block of the two READMEs says its language, and no Rust block is `ignore`d:
/// the Rust ones are compiled as doctests of `cloudgen-tests` (`tests/src/lib.rs`), and an
/// unlabelled block would be compiled as Rust too.
#[test]
fn every_rust_block_of_the_readmes_is_compiled() {
    for readme in ["README.md", "generated/README.md"] {
        let text = std::fs::read_to_string(cloudgen_tests::repo_root().join(readme))
            .unwrap_or_else(|e| panic!("read {readme}: {e}"));
        let mut open = false;
        let mut rust_blocks = 0;
        for (number, line) in text.lines().enumerate() {
            let Some(info) = line.trim_start().strip_prefix("```") else {
                continue;
            };
            if open {
                open = false;
                continue;
            }
            open = true;
            let at = format!("{readme}:{}", number + 1);
            assert!(!info.trim().is_empty(), "{at}: a block without a language");
            if info.starts_with("rust") {
                rust_blocks += 1;
                assert!(!info.contains("ignore"), "{at}: an ignored Rust block");
            }
        }
        assert!(!open, "{readme}: a block is not closed");
        assert!(rust_blocks > 0, "{readme}: no Rust block found");
    }
}
