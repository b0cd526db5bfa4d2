"""`minikctl state info|export|import|reset`: the state file as a whole, and the way to and from a real cluster.

`export` writes the objects a user made as clean manifests (no server-set fields, no status, nothing a
controller re-creates, none of a fresh cluster's own objects), so `kubectl apply -f` takes them on a
real cluster. `import` builds a new state from what `kubectl get ... -A -o yaml` printed on a real
cluster, nodes and bound pods included, so a drain or rollout can be rehearsed offline. Both go through
the API server's write path like any other command.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from minikctl import errors
from minikctl.cli.tools.session import session

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="Inspect, export, import or reset the state file.")

SYSTEM_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease", "local-path-storage"})
# Kinds whose objects the control plane makes or that describe this machine, never exported or imported.
DERIVED_KINDS = frozenset({"events", "endpoints", "endpointslices.discovery.k8s.io", "leases.coordination.k8s.io",
                           "controllerrevisions.apps", "apiservices.apiregistration.k8s.io"})
SERVER_METADATA = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink",
                   "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences")
SERVER_ANNOTATIONS = ("kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
                      "pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller",
                      "pv.kubernetes.io/provisioned-by", "volume.kubernetes.io/storage-provisioner",
                      "volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/selected-node")
# Fields the API server or a controller fills in, which a real cluster allocates anew.
ALLOCATED_FIELDS = {"Service": ("clusterIP", "clusterIPs"), "PersistentVolumeClaim": ("volumeName",),
                    "Pod": ("nodeName",)}


@app.command(help="Where the state is, its size and format, its clock, and how many objects of each kind it holds.")
def info() -> None:
    from minikctl.core import kinds
    from minikctl.printers.tabwriter import format_rows

    current = session()
    ctx = current.context()
    cluster = ctx.read_cluster()
    status = os.stat(ctx.state_path)
    meta = cluster.meta
    lines = [f"State:            {ctx.state_path}",
             f"Size:             {status.st_size} bytes (mode {status.st_mode & 0o777:04o})",
             f"Resource version: {meta.get('resourceVersion', 0)}",
             f"Seed:             {meta.get('seed', 0)}",
             f"Writes:           {meta.get('transactions', 0)}",
             f"Clock offset:     {meta.get('clockOffsetSeconds', 0)}s", ""]
    rows = [["RESOURCE", "OBJECTS"]]
    for kind in kinds.KINDS:
        count = len(cluster.state.section(kind.key))
        if count:
            rows.append([kind.key, str(count)])
    current.env.out("\n".join(lines) + format_rows(rows))


@app.command(help="Write the objects you made as clean manifests that kubectl apply -f accepts on a real cluster.")
def export(file: Annotated[str, typer.Argument(help="where to write (default: stdout)")] = "-",
           all_namespaces: Annotated[bool, typer.Option("--all-namespaces", "-A",
                                                        help="every namespace (default: the current one)")] = False
           ) -> None:
    from minikctl.core import kinds
    from minikctl.printers.serialize import to_yaml

    current = session()
    ctx = current.context()
    cluster = ctx.read_cluster()
    documents = []
    for kind in kinds.KINDS:
        if kind.key in DERIVED_KINDS:
            continue
        for obj in ctx.listed(cluster, kind, everywhere=all_namespaces):
            if _exported(kind, obj):
                documents.append(to_yaml(clean_manifest(obj)))
    text = "---\n".join(documents)
    if file == "-":
        current.env.out(text)
        return
    with open(current.env.resolve_path(file), "w", encoding="utf-8") as handle:
        handle.write(text)
    current.env.err(f"wrote {len(documents)} objects to {file}\n")


def _exported(kind, obj: dict) -> bool:
    """What a user made: not a controller's child, not a fresh cluster's own object, not machine-bound."""
    meta = obj["metadata"]
    if any(ref.get("controller") for ref in meta.get("ownerReferences") or ()):
        return False
    if kind.kind == "Namespace":
        return meta["name"] not in SYSTEM_NAMESPACES
    if meta.get("namespace") in SYSTEM_NAMESPACES - {"default"}:
        return False
    return not _bootstrapped(kind.kind, meta)


def _bootstrapped(kind: str, meta: dict) -> bool:
    """Objects every cluster has: default RBAC, the default ServiceAccount, kube-root-ca.crt, the kubernetes
    Service, nodes, the default StorageClass, dynamically provisioned volumes."""
    labels, annotations = meta.get("labels") or {}, meta.get("annotations") or {}
    return (labels.get("kubernetes.io/bootstrapping") == "rbac-defaults"
            or meta["name"].startswith(("system:", "kubeadm:"))
            or (kind == "ServiceAccount" and meta["name"] == "default")
            or (kind == "ConfigMap" and meta["name"] == "kube-root-ca.crt")
            or (kind == "Service" and meta["name"] == "kubernetes" and meta.get("namespace") == "default")
            or kind in ("Node", "StorageClass", "PriorityClass")
            or (kind == "PersistentVolume" and "pv.kubernetes.io/provisioned-by" in annotations))


def clean_manifest(obj: dict) -> dict:
    """obj without status, server-set metadata and allocated fields."""
    import copy

    clean = copy.deepcopy(obj)
    clean.pop("status", None)
    meta = clean["metadata"]
    for field in SERVER_METADATA:
        meta.pop(field, None)
    annotations = meta.get("annotations") or {}
    for annotation in SERVER_ANNOTATIONS:
        annotations.pop(annotation, None)
    if "annotations" in meta and not annotations:
        del meta["annotations"]
    spec = clean.get("spec")
    if isinstance(spec, dict):
        for field in ALLOCATED_FIELDS.get(clean.get("kind", ""), ()):
            spec.pop(field, None)
    return clean


@app.command(help="Start over: replace the state with a fresh cluster (MINIKCTL_SEED picks the seed).")
def reset(yes: Annotated[bool, typer.Option("--yes", "-y", help="do not ask")] = False) -> None:
    current = session()
    ctx = current.context()
    if not yes:
        raise errors.CommandError(f'reset replaces every object in "{ctx.state_path}" with a fresh cluster; '
                                  "run it again with --yes to confirm")
    with ctx.transaction(reset=True):
        pass
    current.env.out(f"state reset: {ctx.state_path}\n")


@app.command("import", help="Build a new state from `kubectl get nodes,all,... -A -o yaml` of a real cluster.")
def import_snapshot(filename: Annotated[str, typer.Option("--filename", "-f", help="the snapshot (YAML or JSON)")],
                    force: Annotated[bool, typer.Option(help="replace an existing state")] = False) -> None:
    from minikctl.cli.tools.snapshot import import_objects, read_snapshot

    current = session()
    ctx = current.context()
    if os.path.exists(ctx.state_path) and not force:
        raise errors.CommandError(f'the state "{ctx.state_path}" exists; import builds a new one: pass --force to '
                                  "replace it, or --state to name another")
    objects = read_snapshot(current.env, filename)
    with ctx.transaction(reset=True, empty=True) as cluster:
        counts = import_objects(cluster, objects)
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    current.env.out(f"imported {sum(counts.values())} objects into {ctx.state_path}: {summary}\n")
