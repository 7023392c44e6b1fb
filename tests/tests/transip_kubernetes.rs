//! The Kubernetes operations of specs/transip.yaml (issue 13 step 3). Bodies are gotransip's own
//! test expectations (tests/conformance/transip.jsonl, `transip-kubernetes-*`) or TransIP's API
//! description 6.53, sent through the client against the loopback server so that the request
//! encoding and the client's decode path are both exercised.

use std::time::Duration;

use cloudapi::runtime::WaitPolicy;
use cloudapi::transip::{types, Client};
use cloudgen_tests::loopback::{Reply, Server};
use serde_json::{json, Value};

const CLUSTER: &str = "k888k";
const POOL: &str = "402c2f84-c37d-9388-634d-00002b7c6a82";
const NODE: &str = "76743b28-f779-3e68-6aa1-00007fbb911d";
const VOLUME: &str = "custom-2c3501ab-5a45-34e9-c289-00002b084a0c";
const LB: &str = "lb-bbb0ddf8-8aeb-4f35-85ff-4e198a0faf80";

fn client(base_url: &str) -> Client {
    cloudgen_tests::clients::transip(base_url)
}

fn quick_polls() -> WaitPolicy {
    WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .deadline(Duration::from_secs(10))
}

/// The JSON of a corpus case, by id.
fn corpus_case(id: &str) -> Value {
    let path = cloudgen_tests::repo_root().join("tests/conformance/transip.jsonl");
    let text = std::fs::read_to_string(&path).expect("read the TransIP corpus");
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .find(|case| case["id"] == id)
        .unwrap_or_else(|| panic!("no corpus case {id}"))
}

/// transip-kubernetes-repository-getclusterbyname: the cluster is unwrapped from `cluster`.
#[tokio::test]
async fn cluster_decodes_from_its_envelope() {
    let case = corpus_case("transip-kubernetes-repository-getclusterbyname");
    let server = Server::scripted("/v6", vec![Reply::json(200, &case["response_body"])]).await;
    let cluster = client(&server.base_url)
        .get_kubernetes_cluster(CLUSTER)
        .send()
        .await
        .expect("decode the cluster");
    assert_eq!(
        server.only_request().path(),
        "/v6/kubernetes/clusters/k888k"
    );
    assert_eq!(cluster.name, CLUSTER);
    assert_eq!(cluster.version.as_deref(), Some("1.24.10"));
    assert_eq!(cluster.is_locked, Some(true));
    assert_eq!(cluster.is_blocked, Some(false));
}

/// transip-kubernetes-repository-updatecluster: PUT sends the whole cluster inside `cluster`.
#[tokio::test]
async fn cluster_update_sends_the_wrapped_cluster() {
    let case = corpus_case("transip-kubernetes-repository-updatecluster");
    let server = Server::scripted("/v6", vec![Reply::empty(204)]).await;
    let body: types::KubernetesClusterWrapper =
        serde_json::from_value(case["request_body"].clone()).expect("typed cluster");
    client(&server.base_url)
        .update_kubernetes_cluster(CLUSTER, body.cluster)
        .send()
        .await
        .expect("update the cluster");
    let seen = server.only_request();
    assert_eq!(seen.method, "PUT");
    assert_eq!(seen.body_json(), case["request_body"]);
}

