"""The DaemonSet template generation: annotation `deprecated.daemonset.template.generation`.

The API server keeps a counter of template changes on every DaemonSet (kubernetes/kubernetes:
pkg/registry/apps/daemonset/strategy.go PrepareForCreate/PrepareForUpdate; shown in apps/v1 as this
annotation by pkg/apis/apps/v1/conversion.go). It starts at 1 (a positive value the client sent on
create is kept), a client cannot change it on update, and it grows by one when spec.template
changes. The DaemonSet controller labels its pods `pod-template-generation` with it.
"""

from __future__ import annotations

TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def admit(cluster, kind, obj, operation, old=None) -> None:
    if kind.kind != "DaemonSet":
        return
    if old is None:
        generation = max(_stored_generation(obj), 1)
    else:
        generation = _stored_generation(old) or old["metadata"].get("generation", 1)
        if (obj.get("spec") or {}).get("template") != (old.get("spec") or {}).get("template"):
            generation += 1
    obj["metadata"].setdefault("annotations", {})[TEMPLATE_GENERATION] = str(generation)


def _stored_generation(obj: dict) -> int:
    """The annotation as a number; 0 when absent or not a number."""
    value = str((obj["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION, ""))
    return int(value) if value.isdigit() else 0
