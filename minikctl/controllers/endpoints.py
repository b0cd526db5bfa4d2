"""Endpoints and EndpointSlices for every Service with a selector, and the API server's own endpoints.

Which pods back a Service, how named ports resolve and what the objects look like follow
kubernetes/kubernetes pkg/controller/endpoint/endpoints_controller.go,
pkg/controller/endpointslice/reconciler.go and kubernetes/endpointslice utils.go (controllers.md §3.8).
Objects are rewritten only when their content changes, so a quiet round writes nothing.
"""

from __future__ import annotations


from minikctl.cluster import Cluster, dumps_canonical
from minikctl.controllers import manager
from minikctl.core import ownership
from minikctl.core.conditions import is_finished, is_ready, is_terminating

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
MANAGED_BY = "endpointslice-controller.k8s.io"
HEADLESS_LABEL = "service.kubernetes.io/headless"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
MAX_ENDPOINTS_PER_SLICE = 100
API_SERVER_PORT = 6443
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"


def sync(cluster: Cluster, indexes: manager.Indexes, key: str) -> None:
    """Key: a Service's namespace/name; its Endpoints and EndpointSlices follow its pods."""
    namespace, _, name = key.partition("/")
    service = cluster.get("services", namespace, name)
    if service is None:
        _remove_leftover_endpoints(cluster, namespace, name)
    elif _is_api_server_service(service):
        _sync_api_server_endpoints(cluster, service)
    elif _selects_pods(service):
        backends = _backends(service, _candidates(indexes, service))
        _sync_endpoints(cluster, service, backends)
        _sync_slices(cluster, service, backends, _managed_slices(cluster, service))


def _candidates(indexes: manager.Indexes, service: dict) -> list[dict]:
    """Pods with an address carrying the rarest of the selector's labels (the full selector is checked afterwards)."""
    namespace = service["metadata"]["namespace"]
    lists = [indexes.pods_labelled(namespace, key, value) for key, value in service["spec"]["selector"].items()]
    return [pod for pod in min(lists, key=len) if not is_finished(pod) and (pod.get("status") or {}).get("podIP")]


def _services_of_pod(indexes: manager.Indexes, change) -> list[str]:
    """Services of the pod's namespace that select it, or that list it now (it may have stopped matching)."""
    pod = change.obj
    namespace = pod["metadata"].get("namespace", "")
    labels = pod["metadata"].get("labels") or {}
    needle = b'"name":"' + pod["metadata"]["name"].encode() + b'"'
    endpoints = indexes.cluster.state.section("endpoints")
    keys = []
    for service in indexes.in_namespace("services", namespace):
        selector = (service.get("spec") or {}).get("selector") or {}
        service_key = f"{namespace}/{service['metadata']['name']}"
        if selector and all(labels.get(k) == v for k, v in selector.items()):
            keys.append(service_key)
        elif needle in endpoints.raw.get(service_key, b""):
            keys.append(service_key)
    return keys


def _service_of_endpoints(indexes: manager.Indexes, change) -> list[str]:
    return [change.key]


