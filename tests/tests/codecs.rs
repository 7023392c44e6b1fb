//! Every wire codec in every position (tests/fixtures/codec_positions.yaml): each cell reads
//! the provider's wire form into a plain Rust value and writes back exactly the same JSON.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use cloudgen_tests::snapshots::codec_positions::types::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Reads `wire` as `T`, checks that writing it back gives the same JSON, and returns it.
fn round_trip<T: DeserializeOwned + Serialize>(wire: Value) -> T {
    let value: T = serde_json::from_value(wire.clone()).unwrap_or_else(|e| {
        panic!(
            "{wire} does not read as {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&value).expect("a decoded value serializes");
    assert_eq!(back, wire, "writing back changed the JSON");
    value
}

fn map<T>(entries: impl IntoIterator<Item = (&'static str, T)>) -> BTreeMap<String, T> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

#[test]
fn yes_no_in_every_position() {
    let cells: YesNoCells = round_trip(json!({
        "field": "yes",
        "optional": "no",
        "list": ["yes", "no"],
        "map": {"a": "yes"},
        "union": "no",
        "nested": {"a": ["no", "yes"]},
    }));
    assert!(cells.field);
    assert_eq!(cells.optional, Some(false));
    assert_eq!(cells.list, Some(vec![true, false]));
    assert_eq!(cells.map, Some(map([("a", true)])));
    assert_eq!(cells.union, Some(YesNoCellsUnion::Coded(false)));
    assert_eq!(cells.nested, Some(map([("a", vec![false, true])])));
}

#[test]
fn yes_no_reads_leniently_but_writes_yes_and_no() {
    let cells: YesNoCells = serde_json::from_value(json!({"field": true, "list": ["1", false]}))
        .expect("booleans and 1/0 read as yes/no");
    assert_eq!((cells.field, &cells.list), (true, &Some(vec![true, false])));
    let back = serde_json::to_value(&cells).expect("serializes");
    assert_eq!(back, json!({"field": "yes", "list": ["yes", "no"]}));
}

#[test]
fn bool_string_in_every_position() {
    let cells: BoolStringCells = round_trip(json!({
        "field": "true",
        "optional": "false",
        "list": ["true"],
        "map": {"k": "false"},
        "union": "true",
        "nested": {"k": ["false"]},
    }));
    assert!(cells.field);
    assert_eq!(cells.optional, Some(false));
    assert_eq!(cells.list, Some(vec![true]));
    assert_eq!(cells.map, Some(map([("k", false)])));
    assert_eq!(cells.union, Some(BoolStringCellsUnion::Coded(true)));
    assert_eq!(cells.nested, Some(map([("k", vec![false])])));
}

#[test]
fn string_integers_in_every_position() {
    let cells: StringIntegerCells = round_trip(json!({
        "field": "-3",
        "optional": "4",
        "list": ["1", "2"],
        "map": {"n": "9"},
        "union": "12",
        "nested": {"n": ["7"]},
    }));
    assert_eq!(cells.field, -3);
    assert_eq!(cells.optional, Some(4));
    assert_eq!(cells.list, Some(vec![1, 2]));
    assert_eq!(cells.map, Some(map([("n", 9)])));
    assert_eq!(cells.union, Some(StringIntegerCellsUnion::Coded(12)));
    assert_eq!(cells.nested, Some(map([("n", vec![7])])));
}

#[test]
fn string_decimals_in_every_position() {
    let cells: StringDecimalCells = round_trip(json!({
        "field": "1.5",
        "optional": "0.25",
        "list": ["2.5"],
        "map": {"x": "3.5"},
        "union": "4.5",
        "nested": {"x": ["5.5"]},
    }));
    assert_eq!(cells.field, 1.5);
    assert_eq!(cells.optional, Some(0.25));
    assert_eq!(cells.list, Some(vec![2.5]));
    assert_eq!(cells.map, Some(map([("x", 3.5)])));
    assert_eq!(cells.union, Some(StringDecimalCellsUnion::Coded(4.5)));
    assert_eq!(cells.nested, Some(map([("x", vec![5.5])])));
}

#[test]
fn base64_in_every_position() {
    let cells: BytesCells = round_trip(json!({
        "field": "aGkh",
        "optional": "/w==",
        "list": ["AA=="],
        "map": {"b": "AQ=="},
        "union": "Ag==",
        "nested": {"b": ["Aw=="]},
    }));
    assert_eq!(cells.field, b"hi!");
    assert_eq!(cells.optional, Some(vec![0xff]));
    assert_eq!(cells.list, Some(vec![vec![0]]));
    assert_eq!(cells.map, Some(map([("b", vec![1])])));
    assert_eq!(cells.union, Some(BytesCellsUnion::Coded(vec![2])));
    assert_eq!(cells.nested, Some(map([("b", vec![vec![3]])])));
}

#[test]
fn formatted_date_times_in_every_position() {
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("a date-time");
    let cells: StampCells = round_trip(json!({
        "field": "2024-01-02 03:04:05",
        "optional": "2024-02-03 04:05:06",
        "list": ["2024-03-04 05:06:07"],
        "map": {"t": "2024-04-05 06:07:08"},
        "union": "2024-05-06 07:08:09",
        "nested": {"t": ["2024-06-07 08:09:10"]},
    }));
    assert_eq!(cells.field, at("2024-01-02 03:04:05"));
    assert_eq!(cells.optional, Some(at("2024-02-03 04:05:06")));
    assert_eq!(cells.list, Some(vec![at("2024-03-04 05:06:07")]));
    assert_eq!(cells.map, Some(map([("t", at("2024-04-05 06:07:08"))])));
    assert_eq!(
        cells.union,
        Some(StampCellsUnion::Coded(at("2024-05-06 07:08:09")))
    );
    assert_eq!(
        cells.nested,
        Some(map([("t", vec![at("2024-06-07 08:09:10")])]))
    );
}

#[test]
fn wrapped_lists_in_every_position() {
    let labels = |items: &[&str]| json!({"label": items});
    let cells: LabelsCells = round_trip(json!({
        "field": labels(&["a", "b"]),
        "optional": labels(&[]),
        "list": [labels(&["c"]), labels(&["d", "e"])],
        "map": {"m": labels(&["f"])},
        "union": labels(&["g"]),
        "nested": {"m": [labels(&["h"])]},
    }));
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(cells.field, strings(&["a", "b"]));
    assert_eq!(cells.optional, Some(Vec::new()));
    assert_eq!(
        cells.list,
        Some(vec![strings(&["c"]), strings(&["d", "e"])])
    );
    assert_eq!(cells.map, Some(map([("m", strings(&["f"]))])));
    assert_eq!(cells.union, Some(LabelsCellsUnion::Coded(strings(&["g"]))));
    assert_eq!(cells.nested, Some(map([("m", vec![strings(&["h"])])])));
}

#[test]
fn an_object_that_is_not_a_wrapped_list_falls_through_to_the_next_union_variant() {
    let cells: LabelsCells =
        serde_json::from_value(json!({"field": {"label": []}, "union": {"other": "x"}}))
            .expect("reads");
    assert!(matches!(cells.union, Some(LabelsCellsUnion::Other(_))));
}

#[test]
fn empty_as_absent_in_every_position() {
    let day = |d: u32| NaiveDate::from_ymd_opt(2024, 1, d).expect("a date");
    let cells: MaybeDateCells = serde_json::from_value(json!({
        "field": "",
        "optional": "2024-01-02",
        "list": ["", "2024-01-03"],
        "map": {"d": ""},
        "union": "2024-01-04",
        "nested": {"d": ["2024-01-05", ""]},
    }))
    .expect("empty strings read as absent");
    assert_eq!(cells.field, None);
    assert_eq!(cells.optional, Some(day(2)));
    assert_eq!(cells.list, Some(vec![None, Some(day(3))]));
    assert_eq!(cells.map, Some(map([("d", None)])));
    assert_eq!(cells.union, Some(MaybeDateCellsUnion::Coded(Some(day(4)))));
    assert_eq!(cells.nested, Some(map([("d", vec![Some(day(5)), None])])));
    // What has a value is written back as it came; no value is written as `null`.
    let back = serde_json::to_value(&cells).expect("serializes");
    assert_eq!(back["optional"], json!("2024-01-02"));
    assert_eq!(back["list"], json!([null, "2024-01-03"]));
    assert_eq!(back["field"], Value::Null);
}

#[test]
fn empty_as_absent_still_rejects_a_malformed_value() {
    let error = serde_json::from_value::<MaybeDateCells>(json!({"field": "yesterday"}))
        .expect_err("not a date");
    assert!(error.to_string().contains("input"), "{error}");
}

#[test]
fn a_top_level_list_reads_through_its_codec() {
    use cloudgen_tests::loopback::{Reply, Server};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let server =
            Server::scripted("", vec![Reply::json(200, &json!(["yes", "no", "yes"]))]).await;
        let client = cloudgen_tests::snapshots::codec_positions::Client::new(&server.base_url)
            .expect("a client");
        let flags = client.list_flags().send().await.expect("decodes");
        assert_eq!(flags, vec![true, false, true]);
    });
}

#[test]
fn a_request_body_is_written_through_its_codecs() {
    use cloudgen_tests::loopback::{Reply, Server};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let server = Server::scripted("", vec![Reply::json(200, &json!({}))]).await;
        let client = cloudgen_tests::snapshots::codec_positions::Client::new(&server.base_url)
            .expect("a client");
        let body = Cells {
            yes_no: Some(YesNoCells {
                field: true,
                optional: None,
                list: Some(vec![false]),
                map: None,
                union: None,
                nested: None,
            }),
            labels: Some(LabelsCells {
                field: vec!["a".into()],
                optional: None,
                list: None,
                map: None,
                union: None,
                nested: None,
            }),
            ..Cells::default()
        };
        client.put_cells(body).send().await.expect("sends");
        let sent = server.only_request().body_json();
        assert_eq!(
            sent,
            json!({"yes_no": {"field": "yes", "list": ["no"]}, "labels": {"field": {"label": ["a"]}}})
        );
    });
}

#[test]
fn a_wrapped_request_body_is_sent_inside_its_wrappers() {
    use cloudgen_tests::loopback::{Reply, Server};
    use cloudgen_tests::snapshots::x_cloudgen_wrap::{types, Client};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let server = Server::scripted("", vec![Reply::empty(204), Reply::empty(204)]).await;
        let client = Client::new(&server.base_url).expect("a client");
        let server_body = types::CreateServer {
            hostname: "web-1".into(),
            metadata: Some(true),
        };
        client
            .create_server(server_body)
            .send()
            .await
            .expect("sends");
        let label = types::Label {
            key: "env".into(),
            value: "prod".into(),
        };
        client
            .replace_labels("u1", vec![label])
            .send()
            .await
            .expect("sends");
        let seen = server.seen();
        assert_eq!(
            seen[0].body_json(),
            json!({"server": {"hostname": "web-1", "metadata": "yes"}})
        );
        assert_eq!(
            seen[1].body_json(),
            json!({"labels": {"label": [{"key": "env", "value": "prod"}]}})
        );
    });
}

