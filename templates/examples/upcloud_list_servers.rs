//! Lists the servers of an UpCloud account.
//!
//! ```sh
//! UPCLOUD_TOKEN=ucat_... cargo run -p cloudapi --example upcloud_list_servers
//! ```
//!
//! `UPCLOUD_BASE_URL` optionally points the client at another server, such as a mock.

use cloudapi::upcloud::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = match std::env::var("UPCLOUD_BASE_URL") {
        Ok(url) => {
            let token = std::env::var("UPCLOUD_TOKEN").map_err(|_| "set UPCLOUD_TOKEN")?;
            Client::from_runtime(
                Client::builder()
                    .base_url(url)
                    .bearer_token(token)
                    .build()?,
            )
        }
        Err(_) => Client::from_env()?, // reads UPCLOUD_TOKEN
    };
    let servers = client.list_servers().send().await?;
    for server in &servers {
        println!(
            "{}  {:<12} {:<10} {}",
            server.uuid,
            server.state.as_str(),
            server.zone,
            server.hostname
        );
    }
    println!("{} server(s)", servers.len());
    Ok(())
}
