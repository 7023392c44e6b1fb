//! The UpCloud operations beyond servers and storages (`specs/upcloud.yaml`): IP addresses,
//! networks, routers, tags, private hosts, prices and the account's sub-resources. Every example
//! of these operations goes through the generated client against a loopback server, and recorded
//! traffic of upcloud-go-api (the conformance corpus and its cassettes) pins the wire details.

use std::time::Duration;

use cloudapi::runtime::{Error, Nullable, RetryPolicy};
use cloudapi::upcloud::{types, Client, ErrorCode};
use cloudgen_tests::loopback::{Reply, Server};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// The test server and the spec

const PREFIX: &str = "/1.3";
const TOKEN: &str = "ucat_01TESTTOKEN7d1e";

/// The path prefixes this file covers (tests/tests/upcloud.rs skips them).
const PATHS: [&str; 7] = [
    "/ip_address",
    "/network",
    "/router",
    "/tag",
    "/host",
    "/price",
    "/account/",
];

const ADDRESS: &str = "94.237.9.172";
const NETWORK: &str = "038de4ca-f2dd-48b3-a383-a7483a04d714";
const ROUTER: &str = "045fc7a9-9dc0-424e-8c06-2c35815f2ea1";
const TAG: &str = "testgettags_tag1";
const HOST: i64 = 6707495555;
const USERNAME: &str = "sdk_test_subaccount";
const YEAR_MONTH: &str = "2025-05";
const TOKEN_ID: &str = "0c511c65-5375-4dd3-8a76-df12ba772110";

async fn replying(status: u16, body: Value) -> Server {
    Server::scripted(PREFIX, vec![Reply::json(status, &body)]).await
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

fn network_uuid() -> types::NetworkUuid {
    types::NetworkUuid(NETWORK.parse().expect("a valid UUID"))
}

/// An interface UUID has no type prefix; the network's UUID serves, so the paths compare alike.
fn interface_uuid() -> types::NetworkInterfaceUuid {
    types::NetworkInterfaceUuid(NETWORK.parse().expect("a valid UUID"))
}

fn router_uuid() -> types::RouterUuid {
    types::RouterUuid(ROUTER.parse().expect("a valid UUID"))
}

fn tag_name() -> types::TagName {
    types::TagName(TAG.to_owned())
}

fn username() -> types::Username {
    types::Username(USERNAME.to_owned())
}

fn token_id() -> types::TokenId {
    types::TokenId(TOKEN_ID.parse().expect("a valid UUID"))
}

fn load_spec() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/upcloud.yaml");
    let text = std::fs::read_to_string(&path).expect("read specs/upcloud.yaml");
    serde_yaml::from_str(&text).expect("specs/upcloud.yaml is YAML")
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {reference}")),
        None => value,
    }
}

/// One operation of the covered paths, with its examples.
#[derive(Debug)]
struct Op {
    id: String,
    method: String,
    path: String,
    /// The request body example.
    request: Option<Value>,
    /// Each JSON response example: status, body, the `x-cloudgen-unwrap` pointer.
    responses: Vec<(u16, Value, Option<String>)>,
    /// The success statuses documented without a body.
    empty_successes: Vec<u16>,
}

fn operations(spec: &Value) -> Vec<Op> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        if !PATHS.iter().any(|p| path.starts_with(p)) {
            continue;
        }
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let request = operation
                .get("requestBody")
                .map(|b| resolve(spec, b))
                .and_then(|b| b.pointer("/content/application~1json/example"))
                .cloned();
            let mut responses = Vec::new();
            let mut empty_successes = Vec::new();
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let status: u16 = status.parse().expect("numeric status");
                let response = resolve(spec, response);
                let unwrap = response
                    .get("x-cloudgen-unwrap")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                match response.pointer("/content/application~1json/example") {
                    Some(example) => responses.push((status, example.clone(), unwrap)),
                    None if (200..300).contains(&status) => empty_successes.push(status),
                    None => {}
                }
            }
            out.push(Op {
                id: operation["operationId"]
                    .as_str()
                    .expect("operationId")
                    .to_owned(),
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                request,
                responses,
                empty_successes,
            });
        }
    }
    out
}

/// The request target the client must send for `op` with the inputs `call` uses.
fn expected_target(op: &Op) -> String {
    let uuid = if op.path.starts_with("/router") {
        ROUTER
    } else {
        NETWORK
    };
    let path = op
        .path
        .replace("{address}", ADDRESS)
        .replace("{uuid}", uuid)
        .replace("{name}", TAG)
        .replace("{username}", USERNAME)
        .replace("{year_month}", YEAR_MONTH);
    let path = if path.starts_with("/account/tokens") {
        path.replace("{id}", TOKEN_ID)
    } else {
        path.replace("{id}", &HOST.to_string())
    };
    format!("{PREFIX}{path}")
}

fn body<T: DeserializeOwned>(op: &Op) -> T {
    let example = op
        .request
        .clone()
        .unwrap_or_else(|| panic!("{} needs a request body example", op.id));
    serde_json::from_value(example)
        .unwrap_or_else(|e| panic!("{}: the request example does not decode: {e}", op.id))
}

