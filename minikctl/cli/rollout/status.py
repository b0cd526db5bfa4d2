"""kubectl rollout status: the status viewers of kubernetes/kubectl
pkg/polymorphichelpers/rollout_status.go, and the watch loop of pkg/cmd/rollout/rollout_status.go.

The watch sees the state once: it is final, so an unfinished rollout ends the wait at once.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.api.history import REVISION
from minikctl.cli import selection
from minikctl.cli.rollout import timeouts

VIEWERS = {}


def run(ctx, parsed, subcommand: str, args: list[str]) -> int:
    selection.require_resources(args, parsed)
    timeout = parsed["timeout"]
    cluster = ctx.read_cluster()
    found = selection.collect(ctx, cluster, args, parsed, "retrieving", whole_kind=True)
    for target in found.missing:
        raise target.not_found()
    if not found.found:
        ctx.env.err(f"No resources found in {ctx.namespace} namespace.\n")
        return errors.SUCCESS
    for target in found.found:
        kind, obj = target.kind, target.obj
        ctx.authorize("list", kind, target.namespace)  # the watch starts with a LIST by name
        viewer = VIEWERS.get(kind.key)
        if viewer is None:
            raise errors.CommandError(f"no status viewer has been implemented for {_group_kind(kind)}")
        message, done = viewer(obj, parsed["revision"])
        ctx.env.out(message)
        if done or not parsed["watch"]:
            continue
        if timeout > 0:
            raise errors.CommandError(timeouts.TIMED_OUT)
        raise timeouts.never_finishes(f'the rollout of {kind.kind_string}/{obj["metadata"]["name"]}')
    return errors.SUCCESS


def _group_kind(kind) -> str:
    return f"{kind.kind}.{kind.group}" if kind.group else kind.kind


def _viewer(key: str):
    def register(function):
        VIEWERS[key] = function
        return function
    return register


def _observed(obj: dict) -> bool:
    return obj["metadata"].get("generation", 0) <= (obj.get("status") or {}).get("observedGeneration", 0)


@_viewer("deployments.apps")
def deployment_status(deployment: dict, revision: int) -> tuple[str, bool]:
    name = deployment["metadata"]["name"]
    status = deployment.get("status") or {}
    if revision > 0:
        _check_revision(deployment, revision)
    if not _observed(deployment):
        return "Waiting for deployment spec update to be observed...\n", False
    progressing = next((c for c in status.get("conditions") or () if c.get("type") == "Progressing"), {})
    if progressing.get("reason") == "ProgressDeadlineExceeded":
        raise errors.CommandError(f'deployment "{name}" exceeded its progress deadline')
    replicas = deployment["spec"].get("replicas", 1)
    updated, total = status.get("updatedReplicas", 0), status.get("replicas", 0)
    available = status.get("availableReplicas", 0)
    waiting = f'Waiting for deployment "{name}" rollout to finish: '
    if updated < replicas:
        return f"{waiting}{updated} out of {replicas} new replicas have been updated...\n", False
    if total > updated:
        return f"{waiting}{total - updated} old replicas are pending termination...\n", False
    if available < updated:
        return f"{waiting}{available} of {updated} updated replicas are available...\n", False
    return f'deployment "{name}" successfully rolled out\n', True


def _check_revision(deployment: dict, revision: int) -> None:
    text = (deployment["metadata"].get("annotations") or {}).get(REVISION, "")
    try:
        running = int(text)
    except ValueError:
        raise errors.CommandError(f'cannot get the revision of deployment "{deployment["metadata"]["name"]}": '
                                  f'strconv.ParseInt: parsing "{text}": invalid syntax') from None
    if running != revision:
        raise errors.CommandError(f"desired revision ({revision}) is different from the running revision ({running})")


def _require_rolling_update(obj: dict) -> None:
    if (obj["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        raise errors.CommandError("rollout status is only available for RollingUpdate strategy type")


@_viewer("daemonsets.apps")
def daemon_set_status(daemon_set: dict, revision: int) -> tuple[str, bool]:
    _require_rolling_update(daemon_set)
    if not _observed(daemon_set):
        return "Waiting for daemon set spec update to be observed...\n", False
    name = daemon_set["metadata"]["name"]
    status = daemon_set.get("status") or {}
    desired = status.get("desiredNumberScheduled", 0)
    waiting = f'Waiting for daemon set "{name}" rollout to finish: '
    if status.get("updatedNumberScheduled", 0) < desired:
        return f"{waiting}{status.get('updatedNumberScheduled', 0)} out of {desired} new pods have been updated...\n", False
    if status.get("numberAvailable", 0) < desired:
        return f"{waiting}{status.get('numberAvailable', 0)} of {desired} updated pods are available...\n", False
    return f'daemon set "{name}" successfully rolled out\n', True


@_viewer("statefulsets.apps")
def stateful_set_status(stateful_set: dict, revision: int) -> tuple[str, bool]:
    _require_rolling_update(stateful_set)
    status = stateful_set.get("status") or {}
    if not status.get("observedGeneration") or not _observed(stateful_set):
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = stateful_set["spec"].get("replicas", 1)
    if status.get("readyReplicas", 0) < replicas:
        return f"Waiting for {replicas - status.get('readyReplicas', 0)} pods to be ready...\n", False
    rolling = (stateful_set["spec"].get("updateStrategy") or {}).get("rollingUpdate")
    updated = status.get("updatedReplicas", 0)
    if rolling is not None:
        partition = rolling.get("partition")
        if partition is not None and updated < replicas - partition:
            return (f"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} "
                    "new pods have been updated...\n"), False
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    if status.get("updateRevision") != status.get("currentRevision"):
        return (f"waiting for statefulset rolling update to complete {updated} pods at revision "
                f"{status.get('updateRevision', '')}...\n"), False
    return (f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at revision "
            f"{status.get('currentRevision', '')}...\n"), True
