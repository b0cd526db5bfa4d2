"""Cluster DNS answered from the state, the way CoreDNS's kubernetes plugin answers it.

Records follow the Kubernetes DNS-Based Service Discovery specification (kubernetes/dns
docs/specification.md, schema 1.1.0) and kubernetes/website
content/en/docs/concepts/services-networking/dns-pod-service.md; a pod's resolver (search list,
ndots) follows the kubelet's resolv.conf (pkg/kubelet/network/dns/dns.go). There is no upstream
resolver: names outside cluster.local do not exist here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from minikctl.cluster import Cluster

ZONE = "cluster.local"
SCHEMA_VERSION = "1.1.0"
DNS_SERVICE = ("kube-system", "kube-dns")
CLUSTER_FIRST_NDOTS = 5
NODE_NAMESERVER = "172.18.0.1"  # the docker network gateway a kind node resolves through


@dataclass(frozen=True)
class Record:
    name: str  # owner name, without the trailing dot
    type: str  # A, CNAME, SRV, PTR or TXT
    data: str  # the address, or the target with its trailing dot, or "prio weight port target."


@dataclass(frozen=True)
class ResolverConfig:
    """What the kubelet writes into a pod's /etc/resolv.conf."""
    nameserver: str
    searches: tuple[str, ...]
    ndots: int
    cluster_dns: bool


def resolver_config(cluster: Cluster, pod: dict) -> ResolverConfig:
    spec = pod.get("spec") or {}
    policy = spec.get("dnsPolicy", "ClusterFirst")
    dns_config = spec.get("dnsConfig") or {}
    extra = tuple(dns_config.get("searches") or ())
    ndots = _ndots_option(dns_config)
    if policy == "None":
        servers = dns_config.get("nameservers") or [NODE_NAMESERVER]
        return ResolverConfig(servers[0], extra, ndots or 1, servers[0] == cluster_dns_address(cluster))
    if policy == "Default" or (policy == "ClusterFirst" and spec.get("hostNetwork")):
        return ResolverConfig(NODE_NAMESERVER, extra, ndots or 1, False)
    namespace = pod["metadata"]["namespace"]
    searches = (f"{namespace}.svc.{ZONE}", f"svc.{ZONE}", ZONE) + extra
    return ResolverConfig(cluster_dns_address(cluster), tuple(dict.fromkeys(searches)),
                          ndots or CLUSTER_FIRST_NDOTS, True)


def _ndots_option(dns_config: dict) -> int:
    for option in dns_config.get("options") or ():
        if option.get("name") == "ndots" and str(option.get("value", "")).isdigit():
            return int(option["value"])
    return 0


def cluster_dns_address(cluster: Cluster) -> str:
    service = cluster.get("services", *DNS_SERVICE)
    return (service or {}).get("spec", {}).get("clusterIP", "")


def candidate_names(name: str, config: ResolverConfig) -> list[str]:
    """The names a resolver tries, in order: search suffixes first unless the name has ndots dots."""
    if name.endswith("."):
        return [name[:-1]]
    expanded = [f"{name}.{suffix}" for suffix in config.searches]
    return [name] + expanded if name.count(".") >= config.ndots else expanded + [name]


