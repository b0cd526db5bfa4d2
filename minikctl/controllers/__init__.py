"""The control plane, played synchronously by a controller manager (controllers/manager.py).

Each controller lives in its own module; the manager delivers every write to the controllers that
watch it and syncs the keys they queue until every queue is empty.
"""

from __future__ import annotations

from minikctl.cluster import Cluster
from minikctl.controllers.manager import ReconcileError  # noqa: F401  (raised out of reconcile)

# The order controllers take turns in: owners before what they own, scheduling before the kubelet.
CONTROLLERS: list[str] = ["serviceaccounts", "hpa", "deployment", "replicaset", "statefulset", "daemonset", "job", "cronjob",
                          "volumes", "gc", "podgc", "namespace", "scheduler", "kubelet", "nodes", "endpoints", "resourcequota", "events"]


def reconcile(cluster: Cluster) -> int:
    """Sync every controller's queued keys until all queues are empty; returns the number of turns."""
    from minikctl.controllers import manager

    return manager.Manager(cluster, manager.load(CONTROLLERS)).run()
