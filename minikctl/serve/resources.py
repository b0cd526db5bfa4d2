"""Resource requests: get, list, create, update, patch, delete, deletecollection and subresources.

Reads take no lock, as `minikctl get` reads. Every write is one CLI transaction (cli/context.py:
the store's lock, the API server functions of api/server.py, the reconcile pass, the atomic save),
so an API write answers only once the simulated controllers have settled, exactly as a CLI write.
The caller is the cluster admin unless impersonation headers name someone else; RBAC then decides
through the same Context.authorize the CLI's --as goes through.
"""

from __future__ import annotations

import base64
import copy
import io
import json

from minikctl import errors
from minikctl.api import selector_parsing as selectors, server
from minikctl.core import kinds
from minikctl.cli.context import Context
from minikctl.cli.flags import Parsed
from minikctl.env import Environment
from minikctl.serve import tables
from minikctl.serve.status import Failure, from_error, success

PATCH_TYPES = {"application/json-patch+json": "json", "application/merge-patch+json": "merge",
               "application/strategic-merge-patch+json": "strategic", "application/apply-patch+yaml": "apply"}


class Request:
    """One resource request, already routed: kind, namespace, name, subresource, query and body."""

    def __init__(self, method: str, kind, namespace: str, name: str, subresource: str, query: dict,
                 headers: dict, body: bytes, user: str = "", groups: list[str] | None = None):
        self.method, self.kind, self.namespace, self.name = method, kind, namespace, name
        self.subresource, self.query, self.headers, self.body = subresource, query, headers, body
        self.user, self.groups = user, groups or []

    def param(self, name: str, default: str = "") -> str:
        return self.query.get(name, default)

    @property
    def dry_run(self) -> bool:
        return self.param("dryRun") == "All"

    def json_body(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError as problem:
            raise Failure(400, "BadRequest", f"the body of the request was in an unknown format: {problem}") from None


class Response:
    def __init__(self, code: int, body, content_type: str = "application/json", warnings: list[str] | None = None):
        self.code, self.body, self.content_type, self.warnings = code, body, content_type, warnings or []


class Server:
    """What every request needs: where the state is and the environment (clock, MINIKCTL_* variables)."""

    def __init__(self, state_path: str, environ: dict):
        self.state_path, self.environ = state_path, environ

    def context(self, request: Request | None, verb: str) -> Context:
        env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), stdin=io.StringIO(), environ=self.environ,
                          state_path=self.state_path)
        values = {"namespace": request.namespace if request else "", "state": self.state_path,
                  "as": request.user if request else "", "as-group": request.groups if request else []}
        return Context(env, Parsed(values), verb)

    def handle(self, request: Request) -> Response:
        ctx = self.context(request, request.method)
        try:
            code, body = self._dispatch(ctx, request)
        except errors.MinikctlError as problem:
            failure = from_error(problem, request.kind, request.name)
            code, body = failure.code, failure.body()
        except Failure as failure:
            code, body = failure.code, failure.body()
        return Response(code, body, warnings=_warnings(ctx))

    def _dispatch(self, ctx: Context, request: Request) -> tuple[int, dict]:
        if request.subresource:
            from minikctl.serve import subresources

            return subresources.handle(self, ctx, request)
        method = request.method
        if method == "GET":
            return (200, self.get(ctx, request)) if request.name else (200, self.list(ctx, request))
        if method == "POST" and not request.name:
            return self.create(ctx, request)
        if method == "PUT" and request.name:
            return 200, self.update(ctx, request)
        if method == "PATCH" and request.name:
            return self.patch(ctx, request)
        if method == "DELETE":
            return (200, self.delete(ctx, request)) if request.name else (200, self.delete_collection(ctx, request))
        raise Failure(405, "MethodNotAllowed", f"the server does not allow this method on the requested resource")

    # -- reads -------------------------------------------------------------------------------
    def get(self, ctx: Context, request: Request) -> dict:
        kind = request.kind
        ctx.authorize("get", kind, request.namespace, request.name)
        cluster = ctx.read_cluster()
        obj = cluster.get(kind.key, request.namespace, request.name)
        if obj is None:
            raise errors.not_found(kind.qualified, request.name)
        if tables.wants_table(request.headers.get("accept", "")):
            return tables.table(kind, [obj], ctx.now, obj["metadata"].get("resourceVersion", ""),
                                request.param("includeObject", "Metadata"))
        return obj

    def list(self, ctx: Context, request: Request) -> dict:
        kind = request.kind
        ctx.authorize("list", kind, request.namespace)
        cluster = ctx.read_cluster()
        objects = self.selected(cluster, request)
        version = str(cluster.meta.get("resourceVersion", 0))
        objects, token = _page(objects, request.param("limit"), request.param("continue"), version)
        if tables.wants_table(request.headers.get("accept", "")):
            return tables.table(kind, objects, ctx.now, version, request.param("includeObject", "Metadata"),
                                continue_token=token)
        metadata = {"resourceVersion": version}
        if token:
            metadata["continue"] = token
        return {"kind": kind.kind + "List", "apiVersion": kind.api_version, "metadata": metadata, "items": objects}

    def selected(self, cluster, request: Request) -> list[dict]:
        kind = request.kind
        objects = cluster.list(kind.key, request.namespace if kind.namespaced and request.namespace else None)
        try:
            return selectors.matching(objects, kind, request.param("labelSelector"), request.param("fieldSelector"))
        except errors.MinikctlError as problem:
            raise Failure(400, "BadRequest", problem.message.removeprefix("error: ")) from None

    # -- writes ------------------------------------------------------------------------------
    def create(self, ctx: Context, request: Request) -> tuple[int, dict]:
        kind = request.kind
        obj = request.json_body()
        if not isinstance(obj, dict):
            raise Failure(400, "BadRequest", "the body of the request was in an unknown format")
        obj.setdefault("apiVersion", kind.api_version)
        obj.setdefault("kind", kind.kind)
        _check_body_namespace(kind, obj, request.namespace)
        validated(ctx, obj, request.param("fieldValidation", "Strict"))
        ctx.authorize("create", kind, request.namespace)
        with ctx.transaction(dry_run=request.dry_run) as cluster:
            created = copy.deepcopy(server.create(cluster, obj, request.namespace))
        return 201, created

    def update(self, ctx: Context, request: Request) -> dict:
        kind = request.kind
        obj = request.json_body()
        if not isinstance(obj, dict):
            raise Failure(400, "BadRequest", "the body of the request was in an unknown format")
        obj.setdefault("apiVersion", kind.api_version)
        obj.setdefault("kind", kind.kind)
        meta = obj.setdefault("metadata", {})
        if meta.get("name") and meta["name"] != request.name:
            raise errors.bad_request("the name of the object (%s) does not match the name on the URL (%s)"
                                     % (meta["name"], request.name))
        meta["name"] = request.name
        _check_body_namespace(kind, obj, request.namespace)
        validated(ctx, obj, request.param("fieldValidation", "Strict"))
        ctx.authorize("update", kind, request.namespace, request.name)
        with ctx.transaction(dry_run=request.dry_run) as cluster:
            live = _live(cluster, kind, request.namespace, request.name)
            wanted = meta.get("resourceVersion")
            if wanted and wanted != live["metadata"].get("resourceVersion"):
                raise errors.conflict(kind.qualified, request.name)
            _carry_server_fields(obj, live, request.namespace if kind.namespaced else "")
            server.update(cluster, obj)
            stored = copy.deepcopy(obj)
        return stored

    def patch(self, ctx: Context, request: Request) -> tuple[int, dict]:
        kind = request.kind
        patch_type = _patch_type(request)
        patch = _patch_document(request, patch_type)
        ctx.authorize("patch", kind, request.namespace, request.name)
        with ctx.transaction(dry_run=request.dry_run) as cluster:
            live = cluster.get(kind.key, request.namespace, request.name)
            if live is None and patch_type == "apply":
                if not isinstance(patch, dict):
                    raise errors.bad_request("the body of the request was in an unknown format")
                validated(ctx, patch, request.param("fieldValidation", "Strict"))
                return 201, copy.deepcopy(server.create(cluster, patch, request.namespace))
            if live is None:
                raise errors.not_found(kind.qualified, request.name)
            patched = patched_object(live, patch_type, patch)
            validated(ctx, patched, request.param("fieldValidation", "Strict"))
            if patched != live:
                server.update(cluster, patched)
            stored = copy.deepcopy(patched)
        return 200, stored

    def delete(self, ctx: Context, request: Request) -> dict:
        kind = request.kind
        options = _delete_options(request)
        ctx.authorize("delete", kind, request.namespace, request.name)
        with ctx.transaction(dry_run=request.dry_run or options.get("dryRun") == ["All"]) as cluster:
            live = _live(cluster, kind, request.namespace, request.name)
            _check_preconditions(kind, live, options.get("preconditions") or {})
            policy = options.get("propagationPolicy") or request.param("propagationPolicy") or "Background"
            deleted = copy.deepcopy(server.delete(cluster, kind, request.namespace, request.name, policy))
            gone = cluster.get(kind.key, request.namespace, request.name) is None
        if gone and kind.key not in ("namespaces",):
            return success({"name": request.name, "kind": kind.plural, "uid": deleted["metadata"].get("uid", ""),
                            **({"group": kind.group} if kind.group else {})})
        return deleted

    def delete_collection(self, ctx: Context, request: Request) -> dict:
        kind = request.kind
        options = _delete_options(request)
        ctx.authorize("deletecollection", kind, request.namespace)
        with ctx.transaction(dry_run=request.dry_run) as cluster:
            objects = self.selected(cluster, request)
            policy = options.get("propagationPolicy") or request.param("propagationPolicy") or "Background"
            for obj in objects:
                meta = obj["metadata"]
                server.delete(cluster, kind, meta.get("namespace", ""), meta["name"], policy)
            version = str(cluster.meta.get("resourceVersion", 0))
        return {"kind": kind.kind + "List", "apiVersion": kind.api_version, "metadata": {"resourceVersion": version},
                "items": objects}


