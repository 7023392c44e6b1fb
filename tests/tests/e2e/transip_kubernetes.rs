//! specs/transip.yaml, the Kubernetes operations (clusters, node pools, nodes, block storages,
//! load balancers, products): called from `transip_every_operation` (transip.rs) with its Prism,
//! so that its coverage check sees them. Request bodies are the spec's own examples, as typed
//! values; `call!` also asks Prism for every documented error status.

use cloudapi::transip::{types, Client};

use crate::harness::Suite;

const CLUSTER: &str = "k888k";
const POOL: &str = "402c2f84-c37d-9388-634d-00002b7c6a82";
const NODE: &str = "76743b28-f779-3e68-6aa1-00007fbb911d";
const VOLUME: &str = "custom-2c3501ab-5a45-34e9-c289-00002b084a0c";
const LB: &str = "lb-bbb0ddf8-8aeb-4f35-85ff-4e198a0faf80";

/// Every Kubernetes operation of the spec apart from the releases, which transip.rs calls.
/// `transip_every_operation` runs on `harness::run_on_large_stack`, which these frames need too.
pub async fn kubernetes_calls(s: &Suite, c: &Client) {
    cluster_calls(s, c).await;
    node_pool_and_node_calls(s, c).await;
    block_storage_calls(s, c).await;
    load_balancer_and_product_calls(s, c).await;
}

async fn cluster_calls(s: &Suite, c: &Client) {
    call!(s, c.list_kubernetes_clusters());
    call!(s, c.list_kubernetes_clusters().page_size(10).page(1));
    let order: types::KubernetesClusterOrderRequest = s.example("create_kubernetes_cluster");
    call!(s, c.create_kubernetes_cluster(order));
    if let Some(cluster) = call!(s, c.get_kubernetes_cluster(CLUSTER)) {
        assert_eq!(cluster.name, CLUSTER);
    }
    let cluster: types::KubernetesCluster = s.example("update_kubernetes_cluster");
    call!(s, c.update_kubernetes_cluster(CLUSTER, cluster));
    call!(s, c.upgrade_kubernetes_cluster(CLUSTER, "1.27.0"));
    call!(s, c.reset_kubernetes_cluster(CLUSTER, CLUSTER));
    call!(s, c.handover_kubernetes_cluster(CLUSTER, "example2"));
    call!(s, c.block_kubernetes_cluster_mail_ports(CLUSTER));
    call!(s, c.unblock_kubernetes_cluster_mail_ports(CLUSTER));
    call!(s, c.delete_kubernetes_cluster(CLUSTER));
    call!(s, c.get_kubernetes_kube_config(CLUSTER));
    call!(s, c.list_kubernetes_cluster_releases(CLUSTER));
    call!(
        s,
        c.list_kubernetes_cluster_releases(CLUSTER)
            .is_compatible_upgrade(true)
    );
    call!(s, c.get_kubernetes_cluster_release(CLUSTER, "1.24.10"));
    call!(s, c.list_kubernetes_cluster_events(CLUSTER));
    call!(
        s,
        c.list_kubernetes_cluster_events(CLUSTER)
            .namespace("default")
    );
    call!(
        s,
        c.get_kubernetes_cluster_event(CLUSTER, "kube-proxy-g9ldg.175d7f60d241f2c8")
            .namespace("default")
    );
}

async fn node_pool_and_node_calls(s: &Suite, c: &Client) {
    // Node pools.
    call!(
        s,
        c.list_kubernetes_node_pools(CLUSTER).page_size(10).page(1)
    );
    let order: types::KubernetesNodePoolOrderRequest = s.example("create_kubernetes_node_pool");
    call!(s, c.create_kubernetes_node_pool(CLUSTER, order));
    if let Some(pool) = call!(s, c.get_kubernetes_node_pool(CLUSTER, POOL)) {
        assert_eq!(
            pool.nodes.map(|n| n.len()),
            Some(1),
            "the example has one node"
        );
    }
    let pool: types::KubernetesNodePool = s.example("update_kubernetes_node_pool");
    call!(s, c.update_kubernetes_node_pool(CLUSTER, POOL, pool));
    call!(s, c.delete_kubernetes_node_pool(CLUSTER, POOL));
    call!(s, c.list_kubernetes_node_pool_labels(CLUSTER, POOL));
    let labels: Vec<types::KubernetesLabel> = s.example("set_kubernetes_node_pool_labels");
    call!(s, c.set_kubernetes_node_pool_labels(CLUSTER, POOL, labels));
    call!(s, c.list_kubernetes_node_pool_taints(CLUSTER, POOL));
    let taints: Vec<types::KubernetesTaint> = s.example("set_kubernetes_node_pool_taints");
    call!(s, c.set_kubernetes_node_pool_taints(CLUSTER, POOL, taints));

    // Nodes.
    call!(s, c.list_kubernetes_nodes(CLUSTER).node_pool_uuid(POOL));
    call!(s, c.get_kubernetes_node(CLUSTER, NODE));
    let reboot: types::KubernetesNodeRebootAction = s.example("reboot_kubernetes_node");
    call!(s, c.reboot_kubernetes_node(CLUSTER, NODE, reboot));
    call!(
        s,
        c.get_kubernetes_node_stats(CLUSTER, NODE)
            .types("cpu,disk,network")
            .date_time_start(1500538995)
            .date_time_end(1500542619)
    );
}

async fn block_storage_calls(s: &Suite, c: &Client) {
    call!(s, c.list_kubernetes_block_storages(CLUSTER).node_uuid(NODE));
    call!(s, c.get_kubernetes_block_storage(CLUSTER, VOLUME));
    let volume: types::KubernetesBlockStorage = s.example("update_kubernetes_block_storage");
    call!(
        s,
        c.update_kubernetes_block_storage(CLUSTER, VOLUME, volume)
    );
    call!(s, c.delete_kubernetes_block_storage(CLUSTER, VOLUME));
    call!(
        s,
        c.get_kubernetes_block_storage_stats(CLUSTER, VOLUME)
            .date_time_start(1500538995)
            .date_time_end(1500542619)
    );
}

async fn load_balancer_and_product_calls(s: &Suite, c: &Client) {
    // Load balancers.
    call!(s, c.list_kubernetes_load_balancers(CLUSTER));
    let order: types::KubernetesLoadBalancerOrderRequest =
        s.example("create_kubernetes_load_balancer");
    call!(s, c.create_kubernetes_load_balancer(CLUSTER, order));
    call!(s, c.get_kubernetes_load_balancer(CLUSTER, LB));
    let config: types::KubernetesLoadBalancerConfig = s.example("update_kubernetes_load_balancer");
    call!(s, c.update_kubernetes_load_balancer(CLUSTER, LB, config));
    call!(s, c.delete_kubernetes_load_balancer(CLUSTER, LB));
    call!(
        s,
        c.list_kubernetes_load_balancer_status_reports(CLUSTER, LB)
    );
    call!(
        s,
        c.list_kubernetes_load_balancer_node_status_reports(CLUSTER, LB, NODE)
    );

    // Products.
    call!(s, c.list_kubernetes_products());
    call!(s, c.list_kubernetes_products().types("workerNode"));
    if let Some(product) = call!(s, c.get_kubernetes_product("node-k8")) {
        assert!(product.specs.is_some(), "a single product has its specs");
    }
}
