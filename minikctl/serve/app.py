"""The HTTP layer: a Starlette application routing kube-apiserver's paths to the handlers.

Handlers are synchronous (they take the store's flock like a CLI write) and run in Starlette's
thread pool, so requests are served concurrently and writes serialize on the lock.
"""

from __future__ import annotations

import asyncio
import contextlib

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import PlainTextResponse, Response as HttpResponse, StreamingResponse
from starlette.routing import Route

from minikctl.core import kinds
from minikctl.serve import discovery, reviews
from minikctl.serve.resources import Request, Response, Server
from minikctl.serve.status import Failure, status_body
from minikctl.serve.watch import BOOKMARK_SECONDS, ChangeLog, Filter

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def build(state_path: str, environ: dict) -> Starlette:
    api = Server(state_path, environ)
    holder: dict = {}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        log = await asyncio.to_thread(ChangeLog, state_path)
        holder["log"] = log
        poller = asyncio.create_task(log.poll_forever())
        try:
            yield
        finally:
            poller.cancel()

    async def version(request):
        return _json(200, discovery.version_info())

    async def health(request):
        return PlainTextResponse("ok")

    async def core_versions(request):
        if _aggregated(request):
            return _json(200, discovery.aggregated(core=True), discovery.AGGREGATED_TYPE)
        return _json(200, discovery.api_versions(request.url.netloc))

    async def groups(request):
        if _aggregated(request):
            return _json(200, discovery.aggregated(core=False), discovery.AGGREGATED_TYPE)
        return _json(200, discovery.api_group_list())

    async def core_resources(request):
        return _resource_list("", "v1")

    async def group_resources(request):
        return _resource_list(request.path_params["group"], request.path_params["version"])

    async def core_path(request):
        return await _resource(request, "", "v1", request.path_params["rest"])

    async def group_path(request):
        params = request.path_params
        return await _resource(request, params["group"], params["version"], params["rest"])

    async def openapi(request):
        from minikctl.serve import openapi as documents

        path = request.url.path
        body = await asyncio.to_thread(documents.document, path, str(request.url.netloc))
        if body is None:
            return _json(404, status_body(404, "NotFound", "the server could not find the requested resource"))
        return HttpResponse(body, media_type="application/json")

    async def _resource(request: HttpRequest, group: str, version: str, rest: str):
        body = await request.body()
        if "protobuf" in request.headers.get("content-type", "") and (group, version) not in discovery.REVIEWS:
            # client-go falls back to JSON for good after a 415 (staging/src/k8s.io/client-go/rest/request.go)
            return _json(415, status_body(415, "UnsupportedMediaType", 'the body of the request was in an unknown '
                                          'format - accepted media types include: application/json, application/yaml'))
        user = request.headers.get("impersonate-user", "")
        groups_ = request.headers.getlist("impersonate-group")
        if (group, version) in discovery.REVIEWS:
            answer = await run_in_threadpool(reviews.handle, api, rest, body, user, groups_)
            return _json(answer.code, answer.body)
        try:
            routed = route(group, version, rest)
        except Failure as failure:
            return _json(failure.code, failure.body())
        kind, namespace, name, subresource = routed
        query = dict(request.query_params)
        headers = {"accept": request.headers.get("accept", ""), "content-type": request.headers.get("content-type", "")}
        call = Request(request.method, kind, namespace, name, subresource, query, headers, body, user, groups_)
        if request.method == "GET" and query.get("watch") in ("1", "true") and not subresource:
            return await _watch(call)
        if subresource == "exec":
            from minikctl.serve import execute

            return await execute.refuse_plain(call)
        answer = await run_in_threadpool(api.handle, call)
        if request.method != "GET" and "log" in holder:
            await asyncio.to_thread(holder["log"].refresh)
        return _json(answer.code, answer.body, warnings=answer.warnings)

    async def _watch(call: Request):
        from minikctl.serve import tables

        ctx = api.context(call, "watch")
        try:
            await run_in_threadpool(ctx.authorize, "watch", call.kind, call.namespace, call.name)
        except Exception as problem:  # an RBAC refusal, as a Status
            from minikctl.serve.status import from_error

            failure = from_error(problem, call.kind)
            return _json(failure.code, failure.body())
        log: ChangeLog = holder["log"]
        fields = call.param("fieldSelector")
        if call.name:
            fields = ",".join(filter(None, [fields, f"metadata.name={call.name}"]))
        keep = Filter(call.kind, call.namespace if call.kind.namespaced else "", call.param("labelSelector"), fields)
        as_table = tables.wants_table(call.headers["accept"])
        bookmarks = call.param("allowWatchBookmarks") in ("1", "true")
        timeout = float(call.param("timeoutSeconds") or 1800)
        start = call.param("resourceVersion")

        def encode(kind_name: str, obj: dict, first: list) -> bytes:
            if as_table and kind_name != "ERROR" and kind_name != "BOOKMARK":
                obj = tables.table(call.kind, [obj], api.context(call, "watch").now,
                                   obj["metadata"].get("resourceVersion", ""), call.param("includeObject", "Metadata"),
                                   with_columns=not first)
                first.append(True)
            return orjson.dumps({"type": kind_name, "object": obj}) + b"\n"

        async def stream():
            first: list = []
            await asyncio.to_thread(log.refresh)
            if start not in ("", "0"):
                if not start.isdigit():
                    yield encode("ERROR", status_body(400, "BadRequest", f'invalid resource version "{start}"'), first)
                    return
                if int(start) < log.oldest:
                    yield encode("ERROR", status_body(410, "Expired", f"too old resource version: {start} "
                                                      f"({log.oldest})"), first)
                    return
                position = int(start)
            else:
                position = log.version
                for obj in log.current(call.kind.key):
                    if keep.keeps(call.kind.key, obj):
                        yield encode("ADDED", obj, first)
            deadline = asyncio.get_running_loop().time() + timeout
            while True:
                for event in log.after(position):
                    position = event.version
                    if keep.keeps(event.key, event.obj):
                        yield encode(event.type, event.obj, first)
                position = max(position, log.version)
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    return
                try:
                    await asyncio.wait_for(log.changed.wait(), min(remaining, BOOKMARK_SECONDS))
                except asyncio.TimeoutError:
                    if bookmarks:
                        mark = {"kind": call.kind.kind, "apiVersion": call.kind.api_version,
                                "metadata": {"resourceVersion": str(position)}}
                        yield orjson.dumps({"type": "BOOKMARK", "object": mark}) + b"\n"

        return StreamingResponse(stream(), media_type="application/json")

    routes = [
        Route("/version", version), Route("/version/", version),
        Route("/healthz", health), Route("/livez", health), Route("/readyz", health),
        Route("/api", core_versions), Route("/api/", core_versions),
        Route("/apis", groups), Route("/apis/", groups),
        Route("/api/v1", core_resources), Route("/api/v1/", core_resources),
        Route("/api/v1/{rest:path}", core_path, methods=METHODS),
        Route("/apis/{group}/{version}", group_resources), Route("/apis/{group}/{version}/", group_resources),
        Route("/apis/{group}/{version}/{rest:path}", group_path, methods=METHODS),
        Route("/openapi/v2", openapi), Route("/openapi/v3", openapi), Route("/openapi/v3/{rest:path}", openapi),
    ]
    from minikctl.serve import execute

    routes += execute.routes(api)
    return Starlette(routes=routes, lifespan=lifespan)


