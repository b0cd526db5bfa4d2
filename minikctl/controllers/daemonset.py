"""DaemonSet controller: one pod per eligible node, pinned by node affinity, rolled node by node.

Follows kubernetes/kubernetes: pkg/controller/daemon/daemon_controller.go (nodeShouldRunDaemonPod,
manage, updateDaemonSetStatus), pkg/controller/daemon/update.go (rollingUpdate, history) and
pkg/controller/daemon/util/daemonset_util.go (tolerations, the metadata.name node affinity).
"""

from __future__ import annotations

import copy
import math

from minikctl import errors
from minikctl.api import server
from minikctl.core import kinds, selectors
from minikctl.api.admission import daemonset_generation
from minikctl.cluster import Cluster
from minikctl.controllers import revisions
from minikctl.core.conditions import is_finished, is_running_and_available, is_running_and_ready, is_terminating
from minikctl.controllers import manager
from minikctl.controllers.common import pod_from_template, record_event, record_event_once
from minikctl.controllers.hashing import pod_template_hash

KEY = "daemonsets.apps"
COMPONENT = "daemonset-controller"
HASH_LABEL = "controller-revision-hash"
GENERATION_LABEL = "pod-template-generation"
TEMPLATE_GENERATION = daemonset_generation.TEMPLATE_GENERATION
PODS = kinds.BY_KEY["pods"]

# Tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations), in that order.
DAEMON_TOLERATIONS = (
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
)
HOST_NETWORK_TOLERATION = ("node.kubernetes.io/network-unavailable", "NoSchedule")


def reconcile(cluster: Cluster) -> None:
    """Sync every DaemonSet (the bootstrap's direct use)."""
    indexes = manager.Indexes(cluster)
    for key in cluster.state.section(KEY).keys():
        sync_key(cluster, indexes, key)


def sync_key(cluster: Cluster, indexes: manager.Indexes, key: str) -> None:
    """Key: a DaemonSet's namespace/name."""
    namespace, _, name = key.partition("/")
    daemon_set = cluster.get(KEY, namespace, name)
    if daemon_set is None or daemon_set["metadata"].get("deletionTimestamp"):
        return
    sync(cluster, daemon_set, cluster.list("nodes"), indexes.owned("pods", daemon_set["metadata"]["uid"]))


def _every_daemon_set(cluster: Cluster, indexes: manager.Indexes) -> list[str]:
    """DaemonSets not at rest (a refused create is retried) and those whose pods may become available
    as the clock moves (minReadySeconds)."""
    keys = []
    section = cluster.state.section(KEY)
    for key in section.keys():
        status = section.get(key).get("status") or {}
        desired = status.get("desiredNumberScheduled", -1)
        if b'"minReadySeconds"' in section.raw[key] or any(
                status.get(field, 0) != desired for field in ("currentNumberScheduled", "numberReady", "numberAvailable")):
            keys.append(key)
    return keys


def _every_daemon_set_on_node_change(indexes: manager.Indexes, change) -> list[str]:
    return indexes.cluster.state.section(KEY).keys()


CONTROLLER = manager.Controller(
    "daemonset",
    {KEY: manager.own_key, "pods": manager.controller_key("DaemonSet"), "nodes": _every_daemon_set_on_node_change,
     "controllerrevisions.apps": manager.controller_key("DaemonSet")},
    sync_key, resync=_every_daemon_set)


# -- placement -------------------------------------------------------------------------------
def daemon_tolerations(spec: dict) -> list[dict]:
    """The template's tolerations plus the daemon ones it does not already have."""
    tolerations = copy.deepcopy(spec.get("tolerations") or [])
    wanted = list(DAEMON_TOLERATIONS) + ([HOST_NETWORK_TOLERATION] if spec.get("hostNetwork") else [])
    for key, effect in wanted:
        if not any(t.get("key") == key and t.get("effect") == effect for t in tolerations):
            tolerations.append({"key": key, "operator": "Exists", "effect": effect})
    return tolerations


