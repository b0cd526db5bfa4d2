"""LimitRanger: container defaults from LimitRanges, then their min/max/ratio limits.

Follows kubernetes/kubernetes plugin/pkg/admission/limitranger/admission.go: Pods are defaulted and
checked on create only, PersistentVolumeClaims checked on create and update. Each LimitRange of the
namespace is applied in turn (by name here, for determinism); the first one that fails refuses the
object with all of its errors. Go walks resource maps in random order; minikctl sorts them.
"""

from __future__ import annotations

from minikctl.core.kinds import Kind
from minikctl.cluster import Cluster
from minikctl.core import quantity as quantities
from minikctl.policy import quota
from minikctl.policy.refusal import aggregate, forbidden

ANNOTATION = "kubernetes.io/limit-ranger"


def admit(cluster: Cluster, kind: Kind, obj: dict, operation: str, old: dict | None = None) -> None:
    if kind.key == "pods" and operation == "CREATE":
        _admit_pod(cluster, kind, obj)
    elif kind.key == "persistentvolumeclaims" and not (old or {}).get("metadata", {}).get("deletionTimestamp"):
        _check(cluster, kind, obj, _claim_errors)


def _limit_ranges(cluster: Cluster, obj: dict) -> list[dict]:
    return cluster.list("limitranges", obj["metadata"].get("namespace", ""))


def _admit_pod(cluster: Cluster, kind: Kind, pod: dict) -> None:
    ranges = _limit_ranges(cluster, pod)
    if not ranges:
        return
    for limit_range in ranges:
        apply_defaults(pod, limit_range)
    _refresh_qos_class(pod)
    _check(cluster, kind, pod, _pod_errors)


def _check(cluster: Cluster, kind: Kind, obj: dict, errors_for) -> None:
    for limit_range in _limit_ranges(cluster, obj):
        problems = errors_for(limit_range, obj)
        if problems:
            raise forbidden(cluster, kind, obj, aggregate(problems))


# -- defaults ----------------------------------------------------------------------------------
def _container_defaults(limit_range: dict) -> tuple[dict, dict]:
    """(requests, limits) from every Container item's defaultRequest and default."""
    requests, limits = {}, {}
    for item in (limit_range.get("spec") or {}).get("limits") or ():
        if item.get("type") == "Container":
            requests.update(item.get("defaultRequest") or {})
            limits.update(item.get("default") or {})
    return requests, limits


def apply_defaults(pod: dict, limit_range: dict) -> None:
    """Fill missing requests and limits; the annotation names what was set (mergePodResourceRequirements)."""
    default_requests, default_limits = _container_defaults(limit_range)
    if not default_requests and not default_limits:
        return
    spec = pod.get("spec") or {}
    notes: list[str] = []
    for label, containers in (("container", spec.get("containers")), ("init container", spec.get("initContainers"))):
        for container in containers or ():
            notes += _default_container(container, label, default_requests, default_limits)
    if notes:
        pod["metadata"].setdefault("annotations", {})[ANNOTATION] = "LimitRanger plugin set: " + "; ".join(notes)


def _default_container(container: dict, label: str, default_requests: dict, default_limits: dict) -> list[str]:
    resources = container.setdefault("resources", {})
    notes = []
    for field, defaults, word in (("requests", default_requests, "request"), ("limits", default_limits, "limit")):
        values = resources.get(field) or {}
        added = sorted(name for name in defaults if name not in values)
        for name in added:
            values[name] = defaults[name]
        if added:
            resources[field] = values
            notes.append(f"{', '.join(added)} {word} for {label} {container.get('name', '')}")
    return notes


def _refresh_qos_class(pod: dict) -> None:
    """The QoS class is computed after mutating admission (pod strategy PrepareForCreate)."""
    from minikctl.api import defaults

    pod.setdefault("status", {})["qosClass"] = defaults.qos_class(pod.get("spec") or {})


