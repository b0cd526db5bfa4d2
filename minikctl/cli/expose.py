"""kubectl expose: a Service for a deployment, replica set, replication controller, pod or service.

Selector, ports and protocols are taken from the exposed object unless given, and the Service is built
the way kubernetes/kubectl pkg/cmd/expose/expose.go (createService) and
pkg/polymorphichelpers ({mapbasedselectorforobject,portsforobject,multiprotocolsforobject,canbeexposed}.go)
build it; messages as in kubectl-cli.md §7.7.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.api import server
from minikctl.core import kinds
from minikctl.cli import common, documents
from minikctl.cli import flags as f
from minikctl.cli.mutation import Reporter
from minikctl.printers.output import MUTATE_FORMATS, parse_output

SUMMARY = "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.DRY_RUN_FLAG,
    f.Flag("protocol", help="The network protocol for the service to be created. Default is 'TCP'."),
    f.Flag("port", help="The port that the service should serve on. Copied from the resource being exposed, if unspecified"),
    f.Flag("type", help="Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'."),
    f.Flag("load-balancer-ip", help="IP to assign to the LoadBalancer."),
    f.Flag("selector", help="A label selector to use for this service. Only equality-based selector requirements are supported."),
    f.Flag("labels", "l", help="Labels to apply to the service created by this call."),
    f.Flag("target-port", help="Name or number for the port on the container that the service should direct traffic to."),
    f.Flag("external-ip", help="Additional external IP address (not managed by Kubernetes) to accept for the service."),
    f.Flag("name", help="The name for the newly created object."),
    f.Flag("session-affinity", help="If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'"),
    f.Flag("cluster-ip", help="ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service."),
    f.Flag("save-config", type=f.BOOL, help="Save the object's configuration in the last-applied annotation"),
    f.Flag("field-manager", default="kubectl-expose", help="Name of the manager used to track field ownership"),
]
EXPOSABLE = {"ReplicationController", "Service", "Pod", "Deployment", "ReplicaSet"}
NAME_LIMIT = 63
NO_RESOURCES = ("You must provide one or more resources by argument or filename.\n"
                "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                "   '<resource> <name>'\n   '<resource>'")


def run(ctx, parsed: f.Parsed) -> int:
    mode = common.dry_run_mode(parsed["dry-run"])
    output = parse_output(parsed["output"] or "", parsed["template"] or "", MUTATE_FORMATS)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    sources = documents.load(ctx, parsed, "exposing", require=False)
    with ctx.transaction(dry_run=mode != "none") as cluster:
        for kind, obj in _targets(ctx, parsed, cluster, sources):
            service = build_service(ctx, parsed, kind, obj)
            if mode == "client":
                reporter.success(service, "exposed")
                continue
            namespace = service["metadata"].pop("namespace", None) or ctx.namespace
            ctx.authorize("create", kinds.BY_KEY["services"], namespace)
            reporter.success(server.create(cluster, service, namespace), "exposed")
    return reporter.finish()


def _targets(ctx, parsed, cluster, sources: list):
    from minikctl.api.resolve import parse_arguments

    if sources:
        for document in sources:
            yield kinds.for_object(document.obj), document.obj
        return
    if not parsed.args:
        raise errors.CommandError(NO_RESOURCES)
    for request in parse_arguments(parsed.args):
        for name in request.names or ():
            ctx.authorize("get", request.kind, ctx.namespace, name)
            obj = cluster.get(request.kind.key, ctx.namespace, name)
            if obj is None:
                raise errors.not_found(request.kind.qualified, name)
            yield request.kind, obj


def build_service(ctx, parsed, kind, obj: dict) -> dict:
    if kind.kind not in EXPOSABLE:
        group = kind.api_version.rpartition("/")[0]
        raise errors.CommandError(f"cannot expose a {kind.kind}" + (f".{group}" if group else ""))
    selector = _parse_labels(parsed["selector"]) if parsed["selector"] else _selector_of(kind, obj)
    ports = _ports(parsed, kind, obj)
    labels = _parse_labels(parsed["labels"]) if parsed["labels"] else dict(obj["metadata"].get("labels") or {})
    meta = {"creationTimestamp": None, "name": parsed["name"] or obj["metadata"]["name"][:NAME_LIMIT]}
    if labels:
        meta["labels"] = labels
    if ctx.namespace_given:
        meta["namespace"] = ctx.namespace
    service = {"apiVersion": "v1", "kind": "Service", "metadata": meta,
               "spec": {"ports": ports, "selector": selector, **_spec_options(parsed)}, "status": {"loadBalancer": {}}}
    if not ports:
        del service["spec"]["ports"]
    if parsed["save-config"]:
        from minikctl.api import merge

        meta["annotations"] = {merge.LAST_APPLIED: merge.last_applied_annotation(service)}
    return service


# -- introspection ------------------------------------------------------------------------------
def _selector_of(kind, obj: dict) -> dict:
    try:
        return _introspected_selector(kind, obj)
    except ValueError as problem:
        raise errors.CommandError(f"couldn't retrieve selectors via --selector flag or introspection: {problem}") from None


def _introspected_selector(kind, obj: dict) -> dict:
    spec = obj.get("spec") or {}
    if kind.kind == "Pod":
        if not obj["metadata"].get("labels"):
            raise ValueError("the pod has no labels and cannot be exposed")
        return dict(obj["metadata"]["labels"])
    if kind.kind == "Service":
        if not spec.get("selector"):
            raise ValueError("the service has no pod selector set")
        return dict(spec["selector"])
    if kind.kind == "ReplicationController":
        return dict(spec.get("selector") or {})
    selector = spec.get("selector")
    if not selector:
        raise ValueError(f"invalid {kind.kind.lower()}: no selectors, therefore cannot be exposed")
    if selector.get("matchExpressions"):
        raise ValueError(f'couldn\'t convert expressions - "{selector["matchExpressions"]}" to map-based selector format')
    return dict(selector.get("matchLabels") or {})


def _exposed_ports(kind, obj: dict) -> list[tuple[int, str]]:
    """(port, protocol) pairs of the object: container ports, or a Service's ports."""
    spec = obj.get("spec") or {}
    if kind.kind == "Service":
        return [(p.get("port"), p.get("protocol") or "TCP") for p in spec.get("ports") or ()]
    pod_spec = spec if kind.kind == "Pod" else ((spec.get("template") or {}).get("spec") or {})
    return [(p.get("containerPort"), p.get("protocol") or "TCP")
            for container in pod_spec.get("containers") or () for p in container.get("ports") or ()]


