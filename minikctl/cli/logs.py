"""kubectl logs: minikctl runs no containers, so there is no output to show; say so instead of
inventing lines (exit 1), after checking the pod exists as kubectl would."""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import flags as f

SUMMARY = "Print the logs for a container in a pod (not simulated by minikctl)."
FLAGS = [
    f.Flag("container", "c", help="Print the logs of this container"),
    f.Flag("follow", "f", type=f.BOOL, help="Specify if the logs should be streamed."),
    f.Flag("previous", "p", type=f.BOOL, help="Print the logs for the previous instance of the container"),
    f.Flag("tail", type=f.INT, default=-1, help="Lines of recent log file to display."),
    f.Flag("since", type=f.DURATION, help="Only return logs newer than a relative duration like 5s, 2m, or 3h."),
    f.Flag("timestamps", type=f.BOOL, help="Include timestamps on each line in the log output"),
    f.Flag("all-containers", type=f.BOOL, help="Get all containers' logs in the pod(s)."),
    f.Flag("selector", "l", help="Selector (label query) to filter on."),
    f.Flag("prefix", type=f.BOOL, help="Prefix each log line with the log source (pod name and container name)"),
]


def run(ctx, parsed: f.Parsed) -> int:
    # kubernetes/kubectl pkg/cmd/logs/logs.go Complete: no pod (and no selector), or more than POD CONTAINER
    if (not parsed.args and not parsed["selector"]) or len(parsed.args) > 2:
        raise errors.UsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                                "POD or TYPE/NAME is a required argument for the logs command", "logs")
    if parsed.args:
        _require_pod(ctx, parsed.args[0])
    raise errors.CommandError("logs are not simulated by minikctl: its containers never run, so they have no output")


def _require_pod(ctx, argument: str) -> None:
    """A bare name is a pod; TYPE/NAME must exist too (kubectl asks the server first), then the pod's
    log subresource is read (RBAC: get pods, then get pods/log)."""
    from minikctl.api.resolve import parse_arguments

    kind_and_name = parse_arguments([argument]) if "/" in argument else parse_arguments(["pods", argument])
    request = kind_and_name[0]
    name = request.names[0]
    ctx.authorize("get", request.kind, ctx.namespace, name)
    if ctx.read_cluster().get(request.kind.key, ctx.namespace, name) is None:
        raise errors.not_found(request.kind.qualified, name)
    if request.kind.key == "pods":
        ctx.authorize("get", request.kind, ctx.namespace, name, subresource="log")
