"""Injected faults (docs/faults.md): the annotations that break image pulls, containers and nodes."""

from __future__ import annotations

FAULT_PREFIX = "fault.minikctl.io/"
IMAGE_PULL = FAULT_PREFIX + "image-pull"
CRASH_LOOP = FAULT_PREFIX + "crash-loop"
EXIT_CODE = FAULT_PREFIX + "exit-code"
NODE_NOT_READY = FAULT_PREFIX + "not-ready"
FAULT_OFF = ("", "false", "no", "off", "0")


def fault_annotations(obj: dict) -> dict:
    annotations = obj["metadata"].get("annotations") or {}
    return {k: v for k, v in annotations.items() if k.startswith(FAULT_PREFIX)}


def container_selected(annotations: dict, fault: str, container: str) -> bool:
    """A fault applies to every container ("true") or to the comma-separated containers it names."""
    value = str(annotations.get(fault, "")).strip()
    if value.lower() in FAULT_OFF:
        return False
    if value.lower() in ("true", "yes", "on", "all", "*"):
        return True
    return container in {part.strip() for part in value.split(",")}


def fault_exit_code(annotations: dict) -> int:
    try:
        return int(annotations.get(EXIT_CODE, 1))
    except ValueError:
        return 1


def node_fault(node: dict) -> bool:
    """A node is broken by label or annotation fault.minikctl.io/not-ready=true."""
    for source in (node["metadata"].get("labels") or {}, node["metadata"].get("annotations") or {}):
        if str(source.get(NODE_NOT_READY, "")).strip().lower() not in FAULT_OFF:
            return True
    return False
