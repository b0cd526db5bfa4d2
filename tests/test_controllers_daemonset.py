"""DaemonSet controller scenarios through the real CLI (scheduler and kubelet stood in for by `start`)."""

from __future__ import annotations

import pytest

from minikctl.bootstrap.cluster import node

from manifests import daemonset

NOW = "2026-01-01T00:00:00Z"


@pytest.fixture(autouse=True)
def _only_the_controllers_under_test(only_controllers):
    only_controllers("daemonset")


def apply_ds(kubectl, image="agent:1", **pod_spec):
    return kubectl.apply(daemonset("agent", image, pod_spec=pod_spec))


def pods_by_node(kubectl) -> dict[str, dict]:
    result = {}
    for pod in kubectl.json("get", "pods")["items"]:
        terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        result[terms["nodeSelectorTerms"][0]["matchFields"][0]["values"][0]] = pod
    return result


def test_one_pod_per_untainted_node_pinned_by_node_affinity(kubectl):
    apply_ds(kubectl)
    pods = pods_by_node(kubectl)
    assert sorted(pods) == ["kind-worker", "kind-worker2"]
    pod = pods["kind-worker"]
    assert pod["metadata"]["name"].startswith("agent-") and "nodeName" not in pod["spec"]
    assert pod["spec"]["affinity"] == {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In",
                                                "values": ["kind-worker"]}]}]}}}
    daemon_tolerations = [(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]]
    assert daemon_tolerations == [
        ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule")]
    revision = kubectl.json("get", "controllerrevisions")["items"][0]
    hash_value = revision["metadata"]["name"][len("agent-"):]
    assert pod["metadata"]["labels"] == {"app": "agent", "controller-revision-hash": hash_value,
                                         "pod-template-generation": "1"}
    assert revision["metadata"]["labels"] == {"app": "agent", "controller-revision-hash": hash_value}
    assert [r for r, _ in kubectl.events_about("DaemonSet")] == ["SuccessfulCreate", "SuccessfulCreate"]
    assert kubectl.events_about("DaemonSet")[0][1].startswith("Created pod: agent-")


def test_host_network_adds_the_network_unavailable_toleration(kubectl):
    apply_ds(kubectl, hostNetwork=True)
    keys = [t["key"] for t in pods_by_node(kubectl)["kind-worker"]["spec"]["tolerations"]]
    assert keys[-1] == "node.kubernetes.io/network-unavailable"


def test_tolerating_the_control_plane_taint_covers_every_node(kubectl):
    apply_ds(kubectl, tolerations=[{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists",
                                    "effect": "NoSchedule"}])
    assert sorted(pods_by_node(kubectl)) == ["kind-control-plane", "kind-worker", "kind-worker2"]


def test_node_selector_limits_the_nodes(kubectl):
    apply_ds(kubectl, nodeSelector={"kubernetes.io/hostname": "kind-worker2"})
    assert sorted(pods_by_node(kubectl)) == ["kind-worker2"]
    status = kubectl.json("get", "ds", "agent")["status"]
    assert (status["desiredNumberScheduled"], status["currentNumberScheduled"]) == (1, 1)


def test_pods_follow_nodes_that_come_and_go(kubectl):
    apply_ds(kubectl)
    kubectl.edit(lambda cluster: cluster.create(node("kind-worker3", 3)))
    assert sorted(pods_by_node(kubectl)) == ["kind-worker", "kind-worker2", "kind-worker3"]
    kubectl.edit(lambda cluster: cluster.remove("nodes", "", "kind-worker2"))
    assert sorted(pods_by_node(kubectl)) == ["kind-worker", "kind-worker3"]


def test_cordoned_node_keeps_its_daemon_pod(kubectl):
    apply_ds(kubectl)

    def cordon(cluster):
        worker = cluster.get("nodes", "", "kind-worker")
        worker["spec"]["unschedulable"] = True
        worker["spec"]["taints"] = [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
        cluster.update(worker, "nodes")
    kubectl.edit(cordon)
    assert sorted(pods_by_node(kubectl)) == ["kind-worker", "kind-worker2"]


def test_untolerated_no_execute_taint_evicts_the_daemon_pod(kubectl):
    apply_ds(kubectl)

    def taint(cluster):
        worker = cluster.get("nodes", "", "kind-worker")
        worker["spec"]["taints"] = [{"key": "dedicated", "value": "db", "effect": "NoExecute"}]
        cluster.update(worker, "nodes")
    kubectl.edit(taint)
    assert sorted(pods_by_node(kubectl)) == ["kind-worker2"]
    assert ("SuccessfulDelete", "Deleted pod: " + kubectl.pod_names()[0]) not in kubectl.events_about("DaemonSet")
    assert [r for r, _ in kubectl.events_about("DaemonSet")].count("SuccessfulDelete") == 1


def test_status_counts_ready_pods(kubectl):
    apply_ds(kubectl)
    kubectl.start(*kubectl.pod_names())
    assert kubectl.json("get", "ds", "agent")["status"] == {
        "currentNumberScheduled": 2, "desiredNumberScheduled": 2, "numberAvailable": 2, "numberMisscheduled": 0,
        "numberReady": 2, "observedGeneration": 1, "updatedNumberScheduled": 2}


def test_rolling_update_replaces_one_node_at_a_time(kubectl):
    apply_ds(kubectl)
    kubectl.start(*kubectl.pod_names())
    apply_ds(kubectl, image="agent:2")
    revisions = {r["metadata"]["name"]: r["revision"] for r in kubectl.json("get", "controllerrevisions")["items"]}
    assert sorted(revisions.values()) == [1, 2]
    new_hash = max(revisions, key=revisions.get)[len("agent-"):]
    hashes = sorted(p["metadata"]["labels"]["controller-revision-hash"] == new_hash
                    for p in pods_by_node(kubectl).values())
    assert hashes == [False, True]
    status = kubectl.json("get", "ds", "agent")["status"]
    assert (status["updatedNumberScheduled"], status["numberAvailable"], status["observedGeneration"]) == (1, 1, 2)
    fresh = [p["metadata"]["name"] for p in pods_by_node(kubectl).values()
             if p["metadata"]["labels"]["controller-revision-hash"] == new_hash]
    kubectl.start(*fresh)
    kubectl.start(*[n for n in kubectl.pod_names() if n not in fresh])
    pods = pods_by_node(kubectl).values()
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in pods} == {new_hash}
    assert {p["metadata"]["labels"]["pod-template-generation"] for p in pods} == {"2"}
