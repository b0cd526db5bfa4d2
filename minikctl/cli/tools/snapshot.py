"""Importing a real cluster's snapshot (`kubectl get nodes,all,... -A -o yaml`) into a new state.

Objects are created through the API server in an order that puts owners before what they own, so the
uids a real cluster gave them can be mapped to the new ones in ownerReferences: the ReplicaSets then find
their pods, the Deployments their ReplicaSets, and the controllers change nothing that already matches.
Pods keep the node they were bound to; the simulated kubelet starts them there. Status is the
controllers' to compute again, except a Node's, which the API server keeps as sent.
"""

from __future__ import annotations

import ipaddress

from minikctl import errors

SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def read_snapshot(env, filename: str) -> list[dict]:
    from minikctl.api.manifests import read_sources

    return [document.obj for document in read_sources([filename], False, env.stdin, env.cwd)]


def import_objects(cluster, objects: list[dict]) -> dict[str, int]:
    """Create objects (and the namespaces they live in) in a fresh cluster; counts per kind created."""
    from minikctl.auth.policy import add_default_policy
    from minikctl.controllers.volumes import default_storage_class

    known, skipped = _known_objects(objects)
    if skipped:
        cluster.warnings.append(f"Warning: skipped {skipped} objects the control plane derives or minikctl does "
                                "not serve (events, endpoints, leases, unknown kinds)")
    counts: dict[str, int] = {}
    namespaces = sorted({o["metadata"].get("namespace") for _, o in known if o["metadata"].get("namespace")}
                        | set(SYSTEM_NAMESPACES))
    given = {o["metadata"]["name"] for kind, o in known if kind.kind == "Namespace"}
    for name in namespaces:
        if name not in given:
            _create(cluster, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}, {}, counts)
    if not any(kind.kind == "StorageClass" for kind, _ in known):
        _create(cluster, default_storage_class(), {}, counts)
    add_default_policy(cluster)
    uids: dict[str, str] = {}
    for kind, obj in _owners_first(known):
        _create(cluster, _prepared(kind, obj, uids), uids, counts, old_uid=obj["metadata"].get("uid"))
    return counts


def _known_objects(objects: list[dict]) -> tuple[list, int]:
    from minikctl.core import kinds
    from minikctl.cli.tools.state import DERIVED_KINDS

    known, skipped = [], 0
    for obj in objects:
        kind = kinds.for_api_version(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
        if kind is None or kind.key in DERIVED_KINDS or not isinstance(obj.get("metadata"), dict):
            skipped += 1
            continue
        known.append((kind, obj))
    return known, skipped


def _owners_first(known: list) -> list:
    """Namespaces, then nodes, then every object after the objects its ownerReferences name."""
    rank = {"Namespace": 0, "Node": 1}
    by_uid = {obj["metadata"].get("uid"): obj for _, obj in known if obj["metadata"].get("uid")}

    def depth(obj: dict, seen: frozenset = frozenset()) -> int:
        owners = [by_uid[ref.get("uid")] for ref in obj["metadata"].get("ownerReferences") or ()
                  if ref.get("uid") in by_uid and ref.get("uid") not in seen]
        return 1 + max((depth(owner, seen | {ref_uid(owner)}) for owner in owners), default=0)

    return sorted(known, key=lambda pair: (rank.get(pair[0].kind, 2), depth(pair[1])))


def ref_uid(obj: dict) -> str:
    return obj["metadata"].get("uid", "")


def _prepared(kind, obj: dict, uids: dict[str, str]) -> dict:
    """obj as a create request: server-set metadata dropped, owner uids mapped, addresses outside this
    cluster's Service range left for the allocator."""
    import copy

    from minikctl.api.admission.services import SERVICE_CIDR

    request = copy.deepcopy(obj)
    meta = request["metadata"]
    for field in ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink",
                  "deletionTimestamp", "deletionGracePeriodSeconds"):
        meta.pop(field, None)
    references = [dict(ref, uid=uids[ref["uid"]]) for ref in meta.get("ownerReferences") or ()
                  if ref.get("uid") in uids]
    if references:
        meta["ownerReferences"] = references
    else:
        meta.pop("ownerReferences", None)
    if kind.kind == "Service":
        spec = request.get("spec") or {}
        address = spec.get("clusterIP")
        if address and address != "None" and not _inside(address, SERVICE_CIDR):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
    return request


def _inside(address: str, network) -> bool:
    try:
        return ipaddress.ip_address(address) in network
    except ValueError:
        return False


def _create(cluster, obj: dict, uids: dict, counts: dict, old_uid: str | None = None) -> None:
    from minikctl.api import server

    kind = obj.get("kind", "")
    namespace = obj["metadata"].get("namespace") or "default"
    try:
        created = server.create(cluster, obj, namespace)
    except errors.APIError as error:
        raise errors.CommandError(f"cannot import {kind} \"{obj['metadata'].get('name')}\": {error.message}") from None
    if old_uid:
        uids[old_uid] = created["metadata"]["uid"]
    counts[kind] = counts.get(kind, 0) + 1
