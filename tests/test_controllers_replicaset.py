"""ReplicaSet and ReplicationController scenarios: pod names, events, scale-down order, adoption, status."""

import re


REPLICASET = """apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: front}
spec:
  replicas: %d
  selector: {matchLabels: {tier: front}}
  template:
    metadata: {labels: {tier: front}}
    spec: {containers: [{name: c, image: "nginx:1.27"}]}
"""

CONTROLLER = """apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 2
  selector: {tier: legacy}
  template:
    metadata: {labels: {tier: legacy}}
    spec: {containers: [{name: c, image: "nginx:1.27"}]}
"""


STRAY = """apiVersion: v1
kind: Pod
metadata: {name: stray, labels: {tier: front}}
spec: {containers: [{name: c, image: "nginx:1.27"}]}
"""


def test_pods_get_random_suffixes_owner_references_and_events(kubectl):
    kubectl("apply", "-f", "-", stdin=REPLICASET % 3)
    pods = kubectl.json("get", "pods")["items"]
    assert len(pods) == 3
    for pod in pods:
        assert re.fullmatch(r"front-[bcdfghjklmnpqrstvwxz2456789]{5}", pod["metadata"]["name"])
        assert pod["metadata"]["generateName"] == "front-"
        [owner] = pod["metadata"]["ownerReferences"]
        assert (owner["kind"], owner["name"], owner["controller"], owner["blockOwnerDeletion"]) == (
            "ReplicaSet", "front", True, True)
    assert sorted(kubectl.event_messages("SuccessfulCreate")) == sorted(f"Created pod: {p['metadata']['name']}" for p in pods)
    status = kubectl.json("get", "rs", "front")["status"]
    assert status == {"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                      "observedGeneration": 1}


def test_scale_down_deletes_by_deletion_cost_first(kubectl):
    kubectl("apply", "-f", "-", stdin=REPLICASET % 3)
    names = [p["metadata"]["name"] for p in kubectl.json("get", "pods")["items"]]
    kubectl("annotate", "pod", names[1], "controller.kubernetes.io/pod-deletion-cost=-100")
    kubectl("scale", "rs", "front", "--replicas=2")
    remaining = [p["metadata"]["name"] for p in kubectl.json("get", "pods")["items"]]
    assert names[1] not in remaining and len(remaining) == 2
    assert kubectl.event_messages("SuccessfulDelete") == [f"Deleted pod: {names[1]}"]


def test_scale_down_prefers_unscheduled_pods(kubectl):
    hungry = (REPLICASET % 4).replace('image: "nginx:1.27"', 'image: "nginx:1.27", resources: {requests: {cpu: "3"}}')
    kubectl("apply", "-f", "-", stdin=hungry)  # two workers with 8 cpus: 4 pods fit
    kubectl("scale", "rs", "front", "--replicas=5")
    pending = [p["metadata"]["name"] for p in kubectl.json("get", "pods")["items"] if not p["spec"].get("nodeName")]
    assert len(pending) == 1
    kubectl("scale", "rs", "front", "--replicas=4")
    pods = kubectl.json("get", "pods")["items"]
    assert len(pods) == 4 and all(p["spec"].get("nodeName") for p in pods)
    assert kubectl.event_messages("SuccessfulDelete") == [f"Deleted pod: {pending[0]}"]


def test_orphans_with_matching_labels_are_adopted_and_released(kubectl):
    kubectl("apply", "-f", "-", stdin=STRAY)
    kubectl("apply", "-f", "-", stdin=REPLICASET % 2)
    pods = {p["metadata"]["name"]: p for p in kubectl.json("get", "pods")["items"]}
    assert "stray" in pods and len(pods) == 2
    assert pods["stray"]["metadata"]["ownerReferences"][0]["name"] == "front"
    kubectl("label", "pod", "stray", "tier=elsewhere", "--overwrite")
    stray = kubectl.json("get", "pod", "stray")
    assert "ownerReferences" not in stray["metadata"]
    assert len(kubectl.json("get", "pods", "-l", "tier=front")["items"]) == 2


def test_replication_controller_uses_its_map_selector_and_component(kubectl):
    kubectl("apply", "-f", "-", stdin=CONTROLLER)
    pods = kubectl.json("get", "pods")["items"]
    assert len(pods) == 2 and all(p["metadata"]["ownerReferences"][0]["kind"] == "ReplicationController" for p in pods)
    events = [e for e in kubectl.json("get", "events")["items"] if e["reason"] == "SuccessfulCreate"]
    assert {e["source"]["component"] for e in events} == {"replication-controller"}
    assert kubectl.json("get", "rc", "legacy")["status"]["readyReplicas"] == 2