/// The decoded success value, serialized again; or why the call failed.
fn outcome<T: Serialize, E: std::fmt::Debug>(result: Result<T, Error<E>>) -> Result<Value, String> {
    match result {
        Ok(value) => Ok(serde_json::to_value(&value).expect("serialize result")),
        Err(error) => Err(match error.api() {
            Some(api) => format!(
                "status {} typed={} {error:?}",
                api.status().as_u16(),
                api.error().is_some()
            ),
            None => format!("{error:?}"),
        }),
    }
}

/// Calls `op` through the client with fixed path inputs and the spec's request example.
async fn call(c: &Client, op: &Op) -> Result<Value, String> {
    match op.id.as_str() {
        "listIpAddresses" => outcome(c.list_ip_addresses().send().await),
        "assignIpAddress" => outcome(
            c.assign_ip_address(body::<types::AssignIpAddressRequest>(op).ip_address)
                .send()
                .await,
        ),
        "getIpAddress" => outcome(c.get_ip_address(ADDRESS).send().await),
        "modifyIpAddress" => outcome(
            c.modify_ip_address(
                ADDRESS,
                body::<types::ModifyIpAddressRequest>(op).ip_address,
            )
            .send()
            .await,
        ),
        "updateIpAddress" => outcome(
            c.update_ip_address(
                ADDRESS,
                body::<types::UpdateIpAddressRequest>(op).ip_address,
            )
            .send()
            .await,
        ),
        "releaseIpAddress" => outcome(c.release_ip_address(ADDRESS).send().await),
        "listNetworkInterfaces" => outcome(c.list_network_interfaces().send().await),
        "createNetworkInterface" => outcome(
            c.create_network_interface(body::<types::CreateNetworkInterfaceRequest>(op))
                .send()
                .await,
        ),
        "getNetworkInterface" => outcome(c.get_network_interface(interface_uuid()).send().await),
        "deleteNetworkInterface" => {
            outcome(c.delete_network_interface(interface_uuid()).send().await)
        }
        "createMsLmaSigningLink" => outcome(c.create_ms_lma_signing_link().send().await),
        "listNetworks" => outcome(c.list_networks().send().await),
        "createNetwork" => outcome(
            c.create_network(body::<types::CreateNetworkRequest>(op).network)
                .send()
                .await,
        ),
        "getNetwork" => outcome(c.get_network(network_uuid()).send().await),
        "modifyNetwork" => outcome(
            c.modify_network(
                network_uuid(),
                body::<types::ModifyNetworkRequest>(op).network,
            )
            .send()
            .await,
        ),
        "deleteNetwork" => outcome(c.delete_network(network_uuid()).send().await),
        "listRouters" => outcome(c.list_routers().send().await),
        "createRouter" => outcome(
            c.create_router(body::<types::CreateRouterRequest>(op).router)
                .send()
                .await,
        ),
        "getRouter" => outcome(c.get_router(router_uuid()).send().await),
        "modifyRouter" => outcome(
            c.modify_router(router_uuid(), body::<types::ModifyRouterRequest>(op).router)
                .send()
                .await,
        ),
        "deleteRouter" => outcome(c.delete_router(router_uuid()).send().await),
        "listTags" => outcome(c.list_tags().send().await),
        "createTag" => outcome(
            c.create_tag(body::<types::CreateTagRequest>(op).tag)
                .send()
                .await,
        ),
        "getTag" => outcome(c.get_tag(tag_name()).send().await),
        "modifyTag" => outcome(
            c.modify_tag(tag_name(), body::<types::ModifyTagRequest>(op).tag)
                .send()
                .await,
        ),
        "deleteTag" => outcome(c.delete_tag(tag_name()).send().await),
        "listHosts" => outcome(c.list_hosts().send().await),
        "getHost" => outcome(c.get_host(HOST).send().await),
        "modifyHost" => outcome(
            c.modify_host(HOST, body::<types::ModifyHostRequest>(op).host)
                .send()
                .await,
        ),
        "listPrices" => outcome(c.list_prices().send().await),
        "listAccounts" => outcome(c.list_accounts().send().await),
        "getAccountDetails" => outcome(c.get_account_details(username()).send().await),
        "createSubaccount" => outcome(
            c.create_subaccount(body::<types::CreateSubaccountRequest>(op).sub_account)
                .send()
                .await,
        ),
        "modifySubaccount" => outcome(
            c.modify_subaccount(
                username(),
                body::<types::ModifySubaccountRequest>(op).account,
            )
            .send()
            .await,
        ),
        "deleteSubaccount" => outcome(c.delete_subaccount(username()).send().await),
        "getBillingSummary" => outcome(c.get_billing_summary(YEAR_MONTH).send().await),
        "listTokens" => outcome(c.list_tokens().send().await),
        "createToken" => outcome(
            c.create_token(body::<types::CreateTokenRequest>(op))
                .send()
                .await,
        ),
        "getToken" => outcome(c.get_token(token_id()).send().await),
        "deleteToken" => outcome(c.delete_token(token_id()).send().await),
        other => {
            panic!("{other} is in a covered path but this test cannot call it: add it to `call`")
        }
    }
}