# -- helpers ---------------------------------------------------------------------------------

def validated(ctx: Context, obj: dict, field_validation: str) -> dict:
    """The checks `minikctl apply` runs before storing (api/validation.py), in the server's modes."""
    from minikctl.api.manifests import Document
    from minikctl.api.validation import validate

    mode = {"Strict": "strict", "Warn": "warn", "Ignore": "ignore"}.get(field_validation, "strict")
    problems, warnings = validate(Document("request", obj), mode)
    for warning in warnings:
        ctx.env.err(warning + "\n")
    if problems:
        raise problems[0]
    return obj


def patched_object(live: dict, patch_type: str, patch) -> dict:
    from minikctl.api import merge
    from minikctl.cli.patch import apply_patch

    if patch_type == "apply":
        if not isinstance(patch, dict):
            raise errors.bad_request("the body of the request was in an unknown format")
        patched = merge.strategic_merge(copy.deepcopy(live), patch)
    else:
        patched = apply_patch(live, patch_type, patch)
    for field in ("apiVersion", "kind"):
        patched[field] = live[field]
    patched["metadata"]["name"] = live["metadata"]["name"]
    if "namespace" in live["metadata"]:
        patched["metadata"]["namespace"] = live["metadata"]["namespace"]
    return patched


def _patch_type(request: Request) -> str:
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type not in PATCH_TYPES:
        raise Failure(415, "UnsupportedMediaType", f'the body of the request was in an unknown format - accepted media '
                      f'types include: {", ".join(PATCH_TYPES)}')
    return PATCH_TYPES[content_type]


