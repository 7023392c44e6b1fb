//! The UpCloud storage operations and a server's storage devices, firewall rules, network
//! interfaces, zone and tags (`specs/upcloud.yaml`), through the generated client against the
//! scripted loopback server: the spec's examples, recorded traffic of upcloud-go-api (copied with
//! its source, `UpCloudLtd/upcloud-go-api@f64673e:upcloud/service/fixtures/<cassette>.yaml#<n>`),
//! the request shapes the API expects, typed error codes and the storage state waiter.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cloudapi::runtime::{Error, RetryPolicy, WaitPolicy};
use cloudapi::upcloud::{types, Client, ErrorCode, GetStorageError};
use cloudgen_tests::loopback::{Reply, Server};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const PREFIX: &str = "/1.3";
const TOKEN: &str = "ucat_01TESTTOKEN7d1e";
const SERVER_UUID: &str = "00798b85-efdc-41ca-8021-f6ef457b8531";
const STORAGE_UUID: &str = "01a9b582-2254-4683-b408-1d41d6910b75";

/// The operations this file covers, in spec order.
const OPERATIONS: [&str; 41] = [
    "attachStorage",
    "detachStorage",
    "loadCdrom",
    "ejectCdrom",
    "listFirewallRules",
    "createFirewallRule",
    "replaceFirewallRules",
    "getFirewallRule",
    "deleteFirewallRule",
    "getServerNetworking",
    "createServerInterface",
    "modifyServerInterface",
    "deleteServerInterface",
    "assignInterfaceIpAddress",
    "deleteInterfaceIpAddress",
    "relocateServer",
    "tagServer",
    "untagServer",
    "listStorages",
    "createStorage",
    "createCdromStorage",
    "listPublicStorages",
    "listPrivateStorages",
    "listNormalStorages",
    "listBackupStorages",
    "listFavoriteStorages",
    "getStorage",
    "modifyStorage",
    "deleteStorage",
    "cloneStorage",
    "templatizeStorage",
    "updatePublicTemplate",
    "addStorageComponent",
    "createStorageBackup",
    "restoreStorageBackup",
    "cancelStorageOperation",
    "addStorageToFavorites",
    "removeStorageFromFavorites",
    "createStorageImport",
    "getStorageImport",
    "resizeStorageFilesystem",
];

// ---------------------------------------------------------------------------------------------
// Helpers

fn server_uuid() -> types::ServerUuid {
    types::ServerUuid(SERVER_UUID.parse().expect("a valid UUID"))
}

fn storage_uuid() -> types::StorageUuid {
    types::StorageUuid(STORAGE_UUID.parse().expect("a valid UUID"))
}

fn client(server: &Server) -> Client {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(server.base_url.clone())
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map(Client::from_runtime)
        .expect("client")
}

async fn replying(status: u16, body: Value) -> Server {
    Server::scripted(PREFIX, vec![Reply::json(status, &body)]).await
}

async fn empty(status: u16) -> Server {
    Server::scripted(PREFIX, vec![Reply::empty(status)]).await
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

/// A case of the project's conformance corpus (recorded traffic), by id.
fn recorded(id: &str) -> Value {
    let path = workspace_root()
        .join("tests")
        .join("conformance")
        .join("upcloud.jsonl");
    let text = std::fs::read_to_string(&path).expect("read the UpCloud corpus");
    text.lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("a corpus line is JSON"))
        .find(|case| case["id"] == id)
        .unwrap_or_else(|| panic!("the corpus has no case {id}"))
}

fn parse<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| {
        panic!(
            "does not decode as {}: {e}\n{value}",
            std::any::type_name::<T>()
        )
    })
}

/// Pointers (under `at`) where `decoded` lost or changed what `sent` held. `null`, `""` and an
/// absent member count as the same "no value", as for every optional response field.
fn lost(sent: &Value, decoded: &Value, at: &str, out: &mut Vec<String>) {
    let nothing = |v: &Value| v.is_null() || v.as_str() == Some("");
    match (sent, decoded) {
        (Value::Object(s), Value::Object(d)) => {
            for (key, value) in s {
                let here = format!("{at}/{key}");
                match d.get(key) {
                    Some(other) => lost(value, other, &here, out),
                    None if nothing(value) => {}
                    None => out.push(format!("{here}: lost (was {value})")),
                }
            }
        }
        (Value::Array(s), Value::Array(d)) if s.len() == d.len() => {
            for (i, (x, y)) in s.iter().zip(d).enumerate() {
                lost(x, y, &format!("{at}/{i}"), out);
            }
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        (x, y) if x == y => {}
        (x, y) if nothing(x) && nothing(y) => {}
        (x, y) => out.push(format!("{at}: {x} became {y}")),
    }
}

fn assert_nothing_lost<T: Serialize>(sent: &Value, decoded: &T) {
    let back = serde_json::to_value(decoded).expect("encode");
    let mut found = Vec::new();
    lost(sent, &back, "", &mut found);
    assert!(found.is_empty(), "decoding lost: {found:#?}");
}

/// A request as the client sends it: method, path with query, and JSON body.
fn sent(server: &Server) -> (String, String, Option<Value>) {
    let seen = server.only_request();
    let body = seen.json();
    (seen.method, seen.target, body)
}

// ---------------------------------------------------------------------------------------------
// The spec's examples

/// One JSON example of an operation of this file.
struct Example {
    operation: String,
    status: u16,
    value: Value,
    unwrap: Option<String>,
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => spec
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {r}")),
        None => value,
    }
}

