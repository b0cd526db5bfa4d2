"""How a validating admission plugin names the object it refuses."""

from __future__ import annotations

from minikctl import errors
from minikctl.core.kinds import Kind
from minikctl.cluster import Cluster


def forbidden(cluster: Cluster, kind: Kind, obj: dict, reason: str) -> errors.APIError:
    """403 `<resource> "<name>" is forbidden: <reason>` (admission.NewForbidden); a generated name is
    already filled in by the time admission runs (api/server.py create)."""
    return errors.forbidden(f'{kind.qualified} "{obj["metadata"].get("name", "")}" is forbidden: {reason}')


def aggregate(messages: list[str]) -> str:
    """Several errors as one, like apimachinery's utilerrors.NewAggregate: duplicates dropped, `[a, b]`."""
    unique = list(dict.fromkeys(messages))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"
