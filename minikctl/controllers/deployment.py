"""Deployment controller: one ReplicaSet per pod template, rolled out step by step.

Each sync takes one bounded step (scale one side, then return), as the real controller does, so
running the loop to a fixed point replays the real sequence of ScalingReplicaSet events.
Sources: kubernetes/kubernetes: pkg/controller/deployment/{sync.go, rolling.go, recreate.go,
progress.go, util/deployment_util.go}.
"""

from __future__ import annotations

import copy
import math

from minikctl.core import selectors
from minikctl.cluster import Cluster
from minikctl.core import clock, ownership
from minikctl.core.conditions import condition, is_finished
from minikctl.controllers import common, manager
from minikctl.controllers.hashing import TEMPLATE_HASH_LABEL, pod_template_hash

COMPONENT = "deployment-controller"
KEY = "deployments.apps"
RS_KEY = "replicasets.apps"
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
# Deployment annotations never copied onto its ReplicaSets (deployment_util.go skipCopyAnnotation).
NOT_COPIED = {"kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
              MAX_REPLICAS, "deprecated.deployment.rollback.to"}
REVISION_HISTORY_MAX_LENGTH = 2000



def reconcile(cluster: Cluster) -> None:
    """Sync every Deployment (the bootstrap's direct use)."""
    indexes = manager.Indexes(cluster)
    for key in cluster.state.section(KEY).keys():
        sync(cluster, indexes, key)


def sync(cluster: Cluster, indexes: manager.Indexes, key: str) -> None:
    namespace, _, name = key.partition("/")
    deployment = cluster.get(KEY, namespace, name)
    if deployment is not None:
        Sync(cluster, indexes, deployment).run()