/// The response (`requests == false`) or request examples of this file's operations.
fn examples(spec: &Value, requests: bool) -> Vec<Example> {
    let mut out = Vec::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else {
                continue;
            };
            let id = op["operationId"].as_str().expect("operationId");
            if !OPERATIONS.contains(&id) {
                continue;
            }
            if requests {
                if let Some(example) = op
                    .get("requestBody")
                    .map(|b| resolve(spec, b))
                    .and_then(|b| b.pointer("/content/application~1json/example"))
                {
                    out.push(Example {
                        operation: id.to_owned(),
                        status: 0,
                        value: example.clone(),
                        unwrap: None,
                    });
                }
                continue;
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                let response = resolve(spec, response);
                if let Some(example) = response.pointer("/content/application~1json/example") {
                    out.push(Example {
                        operation: id.to_owned(),
                        status: status.parse().expect("a numeric status"),
                        value: example.clone(),
                        unwrap: response["x-cloudgen-unwrap"].as_str().map(str::to_owned),
                    });
                }
            }
        }
    }
    out
}

fn request_example(spec: &Value, operation: &str) -> Option<Value> {
    examples(spec, true)
        .into_iter()
        .find(|e| e.operation == operation)
        .map(|e| e.value)
}

/// Sends `operation` with valid inputs (`body` is its request example, when it has one) and
/// returns the decoded success value, encoded back to JSON.
async fn call(c: &Client, operation: &str, body: Option<&Value>) -> Result<Value, String> {
    fn done<T: Serialize, E: std::fmt::Debug>(r: Result<T, Error<E>>) -> Result<Value, String> {
        r.map(|v| serde_json::to_value(v).expect("encode"))
            .map_err(|e| format!("{e:?}"))
    }
    let b = || body.unwrap_or_else(|| panic!("{operation} needs a request example"));
    let (s, st) = (server_uuid(), storage_uuid());
    match operation {
        "attachStorage" => done(
            c.attach_storage(s, parse::<types::AttachStorageRequest>(b()).storage_device)
                .send()
                .await,
        ),
        "detachStorage" => done(
            c.detach_storage(s, parse::<types::DetachStorageRequest>(b()).storage_device)
                .send()
                .await,
        ),
        "loadCdrom" => done(
            c.load_cdrom(s, parse::<types::LoadCdromRequest>(b()).storage_device)
                .send()
                .await,
        ),
        "ejectCdrom" => done(c.eject_cdrom(s).send().await),
        "listFirewallRules" => done(c.list_firewall_rules(s).send().await),
        "createFirewallRule" => done(
            c.create_firewall_rule(
                s,
                parse::<types::CreateFirewallRuleRequest>(b()).firewall_rule,
            )
            .send()
            .await,
        ),
        "replaceFirewallRules" => done(
            c.replace_firewall_rules(
                s,
                parse::<types::ReplaceFirewallRulesRequest>(b()).firewall_rules,
            )
            .send()
            .await,
        ),
        "getFirewallRule" => done(c.get_firewall_rule(s, 1).send().await),
        "deleteFirewallRule" => done(c.delete_firewall_rule(s, 1).send().await),
        "getServerNetworking" => done(c.get_server_networking(s).send().await),
        "createServerInterface" => done(
            c.create_server_interface(
                s,
                parse::<types::CreateServerInterfaceRequest>(b()).interface,
            )
            .send()
            .await,
        ),
        "modifyServerInterface" => done(
            c.modify_server_interface(
                s,
                4,
                parse::<types::ModifyServerInterfaceRequest>(b()).interface,
            )
            .send()
            .await,
        ),
        "deleteServerInterface" => done(c.delete_server_interface(s, 4).send().await),
        "assignInterfaceIpAddress" => done(
            c.assign_interface_ip_address(
                s,
                4,
                parse::<types::AssignInterfaceIpAddressRequest>(b()).ip_address,
            )
            .send()
            .await,
        ),
        "deleteInterfaceIpAddress" => done(
            c.delete_interface_ip_address(s, 4, "172.17.0.10")
                .send()
                .await,
        ),
        "relocateServer" => done(
            c.relocate_server(s, parse::<types::RelocateServerRequest>(b()))
                .send()
                .await,
        ),
        "tagServer" => done(c.tag_server(s, "tag1").send().await),
        "untagServer" => done(c.untag_server(s, "tag1").send().await),
        "listStorages" => done(c.list_storages().send().await),
        "createStorage" => done(
            c.create_storage(parse::<types::CreateStorageRequest>(b()).storage)
                .send()
                .await,
        ),
        "listPublicStorages" => done(c.list_public_storages().send().await),
        "listPrivateStorages" => done(c.list_private_storages().send().await),
        "listNormalStorages" => done(c.list_normal_storages().send().await),
        "listBackupStorages" => done(c.list_backup_storages().send().await),
        "listFavoriteStorages" => done(c.list_favorite_storages().send().await),
        "getStorage" => done(c.get_storage(st).send().await),
        "modifyStorage" => done(
            c.modify_storage(st, parse::<types::ModifyStorageRequest>(b()).storage)
                .send()
                .await,
        ),
        "deleteStorage" => done(c.delete_storage(st).send().await),
        "cloneStorage" => done(
            c.clone_storage(st, parse::<types::CloneStorageRequest>(b()).storage)
                .send()
                .await,
        ),
        "templatizeStorage" => done(
            c.templatize_storage(st, parse::<types::TemplatizeStorageRequest>(b()).storage)
                .send()
                .await,
        ),
        "createStorageBackup" => done(
            c.create_storage_backup(st, parse::<types::CreateStorageBackupRequest>(b()).storage)
                .send()
                .await,
        ),
        "restoreStorageBackup" => done(c.restore_storage_backup(st).send().await),
        "cancelStorageOperation" => done(c.cancel_storage_operation(st).send().await),
        "addStorageToFavorites" => done(c.add_storage_to_favorites(st).send().await),
        "removeStorageFromFavorites" => done(c.remove_storage_from_favorites(st).send().await),
        "createStorageImport" => done(
            c.create_storage_import(
                st,
                parse::<types::CreateStorageImportRequest>(b()).storage_import,
            )
            .send()
            .await,
        ),
        "getStorageImport" => done(c.get_storage_import(st).send().await),
        "createCdromStorage" => done(
            c.create_cdrom_storage(parse::<types::CreateCdromStorageRequest>(b()).create_cdrom)
                .send()
                .await,
        ),
        "updatePublicTemplate" => done(
            c.update_public_template(
                st,
                parse::<types::UpdatePublicTemplateRequest>(b()).update_template,
            )
            .send()
            .await,
        ),
        "addStorageComponent" => done(
            c.add_storage_component(st, parse::<types::AddStorageComponentRequest>(b()).storage)
                .send()
                .await,
        ),
        "resizeStorageFilesystem" => done(c.resize_storage_filesystem(st).send().await),
        other => panic!("{other} is not an operation of this file"),
    }
}