/// The PATCH of a cluster is split into one method per action, each filling in `action`.
#[tokio::test]
async fn cluster_actions_send_their_action_and_only_their_fields() {
    let server = Server::scripted("/v6", vec![Reply::empty(204); 5]).await;
    let c = client(&server.base_url);
    c.upgrade_kubernetes_cluster(CLUSTER, "1.27.0")
        .send()
        .await
        .expect("upgrade");
    c.reset_kubernetes_cluster(CLUSTER, CLUSTER)
        .send()
        .await
        .expect("reset");
    c.handover_kubernetes_cluster(CLUSTER, "example2")
        .send()
        .await
        .expect("handover");
    c.block_kubernetes_cluster_mail_ports(CLUSTER)
        .send()
        .await
        .expect("block the mail ports");
    c.unblock_kubernetes_cluster_mail_ports(CLUSTER)
        .send()
        .await
        .expect("unblock the mail ports");
    let bodies: Vec<Value> = server
        .seen()
        .iter()
        .map(|seen| {
            assert_eq!(seen.method, "PATCH");
            assert_eq!(seen.path(), "/v6/kubernetes/clusters/k888k");
            seen.body_json()
        })
        .collect();
    let upgrade = corpus_case("transip-kubernetes-repository-upgradecluster");
    assert_eq!(bodies[0], upgrade["request_body"]);
    assert_eq!(
        bodies[1],
        json!({"action": "reset", "confirmation": "k888k"})
    );
    assert_eq!(
        bodies[2],
        json!({"action": "handover", "targetCustomerName": "example2"})
    );
    assert_eq!(bodies[3], json!({"action": "block_mailports"}));
    assert_eq!(bodies[4], json!({"action": "unblock_mailports"}));
}

/// The route is `kube-config` (API description 6.53, PHP client; gotransip's `kubeconfig` is the
/// odd one out) and the YAML stays base64 text.
#[tokio::test]
async fn kube_config_uses_the_documented_route_and_keeps_the_encoded_yaml() {
    let case = corpus_case("transip-kubernetes-repository-getkubeconfig");
    let server = Server::scripted("/v6", vec![Reply::json(200, &case["response_body"])]).await;
    let config = client(&server.base_url)
        .get_kubernetes_kube_config(CLUSTER)
        .send()
        .await
        .expect("decode the kubeconfig");
    assert_eq!(
        server.only_request().path(),
        "/v6/kubernetes/clusters/k888k/kube-config"
    );
    assert_eq!(
        Some(config.encoded_yaml.as_str()),
        case["response_body"]["kubeConfig"]["encodedYaml"].as_str()
    );
}

/// transip-kubernetes-repository-getnodepool: `labels` is a map here (a list on the labels
/// route), taints and nodes decode, and `clusterName`, which this body lacks, is optional.
#[tokio::test]
async fn node_pool_decodes_its_label_map_taints_and_nodes() {
    let case = corpus_case("transip-kubernetes-repository-getnodepool");
    let server = Server::scripted("/v6", vec![Reply::json(200, &case["response_body"])]).await;
    let pool = client(&server.base_url)
        .get_kubernetes_node_pool(CLUSTER, POOL)
        .send()
        .await
        .expect("decode the node pool");
    assert_eq!(
        server.only_request().path(),
        format!("/v6/kubernetes/clusters/k888k/node-pools/{POOL}")
    );
    assert_eq!(pool.desired_node_count, 3);
    assert_eq!(pool.cluster_name, None);
    let labels = pool.labels.expect("labels");
    assert_eq!(labels.get("foo").map(String::as_str), Some("bar"));
    let taints = pool.taints.expect("taints");
    assert_eq!(
        taints[0].effect,
        Some(types::KubernetesTaintEffect::NoSchedule)
    );
    let nodes = pool.nodes.expect("nodes");
    assert_eq!(nodes[0].status, Some(types::KubernetesNodeStatus::Active));
}

/// transip-kubernetes-repository-addnodepool: the order is sent flat, without unset fields.
#[tokio::test]
async fn node_pool_order_is_sent_flat_without_unset_fields() {
    let case = corpus_case("transip-kubernetes-repository-addnodepool");
    let server = Server::scripted("/v6", vec![Reply::empty(201)]).await;
    let order = types::KubernetesNodePoolOrderRequest {
        description: Some("frontend".to_owned()),
        desired_node_count: 3,
        node_spec: "vps-bladevps-x4".to_owned(),
        availability_zone: "ams0".to_owned(),
        autoscaling_enabled: None,
        min_node_count: None,
        max_node_count: None,
    };
    client(&server.base_url)
        .create_kubernetes_node_pool(CLUSTER, order)
        .send()
        .await
        .expect("order the node pool");
    let seen = server.only_request();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path(), "/v6/kubernetes/clusters/k888k/node-pools");
    assert_eq!(seen.body_json(), case["request_body"]);
}

