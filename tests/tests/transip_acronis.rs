//! The Acronis and file hosting operations of specs/transip.yaml (issue 13, TransIP's last
//! groups): the wire shapes TransIP's API description 6.53 documents, sent and received through
//! the client against the loopback server. Neither gotransip nor the conformance corpus has these
//! groups, so the bodies here are written from the description's attribute lists.

use std::time::Duration;

use cloudapi::runtime::WaitPolicy;
use cloudapi::transip::{types, Client, GetFilehostingDiskError};
use cloudgen_tests::loopback::{Reply, Server};
use serde_json::{json, Value};

const TENANT: &str = "bfa08ad9-6c12-4e03-95dd-a888b97ffe49";
const DISK: i64 = 4134;

fn client(base_url: &str) -> Client {
    cloudgen_tests::clients::transip(base_url)
}

fn disk(status: &str) -> Value {
    json!({"filehostingDisk": {
        "id": DISK, "name": "example-disk", "description": "shared project files",
        "status": status, "diskSizeBytes": 536870912000_i64, "inUseBytes": 0,
        "freeBytes": 536870912000_i64, "createdAt": "2024-10-08 12:00:00"
    }})
}

/// Order, upgrade and downgrade bodies with a single key take the bare value; the client adds
/// `{"addons": [...]}` / `{"productName": ...}` on the wire.
#[tokio::test]
async fn single_key_bodies_are_sent_wrapped() {
    let replies = [201, 204, 204, 201, 204].map(Reply::empty).to_vec();
    let server = Server::scripted("/v6", replies).await;
    let c = client(&server.base_url);
    c.order_acronis_tenant_addons(TENANT, vec!["acronisAddon-250gb".to_owned()])
        .send()
        .await
        .expect("order add-ons");
    c.upgrade_acronis_tenant(TENANT, "acronis-1tb")
        .send()
        .await
        .expect("upgrade");
    c.downgrade_acronis_tenant(TENANT, "acronis-250gb")
        .send()
        .await
        .expect("downgrade");
    c.order_filehosting_disk("filehosting-disk-500")
        .send()
        .await
        .expect("order a disk");
    c.upgrade_filehosting_disk(DISK, "filehosting-disk-1000")
        .send()
        .await
        .expect("upgrade a disk");
    let seen: Vec<(String, String, Value)> = server
        .seen()
        .iter()
        .map(|s| (s.method.clone(), s.path().to_owned(), s.body_json()))
        .collect();
    let t = format!("/v6/acronis/tenants/{TENANT}");
    assert_eq!(
        seen,
        vec![
            (
                "POST".to_owned(),
                format!("{t}/addons"),
                json!({"addons": ["acronisAddon-250gb"]})
            ),
            (
                "PUT".to_owned(),
                format!("{t}/upgrades"),
                json!({"productName": "acronis-1tb"})
            ),
            (
                "PUT".to_owned(),
                format!("{t}/downgrades"),
                json!({"productName": "acronis-250gb"})
            ),
            (
                "POST".to_owned(),
                "/v6/filehosting/disks".to_owned(),
                json!({"productName": "filehosting-disk-500"})
            ),
            (
                "PUT".to_owned(),
                "/v6/filehosting/disks/4134/upgrades".to_owned(),
                json!({"productName": "filehosting-disk-1000"})
            ),
        ]
    );
}

/// A disk is read from `filehostingDisk` but sent back inside `disk` (description 6.53).
#[tokio::test]
async fn a_disk_is_read_from_filehosting_disk_and_updated_inside_disk() {
    let server = Server::scripted(
        "/v6",
        vec![Reply::json(200, &disk("active")), Reply::empty(204)],
    )
    .await;
    let c = client(&server.base_url);
    let mut found = c
        .get_filehosting_disk(DISK)
        .send()
        .await
        .expect("decode the disk");
    assert_eq!(found.id, DISK);
    assert_eq!(found.description, "shared project files");
    assert_eq!(found.disk_size_bytes, Some(536870912000));
    found.description = "archived project files".to_owned();
    c.update_filehosting_disk(DISK, found)
        .send()
        .await
        .expect("update the disk");
    let seen = server.seen();
    assert_eq!(seen[0].path(), "/v6/filehosting/disks/4134");
    assert_eq!(seen[1].method, "PUT");
    let mut expected = disk("active")["filehostingDisk"].clone();
    expected["description"] = json!("archived project files");
    assert_eq!(seen[1].body_json(), json!({ "disk": expected }));
}

