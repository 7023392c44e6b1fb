//! End-to-end tests: every operation of every spec in `specs/`, called through the generated
//! `cloudapi` client against the Prism mock server (`@stoplight/prism-cli`, pinned, started here
//! through `npx` on a loopback port) serving the same spec, success and documented error paths.
//!
//! One test per spec, so the specs run in parallel and each test owns (and stops) its Prism.
//! `CLOUDAPI_E2E_UPCLOUD_URL`, `CLOUDAPI_E2E_UPCLOUD_METADATA_URL`, `CLOUDAPI_E2E_TRANSIP_URL`
//! and `CLOUDAPI_E2E_UNIKRAFT_URL` point a spec's calls at another server instead.
//!
//! Each test also checks coverage: it fails naming every operation of its spec (every
//! operationId, and every `x-cloudgen-operation-id` of a split operation) that no call exercised.

#[macro_use]
mod harness;
mod examples;
mod transip;
mod transip_acronis;
mod transip_cloud;
mod transip_kubernetes;
mod unikraft;
mod upcloud;
mod upcloud_metadata;
mod upcloud_network;
mod upcloud_storage;

#[test]
fn snake_case_of_operation_ids() {
    assert_eq!(harness::snake("listVpss"), "list_vpss");
    assert_eq!(harness::snake("addVpsIpv6Address"), "add_vps_ipv6_address");
}
