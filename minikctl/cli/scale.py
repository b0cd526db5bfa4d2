"""kubectl scale (kubernetes/kubectl pkg/cmd/scale/scale.go, pkg/scale/scale.go)."""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.cli import common, selection
from minikctl.cli import flags as f
from minikctl.cli.mutation import Reporter

SUMMARY = "Set a new size for a deployment, replica set, replication controller, or stateful set."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.SELECTOR_FLAG,
    common.DRY_RUN_FLAG,
    f.Flag("replicas", type=f.INT, default=-1, help="The new desired number of replicas. Required."),
    f.Flag("current-replicas", type=f.INT, default=-1, help="Precondition for current size"),
    f.Flag("resource-version", help="Precondition for resource version"),
    f.Flag("all", type=f.BOOL, help="Select all resources in the namespace of the specified resource types"),
    f.Flag("timeout", type=f.DURATION, default="0s", help="Accepted for compatibility: the reconcile pass is synchronous"),
]
SCALABLE = ("deployments.apps", "replicasets.apps", "replicationcontrollers", "statefulsets.apps")


def run(ctx, parsed: f.Parsed) -> int:
    if parsed["replicas"] < 0:
        raise errors.CommandError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    mode = common.dry_run_mode(parsed["dry-run"])
    selection.require_something_named(parsed.args, parsed)
    output = common.output_format(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    with ctx.transaction(dry_run=mode != "none") as cluster:
        targets = _targets(ctx, parsed, cluster)
        if not targets:
            raise errors.CommandError("no objects passed to scale")
        for target in targets:
            reporter.attempt(lambda t=target: _scale(ctx, cluster, t.kind, t.obj, parsed))
    return reporter.finish()


def _targets(ctx, parsed, cluster) -> list[selection.Target]:
    """Every target, or the first missing name as the error: scale changes nothing unless all exist."""
    targets = []
    for target in selection.select(ctx, cluster, parsed.args, parsed, "scaling"):
        if target.obj is None:
            raise errors.CommandError(f"no objects passed to scale {target.not_found().message}")
        targets.append(target)
    return targets


def _scale(ctx, cluster, kind, obj: dict, parsed) -> tuple[dict, str]:
    if kind.key not in SCALABLE:
        raise errors.APIError("NotFound", f'{kind.qualified} "{obj["metadata"]["name"]}" has no scale subresource: '
                              "only deployments, replicasets, replicationcontrollers and statefulsets scale", 404)
    preconditions = parsed["current-replicas"] >= 0 or parsed["resource-version"]
    for verb in ("get", "update") if preconditions else ("patch",):  # requests on the scale subresource
        ctx.authorize(verb, kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], "scale")
    current = obj["spec"].get("replicas", 1)
    if parsed["current-replicas"] >= 0 and current != parsed["current-replicas"]:
        raise errors.CommandError(f"Expected replicas to be {parsed['current-replicas']}, was {current}")
    wanted_version = parsed["resource-version"]
    if wanted_version and wanted_version != obj["metadata"]["resourceVersion"]:
        raise errors.CommandError(
            f"Expected resource version to be {wanted_version}, was {obj['metadata']['resourceVersion']}")
    updated = copy.deepcopy(obj)
    updated["spec"]["replicas"] = parsed["replicas"]
    cluster.update(updated, kind.key)
    return updated, "scaled"
