//! Operations added to specs/transip.yaml for API breadth (issue 13 step 3), where a body has a
//! quirk. Bodies are gotransip's own test expectations (tests/conformance/transip.jsonl), sent
//! through the client against the loopback server so the client's decode path is exercised.

use cloudapi::transip::{types, Client};
use cloudgen_tests::loopback::{Reply, Server};
use serde_json::json;

fn client(base_url: &str) -> Client {
    cloudgen_tests::clients::transip(base_url)
}

/// transip-haip-repository-getstatusreport: the envelope key is the singular `statusReport`,
/// and `lastChange` is a date-time without a time zone.
#[tokio::test]
async fn haip_status_reports_unwrap_the_singular_envelope() {
    let body = json!({"statusReport":[{"ipAddress":"136.10.14.1","port":80,"ipVersion":4,"loadBalancerName":"lb0","loadBalancerIp":"136.144.151.255","state":"up","lastChange":"2019-09-29 16:51:18"}]});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let reports = client(&server.base_url)
        .get_haip_status_reports("example-haip")
        .send()
        .await
        .expect("decode the status reports");
    assert_eq!(
        server.only_request().path(),
        "/v6/haips/example-haip/status-reports"
    );
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].state.as_deref(), Some("up"));
    assert_eq!(
        reports[0].last_change.map(|t| t.to_string()).as_deref(),
        Some("2019-09-29 16:51:18")
    );
}

/// transip-haip-repository-getbyname: enums decode, and a value this client does not know is
/// kept rather than failing the whole HA-IP.
#[tokio::test]
async fn haip_decodes_and_keeps_unknown_enum_values() {
    let body = json!({"haip":{"name":"example-haip","description":"frontend cluster","status":"active","isLoadBalancingEnabled":true,"loadBalancingMode":"cookie","stickyCookieName":"PHPSESSID","healthCheckInterval":3000,"httpHealthCheckPath":"/status.php","httpHealthCheckPort":443,"httpHealthCheckSsl":true,"ipv4Address":"37.97.254.7","ipv6Address":"2a01:7c8:3:1337::1","ipSetup":"ipv6to4","ptrRecord":"frontend.example.com","ipAddresses":["10.3.37.1","10.3.38.1"],"tlsMode":"tls13","isLocked":false}});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let haip = client(&server.base_url)
        .get_haip("example-haip")
        .send()
        .await
        .expect("decode the HA-IP");
    assert_eq!(haip.name, "example-haip");
    assert_eq!(haip.status, Some(types::HaipStatus::Active));
    assert_eq!(haip.ip_setup, Some(types::HaipIpSetup::Ipv6to4));
    assert_eq!(haip.tls_mode.as_ref().map(|m| m.as_str()), Some("tls13"));
    assert_eq!(haip.ip_addresses.as_deref().map(<[String]>::len), Some(2));
}

/// transip-haip-repository-addcertificate: attaching an existing certificate sends only its id.
#[tokio::test]
async fn haip_certificate_by_id_sends_only_the_id() {
    let server = Server::scripted("/v6", vec![Reply::empty(201)]).await;
    client(&server.base_url)
        .add_haip_certificate(
            "example-haip",
            types::HaipCertificateAddRequest {
                ssl_certificate_id: Some(1337),
                common_name: None,
            },
        )
        .send()
        .await
        .expect("add the certificate");
    let seen = server.only_request();
    assert_eq!(seen.path(), "/v6/haips/example-haip/certificates");
    assert_eq!(seen.body_json(), json!({"sslCertificateId": 1337}));
}

