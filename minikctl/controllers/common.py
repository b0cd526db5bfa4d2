"""Helpers every controller shares: owner references, pods from templates, events, conditions."""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal

from minikctl.cluster import Cluster

EVENT_TTL_SECONDS = 3600
TERMINAL_PHASES = ("Succeeded", "Failed")


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


# -- pods --------------------------------------------------------------------------------------
def is_terminating(pod: dict) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def is_finished(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in TERMINAL_PHASES


def is_active(pod: dict) -> bool:
    """Counts toward a controller's replicas: not finished and not being deleted (controller_utils.go)."""
    return not is_terminating(pod) and not is_finished(pod)


def condition(obj: dict, condition_type: str) -> dict | None:
    for entry in (obj.get("status") or {}).get("conditions") or ():
        if entry.get("type") == condition_type:
            return entry
    return None


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


def is_running_and_available(pod: dict, min_ready_seconds: int, cluster: Cluster) -> bool:
    """Running and available, as the StatefulSet and DaemonSet controllers count their pods
    (kubernetes/kubernetes: pkg/controller/statefulset/stateful_set_utils.go isRunningAndAvailable)."""
    return (pod.get("status") or {}).get("phase") == "Running" and is_available(pod, min_ready_seconds,
                                                                                   aware_now(cluster))


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def seconds_since(cluster: Cluster, text: str | None) -> float:
    moment = parse_time(text)
    if moment is None:
        return 0.0
    return (aware_now(cluster) - moment).total_seconds()


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
    from minikctl.api import kinds, server

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


# -- quantities ------------------------------------------------------------------------------
_SUFFIXES = {"": 1, "m": Decimal("0.001"), "k": 10 ** 3, "M": 10 ** 6, "G": 10 ** 9, "T": 10 ** 12, "P": 10 ** 15,
             "E": 10 ** 18, "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60}


def parse_quantity(value) -> Decimal:
    """A resource.Quantity as a number (kubernetes/apimachinery: pkg/api/resource/quantity.go)."""
    text = str(value).strip()
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if suffix and text.endswith(suffix):
            return Decimal(text[:-len(suffix)]) * _SUFFIXES[suffix]
    try:
        return Decimal(text)
    except ArithmeticError:
        return Decimal(0)


def pod_requests(pod: dict) -> dict[str, Decimal]:
    """max(sum of app container requests, largest init container request) per resource."""
    spec = pod.get("spec") or {}
    total: dict[str, Decimal] = defaultdict(Decimal)
    for container in spec.get("containers") or ():
        for name, value in ((container.get("resources") or {}).get("requests") or {}).items():
            total[name] += parse_quantity(value)
    for container in spec.get("initContainers") or ():
        for name, value in ((container.get("resources") or {}).get("requests") or {}).items():
            total[name] = max(total[name], parse_quantity(value))
    for name, value in (spec.get("overhead") or {}).items():
        total[name] += parse_quantity(value)
    return dict(total)


def aware_now(cluster: Cluster) -> datetime:
    return cluster.now if cluster.now.tzinfo else cluster.now.replace(tzinfo=timezone.utc)


def write_status(cluster: Cluster, obj: dict, key: str) -> bool:
    """Write obj as a status-subresource update: it never bumps metadata.generation.

    Deployments keep their revision annotation through UpdateStatus, which leaves generation alone
    (kubernetes/kubernetes: pkg/controller/deployment/sync.go, pkg/registry/apps/deployment/strategy.go).
    """
    return cluster.update(obj, key, status_only=True)


# -- injected faults (docs/faults.md) ----------------------------------------------------------
FAULT_PREFIX = "fault.minikctl.io/"
IMAGE_PULL = FAULT_PREFIX + "image-pull"
CRASH_LOOP = FAULT_PREFIX + "crash-loop"
EXIT_CODE = FAULT_PREFIX + "exit-code"
NODE_NOT_READY = FAULT_PREFIX + "not-ready"
FAULT_OFF = ("", "false", "no", "off", "0")


def fault_annotations(obj: dict) -> dict:
    annotations = obj["metadata"].get("annotations") or {}
    return {k: v for k, v in annotations.items() if k.startswith(FAULT_PREFIX)}


def container_selected(annotations: dict, fault: str, container: str) -> bool:
    """A fault applies to every container ("true") or to the comma-separated containers it names."""
    value = str(annotations.get(fault, "")).strip()
    if value.lower() in FAULT_OFF:
        return False
    if value.lower() in ("true", "yes", "on", "all", "*"):
        return True
    return container in {part.strip() for part in value.split(",")}


def fault_exit_code(annotations: dict) -> int:
    try:
        return int(annotations.get(EXIT_CODE, 1))
    except ValueError:
        return 1


def node_fault(node: dict) -> bool:
    """A node is broken by label or annotation fault.minikctl.io/not-ready=true."""
    for source in (node["metadata"].get("labels") or {}, node["metadata"].get("annotations") or {}):
        if str(source.get(NODE_NOT_READY, "")).strip().lower() not in FAULT_OFF:
            return True
    return False


def node_is_ready(node: dict) -> bool:
    entry = condition(node, "Ready")
    return not node_fault(node) and (entry is None or entry.get("status") == "True")
