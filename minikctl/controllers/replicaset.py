"""ReplicaSet and ReplicationController: keep spec.replicas active pods, adopt and release, report status.

Follows kubernetes/kubernetes: pkg/controller/replicaset/replica_set.go (manageReplicas,
calculateStatus in replica_set_utils.go) and pkg/controller/controller_utils.go (ActivePodsWithRanks);
the ReplicationController is the same controller with an equality-based map selector
(pkg/controller/replication).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass
from typing import Callable, NamedTuple

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
    view = _claim_pods(cluster, indexes, flavour, owner)
    if not owner["metadata"].get("deletionTimestamp"):
        active = [key for key, facts in view.facts.items() if facts.active]
        diff = len(active) - int(owner["spec"].get("replicas", 1))
        if diff < 0:
            for pod in _create_pods(cluster, flavour, owner, -diff):
                view.learn(_pod_key(pod), pod)
        else:
            _clear_replica_failure(owner)
        if diff > 0:
            section = cluster.state.section("pods")
            per_node = _pods_per_node(cluster, indexes, flavour, owner)
            doomed = heapq.nsmallest(diff, active, key=lambda key: view.facts[key].deletion_key(per_node))
            _delete_pods(cluster, flavour, owner, [section.get(key) for key in sorted(doomed, key=_by_namespace_name)])
            for key in doomed:
                view.facts.pop(key, None)
    _update_status(cluster, flavour, owner, view)


# -- what the controller knows of each pod ---------------------------------------------------------
class PodFacts(NamedTuple):
    """What status and ranking need of one pod, computed once per change of the pod."""
    matches: bool
    terminating: bool
    active: bool
    fully_labeled: bool
    ready: bool
    available: bool
    node: str
    rank: tuple  # the deletion ranking without the pods-per-node term

    def deletion_key(self, per_node: Counter) -> tuple:
        return self.rank[:4] + (-per_node.get(self.node, 0),) + self.rank[4:]


class SetView:
    """One set's pods and their facts for this pass, recomputed only for pods that changed since."""

    def __init__(self, cluster: Cluster, flavour: Flavour, owner: dict, seen_by: dict[str, str]):
        self.cluster, self.flavour, self.owner = cluster, flavour, owner
        self.seen_by = seen_by  # pod key -> uid of the set whose view holds its facts
        spec = owner["spec"]
        self.template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        self.min_ready = int(spec.get("minReadySeconds") or 0)
        self.signature = _signature(owner)
        self.facts: dict[str, PodFacts] = {}

    def learn(self, key: str, pod: dict) -> PodFacts:
        labels = pod["metadata"].get("labels") or {}
        status = pod.get("status") or {}
        ready = is_ready(pod)
        facts = PodFacts(
            matches=self.flavour.matches(self.owner, labels), terminating=is_terminating(pod), active=is_active(pod),
            fully_labeled=self.template_labels.items() <= labels.items(), ready=ready,
            available=is_available(pod, self.min_ready, clock.aware(self.cluster.now)),
            node=pod["spec"].get("nodeName") or "", rank=_rank_parts(pod, status, ready, self.cluster))
        self.facts[key] = facts
        self.seen_by[key] = self.owner["metadata"]["uid"]
        return facts


def _signature(owner: dict) -> tuple:
    spec = owner["spec"]
    return (owner["metadata"]["uid"], repr(spec.get("selector")), repr((spec.get("template") or {}).get("metadata")),
            spec.get("minReadySeconds"))


def _views(indexes: manager.Indexes) -> dict:
    return indexes.extra.setdefault("replicaset", {"views": {}, "seen_by": {}})


def _observe(indexes: manager.Indexes, change) -> None:
    """A changed pod's facts are computed again on its set's next sync."""
    cache = indexes.extra.get("replicaset")
    if cache is not None and change.resource == "pods":
        uid = cache["seen_by"].pop(change.key, None)
        view = cache["views"].get(uid)
        if view is not None:
            view.facts.pop(change.key, None)


