"""Admission plugins: what the API server runs on every create and update after defaulting.

Each plugin is a module here with `admit(cluster, kind, obj, operation, old) -> None`; it may mutate
obj, raise an APIError to refuse the request, or append "Warning: ..." lines to cluster.warnings
(printed on stderr by the command). Plugins are imported only when a write happens.
"""

from __future__ import annotations

import importlib

from minikctl.core.kinds import Kind
from minikctl.cluster import Cluster

# Order follows kube-apiserver's: mutating plugins first, then validating ones, quota last.
PLUGINS: list[str] = ["daemonset_generation", "services", "limitranger", "podsecurity", "resourcequota"]


def admit(cluster: Cluster, kind: Kind, obj: dict, operation: str, old: dict | None = None) -> None:
    """operation is "CREATE" or "UPDATE"; old is the stored object for updates."""
    for name in PLUGINS:
        importlib.import_module(f"minikctl.api.admission.{name}").admit(cluster, kind, obj, operation, old)
