//! The generated Unikraft Cloud client (`cloudapi::unikraft`) against a small scripted HTTP/1.1
//! server on loopback: batch envelopes (success, partial success, errors), RFC 1035 names, global
//! and local scope requests, construction from the environment, enums with catch-alls, every
//! response example of `specs/unikraft.yaml`, and the spec against a real OpenAPI linter.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use cloudapi::runtime::names::MAX_NAME_LEN;
use cloudapi::runtime::{
    Batch, BatchError, BatchStatus, Error, ItemError, ItemResult, NameError, RetryPolicy,
};
use cloudapi::unikraft::types::{
    InstanceState, InstanceStopRequest, InstanceStopRequestItem, ItemStatus, Name, ObjectReference,
    ServiceHandler, Uuid,
};
use cloudapi::unikraft::{item_error_code, types, Client};
use cloudgen_tests::loopback::{Reply, Server};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// The test server

/// Unikraft Cloud's API version prefix.
const PREFIX: &str = "/v1";

/// A server answering every request with `status` and `body`.
async fn replying(status: u16, body: Value) -> Server {
    Server::scripted(PREFIX, vec![Reply::json(status, &body)]).await
}

/// A server answering with `replies` in turn (the last one repeats).
async fn scripted(replies: Vec<Reply>) -> Server {
    Server::scripted(PREFIX, replies).await
}

/// Clients pointed at a test server.
trait TestClient {
    /// A client with a bearer token and no retries.
    fn client(&self) -> Client;
    /// A client from `builder`, pointed at this server, without retries.
    fn client_with(&self, builder: cloudapi::runtime::ClientBuilder) -> Client;
}

impl TestClient for Server {
    fn client(&self) -> Client {
        self.client_with(Client::builder().bearer_token(TOKEN))
    }

    fn client_with(&self, builder: cloudapi::runtime::ClientBuilder) -> Client {
        builder
            .base_url(self.base_url.clone())
            .retry(RetryPolicy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map(Client::from_runtime)
            .expect("client")
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const TOKEN: &str = "ukc-test-token-3f9a";
const UUID_A: &str = "7bece402-c36f-457f-a165-0e2d63f1db53";
const UUID_B: &str = "d6bb5ad2-402e-4f8d-981d-caf52110426e";
const MISSING_UUID: &str = "3b5b4c36-2c9b-46e4-80c6-7e5b561938c3";

fn name(s: &str) -> Name {
    Name::new(s).unwrap_or_else(|e| panic!("{s:?} should be a valid name: {e}"))
}

fn uuid(s: &str) -> Uuid {
    Uuid(s.parse().expect("a valid UUID"))
}

fn by_uuid(s: &str) -> ObjectReference {
    ObjectReference::Uuid(uuid(s))
}

fn by_name(s: &str) -> ObjectReference {
    ObjectReference::Name(name(s))
}

/// A success envelope holding one instance, for calls on one object.
fn one_instance() -> Value {
    json!({"status": "success", "data": {"instances": [{"status": "success", "uuid": UUID_A}]}})
}

fn stop_item(reference: ObjectReference) -> InstanceStopRequestItem {
    InstanceStopRequestItem {
        reference,
        drain_timeout_ms: None,
        force: None,
    }
}

/// The typed error of a failed call, or a panic saying what else happened.
fn batch_error<T: std::fmt::Debug>(
    result: Result<Batch<T>, Error<BatchError>>,
) -> (u16, BatchError) {
    match result {
        Ok(batch) => panic!("expected a BatchError, got a batch: {batch:#?}"),
        Err(error) => {
            let api = error
                .api()
                .unwrap_or_else(|| panic!("expected an API error, got {error:?}"));
            let typed = api
                .error()
                .unwrap_or_else(|| panic!("expected a decoded BatchError, got {error:?}"))
                .clone();
            (api.status().as_u16(), typed)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn spec_path() -> PathBuf {
    workspace_root().join("specs").join("unikraft.yaml")
}

fn load_spec() -> Value {
    let text = std::fs::read_to_string(spec_path()).expect("read specs/unikraft.yaml");
    serde_yaml::from_str(&text).expect("specs/unikraft.yaml is YAML")
}

// ---------------------------------------------------------------------------------------------
// Batch envelopes

#[tokio::test]
async fn batch_success_gives_one_ok_result_per_object_in_the_servers_order() {
    let server = replying(
        200,
        json!({
            "status": "success",
            "op_time_us": 812,
            "data": {"instances": [
                {"status": "success", "uuid": UUID_A, "name": "nginx-1a747",
                 "state": "stopped", "previous_state": "running"},
                {"status": "success", "uuid": UUID_B, "name": "my-instance",
                 "state": "draining", "previous_state": "running"}
            ]}
        }),
    )
    .await;
    let batch = server
        .client()
        .stop_instances(vec![
            stop_item(by_uuid(UUID_A)),
            stop_item(by_name("my-instance")),
        ])
        .send()
        .await
        .expect("a successful batch");

    assert_eq!(batch.status, BatchStatus::Success);
    assert!(!batch.is_partial());
    assert!(!batch.is_error());
    assert_eq!(batch.failed().count(), 0);
    let results: Vec<_> = batch.oks().collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].uuid, Some(uuid(UUID_A)));
    assert_eq!(results[0].name, Some(name("nginx-1a747")));
    assert_eq!(results[0].status, Some(ItemStatus::Success));
    assert_eq!(results[0].state, Some(InstanceState::Stopped));
    assert_eq!(results[0].previous_state, Some(InstanceState::Running));
    assert_eq!(results[1].uuid, Some(uuid(UUID_B)));
    assert_eq!(results[1].state, Some(InstanceState::Draining));
}

#[tokio::test]
async fn batch_partial_success_is_not_an_error_and_gives_each_object_its_own_result() {
    let server = replying(
        200,
        json!({
            "status": "partial_success",
            "message": "Failed to perform all operations",
            "data": {"instances": [
                {"status": "error", "uuid": MISSING_UUID,
                 "message": format!("No instance with UUID '{MISSING_UUID}'"), "error": 8},
                {"status": "success", "uuid": UUID_A, "name": "nginx-1a747",
                 "state": "stopped", "previous_state": "running"},
                {"status": "error", "name": "my-instance",
                 "message": "Instance is not running", "error": 11}
            ]}
        }),
    )
    .await;
    let batch = server
        .client()
        .stop_instances(vec![
            stop_item(by_uuid(MISSING_UUID)),
            stop_item(by_uuid(UUID_A)),
            stop_item(by_name("my-instance")),
        ])
        .send()
        .await
        .expect("partial success is a batch, not an error");

    assert_eq!(batch.status, BatchStatus::PartialSuccess);
    assert!(batch.is_partial());
    assert_eq!(
        batch.message.as_deref(),
        Some("Failed to perform all operations")
    );
    // Each object's outcome is told apart by the variant and the numeric code, never by text.
    let outcomes: Vec<(Option<i64>, bool)> = batch
        .items
        .iter()
        .map(|item| match item {
            ItemResult::Ok(result) => {
                assert_eq!(result.state, Some(InstanceState::Stopped));
                (None, true)
            }
            ItemResult::Err(error) => (error.code, false),
        })
        .collect();
    assert_eq!(
        outcomes,
        vec![(Some(8), false), (None, true), (Some(11), false)]
    );

    let failed: Vec<&ItemError> = batch.failed().collect();
    assert_eq!(failed[0].field("uuid"), Some(MISSING_UUID));
    assert_eq!(
        failed[0].message.as_deref(),
        Some(format!("No instance with UUID '{MISSING_UUID}'").as_str())
    );
    assert_eq!(failed[0].status.as_deref(), Some("error"));
    assert_eq!(failed[1].field("name"), Some("my-instance"));
    assert_eq!(
        failed[1].message.as_deref(),
        Some("Instance is not running")
    );
    assert_eq!(batch.oks().count(), 1);
}

#[tokio::test]
async fn batch_partial_success_turns_into_one_result_per_object() {
    let server = replying(
        200,
        json!({
            "status": "partial_success",
            "data": {"instances": [
                {"status": "success", "uuid": UUID_A, "previous_state": "stopped"},
                {"status": "error", "uuid": MISSING_UUID, "message": "No instance", "error": 8}
            ]}
        }),
    )
    .await;
    let results = server
        .client()
        .delete_instances(vec![by_uuid(UUID_A), by_uuid(MISSING_UUID)])
        .send()
        .await
        .expect("partial success is a batch")
        .into_results();

    assert_eq!(results.len(), 2);
    let deleted = results[0].as_ref().expect("the first object was deleted");
    assert_eq!(deleted.uuid, Some(uuid(UUID_A)));
    assert_eq!(deleted.previous_state, Some(InstanceState::Stopped));
    let failed = results[1].as_ref().expect_err("the second object failed");
    assert_eq!(failed.code, Some(8));
    assert_eq!(failed.field("uuid"), Some(MISSING_UUID));
}

#[tokio::test]
async fn batch_error_envelope_with_per_object_messages_becomes_a_typed_batch_error() {
    let body = json!({
        "status": "error",
        "message": "No instances found",
        "errors": [{"status": 404}],
        "data": {"instances": [
            {"status": "error", "uuid": MISSING_UUID,
             "message": format!("No instance with UUID '{MISSING_UUID}'"), "error": 8},
            {"status": "error", "name": "ghost", "message": "No instance with name 'ghost'",
             "error": 8}
        ]}
    });
    let server = replying(404, body.clone()).await;
    let result = server
        .client()
        .delete_instances(vec![by_uuid(MISSING_UUID), by_name("ghost")])
        .send()
        .await;
    let (status, error) = batch_error(result);

    assert_eq!(status, 404);
    assert_eq!(error.message.as_deref(), Some("No instances found"));
    // The envelope's own errors first, then the failed objects.
    assert_eq!(error.errors.len(), 3);
    assert_eq!(error.errors[0].status.as_deref(), Some("404"));
    assert_eq!(error.errors[0].code, None);
    assert_eq!(error.errors[1].code, Some(8));
    assert_eq!(error.errors[1].field("uuid"), Some(MISSING_UUID));
    assert_eq!(
        error.errors[1].message.as_deref(),
        Some(format!("No instance with UUID '{MISSING_UUID}'").as_str())
    );
    assert_eq!(error.errors[2].field("name"), Some("ghost"));
    assert_eq!(
        error.errors[2].message.as_deref(),
        Some("No instance with name 'ghost'")
    );
}

#[tokio::test]
async fn batch_error_keeps_the_raw_status_and_body() {
    let body = json!({
        "status": "error",
        "message": "Invalid parameter 'memory_mb': expected an integer",
        "errors": [{"status": 400}]
    });
    let server = replying(400, body.clone()).await;
    let error = server
        .client()
        .get_instances()
        .body(vec![by_name("my-instance")])
        .send()
        .await
        .expect_err("a 400 is an error");

    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 400);
    let raw: Value = serde_json::from_slice(api.body()).expect("the raw body is kept");
    assert_eq!(raw, body);
    let typed = api.error().expect("a decoded BatchError");
    assert_eq!(
        typed.message.as_deref(),
        Some("Invalid parameter 'memory_mb': expected an integer")
    );
    assert_eq!(typed.errors.len(), 1);
    assert_eq!(typed.errors[0].status.as_deref(), Some("400"));
}

#[tokio::test]
async fn batch_whose_envelope_says_error_is_an_error_even_with_http_200() {
    let server = replying(
        200,
        json!({
            "status": "error",
            "message": "Failed to perform all operations",
            "data": {"instances": [
                {"status": "error", "uuid": MISSING_UUID, "message": "No instance", "error": 8}
            ]}
        }),
    )
    .await;
    let result = server
        .client()
        .stop_instances(vec![stop_item(by_uuid(MISSING_UUID))])
        .send()
        .await;
    let (status, error) = batch_error(result);

    assert_eq!(status, 200);
    assert_eq!(
        error.message.as_deref(),
        Some("Failed to perform all operations")
    );
    assert_eq!(error.errors.len(), 1);
    assert_eq!(error.errors[0].code, Some(8));
    assert_eq!(error.errors[0].field("uuid"), Some(MISSING_UUID));
}

// ---------------------------------------------------------------------------------------------
// Names (RFC 1035)

fn rejected(candidate: &str) -> NameError {
    match Name::new(candidate) {
        Ok(n) => panic!("{candidate:?} should be rejected, got {n:?}"),
        Err(error) => error,
    }
}

#[test]
fn name_rejects_the_empty_string() {
    assert_eq!(rejected(""), NameError::Empty);
}

#[test]
fn name_rejects_more_than_121_characters() {
    let long = format!("{}.{}", "a".repeat(60), "b".repeat(61));
    assert_eq!(long.len(), 122);
    assert_eq!(
        rejected(&long),
        NameError::TooLong {
            len: 122,
            max: MAX_NAME_LEN
        }
    );
}

#[test]
fn name_rejects_characters_other_than_letters_digits_hyphens_and_dots() {
    assert_eq!(
        rejected("my_instance"),
        NameError::InvalidChar { ch: '_', index: 2 }
    );
    assert_eq!(
        rejected("my instance"),
        NameError::InvalidChar { ch: ' ', index: 2 }
    );
    assert_eq!(
        rejected("café"),
        NameError::InvalidChar { ch: 'é', index: 3 }
    );
}

#[test]
fn name_rejects_a_label_that_does_not_start_with_a_letter() {
    assert_eq!(rejected("1nginx"), NameError::InvalidStart('1'));
    assert_eq!(rejected("-nginx"), NameError::InvalidStart('-'));
    assert_eq!(rejected("nginx.2prod"), NameError::InvalidStart('2'));
    assert_eq!(rejected(".nginx"), NameError::InvalidStart('.'));
}

#[test]
fn name_rejects_a_label_that_does_not_end_with_a_letter_or_digit() {
    assert_eq!(rejected("nginx-"), NameError::InvalidEnd('-'));
    assert_eq!(rejected("nginx-.prod"), NameError::InvalidEnd('-'));
}

#[test]
fn name_rejects_consecutive_hyphens() {
    assert_eq!(
        rejected("my--instance"),
        NameError::ConsecutiveHyphens { index: 3 }
    );
}

#[test]
fn name_rejects_consecutive_dots() {
    assert_eq!(
        rejected("my..instance"),
        NameError::ConsecutiveDots { index: 3 }
    );
}

#[test]
fn name_rejects_a_label_longer_than_63_characters() {
    let label = "a".repeat(64);
    assert_eq!(
        rejected(&label),
        NameError::LabelTooLong {
            index: 0,
            len: 64,
            max: 63
        }
    );
    assert_eq!(
        rejected(&format!("prod.{label}")),
        NameError::LabelTooLong {
            index: 5,
            len: 64,
            max: 63
        }
    );
}

#[test]
fn name_rejects_a_trailing_dot() {
    assert_eq!(rejected("my-instance."), NameError::TrailingDot);
}

#[test]
fn name_accepts_valid_names_up_to_the_limits() {
    let longest_label = "a".repeat(63);
    let longest_name = format!("{}.{}", "a".repeat(63), "b".repeat(57));
    assert_eq!(longest_name.len(), 121);
    for valid in [
        "a",
        "my-instance",
        "nginx-1a747",
        "a1",
        "My-Instance",
        "web.prod-2.eu",
        longest_label.as_str(),
        longest_name.as_str(),
    ] {
        let parsed = Name::new(valid).unwrap_or_else(|e| panic!("{valid:?} is valid: {e}"));
        assert_eq!(parsed.as_str(), valid);
    }
}

#[test]
fn name_errors_say_which_rule_failed() {
    let messages: Vec<String> = [
        "",
        &"a".repeat(122),
        "my_instance",
        "1nginx",
        "nginx-",
        "my--instance",
        "my..instance",
        &"a".repeat(64),
        "my-instance.",
    ]
    .iter()
    .map(|candidate| rejected(candidate).to_string())
    .collect();
    let mut distinct = messages.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        messages.len(),
        "every rule has its own message: {messages:#?}"
    );
    assert!(messages[1].contains("121"), "{}", messages[1]);
    assert!(messages[2].contains("'_'"), "{}", messages[2]);
    assert!(messages[7].contains("63"), "{}", messages[7]);
}

#[test]
fn name_parses_through_from_str_and_try_from_with_the_same_rules() {
    assert_eq!(
        "my--instance".parse::<Name>(),
        Err(NameError::ConsecutiveHyphens { index: 3 })
    );
    assert_eq!(Name::try_from("my-instance."), Err(NameError::TrailingDot));
    assert_eq!(
        Name::try_from(String::from("my-instance")).map(Name::into_inner),
        Ok(String::from("my-instance"))
    );
}

/// Builds the body of `stop_instances` from names, the way a caller holding strings would.
fn stop_by_names(names: &[&str]) -> Result<Vec<InstanceStopRequestItem>, NameError> {
    names
        .iter()
        .map(|n| {
            n.parse::<Name>()
                .map(|n| stop_item(ObjectReference::Name(n)))
        })
        .collect()
}

#[tokio::test]
async fn a_batch_request_with_an_invalid_name_cannot_be_built_and_nothing_is_sent() {
    let server = replying(200, json!({"status": "success", "data": {"instances": []}})).await;
    let client = server.client();
    let cases: [(&str, NameError); 9] = [
        ("", NameError::Empty),
        (
            &"a".repeat(122),
            NameError::TooLong {
                len: 122,
                max: MAX_NAME_LEN,
            },
        ),
        ("web_1", NameError::InvalidChar { ch: '_', index: 3 }),
        ("9web", NameError::InvalidStart('9')),
        ("web-", NameError::InvalidEnd('-')),
        ("web--1", NameError::ConsecutiveHyphens { index: 4 }),
        ("web..1", NameError::ConsecutiveDots { index: 4 }),
        (
            &"w".repeat(64),
            NameError::LabelTooLong {
                index: 0,
                len: 64,
                max: 63,
            },
        ),
        ("web.", NameError::TrailingDot),
    ];
    for (bad, expected) in cases {
        match stop_by_names(&["nginx-1a747", bad]) {
            Ok(body) => {
                let _ = client.stop_instances(body).send().await;
                panic!("a request naming {bad:?} was built and sent");
            }
            Err(error) => assert_eq!(error, expected, "for {bad:?}"),
        }
    }
    assert!(server.seen().is_empty(), "nothing reached the server");

    // A valid list builds and is sent as a list of references.
    let body = stop_by_names(&["nginx-1a747", "My-Instance"]).expect("valid names");
    client.stop_instances(body).send().await.expect("sent");
    assert_eq!(
        server.only_request().json(),
        Some(json!([{"name": "nginx-1a747"}, {"name": "My-Instance"}]))
    );
}

#[tokio::test]
async fn a_request_naming_a_new_object_needs_a_valid_name() {
    assert_eq!(
        Name::new("my--volume").map(|n| types::VolumeCreateRequest {
            name: Some(n),
            size_mb: 100,
        }),
        Err(NameError::ConsecutiveHyphens { index: 3 })
    );

    let server = replying(200, json!({"status": "success", "data": {"volumes": []}})).await;
    let request = types::VolumeCreateRequest {
        name: Some(name("my-volume")),
        size_mb: 100,
    };
    server
        .client()
        .create_volume(request)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        server.only_request().json(),
        Some(json!({"name": "my-volume", "size_mb": 100}))
    );
}

// A local-scope path takes a UUID only: every local path parameter of the official description
// (unikraft-cloud/openapi `platform.yaml`) is `format: uuid`, and names are accepted only in
// global-scope bodies. The spec said "UUID or name" for every local path, so a name went into a
// path the API does not resolve.
#[test]
fn local_scope_path_parameters_are_uuids_and_only_the_policy_segment_is_a_name() {
    let spec = load_spec();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        let mut parameters: Vec<&Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(|list| list.iter().collect())
            .unwrap_or_default();
        for (method, op) in item.as_object().expect("a path item") {
            if method != "parameters" {
                if let Some(list) = op.get("parameters").and_then(Value::as_array) {
                    parameters.extend(list);
                }
            }
        }
        for parameter in parameters {
            let parameter = resolve(&spec, parameter);
            if parameter["in"] != "path" {
                continue;
            }
            let schema = parameter["schema"]["$ref"].as_str();
            match parameter["name"].as_str() {
                Some("uuid") => assert_eq!(
                    schema,
                    Some("#/components/schemas/Uuid"),
                    "{path}: the object segment is a UUID"
                ),
                Some("policy_name") => assert_eq!(
                    schema,
                    Some("#/components/schemas/Name"),
                    "{path}: a policy is named by its name"
                ),
                other => panic!("{path}: unexpected path parameter {other:?}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 13, "only {checked} path parameters checked");
    assert!(
        spec.pointer("/components/schemas/UuidOrName").is_none(),
        "no schema claims that a local path takes a name"
    );
}

// Addressing by name goes through the global scope: the name travels in the body, never in
// the path.
#[tokio::test]
async fn addressing_by_name_goes_through_the_global_body() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"instances": [
            {"status": "success", "uuid": UUID_A, "name": "nginx-1a747",
             "state": "stopped", "previous_state": "running"}
        ]}}),
    )
    .await;
    let client = server.client();
    client
        .stop_instances(vec![stop_item(by_name("nginx-1a747"))])
        .send()
        .await
        .expect("stopped by name");
    client
        .stop_instance(uuid(UUID_A))
        .send()
        .await
        .expect("stopped by UUID");

    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].target, "/v1/instances/stop");
    assert_eq!(seen[0].json(), Some(json!([{"name": "nginx-1a747"}])));
    assert_eq!(seen[1].target, format!("/v1/instances/{UUID_A}/stop"));
}

