"""DaemonSet controller scenarios through the real CLI (scheduler and kubelet stood in for by `start`)."""

from __future__ import annotations

import io
import json

import pytest

from minikctl import controllers, store
from minikctl.api.bootstrap import node
from minikctl.cli.main import run
from minikctl.cluster import Cluster
from minikctl.env import Environment, parse_rfc3339

NOW = "2026-01-01T00:00:00Z"

DS = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
%(extra)s      containers: [{name: agent, image: "%(image)s"}]
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
        """Play scheduler and kubelet for the named pods: bound to their pinned node, Running and Ready."""
        def change(cluster):
            for name in names:
                pod = cluster.get("pods", "default", name)
                pod["spec"]["nodeName"] = pod["spec"]["affinity"]["nodeAffinity"][
                    "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]["matchFields"][0]["values"][0]
                pod["status"] = {"phase": "Running", "conditions": [
                    {"type": "Ready", "status": "True", "lastTransitionTime": NOW}]}
                cluster.update(pod, "pods")
        self.edit(change)

    def events(self, kind: str = "StatefulSet") -> list[tuple[str, str]]:
        return [(e["reason"], e["message"]) for e in self.json("get", "events")["items"]
                if e["involvedObject"]["kind"] == kind]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setattr(controllers, "CONTROLLERS", ["daemonset"])
    return Harness(tmp_path)


def apply_ds(cli, image="agent:1", extra=""):
    return cli.apply(DS % {"image": image, "extra": extra})


def pods_by_node(cli) -> dict[str, dict]:
    result = {}
    for pod in cli.json("get", "pods")["items"]:
        terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        result[terms["nodeSelectorTerms"][0]["matchFields"][0]["values"][0]] = pod
    return result


def test_one_pod_per_untainted_node_pinned_by_node_affinity(cli):
    apply_ds(cli)
    pods = pods_by_node(cli)
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
    revision = cli.json("get", "controllerrevisions")["items"][0]
    hash_value = revision["metadata"]["name"][len("agent-"):]
    assert pod["metadata"]["labels"] == {"app": "agent", "controller-revision-hash": hash_value,
                                         "pod-template-generation": "1"}
    assert revision["metadata"]["labels"] == {"app": "agent", "controller-revision-hash": hash_value}
    assert [r for r, _ in cli.events("DaemonSet")] == ["SuccessfulCreate", "SuccessfulCreate"]
    assert cli.events("DaemonSet")[0][1].startswith("Created pod: agent-")


def test_host_network_adds_the_network_unavailable_toleration(cli):
    apply_ds(cli, extra="      hostNetwork: true\n")
    keys = [t["key"] for t in pods_by_node(cli)["kind-worker"]["spec"]["tolerations"]]
    assert keys[-1] == "node.kubernetes.io/network-unavailable"


def test_tolerating_the_control_plane_taint_covers_every_node(cli):
    apply_ds(cli, extra="      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, "
                        "effect: NoSchedule}]\n")
    assert sorted(pods_by_node(cli)) == ["kind-control-plane", "kind-worker", "kind-worker2"]


def test_node_selector_limits_the_nodes(cli):
    apply_ds(cli, extra="      nodeSelector: {kubernetes.io/hostname: kind-worker2}\n")
    assert sorted(pods_by_node(cli)) == ["kind-worker2"]
    status = cli.json("get", "ds", "agent")["status"]
    assert (status["desiredNumberScheduled"], status["currentNumberScheduled"]) == (1, 1)


def test_pods_follow_nodes_that_come_and_go(cli):
    apply_ds(cli)
    cli.edit(lambda cluster: cluster.create(node("kind-worker3", 3)))
    assert sorted(pods_by_node(cli)) == ["kind-worker", "kind-worker2", "kind-worker3"]
    cli.edit(lambda cluster: cluster.remove("nodes", "", "kind-worker2"))
    assert sorted(pods_by_node(cli)) == ["kind-worker", "kind-worker3"]


def test_cordoned_node_keeps_its_daemon_pod(cli):
    apply_ds(cli)

    def cordon(cluster):
        worker = cluster.get("nodes", "", "kind-worker")
        worker["spec"]["unschedulable"] = True
        worker["spec"]["taints"] = [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
        cluster.update(worker, "nodes")
    cli.edit(cordon)
    assert sorted(pods_by_node(cli)) == ["kind-worker", "kind-worker2"]


def test_untolerated_no_execute_taint_evicts_the_daemon_pod(cli):
    apply_ds(cli)

    def taint(cluster):
        worker = cluster.get("nodes", "", "kind-worker")
        worker["spec"]["taints"] = [{"key": "dedicated", "value": "db", "effect": "NoExecute"}]
        cluster.update(worker, "nodes")
    cli.edit(taint)
    assert sorted(pods_by_node(cli)) == ["kind-worker2"]
    assert ("SuccessfulDelete", "Deleted pod: " + cli.pod_names()[0]) not in cli.events("DaemonSet")
    assert [r for r, _ in cli.events("DaemonSet")].count("SuccessfulDelete") == 1


def test_status_counts_ready_pods(cli):
    apply_ds(cli)
    cli.start(*cli.pod_names())
    assert cli.json("get", "ds", "agent")["status"] == {
        "currentNumberScheduled": 2, "desiredNumberScheduled": 2, "numberAvailable": 2, "numberMisscheduled": 0,
        "numberReady": 2, "observedGeneration": 1, "updatedNumberScheduled": 2}


def test_rolling_update_replaces_one_node_at_a_time(cli):
    apply_ds(cli)
    cli.start(*cli.pod_names())
    apply_ds(cli, image="agent:2")
    revisions = {r["metadata"]["name"]: r["revision"] for r in cli.json("get", "controllerrevisions")["items"]}
    assert sorted(revisions.values()) == [1, 2]
    new_hash = max(revisions, key=revisions.get)[len("agent-"):]
    hashes = sorted(p["metadata"]["labels"]["controller-revision-hash"] == new_hash
                    for p in pods_by_node(cli).values())
    assert hashes == [False, True]
    status = cli.json("get", "ds", "agent")["status"]
    assert (status["updatedNumberScheduled"], status["numberAvailable"], status["observedGeneration"]) == (1, 1, 2)
    fresh = [p["metadata"]["name"] for p in pods_by_node(cli).values()
             if p["metadata"]["labels"]["controller-revision-hash"] == new_hash]
    cli.start(*fresh)
    cli.start(*[n for n in cli.pod_names() if n not in fresh])
    pods = pods_by_node(cli).values()
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in pods} == {new_hash}
    assert {p["metadata"]["labels"]["pod-template-generation"] for p in pods} == {"2"}
