//! Operations added to specs/transip.yaml for issue 13 (part 3): the e-mail `PATCH` routes, the
//! SSL certificate reissue, download, install and uninstall routes, OpenStack, Acronis and file
//! hosting. Each test sends a request through the generated client to the loopback server and
//! checks method, path and body, or decodes a body through the client's decode path.

use cloudapi::runtime::Nullable;
use cloudapi::transip::{types, LinkMailAddonResponse, UnlinkMailAddonResponse};
use cloudgen_tests::clients::transip as client;
use cloudgen_tests::loopback::{Reply, Server};
use serde_json::{json, Value};

/// The one request the server saw, as method, path and JSON body; the log is cleared for the
/// next request.
fn sent(server: &Server) -> (String, String, Value) {
    let seen = server.only_request();
    server.clear();
    let body = if seen.body.is_empty() {
        Value::Null
    } else {
        seen.body_json()
    };
    (seen.method.clone(), seen.path().to_owned(), body)
}

/// The body gotransip's TestRepository_LinkAddon expects, sent to the route of the route list
/// (with the add-on id in the path); the discriminator is filled in by the split method.
#[tokio::test]
async fn link_and_unlink_mail_addon_send_the_action_and_the_addon() {
    let server = Server::scripted("/v6", vec![Reply::empty(204), Reply::empty(204)]).await;
    let c = client(&server.base_url);
    let linked = c
        .link_mail_addon("example.com", 7, 7, "test@example.com")
        .send()
        .await
        .expect("link the add-on");
    assert_eq!(linked, LinkMailAddonResponse::NoContent);
    let link = json!({"action": "linkmailbox", "addonId": 7, "mailbox": "test@example.com"});
    let path = "/v6/email/example.com/mail-addons/7";
    assert_eq!(sent(&server), ("PATCH".into(), path.into(), link));
    c.unlink_mail_addon("example.com", 7, 7)
        .mailbox("test@example.com")
        .send()
        .await
        .expect("unlink the add-on");
    let unlink = json!({"action": "unlinkmailbox", "addonId": 7, "mailbox": "test@example.com"});
    assert_eq!(sent(&server), ("PATCH".into(), path.into(), unlink));
}

/// The published description documents `202` with a message besides `204`: it is a success.
#[tokio::test]
async fn unlink_mail_addon_accepts_a_202_with_a_message() {
    let body = json!({"error": "Accepted, addon will be unlinked"});
    let server = Server::scripted("/v6", vec![Reply::json(202, &body)]).await;
    let answer = client(&server.base_url)
        .unlink_mail_addon("example.com", 7, 7)
        .send()
        .await
        .expect("a 202 is a success");
    match answer {
        UnlinkMailAddonResponse::Accepted(message) => assert_eq!(
            message.error.as_deref(),
            Some("Accepted, addon will be unlinked")
        ),
        other => panic!("expected the 202 variant, got {other:?}"),
    }
}

/// A mailbox field update sends only what was set; `forwardTo: null` is sent only when asked
/// for (the PHP client sends it to drop the forward). The runtime percent-encodes `@` inside a
/// path segment.
#[tokio::test]
async fn mailbox_field_update_sends_only_the_fields_set() {
    let server = Server::scripted("/v6", vec![Reply::empty(204), Reply::empty(204)]).await;
    let c = client(&server.base_url);
    let path = "/v6/email/example.com/mailboxes/test%40example.com";
    let only_size = types::MailboxPatchRequest {
        max_disk_usage: Some(200),
        ..Default::default()
    };
    c.update_mailbox_fields("example.com", "test@example.com", only_size)
        .send()
        .await
        .expect("update the size");
    let size = json!({"maxDiskUsage": 200});
    assert_eq!(sent(&server), ("PATCH".into(), path.into(), size));
    let no_forward = types::MailboxPatchRequest {
        forward_to: Nullable::Null,
        ..Default::default()
    };
    c.update_mailbox_fields("example.com", "test@example.com", no_forward)
        .send()
        .await
        .expect("drop the forward");
    let null = json!({"forwardTo": null});
    assert_eq!(sent(&server), ("PATCH".into(), path.into(), null));
}

#[tokio::test]
async fn mail_forward_field_update_is_a_patch_with_the_fields_set() {
    let server = Server::scripted("/v6", vec![Reply::empty(204)]).await;
    let change = types::MailForwardPatchRequest {
        forward_to: Some("other@example.com".into()),
        ..Default::default()
    };
    client(&server.base_url)
        .update_mail_forward_fields("example.com", 1, change)
        .send()
        .await
        .expect("update the forward");
    let path = "/v6/email/example.com/mail-forwards/1";
    let body = json!({"forwardTo": "other@example.com"});
    assert_eq!(sent(&server), ("PATCH".into(), path.into(), body));
}