/// transip-kubernetes-repository-setnodepoollabels: labels are replaced as a wrapped list.
#[tokio::test]
async fn node_pool_labels_are_replaced_as_a_wrapped_list() {
    let case = corpus_case("transip-kubernetes-repository-setnodepoollabels");
    let server = Server::scripted("/v6", vec![Reply::empty(204)]).await;
    let labels: types::KubernetesLabelsWrapper =
        serde_json::from_value(case["request_body"].clone()).expect("typed labels");
    client(&server.base_url)
        .set_kubernetes_node_pool_labels(CLUSTER, POOL, labels.labels)
        .send()
        .await
        .expect("set the labels");
    let seen = server.only_request();
    assert_eq!(
        seen.path(),
        format!("/v6/kubernetes/clusters/k888k/node-pools/{POOL}/labels")
    );
    assert_eq!(seen.body_json(), case["request_body"]);
}

/// A new node is `creating` until it is `active`: the waiter polls the node until then.
#[tokio::test]
async fn node_waiter_polls_until_the_node_is_active() {
    let node = |status: &str| json!({"node": {"uuid": NODE, "nodePoolUuid": POOL, "clusterName": CLUSTER, "status": status}});
    let server = Server::scripted(
        "/v6",
        vec![
            Reply::json(200, &node("creating")),
            Reply::json(200, &node("creating")),
            Reply::json(200, &node("active")),
        ],
    )
    .await;
    let found = client(&server.base_url)
        .wait_for_kubernetes_node_status(
            CLUSTER,
            NODE,
            types::KubernetesNodeStatus::Active,
            &quick_polls(),
        )
        .await
        .expect("the node becomes active");
    assert_eq!(found.status, Some(types::KubernetesNodeStatus::Active));
    let seen = server.seen();
    assert_eq!(seen.len(), 3, "polls: {seen:#?}");
    assert!(seen
        .iter()
        .all(|s| s.path() == format!("/v6/kubernetes/clusters/k888k/nodes/{NODE}")));
}

/// transip-kubernetes-repository-rebootnode-*: the reboot sends `{"action": "reboot"}`, and a
/// missing node is a typed 404 carrying TransIP's message.
#[tokio::test]
async fn node_reboot_sends_the_action_and_a_missing_node_is_a_typed_404() {
    let missing = corpus_case("transip-kubernetes-repository-rebootnode-test-nonexistent-node");
    let server = Server::scripted(
        "/v6",
        vec![
            Reply::empty(204),
            Reply::json(404, &missing["response_body"]),
        ],
    )
    .await;
    let c = client(&server.base_url);
    let reboot = types::KubernetesNodeRebootAction {
        action: types::KubernetesNodeRebootActionAction::Reboot,
    };
    c.reboot_kubernetes_node(CLUSTER, NODE, reboot.clone())
        .send()
        .await
        .expect("reboot");
    let error = c
        .reboot_kubernetes_node(CLUSTER, NODE, reboot)
        .send()
        .await
        .expect_err("no such node");
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 404);
    assert!(matches!(
        api.error(),
        Some(cloudapi::transip::RebootKubernetesNodeError::NotFound(e))
            if e.error == "Node with uuid '76743b28-f779-3e68-6aa1-00007fbb911d' not found"
    ));
    for seen in server.seen() {
        assert_eq!(seen.method, "PATCH");
        assert_eq!(seen.body_json(), json!({"action": "reboot"}));
    }
}

