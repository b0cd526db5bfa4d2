"""The control plane, played synchronously: every controller runs until nothing changes.

Each controller is a function of the cluster (`reconcile(cluster) -> None`) in its own module; the
loop runs them in order, round after round, until a round writes nothing.
"""

from __future__ import annotations

import importlib

from minikctl.cluster import Cluster
from minikctl.errors import MinikctlError

# Run order within a round: owners before what they own, scheduling before the kubelet.
CONTROLLERS: list[str] = ["serviceaccounts", "hpa", "deployment", "replicaset", "statefulset", "daemonset", "job", "cronjob",
                          "volumes", "gc", "podgc", "namespace", "scheduler", "kubelet", "nodes", "endpoints", "resourcequota", "events"]

MAX_ROUNDS = 100


class ReconcileError(MinikctlError):
    def render(self) -> str:
        return f"error: {self.message}"


def reconcile(cluster: Cluster) -> int:
    """Run every controller until a round changes nothing; returns the number of rounds."""
    functions = [importlib.import_module(f"minikctl.controllers.{name}").reconcile for name in CONTROLLERS]
    for round_number in range(1, MAX_ROUNDS + 1):
        before = cluster.meta["resourceVersion"]
        for function in functions:
            function(cluster)
        if cluster.meta["resourceVersion"] == before:
            return round_number
    raise ReconcileError(f"the reconcile pass did not converge after {MAX_ROUNDS} rounds (a controller bug); nothing was saved")
