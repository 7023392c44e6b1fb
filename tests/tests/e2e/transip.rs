//! specs/transip.yaml: the TransIP REST API v6. Request bodies are the spec's own examples, as
//! typed values; the methods split out of one HTTP operation (`x-cloudgen-split-by`,
//! `x-cloudgen-split-untagged`) are each called with their own arguments.

use std::sync::Arc;

use cloudapi::runtime::{BoxFuture, Hook};
use cloudapi::transip::{types, Client};
use futures_util::StreamExt;
use serde_json::json;

use crate::harness::{self, Server, Suite};

/// Prism 5.16 cannot match a query parameter whose name has brackets (`domainNames[]` of
/// checkMultipleDomainAvailability): it compares the percent-encoded name from the spec with the
/// decoded query keys and answers 422 "must have required property 'domainnames%5b%5d'" to a
/// correct request (stoplightio/prism#2443, #2017). Against Prism only, this hook passes the
/// correctly encoded name (`domainNames%5B%5D`) on encoded once more, which is what Prism matches.
/// A client that sent anything else is not rewritten, so Prism still rejects it.
struct PrismBracketedQueryNames;

impl Hook for PrismBracketedQueryNames {
    fn before_send<'a>(&'a self, req: &'a mut reqwest::Request) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let query = req
                .url()
                .query()
                .map(|q| q.replace("%5B%5D=", "%255B%255D="));
            if query.as_deref() != req.url().query() {
                req.url_mut().set_query(query.as_deref());
            }
        })
    }
}

const DOMAIN: &str = "example.com";
const VPS: &str = "example-vps";
const NETWORK: &str = "example-privatenetwork";
const BIG: &str = "example-bigstorage";
const BLOCK: &str = "example-faststorage";
const HAIP: &str = "example-haip";
const COLO: &str = "example2";
const MAILBOX: &str = "test@example.com";
const ACTION: &str = "6c7fa1c1-f509-4999-a513-bdf4e7a0cebb";

#[test]
fn transip_every_operation() {
    // Over two hundred operations in one body: see `harness::run_on_large_stack`.
    harness::run_on_large_stack(every_operation);
}

