"""StatefulSet controller scenarios through the real CLI.

Only the controllers under test run (the scheduler and kubelet are stood in for by `start`, which
marks a pod Running and Ready on a node), so ordering can be observed one step at a time.
"""

from __future__ import annotations

import io
import json

import pytest

from minikctl import controllers, store
from minikctl.cli.main import run
from minikctl.cluster import Cluster
from minikctl.env import Environment, parse_rfc3339

NOW = "2026-01-01T00:00:00Z"

STS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: %(replicas)d
  podManagementPolicy: %(policy)s
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - {name: nginx, image: "%(image)s", volumeMounts: [{name: www, mountPath: /data}]}
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
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
    monkeypatch.setattr(controllers, "CONTROLLERS", ["statefulset", "volumes"])
    return Harness(tmp_path)


def apply_sts(cli, replicas=3, policy="OrderedReady", image="nginx:1.27", extra=""):
    return cli.apply(STS % {"replicas": replicas, "policy": policy, "image": image} + extra)


def bring_up(cli, replicas=3):
    apply_sts(cli, replicas)
    for ordinal in range(replicas):
        cli.start(f"web-{ordinal}")


def test_ordered_ready_creates_the_next_pod_only_once_the_previous_is_ready(cli):
    apply_sts(cli)
    assert cli.pod_names() == ["web-0"]
    cli.start("web-0")
    assert cli.pod_names() == ["web-0", "web-1"]
    cli.start("web-1")
    assert cli.pod_names() == ["web-0", "web-1", "web-2"]


def test_pod_identity_labels_storage_and_owner(cli):
    apply_sts(cli)
    sts = cli.json("get", "sts", "web")
    pod = cli.json("get", "pod", "web-0")
    revision = sts["status"]["updateRevision"]
    assert revision.startswith("web-") and set(revision[4:]) <= set("456789bcdf")
    assert pod["metadata"]["labels"] == {"app": "nginx", "controller-revision-hash": revision,
                                         "statefulset.kubernetes.io/pod-name": "web-0",
                                         "apps.kubernetes.io/pod-index": "0"}
    assert (pod["spec"]["hostname"], pod["spec"]["subdomain"]) == ("web-0", "nginx")
    assert pod["spec"]["volumes"][0] == {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}}
    owner = pod["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["uid"], owner["controller"]) == ("StatefulSet", "web",
                                                                                 sts["metadata"]["uid"], True)
    claim = cli.json("get", "pvc", "www-web-0")
    assert claim["metadata"]["labels"] == {"app": "nginx"}
    assert "ownerReferences" not in claim["metadata"]
    assert cli.events() == [
        ("SuccessfulCreate", "create Claim www-web-0 Pod web-0 in StatefulSet web success"),
        ("SuccessfulCreate", "create Pod web-0 in StatefulSet web successful"),
    ]


def test_controller_revision_holds_the_template_patch(cli):
    apply_sts(cli)
    revisions = cli.json("get", "controllerrevisions")["items"]
    assert len(revisions) == 1
    revision = revisions[0]
    sts = cli.json("get", "sts", "web")
    assert revision["metadata"]["name"] == sts["status"]["updateRevision"]
    assert revision["revision"] == 1
    assert revision["metadata"]["labels"]["controller.kubernetes.io/hash"] == revision["metadata"]["name"][4:]
    assert revision["data"]["spec"]["template"]["$patch"] == "replace"
    assert revision["data"]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_status_once_all_replicas_are_ready(cli):
    bring_up(cli)
    status = cli.json("get", "sts", "web")["status"]
    revision = status["updateRevision"]
    assert status == {"availableReplicas": 3, "collisionCount": 0, "currentReplicas": 3, "currentRevision": revision,
                      "observedGeneration": 1, "readyReplicas": 3, "replicas": 3, "updateRevision": revision,
                      "updatedReplicas": 3}


def test_parallel_creates_every_pod_at_once(cli):
    apply_sts(cli, policy="Parallel")
    assert cli.pod_names() == ["web-0", "web-1", "web-2"]


