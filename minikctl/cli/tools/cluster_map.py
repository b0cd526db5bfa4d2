"""`minikctl map`: the cluster as a picture. Nodes are panels holding their pods (coloured by status),
Services list the pods their endpoints route to, claims show the volumes bound to them.

On a terminal it is drawn in colour; piped, the same picture comes as plain text; `--svg FILE` records it
as an SVG (rich's export) for docs and slides.
"""

from __future__ import annotations

from typing import Annotated

import typer

from minikctl.cli.tools.session import session

HELP = ("Draw the cluster: nodes as panels holding their pods, Services with the pods they route to, "
        "claims with their volumes. --svg FILE writes the picture as SVG.")

STATUS_STYLES = {"Running": "green", "Completed": "blue", "Pending": "yellow", "ContainerCreating": "yellow",
                 "Terminating": "magenta"}


def command(all_namespaces: Annotated[bool, typer.Option("--all-namespaces", "-A",
                                                         help="pods of every namespace")] = False,
            svg: Annotated[str, typer.Option(help="also write the picture to this SVG file")] = "") -> None:
    from rich.columns import Columns
    from rich.console import Group

    current = session()
    ctx = current.context()
    cluster = ctx.read_cluster()
    from minikctl.core import kinds

    pods = ctx.listed(cluster, kinds.BY_KEY["pods"], everywhere=all_namespaces)
    nodes = ctx.listed(cluster, kinds.BY_KEY["nodes"])
    services = ctx.listed(cluster, kinds.BY_KEY["services"], everywhere=all_namespaces)
    claims = ctx.listed(cluster, kinds.BY_KEY["persistentvolumeclaims"], everywhere=all_namespaces)
    slices = ctx.listed(cluster, kinds.BY_KEY["endpointslices.discovery.k8s.io"], everywhere=all_namespaces)
    status_of = _pod_status_reader(ctx.now)
    picture = Group(Columns([_node_panel(node, pods, status_of, all_namespaces) for node in nodes]),
                    _unscheduled(pods, status_of, all_namespaces),
                    _services_panel(services, slices, all_namespaces),
                    _claims_panel(claims, pods, all_namespaces))
    current.console().print(picture)
    if svg:
        _write_svg(picture, current.env.resolve_path(svg))


def _write_svg(picture, path: str) -> None:
    """The picture in colour, recorded off-screen and exported as SVG, whatever stdout is."""
    import io

    from rich.console import Console

    recorder = Console(file=io.StringIO(), record=True, force_terminal=True, color_system="truecolor", width=140)
    recorder.print(picture)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(recorder.export_svg(title="minikctl map"))


def _pod_status_reader(now):
    from minikctl.printers.tables import CellContext, columns_for

    cell = next(column.cell for column in columns_for("pods", False) if column.header == "STATUS")
    context = CellContext(now=now, wide=False)
    return lambda pod: cell(pod, context)


def _pod_label(pod: dict, status: str, with_namespace: bool) -> str:
    meta = pod["metadata"]
    name = f"{meta['namespace']}/{meta['name']}" if with_namespace else meta["name"]
    return f"[{STATUS_STYLES.get(status, 'red')}]●[/] {name} [dim]{status}[/]"


def _node_panel(node: dict, pods: list[dict], status_of, with_namespace: bool):
    from rich.panel import Panel

    name = node["metadata"]["name"]
    ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                for c in (node.get("status") or {}).get("conditions") or ())
    flags = ("Ready" if ready else "NotReady") + (",SchedulingDisabled" if (node.get("spec") or {}).get("unschedulable") else "")
    lines = [_pod_label(pod, status_of(pod), with_namespace) for pod in pods
             if (pod.get("spec") or {}).get("nodeName") == name]
    return Panel("\n".join(lines) or "[dim](no pods)[/]", title=f"{name} [dim]{flags}[/]", expand=False)


def _unscheduled(pods: list[dict], status_of, with_namespace: bool):
    from rich.panel import Panel
    from rich.text import Text

    waiting = [_pod_label(pod, status_of(pod), with_namespace) for pod in pods
               if not (pod.get("spec") or {}).get("nodeName")]
    return Panel("\n".join(waiting), title="not scheduled", expand=False) if waiting else Text("")


def _services_panel(services: list[dict], slices: list[dict], with_namespace: bool):
    from rich.panel import Panel

    targets: dict[tuple[str, str], list[str]] = {}
    for endpoint_slice in slices:
        meta = endpoint_slice["metadata"]
        owner = (meta.get("labels") or {}).get("kubernetes.io/service-name", "")
        for endpoint in endpoint_slice.get("endpoints") or ():
            reference = endpoint.get("targetRef") or {}
            ready = (endpoint.get("conditions") or {}).get("ready", True)
            name = reference.get("name") or ",".join(endpoint.get("addresses") or ())
            targets.setdefault((meta.get("namespace", ""), owner), []).append(name if ready else f"{name} (not ready)")
    lines = []
    for service in services:
        meta, spec = service["metadata"], service.get("spec") or {}
        name = f"{meta['namespace']}/{meta['name']}" if with_namespace else meta["name"]
        routes = sorted(targets.get((meta["namespace"], meta["name"]), []))
        arrow = " → " + ", ".join(routes) if routes else (" [dim](no endpoints)[/]" if spec.get("selector") else "")
        lines.append(f"[bold]{name}[/] [dim]{spec.get('type', 'ClusterIP')} {spec.get('clusterIP', '')}[/]{arrow}")
    return Panel("\n".join(lines) or "[dim](none)[/]", title="Services", expand=False)


def _claims_panel(claims: list[dict], pods: list[dict], with_namespace: bool):
    from rich.panel import Panel
    from rich.text import Text

    if not claims:
        return Text("")
    users: dict[tuple[str, str], list[str]] = {}
    for pod in pods:
        for volume in (pod.get("spec") or {}).get("volumes") or ():
            claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
            if claim:
                users.setdefault((pod["metadata"]["namespace"], claim), []).append(pod["metadata"]["name"])
    lines = []
    for claim in claims:
        meta, spec = claim["metadata"], claim.get("spec") or {}
        name = f"{meta['namespace']}/{meta['name']}" if with_namespace else meta["name"]
        phase = (claim.get("status") or {}).get("phase", "Pending")
        volume = spec.get("volumeName") or "(unbound)"
        used = users.get((meta["namespace"], meta["name"]))
        lines.append(f"{name} [dim]{phase}[/] ⇄ {volume}" + (f" ← {', '.join(used)}" if used else ""))
    return Panel("\n".join(lines), title="Volumes", expand=False)
