"""ReplicaSet and ReplicationController: keep spec.replicas active pods, adopt and release, report status.

Follows kubernetes/kubernetes: pkg/controller/replicaset/replica_set.go (manageReplicas,
calculateStatus in replica_set_utils.go) and pkg/controller/controller_utils.go (ActivePodsWithRanks);
the ReplicationController is the same controller with an equality-based map selector
(pkg/controller/replication).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from minikctl import errors
from minikctl.core import selectors
from minikctl.cluster import Cluster
from minikctl.core import clock, ownership
from minikctl.core.conditions import condition, is_active, is_available, is_ready, is_terminating, set_condition
from minikctl.controllers import common, manager

DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"


@dataclass(frozen=True)
class Flavour:
    key: str
    component: str
    matches: Callable[[dict, dict], bool]


REPLICASET = Flavour("replicasets.apps", "replicaset-controller",
                     lambda owner, labels: selectors.selector_matches(owner["spec"].get("selector"), labels))
REPLICATION_CONTROLLER = Flavour("replicationcontrollers", "replication-controller",
                                 lambda owner, labels: selectors.map_selector_matches(owner["spec"].get("selector"), labels))



FLAVOURS = {REPLICASET.key: REPLICASET, REPLICATION_CONTROLLER.key: REPLICATION_CONTROLLER}
KINDS = {"ReplicaSet": REPLICASET, "ReplicationController": REPLICATION_CONTROLLER}


def reconcile(cluster: Cluster) -> None:
    """Sync every ReplicaSet and ReplicationController (the bootstrap's direct use)."""
    indexes = manager.Indexes(cluster)
    for flavour in (REPLICASET, REPLICATION_CONTROLLER):
        for key in cluster.state.section(flavour.key).keys():
            sync_key(cluster, indexes, f"{flavour.key}|{key}")


def sync_key(cluster: Cluster, indexes: manager.Indexes, key: str) -> None:
    """Key: "resource|namespace/name" of a ReplicaSet or ReplicationController."""
    resource, _, obj_key = key.partition("|")
    namespace, _, name = obj_key.partition("/")
    owner = cluster.get(resource, namespace, name)
    if owner is not None:
        sync(cluster, indexes, FLAVOURS[resource], owner)


def sync(cluster: Cluster, indexes: manager.Indexes, flavour: Flavour, owner: dict) -> None:
    pods = _claim_pods(cluster, indexes, flavour, owner)
    if not owner["metadata"].get("deletionTimestamp"):
        active = [pod for pod in pods if is_active(pod)]
        diff = len(active) - int(owner["spec"].get("replicas", 1))
        if diff < 0:
            pods += _create_pods(cluster, flavour, owner, -diff)
        else:
            _clear_replica_failure(owner)
        if diff > 0:
            related = _pods_of_sibling_sets(indexes, flavour, owner)
            doomed = set(id(p) for p in _rank_for_deletion(active, related, cluster)[:diff])
            _delete_pods(cluster, flavour, owner, [p for p in active if id(p) in doomed])
            pods = [p for p in pods if id(p) not in doomed]
    _update_status(cluster, flavour, owner, pods)


# -- adoption and release --------------------------------------------------------------------
def _claim_pods(cluster: Cluster, indexes: manager.Indexes, flavour: Flavour, owner: dict) -> list[dict]:
    """Pods this owner controls after adopting matching orphans and releasing pods that stopped matching."""
    mine = []
    for pod in indexes.owned("pods", owner["metadata"]["uid"]):
        if flavour.matches(owner, pod["metadata"].get("labels")) or is_terminating(pod):
            mine.append(pod)
        else:
            _release(cluster, owner, pod)
    if owner["metadata"].get("deletionTimestamp"):
        return mine
    for pod in indexes.orphans("pods", owner["metadata"]["namespace"]):
        if is_active(pod) and flavour.matches(owner, pod["metadata"].get("labels")):
            pod["metadata"].setdefault("ownerReferences", []).append(ownership.controller_ref(owner))
            cluster.update(pod, "pods")
            mine.append(pod)
    return mine


def _release(cluster: Cluster, owner: dict, pod: dict) -> None:
    references = [r for r in pod["metadata"]["ownerReferences"] if r.get("uid") != owner["metadata"]["uid"]]
    if references:
        pod["metadata"]["ownerReferences"] = references
    else:
        del pod["metadata"]["ownerReferences"]
    cluster.update(pod, "pods")


# -- scaling ---------------------------------------------------------------------------------
def _create_pods(cluster: Cluster, flavour: Flavour, owner: dict, count: int) -> list[dict]:
    """Create the missing pods; an admission refusal becomes a FailedCreate event and ReplicaFailure condition."""
    created = []
    conditions = owner.setdefault("status", {}).setdefault("conditions", [])
    for _ in range(count):
        try:
            pod = common.pod_from_template(cluster, owner, owner["spec"].get("template") or {})
        except errors.APIError as refusal:
            # Recorded once per distinct refusal, so a refused set still converges.
            if set_condition(conditions, "ReplicaFailure", "True", "FailedCreate", refusal.message,
                                    cluster.timestamp):
                common.record_event(cluster, owner, "Warning", "FailedCreate", f"Error creating: {refusal.message}",
                                    flavour.component)
            return created
        common.record_event(cluster, owner, "Normal", "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}",
                            flavour.component)
        created.append(pod)
    _clear_replica_failure(owner)
    return created


def _clear_replica_failure(owner: dict) -> None:
    """A sync whose manageReplicas succeeded drops ReplicaFailure (replica_set_utils.go calculateStatus)."""
    conditions = (owner.get("status") or {}).get("conditions")
    if conditions:
        conditions[:] = [c for c in conditions if c["type"] != "ReplicaFailure"]


def _delete_pods(cluster: Cluster, flavour: Flavour, owner: dict, pods: list[dict]) -> None:
    for pod in pods:
        common.delete_object(cluster, "pods", pod)
        common.record_event(cluster, owner, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}",
                            flavour.component)


