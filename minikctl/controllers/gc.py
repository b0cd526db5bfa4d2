"""Garbage collector: dependents follow their owners (background, foreground and orphan deletion).

An object whose ownerReferences all name owners that no longer exist is deleted; one that keeps a
live owner only loses the dangling references. An owner with the foregroundDeletion finalizer waits
until its blocking dependents are gone; one with the orphan finalizer first frees its dependents.
Source: kubernetes/kubernetes: pkg/controller/garbagecollector/garbagecollector.go (attemptToDeleteItem,
processDeletingDependentsItem, orphanDependents); controllers.md §1.6.

Keys are "resource|namespace/name". An object with ownerReferences is checked when it is written (its
owners are looked up by kind and name, and their uid compared); a removed object queues its
dependents, found through the dependents index; an owner being deleted with a finalizer queues itself.
"""

from __future__ import annotations

from minikctl.cluster import Cluster
from minikctl.controllers import common, manager
from minikctl.core import kinds

FOREGROUND = "foregroundDeletion"
ORPHAN = "orphan"


def sync(cluster: Cluster, indexes: manager.Indexes, key: str) -> None:
    resource, _, obj_key = key.partition("|")
    namespace, _, name = obj_key.partition("/")
    obj = cluster.get(resource, namespace, name)
    if obj is None:
        return
    kind = kinds.BY_KEY[resource]
    meta = obj["metadata"]
    finalizers = meta.get("finalizers") or []
    if meta.get("deletionTimestamp") and ORPHAN in finalizers:
        _orphan(cluster, kind, obj, indexes.dependents(meta["uid"]))
    elif meta.get("deletionTimestamp") and FOREGROUND in finalizers:
        _delete_in_foreground(cluster, kind, obj, indexes.dependents(meta["uid"]))
    if cluster.get(resource, namespace, name) is obj and meta.get("ownerReferences"):
        _collect_if_dangling(cluster, kind, obj)


def _owner_alive(cluster: Cluster, namespace: str, reference: dict) -> bool:
    kind = kinds.for_api_version(reference.get("apiVersion", ""), reference.get("kind", ""))
    if kind is None:
        return False
    owner = cluster.get(kind.key, namespace if kind.namespaced else "", reference.get("name", ""))
    return owner is not None and owner["metadata"].get("uid") == reference.get("uid")


def _collect_if_dangling(cluster: Cluster, kind, obj: dict) -> None:
    references = obj["metadata"]["ownerReferences"]
    namespace = obj["metadata"].get("namespace", "")
    alive = [r for r in references if _owner_alive(cluster, namespace, r)]
    if not alive:
        if not obj["metadata"].get("deletionTimestamp"):
            common.delete_object(cluster, kind.key, obj)
        return
    if len(alive) != len(references):
        obj["metadata"]["ownerReferences"] = alive
        cluster.update(obj, kind.key)


def _delete_in_foreground(cluster: Cluster, kind, owner: dict, dependents: list[tuple[str, dict]]) -> None:
    """Delete dependents; drop the finalizer once no dependent blocks the owner's deletion."""
    uid = owner["metadata"]["uid"]
    blocking = 0
    for resource, dependent in dependents:
        if not dependent["metadata"].get("deletionTimestamp"):
            common.delete_object(cluster, resource, dependent,
                                 "Foreground" if _owns_something(dependent) else "Background")
        still_there = cluster.get(resource, dependent["metadata"].get("namespace", ""),
                                  dependent["metadata"]["name"]) is not None
        if still_there and any(r.get("uid") == uid and r.get("blockOwnerDeletion")
                               for r in dependent["metadata"].get("ownerReferences") or ()):
            blocking += 1
    if blocking == 0:
        common.release_finalizer(cluster, kind.key, owner, FOREGROUND)


def _owns_something(obj: dict) -> bool:
    return obj.get("kind") in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob",
                               "ReplicationController")


def _orphan(cluster: Cluster, kind, owner: dict, dependents: list[tuple[str, dict]]) -> None:
    uid = owner["metadata"]["uid"]
    for resource, dependent in dependents:
        references = [r for r in dependent["metadata"].get("ownerReferences") or () if r.get("uid") != uid]
        if references:
            dependent["metadata"]["ownerReferences"] = references
        else:
            dependent["metadata"].pop("ownerReferences", None)
        cluster.update(dependent, resource)
    common.release_finalizer(cluster, kind.key, owner, ORPHAN)


def _on_change(indexes: manager.Indexes, change) -> list[str]:
    meta = change.obj["metadata"]
    if change.deleted:
        return [f"{resource}|{_key(dependent)}" for resource, dependent in indexes.dependents(meta.get("uid", ""))]
    wanted = meta.get("ownerReferences") or (meta.get("deletionTimestamp") and meta.get("finalizers"))
    return [f"{change.resource}|{change.key}"] if wanted else []


def _key(obj: dict) -> str:
    return f"{obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}"


CONTROLLER = manager.Controller(
    "garbagecollector",
    {kind.key: _on_change for kind in kinds.KINDS if kind.key not in kinds.OUTSIDE_GARBAGE_COLLECTION},
    sync)
