"""The API server's half of every write: admission, defaults, storage, deletion propagation.

Commands call these functions inside a transaction; controllers then reconcile. Kept free of CLI
concerns so the library can be imported and scripted (sqlite-utils style).
"""

from __future__ import annotations

import base64

from minikctl import errors
from minikctl.api import admission, warnings
from minikctl.api.admission import serviceaccount
from minikctl.core import kinds
from minikctl.core.kinds import Kind
from minikctl.cluster import Cluster

def namespace_of(kind: Kind, obj: dict, default_namespace: str) -> str:
    if not kind.namespaced:
        return ""
    return (obj.get("metadata") or {}).get("namespace") or default_namespace


def check_namespace(cluster: Cluster, kind: Kind, namespace: str, name: str) -> None:
    """A namespaced object needs a namespace that exists and is not being deleted."""
    if not kind.namespaced:
        return
    ns = cluster.get("namespaces", "", namespace)
    if ns is None:
        raise errors.not_found("namespaces", namespace)
    if (ns.get("status") or {}).get("phase") == "Terminating":
        raise errors.forbidden(f'{kind.qualified} "{name}" is forbidden: unable to create new content in namespace '
                               f"{namespace} because it is being terminated")


def prepare_for_storage(cluster: Cluster, kind: Kind, obj: dict, namespace: str) -> dict:
    """Defaults and admission-time mutations for a new object (controllers.md §2)."""
    from minikctl.api import defaults

    meta = obj.setdefault("metadata", {})
    if kind.namespaced:
        meta["namespace"] = namespace
    else:
        meta.pop("namespace", None)
    for field in ("uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp",
                  "deletionGracePeriodSeconds", "selfLink", "managedFields"):
        meta.pop(field, None)
    if kind.key not in _KEEPS_STATUS_ON_CREATE:
        obj.pop("status", None)
    defaults.apply_defaults(obj)
    if kind.kind == "Pod":
        defaults.admit_pod(obj, cluster.random_string)
    return obj


# Kinds whose status a client may set on create (the rest get status from controllers).
_KEEPS_STATUS_ON_CREATE = {"nodes", "events", "persistentvolumes"}


def create(cluster: Cluster, obj: dict, namespace: str) -> dict:
    """Name, admit and store a new object.

    The registry fills a generated name before validating admission runs, so those plugins and their
    refusals see the final name (kubernetes/apiserver: pkg/registry/generic/registry/store.go Create, then
    pkg/registry/rest/create.go BeforeCreate).
    """
    kind = kinds.for_object(obj)
    _to_storage_version(obj)
    meta = obj.setdefault("metadata", {})
    # Namespace lifecycle runs in the mutating phase, before names are generated: its refusal names
    # the generateName prefix (kubernetes/apiserver: pkg/admission/errors.go NewForbidden).
    check_namespace(cluster, kind, namespace, meta.get("name") or meta.get("generateName", ""))
    prepare_for_storage(cluster, kind, obj, namespace)
    serviceaccount.check_account_exists(cluster, kind, obj)
    generated = not meta.get("name") and bool(meta.get("generateName"))
    draws = cluster.rng.getstate() if generated else None
    if generated:
        meta["name"] = _generated_name(cluster, kind, meta)
    try:
        _validate(kind, obj)
        _admit_new(cluster, kind, obj)
    except errors.APIError:
        if generated:
            _remember_refused_name(cluster, kind, meta, draws)
        raise
    uid = cluster.new_uid()
    if kind.kind == "Job":
        from minikctl.api import defaults

        # The Job strategy's PrepareForCreate builds the selector from the uid the registry has just
        # assigned, so the object is stored once, with generation 1 (pkg/registry/batch/job/strategy.go).
        meta["uid"] = uid
        defaults.default_job_after_uid(obj)
    cluster.create(obj, kind.key, uid=uid)
    return obj


def _admit_new(cluster: Cluster, kind: Kind, obj: dict) -> None:
    meta = obj["metadata"]
    if meta.get("name") and cluster.get(kind.key, meta.get("namespace", ""), meta["name"]) is not None:
        raise errors.already_exists(kind.qualified, meta["name"])
    warnings.warn(cluster, obj, None)
    admission.admit(cluster, kind, obj, "CREATE")


def _validate(kind: Kind, obj: dict, old: dict | None = None) -> None:
    """The kind's validation of the defaulted object, then on update its update rules (immutable fields)."""
    from minikctl.api import strategy, validation

    causes = validation.defaulted_causes(obj, kind)
    if old is not None:
        causes += strategy.update_causes(kind.kind, old, obj)
    if causes:
        raise errors.InvalidError(kind.kind, obj["metadata"].get("name", ""), causes)


def _refused_names(cluster: Cluster) -> dict:
    """(resource, namespace, generateName) -> the generated name refused earlier in this transaction."""
    if not hasattr(cluster, "_refused_names"):
        cluster._refused_names = {}
    return cluster._refused_names