def _service_of_slice(indexes: manager.Indexes, change) -> list[str]:
    name = (change.obj["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL)
    return [f"{change.obj['metadata'].get('namespace', '')}/{name}"] if name else []


CONTROLLER = manager.Controller(
    "endpoints",
    {"services": manager.own_key, "pods": _services_of_pod, "endpoints": _service_of_endpoints,
     "endpointslices.discovery.k8s.io": _service_of_slice,
     "nodes": lambda indexes, change: ["default/kubernetes"]},
    sync, ordered=True)


def _key(obj: dict) -> tuple[str, str]:
    return obj["metadata"].get("namespace", ""), obj["metadata"]["name"]


def _selects_pods(service: dict) -> bool:
    spec = service.get("spec") or {}
    return bool(spec.get("selector")) and spec.get("type") != "ExternalName"


def _is_api_server_service(service: dict) -> bool:
    return _key(service) == ("default", "kubernetes")


# -- which pods, which ports --------------------------------------------------------------------
class Backend:
    """One pod behind a Service: its address, readiness and resolved ports (Service-port order)."""

    def __init__(self, pod: dict, ports: list[dict], ready: bool, serving: bool, terminating: bool):
        self.pod = pod
        self.ip = pod["status"]["podIP"]
        self.ports = ports
        self.ready, self.serving, self.terminating = ready, serving, terminating

    def target_ref(self) -> dict:
        meta = self.pod["metadata"]
        return {"kind": "Pod", "name": meta["name"], "namespace": meta["namespace"], "uid": meta["uid"]}

    def hostname(self, service: dict) -> str:
        """Set when the pod names this Service as its subdomain (StatefulSet pods do)."""
        spec = self.pod.get("spec") or {}
        if spec.get("hostname") and spec.get("subdomain") == service["metadata"]["name"]:
            return spec["hostname"]
        return ""


def _backends(service: dict, pods: list[dict]) -> list[Backend]:
    spec = service["spec"]
    selector = spec["selector"]
    publish_not_ready = bool(spec.get("publishNotReadyAddresses"))
    backends = []
    for pod in pods:
        labels = pod["metadata"].get("labels") or {}
        if any(labels.get(key) != value for key, value in selector.items()):
            continue
        ports = _resolve_ports(spec.get("ports") or [], pod)
        if spec.get("ports") and not ports:
            continue
        serving = is_ready(pod)
        terminating = is_terminating(pod)
        ready = publish_not_ready or (serving and not terminating)
        backends.append(Backend(pod, ports, ready, serving, terminating))
    return sorted(backends, key=lambda b: (b.ip, b.pod["metadata"]["uid"]))


def _resolve_ports(service_ports: list[dict], pod: dict) -> list[dict]:
    """Each Service port as this pod serves it; a named targetPort the pod lacks leaves the port out."""
    resolved = []
    for port in service_ports:
        number = _target_number(port, pod)
        if number is None:
            continue
        entry = {"name": port.get("name", ""), "port": number, "protocol": port.get("protocol", "TCP")}
        if port.get("appProtocol"):
            entry["appProtocol"] = port["appProtocol"]
        resolved.append(entry)
    return resolved


def _target_number(port: dict, pod: dict) -> int | None:
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, int):
        return target
    if str(target).isdigit():
        return int(target)
    for container in (pod.get("spec") or {}).get("containers") or ():
        for container_port in container.get("ports") or ():
            if container_port.get("name") == target and \
                    container_port.get("protocol", "TCP") == port.get("protocol", "TCP"):
                return container_port.get("containerPort")
    return None


# -- Endpoints -------------------------------------------------------------------------------------
def _sync_endpoints(cluster: Cluster, service: dict, backends: list[Backend]) -> None:
    include_terminating = bool(service["spec"].get("publishNotReadyAddresses"))
    listed = [b for b in backends if include_terminating or not b.terminating]
    labels = _service_labels(service)
    _write_endpoints(cluster, service, labels, _subsets(service, listed))


def _service_labels(service: dict) -> dict:
    labels = dict(service["metadata"].get("labels") or {})
    if service["spec"].get("clusterIP") == "None":
        labels[HEADLESS_LABEL] = ""
    return labels


def _subsets(service: dict, backends: list[Backend]) -> list[dict]:
    """Pods with the same resolved ports share a subset (endpoints.RepackSubsets)."""
    groups: dict[str, dict] = {}
    for backend in backends:
        ports = [_endpoints_port(port) for port in backend.ports]
        subset = groups.setdefault(dumps_canonical(ports) if ports else "", {"ports": ports})
        address = {"ip": backend.ip, "nodeName": backend.pod["spec"].get("nodeName", ""),
                   "targetRef": backend.target_ref()}
        if backend.hostname(service):
            address["hostname"] = backend.hostname(service)
        subset.setdefault("addresses" if backend.ready else "notReadyAddresses", []).append(address)
    subsets = []
    for _, subset in sorted(groups.items()):
        if not subset["ports"]:
            del subset["ports"]
        subsets.append(subset)
    return subsets


def _endpoints_port(port: dict) -> dict:
    """Endpoints ports omit an empty name, unlike EndpointSlice ports."""
    return {k: v for k, v in port.items() if not (k == "name" and v == "")}


def _write_endpoints(cluster: Cluster, service: dict, labels: dict, subsets: list[dict]) -> None:
    namespace, name = _key(service)
    existing = cluster.get("endpoints", namespace, name)
    if existing is not None and (existing["metadata"].get("labels") or {}) == labels \
            and (existing.get("subsets") or []) == subsets:
        return
    endpoints = existing or {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": namespace}}
    meta = endpoints["metadata"]
    _set_or_drop(meta, "labels", labels)
    if not _is_api_server_service(service):
        meta.setdefault("annotations", {})[TRIGGER_TIME] = cluster.timestamp
    _set_or_drop(endpoints, "subsets", subsets)
    if existing is None:
        cluster.create(endpoints, "endpoints")
    else:
        cluster.update(endpoints, "endpoints")


def _set_or_drop(holder: dict, field: str, value) -> None:
    if value:
        holder[field] = value
    else:
        holder.pop(field, None)


def _remove_leftover_endpoints(cluster: Cluster, namespace: str, name: str) -> None:
    """Endpoints this controller wrote (marked by the trigger-time annotation) go with their Service."""
    endpoints = cluster.get("endpoints", namespace, name)
    if endpoints is not None and TRIGGER_TIME in (endpoints["metadata"].get("annotations") or {}):
        cluster.remove("endpoints", namespace, name)


# -- EndpointSlices ----------------------------------------------------------------------------------
def _managed_slices(cluster: Cluster, service: dict) -> list[dict]:
    found = []
    for endpoint_slice in cluster.list("endpointslices.discovery.k8s.io", service["metadata"]["namespace"]):
        labels = endpoint_slice["metadata"].get("labels") or {}
        if labels.get(MANAGED_BY_LABEL) == MANAGED_BY and labels.get(SERVICE_NAME_LABEL) == service["metadata"]["name"]:
            found.append(endpoint_slice)
    return found


def _sync_slices(cluster: Cluster, service: dict, backends: list[Backend], existing: list[dict]) -> None:
    """One slice per distinct port set and 100 endpoints; a Service without pods keeps one empty slice."""
    desired = _desired_slices(service, backends)
    owned = [s for s in existing if ownership.is_controlled_by(s, service)]
    unused = sorted(owned, key=lambda s: s["metadata"]["name"])
    for ports, endpoints in desired:
        match = next((s for s in unused if s.get("ports") == ports), None) or (unused[0] if unused else None)
        if match is not None:
            unused.remove(match)
        _write_slice(cluster, service, match, ports, endpoints)
    for leftover in unused:
        cluster.remove("endpointslices.discovery.k8s.io", *_key(leftover))


def _desired_slices(service: dict, backends: list[Backend]) -> list[tuple[list | None, list | None]]:
    groups: dict[str, tuple[list, list]] = {}
    for backend in backends:
        group = groups.setdefault(dumps_canonical(backend.ports), (backend.ports, []))
        group[1].append(_slice_endpoint(service, backend))
    desired = []
    for _, (ports, endpoints) in sorted(groups.items()):
        for start in range(0, len(endpoints), MAX_ENDPOINTS_PER_SLICE):
            desired.append((ports or None, endpoints[start:start + MAX_ENDPOINTS_PER_SLICE]))
    return desired or [(None, None)]


def _slice_endpoint(service: dict, backend: Backend) -> dict:
    endpoint = {"addresses": [backend.ip],
                "conditions": {"ready": backend.ready, "serving": backend.serving, "terminating": backend.terminating},
                "nodeName": backend.pod["spec"].get("nodeName", ""), "targetRef": backend.target_ref()}
    if backend.hostname(service):
        endpoint["hostname"] = backend.hostname(service)
    return endpoint


def _slice_labels(service: dict) -> dict:
    labels = {k: v for k, v in _service_labels(service).items() if k not in (SERVICE_NAME_LABEL, MANAGED_BY_LABEL)}
    labels[SERVICE_NAME_LABEL] = service["metadata"]["name"]
    labels[MANAGED_BY_LABEL] = MANAGED_BY
    return labels


def _write_slice(cluster: Cluster, service: dict, existing: dict | None, ports, endpoints) -> None:
    labels = _slice_labels(service)
    if existing is not None and existing["metadata"].get("labels") == labels and existing.get("ports") == ports \
            and existing.get("endpoints") == endpoints:
        return
    endpoint_slice = existing or {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
        "metadata": {"generateName": service["metadata"]["name"] + "-", "namespace": service["metadata"]["namespace"],
                     "ownerReferences": [ownership.controller_ref(service)]},
    }
    endpoint_slice["metadata"]["labels"] = labels
    endpoint_slice["metadata"].setdefault("annotations", {})[TRIGGER_TIME] = cluster.timestamp
    endpoint_slice["endpoints"] = endpoints
    _set_or_drop(endpoint_slice, "ports", ports)
    if existing is None:
        cluster.create(endpoint_slice, "endpointslices.discovery.k8s.io")
    else:
        cluster.update(endpoint_slice, "endpointslices.discovery.k8s.io")


# -- the kubernetes Service ------------------------------------------------------------------------------
def _sync_api_server_endpoints(cluster: Cluster, service: dict) -> None:
    """The API server publishes itself: <control-plane IP>:6443 (pkg/controlplane/reconcilers)."""
    address = _control_plane_address(cluster)
    if not address:
        return
    port = {"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}
    _write_endpoints(cluster, service, {SKIP_MIRROR_LABEL: "true"}, [{"addresses": [{"ip": address}], "ports": [port]}])
    desired = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
               "metadata": {"name": "kubernetes", "namespace": "default", "labels": {SERVICE_NAME_LABEL: "kubernetes"}},
               "endpoints": [{"addresses": [address], "conditions": {"ready": True}}], "ports": [port]}
    existing = cluster.get("endpointslices.discovery.k8s.io", "default", "kubernetes")
    if existing is None:
        cluster.create(desired, "endpointslices.discovery.k8s.io")
    elif (existing.get("endpoints"), existing.get("ports")) != (desired["endpoints"], desired["ports"]):
        existing["endpoints"], existing["ports"] = desired["endpoints"], desired["ports"]
        cluster.update(existing, "endpointslices.discovery.k8s.io")


def _control_plane_address(cluster: Cluster) -> str:
    for node in cluster.list("nodes"):
        if CONTROL_PLANE_LABEL in (node["metadata"].get("labels") or {}):
            for address in (node.get("status") or {}).get("addresses") or ():
                if address.get("type") == "InternalIP":
                    return address["address"]
    return ""
