"""kubectl apply --prune: after applying, delete what an earlier apply created and this one no longer
contains (kubernetes/kubectl pkg/cmd/apply/prune.go, pkg/util/prune/prune.go).

Candidates are objects of the allowlisted kinds that carry the last-applied annotation and match the
selector (or every one, with --all): namespaced kinds in the namespaces this apply visited, the
others cluster-wide. Objects this apply sent are kept.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import flags as f

FLAGS = [
    f.Flag("prune", type=f.BOOL, help="Automatically delete resource objects that do not appear in the configs and "
                                      "are created by either apply or create --save-config. Should be used with "
                                      "either -l or --all."),
    f.Flag("all", type=f.BOOL, help="Select all resources in the namespace of the specified resource types."),
    f.Flag("prune-allowlist", type=f.ARRAY, help="Overwrite the default allowlist with <group/version/kind> for --prune"),
]
# (group, version, kind) in kubectl's order (kubernetes/kubectl pkg/util/prune/prune.go)
DEFAULT_ALLOWLIST = [
    ("", "v1", "ConfigMap"), ("", "v1", "Endpoints"), ("", "v1", "Namespace"), ("", "v1", "PersistentVolumeClaim"),
    ("", "v1", "PersistentVolume"), ("", "v1", "Pod"), ("", "v1", "ReplicationController"), ("", "v1", "Secret"),
    ("", "v1", "Service"), ("batch", "v1", "Job"), ("batch", "v1", "CronJob"), ("networking.k8s.io", "v1", "Ingress"),
    ("apps", "v1", "DaemonSet"), ("apps", "v1", "Deployment"), ("apps", "v1", "ReplicaSet"),
    ("apps", "v1", "StatefulSet"),
]


def check(parsed) -> None:
    """apply.go Validate's rules for --prune, --all and the selector, before anything is read."""
    if parsed["all"] and parsed["selector"]:
        raise errors.CommandError("cannot set --all and --selector at the same time")
    if not parsed["prune"]:
        if parsed["prune-allowlist"]:
            raise errors.CommandError("--prune-allowlist must be used with --prune")
        return
    if not parsed["all"] and not parsed["selector"]:
        raise errors.CommandError(
            "all resources selected for prune without explicitly passing --all. To prune all resources, pass the "
            "--all flag. If you did not mean to prune all resources, specify a label selector")
    allowlist(parsed)


def allowlist(parsed) -> list:
    """The kinds to prune: --prune-allowlist as group/version/kind (`core` for the core group)."""
    from minikctl.core import kinds

    if not parsed["prune-allowlist"]:
        entries = DEFAULT_ALLOWLIST
    else:
        entries = []
        for text in parsed["prune-allowlist"]:
            parts = text.split("/")
            if len(parts) != 3:
                raise errors.CommandError(f"invalid GroupVersionKind format: {text}, please follow <group/version/kind>")
            entries.append(("" if parts[0] == "core" else parts[0], parts[1], parts[2]))
    found = []
    for group, version, kind_name in entries:
        kind = kinds.for_api_version(f"{group}/{version}" if group else version, kind_name)
        if kind is not None and kind not in found:
            found.append(kind)
    return found


def prune(ctx, cluster, parsed, applied: list[dict], reporter, mode: str) -> None:
    """Delete (or, in a dry run, only report) each candidate, printing `KIND/NAME pruned`."""
    from minikctl.api import server
    from minikctl.api.merge import LAST_APPLIED
    from minikctl.api.selector_parsing import matching

    kept = {(o.get("kind"), o["metadata"].get("namespace", ""), o["metadata"].get("name")) for o in applied}
    namespaces = sorted({o["metadata"].get("namespace", "") for o in applied if o["metadata"].get("namespace")})
    chosen = allowlist(parsed)
    scopes = [(kind, ns) for ns in namespaces for kind in chosen if kind.namespaced]
    scopes += [(kind, None) for kind in chosen if not kind.namespaced]
    for kind, namespace in scopes:
        for obj in matching(cluster.list(kind.key, namespace), kind, parsed["selector"] or ""):
            meta = obj["metadata"]
            if LAST_APPLIED not in (meta.get("annotations") or {}) or meta.get("deletionTimestamp"):
                continue
            if (kind.kind, meta.get("namespace", ""), meta["name"]) in kept:
                continue
            if mode != "client":
                ctx.authorize("delete", kind, meta.get("namespace", ""), meta["name"])
                server.delete(cluster, kind, meta.get("namespace", ""), meta["name"])
            reporter.success({**obj, "apiVersion": kind.api_version, "kind": kind.kind}, "pruned")
