//! specs/upcloud.yaml: IP addresses, networks, routers, tags, private hosts, prices and the
//! account's sub-resources. Called from `upcloud_every_operation`, which owns the Prism server and
//! the coverage check. Request bodies are the spec's own examples, as typed values.

use cloudapi::runtime::Nullable;
use cloudapi::upcloud::{types, Client};

use crate::harness::Suite;

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().expect("a valid UUID")
}

pub async fn network_calls(s: &Suite, c: &Client) {
    let network = types::NetworkUuid(uuid("038de4ca-f2dd-48b3-a383-a7483a04d714"));
    let router = types::RouterUuid(uuid("045fc7a9-9dc0-424e-8c06-2c35815f2ea1"));

    // IP addresses.
    if let Some(addresses) = call!(s, c.list_ip_addresses()) {
        assert!(!addresses.is_empty(), "the example lists addresses");
    }
    let assign: types::AssignIpAddress = s.example("assign_ip_address");
    call!(s, c.assign_ip_address(assign));
    call!(s, c.get_ip_address("94.237.12.73"));
    let modify: types::ModifyIpAddress = s.example("modify_ip_address");
    call!(s, c.modify_ip_address("94.237.12.73", modify));
    // Detaching a floating address: an explicit `"mac": null`.
    let detach = types::ModifyIpAddress {
        mac: Nullable::Null,
        ..Default::default()
    };
    call!(s, c.modify_ip_address("94.237.9.172", detach));
    // The PUT form: `ptr_record` is required, the rest optional.
    let update: types::UpdateIpAddress = s.example("update_ip_address");
    call!(s, c.update_ip_address("94.237.9.172", update));
    let float = types::UpdateIpAddress {
        ptr_record: "float.example.com".to_owned(),
        floating: Some(true),
        vlan_id: None,
    };
    call!(s, c.update_ip_address("94.237.9.172", float));
    call!(s, c.release_ip_address("94.237.9.172"));

    // Networks.
    if let Some(networks) = call!(s, c.list_networks()) {
        assert!(!networks.is_empty(), "the example lists networks");
    }
    call!(
        s,
        c.list_networks()
            .zone(types::ZoneId("fi-hel2".to_owned()))
            .label(vec!["env=test".to_owned()])
    );
    let create: types::CreateNetwork = s.example("create_network");
    call!(s, c.create_network(create));
    call!(s, c.get_network(network.clone()));
    let modify: types::ModifyNetwork = s.example("modify_network");
    call!(s, c.modify_network(network.clone(), modify));
    let detach_router = types::ModifyNetwork {
        router: Nullable::Null,
        ..Default::default()
    };
    call!(s, c.modify_network(network.clone(), detach_router));
    call!(s, c.delete_network(network.clone()));

    // Network interfaces on their own.
    let interface = types::NetworkInterfaceUuid(uuid("f3c4d5e6-7a8b-4c9d-8e0f-1a2b3c4d5e6f"));
    if let Some(interfaces) = call!(s, c.list_network_interfaces()) {
        assert_eq!(interfaces.len(), 1, "the example lists one interface");
        assert!(interfaces[0].source_ip_filtering, "`\"yes\"` reads as true");
    }
    let create: types::CreateNetworkInterfaceRequest = s.example("create_network_interface");
    if let Some(created) = call!(s, c.create_network_interface(create)) {
        assert_eq!(
            created.uuid, interface,
            "the 201 body is the bare interface"
        );
    }
    call!(s, c.get_network_interface(interface.clone()));
    call!(s, c.delete_network_interface(interface.clone()));

    // Routers.
    call!(s, c.list_routers());
    call!(s, c.list_routers().label(vec!["color".to_owned()]));
    let create: types::CreateRouter = s.example("create_router");
    call!(s, c.create_router(create));
    call!(s, c.get_router(router.clone()));
    let modify: types::ModifyRouter = s.example("modify_router");
    call!(s, c.modify_router(router.clone(), modify));
    call!(s, c.delete_router(router.clone()));

    // Tags.
    let tag = types::TagName("production".to_owned());
    call!(s, c.list_tags());
    let create: types::CreateTag = s.example("create_tag");
    call!(s, c.create_tag(create));
    call!(s, c.get_tag(tag.clone()));
    let modify: types::ModifyTag = s.example("modify_tag");
    call!(s, c.modify_tag(tag.clone(), modify));
    call!(s, c.delete_tag(tag.clone()));

    // Private hosts and prices.
    call!(s, c.list_hosts());
    call!(s, c.get_host(6707495555));
    let modify: types::ModifyHost = s.example("modify_host");
    call!(s, c.modify_host(6707495555, modify));
    if let Some(zones) = call!(s, c.list_prices()) {
        assert!(
            zones.iter().all(|z| !z.additional_properties.is_empty()),
            "the example's zones carry priced items"
        );
    }

    // Accounts, billing and API tokens.
    let username = types::Username("sdk_test_subaccount".to_owned());
    let token = types::TokenId(uuid("0c511c65-5375-4dd3-8a76-df12ba772110"));
    call!(s, c.list_accounts());
    if let Some(signing) = call!(s, c.create_ms_lma_signing_link()) {
        assert_eq!(signing.state, types::MsLmaSigningState::Initiated);
        assert!(signing.signed_at.is_none(), "not signed yet");
    }
    call!(s, c.get_account_details(username.clone()));
    let create: types::CreateSubaccount = s.example("create_subaccount");
    call!(s, c.create_subaccount(create));
    let modify: types::ModifySubaccount = s.example("modify_subaccount");
    call!(s, c.modify_subaccount(username.clone(), modify));
    call!(s, c.delete_subaccount(username.clone()));
    call!(s, c.get_billing_summary("2025-05"));
    call!(
        s,
        c.get_billing_summary("2025-05")
            .username(username.clone())
            .resource_id("001c2caa-00dc-4eff-9321-000000000000")
    );
    call!(s, c.list_tokens());
    let create: types::CreateTokenRequest = s.example("create_token");
    call!(s, c.create_token(create));
    call!(s, c.get_token(token.clone()));
    call!(s, c.delete_token(token.clone()));
}
