"""kubectl apply -f: client-side apply with the last-applied annotation and a three-way merge."""

from __future__ import annotations

import copy
import json

from minikctl import errors
from minikctl.api import merge, server
from minikctl.core import kinds
from minikctl.cli import apply_prune, builder, common, documents
from minikctl.cli import flags as f
from minikctl.cli.mutation import Reporter
from minikctl.api import hpa_versions

SUMMARY = "Apply a configuration to a resource by file name or stdin."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.DRY_RUN_FLAG,
    documents.VALIDATE_FLAG,
    common.SELECTOR_FLAG,
    f.Flag("server-side", type=f.BOOL, help="If true, apply runs in the server instead of the client"),
    f.Flag("force-conflicts", type=f.BOOL, help="If true, server-side apply will force the changes against conflicts"),
    f.Flag("field-manager", default="kubectl-client-side-apply", help="Name of the manager used to track field ownership"),
    f.Flag("force", type=f.BOOL, help="If true, delete and re-create the resource when a patch fails on a "
                                      "conflict or an invalid (immutable) change"),
    f.Flag("overwrite", type=f.BOOL, default=True, help="Automatically resolve conflicts between the modified and live configuration"),
] + apply_prune.FLAGS

MISSING_ANNOTATION_WARNING = (
    "Warning: resource {res}/{name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation "
    "which is required by kubectl apply. kubectl apply should only be used on resources created declaratively "
    "by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.")


SUBCOMMANDS = ("view-last-applied", "set-last-applied", "edit-last-applied")


def flags_for(args: list[str]) -> list:
    """apply's subcommands each parse their own flags (kubernetes/kubectl pkg/cmd/apply/apply_*.go)."""
    from minikctl.cli import apply_last_applied as last

    if args[:1] == ["view-last-applied"]:
        return last.VIEW_FLAGS
    if args[:1] == ["set-last-applied"]:
        return last.SET_FLAGS
    return FLAGS


def command_path(args: list[str]) -> str:
    return f"apply {args[0]}" if args[:1] and args[0] in SUBCOMMANDS else "apply"