def _generated_name(cluster: Cluster, kind: Kind, meta: dict) -> str:
    """A name refused earlier in this transaction is offered again: a controller retrying in the same
    reconcile pass meets the very same refusal, so its FailedCreate is recorded once and the pass settles."""
    refused = _refused_names(cluster).pop((kind.key, meta.get("namespace", ""), meta["generateName"]), None)
    if refused and cluster.get(kind.key, meta.get("namespace", ""), refused) is None:
        return refused
    return cluster.generate_name(kind, meta)


def _remember_refused_name(cluster: Cluster, kind: Kind, meta: dict, draws) -> None:
    """Keep the refused name for a retry, and give the random generator back its draws."""
    _refused_names(cluster)[(kind.key, meta.get("namespace", ""), meta["generateName"])] = meta["name"]
    cluster.rng.setstate(draws)


def update(cluster: Cluster, obj: dict) -> bool:
    """Store a changed version of an existing object (re-applying defaults and admission, as an update does)."""
    from minikctl.api import defaults

    kind = kinds.for_object(obj)
    _to_storage_version(obj)
    defaults.apply_defaults(obj)
    meta = obj["metadata"]
    old = cluster.get(kind.key, meta.get("namespace", ""), meta["name"])
    if old is not None:
        _keep_server_owned_metadata(meta, old["metadata"])
    _validate(kind, obj, old)
    warnings.warn(cluster, obj, old)
    admission.admit(cluster, kind, obj, "UPDATE", old)
    return cluster.update(obj, kind.key)


# What clients cannot change on update (kubernetes/apiserver pkg/registry/rest/update.go
# FillObjectMetaSystemFields on create; BeforeUpdate keeps them).
SERVER_OWNED_METADATA = ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")


def _keep_server_owned_metadata(meta: dict, stored: dict) -> None:
    for field in SERVER_OWNED_METADATA:
        if field in stored:
            meta[field] = stored[field]
        else:
            meta.pop(field, None)


def _to_storage_version(obj: dict) -> None:
    """Objects sent in an older version are converted in place to the version they are stored in."""
    from minikctl.api import hpa_versions

    obj.update(hpa_versions.stored_form(obj))
    _fold_string_data(obj)


def _fold_string_data(obj: dict) -> None:
    """A Secret's write-only stringData is base64-encoded into data, overwriting the same keys
    (kubernetes/kubernetes pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret)."""
    if obj.get("kind") != "Secret" or "stringData" not in obj:
        return
    encoded = {key: base64.b64encode(value.encode()).decode() for key, value in (obj.pop("stringData") or {}).items()}
    if encoded:
        obj["data"] = {**(obj.get("data") or {}), **encoded}


# NamespaceLifecycle admission refuses to delete these (kubernetes/apiserver
# pkg/admission/plugin/namespace/lifecycle/admission.go, immortal namespaces).
IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
PROPAGATION = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}
# Policies the API server hands to the garbage collector as a finalizer (controllers.md §1.6).
PROPAGATION_FINALIZERS = {"Orphan": "orphan", "Foreground": "foregroundDeletion"}


def delete(cluster: Cluster, kind: Kind, namespace: str, name: str, propagation: str = "Background") -> dict:
    """Delete an object; dependents follow through the garbage collector in the reconcile pass."""
    obj = cluster.get(kind.key, namespace, name)
    if obj is None:
        raise errors.not_found(kind.qualified, name)
    meta = obj["metadata"]
    if kind.kind == "Namespace":
        if name in IMMORTAL_NAMESPACES:
            raise errors.forbidden(f'namespaces "{name}" is forbidden: this namespace may not be deleted')
        return _start_namespace_termination(cluster, obj)
    if propagation in PROPAGATION_FINALIZERS and kind.key not in kinds.OUTSIDE_GARBAGE_COLLECTION:
        # The garbage collector finishes the job in the reconcile pass: it frees (orphan) or deletes
        # (foreground) the dependents, then drops the finalizer (controllers/gc.py).
        meta["deletionTimestamp"] = cluster.timestamp
        meta["deletionGracePeriodSeconds"] = 0
        meta["finalizers"] = [f for f in meta.get("finalizers") or () if f != PROPAGATION_FINALIZERS[propagation]]
        meta["finalizers"].append(PROPAGATION_FINALIZERS[propagation])
        cluster.update(obj, kind.key)
        return obj
    if meta.get("finalizers"):
        meta.setdefault("deletionTimestamp", cluster.timestamp)
        cluster.update(obj, kind.key)
        return obj
    cluster.remove(kind.key, namespace, name)
    return obj


def _start_namespace_termination(cluster: Cluster, namespace: dict) -> dict:
    namespace["metadata"].setdefault("deletionTimestamp", cluster.timestamp)
    namespace.setdefault("status", {})["phase"] = "Terminating"
    cluster.update(namespace, "namespaces")
    return namespace
