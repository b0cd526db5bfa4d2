"""kube-proxy's routing, as a function of the state: which pod a connection to IP:port reaches.

Virtual IPs (cluster IPs, node ports, load-balancer addresses) are translated to a ready endpoint from
the Service's EndpointSlices, falling back to serving-and-terminating ones; traffic policies `Local`
keep the choice on the client's (internal) or receiving (external) node; sessionAffinity ClientIP pins a
client. The choice is round robin, remembered in the state, so replaying the same commands gives the
same answers (kube-proxy itself picks at random). Behaviour from controllers.md §3.8 and
kubernetes/kubernetes pkg/proxy/topology.go (CategorizeEndpoints), pkg/proxy/iptables/proxier.go.
"""

from __future__ import annotations

from dataclasses import dataclass

from minikctl.cluster import Cluster
from minikctl.core.conditions import TERMINAL_PHASES

SLICES = "endpointslices.discovery.k8s.io"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
STATE_KEY = "kubeProxy"


class ConnectionRefused(Exception):
    """Nothing accepts the connection (no endpoint, no listener): the client sees ECONNREFUSED."""


@dataclass(frozen=True)
class Endpoint:
    ip: str
    port: int
    node: str
    pod: tuple[str, str] | None  # (namespace, name) of the pod, None for an endpoint that is not a pod


@dataclass(frozen=True)
class Route:
    """Where a connection ended: the endpoint, and the virtual address it went through ("" if direct)."""
    endpoint: Endpoint
    service: dict | None
    via: str

    def describe(self) -> str:
        target = self.endpoint
        if target.pod:
            who = f"pod {target.pod[0]}/{target.pod[1]}"
        else:
            who = f"node {target.node}" if target.node else "endpoint"
        text = f"minikctl: reached {who} ({target.ip}:{target.port})"
        if self.service is None:
            return text + " directly"
        meta = self.service["metadata"]
        return f"{text} via service {meta['namespace']}/{meta['name']} ({self.via})"


def connect(cluster: Cluster, client: dict, ip: str, port: int, protocol: str = "TCP") -> Route:
    """The endpoint a connection from pod `client` to ip:port reaches; ConnectionRefused if none."""
    for service in cluster.list("services"):
        route = _through_service(cluster, client, service, ip, port, protocol)
        if route is not None:
            return route
    node = _node_with_address(cluster, ip)
    if node is not None:
        return _through_node_port(cluster, client, node, ip, port, protocol)
    return _to_pod(cluster, ip, port, protocol)


# -- virtual addresses -----------------------------------------------------------------------------
def _through_service(cluster, client, service, ip, port, protocol) -> Route | None:
    spec = service.get("spec") or {}
    if ip in (spec.get("clusterIPs") or ()) and ip != "None":
        via, local_node = f"{ip}:{port}", None
        if spec.get("internalTrafficPolicy") == "Local":
            local_node = client["spec"].get("nodeName", "")
    elif spec.get("type") == "LoadBalancer" and ip in _ingress_addresses(service):
        via, local_node = f"LoadBalancer {ip}:{port}", None
    else:
        return None
    service_port = _service_port(spec, lambda p: p.get("port") == port, protocol)
    return _pick(cluster, client, service, service_port, via, local_node)


def _ingress_addresses(service: dict) -> list[str]:
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
    return [entry.get("ip") for entry in ingress if entry.get("ip")]


def _through_node_port(cluster, client, node: dict, ip: str, port: int, protocol: str) -> Route:
    for service in cluster.list("services"):
        spec = service.get("spec") or {}
        if spec.get("type") not in ("NodePort", "LoadBalancer"):
            continue
        service_port = _service_port(spec, lambda p: p.get("nodePort") == port, protocol)
        if service_port is None:
            continue
        local_node = node["metadata"]["name"] if spec.get("externalTrafficPolicy") == "Local" else None
        return _pick(cluster, client, service, service_port, f"NodePort {ip}:{port}", local_node)
    endpoint = _api_server_on(cluster, node, ip, port)
    if endpoint is None:
        raise ConnectionRefused()
    return Route(endpoint, None, "")


def _api_server_on(cluster, node: dict, ip: str, port: int) -> Endpoint | None:
    """The control-plane node listens on 6443 itself: the API server's own endpoint."""
    kubernetes = cluster.get("endpoints", "default", "kubernetes") or {}
    for subset in kubernetes.get("subsets") or ():
        if any(a.get("ip") == ip for a in subset.get("addresses") or ()) and \
                any(p.get("port") == port for p in subset.get("ports") or ()):
            return Endpoint(ip, port, node["metadata"]["name"], None)
    return None


def _service_port(spec: dict, matches, protocol: str) -> dict | None:
    for service_port in spec.get("ports") or ():
        if matches(service_port) and service_port.get("protocol", "TCP") == protocol:
            return service_port
    return None