/// gotransip's TestSslcertificateRepository_Download body decodes through the `POST` route of
/// the route list; without a passphrase no body is sent.
#[tokio::test]
async fn ssl_certificate_download_unwraps_the_certificate_data() {
    let body = json!({"certificateData":{"caBundleCrt":"ca-bundle-crt","certificateCrt":"certificate-crt","certificateP7b":"certificate-p7b","certificateKey":"certificate-key"}});
    let replies = vec![Reply::json(201, &body), Reply::json(201, &body)];
    let server = Server::scripted("/v6", replies).await;
    let c = client(&server.base_url);
    let data = c
        .download_account_ssl_certificate(1)
        .send()
        .await
        .expect("decode the certificate data");
    let path = "/v6/ssl-certificates/1/download";
    assert_eq!(sent(&server), ("POST".into(), path.into(), Value::Null));
    assert_eq!(data.ca_bundle_crt.as_deref(), Some("ca-bundle-crt"));
    assert_eq!(
        data.certificate_key.as_ref().map(|k| k.expose()),
        Some("certificate-key")
    );
    c.download_account_ssl_certificate(1)
        .body(types::SslCertificateDownloadRequest {
            passphrase: Some("secretpassphrase".into()),
        })
        .send()
        .await
        .expect("download with a passphrase");
    let passphrase = json!({"passphrase": "secretpassphrase"});
    assert_eq!(sent(&server), ("POST".into(), path.into(), passphrase));
}

/// Reissue is a `PATCH` with `action: reissue`; uninstall is a `DELETE` with a body, as the PHP
/// client sends them.
#[tokio::test]
async fn ssl_certificate_reissue_install_and_uninstall_bodies() {
    let replies = vec![Reply::empty(204), Reply::empty(204), Reply::empty(204)];
    let server = Server::scripted("/v6", replies).await;
    let c = client(&server.base_url);
    let reissue = json!({"action": "reissue", "approverEmail": "example@example.com"});
    let typed: types::SslCertificateReissueRequest =
        serde_json::from_value(reissue.clone()).expect("typed reissue request");
    c.reissue_account_ssl_certificate(12358, typed)
        .send()
        .await
        .expect("reissue");
    let path = "/v6/ssl-certificates/12358";
    assert_eq!(sent(&server), ("PATCH".into(), path.into(), reissue));
    let install = types::SslCertificateInstallRequest {
        domain_name: "example.com".into(),
        passphrase: None,
    };
    c.install_account_ssl_certificate(12358, install)
        .send()
        .await
        .expect("install");
    let domain = json!({"domainName": "example.com"});
    let path = "/v6/ssl-certificates/12358/install";
    assert_eq!(sent(&server), ("PATCH".into(), path.into(), domain.clone()));
    let uninstall = types::SslCertificateUninstallRequest {
        domain_name: "example.com".into(),
    };
    c.uninstall_account_ssl_certificate(12358, uninstall)
        .send()
        .await
        .expect("uninstall");
    let path = "/v6/ssl-certificates/12358/uninstall";
    assert_eq!(sent(&server), ("DELETE".into(), path.into(), domain));
}

/// transip-openstack-projectrepository-getall: gotransip's project carries no `type`, `domain`
/// or `region`; the published description's example carries all three.
#[tokio::test]
async fn openstack_projects_decode_with_and_without_type() {
    let body = json!({"projects": [
        {"id": "7a7a3bcb46c6450f95c53edb8dcebc7b", "name": "example-datacenter", "description": "This is an example project", "isLocked": true, "isBlocked": false},
        {"id": "7a7a3bcb46c6450f95c53edb8dcebc7c", "name": "example-objects", "isLocked": false, "isBlocked": false, "type": "objectstore", "domain": "transip", "region": "AMS"}
    ]});
    let server = Server::scripted("/v6", vec![Reply::json(200, &body)]).await;
    let projects = client(&server.base_url)
        .list_openstack_projects()
        .send()
        .await
        .expect("decode the projects");
    assert_eq!(sent(&server).1, "/v6/openstack/projects");
    assert_eq!(projects.len(), 2);
    assert_eq!(projects[0].is_locked, Some(true));
    assert_eq!(projects[0].r#type, None);
    assert_eq!(
        projects[1].r#type,
        Some(types::OpenStackProjectType::Objectstore)
    );
}

/// An S3 token is created for one project and comes back in the `201` body.
#[tokio::test]
async fn openstack_token_creation_returns_the_token() {
    let body = json!({"token": {"tokenId": "883a", "userId": "6322", "projectId": "1396", "accessKey": "humje06", "secretKey": "6d2ty55", "managementUrl": "de976d.objectstore.eu"}});
    let server = Server::scripted("/v6", vec![Reply::json(201, &body)]).await;
    let request = types::OpenStackTokenCreateRequest {
        project_id: "1396".into(),
    };
    let token = client(&server.base_url)
        .create_openstack_user_token("6322", request)
        .send()
        .await
        .expect("decode the token");
    let path = "/v6/openstack/users/6322/tokens";
    let body = json!({"projectId": "1396"});
    assert_eq!(sent(&server), ("POST".into(), path.into(), body));
    assert_eq!(token.access_key.as_deref(), Some("humje06"));
    assert_eq!(
        token.secret_key.as_ref().map(|k| k.expose()),
        Some("6d2ty55")
    );
}

/// The token list filters on a project through the `projectId` query parameter, as the PHP
/// client sends it.
#[tokio::test]
async fn openstack_token_list_filters_on_a_project() {
    let server = Server::scripted("/v6", vec![Reply::json(200, &json!({"tokens": []}))]).await;
    let tokens = client(&server.base_url)
        .list_openstack_user_tokens("6322")
        .project_id("1396")
        .send()
        .await
        .expect("decode the empty list");
    assert!(tokens.is_empty());
    let seen = server.only_request();
    assert_eq!(seen.path(), "/v6/openstack/users/6322/tokens");
    assert_eq!(seen.query_value("projectId").as_deref(), Some("1396"));
}
