"""autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler, for the cpu-only objects v1 can hold.

kubernetes/kubernetes: pkg/apis/autoscaling/v1/conversion.go (targetCPUUtilizationPercentage is the
v2 Resource metric `cpu` with a Utilization target; currentCPUUtilizationPercentage its status).
"""

from __future__ import annotations

import copy

V1 = "autoscaling/v1"
V2 = "autoscaling/v2"


def to_v2(hpa: dict) -> dict:
    converted = _spec_to_v2(hpa)
    converted["status"] = _status_to_v2(converted.get("status") or {})
    return converted


def stored_form(obj: dict) -> dict:
    """An autoscaling/v1 HPA as the API server stores it (autoscaling/v2, the storage version); its
    status is left alone, it belongs to the controller. Other objects come back unchanged."""
    if obj.get("apiVersion") != V1 or obj.get("kind") != "HorizontalPodAutoscaler":
        return obj
    return _spec_to_v2(obj)


def _spec_to_v2(hpa: dict) -> dict:
    converted = copy.deepcopy(hpa)
    converted["apiVersion"] = V2
    spec = converted.setdefault("spec", {})
    percent = spec.pop("targetCPUUtilizationPercentage", None)
    if percent is not None:
        spec["metrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": percent}}}]
    return converted


def _status_to_v2(status: dict) -> dict:
    result = {key: status[key] for key in ("currentReplicas", "lastScaleTime") if status.get(key)}
    result["desiredReplicas"] = status.get("desiredReplicas", 0)
    if status.get("currentCPUUtilizationPercentage") is not None:
        result["currentMetrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "current": {"averageUtilization": status["currentCPUUtilizationPercentage"]}}}]
    return result


def to_v1(hpa: dict) -> dict:
    converted = copy.deepcopy(hpa)
    converted["apiVersion"] = V1
    spec = converted.setdefault("spec", {})
    for metric in spec.pop("metrics", None) or ():
        target = (metric.get("resource") or {}).get("target") or {}
        if metric.get("type") == "Resource" and metric["resource"].get("name") == "cpu" \
                and target.get("averageUtilization") is not None:
            spec["targetCPUUtilizationPercentage"] = target["averageUtilization"]
    status = converted.get("status") or {}
    v1_status = {"currentReplicas": status.get("currentReplicas", 0), "desiredReplicas": status.get("desiredReplicas", 0)}
    if status.get("lastScaleTime"):
        v1_status["lastScaleTime"] = status["lastScaleTime"]
    for metric in status.get("currentMetrics") or ():
        current = (metric.get("resource") or {}).get("current") or {}
        if metric.get("type") == "Resource" and metric["resource"].get("name") == "cpu" \
                and current.get("averageUtilization") is not None:
            v1_status["currentCPUUtilizationPercentage"] = current["averageUtilization"]
    converted["status"] = v1_status
    return converted
