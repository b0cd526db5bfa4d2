"""The API server's `Warning:` lines for deprecated volume plugins and the beta storage-class annotation.

The registry strategies' WarningsOnCreate/WarningsOnUpdate, as kubernetes/kubernetes words them in
pkg/api/pod/warnings.go (pod specs and pod templates) and pkg/api/persistentvolumeclaim/util.go
(claims; a StatefulSet's claim templates only get the spec's warnings). kubectl prints each on stderr.
An update warns only when the spec changed: kubectl sends no request for an unchanged apply.
"""

from __future__ import annotations

from minikctl.cluster import Cluster

BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
# Volume plugins 1.32 warns about, with its words, in the order it checks them.
DEPRECATED_VOLUMES = (
    ("photonPersistentDisk", "deprecated in v1.11, non-functional in v1.16+"),
    ("gitRepo", "deprecated in v1.11"),
    ("scaleIO", "deprecated in v1.16, non-functional in v1.22+"),
    ("flocker", "deprecated in v1.22, non-functional in v1.25+"),
    ("storageos", "deprecated in v1.22, non-functional in v1.25+"),
    ("quobyte", "deprecated in v1.22, non-functional in v1.25+"),
    ("glusterfs", "deprecated in v1.25, non-functional in v1.26+"),
    ("cephfs", "deprecated in v1.28, non-functional in v1.31+"),
    ("rbd", "deprecated in v1.28, non-functional in v1.31+"),
)
# Where each workload keeps its pod template.
TEMPLATE_PATHS = {
    "Pod": (),
    "PodTemplate": ("template",),
    "ReplicationController": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


def warn(cluster: Cluster, obj: dict, old: dict | None) -> None:
    """Append the object's warnings to cluster.warnings (printed by the command as `Warning: ...`)."""
    if old is not None and obj.get("spec") == old.get("spec") and \
            (obj["metadata"].get("annotations") or {}) == (old["metadata"].get("annotations") or {}):
        return
    cluster.warnings.extend(f"Warning: {line}" for line in warnings_for(obj))


def warnings_for(obj: dict) -> list[str]:
    kind = obj.get("kind")
    if kind == "PersistentVolumeClaim":
        lines = []
        if BETA_CLASS_ANNOTATION in (obj["metadata"].get("annotations") or {}):
            lines.append(f"metadata.annotations[{BETA_CLASS_ANNOTATION}]: "
                         'deprecated since v1.8; use "storageClassName" attribute instead')
        return lines
    path = TEMPLATE_PATHS.get(kind)
    if path is None:
        return []
    template = obj
    for step in path:
        template = (template or {}).get(step)
    prefix = "".join(f"{step}." for step in path)
    return _volume_warnings(((template or {}).get("spec") or {}).get("volumes") or [], prefix)


def _volume_warnings(volumes: list[dict], prefix: str) -> list[str]:
    lines = []
    for index, volume in enumerate(volumes):
        for plugin, message in DEPRECATED_VOLUMES:
            if volume.get(plugin) is not None:
                lines.append(f"{prefix}spec.volumes[{index}].{plugin}: {message}")
    return lines