def tolerates(tolerations: list[dict], taint: dict) -> bool:
    for toleration in tolerations:
        if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
            continue
        if toleration.get("operator", "Equal") == "Exists":
            if not toleration.get("key") or toleration["key"] == taint.get("key"):
                return True
        elif toleration.get("key") == taint.get("key") and toleration.get("value", "") == taint.get("value", ""):
            return True
    return False


def selects_node(spec: dict, node: dict) -> bool:
    """nodeName, nodeSelector and required node affinity of the template against a node."""
    if spec.get("nodeName") and spec["nodeName"] != node["metadata"]["name"]:
        return False
    labels = node["metadata"].get("labels") or {}
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if required is not None:
        return any(selectors.node_selector_term_matches(term, node) for term in required.get("nodeSelectorTerms") or [])
    return True


def placement(spec: dict, node: dict) -> tuple[bool, bool]:
    """(should run, should continue running): untolerated NoSchedule taints only stop new pods."""
    if not selects_node(spec, node):
        return False, False
    tolerations = daemon_tolerations(spec)
    untolerated = [t for t in (node.get("spec") or {}).get("taints") or ()
                   if t.get("effect") in ("NoSchedule", "NoExecute") and not tolerates(tolerations, t)]
    if any(t["effect"] == "NoExecute" for t in untolerated):
        return False, False
    return not untolerated, True


def target_node(pod: dict) -> str:
    """spec.nodeName, or the node named by the metadata.name affinity before scheduling (GetTargetNodeName)."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in required.get("nodeSelectorTerms") or ():
        for requirement in term.get("matchFields") or ():
            if requirement.get("key") == "metadata.name" and requirement.get("operator") == "In" \
                    and len(requirement.get("values") or []) == 1:
                return requirement["values"][0]
    return ""


def pinned_affinity(affinity: dict | None, node_name: str) -> dict:
    """The template affinity with its required node terms replaced by `metadata.name In [node]`."""
    affinity = copy.deepcopy(affinity or {})
    node_affinity = affinity.setdefault("nodeAffinity", {})
    node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}]}
    return affinity


def oldest_first(pods: list[dict]) -> list[dict]:
    return sorted(pods, key=lambda p: (p["metadata"].get("creationTimestamp", ""), p["metadata"]["name"]))


# -- one DaemonSet ---------------------------------------------------------------------------
def sync(cluster: Cluster, daemon_set: dict, nodes: list[dict], owned_pods: list[dict]) -> None:
    history = revisions.owned_revisions(cluster, daemon_set)
    hash_value, collision_count = ensure_revision(cluster, daemon_set, history)
    by_node: dict[str, list[dict]] = {}
    for pod in owned_pods:
        by_node.setdefault(target_node(pod), []).append(pod)
    daemon = Daemon(cluster, daemon_set, hash_value, owned_pods)
    for node in nodes:
        daemon.manage_node(node, oldest_first(by_node.get(node["metadata"]["name"], [])))
    node_names = {n["metadata"]["name"] for n in nodes}
    for node_name, pods in by_node.items():
        if node_name not in node_names:
            for pod in pods:
                daemon.delete_pod(pod)
    daemon.rolling_update(nodes)
    remaining = current_pods_by_node(cluster, owned_pods, daemon.created)
    live = {(p["metadata"].get("labels") or {}).get(HASH_LABEL) for pods in remaining.values() for p in pods}
    revisions.truncate_history(cluster, daemon_set, history, {revisions.revision_name(daemon_set, h) for h in
                                                              live | {hash_value}})
    write_status(cluster, daemon_set, compute_status(cluster, daemon_set, nodes, remaining, hash_value),
                 collision_count)


def ensure_revision(cluster: Cluster, daemon_set: dict, history: list[dict]) -> tuple[str, int]:
    """The current template's hash and revision `<ds>-<hash>`, bumping collisionCount on a name clash."""
    patch = revisions.template_patch(daemon_set)
    collision_count = (daemon_set.get("status") or {}).get("collisionCount")
    labels = dict((daemon_set["spec"]["template"].get("metadata") or {}).get("labels") or {})
    annotations = daemon_set["metadata"].get("annotations")
    while True:
        hash_value = pod_template_hash(daemon_set["spec"]["template"], collision_count)
        _, collided = revisions.ensure_revision(cluster, daemon_set, history, patch, hash_value,
                                                {**labels, HASH_LABEL: hash_value}, annotations)
        if not collided:
            return hash_value, collision_count or 0
        collision_count = (collision_count or 0) + 1