// ---------------------------------------------------------------------------------------------
// Global and local scope requests

#[tokio::test]
async fn global_get_instances_sends_its_json_body() {
    let server = replying(200, json!({"status": "success", "data": {"instances": []}})).await;
    server
        .client()
        .get_instances()
        .body(vec![by_uuid(UUID_A), by_name("my-instance")])
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.target, "/v1/instances");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.json(),
        Some(json!([{"uuid": UUID_A}, {"name": "my-instance"}]))
    );
}

#[tokio::test]
async fn global_get_instances_without_references_lists_everything_with_no_body() {
    let server = replying(200, json!({"status": "success", "data": {"instances": []}})).await;
    server
        .client()
        .get_instances()
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.target, "/v1/instances");
    assert_eq!(seen.json(), None);
}

#[tokio::test]
async fn global_delete_instances_sends_its_json_body() {
    let server = replying(200, json!({"status": "success", "data": {"instances": []}})).await;
    server
        .client()
        .delete_instances(vec![by_name("nginx-1a747"), by_uuid(UUID_B)])
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "DELETE");
    assert_eq!(seen.target, "/v1/instances");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.json(),
        Some(json!([{"name": "nginx-1a747"}, {"uuid": UUID_B}]))
    );
}

#[tokio::test]
async fn global_wait_instances_sends_the_state_to_wait_for_in_its_get_body() {
    let server = replying(200, json!({"status": "success", "data": {"instances": []}})).await;
    server
        .client()
        .wait_instances(vec![types::InstanceWaitRequestItem {
            reference: by_name("my-instance"),
            state: Some(InstanceState::Running),
            timeout_ms: Some(2000),
        }])
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.target, "/v1/instances/wait");
    assert_eq!(
        seen.json(),
        Some(json!([{"name": "my-instance", "state": "running", "timeout_ms": 2000}]))
    );
}

#[tokio::test]
async fn global_stop_instances_sends_each_reference_with_its_options() {
    let server = replying(200, json!({"status": "success", "data": {"instances": []}})).await;
    server
        .client()
        .stop_instances(vec![
            InstanceStopRequestItem {
                reference: by_uuid(UUID_A),
                drain_timeout_ms: Some(5000),
                force: None,
            },
            InstanceStopRequestItem {
                reference: by_name("my-instance"),
                drain_timeout_ms: None,
                force: Some(true),
            },
        ])
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "PUT");
    assert_eq!(seen.target, "/v1/instances/stop");
    assert_eq!(
        seen.json(),
        Some(json!([
            {"uuid": UUID_A, "drain_timeout_ms": 5000},
            {"name": "my-instance", "force": true}
        ]))
    );
}

#[tokio::test]
async fn local_stop_instance_puts_the_uuid_in_the_path_and_sends_the_drain_timeout() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"instances": [
            {"status": "success", "uuid": UUID_A, "name": "nginx-1a747",
             "state": "draining", "previous_state": "running"}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .stop_instance(uuid(UUID_A))
        .body(InstanceStopRequest {
            drain_timeout_ms: Some(5000),
            force: None,
        })
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "PUT");
    assert_eq!(seen.target, format!("/v1/instances/{UUID_A}/stop"));
    assert_eq!(seen.json(), Some(json!({"drain_timeout_ms": 5000})));
    let result = &batch;
    assert_eq!(result.state, Some(InstanceState::Draining));
}

