"""Subresources: status, scale, pods/eviction, pods/binding, pods/log.

scale reads and writes the owner's spec.replicas through the API server's update, as
kubernetes/kubernetes pkg/registry/apps/deployment/storage/storage.go ScaleREST does; status writes
replace only the status (the generation stays), as a status update does.
"""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.api import server
from minikctl.serve import discovery
from minikctl.serve.status import Failure, success


def handle(api, ctx, request) -> tuple[int, dict]:
    kind, sub = request.kind, request.subresource
    if sub not in {name for name, *_ in discovery.subresources(kind)}:
        raise Failure(404, "NotFound", "the server could not find the requested resource")
    if sub == "scale":
        return _scale(ctx, request)
    if sub == "status":
        return _status(ctx, request)
    if sub == "eviction" and request.method == "POST":
        return _evict(ctx, request)
    if sub == "binding" and request.method == "POST":
        return _bind(ctx, request)
    if sub == "log" and request.method == "GET":
        return _log(ctx, request)
    raise Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")


def scale_of(kind, obj: dict) -> dict:
    meta = obj["metadata"]
    status = obj.get("status") or {}
    selector = (obj.get("spec") or {}).get("selector") or {}
    if kind.key != "replicationcontrollers":
        selector = _label_selector_string(selector)
    else:
        selector = ",".join(f"{key}={value}" for key, value in sorted(selector.items()))
    return {"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {key: meta[key] for key in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                         if key in meta},
            "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 1)},
            "status": {"replicas": status.get("replicas", 0), "selector": selector}}


def _label_selector_string(selector: dict) -> str:
    """A LabelSelector in selector syntax (kubernetes/apimachinery pkg/apis/meta/v1/helpers.go FormatLabelSelector)."""
    parts = [f"{key}={value}" for key, value in sorted((selector.get("matchLabels") or {}).items())]
    for expression in selector.get("matchExpressions") or []:
        operator, values = expression.get("operator", ""), ",".join(sorted(expression.get("values") or []))
        if operator in ("In", "NotIn"):
            parts.append(f"{expression['key']} {operator.lower()} ({values})")
        elif operator == "Exists":
            parts.append(expression["key"])
        elif operator == "DoesNotExist":
            parts.append("!" + expression["key"])
    return ",".join(parts)


def _scale(ctx, request) -> tuple[int, dict]:
    from minikctl.serve.resources import patched_object, _patch_document, _patch_type

    kind = request.kind
    if request.method == "GET":
        ctx.authorize("get", kind, request.namespace, request.name, "scale")
        obj = ctx.read_cluster().get(kind.key, request.namespace, request.name)
        if obj is None:
            raise errors.not_found(kind.qualified, request.name)
        return 200, scale_of(kind, obj)
    verb = {"PUT": "update", "PATCH": "patch"}.get(request.method)
    if verb is None:
        raise Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
    ctx.authorize(verb, kind, request.namespace, request.name, "scale")
    with ctx.transaction(dry_run=request.dry_run) as cluster:
        obj = cluster.get(kind.key, request.namespace, request.name)
        if obj is None:
            raise errors.not_found(kind.qualified, request.name)
        current = scale_of(kind, obj)
        if verb == "update":
            wanted = request.json_body()
            version = ((wanted or {}).get("metadata") or {}).get("resourceVersion")
            if version and version != obj["metadata"].get("resourceVersion"):
                raise errors.conflict(kind.qualified, request.name)
        else:
            patch_type = _patch_type(request)
            wanted = patched_object(current, "merge" if patch_type == "apply" else patch_type,
                                    _patch_document(request, patch_type))
        replicas = ((wanted or {}).get("spec") or {}).get("replicas", 0)
        if not isinstance(replicas, int) or replicas < 0:
            raise errors.InvalidError("Scale", request.name, [f"spec.replicas: Invalid value: {replicas}: "
                                                               "must be greater than or equal to 0"])
        obj = copy.deepcopy(obj)
        obj["spec"]["replicas"] = replicas
        server.update(cluster, obj)
        answer = scale_of(kind, obj)
    return 200, answer


def _status(ctx, request) -> tuple[int, dict]:
    from minikctl.serve.resources import patched_object, _patch_document, _patch_type

    kind = request.kind
    if request.method == "GET":
        ctx.authorize("get", kind, request.namespace, request.name, "status")
        obj = ctx.read_cluster().get(kind.key, request.namespace, request.name)
        if obj is None:
            raise errors.not_found(kind.qualified, request.name)
        return 200, obj
    verb = {"PUT": "update", "PATCH": "patch"}.get(request.method)
    if verb is None:
        raise Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
    ctx.authorize(verb, kind, request.namespace, request.name, "status")
    with ctx.transaction(dry_run=request.dry_run) as cluster:
        live = cluster.get(kind.key, request.namespace, request.name)
        if live is None:
            raise errors.not_found(kind.qualified, request.name)
        if verb == "update":
            wanted = request.json_body() or {}
        else:
            patch_type = _patch_type(request)
            wanted = patched_object(live, "merge" if patch_type == "apply" else patch_type,
                                    _patch_document(request, patch_type))
        obj = copy.deepcopy(live)
        obj["status"] = wanted.get("status") or {}
        cluster.update(obj, kind.key, status_only=True)
        answer = copy.deepcopy(obj)
    return 200, answer


def _evict(ctx, request) -> tuple[int, dict]:
    """An Eviction deletes the pod (PodDisruptionBudgets are not simulated)."""
    kind = request.kind
    ctx.authorize("create", kind, request.namespace, request.name, "eviction")
    with ctx.transaction(dry_run=request.dry_run) as cluster:
        server.delete(cluster, kind, request.namespace, request.name)
    return 201, success({})


def _bind(ctx, request) -> tuple[int, dict]:
    """A Binding sets the pod's node, as the scheduler's bind does; a bound pod is refused."""
    kind = request.kind
    binding = request.json_body() or {}
    node = (binding.get("target") or {}).get("name", "")
    ctx.authorize("create", kind, request.namespace, request.name, "binding")
    with ctx.transaction(dry_run=request.dry_run) as cluster:
        pod = cluster.get(kind.key, request.namespace, request.name)
        if pod is None:
            raise errors.not_found(kind.qualified, request.name)
        if pod["spec"].get("nodeName"):
            raise errors.conflict(kind.qualified, request.name)
        pod = copy.deepcopy(pod)
        pod["spec"]["nodeName"] = node
        cluster.update(pod, kind.key)
    return 201, success({})


def _log(ctx, request) -> tuple[int, dict]:
    """Refused as `minikctl logs` refuses: no container runs (cli/logs.py)."""
    ctx.authorize("get", request.kind, request.namespace, request.name, "log")
    if ctx.read_cluster().get(request.kind.key, request.namespace, request.name) is None:
        raise errors.not_found(request.kind.qualified, request.name)
    raise Failure(400, "BadRequest", "logs are not simulated by minikctl: its containers never run, so they have no output")
