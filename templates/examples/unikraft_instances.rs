//! Unikraft Cloud: create an instance with environment variables and memory, list the
//! instances, and stop several by name in one batch call, handling each result on its own.
//!
//! ```sh
//! UKC_TOKEN=... cargo run -p cloudapi --example unikraft_instances
//! ```
//!
//! `UKC_METRO` selects the metro (default `fra0`); `UKC_API_URL` optionally points the client at
//! another server, such as a mock.

use std::collections::BTreeMap;

use cloudapi::runtime::{ItemResult, NameError};
use cloudapi::unikraft::types::{InstanceCreateRequest, InstanceStopRequestItem, Name};
use cloudapi::unikraft::{item_error_code, Client};

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?; // UKC_TOKEN, UKC_METRO, and UKC_API_URL when set

    let env = BTreeMap::from([("NGINX_PORT".to_owned(), "8080".to_owned())]);
    let request = InstanceCreateRequest::new("nginx:latest")
        .with_name("web-1".parse::<Name>()?)
        .with_memory_mb(256)
        .with_env(env)
        .with_autostart(true);
    let created = client.create_instance(request).send().await?.into_first()?;
    println!(
        "created {}",
        created.uuid.map(|u| u.to_string()).unwrap_or_default()
    );

    for instance in client.get_instances().send().await?.oks() {
        let name = instance.name.as_ref().map_or("-", Name::as_str);
        let state = instance.state.as_ref().map(ToString::to_string);
        println!("instance {name:<24} {}", state.unwrap_or_default());
    }

    let stop = ["web-1", "web-2"]
        .into_iter()
        .map(|name| Ok(InstanceStopRequestItem::new(name.parse::<Name>()?)))
        .collect::<Result<Vec<_>, NameError>>()?;
    for result in client.stop_instances(stop).send().await?.items {
        match result {
            ItemResult::Ok(stopped) => {
                println!(
                    "stopping {}",
                    stopped.name.as_ref().map_or("-", Name::as_str)
                )
            }
            ItemResult::Err(error) if error.code == Some(item_error_code::NOT_FOUND) => {
                println!("nothing to stop: {error}")
            }
            ItemResult::Err(error) => eprintln!("not stopped: {error}"),
        }
    }
    Ok(())
}
