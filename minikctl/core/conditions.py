"""Conditions and the pod states controllers count by (kubernetes/kubernetes pkg/api/v1/pod/util.go,
pkg/controller/controller_utils.go)."""

from __future__ import annotations

from datetime import datetime

from minikctl.core.clock import parse_time
from minikctl.core.faults import node_fault

TERMINAL_PHASES = ("Succeeded", "Failed")


def set_condition(conditions: list[dict], condition_type: str, status: str, reason: str = "", message: str = "",
                  now: str = "", extra_times: tuple[str, ...] = ()) -> bool:
    """Set a condition in place; returns whether it changed.

    lastTransitionTime moves only when status changes; extra_times (lastUpdateTime, lastProbeTime,
    lastHeartbeatTime) move on any change.
    """
    wanted = {"type": condition_type, "status": status}
    if reason:
        wanted["reason"] = reason
    if message:
        wanted["message"] = message
    for entry in conditions:
        if entry["type"] != condition_type:
            continue
        if all(entry.get(k) == v for k, v in wanted.items()) and \
                all(k in wanted for k in ("reason", "message") if k in entry):
            return False
        if entry["status"] != status:
            entry["lastTransitionTime"] = now
        entry.pop("reason", None)
        entry.pop("message", None)
        entry.update(wanted)
        for name in extra_times:
            entry[name] = now
        return True
    conditions.append({**wanted, "lastTransitionTime": now, **{name: now for name in extra_times}})
    return True


def condition(obj: dict, condition_type: str) -> dict | None:
    for entry in (obj.get("status") or {}).get("conditions") or ():
        if entry.get("type") == condition_type:
            return entry
    return None


def is_terminating(pod: dict) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def is_finished(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in TERMINAL_PHASES


def is_active(pod: dict) -> bool:
    """Counts toward a controller's replicas: not finished and not being deleted (controller_utils.go)."""
    return not is_terminating(pod) and not is_finished(pod)


def is_ready(pod: dict) -> bool:
    entry = condition(pod, "Ready")
    return entry is not None and entry.get("status") == "True"


def is_running_and_ready(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running" and is_ready(pod)


def is_available(pod: dict, min_ready_seconds: int, now: datetime) -> bool:
    """Ready for at least minReadySeconds (kubernetes/kubernetes: pkg/api/v1/pod/util.go IsPodAvailable)."""
    if not is_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    since = parse_time(condition(pod, "Ready").get("lastTransitionTime"))
    return since is not None and (now - since).total_seconds() >= min_ready_seconds


def is_running_and_available(pod: dict, min_ready_seconds: int, now: datetime) -> bool:
    """Running and available, as the StatefulSet and DaemonSet controllers count their pods
    (kubernetes/kubernetes: pkg/controller/statefulset/stateful_set_utils.go isRunningAndAvailable)."""
    return (pod.get("status") or {}).get("phase") == "Running" and is_available(pod, min_ready_seconds, now)


def node_is_ready(node: dict) -> bool:
    """Ready unless a fault says otherwise; a node without a Ready condition yet counts as ready."""
    entry = condition(node, "Ready")
    return not node_fault(node) and (entry is None or entry.get("status") == "True")
