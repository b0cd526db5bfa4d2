"""`minikctl fault add|list|clear`: the simulated failures of docs/faults.md without hand-written annotations.

A fault is an annotation with the prefix fault.minikctl.io/ (docs/faults.md says what each does); these
commands write and remove them through the API server like `kubectl annotate`, so the reconcile pass
that follows shows the failure (or the recovery) at once.
"""

from __future__ import annotations

from typing import Annotated

import typer

from minikctl import errors
from minikctl.cli.tools.session import session

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="Inject, list and clear simulated failures.")

PREFIX = "fault.minikctl.io/"
# fault -> kinds it can be put on (a pod, a pod template's owner, or a node).
WORKLOADS = ("Pod", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController")
FAULTS = {"image-pull": WORKLOADS, "crash-loop": WORKLOADS, "not-ready": ("Node",)}
LISTED_KINDS = ("pods", "replicasets.apps", "deployments.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch",
                "cronjobs.batch", "replicationcontrollers", "nodes")


@app.command(help="Put a fault on TYPE/NAME: image-pull or crash-loop on a pod or workload, not-ready on a node.")
def add(fault: Annotated[str, typer.Argument(help="image-pull, crash-loop or not-ready")],
        resource: Annotated[str, typer.Argument(help="TYPE/NAME, e.g. deploy/web or node/kind-worker")],
        containers: Annotated[str, typer.Option(help="only these containers (comma-separated)")] = "",
        exit_code: Annotated[int | None, typer.Option(help="crash-loop: the container's exit code")] = None) -> None:
    if fault not in FAULTS:
        raise errors.CommandError(f'unknown fault "{fault}": choose one of {", ".join(sorted(FAULTS))}')
    if exit_code is not None and fault != "crash-loop":
        raise errors.CommandError("--exit-code goes with crash-loop only")
    annotations = {PREFIX + fault: containers or "true"}
    if exit_code is not None:
        annotations[PREFIX + "exit-code"] = str(exit_code)
    _change(resource, lambda obj: _check_kind(fault, obj) or annotations, "added")


@app.command(help="Remove every fault from TYPE/NAME (or only --fault); the object recovers as docs/faults.md says.")
def clear(resource: Annotated[str, typer.Argument(help="TYPE/NAME")],
          fault: Annotated[str, typer.Option(help="only this fault")] = "") -> None:
    def removed(obj: dict) -> dict:
        present = [key for key in _faults_of(obj) if not fault or key in (PREFIX + fault, PREFIX + "exit-code")]
        return {key: None for key in present}

    _change(resource, removed, "cleared")


@app.command("list", help="List the faults in the namespace (-A: everywhere), and on nodes.")
def list_faults(all_namespaces: Annotated[bool, typer.Option("--all-namespaces", "-A")] = False) -> None:
    from minikctl.core import kinds
    from minikctl.printers.tabwriter import format_rows

    current = session()
    ctx = current.context()
    cluster = ctx.read_cluster()
    rows = []
    for key in LISTED_KINDS:
        kind = kinds.BY_KEY[key]
        for obj in ctx.listed(cluster, kind, everywhere=all_namespaces):
            for name, value in sorted(_faults_of(obj).items()):
                rows.append([obj["metadata"].get("namespace", ""), kind.name_of(obj["metadata"]["name"]),
                             name[len(PREFIX):], value])
    if not rows:
        current.env.err("No faults found.\n")
        return
    current.env.out(format_rows([["NAMESPACE", "OBJECT", "FAULT", "VALUE"], *rows]))


def _faults_of(obj: dict) -> dict:
    meta = obj["metadata"]
    found = {k: v for k, v in (meta.get("labels") or {}).items() if k.startswith(PREFIX)}
    found.update({k: v for k, v in (meta.get("annotations") or {}).items() if k.startswith(PREFIX)})
    return found


def _check_kind(fault: str, obj: dict) -> None:
    if obj.get("kind") not in FAULTS[fault]:
        raise errors.CommandError(f'fault "{fault}" cannot be put on a {obj.get("kind")}: '
                                  f'it goes on a {" or ".join(FAULTS[fault])}')


def _change(resource: str, annotations_for, outcome: str) -> None:
    """Set (value) or remove (None) annotations on one object through the API server."""
    from minikctl.api import server
    from minikctl.api.resolve import parse_arguments

    current = session()
    ctx = current.context()
    requests = parse_arguments([resource])
    if len(requests) != 1 or len(requests[0].names) != 1:
        raise errors.CommandError("a fault goes on exactly one object: TYPE/NAME")
    kind, name = requests[0].kind, requests[0].names[0]
    namespace = ctx.namespace if kind.namespaced else ""
    with ctx.transaction() as cluster:
        ctx.authorize("patch", kind, namespace, name)
        obj = cluster.get(kind.key, namespace, name)
        if obj is None:
            raise errors.not_found(kind.qualified, name)
        changes = annotations_for(obj)
        meta = obj["metadata"]
        for key, value in changes.items():
            for field in ("annotations", "labels"):
                if value is None and key in (meta.get(field) or {}):
                    del meta[field][key]
            if value is not None:
                meta.setdefault("annotations", {})[key] = value
        changed = bool(changes) and server.update(cluster, obj)
        current.env.out(f"{kind.name_of(name)} fault {outcome}\n" if changed else f"{kind.name_of(name)} unchanged\n")
