//! The generated UpCloud client (`cloudapi::upcloud`) against a small scripted HTTP/1.1 server on
//! loopback: every response and request example of `specs/upcloud.yaml` through the client and the
//! types, typed per-operation error codes, the server state waiter, authentication, label filters,
//! and both UpCloud specs against a real OpenAPI linter.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use cloudapi::runtime::{Error, RetryPolicy, WaitError, WaitPolicy};
use cloudapi::upcloud::{
    types, Client, CreateServerError, ErrorCode, GetServerError, StartServerError, StopServerError,
};
use cloudgen_tests::loopback::{Reply, Server};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// The test server

/// UpCloud's API version prefix.
const PREFIX: &str = "/1.3";

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

const TOKEN: &str = "ucat_01TESTTOKEN7d1e";
const SERVER_UUID: &str = "00798b85-efdc-41ca-8021-f6ef457b8531";
const GROUP_UUID: &str = "0b3d85b4-b3be-46ca-a1e2-3b5d30d60ab0";

fn server_uuid() -> types::ServerUuid {
    types::ServerUuid(SERVER_UUID.parse().expect("a valid UUID"))
}

fn group_uuid() -> types::ServerGroupUuid {
    types::ServerGroupUuid(GROUP_UUID.parse().expect("a valid UUID"))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn load_spec() -> Value {
    let path = workspace_root().join("specs").join("upcloud.yaml");
    let text = std::fs::read_to_string(&path).expect("read specs/upcloud.yaml");
    serde_yaml::from_str(&text).expect("specs/upcloud.yaml is YAML")
}

/// An UpCloud error body.
fn error_body(code: &str, message: &str) -> Value {
    json!({ "error": { "error_code": code, "error_message": message } })
}

/// A server details envelope in the given state, as getServer returns it.
fn server_in_state(state: &str) -> Value {
    json!({
        "server": {
            "uuid": SERVER_UUID,
            "title": "web1",
            "hostname": "web1.example.com",
            "state": state,
            "zone": "fi-hel1",
            "core_number": "1",
            "memory_amount": "1024"
        }
    })
}

/// Follows a local `$ref` (`#/components/...`) if `value` is one.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local $refs are expected, found {reference}"));
            spec.pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"))
        }
        None => value,
    }
}

/// The examples of a media type object: `example`, or each `examples.<name>.value`.
fn media_examples(media: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(example) = media.get("example") {
        out.push(("example".to_owned(), example.clone()));
    }
    if let Some(named) = media.get("examples").and_then(Value::as_object) {
        for (name, example) in named {
            let value = example
                .get("value")
                .unwrap_or_else(|| panic!("example {name} has no inline value"));
            out.push((name.clone(), value.clone()));
        }
    }
    out
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Path prefixes whose operations tests/tests/upcloud_network.rs checks.
const NETWORK_TEST_PATHS: [&str; 7] = [
    "/ip_address",
    "/network",
    "/router",
    "/tag",
    "/host",
    "/price",
    "/account/",
];

/// A JSON example of one operation, from the spec.
#[derive(Clone, Debug)]
struct Example {
    operation: String,
    method: String,
    path: String,
    /// The response status, for response examples.
    status: u16,
    name: String,
    value: Value,
    /// The response's `x-cloudgen-unwrap` pointer, if any.
    unwrap: Option<String>,
}

/// Every JSON example of the spec's responses (`requests == false`) or request bodies.
fn examples(spec: &Value, requests: bool) -> Vec<Example> {
    let mut out = Vec::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        // IP addresses, networks, routers, tags, hosts, prices and the account sub-resources have
        // their example checks in tests/tests/upcloud_network.rs.
        if NETWORK_TEST_PATHS.iter().any(|p| path.starts_with(p)) {
            continue;
        }
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .expect("every operation has an operationId");
            let mut push = |status: u16, media: &Value, unwrap: Option<String>| {
                for (name, value) in media_examples(media) {
                    out.push(Example {
                        operation: id.to_owned(),
                        method: method.to_ascii_uppercase(),
                        path: path.clone(),
                        status,
                        name,
                        value,
                        unwrap: unwrap.clone(),
                    });
                }
            };
            if requests {
                if let Some(body) = operation.get("requestBody") {
                    let body = resolve(spec, body);
                    if let Some(media) = body.pointer("/content/application~1json") {
                        push(0, media, None);
                    }
                }
            } else {
                let responses = operation["responses"].as_object().expect("responses");
                for (status, response) in responses {
                    let status: u16 = status
                        .parse()
                        .unwrap_or_else(|_| panic!("{id}: status {status} is not a number"));
                    let response = resolve(spec, response);
                    let unwrap = response
                        .get("x-cloudgen-unwrap")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    if let Some(media) = response.pointer("/content/application~1json") {
                        push(status, media, unwrap);
                    }
                }
            }
        }
    }
    out
}

/// The examples of `specs/upcloud.yaml` that this file checks: those of the operations named in
/// [`RESPONSE_EXAMPLES`] and [`REQUEST_EXAMPLES`]. The examples of operations added since are
/// checked the same way by their own test files (`upcloud_storage.rs`: storages, and a server's
/// storage devices, firewall rules, network interfaces, zone and tags).
fn upcloud_examples(spec: &Value, requests: bool) -> Vec<Example> {
    examples(spec, requests)
        .into_iter()
        .filter(|e| {
            RESPONSE_EXAMPLES.iter().any(|(op, _)| *op == e.operation)
                || REQUEST_EXAMPLES.iter().any(|(op, _)| *op == e.operation)
        })
        .collect()
}

/// What came of calling an operation.
#[derive(Debug)]
enum Outcome {
    /// A success, decoded into its type and serialized back.
    Decoded(Value),
    /// An API error whose body decoded into the operation's typed error.
    TypedError(u16),
    /// Anything else (transport failure, decode error, undocumented status, ...).
    Failed(String),
}

fn outcome<T: Serialize, E: std::fmt::Debug>(result: Result<T, Error<E>>) -> Outcome {
    match result {
        Ok(value) => Outcome::Decoded(serde_json::to_value(&value).expect("serialize result")),
        Err(error) => match error.api() {
            Some(api) if api.error().is_some() => Outcome::TypedError(api.status().as_u16()),
            _ => Outcome::Failed(format!("{error:?}")),
        },
    }
}

/// A request body of type `T` from a spec example.
fn body<T: DeserializeOwned>(operation: &str, example: Option<&Value>) -> T {
    let example = example.unwrap_or_else(|| panic!("{operation} needs a request body example"));
    serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("{operation}: the request example does not decode: {e}"))
}

/// Calls `operation` through the client with valid required inputs (`request` is the body, where
/// the operation takes one).
async fn call(client: &Client, operation: &str, request: Option<&Value>) -> Outcome {
    match operation {
        "listServerConfigurations" => outcome(client.list_server_configurations().send().await),
        "listServers" => outcome(client.list_servers().send().await),
        "createServer" => outcome(
            client
                .create_server(body::<types::CreateServerRequest>(operation, request))
                .send()
                .await,
        ),
        "getServer" => outcome(client.get_server(server_uuid()).send().await),
        "modifyServer" => outcome(
            client
                .modify_server(
                    server_uuid(),
                    body::<types::ModifyServerRequest>(operation, request),
                )
                .send()
                .await,
        ),
        "startServer" => outcome(
            client
                .start_server(server_uuid())
                .body(body::<types::StartServerRequest>(operation, request))
                .send()
                .await,
        ),
        "stopServer" => outcome(
            client
                .stop_server(
                    server_uuid(),
                    body::<types::StopServerRequest>(operation, request),
                )
                .send()
                .await,
        ),
        "restartServer" => outcome(
            client
                .restart_server(
                    server_uuid(),
                    body::<types::RestartServerRequest>(operation, request),
                )
                .send()
                .await,
        ),
        "listServerGroups" => outcome(client.list_server_groups().send().await),
        "getServerGroup" => outcome(client.get_server_group(group_uuid()).send().await),
        "listServerGroupServers" => {
            outcome(client.list_server_group_servers(group_uuid()).send().await)
        }
        "getAccount" => outcome(client.get_account().send().await),
        "listStorageTemplates" => outcome(client.list_storage_templates().send().await),
        "listStorageCdroms" => outcome(client.list_storage_cdroms().send().await),
        "listZones" => outcome(client.list_zones().send().await),
        "listZoneVlans" => outcome(
            client
                .list_zone_vlans(types::ZoneId("fi-hel2".to_owned()))
                .send()
                .await,
        ),
        "getServerSizeLimits" => outcome(client.get_server_size_limits().send().await),
        "listPlans" => outcome(client.list_plans().send().await),
        "listTimezones" => outcome(client.list_timezones().send().await),
        other => panic!(
            "the spec has a response example for {other}, which this test cannot call yet: add it \
             to `call`"
        ),
    }
}