/// Where `actual` lost or changed something of `expected` (numbers compare by value).
fn lost(expected: &Value, actual: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, x) in e {
                match a.get(key) {
                    Some(y) => lost(x, y, &format!("{at}/{key}"), out),
                    None => out.push(format!("{at}/{key}: lost")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                lost(x, y, &format!("{at}/{i}"), out);
            }
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        (x, y) if x == y => {}
        (x, y) => out.push(format!("{at}: {x} became {y}")),
    }
}

// ---------------------------------------------------------------------------------------------
// Every example of the covered operations

#[tokio::test]
async fn every_success_example_decodes_through_its_operation_losing_nothing() {
    let spec = load_spec();
    let ops = operations(&spec);
    assert!(!ops.is_empty());
    let mut failures = Vec::new();
    let mut called = 0;
    for op in &ops {
        let mut cases: Vec<(u16, Option<Value>, Option<String>)> = op
            .responses
            .iter()
            .filter(|(status, _, _)| (200..300).contains(status))
            .map(|(s, v, u)| (*s, Some(v.clone()), u.clone()))
            .collect();
        cases.extend(op.empty_successes.iter().map(|s| (*s, None, None)));
        assert!(!cases.is_empty(), "{} documents no success response", op.id);
        for (status, example, unwrap) in cases {
            let server = match &example {
                Some(v) => replying(status, v.clone()).await,
                None => Server::scripted(PREFIX, vec![Reply::empty(status)]).await,
            };
            let result = call(&client(&server), op).await;
            called += 1;
            let seen = server.only_request();
            assert_eq!(seen.method, op.method, "{}", op.id);
            assert_eq!(seen.target, expected_target(op), "{}", op.id);
            if let Some(request) = &op.request {
                assert_eq!(
                    seen.json().as_ref(),
                    Some(request),
                    "{}: body on the wire",
                    op.id
                );
            }
            match (result, example) {
                (Err(why), _) => failures.push(format!("{} ({status}): {why}", op.id)),
                (Ok(back), Some(example)) => {
                    let expected = match &unwrap {
                        Some(pointer) => example
                            .pointer(pointer)
                            .unwrap_or_else(|| panic!("{}: {pointer} not in the example", op.id))
                            .clone(),
                        None => example,
                    };
                    let mut found = Vec::new();
                    lost(&expected, &back, "", &mut found);
                    if !found.is_empty() {
                        failures.push(format!("{} ({status}): {found:?}", op.id));
                    }
                }
                (Ok(_), None) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(called >= ops.len());
}

#[tokio::test]
async fn every_documented_error_code_decodes_to_its_typed_error() {
    let spec = load_spec();
    let ops = operations(&spec);
    let mut checked = 0;
    for op in &ops {
        let item = &spec["paths"][&op.path][op.method.to_ascii_lowercase()];
        let Some(codes) = item.get("x-cloudgen-error-codes").and_then(Value::as_array) else {
            continue;
        };
        for code in codes {
            let name = code["code"].as_str().expect("code");
            let status = code["status"].as_u64().expect("status") as u16;
            let server = replying(
                status,
                json!({ "error": { "error_code": name, "error_message": "test" } }),
            )
            .await;
            let result = call(&client(&server), op).await;
            let why = result.expect_err("an error status must not decode as a success");
            assert!(
                why.starts_with(&format!("status {status} typed=true")),
                "{} {name}: {why}",
                op.id
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

// ---------------------------------------------------------------------------------------------
// Recorded traffic: IP addresses

/// upcloud-attachmodifyreleasefloatingipaddress-011: detaching a floating address sends an
/// explicit `"mac": null`, and the answer has neither `mac` nor `server`.
#[tokio::test]
async fn detaching_a_floating_address_sends_mac_null() {
    let answer = json!({"ip_address": {"access": "public", "address": "94.237.9.172", "family": "IPv4", "floating": "yes", "ptr_record": "94-237-9-172.fi-hel2.upcloud.host", "zone": "fi-hel2"}});
    let server = replying(202, answer).await;
    let body = types::ModifyIpAddress {
        mac: Nullable::Null,
        ..Default::default()
    };
    let address = client(&server)
        .modify_ip_address(ADDRESS, body)
        .send()
        .await
        .expect("202 decodes");
    let seen = server.only_request();
    assert_eq!(seen.method, "PATCH");
    assert_eq!(seen.body_json(), json!({"ip_address": {"mac": null}}));
    assert_eq!(address.floating, Some(true));
    assert_eq!(address.mac, None);
    assert_eq!(address.server, None);
}

/// The PUT form of modify (UpCloud's OpenAPI description 0.0.83): `ptr_record` is always sent,
/// `floating` as `"yes"`/`"no"`, and what is not set is left out.
#[tokio::test]
async fn the_put_form_of_modify_sends_the_ptr_record_and_only_what_is_set() {
    let server = replying(
        202,
        json!({"ip_address": {"access": "public", "address": ADDRESS, "family": "IPv4", "floating": "yes", "ptr_record": "float.example.com"}}),
    )
    .await;
    let body = types::UpdateIpAddressRequest {
        ip_address: types::UpdateIpAddress {
            ptr_record: "float.example.com".to_owned(),
            floating: Some(true),
            vlan_id: None,
        },
    };
    let address = client(&server)
        .update_ip_address(ADDRESS, body.ip_address)
        .send()
        .await
        .expect("202 decodes");
    let seen = server.only_request();
    assert_eq!(seen.method, "PUT");
    assert_eq!(seen.target, format!("{PREFIX}/ip_address/{ADDRESS}"));
    assert_eq!(
        seen.body_json(),
        json!({"ip_address": {"ptr_record": "float.example.com", "floating": "yes"}})
    );
    assert_eq!(address.floating, Some(true));
}

/// The MS LMA signing link: a POST without a body; a finished signing reads with its date.
#[tokio::test]
async fn creating_the_ms_lma_signing_link_sends_no_body() {
    let server = replying(
        201,
        json!({"signing_status": {"id": "8a6f7b3e", "initiated": "2026-11-30T08:00:00Z", "signed_at": "2026-11-30T08:05:00Z", "signing_link": "https://sign.example.com/8a6f7b3e", "state": "completed"}}),
    )
    .await;
    let status = client(&server)
        .create_ms_lma_signing_link()
        .send()
        .await
        .expect("201 decodes");
    let seen = server.only_request();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.target, format!("{PREFIX}/account/ms_lma"));
    assert!(seen.body.is_empty(), "no request body");
    assert_eq!(status.state, types::MsLmaSigningState::Completed);
    assert!(status.signed_at.is_some());
}

/// A network interface on its own: `bootable` and `source_ip_filtering` go as `"yes"`/`"no"`,
/// labels as a bare array, and the 201 answer is the interface without an envelope.
#[tokio::test]
async fn creating_a_network_interface_sends_yes_no_flags_and_reads_the_bare_answer() {
    let server = replying(
        201,
        json!({"bootable": "no", "ip_addresses": [], "mac": "da:45:c4:5c:65:6c", "network": NETWORK, "source_ip_filtering": "yes", "type": "private", "uuid": "f3c4d5e6-7a8b-4c9d-8e0f-1a2b3c4d5e6f"}),
    )
    .await;
    let body = types::CreateNetworkInterfaceRequest {
        interface: types::CreateNetworkInterface {
            r#type: types::NetworkType::Private,
            network: network_uuid(),
            bootable: false,
            source_ip_filtering: true,
            labels: Some(vec![types::NetworkInterfaceLabel {
                key: "env".to_owned(),
                value: "test".to_owned(),
                visible: true,
            }]),
        },
        main_account_id: None,
    };
    let created = client(&server)
        .create_network_interface(body)
        .send()
        .await
        .expect("201 decodes");
    let seen = server.only_request();
    assert_eq!(seen.target, format!("{PREFIX}/network/interface"));
    assert_eq!(
        seen.body_json(),
        json!({"interface": {"type": "private", "network": NETWORK, "bootable": "no", "source_ip_filtering": "yes", "labels": [{"key": "env", "value": "test", "visible": "yes"}]}})
    );
    assert!(!created.bootable);
    assert!(created.ip_addresses.is_empty());
}

/// upcloud-attachmodifyreleasefloatingipaddress-008: moving it sends the new interface's MAC; an
/// absent `mac` is not sent at all.
#[tokio::test]
async fn moving_a_floating_address_sends_the_mac_and_leaves_out_what_is_not_set() {
    let server = replying(
        202,
        json!({"ip_address": {"access": "public", "address": "94.237.9.172", "family": "IPv4"}}),
    )
    .await;
    let body = types::ModifyIpAddress {
        mac: Nullable::Value("da:45:c4:5c:21:64".to_owned()),
        ..Default::default()
    };
    client(&server)
        .modify_ip_address(ADDRESS, body)
        .send()
        .await
        .expect("202 decodes");
    assert_eq!(
        server.only_request().body_json(),
        json!({"ip_address": {"mac": "da:45:c4:5c:21:64"}})
    );
}

/// attachmodifyreleasefloatingipaddress.yaml#5: creating a floating address answers 201.
#[tokio::test]
async fn assigning_a_floating_address_decodes_the_201_answer() {
    let answer = json!({"ip_address": {"access": "public", "address": "94.237.9.172", "family": "IPv4", "floating": "yes", "mac": "da:45:c4:5c:65:6c", "ptr_record": "94-237-9-172.fi-hel2.upcloud.host", "server": "0078c168-d578-4a64-95cf-07376f1dc524", "zone": "fi-hel2"}});
    let server = replying(201, answer).await;
    let body: types::AssignIpAddressRequest = serde_json::from_value(
        json!({"ip_address": {"family": "IPv4", "floating": "yes", "mac": "da:45:c4:5c:65:6c"}}),
    )
    .expect("the recorded request reads");
    let address = client(&server)
        .assign_ip_address(body.ip_address)
        .send()
        .await
        .expect("201 decodes");
    assert_eq!(address.family, types::IpAddressFamily::IPv4);
    assert_eq!(address.access, types::IpAddressAccess::Public);
    assert_eq!(address.zone.map(|z| z.0), Some("fi-hel2".to_owned()));
}

/// getipaddresses.yaml#3: a utility address has an empty `ptr_record`.
#[test]
fn a_utility_address_reads_with_an_empty_ptr_record() {
    let address: types::IpAddressResponse = serde_json::from_value(json!({"ip_address": {"access": "utility", "address": "10.6.6.198", "family": "IPv4", "mac": "da:45:c4:5c:eb:18", "ptr_record": "", "server": "009e541c-c9a4-4cf8-a63f-933faa9023bc", "zone": "fi-hel2"}})).expect("reads");
    assert_eq!(address.ip_address.access, types::IpAddressAccess::Utility);
    assert_eq!(address.ip_address.ptr_record.as_deref(), Some(""));
}

// ---------------------------------------------------------------------------------------------
// Recorded traffic: networks and routers

/// upcloud-createtwonetworkstwoserversandarouter-019: detaching a router sends `"router": null`
/// (what upcloud-go-api's DetachNetworkRouter does), attaching sends the UUID.
#[tokio::test]
async fn detaching_and_attaching_a_router_go_through_modify_network() {
    let answer = json!({"network": {"ip_networks": {"ip_network": [{"address": "192.168.86.1/24", "dhcp": "yes", "dhcp_default_route": "no", "dhcp_dns": ["192.168.86.10", "192.168.86.11"], "family": "IPv4", "gateway": "192.168.86.1"}]}, "name": "test private network #1 (test)", "type": "private", "uuid": "039d20c5-dfe0-44b4-b0e1-8cb2b5ae1567", "zone": "fi-hel2"}});
    let server = replying(200, answer).await;
    let c = client(&server);
    let detach = types::ModifyNetwork {
        router: Nullable::Null,
        ..Default::default()
    };
    let network = c
        .modify_network(network_uuid(), detach)
        .send()
        .await
        .expect("200 decodes");
    assert_eq!(network.router, None);
    let attach = types::ModifyNetwork {
        router: Nullable::Value(ROUTER.parse().expect("uuid")),
        ..Default::default()
    };
    c.modify_network(network_uuid(), attach)
        .send()
        .await
        .expect("200 decodes");
    let seen = server.seen();
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].body_json(), json!({"network": {"router": null}}));
    assert_eq!(seen[1].body_json(), json!({"network": {"router": ROUTER}}));
}

/// getnetworksinzone.yaml#2: the zone filter is a query parameter.
#[tokio::test]
async fn list_networks_sends_the_zone_as_a_query_parameter() {
    let server = replying(200, json!({"networks": {"network": []}})).await;
    let networks = client(&server)
        .list_networks()
        .zone(types::ZoneId("fi-hel2".to_owned()))
        .send()
        .await
        .expect("200 decodes");
    assert!(networks.is_empty());
    let seen = server.only_request();
    assert_eq!(seen.path(), "/1.3/network");
    assert_eq!(seen.query_value("zone").as_deref(), Some("fi-hel2"));
}

/// dhcpnetworkconfigurations.yaml#6: route auto-population settings, effective routes and the
/// bare-array labels of a network all read, and write back unchanged.
#[test]
fn recorded_network_with_route_auto_population_keeps_every_field() {
    let recorded = json!({"network": {"effective_routes": [], "ip_networks": {"ip_network": [{"address": "172.16.0.0/22", "dhcp": "yes", "dhcp_default_route": "yes", "dhcp_dns": ["172.16.0.10", "172.16.1.10"], "dhcp_effective_routes": [], "dhcp_routes_configuration": {"effective_routes_auto_population": {"enabled": "yes", "exclude_by_source": ["static-route"], "filter_by_route_type": ["service"]}}, "family": "IPv4", "gateway": "172.16.0.1"}]}, "labels": [], "name": "sdk-test default-route yes", "type": "private", "uuid": "03a30756-eac1-42dc-857e-27def01f8d72", "zone": "fi-hel2"}});
    let network: types::NetworkResponse = serde_json::from_value(recorded.clone()).expect("reads");
    let subnet = &network.network.ip_networks[0];
    assert!(subnet.dhcp && subnet.dhcp_default_route);
    let auto = subnet
        .dhcp_routes_configuration
        .as_ref()
        .and_then(|c| c.effective_routes_auto_population.as_ref())
        .expect("auto population settings");
    assert_eq!(auto.enabled, Some(true));
    assert_eq!(
        auto.exclude_by_source.as_deref(),
        Some(&[types::NetworkRouteSource::StaticRoute][..])
    );
    let mut found = Vec::new();
    lost(
        &recorded,
        &serde_json::to_value(&network).expect("writes"),
        "",
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");
}

/// createmanagedobjectstoragenetwork.yaml#3 sends a router with the new network; the create
/// body reads and writes back the same JSON.
#[test]
fn recorded_create_network_with_a_router_round_trips() {
    let recorded = json!({"network":{"name":"managed-object-storage","zone":"fi-hel1","router":"04e3af3d-1756-4f6c-b46f-1ddda9c7e16a","ip_networks":{"ip_network":[{"address":"172.18.1.0/24","dhcp":"no","dhcp_default_route":"no","family":"IPv4","gateway":"172.18.1.1"}]}}});
    let body: types::CreateNetworkRequest =
        serde_json::from_value(recorded.clone()).expect("reads");
    assert_eq!(body.network.ip_networks[0].dhcp, Some(false));
    assert_eq!(serde_json::to_value(&body).expect("writes"), recorded);
}

/// routerlabelsandfilters.yaml: router labels are a bare array, cleared with `[]`, and the label
/// filter goes into the query.
#[tokio::test]
async fn router_labels_are_a_bare_array_and_filter_by_label() {
    let server = replying(200, json!({"routers": {"router": [{"attached_networks": {"network": []}, "labels": [{"key": "color", "value": "red"}], "name": "test_router_labels_and_filters_1", "static_routes": [], "type": "normal", "uuid": "041d21e2-30ca-41eb-8498-a2eddce05796"}]}})).await;
    let routers = client(&server)
        .list_routers()
        .label(vec!["color=red".to_owned()])
        .send()
        .await
        .expect("200 decodes");
    assert_eq!(routers[0].labels.as_ref().map(Vec::len), Some(1));
    assert_eq!(routers[0].r#type, types::RouterType::Normal);
    let seen = server.only_request();
    // The recorded request line (routerlabelsandfilters.yaml#3).
    assert_eq!(seen.target, "/1.3/router?label=color%3Dred");

    let clear = json!({"router": {"name": "test_router_labels_and_filters_1", "labels": []}});
    let body: types::ModifyRouterRequest = serde_json::from_value(clear.clone()).expect("reads");
    assert_eq!(serde_json::to_value(&body).expect("writes"), clear);
}

/// A utility network router (createmodifydeleterouter.yaml#2) has `type: service` and lists its
/// networks wrapped as `{"network": [{"uuid": ...}]}`.
#[test]
fn a_service_router_lists_its_networks() {
    let router: types::RouterResponse = serde_json::from_value(json!({"router": {"attached_network_gateways": [], "attached_networks": {"network": [{"uuid": "03c40911-2f43-4138-bb91-7561a8351353"}, {"uuid": "0343ede2-9890-4470-b680-0dcda6d9f7e3"}]}, "labels": [], "name": "Utility network router for zone fi-hel2", "static_routes": [], "type": "service", "uuid": "041e39c9-d2b5-4b26-a9b9-d732fc900189"}})).expect("reads");
    assert_eq!(router.router.r#type, types::RouterType::Service);
    assert_eq!(router.router.attached_networks.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Recorded traffic: tags, hosts, prices

/// upcloud-createtag-000: deleting a tag that does not exist is a 404 with TAG_NOT_FOUND.
#[tokio::test]
async fn delete_tag_404_tag_not_found_decodes_to_its_code() {
    let server = replying(
        404,
        json!({"error": {"error_code": "TAG_NOT_FOUND", "error_message": "The tag testTag does not exist."}}),
    )
    .await;
    let result = client(&server)
        .delete_tag(types::TagName("testTag".to_owned()))
        .send()
        .await;
    let error = result.expect_err("404 is an error");
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 404);
    let typed = api.error().expect("the typed error");
    assert_eq!(typed.code(), Some(ErrorCode::TagNotFound));
    assert_eq!(server.only_request().target, "/1.3/tag/testTag");
}

/// upcloud-gettags-003: createTag answers 200 (not 201) with the tag, an empty server list
/// wrapped as `{"server": []}`.
#[tokio::test]
async fn create_tag_answers_200_with_the_tag() {
    let server = replying(200, json!({"tag": {"description": "testgettags_tag1 description", "name": "testgettags_tag1", "servers": {"server": []}}})).await;
    let request = json!({"tag":{"name":"testgettags_tag1","description":"testgettags_tag1 description","servers":{"server":[]}}});
    let body: types::CreateTagRequest = serde_json::from_value(request.clone()).expect("reads");
    let tag = client(&server)
        .create_tag(body.tag)
        .send()
        .await
        .expect("200 decodes");
    assert!(tag.servers.is_empty());
    assert_eq!(server.only_request().body_json(), request);
}

/// upcloud-tagging-009: renaming a tag puts the new name in the body and the old in the path.
#[tokio::test]
async fn modify_tag_renames_through_the_body() {
    let server = replying(
        200,
        json!({"tag": {"description": "", "name": "tag2_renamed", "servers": {"server": []}}}),
    )
    .await;
    let request = json!({"tag":{"name":"tag2_renamed","servers":{"server":[]}}});
    let body: types::ModifyTagRequest = serde_json::from_value(request.clone()).expect("reads");
    let tag = client(&server)
        .modify_tag(types::TagName("tag2".to_owned()), body.tag)
        .send()
        .await
        .expect("200 decodes");
    assert_eq!(tag.name.0, "tag2_renamed");
    assert_eq!(tag.description.as_deref(), Some(""));
    let seen = server.only_request();
    assert_eq!(
        (seen.method.as_str(), seen.target.as_str()),
        ("PUT", "/1.3/tag/tag2")
    );
    assert_eq!(seen.body_json(), request);
}

/// getmodifyhosts.yaml#0: host ids exceed 32 bits and stats are wrapped as `{"stat": [...]}`
/// with fractional values.
#[tokio::test]
async fn recorded_host_listing_keeps_large_ids_and_stats() {
    let recorded = json!({"hosts": {"host": [{"description": "Test private host #1", "id": 6707495555u64, "stats": {"stat": [{"name": "cpu_idle", "timestamp": "2020-08-19T14:06:33Z", "value": 99.7840625000083}, {"name": "memory_free", "timestamp": "2020-08-19T14:06:33Z", "value": 341}]}, "windows_enabled": "no", "zone": "uk-tst1"}, {"description": "Test private host #2", "id": 4560011907u64, "stats": {"stat": [{"name": "cpu_idle", "timestamp": "2020-08-19T14:06:33Z", "value": 99.8518402777618}, {"name": "memory_free", "timestamp": "2020-08-19T14:06:33Z", "value": 344}]}, "windows_enabled": "yes", "zone": "uk-tst1"}]}});
    let server = replying(200, recorded.clone()).await;
    let hosts = client(&server)
        .list_hosts()
        .send()
        .await
        .expect("200 decodes");
    assert_eq!(hosts[0].id.0, 6707495555);
    assert_eq!(hosts[1].windows_enabled, Some(true));
    let stats = hosts[0].stats.as_ref().expect("stats");
    assert_eq!(stats[0].value, 99.7840625000083);
    let mut found = Vec::new();
    lost(
        &recorded["hosts"]["host"],
        &serde_json::to_value(&hosts).expect("writes"),
        "",
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");
}

/// upcloud-getmodifyhosts-003: modifyHost sends only the description and answers 200.
#[tokio::test]
async fn modify_host_sends_the_recorded_body() {
    let server = replying(200, json!({"host": {"description": "Test private host #1", "id": 6707495555u64, "stats": {"stat": []}, "windows_enabled": "no", "zone": "uk-tst1"}})).await;
    let body = types::ModifyHost {
        description: "Test private host #1".to_owned(),
    };
    client(&server)
        .modify_host(HOST, body)
        .send()
        .await
        .expect("200 decodes");
    let seen = server.only_request();
    assert_eq!(
        (seen.method.as_str(), seen.target.as_str()),
        ("PATCH", "/1.3/host/6707495555")
    );
    assert_eq!(
        seen.body_json(),
        json!({"host":{"description":"Test private host #1"}})
    );
}

/// upcloud-getpricezones-000: every zone carries its name and one member per billable item; the
/// item names (plans included) are kept, with integer and fractional prices.
#[tokio::test]
async fn recorded_price_zone_keeps_every_item() {
    let zone = json!({"name": "fi-hel2", "firewall": {"amount": 1, "price": 0.56}, "io_request_backup": {"amount": 1000000, "price": 0}, "ipv4_address": {"amount": 1, "price": 0.336}, "server_core": {"amount": 1, "price": 1.24}, "server_memory": {"amount": 256, "price": 0.34}, "server_plan_1xCPU-2GB": {"amount": 1, "price": 2.2321}, "storage_maxiops": {"amount": 1, "price": 0.031}});
    let server = replying(200, json!({"prices": {"zone": [zone.clone()]}})).await;
    let zones = client(&server)
        .list_prices()
        .send()
        .await
        .expect("200 decodes");
    assert_eq!(zones[0].name.0, "fi-hel2");
    let plan = &zones[0].additional_properties["server_plan_1xCPU-2GB"];
    assert_eq!((plan.amount, plan.price), (1, 2.2321));
    assert_eq!(zones[0].additional_properties.len(), 7);
    let mut found = Vec::new();
    lost(
        &zone,
        &serde_json::to_value(&zones[0]).expect("writes"),
        "",
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");
}

// ---------------------------------------------------------------------------------------------
// Recorded traffic: accounts and tokens

/// upcloud-permissions-000: upcloud-go-api creates a sub-account with `null` access lists
/// (`{"tag": null}`, ...) and the API accepts it (204). The body reads and is sent back with the
/// same explicit nulls.
#[tokio::test]
async fn create_subaccount_keeps_explicit_null_access_lists() {
    let recorded = json!({"sub_account":{"username":"sdk_test_permissions_subaccount","password":"mysecr3tPassword","first_name":"Test","last_name":"User","company":"UpCloud Ltd","address":"my address","postal_code":"00130","city":"Helsinki","email":"test@myhost.mydomain","phone":"+358.31245434","state":"","country":"FIN","currency":"EUR","language":"en","vat_number":"FI24315605","timezone":"UTC","allow_api":"yes","allow_gui":"no","tag_access":{"tag":null},"roles":{"role":null},"server_access":{"server":null},"storage_access":{"storage":null},"network_access":{"network":null},"ip_filters":{"ip_filter":null}}});
    let body: types::CreateSubaccountRequest =
        serde_json::from_value(recorded.clone()).expect("reads");
    assert_eq!(
        body.sub_account.roles.as_ref().map(|r| &r.role),
        Some(&Nullable::Null)
    );
    let server = Server::scripted(PREFIX, vec![Reply::empty(204)]).await;
    client(&server)
        .create_subaccount(body.sub_account)
        .send()
        .await
        .expect("204");
    let seen = server.only_request();
    assert_eq!(
        (seen.method.as_str(), seen.target.as_str()),
        ("POST", "/1.3/account/sub")
    );
    assert_eq!(seen.body_json(), recorded);
}

/// upcloud-permissions-001: the details of a fresh sub-account hold only its username.
#[test]
fn account_details_may_hold_only_the_username() {
    let details: types::AccountDetailsResponse =
        serde_json::from_value(json!({"account": {"username": "sdk_test_permissions_subaccount"}}))
            .expect("reads");
    assert_eq!(
        details.account.username.0,
        "sdk_test_permissions_subaccount"
    );
    assert_eq!(details.account.r#type, None);
}

/// upcloud-createmodifydeletesubaccount-003: modifySubaccount's envelope is `account`, and the
/// recorded body round-trips.
#[test]
fn recorded_modify_subaccount_body_round_trips() {
    let recorded = json!({"account":{"first_name":"User","last_name":"Test","company":"UpCloud","address":"address","postal_code":"00132","city":"New York","email":"test@mydomain.myhost","phone":"+358.31245436","state":"New York","country":"USA","currency":"USD","language":"en","vat_number":"","timezone":"Europe/Helsinki","allow_api":"no","allow_gui":"yes","tag_access":{"tag":[]},"roles":{"role":["billing"]},"server_access":{"server":[]},"storage_access":{"storage":[]},"network_access":{"network":[]},"ip_filters":{"ip_filter":["127.0.0.3"]}}});
    let body: types::ModifySubaccountRequest =
        serde_json::from_value(recorded.clone()).expect("reads");
    assert_eq!(body.account.allow_gui, Some(true));
    assert_eq!(serde_json::to_value(&body).expect("writes"), recorded);
}

/// upcloud-token-003: the token list is a bare array; time stamps keep their recorded digits
/// (`.000009Z`) and `last_used_at` is absent for an unused token.
#[tokio::test]
async fn recorded_token_list_keeps_time_stamps_as_sent() {
    let recorded = json!([{"id": "0cd85ae7-0a16-423c-817b-85b8f4bcbb03", "name": "my_1st_token", "type": "workspace", "created_at": "2025-01-30T17:40:59.267513Z", "expires_at": "2025-12-01T00:00:00.000009Z", "last_used_at": "2025-01-30T17:40:59.50002Z", "can_create_tokens": true, "allowed_ip_ranges": ["0.0.0.0/0", "::/0"], "gui": false}, {"id": "0c26b13f-8079-4415-889d-6e4e6fba6de1", "name": "my_2nd_token", "type": "workspace", "created_at": "2025-02-06T15:33:07.895253Z", "expires_at": "2025-12-01T00:00:00.000012Z", "can_create_tokens": false, "allowed_ip_ranges": ["0.0.0.0/1", "::/0"], "gui": false}]);
    let server = replying(200, recorded.clone()).await;
    let tokens = client(&server)
        .list_tokens()
        .send()
        .await
        .expect("200 decodes");
    assert_eq!(tokens[0].expires_at, "2025-12-01T00:00:00.000009Z");
    assert_eq!(tokens[1].last_used_at, None);
    assert_eq!(tokens[0].token, None);
    assert_eq!(serde_json::to_value(&tokens).expect("writes"), recorded);
    assert_eq!(server.only_request().target, "/1.3/account/tokens");
}

/// upcloud-token-000: createToken's body is not enveloped, and only its 201 answer has the secret.
#[tokio::test]
async fn create_token_sends_the_recorded_body_and_reads_the_secret() {
    let request = json!({"name":"my_1st_token","expires_at":"2025-12-01T00:00:00Z","can_create_tokens":true,"allowed_ip_ranges":["0.0.0.0/0","::/0"]});
    let server = replying(201, json!({"allowed_ip_ranges": ["0.0.0.0/0", "::/0"], "can_create_tokens": true, "created_at": "2025-02-06T15:33:07.534408Z", "expires_at": "2025-12-01T00:00:00.00001Z", "gui": false, "id": "0c511c65-5375-4dd3-8a76-df12ba772110", "name": "my_1st_token", "token": "ucat_[REDACTED]", "type": "workspace"})).await;
    let body: types::CreateTokenRequest = serde_json::from_value(request.clone()).expect("reads");
    let token = client(&server)
        .create_token(body)
        .send()
        .await
        .expect("201 decodes");
    assert_eq!(
        token.token.as_ref().map(|t| t.expose()),
        Some("ucat_[REDACTED]")
    );
    assert_eq!(server.only_request().body_json(), request);
}

/// upcloud-go-api's TestUnmarshalBillingSummaryWithStringFirewall: `firewall` may be a string;
/// categories and resource groups are kept by name.
#[tokio::test]
async fn billing_summary_reads_categories_by_name_and_a_string_firewall() {
    let server = replying(200, json!({"currency": "USD", "total_amount": 10.5, "servers": {"server": {"resources": [{"amount": 10.5, "details": [{"amount": 10.5, "hours": 100, "firewall": "0", "plan": "1xCPU-1GB", "zone": "us-nyc1"}], "hours": 100, "resource_id": "00000000-0000-0000-0000-000000000001"}], "total_amount": 10.5}, "total_amount": 10.5}})).await;
    let summary = client(&server)
        .get_billing_summary(YEAR_MONTH)
        .username(types::Username("mock-username".to_owned()))
        .send()
        .await
        .expect("200 decodes");
    let group = &summary.additional_properties["servers"].additional_properties["server"];
    assert_eq!(
        group.resources[0].details.as_ref().expect("details")[0].firewall,
        Some(0.0)
    );
    assert_eq!(
        server.only_request().target,
        "/1.3/account/billing/summary/2025-05?username=mock-username"
    );
}
