"""Client-side apply's three-way merge, strategic merge patches, JSON merge and JSON patches.

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
    """Apply a strategic merge patch: maps merge, null deletes, keyed lists merge by their key.

    A map carrying `"$patch": "replace"` replaces the live map instead of merging into it, as the
    ControllerRevisions of StatefulSets and DaemonSets do (kubernetes/apimachinery
    pkg/util/strategicpatch/patch.go); directives never reach the result.
    """
    if patch.get("$patch") == "replace":
        return _without_directives(patch)
    result = dict(live)
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
            continue
        current = result.get(key)
        if isinstance(value, dict):
            result[key] = strategic_merge(current if isinstance(current, dict) else {}, value, parents + (key,))
        elif isinstance(value, list) and isinstance(current, list) and merge_key(key, parents):
            result[key] = _patch_list(current, value, merge_key(key, parents), parents + (key,))
        else:
            result[key] = _without_directives(value)
    return result


def _without_directives(value):
    """A patch value as plain data: `$` directives dropped, null map entries dropped."""
    if isinstance(value, dict):
        return {k: _without_directives(v) for k, v in value.items() if not k.startswith("$") and v is not None}
    if isinstance(value, list):
        return [_without_directives(item) for item in value]
    return value


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
            merged.append(_without_directives(item))
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


class JSONPatchError(ValueError):
    """An RFC 6902 operation that cannot be applied; the message names the operation and path."""


def json_patch(document, operations: list) -> object:
    """Apply an RFC 6902 JSON patch (add, remove, replace, move, copy, test) to a copy of document.

    Semantics of evanphx/json-patch, the library the API server uses (kubernetes/apiserver
    pkg/endpoints/handlers/patch.go): paths are RFC 6901 pointers, `-` appends to a list.
    """
    result = copy.deepcopy(document)
    if not isinstance(operations, list):
        raise JSONPatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    for operation in operations:
        result = _apply_operation(result, operation)
    return result


def _apply_operation(document, operation):
    if not isinstance(operation, dict):
        raise JSONPatchError("json: cannot unmarshal into Go value of type jsonpatch.Operation")
    kind = operation.get("op")
    path = operation.get("path", "")
    if kind == "add":
        return _add(document, path, copy.deepcopy(operation.get("value")))
    if kind == "remove":
        return _remove(document, path)[0]
    if kind == "replace":
        _get(document, path, "replace")
        return _add(_remove(document, path)[0], path, copy.deepcopy(operation.get("value")), replacing=True)
    if kind == "move":
        document, value = _remove(document, operation.get("from", ""), "move")
        return _add(document, path, value)
    if kind == "copy":
        return _add(document, path, copy.deepcopy(_get(document, operation.get("from", ""), "copy")))
    if kind == "test":
        if _get(document, path, "test") != operation.get("value"):
            raise JSONPatchError(f"testing value {path} failed: test failed")
        return document
    raise JSONPatchError(f"Unexpected kind: {kind}")


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise JSONPatchError(f"invalid JSON pointer: {path!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _container(document, path: str, operation: str):
    """The parent of the pointer's target and the target's last token."""
    tokens = _pointer(path)
    if not tokens:
        raise JSONPatchError(f"{operation} operation does not apply: doc is missing path: {path}: missing value")
    parent = document
    for token in tokens[:-1]:
        parent = _step(parent, token, path, operation, "path")
    return parent, tokens[-1]


def _step(node, token: str, path: str, operation: str, missing: str):
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise JSONPatchError(f"{operation} operation does not apply: doc is missing {missing}: {path}: missing value")


def _get(document, path: str, operation: str):
    node = document
    for token in _pointer(path):
        node = _step(node, token, path, operation, "key")
    return node


def _add(document, path: str, value, replacing: bool = False):
    if path == "":
        return value
    parent, token = _container(document, path, "replace" if replacing else "add")
    if isinstance(parent, dict):
        parent[token] = value
    elif isinstance(parent, list):
        index = len(parent) if token == "-" else _index(token, len(parent) + 1, path)
        parent.insert(index, value)
    else:
        raise JSONPatchError(f"add operation does not apply: doc is missing path: {path}: missing value")
    return document


def _remove(document, path: str, operation: str = "remove"):
    parent, token = _container(document, path, operation)
    if isinstance(parent, dict) and token in parent:
        return document, parent.pop(token)
    if isinstance(parent, list):
        return document, parent.pop(_index(token, len(parent), path))
    raise JSONPatchError(f"{operation} operation does not apply: doc is missing key: {path}: missing value")


def _index(token: str, limit: int, path: str) -> int:
    if not token.isdigit() or int(token) >= limit:
        raise JSONPatchError(f"Unable to access invalid index: {token}: {path}")
    return int(token)
