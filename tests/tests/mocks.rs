//! The typed mocks of `cloudapi` (its `mock` feature) used through the real clients: the flow of
//! each provider example (templates/examples/*.rs) against a `mock::MockServer` on loopback,
//! and what a mock matches and answers. A mock that encoded a value differently from the client
//! (a missing `{"server": ...}` wrapper, a wrapped list, an envelope) fails these tests, since
//! the client would not decode it or the mock would not match the request.
//!
//! The JSON values below are small hand-written bodies with the fields the types require.

use cloudapi::prelude::*;
use cloudapi::runtime::{BatchError, ItemResult};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// A runtime client from a module's `builder` with a bearer token and no retries, at a mock's
/// `base_url`.
fn runtime_client(
    builder: cloudapi::runtime::ClientBuilder,
    base_url: String,
) -> cloudapi::runtime::Client {
    builder
        .bearer_token("test-token")
        .base_url(base_url)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client of the mock")
}

/// A value of a generated type from its wire JSON.
fn from_json<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the test body fits the type")
}

mod upcloud {
    use super::*;
    use cloudapi::upcloud::mock::MockServer;
    use cloudapi::upcloud::{types, Client, ErrorCode};

    const SERVER_UUID: &str = "00798b85-efdc-41ca-8021-f6ef457b8531";

    fn client(server: &MockServer) -> Client {
        Client::from_runtime(runtime_client(Client::builder(), server.base_url()))
    }

    fn server_details(state: &str) -> types::ServerDetails {
        from_json(json!({
            "uuid": SERVER_UUID, "title": "web1", "hostname": "web1.example.com",
            "state": state, "zone": "fi-hel1", "core_number": "1", "memory_amount": "1024"
        }))
    }

    fn error(code: &str, message: &str) -> types::Error {
        from_json(json!({"error": {"error_code": code, "error_message": message}}))
    }

    fn create_request() -> types::CreateServer {
        from_json(json!({
            "zone": "fi-hel1", "title": "web1", "hostname": "web1.example.com", "plan": "1xCPU-1GB",
            "storage_devices": {"storage_device": [{
                "action": "clone", "storage": "01000000-0000-4000-8000-000030240200",
                "title": "web1 disk"
            }]},
            "networking": {"interfaces": {"interface": [{
                "type": "public", "ip_addresses": {"ip_address": [{"family": "IPv4"}]}
            }]}}
        }))
    }

    /// upcloud_servers: list by label, create, wait until started, stop (refused: a typed code).
    #[tokio::test]
    async fn the_servers_example_runs_against_the_mocks() {
        let server = MockServer::start().await;
        let listed: Vec<types::Server> = vec![from_json(json!({
            "uuid": SERVER_UUID, "title": "web1", "hostname": "web1.example.com",
            "state": "started", "zone": "fi-hel1"
        }))];
        server
            .list_servers(|when, then| {
                when.label(["env=prod".to_owned()]).expect(1);
                then.ok(&listed);
            })
            .await;
        let request = create_request();
        server
            .create_server(|when, then| {
                when.body(&request).expect(1);
                then.accepted(&server_details("maintenance"));
            })
            .await;
        let uuid: types::ServerUuid = SERVER_UUID.parse().expect("a server UUID");
        server
            .get_server(|when, then| {
                when.uuid(uuid.clone());
                then.ok(&server_details("started"));
            })
            .await;
        server
            .stop_server(|when, then| {
                when.uuid(uuid.clone());
                then.bad_request(&error("SERVER_STATE_ILLEGAL", "The server is not running."));
            })
            .await;

        let client = client(&server);
        let servers = client.list_servers().label("env=prod").send().await;
        assert_eq!(servers.expect("listed"), listed);
        let created = client.create_server(request.clone()).send().await;
        assert_eq!(
            created.expect("created").state,
            types::ServerState::Maintenance
        );
        let policy = WaitPolicy::new().interval(std::time::Duration::from_millis(10));
        let started = client
            .wait_for_server_state(uuid.clone(), types::ServerState::Started, &policy)
            .await
            .expect("started");
        assert_eq!(started, server_details("started"));
        let stopped = client
            .stop_server(uuid.clone(), types::StopServer::default())
            .send()
            .await;
        let error = stopped.expect_err("the mock refuses the stop");
        let code = error.api().and_then(|api| api.error()?.code());
        assert_eq!(code, Some(ErrorCode::ServerStateIllegal));
        server.runtime().verify().await;
    }

