"""NetworkPolicy as a policy-enforcing CNI plugin applies it: may this connection be opened?

A pure function of the state. It judges pod-to-pod traffic after kube-proxy's DNAT: a Service's
virtual address has already become an endpoint pod and its target port, so `ipBlock` sees pod IPs,
and an address that belongs to no pod (a node's, the API server's) is "outside the cluster".

A connection is allowed when the source's egress and the destination's ingress both let it through.
A pod is isolated in a direction once some policy of its namespace selects it with that direction in
its policyTypes; an isolated pod accepts only what some rule of those policies admits (policies add
allowances, their order does not matter). Traffic a pod sends to itself and traffic between a pod and
its own node are never filtered.

Facts: kubernetes/website content/en/docs/concepts/services-networking/network-policies.md;
kubernetes/api networking/v1/types.go (NetworkPolicySpec, NetworkPolicyPeer, IPBlock,
NetworkPolicyPort); ../shared/reference/controllers.md §3.11.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from minikctl.core.selectors import selector_matches
from minikctl.cluster import Cluster
from minikctl.network import dns, proxy

POLICIES = "networkpolicies.networking.k8s.io"
INGRESS, EGRESS = "Ingress", "Egress"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
DNS_PORT = 53


@dataclass(frozen=True)
class Party:
    """One end of a connection: a pod, or an address no pod holds (pod is None)."""
    ip: str
    pod: dict | None = None

    @property
    def namespace(self) -> str:
        return self.pod["metadata"]["namespace"] if self.pod else ""

    @property
    def name(self) -> str:
        if self.pod is None:
            return self.ip
        return f"{self.namespace}/{self.pod['metadata']['name']}"

    @property
    def labels(self) -> dict:
        return (self.pod["metadata"].get("labels") or {}) if self.pod else {}


@dataclass(frozen=True)
class Direction:
    """The judgement for one side: egress of the source, or ingress of the destination.

    `isolating` names the policies that select the side for this direction; `allowed_by` is the first
    rule that admits the connection ("ns/policy ingress[0]"); `refusals` say, rule by rule, why none
    does; `exempt` is why the direction is not filtered at all (loopback, own node, not a pod).
    """
    kind: str
    party: Party
    isolating: tuple[str, ...] = ()
    allowed_by: str = ""
    refusals: tuple[str, ...] = ()
    exempt: str = ""

    @property
    def allowed(self) -> bool:
        return bool(self.exempt or not self.isolating or self.allowed_by)


@dataclass(frozen=True)
class Verdict:
    source: Party
    destination: Party
    port: int
    protocol: str
    egress: Direction
    ingress: Direction

    @property
    def allowed(self) -> bool:
        return self.egress.allowed and self.ingress.allowed


def verdict(cluster: Cluster, source_pod: dict, destination_pod: dict, port: int, protocol: str = "TCP") -> Verdict:
    """May source_pod open a connection to destination_pod's port/protocol?"""
    return judge(cluster, source_pod, Party(pod_ip(destination_pod), destination_pod), port, protocol)


def verdict_to_address(cluster: Cluster, source_pod: dict, ip: str, port: int, protocol: str = "TCP") -> Verdict:
    """Like verdict, for a destination address: the pod holding it, else an address outside the pod network."""
    holder = next((p for p in cluster.list("pods") if pod_ip(p) == ip and not p["spec"].get("hostNetwork")), None)
    return judge(cluster, source_pod, Party(ip, holder), port, protocol)


def judge(cluster: Cluster, source_pod: dict, destination: Party, port: int, protocol: str) -> Verdict:
    source = Party(pod_ip(source_pod), source_pod)
    exemption = _exemption(cluster, source, destination)
    egress = _direction(cluster, EGRESS, source, destination, destination, port, protocol, exemption)
    ingress_exemption = exemption or ("" if destination.pod else "the destination is not a pod")
    ingress = _direction(cluster, INGRESS, destination, source, destination, port, protocol, ingress_exemption)
    return Verdict(source, destination, port, protocol, egress, ingress)


