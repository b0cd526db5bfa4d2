"""Rollout history of workloads, as kubectl reads it (a library: no printing, no CLI).

Deployments keep history in their ReplicaSets (annotation deployment.kubernetes.io/revision);
StatefulSets and DaemonSets in ControllerRevisions holding the pod template as a strategic merge
patch (kubernetes/kubectl pkg/polymorphichelpers/history.go and rollback.go;
../shared/reference/controllers.md §3.1, §3.3, §3.4).
"""

from __future__ import annotations

import copy

from minikctl.api import merge
from minikctl.core.ownership import is_controlled_by

REVISION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE = "kubernetes.io/change-cause"
TEMPLATE_HASH_LABEL = "pod-template-hash"
REPLICA_SETS = "replicasets.apps"
CONTROLLER_REVISIONS = "controllerrevisions.apps"
# Deployment annotations a rollback keeps from the Deployment rather than taking from the ReplicaSet.
ROLLBACK_KEEPS = ("kubectl.kubernetes.io/last-applied-configuration", REVISION,
                  "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                  "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to")


class HistoryError(ValueError):
    """A revision that cannot be found or rolled back to; the message is kubectl's."""


def revision_number(obj: dict) -> int | None:
    """A ReplicaSet's revision annotation, or None when it is absent or not a number."""
    try:
        return int((obj["metadata"].get("annotations") or {})[REVISION])
    except (KeyError, ValueError):
        return None


def change_cause(obj: dict) -> str:
    return (obj["metadata"].get("annotations") or {}).get(CHANGE_CAUSE, "")


def without_hash(template: dict | None) -> dict:
    """A pod template without the pod-template-hash label (how kubectl compares templates)."""
    template = copy.deepcopy(template or {})
    labels = (template.get("metadata") or {}).get("labels")
    if labels is not None:
        labels.pop(TEMPLATE_HASH_LABEL, None)
    return template


# -- Deployments ------------------------------------------------------------------------------
def deployment_revisions(cluster, deployment: dict) -> dict[int, dict]:
    """revision number -> owned ReplicaSet; sets without a readable revision are left out."""
    history = {}
    for rs in cluster.list(REPLICA_SETS, deployment["metadata"]["namespace"]):
        number = revision_number(rs)
        if is_controlled_by(rs, deployment) and number is not None:
            history[number] = rs
    return history


def deployment_rollback_target(cluster, deployment: dict, to_revision: int) -> dict:
    """The ReplicaSet to roll back to: revision to_revision, or with 0 the one before the latest."""
    history = deployment_revisions(cluster, deployment)
    if to_revision < 0 or (to_revision > 0 and to_revision not in history):
        raise HistoryError(f"unable to find specified revision {to_revision} in history")
    if to_revision > 0:
        return history[to_revision]
    numbers = sorted(history)
    if len(numbers) < 2:
        raise HistoryError(f'no rollout history found for deployment "{deployment["metadata"]["name"]}"')
    return history[numbers[-2]]


def deployment_rollback_annotations(deployment: dict, rs: dict) -> dict:
    """The Deployment's annotations after a rollback: its own bookkeeping plus the set's others."""
    own = deployment["metadata"].get("annotations") or {}
    annotations = {k: own[k] for k in ROLLBACK_KEEPS if k in own}
    annotations.update({k: v for k, v in (rs["metadata"].get("annotations") or {}).items() if k not in ROLLBACK_KEEPS})
    return annotations


# -- StatefulSets and DaemonSets ----------------------------------------------------------------
def controller_revisions(cluster, owner: dict) -> dict[int, dict]:
    """revision number -> ControllerRevision owned by the set."""
    return {r.get("revision", 0): r for r in cluster.list(CONTROLLER_REVISIONS, owner["metadata"]["namespace"])
            if is_controlled_by(r, owner)}


def revision_template(owner: dict, revision: dict) -> dict:
    """The pod template the set would have with the revision applied (applyDaemonSetHistory)."""
    applied = merge.strategic_merge(copy.deepcopy(owner), revision.get("data") or {})
    return (applied.get("spec") or {}).get("template") or {}


def current_patch(owner: dict) -> dict:
    """The set's template as a revision stores it, to compare with a revision's data."""
    template = copy.deepcopy(owner["spec"].get("template") or {})
    template["$patch"] = "replace"
    return {"spec": {"template": template}}


def set_rollback_target(cluster, owner: dict, to_revision: int) -> dict:
    """findHistory: revision to_revision, or with 0 the second highest."""
    history = controller_revisions(cluster, owner)
    if to_revision == 0 and len(history) <= 1:
        raise HistoryError("no last revision to roll back to")
    if to_revision < 0 or (to_revision > 0 and to_revision not in history):
        raise HistoryError(f"unable to find specified revision {to_revision} in history")
    if to_revision > 0:
        return history[to_revision]
    return history[sorted(history)[-2]]