async fn every_operation() {
    let server = harness::server("transip", "CLOUDAPI_E2E_TRANSIP_URL");
    let s = Suite::new("transip");
    let mut builder = harness::builder(server.url());
    if let Server::Prism(_) = server {
        builder = builder.hook(Arc::new(PrismBracketedQueryNames));
    }
    let c = Client::from_runtime(harness::expect("build the client", builder.build()));

    // Authentication and general.
    let auth: types::AuthTokenRequest = s.example("create_auth_token");
    let signature = "W+alqMNFaKxNjRpRzGcjrk5q1PXf50usve85PMHqXDPcDZTmZksVkqAFyR30XtJAXELbg2bukUrckPe7fBR10LvMY55cCHLfKf4sA6tpC8Ck5HcT7uLN27XGiJH3i2oDe/Kb93pU2q9kP+vDIQYJX28xFEHWOibXYgcMksHSH3YiyCWcBiQFS65Jsg5M/XhyU3qMISD7icHmk7/WPw1tSYGiMqJZVjaovIqzskXQcu5iC22wZA+5evj3rlSPj9UGZsDjg+TdP69gGJ2y4nrG3qbM2BhMpUs4E3FDHJW1ZZ3VUko0rwfBBoltAT94NQrA5LCP6pXLyA9eszyouBs8ywQ==";
    call!(s, c.create_auth_token(signature, auth));
    call!(s, c.api_test());
    call!(s, c.list_products());
    call!(s, c.list_product_elements("vps-bladevps-x4"));
    call!(s, c.list_availability_zones());

    // Account: invoices, SSH keys, contact key.
    call!(s, c.list_invoices());
    call!(s, c.list_invoices().page_size(25).page(1));
    call!(s, c.get_invoice("F0000.1911.0000.0004"));
    call!(s, c.list_invoice_items("F0000.1911.0000.0004"));
    call!(s, c.get_invoice_pdf("F0000.1911.0000.0004"));
    call!(s, c.list_ssh_keys().page_size(10).page(1));
    let key: types::SshKeyCreateRequest = s.example("create_ssh_key");
    call!(s, c.create_ssh_key(key));
    call!(s, c.get_ssh_key(123));
    let key: types::SshKey = s.example("update_ssh_key");
    call!(s, c.update_ssh_key(123, key));
    call!(s, c.delete_ssh_key(123));
    call!(s, c.get_contact_key());

    // Domains.
    call!(s, c.list_domains());
    call!(
        s,
        c.list_domains()
            .tags("customTag")
            .include("nameservers,contacts")
            .page_size(10)
            .page(1)
    );
    let nameservers: Vec<types::Nameserver> = s.typed(
        "nameservers",
        json!([{ "hostname": "ns0.transip.net" }, { "hostname": "ns1.transip.nl" }]),
    );
    let dns: Vec<types::DnsEntry> = s.typed(
        "DNS entries",
        json!([{ "name": "www", "expire": 86400, "type": "A", "content": "127.0.0.1" }]),
    );
    call!(s, c.register_domain(DOMAIN));
    call!(
        s,
        c.register_domain(DOMAIN)
            .nameservers(nameservers.clone())
            .dns_entries(dns.clone())
    );
    call!(
        s,
        c.transfer_domain(
            DOMAIN,
            "CYPMaVH+9MRjXGBc3InzHs7vNSUBPOjwpZm3GO+iDLHnFLtiP7sOKqW5JD1WeUpevZM6q1qS5YH9dGSp"
        )
    );
    call!(s, c.get_domain(DOMAIN));
    call!(s, c.get_domain(DOMAIN).include("nameservers,contacts"));
    let domain: types::DomainWrapper = s.example("update_domain");
    call!(s, c.update_domain(DOMAIN, domain));
    let handover: types::DomainHandoverRequest = s.example("handover_domain");
    call!(s, c.handover_domain(DOMAIN, handover));
    let cancel: types::CancellationRequest = s.example("cancel_domain");
    call!(s, c.cancel_domain(DOMAIN, cancel));
    call!(s, c.get_domain_branding(DOMAIN));
    let branding: types::Branding = s.example("update_domain_branding");
    call!(s, c.update_domain_branding(DOMAIN, branding));
    call!(s, c.list_domain_contacts(DOMAIN));
    let contacts: Vec<types::WhoisContact> = s.example("update_domain_contacts");
    call!(s, c.update_domain_contacts(DOMAIN, contacts));
    call!(s, c.list_default_domain_contacts());
    let contacts: Vec<types::WhoisContact> = s.example("update_default_domain_contacts");
    call!(s, c.update_default_domain_contacts(contacts));
    call!(s, c.list_dns_entries(DOMAIN));
    let entry: types::DnsEntry = s.example("create_dns_entry");
    call!(s, c.create_dns_entry(DOMAIN, entry));
    let entry: types::DnsEntry = s.example("update_dns_entry");
    call!(s, c.update_dns_entry(DOMAIN, entry));
    let entries: Vec<types::DnsEntry> = s.example("update_dns_entries");
    call!(s, c.update_dns_entries(DOMAIN, entries));
    let entry: types::DnsEntry = s.example("delete_dns_entry");
    call!(s, c.delete_dns_entry(DOMAIN, entry));
    call!(s, c.list_dns_sec_entries(DOMAIN));
    let entries: Vec<types::DnsSecEntry> = s.example("update_dns_sec_entries");
    call!(s, c.update_dns_sec_entries(DOMAIN, entries));
    call!(s, c.list_nameservers(DOMAIN));
    let nameservers: Vec<types::Nameserver> = s.example("update_nameservers");
    call!(s, c.update_nameservers(DOMAIN, nameservers));
    call!(s, c.get_domain_action(DOMAIN));
    let retry: types::DomainActionRetryRequest = s.example("retry_domain_action");
    call!(s, c.retry_domain_action(DOMAIN, retry));
    call!(s, c.cancel_domain_action(DOMAIN));
    call!(s, c.list_ssl_certificates(DOMAIN));
    call!(s, c.get_ssl_certificate(DOMAIN, 12358));
    call!(s, c.get_domain_auth_code(DOMAIN));
    call!(s, c.request_domain_auth_code(DOMAIN));
    call!(s, c.get_domain_whois(DOMAIN));
    call!(s, c.order_whitelabel());
    call!(
        s,
        c.check_multiple_domain_availability(vec![
            "example.com".to_owned(),
            "example.nl".to_owned()
        ])
    );
    call!(s, c.check_domain_availability(DOMAIN));
    call!(s, c.list_tlds());
    call!(s, c.get_tld(".nl"));

    // VPS.
    call!(s, c.list_vpss());
    call!(s, c.list_vpss().tags("customTag").page_size(10).page(1));
    call!(s, c.order_vps("vps-bladevps-x8", "ubuntu-18.04"));
    call!(
        s,
        c.order_vps("vps-bladevps-x8", "ubuntu-18.04")
            .availability_zone("ams0")
            .description("example vps description")
            .install_flavour(types::InstallFlavour::Cloudinit)
            .hostname("server.example.com")
            .username("linus")
            .addons(vec!["vps-addon-1-extra-ip-address".to_owned()])
    );
    let orders: Vec<types::VpsOrder> = s.typed(
        "VPS orders",
        json!([
            { "productName": "vps-bladevps-x8", "operatingSystem": "ubuntu-18.04" },
            { "productName": "vps-bladevps-x8", "operatingSystem": "debian-12", "availabilityZone": "ams0" }
        ]),
    );
    call!(s, c.order_multiple_vps(orders));
    call!(s, c.clone_vps(VPS));
    call!(
        s,
        c.clone_vps(VPS)
            .target_product_name("vps-bladevps-x8")
            .availability_zone("ams0")
            .addons(vec!["vps-addon-flex-100-gb-extra-harddisk".to_owned()])
    );
    call!(s, c.get_vps(VPS));
    let vps: types::Vps = s.example("update_vps");
    call!(s, c.update_vps(VPS, vps));
    call!(s, c.start_vps(VPS));
    call!(s, c.stop_vps(VPS));
    call!(s, c.reset_vps(VPS));
    call!(s, c.handover_vps(VPS, "example2"));
    let cancel: types::CancellationRequest = s.example("cancel_vps");
    call!(s, c.cancel_vps(VPS, cancel));
    call!(s, c.get_vps_usage(VPS));
    call!(
        s,
        c.get_vps_usage(VPS)
            .types("cpu,disk,network")
            .date_time_start(1500538995)
            .date_time_end(1500542619)
    );
    call!(s, c.get_vps_vnc_data(VPS));
    call!(s, c.regenerate_vps_vnc_token(VPS));
    call!(s, c.list_vps_addons(VPS));
    let addons: types::VpsAddonOrderRequest = s.example("order_vps_addons");
    call!(s, c.order_vps_addons(VPS, addons));
    call!(s, c.cancel_vps_addon(VPS, "vps-addon-1-extra-ip-address"));
    call!(s, c.list_vps_licenses(VPS));
    let license: types::VpsLicenseOrderRequest = s.example("order_vps_license");
    call!(s, c.order_vps_license(VPS, license));
    let license: types::VpsLicenseUpdateRequest = s.example("update_vps_license");
    call!(s, c.update_vps_license(VPS, 18, license));
    call!(s, c.cancel_vps_license(VPS, 18));
    call!(s, c.list_vps_upgrades(VPS));
    let upgrade: types::VpsUpgradeRequest = s.example("upgrade_vps");
    call!(s, c.upgrade_vps(VPS, upgrade));
    call!(s, c.list_vps_operating_systems(VPS));
    let install: types::VpsOperatingSystemInstallRequest =
        s.example("install_vps_operating_system");
    call!(s, c.install_vps_operating_system(VPS, install));
    call!(s, c.list_vps_ip_addresses(VPS));
    let ip: types::IpAddressAddRequest = s.example("add_vps_ipv6_address");
    call!(s, c.add_vps_ipv6_address(VPS, ip));
    call!(s, c.get_vps_ip_address(VPS, "37.97.254.6"));
    let ip: types::IpAddress = s.example("update_vps_reverse_dns");
    call!(s, c.update_vps_reverse_dns(VPS, "37.97.254.6", ip));
    call!(s, c.remove_vps_ipv6_address(VPS, "2a01:7c8:3:1337::6"));
    call!(s, c.list_vps_snapshots(VPS));
    let snapshot: types::VpsSnapshotCreateRequest = s.example("create_vps_snapshot");
    call!(s, c.create_vps_snapshot(VPS, snapshot));
    call!(s, c.get_vps_snapshot(VPS, "1500027671"));
    call!(s, c.revert_vps_snapshot(VPS, "1500027671"));
    let revert: types::VpsSnapshotRevertRequest = s.example("revert_vps_snapshot");
    call!(s, c.revert_vps_snapshot(VPS, "1500027671").body(revert));
    call!(s, c.delete_vps_snapshot(VPS, "1500027671"));
    call!(s, c.list_vps_backups(VPS));
    call!(s, c.revert_vps_backup(VPS, 712332));
    call!(
        s,
        c.revert_vps_backup(VPS, 712332)
            .destination_vps_identifier("destination-vps")
    );
    call!(s, c.convert_vps_backup_to_snapshot(VPS, 712332));
    call!(
        s,
        c.convert_vps_backup_to_snapshot(VPS, 712332)
            .description("BeforeItsAllBroken")
    );
    call!(s, c.get_traffic_pool());
    call!(s, c.get_vps_traffic(VPS));
    call!(s, c.get_vps_firewall(VPS));
    let firewall: types::VpsFirewall = s.example("update_vps_firewall");
    call!(s, c.update_vps_firewall(VPS, firewall));
    let reset: types::VpsFirewallResetRequest = s.example("reset_vps_firewall");
    call!(s, c.reset_vps_firewall(VPS, reset));
    call!(s, c.list_vps_settings(VPS));
    call!(s, c.get_vps_setting(VPS, "blockVpsMailPorts"));
    let setting: types::VpsSetting = s.example("update_vps_setting");
    call!(s, c.update_vps_setting(VPS, "blockVpsMailPorts", setting));

    // Private networks.
    call!(s, c.list_private_networks());
    call!(
        s,
        c.list_private_networks()
            .vps_name(VPS)
            .page_size(10)
            .page(1)
    );
    call!(s, c.order_private_network());
    let order: types::PrivateNetworkOrderRequest = s.example("order_private_network");
    call!(s, c.order_private_network().body(order));
    call!(s, c.get_private_network(NETWORK));
    let network: types::PrivateNetwork = s.example("update_private_network");
    call!(s, c.update_private_network(NETWORK, network));
    call!(s, c.attach_vps_to_private_network(NETWORK, VPS));
    call!(s, c.detach_vps_from_private_network(NETWORK, VPS));
    let cancel: types::CancellationRequest = s.example("cancel_private_network");
    call!(s, c.cancel_private_network(NETWORK, cancel));

    // Big storage.
    call!(s, c.list_big_storages());
    call!(s, c.list_big_storages().vps_name(VPS).page_size(10).page(1));
    call!(s, c.order_big_storage(8));
    call!(
        s,
        c.order_big_storage(8)
            .offsite_backups(true)
            .availability_zone("ams0")
            .vps_name(VPS)
            .description("backup-bigstorage")
    );
    call!(s, c.upgrade_big_storage(BIG, 10).offsite_backups(true));
    call!(s, c.get_big_storage(BIG));
    let storage: types::BigStorage = s.example("update_big_storage");
    call!(s, c.update_big_storage(BIG, storage));
    let cancel: types::CancellationRequest = s.example("cancel_big_storage");
    call!(s, c.cancel_big_storage(BIG, cancel));
    call!(s, c.list_big_storage_backups(BIG));
    let revert: types::BigStorageBackupRevertRequest = s.example("revert_big_storage_backup");
    call!(s, c.revert_big_storage_backup(BIG, 625584, revert));
    call!(s, c.get_big_storage_usage(BIG));
    call!(
        s,
        c.get_big_storage_usage(BIG)
            .date_time_start(1500538995)
            .date_time_end(1500542619)
    );

    // Block storage.
    call!(s, c.list_block_storages());
    call!(
        s,
        c.list_block_storages().vps_name(VPS).page_size(10).page(1)
    );
    call!(
        s,
        c.order_block_storage(types::BlockStorageType::FastStorage, 10485760)
    );
    call!(
        s,
        c.order_block_storage(types::BlockStorageType::FastStorage, 10485760)
            .offsite_backups(true)
            .availability_zone("ams0")
            .vps_name(VPS)
            .description("backup-blockstorage")
    );
    call!(
        s,
        c.upgrade_block_storage(BLOCK, 20971520)
            .offsite_backups(false)
    );
    call!(s, c.get_block_storage(BLOCK));
    let storage: types::BlockStorage = s.example("update_block_storage");
    call!(s, c.update_block_storage(BLOCK, storage));
    let cancel: types::CancellationRequest = s.example("cancel_block_storage");
    call!(s, c.cancel_block_storage(BLOCK, cancel));
    call!(s, c.list_block_storage_backups(BLOCK));
    let revert: types::BlockStorageBackupRevertRequest = s.example("revert_block_storage_backup");
    call!(s, c.revert_block_storage_backup(BLOCK, 625584, revert));

    // HA-IPs.
    call!(s, c.list_haips());
    call!(s, c.list_haips().page_size(25).page(1));
    let order: types::HaipOrderRequest = s.example("order_haip");
    call!(s, c.order_haip(order));
    call!(s, c.get_haip(HAIP));
    let haip: types::Haip = s.example("update_haip");
    call!(s, c.update_haip(HAIP, haip));
    let cancel: types::CancellationRequest = s.example("cancel_haip");
    call!(s, c.cancel_haip(HAIP, cancel));
    call!(s, c.list_haip_certificates(HAIP));
    let cert: types::HaipCertificateAddRequest = s.example("add_haip_certificate");
    call!(s, c.add_haip_certificate(HAIP, cert));
    call!(s, c.detach_haip_certificate(HAIP, 1337));
    call!(s, c.list_haip_ip_addresses(HAIP));
    let ips: types::HaipIpAddresses = s.example("set_haip_ip_addresses");
    call!(s, c.set_haip_ip_addresses(HAIP, ips));
    call!(s, c.detach_haip_ip_addresses(HAIP));
    call!(s, c.list_haip_port_configurations(HAIP));
    let config: types::HaipPortConfigurationRequest = s.example("create_haip_port_configuration");
    call!(s, c.create_haip_port_configuration(HAIP, config));
    call!(s, c.get_haip_port_configuration(HAIP, 9865));
    let config: types::HaipPortConfiguration = s.example("update_haip_port_configuration");
    call!(s, c.update_haip_port_configuration(HAIP, 9865, config));
    call!(s, c.delete_haip_port_configuration(HAIP, 9865));
    call!(s, c.get_haip_status_reports(HAIP));

    // VPS rescue images, TCP monitors, monitoring contacts, mail service, operating systems.
    call!(s, c.list_vps_rescue_images(VPS));
    let boot: types::RescueImageBootRequest = s.example("boot_vps_rescue_image");
    call!(s, c.boot_vps_rescue_image(VPS, boot));
    call!(s, c.list_vps_tcp_monitors(VPS));
    let monitor: types::TcpMonitor = s.example("create_vps_tcp_monitor");
    call!(s, c.create_vps_tcp_monitor(VPS, monitor));
    let monitor: types::TcpMonitor = s.example("update_vps_tcp_monitor");
    call!(s, c.update_vps_tcp_monitor(VPS, "10.3.37.1", monitor));
    call!(s, c.delete_vps_tcp_monitor(VPS, "10.3.37.1"));
    call!(s, c.list_monitoring_contacts());
    let contact: types::MonitoringContactRequest = s.example("create_monitoring_contact");
    call!(s, c.create_monitoring_contact(contact));
    let contact: types::MonitoringContact = s.example("update_monitoring_contact");
    call!(s, c.update_monitoring_contact(1, contact));
    call!(s, c.delete_monitoring_contact(1));
    call!(s, c.get_mail_service_information());
    call!(s, c.regenerate_mail_service_password());
    let domains: types::MailServiceDomainsRequest = s.example("add_mail_service_dns_entries");
    call!(s, c.add_mail_service_dns_entries(domains));
    call!(s, c.list_operating_systems());

    // Colocations, actions, block storage usage.
    call!(s, c.list_colocations());
    call!(s, c.get_colocation(COLO));
    call!(s, c.list_colocation_ip_addresses(COLO));
    let ip: types::ColocationIpAddressAddRequest = s.example("add_colocation_ip_address");
    call!(s, c.add_colocation_ip_address(COLO, ip));
    call!(s, c.get_colocation_ip_address(COLO, "37.97.254.6"));
    let ip: types::IpAddress = s.example("update_colocation_reverse_dns");
    call!(s, c.update_colocation_reverse_dns(COLO, "37.97.254.6", ip));
    call!(s, c.remove_colocation_ip_address(COLO, "37.97.254.6"));
    call!(s, c.list_actions());
    call!(s, c.list_actions().page_size(25).page(1));
    call!(s, c.get_action(ACTION));
    call!(s, c.list_child_actions(ACTION));
    call!(s, c.get_block_storage_usage(BLOCK));
    call!(
        s,
        c.get_block_storage_usage(BLOCK)
            .date_time_start(1500538995)
            .date_time_end(1500542619)
    );

    // E-mail.
    call!(s, c.list_mail_packages());
    call!(s, c.list_mail_addons(DOMAIN));
    call!(s, c.list_mailboxes(DOMAIN));
    let mailbox: types::MailboxCreateRequest = s.example("create_mailbox");
    call!(s, c.create_mailbox(DOMAIN, mailbox));
    call!(s, c.get_mailbox(DOMAIN, MAILBOX));
    let mailbox: types::MailboxUpdateRequest = s.example("update_mailbox");
    call!(s, c.update_mailbox(DOMAIN, MAILBOX, mailbox));
    call!(s, c.delete_mailbox(DOMAIN, MAILBOX));
    call!(s, c.list_mail_forwards(DOMAIN));
    let forward: types::MailForwardRequest = s.example("create_mail_forward");
    call!(s, c.create_mail_forward(DOMAIN, forward));
    call!(s, c.get_mail_forward(DOMAIN, 1));
    let forward: types::MailForwardRequest = s.example("update_mail_forward");
    call!(s, c.update_mail_forward(DOMAIN, 1, forward));
    call!(s, c.delete_mail_forward(DOMAIN, 1));
    call!(s, c.list_mail_lists(DOMAIN));
    let list: types::MailListCreateRequest = s.example("create_mail_list");
    call!(s, c.create_mail_list(DOMAIN, list));
    call!(s, c.get_mail_list(DOMAIN, 1));
    let list: types::MailListUpdateRequest = s.example("update_mail_list");
    call!(s, c.update_mail_list(DOMAIN, 1, list));
    call!(s, c.delete_mail_list(DOMAIN, 1));

    // SSL certificates of the account.
    call!(s, c.list_account_ssl_certificates());
    let order: types::SslCertificateOrderRequest = s.example("order_account_ssl_certificate");
    call!(s, c.order_account_ssl_certificate(order));
    call!(s, c.get_account_ssl_certificate(1));
    call!(s, c.get_account_ssl_certificate_details(1));

    // Kubernetes releases.
    call!(s, c.list_kubernetes_releases());
    call!(s, c.get_kubernetes_release("1.23.5"));
    crate::transip_kubernetes::kubernetes_calls(&s, &c).await;

    crate::transip_cloud::cloud_calls(&s, &c).await;

    crate::transip_acronis::acronis_and_filehosting_calls(&s, &c).await;

    // Pagination: every item of every page through `.stream()`.
    s.record("list_vpss");
    let vpss: Vec<_> = c.list_vpss().page_size(50).stream().collect().await;
    assert!(!vpss.is_empty(), "list_vpss().stream() yielded nothing");
    for vps in vpss {
        if let Err(err) = vps {
            panic!("list_vpss().stream(): {err}");
        }
    }
    s.record("list_domains");
    let mut domains = c.list_domains().page_size(50).stream();
    let first = domains.next().await;
    assert!(
        matches!(first, Some(Ok(_))),
        "list_domains().stream(): {first:?}"
    );

    s.finish();
    drop(server);
}
