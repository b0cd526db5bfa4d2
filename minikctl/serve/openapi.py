"""/openapi/v3 (and a JSON /openapi/v2) built from the Kubernetes 1.32 schemas that kubernetes-validate ships.

kubectl reads them for `explain` and to learn that the server validates fields itself: a PATCH
operation of the kind's path listing the `fieldValidation` parameter makes kubectl leave validation to
the server (kubernetes/kubernetes staging/src/k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go).
The schemas are converted from JSON-schema form (`$defs`, nullable type lists) to OpenAPI 3's
(`components/schemas`, a reference with siblings wrapped in `allOf`).
"""

from __future__ import annotations

import functools
import hashlib
import json

import orjson

from minikctl.serve import discovery

REF_PREFIX = "#/$defs/"
PARAMETERS = [{"name": name, "in": "query", "schema": {"type": "string"}}
              for name in ("dryRun", "fieldManager", "fieldValidation", "force")]


def document(path: str, host: str) -> bytes | None:
    if path == "/openapi/v3":
        return _index()
    if path.startswith("/openapi/v3/"):
        return _group_version_document(path.removeprefix("/openapi/v3/"))
    if path == "/openapi/v2":
        return None  # kubectl asks for protobuf here; without it, it uses v3
    return None


def _gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


@functools.cache
def _index() -> bytes:
    paths = {}
    for group, version in discovery.group_versions():
        name = _gv_path(group, version)
        digest = hashlib.sha512(_group_version_document(name) or b"").hexdigest()[:32].upper()
        paths[name] = {"serverRelativeURL": f"/openapi/v3/{name}?hash={digest}"}
    return orjson.dumps({"paths": paths})


@functools.cache
def _group_version_document(name: str) -> bytes | None:
    match = [(g, v) for g, v in discovery.group_versions() if _gv_path(g, v) == name]
    if not match:
        return None
    group, version = match[0]
    paths = {}
    for kind in discovery.kinds_of(group, version):
        gvk = {"group": kind.group, "version": kind.version, "kind": kind.kind}
        prefix = f"/{name}/namespaces/{{namespace}}/{kind.plural}" if kind.namespaced else f"/{name}/{kind.plural}"
        reference = {"$ref": "#/components/schemas/" + _definition(kind)}
        content = {"application/json": {"schema": reference}}
        operation = {"x-kubernetes-group-version-kind": gvk, "parameters": PARAMETERS,
                     "responses": {"200": {"description": "OK", "content": content}}}
        paths[prefix + "/{name}"] = {
            "get": {**operation, "x-kubernetes-action": "get"},
            "put": {**operation, "x-kubernetes-action": "put", "requestBody": {"content": content}},
            "patch": {**operation, "x-kubernetes-action": "patch"},
            "delete": {**operation, "x-kubernetes-action": "delete"},
        }
        paths[prefix] = {"post": {**operation, "x-kubernetes-action": "post", "requestBody": {"content": content}}}
    return orjson.dumps({"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.32.0"}, "paths": paths,
                         "components": {"schemas": _schemas()}})


def _definition(kind) -> str:
    package = kind.group.split(".")[0] if kind.group else "core"
    if kind.group == "autoscaling":
        package = "autoscaling"
    return f"io.k8s.api.{package}.{kind.version}.{kind.kind}"


@functools.cache
def _schemas() -> dict:
    from minikctl.api.validation import _definitions_path

    definitions = json.loads(_definitions_path().read_text())["$defs"]
    return {name: _converted(schema) for name, schema in definitions.items()}


def _converted(schema):
    if isinstance(schema, list):
        return [_converted(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "oneOf" in schema and all("type" in option for option in schema["oneOf"]):
        # IntOrString and Quantity: one value of either type, as the API server's documents describe it
        return {key: value for key, value in schema.items() if key != "oneOf"} | {
            "type": "string", "format": "int-or-string", "x-kubernetes-int-or-string": True}
    converted = {}
    for key, value in schema.items():
        if key == "type" and isinstance(value, list):
            types = [kind for kind in value if kind != "null"]
            converted[key] = types[0] if len(types) == 1 else "string"
        elif key == "$ref":
            converted[key] = "#/components/schemas/" + value.removeprefix(REF_PREFIX)
        elif key == "enum" and schema.get("type") is not None and "properties" not in schema:
            continue  # apiVersion/kind pinned to one value: the API server does not list them
        elif key in ("properties", "patternProperties", "$defs"):
            converted[key] = {name: _converted(sub) for name, sub in value.items()}
        else:
            converted[key] = _converted(value)
    if "$ref" in converted and len(converted) > 1:
        reference = converted.pop("$ref")
        converted["allOf"] = [{"$ref": reference}]
    return converted
