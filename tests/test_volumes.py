"""Volume scenarios: the default StorageClass, WaitForFirstConsumer provisioning, binding, reclaim."""

from __future__ import annotations

import pytest

NOW = "2026-01-01T00:00:00Z"

CLAIM = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 2Gi}}
"""

POD = """
apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  nodeName: kind-worker2
  containers: [{name: app, image: busybox}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
"""


@pytest.fixture(autouse=True)
def _only_the_controllers_under_test(only_controllers):
    only_controllers("volumes")


def test_bootstrap_has_kinds_default_storage_class(kubectl):
    storage_class = kubectl.json("get", "storageclass", "standard")
    assert storage_class["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert (storage_class["provisioner"], storage_class["reclaimPolicy"], storage_class["volumeBindingMode"]) == \
        ("rancher.io/local-path", "Delete", "WaitForFirstConsumer")


def test_claim_waits_for_its_first_consumer(kubectl):
    kubectl.apply(CLAIM)
    claim = kubectl.json("get", "pvc", "data")
    assert claim["spec"]["storageClassName"] == "standard"
    assert claim["status"] == {"phase": "Pending"}
    assert claim["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert kubectl.events_about("PersistentVolumeClaim") == [
        ("WaitForFirstConsumer", "waiting for first consumer to be created before binding")]
    kubectl.edit(lambda cluster: None)
    assert len(kubectl.events_about("PersistentVolumeClaim")) == 1


def test_scheduled_consumer_gets_a_provisioned_bound_volume(kubectl):
    kubectl.apply(CLAIM)
    kubectl.apply(POD)
    claim = kubectl.json("get", "pvc", "data")
    uid = claim["metadata"]["uid"]
    assert claim["spec"]["volumeName"] == f"pvc-{uid}"
    assert claim["status"] == {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "2Gi"}, "phase": "Bound"}
    annotations = claim["metadata"]["annotations"]
    annotations.pop("kubectl.kubernetes.io/last-applied-configuration")
    assert annotations == {
        "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes",
        "volume.beta.kubernetes.io/storage-provisioner": "rancher.io/local-path",
        "volume.kubernetes.io/selected-node": "kind-worker2",
        "volume.kubernetes.io/storage-provisioner": "rancher.io/local-path"}
    volume = kubectl.json("get", "pv", f"pvc-{uid}")
    assert volume["metadata"]["annotations"] == {"pv.kubernetes.io/provisioned-by": "rancher.io/local-path"}
    assert volume["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    spec = volume["spec"]
    assert (spec["capacity"], spec["persistentVolumeReclaimPolicy"], spec["storageClassName"]) == \
        ({"storage": "2Gi"}, "Delete", "standard")
    assert (spec["claimRef"]["name"], spec["claimRef"]["uid"]) == ("data", uid)
    assert spec["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"] == ["kind-worker2"]
    assert volume["status"]["phase"] == "Bound"
    reasons = [reason for reason, _ in kubectl.events_about("PersistentVolumeClaim")]
    assert reasons == ["WaitForFirstConsumer", "ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"]
    messages = dict(kubectl.events_about("PersistentVolumeClaim"))
    assert messages["Provisioning"] == 'External provisioner is provisioning volume for claim "default/data"'
    assert messages["ProvisioningSucceeded"] == f"Successfully provisioned volume pvc-{uid}"


def test_deleted_claim_waits_for_its_pod_then_its_volume_is_reclaimed(kubectl):
    kubectl.apply(CLAIM)
    kubectl.apply(POD)
    volume_name = kubectl.json("get", "pvc", "data")["spec"]["volumeName"]
    kubectl("delete", "pvc", "data")
    assert kubectl.json("get", "pvc", "data")["metadata"]["deletionTimestamp"] == NOW
    kubectl("delete", "pod", "user")
    assert kubectl.json("get", "pvc")["items"] == []
    assert [v["metadata"]["name"] for v in kubectl.json("get", "pv")["items"]] == []
    assert volume_name.startswith("pvc-")


def test_claim_binds_to_a_fitting_static_volume(kubectl):
    kubectl.apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: manual}
spec:
  storageClassName: ""
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/manual}
""")
    assert kubectl.json("get", "pv", "manual")["status"]["phase"] == "Available"
    kubectl.apply(CLAIM.replace("spec:\n", 'spec:\n  storageClassName: ""\n'))
    claim = kubectl.json("get", "pvc", "data")
    assert (claim["spec"]["volumeName"], claim["status"]["phase"], claim["status"]["capacity"]) == \
        ("manual", "Bound", {"storage": "5Gi"})
    volume = kubectl.json("get", "pv", "manual")
    assert (volume["status"]["phase"], volume["spec"]["claimRef"]["name"]) == ("Bound", "data")
    kubectl("delete", "pvc", "data")
    assert kubectl.json("get", "pv", "manual")["status"]["phase"] == "Released"
