//! One-line clients: `Client::from_env()` reads the token and an optional base URL
//! (`x-cloudgen-url-env`), `with_base_url` moves any client to another server, and a client
//! without credentials says so in its constructor's name.
//!
//! The environment is process-wide, so this binary holds the tests that change it, and they
//! take turns through [`ENV_LOCK`].

use cloudgen_tests::loopback::{Reply, Server};
use serde_json::json;

/// Held by every test that reads or writes the environment.
static ENV_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Sets `vars` (`None` removes one) and restores the previous values when dropped.
struct Env(Vec<(&'static str, Option<std::ffi::OsString>)>);

impl Env {
    fn set(vars: &[(&'static str, Option<&str>)]) -> Env {
        let saved = vars
            .iter()
            .map(|(name, value)| {
                let old = std::env::var_os(name);
                match value {
                    Some(value) => std::env::set_var(name, value),
                    None => std::env::remove_var(name),
                }
                (*name, old)
            })
            .collect();
        Env(saved)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for (name, old) in &self.0 {
            match old {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

#[tokio::test]
async fn upcloud_from_env_takes_the_base_url_from_upcloud_api_url() {
    let _lock = ENV_LOCK.lock().await;
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(200, &json!({"zones": {"zone": []}}))],
    )
    .await;
    let client = {
        let _env = Env::set(&[
            ("UPCLOUD_TOKEN", Some("ucat-env-token")),
            ("UPCLOUD_API_URL", Some(&server.base_url)),
        ]);
        cloudapi::upcloud::Client::from_env().expect("a client")
    };
    assert_eq!(client.runtime().base_url(), server.base_url);
    client.list_zones().send().await.expect("zones");
    let seen = server.only_request();
    assert_eq!(seen.path(), "/1.3/zone");
    assert_eq!(seen.bearer(), Some("ucat-env-token"));
}

#[tokio::test]
async fn upcloud_from_env_without_or_with_an_empty_url_uses_the_default() {
    let _lock = ENV_LOCK.lock().await;
    for url in [None, Some(""), Some("  ")] {
        let _env = Env::set(&[("UPCLOUD_TOKEN", Some("t")), ("UPCLOUD_API_URL", url)]);
        let client = cloudapi::upcloud::Client::from_env().expect("a client");
        assert_eq!(
            client.runtime().base_url(),
            cloudapi::upcloud::Client::DEFAULT_BASE_URL,
            "UPCLOUD_API_URL={url:?}"
        );
    }
}

#[tokio::test]
async fn an_invalid_base_url_in_the_environment_is_a_build_error() {
    let _lock = ENV_LOCK.lock().await;
    let _env = Env::set(&[
        ("UPCLOUD_TOKEN", Some("t")),
        ("UPCLOUD_API_URL", Some("ftp://example.com")),
    ]);
    let error = cloudapi::upcloud::Client::from_env().expect_err("not http");
    assert!(error.to_string().contains("http or https"), "{error}");
}

#[tokio::test]
async fn transip_from_env_takes_the_base_url_from_transip_api_url() {
    let _lock = ENV_LOCK.lock().await;
    let server = Server::scripted("/v6", vec![Reply::json(200, &json!({"invoices": []}))]).await;
    let client = {
        let _env = Env::set(&[
            ("TRANSIP_TOKEN", Some("transip-env-token")),
            ("TRANSIP_API_URL", Some(&server.base_url)),
        ]);
        cloudapi::transip::Client::from_env().expect("a client")
    };
    client.list_invoices().send().await.expect("invoices");
    let seen = server.only_request();
    assert_eq!(seen.path(), "/v6/invoices");
    assert_eq!(seen.bearer(), Some("transip-env-token"));
}

#[tokio::test]
async fn unikraft_ukc_api_url_wins_over_the_metro() {
    let _lock = ENV_LOCK.lock().await;
    {
        let _env = Env::set(&[("UKC_METRO", Some("dal0")), ("UKC_API_URL", None)]);
        assert_eq!(
            cloudapi::unikraft::Client::base_url_from_env(),
            "https://api.dal0.kraft.cloud/v1"
        );
    }
    let _env = Env::set(&[
        ("UKC_TOKEN", Some("ukc-env-token")),
        ("UKC_METRO", Some("dal0")),
        ("UKC_API_URL", Some("http://127.0.0.1:4010/v1")),
    ]);
    let client = cloudapi::unikraft::Client::from_env().expect("a client");
    assert_eq!(client.runtime().base_url(), "http://127.0.0.1:4010/v1");
}

#[tokio::test]
async fn with_base_url_keeps_the_credentials() {
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(200, &json!({"zones": {"zone": []}}))],
    )
    .await;
    let client = cloudapi::upcloud::Client::with_bearer_token("kept-token")
        .expect("a client")
        .with_base_url(&server.base_url)
        .expect("a loopback URL");
    client.list_zones().send().await.expect("zones");
    assert_eq!(server.only_request().bearer(), Some("kept-token"));
    let error = client
        .with_base_url("http://user:pw@127.0.0.1/")
        .expect_err("credentials in a URL are refused");
    assert!(!error.to_string().contains("pw"), "{error}");
}

#[tokio::test]
async fn the_transip_demo_client_accepts_a_base_url() {
    let server = Server::scripted("/v6", vec![Reply::json(200, &json!({"invoices": []}))]).await;
    let client = cloudapi::transip::Client::demo()
        .expect("the demo client")
        .with_base_url(&server.base_url)
        .expect("a loopback URL");
    client.list_invoices().send().await.expect("invoices");
    assert_eq!(
        server.only_request().bearer(),
        Some(cloudapi::transip::Client::DEMO_TOKEN)
    );
}

#[tokio::test]
async fn an_unauthenticated_client_sends_no_credentials() {
    let server = Server::scripted(
        "/1.3",
        vec![Reply::json(200, &json!({"zones": {"zone": []}}))],
    )
    .await;
    let client = cloudapi::upcloud::Client::unauthenticated(&server.base_url).expect("a client");
    client.list_zones().send().await.expect("zones");
    assert_eq!(server.only_request().header("authorization"), None);
}