def pod_ip(pod: dict) -> str:
    return (pod.get("status") or {}).get("podIP", "")


def _exemption(cluster: Cluster, source: Party, destination: Party) -> str:
    if destination.pod is not None and destination.name == source.name:
        return "a pod's traffic to itself is never filtered"
    if destination.ip in _node_addresses(cluster, source.pod["spec"].get("nodeName", "")):
        return "traffic between a pod and its own node is always allowed"
    return ""


def _node_addresses(cluster: Cluster, node_name: str) -> set[str]:
    node = cluster.get("nodes", "", node_name) if node_name else None
    return {a.get("address") for a in ((node or {}).get("status") or {}).get("addresses") or ()}


# -- one direction -------------------------------------------------------------------------------------
def _direction(cluster, kind: str, party: Party, peer: Party, destination: Party, port: int, protocol: str,
               exemption: str) -> Direction:
    if exemption:
        return Direction(kind, party, exempt=exemption)
    policies = isolating_policies(cluster, party.pod, kind)
    names = tuple(_policy_name(p) for p in policies)
    refusals = []
    for policy in policies:
        rules = (policy.get("spec") or {}).get(kind.lower()) or []
        if not rules:
            refusals.append(f"{_policy_name(policy)}: no {kind.lower()} rules (denies all)")
        for index, rule in enumerate(rules):
            refusal = _rule_refusal(cluster, policy, kind, rule, peer, destination, port, protocol)
            if refusal is None:
                return Direction(kind, party, names, f"{_policy_name(policy)} {kind.lower()}[{index}]")
            refusals.append(f"{_policy_name(policy)} {kind.lower()}[{index}]: {refusal}")
    return Direction(kind, party, names, refusals=tuple(refusals))


def isolating_policies(cluster: Cluster, pod: dict, kind: str) -> list[dict]:
    """The policies of the pod's namespace that select it and name `kind` in their policyTypes."""
    labels = pod["metadata"].get("labels") or {}
    return [policy for policy in cluster.list(POLICIES, pod["metadata"]["namespace"])
            if kind in policy_types(policy)
            and selector_matches((policy.get("spec") or {}).get("podSelector") or {}, labels)]


def policy_types(policy: dict) -> list[str]:
    """spec.policyTypes, or what the API server defaults it to: Ingress, plus Egress with egress rules."""
    spec = policy.get("spec") or {}
    return spec.get("policyTypes") or [INGRESS] + ([EGRESS] if spec.get("egress") else [])


def _policy_name(policy: dict) -> str:
    return f"{policy['metadata']['namespace']}/{policy['metadata']['name']}"


def _rule_refusal(cluster, policy, kind, rule, peer: Party, destination: Party, port, protocol) -> str | None:
    """Why the rule does not admit the connection; None when it does."""
    field = "from" if kind == INGRESS else "to"
    peers = rule.get(field) or []
    if peers and not any(peer_matches(cluster, policy, entry, peer) for entry in peers):
        return f"no '{field}' entry matches {peer.name}"
    ports = rule.get("ports") or []
    if ports and not any(port_matches(entry, destination, port, protocol) for entry in ports):
        listed = ", ".join(_port_text(entry) for entry in ports)
        return f"port {port}/{protocol} is not among its ports ({listed})"
    return None


# -- peers -----------------------------------------------------------------------------------------------
def peer_matches(cluster: Cluster, policy: dict, entry: dict, peer: Party) -> bool:
    """One NetworkPolicyPeer: an ipBlock, or pods chosen by podSelector and/or namespaceSelector."""
    if entry.get("ipBlock"):
        return ip_in_block(peer.ip, entry["ipBlock"])
    if peer.pod is None:
        return False
    namespace_selector = entry.get("namespaceSelector")
    if namespace_selector is None:
        in_namespace = peer.namespace == policy["metadata"]["namespace"]
    else:
        in_namespace = selector_matches(namespace_selector, namespace_labels(cluster, peer.namespace))
    pod_selector = entry.get("podSelector")
    return in_namespace and (pod_selector is None or selector_matches(pod_selector, peer.labels))


