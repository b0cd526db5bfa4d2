"""kubectl replace -f: a full update, refused when the manifest's resourceVersion is stale."""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.api import server
from minikctl.core import kinds
from minikctl.cli import builder, common, documents
from minikctl.cli import flags as f
from minikctl.cli.mutation import Reporter, run_visited

SUMMARY = "Replace a resource by file name or stdin."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.DRY_RUN_FLAG,
    documents.VALIDATE_FLAG,
    f.Flag("force", type=f.BOOL, help="If true, immediately remove resources from API and recreate them"),
    f.Flag("save-config", type=f.BOOL, help="Save the object's configuration in the last-applied annotation"),
]


def run(ctx, parsed: f.Parsed) -> int:
    mode = common.dry_run_mode(parsed["dry-run"])
    output = common.output_format(ctx, parsed)
    visited = builder.visit(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    with ctx.transaction(dry_run=mode != "none") as cluster:
        run_visited(reporter, visited, lambda item: _replace(ctx, cluster, item, parsed["force"]), "replacing")
    return reporter.finish()


def _replace(ctx, cluster, item, force: bool) -> tuple[dict, str]:
    item.raise_undecodable()
    obj = copy.deepcopy(item.document.obj)
    kind = kinds.for_object(obj)
    namespace = server.namespace_of(kind, obj, ctx.namespace)
    meta = obj.setdefault("metadata", {})
    if not force and not meta.get("resourceVersion"):
        ctx.authorize("get", kind, namespace, meta.get("name", ""))  # kubectl reads the resourceVersion first
    ctx.authorize("delete" if force else "update", kind, namespace, meta.get("name", ""))
    live = cluster.get(kind.key, namespace, meta.get("name", ""))
    if live is None:
        raise errors.not_found(kind.qualified, meta.get("name", ""))
    item.raise_problem()
    if force:
        server.delete(cluster, kind, namespace, meta["name"])
        ctx.authorize("create", kind, namespace)
        return server.create(cluster, obj, namespace), "replaced"
    wanted = meta.get("resourceVersion")
    if wanted and wanted != live["metadata"]["resourceVersion"]:
        raise errors.conflict(kind.qualified, meta["name"])
    _carry_server_fields(obj, live, namespace if kind.namespaced else "")
    server.update(cluster, obj)
    return obj, "replaced"


def _carry_server_fields(obj: dict, live: dict, namespace: str) -> None:
    """What a PUT cannot change: identity, creation time, generation and status come from the live object."""
    meta = obj["metadata"]
    if namespace:
        meta["namespace"] = namespace
    for field in ("uid", "creationTimestamp", "generation"):
        if field in live["metadata"]:
            meta[field] = live["metadata"][field]
    obj.pop("status", None)
    if "status" in live:
        obj["status"] = live["status"]
