"""Volume scenarios: the default StorageClass, WaitForFirstConsumer provisioning, binding, reclaim."""

from __future__ import annotations

import io
import json

import pytest

from minikctl import controllers, store
from minikctl.cli.main import run
from minikctl.cluster import Cluster
from minikctl.env import Environment, parse_rfc3339

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


class Harness:
    def __init__(self, folder):
        self.folder = folder

    def __call__(self, *argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        env = Environment(stdout=out, stderr=err, cwd=str(self.folder), environ={"MINIKCTL_NOW": NOW})
        assert run(list(argv), env) == 0, err.getvalue()
        return out.getvalue()

    def json(self, *argv: str) -> dict:
        return json.loads(self(*argv, "-o", "json"))

    def apply(self, text: str) -> str:
        path = self.folder / "manifest.yaml"
        path.write_text(text)
        return self("apply", "-f", str(path))

    def edit(self, change) -> None:
        """Change the stored state as an outside actor would, then let the controllers reconcile."""
        path = str(self.folder / "state" / "cluster.json")
        with store.locked(path) as state:
            cluster = Cluster(state, parse_rfc3339(NOW))
            cluster.begin_write()
            change(cluster)
            controllers.reconcile(cluster)
            store.write_atomically(path, cluster.state.serialize())

    def pod_names(self) -> list[str]:
        return [p["metadata"]["name"] for p in self.json("get", "pods")["items"]]

    def start(self, *names: str) -> None:
        """Play scheduler and kubelet for the named pods: bound to kind-worker, Running and Ready."""
        def change(cluster):
            for name in names:
                pod = cluster.get("pods", "default", name)
                pod["spec"]["nodeName"] = "kind-worker"
                pod["status"] = {"phase": "Running", "conditions": [
                    {"type": "Ready", "status": "True", "lastTransitionTime": NOW}]}
                cluster.update(pod, "pods")
        self.edit(change)

    def events(self, kind: str = "StatefulSet") -> list[tuple[str, str]]:
        return [(e["reason"], e["message"]) for e in self.json("get", "events")["items"]
                if e["involvedObject"]["kind"] == kind]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setattr(controllers, "CONTROLLERS", ["volumes"])
    return Harness(tmp_path)


def test_bootstrap_has_kinds_default_storage_class(cli):
    storage_class = cli.json("get", "storageclass", "standard")
    assert storage_class["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert (storage_class["provisioner"], storage_class["reclaimPolicy"], storage_class["volumeBindingMode"]) == \
        ("rancher.io/local-path", "Delete", "WaitForFirstConsumer")


def test_claim_waits_for_its_first_consumer(cli):
    cli.apply(CLAIM)
    claim = cli.json("get", "pvc", "data")
    assert claim["spec"]["storageClassName"] == "standard"
    assert claim["status"] == {"phase": "Pending"}
    assert claim["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert cli.events("PersistentVolumeClaim") == [
        ("WaitForFirstConsumer", "waiting for first consumer to be created before binding")]
    cli.edit(lambda cluster: None)
    assert len(cli.events("PersistentVolumeClaim")) == 1


def test_scheduled_consumer_gets_a_provisioned_bound_volume(cli):
    cli.apply(CLAIM)
    cli.apply(POD)
    claim = cli.json("get", "pvc", "data")
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
    volume = cli.json("get", "pv", f"pvc-{uid}")
    assert volume["metadata"]["annotations"] == {"pv.kubernetes.io/provisioned-by": "rancher.io/local-path"}
    assert volume["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    spec = volume["spec"]
    assert (spec["capacity"], spec["persistentVolumeReclaimPolicy"], spec["storageClassName"]) == \
        ({"storage": "2Gi"}, "Delete", "standard")
    assert (spec["claimRef"]["name"], spec["claimRef"]["uid"]) == ("data", uid)
    assert spec["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"] == ["kind-worker2"]
    assert volume["status"]["phase"] == "Bound"
    reasons = [reason for reason, _ in cli.events("PersistentVolumeClaim")]
    assert reasons == ["WaitForFirstConsumer", "ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"]
    messages = dict(cli.events("PersistentVolumeClaim"))
    assert messages["Provisioning"] == 'External provisioner is provisioning volume for claim "default/data"'
    assert messages["ProvisioningSucceeded"] == f"Successfully provisioned volume pvc-{uid}"


def test_deleted_claim_waits_for_its_pod_then_its_volume_is_reclaimed(cli):
    cli.apply(CLAIM)
    cli.apply(POD)
    volume_name = cli.json("get", "pvc", "data")["spec"]["volumeName"]
    cli("delete", "pvc", "data")
    assert cli.json("get", "pvc", "data")["metadata"]["deletionTimestamp"] == NOW
    cli("delete", "pod", "user")
    assert cli.json("get", "pvc")["items"] == []
    assert [v["metadata"]["name"] for v in cli.json("get", "pv")["items"]] == []
    assert volume_name.startswith("pvc-")


def test_claim_binds_to_a_fitting_static_volume(cli):
    cli.apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: manual}
spec:
  storageClassName: ""
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/manual}
""")
    assert cli.json("get", "pv", "manual")["status"]["phase"] == "Available"
    cli.apply(CLAIM.replace("spec:\n", 'spec:\n  storageClassName: ""\n'))
    claim = cli.json("get", "pvc", "data")
    assert (claim["spec"]["volumeName"], claim["status"]["phase"], claim["status"]["capacity"]) == \
        ("manual", "Bound", {"storage": "5Gi"})
    volume = cli.json("get", "pv", "manual")
    assert (volume["status"]["phase"], volume["spec"]["claimRef"]["name"]) == ("Bound", "data")
    cli("delete", "pvc", "data")
    assert cli.json("get", "pv", "manual")["status"]["phase"] == "Released"
