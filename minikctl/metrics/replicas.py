"""The replica count one resource metric asks for (kubernetes/kubernetes:
pkg/controller/podautoscaler/replica_calculator.go, metrics/utilization.go), facts restated:

* pods being deleted or Failed are ignored; Pending pods count as unready; for cpu a pod that is not
  Ready is unready too; a running pod without metrics is "missing";
* ratio = utilization / target (utilization = whole percent of the summed requests) or mean usage /
  target; within TOLERANCE of 1 the current count stays; else ceil(ratio x pods measured);
* with missing or (when scaling up) unready pods, the ratio is computed again assuming missing pods
  use 100 % of their request (scaling down) or nothing (scaling up), unready pods nothing; if that
  flips the direction or lands within the tolerance, the count stays.
Amounts are millicores for cpu and milli-bytes for memory, as the Go code's MilliValue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from minikctl.metrics.usage import PodUsage, container_request

TOLERANCE = 0.1


class MetricError(Exception):
    """Why a metric gave no replica count (the text after `failed to get cpu utilization: `)."""


@dataclass
class Proposal:
    replicas: int
    utilization: int | None  # whole percent of request, for Utilization targets
    average: int             # mean usage of the measured pods, milli-units


@dataclass
class PodGroups:
    measured: dict[str, int]
    missing: list[str]
    unready: list[str]


def group_pods(pods: list[dict], usages: dict[str, PodUsage], resource: str, container: str) -> PodGroups:
    from minikctl.core.conditions import is_ready

    measured, missing, unready = {}, [], []
    for pod in pods:
        name = pod["metadata"]["name"]
        phase = (pod.get("status") or {}).get("phase")
        if pod["metadata"].get("deletionTimestamp") or phase == "Failed":
            continue
        if phase == "Pending":
            unready.append(name)
        elif name not in usages:
            missing.append(name)
        elif resource == "cpu" and not is_ready(pod):
            unready.append(name)
        else:
            measured[name] = _usage_of(usages[name], resource, container, pod)
    return PodGroups(measured, missing, unready)


def _usage_of(usage: PodUsage, resource: str, container: str, pod: dict) -> int:
    if not container:
        return usage.amount(resource)
    for entry in usage.containers:
        if entry.name == container:
            return entry.millicores if resource == "cpu" else entry.bytes * 1000
    raise MetricError(f"container {container} not present in metrics for pod "
                      f"{pod['metadata'].get('namespace')}/{pod['metadata']['name']}")


def pod_requests(pods: list[dict], resource: str, container: str) -> dict[str, int]:
    """Each pod's request (of one container, or summed), milli-units; every pod must have one."""
    requests = {}
    for pod in pods:
        total = 0
        for entry in (pod.get("spec") or {}).get("containers") or ():
            if container and entry["name"] != container:
                continue
            request = container_request(entry, resource)
            if request is None:
                raise MetricError(f"missing request for {resource} in container {entry['name']} "
                                  f"of Pod {pod['metadata']['name']}")
            total += request if resource == "cpu" else request * 1000
        requests[pod["metadata"]["name"]] = total
    return requests


def check_metrics_exist(pods: list[dict], usages: dict[str, PodUsage], resource: str) -> None:
    if not usages:
        raise MetricError(f"unable to get metrics for resource {resource}: no metrics returned from resource metrics API")
    if not pods:
        raise MetricError("no pods returned by selector while calculating replica count")


def utilization_replicas(current: int, target: int, pods: list[dict], usages: dict[str, PodUsage],
                         resource: str, container: str = "") -> Proposal:
    """For a target averageUtilization (GetResourceReplicas)."""
    check_metrics_exist(pods, usages, resource)
    groups = group_pods(pods, usages, resource, container)
    requests = pod_requests(pods, resource, container)
    if not groups.measured:
        raise MetricError("did not receive metrics for any ready pods")
    ratio, utilization, average = _utilization(groups.measured, requests, target)
    if _stays(ratio, groups, current):
        return Proposal(current, utilization, average)
    if not (groups.missing or _scale_up_with_unready(ratio, groups)):
        return Proposal(math.ceil(ratio * len(groups.measured)), utilization, average)
    fallback = max(100, target)
    assumed = dict(groups.measured)
    assumed.update(_assumed(groups, ratio, lambda name: requests[name] * fallback // 100))
    new_ratio = _utilization(assumed, requests, target)[0]
    return Proposal(_rebalanced(current, ratio, new_ratio, len(assumed)), utilization, average)


def average_value_replicas(current: int, target: int, pods: list[dict], usages: dict[str, PodUsage],
                           resource: str, container: str = "") -> Proposal:
    """For a target averageValue in milli-units (GetRawResourceReplicas, calcPlainMetricReplicas)."""
    check_metrics_exist(pods, usages, resource)
    groups = group_pods(pods, usages, resource, container)
    if not groups.measured:
        raise MetricError("did not receive metrics for any ready pods")
    average = sum(groups.measured.values()) // len(groups.measured)
    ratio = average / target
    if _stays(ratio, groups, current):
        return Proposal(current, None, average)
    if not (groups.missing or _scale_up_with_unready(ratio, groups)):
        return Proposal(math.ceil(ratio * len(groups.measured)), None, average)
    assumed = dict(groups.measured)
    assumed.update(_assumed(groups, ratio, lambda name: target))
    new_ratio = (sum(assumed.values()) // len(assumed)) / target
    return Proposal(_rebalanced(current, ratio, new_ratio, len(assumed)), None, average)


def _utilization(measured: dict[str, int], requests: dict[str, int], target: int) -> tuple[float, int, int]:
    used = sum(measured.values())
    requested = sum(requests[name] for name in measured)
    if requested == 0:
        raise MetricError("no metrics returned matched known pods")
    utilization = used * 100 // requested
    return utilization / target, utilization, used // len(measured)


def _scale_up_with_unready(ratio: float, groups: PodGroups) -> bool:
    return bool(groups.unready) and ratio > 1.0


def _stays(ratio: float, groups: PodGroups, current: int) -> bool:
    """Within tolerance with nothing to rebalance: keep the current count."""
    plain = not groups.missing and not _scale_up_with_unready(ratio, groups)
    return plain and abs(1.0 - ratio) <= TOLERANCE


def _assumed(groups: PodGroups, ratio: float, full_use) -> dict[str, int]:
    assumed = {}
    if ratio < 1.0:
        assumed.update({name: full_use(name) for name in groups.missing})
    elif ratio > 1.0:
        assumed.update({name: 0 for name in groups.missing})
    if _scale_up_with_unready(ratio, groups):
        assumed.update({name: 0 for name in groups.unready})
    return assumed


def _rebalanced(current: int, ratio: float, new_ratio: float, counted: int) -> int:
    if abs(1.0 - new_ratio) <= TOLERANCE or (ratio < 1.0 < new_ratio) or (ratio > 1.0 > new_ratio):
        return current
    replicas = math.ceil(new_ratio * counted)
    if (new_ratio < 1.0 and replicas > current) or (new_ratio > 1.0 and replicas < current):
        return current
    return replicas
