"""kubectl rollout pause|resume|restart (kubernetes/kubectl pkg/cmd/rollout/rollout_{pause,resume,restart}.go,
pkg/polymorphichelpers/{objectpauser,objectresumer,objectrestarter}.go).

Errors read `<resource> "<name>" <problem>`, reported after the successes, exit 1.
"""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.api import server
from minikctl.cli import common
from minikctl.cli import selection
from minikctl.cli.mutation import Reporter, authorize_patch

RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
RESTARTABLE = ("deployments.apps", "daemonsets.apps", "statefulsets.apps")


def run(ctx, parsed, subcommand: str, args: list[str]) -> int:
    selection.require_resources(args, parsed)
    output = common.output_format(ctx, parsed)
    reporter = Reporter(ctx, output, "none", parsed["allow-missing-template-keys"])
    change = {"pause": _pause, "resume": _resume, "restart": _restart}[subcommand]
    with ctx.transaction() as cluster:
        found = selection.collect(ctx, cluster, args, parsed, "retrieving", whole_kind=True)
        for target in found.missing:
            reporter.fail(target.not_found())
        for target in found.found:
            reporter.attempt(lambda t=target: _apply(ctx, cluster, t.kind, t.obj, change))
    if not found.found and not found.missing:
        ctx.env.err(f"No resources found in {ctx.namespace} namespace.\n")
    return reporter.finish()


def _apply(ctx, cluster, kind, obj: dict, change) -> tuple[dict, str]:
    authorize_patch(ctx, kind, obj)
    updated = copy.deepcopy(obj)
    problem, operation = change(ctx, kind, updated)
    if problem:
        raise errors.CommandError(f'{kind.qualified} "{obj["metadata"]["name"]}" {problem}')
    if operation == "restarted" and updated == obj:
        raise errors.CommandError(f"failed to create patch for {obj['metadata']['name']}: if restart has already "
                                  "been triggered within the past second, please wait before attempting to trigger another")
    server.update(cluster, updated)
    return updated, operation


def _pause(ctx, kind, obj: dict) -> tuple[str, str]:
    if kind.key != "deployments.apps":
        return "pausing is not supported", ""
    if obj["spec"].get("paused"):
        return "is already paused", ""
    obj["spec"]["paused"] = True
    return "", "paused"


def _resume(ctx, kind, obj: dict) -> tuple[str, str]:
    if kind.key != "deployments.apps":
        return "resuming is not supported", ""
    if not obj["spec"].get("paused"):
        return "is not paused", ""
    del obj["spec"]["paused"]
    return "", "resumed"


def _restart(ctx, kind, obj: dict) -> tuple[str, str]:
    if kind.key not in RESTARTABLE:
        return "restarting is not supported", ""
    if obj["spec"].get("paused"):
        return "can't restart paused deployment (run rollout resume first)", ""
    metadata = obj["spec"].setdefault("template", {}).setdefault("metadata", {})
    metadata.setdefault("annotations", {})[RESTARTED_AT] = restart_time(ctx)
    return "", "restarted"


def restart_time(ctx) -> str:
    """time.Now().Format(time.RFC3339): local offset, `Z` for UTC; MINIKCTL_NOW is a UTC clock."""
    moment = ctx.now if ctx.env.environ.get("MINIKCTL_NOW") else ctx.now.astimezone()
    text = moment.strftime("%Y-%m-%dT%H:%M:%S%z")
    if text.endswith("+0000"):
        return text[:-5] + "Z"
    return text[:-2] + ":" + text[-2:]
