//! The example programs of `cloudapi` (`templates/examples/`, copied to `generated/examples/`),
//! built with cargo and run against Prism: each must exit successfully and print the lines of
//! each step of its task. They read their base URL from the variable `from_env()` reads.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::harness::{self, TOKEN};

/// Builds every example of `cloudapi` once (a no-op when `cargo test --workspace` built them
/// already) and returns each one's executable by name.
fn examples() -> &'static BTreeMap<String, PathBuf> {
    static BUILT: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = Command::new(cargo)
            .args(["build", "--locked", "-p", "cloudapi", "--examples"])
            .args(["--message-format=json-render-diagnostics"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run cargo build --examples");
        assert!(
            out.status.success(),
            "the examples do not build:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut built = BTreeMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let is_example = message["target"]["kind"][0] == "example";
            if let (true, Some(exe)) = (is_example, message["executable"].as_str()) {
                let name = message["target"]["name"].as_str().unwrap_or_default();
                built.insert(name.to_owned(), PathBuf::from(exe));
            }
        }
        built
    })
}

/// Runs example `name` with `env` and checks it succeeded; returns its standard output.
fn run(name: &str, env: &[(&str, &str)]) -> String {
    let exe = examples()
        .get(name)
        .unwrap_or_else(|| panic!("no example `{name}` among {:?}", examples().keys()));
    let out: Output = Command::new(exe)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", exe.display()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "example {name} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

fn assert_lines(name: &str, stdout: &str, prefixes: &[&str]) {
    for prefix in prefixes {
        assert!(
            stdout.lines().any(|line| line.starts_with(prefix)),
            "example {name} printed no line starting with {prefix:?}:\n{stdout}"
        );
    }
}

#[test]
fn the_examples_are_the_three_tasks() {
    let names: Vec<&String> = examples().keys().collect();
    assert_eq!(
        names,
        ["transip_vps_dns", "unikraft_instances", "upcloud_servers"]
    );
}

#[test]
fn upcloud_example_lists_creates_waits_and_stops_against_prism() {
    let server = harness::server("upcloud", "CLOUDAPI_E2E_UPCLOUD_URL");
    let env = [("UPCLOUD_TOKEN", TOKEN), ("UPCLOUD_API_URL", server.url())];
    let out = run("upcloud_servers", &env);
    assert_lines(
        "upcloud_servers",
        &out,
        &["prod: ", "created ", "started ", "stopping "],
    );
}

#[test]
fn transip_example_lists_every_page_adds_a_dns_entry_and_stops_a_vps_against_prism() {
    let server = harness::server("transip", "CLOUDAPI_E2E_TRANSIP_URL");
    let out = run("transip_vps_dns", &[("TRANSIP_API_URL", server.url())]);
    assert_lines(
        "transip_vps_dns",
        &out,
        &["vps: ", "added www.example.com", "stopping "],
    );
}

#[test]
fn unikraft_example_creates_lists_and_stops_by_name_against_prism() {
    let server = harness::server("unikraft", "CLOUDAPI_E2E_UNIKRAFT_URL");
    let env = [("UKC_TOKEN", TOKEN), ("UKC_API_URL", server.url())];
    let out = run("unikraft_instances", &env);
    assert_lines(
        "unikraft_instances",
        &out,
        &["created ", "instance ", "stopping "],
    );
}

#[test]
fn an_example_prints_its_error_with_display_and_fails() {
    // Nothing listens on port 9 of loopback: the error line names the call and the cause.
    let exe = &examples()["upcloud_servers"];
    let out = Command::new(exe)
        .envs([
            ("UPCLOUD_TOKEN", TOKEN),
            ("UPCLOUD_API_URL", "http://127.0.0.1:9/1.3"),
        ])
        .output()
        .expect("run the example");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.starts_with("error: could not talk to the server for `list_servers`"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN), "{stderr}");
}
