"""Pod garbage collector: pods bound to a node that no longer exists are deleted.

kubernetes/kubernetes: pkg/controller/podgc/gc_controller.go (gcOrphaned). Upstream waits out a
short quarantine in case the node comes back; minikctl shows the settled state, so a removed node's
pods go in the pass that removes it and their controllers replace them on the remaining nodes.
"""

from __future__ import annotations

from minikctl.cluster import Cluster
from minikctl.core.conditions import is_terminating
from minikctl.controllers import common


def reconcile(cluster: Cluster) -> None:
    nodes = {node["metadata"]["name"] for node in cluster.list("nodes")}
    for pod in cluster.list("pods"):
        node_name = (pod.get("spec") or {}).get("nodeName")
        if node_name and node_name not in nodes and not is_terminating(pod):
            common.delete_object(cluster, "pods", pod)
