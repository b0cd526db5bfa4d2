"""kubectl rollout history (kubernetes/kubectl pkg/cmd/rollout/rollout_history.go and the history
viewers of pkg/polymorphichelpers/history.go).

The text goes out through kubectl's name printer with the history as its "operation", hence the
`deployment.apps/web ` first line with a trailing space and the empty last line.
"""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.api import history
from minikctl.core import kinds
from minikctl.cli import common
from minikctl.cli import selection
from minikctl.cli.rollout.template_text import pod_template_text
from minikctl.printers.output import render_document

SET_KINDS = ("statefulsets.apps", "daemonsets.apps")


def run(ctx, parsed, subcommand: str, args: list[str]) -> int:
    selection.require_resources(args, parsed)
    output = common.output_format(ctx, parsed)
    cluster = ctx.read_cluster()
    found = selection.collect(ctx, cluster, args, parsed, "retrieving", whole_kind=True)
    for target in found.found:
        entries = _entries(ctx, cluster, target.kind, target.obj)
        if output.name:
            _print_objects(ctx, output, entries, parsed)
        else:
            ctx.env.out(f"{target.kind.name_of(target.name)} {_view(entries, parsed['revision'])}\n")
    for target in found.missing:
        ctx.env.err(target.not_found().render() + "\n")
    return errors.ERROR if found.missing else errors.SUCCESS


def _entries(ctx, cluster, kind, obj: dict) -> dict[int, tuple[dict, dict, str]]:
    """revision -> (stored object, pod template, change cause), from a LIST of ReplicaSets or ControllerRevisions."""
    namespace = obj["metadata"].get("namespace", "")
    if kind.key == "deployments.apps":
        ctx.authorize("list", kinds.for_key("replicasets.apps"), namespace)
        return {number: (rs, rs["spec"].get("template") or {}, history.change_cause(rs))
                for number, rs in history.deployment_revisions(cluster, obj).items()}
    if kind.key in SET_KINDS:
        ctx.authorize("list", kinds.for_key("controllerrevisions.apps"), namespace)
        return {number: (revision, history.revision_template(obj, revision), history.change_cause(revision))
                for number, revision in history.controller_revisions(cluster, obj).items()}
    raise errors.CommandError(f'error retrieving history for "{kind.kind}", no visitor method exists for '
                              f'{{{kind.group} {kind.kind}}}')


def _view(entries: dict, revision: int) -> str:
    if not entries:
        return "\nNo rollout history found."
    if revision > 0:
        if revision not in entries:
            raise errors.CommandError("unable to find the specified revision")
        return f"with revision #{revision}\n" + pod_template_text(_with_cause(*entries[revision][1:]))
    rows = [["REVISION", "CHANGE-CAUSE"]] + [[str(n), entries[n][2] or "<none>"] for n in sorted(entries)]
    return "\n" + _tabbed(rows)


def _with_cause(template: dict, cause: str) -> dict:
    """The history viewer shows a revision's change cause among its template annotations."""
    if not cause:
        return template
    template = copy.deepcopy(template)
    template.setdefault("metadata", {}).setdefault("annotations", {})[history.CHANGE_CAUSE] = cause
    return template


def _tabbed(rows: list[list[str]]) -> str:
    """kubectl's tabbedString: a tab writer with minwidth 0 and padding 2."""
    width = max(len(row[0]) for row in rows) + 2
    return "".join(row[0].ljust(width) + row[1] + "\n" for row in rows)


def _print_objects(ctx, output, entries: dict, parsed) -> None:
    numbers = sorted(entries)
    if parsed["revision"] > 0:
        if parsed["revision"] not in entries:
            raise errors.CommandError("unable to find the specified revision")
        numbers = [parsed["revision"]]
    for index, number in enumerate(numbers):
        if output.name == "yaml" and index:
            ctx.env.out("---\n")
        if output.name == "name":
            stored = entries[number][0]
            ctx.env.out(kinds.for_object(stored).name_of(stored["metadata"]["name"]) + "\n")
        else:
            ctx.env.out(render_document(output, entries[number][0], parsed["allow-missing-template-keys"]))