def _pods_of_sibling_sets(indexes: manager.Indexes, flavour: Flavour, owner: dict) -> list[dict]:
    """Sets owned by one Deployment rank their pods together; others stand alone."""
    reference = ownership.controller_of(owner)
    siblings = indexes.owned(flavour.key, reference["uid"]) if reference else [owner]
    return [pod for sibling in siblings for pod in indexes.owned("pods", sibling["metadata"]["uid"])]


def _rank_for_deletion(active: list[dict], related: list[dict], cluster: Cluster) -> list[dict]:
    """Pods in the order a scale-down deletes them (controller_utils.go ActivePodsWithRanks.Less)."""
    per_node = Counter(p["spec"].get("nodeName") for p in related if is_active(p) and p["spec"].get("nodeName"))
    return sorted(active, key=lambda pod: _deletion_key(pod, per_node, cluster))


_PHASE_ORDER = {"Pending": 0, "Unknown": 1, "Running": 2}


def _deletion_key(pod: dict, per_node: Counter, cluster: Cluster) -> tuple:
    status = pod.get("status") or {}
    node = pod["spec"].get("nodeName")
    ready = is_ready(pod)
    ready_since = (condition(pod, "Ready") or {}).get("lastTransitionTime") if ready else None
    restarts = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or ()), default=0)
    return (
        bool(node),
        _PHASE_ORDER.get(status.get("phase"), 0),
        ready,
        _deletion_cost(pod),
        -per_node.get(node, 0),
        _age_bucket(cluster, ready_since) if ready else 0,
        pod["metadata"].get("uid", "") if ready else "",
        -restarts,
        _age_bucket(cluster, pod["metadata"].get("creationTimestamp")),
        pod["metadata"].get("uid", ""),
    )


def _deletion_cost(pod: dict) -> int:
    try:
        return int((pod["metadata"].get("annotations") or {}).get(DELETION_COST, 0))
    except ValueError:
        return 0


def _age_bucket(cluster: Cluster, timestamp: str | None) -> int:
    """log2 of the age in nanoseconds, so pods of a similar age tie (LogarithmicScaleDown); newer first."""
    if not timestamp:
        return -1
    elapsed = clock.seconds_since(cluster.now, timestamp) * 1e9
    return int(math.log2(elapsed)) if elapsed >= 1 else -1


# -- status ----------------------------------------------------------------------------------
def _update_status(cluster: Cluster, flavour: Flavour, owner: dict, pods: list[dict]) -> None:
    active = [pod for pod in pods if is_active(pod)]
    template_labels = ((owner["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
    min_ready = int(owner["spec"].get("minReadySeconds") or 0)
    now = clock.aware(cluster.now)
    counts = {
        "replicas": len(active),
        "fullyLabeledReplicas": sum(1 for p in active if template_labels.items() <= (p["metadata"].get("labels") or {}).items()),
        "readyReplicas": sum(1 for p in active if is_ready(p)),
        "availableReplicas": sum(1 for p in active if is_available(p, min_ready, now)),
    }
    status = {"replicas": counts["replicas"]}
    status.update({k: v for k, v in counts.items() if v and k != "replicas"})
    status["observedGeneration"] = owner["metadata"].get("generation", 1)
    conditions = (owner.get("status") or {}).get("conditions")
    if conditions:
        status["conditions"] = conditions
    owner["status"] = status
    cluster.update(owner, flavour.key)


# -- what queues a set -------------------------------------------------------------------------
def _own(indexes: manager.Indexes, change) -> list[str]:
    return [f"{change.resource}|{change.key}"]


def _sets_of_pod(indexes: manager.Indexes, change) -> list[str]:
    """The pod's controller; for an orphan, every set of its namespace whose selector matches it."""
    pod = change.obj
    namespace = pod["metadata"].get("namespace", "")
    reference = ownership.controller_of(pod)
    if reference is not None:
        flavour = KINDS.get(reference.get("kind"))
        return [f"{flavour.key}|{namespace}/{reference.get('name', '')}"] if flavour else []
    if change.deleted or pod["metadata"].get("deletionTimestamp"):
        return []
    labels = pod["metadata"].get("labels")
    return [f"{flavour.key}|{namespace}/{owner['metadata']['name']}" for flavour in (REPLICASET, REPLICATION_CONTROLLER)
            for owner in indexes.in_namespace(flavour.key, namespace) if flavour.matches(owner, labels)]


def _not_at_rest(cluster: Cluster, indexes: manager.Indexes) -> list[str]:
    """Sets short of their replicas (a refused create is retried, as the work queue's rate-limited requeue
    does) or whose ready pods may have become available as the clock moved (minReadySeconds)."""
    keys = []
    for flavour in (REPLICASET, REPLICATION_CONTROLLER):
        section = cluster.state.section(flavour.key)
        for key in section.keys():
            owner = section.get(key)
            status = owner.get("status") or {}
            wanted = int(owner["spec"].get("replicas", 1))
            if status.get("replicas", 0) != wanted or status.get("availableReplicas", 0) < status.get("readyReplicas", 0):
                keys.append(f"{flavour.key}|{key}")
    return keys


CONTROLLER = manager.Controller("replicaset", {REPLICASET.key: _own, REPLICATION_CONTROLLER.key: _own,
                                               "pods": _sets_of_pod}, sync_key, resync=_not_at_rest)