def current_pods_by_node(cluster: Cluster, owned_pods: list[dict], created: list[dict]) -> dict[str, list[dict]]:
    by_node: dict[str, list[dict]] = {}
    for pod in owned_pods + created:
        stored = cluster.get("pods", pod["metadata"]["namespace"], pod["metadata"]["name"])
        if stored is not None:
            by_node.setdefault(target_node(stored), []).append(stored)
    return {name: oldest_first(pods) for name, pods in by_node.items()}


class Daemon:
    """The actions of one DaemonSet sync (create on a node, delete, roll)."""

    def __init__(self, cluster: Cluster, daemon_set: dict, hash_value: str, owned_pods: list[dict]):
        self.cluster = cluster
        self.owned_pods = owned_pods
        self.set = daemon_set
        self.name = daemon_set["metadata"]["name"]
        self.namespace = daemon_set["metadata"]["namespace"]
        self.template = daemon_set["spec"]["template"]
        self.hash = hash_value
        self.created: list[dict] = []
        self.refused = False  # once admission refuses a pod, no more creates this pass

    def manage_node(self, node: dict, pods: list[dict]) -> None:
        should_run, should_continue = placement(self.template.get("spec") or {}, node)
        node_name = node["metadata"]["name"]
        if not should_continue:
            for pod in pods:
                if not is_terminating(pod):
                    self.delete_pod(pod)
            return
        alive = []
        for pod in pods:
            if is_terminating(pod):
                continue
            if (pod.get("status") or {}).get("phase") == "Failed":
                record_event(self.cluster, self.set, "Warning", "FailedDaemonPod",
                             f"Found failed daemon pod {self.namespace}/{pod['metadata']['name']} on node "
                             f"{node_name}, will try to kill it", COMPONENT)
                self.delete_pod(pod)
            else:
                alive.append(pod)
        if should_run and not alive and not self.refused and not any(is_terminating(p) for p in pods):
            self.create_pod(node_name)
        for extra in alive[1:]:
            self.delete_pod(extra)

    def create_pod(self, node_name: str) -> None:
        """An admission refusal becomes a FailedCreate event (kubernetes/kubernetes:
        pkg/controller/daemon/daemon_controller.go syncNodes, through RealPodControl)."""
        template = copy.deepcopy(self.template)
        spec = template.setdefault("spec", {})
        spec["affinity"] = pinned_affinity(spec.get("affinity"), node_name)
        spec["tolerations"] = daemon_tolerations(spec)
        try:
            pod = pod_from_template(self.cluster, self.set, template, extra_labels={
                HASH_LABEL: self.hash, GENERATION_LABEL: str(template_generation(self.set))})
        except errors.APIError as refusal:
            record_event_once(self.cluster, self.set, "Warning", "FailedCreate", f"Error creating: {refusal.message}",
                              COMPONENT)
            self.refused = True
            return
        self.created.append(pod)
        record_event(self.cluster, self.set, "Normal", "SuccessfulCreate",
                     f"Created pod: {pod['metadata']['name']}", COMPONENT)

    def delete_pod(self, pod: dict) -> None:
        if self.cluster.get("pods", self.namespace, pod["metadata"]["name"]) is None:
            return
        server.delete(self.cluster, PODS, self.namespace, pod["metadata"]["name"])
        record_event(self.cluster, self.set, "Normal", "SuccessfulDelete",
                     f"Deleted pod: {pod['metadata']['name']}", COMPONENT)

    def rolling_update(self, nodes: list[dict]) -> None:
        """Delete old-hash pods: unavailable ones freely, available ones within maxUnavailable."""
        strategy = self.set["spec"].get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        pods_by_node = current_pods_by_node(self.cluster, self.owned_pods, self.created)
        min_ready = self.set["spec"].get("minReadySeconds", 0)
        placements = [(n, placement(self.template.get("spec") or {}, n)) for n in nodes]
        wanted = [n for n, (_, should_continue) in placements if should_continue]
        budget = max_unavailable(strategy, sum(1 for _, (should_run, _) in placements if should_run))
        unavailable, old_available = 0, []
        for node in wanted:
            pods = [p for p in pods_by_node.get(node["metadata"]["name"], []) if not is_terminating(p)]
            if not pods:
                continue
            if not is_running_and_available(pods[-1], min_ready, self.cluster.now):
                unavailable += 1
            for pod in pods:
                if pod_hash(pod) == self.hash:
                    continue
                if is_running_and_available(pod, min_ready, self.cluster.now):
                    old_available.append(pod)
                else:
                    self.delete_pod(pod)
        for pod in old_available[:max(budget - unavailable, 0)]:
            self.delete_pod(pod)