#[test]
fn the_operation_table_checks_a_wrapped_body_in_its_wire_form() {
    let operations = cloudgen_tests::snapshots::x_cloudgen_wrap::operations();
    let create = operations
        .iter()
        .find(|o| o.name == "create_server")
        .and_then(|o| o.request)
        .expect("create_server sends a JSON body");
    let drift = create(&json!({"server": {"hostname": "web-1", "metadata": "no"}}))
        .expect("the wire form reads");
    assert!(drift.is_empty(), "{drift:?}");
    // A member beside the wrapped value is not sent by the client: reported as drift.
    let drift = create(&json!({"server": {"hostname": "web-1"}, "dry_run": true}))
        .expect("the wire form reads");
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(drift[0].path, "dry_run");
    // The inner value without its wrapper is not what travels.
    assert!(create(&json!({"hostname": "web-1"})).is_err());
}

#[test]
fn upcloud_server_ip_addresses_decode_both_recorded_shapes_into_typed_values() {
    use cloudapi::upcloud::types::{ServerIpAddress, ServerIpAddresses};
    // The wrapped form of server details (upcloud-go-api fixtures) and the bare array of the
    // documented stop-server response (seed, chapter 8).
    let wrapped: ServerIpAddresses = round_trip(json!({"ip_address": [
        {"access": "public", "address": "94.237.0.207", "family": "IPv4", "part_of_plan": "yes"}
    ]}));
    let bare: ServerIpAddresses = round_trip(json!([
        {"access": "private", "address": "10.0.0.1", "family": "IPv4"}
    ]));
    let addresses = |v: &ServerIpAddresses| -> Vec<ServerIpAddress> {
        match v {
            ServerIpAddresses::ServerIpAddressList(list)
            | ServerIpAddresses::ServerIpAddressArray(list) => list.clone(),
        }
    };
    assert!(matches!(wrapped, ServerIpAddresses::ServerIpAddressList(_)));
    assert!(matches!(bare, ServerIpAddresses::ServerIpAddressArray(_)));
    assert_eq!(addresses(&wrapped)[0].address, "94.237.0.207");
    assert_eq!(addresses(&wrapped)[0].part_of_plan, Some(true));
    assert_eq!(addresses(&bare)[0].address, "10.0.0.1");
}

