"""kubectl apply view-last-applied and set-last-applied (kubernetes/kubectl
pkg/cmd/apply/apply_view_last_applied.go, apply_set_last_applied.go)."""

from __future__ import annotations

import copy
import json

from minikctl import errors
from minikctl.api import merge, server
from minikctl.core import kinds
from minikctl.cli import common
from minikctl.cli import flags as f

VIEW_FLAGS = common.FILENAME_FLAGS + [
    f.Flag("output", "o", default="yaml", help="Output format. Must be one of (yaml, json)"),
    f.Flag("all", type=f.BOOL, help="Select all resources in the namespace of the specified resource types"),
    common.SELECTOR_FLAG,
]
SET_FLAGS = [
    f.Flag("filename", "f", type=f.SLICE, help="Filename, directory, or URL to files that contains the last-applied-configuration annotations"),
    f.Flag("create-annotation", type=f.BOOL, help="Will create 'last-applied-configuration' annotations if current objects doesn't have one"),
    common.DRY_RUN_FLAG,
] + common.OUTPUT_FLAGS


def view(ctx, parsed: f.Parsed, args: list[str]) -> int:
    """Each selected object's annotation, as YAML (keys sorted) or as the JSON re-indented. An object
    named by TYPE NAME without the annotation is skipped silently, as kubectl's AddSourceToErr drops
    the nil error it is given; one read from a file gets kubectl's odd `<nil>` error."""
    from minikctl.cli import selection

    selection.require_something_named(args, parsed)
    texts: list[str] = []
    cluster = ctx.read_cluster()
    for target in selection.select(ctx, cluster, args, parsed, "retrieving"):
        if target.obj is None:
            raise target.not_found()
        text = (target.obj["metadata"].get("annotations") or {}).get(merge.LAST_APPLIED)
        if text is None:
            if target.source:
                raise errors.CommandError(f"error when no last-applied-configuration annotation found on resource: "
                                          f'{target.name}\n "{target.source}": <nil>')
            continue
        texts.append(text)
    for text in texts:
        ctx.env.out(_render(text, parsed["output"]))
    return errors.SUCCESS


def _render(text: str, output: str) -> str:
    value = json.loads(text)
    if output == "json":
        indented = json.dumps(value, indent=2, ensure_ascii=False).translate(merge._HTML_ESCAPES)
        return indented + text[len(text.rstrip()):]
    if output == "yaml":
        from minikctl.printers import serialize

        return serialize.to_yaml(value)
    raise errors.UsageError(f"Unexpected -o output mode: {output}, the flag 'output' must be one of yaml|json",
                            "apply view-last-applied")


def set_annotation(ctx, parsed: f.Parsed, args: list[str]) -> int:
    """The annotation set to each file object, on the live object; nothing else changes."""
    from minikctl.cli import builder
    from minikctl.cli.mutation import Reporter

    if args:
        raise errors.UsageError(f"Unexpected args: [{' '.join(args)}]", "apply set-last-applied")
    mode = common.dry_run_mode(parsed["dry-run"])
    visited = builder.visit(ctx, parsed, validate=False)
    problems = visited.errors_in_order()
    if problems:
        raise errors.MinikctlError(errors.render_all(problems).rstrip("\n"))
    reporter = Reporter(ctx, common.output_format(ctx, parsed), mode, parsed["allow-missing-template-keys"])
    with ctx.transaction(dry_run=mode != "none") as cluster:
        changes = [_change(ctx, cluster, item.document.obj, parsed["create-annotation"]) for item in visited.items]
        for live, text in changes:
            if text is None:
                ctx.env.out(f"set-last-applied {live['metadata']['name']}: no changes required.\n")
                continue
            live["metadata"].setdefault("annotations", {})[merge.LAST_APPLIED] = text
            if mode != "client":
                ctx.authorize("patch", kinds.for_object(live), live["metadata"].get("namespace", ""),
                              live["metadata"]["name"])
                server.update(cluster, live)
            reporter.success(live, "configured")
    return reporter.finish()


def _change(ctx, cluster, manifest: dict, create: bool) -> tuple[dict, str | None]:
    """(the live object, the new annotation or None when it is already the same); Validate's checks."""
    kind = kinds.for_object(manifest)
    manifest = copy.deepcopy(manifest)
    namespace = server.namespace_of(kind, manifest, ctx.namespace)
    if kind.namespaced:
        manifest.setdefault("metadata", {})["namespace"] = namespace
    name = manifest.get("metadata", {}).get("name", "")
    ctx.authorize("get", kind, namespace, name)
    live = cluster.get(kind.key, namespace, name)
    if live is None:
        raise errors.not_found(kind.qualified, name)
    current = (live["metadata"].get("annotations") or {}).get(merge.LAST_APPLIED)
    if current is None and not create:
        raise errors.CommandError(f"no last-applied-configuration annotation found on resource: {name}, to create "
                                  "the annotation, run the command with --create-annotation")
    wanted = merge.last_applied_annotation(manifest)
    return copy.deepcopy(live), (None if current == wanted else wanted)