#[test]
fn the_spec_has_every_operation_of_this_file() {
    let spec = load_spec();
    let mut ids = BTreeSet::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if let Some(id) = item.pointer(&format!("/{method}/operationId")) {
                ids.insert(id.as_str().expect("a string").to_owned());
            }
        }
    }
    for op in OPERATIONS {
        assert!(ids.contains(op), "the spec has no operation {op}");
    }
}

#[tokio::test]
async fn every_response_example_decodes_through_its_operation_losing_nothing() {
    let spec = load_spec();
    let responses = examples(&spec, false);
    let mut failures = Vec::new();
    let mut with_example = BTreeSet::new();
    for example in responses.iter().filter(|e| (200..300).contains(&e.status)) {
        with_example.insert(example.operation.clone());
        let server = replying(example.status, example.value.clone()).await;
        let body = request_example(&spec, &example.operation);
        match call(&client(&server), &example.operation, body.as_ref()).await {
            Ok(decoded) => {
                let pointer = example.unwrap.as_deref().unwrap_or("");
                let expected = example.value.pointer(pointer).expect("the unwrapped value");
                let mut found = Vec::new();
                lost(expected, &decoded, "", &mut found);
                failures.extend(
                    found
                        .into_iter()
                        .map(|f| format!("{}: {f}", example.operation)),
                );
            }
            Err(e) => failures.push(format!("{}: {e}", example.operation)),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Every operation with a JSON success body has an example.
    assert_eq!(with_example.len(), 30, "{with_example:?}");
}

#[tokio::test]
async fn every_request_example_is_sent_exactly_as_written() {
    let spec = load_spec();
    let requests = examples(&spec, true);
    assert_eq!(requests.len(), 18, "request examples");
    for example in &requests {
        // Answer with the operation's own success example (or an empty 204).
        let success = examples(&spec, false)
            .into_iter()
            .find(|e| e.operation == example.operation && (200..300).contains(&e.status));
        let server = match &success {
            Some(s) => replying(s.status, s.value.clone()).await,
            None => empty(204).await,
        };
        call(&client(&server), &example.operation, Some(&example.value))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", example.operation));
        let (_, _, body) = sent(&server);
        assert_eq!(
            body.as_ref(),
            Some(&example.value),
            "{}: the body on the wire differs from the example",
            example.operation
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Paths and request shapes

#[tokio::test]
async fn each_operation_uses_its_method_and_path() {
    let s = SERVER_UUID;
    let st = STORAGE_UUID;
    let expected: [(&str, &str, String); 41] = [
        (
            "attachStorage",
            "POST",
            format!("/server/{s}/storage/attach"),
        ),
        (
            "detachStorage",
            "POST",
            format!("/server/{s}/storage/detach"),
        ),
        ("loadCdrom", "POST", format!("/server/{s}/cdrom/load")),
        ("ejectCdrom", "POST", format!("/server/{s}/cdrom/eject")),
        (
            "listFirewallRules",
            "GET",
            format!("/server/{s}/firewall_rule"),
        ),
        (
            "createFirewallRule",
            "POST",
            format!("/server/{s}/firewall_rule"),
        ),
        (
            "replaceFirewallRules",
            "PUT",
            format!("/server/{s}/firewall_rule"),
        ),
        (
            "getFirewallRule",
            "GET",
            format!("/server/{s}/firewall_rule/1"),
        ),
        (
            "deleteFirewallRule",
            "DELETE",
            format!("/server/{s}/firewall_rule/1"),
        ),
        (
            "getServerNetworking",
            "GET",
            format!("/server/{s}/networking"),
        ),
        (
            "createServerInterface",
            "POST",
            format!("/server/{s}/networking/interface"),
        ),
        (
            "modifyServerInterface",
            "PUT",
            format!("/server/{s}/networking/interface/4"),
        ),
        (
            "deleteServerInterface",
            "DELETE",
            format!("/server/{s}/networking/interface/4"),
        ),
        (
            "assignInterfaceIpAddress",
            "POST",
            format!("/server/{s}/networking/interface/4/ip-address"),
        ),
        (
            "deleteInterfaceIpAddress",
            "DELETE",
            format!("/server/{s}/networking/interface/4/ip-address/172.17.0.10"),
        ),
        ("relocateServer", "POST", format!("/server/{s}/relocate")),
        ("tagServer", "POST", format!("/server/{s}/tag/tag1")),
        ("untagServer", "POST", format!("/server/{s}/untag/tag1")),
        ("listStorages", "GET", "/storage".to_owned()),
        ("createStorage", "POST", "/storage".to_owned()),
        (
            "createCdromStorage",
            "POST",
            "/storage/create_cdrom".to_owned(),
        ),
        ("listPublicStorages", "GET", "/storage/public".to_owned()),
        ("listPrivateStorages", "GET", "/storage/private".to_owned()),
        ("listNormalStorages", "GET", "/storage/normal".to_owned()),
        ("listBackupStorages", "GET", "/storage/backup".to_owned()),
        (
            "listFavoriteStorages",
            "GET",
            "/storage/favorite".to_owned(),
        ),
        ("getStorage", "GET", format!("/storage/{st}")),
        ("modifyStorage", "PUT", format!("/storage/{st}")),
        ("deleteStorage", "DELETE", format!("/storage/{st}")),
        ("cloneStorage", "POST", format!("/storage/{st}/clone")),
        (
            "templatizeStorage",
            "POST",
            format!("/storage/{st}/templatize"),
        ),
        (
            "updatePublicTemplate",
            "POST",
            format!("/storage/{st}/update_template"),
        ),
        (
            "addStorageComponent",
            "POST",
            format!("/storage/{st}/add_component"),
        ),
        (
            "createStorageBackup",
            "POST",
            format!("/storage/{st}/backup"),
        ),
        (
            "restoreStorageBackup",
            "POST",
            format!("/storage/{st}/restore"),
        ),
        (
            "cancelStorageOperation",
            "POST",
            format!("/storage/{st}/cancel"),
        ),
        (
            "addStorageToFavorites",
            "POST",
            format!("/storage/{st}/favorite"),
        ),
        (
            "removeStorageFromFavorites",
            "DELETE",
            format!("/storage/{st}/favorite"),
        ),
        (
            "createStorageImport",
            "POST",
            format!("/storage/{st}/import"),
        ),
        ("getStorageImport", "GET", format!("/storage/{st}/import")),
        (
            "resizeStorageFilesystem",
            "POST",
            format!("/storage/{st}/resize"),
        ),
    ];
    let spec = load_spec();
    for (operation, method, path) in &expected {
        // The answer does not matter here; an empty 204 fails to decode for most operations.
        let server = empty(204).await;
        let body = request_example(&spec, operation);
        let _ = call(&client(&server), operation, body.as_ref()).await;
        let (m, target, _) = sent(&server);
        assert_eq!(
            (m.as_str(), target),
            (*method, format!("/1.3{path}")),
            "{operation}"
        );
    }
    let listed: Vec<&str> = expected.iter().map(|(op, ..)| *op).collect();
    assert_eq!(listed, OPERATIONS);
}

#[tokio::test]
async fn bodiless_operations_send_no_body_unlike_the_go_sdk() {
    // upcloud-go-api sends its request struct as a body here ({"UUID": ...} in
    // createrestorebackup#4 and resizestoragefilesystem#5, {"ServerUUID": ...} in
    // loadejectcdrom#5); the UUID is in the path and the API needs no body.
    for case in [
        "upcloud-createrestorebackup-004",
        "upcloud-resizestoragefilesystem-005",
        "upcloud-loadejectcdrom-005",
    ] {
        let case = recorded(case);
        let server = replying(
            case["status"].as_u64().expect("status") as u16,
            case["response_body"].clone(),
        )
        .await;
        let c = client(&server);
        let result = match case["path"].as_str().expect("path") {
            p if p.ends_with("/restore") => call(&c, "restoreStorageBackup", None).await,
            p if p.ends_with("/resize") => call(&c, "resizeStorageFilesystem", None).await,
            _ => call(&c, "ejectCdrom", None).await,
        };
        result.unwrap_or_else(|e| panic!("{}: {e}", case["id"]));
        let seen = server.only_request();
        assert!(
            seen.body.is_empty(),
            "{}: sent {:?}",
            case["id"],
            seen.json()
        );
        assert_eq!(seen.header("content-type"), None, "{}", case["id"]);
    }
}

#[tokio::test]
async fn create_storage_sends_the_size_and_backup_retention_as_strings() {
    // The request of attachdetachstorage#3, built as a typed value.
    let case = recorded("upcloud-attachdetachstorage-003");
    let request = types::CreateStorage {
        size: 10,
        tier: Some(types::StorageTier::Maxiops),
        title: "Test storage".to_owned(),
        zone: types::ZoneId("fi-hel2".to_owned()),
        encrypted: None,
        backup_rule: Some(types::BackupRule {
            interval: types::BackupRuleInterval::Daily,
            time: "0430".to_owned(),
            retention: 30,
        }),
        labels: None,
    };
    let server = replying(201, case["response_body"].clone()).await;
    let details = client(&server)
        .create_storage(request)
        .send()
        .await
        .expect("the recorded response decodes");
    assert_eq!(server.only_request().body_json(), case["request_body"]);
    assert_eq!(details.size, 10);
    assert_eq!(details.state, types::StorageState::Online);
    let rule = details.backup_rule.expect("a backup rule");
    assert_eq!(rule.retention, Some(30));
    assert_eq!(details.backups.as_deref(), Some(&[][..]));
    assert_eq!(details.servers.as_deref(), Some(&[][..]));
}

#[tokio::test]
async fn modify_storage_sends_an_empty_label_list_and_an_empty_backup_rule() {
    // storagelabels#8 clears the labels with `[]`; terraform-provider-upcloud removes a backup
    // rule with `{}`. Both must reach the wire as such, not be left out.
    let case = recorded("upcloud-storagelabels-008");
    let server = replying(202, case["response_body"].clone()).await;
    let request = types::ModifyStorage {
        labels: Some(Vec::new()),
        backup_rule: Some(types::StorageBackupRule::default()),
        ..Default::default()
    };
    let details = client(&server)
        .modify_storage(storage_uuid(), request)
        .send()
        .await
        .expect("the recorded response decodes");
    assert_eq!(
        server.only_request().body_json(),
        json!({ "storage": { "labels": [], "backup_rule": {} } })
    );
    assert_eq!(details.labels.as_deref(), Some(&[][..]));
}

#[tokio::test]
async fn delete_storage_sends_the_backups_policy_as_a_query_parameter() {
    let server = empty(204).await;
    client(&server)
        .delete_storage(storage_uuid())
        .backups(types::DeleteStorageBackups::Delete)
        .send()
        .await
        .expect("204");
    // As in createrestorebackup#6.
    assert_eq!(
        server.only_request().target,
        format!("/1.3/storage/{STORAGE_UUID}?backups=delete")
    );
}

#[tokio::test]
async fn relocate_server_sends_the_zone_without_an_envelope() {
    let server = replying(200, json!({ "server": { "uuid": SERVER_UUID, "title": "t", "hostname": "h", "state": "stopped", "zone": "fi-tst1" } })).await;
    let details = client(&server)
        .relocate_server(
            server_uuid(),
            types::RelocateServerRequest {
                zone: types::ZoneId("fi-tst1".to_owned()),
            },
        )
        .send()
        .await
        .expect("decodes");
    // As in createstoprelocateserver#3.
    assert_eq!(
        server.only_request().body_json(),
        json!({ "zone": "fi-tst1" })
    );
    assert_eq!(details.zone.0, "fi-tst1");
}

#[tokio::test]
async fn replace_firewall_rules_sends_the_recorded_rule_list() {
    // firewallrules#5 (PUT, 204).
    let body = json!({"firewall_rules":{"firewall_rule":[{"action":"accept","comment":"This is a new comment 0","destination_port_start":"80","destination_port_end":"80","direction":"in","family":"IPv4","protocol":"tcp"},{"action":"accept","comment":"This is a new comment 1","destination_port_start":"22","destination_port_end":"22","direction":"in","family":"IPv4","protocol":"tcp"},{"action":"drop","comment":"This is a new comment 2","direction":"in"}]}});
    let request: types::ReplaceFirewallRulesRequest = parse(&body);
    assert_eq!(request.firewall_rules[0].destination_port_start, Some(80));
    let server = empty(204).await;
    client(&server)
        .replace_firewall_rules(server_uuid(), request.firewall_rules)
        .send()
        .await
        .expect("204");
    let (method, _, sent_body) = sent(&server);
    assert_eq!(method, "PUT");
    assert_eq!(sent_body, Some(body));
}

#[tokio::test]
async fn assign_interface_ip_address_sends_force_only_when_asked() {
    let answer = json!({ "ip_address": { "address": "172.17.0.10", "family": "IPv4" } });
    let body = types::AssignInterfaceIpAddress {
        family: types::ServerIpAddressFamily::IPv4,
        address: None,
    };
    let server = replying(201, answer.clone()).await;
    client(&server)
        .assign_interface_ip_address(server_uuid(), 2, body.clone())
        .send()
        .await
        .expect("201");
    let seen = server.only_request();
    assert_eq!(seen.query(), Vec::<(String, String)>::new());
    assert_eq!(
        seen.body_json(),
        json!({ "ip_address": { "family": "IPv4" } })
    );

    let server = replying(201, answer).await;
    client(&server)
        .assign_interface_ip_address(server_uuid(), 2, body)
        .force(types::AssignInterfaceIpAddressForce::Yes)
        .send()
        .await
        .expect("201");
    assert_eq!(
        server.only_request().query_value("force").as_deref(),
        Some("yes")
    );
}

// ---------------------------------------------------------------------------------------------
// Recorded responses

#[tokio::test]
async fn an_empty_cdrom_device_reads_as_a_device_without_storage() {
    // loadejectcdrom#5: after the eject the CD-ROM device has `"storage": ""`. A required
    // StorageUuid made this response (and getServer of such a server) fail to decode.
    let case = recorded("upcloud-loadejectcdrom-005");
    let server = replying(200, case["response_body"].clone()).await;
    let details = client(&server)
        .eject_cdrom(server_uuid())
        .send()
        .await
        .expect("the recorded response decodes");
    let devices = details.storage_devices.as_deref().expect("devices");
    assert_eq!(devices.len(), 2);
    assert!(devices[0].storage.is_some());
    assert_eq!(
        devices[1].r#type,
        Some(types::ServerStorageDeviceType::Cdrom)
    );
    assert_eq!(devices[1].storage, None);
    assert_nothing_lost(&case["response_body"]["server"], &details);

    // The same device list through getServer.
    let server = replying(200, case["response_body"].clone()).await;
    let details = client(&server)
        .get_server(server_uuid())
        .send()
        .await
        .expect("getServer decodes an empty CD-ROM device");
    assert_eq!(details.storage_devices.expect("devices")[1].storage, None);
}

#[tokio::test]
async fn recorded_firewall_rules_read_empty_strings_as_absent_and_positions_as_numbers() {
    let case = recorded("upcloud-firewallrules-006");
    let server = replying(200, case["response_body"].clone()).await;
    let rules = client(&server)
        .list_firewall_rules(server_uuid())
        .send()
        .await
        .expect("the recorded rules decode");
    assert_eq!(rules.len(), 3);
    assert_eq!(rules[0].position, Some(1));
    assert_eq!(rules[0].destination_port_start, Some(80));
    assert_eq!(rules[0].family, Some(types::FirewallRuleFamily::IPv4));
    assert_eq!(rules[0].protocol, Some(types::FirewallRuleProtocol::Tcp));
    assert_eq!(rules[0].source_address_start, None);
    // The drop-all rule: `"family": ""`, `"protocol": ""`.
    assert_eq!(rules[2].action, types::FirewallRuleAction::Drop);
    assert_eq!(rules[2].family, None);
    assert_eq!(rules[2].protocol, None);
    assert_eq!(rules[2].destination_port_start, None);
    assert_nothing_lost(
        &case["response_body"]["firewall_rules"]["firewall_rule"],
        &rules,
    );
}

#[tokio::test]
async fn recorded_storage_details_keep_backups_servers_labels_and_an_empty_backup_rule() {
    // createstoprelocateserver#5: service labels, encrypted, an attached server, `backup_rule: {}`.
    let case = recorded("upcloud-createstoprelocateserver-005");
    let server = replying(200, case["response_body"].clone()).await;
    let details = client(&server)
        .get_storage(storage_uuid())
        .send()
        .await
        .expect("the recorded storage decodes");
    assert_eq!(details.r#type, types::StorageType::Normal);
    assert_eq!(details.encrypted, Some(false));
    assert_eq!(
        details.backup_rule,
        Some(types::StorageBackupRule::default())
    );
    assert_eq!(details.servers.as_ref().map(Vec::len), Some(1));
    assert_eq!(details.labels.as_ref().map(Vec::len), Some(6));
    assert_nothing_lost(&case["response_body"]["storage"], &details);

    // createrestorebackup#3: a backup, with its origin and no tier.
    let case = recorded("upcloud-createrestorebackup-003");
    let server = replying(200, case["response_body"].clone()).await;
    let backup = client(&server)
        .get_storage(storage_uuid())
        .send()
        .await
        .expect("the recorded backup decodes");
    assert_eq!(backup.r#type, types::StorageType::Backup);
    assert_eq!(
        backup.origin.map(|o| o.0.to_string()).as_deref(),
        Some("01a9b582-2254-4683-b408-1d41d6910b75")
    );
    assert_eq!(backup.tier, None);
}

#[tokio::test]
async fn recorded_backup_and_template_creation_return_storages_in_maintenance() {
    // createrestorebackup#1 and templatizeserverstorage#4 (201).
    let backup = json!({"storage":{"access":"private","created":"2023-01-12T07:59:30Z","license":0,"origin":"01a9b582-2254-4683-b408-1d41d6910b75","progress":"0","servers":{"server":[]},"size":10,"state":"maintenance","title":"backup-1673510370000000000","type":"backup","uuid":"0160e290-c379-4183-9f50-586ac8b41500","zone":"fi-hel2"}});
    let server = replying(201, backup.clone()).await;
    let details = client(&server)
        .create_storage_backup(
            storage_uuid(),
            types::StorageTitleOnly {
                title: "backup-1673510370000000000".to_owned(),
            },
        )
        .send()
        .await
        .expect("the recorded backup decodes");
    assert_eq!(
        server.only_request().body_json(),
        json!({"storage":{"title":"backup-1673510370000000000"}})
    );
    assert_eq!(details.state, types::StorageState::Maintenance);
    assert_eq!(details.progress, Some(0));
    assert_nothing_lost(&backup["storage"], &details);

    let template = json!({"storage":{"access":"private","created":"2022-10-27T17:16:52Z","license":0,"servers":{"server":[]},"size":10,"state":"maintenance","tier":"maxiops","title":"Templatized storage","type":"template","uuid":"0179854e-bf8c-4ac6-a157-1acf73ba500e","zone":"fi-hel2"}});
    let server = replying(201, template.clone()).await;
    let details = client(&server)
        .templatize_storage(
            storage_uuid(),
            types::StorageTitleOnly {
                title: "Templatized storage".to_owned(),
            },
        )
        .send()
        .await
        .expect("the recorded template decodes");
    assert_eq!(details.r#type, types::StorageType::Template);
    assert_nothing_lost(&template["storage"], &details);
}

#[tokio::test]
async fn recorded_storage_imports_read_empty_completion_and_checksums_as_absent() {
    // compresseddirectuploadstorageimport#2 (201): sent with `"source_location": ""`, answered
    // with `"completed": ""` and empty checksums.
    let request = json!({"storage_import":{"source":"direct_upload","source_location":""}});
    let answer = json!({"storage_import":{"client_content_length":0,"client_content_type":"","completed":"","created":"2022-10-27T17:15:56Z","direct_upload_url":"https://pl-waw1.img.upcloud.com/uploader/session/07d4753a-be2f-4e59-a3d2-e729a1034d40","error_code":"","error_message":"","md5sum":"","read_bytes":0,"sha256sum":"","source":"direct_upload","state":"prepared","uuid":"07d4753a-be2f-4e59-a3d2-e729a1034d40","written_bytes":0}});
    let server = replying(201, answer.clone()).await;
    let import = client(&server)
        .create_storage_import(
            storage_uuid(),
            parse::<types::CreateStorageImportRequest>(&request).storage_import,
        )
        .send()
        .await
        .expect("the recorded import decodes");
    assert_eq!(server.only_request().body_json(), request);
    assert_eq!(import.state, types::StorageImportState::Prepared);
    assert_eq!(import.completed, None);
    assert_eq!(import.md5sum, None);
    assert!(import.direct_upload_url.is_some());
    assert_nothing_lost(&answer["storage_import"], &import);

    // compresseddirectuploadstorageimport#5: completed, with checksums.
    let case = recorded("upcloud-compresseddirectuploadstorageimport-005");
    let server = replying(200, case["response_body"].clone()).await;
    let import = client(&server)
        .get_storage_import(storage_uuid())
        .send()
        .await
        .expect("the recorded import decodes");
    assert_eq!(import.state, types::StorageImportState::Completed);
    assert!(import.completed.is_some());
    assert_eq!(import.written_bytes, Some(24));
    assert_nothing_lost(&case["response_body"]["storage_import"], &import);
}

#[tokio::test]
async fn recorded_interface_changes_round_trip() {
    // createmodifydeletenetwork#6 (POST, 201) and #7 (PUT, 200).
    let case = recorded("upcloud-createmodifydeletenetwork-006");
    let server = replying(201, case["response_body"].clone()).await;
    let created = client(&server)
        .create_server_interface(
            server_uuid(),
            parse::<types::CreateServerInterfaceRequest>(&case["request_body"]).interface,
        )
        .send()
        .await
        .expect("the recorded interface decodes");
    assert_eq!(server.only_request().body_json(), case["request_body"]);
    assert_eq!(created.index, 4);

    let answer = json!({"interface":{"bootable":"no","index":5,"ip_addresses":{"ip_address":[{"address":"172.17.0.2","dhcp_provided":"yes","family":"IPv4","floating":"no"}]},"mac":"da:45:c4:5c:a5:b7","network":"038de4ca-f2dd-48b3-a383-a7483a04d714","source_ip_filtering":"yes","type":"private"}});
    let server = replying(200, answer.clone()).await;
    let modified = client(&server)
        .modify_server_interface(
            server_uuid(),
            4,
            types::ModifyServerInterface {
                index: Some(5),
                ..Default::default()
            },
        )
        .send()
        .await
        .expect("the recorded interface decodes");
    let (method, target, body) = sent(&server);
    assert_eq!(
        (method.as_str(), target),
        (
            "PUT",
            format!("/1.3/server/{SERVER_UUID}/networking/interface/4")
        )
    );
    assert_eq!(body, Some(json!({"interface":{"index":5}})));
    assert_eq!(modified.index, 5);
    assert_nothing_lost(&answer["interface"], &modified);
}

// ---------------------------------------------------------------------------------------------
// Errors and the waiter

#[tokio::test]
async fn a_missing_storage_is_a_typed_storage_not_found() {
    // createrestorebackup#7: the backup after its origin was deleted with its backups.
    let body = json!({"error":{"error_code":"STORAGE_NOT_FOUND","error_message":"The storage 0160e290-c379-4183-9f50-586ac8b41500 does not exist."}});
    let server = replying(404, body).await;
    let error = client(&server)
        .get_storage(storage_uuid())
        .send()
        .await
        .expect_err("a 404");
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 404);
    let typed = api.error().expect("the typed error");
    assert!(matches!(typed, GetStorageError::NotFound(_)), "{typed:?}");
    assert_eq!(typed.code(), Some(ErrorCode::StorageNotFound));
}

#[tokio::test]
async fn waiter_polls_a_clone_until_it_is_online() {
    // clonestorage#1 answered the clone in `maintenance`; clonestorage#2 polled it `online`.
    let clone = recorded("upcloud-clonestorage-001")["response_body"].clone();
    let online = recorded("upcloud-clonestorage-002")["response_body"].clone();
    let server = Server::scripted(
        PREFIX,
        vec![
            Reply::json(200, &clone),
            Reply::json(200, &clone),
            Reply::json(200, &online),
        ],
    )
    .await;
    let policy = WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .deadline(Duration::from_secs(10));
    let details = client(&server)
        .wait_for_storage_state(storage_uuid(), types::StorageState::Online, &policy)
        .await
        .expect("the clone comes online");
    assert_eq!(details.state, types::StorageState::Online);
    let seen = server.seen();
    assert_eq!(seen.len(), 3, "polls: {seen:#?}");
    for request in &seen {
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, format!("/1.3/storage/{STORAGE_UUID}"));
    }
}