class Resolver:
    """Answers queries for the cluster zone; None means NXDOMAIN, [] means the name exists without such records."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster

    def resolve(self, name: str, record_type: str, config: ResolverConfig) -> tuple[str, list[Record] | None]:
        """Walk the search list; returns the name that answered (or the name as given) and its records."""
        if not config.cluster_dns:
            return name, None
        empty = None
        for candidate in candidate_names(name, config):
            records = self.lookup(candidate, record_type)
            if records:
                return candidate.lower(), records
            if records is not None and empty is None:
                empty = candidate.lower()
        return (empty, []) if empty else (name, None)

    def lookup(self, name: str, record_type: str) -> list[Record] | None:
        name = name.lower().rstrip(".")
        if name.endswith(".in-addr.arpa"):
            return self._reverse(name) if record_type == "PTR" else self._exists(self._reverse(name))
        if name == f"dns-version.{ZONE}":
            return [Record(name, "TXT", SCHEMA_VERSION)] if record_type == "TXT" else []
        if not name.endswith("." + ZONE):
            return None
        labels = name[:-len(ZONE) - 1].split(".")
        if len(labels) == 3 and labels[2] == "pod":
            return self._pod_record(name, labels[0], record_type)
        if labels[-1] != "svc" or len(labels) not in (3, 4, 5):
            return None
        return self._service_zone(name, labels[:-1], record_type)

    @staticmethod
    def _exists(records: list[Record] | None) -> list[Record] | None:
        return None if records is None else []

    # -- <svc>.<ns>.svc, <host>.<svc>.<ns>.svc, _<port>._<proto>.<svc>.<ns>.svc -------------------
    def _service_zone(self, name: str, labels: list[str], record_type: str) -> list[Record] | None:
        *prefix, service_name, namespace = labels
        service = self.cluster.get("services", namespace, service_name)
        if service is None:
            return None
        if not prefix:
            return self._service_records(name, service, record_type)
        if len(prefix) == 2 and all(label.startswith("_") for label in prefix):
            return self._srv_records(name, service, prefix[0][1:], prefix[1][1:], record_type)
        if len(prefix) == 1 and is_headless(service):
            return self._endpoint_record(name, service, prefix[0], record_type)
        return None

    def _endpoint_record(self, name: str, service: dict, label: str, record_type: str) -> list[Record] | None:
        matching = [a for a in ready_addresses(self.cluster, service) if endpoint_label(a) == label]
        if not matching:
            return None
        return [Record(name, "A", matching[0]["ip"])] if record_type == "A" else []

    def _service_records(self, name: str, service: dict, record_type: str) -> list[Record] | None:
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return [Record(name, "CNAME", spec.get("externalName", "").rstrip(".") + ".")]
        if is_headless(service):
            addresses = ready_addresses(self.cluster, service)
            if not addresses:
                return None
            return [Record(name, "A", a["ip"]) for a in addresses] if record_type == "A" else []
        return [Record(name, "A", spec["clusterIP"])] if record_type == "A" and spec.get("clusterIP") else []

    def _srv_records(self, name: str, service: dict, port_name: str, protocol: str, record_type: str):
        ports = [p for p in (service.get("spec") or {}).get("ports") or ()
                 if p.get("name", "").lower() == port_name and p.get("protocol", "TCP").lower() == protocol]
        if not ports:
            return None
        if record_type != "SRV":
            return []
        fqdn = service_fqdn(service)
        if not is_headless(service):
            return [Record(name, "SRV", f"0 100 {p['port']} {fqdn}.") for p in ports]
        targets = [(f"{endpoint_label(a)}.{fqdn}.", number)
                   for a, numbers in ready_addresses_with_ports(self.cluster, service, ports[0]) for number in numbers]
        weight = 100 // len(targets) if targets else 0
        return [Record(name, "SRV", f"0 {weight} {number} {target}") for target, number in targets] or None

    def _pod_record(self, name: str, dashed: str, record_type: str) -> list[Record] | None:
        """`pods insecure`: any well-formed dashed address answers with that address."""
        try:
            address = str(ipaddress.IPv4Address(dashed.replace("-", ".")))
        except ValueError:
            return None
        return [Record(name, "A", address)] if record_type == "A" else []

    # -- reverse ---------------------------------------------------------------------------------
    def _reverse(self, name: str) -> list[Record] | None:
        octets = name[:-len(".in-addr.arpa")].split(".")
        if len(octets) != 4:
            return None
        address = ".".join(reversed(octets))
        for service in self.cluster.list("services"):
            if address in ((service.get("spec") or {}).get("clusterIPs") or ()):
                return [Record(name, "PTR", service_fqdn(service) + ".")]
        for service in self.cluster.list("services"):
            if is_headless(service):
                for entry in ready_addresses(self.cluster, service):
                    if entry["ip"] == address:
                        return [Record(name, "PTR", f"{endpoint_label(entry)}.{service_fqdn(service)}.")]
        return None


def is_headless(service: dict) -> bool:
    return (service.get("spec") or {}).get("clusterIP") == "None"


def service_fqdn(service: dict) -> str:
    return f"{service['metadata']['name']}.{service['metadata']['namespace']}.svc.{ZONE}"


def endpoint_label(address: dict) -> str:
    """An endpoint's own name under its Service: its hostname, else its dashed address."""
    return address.get("hostname") or address["ip"].replace(".", "-")


def ready_addresses(cluster: Cluster, service: dict) -> list[dict]:
    endpoints = cluster.get("endpoints", service["metadata"]["namespace"], service["metadata"]["name"]) or {}
    return [address for subset in endpoints.get("subsets") or () for address in subset.get("addresses") or ()]


def ready_addresses_with_ports(cluster: Cluster, service: dict, service_port: dict) -> list[tuple[dict, list[int]]]:
    """Ready addresses with the port numbers their subset gives the Service port's name."""
    endpoints = cluster.get("endpoints", service["metadata"]["namespace"], service["metadata"]["name"]) or {}
    found = []
    for subset in endpoints.get("subsets") or ():
        numbers = [p["port"] for p in subset.get("ports") or ()
                   if p.get("name", "") == service_port.get("name", "") and p.get("protocol") == service_port.get("protocol")]
        found += [(address, numbers) for address in subset.get("addresses") or ()]
    return found
