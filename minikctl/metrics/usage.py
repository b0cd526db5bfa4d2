"""Per-pod and per-node usage, derived from requests and the `load.minikctl.io/` annotations.

metrics-server reports usage only for running pods (kubernetes-sigs/metrics-server: the kubelet's
summary API has no containers of a pod that does not run). minikctl has no real usage, so a
container's usage is derived from the state alone (docs/metrics.md):

* without load annotations: half of the container's request (IDLE_MILLICORES / IDLE_BYTES when it
  requests nothing), an idle application;
* `load.minikctl.io/cpu` / `load.minikctl.io/memory` on the pod (or its template), else on its
  outermost controller that has one: the pod's total usage, a quantity (`450m`, `200Mi`) or a
  percentage of the pod's request (`150%`), shared by its containers in proportion to their requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from minikctl.core.quantity import parse_quantity

LOAD_PREFIX = "load.minikctl.io/"
RESOURCES = ("cpu", "memory")
IDLE_SHARE_OF_REQUEST = Fraction(1, 2)
IDLE_MILLICORES = 1
IDLE_BYTES = 4 * 1024 * 1024
# Kubernetes' system components on each node, outside any pod (kubelet, container runtime).
NODE_SYSTEM_MILLICORES = 100
NODE_SYSTEM_BYTES = 512 * 1024 * 1024
# Owner kinds whose annotations a pod inherits, by the key of their resource.
OWNER_KEYS = {"ReplicaSet": "replicasets.apps", "Deployment": "deployments.apps", "StatefulSet": "statefulsets.apps",
              "DaemonSet": "daemonsets.apps", "ReplicationController": "replicationcontrollers",
              "Job": "jobs.batch", "CronJob": "cronjobs.batch"}


class LoadError(ValueError):
    """A load annotation whose value is neither a quantity nor a percentage."""


@dataclass(frozen=True)
class ContainerUsage:
    name: str
    millicores: int
    bytes: int


@dataclass(frozen=True)
class PodUsage:
    namespace: str
    name: str
    containers: tuple[ContainerUsage, ...]

    @property
    def millicores(self) -> int:
        return sum(c.millicores for c in self.containers)

    @property
    def bytes(self) -> int:
        return sum(c.bytes for c in self.containers)

    def amount(self, resource: str) -> int:
        """The usage in the unit the HPA computes with: millicores, or milli-bytes for memory."""
        return self.millicores if resource == "cpu" else self.bytes * 1000


def has_metrics(pod: dict) -> bool:
    """metrics-server scrapes running pods only."""
    return (pod.get("status") or {}).get("phase") == "Running" and not pod["metadata"].get("deletionTimestamp")


def pod_usage(cluster, pod: dict) -> PodUsage | None:
    """The pod's simulated usage, or None while it has no metrics."""
    if not has_metrics(pod):
        return None
    containers = (pod.get("spec") or {}).get("containers") or []
    per_resource = {resource: _container_amounts(cluster, pod, containers, resource) for resource in RESOURCES}
    usages = tuple(ContainerUsage(c["name"], per_resource["cpu"][i], per_resource["memory"][i])
                   for i, c in enumerate(containers))
    return PodUsage(pod["metadata"].get("namespace", ""), pod["metadata"]["name"], usages)


def container_request(container: dict, resource: str) -> int | None:
    """The request in millicores (cpu) or bytes (memory); None when the container requests nothing."""
    value = ((container.get("resources") or {}).get("requests") or {}).get(resource)
    if value is None:
        return None
    amount = parse_quantity(str(value))
    return _ceil(amount * 1000) if resource == "cpu" else _ceil(amount)


def _container_amounts(cluster, pod: dict, containers: list[dict], resource: str) -> list[int]:
    requests = [container_request(c, resource) for c in containers]
    load = load_annotation(cluster, pod, resource)
    if load is None:
        return [_idle(request, resource) for request in requests]
    total = _load_total(load, sum(r or 0 for r in requests), resource)
    return _share(total, requests)


def _idle(request: int | None, resource: str) -> int:
    if not request:
        return IDLE_MILLICORES if resource == "cpu" else IDLE_BYTES
    return int(request * IDLE_SHARE_OF_REQUEST)


def _load_total(text: str, pod_request: int, resource: str) -> int:
    text = text.strip()
    try:
        if text.endswith("%"):
            return int(pod_request * Fraction(text[:-1]) / 100)
        amount = parse_quantity(text)
    except (ValueError, ZeroDivisionError):
        raise LoadError(f"invalid {LOAD_PREFIX}{resource} value {text!r}") from None
    return _ceil(amount * 1000) if resource == "cpu" else _ceil(amount)


def _share(total: int, requests: list[int | None]) -> list[int]:
    """Split total among containers in proportion to their requests (evenly if none requests); the
    first container takes the rounding remainder so the parts add up to total."""
    if not requests:
        return []
    weights = [r or 0 for r in requests]
    if not any(weights):
        weights = [1] * len(requests)
    parts = [total * w // sum(weights) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def load_annotation(cluster, pod: dict, resource: str) -> str | None:
    """The pod's own `load.minikctl.io/<resource>`, else that of its outermost controller that has one.

    Outermost, because a Deployment's annotations are copied onto its ReplicaSets only when the
    Deployment controller syncs: the Deployment holds the current value.
    """
    key = LOAD_PREFIX + resource
    found = None
    obj: dict | None = pod
    while obj is not None:
        value = (obj["metadata"].get("annotations") or {}).get(key)
        if value is not None:
            found = value
            if obj is pod:
                break
        obj = _controller(cluster, obj)
    if found is None or found.strip().lower() in ("", "false", "off"):
        return None
    return found


def _controller(cluster, obj: dict) -> dict | None:
    for reference in obj["metadata"].get("ownerReferences") or ():
        if reference.get("controller") and reference.get("kind") in OWNER_KEYS:
            owner = cluster.get(OWNER_KEYS[reference["kind"]], obj["metadata"].get("namespace", ""),
                                reference.get("name", ""))
            if owner is not None and owner["metadata"].get("uid") == reference.get("uid"):
                return owner
    return None


def node_usage(node: dict, pod_usages: list[PodUsage]) -> tuple[int, int] | None:
    """(millicores, bytes) of a node: its pods plus the system's share; None when its kubelet is down."""
    from minikctl.core.conditions import node_is_ready

    if not node_is_ready(node):
        return None
    return (NODE_SYSTEM_MILLICORES + sum(u.millicores for u in pod_usages),
            NODE_SYSTEM_BYTES + sum(u.bytes for u in pod_usages))


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)