class Sync:
    """One sync of one Deployment (syncDeployment)."""

    def __init__(self, cluster: Cluster, indexes: manager.Indexes, deployment: dict):
        self.cluster = cluster
        self.indexes = indexes
        self.deployment = deployment
        self.spec = deployment["spec"]
        self.name = deployment["metadata"]["name"]
        self.desired = int(self.spec.get("replicas", 1))
        self.sets = self._claim(indexes.owned(RS_KEY, deployment["metadata"]["uid"]))
        self.new = self._find_new()

    # -- ownership -------------------------------------------------------------------------
    def _claim(self, owned: list[dict]) -> list[dict]:
        namespace = self.deployment["metadata"]["namespace"]
        selector = self.spec.get("selector")
        sets = list(owned)
        if self.deployment["metadata"].get("deletionTimestamp"):
            return sets
        for rs in self.indexes.orphans(RS_KEY, namespace):
            if selectors.selector_matches(selector, rs["metadata"].get("labels")):
                rs["metadata"].setdefault("ownerReferences", []).append(ownership.controller_ref(self.deployment))
                self.cluster.update(rs, RS_KEY)
                sets.append(rs)
        return sorted(sets, key=lambda rs: (rs["metadata"].get("creationTimestamp", ""), rs["metadata"]["name"]))

    def _find_new(self) -> dict | None:
        """The oldest ReplicaSet whose template equals ours, ignoring pod-template-hash."""
        wanted = _without_hash(self.spec.get("template"))
        return next((rs for rs in self.sets if _without_hash(rs["spec"].get("template")) == wanted), None)

    @property
    def olds(self) -> list[dict]:
        return [rs for rs in self.sets if rs is not self.new]

    # -- the sync --------------------------------------------------------------------------
    def run(self) -> None:
        if self.deployment["metadata"].get("deletionTimestamp"):
            return self._write_status()
        if self.spec.get("paused"):
            self._set_progressing("Unknown", "DeploymentPaused", "Deployment is paused", keep_deadline=True)
            self._scale_proportionally()
            self._cleanup()
            return self._write_status()
        self._note_resume()
        if self._is_scaling_event():
            self._scale_proportionally()
            return self._write_status()
        if self.new is None and self._strategy_type() == "Recreate" and not self._recreate_may_create():
            self._scale_olds_to_zero()
            return self._write_status()
        self._ensure_new()
        stepped = (self._recreate_step() if self._strategy_type() == "Recreate" else self._rolling_step())
        if not stepped and self._is_complete():
            self._cleanup()
        self._write_status()

    def _strategy_type(self) -> str:
        return (self.spec.get("strategy") or {}).get("type", "RollingUpdate")

    def _is_scaling_event(self) -> bool:
        """Some active set was sized for another spec.replicas (sync.go isScalingEvent)."""
        for rs in self._active():
            desired = (rs["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS)
            if desired is not None and desired != str(self.desired):
                return True
        return False

    def _active(self) -> list[dict]:
        return [rs for rs in self.sets if int(rs["spec"].get("replicas", 0)) > 0]

    # -- new ReplicaSet --------------------------------------------------------------------
    def _ensure_new(self) -> None:
        if self.new is not None:
            self._sync_revision(self.new)
            return
        collision = (self.deployment.get("status") or {}).get("collisionCount")
        template = copy.deepcopy(self.spec.get("template") or {})
        hash_value = pod_template_hash(template, collision)
        name = f"{self.name}-{hash_value}"
        taken = self.cluster.get(RS_KEY, self.deployment["metadata"]["namespace"], name)
        if taken is not None:
            self.deployment.setdefault("status", {})["collisionCount"] = (collision or 0) + 1
            return
        size = self._new_size(0) if self._strategy_type() == "RollingUpdate" else self.desired
        rs = self._build_new(template, hash_value, name, size)
        self.cluster.create(rs, RS_KEY)
        self.sets.append(rs)
        self.new = rs
        if size > 0:
            self._event(f"Scaled up replica set {name} from 0 to {size}")
        self._set_progressing("True", "NewReplicaSetCreated", f'Created new replica set "{name}"')
        self._set_deployment_revision(rs)

    def _build_new(self, template: dict, hash_value: str, name: str, size: int) -> dict:
        template.setdefault("metadata", {}).setdefault("labels", {})[TEMPLATE_HASH_LABEL] = hash_value
        selector = copy.deepcopy(self.spec.get("selector") or {})
        selector.setdefault("matchLabels", {})[TEMPLATE_HASH_LABEL] = hash_value
        annotations = self._copied_annotations()
        annotations[REVISION] = str(self._max_old_revision() + 1)
        annotations.update(self._scale_annotations())
        spec = {"replicas": size, "selector": selector, "template": template}
        if self.spec.get("minReadySeconds"):
            spec["minReadySeconds"] = self.spec["minReadySeconds"]
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": self.deployment["metadata"]["namespace"],
                             "labels": dict(template["metadata"]["labels"]), "annotations": annotations,
                             "ownerReferences": [ownership.controller_ref(self.deployment)]},
                "spec": spec}

    def _copied_annotations(self) -> dict:
        annotations = self.deployment["metadata"].get("annotations") or {}
        return {k: v for k, v in annotations.items() if k not in NOT_COPIED}

    def _scale_annotations(self) -> dict:
        return {DESIRED_REPLICAS: str(self.desired), MAX_REPLICAS: str(self.desired + self._max_surge())}

    def _max_old_revision(self) -> int:
        return max((_revision(rs) for rs in self.olds), default=0)

    def _sync_revision(self, rs: dict) -> None:
        """Keep the new set's copied annotations and revision current (a rollback raises an old one)."""
        annotations = rs["metadata"].setdefault("annotations", {})
        before = dict(annotations)
        for key in [k for k in annotations if k not in NOT_COPIED]:
            del annotations[key]
        annotations.update(self._copied_annotations())
        old_revision = _revision(rs)
        wanted = self._max_old_revision() + 1
        if old_revision < wanted:
            annotations[REVISION] = str(wanted)
            if old_revision:
                history = [h for h in annotations.get(REVISION_HISTORY, "").split(",") if h] + [str(old_revision)]
                while len(",".join(history)) > REVISION_HISTORY_MAX_LENGTH:
                    history.pop(0)
                annotations[REVISION_HISTORY] = ",".join(history)
        if annotations != before:
            self.cluster.update(rs, RS_KEY)
        self._set_deployment_revision(rs)

    def _set_deployment_revision(self, rs: dict) -> None:
        annotations = self.deployment["metadata"].setdefault("annotations", {})
        annotations[REVISION] = str(_revision(rs))

    # -- scaling -----------------------------------------------------------------------------
    def _scale(self, rs: dict, size: int) -> bool:
        """Resize one set, refresh its scale annotations and record the ScalingReplicaSet event."""
        size = max(0, size)
        old = int(rs["spec"].get("replicas", 0))
        annotations = rs["metadata"].setdefault("annotations", {})
        annotations.update(self._scale_annotations())
        rs["spec"]["replicas"] = size
        if not self.cluster.update(rs, RS_KEY) or old == size:
            return False
        direction = "up" if size > old else "down"
        self._event(f"Scaled {direction} replica set {rs['metadata']['name']} from {old} to {size}")
        return True

    def _new_size(self, current: int) -> int:
        """reconcileNewReplicaSet / NewRSNewReplicas: grow within desired + maxSurge."""
        if current >= self.desired:
            return self.desired
        total = sum(int(rs["spec"].get("replicas", 0)) for rs in self.sets)
        room = self.desired + self._max_surge() - total
        return current + max(0, min(room, self.desired - current))

    def _rolling_step(self) -> bool:
        current = int(self.new["spec"].get("replicas", 0))
        if self._scale(self.new, self._new_size(current)):
            return True
        return self._scale_down_olds()

    def _scale_down_olds(self) -> bool:
        """reconcileOldReplicaSets: drop unhealthy old replicas first, then healthy ones within maxUnavailable."""
        olds = [rs for rs in self.olds if int(rs["spec"].get("replicas", 0)) > 0]
        if not olds:
            return False
        all_pods = sum(int(rs["spec"].get("replicas", 0)) for rs in self.sets)
        min_available = self.desired - self._max_unavailable()
        new_unavailable = int(self.new["spec"].get("replicas", 0)) - _status(self.new, "availableReplicas")
        budget = all_pods - min_available - new_unavailable
        if budget <= 0:
            return False
        stepped = False
        for rs in olds:
            if budget <= 0:
                break
            size = int(rs["spec"].get("replicas", 0))
            unhealthy = max(0, size - _status(rs, "availableReplicas"))
            cut = min(unhealthy, budget)
            if cut and self._scale(rs, size - cut):
                budget -= cut
                stepped = True
        if stepped:
            return True
        available = sum(_status(rs, "availableReplicas") for rs in self.sets)
        budget = available - min_available
        for rs in olds:
            if budget <= 0:
                break
            size = int(rs["spec"].get("replicas", 0))
            cut = min(size, budget)
            if self._scale(rs, size - cut):
                budget -= cut
                stepped = True
        return stepped

    def _recreate_may_create(self) -> bool:
        """Recreate waits until every old pod is gone or finished (recreate.go oldPodsRunning)."""
        if any(int(rs["spec"].get("replicas", 0)) > 0 for rs in self.olds):
            return False
        return all(is_finished(pod) for rs in self.olds for pod in self.indexes.owned("pods", rs["metadata"]["uid"]))

    def _scale_olds_to_zero(self) -> bool:
        stepped = False
        for rs in self.olds:
            if int(rs["spec"].get("replicas", 0)) > 0:
                stepped = self._scale(rs, 0) or stepped
        return stepped

    def _recreate_step(self) -> bool:
        if self._scale_olds_to_zero() or not self._recreate_may_create():
            return True
        return self._scale(self.new, self.desired)

    def _scale_proportionally(self) -> None:
        """sync.go scale(): spread a replicas change over the active sets by their size."""
        active = self._active()
        if self.new is not None and len(active) <= 1:
            target = active[0] if active else self.new
            self._scale(target, self.desired)
            return
        if not active:
            if self.sets:
                self._scale(self.sets[-1], self.desired)
            return
        if len(active) == 1:
            self._scale(active[0], self.desired)
            return
        if self.new is not None and self._new_is_saturated():
            for rs in self.olds:
                self._scale(rs, 0)
            return
        self._spread(active)

    def _new_is_saturated(self) -> bool:
        desired_note = (self.new["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS)
        return (int(self.new["spec"].get("replicas", 0)) == self.desired and desired_note == str(self.desired)
                and _status(self.new, "availableReplicas") == self.desired)

    def _spread(self, active: list[dict]) -> None:
        allowed = self.desired + self._max_surge() if self.desired > 0 else 0
        current_total = sum(int(rs["spec"]["replicas"]) for rs in active)
        to_add = allowed - current_total
        if to_add == 0:
            return
        newer_first = to_add > 0
        ordered = sorted(active, key=lambda rs: (-int(rs["spec"]["replicas"]),
                                                 _age_key(rs, newer_first)))
        sizes: dict[str, int] = {}
        added = 0
        for rs in ordered:
            size = int(rs["spec"]["replicas"])
            base = _max_replicas(rs) or int((self.deployment.get("status") or {}).get("replicas", 0)) or size
            share = round(size * allowed / base) - size if base else 0
            share = min(share, to_add - added) if to_add > 0 else max(share, to_add - added)
            added += share
            sizes[rs["metadata"]["name"]] = size + share
        leftover = to_add - added
        first = ordered[0]["metadata"]["name"]
        sizes[first] += leftover
        for rs in ordered:
            self._scale(rs, max(0, sizes[rs["metadata"]["name"]]))

    # -- cleanup -----------------------------------------------------------------------------
    def _cleanup(self) -> None:
        limit = self.spec.get("revisionHistoryLimit")
        if limit is None:
            return
        candidates = [rs for rs in self.olds if not rs["metadata"].get("deletionTimestamp")]
        excess = len(candidates) - int(limit)
        for rs in sorted(candidates, key=_revision):
            if excess <= 0:
                break
            if int(rs["spec"].get("replicas", 0)) == 0 and _status(rs, "replicas") == 0 and \
                    _status(rs, "observedGeneration") >= rs["metadata"].get("generation", 1):
                common.delete_object(self.cluster, RS_KEY, rs)
                self.sets.remove(rs)
                excess -= 1

    # -- fenceposts --------------------------------------------------------------------------
    def _rolling(self) -> dict:
        return (self.spec.get("strategy") or {}).get("rollingUpdate") or {}

    def _fenceposts(self) -> tuple[int, int]:
        """ResolveFenceposts: surge rounds up, unavailable rounds down; never both zero."""
        if self._strategy_type() != "RollingUpdate":
            return 0, 0
        surge = _resolve(self._rolling().get("maxSurge", "25%"), self.desired, round_up=True)
        unavailable = _resolve(self._rolling().get("maxUnavailable", "25%"), self.desired, round_up=False)
        if surge == 0 and unavailable == 0:
            unavailable = 1
        return surge, min(unavailable, self.desired)

    def _max_surge(self) -> int:
        return self._fenceposts()[0]

    def _max_unavailable(self) -> int:
        return self._fenceposts()[1]

    # -- status and conditions ---------------------------------------------------------------
    def _is_complete(self) -> bool:
        status = self._calculate_status()
        return (self.new is not None and status.get("updatedReplicas", 0) == self.desired
                and status.get("replicas", 0) == self.desired and status.get("availableReplicas", 0) == self.desired)

    def _calculate_status(self) -> dict:
        replicas = sum(_status(rs, "replicas") for rs in self.sets)
        available = sum(_status(rs, "availableReplicas") for rs in self.sets)
        spec_total = sum(int(rs["spec"].get("replicas", 0)) for rs in self.sets)
        counts = {
            "replicas": replicas,
            "updatedReplicas": _status(self.new, "replicas") if self.new else 0,
            "readyReplicas": sum(_status(rs, "readyReplicas") for rs in self.sets),
            "availableReplicas": available,
            "unavailableReplicas": max(0, spec_total - available),
        }
        return {k: v for k, v in counts.items() if v}

    def _write_status(self) -> None:
        previous = self.deployment.get("status") or {}
        status = {"observedGeneration": self.deployment["metadata"].get("generation", 1), **self._calculate_status()}
        if previous.get("collisionCount") is not None:
            status["collisionCount"] = previous["collisionCount"]
        conditions = previous.get("conditions") or []
        status["conditions"] = conditions
        self.deployment["status"] = status
        self._update_available()
        if not self.spec.get("paused"):
            self._update_progress(previous, status)
            self._update_replica_failure()
        if not status["conditions"]:
            del status["conditions"]
        common.write_status(self.cluster, self.deployment, KEY)

    def _update_available(self) -> None:
        status = self.deployment["status"]
        if status.get("availableReplicas", 0) >= self.desired - self._max_unavailable():
            self._change_condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
        else:
            self._change_condition("Available", "False", "MinimumReplicasUnavailable",
                                   "Deployment does not have minimum availability.")

    def _update_replica_failure(self) -> None:
        """progress.go getReplicaFailures: the new ReplicaSet's ReplicaFailure, else an old one's, copied with
        its lastTransitionTime as both times (util.ReplicaSetToDeploymentCondition); removed when none."""
        failures = [condition(rs, "ReplicaFailure") for rs in ([self.new] if self.new else []) + self.olds]
        failure = next((c for c in failures if c is not None), None)
        conditions = self.deployment["status"]["conditions"]
        if failure is None:
            conditions[:] = [c for c in conditions if c["type"] != "ReplicaFailure"]
            return
        self._change_condition("ReplicaFailure", failure["status"], failure["reason"], failure.get("message", ""),
                               failure.get("lastTransitionTime"))

    def _change_condition(self, condition_type: str, status: str, reason: str, message: str,
                          since: str | None = None) -> None:
        """util.SetDeploymentCondition: nothing to do while status and reason hold; otherwise the condition moves
        to the end."""
        current = condition(self.deployment, condition_type)
        if current is None or (current["status"], current["reason"]) != (status, reason):
            self._set_condition(condition_type, status, reason, message, since=since)

    def _update_progress(self, previous: dict, status: dict) -> None:
        """progress.go syncRolloutStatus."""
        if self.spec.get("progressDeadlineSeconds") is None:
            return
        subject = f'ReplicaSet "{self.new["metadata"]["name"]}"' if self.new else f'Deployment "{self.name}"'
        current = condition(self.deployment, "Progressing")
        if status.get("replicas", 0) == status.get("updatedReplicas", 0) and current is not None \
                and current.get("reason") == "NewReplicaSetAvailable":
            return  # a complete rollout resyncing: no progress to estimate (isCompleteDeployment)
        if self._is_complete() and status.get("observedGeneration", 0) >= self.deployment["metadata"].get("generation", 1):
            self._set_progressing("True", "NewReplicaSetAvailable", f"{subject} has successfully progressed.")
        elif _made_progress(previous, status):
            self._set_progressing("True", "ReplicaSetUpdated", f"{subject} is progressing.", refresh=True)
        elif current is None and self.new is not None:
            self._set_progressing("True", "FoundNewReplicaSet", f'Found new replica set "{self.new["metadata"]["name"]}"')
        elif current is not None and current.get("reason") != "NewReplicaSetAvailable" and \
                clock.seconds_since(self.cluster.now, current.get("lastUpdateTime")) > int(self.spec["progressDeadlineSeconds"]):
            self._set_progressing("False", "ProgressDeadlineExceeded", f"{subject} has timed out progressing.")

    def _note_resume(self) -> None:
        current = condition(self.deployment, "Progressing")
        if current is not None and current.get("reason") == "DeploymentPaused":
            self._set_progressing("Unknown", "DeploymentResumed", "Deployment is resumed")

    def _set_progressing(self, status: str, reason: str, message: str, refresh: bool = False,
                         keep_deadline: bool = False) -> None:
        """Progressing is removed and re-appended on change, keeping lastTransitionTime while the status holds."""
        if self.spec.get("progressDeadlineSeconds") is None:
            return
        current = condition(self.deployment, "Progressing")
        if keep_deadline and current is not None and current.get("reason") == "ProgressDeadlineExceeded":
            return
        if current is not None and current.get("status") == status and current.get("reason") == reason \
                and current.get("message") == message and not refresh:
            return
        self._set_condition("Progressing", status, reason, message)

    def _set_condition(self, condition_type: str, status: str, reason: str, message: str,
                       since: str | None = None) -> None:
        """Filter the condition out and append it (util.SetDeploymentCondition), keeping lastTransitionTime while
        the status holds; an identical condition stays where it is."""
        conditions = self.deployment.setdefault("status", {}).setdefault("conditions", [])
        now = since or self.cluster.timestamp
        current = next((c for c in conditions if c["type"] == condition_type), None)
        transition = current["lastTransitionTime"] if current is not None and current["status"] == status else now
        entry = {"type": condition_type, "status": status, "reason": reason, "message": message,
                 "lastUpdateTime": now, "lastTransitionTime": transition}
        if current is not None and all(current.get(k) == v for k, v in entry.items()):
            return
        if current is not None:
            conditions.remove(current)
        conditions.append(entry)

    def _event(self, message: str) -> None:
        common.record_event(self.cluster, self.deployment, "Normal", "ScalingReplicaSet", message, COMPONENT)


def _made_progress(previous: dict, status: dict) -> bool:
    """util.DeploymentProgressing: more updated, fewer old, more ready or more available replicas."""
    def old(s: dict) -> int:
        return s.get("replicas", 0) - s.get("updatedReplicas", 0)
    return (status.get("updatedReplicas", 0) > previous.get("updatedReplicas", 0) or old(status) < old(previous)
            or status.get("readyReplicas", 0) > previous.get("readyReplicas", 0)
            or status.get("availableReplicas", 0) > previous.get("availableReplicas", 0))


def _resolve(value, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    text = str(value)
    if text.endswith("%"):
        scaled = int(text[:-1]) * total / 100
        return math.ceil(scaled) if round_up else math.floor(scaled)
    return int(text)


def _without_hash(template: dict | None) -> dict:
    template = copy.deepcopy(template or {})
    labels = (template.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(TEMPLATE_HASH_LABEL, None)
    return template


def _revision(rs: dict) -> int:
    try:
        return int((rs["metadata"].get("annotations") or {}).get(REVISION, 0))
    except ValueError:
        return 0


def _max_replicas(rs: dict) -> int:
    try:
        return int((rs["metadata"].get("annotations") or {}).get(MAX_REPLICAS, 0))
    except ValueError:
        return 0


def _status(rs: dict | None, field: str) -> int:
    return int(((rs or {}).get("status") or {}).get(field, 0))


def _age_key(rs: dict, newer_first: bool) -> tuple:
    created = rs["metadata"].get("creationTimestamp", "")
    name = rs["metadata"]["name"]
    if newer_first:
        return tuple(-ord(c) for c in created), name
    return tuple(ord(c) for c in created), name


# -- what queues a Deployment ----------------------------------------------------------------------
def _deployments_of_set(indexes: manager.Indexes, change) -> list[str]:
    """The set's controller; for an orphan set, every Deployment of its namespace whose selector matches it."""
    rs = change.obj
    namespace = rs["metadata"].get("namespace", "")
    reference = ownership.controller_of(rs)
    if reference is not None:
        return [f"{namespace}/{reference.get('name', '')}"] if reference.get("kind") == "Deployment" else []
    if change.deleted or rs["metadata"].get("deletionTimestamp"):
        return []
    labels = rs["metadata"].get("labels")
    return [f"{namespace}/{d['metadata']['name']}" for d in indexes.in_namespace(KEY, namespace)
            if selectors.selector_matches(d["spec"].get("selector"), labels)]


def _deployment_of_deleted_pod(indexes: manager.Indexes, change) -> list[str]:
    """A Recreate rollout waits for old pods to go: a pod's deletion queues its set's Deployment
    (deployment_controller.go deletePod)."""
    if not change.deleted:
        return []
    reference = ownership.controller_of(change.obj)
    if reference is None or reference.get("kind") != "ReplicaSet":
        return []
    namespace = change.obj["metadata"].get("namespace", "")
    rs = indexes.cluster.get(RS_KEY, namespace, reference.get("name", ""))
    owner = ownership.controller_of(rs) if rs is not None else None
    return [f"{namespace}/{owner.get('name', '')}"] if owner and owner.get("kind") == "Deployment" else []


def _every_deployment(cluster: Cluster, indexes: manager.Indexes) -> list[str]:
    """Progress deadlines and minReadySeconds move with the clock: each pass looks at every Deployment
    once (their number is small next to pods; a requeue-after, in client-go's words)."""
    return cluster.state.section(KEY).keys()


CONTROLLER = manager.Controller("deployment", {KEY: manager.own_key, RS_KEY: _deployments_of_set,
                                               "pods": _deployment_of_deleted_pod}, sync, resync=_every_deployment)