def _node_with_address(cluster: Cluster, ip: str) -> dict | None:
    for node in cluster.list("nodes"):
        if any(a.get("address") == ip for a in (node.get("status") or {}).get("addresses") or ()):
            return node
    return None


# -- choosing an endpoint ------------------------------------------------------------------------------
def _pick(cluster, client, service, service_port, via: str, local_node: str | None) -> Route:
    if service_port is None:
        raise ConnectionRefused()
    candidates = usable_endpoints(cluster, service, service_port)
    if local_node is not None:
        candidates = [e for e in candidates if e.node == local_node]
    if not candidates:
        raise ConnectionRefused()
    key = f"{service['metadata']['namespace']}/{service['metadata']['name']}:{service_port.get('name', '')}"
    chosen = _sticky_choice(cluster, service, key, client, candidates) or _round_robin(cluster, key, candidates)
    return Route(chosen, service, via)


def usable_endpoints(cluster: Cluster, service: dict, service_port: dict) -> list[Endpoint]:
    """Ready endpoints of the Service port; serving-and-terminating ones when none is ready."""
    ready, terminating = [], []
    for endpoint_slice in cluster.list(SLICES, service["metadata"]["namespace"]):
        if (endpoint_slice["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) != service["metadata"]["name"]:
            continue
        number = _slice_port_number(endpoint_slice, service_port)
        if number is None:
            continue
        for entry in endpoint_slice.get("endpoints") or ():
            conditions = entry.get("conditions") or {}
            endpoint = _endpoint(entry, number)
            if conditions.get("ready", True):
                ready.append(endpoint)
            elif conditions.get("serving") and conditions.get("terminating"):
                terminating.append(endpoint)
    return sorted(ready or terminating, key=lambda e: (e.ip, e.port))


def _slice_port_number(endpoint_slice: dict, service_port: dict) -> int | None:
    for port in endpoint_slice.get("ports") or ():
        if (port.get("name") or "") == service_port.get("name", "") and \
                port.get("protocol", "TCP") == service_port.get("protocol", "TCP"):
            return port.get("port")
    return None


def _endpoint(entry: dict, number: int) -> Endpoint:
    reference = entry.get("targetRef") or {}
    pod = (reference.get("namespace", ""), reference["name"]) if reference.get("kind") == "Pod" else None
    return Endpoint(entry["addresses"][0], number, entry.get("nodeName", ""), pod)


def _proxy_state(cluster: Cluster) -> dict:
    return cluster.meta.setdefault(STATE_KEY, {"next": {}, "affinity": {}})


def _round_robin(cluster: Cluster, key: str, candidates: list[Endpoint]) -> Endpoint:
    state = _proxy_state(cluster)["next"]
    turn = state.get(key, 0)
    state[key] = (turn + 1) % len(candidates)
    cluster.changed = True
    return candidates[turn % len(candidates)]


def _sticky_choice(cluster, service, key: str, client: dict, candidates: list[Endpoint]) -> Endpoint | None:
    """sessionAffinity ClientIP: a client keeps its endpoint while that endpoint is usable."""
    if (service.get("spec") or {}).get("sessionAffinity") != "ClientIP":
        return None
    affinity = _proxy_state(cluster)["affinity"]
    client_key = f"{key}|{(client.get('status') or {}).get('podIP', '')}"
    remembered = affinity.get(client_key)
    chosen = next((e for e in candidates if f"{e.ip}:{e.port}" == remembered), None)
    if chosen is None:
        chosen = _round_robin(cluster, key, candidates)
        affinity[client_key] = f"{chosen.ip}:{chosen.port}"
        cluster.changed = True
    return chosen


# -- pod addresses ---------------------------------------------------------------------------------------
def _to_pod(cluster: Cluster, ip: str, port: int, protocol: str) -> Route:
    for pod in cluster.list("pods"):
        status = pod.get("status") or {}
        if status.get("podIP") != ip or pod["spec"].get("hostNetwork") or status.get("phase") in TERMINAL_PHASES:
            continue
        if status.get("phase") != "Running" or not _listens_on(pod, port, protocol):
            raise ConnectionRefused()
        meta = pod["metadata"]
        return Route(Endpoint(ip, port, pod["spec"].get("nodeName", ""), (meta["namespace"], meta["name"])), None, "")
    raise ConnectionRefused()


def _listens_on(pod: dict, port: int, protocol: str) -> bool:
    """A pod listens on its declared container ports; one that declares none is taken to listen anywhere."""
    declared = [(p.get("containerPort"), p.get("protocol", "TCP"))
                for c in pod["spec"].get("containers") or () for p in c.get("ports") or ()]
    return not declared or (port, protocol) in declared