/// Decodes `value` as `T` and encodes it again.
fn through<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// A request example decoded into the operation's body type and encoded again.
fn request_round_trip(operation: &str, value: &Value) -> Result<Value, String> {
    match operation {
        "createServer" => through::<types::CreateServerRequest>(value),
        "modifyServer" => through::<types::ModifyServerRequest>(value),
        "startServer" => through::<types::StartServerRequest>(value),
        "stopServer" => through::<types::StopServerRequest>(value),
        "restartServer" => through::<types::RestartServerRequest>(value),
        "createServerGroup" => through::<types::CreateServerGroupRequest>(value),
        "modifyServerGroup" => through::<types::ModifyServerGroupRequest>(value),
        "addServerToServerGroup" => through::<types::AddServerToServerGroupRequest>(value),
        other => panic!(
            "the spec has a request example for {other}, which this test does not know the body \
             type of: add it to `request_round_trip`"
        ),
    }
}

/// JSON pointers (under `at`) where `actual` differs from `expected`: missing or extra keys, and
/// different values. A `null` counts as an absent key; numbers compare by value (`0` == `0.0`).
fn differences(expected: &Value, actual: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let keys: BTreeSet<&String> = e.keys().chain(a.keys()).collect();
            for key in keys {
                let here = format!("{at}/{key}");
                match (e.get(key), a.get(key)) {
                    (Some(x), Some(y)) => differences(x, y, &here, out),
                    (Some(Value::Null), None) | (None, Some(Value::Null)) => {}
                    (Some(x), None) => out.push(format!("{here}: lost (was {x})")),
                    (None, Some(y)) => out.push(format!("{here}: added ({y})")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (index, (x, y)) in e.iter().zip(a).enumerate() {
                differences(x, y, &format!("{at}/{index}"), out);
            }
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        (x, y) if x == y => {}
        (x, y) => out.push(format!("{at}: {x} became {y}")),
    }
}

/// The typed error of a failed call: its status and decoded body, or a panic saying what else
/// happened.
fn api_error<T: std::fmt::Debug, E: std::fmt::Debug + Clone>(
    result: Result<T, Error<E>>,
) -> (u16, E) {
    match result {
        Ok(value) => panic!("expected an API error, got {value:?}"),
        Err(error) => {
            let api = error
                .api()
                .unwrap_or_else(|| panic!("expected an API error, got {error:?}"));
            let typed = api
                .error()
                .unwrap_or_else(|| panic!("expected a decoded typed error, got {error:?}"))
                .clone();
            (api.status().as_u16(), typed)
        }
    }
}

fn stop_body() -> types::StopServerRequest {
    serde_json::from_value(json!({ "stop_server": { "stop_type": "soft", "timeout": "60" } }))
        .expect("a stop request")
}

fn create_body() -> types::CreateServerRequest {
    let spec = load_spec();
    let example = spec
        .pointer(
            "/paths/~1server/post/requestBody/content/application~1json/examples/fromTemplate/value",
        )
        .expect("the fromTemplate example");
    serde_json::from_value(example.clone()).expect("the fromTemplate example decodes")
}

// ---------------------------------------------------------------------------------------------
// Response examples

/// The operations whose responses the spec gives JSON examples for (all from seed 001), with the
/// number of examples each; a dropped example makes the tests below fail.
const RESPONSE_EXAMPLES: [(&str, usize); 19] = [
    ("listServerConfigurations", 1),
    ("getServerSizeLimits", 1),
    ("listServers", 1),
    ("createServer", 1),
    ("getServer", 1),
    ("modifyServer", 1),
    ("startServer", 1),
    ("stopServer", 1),
    ("restartServer", 1),
    ("listServerGroups", 1),
    ("getServerGroup", 1),
    ("listServerGroupServers", 1),
    ("getAccount", 1),
    ("listStorageTemplates", 1),
    ("listStorageCdroms", 1),
    ("listZones", 1),
    ("listZoneVlans", 1),
    ("listPlans", 1),
    ("listTimezones", 1),
];

#[test]
fn spec_has_a_json_response_example_for_each_listed_operation_and_no_others() {
    let spec = load_spec();
    let found = upcloud_examples(&spec, false);
    let mut counts: Vec<(String, usize)> = Vec::new();
    for example in &found {
        match counts.iter_mut().find(|(op, _)| *op == example.operation) {
            Some((_, n)) => *n += 1,
            None => counts.push((example.operation.clone(), 1)),
        }
    }
    let expected: Vec<(String, usize)> = RESPONSE_EXAMPLES
        .iter()
        .map(|(op, n)| ((*op).to_owned(), *n))
        .collect();
    assert_eq!(counts, expected);
    assert_eq!(found.len(), 19, "response examples in specs/upcloud.yaml");
}

#[tokio::test]
async fn every_response_example_decodes_through_its_operation() {
    let spec = load_spec();
    let responses = upcloud_examples(&spec, false);
    let requests = upcloud_examples(&spec, true);
    let mut called = 0usize;
    let mut failures = Vec::new();
    for example in &responses {
        let server = replying(example.status, example.value.clone()).await;
        let request = requests
            .iter()
            .find(|r| r.operation == example.operation)
            .map(|r| &r.value);
        let outcome = call(&server.client(), &example.operation, request).await;
        called += 1;
        let seen = server.only_request();
        assert_eq!(seen.method, example.method, "{}", example.operation);
        let uuid = if example.path.starts_with("/server-group") {
            GROUP_UUID
        } else {
            SERVER_UUID
        };
        let expected_path = format!(
            "/1.3{}",
            example
                .path
                .replace("{uuid}", uuid)
                .replace("{zone}", "fi-hel2")
        );
        assert_eq!(seen.target, expected_path, "{}", example.operation);
        match (example.status, outcome) {
            (200..=299, Outcome::Decoded(_)) => {}
            (400..=499, Outcome::TypedError(status)) if status == example.status => {}
            (status, Outcome::Failed(why)) => failures.push(format!(
                "{} ({status} example {}) failed: {why}",
                example.operation, example.name
            )),
            (status, other) => failures.push(format!(
                "{} ({status} example {}) gave {other:?}",
                example.operation, example.name
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(called, 19, "operations called with their response example");
}

#[tokio::test]
async fn every_request_body_the_client_sends_equals_the_spec_example() {
    let spec = load_spec();
    let responses = upcloud_examples(&spec, false);
    let requests = upcloud_examples(&spec, true);
    let mut checked = 0usize;
    for example in &responses {
        let Some(request) = requests.iter().find(|r| r.operation == example.operation) else {
            continue;
        };
        let server = replying(example.status, example.value.clone()).await;
        let _ = call(&server.client(), &example.operation, Some(&request.value)).await;
        let seen = server.only_request();
        assert_eq!(
            seen.json().as_ref(),
            Some(&request.value),
            "{}: the body on the wire differs from the example",
            example.operation
        );
        assert_eq!(
            seen.header("content-type"),
            Some("application/json"),
            "{}",
            example.operation
        );
        checked += 1;
    }
    // createServer, modifyServer, startServer, stopServer, restartServer.
    assert_eq!(checked, 5);
}

/// Typos in the seed's examples (UpCloud's documentation) for `plan_ipv4_bytes` and
/// `part_of_plan`. They are not fields of the API, so the spec's examples use the real names.
const SEED_TYPOS: [&str; 2] = ["plan_ivp4_bytes", "plart_of_plan"];

#[test]
fn spec_examples_use_the_real_field_names_not_the_seed_typos() {
    let text = std::fs::read_to_string(workspace_root().join("specs").join("upcloud.yaml"))
        .expect("read specs/upcloud.yaml");
    for typo in SEED_TYPOS {
        assert!(
            !text.contains(typo),
            "specs/upcloud.yaml still has the seed's typo `{typo}`"
        );
    }
}

#[tokio::test]
async fn response_examples_lose_no_declared_field_when_decoded() {
    let spec = load_spec();
    let responses = upcloud_examples(&spec, false);
    let requests = upcloud_examples(&spec, true);
    let mut problems = Vec::new();
    for example in responses.iter().filter(|e| (200..300).contains(&e.status)) {
        let server = replying(example.status, example.value.clone()).await;
        let request = requests
            .iter()
            .find(|r| r.operation == example.operation)
            .map(|r| &r.value);
        let Outcome::Decoded(decoded) = call(&server.client(), &example.operation, request).await
        else {
            panic!("{} did not decode its example", example.operation);
        };
        let pointer = example.unwrap.as_deref().unwrap_or("");
        let expected = example
            .value
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{}: nothing at {pointer}", example.operation));
        let mut found = Vec::new();
        differences(expected, &decoded, "", &mut found);
        problems.extend(
            found
                .into_iter()
                .map(|d| format!("{}: {d}", example.operation)),
        );
    }
    assert!(
        problems.is_empty(),
        "decoding and re-encoding changed these response fields:\n{}",
        problems.join("\n")
    );
}

/// Decodes the items of a wrapped list (`{"<key>": [...]}`) as `T` and encodes them again,
/// reporting what changed.
fn items_through<T: DeserializeOwned + Serialize>(items: &Value, at: &str, out: &mut Vec<String>) {
    match through::<Vec<T>>(items) {
        Ok(back) => differences(items, &back, at, out),
        Err(e) => out.push(format!("{at}: does not decode: {e}")),
    }
}

/// Walks an example and decodes the items of every nested wrapped list into the item type the
/// spec gives it, checking that nothing changes on the way back.
fn check_wrapped_lists(value: &Value, request: bool, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}/{key}");
                let wrapped = child
                    .as_object()
                    .filter(|o| o.len() == 1)
                    .and_then(|o| o.iter().next())
                    .filter(|(_, items)| items.is_array());
                if let Some((inner, items)) = wrapped {
                    let in_interface = at.contains("/interface/");
                    let items_at = format!("{here}/{inner}");
                    match (key.as_str(), inner.as_str(), request) {
                        ("labels", "label", _) => {
                            items_through::<types::Label>(items, &items_at, out)
                        }
                        ("tags", "tag", false) | ("ssh_keys", "ssh_key", true) => {
                            items_through::<String>(items, &items_at, out);
                        }
                        ("servers", "server", _) => {
                            items_through::<types::ServerUuid>(items, &items_at, out);
                        }
                        ("storage_devices", "storage_device", false) => {
                            items_through::<types::ServerStorageDevice>(items, &items_at, out);
                        }
                        ("storage_devices", "storage_device", true) => {
                            items_through::<types::CreateServerStorageDevice>(
                                items, &items_at, out,
                            );
                        }
                        ("interfaces", "interface", false) => {
                            items_through::<types::ServerInterface>(items, &items_at, out);
                        }
                        ("interfaces", "interface", true) => {
                            items_through::<types::CreateServerInterface>(items, &items_at, out);
                        }
                        ("ip_addresses", "ip_address", false) if in_interface => {
                            items_through::<types::InterfaceIpAddress>(items, &items_at, out);
                        }
                        ("ip_addresses", "ip_address", false) => {
                            items_through::<types::ServerIpAddress>(items, &items_at, out);
                        }
                        ("ip_addresses", "ip_address", true) => {
                            items_through::<types::CreateServerIpAddress>(items, &items_at, out);
                        }
                        _ => out.push(format!("{here}: a wrapped list this test does not know")),
                    }
                }
                check_wrapped_lists(child, request, &here, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_wrapped_lists(item, request, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn nested_wrapped_lists_in_response_examples_decode_into_their_item_types() {
    let spec = load_spec();
    let mut problems = Vec::new();
    let mut lists = 0usize;
    for example in upcloud_examples(&spec, false) {
        let pointer = example.unwrap.as_deref().unwrap_or("");
        let body = example.value.pointer(pointer).expect("the unwrapped value");
        let mut found = Vec::new();
        check_wrapped_lists(body, false, "", &mut found);
        lists += count_wrapped_lists(body);
        problems.extend(
            found
                .into_iter()
                .map(|p| format!("{}: {p}", example.operation)),
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(lists >= 30, "only {lists} nested wrapped lists found");
}

#[test]
fn nested_wrapped_lists_in_request_examples_decode_into_their_item_types() {
    let spec = load_spec();
    let mut problems = Vec::new();
    for example in upcloud_examples(&spec, true) {
        let mut found = Vec::new();
        check_wrapped_lists(&example.value, true, "", &mut found);
        problems.extend(
            found
                .into_iter()
                .map(|p| format!("{} {}: {p}", example.operation, example.name)),
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// How many wrapped lists (objects with one array property) `value` holds.
fn count_wrapped_lists(value: &Value) -> usize {
    match value {
        Value::Object(map) => {
            let here = usize::from(map.len() == 1 && map.values().all(Value::is_array));
            here + map.values().map(count_wrapped_lists).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(count_wrapped_lists).sum(),
        _ => 0,
    }
}

#[tokio::test]
async fn metadata_service_example_decodes_through_the_metadata_client_losing_nothing() {
    let path = workspace_root().join("specs").join("upcloud_metadata.yaml");
    let text = std::fs::read_to_string(&path).expect("read specs/upcloud_metadata.yaml");
    let spec: Value = serde_yaml::from_str(&text).expect("YAML");
    let found = examples(&spec, false);
    let json_examples: Vec<&Example> = found.iter().collect();
    assert_eq!(
        json_examples.len(),
        1,
        "the metadata spec has one JSON example"
    );
    let example = json_examples[0];
    assert_eq!(example.operation, "getMetadata");

    let server = replying(200, example.value.clone()).await;
    let base = server.base_url.trim_end_matches("/1.3").to_owned();
    let client = cloudapi::upcloud_metadata::Client::new(base).expect("client");
    let metadata = client.get_metadata().send().await.expect("decodes");
    assert_eq!(server.only_request().target, "/metadata/v1.json");
    let back = serde_json::to_value(&metadata).expect("encode");
    let mut lost = Vec::new();
    differences(&example.value, &back, "", &mut lost);
    assert!(lost.is_empty(), "{lost:#?}");
}

// ---------------------------------------------------------------------------------------------
// Request examples

/// The request examples of the spec, by operation and example name.
const REQUEST_EXAMPLES: [(&str, &str); 10] = [
    ("createServer", "fromTemplate"),
    ("createServer", "byCloning"),
    ("createServer", "fromScratch"),
    ("modifyServer", "example"),
    ("startServer", "example"),
    ("stopServer", "example"),
    ("restartServer", "example"),
    ("createServerGroup", "example"),
    ("modifyServerGroup", "example"),
    ("addServerToServerGroup", "example"),
];

#[test]
fn spec_has_each_listed_request_example_and_no_others() {
    let spec = load_spec();
    let found: Vec<(String, String)> = upcloud_examples(&spec, true)
        .into_iter()
        .map(|e| (e.operation, e.name))
        .collect();
    let expected: Vec<(String, String)> = REQUEST_EXAMPLES
        .iter()
        .map(|(op, name)| ((*op).to_owned(), (*name).to_owned()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn every_request_example_round_trips_through_its_body_type_to_the_same_json() {
    let spec = load_spec();
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for example in upcloud_examples(&spec, true) {
        match request_round_trip(&example.operation, &example.value) {
            Ok(back) if back == example.value => {}
            Ok(back) => {
                let mut found = Vec::new();
                differences(&example.value, &back, "", &mut found);
                failures.push(format!("{} {}: {found:?}", example.operation, example.name));
            }
            Err(e) => failures.push(format!(
                "{} {}: does not decode: {e}",
                example.operation, example.name
            )),
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, REQUEST_EXAMPLES.len());
}

fn create_server_example(name: &str) -> Value {
    load_spec()
        .pointer(&format!(
            "/paths/~1server/post/requestBody/content/application~1json/examples/{name}/value"
        ))
        .unwrap_or_else(|| panic!("the createServer example {name}"))
        .clone()
}

/// The storage devices of a create-server example as typed values.
fn storage_devices(example: &Value) -> Vec<types::CreateServerStorageDevice> {
    let request: types::CreateServerRequest =
        serde_json::from_value(example.clone()).expect("the example decodes");
    // `{"storage_device": [...]}` on the wire is a plain `Vec` in Rust.
    request.server.storage_devices
}

#[test]
fn create_server_from_a_template_clones_the_template_storage_and_keeps_its_labels_and_keys() {
    let example = create_server_example("fromTemplate");
    let request: types::CreateServerRequest =
        serde_json::from_value(example.clone()).expect("the example decodes");
    assert_eq!(request.server.plan.as_deref(), Some("2xCPU-4GB"));
    let devices = storage_devices(&example);
    let [types::CreateServerStorageDevice::StorageDeviceClone(clone)] = devices.as_slice() else {
        panic!("one clone device expected, got {devices:?}");
    };
    assert_eq!(
        clone.storage.0.to_string(),
        "01000000-0000-4000-8000-000020030100"
    );
    assert_eq!(
        clone.labels.as_deref(),
        Some(
            &[types::Label {
                key: "foo".to_owned(),
                value: "bar".to_owned()
            }][..]
        )
    );
    assert_eq!(
        serde_json::to_value(&request).expect("encode"),
        example,
        "no field lost"
    );
}

#[test]
fn create_server_by_cloning_reads_string_numbers_as_integers_and_writes_them_back_as_strings() {
    let example = create_server_example("byCloning");
    let request: types::CreateServerRequest =
        serde_json::from_value(example.clone()).expect("the example decodes");
    assert_eq!(request.server.core_number, Some(4));
    assert_eq!(request.server.memory_amount, Some(8192));
    let devices = storage_devices(&example);
    assert!(
        matches!(
            devices.as_slice(),
            [types::CreateServerStorageDevice::StorageDeviceClone(_)]
        ),
        "{devices:?}"
    );
    let back = serde_json::to_value(&request).expect("encode");
    assert_eq!(back["server"]["core_number"], json!("4"));
    assert_eq!(back["server"]["memory_amount"], json!("8192"));
    assert_eq!(back, example, "no field lost");
}

#[test]
fn create_server_from_scratch_creates_an_empty_disk_and_attaches_the_installation_cdrom() {
    let example = create_server_example("fromScratch");
    let request: types::CreateServerRequest =
        serde_json::from_value(example.clone()).expect("the example decodes");
    assert_eq!(
        request.server.avoid_host,
        Some(types::HostId(7_653_311_107))
    );
    let devices = storage_devices(&example);
    assert!(
        matches!(
            devices.as_slice(),
            [
                types::CreateServerStorageDevice::StorageDeviceCreate(_),
                types::CreateServerStorageDevice::StorageDeviceAttach(_)
            ]
        ),
        "{devices:?}"
    );
    assert_eq!(
        serde_json::to_value(&request).expect("encode"),
        example,
        "no field lost"
    );
}

#[test]
fn yes_no_fields_read_as_bool_and_write_back_as_yes_or_no() {
    let interface = json!({
        "type": "private",
        "network": "03b5b0a0-ad4c-4817-9632-dafdb3ace5d9",
        "ip_addresses": { "ip_address": [ { "family": "IPv4", "dhcp_provided": "yes" } ] },
        "source_ip_filtering": "no",
        "bootable": "yes"
    });
    let typed: types::CreateServerInterface =
        serde_json::from_value(interface.clone()).expect("decodes");
    assert_eq!(typed.source_ip_filtering, Some(false));
    assert_eq!(typed.bootable, Some(true));
    assert_eq!(serde_json::to_value(&typed).expect("encode"), interface);
}

// ---------------------------------------------------------------------------------------------
// Typed error codes

#[tokio::test]
async fn start_server_404_server_not_found_decodes_to_its_code() {
    let server = replying(
        404,
        error_body("SERVER_NOT_FOUND", "The server 00798b85 does not exist."),
    )
    .await;
    let result = server.client().start_server(server_uuid()).send().await;
    let (status, error) = api_error(result);
    assert_eq!(status, 404);
    assert_eq!(error.code(), Some(ErrorCode::ServerNotFound));
    let StartServerError::NotFound(body) = &error else {
        panic!("expected the NotFound variant, got {error:?}");
    };
    assert_eq!(
        body.error.error_message,
        "The server 00798b85 does not exist."
    );
}

#[tokio::test]
async fn stop_server_409_server_state_illegal_decodes_to_its_code() {
    let server = replying(
        409,
        error_body(
            "SERVER_STATE_ILLEGAL",
            "The server is in a state in which it cannot be used.",
        ),
    )
    .await;
    let result = server
        .client()
        .stop_server(server_uuid(), stop_body())
        .send()
        .await;
    let (status, error) = api_error(result);
    assert_eq!(status, 409);
    assert!(matches!(error, StopServerError::Conflict(_)), "{error:?}");
    assert_eq!(error.code(), Some(ErrorCode::ServerStateIllegal));
}

#[tokio::test]
async fn create_server_402_insufficient_credits_decodes_to_its_code() {
    let server = replying(
        402,
        error_body("INSUFFICIENT_CREDITS", "There are not enough credits."),
    )
    .await;
    let result = server.client().create_server(create_body()).send().await;
    let (status, error) = api_error(result);
    assert_eq!(status, 402);
    assert!(
        matches!(error, CreateServerError::PaymentRequired(_)),
        "{error:?}"
    );
    assert_eq!(error.code(), Some(ErrorCode::InsufficientCredits));
}

#[tokio::test]
async fn create_server_400_core_memory_unsupported_decodes_to_its_code() {
    let server = replying(
        400,
        error_body(
            "CORE_MEMORY_UNSUPPORTED",
            "The combination of core_number and memory_amount is not supported.",
        ),
    )
    .await;
    let result = server.client().create_server(create_body()).send().await;
    let (_, error) = api_error(result);
    assert!(
        matches!(error, CreateServerError::BadRequest(_)),
        "{error:?}"
    );
    assert_eq!(error.code(), Some(ErrorCode::CoreMemoryUnsupported));
}

#[tokio::test]
async fn create_server_409_code_with_a_hyphen_decodes_to_its_code() {
    let server = replying(
        409,
        error_body(
            "METADATA_DISABLED_ON_CLOUD-INIT",
            "Metadata cannot be disabled when creating a server from a cloud-init template.",
        ),
    )
    .await;
    let result = server.client().create_server(create_body()).send().await;
    let (_, error) = api_error(result);
    assert_eq!(error.code(), Some(ErrorCode::MetadataDisabledOnCloudInit));
    assert_eq!(
        ErrorCode::MetadataDisabledOnCloudInit.as_str(),
        "METADATA_DISABLED_ON_CLOUD-INIT"
    );
}

#[tokio::test]
async fn get_server_group_404_group_not_found_decodes_to_its_code() {
    let server = replying(
        404,
        error_body("GROUP_NOT_FOUND", "The server group does not exist."),
    )
    .await;
    let result = server.client().get_server_group(group_uuid()).send().await;
    let (status, error) = api_error(result);
    assert_eq!(status, 404);
    assert_eq!(error.code(), Some(ErrorCode::GroupNotFound));
}

#[tokio::test]
async fn add_server_to_server_group_409_already_in_server_group_decodes_to_its_code() {
    let server = replying(
        409,
        error_body(
            "ALREADY_IN_SERVER_GROUP",
            "The server is already in server group 0b3d85b4.",
        ),
    )
    .await;
    let body: types::AddServerToServerGroupRequest =
        serde_json::from_value(json!({ "server": { "uuid": SERVER_UUID } })).expect("body");
    let result = server
        .client()
        .add_server_to_server_group(group_uuid(), body)
        .send()
        .await;
    let (_, error) = api_error(result);
    assert_eq!(error.code(), Some(ErrorCode::AlreadyInServerGroup));
}

#[tokio::test]
async fn an_unknown_error_code_decodes_to_unknown_with_the_code_kept() {
    let server = replying(
        409,
        error_body("BRAND_NEW_CODE", "Something the spec does not know yet."),
    )
    .await;
    let result = server
        .client()
        .stop_server(server_uuid(), stop_body())
        .send()
        .await;
    let (_, error) = api_error(result);
    assert_eq!(
        error.code(),
        Some(ErrorCode::Unknown("BRAND_NEW_CODE".to_owned()))
    );
}

#[tokio::test]
async fn a_code_another_operation_documents_is_named_for_this_one_too() {
    // INSUFFICIENT_CREDITS is documented for createServer and startServer, not stopServer; the
    // module has one ErrorCode, so the code the API sent is named whichever operation got it.
    let server = replying(
        409,
        error_body("INSUFFICIENT_CREDITS", "There are not enough credits."),
    )
    .await;
    let result = server
        .client()
        .stop_server(server_uuid(), stop_body())
        .send()
        .await;
    let (_, error) = api_error(result);
    assert_eq!(error.code(), Some(ErrorCode::InsufficientCredits));
}

// ---------------------------------------------------------------------------------------------
// The server state waiter

#[tokio::test]
async fn waiter_returns_once_the_server_is_started_after_three_polls() {
    let server = scripted(vec![
        Reply::json(200, &server_in_state("maintenance")),
        Reply::json(200, &server_in_state("maintenance")),
        Reply::json(200, &server_in_state("started")),
    ])
    .await;
    let policy = WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .deadline(Duration::from_secs(10));
    let details = server
        .client()
        .wait_for_server_state(server_uuid(), types::ServerState::Started, &policy)
        .await
        .expect("the server reaches started");
    assert_eq!(details.state, types::ServerState::Started);
    assert_eq!(details.uuid, server_uuid());
    let seen = server.seen();
    assert_eq!(seen.len(), 3, "polls: {seen:#?}");
    for request in &seen {
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, format!("/1.3/server/{SERVER_UUID}"));
    }
}

#[tokio::test]
async fn waiter_for_a_state_never_reached_stops_at_the_deadline() {
    let server = replying(200, server_in_state("maintenance")).await;
    let policy = WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .max_interval(Duration::from_millis(20))
        .deadline(Duration::from_millis(300));
    let started = Instant::now();
    let result = server
        .client()
        .wait_for_server_state(server_uuid(), types::ServerState::Stopped, &policy)
        .await;
    let elapsed = started.elapsed();
    match result {
        Err(WaitError::Deadline { polls, last, .. }) => {
            assert!(polls >= 2, "polled {polls} times");
            let last = last.expect("the last polled value");
            assert!(last.contains("Maintenance"), "{last}");
        }
        Err(other) => panic!("expected the deadline, got {other:?}"),
        Ok(details) => panic!("the server never stops, yet the waiter returned {details:?}"),
    }
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

#[tokio::test]
async fn waiter_passes_on_an_api_error_instead_of_polling_on() {
    let server = replying(401, error_body("AUTHENTICATION_FAILED", "No.")).await;
    let policy = WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .deadline(Duration::from_secs(5));
    let result = server
        .client()
        .wait_for_server_state(server_uuid(), types::ServerState::Started, &policy)
        .await;
    match result {
        Err(WaitError::Request(error)) => assert_eq!(error.status().map(|s| s.as_u16()), Some(401)),
        other => panic!("expected the request error, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn bearer_token_is_sent_in_the_authorization_header() {
    let server = replying(200, json!({ "zones": { "zone": [] } })).await;
    server
        .client_with(Client::builder().bearer_token(TOKEN))
        .list_zones()
        .send()
        .await
        .expect("zones");
    let seen = server.only_request();
    let expected = format!("Bearer {TOKEN}");
    assert_eq!(seen.header("authorization"), Some(expected.as_str()));
}

#[tokio::test]
async fn basic_auth_sends_the_base64_username_and_password() {
    let server = replying(200, json!({ "zones": { "zone": [] } })).await;
    server
        .client_with(Client::builder().basic_auth("api-user", "pa55:word"))
        .list_zones()
        .send()
        .await
        .expect("zones");
    let seen = server.only_request();
    let encoded = base64::engine::general_purpose::STANDARD.encode("api-user:pa55:word");
    let expected = format!("Basic {encoded}");
    assert_eq!(seen.header("authorization"), Some(expected.as_str()));
}

#[test]
fn with_basic_auth_hides_the_password_in_debug() {
    let client = Client::with_basic_auth("api-user", "hunter2-secret").expect("client");
    let debug = format!("{client:?}");
    assert!(!debug.contains("hunter2-secret"), "{debug}");
    assert_eq!(client.runtime().base_url(), Client::DEFAULT_BASE_URL);
}

#[test]
fn with_bearer_token_hides_the_token_in_debug() {
    let client = Client::with_bearer_token(TOKEN).expect("client");
    let debug = format!("{client:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert_eq!(client.runtime().base_url(), Client::DEFAULT_BASE_URL);
}

/// `UPCLOUD_TOKEN` is process-wide; the tests that change it take turns.
static ENV_LOCK: Mutex<()> = Mutex::new(());

#[test]
fn from_env_reads_the_bearer_token_from_upcloud_token() {
    let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    std::env::set_var("UPCLOUD_TOKEN", "ucat_from_env_secret_5b1");
    let client = Client::from_env();
    std::env::remove_var("UPCLOUD_TOKEN");

    let client = client.expect("a client from UPCLOUD_TOKEN");
    assert_eq!(client.runtime().base_url(), Client::DEFAULT_BASE_URL);
    let debug = format!("{client:?}");
    assert!(
        !debug.contains("ucat_from_env_secret_5b1"),
        "the token leaks through Debug: {debug}"
    );
}

#[test]
fn from_env_without_upcloud_token_fails_naming_the_variable() {
    let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    std::env::remove_var("UPCLOUD_TOKEN");
    let error = Client::from_env().expect_err("no token, no client");
    assert!(error.to_string().contains("UPCLOUD_TOKEN"), "{error}");
}

#[tokio::test]
async fn token_never_appears_in_an_api_error() {
    let server = replying(
        401,
        error_body(
            "AUTHENTICATION_FAILED",
            "Authentication failed using the given credentials.",
        ),
    )
    .await;
    let error = server
        .client()
        .get_server(server_uuid())
        .send()
        .await
        .expect_err("401");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let text = format!("{error} {error:?}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn token_never_appears_in_a_transport_error() {
    // A port that was just free: nothing listens there any more.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://{address}/1.3"))
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .map(Client::from_runtime)
        .expect("client");
    let error = client.list_servers().send().await.expect_err("no server");
    let text = format!("{error} {error:?}");
    assert!(!text.contains(TOKEN), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Label filters

#[tokio::test]
async fn list_servers_sends_each_label_filter_as_its_own_encoded_query_parameter() {
    let server = replying(200, json!({ "servers": { "server": [] } })).await;
    let servers = server
        .client()
        .list_servers()
        .label(vec!["a=b".to_owned(), "c=d".to_owned()])
        .send()
        .await
        .expect("servers");
    assert!(servers.is_empty());
    assert_eq!(
        server.only_request().target,
        "/1.3/server?label=a%3Db&label=c%3Dd"
    );
}

#[tokio::test]
async fn list_server_groups_sends_a_key_only_label_filter_as_is() {
    let server = replying(200, json!({ "server_groups": { "server_group": [] } })).await;
    server
        .client()
        .list_server_groups()
        .label(vec!["env".to_owned(), "env=prod".to_owned()])
        .send()
        .await
        .expect("groups");
    assert_eq!(
        server.only_request().target,
        "/1.3/server-group?label=env&label=env%3Dprod"
    );
}

#[tokio::test]
async fn list_servers_without_label_filters_sends_no_query() {
    let server = replying(200, json!({ "servers": { "server": [] } })).await;
    server
        .client()
        .list_servers()
        .send()
        .await
        .expect("servers");
    assert_eq!(server.only_request().target, "/1.3/server");
}

// ---------------------------------------------------------------------------------------------
// The specs against a real OpenAPI linter

const REDOCLY: &str = "@redocly/cli@2.77.0";

/// Runs the pinned Redocly linter on `spec` and asserts it reports zero errors.
fn assert_lints_clean(spec: &str) {
    let output = Command::new("npx")
        .args(["--yes", REDOCLY, "lint", spec, "--format=json"])
        .current_dir(workspace_root())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "could not run `npx` ({e}). This test needs Node.js 20 or newer with npm \
                 (which provides npx): install it from https://nodejs.org/en/download or with \
                 your package manager (for example `apt-get install nodejs npm`), then run \
                 `npx --yes {REDOCLY} lint {spec}` once to check that it works."
            )
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = stdout
        .find('{')
        .and_then(|start| serde_json::from_str(&stdout[start..]).ok())
        .unwrap_or_else(|| {
            panic!(
                "`npx --yes {REDOCLY} lint {spec}` gave no JSON report (exit {:?}); is Node.js \
                 with npm installed (https://nodejs.org/en/download) and the npm registry \
                 reachable?\nstdout:\n{stdout}\nstderr:\n{stderr}",
                output.status.code()
            )
        });
    let errors = report
        .pointer("/totals/errors")
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("the report has no totals.errors: {report:#}"));
    assert_eq!(
        errors, 0,
        "the linter found errors in {spec}:\n{:#}",
        report["problems"]
    );
    assert!(
        output.status.success(),
        "the linter failed on {spec}: {:?}\n{stderr}",
        output.status
    );
}

#[test]
fn upcloud_spec_passes_the_redocly_openapi_linter_with_zero_errors() {
    assert_lints_clean("specs/upcloud.yaml");
}

#[test]
fn upcloud_metadata_spec_passes_the_redocly_openapi_linter_with_zero_errors() {
    assert_lints_clean("specs/upcloud_metadata.yaml");
}

#[test]
fn uuid_newtypes_parse_from_text_and_reject_garbage() {
    let server: types::ServerUuid = SERVER_UUID.parse().expect("a valid UUID parses");
    assert_eq!(server, server_uuid());
    assert_eq!(server.to_string(), SERVER_UUID);
    assert!("not-a-uuid".parse::<types::ServerUuid>().is_err());
}

// ---------------------------------------------------------------------------------------------
// getServer errors (issue 12): a missing server is a typed error, also for the waiter

#[tokio::test]
async fn get_server_404_server_not_found_decodes_to_its_code() {
    let server = replying(
        404,
        error_body(
            "SERVER_NOT_FOUND",
            "The server 00798b85-efdc-41ca-8021-f6ef457b8531 does not exist.",
        ),
    )
    .await;
    let result = server.client().get_server(server_uuid()).send().await;
    let (status, error) = api_error(result);
    assert_eq!(status, 404);
    assert!(matches!(error, GetServerError::NotFound(_)), "{error:?}");
    assert_eq!(error.code(), Some(ErrorCode::ServerNotFound));
}

#[tokio::test]
async fn get_server_403_and_400_decode_to_their_codes() {
    let server = replying(
        403,
        error_body(
            "SERVER_FORBIDDEN",
            "The server exists, but is owned by another account.",
        ),
    )
    .await;
    let (status, error) = api_error(server.client().get_server(server_uuid()).send().await);
    assert_eq!(status, 403);
    assert!(matches!(error, GetServerError::Forbidden(_)), "{error:?}");
    assert_eq!(error.code(), Some(ErrorCode::ServerForbidden));

    // The body upcloud-go-api recorded for a malformed server UUID (errorhandling.yaml#0).
    let server = replying(
        400,
        error_body("SERVER_INVALID", "The server UUID is invalid."),
    )
    .await;
    let (status, error) = api_error(server.client().get_server(server_uuid()).send().await);
    assert_eq!(status, 400);
    assert!(matches!(error, GetServerError::BadRequest(_)), "{error:?}");
    assert_eq!(error.code(), Some(ErrorCode::ServerInvalid));
}

#[tokio::test]
async fn waiter_passes_on_a_missing_server_as_a_typed_server_not_found() {
    let server = scripted(vec![
        Reply::json(200, &server_in_state("maintenance")),
        Reply::json(
            404,
            &error_body("SERVER_NOT_FOUND", "The server does not exist."),
        ),
    ])
    .await;
    let policy = WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .deadline(Duration::from_secs(5));
    let result = server
        .client()
        .wait_for_server_state(server_uuid(), types::ServerState::Started, &policy)
        .await;
    let Err(WaitError::Request(error)) = result else {
        panic!("expected the request error, got {result:?}");
    };
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 404);
    let typed = api.error().expect("a typed error body");
    assert_eq!(typed.code(), Some(ErrorCode::ServerNotFound));
    assert_eq!(server.seen().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Recorded traffic of upcloud-go-api (UpCloudLtd/upcloud-go-api@f64673e,
// upcloud/service/fixtures/*.yaml, the same cassettes as ../shared/conformance/upcloud.jsonl)

/// createServer's 202 body, recorded (upcloud-dhcpnetworkconfigurations-001): `created`,
/// `progress`, `username`, `devices`, `server_group: null`, interface IP `release_policy` and
/// `storage_encrypted`, none of which the seed documents.
const RECORDED_CREATE_SERVER: &str = r#"{"server":{"boot_order":"disk","core_number":"1","created":1758102135,"devices":{"device":[]},"firewall":"off","host":5872304771,"hostname":"uploud-go-sdk-integration-test-testcreatenetworkandserverdhcp.example.com","ip_addresses":{"ip_address":[{"access":"utility","address":"10.6.7.148","family":"IPv4"},{"access":"public","address":"2a04:3545:1000:720:6c28:ffff:fe12:04dd","family":"IPv6"},{"access":"public","address":"94.237.12.210","family":"IPv4"}]},"labels":{"label":[{"key":"managedBy","value":"upcloud-sdk-integration-test"},{"key":"testName","value":"TestCreateNetworkAndServerDHCP"}]},"license":0,"memory_amount":"1024","metadata":"no","networking":{"interfaces":{"interface":[{"bootable":"no","index":1,"ip_addresses":{"ip_address":[{"address":"10.6.7.148","dhcp_provided":"yes","family":"IPv4","floating":"no","release_policy":"release"}]},"mac":"6e:28:ff:12:97:77","network":"03692429-67a5-4227-b08b-60d9085754d7","source_ip_filtering":"yes","type":"utility"},{"bootable":"no","index":2,"ip_addresses":{"ip_address":[{"address":"94.237.12.210","dhcp_provided":"yes","family":"IPv4","floating":"no","release_policy":"release"}]},"mac":"6e:28:ff:12:73:8d","network":"03000000-0000-4000-8095-000000000000","source_ip_filtering":"yes","type":"public"},{"bootable":"no","index":3,"ip_addresses":{"ip_address":[{"address":"2a04:3545:1000:720:6c28:ffff:fe12:04dd","dhcp_provided":"yes","family":"IPv6","floating":"no","release_policy":"release"}]},"mac":"6e:28:ff:12:04:dd","network":"03000000-0000-4000-8046-000000000000","source_ip_filtering":"yes","type":"public"},{"bootable":"no","index":4,"ip_addresses":{"ip_address":[{"address":"172.16.0.2","dhcp_provided":"yes","family":"IPv4","floating":"no","release_policy":"release"}]},"mac":"6e:28:ff:12:f6:5f","network":"03a30756-eac1-42dc-857e-27def01f8d72","source_ip_filtering":"yes","type":"private"}]}},"nic_model":"virtio","password":"tb6uunb64bmr9s3a","plan":"custom","plan_ipv4_bytes":"0","plan_ipv6_bytes":"0","progress":"0","remote_access_enabled":"no","remote_access_password":"7kFg66fY","remote_access_type":"vnc","server_group":null,"simple_backup":"no","state":"maintenance","storage_devices":{"storage_device":[{"address":"virtio:0","boot_disk":"0","labels":[{"key":"_os_architecture","value":"64"},{"key":"_os_brand_name","value":"Debian"},{"key":"_os_brand_version","value":"11"},{"key":"_os_main_category","value":"Linux"},{"key":"_os_type","value":"debian"},{"key":"_template_uuid","value":"01000000-0000-4000-8000-000020060100"}],"storage":"01d0b956-725d-4fd4-ade5-a5d0bf260d14","storage_encrypted":"no","storage_size":10,"storage_tier":"maxiops","storage_title":"disk1","type":"disk"}]},"tags":{"tag":[]},"timezone":"UTC","title":"uploud-go-sdk-integration-test-TestCreateNetworkAndServerDHCP","username":"root","uuid":"00f53904-3f10-49cb-8c9c-103016ea7cbc","video_model":"cirrus","zone":"fi-hel2"}}"#;

/// getServer's body while the new server is still in maintenance, recorded
/// (upcloud-createnetworkandserver-002): `progress` "85".
const RECORDED_GET_SERVER_IN_MAINTENANCE: &str = r#"{"server":{"boot_order":"disk","core_number":"1","created":1666619845,"firewall":"off","hostname":"uploud-go-sdk-integration-test-testcreatenetworkandserver.example.com","ip_addresses":{"ip_address":[{"access":"utility","address":"10.6.6.192","family":"IPv4"},{"access":"public","address":"2a04:3545:1000:720:d845:c4ff:fe5c:27a9","family":"IPv6"},{"access":"public","address":"94.237.106.28","family":"IPv4"}]},"labels":{"label":[{"key":"managedBy","value":"upcloud-sdk-integration-test"},{"key":"testName","value":"TestCreateNetworkAndServer"}]},"license":0,"memory_amount":"1024","metadata":"no","networking":{"interfaces":{"interface":[{"bootable":"no","index":1,"ip_addresses":{"ip_address":[{"address":"10.6.6.192","family":"IPv4","floating":"no"}]},"mac":"da:45:c4:5c:8d:09","network":"0343ede2-9890-4470-b680-0dcda6d9f7e3","source_ip_filtering":"yes","type":"utility"},{"bootable":"no","index":2,"ip_addresses":{"ip_address":[{"address":"94.237.106.28","family":"IPv4","floating":"no"}]},"mac":"da:45:c4:5c:20:cd","network":"031457f4-0f8c-483c-96f2-eccede02909c","source_ip_filtering":"yes","type":"public"},{"bootable":"no","index":3,"ip_addresses":{"ip_address":[{"address":"2a04:3545:1000:720:d845:c4ff:fe5c:27a9","family":"IPv6","floating":"no"}]},"mac":"da:45:c4:5c:27:a9","network":"03000000-0000-4000-8046-000000000000","source_ip_filtering":"yes","type":"public"},{"bootable":"no","index":4,"ip_addresses":{"ip_address":[{"address":"172.16.0.2","family":"IPv4","floating":"no"}]},"mac":"da:45:c4:5c:f1:b8","network":"037e40d7-399a-4575-a1af-b688836bff80","source_ip_filtering":"yes","type":"private"}]}},"nic_model":"virtio","plan":"custom","plan_ipv4_bytes":"0","plan_ipv6_bytes":"0","progress":"85","remote_access_enabled":"no","remote_access_password":"u5Sp47Vq","remote_access_type":"vnc","simple_backup":"no","state":"maintenance","storage_devices":{"storage_device":[{"address":"virtio:0","boot_disk":"0","storage":"0163ee97-abdd-4e0a-a53a-92f772a1aa10","storage_size":10,"storage_tier":"maxiops","storage_title":"disk1","type":"disk"}]},"tags":{"tag":[]},"timezone":"UTC","title":"uploud-go-sdk-integration-test-TestCreateNetworkAndServer","uuid":"00b3806a-16f9-4ee3-bcb3-cbaca7461ddb","video_model":"cirrus","zone":"fi-hel2"}}"#;

/// listServers' body, recorded (getserverswithfilters.yaml#2): each server carries `created`,
/// `host`, `simple_backup` and `server_group: null`.
const RECORDED_LIST_SERVERS: &str = r#"{"servers":{"server":[{"core_number":"1","created":1674045436,"host":6862160515,"hostname":"uploud-go-sdk-integration-test-getserverswithfilters.example.com","labels":{"label":[{"key":"managedBy","value":"upcloud-sdk-integration-test"},{"key":"testName","value":"getserverswithfilters"}]},"license":0,"memory_amount":"1024","plan":"custom","plan_ipv4_bytes":"0","plan_ipv6_bytes":"0","server_group":null,"simple_backup":"no","state":"started","tags":{"tag":[]},"title":"uploud-go-sdk-integration-test-getserverswithfilters","uuid":"009a78e4-5595-4551-8ba2-88eb0daaad29","zone":"fi-hel2"},{"core_number":"1","created":1674047846,"host":6862160515,"hostname":"uploud-go-sdk-integration-test-getserverswithfilters.example.com","labels":{"label":[{"key":"managedBy","value":"upcloud-sdk-integration-test"},{"key":"testName","value":"getserverswithfilters"}]},"license":0,"memory_amount":"1024","plan":"custom","plan_ipv4_bytes":"0","plan_ipv6_bytes":"0","server_group":null,"simple_backup":"no","state":"started","tags":{"tag":[]},"title":"uploud-go-sdk-integration-test-getserverswithfilters","uuid":"00a47181-df7b-42c2-a6cc-107c9603e1e8","zone":"fi-hel2"}]}}"#;

/// A storage listing, recorded (upcloud-storagelabels-003, `GET /storage?label=color=green`,
/// the same `{"storages": {"storage": [...]}}` shape as the template and CD-ROM listings).
const RECORDED_STORAGE_LISTING: &str = r#"{"storages":{"storage":[{"access":"private","created":"2023-02-27T08:35:04Z","labels":[{"key":"color","value":"green"}],"license":0,"size":10,"state":"online","tier":"maxiops","title":"Test storage","type":"normal","uuid":"016bccee-fc59-48da-a150-2c55cf9b2032","zone":"fi-hel2"}]}}"#;

fn recorded(text: &str) -> Value {
    serde_json::from_str(text).expect("a recorded body is JSON")
}

/// The differences between `expected` and the decoded value encoded again.
fn lost_fields<T: Serialize>(expected: &Value, decoded: &T) -> Vec<String> {
    let back = serde_json::to_value(decoded).expect("encode");
    let mut found = Vec::new();
    differences(expected, &back, "", &mut found);
    found
}

#[tokio::test]
async fn recorded_create_server_response_decodes_keeping_every_field() {
    let body = recorded(RECORDED_CREATE_SERVER);
    let server = replying(202, body.clone()).await;
    let details = server
        .client()
        .create_server(create_body())
        .send()
        .await
        .expect("the recorded response decodes");
    assert_eq!(details.state, types::ServerState::Maintenance);
    assert_eq!(details.progress, Some(0));
    assert_eq!(details.created, Some(1_758_102_135));
    assert_eq!(details.username.as_deref(), Some("root"));
    assert_eq!(details.devices.as_deref(), Some(&[][..]));
    assert_eq!(details.server_group, None);
    let interfaces = details
        .networking
        .as_ref()
        .and_then(|n| n.interfaces.as_ref())
        .expect("interfaces");
    for interface in interfaces {
        let addresses = interface.ip_addresses.as_deref().expect("addresses");
        assert_eq!(
            addresses[0].release_policy,
            Some(types::InterfaceIpAddressReleasePolicy::Release)
        );
    }
    let disks = details.storage_devices.as_deref().expect("storage devices");
    assert_eq!(disks[0].storage_encrypted, Some(false));
    assert_eq!(lost_fields(&body["server"], &details), Vec::<String>::new());
}

#[tokio::test]
async fn recorded_get_server_in_maintenance_reads_progress_as_a_number() {
    let body = recorded(RECORDED_GET_SERVER_IN_MAINTENANCE);
    let server = replying(200, body.clone()).await;
    let details = server
        .client()
        .get_server(server_uuid())
        .send()
        .await
        .expect("the recorded response decodes");
    assert_eq!(details.state, types::ServerState::Maintenance);
    assert_eq!(details.progress, Some(85));
    let back = serde_json::to_value(&details).expect("encode");
    assert_eq!(back["progress"], json!("85"), "sent back as a string");
    assert_eq!(lost_fields(&body["server"], &details), Vec::<String>::new());
}

#[tokio::test]
async fn recorded_server_listing_keeps_created_host_simple_backup_and_a_null_server_group() {
    let body = recorded(RECORDED_LIST_SERVERS);
    let server = replying(200, body.clone()).await;
    let servers = server
        .client()
        .list_servers()
        .send()
        .await
        .expect("the recorded response decodes");
    assert_eq!(servers.len(), 2);
    assert_eq!(servers[0].created, Some(1_674_045_436));
    assert_eq!(servers[0].host, Some(types::HostId(6_862_160_515)));
    assert_eq!(servers[0].simple_backup.as_deref(), Some("no"));
    assert_eq!(servers[0].server_group, None);
    assert_eq!(
        lost_fields(&body["servers"]["server"], &servers),
        Vec::<String>::new()
    );
}

#[test]
fn server_group_of_a_server_is_nullable_in_the_spec() {
    // The API sends `"server_group": null` for a server in no group (see the recordings above).
    let spec = load_spec();
    for schema in ["Server", "ServerDetails"] {
        let property = spec
            .pointer(&format!(
                "/components/schemas/{schema}/properties/server_group"
            ))
            .unwrap_or_else(|| panic!("{schema}.server_group"));
        assert_eq!(property["nullable"], json!(true), "{schema}.server_group");
    }
}

#[tokio::test]
async fn gpu_devices_decode_from_their_wrapped_list() {
    // The `devices` block of upcloud-go-api's unit test of a GPU server
    // (upcloud/server_test.go, TestUnmarshalServerDetails), in a minimal server.
    let mut body = server_in_state("started");
    body["server"]["devices"] = json!({
        "device": [
            {
                "model": "NVIDIA L40S",
                "type": "gpu",
                "serial": "1790925007018",
                "metadata": { "serial": "1723925007011", "cores": 18176, "memory": 48 }
            }
        ]
    });
    let server = replying(200, body.clone()).await;
    let details = server
        .client()
        .get_server(server_uuid())
        .send()
        .await
        .expect("decodes");
    let devices = details.devices.as_deref().expect("devices");
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].model.as_deref(), Some("NVIDIA L40S"));
    assert_eq!(devices[0].r#type, Some(types::ServerDeviceType::Gpu));
    let metadata = devices[0].metadata.as_ref().expect("metadata");
    assert_eq!(metadata.cores, Some(18176));
    assert_eq!(metadata.memory, Some(48));
    assert_eq!(lost_fields(&body["server"], &details), Vec::<String>::new());
}

#[tokio::test]
async fn recorded_storage_listing_keeps_labels_created_and_the_normal_type() {
    let body = recorded(RECORDED_STORAGE_LISTING);
    let server = replying(200, body.clone()).await;
    let storages = server
        .client()
        .list_storage_templates()
        .send()
        .await
        .expect("the recorded listing decodes");
    assert_eq!(storages[0].r#type, types::StorageType::Normal);
    assert_eq!(
        storages[0].labels.as_deref(),
        Some(
            &[types::Label {
                key: "color".to_owned(),
                value: "green".to_owned()
            }][..]
        )
    );
    assert!(storages[0].created.is_some());
}

#[tokio::test]
async fn a_backup_in_a_storage_listing_names_its_origin() {
    // A backup as upcloud-go-api recorded it (createrestorebackup.yaml#1), in a listing.
    let body = json!({
        "storages": { "storage": [ {
            "access": "private",
            "created": "2023-01-12T07:59:30Z",
            "license": 0,
            "origin": "01a9b582-2254-4683-b408-1d41d6910b75",
            "progress": "0",
            "size": 10,
            "state": "maintenance",
            "title": "backup-1673510370000000000",
            "type": "backup",
            "uuid": "0160e290-c379-4183-9f50-586ac8b41500",
            "zone": "fi-hel2"
        } ] }
    });
    let server = replying(200, body).await;
    let storages = server
        .client()
        .list_storage_cdroms()
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        storages[0]
            .origin
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("01a9b582-2254-4683-b408-1d41d6910b75")
    );
    assert_eq!(storages[0].progress, Some(0));
}

#[tokio::test]
async fn a_private_cloud_zone_names_its_parent_zone() {
    // From upcloud-go-api's unit test of zones (upcloud/zone_test.go).
    let body = json!({
        "zones": { "zone": [
            { "description": "Helsinki #2", "id": "fi-hel2", "public": "yes" },
            { "description": "Fake private cloud", "id": "fi-fake-priv-cloud", "public": "no", "parent_zone": "fi-hel1" }
        ] }
    });
    let server = replying(200, body.clone()).await;
    let zones = server.client().list_zones().send().await.expect("decodes");
    assert_eq!(zones[0].parent_zone, None);
    assert_eq!(zones[1].parent_zone.as_deref(), Some("fi-hel1"));
    assert_eq!(
        lost_fields(&body["zones"]["zone"], &zones),
        Vec::<String>::new()
    );
}

#[test]
fn create_server_disks_can_ask_for_encryption_and_a_backup_rule() {
    // The wire form of upcloud-go-api's CreateServerStorageDevice and BackupRule: `encrypted`
    // as yes/no, `retention` as a string (as its recorded storage requests send it).
    let device: types::CreateServerStorageDevice = serde_json::from_value(json!({
        "action": "clone",
        "storage": "01000000-0000-4000-8000-000020060100",
        "title": "disk1",
        "size": 10,
        "tier": "maxiops",
        "encrypted": "yes",
        "backup_rule": { "interval": "daily", "time": "0430", "retention": "30" }
    }))
    .expect("decodes");
    let types::CreateServerStorageDevice::StorageDeviceClone(clone) = &device else {
        panic!("a clone device, got {device:?}");
    };
    assert_eq!(clone.encrypted, Some(true));
    let rule = clone.backup_rule.as_ref().expect("a backup rule");
    assert_eq!(rule.interval, types::BackupRuleInterval::Daily);
    assert_eq!(rule.retention, 30);
    let back = serde_json::to_value(&device).expect("encode");
    assert_eq!(back["encrypted"], json!("yes"));
    assert_eq!(
        back["backup_rule"],
        json!({ "interval": "daily", "time": "0430", "retention": "30" })
    );
}

// ---------------------------------------------------------------------------------------------
// restartServer's body (issue 12): a soft restart always carries its timeout

#[tokio::test]
async fn a_soft_restart_sends_stop_type_and_its_timeout() {
    let server = replying(200, server_in_state("started")).await;
    let body = types::RestartServerRequest {
        restart_server: types::RestartServer::RestartServerSoft(types::RestartServerSoft {
            stop_type: types::RestartServerSoftStopType::Soft,
            timeout: 60,
            timeout_action: Some(types::RestartTimeoutAction::Destroy),
            host: None,
        }),
    };
    server
        .client()
        .restart_server(server_uuid(), body)
        .send()
        .await
        .expect("restarted");
    let seen = server.only_request();
    assert_eq!(seen.target, format!("/1.3/server/{SERVER_UUID}/restart"));
    assert_eq!(
        seen.json(),
        Some(json!({
            "restart_server": { "stop_type": "soft", "timeout": "60", "timeout_action": "destroy" }
        }))
    );
}

#[test]
fn a_soft_restart_without_a_timeout_is_not_a_valid_body() {
    // Omitting stop_type means soft, and a soft restart without a timeout fails on the API with
    // TIMEOUT_MISSING: neither decodes into the body type.
    for body in [
        json!({ "restart_server": { "stop_type": "soft" } }),
        json!({ "restart_server": { "stop_type": "soft", "timeout_action": "destroy" } }),
    ] {
        assert!(
            serde_json::from_value::<types::RestartServerRequest>(body.clone()).is_err(),
            "{body} decoded"
        );
    }
    let no_stop_type: types::RestartServerRequest =
        serde_json::from_value(json!({ "restart_server": { "timeout": "60" } }))
            .expect("an unknown variant is kept as sent");
    assert!(
        matches!(
            no_stop_type.restart_server,
            types::RestartServer::Unknown(_)
        ),
        "{no_stop_type:?}"
    );
}

#[tokio::test]
async fn the_recorded_hard_restart_is_sent_exactly_as_recorded() {
    // upcloud-go-api's recorded hard restart (createrestartserver.yaml#2) carries a timeout and
    // a timeout action, and the API accepted it.
    let recorded_body = json!({ "restart_server": { "stop_type": "hard", "timeout": "900", "timeout_action": "ignore" } });
    let body: types::RestartServerRequest =
        serde_json::from_value(recorded_body.clone()).expect("decodes");
    let types::RestartServer::RestartServerHard(hard) = &body.restart_server else {
        panic!("a hard restart, got {body:?}");
    };
    assert_eq!(hard.timeout, Some(900));
    let server = replying(200, server_in_state("started")).await;
    server
        .client()
        .restart_server(server_uuid(), body)
        .send()
        .await
        .expect("restarted");
    assert_eq!(server.only_request().json(), Some(recorded_body));
}

#[test]
fn recorded_stop_and_restart_timeouts_match_the_spec_patterns() {
    // Recorded hard stops and restarts send timeout "900" (e.g. upcloud-attachdetachstorage-002,
    // createrestartserver.yaml#2); the API accepted them, so the spec must not reject them.
    let spec = load_spec();
    for pointer in [
        "/components/schemas/StopServer/properties/timeout/pattern",
        "/components/schemas/RestartServerHard/properties/timeout/pattern",
    ] {
        let pattern = spec
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{pointer}"));
        assert_eq!(pattern, "^[0-9]+$", "{pointer}");
    }
}
