//! The default `User-Agent` of a generated client names the crate that compiles the generated
//! code and cloudgen (`<crate>/<version> cloudgen/<version>`), and the client builder overrides
//! it. Checked for a module with its runtime inlined (the `inline_runtime` fixture, compiled in
//! this crate) and for `cloudapi`, whose modules use the `cloudgen-runtime` crate.

use cloudgen_tests::loopback::{Reply, Server};
use cloudgen_tests::snapshots::inline_runtime;
use serde_json::json;

fn note() -> Reply {
    Reply::json(200, &json!({"id": 7, "text": "hello"}))
}

#[tokio::test]
async fn an_inline_module_names_the_crate_it_is_compiled_in() {
    let server = Server::scripted("/v1", vec![note()]).await;
    let client = inline_runtime::Client::new(server.base_url.clone()).expect("client");
    let response = client.get_note(7).send().await.expect("the note");
    assert_eq!(response.text, "hello");
    let seen = server.only_request();
    // This test crate is `cloudgen-tests` 0.0.0.
    assert_eq!(
        seen.header("user-agent"),
        Some(format!("cloudgen-tests/0.0.0 cloudgen/{}", cloudgen_version()).as_str())
    );
}

#[tokio::test]
async fn the_builder_overrides_the_default() {
    let server = Server::scripted("/v1", vec![note()]).await;
    let runtime = inline_runtime::Client::builder()
        .base_url(server.base_url.clone())
        .user_agent("my-tool/2.1")
        .build()
        .expect("client");
    let client = inline_runtime::Client::from_runtime(runtime);
    client.get_note(7).send().await.expect("the note");
    assert_eq!(
        server.only_request().header("user-agent"),
        Some("my-tool/2.1")
    );
}

#[tokio::test]
async fn a_cloudapi_client_names_cloudapi_and_cloudgen() {
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(200, &json!({"servers": {"server": []}}))],
    )
    .await;
    let runtime = cloudapi::upcloud::Client::builder()
        .base_url(server.base_url.clone())
        .build()
        .expect("client");
    let client = cloudapi::upcloud::Client::from_runtime(runtime);
    let _ = client.list_servers().send().await;
    assert_eq!(
        server.only_request().header("user-agent"),
        Some(format!("cloudapi/0.1.0 cloudgen/{}", cloudgen_version()).as_str())
    );
}

/// The generator's version, from its manifest (this crate's is 0.0.0).
fn cloudgen_version() -> String {
    let manifest =
        std::fs::read_to_string(cloudgen_tests::repo_root().join("generator/Cargo.toml"))
            .expect("generator/Cargo.toml is readable");
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("generator/Cargo.toml has a version line")
        .to_owned()
}
