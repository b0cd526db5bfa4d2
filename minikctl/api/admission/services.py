"""The Service registry's allocations: cluster IPs, IP families, node ports, load-balancer addresses.

Nothing is kept aside: what is taken is read from the stored Services on every write, so deleting a
Service frees its addresses and ports at once and nothing can leak.
Sources (behaviour, not code): kubernetes/kubernetes pkg/registry/core/service/storage/alloc.go
(initIPFamilyFields, allocIPs, initNodePorts), pkg/registry/core/service/storage/storage.go
(patchAllocatedValues), pkg/registry/core/service/ipallocator/bitmap.go and
pkg/registry/core/service/portallocator/allocator.go (ranges, static bands, error texts).
The load-balancer pool plays kind's cloud-provider-kind / MetalLB.
"""

from __future__ import annotations

import ipaddress

from minikctl.errors import InvalidError

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORTS = range(30000, 32768)
LOAD_BALANCER_POOL = [str(ipaddress.ip_address("172.18.255.200") + offset) for offset in range(51)]
NODE_PORT_TYPES = ("NodePort", "LoadBalancer")
HEADLESS = "None"


def admit(cluster, kind, obj, operation, old=None) -> None:
    if kind.kind != "Service":
        return
    spec = obj.setdefault("spec", {})
    name = obj["metadata"].get("name", "")
    others = [s for s in cluster.list("services") if not _same(s, obj)]
    if old is not None:
        _keep_allocations(spec, old.get("spec") or {})
        _refuse_cluster_ip_change(name, spec, old.get("spec") or {})
    if spec.get("type") == "ExternalName":
        _drop_cluster_ip_fields(spec)
    else:
        _default_ip_families(spec, old)
        _allocate_cluster_ip(cluster, name, spec, others)
    _allocate_node_ports(cluster, name, spec, others)
    _assign_load_balancer(obj, old, others)


def _same(stored: dict, obj: dict) -> bool:
    meta, other = stored["metadata"], obj["metadata"]
    return meta.get("name") == other.get("name") and meta.get("namespace") == other.get("namespace")


# -- updates keep what was allocated -------------------------------------------------------------
def _keep_allocations(spec: dict, old: dict) -> None:
    """An update that leaves allocated values out keeps them (storage.go patchAllocatedValues)."""
    if old.get("type") != "ExternalName" and spec.get("type") != "ExternalName":
        if not spec.get("clusterIP") and not spec.get("clusterIPs"):
            for field in ("clusterIP", "clusterIPs"):
                if field in old:
                    spec[field] = list(old[field]) if isinstance(old[field], list) else old[field]
        for field in ("ipFamilies", "ipFamilyPolicy"):
            if field not in spec and field in old:
                spec[field] = old[field]
    if old.get("type") in NODE_PORT_TYPES and spec.get("type") in NODE_PORT_TYPES:
        old_ports = {port.get("name", ""): port.get("nodePort") for port in old.get("ports") or ()}
        taken = {port.get("nodePort") for port in spec.get("ports") or () if port.get("nodePort")}
        for port in spec.get("ports") or ():
            previous = old_ports.get(port.get("name", ""))
            if not port.get("nodePort") and previous and previous not in taken:
                port["nodePort"] = previous
    elif old.get("type") in NODE_PORT_TYPES:
        old_node_ports = {port.get("nodePort") for port in old.get("ports") or ()}
        for port in spec.get("ports") or ():
            if port.get("nodePort") in old_node_ports:
                del port["nodePort"]


def _refuse_cluster_ip_change(name: str, spec: dict, old: dict) -> None:
    """clusterIP is immutable while both versions have one (validation.go ValidateServiceUpdate)."""
    if "ExternalName" in (spec.get("type"), old.get("type")) or not old.get("clusterIP"):
        return
    if spec.get("clusterIP") != old["clusterIP"]:
        raise InvalidError("Service", name, [
            f'spec.clusterIPs[0]: Invalid value: "{spec.get("clusterIP", "")}": may not change once set'])


def _drop_cluster_ip_fields(spec: dict) -> None:
    for field in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
        spec.pop(field, None)


# -- IP families and cluster IPs -----------------------------------------------------------------
def _default_ip_families(spec: dict, old: dict | None) -> None:
    """SingleStack IPv4, except headless without selector: RequireDualStack with both families."""
    if spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    if spec.get("clusterIPs") and not spec.get("clusterIP"):
        spec["clusterIP"] = spec["clusterIPs"][0]
    headless_without_selector = spec.get("clusterIP") == HEADLESS and not spec.get("selector")
    if "ipFamilyPolicy" not in spec:
        spec["ipFamilyPolicy"] = "RequireDualStack" if headless_without_selector else "SingleStack"
    if not spec.get("ipFamilies"):
        spec["ipFamilies"] = ["IPv4"]
    if headless_without_selector and spec["ipFamilyPolicy"] != "SingleStack" and len(spec["ipFamilies"]) == 1:
        spec["ipFamilies"] = spec["ipFamilies"] + ["IPv6"]


def _allocate_cluster_ip(cluster, name: str, spec: dict, others: list[dict]) -> None:
    requested = spec.get("clusterIP") or ""
    if requested == HEADLESS:
        spec["clusterIPs"] = [HEADLESS]
        return
    if requested:
        _check_requested_ip(name, spec, requested, others)
        return
    address = _free_address(cluster, _used_addresses(others))
    spec["clusterIP"] = address
    spec["clusterIPs"] = [address]


def _used_addresses(services: list[dict]) -> set[str]:
    return {ip for service in services for ip in (service.get("spec") or {}).get("clusterIPs") or ()}


