"""ControllerRevisions: the template history StatefulSets and DaemonSets keep.

A revision stores the pod template as a patch `{"spec": {"template": {..., "$patch": "replace"}}}`
(kubernetes/kubernetes: pkg/controller/statefulset/stateful_set_utils.go getPatch and
pkg/controller/daemon/update.go getPatch), is named `<owner>-<hash>`, carries a `revision` number
one above the highest existing one, and is owned by its set (pkg/controller/history/controller_history.go).
"""

from __future__ import annotations

import copy
import json

from minikctl.cluster import Cluster
from minikctl.core.ownership import controller_ref, is_controlled_by
from minikctl.controllers.hashing import safe_encode_string

KEY = "controllerrevisions.apps"
HASH_LABEL = "controller.kubernetes.io/hash"
FNV32_OFFSET_BASIS = 0x811C9DC5
FNV32_PRIME = 0x01000193


def template_patch(owner: dict) -> dict:
    template = copy.deepcopy(owner["spec"].get("template") or {})
    template["$patch"] = "replace"
    return {"spec": {"template": template}}


def patch_bytes(patch: dict) -> bytes:
    """The patch as Go's json.Marshal writes a map: sorted keys, compact."""
    return json.dumps(patch, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fnv1_32(data: bytes) -> int:
    """FNV-1 (multiply, then xor), the variant HashControllerRevision uses (not FNV-1a)."""
    value = FNV32_OFFSET_BASIS
    for byte in data:
        value = ((value * FNV32_PRIME) & 0xFFFFFFFF) ^ byte
    return value


def history_hash(patch: dict, collision_count: int | None) -> str:
    """HashControllerRevision: FNV-1 over the patch bytes plus the decimal collision count."""
    data = patch_bytes(patch)
    if collision_count is not None:
        data += str(collision_count).encode()
    return safe_encode_string(str(fnv1_32(data)))


def revision_name(owner: dict, hash_value: str) -> str:
    return f"{owner['metadata']['name'][:223]}-{hash_value}"


def owned_revisions(cluster: Cluster, owner: dict) -> list[dict]:
    """The owner's revisions, oldest (lowest revision number) first."""
    revisions = [r for r in cluster.list(KEY, owner["metadata"]["namespace"]) if is_controlled_by(r, owner)]
    return sorted(revisions, key=lambda r: (r.get("revision", 0), r["metadata"]["name"]))


def ensure_revision(cluster: Cluster, owner: dict, revisions: list[dict], patch: dict, hash_value: str,
                    labels: dict, annotations: dict | None = None) -> tuple[dict, bool]:
    """The revision holding patch: reused if one has the same data, else created as the newest.

    A reused revision that is not the newest is renumbered to the top, as a rollback does. Returns
    (revision, collided): collided is True when the name is taken by a revision with other data, and
    the caller must bump collisionCount and try again with a new hash.
    """
    next_number = max((r.get("revision", 0) for r in revisions), default=0) + 1
    for revision in revisions:
        if revision.get("data") == patch:
            if revision is not revisions[-1]:
                revision["revision"] = next_number
                cluster.update(revision, KEY)
                revisions.sort(key=lambda r: (r.get("revision", 0), r["metadata"]["name"]))
            return revision, False
    name = revision_name(owner, hash_value)
    if cluster.get(KEY, owner["metadata"]["namespace"], name) is not None:
        return {}, True
    meta: dict = {"name": name, "namespace": owner["metadata"]["namespace"], "labels": labels,
                  "ownerReferences": [controller_ref(owner)]}
    if annotations:
        meta["annotations"] = dict(annotations)
    revision = cluster.create({"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": meta,
                               "data": patch, "revision": next_number}, KEY)
    revisions.append(revision)
    return revision, False


def truncate_history(cluster: Cluster, owner: dict, revisions: list[dict], live_names: set[str]) -> None:
    """Delete the oldest revisions no pod or status uses beyond spec.revisionHistoryLimit."""
    limit = owner["spec"].get("revisionHistoryLimit", 10)
    unused = [r for r in revisions if r["metadata"]["name"] not in live_names]
    for revision in unused[:max(len(unused) - limit, 0)]:
        cluster.remove(KEY, revision["metadata"]["namespace"], revision["metadata"]["name"])