/// transip-haip-repository-updateportconfiguration: PUT wraps the configuration, POST does not.
#[tokio::test]
async fn haip_port_configuration_put_is_wrapped_and_post_is_flat() {
    let server = Server::scripted("/v6", vec![Reply::empty(204), Reply::empty(201)]).await;
    let c = client(&server.base_url);
    let config: types::HaipPortConfiguration = serde_json::from_value(json!({"id":9865,"name":"Website Traffic","sourcePort":443,"targetPort":443,"mode":"https","endpointSslMode":"on"})).expect("typed configuration");
    c.update_haip_port_configuration(
        "example-haip",
        9865,
        types::HaipPortConfigurationWrapper {
            port_configuration: config,
        },
    )
    .send()
    .await
    .expect("update the port configuration");
    let seen = server.only_request();
    assert_eq!(
        seen.path(),
        "/v6/haips/example-haip/port-configurations/9865"
    );
    assert_eq!(
        seen.body_json(),
        json!({"portConfiguration":{"id":9865,"name":"Website Traffic","sourcePort":443,"targetPort":443,"mode":"https","endpointSslMode":"on"}})
    );
    server.clear();
    let create: types::HaipPortConfigurationRequest = serde_json::from_value(json!({"name":"Website Traffic","sourcePort":80,"targetPort":80,"mode":"http","endpointSslMode":"off"})).expect("typed request");
    c.create_haip_port_configuration("example-haip", create)
        .send()
        .await
        .expect("create the port configuration");
    assert_eq!(
        server.only_request().body_json(),
        json!({"name":"Website Traffic","sourcePort":80,"targetPort":80,"mode":"http","endpointSslMode":"off"})
    );
}

/// transip-vps-tcpmonitorrepository-gettcpmonitors: nested contacts and ignore times decode.
#[tokio::test]
async fn tcp_monitors_decode() {
    let body = json!({"tcpMonitors":[{"ipAddress":"10.3.37.1","label":"HTTP","ports":[80,443],"interval":6,"allowedTimeouts":1,"contacts":[{"id":1,"enableEmail":true,"enableSMS":false}],"ignoreTimes":[{"timeFrom":"18:00","timeTo":"08:30"}]}]});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let monitors = client(&server.base_url)
        .list_vps_tcp_monitors("example-vps")
        .send()
        .await
        .expect("decode the TCP monitors");
    assert_eq!(monitors[0].ip_address, "10.3.37.1");
    let contacts = monitors[0].contacts.as_ref().expect("contacts");
    assert_eq!(contacts[0].enable_sms, Some(false));
}

/// transip-action-actionrepository-parseactionfromresponse: `parentActionUuid` is `""` for an
/// action without a parent, and `metadata` is free-form.
#[tokio::test]
async fn action_without_parent_reads_the_empty_uuid_as_absent() {
    let body = json!({"action":{"uuid":"6c7fa1c1-f509-4999-a513-bdf4e7a0cebb","name":"snapshot revert","actionStartTime":"2023-02-01 17:01:51","status":"running","metadata":{"progress":1337},"parentActionUuid":""}});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let action = client(&server.base_url)
        .get_action("6c7fa1c1-f509-4999-a513-bdf4e7a0cebb")
        .send()
        .await
        .expect("decode the action");
    assert_eq!(
        server.only_request().path(),
        "/v6/actions/6c7fa1c1-f509-4999-a513-bdf4e7a0cebb"
    );
    assert_eq!(action.parent_action_uuid, None);
    assert_eq!(action.metadata, Some(json!({"progress": 1337})));
    assert_eq!(
        action.action_start_time.map(|t| t.to_string()).as_deref(),
        Some("2023-02-01 17:01:51")
    );
}

/// transip-vps-blockstoragerepository-getblockstorageusage: the period travels as Unix
/// timestamps in the query.
#[tokio::test]
async fn block_storage_usage_sends_the_period_in_the_query() {
    let body = json!({"usage":[{"iopsRead":0.27,"iopsWrite":0.13,"date":1574783109}]});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let usage = client(&server.base_url)
        .get_block_storage_usage("example-blockstorage")
        .date_time_start(1500538995)
        .date_time_end(1500542619)
        .send()
        .await
        .expect("decode the usage");
    let seen = server.only_request();
    assert_eq!(seen.path(), "/v6/block-storages/example-blockstorage/usage");
    assert_eq!(
        seen.query_value("dateTimeStart").as_deref(),
        Some("1500538995")
    );
    assert_eq!(
        seen.query_value("dateTimeEnd").as_deref(),
        Some("1500542619")
    );
    assert_eq!(usage.len(), 1);
}

