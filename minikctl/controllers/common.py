"""Helpers every controller shares: owner references, pods from templates, events, conditions."""

from __future__ import annotations

import copy

from minikctl.cluster import Cluster

EVENT_TTL_SECONDS = 3600


def controller_ref(owner: dict) -> dict:
    """The ownerReference a controller puts on what it creates (metav1.NewControllerRef)."""
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}


def controller_of(obj: dict) -> dict | None:
    for reference in obj["metadata"].get("ownerReferences") or ():
        if reference.get("controller"):
            return reference
    return None


def is_controlled_by(obj: dict, owner: dict) -> bool:
    reference = controller_of(obj)
    return reference is not None and reference.get("uid") == owner["metadata"]["uid"]


def owned(cluster: Cluster, key: str, owner: dict) -> list[dict]:
    """Objects of a resource in the owner's namespace whose controller is owner."""
    return [o for o in cluster.list(key, owner["metadata"].get("namespace", "")) if is_controlled_by(o, owner)]


def pod_from_template(cluster: Cluster, owner: dict, template: dict, name: str | None = None,
                      generate_name: str | None = None, extra_labels: dict | None = None) -> dict:
    """A new Pod built from a pod template, owned by owner, admitted and stored (not yet scheduled)."""
    from minikctl.api import server

    template = copy.deepcopy(template)
    meta = template.get("metadata") or {}
    labels = dict(meta.get("labels") or {})
    labels.update(extra_labels or {})
    pod_meta: dict = {"namespace": owner["metadata"]["namespace"], "labels": labels,
                      "ownerReferences": [controller_ref(owner)]}
    if meta.get("annotations"):
        pod_meta["annotations"] = dict(meta["annotations"])
    if name:
        pod_meta["name"] = name
    else:
        pod_meta["generateName"] = generate_name or f"{owner['metadata']['name']}-"
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": template.get("spec") or {}}
    return server.create(cluster, pod, pod_meta["namespace"])


def event_namespace(involved: dict) -> str:
    return involved["metadata"].get("namespace") or "default"


def record_event(cluster: Cluster, involved: dict, event_type: str, reason: str, message: str,
                 component: str, host: str = "", field_path: str = "") -> dict:
    """Record an Event about involved; an identical repeat bumps count and lastTimestamp (client-go record)."""
    namespace = event_namespace(involved)
    reference = {"apiVersion": involved["apiVersion"], "kind": involved["kind"],
                 "name": involved["metadata"]["name"], "uid": involved["metadata"].get("uid", "")}
    if involved["metadata"].get("namespace"):
        reference["namespace"] = involved["metadata"]["namespace"]
    if involved["metadata"].get("resourceVersion"):
        reference["resourceVersion"] = involved["metadata"]["resourceVersion"]
    if field_path:
        reference["fieldPath"] = field_path
    source = {"component": component, **({"host": host} if host else {})}
    for existing in cluster.list("events", namespace):
        if _same_event(existing, reference, event_type, reason, message, source):
            existing["count"] = existing.get("count", 1) + 1
            existing["lastTimestamp"] = cluster.timestamp
            existing["involvedObject"]["resourceVersion"] = reference.get("resourceVersion", "")
            cluster.update(existing, "events")
            return existing
    event = {
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": f"{reference['name']}.{_event_suffix(cluster)}", "namespace": namespace},
        "involvedObject": reference, "reason": reason, "message": message, "source": source,
        "firstTimestamp": cluster.timestamp, "lastTimestamp": cluster.timestamp, "count": 1,
        "type": event_type, "eventTime": None, "reportingComponent": component, "reportingInstance": host,
    }
    return cluster.create(event, "events")


def _same_event(existing: dict, reference: dict, event_type: str, reason: str, message: str, source: dict) -> bool:
    other = existing.get("involvedObject") or {}
    return (existing.get("reason") == reason and existing.get("message") == message
            and existing.get("type") == event_type and existing.get("source") == source
            and all(other.get(k) == reference.get(k) for k in ("kind", "name", "namespace", "uid", "fieldPath")))


def _event_suffix(cluster: Cluster) -> str:
    """Hex of the event's time in Unix nanoseconds; a per-state counter keeps names unique and ordered."""
    cluster.meta["eventSequence"] = cluster.meta.get("eventSequence", 0) + 1
    nanos = int(cluster.now.timestamp()) * 1_000_000_000 + cluster.meta["eventSequence"]
    return f"{nanos:x}"


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
    for condition in conditions:
        if condition["type"] != condition_type:
            continue
        if all(condition.get(k) == v for k, v in wanted.items()) and \
                all(k in wanted for k in ("reason", "message") if k in condition):
            return False
        if condition["status"] != status:
            condition["lastTransitionTime"] = now
        condition.pop("reason", None)
        condition.pop("message", None)
        condition.update(wanted)
        for name in extra_times:
            condition[name] = now
        return True
    conditions.append({**wanted, "lastTransitionTime": now, **{name: now for name in extra_times}})
    return True