#[tokio::test]
async fn local_get_instance_by_uuid_sends_a_get_without_a_body() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"instances": [
            {"status": "success", "uuid": UUID_A, "name": "nginx-1a747", "state": "running"}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .get_instance(uuid(UUID_A))
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.target, format!("/v1/instances/{UUID_A}"));
    assert_eq!(seen.json(), None);
    let instance = &batch;
    assert_eq!(instance.state, Some(InstanceState::Running));
}

#[tokio::test]
async fn local_delete_autoscale_policy_names_the_service_and_the_policy_in_the_path() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"policies": [
            {"status": "success", "name": "scale-on-cpu"}
        ]}}),
    )
    .await;
    server
        .client()
        .delete_autoscale_policy(uuid(UUID_B), name("scale-on-cpu"))
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "DELETE");
    assert_eq!(
        seen.target,
        format!("/v1/services/{UUID_B}/autoscale/policies/scale-on-cpu")
    );
    assert_eq!(seen.json(), None);
}

#[tokio::test]
async fn every_call_sends_the_bearer_token() {
    let server = replying(200, one_instance()).await;
    let client = server.client();
    client
        .get_instances()
        .body(vec![by_name("my-instance")])
        .send()
        .await
        .expect("global call");
    client
        .get_instance(uuid(UUID_B))
        .send()
        .await
        .expect("local call");

    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for request in seen {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{} {}",
            request.method,
            request.target
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Response properties the API does not always send

// A listing of all objects (a global `GET` without a body) carries no per-entry `status`: the
// official description (unikraft-cloud/openapi `platform.yaml`) says so for instances, volumes
// and certificates. Such a listing must decode, entry by entry, as successes.
#[tokio::test]
async fn listing_all_objects_decodes_entries_without_a_status() {
    let instances = json!({"status": "success", "data": {"instances": [
        {"uuid": UUID_A, "name": "nginx-1a747", "state": "running"},
        {"uuid": UUID_B, "name": "my-instance", "state": "stopped"}
    ]}});
    let server = replying(200, instances).await;
    let batch = server
        .client()
        .get_instances()
        .send()
        .await
        .expect("a listing without per-entry status decodes");
    assert_eq!(batch.oks().count(), 2);
    assert!(batch.oks().all(|instance| instance.status.is_none()));

    let groups = json!({"status": "success", "data": {"service_groups": [
        {"uuid": UUID_A, "name": "my-service", "persistent": true}
    ]}});
    let server = replying(200, groups).await;
    let batch = server
        .client()
        .get_service_groups()
        .send()
        .await
        .expect("service groups without per-entry status decode");
    assert_eq!(batch.oks().count(), 1);

    let volumes = json!({"status": "success", "data": {"volumes": [
        {"uuid": UUID_A, "name": "my-volume", "state": "available", "size_mb": 16}
    ]}});
    let server = replying(200, volumes).await;
    let batch = server
        .client()
        .get_volumes()
        .send()
        .await
        .expect("volumes without per-entry status decode");
    assert_eq!(batch.oks().count(), 1);

    let certificates = json!({"status": "success", "data": {"certificates": [
        {"uuid": UUID_A, "name": "example-com", "state": "valid"}
    ]}});
    let server = replying(200, certificates).await;
    let batch = server
        .client()
        .get_certificates()
        .send()
        .await
        .expect("certificates without per-entry status decode");
    assert_eq!(batch.oks().count(), 1);
}

/// The instance of conformance case `unikraft-get-instance-by-uuid-200`, as recorded there.
const CONFORMANCE_INSTANCE: &str = r#"{"status": "success", "uuid": "471a2a73-36db-4df9-bb63-82a45810e88a", "name": "young-monkey-uq6dxq0u", "created_at": "2021-09-01T12:00:00Z", "state": "running", "image": "user/app:latest", "memory_mb": 512, "args": ["--port", "8080"], "env": {"port": "8080", "debug": "true"}, "start_count": 3, "started_at": "2021-09-01T12:00:00Z", "stopped_at": "2021-09-01T12:00:00Z", "uptime_ms": 3600000, "rss_bytes": 5121024, "cpu_time_ms": 3600000, "nconns": 42, "nreqs": 42, "nqueued": 42, "ntotal": 42, "vmm_start_time_us": 3600000, "vmm_load_time_us": 3600000, "vmm_ready_time_us": 3600000, "boot_time_us": 3600000, "net_time_us": 3600000, "stop_reason": 15, "exit_code": 0, "stop_code": 33024, "restart_policy": "never", "restart": {"attempt": 3, "next_at": "2021-09-01T12:00:00Z"}, "restart_count": 3, "scale_to_zero": {"policy": "off", "stateful": false, "cooldown_time_ms": 1000}, "snapshot": {"uuid": "471a2a73-36db-4df9-bb63-82a45810e88a"}, "private_fqdn": "young-monkey.internal", "private_ip": "172.16.19.23", "service_group": {"name": "my-service", "uuid": "471a2a73-36db-4df9-bb63-82a45810e88a", "domains": [{"name": "my-instance", "certificate": {"uuid": "471a2a73-36db-4df9-bb63-82a45810e88a"}}]}, "volumes": [{"uuid": "471a2a73-36db-4df9-bb63-82a45810e88a", "at": "/home/user", "readonly": false}], "network_interfaces": [{"uuid": "471a2a73-36db-4df9-bb63-82a45810e88a", "private_ip": "172.16.19.23", "mac": "00:00:5e:00:53:01", "rx_bytes": 123456, "rx_packets": 123456, "tx_bytes": 123456, "tx_packets": 123456}]}"#;

// An instance outside any service group has no public domain: a listing mixing it with one whose
// service group has domains must decode whole. The second entry is the body of conformance case
// `unikraft-get-instance-by-uuid-200` (assembled from the official description), whose domain
// entry carries no `fqdn`.
#[tokio::test]
async fn a_listing_with_instances_without_public_domains_decodes_whole() {
    let described: Value = serde_json::from_str(CONFORMANCE_INSTANCE).expect("valid JSON");
    let body = json!({"status": "success", "data": {"instances": [
        {"status": "success", "uuid": UUID_A, "name": "worker-1", "state": "running",
         "private_fqdn": "worker-1.internal", "private_ip": "10.0.0.12"},
        described
    ]}});
    let server = replying(200, body).await;
    let batch = server
        .client()
        .get_instances()
        .send()
        .await
        .expect("the whole listing decodes");
    let instances: Vec<_> = batch.oks().collect();
    assert_eq!(instances.len(), 2);
    assert!(instances[0].service_group.is_none());
    assert!(instances[0].fqdn.is_none());
    let domains = instances[1]
        .service_group
        .as_ref()
        .and_then(|group| group.domains.as_ref())
        .expect("the second instance has domains");
    assert_eq!(domains.len(), 1);
    assert_eq!(domains[0].fqdn, None);
}

// ---------------------------------------------------------------------------------------------
// Instance and service group fields of the official description

// Scale-to-zero is the instance's `scale_to_zero` object with exactly `policy` (required),
// `stateful` and `cooldown_time_ms`, per the official description and kraftcloud/go-sdk's
// `ScaleToZero`. The spec had invented `enabled` and `notify_time_ms` there.
#[test]
fn scale_to_zero_has_the_reference_fields_only() {
    let spec = load_spec();
    let schema = &spec["components"]["schemas"]["ScaleToZero"];
    let mut names: Vec<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["cooldown_time_ms", "policy", "stateful"]);
    assert_eq!(schema["required"], json!(["policy"]));
    assert_eq!(schema["properties"]["cooldown_time_ms"]["format"], "int32");
}

#[tokio::test]
async fn an_instance_is_created_with_its_scale_to_zero_object() {
    let server = replying(200, json!({"status": "success", "data": {"instances": []}})).await;
    let mut request: types::InstanceCreateRequest =
        serde_json::from_value(json!({"image": "nginx:latest"})).expect("a minimal request");
    request.scale_to_zero = Some(types::ScaleToZero {
        policy: types::ScaleToZeroPolicy::Idle,
        stateful: Some(true),
        cooldown_time_ms: Some(2000),
    });
    server
        .client()
        .create_instance(request)
        .send()
        .await
        .expect("created");
    assert_eq!(
        server.only_request().json(),
        Some(json!({"image": "nginx:latest",
                    "scale_to_zero": {"policy": "idle", "stateful": true,
                                      "cooldown_time_ms": 2000}}))
    );
}

// Creating one instance answers with a batch: the instance asked for, then its `replicas`.
// `Batch::into_first` gives that instance, or its failure with the object and code named.
#[tokio::test]
async fn a_created_instance_is_the_first_object_of_its_batch() {
    let created = json!({"status": "success", "op_time_us": 10, "data": {"instances": [
        {"status": "success", "uuid": UUID_A, "name": "web-1", "state": "starting"},
        {"status": "success", "uuid": "7bece402-c36f-457f-a165-0e2d63f1db53",
         "name": "web-1-replica-1", "state": "starting"}]}});
    let server = replying(200, created).await;
    let request = types::InstanceCreateRequest::new("nginx:latest").with_replicas(1);
    let batch = server
        .client()
        .create_instance(request)
        .send()
        .await
        .expect("decodes");
    assert_eq!(batch.items.len(), 2, "the replica is kept in the batch");
    let first = batch.into_first().expect("the first object succeeded");
    assert_eq!(first.name.as_ref().map(|n| n.as_str()), Some("web-1"));

    // The instance failed while its replica was created: a partial success.
    let partial = json!({"status": "partial_success", "message": "Some instances failed",
        "data": {"instances": [
            {"status": "error", "name": "web-1", "error": 8, "message": "Image not found"},
            {"status": "success", "uuid": UUID_A, "name": "web-1-replica-1"}]}});
    let server = replying(200, partial).await;
    let error = server
        .client()
        .create_instance(types::InstanceCreateRequest::new("nope:latest").with_replicas(1))
        .send()
        .await
        .expect("a partial success is a batch")
        .into_first()
        .expect_err("the first object failed");
    assert_eq!(error.errors.len(), 1);
    assert_eq!(error.errors[0].code, Some(item_error_code::NOT_FOUND));
    let shown = error.to_string();
    assert!(
        shown.contains("web-1") && shown.contains("Image not found"),
        "{shown}"
    );

    let empty = replying(200, json!({"status": "success", "data": {"instances": []}})).await;
    let error = empty
        .client()
        .create_instance(types::InstanceCreateRequest::new("nginx:latest"))
        .send()
        .await
        .expect("decodes")
        .into_first()
        .expect_err("no object");
    assert_eq!(error.to_string(), "the answer named no object");
}

// The instance status of the official description carries metrics (with `metrics=true`),
// developer timings, the restart state and the snapshot; they were missing from the spec and so
// silently dropped. Body: conformance case `unikraft-get-instance-by-uuid-200`.
#[tokio::test]
async fn the_described_instance_fields_decode() {
    let described: Value = serde_json::from_str(CONFORMANCE_INSTANCE).expect("valid JSON");
    let server = replying(
        200,
        json!({"status": "success", "data": {"instances": [described]}}),
    )
    .await;
    let batch = server
        .client()
        .get_instance(uuid(UUID_A))
        .send()
        .await
        .expect("decodes");
    let instance = &batch;
    assert_eq!(instance.rss_bytes, Some(5121024));
    assert_eq!(instance.cpu_time_ms, Some(3600000));
    assert_eq!(instance.ntotal, Some(42));
    assert_eq!(instance.vmm_ready_time_us, Some(3600000));
    let restart = instance.restart.as_ref().expect("restart");
    assert_eq!(restart.attempt, Some(3));
    assert!(restart.next_at.is_some());
    assert_eq!(
        instance.snapshot.as_ref().and_then(|s| s.uuid.clone()),
        Some(uuid("471a2a73-36db-4df9-bb63-82a45810e88a"))
    );
    let scale_to_zero = instance.scale_to_zero.as_ref().expect("scale_to_zero");
    assert_eq!(scale_to_zero.policy, types::ScaleToZeroPolicy::Off);
    assert_eq!(scale_to_zero.cooldown_time_ms, Some(1000));
    let interface = &instance.network_interfaces.as_ref().expect("interfaces")[0];
    assert_eq!(interface.rx_bytes, Some(123456));
    assert_eq!(interface.tx_packets, Some(123456));
}

// Service groups have per-instance connection limits (official description `soft_limit` and
// `hard_limit`; kraftcloud/go-sdk sends them on create and reads them back).
#[tokio::test]
async fn service_group_connection_limits_are_sent_and_read() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"service_groups": [
            {"status": "success", "uuid": UUID_A, "name": "my-service",
             "soft_limit": 100, "hard_limit": 1000}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .create_service_group(types::ServiceGroupCreateRequest {
            name: Some(name("my-service")),
            services: None,
            domains: None,
            soft_limit: Some(100),
            hard_limit: Some(1000),
        })
        .send()
        .await
        .expect("created");
    assert_eq!(
        server.only_request().json(),
        Some(json!({"name": "my-service", "soft_limit": 100, "hard_limit": 1000}))
    );
    let group = batch.oks().next().expect("one group");
    assert_eq!(group.soft_limit, Some(100));
    assert_eq!(group.hard_limit, Some(1000));
}

/// Property names (separated by spaces) that the official description (unikraft-cloud/openapi
/// `platform.yaml`@3ad3989) gives each object, for the operations of the spec, leaving out the
/// description's known mistakes (request shapes repeated in answers and the reverse,
/// `data.certificates` in autoscale answers, `policies` inside `master`).
const DESCRIBED_PROPERTIES: &[(&str, &str)] = &[
    (
        "Instance",
        "status uuid name created_at state image memory_mb args env start_count \
         started_at stopped_at uptime_ms rss_bytes cpu_time_ms nconns nreqs nqueued \
         ntotal vmm_start_time_us vmm_load_time_us vmm_ready_time_us boot_time_us \
         net_time_us stop_reason exit_code stop_code restart_policy restart restart_count \
         scale_to_zero snapshot private_fqdn private_ip service_group volumes \
         network_interfaces",
    ),
    (
        "NetworkInterface",
        "uuid private_ip mac rx_bytes rx_packets tx_bytes tx_packets",
    ),
    ("InstanceRestart", "attempt next_at"),
    ("InstanceSnapshot", "uuid"),
    ("ScaleToZero", "policy stateful cooldown_time_ms"),
    (
        "InstanceCreateRequest",
        "name image args env memory_mb restart_policy scale_to_zero volumes service_group \
         autostart replicas wait_timeout_ms features",
    ),
    ("InstanceCreateVolume", "uuid name at readonly"),
    ("InstanceCreateServiceGroup", "uuid name domains services"),
    ("DomainRequest", "name certificate"),
    ("InstanceDeleteResult", "status uuid name previous_state"),
    (
        "InstanceStateChangeResult",
        "status uuid name state previous_state",
    ),
    (
        "InstanceStopRequestItem",
        "uuid name force drain_timeout_ms",
    ),
    ("InstanceStartRequestItem", "uuid name"),
    ("InstanceWaitRequestItem", "uuid name state timeout_ms"),
    ("InstanceWaitResult", "status uuid name state"),
    (
        "InstanceLogResult",
        "status uuid name output available range",
    ),
    ("ByteRange", "start end"),
    (
        "InstanceMetrics",
        "status uuid name rss_bytes cpu_time_ms rx_bytes rx_packets tx_bytes tx_packets \
         nconns nreqs nqueued ntotal",
    ),
    ("ServiceGroupCreateRequest", "name services domains"),
    ("Service", "port destination_port handlers"),
    (
        "ServiceGroupCreateResult",
        "status uuid name soft_limit hard_limit domains",
    ),
    (
        "ServiceGroup",
        "status uuid name created_at persistent autoscale soft_limit hard_limit services \
         domains instances",
    ),
    ("Domain", "fqdn certificate"),
    ("CertificateCreateRequest", "name cn chain pkey"),
    ("CertificateCreateResult", "uuid name"),
    (
        "Certificate",
        "status uuid name created_at common_name state validation subject issuer \
         serial_number not_before not_after service_groups",
    ),
    ("CertificateValidation", "attempt next"),
    (
        "Image",
        "digest tags initrd size_in_bytes args kernel_args labels",
    ),
    ("VolumeCreateRequest", "name size_mb"),
    ("VolumeCreateResult", "status uuid name"),
    (
        "Volume",
        "status state uuid name size_mb attached_to mounted_by persistent created_at",
    ),
    ("VolumeMount", "uuid name readonly"),
    (
        "AutoscaleConfigurationCreateGlobalRequest",
        "uuid name min_size max_size warmup_time_ms cooldown_time_ms master",
    ),
    (
        "AutoscaleConfiguration",
        "status uuid name enabled min_size max_size warmup_time_ms cooldown_time_ms \
         master policies",
    ),
    ("AutoscalePolicy", "name metric type adjustment_type steps"),
    ("AutoscaleStep", "lower_bound upper_bound adjustment"),
    ("AutoscalePolicyResult", "status name"),
    ("Quotas", "used hard limits"),
    (
        "QuotaUsage",
        "instances live_instances live_memory_mb service_groups services volumes \
         total_volume_mb",
    ),
    (
        "QuotaLimits",
        "min_memory_mb max_memory_mb min_volume_mb max_volume_mb min_autoscale_size \
         max_autoscale_size",
    ),
];

/// The property names of a component schema, `allOf` parts included.
fn schema_properties(spec: &Value, node: &Value) -> Vec<String> {
    let node = resolve(spec, node);
    let mut names: Vec<String> = node
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(parts) = node.get("allOf").and_then(Value::as_array) {
        for part in parts {
            names.extend(schema_properties(spec, part));
        }
    }
    names
}

#[test]
fn every_property_of_the_official_description_is_in_the_spec() {
    let spec = load_spec();
    let mut missing = Vec::new();
    for (schema, described) in DESCRIBED_PROPERTIES {
        let node = spec["components"]["schemas"]
            .get(*schema)
            .unwrap_or_else(|| panic!("no schema {schema} in the spec"));
        let ours = schema_properties(&spec, node);
        for property in described.split_whitespace() {
            if !ours.iter().any(|name| name == property) {
                missing.push(format!("{schema}.{property}"));
            }
        }
    }
    assert!(missing.is_empty(), "not in the spec: {missing:?}");
}

// ---------------------------------------------------------------------------------------------
// Query parameters and where the local-scope options travel

// The reading operations take the official description's query parameters: `details` (status
// reads), `metrics` (instance reads), `namespace` and `tagged` (image list). The spec had none.
#[tokio::test]
async fn reading_operations_send_the_described_query_parameters() {
    // One object, since a single-object read fails on an envelope without it.
    let empty = |kind: &str| json!({"status": "success", "data": {kind: [{"uuid": UUID_A}]}});
    let server = scripted(vec![Reply::json(200, &empty("instances"))]).await;
    let client = server.client();
    client
        .get_instances()
        .details(false)
        .metrics(true)
        .send()
        .await
        .expect("listed");
    client
        .get_instance(uuid(UUID_A))
        .metrics(true)
        .send()
        .await
        .expect("read");
    let seen = server.seen();
    assert_eq!(seen[0].path(), "/v1/instances");
    assert_eq!(seen[0].query_value("details").as_deref(), Some("false"));
    assert_eq!(seen[0].query_value("metrics").as_deref(), Some("true"));
    assert_eq!(seen[1].path(), format!("/v1/instances/{UUID_A}"));
    assert_eq!(seen[1].query_value("metrics").as_deref(), Some("true"));
    assert_eq!(seen[1].query_value("details"), None);

    let server = scripted(vec![Reply::json(200, &empty("service_groups"))]).await;
    server
        .client()
        .get_service_group(uuid(UUID_A))
        .details(false)
        .send()
        .await
        .expect("read");
    assert_eq!(
        server.only_request().query_value("details").as_deref(),
        Some("false")
    );

    let server = scripted(vec![Reply::json(200, &empty("certificates"))]).await;
    server
        .client()
        .get_certificates()
        .details(false)
        .send()
        .await
        .expect("listed");
    assert_eq!(
        server.only_request().query_value("details").as_deref(),
        Some("false")
    );

    let server = scripted(vec![Reply::json(200, &empty("volumes"))]).await;
    server
        .client()
        .get_volume(uuid(UUID_A))
        .details(true)
        .send()
        .await
        .expect("read");
    assert_eq!(
        server.only_request().query_value("details").as_deref(),
        Some("true")
    );

    let server = scripted(vec![Reply::json(200, &empty("images"))]).await;
    server
        .client()
        .list_images()
        .namespace("official")
        .tagged(true)
        .body(vec![types::ImageLookup::Tag("nginx:latest".to_owned())])
        .send()
        .await
        .expect("listed");
    let seen = server.only_request();
    assert_eq!(seen.path(), "/v1/images/list");
    assert_eq!(seen.query_value("namespace").as_deref(), Some("official"));
    assert_eq!(seen.query_value("tagged").as_deref(), Some("true"));
    assert_eq!(seen.json(), Some(json!([{"tag": "nginx:latest"}])));
}

// Local start, stop and log put their options in the JSON body, as the current official
// description (`StartInstanceByUUIDRequestBody`, `StopInstanceByUUIDRequestBody`,
// `GetInstanceLogsByUUIDRequestBody`) and the unikraft-cloud Go SDK do, never in the query.
#[tokio::test]
async fn local_start_stop_and_log_send_their_options_in_the_body() {
    let server = replying(200, one_instance()).await;
    let client = server.client();
    client
        .start_instance(uuid(UUID_A))
        .body(types::InstanceStartRequest {
            wait_timeout_ms: Some(1000),
        })
        .send()
        .await
        .expect("started");
    client
        .stop_instance(uuid(UUID_A))
        .body(InstanceStopRequest {
            drain_timeout_ms: Some(5000),
            force: Some(false),
        })
        .send()
        .await
        .expect("stopped");
    client
        .get_instance_logs(uuid(UUID_A))
        .body(types::InstanceLogRequest {
            offset: Some(-4096),
            limit: Some(4096),
        })
        .send()
        .await
        .expect("read");

    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].target, format!("/v1/instances/{UUID_A}/start"));
    assert_eq!(seen[0].json(), Some(json!({"wait_timeout_ms": 1000})));
    assert_eq!(seen[1].target, format!("/v1/instances/{UUID_A}/stop"));
    assert_eq!(
        seen[1].json(),
        Some(json!({"drain_timeout_ms": 5000, "force": false}))
    );
    assert_eq!(seen[2].target, format!("/v1/instances/{UUID_A}/log"));
    assert_eq!(
        seen[2].json(),
        Some(json!({"offset": -4096, "limit": 4096}))
    );
    assert!(seen.iter().all(|request| request.query().is_empty()));
}