def _ports(parsed, kind, obj: dict) -> list[dict]:
    exposed = _exposed_ports(kind, obj)
    protocols: dict[int, list[str]] = {}
    for number, protocol in exposed:
        protocols.setdefault(number, []).append(protocol)
    numbers = [_port_number(text) for text in parsed["port"].split(",")] if parsed["port"] else \
        [number for number, _ in exposed]
    if not numbers and parsed["cluster-ip"] != "None":
        raise errors.CommandError("couldn't find port via --port flag or introspection")
    ports = []
    for index, number in enumerate(numbers, start=1):
        name = f"port-{index}" if len(numbers) > 1 else ""
        ports += _service_ports(name, number, index, parsed["protocol"], protocols.get(number, []))
    for port in ports:
        port["targetPort"] = _target_port(parsed["target-port"]) if parsed["target-port"] else port["port"]
    return ports


def _service_ports(name: str, number: int, index: int, wanted: str, known: list[str]) -> list[dict]:
    """One port, or one per protocol when the object serves the number over several (port-N-udp, port-N-tcp)."""
    if wanted or not known:
        return [_port_entry(name, number, wanted or "TCP")]
    if len(known) == 1:
        return [_port_entry(name, number, known[0])]
    return [_port_entry(f"port-{index}-{protocol.lower()}", number, protocol) for protocol in known]


def _port_entry(name: str, number: int, protocol: str) -> dict:
    entry = {"port": number, "protocol": protocol}
    if name:
        entry["name"] = name
    return entry


def _port_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise errors.CommandError(f'strconv.Atoi: parsing "{text}": invalid syntax') from None


def _target_port(text: str):
    return int(text) if text.lstrip("-").isdigit() else text


def _spec_options(parsed) -> dict:
    options: dict = {}
    if parsed["external-ip"]:
        options["externalIPs"] = [parsed["external-ip"]]
    if parsed["type"]:
        options["type"] = parsed["type"]
    if parsed["type"] == "LoadBalancer" and parsed["load-balancer-ip"]:
        options["loadBalancerIP"] = parsed["load-balancer-ip"]
    if parsed["session-affinity"]:
        if parsed["session-affinity"] not in ("None", "ClientIP"):
            raise errors.CommandError(f"unknown session affinity: {parsed['session-affinity']}")
        options["sessionAffinity"] = parsed["session-affinity"]
    if parsed["cluster-ip"]:
        options["clusterIP"] = parsed["cluster-ip"]
    return options


def _parse_labels(text: str) -> dict:
    labels = {}
    for part in text.split(","):
        key, *rest = part.split("=")
        if len(rest) != 1:
            raise errors.CommandError(f"unexpected label spec: {part}")
        if not key:
            raise errors.CommandError("unexpected empty label key")
        labels[key] = rest[0]
    return labels
