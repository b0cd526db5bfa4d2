"""ResourceQuota controller: status.hard mirrors spec.hard and status.used is recomputed from the
namespace's objects (kubernetes/kubernetes pkg/controller/resourcequota/resource_quota_controller.go
syncResourceQuota). Writes only when the status changes."""

from __future__ import annotations

from minikctl.cluster import Cluster
from minikctl.policy import quota


def reconcile(cluster: Cluster) -> None:
    for resource_quota in cluster.list("resourcequotas"):
        wanted = desired_status(cluster, resource_quota)
        if (resource_quota.get("status") or {}) != wanted:
            resource_quota["status"] = wanted
            cluster.update(resource_quota, "resourcequotas")


def desired_status(cluster: Cluster, resource_quota: dict) -> dict:
    hard = quota.hard_of(resource_quota)
    if not hard:
        return {}
    return {"hard": quota.as_strings(hard), "used": quota.as_strings(quota.namespace_usage(cluster, resource_quota))}
