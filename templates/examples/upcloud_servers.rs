//! UpCloud: list the servers labelled `env=prod`, create a server from a template with an SSH
//! key, wait until it has started, stop it, and tell a documented error code apart.
//!
//! ```sh
//! UPCLOUD_TOKEN=ucat_... cargo run -p cloudapi --example upcloud_servers
//! ```
//!
//! `UPCLOUD_API_URL` optionally points the client at another server, such as a mock.

use std::time::Duration;

use cloudapi::prelude::*;
use cloudapi::upcloud::types::{
    CreateServer, CreateServerInterface as Interface, CreateServerInterfaceType as Access,
    CreateServerIpAddress as Address, CreateServerIpAddressFamily as Family,
    CreateServerNetworking, LoginUser, ServerState, StopServer, StorageDeviceClone, StorageUuid,
};
use cloudapi::upcloud::{Client, ErrorCode};

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?; // UPCLOUD_TOKEN, and UPCLOUD_API_URL when set
    for server in client.list_servers().label("env=prod").send().await? {
        println!("prod: {} {}", server.hostname, server.state.as_str());
    }

    let ubuntu: StorageUuid = "01000000-0000-4000-8000-000030240200".parse()?; // a template
    let public_ipv4 = Interface::new(Access::Public, vec![Address::new(Family::IPv4)]);
    let request = CreateServer::new(
        "fi-hel1",
        "web1",
        "web1.example.com",
        vec![StorageDeviceClone::new(ubuntu)
            .with_title("web1 disk")
            .into()],
        CreateServerNetworking::new(vec![public_ipv4]),
    )
    .with_plan("1xCPU-1GB")
    .with_login_user(LoginUser::default().with_ssh_keys(["ssh-ed25519 AAAA... me".to_owned()]));
    let server = client.create_server(request).send().await?;
    println!("created {} ({})", server.uuid, server.state.as_str());

    let policy = WaitPolicy::new().interval(Duration::from_secs(5));
    let server = client
        .wait_for_server_state(server.uuid, ServerState::Started, &policy)
        .await?;
    println!("started {}", server.uuid);

    match client
        .stop_server(server.uuid.clone(), StopServer::default())
        .send()
        .await
    {
        Ok(stopping) => println!("stopping {}", stopping.uuid),
        Err(error) => match error.api().and_then(|api| api.error()?.code()) {
            Some(ErrorCode::ServerStateIllegal) => println!("{} is not running", server.uuid),
            _ => return Err(error.into()),
        },
    }
    Ok(())
}
