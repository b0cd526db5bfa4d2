"""kubectl exec, for the commands that show how a pod reaches services: nslookup, curl, wget.

The pod checks and messages follow kubernetes/kubectl pkg/cmd/exec/exec.go and the API server's
exec subresource (kubernetes/kubernetes pkg/registry/core/pod/strategy.go ExecLocation); the command
itself runs in minikctl.network.commands. It is a write transaction: kube-proxy's round robin is
remembered in the state.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.core import kinds
from minikctl.cli import flags as f

SUMMARY = "Execute a command in a container (minikctl simulates nslookup, curl and wget)."
FLAGS = [
    f.Flag("container", "c", help="Container name. If omitted, use the kubectl.kubernetes.io/default-container "
                                  "annotation for selecting the container to be attached or the first container"),
    f.Flag("stdin", "i", type=f.BOOL, help="Pass stdin to the container"),
    f.Flag("tty", "t", type=f.BOOL, help="Stdin is a TTY"),
    f.Flag("quiet", "q", type=f.BOOL, help="Only print output from the remote session"),
    f.Flag("pod-running-timeout", default="1m0s", help="Accepted for compatibility"),
]
DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"
SIMULATED = "nslookup, curl and wget"


def run(ctx, parsed: f.Parsed) -> int:
    pod_argument, command = _pod_and_command(ctx, parsed)
    from minikctl.network import commands

    with ctx.transaction() as cluster:
        pod = _pod(ctx, cluster, pod_argument)
        container = _container(ctx, pod, parsed)
        _check_can_exec(pod, container)
        try:
            outcome = commands.run(cluster, pod, command)
        except commands.NotSimulated as exc:
            raise errors.CommandError(f'minikctl exec does not simulate "{exc}": it answers {SIMULATED} only '
                                      "(a simulation of routing, not of the application)") from None
    ctx.env.out(outcome.stdout)
    ctx.env.err(outcome.stderr)
    if outcome.exit_code:
        ctx.env.err(f"command terminated with exit code {outcome.exit_code}\n")
    return outcome.exit_code


def _pod_and_command(ctx, parsed: f.Parsed) -> tuple[str, list[str]]:
    args = parsed.args
    if not args:  # kubernetes/kubectl pkg/cmd/exec/exec.go Validate
        raise errors.CommandError("pod, type/name or --filename must be specified")
    command = list(parsed.after_dash or [])
    if parsed.after_dash is None and len(args) > 1:
        if not parsed["quiet"]:
            ctx.env.err("kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. "
                        "Use kubectl exec [POD] -- [COMMAND] instead.\n")
        command = args[1:]
    if not command:
        raise errors.CommandError("you must specify at least one command for the container")
    return args[0], command


def _pod(ctx, cluster, argument: str) -> dict:
    kind_name, slash, name = argument.partition("/")
    if not slash:
        kind_name, name = "pods", argument
    pods = kinds.BY_KEY["pods"]
    if kind_name not in ("pod", "pods", "po"):
        return _first_pod_of(ctx, cluster, kind_name, name)
    ctx.authorize("get", pods, ctx.namespace, name)
    pod = cluster.get("pods", ctx.namespace, name)
    if pod is None:
        raise errors.not_found("pods", name)
    ctx.authorize("create", pods, ctx.namespace, name, subresource="exec")
    return pod


def _first_pod_of(ctx, cluster, kind_name: str, name: str) -> dict:
    """TYPE/NAME: the first active pod the object selects (polymorphichelpers.AttachablePodForObject)."""
    from minikctl.core import selectors
    from minikctl.api.resolve import resolve_type
    from minikctl.core.conditions import is_active

    kind = resolve_type(kind_name)[0]
    obj = cluster.get(kind.key, ctx.namespace, name)
    if obj is None:
        raise errors.not_found(kind.qualified, name)
    spec = obj.get("spec") or {}
    selector = spec.get("selector") if kind.kind in ("ReplicationController", "Service") else None
    matches = [p for p in cluster.list("pods", ctx.namespace) if is_active(p) and (
        selectors.map_selector_matches(selector, p["metadata"].get("labels")) if selector is not None
        else selectors.selector_matches(spec.get("selector"), p["metadata"].get("labels")))]
    if not matches:
        raise errors.CommandError(f"cannot attach to {kind.kind} {name}: no pods found")
    return sorted(matches, key=lambda p: p["metadata"]["name"])[0]


def _container(ctx, pod: dict, parsed: f.Parsed) -> str:
    containers = [c["name"] for c in pod["spec"].get("containers") or ()]
    if parsed["container"]:
        return parsed["container"]
    default = (pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    if default in containers:
        return default
    if len(containers) > 1 and not parsed["quiet"]:
        ctx.env.err(f'Defaulted container "{containers[0]}" out of: {_all_container_names(pod)}\n')
    return containers[0]


def _all_container_names(pod: dict) -> str:
    spec = pod["spec"]
    names = [c["name"] for c in spec.get("containers") or ()]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or ()]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or ()]
    return ", ".join(names)


def _check_can_exec(pod: dict, container: str) -> None:
    """Completed pods (kubectl), unknown containers and unscheduled pods (API server), stopped containers (kubelet)."""
    name = pod["metadata"]["name"]
    phase = (pod.get("status") or {}).get("phase", "")
    if phase in ("Succeeded", "Failed"):
        raise errors.CommandError(f"cannot exec into a container in a completed pod; current phase is {phase}")
    if container not in [c["name"] for c in pod["spec"].get("containers") or ()]:
        raise errors.bad_request(f"container {container} is not valid for pod {name}")
    if not pod["spec"].get("nodeName"):
        raise errors.bad_request(f"pod {name} does not have a host assigned")
    statuses = {s["name"]: s for s in (pod.get("status") or {}).get("containerStatuses") or ()}
    if phase != "Running" or "running" not in (statuses.get(container) or {}).get("state", {}):
        raise errors.CommandError(f'unable to upgrade connection: container not found ("{container}")')
