//! specs/unikraft.yaml: the Unikraft Cloud API v1. Every response is an envelope
//! (`status`, `message`, `data.<objects>`, `errors`); a batch call returns `runtime::Batch<T>`, a
//! single-object call (`single: true`) the object itself, and,
//! for error statuses, `runtime::BatchError`. Batch operations (global scope) take a list of
//! object references (by UUID or name); single ones (local scope) a UUID in the path.

use cloudapi::unikraft::{types, Client};

use crate::harness::{self, Suite};

const UUID: &str = "7bece402-c36f-457f-a165-0e2d63f1db53";

fn name(text: &str) -> types::Name {
    harness::expect("a valid RFC 1035 name", types::Name::new(text))
}

fn uuid(text: &str) -> types::Uuid {
    types::Uuid(text.parse().expect("a valid UUID"))
}

fn by_name(text: &str) -> types::ObjectReference {
    types::ObjectReference::Name(name(text))
}

fn by_uuid(text: &str) -> types::ObjectReference {
    types::ObjectReference::Uuid(uuid(text))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unikraft_every_operation() {
    let server = harness::server("unikraft", "CLOUDAPI_E2E_UNIKRAFT_URL");
    let s = Suite::new("unikraft");
    let c = Client::from_runtime(harness::expect(
        "build the client",
        harness::builder(server.url()).build(),
    ));
    let refs = vec![by_name("my-instance"), by_uuid(UUID)];

    // Instances.
    let create: types::InstanceCreateRequest = s.example("create_instance");
    if let Some(batch) = call!(s, c.create_instance(create)) {
        assert!(!batch.is_error(), "{batch:?}");
    }
    if let Some(batch) = call!(s, c.get_instances()) {
        assert!(batch.oks().next().is_some(), "no instance in {batch:?}");
    }
    call!(s, c.get_instances().body(refs.clone()));
    call!(s, c.get_instances().details(false).metrics(true));
    call!(
        s,
        c.get_instances()
            .count(10)
            .from(UUID)
            .tags(vec!["web".to_owned()])
            .order(types::ListOrder::Desc)
            .sortby(types::ListSortKey::CreateTime)
    );
    call!(s, c.get_instance(uuid(UUID)));
    call!(s, c.get_instance(uuid(UUID)).details(true).metrics(true));
    call!(s, c.delete_instances(refs.clone()));
    call!(s, c.delete_instances(refs.clone()).timeout_s(5));
    call!(s, c.delete_instance(uuid(UUID)));
    call!(s, c.delete_instance(uuid(UUID)).timeout_s(5));
    let update: Vec<types::InstanceUpdateRequestItem> = s.example("update_instances");
    call!(s, c.update_instances(update));
    let update: types::InstanceUpdateRequest = s.example("update_instance");
    call!(s, c.update_instance(uuid(UUID), update));
    let start: Vec<types::InstanceStartRequestItem> = s.example("start_instances");
    call!(s, c.start_instances(start));
    call!(s, c.start_instance(uuid(UUID)));
    let start: types::InstanceStartRequest = s.example("start_instance");
    call!(s, c.start_instance(uuid(UUID)).body(start));
    let stop: Vec<types::InstanceStopRequestItem> = s.example("stop_instances");
    call!(s, c.stop_instances(stop));
    call!(s, c.stop_instance(uuid(UUID)));
    let stop: types::InstanceStopRequest = s.example("stop_instance");
    call!(s, c.stop_instance(uuid(UUID)).body(stop));
    let wait: Vec<types::InstanceWaitRequestItem> = s.example("wait_instances");
    call!(s, c.wait_instances(wait));
    let wait: types::InstanceWaitRequest = s.example("wait_instance");
    call!(s, c.wait_instance(uuid(UUID), wait));
    call!(
        s,
        c.wait_instance(uuid(UUID), types::InstanceWaitRequest::default())
    );
    call!(s, c.get_instance_logs(uuid(UUID)));
    let logs: types::InstanceLogRequest = s.example("get_instance_logs");
    call!(s, c.get_instance_logs(uuid(UUID)).body(logs));
    let logs: Vec<types::InstanceLogRequestItem> = s.example("get_instances_logs");
    call!(s, c.get_instances_logs(logs));
    call!(s, c.get_instances_metrics());
    call!(
        s,
        c.get_instances_metrics().body(vec![by_name("my-instance")])
    );
    call!(s, c.get_instance_metrics(uuid(UUID)));

    // Template instances.
    call!(s, c.get_instance_templates());
    call!(
        s,
        c.get_instance_templates()
            .details(false)
            .count(5)
            .from("2024-05-28T00:00:00Z")
            .tags(vec!["web".to_owned()])
            .order(types::ListOrder::Asc)
            .sortby(types::ListSortKey::CreateTime)
            .body(vec![by_name("nginx-template")])
    );
    call!(s, c.create_instance_templates(vec![by_name("nginx-1a747")]));
    call!(s, c.delete_instance_templates(refs.clone()));
    let update: Vec<types::InstanceTemplateUpdateRequestItem> =
        s.example("update_instance_templates");
    call!(s, c.update_instance_templates(update));
    call!(s, c.get_instance_template(uuid(UUID)));
    call!(s, c.get_instance_template(uuid(UUID)).details(false));
    call!(s, c.delete_instance_template(uuid(UUID)));
    let update: types::InstanceTemplateUpdateRequest = s.example("update_instance_template");
    call!(s, c.update_instance_template(uuid(UUID), update));

    // Service groups.
    let create: types::ServiceGroupCreateRequest = s.example("create_service_group");
    call!(s, c.create_service_group(create));
    call!(s, c.get_service_groups());
    call!(s, c.get_service_groups().details(false));
    call!(s, c.get_service_groups().body(vec![by_name("my-service")]));
    call!(s, c.get_service_group(uuid(UUID)));
    call!(
        s,
        c.delete_service_groups(vec![by_name("my-service"), by_uuid(UUID)])
    );
    call!(s, c.delete_service_group(uuid(UUID)));
    call!(
        s,
        c.get_service_groups()
            .count(10)
            .from(UUID)
            .order(types::ListOrder::Desc)
            .sortby(types::ListSortKey::CreateTime)
    );
    let update: Vec<types::ServiceGroupUpdateRequestItem> = s.example("update_service_groups");
    call!(s, c.update_service_groups(update));
    let update: types::ServiceGroupUpdateRequest = s.example("update_service_group");
    call!(s, c.update_service_group(uuid(UUID), update));

    // Volumes.
    let create: types::VolumeCreateRequest = s.example("create_volume");
    call!(s, c.create_volume(create));
    call!(s, c.get_volumes());
    call!(s, c.get_volumes().details(false));
    call!(s, c.get_volumes().body(vec![by_name("my-volume")]));
    call!(s, c.get_volume(uuid(UUID)));
    call!(s, c.delete_volumes(vec![by_name("my-volume")]));
    call!(s, c.delete_volume(uuid(UUID)));
    let attach: Vec<types::VolumeAttachRequestItem> = s.example("attach_volumes");
    call!(s, c.attach_volumes(attach));
    let attach: types::VolumeAttachRequest = s.example("attach_volume");
    call!(s, c.attach_volume(uuid(UUID), attach));
    let detach: Vec<types::VolumeDetachRequestItem> = s.example("detach_volumes");
    call!(s, c.detach_volumes(detach));
    call!(s, c.detach_volume(uuid(UUID)));
    let detach: types::VolumeDetachRequest = s.example("detach_volume");
    call!(s, c.detach_volume(uuid(UUID)).body(detach));
    call!(
        s,
        c.get_volumes()
            .count(10)
            .from(UUID)
            .tags(vec!["backup".to_owned()])
            .order(types::ListOrder::Desc)
            .sortby(types::ListSortKey::CreateTime)
    );
    let update: Vec<types::VolumeUpdateRequestItem> = s.example("update_volumes");
    call!(s, c.update_volumes(update));
    let update: types::VolumeUpdateRequest = s.example("update_volume");
    call!(s, c.update_volume(uuid(UUID), update));
    let clone: Vec<types::VolumeCloneRequestItem> = s.example("clone_volumes");
    call!(s, c.clone_volumes(clone));
    let clone: types::VolumeCloneRequest = s.example("clone_volume");
    call!(s, c.clone_volume(uuid(UUID), clone));
    call!(
        s,
        c.clone_volume(uuid(UUID), types::VolumeCloneRequest::default())
    );

    // Template volumes.
    call!(s, c.get_volume_templates());
    call!(
        s,
        c.get_volume_templates()
            .details(false)
            .count(5)
            .from(UUID)
            .tags(vec!["base".to_owned()])
            .order(types::ListOrder::Asc)
            .sortby(types::ListSortKey::CreateTime)
            .body(vec![by_name("data-template")])
    );
    call!(s, c.create_volume_templates(vec![by_name("my-config-vol")]));
    call!(s, c.delete_volume_templates(vec![by_name("data-template")]));
    let update: Vec<types::VolumeTemplateUpdateRequestItem> = s.example("update_volume_templates");
    call!(s, c.update_volume_templates(update));
    call!(s, c.get_volume_template(uuid(UUID)));
    call!(s, c.get_volume_template(uuid(UUID)).details(false));
    call!(s, c.delete_volume_template(uuid(UUID)));
    let update: types::VolumeTemplateUpdateRequest = s.example("update_volume_template");
    call!(s, c.update_volume_template(uuid(UUID), update));

    // Images.
    call!(s, c.list_images());
    call!(
        s,
        c.list_images()
            .namespace("official")
            .tagged(true)
            .body(vec![types::ImageLookup::Tag("nginx:latest".to_owned())])
    );

    // Certificates.
    let create: types::CertificateCreateRequest = s.example("create_certificate");
    call!(s, c.create_certificate(create));
    call!(s, c.get_certificates());
    call!(s, c.get_certificates().details(false));
    call!(
        s,
        c.get_certificates().body(vec![by_name("my-certificate")])
    );
    call!(s, c.get_certificate(uuid(UUID)));
    call!(s, c.delete_certificates(vec![by_uuid(UUID)]));
    call!(s, c.delete_certificate(uuid(UUID)));
    call!(
        s,
        c.get_certificates()
            .count(10)
            .from(UUID)
            .order(types::ListOrder::Asc)
            .sortby(types::ListSortKey::CreateTime)
    );
    let update: types::CertificateUpdateGlobalRequest = s.example("update_certificates");
    call!(s, c.update_certificates(update));
    let update: types::CertificateUpdateRequest = s.example("update_certificate");
    call!(s, c.update_certificate(uuid(UUID), update));

    // Autoscale.
    let config: types::AutoscaleConfigurationCreateGlobalRequest =
        s.example("create_autoscale_configurations");
    call!(s, c.create_autoscale_configurations(config));
    call!(
        s,
        c.get_autoscale_configurations(vec![by_name("my-service")])
    );
    call!(
        s,
        c.delete_autoscale_configurations(vec![by_name("my-service")])
    );
    let config: types::AutoscaleConfigurationCreateRequest =
        s.example("create_autoscale_configuration");
    call!(s, c.create_autoscale_configuration(uuid(UUID), config));
    call!(s, c.get_autoscale_configuration(uuid(UUID)));
    call!(s, c.delete_autoscale_configuration(uuid(UUID)));
    let policy: types::AutoscalePolicy = s.example("create_autoscale_policy");
    call!(s, c.create_autoscale_policy(uuid(UUID), policy));
    call!(s, c.list_autoscale_policies(uuid(UUID)));
    call!(
        s,
        c.list_autoscale_policies(uuid(UUID))
            .body(vec![by_name("scale-on-cpu")])
    );
    call!(s, c.get_autoscale_policy(uuid(UUID), name("scale-on-cpu")));
    let delete: types::AutoscalePolicyDeleteRequest = s.example("delete_autoscale_policies");
    call!(s, c.delete_autoscale_policies(uuid(UUID), delete));
    call!(
        s,
        c.delete_autoscale_policy(uuid(UUID), name("scale-on-cpu"))
    );

    // The node.
    if let Some(health) = call!(s, c.get_health()) {
        assert_eq!(health.status, types::ResponseStatus::Success, "{health:?}");
    }

    // Users and quotas.
    call!(s, c.get_user_quotas());
    call!(s, c.get_user_quotas_by_uuid(uuid(UUID)));
    let users: types::UserAddRequest = s.example("add_users");
    call!(s, c.add_users().body(users));
    call!(s, c.add_users());

    s.finish();
    drop(server);
}