def namespace_labels(cluster: Cluster, name: str) -> dict:
    """A namespace's labels; the API server always sets kubernetes.io/metadata.name."""
    namespace = cluster.get("namespaces", "", name) or {"metadata": {}}
    return {**(namespace["metadata"].get("labels") or {}), NAMESPACE_NAME_LABEL: name}


def ip_in_block(ip: str, block: dict) -> bool:
    """Inside cidr and outside every `except` range."""
    try:
        address = ipaddress.ip_address(ip)
        if address not in ipaddress.ip_network(block.get("cidr", ""), strict=False):
            return False
        return not any(address in ipaddress.ip_network(cidr, strict=False) for cidr in block.get("except") or ())
    except ValueError:
        return False


# -- ports -----------------------------------------------------------------------------------------------
def port_matches(entry: dict, destination: Party, port: int, protocol: str) -> bool:
    """A NetworkPolicyPort: protocol (TCP by default) and a number, a number..endPort range, or a name.

    A name means the destination pod's container port of that name (for egress rules too).
    """
    if entry.get("protocol", "TCP") != protocol:
        return False
    wanted = entry.get("port")
    if wanted is None:
        return True
    if isinstance(wanted, str):
        return (wanted, port, protocol) in container_ports(destination.pod)
    end = entry.get("endPort")
    return wanted <= port <= end if end else wanted == port


def container_ports(pod: dict | None) -> set[tuple[str, int, str]]:
    """(name, number, protocol) of the pod's named container ports."""
    if pod is None:
        return set()
    return {(p["name"], p.get("containerPort"), p.get("protocol", "TCP"))
            for c in pod["spec"].get("containers") or () for p in c.get("ports") or () if p.get("name")}


def _port_text(entry: dict) -> str:
    protocol = entry.get("protocol", "TCP")
    if entry.get("port") is None:
        return f"any/{protocol}"
    if entry.get("endPort"):
        return f"{entry['port']}-{entry['endPort']}/{protocol}"
    return f"{entry['port']}/{protocol}"


# -- hooks for exec's clients -----------------------------------------------------------------------------
def route_allowed(cluster: Cluster, client: dict, route) -> bool:
    """Whether the connection kube-proxy routed (a minikctl.network.proxy.Route) gets through, over TCP."""
    endpoint = route.endpoint
    if endpoint.pod is not None:
        destination = cluster.get("pods", *endpoint.pod)
        if destination is not None:
            return verdict(cluster, client, destination, endpoint.port).allowed
    return verdict_to_address(cluster, client, endpoint.ip, endpoint.port).allowed


def dns_reachable(cluster: Cluster, client: dict, server: str) -> bool:
    """Whether a query to the DNS server address gets through on 53/UDP.

    The cluster DNS address is a Service: a query reaches one of its endpoint pods, and retries reach
    the others, so one pod letting it through is enough.
    """
    return any(verdict(cluster, client, pod, DNS_PORT, "UDP").allowed for pod in _dns_server_pods(cluster, server))


def _dns_server_pods(cluster: Cluster, server: str) -> list[dict]:
    service = cluster.get("services", *dns.DNS_SERVICE)
    if service is not None and server == dns.cluster_dns_address(cluster):
        port = next((p for p in service["spec"].get("ports") or () if p.get("protocol") == "UDP"), None)
        endpoints = proxy.usable_endpoints(cluster, service, port) if port else []
        pods = (cluster.get("pods", *e.pod) for e in endpoints if e.pod)
        return [pod for pod in pods if pod is not None]
    return [pod for pod in cluster.list("pods") if pod_ip(pod) == server]