# -- constraints -------------------------------------------------------------------------------
def _pod_errors(limit_range: dict, pod: dict) -> list[str]:
    spec = pod.get("spec") or {}
    problems: list[str] = []
    for item in (limit_range.get("spec") or {}).get("limits") or ():
        if item.get("type") == "Container":
            for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
                problems += _item_errors(item, "Container", _container_resources(container, "requests"),
                                         _container_resources(container, "limits"))
        elif item.get("type") == "Pod":
            problems += _item_errors(item, "Pod", _pod_level(pod, quota.pod_requests), _pod_level(pod, quota.pod_limits))
    return problems


def _container_resources(container: dict, field: str) -> dict:
    values = (container.get("resources") or {}).get(field) or {}
    return {name: quantities.parse(value) for name, value in values.items()}


def _pod_level(pod: dict, summed) -> dict:
    """Pod totals without overhead, as the LimitRanger's own podRequests/podLimits compute them."""
    bare = {**pod, "spec": {k: v for k, v in (pod.get("spec") or {}).items() if k != "overhead"}}
    return summed(bare)


def _item_errors(item: dict, limit_type: str, requests: dict, limits: dict) -> list[str]:
    problems = []
    for name, bound in sorted((item.get("min") or {}).items()):
        problems += _minimum(limit_type, name, quantities.parse(bound), requests, limits)
    for name, bound in sorted((item.get("max") or {}).items()):
        problems += _maximum(limit_type, name, quantities.parse(bound), requests, limits)
    for name, bound in sorted((item.get("maxLimitRequestRatio") or {}).items()):
        problems += _ratio(limit_type, name, quantities.parse(bound), requests, limits)
    return problems


def _minimum(limit_type: str, name: str, bound, requests: dict, limits: dict) -> list[str]:
    head = f"minimum {name} usage per {limit_type} is {bound}"
    if name not in requests:
        return [f"{head}.  No request is specified"]
    if requests[name].milli() < bound.milli():
        return [f"{head}, but request is {requests[name]}"]
    if name in limits and limits[name].milli() < bound.milli():
        return [f"{head}, but limit is {limits[name]}"]
    return []


def _maximum(limit_type: str, name: str, bound, requests: dict, limits: dict) -> list[str]:
    head = f"maximum {name} usage per {limit_type} is {bound}"
    if name not in limits:
        return [f"{head}.  No limit is specified"]
    if limits[name].milli() > bound.milli():
        return [f"{head}, but limit is {limits[name]}"]
    if name in requests and requests[name].milli() > bound.milli():
        return [f"{head}, but request is {requests[name]}"]
    return []


def _ratio(limit_type: str, name: str, bound, requests: dict, limits: dict) -> list[str]:
    head = f"{name} max limit to request ratio per {limit_type} is {bound}"
    request = requests[name].milli() if name in requests else 0
    limit = limits[name].milli() if name in limits else 0
    if not request:
        return [f"{head}, but no request is specified or request is 0"]
    if not limit:
        return [f"{head}, but no limit is specified or limit is 0"]
    observed = limit / request
    if observed * 1000 > bound.milli():
        return [f"{head}, but provided ratio is {observed:f}"]
    return []


def _claim_errors(limit_range: dict, claim: dict) -> list[str]:
    requests = _container_resources(claim.get("spec") or {}, "requests")
    problems = []
    for item in (limit_range.get("spec") or {}).get("limits") or ():
        if item.get("type") != "PersistentVolumeClaim":
            continue
        for name, bound in sorted((item.get("min") or {}).items()):
            problems += _minimum("PersistentVolumeClaim", name, quantities.parse(bound), requests, {})
        for name, bound in sorted((item.get("max") or {}).items()):
            problems += _maximum_request("PersistentVolumeClaim", name, quantities.parse(bound), requests)
    return problems


def _maximum_request(limit_type: str, name: str, bound, requests: dict) -> list[str]:
    """PVCs have no limits: max bounds the request (maxRequestConstraint)."""
    head = f"maximum {name} usage per {limit_type} is {bound}"
    if name not in requests:
        return [f"{head}.  No request is specified"]
    if requests[name].milli() > bound.milli():
        return [f"{head}, but request is {requests[name]}"]
    return []
