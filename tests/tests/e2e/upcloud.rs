//! specs/upcloud.yaml: servers, server groups, the account, zones, plans, timezones and the
//! public storage listings. Request bodies are the spec's own examples, as typed values.

use cloudapi::upcloud::{types, Client};

use crate::harness::{self, Suite};

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().expect("a valid UUID")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upcloud_every_operation() {
    let server = harness::server("upcloud", "CLOUDAPI_E2E_UPCLOUD_URL");
    let s = Suite::new("upcloud");
    let c = Client::from_runtime(harness::expect(
        "build the client",
        harness::builder(server.url()).build(),
    ));
    let server_uuid = types::ServerUuid(uuid("00798b85-efdc-41ca-8021-f6ef457b8531"));
    let group_uuid = types::ServerGroupUuid(uuid("0b3d85b4-b3be-46ca-a1e2-3b5d30d60ab0"));

    // Account and the public listings.
    call!(s, c.get_account());
    call!(s, c.list_zones());
    call!(s, c.list_plans());
    call!(s, c.list_timezones());
    call!(s, c.list_server_configurations());
    if let Some(limits) = call!(s, c.get_server_size_limits()) {
        assert!(limits.core_number_min <= limits.core_number_max);
        assert_eq!(limits.memory_amount_step, 1024);
    }
    if let Some(vlans) = call!(s, c.list_zone_vlans(types::ZoneId("fi-hel2".to_owned()))) {
        assert_eq!(vlans.len(), 2, "the example lists two VLANs");
        assert_eq!(vlans[0].default, 1, "the first is the default");
    }
    call!(s, c.list_storage_templates());
    call!(s, c.list_storage_cdroms());
    crate::upcloud_network::network_calls(&s, &c).await;

    // Servers.
    if let Some(servers) = call!(s, c.list_servers()) {
        assert!(!servers.is_empty(), "the example lists servers");
    }
    call!(
        s,
        c.list_servers()
            .label(vec!["env=prod".to_owned(), "team".to_owned()])
    );
    let create: types::CreateServerRequest = s.example("create_server");
    call!(s, c.create_server(create));
    call!(s, c.get_server(server_uuid.clone()));
    let modify: types::ModifyServerRequest = s.example("modify_server");
    call!(s, c.modify_server(server_uuid.clone(), modify));
    call!(s, c.start_server(server_uuid.clone()));
    let start: types::StartServerRequest = s.example("start_server");
    call!(s, c.start_server(server_uuid.clone()).body(start));
    let stop: types::StopServerRequest = s.example("stop_server");
    call!(s, c.stop_server(server_uuid.clone(), stop));
    let restart: types::RestartServerRequest = s.example("restart_server");
    call!(s, c.restart_server(server_uuid.clone(), restart));
    // The other variant of the restart body: a hard restart needs no timeout.
    let hard = types::RestartServerRequest {
        restart_server: types::RestartServer::RestartServerHard(types::RestartServerHard {
            stop_type: types::RestartServerHardStopType::Hard,
            timeout: None,
            timeout_action: None,
            host: None,
        }),
    };
    call!(s, c.restart_server(server_uuid.clone(), hard));
    call!(s, c.cancel_server_operation(server_uuid.clone()));
    call!(s, c.delete_server(server_uuid.clone()));
    call!(
        s,
        c.delete_server(server_uuid.clone())
            .storages(types::DeleteServerStorages::V1)
            .backups(types::DeleteServerBackups::KeepLatest)
    );

    // Server groups.
    call!(s, c.list_server_groups());
    call!(s, c.list_server_groups().label(vec!["env=prod".to_owned()]));
    let create: types::CreateServerGroupRequest = s.example("create_server_group");
    call!(s, c.create_server_group(create));
    call!(s, c.get_server_group(group_uuid.clone()));
    let modify: types::ModifyServerGroupRequest = s.example("modify_server_group");
    call!(s, c.modify_server_group(group_uuid.clone(), modify));
    call!(s, c.list_server_group_servers(group_uuid.clone()));
    let add: types::AddServerToServerGroupRequest = s.example("add_server_to_server_group");
    call!(s, c.add_server_to_server_group(group_uuid.clone(), add));
    call!(
        s,
        c.remove_server_from_server_group(group_uuid.clone(), server_uuid.clone())
    );
    call!(s, c.delete_server_group(group_uuid.clone()));

    crate::upcloud_storage::storage_and_server_device_calls(&s, &c).await;
    s.finish();
    drop(server);
}
