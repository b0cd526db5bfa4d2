"""StatefulSet controller scenarios through the real CLI.

Only the controllers under test run (the scheduler and kubelet are stood in for by `start`, which
marks a pod Running and Ready on a node), so ordering can be observed one step at a time.
"""

from __future__ import annotations

import pytest

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


@pytest.fixture(autouse=True)
def _only_the_controllers_under_test(only_controllers):
    only_controllers("statefulset", "volumes")


def apply_sts(kubectl, replicas=3, policy="OrderedReady", image="nginx:1.27", extra=""):
    return kubectl.apply(STS % {"replicas": replicas, "policy": policy, "image": image} + extra)


def bring_up(kubectl, replicas=3):
    apply_sts(kubectl, replicas)
    for ordinal in range(replicas):
        kubectl.start(f"web-{ordinal}")


def test_ordered_ready_creates_the_next_pod_only_once_the_previous_is_ready(kubectl):
    apply_sts(kubectl)
    assert kubectl.pod_names() == ["web-0"]
    kubectl.start("web-0")
    assert kubectl.pod_names() == ["web-0", "web-1"]
    kubectl.start("web-1")
    assert kubectl.pod_names() == ["web-0", "web-1", "web-2"]


def test_pod_identity_labels_storage_and_owner(kubectl):
    apply_sts(kubectl)
    sts = kubectl.json("get", "sts", "web")
    pod = kubectl.json("get", "pod", "web-0")
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
    claim = kubectl.json("get", "pvc", "www-web-0")
    assert claim["metadata"]["labels"] == {"app": "nginx"}
    assert "ownerReferences" not in claim["metadata"]
    assert kubectl.events_about("StatefulSet") == [
        ("SuccessfulCreate", "create Claim www-web-0 Pod web-0 in StatefulSet web success"),
        ("SuccessfulCreate", "create Pod web-0 in StatefulSet web successful"),
    ]


def test_controller_revision_holds_the_template_patch(kubectl):
    apply_sts(kubectl)
    revisions = kubectl.json("get", "controllerrevisions")["items"]
    assert len(revisions) == 1
    revision = revisions[0]
    sts = kubectl.json("get", "sts", "web")
    assert revision["metadata"]["name"] == sts["status"]["updateRevision"]
    assert revision["revision"] == 1
    assert revision["metadata"]["labels"]["controller.kubernetes.io/hash"] == revision["metadata"]["name"][4:]
    assert revision["data"]["spec"]["template"]["$patch"] == "replace"
    assert revision["data"]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_status_once_all_replicas_are_ready(kubectl):
    bring_up(kubectl)
    status = kubectl.json("get", "sts", "web")["status"]
    revision = status["updateRevision"]
    assert status == {"availableReplicas": 3, "collisionCount": 0, "currentReplicas": 3, "currentRevision": revision,
                      "observedGeneration": 1, "readyReplicas": 3, "replicas": 3, "updateRevision": revision,
                      "updatedReplicas": 3}


def test_parallel_creates_every_pod_at_once(kubectl):
    apply_sts(kubectl, policy="Parallel")
    assert kubectl.pod_names() == ["web-0", "web-1", "web-2"]


def test_scale_down_removes_the_highest_ordinal_first_and_keeps_claims(kubectl):
    bring_up(kubectl)
    apply_sts(kubectl, replicas=1)
    assert kubectl.pod_names() == ["web-0"]
    deletions = [m for r, m in kubectl.events_about("StatefulSet") if r == "SuccessfulDelete"]
    assert deletions == ["delete Pod web-2 in StatefulSet web successful",
                         "delete Pod web-1 in StatefulSet web successful"]
    claims = [c["metadata"]["name"] for c in kubectl.json("get", "pvc")["items"]]
    assert claims == ["www-web-0", "www-web-1", "www-web-2"]
    apply_sts(kubectl, replicas=2)
    assert kubectl.json("get", "pod", "web-1")["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"] == "www-web-1"


