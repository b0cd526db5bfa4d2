"""describe for Service, Endpoints and EndpointSlice.

Layout facts: kubernetes/kubectl pkg/describe/describe.go (describeService, formatEndpointSlices,
buildIngressString, describeEndpoints, describeEndpointSliceV1); ../shared/reference/kubectl-cli.md §9.6.
"""

from __future__ import annotations

from minikctl.printers.describe import engine
from minikctl.printers.describe.engine import Settings, Writer
from minikctl.printers.labels import format_labels

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MAX_ENDPOINTS_SHOWN = 3


def describe_service(service: dict, settings: Settings) -> str:
    w = Writer()
    spec, status = service.get("spec") or {}, service.get("status") or {}
    engine.name_namespace_labels_annotations(w, service)
    w.line(0, f"Selector:\t{format_labels(spec.get('selector'))}")
    w.line(0, f"Type:\t{spec.get('type', '')}")
    _addresses(w, spec, status)
    slices = _endpoint_slices_of(service, settings.cluster)
    for port in spec.get("ports") or []:
        _port_lines(w, port, slices)
    w.line(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}")
    if spec.get("externalTrafficPolicy"):
        w.line(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}")
    if spec.get("internalTrafficPolicy") is not None:
        w.line(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}")
    if spec.get("healthCheckNodePort"):
        w.line(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}")
    if spec.get("loadBalancerSourceRanges"):
        w.line(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}")
    engine.events(w, service, settings)
    return w.text()


def _addresses(w: Writer, spec: dict, status: dict) -> None:
    if spec.get("ipFamilyPolicy") is not None:
        w.line(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}")
    w.line(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}")
    w.line(0, f"IP:\t{spec.get('clusterIP', '')}")
    w.line(0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}")
    if spec.get("externalIPs"):
        w.line(0, f"External IPs:\t{','.join(spec['externalIPs'])}")
    if spec.get("loadBalancerIP"):
        w.line(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}")
    if spec.get("externalName"):
        w.line(0, f"External Name:\t{spec['externalName']}")
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        w.line(0, f"LoadBalancer Ingress:\t{', '.join(_ingress_text(entry) for entry in ingress)}")


def _ingress_text(entry: dict) -> str:
    if entry.get("ip"):
        return entry["ip"] + (f" ({entry['ipMode']})" if entry.get("ipMode") else "")
    return entry.get("hostname", "")


def _port_lines(w: Writer, port: dict, slices: list[dict]) -> None:
    name = port.get("name") or "<unset>"
    protocol = port.get("protocol", "")
    w.line(0, f"Port:\t{name}\t{port.get('port', 0)}/{protocol}")
    w.line(0, f"TargetPort:\t{port.get('targetPort', '')}/{protocol}")
    if port.get("nodePort"):
        w.line(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}")
    w.line(0, f"Endpoints:\t{format_endpoint_slices(slices, port.get('name', ''))}")


def _endpoint_slices_of(service: dict, cluster) -> list[dict]:
    meta = service["metadata"]
    return [s for s in cluster.list("endpointslices.discovery.k8s.io", meta.get("namespace", ""))
            if (s["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) == meta["name"]]


def format_endpoint_slices(slices: list[dict], port_name: str) -> str:
    """Ready `ip:port` of the slices' ports named port_name, at most three then ` + N more...`."""
    if not slices:
        return "<none>"
    ready = []
    for endpoint_slice in slices:
        ready += _ready_addresses(endpoint_slice, port_name)
    shown = ",".join(ready[:MAX_ENDPOINTS_SHOWN])
    if len(ready) > MAX_ENDPOINTS_SHOWN:
        return f"{shown} + {len(ready) - MAX_ENDPOINTS_SHOWN} more..."
    return shown


def _ready_addresses(endpoint_slice: dict, port_name: str) -> list[str]:
    """A slice without ports lists bare addresses (headless services)."""
    endpoints = [e for e in endpoint_slice.get("endpoints") or [] if _is_ready(e)]
    ports = endpoint_slice.get("ports") or []
    if not ports:
        return [e["addresses"][0] for e in endpoints]
    return [_host_port(e["addresses"][0], port.get("port")) for port in ports
            if (port.get("name") or "") == port_name for e in endpoints]


def _is_ready(endpoint: dict) -> bool:
    """A nil ready condition means unknown, which consumers treat as ready."""
    return (endpoint.get("conditions") or {}).get("ready") is not False


def _host_port(address: str, port) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def describe_endpoints(endpoints: dict, settings: Settings) -> str:
    w = Writer()
    engine.name_namespace_labels_annotations(w, endpoints)
    w.line(0, "Subsets:")
    for subset in endpoints.get("subsets") or []:
        ready = ",".join(address.get("ip", "") for address in subset.get("addresses") or [])
        not_ready = ",".join(address.get("ip", "") for address in subset.get("notReadyAddresses") or [])
        w.line(1, f"Addresses:\t{ready or '<none>'}")
        w.line(1, f"NotReadyAddresses:\t{not_ready or '<none>'}")
        if subset.get("ports"):
            w.line(1, "Ports:")
            w.line(2, "Name\tPort\tProtocol")
            w.line(2, "----\t----\t--------")
            for port in subset["ports"]:
                w.line(2, f"{port.get('name') or '<unset>'}\t{port.get('port', 0)}\t{port.get('protocol', '')}")
        w.line(0)
    engine.events(w, endpoints, settings)
    return w.text()


def describe_endpointslice(endpoint_slice: dict, settings: Settings) -> str:
    w = Writer()
    engine.name_namespace_labels_annotations(w, endpoint_slice)
    w.line(0, f"AddressType:\t{endpoint_slice.get('addressType', '')}")
    _slice_ports(w, endpoint_slice.get("ports") or [])
    _slice_endpoints(w, endpoint_slice.get("endpoints") or [])
    engine.events(w, endpoint_slice, settings)
    return w.text()


def _slice_ports(w: Writer, ports: list) -> None:
    if not ports:
        w.line(0, "Ports: <unset>")
        return
    w.line(0, "Ports:")
    w.line(1, "Name\tPort\tProtocol")
    w.line(1, "----\t----\t--------")
    for port in ports:
        number = port.get("port")
        w.line(1, f"{port.get('name') or '<unset>'}\t{'<unset>' if number is None else number}\t"
                  f"{port.get('protocol', '')}")


def _slice_endpoints(w: Writer, endpoints: list) -> None:
    if not endpoints:
        w.line(0, "Endpoints: <none>")
        return
    w.line(0, "Endpoints:")
    for endpoint in endpoints:
        w.line(1, f"- Addresses:\t{', '.join(endpoint.get('addresses') or []) or '<none>'}")
        w.line(2, "Conditions:")
        ready = (endpoint.get("conditions") or {}).get("ready")
        w.line(3, f"Ready:\t{'<unset>' if ready is None else engine.go_bool(ready)}")
        w.line(2, f"Hostname:\t{_unset_or(endpoint.get('hostname'))}")
        if endpoint.get("targetRef") is not None:
            w.line(2, f"TargetRef:\t{endpoint['targetRef'].get('kind', '')}/{endpoint['targetRef'].get('name', '')}")
        w.line(2, f"NodeName:\t{_unset_or(endpoint.get('nodeName'))}")
        w.line(2, f"Zone:\t{_unset_or(endpoint.get('zone'))}")


def _unset_or(value) -> str:
    return "<unset>" if value is None else str(value)