def _check_requested_ip(name: str, spec: dict, requested: str, others: list[dict]) -> None:
    shown = "[]string{" + ", ".join(f'"{ip}"' for ip in spec["clusterIPs"]) + "}"
    try:
        address = ipaddress.ip_address(requested)
    except ValueError:
        raise InvalidError("Service", name, [
            f'spec.clusterIPs[0]: Invalid value: "{requested}": must be a valid IP address, '
            "(e.g. 10.9.8.7 or 2001:db8::ffff)"]) from None
    if address not in SERVICE_CIDR or address in (SERVICE_CIDR.network_address, SERVICE_CIDR.broadcast_address):
        problem = (f"the provided IP ({requested}) is not in the valid range. "
                   f"The range of valid IPs is {SERVICE_CIDR}")
    elif requested in _used_addresses(others):
        problem = "provided IP is already allocated"
    else:
        return
    raise InvalidError("Service", name, [
        f"spec.clusterIPs: Invalid value: {shown}: failed to allocate IP {requested}: {problem}"])


def _static_band_size(total: int) -> int:
    """Requested addresses are steered to a low band, random ones to the rest (KEP-3070)."""
    return min(max(16, total // 16), 256)


def _free_address(cluster, used: set[str]) -> str:
    first = int(SERVICE_CIDR.network_address) + 1
    last = int(SERVICE_CIDR.broadcast_address) - 1
    dynamic_start = first + _static_band_size(SERVICE_CIDR.num_addresses)
    for _ in range(64):
        candidate = str(ipaddress.ip_address(cluster.rng.randint(dynamic_start, last)))
        if candidate not in used:
            return candidate
    for number in range(first, last + 1):
        candidate = str(ipaddress.ip_address(number))
        if candidate not in used:
            return candidate
    raise InvalidError("Service", "", ["spec.clusterIPs: Internal error: range is full"])


# -- node ports ------------------------------------------------------------------------------------
def _allocate_node_ports(cluster, name: str, spec: dict, others: list[dict]) -> None:
    ports = spec.get("ports") or []
    if spec.get("type") not in NODE_PORT_TYPES:
        _forbid_node_ports(name, spec)
        return
    allocate_new = spec.get("type") == "NodePort" or spec.get("allocateLoadBalancerNodePorts", True)
    used_elsewhere = _used_node_ports(others)
    used = set(used_elsewhere)
    by_port_number: dict[int, int] = {}
    for index, port in enumerate(ports):
        wanted = port.get("nodePort") or 0
        if wanted:
            _check_requested_node_port(name, index, wanted, used_elsewhere)
            used.add(wanted)
            by_port_number.setdefault(port.get("port"), wanted)
        elif allocate_new:
            chosen = by_port_number.get(port.get("port")) or _free_node_port(cluster, used)
            port["nodePort"] = chosen
            used.add(chosen)
            by_port_number.setdefault(port.get("port"), chosen)


def _forbid_node_ports(name: str, spec: dict) -> None:
    for index, port in enumerate(spec.get("ports") or ()):
        if port.get("nodePort"):
            raise InvalidError("Service", name, [
                f"spec.ports[{index}].nodePort: Forbidden: may not be used when `type` is '{spec.get('type')}'"])


def _used_node_ports(services: list[dict]) -> set[int]:
    used = set()
    for service in services:
        spec = service.get("spec") or {}
        used |= {port["nodePort"] for port in spec.get("ports") or () if port.get("nodePort")}
        if spec.get("healthCheckNodePort"):
            used.add(spec["healthCheckNodePort"])
    return used


def _check_requested_node_port(name: str, index: int, wanted: int, used: set[int]) -> None:
    if wanted not in NODE_PORTS:
        problem = (f"provided port is not in the valid range. The range of valid ports is "
                   f"{NODE_PORTS.start}-{NODE_PORTS.stop - 1}")
    elif wanted in used:
        problem = "provided port is already allocated"
    else:
        return
    raise InvalidError("Service", name, [f"spec.ports[{index}].nodePort: Invalid value: {wanted}: {problem}"])


def _free_node_port(cluster, used: set[int]) -> int:
    dynamic_start = NODE_PORTS.start + min(max(16, len(NODE_PORTS) // 32), 128)
    for _ in range(64):
        candidate = cluster.rng.randint(dynamic_start, NODE_PORTS.stop - 1)
        if candidate not in used:
            return candidate
    for candidate in NODE_PORTS:
        if candidate not in used:
            return candidate
    raise InvalidError("Service", "", ["spec.ports: Internal error: range is full"])


# -- load balancers ----------------------------------------------------------------------------------
def _assign_load_balancer(obj: dict, old: dict | None, others: list[dict]) -> None:
    """A LoadBalancer keeps its address; a new one takes the first free one of the pool."""
    status = obj.setdefault("status", {})
    if (obj.get("spec") or {}).get("type") != "LoadBalancer":
        status["loadBalancer"] = {}
        return
    previous = ((old or {}).get("status") or {}).get("loadBalancer") or {}
    if previous.get("ingress"):
        status["loadBalancer"] = previous
        return
    used = {ingress.get("ip") for service in others
            for ingress in ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()}
    wanted = (obj.get("spec") or {}).get("loadBalancerIP")
    free = [address for address in LOAD_BALANCER_POOL if address not in used]
    address = wanted if wanted and wanted not in used else (free[0] if free else None)
    status["loadBalancer"] = {"ingress": [{"ip": address, "ipMode": "VIP"}]} if address else {}
