"""Pod garbage collector: pods bound to a node that no longer exists are deleted.

kubernetes/kubernetes: pkg/controller/podgc/gc_controller.go (gcOrphaned). Upstream waits out a
short quarantine in case the node comes back; minikctl shows the settled state, so a removed node's
pods go in the pass that removes it and their controllers replace them on the remaining nodes.
Keys are node names: a node's removal, or a pod bound to a missing node, queues that node.
"""

from __future__ import annotations

from minikctl.cluster import Cluster
from minikctl.controllers import common, manager
from minikctl.core.conditions import is_terminating


def sync(cluster: Cluster, indexes: manager.Indexes, node_name: str) -> None:
    if cluster.get("nodes", "", node_name) is not None:
        return
    for pod in indexes.pods_on(node_name):
        if not is_terminating(pod):
            common.delete_object(cluster, "pods", pod)


def _node_of_pod(indexes, change) -> list[str]:
    node_name = (change.obj.get("spec") or {}).get("nodeName")
    return [node_name] if node_name and not change.deleted else []


CONTROLLER = manager.Controller("podgc", {
    "nodes": lambda indexes, change: [change.obj["metadata"]["name"]] if change.deleted else [],
    "pods": _node_of_pod,
}, sync)
