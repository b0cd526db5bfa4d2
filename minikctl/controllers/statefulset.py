"""StatefulSet controller: pods `<set>-<ordinal>` with stable names, claims and ordered rollout.

Follows kubernetes/kubernetes: pkg/controller/statefulset/stateful_set_control.go (the sync:
revisions, create/recreate in ordinal order, condemn from the top, rolling update from the top),
stateful_set_utils.go (identity, storage, status) and stateful_pod_control.go (event texts).
"""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.api import server
from minikctl.core import kinds
from minikctl.api.validation import semantic_causes
from minikctl.cluster import Cluster
from minikctl.controllers import revisions
from minikctl.core.conditions import is_finished, is_running_and_available, is_running_and_ready, is_terminating
from minikctl.core.ownership import controller_ref
from minikctl.controllers import manager
from minikctl.controllers.common import pod_from_template, record_event, record_event_once

KEY = "statefulsets.apps"
COMPONENT = "statefulset-controller"
REVISION_LABEL = "controller-revision-hash"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
PODS = kinds.BY_KEY["pods"]


def sync_key(cluster: Cluster, indexes: manager.Indexes, key: str) -> None:
    """Key: a StatefulSet's namespace/name."""
    namespace, _, name = key.partition("/")
    stateful_set = cluster.get(KEY, namespace, name)
    if stateful_set is None or stateful_set["metadata"].get("deletionTimestamp"):
        return
    sync(cluster, stateful_set, indexes.owned("pods", stateful_set["metadata"]["uid"]))


def _sets_of_claim(indexes: manager.Indexes, change) -> list[str]:
    """A claim named `<template>-<set>-<ordinal>` concerns the StatefulSets of its namespace."""
    namespace = change.obj["metadata"].get("namespace", "")
    return [key for key in indexes.cluster.state.section(KEY).keys() if key.startswith(f"{namespace}/")]


def _every_set(cluster: Cluster, indexes: manager.Indexes) -> list[str]:
    """Sets not at rest (short of ready replicas: a refused create is retried) and those whose pods may
    become available as the clock moves (minReadySeconds)."""
    keys = []
    section = cluster.state.section(KEY)
    for key in section.keys():
        stateful_set = section.get(key)
        status = stateful_set.get("status") or {}
        wanted = int(stateful_set["spec"].get("replicas", 1))
        if b'"minReadySeconds"' in section.raw[key] or status.get("readyReplicas", 0) != wanted \
                or status.get("replicas", 0) != wanted:
            keys.append(key)
    return keys


CONTROLLER = manager.Controller(
    "statefulset",
    {KEY: manager.own_key, "pods": manager.controller_key("StatefulSet"), "persistentvolumeclaims": _sets_of_claim,
     "controllerrevisions.apps": manager.controller_key("StatefulSet")},
    sync_key, resync=_every_set)


# -- one StatefulSet -------------------------------------------------------------------------
def sync(cluster: Cluster, stateful_set: dict, owned_pods: list[dict]) -> None:
    history = revisions.owned_revisions(cluster, stateful_set)
    update_revision, collision_count = ensure_update_revision(cluster, stateful_set, history)
    current_revision = find_current_revision(stateful_set, history, update_revision)
    pods = pods_by_ordinal(stateful_set, owned_pods)
    Sync(cluster, stateful_set, pods, current_revision, update_revision).run()
    remaining = remaining_pods(cluster, owned_pods)
    live = {revision_label(p) for p in remaining}
    status = compute_status(cluster, stateful_set, remaining, current_revision, update_revision, collision_count)
    revisions.truncate_history(cluster, stateful_set, history,
                               live | {status["currentRevision"], status["updateRevision"]})
    write_status(cluster, stateful_set, status)


def ensure_update_revision(cluster: Cluster, stateful_set: dict, history: list[dict]) -> tuple[dict, int]:
    """The revision of the current template, bumping collisionCount while its name is taken."""
    patch = revisions.template_patch(stateful_set)
    collision_count = (stateful_set.get("status") or {}).get("collisionCount") or 0
    labels = dict((stateful_set["spec"]["template"].get("metadata") or {}).get("labels") or {})
    while True:
        hash_value = revisions.history_hash(patch, collision_count)
        revision, collided = revisions.ensure_revision(
            cluster, stateful_set, history, patch, hash_value, {**labels, revisions.HASH_LABEL: hash_value})
        if not collided:
            return revision, collision_count
        collision_count += 1


