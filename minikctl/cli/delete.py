"""kubectl delete (kubernetes/kubectl pkg/cmd/delete/delete.go)."""

from __future__ import annotations

from minikctl import errors
from minikctl.api import server
from minikctl.cli import common, selection
from minikctl.cli import flags as f
from minikctl.cli.common import dry_run_suffix

SUMMARY = "Delete resources by file names, stdin, resources and names, or by resources and label selector."
FLAGS = common.FILENAME_FLAGS + [
    common.SELECTOR_FLAG,
    common.DRY_RUN_FLAG,
    f.Flag("output", "o", help="Output mode. Use \"-o name\" for shorter output (resource/name)."),
    f.Flag("all", type=f.BOOL, help="Delete all resources, in the namespace of the specified resource types."),
    f.Flag("all-namespaces", "A", type=f.BOOL, help="If present, list the requested object(s) across all namespaces."),
    f.Flag("field-selector", help="Selector (field query) to filter on"),
    f.Flag("ignore-not-found", type=f.BOOL, help="Treat \"resource not found\" as a successful delete."),
    f.Flag("cascade", default="background", no_value="background",
           help='Must be "background", "orphan", or "foreground".'),
    f.Flag("grace-period", type=f.INT, default=-1, help="Period of time in seconds given to the resource to terminate gracefully."),
    f.Flag("force", type=f.BOOL, help="If true, immediately remove resources from API and bypass graceful deletion."),
    f.Flag("now", type=f.BOOL, help="If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
    f.Flag("wait", type=f.BOOL, default=True, help="If true, wait for resources to be gone before returning."),
    f.Flag("timeout", type=f.DURATION, default="0s", help="The length of time to wait before giving up on a delete."),
]

NOTHING_GIVEN = ("You must provide one or more resources by argument or filename.\n"
                 "Example resource specifications include:\n"
                 "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.")


def cascade_policy(value: str, env) -> str:
    if value in ("true", "false"):
        replacement = "background" if value == "true" else "orphan"
        env.err(f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with --cascade={replacement}.\n")
        value = replacement
    if value not in server.PROPAGATION:
        raise errors.CommandError(f'invalid cascade value ({value}). Must be "background", "foreground", or "orphan"')
    return server.PROPAGATION[value]


def run(ctx, parsed: f.Parsed) -> int:
    policy = cascade_policy(parsed["cascade"], ctx.env)
    mode = common.dry_run_mode(parsed["dry-run"])
    if parsed["all"] and parsed["selector"]:
        raise errors.CommandError("setting 'all' parameter but found a non empty selector. ")
    if not parsed.args and not parsed["filename"]:
        raise errors.MinikctlError("error: " + NOTHING_GIVEN)
    if parsed["now"] and parsed["grace-period"] != -1:  # kubernetes/kubectl pkg/cmd/delete/delete.go Complete
        raise errors.CommandError("--now and --grace-period cannot be specified together")
    force = parsed["force"] and parsed["grace-period"] == 0
    if force:
        ctx.env.err(FORCE_WARNING + "\n")
    problems: list = []
    with ctx.transaction(dry_run=mode != "none") as cluster:
        entries, read_errors = _entries(ctx, parsed, cluster)
        if entries is None:
            ctx.env.out("No resources found\n")
            return errors.SUCCESS
        for entry in entries:
            if isinstance(entry, errors.MinikctlError):
                problems.append(entry)
                continue
            try:
                ctx.authorize("delete", entry.kind, entry.namespace, entry.name)
                server.delete(cluster, entry.kind, entry.namespace, entry.name, policy)
            except errors.APIError as exc:
                if exc.reason == "NotFound" and parsed["ignore-not-found"]:
                    continue
                problems.append(exc.with_source("deleting", entry.source) if entry.source else exc)
                continue
            _report(ctx, parsed, entry, mode, force)
    if read_errors:
        problems.append(read_errors)
    ctx.env.err(errors.render_all(problems))
    return errors.ERROR if problems else errors.SUCCESS


def _report(ctx, parsed, target: selection.Target, mode: str, force: bool) -> None:
    if parsed["output"] == "name":
        ctx.env.out(target.kind.name_of(target.name) + "\n")
        return
    verb = "force deleted" if force else "deleted"
    ctx.env.out(f'{target.kind.kind_string} "{target.name}" {verb}{dry_run_suffix(mode)}\n')


def _entries(ctx, parsed, cluster) -> tuple[list | None, list]:
    """The objects to delete in order (Targets, none of them read, or a per-object error) and the
    errors reading -f files; None when nothing was selected (kubectl: `No resources found`)."""
    if parsed["filename"]:
        return _file_entries(ctx, parsed)
    targets = list(selection.addresses(ctx, cluster, parsed.args, parsed, "deleting"))
    selecting = parsed["all"] or parsed["selector"] or parsed["field-selector"]
    return (None if selecting and not targets else targets), []


def _file_entries(ctx, parsed) -> tuple[list | None, list]:
    from minikctl.core import kinds
    from minikctl.cli import builder

    visited = builder.visit(ctx, parsed, validate=False)
    entries: list = []
    for entry in visited.entries:
        if isinstance(entry, builder.Item):
            obj = entry.document.obj
            kind = kinds.for_object(obj)
            entry = selection.Target(kind, server.namespace_of(kind, obj, ctx.namespace),
                                     (obj.get("metadata") or {}).get("name", ""), source=entry.document.source)
        entries.append(entry)
    if not entries and not visited.read_errors:
        return None, []
    return entries, list(visited.read_errors)
