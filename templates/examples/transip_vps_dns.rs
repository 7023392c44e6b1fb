//! TransIP: with the documented demo token, list every VPS across all pages, add a DNS entry to
//! a domain, and stop a VPS.
//!
//! ```sh
//! cargo run -p cloudapi --example transip_vps_dns
//! ```
//!
//! `TRANSIP_API_URL` optionally points the client at another server, such as a mock.

use cloudapi::prelude::*;
use cloudapi::transip::types::{DnsEntry, DnsEntryType};
use cloudapi::transip::Client;

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // The demo account; `with_base_url` keeps the token and moves the client.
    let client = Client::demo()?.with_base_url(Client::base_url_from_env())?;

    let vpss: Vec<_> = client
        .list_vpss()
        .page_size(25)
        .stream()
        .try_collect()
        .await?;
    for vps in &vpss {
        println!(
            "vps: {} ({})",
            vps.name,
            vps.description.as_deref().unwrap_or("-")
        );
    }

    let entry = DnsEntry::new("www", 86400, DnsEntryType::A, "192.0.2.10");
    client.create_dns_entry("example.com", entry).send().await?;
    println!("added www.example.com A 192.0.2.10");

    if let Some(vps) = vpss.first() {
        client.stop_vps(&vps.name).send().await?;
        println!("stopping {}", vps.name);
    }
    Ok(())
}