// ---------------------------------------------------------------------------------------------
// Custom domains

// Only a domain name ending with a dot is taken as it is; any other name gets the metro's domain
// appended (official description, `domains[].name`; kraftkit adds the dot to custom domains). The
// spec said a dotted name such as `www.example.com` is used as is, and its example sent one
// without the dot, which would publish `www.example.com.fra0.kraft.host`.
#[test]
fn custom_domain_names_are_documented_and_exemplified_with_the_trailing_dot() {
    let spec = load_spec();
    let name = &spec["components"]["schemas"]["DomainRequest"]["properties"]["name"];
    let description = name["description"].as_str().expect("a description");
    assert!(
        description.contains("ends with a dot") && description.contains("appended"),
        "the trailing-dot rule is not documented: {description}"
    );
    assert!(
        name["example"]
            .as_str()
            .is_some_and(|example| example.ends_with('.')),
        "the example of a custom domain lacks the trailing dot"
    );

    let mut checked = 0;
    for op in operations(&spec) {
        let Some(example) = &op.request_example else {
            continue;
        };
        let domains = example
            .get("domains")
            .or_else(|| example.pointer("/service_group/domains"))
            .and_then(Value::as_array);
        for domain in domains.into_iter().flatten() {
            let domain = domain["name"].as_str().expect("a domain name");
            assert!(
                !domain.contains('.') || domain.ends_with('.'),
                "{}: the custom domain {domain:?} would get the metro's domain appended",
                op.id
            );
            checked += 1;
        }
    }
    assert!(checked >= 1, "no domain example checked");
}