def test_ordered_scale_down_waits_for_lower_pods_to_be_ready(kubectl):
    bring_up(kubectl)

    def web_0_not_ready(cluster):
        pod = cluster.get("pods", "default", "web-0")
        pod["status"]["conditions"][0]["status"] = "False"
        cluster.update(pod, "pods")
    kubectl.edit(web_0_not_ready)
    apply_sts(kubectl, replicas=1)
    assert kubectl.pod_names() == ["web-0", "web-1", "web-2"]
    kubectl.start("web-0")
    assert kubectl.pod_names() == ["web-0"]


def test_rolling_update_replaces_pods_from_the_highest_ordinal(kubectl):
    bring_up(kubectl)
    old = kubectl.json("get", "sts", "web")["status"]["updateRevision"]
    apply_sts(kubectl, image="nginx:1.28")
    status = kubectl.json("get", "sts", "web")["status"]
    new = status["updateRevision"]
    assert new != old and status["currentRevision"] == old
    labels = {p["metadata"]["name"]: p["metadata"]["labels"]["controller-revision-hash"]
              for p in kubectl.json("get", "pods")["items"]}
    assert labels == {"web-0": old, "web-1": old, "web-2": new}
    kubectl.start("web-2")
    kubectl.start("web-1")
    kubectl.start("web-0")
    status = kubectl.json("get", "sts", "web")["status"]
    assert (status["currentRevision"], status["updatedReplicas"], status["currentReplicas"]) == (new, 3, 3)
    assert status["observedGeneration"] == 2
    numbers = {r["metadata"]["name"]: r["revision"] for r in kubectl.json("get", "controllerrevisions")["items"]}
    assert numbers == {old: 1, new: 2}


def test_partition_keeps_lower_ordinals_on_the_old_revision(kubectl):
    bring_up(kubectl)
    old = kubectl.json("get", "sts", "web")["status"]["updateRevision"]
    apply_sts(kubectl, image="nginx:1.28",
              extra="  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}\n")
    kubectl.start("web-2")
    pods = {p["metadata"]["name"]: p["metadata"]["labels"]["controller-revision-hash"]
            for p in kubectl.json("get", "pods")["items"]}
    assert pods["web-0"] == pods["web-1"] == old != pods["web-2"]
    status = kubectl.json("get", "sts", "web")["status"]
    assert (status["currentRevision"], status["updatedReplicas"], status["currentReplicas"]) == (old, 1, 2)


def test_on_delete_strategy_leaves_pods_alone(kubectl):
    bring_up(kubectl)
    old = kubectl.json("get", "sts", "web")["status"]["updateRevision"]
    apply_sts(kubectl, image="nginx:1.28", extra="  updateStrategy: {type: OnDelete}\n")
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in kubectl.json("get", "pods")["items"]} == {old}
    kubectl("delete", "pod", "web-1")
    assert kubectl.json("get", "pod", "web-1")["metadata"]["labels"]["controller-revision-hash"] != old


def test_when_scaled_delete_gives_condemned_claims_to_their_pod(kubectl):
    policy = "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n"
    apply_sts(kubectl, replicas=2, extra=policy)
    kubectl.start("web-0")
    kubectl.start("web-1")
    sts_uid = kubectl.json("get", "sts", "web")["metadata"]["uid"]
    assert kubectl.json("get", "pvc", "www-web-1")["metadata"]["ownerReferences"][0]["uid"] == sts_uid
    pod_uid = kubectl.json("get", "pod", "web-1")["metadata"]["uid"]
    apply_sts(kubectl, replicas=1, extra=policy)
    references = kubectl.json("get", "pvc", "www-web-1")["metadata"]["ownerReferences"]
    assert [(r["kind"], r["uid"]) for r in references] == [("Pod", pod_uid)]


def test_a_settled_statefulset_writes_nothing(kubectl):
    bring_up(kubectl)
    before = kubectl.json("get", "sts", "web")["metadata"]["resourceVersion"]
    kubectl.edit(lambda cluster: None)
    assert kubectl.json("get", "sts", "web")["metadata"]["resourceVersion"] == before