def find_current_revision(stateful_set: dict, history: list[dict], update_revision: dict) -> dict:
    wanted = (stateful_set.get("status") or {}).get("currentRevision")
    for revision in history:
        if revision["metadata"]["name"] == wanted:
            return revision
    return update_revision


def ordinal_of(stateful_set: dict, pod: dict) -> int | None:
    prefix, _, suffix = pod["metadata"]["name"].rpartition("-")
    if prefix != stateful_set["metadata"]["name"] or not suffix.isdigit():
        return None
    return int(suffix)


def pods_by_ordinal(stateful_set: dict, owned_pods: list[dict]) -> dict[int, dict]:
    pods = {}
    for pod in owned_pods:
        ordinal = ordinal_of(stateful_set, pod)
        if ordinal is not None:
            pods[ordinal] = pod
    return pods


def remaining_pods(cluster: Cluster, owned_pods: list[dict]) -> list[dict]:
    """The owned pods still stored (this sync may have deleted some)."""
    found = (cluster.get("pods", p["metadata"]["namespace"], p["metadata"]["name"]) for p in owned_pods)
    return [p for p in found if p is not None]


def template_of(revision: dict) -> dict:
    template = copy.deepcopy(revision["data"]["spec"]["template"])
    template.pop("$patch", None)
    return template


