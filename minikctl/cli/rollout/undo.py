"""kubectl rollout undo (kubernetes/kubectl pkg/cmd/rollout/rollout_undo.go, pkg/polymorphichelpers/rollback.go).

Deployments get the target ReplicaSet's template (without pod-template-hash) and its annotations;
StatefulSets and DaemonSets get the ControllerRevision's patch. The controllers then roll out as
for any template change, and the reused ReplicaSet takes the next revision number.
"""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.api import history, merge, server
from minikctl.cli import common
from minikctl.cli import selection
from minikctl.cli.mutation import Reporter, authorize_patch
from minikctl.cli.rollout.template_text import pod_template_text

SET_KINDS = ("statefulsets.apps", "daemonsets.apps")


def run(ctx, parsed, subcommand: str, args: list[str]) -> int:
    selection.require_resources(args, parsed)
    mode = common.dry_run_mode(parsed["dry-run"])
    output = common.output_format(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    with ctx.transaction(dry_run=mode != "none") as cluster:
        found = selection.collect(ctx, cluster, args, parsed, "retrieving", whole_kind=True)
        for target in found.found:
            reporter.attempt(lambda t=target: _undo(ctx, cluster, t.kind, t.obj, parsed["to-revision"], mode))
        for target in found.missing:
            reporter.fail(target.not_found())
    return reporter.finish()


def _undo(ctx, cluster, kind, obj: dict, to_revision: int, mode: str) -> tuple[dict, str]:
    authorize_patch(ctx, kind, obj)
    try:
        if kind.key == "deployments.apps":
            return obj, _undo_deployment(cluster, obj, to_revision, mode)
        if kind.key in SET_KINDS:
            return obj, _undo_set(cluster, obj, to_revision, mode)
    except history.HistoryError as problem:
        raise errors.CommandError(str(problem)) from None
    raise errors.CommandError(f'no rollbacker has been implemented for "{kind.kind}.{kind.group}"'
                              if kind.group else f'no rollbacker has been implemented for "{kind.kind}"')


def _undo_deployment(cluster, deployment: dict, to_revision: int, mode: str) -> str:
    target = history.deployment_rollback_target(cluster, deployment, to_revision)
    if mode == "client":
        return pod_template_text(target["spec"].get("template") or {})
    if deployment["spec"].get("paused"):
        raise errors.CommandError("you cannot rollback a paused deployment; resume it first with "
                                  "'kubectl rollout resume' and try again")
    if history.without_hash(target["spec"].get("template")) == history.without_hash(deployment["spec"].get("template")):
        return f"skipped rollback (current template already matches revision {to_revision})"
    updated = copy.deepcopy(deployment)
    updated["spec"]["template"] = history.without_hash(target["spec"].get("template"))
    updated["metadata"]["annotations"] = history.deployment_rollback_annotations(deployment, target)
    server.update(cluster, updated)
    return "rolled back"


def _undo_set(cluster, owner: dict, to_revision: int, mode: str) -> str:
    target = history.set_rollback_target(cluster, owner, to_revision)
    if mode == "client":
        return "will roll back to " + pod_template_text(history.revision_template(owner, target))
    if history.current_patch(owner) == target.get("data"):
        return f"skipped rollback (current template already matches revision {to_revision})"
    server.update(cluster, merge.strategic_merge(copy.deepcopy(owner), target.get("data") or {}))
    return "rolled back"
