"""Namespace controller: empty a Terminating namespace, then remove it.

Source: kubernetes/kubernetes: pkg/controller/namespace/deletion/namespaced_resources_deleter.go,
status_condition_utils.go; controllers.md §3.9.
"""

from __future__ import annotations

from collections import Counter

from minikctl.core import kinds
from minikctl.cluster import Cluster
from minikctl.core.conditions import set_condition
from minikctl.controllers import common, manager

COMPONENT = "namespace-controller"
SPEC_FINALIZER = "kubernetes"
# (type, reason, message) while deletion goes well; all with status False.
HEALTHY = (
    ("NamespaceDeletionDiscoveryFailure", "ResourcesDiscovered", "All resources successfully discovered"),
    ("NamespaceDeletionGroupVersionParsingFailure", "ParsedGroupVersions", "All legacy kube types successfully parsed"),
    ("NamespaceDeletionContentFailure", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
    ("NamespaceContentRemaining", "ContentRemoved", "All content successfully removed"),
    ("NamespaceFinalizersRemaining", "ContentHasNoFinalizers", "All content-preserving finalizers finished"),
)


def sync(cluster: Cluster, indexes, name: str) -> None:
    """Key: a namespace's name; a terminating namespace deletes its content, then goes."""
    namespace = cluster.get("namespaces", "", name)
    if namespace is not None and namespace["metadata"].get("deletionTimestamp"):
        _terminate(cluster, namespace)


def _watches() -> dict:
    """The namespace itself, and any deletion of content, which may let a terminating namespace go."""
    watches = {kind.key: _namespace_of_deleted for kind in kinds.KINDS if kind.namespaced}
    watches["namespaces"] = lambda indexes, change: [change.obj["metadata"]["name"]]
    return watches


def _namespace_of_deleted(indexes, change) -> list[str]:
    return [change.obj["metadata"].get("namespace", "")] if change.deleted else []


CONTROLLER = manager.Controller("namespace", _watches(), sync)


def _terminate(cluster: Cluster, namespace: dict) -> None:
    name = namespace["metadata"]["name"]
    remaining: Counter = Counter()
    finalizers: Counter = Counter()
    for kind in kinds.KINDS:
        if not kind.namespaced:
            continue
        for obj in cluster.list(kind.key, name):
            if not obj["metadata"].get("deletionTimestamp"):
                common.delete_object(cluster, kind.key, obj)
            if cluster.get(kind.key, name, obj["metadata"]["name"]) is not None:
                remaining[kind.qualified] += 1
                finalizers.update(obj["metadata"].get("finalizers") or ())
    if not remaining:
        namespace.setdefault("spec", {})["finalizers"] = [
            f for f in namespace["spec"].get("finalizers") or [] if f != SPEC_FINALIZER]
        cluster.remove("namespaces", "", name)
        return
    _report(cluster, namespace, remaining, finalizers)


def _report(cluster: Cluster, namespace: dict, remaining: Counter, finalizers: Counter) -> None:
    conditions = namespace.setdefault("status", {}).setdefault("conditions", [])
    for condition_type, reason, message in HEALTHY:
        status, why, text = "False", reason, message
        if condition_type == "NamespaceContentRemaining":
            status, why = "True", "SomeResourcesRemain"
            text = "Some resources are remaining: " + ", ".join(
                f"{key} has {count} resource instances" for key, count in sorted(remaining.items()))
        elif condition_type == "NamespaceFinalizersRemaining" and finalizers:
            status, why = "True", "SomeFinalizersRemain"
            text = "Some content in the namespace has finalizers remaining: " + ", ".join(
                f"{finalizer} in {count} resource instances" for finalizer, count in sorted(finalizers.items()))
        set_condition(conditions, condition_type, status, why, text, cluster.timestamp)
    cluster.update(namespace, "namespaces")