/// transip-colocation-repository-addipaddresswithoutreversedns: without a reverse DNS only the
/// address is sent.
#[tokio::test]
async fn colocation_ip_address_without_reverse_dns_sends_only_the_address() {
    let server = Server::scripted("/v6", vec![Reply::empty(201)]).await;
    client(&server.base_url)
        .add_colocation_ip_address(
            "example2",
            types::ColocationIpAddressAddRequest {
                ip_address: "2a01:7c8:3:1337::6".to_string(),
                reverse_dns: None,
            },
        )
        .send()
        .await
        .expect("add the IP address");
    let seen = server.only_request();
    assert_eq!(seen.path(), "/v6/colocations/example2/ip-addresses");
    assert_eq!(seen.body_json(), json!({"ipAddress": "2a01:7c8:3:1337::6"}));
}

/// transip-email-repository-getmaillistsbydomainname: list items come without `entries`.
#[tokio::test]
async fn mail_list_items_without_entries_decode() {
    let body = json!({"lists":[{"id":1,"name":"test","emailAddress":"test@example.com"}]});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let lists = client(&server.base_url)
        .list_mail_lists("example.com")
        .send()
        .await
        .expect("decode the mail lists");
    assert_eq!(
        server.only_request().path(),
        "/v6/email/example.com/mail-lists"
    );
    assert_eq!(lists[0].entries, None);
}

/// transip-email-repository-getmailboxbyemailaddress: the mailbox identifier is an e-mail
/// address in the path.
#[tokio::test]
async fn mailbox_identifier_is_an_address_in_the_path() {
    let body = json!({"mailbox":{"identifier":"test@example.com","localPart":"test","domain":"example.com","forwardTo":"test@example.com","availableDiskSpace":100,"usedDiskSpace":100,"status":"creating","isLocked":true,"imapServer":"imap.example.com","imapPort":123,"smtpServer":"smtp.example.com","smtpPort":123,"pop3Server":"pop3.example.com","pop3Port":123}});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let mailbox = client(&server.base_url)
        .get_mailbox("example.com", "test@example.com")
        .send()
        .await
        .expect("decode the mailbox");
    let path = server.only_request().path().to_string();
    assert!(
        path == "/v6/email/example.com/mailboxes/test@example.com"
            || path == "/v6/email/example.com/mailboxes/test%40example.com",
        "{path}"
    );
    assert_eq!(mailbox.identifier, "test@example.com");
    assert_eq!(mailbox.pop3_port, Some(123));
}

/// transip-sslcertificate-sslcertificaterepository-getbyid: a certificate without dates has
/// `0000-00-00 00:00:00`, which must not fail the decode; the extra `_links` is ignored.
#[tokio::test]
async fn ssl_certificate_with_zero_dates_decodes() {
    let body = json!({"certificate":{"certificateId":1,"commonName":"example.com","expirationDate":"0000-00-00 00:00:00","orderDate":"0000-00-00 00:00:00","status":"active"},"_links":[{"rel":"self","link":"https://127.0.0.1/v6/ssl-certificates/2"}]});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let cert = client(&server.base_url)
        .get_account_ssl_certificate(1)
        .send()
        .await
        .expect("decode the certificate");
    assert_eq!(server.only_request().path(), "/v6/ssl-certificates/1");
    assert_eq!(cert.certificate_id, 1);
    assert_eq!(cert.expiration_date.as_deref(), Some("0000-00-00 00:00:00"));
}