/// The custom domains come under `CustomDomainNames`, capital C.
#[tokio::test]
async fn custom_domains_are_read_from_their_capitalised_key() {
    let body = json!({"CustomDomainNames": [{
        "id": 1027, "diskId": DISK, "domainName": "example.com", "hostname": "files",
        "status": "active", "createdAt": "2024-10-03 12:00:00", "expiresAt": "2025-01-25 12:08:40"
    }]});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let domains = client(&server.base_url)
        .list_filehosting_disk_custom_domains(DISK)
        .send()
        .await
        .expect("decode the custom domains");
    assert_eq!(
        server.only_request().path(),
        "/v6/filehosting/disks/4134/custom-domains"
    );
    assert_eq!(domains.len(), 1);
    assert_eq!(domains[0].id, 1027);
    assert_eq!(domains[0].domain_name.as_deref(), Some("example.com"));
}

/// Lists take the documented ordering parameters; cancelling sends `endTime` in a DELETE body;
/// reverting a backup sends no body.
#[tokio::test]
async fn list_ordering_cancellation_and_revert_are_sent_as_documented() {
    let users = json!({"filehostingUsers": []});
    let server = Server::scripted(
        "/v6",
        vec![
            Reply::json(200, &users),
            Reply::empty(204),
            Reply::empty(204),
        ],
    )
    .await;
    let c = client(&server.base_url);
    c.list_filehosting_disk_users(DISK)
        .order_by(types::ListFilehostingDiskUsersOrderBy::DisplayName)
        .reverse(true)
        .send()
        .await
        .expect("list users");
    c.cancel_acronis_tenant(
        TENANT,
        types::CancellationRequest {
            end_time: types::CancellationTime::Immediately,
        },
    )
    .send()
    .await
    .expect("cancel the tenant");
    c.revert_filehosting_disk_backup(DISK, 160277323)
        .send()
        .await
        .expect("revert");
    let seen = server.seen();
    assert_eq!(
        seen[0].target,
        "/v6/filehosting/disks/4134/users?orderBy=displayName&reverse=true"
    );
    assert_eq!(seen[1].method, "DELETE");
    assert_eq!(seen[1].body_json(), json!({"endTime": "immediately"}));
    assert_eq!(seen[2].method, "PUT");
    assert_eq!(
        seen[2].path(),
        "/v6/filehosting/disks/4134/backups/160277323"
    );
    assert!(seen[2].body.is_empty(), "no body: {:?}", seen[2].body);
}

/// The waiter polls `getFilehostingDisk` until the disk has the wanted status.
#[tokio::test]
async fn the_disk_waiter_polls_until_the_status_is_reached() {
    let server = Server::scripted(
        "/v6",
        vec![
            Reply::json(200, &disk("creating")),
            Reply::json(200, &disk("creating")),
            Reply::json(200, &disk("active")),
        ],
    )
    .await;
    let policy = WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .deadline(Duration::from_secs(10));
    let found = client(&server.base_url)
        .wait_for_filehosting_disk_status(DISK, "active".to_owned(), &policy)
        .await
        .expect("the disk becomes active");
    assert_eq!(found.status.as_deref(), Some("active"));
    assert_eq!(server.seen().len(), 3);
}

/// A disk of another customer is a typed 403 carrying TransIP's message.
#[tokio::test]
async fn a_disk_of_another_customer_is_a_typed_403() {
    let body = json!({"error": "Customer does not own this disk"});
    let server = Server::scripted("/v6", vec![Reply::json(403, &body)]).await;
    let err = client(&server.base_url)
        .get_filehosting_disk(DISK)
        .send()
        .await
        .expect_err("a 403");
    let cloudapi::runtime::Error::Api(api) = err else {
        panic!("an API error: {err:?}");
    };
    assert_eq!(api.status().as_u16(), 403);
    match api.error() {
        Some(GetFilehostingDiskError::Forbidden(e)) => {
            assert_eq!(e.error, "Customer does not own this disk");
        }
        other => panic!("the typed 403: {other:?}"),
    }
}
