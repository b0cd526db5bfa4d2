"""A pod's total requests and limits, the one sum the scheduler, quota, limit ranges and describe share.

Follows k8s.io/component-helpers resource/helpers.go (PodRequests, PodLimits): app containers add
up; a sidecar (an init container with restartPolicy Always) runs beside everything after it, so it
adds to the app containers and to each later init container; the pod needs the larger of the app
total and the peak reached while init containers run; pod overhead is added to requests, and to
limits only for resources that have a limit.
"""

from __future__ import annotations

from minikctl.core import quantity as quantities
from minikctl.core.quantity import Quantity


def pod_requests(pod: dict) -> dict[str, Quantity]:
    total = _pod_sum(pod, "requests")
    _add_into(total, _parsed((pod.get("spec") or {}).get("overhead") or {}))
    return total


def pod_limits(pod: dict) -> dict[str, Quantity]:
    total = _pod_sum(pod, "limits")
    overhead = _parsed((pod.get("spec") or {}).get("overhead") or {})
    _add_into(total, {name: amount for name, amount in overhead.items() if name in total})
    return total


def container_resources(container: dict, field: str) -> dict[str, Quantity]:
    """One container's requests or limits, parsed."""
    return _parsed((container.get("resources") or {}).get(field) or {})


def _parsed(values: dict) -> dict[str, Quantity]:
    return {name: quantities.parse(value) for name, value in values.items()}


def _pod_sum(pod: dict, field: str) -> dict[str, Quantity]:
    spec = pod.get("spec") or {}
    total: dict[str, Quantity] = {}
    for container in spec.get("containers") or ():
        _add_into(total, container_resources(container, field))
    sidecars: dict[str, Quantity] = {}
    init_peak: dict[str, Quantity] = {}
    for container in spec.get("initContainers") or ():
        own = container_resources(container, field)
        if container.get("restartPolicy") == "Always":
            _add_into(total, own)
            _add_into(sidecars, own)
            _max_into(init_peak, dict(sidecars))
        else:
            running = dict(own)
            _add_into(running, sidecars)
            _max_into(init_peak, running)
    _max_into(total, init_peak)
    return total


def _add_into(total: dict, extra: dict) -> None:
    for name, amount in extra.items():
        total[name] = total[name] + amount if name in total else amount


def _max_into(total: dict, extra: dict) -> None:
    for name, amount in extra.items():
        if name not in total or amount.value > total[name].value:
            total[name] = amount