    /// A request that differs from what the mock expects (another label, another body) is not
    /// answered by it: the client sees the mock server's `404`.
    #[tokio::test]
    async fn a_mock_answers_only_requests_with_its_parameters_and_body() {
        let server = MockServer::start().await;
        server
            .list_servers(|when, then| {
                when.label(["env=prod".to_owned()]);
                then.ok(&Vec::new());
            })
            .await;
        let request = create_request();
        server
            .create_server(|when, then| {
                when.body(&request);
                then.accepted(&server_details("maintenance"));
            })
            .await;
        let client = client(&server);
        assert_eq!(
            client.list_servers().label("env=prod").send().await.ok(),
            Some(Vec::new())
        );
        let other = client.list_servers().label("env=dev").send().await;
        assert_eq!(
            other
                .expect_err("no mock matches")
                .status()
                .map(|s| s.as_u16()),
            Some(404)
        );
        let changed = request.clone().with_plan("2xCPU-4GB");
        let refused = client.create_server(changed).send().await;
        assert_eq!(
            refused
                .expect_err("no mock matches")
                .status()
                .map(|s| s.as_u16()),
            Some(404)
        );
        assert!(client.create_server(request).send().await.is_ok());
    }

    /// A mock whose closure sets no response answers `500`, which the client reports as an
    /// undocumented status rather than a value.
    #[tokio::test]
    async fn a_mock_without_a_response_answers_500() {
        let server = MockServer::start().await;
        server.get_account(|_, _| {}).await;
        let result = client(&server).get_account().send().await;
        assert_eq!(
            result.expect_err("500").status().map(|s| s.as_u16()),
            Some(500)
        );
    }
}

mod transip {
    use super::*;
    use cloudapi::transip::mock::MockServer;
    use cloudapi::transip::types::{self, DnsEntry, DnsEntryType};
    use cloudapi::transip::Client;

    /// transip_vps_dns: list the VPSs page by page, add a DNS entry, stop the first VPS; each
    /// mock expects exactly one call, with the demo token's client moved to the mock.
    #[tokio::test]
    async fn the_vps_dns_example_runs_against_the_mocks() {
        let server = MockServer::start().await;
        let page: types::VpssResponse = from_json(json!({
            "vpss": [{"name": "example-vps", "description": "web"}],
            "_links": {"pages": [
                {"rel": "first", "link": "/v6/vps?page=1"}, {"rel": "last", "link": "/v6/vps?page=1"}
            ]}
        }));
        server
            .list_vpss(|when, then| {
                when.page_size(25).expect(1);
                then.ok(&page);
            })
            .await;
        let entry = DnsEntry::new("www", 86400, DnsEntryType::A, "192.0.2.10");
        server
            .create_dns_entry(|when, then| {
                when.domain_name("example.com").body(&entry).expect(1);
                then.created();
            })
            .await;
        server
            .stop_vps(|when, then| {
                when.vps_identifier("example-vps").expect(1);
                then.no_content();
            })
            .await;

        let client = Client::demo()
            .and_then(|c| c.with_base_url(server.base_url()))
            .expect("the demo client at the mock");
        let vpss: Vec<types::Vps> = client
            .list_vpss()
            .page_size(25)
            .stream()
            .try_collect()
            .await
            .expect("listed");
        assert_eq!(vpss, page.vpss);
        client
            .create_dns_entry("example.com", entry.clone())
            .send()
            .await
            .expect("added");
        client
            .stop_vps(&vpss[0].name)
            .send()
            .await
            .expect("stopping");
        server.runtime().verify().await;
        let received = server.runtime().received_requests().await;
        let auth = received[0]
            .headers
            .get("authorization")
            .map(|v| v.as_bytes().to_vec());
        let expected = format!("Bearer {}", Client::DEMO_TOKEN).into_bytes();
        assert_eq!(auth, Some(expected), "the client's token reaches the mock");
    }

    /// A documented error answers with its typed body, which the client returns typed.
    #[tokio::test]
    async fn a_documented_error_reaches_the_client_typed() {
        let server = MockServer::start().await;
        let body: types::Error = from_json(json!({"error": "VPS 'missing' not found"}));
        server
            .stop_vps(|when, then| {
                when.vps_identifier("missing");
                then.not_found(&body);
            })
            .await;
        let client = server.client().expect("a client of the mock");
        let error = client
            .stop_vps("missing")
            .send()
            .await
            .expect_err("not found");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
        assert!(matches!(
            error.api().and_then(|api| api.error()),
            Some(cloudapi::transip::StopVpsError::NotFound(b)) if *b == body
        ));
    }
}