def route(group: str, version: str, rest: str) -> tuple:
    """(kind, namespace, name, subresource) of a resource path below /api/v1 or /apis/GROUP/VERSION."""
    parts = [part for part in rest.split("/") if part]
    namespace = ""
    plurals = {k.plural for k in discovery.kinds_of(group, version) if k.namespaced}
    if len(parts) >= 3 and parts[0] == "namespaces" and parts[2] in plurals:
        namespace, parts = parts[1], parts[2:]
    kind = next((k for k in discovery.kinds_of(group, version) if k.plural == parts[0]), None) if parts else None
    if kind is None or len(parts) > 3 or (namespace and not kind.namespaced):
        raise Failure(404, "NotFound", "the server could not find the requested resource")
    name = parts[1] if len(parts) > 1 else ""
    return kind, namespace, name, parts[2] if len(parts) > 2 else ""


def _aggregated(request: HttpRequest) -> bool:
    return "g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList" in request.headers.get("accept", "").replace(" ", "")


def _resource_list(group: str, version: str):
    body = discovery.resource_list(group, version)
    if body is None:
        return _json(404, status_body(404, "NotFound", "the server could not find the requested resource"))
    return _json(200, body)


def _json(code: int, body, media_type: str = "application/json", warnings: list[str] | None = None) -> HttpResponse:
    headers = None
    if warnings:
        headers = [("warning", '299 - "%s"' % text.replace('"', "'")) for text in warnings]
    response = HttpResponse(orjson.dumps(body), status_code=code, media_type=media_type)
    for name, value in headers or []:
        response.headers.append(name, value)
    return response
