//! specs/transip.yaml, the Acronis and file hosting operations (issue 13, TransIP's last
//! groups): called from `transip_every_operation` (transip.rs) with its Prism, so that its
//! coverage check sees them. Request bodies are the spec's own examples, as typed values;
//! `call!` also asks Prism for every documented error status.

use cloudapi::runtime::WaitPolicy;
use cloudapi::transip::{types, Client};
use futures_util::StreamExt;

use crate::harness::Suite;

const TENANT: &str = "bfa08ad9-6c12-4e03-95dd-a888b97ffe49";
const ADDON: &str = "acronisAddon-250gb";
const DISK: i64 = 4134;
const BACKUP: i64 = 160277323;
const CUSTOM_DOMAIN: i64 = 1027;

/// Every Acronis and file hosting operation of the spec.
pub async fn acronis_and_filehosting_calls(s: &Suite, c: &Client) {
    acronis_calls(s, c).await;
    filehosting_disk_calls(s, c).await;
    filehosting_disk_part_calls(s, c).await;
}

async fn acronis_calls(s: &Suite, c: &Client) {
    call!(s, c.list_acronis_tenants());
    call!(s, c.list_acronis_tenants().page_size(10).page(1));
    let order: types::AcronisTenantOrderRequest = s.example("order_acronis_tenant");
    call!(s, c.order_acronis_tenant(order));
    if let Some(tenant) = call!(s, c.get_acronis_tenant(TENANT)) {
        assert_eq!(tenant.uuid, TENANT);
    }
    let tenant: types::AcronisTenant = s.example("update_acronis_tenant");
    call!(s, c.update_acronis_tenant(TENANT, tenant));
    let cancel: types::CancellationRequest = s.example("cancel_acronis_tenant");
    call!(s, c.cancel_acronis_tenant(TENANT, cancel));
    let addons: Vec<String> = s.example("order_acronis_tenant_addons");
    call!(s, c.order_acronis_tenant_addons(TENANT, addons));
    call!(s, c.cancel_acronis_tenant_addon(TENANT, ADDON));
    let product: String = s.example("downgrade_acronis_tenant");
    call!(s, c.downgrade_acronis_tenant(TENANT, product));
    let product: String = s.example("upgrade_acronis_tenant");
    call!(s, c.upgrade_acronis_tenant(TENANT, product));
    if let Some(url) = call!(s, c.get_acronis_tenant_login_url(TENANT)) {
        assert!(url.starts_with("https://"), "a login URL: {url}");
    }
    if let Some(usages) = call!(s, c.list_acronis_tenant_usages(TENANT)) {
        assert!(!usages.is_empty(), "the example has a usage");
    }
}

async fn filehosting_disk_calls(s: &Suite, c: &Client) {
    call!(s, c.list_filehosting_disks());
    call!(
        s,
        c.list_filehosting_disks()
            .page_size(10)
            .page(1)
            .order_by(types::ListFilehostingDisksOrderBy::FreeBytes)
            .reverse(true)
    );
    s.record("list_filehosting_disks");
    let disks: Vec<_> = c
        .list_filehosting_disks()
        .page_size(50)
        .stream()
        .collect()
        .await;
    assert!(
        !disks.is_empty(),
        "list_filehosting_disks().stream() yielded nothing"
    );
    for disk in disks {
        if let Err(err) = disk {
            panic!("list_filehosting_disks().stream(): {err}");
        }
    }
    let product: String = s.example("order_filehosting_disk");
    call!(s, c.order_filehosting_disk(product));
    if let Some(disk) = call!(s, c.get_filehosting_disk(DISK)) {
        assert_eq!(disk.id, DISK);
        // The waiter polls the same operation until the status is the wanted one.
        let status = disk.status.expect("the example disk has a status");
        let waited = c
            .wait_for_filehosting_disk_status(DISK, status, &WaitPolicy::new())
            .await;
        assert!(
            waited.is_ok(),
            "wait_for_filehosting_disk_status: {waited:?}"
        );
    }
    let disk: types::FilehostingDisk = s.example("update_filehosting_disk");
    call!(s, c.update_filehosting_disk(DISK, disk));
    let cancel: types::CancellationRequest = s.example("cancel_filehosting_disk");
    call!(s, c.cancel_filehosting_disk(DISK, cancel));
    let product: String = s.example("upgrade_filehosting_disk");
    call!(s, c.upgrade_filehosting_disk(DISK, product));
}

async fn filehosting_disk_part_calls(s: &Suite, c: &Client) {
    call!(
        s,
        c.list_filehosting_disk_backups(DISK)
            .order_by(types::ListFilehostingDiskBackupsOrderBy::DateTimeCreate)
            .reverse(false)
    );
    call!(s, c.revert_filehosting_disk_backup(DISK, BACKUP));
    if let Some(domains) = call!(s, c.list_filehosting_disk_custom_domains(DISK)) {
        assert_eq!(domains.first().map(|d| d.id), Some(CUSTOM_DOMAIN));
    }
    let attach: types::FilehostingCustomDomainRequest =
        s.example("attach_filehosting_disk_custom_domain");
    call!(s, c.attach_filehosting_disk_custom_domain(DISK, attach));
    call!(
        s,
        c.detach_filehosting_disk_custom_domain(DISK, CUSTOM_DOMAIN)
    );
    call!(
        s,
        c.list_filehosting_disk_users(DISK)
            .page_size(10)
            .page(1)
            .order_by(types::ListFilehostingDiskUsersOrderBy::Username)
    );
    let reset: types::FilehostingUserPasswordRequest =
        s.example("reset_filehosting_disk_user_password");
    call!(s, c.reset_filehosting_disk_user_password(DISK, reset));
}
