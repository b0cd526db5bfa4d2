"""Nodes: kubelet registration and heartbeats, the node lifecycle controller, and taint-based eviction.

A node added by manifest gets what kubelet and the node IPAM controller would give it (podCIDR,
addresses, capacity, nodeInfo, conditions). A node with the not-ready fault (docs/faults.md) stops
posting status: its conditions go Unknown, it is tainted unreachable, its pods are marked not ready
and evicted unless they tolerate the taint forever (DaemonSet pods). Sources: kubernetes/kubernetes:
pkg/kubelet/nodestatus/setters.go, pkg/controller/nodelifecycle/node_lifecycle_controller.go,
pkg/controller/tainteviction/taint_eviction.go, pkg/controller/nodeipam.
"""

from __future__ import annotations

from datetime import timedelta

from minikctl.cluster import Cluster
from minikctl.core import clock, faults
from minikctl.core.conditions import condition, is_finished, is_terminating, set_condition
from minikctl.controllers import common, manager

HEARTBEAT_SECONDS = 40
UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
DEFAULT_GRACE_SECONDS = 30

# (type, status, reason, message) a healthy kubelet posts, in the order kubectl shows them.
HEALTHY_CONDITIONS = (
    ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
)
UNKNOWN_REASON, UNKNOWN_MESSAGE = "NodeStatusUnknown", "Kubelet stopped posting node status."
DEFAULT_CAPACITY = {"cpu": "8", "ephemeral-storage": "263174212Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                    "memory": "16351712Ki", "pods": "110"}


def sync(cluster: Cluster, indexes: manager.Indexes, name: str) -> None:
    """Key: a node's name; the node lifecycle controller and the node's kubelet status."""
    node = cluster.get("nodes", "", name)
    if node is None:
        return
    _register(cluster, node, cluster.list("nodes"))
    if faults.node_fault(node):
        _stop_posting(cluster, node)
        _handle_pods_of_lost_node(cluster, node, indexes.pods_on(name))
    else:
        _post_ready(cluster, node)
    _follow_cordon(node)
    cluster.update(node, "nodes")


def _every_node(cluster: Cluster, indexes: manager.Indexes) -> list[str]:
    """Heartbeats move with the clock: each pass looks at every node once (nodes are few)."""
    return [key.partition("/")[2] for key in cluster.state.section("nodes").keys()]


def _node_of_pod(indexes: manager.Indexes, change) -> list[str]:
    """A pod on a broken node is handled by that node's sync."""
    node_name = (change.obj.get("spec") or {}).get("nodeName")
    node = indexes.cluster.get("nodes", "", node_name) if node_name and not change.deleted else None
    return [node_name] if node is not None and faults.node_fault(node) else []


CONTROLLER = manager.Controller("nodes", {"nodes": lambda indexes, change: [change.obj["metadata"]["name"]],
                                          "pods": _node_of_pod}, sync, resync=_every_node)


# -- registration ----------------------------------------------------------------------------
def _register(cluster: Cluster, node: dict, nodes: list[dict]) -> None:
    """Fill what kubelet and the IPAM controller set on a node that came from a manifest."""
    name = node["metadata"]["name"]
    labels = node["metadata"].setdefault("labels", {})
    for key, value in (("beta.kubernetes.io/arch", "amd64"), ("beta.kubernetes.io/os", "linux"),
                       ("kubernetes.io/arch", "amd64"), ("kubernetes.io/hostname", name), ("kubernetes.io/os", "linux")):
        labels.setdefault(key, value)
    spec = node.setdefault("spec", {})
    if not spec.get("podCIDR"):
        spec["podCIDR"] = _free_cidr(nodes)
        spec["podCIDRs"] = [spec["podCIDR"]]
    spec.setdefault("providerID", f"kind://docker/kind/{name}")
    status = node.setdefault("status", {})
    status.setdefault("capacity", dict(DEFAULT_CAPACITY))
    status.setdefault("allocatable", dict(status["capacity"]))
    if not status.get("addresses"):
        status["addresses"] = [{"address": _free_address(nodes), "type": "InternalIP"},
                               {"address": name, "type": "Hostname"}]
    status.setdefault("daemonEndpoints", {"kubeletEndpoint": {"Port": 10250}})
    status.setdefault("nodeInfo", {"architecture": "amd64", "bootID": "", "containerRuntimeVersion": "containerd://1.7.24",
                                   "kernelVersion": "6.8.0-1017-gcp", "kubeProxyVersion": "", "kubeletVersion": "v1.32.2",
                                   "machineID": "", "operatingSystem": "linux",
                                   "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": ""})


def _free_cidr(nodes: list[dict]) -> str:
    used = {(n.get("spec") or {}).get("podCIDR") for n in nodes}
    index = next(i for i in range(256) if f"10.244.{i}.0/24" not in used)
    return f"10.244.{index}.0/24"


def _free_address(nodes: list[dict]) -> str:
    used = {a.get("address") for n in nodes for a in (n.get("status") or {}).get("addresses") or ()}
    index = next(i for i in range(2, 255) if f"172.18.0.{i}" not in used)
    return f"172.18.0.{index}"


# -- conditions ------------------------------------------------------------------------------
def _post_ready(cluster: Cluster, node: dict) -> None:
    """The kubelet posts healthy conditions; a heartbeat older than HEARTBEAT_SECONDS is refreshed."""
    conditions = node["status"].setdefault("conditions", [])
    recovering = _was_lost(node)
    for condition_type, status, reason, message in HEALTHY_CONDITIONS:
        entry = next((c for c in conditions if c["type"] == condition_type), None)
        if entry is None:
            conditions.append({"type": condition_type, "status": status, "reason": reason, "message": message,
                               "lastHeartbeatTime": cluster.timestamp,
                               "lastTransitionTime": node["metadata"].get("creationTimestamp", cluster.timestamp)})
            continue
        changed = (entry["status"], entry.get("reason"), entry.get("message")) != (status, reason, message)
        if changed:
            entry.update(status=status, reason=reason, message=message, lastTransitionTime=cluster.timestamp)
        if changed or clock.seconds_since(cluster.now, entry.get("lastHeartbeatTime")) >= HEARTBEAT_SECONDS:
            entry["lastHeartbeatTime"] = cluster.timestamp
    taints = [t for t in (node["spec"].get("taints") or []) if t.get("key") != UNREACHABLE_TAINT]
    _set_taints(node, taints)
    if recovering:
        common.record_event(cluster, node, "Normal", "NodeReady",
                            f"Node {node['metadata']['name']} status is now: NodeReady", "kubelet",
                            host=node["metadata"]["name"])


def _was_lost(node: dict) -> bool:
    ready = condition(node, "Ready")
    return ready is not None and ready.get("reason") == UNKNOWN_REASON


def _stop_posting(cluster: Cluster, node: dict) -> None:
    """Node lifecycle controller: every condition Unknown, taint unreachable (NoSchedule and NoExecute)."""
    conditions = node.setdefault("status", {}).setdefault("conditions", [])
    first_time = not _was_lost(node)
    for condition_type, *_ in HEALTHY_CONDITIONS:
        entry = next((c for c in conditions if c["type"] == condition_type), None)
        if entry is None:
            entry = {"type": condition_type, "lastHeartbeatTime": cluster.timestamp}
            conditions.append(entry)
        if entry.get("status") != "Unknown":
            entry.update(status="Unknown", reason=UNKNOWN_REASON, message=UNKNOWN_MESSAGE,
                         lastTransitionTime=cluster.timestamp)
    taints = [t for t in (node["spec"].get("taints") or []) if t.get("key") != UNREACHABLE_TAINT]
    existing = {t.get("effect"): t for t in node["spec"].get("taints") or [] if t.get("key") == UNREACHABLE_TAINT}
    taints.append(existing.get("NoSchedule") or {"effect": "NoSchedule", "key": UNREACHABLE_TAINT})
    taints.append(existing.get("NoExecute") or {"effect": "NoExecute", "key": UNREACHABLE_TAINT,
                                                 "timeAdded": cluster.timestamp})
    _set_taints(node, taints)
    if first_time:
        common.record_event(cluster, node, "Normal", "NodeNotReady",
                            f"Node {node['metadata']['name']} status is now: NodeNotReady", "node-controller")


def _follow_cordon(node: dict) -> None:
    """Node lifecycle controller: spec.unschedulable brings the unschedulable NoSchedule taint (appended,
    no timeAdded) and uncordoning takes it away (kubernetes/kubernetes:
    pkg/controller/nodelifecycle/node_lifecycle_controller.go doNoScheduleTaintingPass)."""
    taints = node["spec"].get("taints") or []
    tainted = any(t.get("key") == UNSCHEDULABLE_TAINT and t.get("effect") == "NoSchedule" for t in taints)
    if node["spec"].get("unschedulable") and not tainted:
        _set_taints(node, taints + [{"effect": "NoSchedule", "key": UNSCHEDULABLE_TAINT}])
    elif tainted and not node["spec"].get("unschedulable"):
        _set_taints(node, [t for t in taints if not (t.get("key") == UNSCHEDULABLE_TAINT
                                                     and t.get("effect") == "NoSchedule")])


def _set_taints(node: dict, taints: list[dict]) -> None:
    if taints:
        node["spec"]["taints"] = taints
    else:
        node["spec"].pop("taints", None)


# -- pods of a lost node ---------------------------------------------------------------------
def _handle_pods_of_lost_node(cluster: Cluster, node: dict, pods: list[dict]) -> None:
    """Mark its pods not ready and evict those that do not tolerate unreachable forever."""
    for pod in pods:
        if is_finished(pod):
            continue
        conditions = pod.setdefault("status", {}).setdefault("conditions", [])
        set_condition(conditions, "Ready", "False", now=cluster.timestamp)
        if not is_terminating(pod) and not _tolerates_forever(pod):
            _evict(cluster, pod)
        cluster.update(pod, "pods")


def _tolerates_forever(pod: dict) -> bool:
    for toleration in (pod.get("spec") or {}).get("tolerations") or ():
        key_matches = toleration.get("key") in (None, "", UNREACHABLE_TAINT)
        if toleration.get("key") in (None, "") and toleration.get("operator") != "Exists":
            key_matches = False
        if key_matches and toleration.get("effect") in (None, "", "NoExecute") and \
                toleration.get("tolerationSeconds") is None:
            return True
    return False


def _evict(cluster: Cluster, pod: dict) -> None:
    """Graceful deletion by the taint eviction controller; the pod stays Terminating while the node is lost.

    Pods with a finite tolerationSeconds (300 s by default) are evicted at once: minikctl shows the
    settled state.
    """
    grace = int(pod["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS))
    pod["metadata"]["deletionTimestamp"] = clock.format_time(cluster.now + timedelta(seconds=grace))
    pod["metadata"]["deletionGracePeriodSeconds"] = grace
    common.record_event(cluster, pod, "Normal", "TaintManagerEviction",
                        f"Marking for deletion Pod {pod['metadata']['namespace']}/{pod['metadata']['name']}",
                        "taint-eviction-controller")