#[tokio::test]
async fn a_custom_domain_is_sent_with_its_trailing_dot() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"service_groups": []}}),
    )
    .await;
    server
        .client()
        .create_service_group(types::ServiceGroupCreateRequest {
            name: Some(name("my-service")),
            services: None,
            domains: Some(vec![types::DomainRequest {
                name: "www.example.com.".to_owned(),
                certificate: None,
            }]),
            soft_limit: None,
            hard_limit: None,
        })
        .send()
        .await
        .expect("created");
    assert_eq!(
        server.only_request().json(),
        Some(json!({"name": "my-service", "domains": [{"name": "www.example.com."}]}))
    );
}

// ---------------------------------------------------------------------------------------------
// Autoscale

// A listed policy is flat: its properties sit beside the entry's `status` and `enabled` (the
// official description lists policies so, and kraftcloud/go-sdk reads `type`, `name` and `steps`
// from the entry itself). The spec wrapped them in a `details` object that the API never sends,
// so every decoded policy came out empty.
#[tokio::test]
async fn a_listed_autoscale_policy_decodes_its_flat_properties() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"policies": [
            {"status": "success", "enabled": true, "name": "scale-on-cpu", "type": "step",
             "metric": "cpu", "adjustment_type": "change",
             "steps": [{"upper_bound": 200, "adjustment": -1},
                       {"lower_bound": 600, "adjustment": 2}]}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .get_autoscale_policy(uuid(UUID_B), name("scale-on-cpu"))
        .send()
        .await
        .expect("a flat policy decodes");
    let policy = &batch;
    assert_eq!(policy.name, name("scale-on-cpu"));
    assert_eq!(policy.r#type, types::AutoscalePolicyType::Step);
    assert_eq!(policy.enabled, Some(true));
    assert_eq!(
        policy.adjustment_type,
        Some(types::AutoscaleAdjustmentType::Change)
    );
    let steps = policy.steps.as_ref().expect("the steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].upper_bound, Some(200));
    assert_eq!(steps[0].adjustment, -1);
    assert_eq!(steps[1].lower_bound, Some(600));
}

// The global-scope create `POST /services/autoscale` exists (official description
// `create-autoscale-config`; kraftcloud/go-sdk `CreateConfiguration`): one object naming the
// service group by `uuid` or `name`, with `policies` beside `master`.
#[tokio::test]
async fn global_autoscale_create_posts_one_object_naming_the_service_group() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"service_groups": [
            {"status": "success", "uuid": UUID_B, "name": "my-service"}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .create_autoscale_configurations(types::AutoscaleConfigurationCreateGlobalRequest {
            reference: by_name("my-service"),
            min_size: Some(1),
            max_size: Some(4),
            warmup_time_ms: Some(1000),
            cooldown_time_ms: Some(1000),
            master: by_uuid(UUID_A),
            policies: Some(vec![types::AutoscalePolicy {
                name: name("scale-on-cpu"),
                r#type: types::AutoscalePolicyType::Step,
                metric: Some(types::AutoscaleMetric::Cpu),
                adjustment_type: Some(types::AutoscaleAdjustmentType::Change),
                steps: Some(vec![types::AutoscaleStep {
                    lower_bound: Some(0),
                    upper_bound: Some(100),
                    adjustment: 1,
                }]),
            }]),
        })
        .send()
        .await
        .expect("created");

    let seen = server.only_request();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.target, "/v1/services/autoscale");
    assert_eq!(
        seen.json(),
        Some(json!({
            "name": "my-service", "min_size": 1, "max_size": 4, "warmup_time_ms": 1000,
            "cooldown_time_ms": 1000, "master": {"uuid": UUID_A},
            "policies": [{"name": "scale-on-cpu", "type": "step", "metric": "cpu",
                          "adjustment_type": "change",
                          "steps": [{"lower_bound": 0, "upper_bound": 100, "adjustment": 1}]}]
        }))
    );
    assert_eq!(batch.oks().count(), 1);
}

// A service group without autoscale reads back as `unconfigured` (official description,
// `autoscale_config.status`), an answer rather than a failure.
#[tokio::test]
async fn a_service_group_without_autoscale_reads_as_unconfigured() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"service_groups": [
            {"status": "unconfigured", "uuid": UUID_B, "name": "my-service"}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .get_autoscale_configuration(uuid(UUID_B))
        .send()
        .await
        .expect("an unconfigured service group is not an error");
    let config = &batch;
    assert_eq!(
        config.status,
        Some(types::AutoscaleConfigurationStatus::Unconfigured)
    );
}

// ---------------------------------------------------------------------------------------------
// Construction

/// `UKC_TOKEN` is process-wide; the tests that change it take turns.
static ENV_LOCK: Mutex<()> = Mutex::new(());

#[test]
fn from_env_reads_the_bearer_token_from_ukc_token() {
    let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    std::env::set_var("UKC_TOKEN", "ukc-secret-from-env-81c2");
    let client = Client::from_env();
    std::env::remove_var("UKC_TOKEN");

    let client = client.expect("a client from UKC_TOKEN");
    assert_eq!(client.runtime().base_url(), Client::DEFAULT_BASE_URL);
    let debug = format!("{client:?}");
    assert!(
        !debug.contains("ukc-secret-from-env-81c2"),
        "the token leaks through Debug: {debug}"
    );
}

#[test]
fn from_env_without_ukc_token_fails_naming_the_variable() {
    let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    std::env::remove_var("UKC_TOKEN");
    let error = Client::from_env().expect_err("no token, no client");
    assert!(error.to_string().contains("UKC_TOKEN"), "{error}");
}

#[cfg(unix)]
#[test]
fn from_env_with_an_unreadable_ukc_token_names_the_variable_but_not_the_value() {
    use std::os::unix::ffi::OsStringExt as _;

    let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let value = std::ffi::OsString::from_vec(b"\xffsecret-value-77".to_vec());
    std::env::set_var("UKC_TOKEN", &value);
    let result = Client::from_env();
    std::env::remove_var("UKC_TOKEN");

    let error = result.expect_err("a token that is not UTF-8 is refused");
    let message = format!("{error} {error:?}");
    assert!(message.contains("UKC_TOKEN"), "{message}");
    assert!(!message.contains("secret-value-77"), "{message}");
}

#[test]
fn base_url_for_fills_in_the_metro() {
    assert_eq!(
        Client::base_url_for("fra0"),
        "https://api.fra0.kraft.cloud/v1"
    );
    assert_eq!(
        Client::base_url_for("dal0"),
        "https://api.dal0.kraft.cloud/v1"
    );
}

#[test]
fn default_base_url_is_the_fra0_metro() {
    assert_eq!(Client::DEFAULT_BASE_URL, Client::base_url_for("fra0"));
}

// ---------------------------------------------------------------------------------------------
// Enums with catch-alls

#[test]
fn instance_states_decode_to_their_variants() {
    let states: Vec<InstanceState> = serde_json::from_value(json!([
        "stopped", "starting", "running", "draining", "stopping", "standby", "template"
    ]))
    .expect("known states");
    assert_eq!(
        states,
        vec![
            InstanceState::Stopped,
            InstanceState::Starting,
            InstanceState::Running,
            InstanceState::Draining,
            InstanceState::Stopping,
            InstanceState::Standby,
            InstanceState::Template,
        ]
    );
}

#[test]
fn unknown_instance_state_round_trips_through_the_catch_all() {
    let state: InstanceState = serde_json::from_value(json!("hibernating")).expect("decodes");
    assert_eq!(state, InstanceState::Unknown("hibernating".to_owned()));
    assert_eq!(
        serde_json::to_value(&state).expect("encodes"),
        json!("hibernating")
    );
}

#[test]
fn service_handlers_decode_to_their_variants() {
    let handlers: Vec<ServiceHandler> =
        serde_json::from_value(json!(["tls", "http", "redirect"])).expect("known handlers");
    assert_eq!(
        handlers,
        vec![
            ServiceHandler::Tls,
            ServiceHandler::Http,
            ServiceHandler::Redirect
        ]
    );
}

#[test]
fn unknown_service_handler_round_trips_through_the_catch_all() {
    let handler: ServiceHandler = serde_json::from_value(json!("quic")).expect("decodes");
    assert_eq!(handler, ServiceHandler::Unknown("quic".to_owned()));
    assert_eq!(
        serde_json::to_value(&handler).expect("encodes"),
        json!("quic")
    );
}

#[tokio::test]
async fn an_instance_in_a_state_the_client_does_not_know_still_decodes() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"instances": [
            {"status": "success", "uuid": UUID_A, "name": "nginx-1a747", "state": "hibernating",
             "service_group": {"name": "my-service", "domains": [{"fqdn": "x.fra0.kraft.host"}]}}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .get_instance(uuid(UUID_A))
        .send()
        .await
        .expect("a new state does not break the client");
    let instance = &batch;
    assert_eq!(
        instance.state,
        Some(InstanceState::Unknown("hibernating".to_owned()))
    );
}

// ---------------------------------------------------------------------------------------------
// Every operation of the spec, through the client

/// How a call went, without its typed items.
#[derive(Debug)]
enum Outcome {
    /// A decoded envelope: its status, and per object whether it succeeded (with the code if
    /// not).
    Batch {
        status: BatchStatus,
        items: Vec<Result<(), Option<i64>>>,
    },
    /// A decoded error envelope.
    Failed { status: u16, error: BatchError },
    /// A whole success body, of an operation without `x-cloudgen-envelope`: its `status`.
    Whole { status: String },
    /// The typed error of an operation without `x-cloudgen-envelope`: the HTTP status, the
    /// body's `message` and the number of its `errors`.
    FailedWhole {
        status: u16,
        message: Option<String>,
        errors: usize,
    },
}

/// The operations whose answer is no list of objects, so that they have no
/// `x-cloudgen-envelope`: the health check's `data` is a map of services.
const WHOLE_BODY_OPERATIONS: &[&str] = &["getHealth"];

fn outcome<T>(result: Result<Batch<T>, Error<BatchError>>) -> Result<Outcome, String> {
    match result {
        Ok(batch) => Ok(Outcome::Batch {
            status: batch.status,
            items: batch
                .items
                .iter()
                .map(|item| match item {
                    ItemResult::Ok(_) => Ok(()),
                    ItemResult::Err(e) => Err(e.code),
                })
                .collect(),
        }),
        Err(error) => match error.api().and_then(|api| Some((api, api.error()?))) {
            Some((api, typed)) => Ok(Outcome::Failed {
                status: api.status().as_u16(),
                error: typed.clone(),
            }),
            None => Err(error.to_string()),
        },
    }
}

/// [`outcome`] of a single-object operation (`single: true`): its value is one object that
/// succeeded; its failure (an error envelope, or the one object failing) the typed error.
fn single<T>(result: Result<T, Error<BatchError>>) -> Result<Outcome, String> {
    match result {
        Ok(_) => Ok(Outcome::Batch {
            status: BatchStatus::Success,
            items: vec![Ok(())],
        }),
        Err(error) => outcome::<T>(Err(error)),
    }
}

/// The operation's request body from the spec's example, decoded into the body type of the
/// generated method.
fn body<T: DeserializeOwned>(op: &str, example: Option<&Value>) -> T {
    let example = example.unwrap_or_else(|| panic!("{op}: no request example in the spec"));
    serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("{op}: the request example does not decode: {e}"))
}

/// The UUID every local-scope call names in its path.
const OBJECT: &str = UUID_B;
const POLICY: &str = "scale-on-cpu";

