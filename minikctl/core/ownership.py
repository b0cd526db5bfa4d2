"""Owner references and the controller reference (kubernetes/apimachinery pkg/apis/meta/v1/controller_ref.go)."""

from __future__ import annotations


def controller_ref(owner: dict) -> dict:
    """The ownerReference a controller puts on what it creates (metav1.NewControllerRef)."""
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}


def controller_of(obj: dict) -> dict | None:
    """The owner reference marked controller, if any (metav1.GetControllerOf)."""
    for reference in obj["metadata"].get("ownerReferences") or ():
        if reference.get("controller"):
            return reference
    return None


def is_controlled_by(obj: dict, owner: dict) -> bool:
    reference = controller_of(obj)
    return reference is not None and reference.get("uid") == owner["metadata"]["uid"]