/// transip-kubernetes-repository-getnodestatistics: the period goes in the query and the usage
/// is unwrapped from `usage`.
#[tokio::test]
async fn node_statistics_send_the_period_and_unwrap_the_usage() {
    let case = corpus_case("transip-kubernetes-repository-getnodestatistics");
    let server = Server::scripted("/v6", vec![Reply::json(200, &case["response_body"])]).await;
    let usage = client(&server.base_url)
        .get_kubernetes_node_stats(CLUSTER, NODE)
        .date_time_start(1500538995)
        .date_time_end(1500542619)
        .send()
        .await
        .expect("decode the usage");
    let seen = server.only_request();
    assert_eq!(
        seen.path(),
        format!("/v6/kubernetes/clusters/k888k/nodes/{NODE}/stats")
    );
    assert_eq!(
        seen.query_value("dateTimeStart").as_deref(),
        Some("1500538995")
    );
    assert_eq!(
        seen.query_value("dateTimeEnd").as_deref(),
        Some("1500542619")
    );
    assert_eq!(seen.query_value("types"), None);
    assert_eq!(usage.cpu.expect("cpu")[0].percentage, Some(3.11));
    assert_eq!(usage.network.expect("network")[0].mbit_in, Some(249.93));
}

/// transip-kubernetes-repository-getblockstoragevolumes: the volumes of one node are asked for
/// with `nodeUuid`, and a volume decodes with its status.
#[tokio::test]
async fn block_storages_filter_by_node_and_decode() {
    let case = corpus_case("transip-kubernetes-repository-getblockstoragevolumes");
    let server = Server::scripted("/v6", vec![Reply::json(200, &case["response_body"])]).await;
    let page = client(&server.base_url)
        .list_kubernetes_block_storages(CLUSTER)
        .node_uuid(NODE)
        .send()
        .await
        .expect("decode the volumes");
    let seen = server.only_request();
    assert_eq!(seen.path(), "/v6/kubernetes/clusters/k888k/block-storages");
    assert_eq!(seen.query_value("nodeUuid").as_deref(), Some(NODE));
    let volume = &page.volumes[0];
    assert_eq!(volume.name, VOLUME);
    assert_eq!(volume.size_in_gib, Some(20));
    assert_eq!(volume.r#type, Some(types::KubernetesBlockStorageType::Hdd));
    assert_eq!(
        volume.status,
        Some(types::KubernetesBlockStorageStatus::Available)
    );
}

/// Attaching a volume runs in the background: the waiter polls until it is `attached`.
#[tokio::test]
async fn block_storage_waiter_polls_until_attached() {
    let volume = |status: &str| json!({"volume": {"name": VOLUME, "status": status}});
    let server = Server::scripted(
        "/v6",
        vec![
            Reply::json(200, &volume("attaching")),
            Reply::json(200, &volume("attached")),
        ],
    )
    .await;
    let found = client(&server.base_url)
        .wait_for_kubernetes_block_storage_status(
            CLUSTER,
            VOLUME,
            types::KubernetesBlockStorageStatus::Attached,
            &quick_polls(),
        )
        .await
        .expect("the volume is attached");
    assert_eq!(
        found.status,
        Some(types::KubernetesBlockStorageStatus::Attached)
    );
    assert_eq!(server.seen().len(), 2);
}

/// transip-kubernetes-repository-updateloadbalanmcer: the configuration travels inside
/// `loadBalancerConfig`, its enums and port configurations unchanged.
#[tokio::test]
async fn load_balancer_configuration_is_sent_wrapped() {
    let case = corpus_case("transip-kubernetes-repository-updateloadbalanmcer");
    let server = Server::scripted("/v6", vec![Reply::empty(204)]).await;
    let config: types::KubernetesLoadBalancerConfigWrapper =
        serde_json::from_value(case["request_body"].clone()).expect("typed configuration");
    assert_eq!(
        config.load_balancer_config.tls_mode,
        types::HaipTlsMode::Tls12
    );
    client(&server.base_url)
        .update_kubernetes_load_balancer(CLUSTER, LB, config.load_balancer_config)
        .send()
        .await
        .expect("configure the load balancer");
    let seen = server.only_request();
    assert_eq!(seen.method, "PUT");
    assert_eq!(
        seen.path(),
        format!("/v6/kubernetes/clusters/k888k/load-balancers/{LB}")
    );
    assert_eq!(seen.body_json(), case["request_body"]);
}

/// transip-kubernetes-repository-getloadbalancerstatusreportsfornode: the reports of one node,
/// with `lastChange` read as a date-time without a time zone.
#[tokio::test]
async fn load_balancer_status_reports_of_a_node_decode() {
    let case = corpus_case("transip-kubernetes-repository-getloadbalancerstatusreportsfornode");
    let server = Server::scripted("/v6", vec![Reply::json(200, &case["response_body"])]).await;
    let reports = client(&server.base_url)
        .list_kubernetes_load_balancer_node_status_reports(CLUSTER, LB, NODE)
        .send()
        .await
        .expect("decode the status reports");
    assert_eq!(
        server.only_request().path(),
        format!("/v6/kubernetes/clusters/k888k/load-balancers/{LB}/status-reports/{NODE}")
    );
    assert_eq!(
        reports[0].state,
        Some(types::KubernetesLoadBalancerState::Up)
    );
    assert_eq!(
        reports[0].last_change.map(|t| t.to_string()).as_deref(),
        Some("2019-09-29 16:51:18")
    );
}

/// The API description writes a product's `costCents` as a decimal string; a number is read too.
#[tokio::test]
async fn product_prices_read_cost_from_a_string_or_a_number() {
    let product = |cost: Value| {
        json!({"product": {"name": "node-k8", "type": "workerNode",
            "periodPrices": [{"periodUnit": "month", "periodLength": 1, "isExact": false, "currency": "EUR", "costCents": cost}]}})
    };
    let server = Server::scripted(
        "/v6",
        vec![
            Reply::json(200, &product(json!("0.0079"))),
            Reply::json(200, &product(json!(1250))),
        ],
    )
    .await;
    let c = client(&server.base_url);
    for expected in [0.0079, 1250.0] {
        let found = c
            .get_kubernetes_product("node-k8")
            .send()
            .await
            .expect("decode the product");
        let prices = found.period_prices.expect("prices");
        assert_eq!(prices[0].cost_cents, Some(expected));
    }
    assert_eq!(server.seen()[0].path(), "/v6/kubernetes/products/node-k8");
}

/// transip-kubernetes-repository-testgeteventsbynamespace and the cluster's compatible
/// releases: filters go in the query string.
#[tokio::test]
async fn cluster_event_and_release_filters_go_in_the_query() {
    let events = corpus_case("transip-kubernetes-repository-testgeteventsbynamespace");
    let releases = json!({"releases": [{"version": "1.27.0", "releaseDate": "2023-04-11", "maintenanceModeDate": "", "endOfLifeDate": "", "isCompatibleUpgrade": true}]});
    let server = Server::scripted(
        "/v6",
        vec![
            Reply::json(200, &events["response_body"]),
            Reply::json(200, &releases),
        ],
    )
    .await;
    let c = client(&server.base_url);
    let found = c
        .list_kubernetes_cluster_events(CLUSTER)
        .namespace("default")
        .send()
        .await
        .expect("decode the events");
    assert_eq!(found[0].count, Some(6));
    let compatible = c
        .list_kubernetes_cluster_releases(CLUSTER)
        .is_compatible_upgrade(true)
        .send()
        .await
        .expect("decode the releases");
    assert_eq!(compatible[0].is_compatible_upgrade, Some(true));
    assert_eq!(compatible[0].end_of_life_date, None, "`\"\"` is no date");
    let seen = server.seen();
    assert_eq!(seen[0].path(), "/v6/kubernetes/clusters/k888k/events");
    assert_eq!(seen[0].query_value("namespace").as_deref(), Some("default"));
    assert_eq!(seen[1].path(), "/v6/kubernetes/clusters/k888k/releases");
    assert_eq!(
        seen[1].query_value("isCompatibleUpgrade").as_deref(),
        Some("true")
    );
}