class Sync:
    """One pass of the StatefulSet sync: every method returns False when the pass must stop and wait."""

    def __init__(self, cluster: Cluster, stateful_set: dict, pods: dict[int, dict], current: dict, update: dict):
        self.cluster = cluster
        self.set = stateful_set
        self.spec = stateful_set["spec"]
        self.name = stateful_set["metadata"]["name"]
        self.namespace = stateful_set["metadata"]["namespace"]
        self.pods = pods
        self.current = current
        self.update = update
        self.monotonic = self.spec.get("podManagementPolicy", "OrderedReady") != "Parallel"
        self.start = (self.spec.get("ordinals") or {}).get("start", 0)
        self.end = self.start + self.spec.get("replicas", 1)

    def run(self) -> None:
        if self.converge_replicas() and self.delete_condemned():
            self.rolling_update()

    def converge_replicas(self) -> bool:
        """Create missing pods and recreate finished ones in ascending ordinal order."""
        for ordinal in range(self.start, self.end):
            pod = self.pods.get(ordinal)
            if pod is None:
                if not self.create_pod(ordinal) or self.monotonic:
                    return False
            elif is_finished(pod) and not is_terminating(pod):
                record_event(self.cluster, self.set, "Warning", "RecreatingFailedPod",
                             f"StatefulSet {self.namespace}/{self.name} is recreating failed Pod "
                             f"{pod['metadata']['name']}", COMPONENT)
                self.delete_pod(pod)
                if self.monotonic:
                    return False
            elif self.monotonic and (is_terminating(pod) or not is_running_and_ready(pod)):
                return False
        return True

    def delete_condemned(self) -> bool:
        """Delete pods beyond the replica count, highest ordinal first (one at a time when ordered)."""
        condemned = sorted((o for o in self.pods if not self.start <= o < self.end), reverse=True)
        for ordinal in condemned:
            pod = self.pods[ordinal]
            if not is_terminating(pod):
                self.release_claims_to_pod(ordinal, pod)
                self.delete_pod(pod)
            if self.monotonic:
                return False
        return True

    def rolling_update(self) -> None:
        """Replace the highest out-of-date pod at or above the partition; wait for unhealthy ones."""
        strategy = self.spec.get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        partition = (strategy.get("rollingUpdate") or {}).get("partition", 0)
        update_name = self.update["metadata"]["name"]
        for ordinal in range(self.end - 1, max(partition, self.start) - 1, -1):
            pod = self.pods.get(ordinal)
            if pod is None:
                return
            if revision_label(pod) != update_name and not is_terminating(pod):
                self.delete_pod(pod)
                return
            if not is_running_and_ready(pod):
                return

    # -- actions -------------------------------------------------------------------------------
    def revision_for(self, ordinal: int) -> dict:
        """Ordinals below a RollingUpdate partition keep the current revision."""
        strategy = self.spec.get("updateStrategy") or {}
        partition = (strategy.get("rollingUpdate") or {}).get("partition", 0)
        if strategy.get("type", "RollingUpdate") == "RollingUpdate" and ordinal < partition:
            return self.current
        return self.update

    def create_pod(self, ordinal: int) -> bool:
        """False when admission refuses the pod, after a FailedCreate event (kubernetes/kubernetes:
        pkg/controller/statefulset/stateful_pod_control.go recordPodEvent)."""
        pod_name = f"{self.name}-{ordinal}"
        if not self.create_claims(ordinal, pod_name):
            return False
        revision = self.revision_for(ordinal)
        template = template_of(revision)
        spec = template.setdefault("spec", {})
        spec["volumes"] = self.volumes_with_claims(ordinal, spec.get("volumes") or [])
        if not spec["volumes"]:
            del spec["volumes"]
        spec["hostname"] = pod_name
        if self.spec.get("serviceName"):
            spec["subdomain"] = self.spec["serviceName"]
        try:
            pod_from_template(self.cluster, self.set, template, name=pod_name, extra_labels={
                REVISION_LABEL: revision["metadata"]["name"], POD_NAME_LABEL: pod_name,
                POD_INDEX_LABEL: str(ordinal)})
        except errors.APIError as refusal:
            record_event_once(self.cluster, self.set, "Warning", "FailedCreate",
                              f"create Pod {pod_name} in StatefulSet {self.name} failed error: {refusal.message}",
                              COMPONENT)
            return False
        record_event(self.cluster, self.set, "Normal", "SuccessfulCreate",
                     f"create Pod {pod_name} in StatefulSet {self.name} successful", COMPONENT)
        return True

    def delete_pod(self, pod: dict) -> None:
        pod_name = pod["metadata"]["name"]
        server.delete(self.cluster, PODS, self.namespace, pod_name)
        record_event(self.cluster, self.set, "Normal", "SuccessfulDelete",
                     f"delete Pod {pod_name} in StatefulSet {self.name} successful", COMPONENT)

    def claim_name(self, template: dict, ordinal: int) -> str:
        return f"{_template_name(template)}-{self.name}-{ordinal}"

    def volumes_with_claims(self, ordinal: int, volumes: list[dict]) -> list[dict]:
        """Each claim template becomes a volume of its name, replacing a same-named template volume."""
        claim_templates = self.spec.get("volumeClaimTemplates") or []
        names = {_template_name(t) for t in claim_templates}
        claim_volumes = [{"name": _template_name(t),
                          "persistentVolumeClaim": {"claimName": self.claim_name(t, ordinal)}}
                         for t in claim_templates]
        return claim_volumes + [v for v in volumes if v.get("name") not in names]

    def create_claims(self, ordinal: int, pod_name: str) -> bool:
        """False when the API server refuses a claim, after a FailedCreate event (kubernetes/kubernetes:
        pkg/controller/statefulset/stateful_pod_control.go recordClaimEvent)."""
        for template in self.spec.get("volumeClaimTemplates") or []:
            name = self.claim_name(template, ordinal)
            claim = self.cluster.get("persistentvolumeclaims", self.namespace, name)
            if claim is not None:
                self.adopt_claim_for_deletion(claim)
                continue
            try:
                self.cluster_create_claim(template, name)
            except errors.APIError as refusal:
                record_event_once(self.cluster, self.set, "Warning", "FailedCreate",
                                  f"create Claim {name} for Pod {pod_name} in StatefulSet {self.name} failed error: "
                                  f"{refusal.message}", COMPONENT)
                return False
            record_event(self.cluster, self.set, "Normal", "SuccessfulCreate",
                         f"create Claim {name} Pod {pod_name} in StatefulSet {self.name} success", COMPONENT)
        return True

    def cluster_create_claim(self, template: dict, name: str) -> None:
        labels = dict((template.get("metadata") or {}).get("labels") or {})
        labels.update((self.spec.get("selector") or {}).get("matchLabels") or {})
        meta: dict = {"name": name, "namespace": self.namespace}
        if labels:
            meta["labels"] = labels
        if (template.get("metadata") or {}).get("annotations"):
            meta["annotations"] = dict(template["metadata"]["annotations"])
        if self.retention("whenDeleted") == "Delete":
            meta["ownerReferences"] = [controller_ref(self.set)]
        claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta,
                 "spec": copy.deepcopy(template.get("spec") or {})}
        causes = semantic_causes(claim, kinds.for_object(claim))
        if causes:  # the API server's words (NewInvalid); kubectl alone prefixes "The "
            listed = causes[0] if len(causes) == 1 else "[" + ", ".join(causes) + "]"
            raise errors.APIError("Invalid", f'PersistentVolumeClaim "{name}" is invalid: {listed}', 422)
        server.create(self.cluster, claim, self.namespace)

    def adopt_claim_for_deletion(self, claim: dict) -> None:
        """With whenDeleted: Delete, a retained claim reused by a new pod gets the set as owner."""
        if self.retention("whenDeleted") != "Delete":
            return
        references = claim["metadata"].setdefault("ownerReferences", [])
        if any(r.get("uid") == self.set["metadata"]["uid"] for r in references):
            return
        references.append(controller_ref(self.set))
        self.cluster.update(claim, "persistentvolumeclaims")

    def release_claims_to_pod(self, ordinal: int, pod: dict) -> None:
        """With whenScaled: Delete, a condemned pod's claims are owned by the pod, so GC removes them."""
        if self.retention("whenScaled") != "Delete":
            return
        reference = {"apiVersion": "v1", "kind": "Pod", "name": pod["metadata"]["name"],
                     "uid": pod["metadata"]["uid"]}
        for template in self.spec.get("volumeClaimTemplates") or []:
            claim = self.cluster.get("persistentvolumeclaims", self.namespace, self.claim_name(template, ordinal))
            if claim is None:
                continue
            references = [r for r in claim["metadata"].get("ownerReferences") or ()
                          if r.get("uid") != self.set["metadata"]["uid"]]
            claim["metadata"]["ownerReferences"] = references + [reference]
            self.cluster.update(claim, "persistentvolumeclaims")

    def retention(self, field: str) -> str:
        return (self.spec.get("persistentVolumeClaimRetentionPolicy") or {}).get(field, "Retain")