def _view(cluster: Cluster, indexes: manager.Indexes, flavour: Flavour, owner: dict) -> SetView:
    cache = _views(indexes)
    view = cache["views"].get(owner["metadata"]["uid"])
    if view is None or view.signature != _signature(owner):
        view = cache["views"][owner["metadata"]["uid"]] = SetView(cluster, flavour, owner, cache["seen_by"])
    view.owner = owner
    return view


def _pod_key(pod: dict) -> str:
    return f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"


def _by_namespace_name(key: str) -> tuple[str, str]:
    namespace, _, name = key.partition("/")
    return namespace, name


# -- adoption and release --------------------------------------------------------------------
def _claim_pods(cluster: Cluster, indexes: manager.Indexes, flavour: Flavour, owner: dict) -> SetView:
    """The owner's pods after adopting matching orphans and releasing pods that stopped matching."""
    view = _view(cluster, indexes, flavour, owner)
    keys = indexes.owned_keys("pods", owner["metadata"]["uid"])
    for key in [key for key in view.facts if key not in keys]:
        del view.facts[key]
    section = cluster.state.section("pods")
    for key in sorted((key for key in keys if key not in view.facts), key=_by_namespace_name):
        pod = section.get(key)
        facts = view.learn(key, pod)
        if not facts.matches and not facts.terminating:
            del view.facts[key]
            _release(cluster, owner, pod)
    if owner["metadata"].get("deletionTimestamp"):
        return view
    for pod in indexes.orphans("pods", owner["metadata"]["namespace"]):
        if is_active(pod) and flavour.matches(owner, pod["metadata"].get("labels")):
            pod["metadata"].setdefault("ownerReferences", []).append(ownership.controller_ref(owner))
            cluster.update(pod, "pods")
            view.learn(_pod_key(pod), pod)
    return view


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


def _pods_per_node(cluster: Cluster, indexes: manager.Indexes, flavour: Flavour, owner: dict) -> Counter:
    """Active pods per node of the sets owned with this one by one Deployment (others stand alone):
    a scale-down ranks pods on crowded nodes first (controller_utils.go ActivePodsWithRanks.Less)."""
    reference = ownership.controller_of(owner)
    siblings = indexes.owned(flavour.key, reference["uid"]) if reference else [owner]
    per_node: Counter = Counter()
    for sibling in siblings:
        facts = _claimed_facts(cluster, indexes, flavour, sibling)
        per_node.update(f.node for f in facts if f.active and f.node)
    return per_node


def _claimed_facts(cluster: Cluster, indexes: manager.Indexes, flavour: Flavour, owner: dict) -> list[PodFacts]:
    view = _view(cluster, indexes, flavour, owner)
    section = cluster.state.section("pods")
    for key in indexes.owned_keys("pods", owner["metadata"]["uid"]):
        if key not in view.facts:
            view.learn(key, section.get(key))
    return list(view.facts.values())


_PHASE_ORDER = {"Pending": 0, "Unknown": 1, "Running": 2}


def _rank_parts(pod: dict, status: dict, ready: bool, cluster: Cluster) -> tuple:
    node = pod["spec"].get("nodeName")
    ready_since = (condition(pod, "Ready") or {}).get("lastTransitionTime") if ready else None
    restarts = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or ()), default=0)
    return (
        bool(node),
        _PHASE_ORDER.get(status.get("phase"), 0),
        ready,
        _deletion_cost(pod),
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
def _update_status(cluster: Cluster, flavour: Flavour, owner: dict, view: SetView) -> None:
    active = [facts for facts in view.facts.values() if facts.active]
    counts = {
        "replicas": len(active),
        "fullyLabeledReplicas": sum(1 for f in active if f.fully_labeled),
        "readyReplicas": sum(1 for f in active if f.ready),
        "availableReplicas": sum(1 for f in active if f.available),
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
                                               "pods": _sets_of_pod}, sync_key, resync=_not_at_rest,
                                observe=_observe)
