"""Binding add-on pods the way a kind cluster ends up with them, without waiting for a scheduler pass."""

from __future__ import annotations

from minikctl.cluster import Cluster

CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"


def control_plane(cluster: Cluster) -> dict | None:
    """The first node labelled as control plane (kind-control-plane)."""
    for node in cluster.list("nodes"):
        if CONTROL_PLANE_LABEL in (node["metadata"].get("labels") or {}):
            return node
    return None


def bind_to_control_plane(cluster: Cluster, namespace: str, labels: dict) -> None:
    """Bind the unscheduled pods of namespace carrying labels to the control-plane node.

    kind installs these add-ons before the workers join, so their pods land on the control plane.
    """
    from minikctl.controllers import scheduler

    node = control_plane(cluster)
    if node is None:
        return
    usage = {node["metadata"]["name"]: scheduler.NodeUsage(node)}
    for pod in cluster.list("pods", namespace):
        pod_labels = pod["metadata"].get("labels") or {}
        if not pod["spec"].get("nodeName") and all(pod_labels.get(k) == v for k, v in labels.items()):
            scheduler.schedule(cluster, pod, [node], usage, {})


def start_daemon_sets(cluster: Cluster) -> None:
    """Create the DaemonSets' pods (one per node) and bind each to its node, as the scheduler would."""
    from minikctl.controllers import daemonset, scheduler

    daemonset.reconcile(cluster)
    scheduler.reconcile(cluster)