mod unikraft {
    use super::*;
    use cloudapi::unikraft::mock::MockServer;
    use cloudapi::unikraft::types::{self, InstanceCreateRequest, InstanceStopRequestItem, Name};
    use cloudapi::unikraft::{item_error_code, Client};

    fn client(server: &MockServer) -> Client {
        Client::from_runtime(runtime_client(Client::builder(), server.base_url()))
    }

    fn name(text: &str) -> Name {
        text.parse().expect("a valid name")
    }

    /// unikraft_instances: create, list, and stop two instances in one batch where one is not
    /// found: the envelope the mock builds decodes into one result per object.
    #[tokio::test]
    async fn the_instances_example_runs_against_the_mocks() {
        let server = MockServer::start().await;
        let env = std::collections::BTreeMap::from([("NGINX_PORT".to_owned(), "8080".to_owned())]);
        let request = InstanceCreateRequest::new("nginx:latest")
            .with_name(name("web-1"))
            .with_env(env)
            .with_memory_mb(256)
            .with_autostart(true);
        let created: types::InstanceCreateResult = from_json(json!({
            "uuid": "6b3e0a0c-5e4f-4c55-8a35-5e3a52a9f1b0", "name": "web-1", "state": "starting"
        }));
        server
            .create_instance(|when, then| {
                when.body(&request).expect(1);
                then.ok(std::slice::from_ref(&created));
            })
            .await;
        let instance: types::Instance = from_json(json!({"name": "web-1", "state": "running"}));
        server
            .get_instances(|_, then| {
                then.ok(std::slice::from_ref(&instance));
            })
            .await;
        let stopped: types::InstanceStateChangeResult = from_json(json!({"name": "web-1"}));
        let missing: types::InstanceStateChangeResult = from_json(json!({"name": "web-2"}));
        let stop = vec![
            InstanceStopRequestItem::new(name("web-1")),
            InstanceStopRequestItem::new(name("web-2")),
        ];
        server
            .stop_instances(|when, then| {
                when.body(&stop);
                then.ok(std::slice::from_ref(&stopped)).failed(
                    &missing,
                    item_error_code::NOT_FOUND,
                    "No instance with name web-2",
                );
            })
            .await;

        let client = client(&server);
        let batch = client
            .create_instance(request.clone())
            .send()
            .await
            .expect("created");
        assert_eq!(batch.oks().collect::<Vec<_>>(), vec![&created]);
        let listed = client.get_instances().send().await.expect("listed");
        assert_eq!(listed.oks().collect::<Vec<_>>(), vec![&instance]);
        let results = client
            .stop_instances(stop)
            .send()
            .await
            .expect("a partial batch");
        assert!(results.is_partial());
        match results.items.as_slice() {
            [ItemResult::Ok(first), ItemResult::Err(second)] => {
                assert_eq!(first, &stopped);
                assert_eq!(second.code, Some(item_error_code::NOT_FOUND));
                assert_eq!(second.field("name"), Some("web-2"));
            }
            other => panic!("expected one stopped and one missing instance, got {other:?}"),
        }
        server.runtime().verify().await;
    }

    /// A single-object operation: the failed object and a failed request both reach the client
    /// as its `BatchError`.
    #[tokio::test]
    async fn a_single_object_failure_and_a_request_failure_are_batch_errors() {
        let server = MockServer::start().await;
        let uuid: types::Uuid = "6b3e0a0c-5e4f-4c55-8a35-5e3a52a9f1b0"
            .parse()
            .expect("a UUID");
        let object: types::Instance = from_json(json!({"uuid": uuid.to_string()}));
        server
            .get_instance(|when, then| {
                when.uuid(uuid.clone());
                then.failed(
                    &object,
                    item_error_code::NOT_FOUND,
                    "No instance with this UUID",
                );
            })
            .await;
        server
            .get_instances(|_, then| {
                then.error(401, "invalid token");
            })
            .await;
        let client = client(&server);
        let error = client
            .get_instance(uuid.clone())
            .send()
            .await
            .expect_err("not found");
        let batch: Option<&BatchError> = error.api().and_then(|api| api.error());
        let errors = &batch.expect("a typed batch error").errors;
        assert_eq!(errors[0].code, Some(item_error_code::NOT_FOUND));
        let error = client
            .get_instances()
            .send()
            .await
            .expect_err("unauthorized");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
        let batch = error
            .api()
            .and_then(|api| api.error())
            .expect("a typed batch error");
        assert_eq!(batch.message.as_deref(), Some("invalid token"));
    }
}

