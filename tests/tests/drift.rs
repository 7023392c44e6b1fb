//! The drift report of `ClientBuilder::report_drift`: what a response carries that the types
//! drop, and enum values they do not know, logged with the operation and the JSON path.

use cloudgen_tests::capture::Captured;
use cloudgen_tests::loopback::{Reply, Server};
use cloudgen_tests::snapshots::drift_report::Client;
use serde_json::json;

/// Gets one machine whose body is `body`, with drift reporting `on`, and returns the logs.
async fn get_machine(body: serde_json::Value, on: bool) -> String {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = Server::scripted("", vec![Reply::json(200, &body)]).await;
    let client = Client::from_runtime(
        Client::builder()
            .base_url(&server.base_url)
            .report_drift(on)
            .build()
            .expect("a client"),
    );
    client
        .get_machine("m-1")
        .send()
        .await
        .expect("the body decodes");
    captured.printed()
}

#[tokio::test]
async fn a_dropped_field_is_reported_with_its_path_but_not_its_value() {
    let logs = get_machine(
        json!({"id": "m-1", "state": "running", "disks": [{"size": 10, "iops": "SECRET-9"}]}),
        true,
    )
    .await;
    assert!(logs.contains("WARN"), "{logs}");
    assert!(logs.contains("get_machine"), "names the operation: {logs}");
    assert!(
        logs.contains("`disks[0].iops` was sent but the types have no field for it"),
        "{logs}"
    );
    assert!(!logs.contains("SECRET-9"), "never the value: {logs}");
}

#[tokio::test]
async fn an_unknown_enum_value_is_reported() {
    let logs = get_machine(json!({"id": "m-1", "state": "hibernating"}), true).await;
    assert!(
        logs.contains("`state` holds `hibernating`, which MachineState does not know"),
        "{logs}"
    );
}

#[tokio::test]
async fn a_clean_response_reports_nothing() {
    let logs = get_machine(
        json!({"id": "m-1", "state": "stopped", "disks": [{"size": 1}], "gone": null}),
        true,
    )
    .await;
    assert!(logs.is_empty(), "{logs}");
}

#[tokio::test]
async fn nothing_is_reported_when_the_report_is_off() {
    let logs = get_machine(
        json!({"id": "m-1", "state": "hibernating", "extra": true}),
        false,
    )
    .await;
    assert!(logs.is_empty(), "{logs}");
}
