"""Client-side apply's three-way merge and strategic merge patches.

kubectl apply compares the new manifest, the last applied manifest (annotation) and the live object:
fields in the manifest are set, fields the last manifest had and the new one lacks are removed, and
fields nobody declared (status, defaults, replicas after `scale`) stay (kubernetes/kubectl
pkg/cmd/apply/patcher.go; kubernetes/apimachinery pkg/util/strategicpatch). Lists of objects merge
by the patch merge keys the Kubernetes types declare; other lists are replaced.
"""

from __future__ import annotations

import copy
import json

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

# field name -> merge key, for lists merged item by item (patchMergeKey in kubernetes/api types).
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
    "env": "name", "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
    "imagePullSecrets": "name", "hostAliases": "ip", "ownerReferences": "uid", "conditions": "type",
    "topologySpreadConstraints": "topologyKey", "resourceClaims": "name",
}
# `ports` merges by containerPort inside containers and by port inside a Service spec.
CONTAINER_LIST_FIELDS = {"containers", "initContainers", "ephemeralContainers"}
_HTML_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def last_applied_annotation(manifest: dict) -> str:
    """The annotation value: the manifest as compact JSON with sorted keys, as Go marshals it.

    kubectl makes room for the annotation before serializing, so a manifest without annotations is
    recorded with `"annotations":{}` (kubernetes/kubectl pkg/util/apply.go GetModifiedConfiguration).
    """
    stripped = copy.deepcopy(manifest)
    annotations = stripped.setdefault("metadata", {}).setdefault("annotations", {})
    annotations.pop(LAST_APPLIED, None)
    return json.dumps(stripped, sort_keys=True, separators=(",", ":"), ensure_ascii=False).translate(_HTML_ESCAPES) + "\n"


def merge_key(field: str, parents: tuple[str, ...]) -> str | None:
    if field == "ports":
        return "containerPort" if parents and parents[-1] in CONTAINER_LIST_FIELDS else "port"
    return MERGE_KEYS.get(field)


def three_way(live: dict, last: dict | None, new: dict, parents: tuple[str, ...] = ()) -> dict:
    """Return live changed so that it carries `new`, minus what `last` had and `new` dropped."""
    result = dict(live)
    last = last or {}
    for key, value in new.items():
        current = result.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            previous = last.get(key) if isinstance(last.get(key), dict) else None
            result[key] = three_way(current, previous, value, parents + (key,))
        elif isinstance(value, list) and isinstance(current, list) and merge_key(key, parents):
            previous = last.get(key) if isinstance(last.get(key), list) else []
            result[key] = _merge_list(current, previous, value, merge_key(key, parents), parents + (key,))
        else:
            result[key] = copy.deepcopy(value)
    for key in last:
        if key not in new:
            result.pop(key, None)
    return result


def _merge_list(live: list, last: list, new: list, key: str, parents: tuple[str, ...]) -> list:
    def keyed(items):
        return {item.get(key): item for item in items if isinstance(item, dict)}

    live_by_key, last_by_key = keyed(live), keyed(last)
    new_keys = [item.get(key) for item in new if isinstance(item, dict)]
    merged = []
    for item in new:
        if not isinstance(item, dict):
            merged.append(item)
            continue
        current = live_by_key.get(item.get(key))
        if current is None:
            merged.append(copy.deepcopy(item))
        else:
            merged.append(three_way(current, last_by_key.get(item.get(key)), item, parents))
    for item in live:
        item_key = item.get(key) if isinstance(item, dict) else None
        if item_key not in new_keys and item_key not in last_by_key:
            merged.append(item)
    return merged


def strategic_merge(live: dict, patch: dict, parents: tuple[str, ...] = ()) -> dict:
    """Apply a strategic merge patch: maps merge, null deletes, keyed lists merge by their key."""
    result = dict(live)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
            continue
        current = result.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            result[key] = strategic_merge(current, value, parents + (key,))
        elif isinstance(value, list) and isinstance(current, list) and merge_key(key, parents):
            result[key] = _patch_list(current, value, merge_key(key, parents), parents + (key,))
        else:
            result[key] = copy.deepcopy(value)
    return result


def _patch_list(live: list, patch: list, key: str, parents: tuple[str, ...]) -> list:
    merged = list(live)
    for item in patch:
        if not isinstance(item, dict):
            continue
        if item.get("$patch") == "delete":
            merged = [m for m in merged if not (isinstance(m, dict) and m.get(key) == item.get(key))]
            continue
        index = next((i for i, m in enumerate(merged) if isinstance(m, dict) and m.get(key) == item.get(key)), None)
        if index is None:
            merged.append(copy.deepcopy(item))
        else:
            merged[index] = strategic_merge(merged[index], item, parents)
    return merged


def json_merge(live, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(live) if isinstance(live, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge(result.get(key), value)
    return result