/// The mocks a `build.rs` user gets with `Generator::mocks(true)`, through the fixture snapshots
/// compiled in this crate (tests/fixtures/mock_helpers and inline_runtime_mock).
mod generator_mocks {
    use super::*;
    use cloudgen_tests::snapshots::inline_runtime_mock as inline;
    use cloudgen_tests::snapshots::mock_helpers::{mock::MockServer, types};

    fn server_value(hostname: &str) -> types::Server {
        from_json(json!({"uuid": "0b8d4a4e-7d5e-4a34-9c5e-000000000001", "hostname": hostname}))
    }

    /// Repeated query values and a header narrow a mock; an unwrapped list, a wrapped body, a
    /// range of statuses, no content and a text body reach the client as their types.
    #[tokio::test]
    async fn every_kind_of_setter_and_responder_works_through_the_client() {
        let server = MockServer::start().await;
        let listed = vec![server_value("a.example.com")];
        server
            .list_servers(|when, then| {
                when.label(["a", "b"].map(String::from)).x_request_id("r-1");
                then.ok(&listed);
            })
            .await;
        let problem: types::Problem = from_json(json!({"message": "slow down"}));
        server
            .list_servers(|_, then| {
                then.client_error(429, &problem);
            })
            .await;
        let create: types::CreateServer = from_json(json!({"hostname": "b.example.com"}));
        server
            .create_server(|when, then| {
                when.body(&create);
                then.created(&server_value("b.example.com"));
            })
            .await;
        let uuid: uuid::Uuid = "0b8d4a4e-7d5e-4a34-9c5e-000000000001"
            .parse()
            .expect("a UUID");
        server
            .delete_server(|when, then| {
                when.uuid(uuid);
                then.no_content();
            })
            .await;
        server
            .get_console(|when, then| {
                when.uuid(uuid);
                then.ok("login: ");
            })
            .await;

        let client = server.client().expect("a client of the mock");
        let header = HeaderName::from_static("x-request-id");
        let found = client
            .list_servers()
            .label(["a", "b"])
            .header(header.clone(), HeaderValue::from_static("r-1"))
            .send()
            .await;
        assert_eq!(found.expect("listed"), listed);
        // Without the header (or with one label only) the first mock does not match: the
        // second answers.
        let refused = client.list_servers().label(["a"]).send().await;
        let refused = refused.expect_err("429");
        assert_eq!(refused.status().map(|s| s.as_u16()), Some(429));
        let created = client
            .create_server(create.clone())
            .send()
            .await
            .expect("created");
        assert_eq!(created.hostname, "b.example.com");
        client.delete_server(uuid).send().await.expect("deleted");
        let console = client.get_console(uuid).send().await.expect("console");
        assert_eq!(console, "login: ");
        let sent = server.runtime().received_requests().await;
        let post = sent
            .iter()
            .find(|r| r.method.as_str() == "POST")
            .expect("the create request");
        let body: Value = serde_json::from_slice(&post.body).expect("a JSON body");
        assert_eq!(body, json!({"server": {"hostname": "b.example.com"}}));
    }

    /// With the runtime inlined, its mock module (behind this crate's `mock` feature) builds
    /// the envelope the inlined client decodes.
    #[tokio::test]
    async fn the_inline_runtime_mocks_build_the_envelope_its_client_reads() {
        let server = inline::mock::MockServer::start().await;
        let running: inline::types::Instance = from_json(json!({"name": "a", "state": "running"}));
        let missing: inline::types::Instance = from_json(json!({"name": "b"}));
        server
            .get_instances(|_, then| {
                then.ok(std::slice::from_ref(&running))
                    .failed(&missing, 8, "not found");
            })
            .await;
        let client = server.client().expect("a client of the mock");
        let batch = client
            .get_instances()
            .send()
            .await
            .expect("a partial batch");
        assert_eq!(batch.oks().collect::<Vec<_>>(), vec![&running]);
        let failed: Vec<_> = batch.failed().collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(
            (failed[0].code, failed[0].field("name")),
            (Some(8), Some("b"))
        );
    }
}
