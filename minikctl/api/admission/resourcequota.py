"""ResourceQuota admission: refuse what would exceed a quota, and charge what is admitted.

Follows kubernetes/apiserver pkg/admission/plugin/resourcequota/controller.go (checkRequest): every
quota of the namespace that covers the object first checks its constraints (pods must declare the
cpu/memory a quota tracks, pkg/quota/v1/evaluator/core/pods.go Constraints), then the new usage is
compared with status.hard; an admitted object's usage is added to each quota's status.used at once,
as the real plugin writes it before the object is stored.
"""

from __future__ import annotations

from minikctl.core.kinds import Kind
from minikctl.cluster import Cluster
from minikctl.core.clock import aware
from minikctl.core import quantity as quantities
from minikctl.policy import quota
from minikctl.policy.refusal import forbidden

# Resources whose updates can change usage (services.go, persistent_volume_claims.go Handles).
UPDATE_CHARGED = ("services", "persistentvolumeclaims")


def admit(cluster: Cluster, kind: Kind, obj: dict, operation: str, old: dict | None = None) -> None:
    if operation == "UPDATE" and kind.key not in UPDATE_CHARGED:
        return
    quotas = [q for q in cluster.list("resourcequotas", obj["metadata"].get("namespace", ""))
              if covers(q, kind.key, obj)]
    if not quotas:
        return
    for resource_quota in quotas:
        _check_constraints(cluster, kind, obj, resource_quota)
    delta = _delta(cluster, kind.key, obj, old)
    if not delta:
        return
    charged = [(q, _charge(cluster, kind, obj, q, delta)) for q in quotas]
    for resource_quota, used in charged:
        if used is not None:
            resource_quota.setdefault("status", {})["used"] = quota.as_strings(used)
            cluster.update(resource_quota, "resourcequotas")


def covers(resource_quota: dict, kind_key: str, obj: dict) -> bool:
    hard = (resource_quota.get("spec") or {}).get("hard") or {}
    return kind_key in quota.tracked_kind_keys(hard) and quota.matches_scopes(resource_quota, kind_key, obj)


def _check_constraints(cluster: Cluster, kind: Kind, obj: dict, resource_quota: dict) -> None:
    if kind.key != "pods":
        return
    required = [name for name in quota.CONTAINER_DECLARED if name in ((resource_quota.get("spec") or {}).get("hard") or {})]
    missing = _undeclared(obj, required)
    if missing:
        details = "; ".join(f"{name} for: {','.join(sorted(containers))}" for name, containers in sorted(missing.items()))
        raise forbidden(cluster, kind, obj, f"failed quota: {resource_quota['metadata']['name']}: must specify {details}")


def _undeclared(pod: dict, required: list[str]) -> dict[str, set[str]]:
    """Required resource -> containers that do not declare it."""
    spec = pod.get("spec") or {}
    missing: dict[str, set[str]] = {}
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        declared = set(quota.pod_usage({"metadata": {}, "spec": {"containers": [container]}}, None))
        for name in required:
            if name not in declared:
                missing.setdefault(name, set()).add(container.get("name", ""))
    return missing


def _delta(cluster: Cluster, kind_key: str, obj: dict, old: dict | None) -> dict:
    """Non-zero usage the request adds; for updates, only what grew (SubtractWithNonNegativeResult)."""
    now = aware(cluster.now)
    added = quota.usage(kind_key, obj, now)
    if old is not None:
        before = quota.usage(kind_key, old, now)
        added = {name: quantities.Quantity(q.value - before[name].value, q.format) if name in before else q
                 for name, q in added.items()}
        added = {name: q for name, q in added.items() if q.value > 0}
    return {name: q for name, q in added.items() if q.value != 0}


def _charge(cluster: Cluster, kind: Kind, obj: dict, resource_quota: dict, delta: dict) -> dict | None:
    """The quota's new used map, or None when it tracks nothing requested; refuses if hard is exceeded."""
    hard = quota.hard_of(resource_quota)
    requested = {name: q for name, q in delta.items() if name in hard}
    if not requested:
        return None
    used = _current_usage(cluster, resource_quota, hard)
    exceeded = sorted(name for name, q in requested.items()
                      if (used.get(name, quantities.ZERO) + q).value > hard[name].value)
    if exceeded:
        raise forbidden(cluster, kind, obj, _exceeded_message(resource_quota, exceeded, requested, used, hard))
    new_used = {name: used.get(name, quantities.ZERO) for name in hard}
    for name, q in requested.items():
        new_used[name] = new_used[name] + q
    return new_used


def _current_usage(cluster: Cluster, resource_quota: dict, hard: dict) -> dict:
    """status.used; computed afresh when the quota controller has not filled it yet (a quota created
    earlier in this same command), where the real plugin would answer "status unknown"."""
    recorded = (resource_quota.get("status") or {}).get("used") or {}
    if set(hard) <= set(recorded):
        return {name: quantities.parse(value) for name, value in recorded.items()}
    return quota.namespace_usage(cluster, resource_quota)


def _exceeded_message(resource_quota: dict, exceeded: list[str], requested: dict, used: dict, hard: dict) -> str:
    def listing(values: dict) -> str:
        return ",".join(f"{name}={values[name]}" for name in exceeded if name in values)

    return (f"exceeded quota: {resource_quota['metadata']['name']}, requested: {listing(requested)}, "
            f"used: {listing(used)}, limited: {listing(hard)}")