def test_scale_down_removes_the_highest_ordinal_first_and_keeps_claims(cli):
    bring_up(cli)
    apply_sts(cli, replicas=1)
    assert cli.pod_names() == ["web-0"]
    deletions = [m for r, m in cli.events() if r == "SuccessfulDelete"]
    assert deletions == ["delete Pod web-2 in StatefulSet web successful",
                         "delete Pod web-1 in StatefulSet web successful"]
    claims = [c["metadata"]["name"] for c in cli.json("get", "pvc")["items"]]
    assert claims == ["www-web-0", "www-web-1", "www-web-2"]
    apply_sts(cli, replicas=2)
    assert cli.json("get", "pod", "web-1")["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"] == "www-web-1"


def test_ordered_scale_down_waits_for_lower_pods_to_be_ready(cli):
    bring_up(cli)

    def web_0_not_ready(cluster):
        pod = cluster.get("pods", "default", "web-0")
        pod["status"]["conditions"][0]["status"] = "False"
        cluster.update(pod, "pods")
    cli.edit(web_0_not_ready)
    apply_sts(cli, replicas=1)
    assert cli.pod_names() == ["web-0", "web-1", "web-2"]
    cli.start("web-0")
    assert cli.pod_names() == ["web-0"]


def test_rolling_update_replaces_pods_from_the_highest_ordinal(cli):
    bring_up(cli)
    old = cli.json("get", "sts", "web")["status"]["updateRevision"]
    apply_sts(cli, image="nginx:1.28")
    status = cli.json("get", "sts", "web")["status"]
    new = status["updateRevision"]
    assert new != old and status["currentRevision"] == old
    labels = {p["metadata"]["name"]: p["metadata"]["labels"]["controller-revision-hash"]
              for p in cli.json("get", "pods")["items"]}
    assert labels == {"web-0": old, "web-1": old, "web-2": new}
    cli.start("web-2")
    cli.start("web-1")
    cli.start("web-0")
    status = cli.json("get", "sts", "web")["status"]
    assert (status["currentRevision"], status["updatedReplicas"], status["currentReplicas"]) == (new, 3, 3)
    assert status["observedGeneration"] == 2
    numbers = {r["metadata"]["name"]: r["revision"] for r in cli.json("get", "controllerrevisions")["items"]}
    assert numbers == {old: 1, new: 2}


def test_partition_keeps_lower_ordinals_on_the_old_revision(cli):
    bring_up(cli)
    old = cli.json("get", "sts", "web")["status"]["updateRevision"]
    apply_sts(cli, image="nginx:1.28",
              extra="  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}\n")
    cli.start("web-2")
    pods = {p["metadata"]["name"]: p["metadata"]["labels"]["controller-revision-hash"]
            for p in cli.json("get", "pods")["items"]}
    assert pods["web-0"] == pods["web-1"] == old != pods["web-2"]
    status = cli.json("get", "sts", "web")["status"]
    assert (status["currentRevision"], status["updatedReplicas"], status["currentReplicas"]) == (old, 1, 2)


def test_on_delete_strategy_leaves_pods_alone(cli):
    bring_up(cli)
    old = cli.json("get", "sts", "web")["status"]["updateRevision"]
    apply_sts(cli, image="nginx:1.28", extra="  updateStrategy: {type: OnDelete}\n")
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in cli.json("get", "pods")["items"]} == {old}
    cli("delete", "pod", "web-1")
    assert cli.json("get", "pod", "web-1")["metadata"]["labels"]["controller-revision-hash"] != old


def test_when_scaled_delete_gives_condemned_claims_to_their_pod(cli):
    policy = "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n"
    apply_sts(cli, replicas=2, extra=policy)
    cli.start("web-0")
    cli.start("web-1")
    sts_uid = cli.json("get", "sts", "web")["metadata"]["uid"]
    assert cli.json("get", "pvc", "www-web-1")["metadata"]["ownerReferences"][0]["uid"] == sts_uid
    pod_uid = cli.json("get", "pod", "web-1")["metadata"]["uid"]
    apply_sts(cli, replicas=1, extra=policy)
    references = cli.json("get", "pvc", "www-web-1")["metadata"]["ownerReferences"]
    assert [(r["kind"], r["uid"]) for r in references] == [("Pod", pod_uid)]


def test_a_settled_statefulset_writes_nothing(cli):
    bring_up(cli)
    before = cli.json("get", "sts", "web")["metadata"]["resourceVersion"]
    cli.edit(lambda cluster: None)
    assert cli.json("get", "sts", "web")["metadata"]["resourceVersion"] == before
