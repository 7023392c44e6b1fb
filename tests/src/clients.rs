//! Generated clients pointed at a loopback server, for tests that check what a client sends.

use cloudapi::runtime::RetryPolicy;

/// A `cloudapi::transip` client for `base_url` with a fixed bearer token and no retries, so
/// that every request reaches the server exactly once.
pub fn transip(base_url: &str) -> cloudapi::transip::Client {
    let runtime = cloudapi::transip::Client::builder()
        .base_url(base_url)
        .bearer_token("plain-test-token")
        .retry(RetryPolicy::none())
        .build()
        .expect("a base URL and a token are all the builder needs");
    cloudapi::transip::Client::from_runtime(runtime)
}