def run(ctx, parsed: f.Parsed) -> int:
    if parsed.args:
        return _subcommand(ctx, parsed)
    mode = common.dry_run_mode(parsed["dry-run"])
    # kubernetes/kubectl pkg/cmd/apply/apply.go ApplyFlags.ToOptions, before the files are read
    if parsed["force-conflicts"] and not parsed["server-side"]:
        raise errors.CommandError("--force-conflicts only works with --server-side")
    if mode == "client" and parsed["server-side"]:
        raise errors.CommandError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)")
    if parsed["force"] and parsed["server-side"]:  # apply.go Validate
        raise errors.CommandError("--force cannot be used with --server-side")
    apply_prune.check(parsed)
    output = common.output_format(ctx, parsed)
    visited = builder.visit(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    # kubernetes/kubectl pkg/cmd/apply/apply.go Run: the builder's errors first, then each object's
    builder_errors = visited.errors_in_order()
    if builder_errors:
        reporter.fail(builder_errors[0] if len(builder_errors) == 1 else builder_errors)
    items = visited.items
    if not items and not builder_errors:
        raise errors.CommandError("no objects passed to apply")
    if mode == "client":
        _apply_all(ctx, ctx.read_cluster(), parsed, items, reporter, mode)
    else:
        with ctx.transaction(dry_run=mode == "server") as cluster:
            _apply_all(ctx, cluster, parsed, items, reporter, mode)
    return reporter.finish()


def _apply_all(ctx, cluster, parsed, items, reporter: Reporter, mode: str) -> None:
    """Each object in turn; then, when everything went through, --prune (apply.go Run, PostProcessorFn)."""
    applied: list[dict] = []

    def one(item) -> tuple[dict, str]:
        obj, operation = _apply_one(ctx, cluster, item, parsed["server-side"], mode)
        applied.append(obj)
        return obj, operation

    for item in items:
        reporter.attempt(lambda i=item: one(i), item.document.source, "creating")
    if parsed["prune"] and not reporter.failures:
        apply_prune.prune(ctx, cluster, parsed, applied, reporter, mode)


def _subcommand(ctx, parsed: f.Parsed) -> int:
    from minikctl.cli import apply_last_applied as last

    name, args = parsed.args[0], parsed.args[1:]
    if name == "view-last-applied":
        return last.view(ctx, parsed, args)
    if name == "set-last-applied":
        return last.set_annotation(ctx, parsed, args)
    if name == "edit-last-applied":
        raise errors.CommandError("apply edit-last-applied is not implemented by minikctl; use "
                                  "`minikctl apply set-last-applied -f FILE` instead")
    raise errors.UsageError(f"Unexpected args: [{' '.join(parsed.args)}]", "apply")


def _apply_one(ctx, cluster, item, server_side: bool, mode: str) -> tuple[dict, str]:
    item.raise_undecodable()
    manifest = copy.deepcopy(item.document.obj)
    kind = kinds.for_object(manifest)
    namespace = server.namespace_of(kind, manifest, ctx.namespace)
    if kind.namespaced:
        manifest.setdefault("metadata", {})["namespace"] = namespace
    annotation = merge.last_applied_annotation(manifest)
    manifest.setdefault("metadata", {}).setdefault("annotations", {})[merge.LAST_APPLIED] = annotation
    manifest = hpa_versions.stored_form(manifest)  # the merge runs in the version the object is stored in
    name = manifest["metadata"].get("name", "")
    if server_side:
        ctx.authorize("patch", kind, namespace, name, step="serverside-applying")
    else:
        ctx.authorize("get", kind, namespace, name, step="retrieving")
    live = cluster.get(kind.key, namespace, name)
    item.raise_problem()
    if live is None:
        if mode == "client":
            return manifest, "serverside-applied" if server_side else "created"
        if not server_side:
            ctx.authorize("create", kind, namespace)
        return server.create(cluster, manifest, namespace), "serverside-applied" if server_side else "created"
    if mode == "client":
        return merge.three_way(live, _last_applied(live), manifest), "configured"
    last = _last_applied(live)
    last = last and hpa_versions.stored_form(last)
    if last is None and merge.LAST_APPLIED not in (live["metadata"].get("annotations") or {}):
        ctx.env.err(MISSING_ANNOTATION_WARNING.format(res=kind.qualified, name=name) + "\n")
    target = merge.three_way(copy.deepcopy(live), last, manifest)
    if not server_side and _patch_is_empty(live, target):
        return live, "unchanged"
    ctx.authorize("patch", kind, namespace, name)
    try:
        server.update(cluster, target)
    except errors.APIError as refused:
        # --force: a conflict or an invalid change (an immutable field) deletes and re-creates the object
        # from the manifest (kubernetes/kubectl pkg/cmd/apply/patcher.go deleteAndCreate)
        if not ctx.parsed.get("force") or refused.reason not in ("Conflict", "Invalid"):
            raise
        ctx.authorize("delete", kind, namespace, name)
        server.delete(cluster, kind, namespace, name)
        ctx.authorize("create", kind, namespace)
        target = server.create(cluster, manifest, namespace)
    # A non-empty patch is "configured" even when the server ignores it (a manifest's
    # `creationTimestamp: null`, kubernetes/kubernetes issue 66450): kubectl reports what it sent.
    return target, "serverside-applied" if server_side else "configured"


def _patch_is_empty(live: dict, target: dict) -> bool:
    """kubectl sends no request at all when the three-way patch is empty (kubectl: pkg/cmd/apply/patcher.go);
    the merged object, once defaulted as the server would, then equals the live one."""
    from minikctl.api import defaults

    defaulted = copy.deepcopy(target)
    defaults.apply_defaults(defaulted)
    return defaulted == live


def _last_applied(live: dict) -> dict | None:
    text = (live["metadata"].get("annotations") or {}).get(merge.LAST_APPLIED)
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
