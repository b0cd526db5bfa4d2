"""What a ResourceQuota counts: per-object usage, scopes, and a namespace's total usage.

Facts from kubernetes/kubernetes pkg/quota/v1/evaluator/core (pods.go, services.go,
persistent_volume_claims.go), pkg/quota/v1/generic (object count evaluators) and
pkg/quota/v1/resources.go; pod requests/limits follow k8s.io/component-helpers resource/helpers.go
(sidecar init containers add up, other init containers take the max, overhead is added).
"""

from __future__ import annotations

from datetime import timedelta

from minikctl.core import kinds
from minikctl.core.clock import aware, parse_time
from minikctl.core.conditions import TERMINAL_PHASES
from minikctl.core.resources import pod_limits, pod_requests
from minikctl.core import quantity as quantities
from minikctl.core.quantity import Quantity

ONE = quantities.parse("1")
LEGACY_COUNTED = ("configmaps", "secrets", "replicationcontrollers", "resourcequotas")
# Resources a container must declare when a quota tracks them (pods.go validationSet).
CONTAINER_DECLARED = ("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/"


# -- per-object usage ------------------------------------------------------------------------
def usage(kind_key: str, obj: dict, now) -> dict[str, Quantity]:
    """Every quota resource obj uses (a quota masks this with its own keys)."""
    kind = kinds.BY_KEY[kind_key]
    counted = {"count/" + kind_key: ONE}
    if kind_key == "pods":
        return {**counted, **pod_usage(obj, now)}
    if kind_key == "services":
        return {**counted, "services": ONE, **service_usage(obj)}
    if kind_key == "persistentvolumeclaims":
        return {**counted, **claim_usage(obj)}
    if kind.key in LEGACY_COUNTED:
        counted[kind.key] = ONE
    return counted


def pod_usage(pod: dict, now) -> dict[str, Quantity]:
    """Compute usage of a pod that still counts; finished pods only count as stored objects."""
    if not pod_counts(pod, now):
        return {}
    requests, limits = pod_requests(pod), pod_limits(pod)
    result = {"pods": ONE}
    for name in ("cpu", "memory", "ephemeral-storage"):
        if name in requests:
            result[name] = result["requests." + name] = requests[name]
        if name in limits:
            result["limits." + name] = limits[name]
    for name, quantity in requests.items():
        if name.startswith("hugepages-"):
            result[name] = quantity
            result["requests." + name] = quantity
        elif _is_extended(name):
            result["requests." + name] = quantity
    return result


def _is_extended(name: str) -> bool:
    return "/" in name and not name.startswith("kubernetes.io/") and not name.startswith("requests.")


def pod_counts(pod: dict, now) -> bool:
    """Not finished, and not past the end of its deletion grace period (pods.go QuotaV1Pod)."""
    if (pod.get("status") or {}).get("phase") in TERMINAL_PHASES:
        return False
    meta = pod["metadata"]
    deleted_at = parse_time(meta.get("deletionTimestamp"))
    grace = meta.get("deletionGracePeriodSeconds")
    if deleted_at is not None and grace is not None:
        return not now > deleted_at + timedelta(seconds=int(grace))
    return True


def service_usage(service: dict) -> dict[str, Quantity]:
    spec = service.get("spec") or {}
    ports = spec.get("ports") or []
    if spec.get("type") == "NodePort":
        return {"services.nodeports": quantities.parse(len(ports))}
    if spec.get("type") == "LoadBalancer":
        allocated = ports if spec.get("allocateLoadBalancerNodePorts", True) is not False else \
            [p for p in ports if p.get("nodePort")]
        return {"services.nodeports": quantities.parse(len(allocated)), "services.loadbalancers": ONE}
    return {}


def claim_usage(claim: dict) -> dict[str, Quantity]:
    spec = claim.get("spec") or {}
    result = {"persistentvolumeclaims": ONE}
    storage_class = spec.get("storageClassName") or ""
    if storage_class:
        result[storage_class + STORAGE_CLASS_SUFFIX + "persistentvolumeclaims"] = ONE
    requested = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    if requested is not None:
        result["requests.storage"] = quantities.parse(requested)
        if storage_class:
            result[storage_class + STORAGE_CLASS_SUFFIX + "requests.storage"] = quantities.parse(requested)
    return result


# -- which objects a quota covers --------------------------------------------------------------
def tracked_kind_keys(hard: dict) -> set[str]:
    """The resources whose objects can use something in hard."""
    keys = set()
    for name in hard:
        if name.startswith("count/"):
            keys.add(name[len("count/"):])
        elif name in LEGACY_COUNTED:
            keys.add(name)
        elif name.startswith("services"):
            keys.add("services")
        elif name == "persistentvolumeclaims" or name == "requests.storage" or STORAGE_CLASS_SUFFIX in name:
            keys.add("persistentvolumeclaims")
        else:
            keys.add("pods")
    return keys


def scopes_of(quota: dict) -> list[dict]:
    """spec.scopes and spec.scopeSelector as one list of {scopeName, operator, values}."""
    spec = quota.get("spec") or {}
    scopes = [{"scopeName": name, "operator": "Exists"} for name in spec.get("scopes") or ()]
    return scopes + list((spec.get("scopeSelector") or {}).get("matchExpressions") or ())


def matches_scopes(quota: dict, kind_key: str, obj: dict) -> bool:
    """Scoped quotas cover only pods, and only pods in every scope."""
    scopes = scopes_of(quota)
    if not scopes:
        return True
    return kind_key == "pods" and all(_pod_in_scope(obj, scope) for scope in scopes)


def _pod_in_scope(pod: dict, scope: dict) -> bool:
    spec = pod.get("spec") or {}
    name = scope.get("scopeName")
    if name == "Terminating":
        return spec.get("activeDeadlineSeconds") is not None
    if name == "NotTerminating":
        return spec.get("activeDeadlineSeconds") is None
    if name == "BestEffort":
        return _is_best_effort(pod)
    if name == "NotBestEffort":
        return not _is_best_effort(pod)
    if name == "PriorityClass":
        return _selector_matches(scope, spec.get("priorityClassName"))
    return False


def _is_best_effort(pod: dict) -> bool:
    spec = pod.get("spec") or {}
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        resources = container.get("resources") or {}
        for field in ("requests", "limits"):
            if set(resources.get(field) or {}) & {"cpu", "memory"}:
                return False
    return True


def _selector_matches(scope: dict, value: str | None) -> bool:
    operator = scope.get("operator")
    if operator == "Exists":
        return bool(value)
    if operator == "DoesNotExist":
        return not value
    if operator == "In":
        return value in (scope.get("values") or ())
    if operator == "NotIn":
        return value not in (scope.get("values") or ())
    return False


# -- a namespace's usage -----------------------------------------------------------------------
def hard_of(quota: dict) -> dict[str, Quantity]:
    return {name: quantities.parse(value) for name, value in ((quota.get("spec") or {}).get("hard") or {}).items()}


def namespace_usage(cluster, quota: dict) -> dict[str, Quantity]:
    """Current usage of every resource in the quota's hard list, zero included (resources.go CalculateUsage)."""
    hard = hard_of(quota)
    namespace = quota["metadata"]["namespace"]
    used = {name: quantities.ZERO for name in hard}
    for kind_key in sorted(tracked_kind_keys(hard)):
        if kind_key not in kinds.BY_KEY:
            continue
        for obj in cluster.list(kind_key, namespace):
            if matches_scopes(quota, kind_key, obj):
                for name, quantity in usage(kind_key, obj, aware(cluster.now)).items():
                    if name in used:
                        used[name] = used[name] + quantity
    return used


def as_strings(resources: dict[str, Quantity]) -> dict[str, str]:
    return {name: str(resources[name]) for name in sorted(resources)}
