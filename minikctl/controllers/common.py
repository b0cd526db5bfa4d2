"""Helpers the controllers share: owned objects, pods from templates, events, finalizers, status writes.

Pure helpers (ownership, conditions, time, quantities, faults) live in minikctl/core/."""

from __future__ import annotations

import copy
from collections import defaultdict

from minikctl.cluster import Cluster
from minikctl.core.ownership import controller_of, controller_ref, is_controlled_by

EVENT_TTL_SECONDS = 3600


def owned(cluster: Cluster, key: str, owner: dict) -> list[dict]:
    """Objects of a resource in the owner's namespace whose controller is owner."""
    return [o for o in cluster.list(key, owner["metadata"].get("namespace", "")) if is_controlled_by(o, owner)]


def pod_from_template(cluster: Cluster, owner: dict, template: dict, name: str | None = None,
                      generate_name: str | None = None, extra_labels: dict | None = None,
                      finalizers: list[str] | None = None) -> dict:
    """A new Pod built from a pod template, owned by owner, admitted and stored (not yet scheduled).

    finalizers are set at creation, as the Job controller's tracking finalizer is upstream.
    """
    from minikctl.api import server

    template = copy.deepcopy(template)
    meta = template.get("metadata") or {}
    labels = dict(meta.get("labels") or {})
    labels.update(extra_labels or {})
    pod_meta: dict = {"namespace": owner["metadata"]["namespace"], "labels": labels,
                      "ownerReferences": [controller_ref(owner)]}
    if meta.get("annotations"):
        pod_meta["annotations"] = dict(meta["annotations"])
    if finalizers:
        pod_meta["finalizers"] = list(finalizers)
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
    """Record an Event about involved; an identical repeat bumps count and lastTimestamp (client-go record).

    Repeats are found through an index kept on the cluster for this transaction, so recording stays
    O(1) however many events exist (kubernetes/client-go: tools/record/events_cache.go).
    """
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
    index = _event_index(cluster)
    identity = _event_identity(reference, event_type, reason, message, source)
    existing = cluster.get("events", namespace, index.get(identity, ""))
    if existing is not None and _event_identity(existing["involvedObject"], existing.get("type"), existing.get("reason"),
                                                existing.get("message"), existing.get("source")) == identity:
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
    cluster.create(event, "events")
    index[identity] = event["metadata"]["name"]
    return event


def record_event_once(cluster: Cluster, involved: dict, event_type: str, reason: str, message: str,
                      component: str, host: str = "") -> None:
    """Record an Event unless the same one is already stored, so a controller retrying a refused
    create every pass still converges (the count is not bumped)."""
    namespace = event_namespace(involved)
    reference = {"kind": involved["kind"], "name": involved["metadata"]["name"],
                 "namespace": involved["metadata"].get("namespace"), "uid": involved["metadata"].get("uid", "")}
    source = {"component": component, **({"host": host} if host else {})}
    identity = _event_identity(reference, event_type, reason, message, source)
    if cluster.get("events", namespace, _event_index(cluster).get(identity, "")) is None:
        record_event(cluster, involved, event_type, reason, message, component, host=host)


def _event_identity(reference: dict, event_type, reason, message, source) -> tuple:
    return (tuple(reference.get(k) for k in ("kind", "name", "namespace", "uid", "fieldPath")),
            event_type, reason, message, tuple(sorted((source or {}).items())))


def _event_index(cluster: Cluster) -> dict:
    """identity -> event name, built once per transaction from the stored events."""
    index = getattr(cluster, "_event_index", None)
    if index is None:
        index = {}
        for event in cluster.list("events"):
            identity = _event_identity(event.get("involvedObject") or {}, event.get("type"), event.get("reason"),
                                       event.get("message"), event.get("source"))
            index[identity] = event["metadata"]["name"]
        cluster._event_index = index
    return index


def _event_suffix(cluster: Cluster) -> str:
    """Hex of the event's time in Unix nanoseconds; a per-state counter keeps names unique and ordered."""
    cluster.meta["eventSequence"] = cluster.meta.get("eventSequence", 0) + 1
    nanos = int(cluster.now.timestamp()) * 1_000_000_000 + cluster.meta["eventSequence"]
    return f"{nanos:x}"


def pods_by_controller_uid(cluster: Cluster) -> dict[str, list[dict]]:
    """Pods grouped by their controller's uid, one pass over all pods."""
    index: dict[str, list[dict]] = defaultdict(list)
    for pod in cluster.list("pods"):
        reference = controller_of(pod)
        if reference is not None:
            index[reference.get("uid", "")].append(pod)
    return index


def orphans_by_namespace(cluster: Cluster, key: str = "pods") -> dict[str, list[dict]]:
    """Objects without a controller, by namespace: the candidates for adoption."""
    index: dict[str, list[dict]] = defaultdict(list)
    for obj in cluster.list(key):
        if controller_of(obj) is None and not obj["metadata"].get("deletionTimestamp"):
            index[obj["metadata"].get("namespace", "")].append(obj)
    return index


def delete_object(cluster: Cluster, key: str, obj: dict, propagation: str = "Background") -> None:
    from minikctl.api import server
    from minikctl.core import kinds

    meta = obj["metadata"]
    server.delete(cluster, kinds.BY_KEY[key], meta.get("namespace", ""), meta["name"], propagation)


def release_finalizer(cluster: Cluster, key: str, obj: dict, finalizer: str) -> None:
    """Drop one finalizer; an object being deleted goes once no finalizer is left (the API server's rule)."""
    meta = obj["metadata"]
    if finalizer not in (meta.get("finalizers") or ()):
        return
    remaining = [f for f in meta["finalizers"] if f != finalizer]
    if remaining:
        meta["finalizers"] = remaining
    else:
        del meta["finalizers"]
        if meta.get("deletionTimestamp"):
            cluster.remove(key, meta.get("namespace", ""), meta["name"])
            return
    cluster.update(obj, key)


def write_status(cluster: Cluster, obj: dict, key: str) -> bool:
    """Write obj as a status-subresource update: it never bumps metadata.generation.

    Deployments keep their revision annotation through UpdateStatus, which leaves generation alone
    (kubernetes/kubernetes: pkg/controller/deployment/sync.go, pkg/registry/apps/deployment/strategy.go).
    """
    return cluster.update(obj, key, status_only=True)
