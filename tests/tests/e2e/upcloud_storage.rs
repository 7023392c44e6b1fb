//! specs/upcloud.yaml, the operations on storages and on a server's devices, firewall rules,
//! network interfaces, zone and tags: called from `upcloud_every_operation` (upcloud.rs) with its
//! Prism, so that its coverage check sees them. Request bodies are the spec's own examples, as
//! typed values; `call!` also asks Prism for every documented error status.

use cloudapi::upcloud::{types, Client};

use crate::harness::Suite;

fn server_uuid() -> types::ServerUuid {
    types::ServerUuid(
        "00798b85-efdc-41ca-8021-f6ef457b8531"
            .parse()
            .expect("a valid UUID"),
    )
}

fn storage_uuid() -> types::StorageUuid {
    types::StorageUuid(
        "01a9b582-2254-4683-b408-1d41d6910b75"
            .parse()
            .expect("a valid UUID"),
    )
}

/// Every storage operation and every server sub-resource operation of the spec.
pub async fn storage_and_server_device_calls(s: &Suite, c: &Client) {
    let server = server_uuid();
    let storage = storage_uuid();

    // Storage devices of a server.
    let attach: types::AttachStorageDevice = s.example("attach_storage");
    call!(s, c.attach_storage(server.clone(), attach));
    // An empty CD-ROM device: no storage, only the type.
    let empty_cdrom = types::AttachStorageDevice {
        r#type: Some(types::AttachStorageDeviceType::Cdrom),
        address: None,
        storage: None,
        boot_disk: None,
    };
    call!(s, c.attach_storage(server.clone(), empty_cdrom));
    let detach: types::DetachStorageDevice = s.example("detach_storage");
    call!(s, c.detach_storage(server.clone(), detach));
    let load: types::LoadCdromDevice = s.example("load_cdrom");
    call!(s, c.load_cdrom(server.clone(), load));
    if let Some(details) = call!(s, c.eject_cdrom(server.clone())) {
        let devices = details.storage_devices.unwrap_or_default();
        assert!(
            devices
                .iter()
                .any(|d| d.r#type == Some(types::ServerStorageDeviceType::Cdrom)
                    && d.storage.is_none()),
            "the ejected CD-ROM device has no storage: {devices:?}"
        );
    }

    // Firewall rules.
    if let Some(rules) = call!(s, c.list_firewall_rules(server.clone())) {
        assert_eq!(rules.len(), 2, "the example lists two rules");
        assert_eq!(rules[1].family, None, "`\"\"` reads as no family");
    }
    let create: types::FirewallRule = s.example("create_firewall_rule");
    call!(s, c.create_firewall_rule(server.clone(), create));
    // The rule list travels as `{"firewall_rule": [...]}` (a wrapped list), which plain serde
    // cannot read into a `Vec`: read the example through the wrapper type's field codec.
    let rules: serde_json::Value = s.example("replace_firewall_rules");
    let replace: types::ReplaceFirewallRulesRequest = s.typed(
        "the request body example of replaceFirewallRules",
        serde_json::json!({ "firewall_rules": rules }),
    );
    call!(
        s,
        c.replace_firewall_rules(server.clone(), replace.firewall_rules)
    );
    call!(s, c.get_firewall_rule(server.clone(), 1));
    call!(s, c.delete_firewall_rule(server.clone(), 1));

    // Network interfaces.
    call!(s, c.get_server_networking(server.clone()));
    let create: types::CreateServerInterface = s.example("create_server_interface");
    call!(s, c.create_server_interface(server.clone(), create));
    let modify: types::ModifyServerInterface = s.example("modify_server_interface");
    call!(s, c.modify_server_interface(server.clone(), 4, modify));
    call!(s, c.delete_server_interface(server.clone(), 5));
    let assign: types::AssignInterfaceIpAddress = s.example("assign_interface_ip_address");
    call!(
        s,
        c.assign_interface_ip_address(server.clone(), 4, assign.clone())
    );
    call!(
        s,
        c.assign_interface_ip_address(server.clone(), 4, assign)
            .force(types::AssignInterfaceIpAddressForce::Yes)
    );
    call!(
        s,
        c.delete_interface_ip_address(server.clone(), 4, "172.17.0.10")
    );

    // Zone and tags.
    let relocate: types::RelocateServerRequest = s.example("relocate_server");
    call!(s, c.relocate_server(server.clone(), relocate));
    call!(s, c.tag_server(server.clone(), "tag1"));
    call!(s, c.untag_server(server.clone(), "tag1"));

    // Storage listings.
    if let Some(storages) = call!(s, c.list_storages()) {
        assert!(!storages.is_empty(), "the example lists storages");
    }
    call!(s, c.list_storages().label(vec!["color=green".to_owned()]));
    call!(s, c.list_public_storages());
    call!(s, c.list_private_storages());
    call!(s, c.list_normal_storages());
    call!(s, c.list_backup_storages());
    call!(s, c.list_favorite_storages());

    // One storage.
    let create: types::CreateStorage = s.example("create_storage");
    call!(s, c.create_storage(create));
    if let Some(details) = call!(s, c.get_storage(storage.clone())) {
        assert_eq!(details.state, types::StorageState::Online);
    }
    let modify: types::ModifyStorage = s.example("modify_storage");
    call!(s, c.modify_storage(storage.clone(), modify));
    call!(s, c.delete_storage(storage.clone()));
    call!(
        s,
        c.delete_storage(storage.clone())
            .backups(types::DeleteStorageBackups::Delete)
    );
    let clone: types::CloneStorage = s.example("clone_storage");
    call!(s, c.clone_storage(storage.clone(), clone));
    let templatize: types::StorageTitleOnly = s.example("templatize_storage");
    call!(s, c.templatize_storage(storage.clone(), templatize));
    let backup: types::StorageTitleOnly = s.example("create_storage_backup");
    call!(s, c.create_storage_backup(storage.clone(), backup));
    call!(s, c.restore_storage_backup(storage.clone()));
    call!(s, c.cancel_storage_operation(storage.clone()));
    call!(s, c.add_storage_to_favorites(storage.clone()));
    call!(s, c.remove_storage_from_favorites(storage.clone()));
    let import: types::CreateStorageImport = s.example("create_storage_import");
    call!(s, c.create_storage_import(storage.clone(), import));
    call!(s, c.get_storage_import(storage.clone()));
    call!(s, c.resize_storage_filesystem(storage.clone()));

    // Operations only UpCloud's own OpenAPI description has.
    let cdrom: types::CreateCdromStorage = s.example("create_cdrom_storage");
    if let Some(created) = call!(s, c.create_cdrom_storage(cdrom)) {
        assert_eq!(created.r#type, types::StorageType::Cdrom);
    }
    let update: types::UpdatePublicTemplate = s.example("update_public_template");
    call!(s, c.update_public_template(storage.clone(), update));
    let component: types::AddStorageComponent = s.example("add_storage_component");
    call!(s, c.add_storage_component(storage.clone(), component));
    let forced = types::AddStorageComponent {
        force_backend: Some("backend-1".to_owned()),
    };
    call!(s, c.add_storage_component(storage.clone(), forced));
}
