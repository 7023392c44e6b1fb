//! Clients of the generated crate set up the way the loopback tests need them.

use cloudapi::runtime::RetryPolicy;

/// A TransIP client at `base_url` with a fixed bearer token and no retries, so that every request
/// the loopback server sees is one the test sent.
pub fn transip(base_url: &str) -> cloudapi::transip::Client {
    let runtime = cloudapi::transip::Client::builder()
        .base_url(base_url)
        .bearer_token("plain-test-token")
        .retry(RetryPolicy::none())
        .build()
        .expect("build the TransIP client");
    cloudapi::transip::Client::from_runtime(runtime)
}
