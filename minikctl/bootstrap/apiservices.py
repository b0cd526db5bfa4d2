"""The APIServices kube-apiserver registers for its own groups at start-up, as a kind v1.32 cluster lists them.

kubernetes/kubernetes pkg/controlplane/apiserver/aggregator.go (makeAPIService, the priorities table)
and kube-aggregator's autoregister controller: one `v<version>.<group>` object per served group
version, labelled `kube-aggregator.kubernetes.io/automanaged: onstart`, Available because it is local.
"""

from __future__ import annotations

import random

from minikctl.cluster import Cluster

# (group, version, groupPriorityMinimum, versionPriority) of every group version a 1.32 server serves
# by default.
BUILT_IN = (
    ("", "v1", 18000, 1),
    ("admissionregistration.k8s.io", "v1", 16700, 15),
    ("apiextensions.k8s.io", "v1", 16700, 15),
    ("apps", "v1", 17800, 15),
    ("authentication.k8s.io", "v1", 17700, 15),
    ("authorization.k8s.io", "v1", 17600, 15),
    ("autoscaling", "v1", 17500, 15),
    ("autoscaling", "v2", 17500, 30),
    ("batch", "v1", 17400, 15),
    ("certificates.k8s.io", "v1", 17300, 15),
    ("coordination.k8s.io", "v1", 16500, 15),
    ("discovery.k8s.io", "v1", 16200, 15),
    ("events.k8s.io", "v1", 17750, 15),
    ("flowcontrol.apiserver.k8s.io", "v1", 16100, 21),
    ("networking.k8s.io", "v1", 17200, 15),
    ("node.k8s.io", "v1", 16300, 15),
    ("policy", "v1", 17100, 15),
    ("rbac.authorization.k8s.io", "v1", 17000, 15),
    ("scheduling.k8s.io", "v1", 16600, 15),
    ("storage.k8s.io", "v1", 16800, 15),
)


def add_apiservices(cluster: Cluster) -> None:
    """Created with a generator of their own, so every other object keeps the seeded names and uids
    it had before APIServices were served."""
    shared = cluster.rng
    cluster._rng = random.Random(f"{cluster.meta['seed']}:apiservices")
    try:
        _create_all(cluster)
    finally:
        cluster._rng = shared


def _create_all(cluster: Cluster) -> None:
    for group, version, group_priority, version_priority in BUILT_IN:
        cluster.create({
            "apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
            "metadata": {"name": f"{version}.{group}",
                         "labels": {"kube-aggregator.kubernetes.io/automanaged": "onstart"}},
            "spec": {"group": group, "groupPriorityMinimum": group_priority, "version": version,
                     "versionPriority": version_priority},
            "status": {"conditions": [{"lastTransitionTime": cluster.timestamp,
                                       "message": "Local APIServices are always available", "reason": "Local",
                                       "status": "True", "type": "Available"}]},
        }, "apiservices.apiregistration.k8s.io")
