"""What the set subcommands share: where a kind keeps its pod spec, and the change-then-report loop
(kubernetes/kubectl pkg/polymorphichelpers/updatepodspec.go, pkg/cmd/set/helper.go CalculatePatches).

An object whose change would be empty prints nothing; problems are reported after the successes.
"""

from __future__ import annotations

import copy
import fnmatch
from typing import Callable

from minikctl import errors
from minikctl.api import server
from minikctl.cli import common, selection
from minikctl.cli.mutation import Reporter, authorize_patch

TEMPLATE_KINDS = ("deployments.apps", "replicasets.apps", "replicationcontrollers", "statefulsets.apps",
                  "daemonsets.apps", "jobs.batch")


def pod_spec(kind, obj: dict) -> dict:
    if kind.key in TEMPLATE_KINDS:
        return obj["spec"].setdefault("template", {}).setdefault("spec", {})
    if kind.key == "cronjobs.batch":
        job = obj["spec"].setdefault("jobTemplate", {}).setdefault("spec", {})
        return job.setdefault("template", {}).setdefault("spec", {})
    if kind.key == "pods":
        return obj["spec"]
    raise errors.CommandError(f"{kind.plural}/{obj['metadata']['name']} the object is not a pod or does not have "
                              f"a pod template: *v1.{kind.kind}")


def selected_containers(spec: dict, pattern: str) -> list[dict]:
    """Containers then init containers whose names match the -c glob (selectContainers)."""
    chosen = [c for c in spec.get("containers") or [] if fnmatch.fnmatchcase(c.get("name", ""), pattern)]
    return chosen + [c for c in spec.get("initContainers") or [] if fnmatch.fnmatchcase(c.get("name", ""), pattern)]


# change(kind, copy of the object, reporter) edits the copy in place and returns the operation word.
Change = Callable[[object, dict, Reporter], str]


def run_changes(ctx, parsed, resources: list[str], change: Change, patch_failure: str = "") -> int:
    """patch_failure prefixes the server's refusal of a patch, as each `kubectl set` wraps it."""
    mode = common.dry_run_mode(parsed["dry-run"])
    if not resources and not parsed["filename"]:
        raise errors.CommandError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if parsed["local"]:  # refused once the subcommand has checked its arguments, as kubectl checks them first
        raise errors.CommandError("--local is not supported by minikctl: it changes objects in its state file")
    output = common.output_format(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    with ctx.transaction(dry_run=mode != "none") as cluster:
        found = selection.collect(ctx, cluster, resources, parsed, "retrieving")
        for target in found.missing:
            reporter.fail(target.not_found())
        for target in found.found:
            _change_one(ctx, cluster, target.kind, target.obj, change, reporter, patch_failure)
    return reporter.finish()


def _change_one(ctx, cluster, kind, obj: dict, change: Change, reporter: Reporter, patch_failure: str) -> None:
    updated = copy.deepcopy(obj)
    try:
        operation = change(kind, updated, reporter)
    except errors.MinikctlError as problem:
        reporter.fail(problem)
        return
    if updated == obj:
        return
    if reporter.dry_run != "client":
        try:
            authorize_patch(ctx, kind, obj)
        except errors.MinikctlError as problem:
            reporter.fail(problem)
            return
        try:
            server.update(cluster, updated)
        except errors.APIError as problem:
            reporter.fail(errors.CommandError(patch_failure + errors.bare_message(problem)) if patch_failure else problem)
            return
    reporter.success(updated, operation)