def revision_label(pod: dict) -> str:
    return (pod["metadata"].get("labels") or {}).get(REVISION_LABEL, "")


# -- status --------------------------------------------------------------------------------------
def compute_status(cluster: Cluster, stateful_set: dict, pods: list[dict], current: dict, update: dict,
                   collision_count: int) -> dict:
    """StatefulSetStatus from the pods (stateful_set_control.go computeReplicaStatus, completeRollingUpdate)."""
    current_name, update_name = current["metadata"]["name"], update["metadata"]["name"]
    min_ready = stateful_set["spec"].get("minReadySeconds", 0)
    counted = [p for p in pods if (p.get("status") or {}).get("phase")]
    settled = [p for p in counted if not is_terminating(p)]
    status = {
        "observedGeneration": stateful_set["metadata"].get("generation", 1),
        "replicas": len(counted),
        "readyReplicas": sum(1 for p in counted if is_running_and_ready(p)),
        "availableReplicas": sum(1 for p in counted if is_running_and_available(p, min_ready, cluster.now)),
        "currentReplicas": sum(1 for p in settled if revision_label(p) == current_name),
        "updatedReplicas": sum(1 for p in settled if revision_label(p) == update_name),
        "currentRevision": current_name,
        "updateRevision": update_name,
        "collisionCount": collision_count,
    }
    strategy = (stateful_set["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate")
    if strategy == "RollingUpdate" and status["updatedReplicas"] == status["replicas"] == status["readyReplicas"]:
        status["currentReplicas"] = status["updatedReplicas"]
        status["currentRevision"] = update_name
    return status


# Status fields Go omits when zero (`omitempty` in kubernetes/api: apps/v1/types.go).
OMIT_WHEN_ZERO = ("readyReplicas", "currentReplicas", "updatedReplicas", "observedGeneration")


def write_status(cluster: Cluster, stateful_set: dict, status: dict) -> None:
    for field in OMIT_WHEN_ZERO:
        if not status[field]:
            del status[field]
    previous = stateful_set.get("status") or {}
    if "conditions" in previous:
        status["conditions"] = previous["conditions"]
    stateful_set["status"] = status
    cluster.update(stateful_set, KEY)


def _template_name(claim_template: dict) -> str:
    return (claim_template.get("metadata") or {}).get("name") or ""
