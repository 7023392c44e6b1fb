//! specs/transip.yaml, the operations added for issue 13 (part 3): e-mail `PATCH` routes, SSL
//! certificate reissue, download, install and uninstall, and OpenStack (Acronis and file hosting
//! are in transip_acronis.rs).
//! Called from `transip_every_operation` (transip.rs) with its Prism, so that its coverage check
//! sees them. Request bodies are the spec's own examples, as typed values; `call!` also asks
//! Prism for every documented error status.

use cloudapi::transip::{types, Client};

use crate::harness::Suite;

const DOMAIN: &str = "example.com";
const MAILBOX: &str = "test@example.com";
const PROJECT: &str = "7a7a3bcb46c6450f95c53edb8dcebc7b";
const USER: &str = "6322872d9c7e445dbbb49c1f9ca28adc";
const TOKEN: &str = "883a4849fc7644dd749f7a300005d9757694382b27b185d5e1fbd54446fc3949";

/// Every operation of the groups this module covers.
pub async fn cloud_calls(s: &Suite, c: &Client) {
    email_and_ssl_calls(s, c).await;
    openstack_project_calls(s, c).await;
    openstack_user_calls(s, c).await;
}

async fn email_and_ssl_calls(s: &Suite, c: &Client) {
    call!(s, c.link_mail_addon(DOMAIN, 282154, 282154, MAILBOX));
    call!(
        s,
        c.unlink_mail_addon(DOMAIN, 282154, 282154).mailbox(MAILBOX)
    );
    let fields: types::MailboxPatchRequest = s.example("update_mailbox_fields");
    call!(s, c.update_mailbox_fields(DOMAIN, MAILBOX, fields));
    let fields: types::MailForwardPatchRequest = s.example("update_mail_forward_fields");
    call!(s, c.update_mail_forward_fields(DOMAIN, 1, fields));

    let reissue: types::SslCertificateReissueRequest = s.example("reissue_account_ssl_certificate");
    call!(s, c.reissue_account_ssl_certificate(12358, reissue));
    call!(s, c.download_account_ssl_certificate(12358));
    let download: types::SslCertificateDownloadRequest =
        s.example("download_account_ssl_certificate");
    call!(s, c.download_account_ssl_certificate(12358).body(download));
    let install: types::SslCertificateInstallRequest = s.example("install_account_ssl_certificate");
    call!(s, c.install_account_ssl_certificate(12358, install));
    let uninstall: types::SslCertificateUninstallRequest =
        s.example("uninstall_account_ssl_certificate");
    call!(s, c.uninstall_account_ssl_certificate(12358, uninstall));
}

async fn openstack_project_calls(s: &Suite, c: &Client) {
    call!(s, c.list_openstack_projects());
    let project: types::OpenStackProjectCreateRequest = s.example("create_openstack_project");
    call!(s, c.create_openstack_project(project));
    call!(s, c.get_openstack_project(PROJECT));
    let project: types::OpenStackProject = s.example("update_openstack_project");
    call!(s, c.update_openstack_project(PROJECT, project));
    let handover: types::OpenStackProjectHandoverRequest = s.example("handover_openstack_project");
    call!(s, c.handover_openstack_project(PROJECT, handover));
    call!(s, c.cancel_openstack_project(PROJECT));
    call!(s, c.list_openstack_project_assignable_users(PROJECT));
    call!(s, c.get_openstack_project_quota(PROJECT));
    let quota: types::OpenStackProjectQuotaRequest = s.example("set_openstack_project_quota");
    call!(s, c.set_openstack_project_quota(PROJECT, quota));
    call!(s, c.list_openstack_project_users(PROJECT));
    let user: types::OpenStackProjectUserAddRequest = s.example("add_openstack_project_user");
    call!(s, c.add_openstack_project_user(PROJECT, user));
    call!(s, c.remove_openstack_project_user(PROJECT, USER));
}

async fn openstack_user_calls(s: &Suite, c: &Client) {
    call!(s, c.list_openstack_users());
    let user: types::OpenStackUserCreateRequest = s.example("create_openstack_user");
    call!(s, c.create_openstack_user(user));
    call!(s, c.get_openstack_user(USER));
    let user: types::OpenStackUser = s.example("update_openstack_user");
    call!(s, c.update_openstack_user(USER, user));
    let password: types::OpenStackUserPasswordRequest = s.example("change_openstack_user_password");
    call!(s, c.change_openstack_user_password(USER, password));
    call!(s, c.delete_openstack_user(USER));
    call!(s, c.list_openstack_user_tokens(USER));
    call!(
        s,
        c.list_openstack_user_tokens(USER)
            .project_id("139636c9a78c4c588285920f6cc4bb5a")
    );
    let token: types::OpenStackTokenCreateRequest = s.example("create_openstack_user_token");
    call!(s, c.create_openstack_user_token(USER, token));
    call!(s, c.get_openstack_user_token(USER, TOKEN));
    call!(s, c.delete_openstack_user_token(USER, TOKEN));
}
