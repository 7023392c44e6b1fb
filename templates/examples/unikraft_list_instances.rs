//! Lists the instances of a Unikraft Cloud account.
//!
//! ```sh
//! UKC_TOKEN=... cargo run -p cloudapi --example unikraft_list_instances
//! ```
//!
//! `UKC_BASE_URL` optionally selects another metro (`https://api.<metro>.kraft.cloud/v1`) or a
//! mock server.

use cloudapi::unikraft::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = match std::env::var("UKC_BASE_URL") {
        Ok(url) => {
            let token = std::env::var("UKC_TOKEN").map_err(|_| "set UKC_TOKEN")?;
            Client::from_runtime(
                Client::builder()
                    .base_url(url)
                    .bearer_token(token)
                    .build()?,
            )
        }
        Err(_) => Client::from_env()?, // reads UKC_TOKEN
    };
    let batch = client.get_instances().send().await?;
    for instance in batch.oks() {
        let name = instance.name.as_ref().map(|n| n.as_str()).unwrap_or("-");
        let state = instance
            .state
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default();
        println!(
            "{name:<32} {state:<10} {}",
            instance.fqdn.as_deref().unwrap_or("")
        );
    }
    for error in batch.errors() {
        eprintln!("error: {error}");
    }
    Ok(())
}
