//! Lists the VPSs of a TransIP account, walking every page.
//!
//! ```sh
//! TRANSIP_TOKEN=eyJ0eXAi... cargo run -p cloudapi --example transip_list_vpss
//! ```
//!
//! `TRANSIP_BASE_URL` optionally points the client at another server, such as a mock.

use cloudapi::futures_util::TryStreamExt;
use cloudapi::transip::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = match std::env::var("TRANSIP_BASE_URL") {
        Ok(url) => {
            let token = std::env::var("TRANSIP_TOKEN").map_err(|_| "set TRANSIP_TOKEN")?;
            Client::from_runtime(
                Client::builder()
                    .base_url(url)
                    .bearer_token(token)
                    .build()?,
            )
        }
        Err(_) => Client::from_env()?, // reads TRANSIP_TOKEN
    };
    let vpss: Vec<_> = client
        .list_vpss()
        .page_size(100)
        .stream()
        .try_collect()
        .await?;
    for vps in &vpss {
        println!(
            "{:<24} {:<20} {}",
            vps.name,
            vps.product_name.as_deref().unwrap_or("-"),
            vps.description.as_deref().unwrap_or("")
        );
    }
    println!("{} VPS(s)", vpss.len());
    Ok(())
}
