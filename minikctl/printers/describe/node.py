"""describe node: conditions, capacity, system info, the pods on it and what they request.

Layout facts: kubernetes/kubectl pkg/describe/describe.go (describeNode, describeNodeLease,
describeNodeResource, getPodsTotalRequestsAndLimits, findNodeRoles, printTaintsMultilineWithIndent);
pod totals after kubernetes/kubectl pkg/util/resource/resource.go (PodRequestsAndLimits);
quantity text after kubernetes/apimachinery pkg/api/resource/quantity.go (CanonicalizeBytes).
../shared/reference/kubectl-cli.md §9.10.
"""

from __future__ import annotations

from fractions import Fraction

from minikctl.core import quantity as quantities, resources
from minikctl.core.quantity import Quantity
from minikctl.printers.describe import engine
from minikctl.printers.describe.engine import Settings, Writer
from minikctl.printers.duration import since

ROLE_LABEL_PREFIX = "node-role.kubernetes.io/"
ROLE_LABEL = "kubernetes.io/role"
NODE_LEASE_NAMESPACE = "kube-node-lease"
SYSTEM_INFO = (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
               ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"), ("Operating System", "operatingSystem"),
               ("Architecture", "architecture"), ("Container Runtime Version", "containerRuntimeVersion"),
               ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion"))
STANDARD_RESOURCES = {"cpu", "memory", "ephemeral-storage", "storage", "pods", "requests.cpu", "requests.memory",
                      "requests.ephemeral-storage", "requests.storage", "limits.cpu", "limits.memory",
                      "limits.ephemeral-storage"}


def describe_node(node: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = node["metadata"], node.get("spec") or {}, node.get("status") or {}
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Roles:\t{','.join(node_roles(meta.get('labels'))) or '<none>'}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, f"CreationTimestamp:\t{engine.rfc1123z(meta.get('creationTimestamp'))}")
    _taints(w, spec.get("taints"))
    w.line(0, f"Unschedulable:\t{engine.go_bool(spec.get('unschedulable'))}")
    _lease(w, node, settings.cluster)
    _conditions(w, status.get("conditions"))
    w.line(0, "Addresses:")
    for address in status.get("addresses") or []:
        w.line(1, f"{address.get('type', '')}:\t{address.get('address', '')}")
    _resource_list(w, "Capacity", status.get("capacity"))
    _resource_list(w, "Allocatable", status.get("allocatable"))
    w.line(0, "System Info:")
    info = status.get("nodeInfo") or {}
    for title, field in SYSTEM_INFO:
        w.line(1, f"{title}:\t{info.get(field, '')}")
    _pod_cidrs_and_provider(w, spec)
    _node_resources(w, node, _non_terminated_pods(node, settings.cluster), settings)
    engine.events(w, node, settings)
    return w.text()


def node_roles(labels: dict | None) -> list[str]:
    roles = set()
    for key, value in (labels or {}).items():
        if key.startswith(ROLE_LABEL_PREFIX) and key[len(ROLE_LABEL_PREFIX):]:
            roles.add(key[len(ROLE_LABEL_PREFIX):])
        elif key == ROLE_LABEL and value:
            roles.add(value)
    return sorted(roles)


def _taints(w: Writer, taints: list | None) -> None:
    w.write(0, "Taints:\t")
    if not taints:
        w.line(0, "<none>")
        return
    ordered = sorted(taints, key=lambda taint: f"{taint.get('effect', '')},{taint.get('key', '')}")
    for position, taint in enumerate(ordered):
        if position:
            w.write(0, "\t")
        w.line(0, taint_text(taint))


def taint_text(taint: dict) -> str:
    """Taint.ToString: `key[=value][:effect]`."""
    text = taint.get("key", "") + (f"={taint['value']}" if taint.get("value") else "")
    return text + (f":{taint['effect']}" if taint.get("effect") else "")


def _lease(w: Writer, node: dict, cluster) -> None:
    """The node's Lease in kube-node-lease; minikctl stores none, so by default it is the one the kubelet
    would hold: held by the node, renewed at its last heartbeat."""
    lease = cluster.get("leases.coordination.k8s.io", NODE_LEASE_NAMESPACE, node["metadata"]["name"])
    spec = (lease or {}).get("spec") or _implied_lease(node)
    w.line(0, "Lease:")
    w.line(1, f"HolderIdentity:\t{spec.get('holderIdentity') or '<unset>'}")
    w.line(1, f"AcquireTime:\t{engine.rfc1123z(spec['acquireTime']) if spec.get('acquireTime') else '<unset>'}")
    w.line(1, f"RenewTime:\t{engine.rfc1123z(spec['renewTime']) if spec.get('renewTime') else '<unset>'}")


def _implied_lease(node: dict) -> dict:
    heartbeats = [c["lastHeartbeatTime"] for c in (node.get("status") or {}).get("conditions") or []
                  if c.get("lastHeartbeatTime")]
    return {"holderIdentity": node["metadata"]["name"], **({"renewTime": max(heartbeats)} if heartbeats else {})}


def _conditions(w: Writer, conditions: list | None) -> None:
    if not conditions:
        return
    w.line(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage")
    w.line(1, "----\t------\t-----------------\t------------------\t------\t-------")
    for c in conditions:
        w.line(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{engine.rfc1123z(c.get('lastHeartbeatTime'))} \t"
                  f"{engine.rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}")


def _resource_list(w: Writer, title: str, resources: dict | None) -> None:
    if not resources:
        return
    w.line(0, f"{title}:")
    for name in sorted(resources):
        w.line(1, f"{name}:\t{quantities.canonical_text(resources[name])}")


def _pod_cidrs_and_provider(w: Writer, spec: dict) -> None:
    if spec.get("podCIDR"):
        w.line(0, f"PodCIDR:\t{spec['podCIDR']}")
    if spec.get("podCIDRs"):
        w.line(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}")
    if spec.get("providerID"):
        w.line(0, f"ProviderID:\t{spec['providerID']}")


def _non_terminated_pods(node: dict, cluster) -> list[dict]:
    return [pod for pod in cluster.list("pods")
            if (pod.get("spec") or {}).get("nodeName") == node["metadata"]["name"]
            and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]


# -- requests and limits -----------------------------------------------------------------------
def pod_requests_and_limits(pod: dict) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """kubectl's PodRequestsAndLimits, the same sums the scheduler and quota use."""
    return resources.pod_requests(pod), resources.pod_limits(pod)


def _fraction_of(amount: Quantity | None, allocatable: dict, name: str) -> tuple[str, int]:
    """The amount's text and its whole percentage of the allocatable amount (milli-units for cpu)."""
    text = str(amount) if amount is not None else "0"
    total = allocatable.get(name)
    if amount is None or total is None:
        return text, 0
    scale = 1000 if name == "cpu" else 1
    whole = _ceil(quantities.parse(total).value * scale)
    return text, int(_ceil(amount.value * scale) * 100 / whole) if whole else 0


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def _node_resources(w: Writer, node: dict, pods: list[dict], settings: Settings) -> None:
    status = node.get("status") or {}
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    w.line(0, f"Non-terminated Pods:\t({len(pods)} in total)")
    w.line(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge")
    w.line(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---")
    for pod in pods:
        requests, limits = pod_requests_and_limits(pod)
        cells = [_cell(requests, "cpu", allocatable), _cell(limits, "cpu", allocatable),
                 _cell(requests, "memory", allocatable), _cell(limits, "memory", allocatable)]
        w.line(1, f"{pod['metadata'].get('namespace', '')}\t{pod['metadata']['name']}\t\t" + "\t".join(cells)
               + f"\t{since(pod['metadata'].get('creationTimestamp'), settings.now)}")
    _allocated(w, pods, allocatable)


def _cell(amounts: dict[str, Quantity], name: str, allocatable: dict) -> str:
    text, percent = _fraction_of(amounts.get(name), allocatable, name)
    return f"{text} ({percent}%)"


def _allocated(w: Writer, pods: list[dict], allocatable: dict) -> None:
    requests: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    for pod in pods:
        pod_requests, pod_limits = pod_requests_and_limits(pod)
        for summed, values in ((requests, pod_requests), (limits, pod_limits)):
            for name, amount in values.items():
                summed[name] = summed[name] + amount if name in summed else amount
    w.line(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)")
    w.line(1, "Resource\tRequests\tLimits")
    w.line(1, "--------\t--------\t------")
    huge_pages = sorted(name for name in allocatable if name.startswith("hugepages-"))
    for name in ["cpu", "memory", "ephemeral-storage"] + huge_pages:
        w.line(1, f"{name}\t{_cell(requests, name, allocatable)}\t{_cell(limits, name, allocatable)}")
    extended = sorted(name for name in allocatable
                      if not name.startswith("hugepages-") and name not in STANDARD_RESOURCES)
    for name in extended:
        w.line(1, f"{name}\t{requests.get(name) or '0'}\t{limits.get(name) or '0'}")
