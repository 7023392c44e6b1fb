//! specs/upcloud_metadata.yaml: the metadata service every UpCloud server reaches at
//! 169.254.169.254. It documents no error responses.

use cloudapi::upcloud_metadata::{types, Client};

use crate::harness::{self, Suite};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upcloud_metadata_every_operation() {
    let server = harness::server("upcloud_metadata", "CLOUDAPI_E2E_UPCLOUD_METADATA_URL");
    let s = Suite::new("upcloud_metadata");
    let c = Client::from_runtime(harness::expect(
        "build the client",
        harness::builder(server.url()).build(),
    ));

    if let Some(metadata) = call!(s, c.get_metadata()) {
        assert!(!metadata.hostname.is_empty(), "{metadata:?}");
    }
    call!(s, c.list_metadata_fields());
    call!(s, c.get_cloud_name());
    call!(s, c.get_instance_id());
    call!(s, c.get_hostname());
    call!(s, c.get_platform());
    call!(s, c.get_subplatform());
    call!(s, c.get_public_keys());
    call!(s, c.get_region());
    call!(s, c.get_tags());
    call!(s, c.get_user_data());
    call!(s, c.get_vendor_data());
    call!(s, c.list_disks());
    call!(s, c.get_disk_field(1, types::DiskField::Serial));
    call!(s, c.get_disk_field(2, types::DiskField::Size));

    s.finish();
    drop(server);
}
