"""`minikctl tree TYPE/NAME`: an object and everything it owns, as the kubectl-tree plugin draws it.

Children are found through metadata.ownerReferences (any owner, not only the controller), in the
owner's namespace; each row says whether the object is ready and, when it is not, why. A workload with
fewer pods than it wants gets a row naming the shortfall, and below the table the reason its controller
reported (its ReplicaFailure condition or latest FailedCreate event). Layout after ahmetb/kubectl-tree
(cmd/kubectl-tree/tree.go): NAMESPACE, NAME with ├─/└─ branches, READY, REASON, STATUS, AGE.
"""

from __future__ import annotations

from typing import Annotated

import typer

from minikctl import errors
from minikctl.printers.duration import since
from minikctl.printers.tables import CellContext, columns_for
from minikctl.printers.tabwriter import format_rows
from minikctl.cli.tools.session import session

HELP = ("Show TYPE/NAME and the objects it owns, down to its pods, with READY, REASON, STATUS and AGE. "
        "A workload missing pods shows how many and why.")

WORKLOAD_KINDS = {"ReplicaSet", "ReplicationController", "StatefulSet"}


def command(resource: Annotated[list[str], typer.Argument(metavar="TYPE/NAME", help="TYPE/NAME, or TYPE NAME")]) -> None:
    from minikctl.api.resolve import parse_arguments

    current = session()
    ctx = current.context()
    requests = parse_arguments(resource)
    if len(requests) != 1 or len(requests[0].names) != 1:
        raise errors.CommandError("tree takes exactly one object: TYPE/NAME or TYPE NAME")
    kind, name = requests[0].kind, requests[0].names[0]
    cluster = ctx.read_cluster()
    namespace = ctx.namespace if kind.namespaced else ""
    ctx.authorize("get", kind, namespace, name)
    root = cluster.get(kind.key, namespace, name)
    if root is None:
        raise errors.not_found(kind.qualified, name)
    children = _children_by_owner(ctx, cluster, namespace or None)
    rows = [["NAMESPACE", "NAME", "READY", "REASON", "STATUS", "AGE"]]
    notes: list[str] = []
    _walk(root, "", "", children, cluster, ctx.now, rows, notes)
    current.env.out(format_rows(rows) + "".join(f"\n{note}\n" for note in notes))


def _children_by_owner(ctx, cluster, namespace: str | None) -> dict[str, list[dict]]:
    """owner uid -> the objects naming it in ownerReferences, across the namespace's kinds."""
    from minikctl.core import kinds

    found: dict[str, list[dict]] = {}
    for kind in kinds.KINDS:
        if kind.key == "events" or (namespace is not None and not kind.namespaced):
            continue
        for obj in cluster.list(kind.key, namespace if kind.namespaced else None):
            for reference in obj["metadata"].get("ownerReferences") or ():
                found.setdefault(reference.get("uid", ""), []).append(obj)
    for objects in found.values():
        objects.sort(key=lambda o: (o.get("kind", ""), o["metadata"]["name"]))
    return found


def _walk(obj: dict, prefix: str, branch: str, children: dict, cluster, now, rows: list, notes: list) -> None:
    meta = obj["metadata"]
    ready, reason = _readiness(obj)
    rows.append([meta.get("namespace", ""), f"{prefix}{branch}{obj['kind']}/{meta['name']}", ready, reason,
                 _status(obj, now), since(meta.get("creationTimestamp"), now)])
    owned = children.get(meta.get("uid", ""), [])
    shortfall = _missing_pods(obj, owned)
    entries: list = list(owned) + ([shortfall] if shortfall else [])
    if shortfall:
        reason, message = _why_missing(obj, cluster)
        notes.append(f"{obj['kind']}/{meta['name']}: {shortfall[1:-1]}: {message}")
    below = prefix + ("" if not branch else ("  " if branch == "└─" else "│ "))
    for position, entry in enumerate(entries):
        last = position == len(entries) - 1
        if isinstance(entry, str):
            rows.append([meta.get("namespace", ""), f"{below}{'└─' if last else '├─'}{entry}", "False", reason, "", ""])
        else:
            _walk(entry, below, "└─" if last else "├─", children, cluster, now, rows, notes)


def _readiness(obj: dict) -> tuple[str, str]:
    """READY and REASON: the Ready condition where the kind has one, else ready of desired replicas."""
    status = obj.get("status") or {}
    for condition in status.get("conditions") or ():
        if condition.get("type") == "Ready":
            return condition.get("status", ""), "" if condition.get("status") == "True" else condition.get("reason", "")
    spec = obj.get("spec") or {}
    if "replicas" in spec:
        failure = _failure_condition(status)
        return f"{status.get('readyReplicas', 0)}/{spec['replicas']}", failure.get("reason", "") if failure else ""
    return "-", ""


def _failure_condition(status: dict) -> dict | None:
    for condition in status.get("conditions") or ():
        if condition.get("type") == "ReplicaFailure" and condition.get("status") == "True":
            return condition
        if condition.get("type") == "Progressing" and condition.get("status") == "False":
            return condition
    return None


def _status(obj: dict, now) -> str:
    """The STATUS `get` prints for pods; a claim's or namespace's phase; else -."""
    if obj.get("kind") == "Pod":
        cell = next(column.cell for column in columns_for("pods", False) if column.header == "STATUS")
        return cell(obj, CellContext(now=now, wide=False))
    return (obj.get("status") or {}).get("phase") or "-"


def _missing_pods(obj: dict, owned: list[dict]) -> str:
    """`(N missing)` for a workload with fewer live pods than spec.replicas, else ''."""
    if obj.get("kind") not in WORKLOAD_KINDS:
        return ""
    wanted = (obj.get("spec") or {}).get("replicas", 1)
    live = sum(1 for child in owned if child.get("kind") == "Pod" and not child["metadata"].get("deletionTimestamp"))
    if live >= wanted:
        return ""
    return f"({wanted - live} missing)"


def _why_missing(obj: dict, cluster) -> tuple[str, str]:
    """The reason and message its controller gave: the failure condition, else the latest FailedCreate event."""
    failure = _failure_condition(obj.get("status") or {})
    if failure and failure.get("message"):
        return failure.get("reason", ""), failure["message"]
    from minikctl.printers.describe.engine import events_about

    refusals = [event for event in events_about(obj, cluster) if event.get("reason") == "FailedCreate"]
    if refusals:
        return "FailedCreate", refusals[-1].get("message", "")
    return "", "not created yet"