def _patch_document(request: Request, patch_type: str):
    if patch_type == "apply":
        import yaml

        try:
            return yaml.safe_load(request.body.decode("utf-8") or "null")
        except yaml.YAMLError as problem:
            raise Failure(400, "BadRequest", f"error decoding YAML: {problem}") from None
    return request.json_body()


def _delete_options(request: Request) -> dict:
    if not request.body:
        return {}
    options = request.json_body()
    return options if isinstance(options, dict) else {}


def _check_preconditions(kind, live: dict, preconditions: dict) -> None:
    meta = live["metadata"]
    for field in ("uid", "resourceVersion"):
        wanted = preconditions.get(field)
        if wanted and wanted != meta.get(field):
            raise Failure(409, "Conflict", f"Operation cannot be fulfilled on {kind.qualified} \"{meta['name']}\": "
                          f"Precondition failed: {field.upper() if field == 'uid' else 'ResourceVersion'} in "
                          f"precondition: {wanted}, {field.upper() if field == 'uid' else 'ResourceVersion'} in "
                          f"object meta: {meta.get(field, '')}")


def _check_body_namespace(kind, obj: dict, namespace: str) -> None:
    """The object's namespace must agree with the URL's (kubernetes/apiserver pkg/endpoints/handlers/rest.go)."""
    meta = obj.setdefault("metadata", {})
    own = meta.get("namespace")
    if kind.namespaced and own and own != namespace:
        raise errors.bad_request("the namespace of the provided object does not match the namespace sent on the "
                                 "request")
    if kind.namespaced:
        meta["namespace"] = namespace


def _live(cluster, kind, namespace: str, name: str) -> dict:
    live = cluster.get(kind.key, namespace, name)
    if live is None:
        raise errors.not_found(kind.qualified, name)
    return live


def _carry_server_fields(obj: dict, live: dict, namespace: str) -> None:
    """What a PUT cannot change: identity, creation time, generation and (on the main resource) status."""
    meta = obj["metadata"]
    if namespace:
        meta["namespace"] = namespace
    for field in ("uid", "creationTimestamp", "generation"):
        if field in live["metadata"]:
            meta[field] = live["metadata"][field]
    obj.pop("status", None)
    if "status" in live:
        obj["status"] = live["status"]


def _page(objects: list[dict], limit: str, token: str, version: str) -> tuple[list[dict], str]:
    """limit/continue: the token carries the offset and the resourceVersion of the first page."""
    start = 0
    if token:
        try:
            start = int(json.loads(base64.urlsafe_b64decode(token.encode()))["start"])
        except (ValueError, KeyError, TypeError):
            raise Failure(400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion "
                          "(version meta.k8s.io/v1)") from None
    if not limit or not limit.isdigit() or int(limit) <= 0:
        return objects[start:], ""
    end = start + int(limit)
    if end >= len(objects):
        return objects[start:end], ""
    next_token = base64.urlsafe_b64encode(json.dumps({"v": "meta.k8s.io/v1", "rv": int(version), "start": end})
                                          .encode()).decode()
    return objects[start:end], next_token


def _warnings(ctx: Context) -> list[str]:
    text = ctx.env.stderr.getvalue()
    return [line.removeprefix("Warning: ") for line in text.splitlines() if line.strip()]
