"""Garbage collector: dependents follow their owners (background, foreground and orphan deletion).

An object whose ownerReferences all name owners that no longer exist is deleted; one that keeps a
live owner only loses the dangling references. An owner with the foregroundDeletion finalizer waits
until its blocking dependents are gone; one with the orphan finalizer first frees its dependents.
Source: kubernetes/kubernetes: pkg/controller/garbagecollector/garbagecollector.go (attemptToDeleteItem,
processDeletingDependentsItem, orphanDependents); controllers.md §1.6.
"""

from __future__ import annotations

from minikctl.core import kinds
from minikctl.cluster import Cluster
from minikctl.controllers import common

FOREGROUND = "foregroundDeletion"
ORPHAN = "orphan"


def reconcile(cluster: Cluster) -> None:
    objects = [(kind, obj) for kind in kinds.KINDS if kind.key not in kinds.OUTSIDE_GARBAGE_COLLECTION for obj in cluster.list(kind.key)]
    live = {obj["metadata"].get("uid") for _, obj in objects}
    dependents: dict[str, list[tuple]] = {}
    for kind, obj in objects:
        for reference in obj["metadata"].get("ownerReferences") or ():
            dependents.setdefault(reference.get("uid"), []).append((kind, obj))
    for kind, obj in objects:
        finalizers = obj["metadata"].get("finalizers") or []
        if obj["metadata"].get("deletionTimestamp") and ORPHAN in finalizers:
            _orphan(cluster, kind, obj, dependents.get(obj["metadata"]["uid"], []))
        elif obj["metadata"].get("deletionTimestamp") and FOREGROUND in finalizers:
            _delete_in_foreground(cluster, kind, obj, dependents.get(obj["metadata"]["uid"], []))
    for kind, obj in objects:
        if obj["metadata"].get("ownerReferences"):
            _collect_if_dangling(cluster, kind, obj, live)


def _collect_if_dangling(cluster: Cluster, kind, obj: dict, live: set) -> None:
    if cluster.get(kind.key, obj["metadata"].get("namespace", ""), obj["metadata"]["name"]) is not obj:
        return
    references = obj["metadata"]["ownerReferences"]
    alive = [r for r in references if r.get("uid") in live]
    if not alive:
        if not obj["metadata"].get("deletionTimestamp"):
            common.delete_object(cluster, kind.key, obj)
        return
    if len(alive) != len(references):
        obj["metadata"]["ownerReferences"] = alive
        cluster.update(obj, kind.key)


def _delete_in_foreground(cluster: Cluster, kind, owner: dict, dependents: list[tuple]) -> None:
    """Delete dependents; drop the finalizer once no dependent blocks the owner's deletion."""
    uid = owner["metadata"]["uid"]
    blocking = 0
    for dependent_kind, dependent in dependents:
        if cluster.get(dependent_kind.key, dependent["metadata"].get("namespace", ""), dependent["metadata"]["name"]) is not dependent:
            continue
        if not dependent["metadata"].get("deletionTimestamp"):
            common.delete_object(cluster, dependent_kind.key, dependent,
                                 "Foreground" if _owns_something(dependent) else "Background")
        still_there = cluster.get(dependent_kind.key, dependent["metadata"].get("namespace", ""),
                                  dependent["metadata"]["name"]) is not None
        if still_there and any(r.get("uid") == uid and r.get("blockOwnerDeletion")
                               for r in dependent["metadata"].get("ownerReferences") or ()):
            blocking += 1
    if blocking == 0:
        common.release_finalizer(cluster, kind.key, owner, FOREGROUND)


def _owns_something(obj: dict) -> bool:
    return obj.get("kind") in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob",
                               "ReplicationController")


def _orphan(cluster: Cluster, kind, owner: dict, dependents: list[tuple]) -> None:
    uid = owner["metadata"]["uid"]
    for dependent_kind, dependent in dependents:
        references = [r for r in dependent["metadata"].get("ownerReferences") or () if r.get("uid") != uid]
        if references:
            dependent["metadata"]["ownerReferences"] = references
        else:
            dependent["metadata"].pop("ownerReferences", None)
        cluster.update(dependent, dependent_kind.key)
    common.release_finalizer(cluster, kind.key, owner, ORPHAN)