def pod_hash(pod: dict) -> str:
    return (pod["metadata"].get("labels") or {}).get(HASH_LABEL, "")


def template_generation(daemon_set: dict) -> int:
    """The API server's template counter annotation; the generation stands in when it is absent."""
    value = (daemon_set["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION)
    return int(value) if value and value.isdigit() else daemon_set["metadata"].get("generation", 1)


def max_unavailable(strategy: dict, desired: int) -> int:
    """maxUnavailable as a number: a percentage of the desired nodes rounds up; never below 1 without surge."""
    rolling = strategy.get("rollingUpdate") or {}
    value = rolling.get("maxUnavailable", 1)
    if isinstance(value, str) and value.endswith("%"):
        value = math.ceil(desired * int(value[:-1]) / 100)
    surge = rolling.get("maxSurge", 0)
    if not value and not surge:
        return 1
    return int(value)


# -- status --------------------------------------------------------------------------------------
def compute_status(cluster: Cluster, daemon_set: dict, nodes: list[dict], pods_by_node: dict[str, list[dict]],
                   hash_value: str) -> dict:
    """Per-node counts (daemon_controller.go updateDaemonSetStatus): a node's oldest pod speaks for it."""
    min_ready = daemon_set["spec"].get("minReadySeconds", 0)
    spec = daemon_set["spec"]["template"].get("spec") or {}
    desired = current = misscheduled = ready = available = updated = 0
    for node in nodes:
        should_run, _ = placement(spec, node)
        pods = [p for p in pods_by_node.get(node["metadata"]["name"], []) if not is_finished(p)]
        if should_run:
            desired += 1
            if pods:
                current += 1
                ready += is_running_and_ready(pods[0])
                available += is_running_and_available(pods[0], min_ready, cluster.now)
                updated += pod_hash(pods[0]) == hash_value
        elif pods:
            misscheduled += 1
    return {"currentNumberScheduled": current, "desiredNumberScheduled": desired,
            "numberAvailable": available, "numberMisscheduled": misscheduled, "numberReady": ready,
            "numberUnavailable": desired - available,
            "observedGeneration": daemon_set["metadata"].get("generation", 1), "updatedNumberScheduled": updated}


# Status fields Go omits when zero (kubernetes/api: apps/v1/types.go DaemonSetStatus).
OMIT_WHEN_ZERO = ("numberAvailable", "numberUnavailable", "observedGeneration", "updatedNumberScheduled")


def write_status(cluster: Cluster, daemon_set: dict, status: dict, collision_count: int) -> None:
    for field in OMIT_WHEN_ZERO:
        if not status[field]:
            del status[field]
    previous = daemon_set.get("status") or {}
    if collision_count or "collisionCount" in previous:
        status["collisionCount"] = collision_count
    if "conditions" in previous:
        status["conditions"] = previous["conditions"]
    daemon_set["status"] = status
    cluster.update(daemon_set, KEY)