/// Calls operation `op` through the generated client with the spec's request example as body.
async fn call(client: &Client, op: &str, req: Option<&Value>) -> Result<Outcome, String> {
    match op {
        "createInstance" => outcome(
            client
                .create_instance(body::<types::InstanceCreateRequest>(op, req))
                .send()
                .await,
        ),
        "getInstances" => outcome(
            client
                .get_instances()
                .body(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "deleteInstances" => outcome(
            client
                .delete_instances(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "updateInstances" => outcome(
            client
                .update_instances(body::<Vec<types::InstanceUpdateRequestItem>>(op, req))
                .send()
                .await,
        ),
        "getInstance" => single(client.get_instance(uuid(OBJECT)).send().await),
        "deleteInstance" => single(client.delete_instance(uuid(OBJECT)).send().await),
        "updateInstance" => single(
            client
                .update_instance(uuid(OBJECT), body::<types::InstanceUpdateRequest>(op, req))
                .send()
                .await,
        ),
        "startInstances" => outcome(
            client
                .start_instances(body::<Vec<types::InstanceStartRequestItem>>(op, req))
                .send()
                .await,
        ),
        "startInstance" => single(
            client
                .start_instance(uuid(OBJECT))
                .body(body::<types::InstanceStartRequest>(op, req))
                .send()
                .await,
        ),
        "stopInstances" => outcome(
            client
                .stop_instances(body::<Vec<InstanceStopRequestItem>>(op, req))
                .send()
                .await,
        ),
        "stopInstance" => single(
            client
                .stop_instance(uuid(OBJECT))
                .body(body::<InstanceStopRequest>(op, req))
                .send()
                .await,
        ),
        "waitInstances" => outcome(
            client
                .wait_instances(body::<Vec<types::InstanceWaitRequestItem>>(op, req))
                .send()
                .await,
        ),
        "waitInstance" => single(
            client
                .wait_instance(uuid(OBJECT), body::<types::InstanceWaitRequest>(op, req))
                .send()
                .await,
        ),
        "getInstanceLogs" => single(
            client
                .get_instance_logs(uuid(OBJECT))
                .body(body::<types::InstanceLogRequest>(op, req))
                .send()
                .await,
        ),
        "getInstancesLogs" => outcome(
            client
                .get_instances_logs(body::<Vec<types::InstanceLogRequestItem>>(op, req))
                .send()
                .await,
        ),
        "getInstancesMetrics" => outcome(
            client
                .get_instances_metrics()
                .body(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "getInstanceMetrics" => single(client.get_instance_metrics(uuid(OBJECT)).send().await),
        "getInstanceTemplates" => outcome(
            client
                .get_instance_templates()
                .body(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "createInstanceTemplates" => outcome(
            client
                .create_instance_templates(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "deleteInstanceTemplates" => outcome(
            client
                .delete_instance_templates(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "updateInstanceTemplates" => outcome(
            client
                .update_instance_templates(body::<Vec<types::InstanceTemplateUpdateRequestItem>>(
                    op, req,
                ))
                .send()
                .await,
        ),
        "getInstanceTemplate" => single(client.get_instance_template(uuid(OBJECT)).send().await),
        "deleteInstanceTemplate" => {
            single(client.delete_instance_template(uuid(OBJECT)).send().await)
        }
        "updateInstanceTemplate" => single(
            client
                .update_instance_template(
                    uuid(OBJECT),
                    body::<types::InstanceTemplateUpdateRequest>(op, req),
                )
                .send()
                .await,
        ),
        "createServiceGroup" => outcome(
            client
                .create_service_group(body::<types::ServiceGroupCreateRequest>(op, req))
                .send()
                .await,
        ),
        "getServiceGroups" => outcome(
            client
                .get_service_groups()
                .body(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "deleteServiceGroups" => outcome(
            client
                .delete_service_groups(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "getServiceGroup" => single(client.get_service_group(uuid(OBJECT)).send().await),
        "deleteServiceGroup" => single(client.delete_service_group(uuid(OBJECT)).send().await),
        "updateServiceGroups" => outcome(
            client
                .update_service_groups(body::<Vec<types::ServiceGroupUpdateRequestItem>>(op, req))
                .send()
                .await,
        ),
        "updateServiceGroup" => single(
            client
                .update_service_group(
                    uuid(OBJECT),
                    body::<types::ServiceGroupUpdateRequest>(op, req),
                )
                .send()
                .await,
        ),
        "createVolume" => outcome(
            client
                .create_volume(body::<types::VolumeCreateRequest>(op, req))
                .send()
                .await,
        ),
        "getVolumes" => outcome(
            client
                .get_volumes()
                .body(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "deleteVolumes" => outcome(
            client
                .delete_volumes(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "getVolume" => single(client.get_volume(uuid(OBJECT)).send().await),
        "deleteVolume" => single(client.delete_volume(uuid(OBJECT)).send().await),
        "attachVolumes" => outcome(
            client
                .attach_volumes(body::<Vec<types::VolumeAttachRequestItem>>(op, req))
                .send()
                .await,
        ),
        "attachVolume" => single(
            client
                .attach_volume(uuid(OBJECT), body::<types::VolumeAttachRequest>(op, req))
                .send()
                .await,
        ),
        "detachVolumes" => outcome(
            client
                .detach_volumes(body::<Vec<types::VolumeDetachRequestItem>>(op, req))
                .send()
                .await,
        ),
        "detachVolume" => single(
            client
                .detach_volume(uuid(OBJECT))
                .body(body::<types::VolumeDetachRequest>(op, req))
                .send()
                .await,
        ),
        "updateVolumes" => outcome(
            client
                .update_volumes(body::<Vec<types::VolumeUpdateRequestItem>>(op, req))
                .send()
                .await,
        ),
        "updateVolume" => single(
            client
                .update_volume(uuid(OBJECT), body::<types::VolumeUpdateRequest>(op, req))
                .send()
                .await,
        ),
        "cloneVolumes" => outcome(
            client
                .clone_volumes(body::<Vec<types::VolumeCloneRequestItem>>(op, req))
                .send()
                .await,
        ),
        "cloneVolume" => single(
            client
                .clone_volume(uuid(OBJECT), body::<types::VolumeCloneRequest>(op, req))
                .send()
                .await,
        ),
        "getVolumeTemplates" => outcome(
            client
                .get_volume_templates()
                .body(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "createVolumeTemplates" => outcome(
            client
                .create_volume_templates(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "deleteVolumeTemplates" => outcome(
            client
                .delete_volume_templates(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "updateVolumeTemplates" => outcome(
            client
                .update_volume_templates(body::<Vec<types::VolumeTemplateUpdateRequestItem>>(
                    op, req,
                ))
                .send()
                .await,
        ),
        "getVolumeTemplate" => single(client.get_volume_template(uuid(OBJECT)).send().await),
        "deleteVolumeTemplate" => single(client.delete_volume_template(uuid(OBJECT)).send().await),
        "updateVolumeTemplate" => single(
            client
                .update_volume_template(
                    uuid(OBJECT),
                    body::<types::VolumeTemplateUpdateRequest>(op, req),
                )
                .send()
                .await,
        ),
        "listImages" => outcome(
            client
                .list_images()
                .body(body::<Vec<types::ImageLookup>>(op, req))
                .send()
                .await,
        ),
        "createCertificate" => outcome(
            client
                .create_certificate(body::<types::CertificateCreateRequest>(op, req))
                .send()
                .await,
        ),
        "getCertificates" => outcome(
            client
                .get_certificates()
                .body(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "deleteCertificates" => outcome(
            client
                .delete_certificates(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "getCertificate" => single(client.get_certificate(uuid(OBJECT)).send().await),
        "deleteCertificate" => single(client.delete_certificate(uuid(OBJECT)).send().await),
        "updateCertificates" => outcome(
            client
                .update_certificates(body::<types::CertificateUpdateGlobalRequest>(op, req))
                .send()
                .await,
        ),
        "updateCertificate" => single(
            client
                .update_certificate(
                    uuid(OBJECT),
                    body::<types::CertificateUpdateRequest>(op, req),
                )
                .send()
                .await,
        ),
        "createAutoscaleConfigurations" => outcome(
            client
                .create_autoscale_configurations(body::<
                    types::AutoscaleConfigurationCreateGlobalRequest,
                >(op, req))
                .send()
                .await,
        ),
        "getAutoscaleConfigurations" => outcome(
            client
                .get_autoscale_configurations(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "deleteAutoscaleConfigurations" => outcome(
            client
                .delete_autoscale_configurations(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "createAutoscaleConfiguration" => single(
            client
                .create_autoscale_configuration(
                    uuid(OBJECT),
                    body::<types::AutoscaleConfigurationCreateRequest>(op, req),
                )
                .send()
                .await,
        ),
        "getAutoscaleConfiguration" => single(
            client
                .get_autoscale_configuration(uuid(OBJECT))
                .send()
                .await,
        ),
        "deleteAutoscaleConfiguration" => single(
            client
                .delete_autoscale_configuration(uuid(OBJECT))
                .send()
                .await,
        ),
        "createAutoscalePolicy" => single(
            client
                .create_autoscale_policy(uuid(OBJECT), body::<types::AutoscalePolicy>(op, req))
                .send()
                .await,
        ),
        "listAutoscalePolicies" => outcome(
            client
                .list_autoscale_policies(uuid(OBJECT))
                .body(body::<Vec<ObjectReference>>(op, req))
                .send()
                .await,
        ),
        "deleteAutoscalePolicies" => outcome(
            client
                .delete_autoscale_policies(
                    uuid(OBJECT),
                    body::<types::AutoscalePolicyDeleteRequest>(op, req),
                )
                .send()
                .await,
        ),
        "getAutoscalePolicy" => single(
            client
                .get_autoscale_policy(uuid(OBJECT), name(POLICY))
                .send()
                .await,
        ),
        "deleteAutoscalePolicy" => single(
            client
                .delete_autoscale_policy(uuid(OBJECT), name(POLICY))
                .send()
                .await,
        ),
        "getUserQuotas" => outcome(client.get_user_quotas().send().await),
        "getHealth" => match client.get_health().send().await {
            Ok(health) => Ok(Outcome::Whole {
                status: health.status.as_str().to_owned(),
            }),
            Err(error) => match error
                .api()
                .and_then(|api| Some((api.status().as_u16(), api.error()?.clone())))
            {
                Some((status, cloudapi::unikraft::GetHealthError::Unauthorized(body))) => {
                    Ok(Outcome::FailedWhole {
                        status,
                        message: body.message,
                        errors: body.errors.map_or(0, |errors| errors.len()),
                    })
                }
                // The error enum is non-exhaustive: a status documented later lands here too.
                _ => Err(error.to_string()),
            },
        },
        "getUserQuotasByUuid" => single(client.get_user_quotas_by_uuid(uuid(OBJECT)).send().await),
        "addUsers" => outcome(
            client
                .add_users()
                .body(body::<types::UserAddRequest>(op, req))
                .send()
                .await,
        ),
        other => Err(format!(
            "this test does not know how to call operation `{other}`: add it to `call`"
        )),
    }
}

/// One operation of the spec.
struct Operation {
    id: String,
    method: String,
    path: String,
    /// `x-cloudgen-envelope.items` of the operation; `None` for the whole-body ones.
    items_pointer: Option<String>,
    /// `x-cloudgen-envelope.single`: the operation returns its one object, not a batch.
    single: bool,
    /// The request body's example, if the operation takes a body.
    request_example: Option<Value>,
    /// `(status, label, example)` of every JSON response example.
    examples: Vec<(u16, String, Value)>,
}

/// Follows a local `$ref` (`#/...`) in the spec.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local references are expected: {reference}"));
            let target = spec
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} points at nothing"));
            resolve(spec, target)
        }
        None => node,
    }
}

fn operations(spec: &Value) -> Vec<Operation> {
    let mut ops = Vec::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("a path item") {
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"))
                .to_owned();
            let items_pointer = op
                .pointer("/x-cloudgen-envelope/items")
                .and_then(Value::as_str)
                .map(str::to_owned);
            assert_eq!(
                items_pointer.is_none(),
                WHOLE_BODY_OPERATIONS.contains(&id.as_str()),
                "{id}: every operation but {WHOLE_BODY_OPERATIONS:?} has x-cloudgen-envelope items"
            );
            let request_example = op.get("requestBody").map(|rb| {
                resolve(spec, rb)
                    .pointer("/content/application~1json/example")
                    .cloned()
                    .unwrap_or_else(|| panic!("{id}: the request body has no JSON example"))
            });
            let mut examples = Vec::new();
            for (status, response) in op["responses"].as_object().expect("responses") {
                let status: u16 = status
                    .parse()
                    .unwrap_or_else(|_| panic!("{id}: response {status} is not a status code"));
                let Some(media) = resolve(spec, response).pointer("/content/application~1json")
                else {
                    continue;
                };
                if let Some(example) = media.get("example") {
                    examples.push((status, "example".to_owned(), example.clone()));
                }
                if let Some(named) = media.get("examples").and_then(Value::as_object) {
                    for (label, example) in named {
                        let value = resolve(spec, example)
                            .get("value")
                            .unwrap_or_else(|| panic!("{id}: example {label} has no value"));
                        examples.push((status, label.clone(), value.clone()));
                    }
                }
            }
            ops.push(Operation {
                id,
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                items_pointer,
                single: op.pointer("/x-cloudgen-envelope/single") == Some(&Value::Bool(true)),
                request_example,
                examples,
            });
        }
    }
    ops
}

/// What the client should make of `example` served with `status`.
fn check_example(op: &Operation, status: u16, label: &str, example: &Value, got: Outcome) {
    let context = format!("{} {} ({status} {label})", op.id, op.path);
    let envelope_status = example["status"].as_str().unwrap_or_default();
    let items: Vec<&Value> = op
        .items_pointer
        .as_deref()
        .and_then(|pointer| example.pointer(pointer))
        .and_then(Value::as_array)
        .map(|items| items.iter().collect())
        .unwrap_or_default();
    let failed =
        |item: &Value| item["status"] == "error" || item.get("error").is_some_and(|code| code != 0);
    match got {
        Outcome::Batch {
            status: batch_status,
            items: results,
        } => {
            assert!(
                (200..300).contains(&status) && envelope_status != "error",
                "{context}: an error response decoded as a batch"
            );
            assert_eq!(
                batch_status,
                match envelope_status {
                    "success" => BatchStatus::Success,
                    "partial_success" => BatchStatus::PartialSuccess,
                    other => panic!("{context}: unexpected envelope status {other:?}"),
                },
                "{context}"
            );
            let expected: Vec<Result<(), Option<i64>>> = items
                .iter()
                .map(|item| {
                    if failed(item) {
                        Err(item.get("error").and_then(Value::as_i64))
                    } else {
                        Ok(())
                    }
                })
                .collect();
            assert_eq!(results, expected, "{context}: one result per object");
        }
        Outcome::Failed {
            status: got_status,
            error,
        } => {
            // A single-object operation whose one object failed fails, whatever the status.
            let single_failed = op.single && items.len() == 1 && failed(items[0]);
            assert!(
                !(200..300).contains(&status) || envelope_status == "error" || single_failed,
                "{context}: a success response decoded as an error: {error:?}"
            );
            assert_eq!(got_status, status, "{context}");
            assert_eq!(
                error.message.as_deref(),
                example["message"].as_str(),
                "{context}"
            );
            let envelope_errors = example["errors"].as_array().map_or(0, Vec::len);
            let failed_items = items.iter().filter(|item| failed(item)).count();
            assert_eq!(
                error.errors.len(),
                envelope_errors + failed_items,
                "{context}: {error:?}"
            );
        }
        Outcome::Whole { status: whole } => {
            assert!(
                (200..300).contains(&status),
                "{context}: an error decoded as success"
            );
            assert_eq!(whole, envelope_status, "{context}");
        }
        Outcome::FailedWhole {
            status: got_status,
            message,
            errors,
        } => {
            assert!(
                !(200..300).contains(&status),
                "{context}: a success decoded as an error"
            );
            assert_eq!(got_status, status, "{context}");
            assert_eq!(message.as_deref(), example["message"].as_str(), "{context}");
            assert_eq!(
                errors,
                example["errors"].as_array().map_or(0, Vec::len),
                "{context}"
            );
        }
    }
}

#[tokio::test]
async fn every_response_example_in_the_spec_decodes_through_its_operation() {
    let spec = load_spec();
    let ops = operations(&spec);
    assert!(ops.len() >= 40, "only {} operations in the spec", ops.len());
    let mut checked = 0;
    let mut errors_checked = 0;
    let mut failures = Vec::new();
    for op in &ops {
        assert!(
            op.examples.iter().any(|(s, _, _)| (200..300).contains(s)),
            "{}: no success example",
            op.id
        );
        for (status, label, example) in &op.examples {
            let server = scripted(vec![Reply::json(*status, example)]).await;
            match call(&server.client(), &op.id, op.request_example.as_ref()).await {
                Ok(got) => {
                    if matches!(got, Outcome::Failed { .. } | Outcome::FailedWhole { .. }) {
                        errors_checked += 1;
                    }
                    check_example(op, *status, label, example, got);
                }
                Err(error) => failures.push(format!("{} ({status} {label}): {error}", op.id)),
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples did not decode:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every operation documents at least a success and a 401, each with an example.
    assert!(checked >= 2 * ops.len(), "only {checked} examples checked");
    assert!(
        errors_checked >= ops.len(),
        "only {errors_checked} error examples checked"
    );
}

#[tokio::test]
async fn every_operation_in_the_spec_sends_its_method_path_token_and_body() {
    let spec = load_spec();
    for op in operations(&spec) {
        let (status, _, example) = op
            .examples
            .iter()
            .find(|(s, _, _)| (200..300).contains(s))
            .unwrap_or_else(|| panic!("{}: no success example", op.id));
        let server = scripted(vec![Reply::json(*status, example)]).await;
        call(&server.client(), &op.id, op.request_example.as_ref())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", op.id));

        let seen = server.only_request();
        let expected_path = format!(
            "/v1{}",
            op.path
                .replace("{uuid}", OBJECT)
                .replace("{policy_name}", POLICY)
        );
        assert_eq!(seen.method, op.method, "{}", op.id);
        assert_eq!(seen.target, expected_path, "{}", op.id);
        assert_eq!(
            seen.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{}",
            op.id
        );
        // Every body the spec allows is sent, GET and DELETE included, exactly as the example.
        assert_eq!(seen.json(), op.request_example, "{} {}", op.method, op.path);
        if op.request_example.is_some() {
            assert_eq!(
                seen.header("content-type"),
                Some("application/json"),
                "{}",
                op.id
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The spec against a real OpenAPI linter

const REDOCLY: &str = "@redocly/cli@2.77.0";

#[test]
fn spec_passes_the_redocly_openapi_linter_with_zero_errors() {
    let output = Command::new("npx")
        .args([
            "--yes",
            REDOCLY,
            "lint",
            "specs/unikraft.yaml",
            "--format=json",
        ])
        .current_dir(workspace_root())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "could not run `npx` ({e}). This test needs Node.js 20 or newer with npm \
                 (which provides npx): install it from https://nodejs.org/en/download or with \
                 your package manager (for example `apt-get install nodejs npm`), then run \
                 `npx --yes {REDOCLY} lint specs/unikraft.yaml` once to check that it works."
            )
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = stdout
        .find('{')
        .and_then(|start| serde_json::from_str(&stdout[start..]).ok())
        .unwrap_or_else(|| {
            panic!(
                "`npx --yes {REDOCLY} lint` gave no JSON report (exit {:?}); is Node.js with npm \
                 installed and the npm registry reachable?\nstdout:\n{stdout}\nstderr:\n{stderr}",
                output.status.code()
            )
        });
    let errors = report
        .pointer("/totals/errors")
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("the report has no totals.errors: {report:#}"));
    assert_eq!(
        errors, 0,
        "the linter found errors in specs/unikraft.yaml:\n{:#}",
        report["problems"]
    );
    assert!(
        output.status.success(),
        "the linter failed: {:?}\n{stderr}",
        output.status
    );
}

#[test]
fn from_env_takes_the_metro_from_ukc_metro() {
    let _env = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    std::env::set_var("UKC_METRO", "dal0");
    assert_eq!(
        Client::base_url_from_env(),
        "https://api.dal0.kraft.cloud/v1"
    );
    std::env::remove_var("UKC_METRO");
    assert_eq!(
        Client::base_url_from_env(),
        "https://api.fra0.kraft.cloud/v1"
    );
}

// ---------------------------------------------------------------------------------------------
// API breadth: the operations of the current official description

/// Corpus case `unikraft-get-instance-logs-200` (tests/conformance/unikraft.jsonl): the global
/// log takes a list of instance references, each with its own window, and answers one entry
/// per instance under `data.instances`. Before `GET /instances/log` was in the spec, the path
/// matched `GET /instances/{uuid}` with `log` as the UUID.
#[tokio::test]
async fn global_instance_logs_send_a_window_per_reference_to_instances_log() {
    const CORPUS_UUID: &str = "471a2a73-36db-4df9-bb63-82a45810e88a";
    let server = replying(
        200,
        json!({"status": "success", "data": {"instances": [{
            "status": "success",
            "uuid": CORPUS_UUID,
            "name": "young-monkey-uq6dxq0u",
            "output": "SGVsbG8gV29ybGQhCg==",
            "available": {"start": 0, "end": 42},
            "range": {"start": 0, "end": 42}
        }]}}),
    )
    .await;
    let batch = server
        .client()
        .get_instances_logs(vec![types::InstanceLogRequestItem {
            reference: by_uuid(CORPUS_UUID),
            offset: Some(-4096),
            limit: Some(4096),
        }])
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.target, "/v1/instances/log");
    assert_eq!(
        seen.json(),
        Some(json!([{"uuid": CORPUS_UUID, "offset": -4096, "limit": 4096}]))
    );
    let logs: Vec<&types::InstanceLogResult> = batch.oks().collect();
    assert_eq!(logs.len(), 1, "{batch:?}");
    assert_eq!(logs[0].output.as_deref(), Some(&b"Hello World!\n"[..]));
    assert_eq!(
        logs[0].range,
        Some(types::ByteRange {
            start: Some(0),
            end: Some(42)
        })
    );
}

/// `PATCH /instances` (current official description, `UpdateInstancesRequestItem`): one entry
/// per change, the instance by `uuid` or `name`, `prop`, `op` and a `value` of any JSON type;
/// each result carries the entry's `id` back.
#[tokio::test]
async fn instance_updates_send_one_change_per_entry_and_read_back_the_ids() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"instances": [
            {"status": "success", "uuid": UUID_A, "name": "nginx-1a747", "id": "mem"},
            {"status": "success", "uuid": UUID_B, "name": "my-instance"}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .update_instances(vec![
            types::InstanceUpdateRequestItem {
                reference: by_uuid(UUID_A),
                id: Some("mem".to_owned()),
                prop: types::InstanceUpdateProperty::MemoryMb,
                op: types::UpdateOperation::Set,
                value: Some(json!(512)),
            },
            types::InstanceUpdateRequestItem {
                reference: by_name("my-instance"),
                id: None,
                prop: types::InstanceUpdateProperty::Env,
                op: types::UpdateOperation::Del,
                value: Some(json!(["LOG_LEVEL"])),
            },
        ])
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "PATCH");
    assert_eq!(seen.target, "/v1/instances");
    assert_eq!(
        seen.json(),
        Some(json!([
            {"uuid": UUID_A, "id": "mem", "prop": "memory_mb", "op": "set", "value": 512},
            {"name": "my-instance", "prop": "env", "op": "del", "value": ["LOG_LEVEL"]}
        ]))
    );
    let ids: Vec<Option<&str>> = batch.oks().map(|r| r.id.as_deref()).collect();
    assert_eq!(ids, [Some("mem"), None]);
}

/// The listing parameters of the current official description: `count`, `from`, `tags` (one
/// `tags=` per tag), `order` and `sortby`; and `timeout_s` on deletions.
#[tokio::test]
async fn listings_send_paging_and_filters_and_deletions_their_timeout() {
    let empty = json!({"status": "success", "data": {"instances": [{"uuid": UUID_A}]}});
    let server = scripted(vec![Reply::json(200, &empty)]).await;
    let client = server.client();
    client
        .get_instances()
        .count(2)
        .from("2024-05-28T00:00:00Z")
        .tags(vec!["web".to_owned(), "eu".to_owned()])
        .order(types::ListOrder::Desc)
        .sortby(types::ListSortKey::CreateTime)
        .send()
        .await
        .expect("listed");
    client
        .delete_instance(uuid(UUID_A))
        .timeout_s(10)
        .send()
        .await
        .expect("deleted");
    client
        .delete_instances(vec![by_name("my-instance")])
        .timeout_s(0)
        .send()
        .await
        .expect("deleted");

    let seen = server.seen();
    assert_eq!(seen[0].path(), "/v1/instances");
    assert_eq!(
        seen[0].query(),
        [
            ("count", "2"),
            ("from", "2024-05-28T00%3A00%3A00Z"),
            ("tags", "web"),
            ("tags", "eu"),
            ("order", "desc"),
            ("sortby", "create_time"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(seen[1].method, "DELETE");
    assert_eq!(seen[1].path(), format!("/v1/instances/{UUID_A}"));
    assert_eq!(seen[1].query_value("timeout_s").as_deref(), Some("10"));
    assert_eq!(seen[2].path(), "/v1/instances");
    assert_eq!(seen[2].query_value("timeout_s").as_deref(), Some("0"));
}

/// Template instances: `POST /instances/templates` takes a plain list of references, as
/// kraftcloud/go-sdk and the newer unikraft-cloud/go-sdk send it (not the `{"ids": [...]}`
/// object of the current description); listings read the template's state, tags and lock.
#[tokio::test]
async fn template_instances_are_made_from_a_list_of_references_and_list_as_templates() {
    let server = scripted(vec![
        Reply::json(
            200,
            &json!({"status": "success", "data": {"instances": [
                {"status": "success", "uuid": UUID_A, "name": "nginx-1a747", "state": "template"}
            ]}}),
        ),
        Reply::json(
            200,
            &json!({"status": "success", "data": {"instances": [{
                "status": "success", "uuid": UUID_A, "name": "nginx-1a747", "state": "template",
                "tags": ["web"], "delete_lock": true,
                "snapshot": {"uuid": "8f3d2c1b-0a9e-4f7d-8c6b-5a4e3d2c1b0a"}
            }]}}),
        ),
    ])
    .await;
    let client = server.client();
    let created = client
        .create_instance_templates(vec![by_name("nginx-1a747")])
        .send()
        .await
        .expect("created");
    let listed = client
        .get_instance_templates()
        .tags(vec!["web".to_owned()])
        .send()
        .await
        .expect("listed");

    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].target, "/v1/instances/templates");
    assert_eq!(seen[0].json(), Some(json!([{"name": "nginx-1a747"}])));
    assert_eq!(
        created.oks().next().and_then(|r| r.state.clone()),
        Some(InstanceState::Template)
    );
    assert_eq!(seen[1].method, "GET");
    assert_eq!(seen[1].target, "/v1/instances/templates?tags=web");
    assert_eq!(seen[1].json(), None);
    let template = listed.oks().next().expect("one template");
    assert_eq!(template.tags.as_deref(), Some(&["web".to_owned()][..]));
    assert_eq!(template.delete_lock, Some(true));
}

/// `GET /instances/{uuid}/wait` sends its state and timeout in a JSON body (current official
/// description, `WaitInstanceByUUIDRequestBody`), like the global wait.
#[tokio::test]
async fn waiting_for_one_instance_sends_the_state_in_the_body() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"instances": [
            {"status": "success", "uuid": UUID_B, "name": "my-instance", "state": "stopped"}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .wait_instance(
            uuid(UUID_B),
            types::InstanceWaitRequest {
                state: Some(InstanceState::Stopped),
                timeout_ms: Some(2000),
            },
        )
        .send()
        .await
        .expect("success");

    let seen = server.only_request();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.target, format!("/v1/instances/{UUID_B}/wait"));
    assert_eq!(
        seen.json(),
        Some(json!({"state": "stopped", "timeout_ms": 2000}))
    );
    assert_eq!(batch.state, Some(InstanceState::Stopped));
}

/// `PATCH /services/{uuid}` (current official description, `UpdateServiceGroupByUUIDRequestBody`)
/// sends one change; `GET /services` takes the paging parameters; a listed service group reads
/// its `autokill` setting.
#[tokio::test]
async fn service_group_updates_send_one_change_and_listings_page() {
    let server = scripted(vec![
        Reply::json(
            200,
            &json!({"status": "success", "data": {"service_groups": [
                {"status": "success", "uuid": UUID_A, "name": "my-service", "id": "ports"}
            ]}}),
        ),
        Reply::json(
            200,
            &json!({"status": "success", "data": {"service_groups": [
                {"status": "success", "uuid": UUID_A, "name": "my-service",
                 "autokill": {"time_ms": 60000}}
            ]}}),
        ),
    ])
    .await;
    let client = server.client();
    let updated = client
        .update_service_group(
            uuid(UUID_A),
            types::ServiceGroupUpdateRequest {
                id: Some("ports".to_owned()),
                prop: types::ServiceGroupUpdateProperty::Services,
                op: types::UpdateOperation::Set,
                value: Some(
                    json!([{"port": 443, "destination_port": 8080, "handlers": ["http", "tls"]}]),
                ),
            },
        )
        .send()
        .await
        .expect("updated");
    let listed = client
        .get_service_groups()
        .count(1)
        .order(types::ListOrder::Asc)
        .send()
        .await
        .expect("listed");

    let seen = server.seen();
    assert_eq!(seen[0].method, "PATCH");
    assert_eq!(seen[0].target, format!("/v1/services/{UUID_A}"));
    assert_eq!(
        seen[0].json(),
        Some(json!({"id": "ports", "prop": "services", "op": "set",
            "value": [{"port": 443, "destination_port": 8080, "handlers": ["http", "tls"]}]}))
    );
    assert_eq!(updated.id.as_deref(), Some("ports"));
    assert_eq!(seen[1].target, "/v1/services?count=1&order=asc");
    assert_eq!(
        listed.oks().next().and_then(|g| g.autokill.clone()),
        Some(types::Autokill {
            time_ms: Some(60000),
            num_requests: None
        })
    );
}

/// `DELETE /services/{uuid}/autoscale/policies` (current official description,
/// `DeletePolicyRequest`) names the policy in a one-object body, not in the path.
#[tokio::test]
async fn deleting_a_policy_by_body_sends_its_name_as_one_object() {
    let server = replying(
        200,
        json!({"status": "success", "data": {"policies": [
            {"status": "success", "name": "scale-on-cpu"}
        ]}}),
    )
    .await;
    let batch = server
        .client()
        .delete_autoscale_policies(
            uuid(UUID_A),
            types::AutoscalePolicyDeleteRequest {
                name: name("scale-on-cpu"),
            },
        )
        .send()
        .await
        .expect("deleted");

    let seen = server.only_request();
    assert_eq!(seen.method, "DELETE");
    assert_eq!(
        seen.target,
        format!("/v1/services/{UUID_A}/autoscale/policies")
    );
    assert_eq!(seen.json(), Some(json!({"name": "scale-on-cpu"})));
    assert_eq!(batch.oks().count(), 1);
}

/// `PATCH /certificates` (current official description, `UpdateCertificateRequest`) is one
/// object naming the certificate under `id`; the local form takes chain and key only.
#[tokio::test]
async fn certificate_updates_name_the_certificate_under_id_or_in_the_path() {
    let answer = json!({"status": "success", "data": {"certificates": [
        {"status": "success", "uuid": UUID_A, "name": "example-com-wildcard", "state": "valid"}
    ]}});
    let server = scripted(vec![Reply::json(200, &answer)]).await;
    let client = server.client();
    client
        .update_certificates(types::CertificateUpdateGlobalRequest {
            id: by_name("example-com-wildcard"),
            chain: "CHAIN".to_owned(),
            pkey: "KEY".into(),
        })
        .send()
        .await
        .expect("updated");
    let batch = client
        .update_certificate(
            uuid(UUID_A),
            types::CertificateUpdateRequest {
                chain: "CHAIN".to_owned(),
                pkey: "KEY".into(),
            },
        )
        .send()
        .await
        .expect("updated");

    let seen = server.seen();
    assert_eq!(seen[0].method, "PATCH");
    assert_eq!(seen[0].target, "/v1/certificates");
    assert_eq!(
        seen[0].json(),
        Some(json!({"id": {"name": "example-com-wildcard"}, "chain": "CHAIN", "pkey": "KEY"}))
    );
    assert_eq!(seen[1].method, "PATCH");
    assert_eq!(seen[1].target, format!("/v1/certificates/{UUID_A}"));
    assert_eq!(
        seen[1].json(),
        Some(json!({"chain": "CHAIN", "pkey": "KEY"}))
    );
    assert_eq!(batch.state, Some(types::CertificateState::Valid));
}

/// Volume clones (current official description, `CloneVolumesRequestItem`): each entry names
/// its source by `uuid` or `name` and may name the copy `vol_name`; the answer reads the new
/// volume under `data.volumes`. Template volumes list with their new properties.
#[tokio::test]
async fn volume_clones_name_source_and_copy_and_templates_list_their_properties() {
    let server = scripted(vec![
        Reply::json(
            200,
            &json!({"status": "success", "data": {"volumes": [
                {"status": "success", "uuid": UUID_B, "name": "my-data-copy", "state": "initializing"}
            ]}}),
        ),
        Reply::json(
            200,
            &json!({"status": "success", "data": {"volumes": [{
                "status": "success", "uuid": UUID_A, "name": "data-template", "state": "template",
                "size_mb": 64, "free_mb": 52, "quota_policy": "dynamic", "tags": ["base"],
                "delete_lock": true
            }]}}),
        ),
    ])
    .await;
    let client = server.client();
    let cloned = client
        .clone_volumes(vec![types::VolumeCloneRequestItem {
            reference: by_name("data-template"),
            vol_name: Some(name("my-data-copy")),
            quota_policy: Some(types::VolumeQuotaPolicy::Static),
            tags: None,
        }])
        .send()
        .await
        .expect("cloned");
    let templates = client.get_volume_templates().send().await.expect("listed");

    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].target, "/v1/volumes/clone");
    assert_eq!(
        seen[0].json(),
        Some(
            json!([{"name": "data-template", "vol_name": "my-data-copy", "quota_policy": "static"}])
        )
    );
    let copy = cloned.oks().next().expect("one copy");
    assert_eq!(copy.uuid, Some(uuid(UUID_B)));
    assert_eq!(seen[1].target, "/v1/volumes/templates");
    let template = templates.oks().next().expect("one template");
    assert_eq!(template.state, Some(types::VolumeState::Template));
    assert_eq!(template.free_mb, Some(52));
    assert_eq!(
        template.quota_policy,
        Some(types::VolumeQuotaPolicy::Dynamic)
    );
    assert_eq!(template.delete_lock, Some(true));
}

/// `POST /users` answers `data.results` entries of `uuid` and `added` (current official
/// description, `DataResult`), without a per-entry status, and a 409 when a user exists.
#[tokio::test]
async fn adding_users_reads_the_added_flags_and_a_conflict() {
    let server = scripted(vec![
        Reply::json(
            200,
            &json!({"status": "success", "data": {"results": [{"uuid": UUID_A, "added": true}]}}),
        ),
        Reply::json(
            409,
            &json!({"status": "error", "message": "User already exists", "errors": [{"status": 409}]}),
        ),
    ])
    .await;
    let client = server.client();
    let request = types::UserAddRequest {
        users: vec![types::UserAccount {
            uuid: uuid(UUID_A),
            name: "alice".to_owned(),
            auth_token: vec!["token".into()],
            permissions: Some(vec![types::UserPermission::Developer]),
            uid: None,
            disabled: None,
        }],
    };
    let added = client
        .add_users()
        .body(request.clone())
        .send()
        .await
        .expect("added");
    let (status, error) = batch_error(client.add_users().body(request).send().await);

    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].target, "/v1/users");
    assert_eq!(
        seen[0].json(),
        Some(
            json!({"users": [{"uuid": UUID_A, "name": "alice", "auth_token": ["token"],
            "permissions": ["developer"]}]})
        )
    );
    assert_eq!(added.oks().next().and_then(|r| r.added), Some(true));
    assert_eq!(status, 409);
    assert_eq!(error.message.as_deref(), Some("User already exists"));
}

/// `GET /healthz` (current official description, `Healthz`): the envelope's `data` is a map of
/// service states, not a list of objects, so the client returns the whole body.
#[tokio::test]
async fn the_health_check_reads_the_state_of_each_service() {
    let server = replying(
        200,
        json!({"status": "success", "op_time_us": 875,
            "data": {"services": {"controller": "ok", "scheduler": "degraded"}}}),
    )
    .await;
    let health = server.client().get_health().send().await.expect("answered");

    let seen = server.only_request();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.target, "/v1/healthz");
    assert_eq!(health.status, types::ResponseStatus::Success);
    let services = health
        .data
        .and_then(|data| data.services)
        .expect("the services");
    assert_eq!(
        services.get("scheduler").map(String::as_str),
        Some("degraded")
    );
    assert_eq!(services.len(), 2);
}

/// The current official description's host (`api.<metro>.unikraft.cloud`, metros without a
/// number) is documented as a second server; the client keeps the seed's host as its default.
#[test]
fn the_current_host_is_a_second_server_and_the_default_stays() {
    let spec = load_spec();
    assert_eq!(
        spec.pointer("/servers/1/url").and_then(Value::as_str),
        Some("https://api.{metro}.unikraft.cloud/v1")
    );
    assert_eq!(
        spec.pointer("/servers/1/variables/metro/enum"),
        Some(&json!(["fra", "dal", "sin", "was", "sfo"]))
    );
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.fra0.kraft.cloud/v1");
}