#[test]
fn untagged_variants_match_typed_first_and_the_catch_all_last() {
    use cloudgen_tests::snapshots::union_variant_order::types::HolderAnythingFirst as U;
    let read = |v: Value| serde_json::from_value::<U>(v).expect("every value matches a variant");
    assert!(matches!(read(json!({"id": 1})), U::Thing(_)));
    assert!(matches!(read(json!([{"id": 1}])), U::ThingList(_)));
    assert!(matches!(read(json!(["a"])), U::Names(_)));
    assert!(matches!(read(json!("free text")), U::Value(_)));
}

#[tokio::test]
async fn a_split_method_leaves_a_nullable_field_out_or_sends_an_explicit_null() {
    use cloudgen_tests::loopback::{Reply, Server};
    use cloudgen_tests::snapshots::split_nullable_field::Client;
    let server = Server::scripted("", vec![Reply::empty(204)]).await;
    let client = Client::new(&server.base_url).expect("a client");
    client.attach_disk("d1").send().await.expect("sent");
    client
        .attach_disk("d1")
        .machine(None::<String>)
        .send()
        .await
        .expect("sent");
    client
        .attach_disk("d1")
        .machine("m-1".to_owned())
        .send()
        .await
        .expect("sent");
    let bodies: Vec<Value> = server.seen().iter().map(|s| s.body_json()).collect();
    assert_eq!(
        bodies,
        [
            json!({"action": "attach"}),
            json!({"action": "attach", "machine": null}),
            json!({"action": "attach", "machine": "m-1"}),
        ]
    );
}
