"""ResourceQuota controller: status.hard mirrors spec.hard and status.used is recomputed from the
namespace's objects (kubernetes/kubernetes pkg/controller/resourcequota/resource_quota_controller.go
syncResourceQuota). Writes only when the status changes. A change to an object a quota can count
queues the quotas of its namespace (replenishment)."""

from __future__ import annotations

from minikctl.cluster import Cluster
from minikctl.controllers import manager
from minikctl.core import kinds
from minikctl.policy import quota


def sync(cluster: Cluster, indexes, key: str) -> None:
    namespace, _, name = key.partition("/")
    resource_quota = cluster.get("resourcequotas", namespace, name)
    if resource_quota is None:
        return
    wanted = desired_status(cluster, resource_quota)
    if (resource_quota.get("status") or {}) != wanted:
        resource_quota["status"] = wanted
        cluster.update(resource_quota, "resourcequotas")


def desired_status(cluster: Cluster, resource_quota: dict) -> dict:
    hard = quota.hard_of(resource_quota)
    if not hard:
        return {}
    return {"hard": quota.as_strings(hard), "used": quota.as_strings(quota.namespace_usage(cluster, resource_quota))}


def _quotas_of_namespace(indexes: manager.Indexes, change) -> list[str]:
    """The quotas of the changed object's namespace (listing one namespace's quotas reads only their keys)."""
    namespace = change.obj["metadata"].get("namespace", "")
    prefix = f"{namespace}/"
    return [key for key in indexes.cluster.state.section("resourcequotas").keys() if key.startswith(prefix)]


def _watches() -> dict:
    watches = {kind.key: _quotas_of_namespace for kind in kinds.KINDS if kind.namespaced}
    watches["resourcequotas"] = manager.own_key
    return watches


CONTROLLER = manager.Controller("resourcequota", _watches(), sync)
