"""SelfSubjectAccessReview, SelfSubjectRulesReview and SelfSubjectReview: `kubectl auth can-i` and
`auth whoami` against the same RBAC evaluation `minikctl auth` uses (auth/rbac.py)."""

from __future__ import annotations

import json

from minikctl.auth import access, rbac
from minikctl.serve.resources import Response
from minikctl.serve.status import status_body


def handle(api, rest: str, body: bytes, user: str, groups: list[str]) -> Response:
    parts = [part for part in rest.split("/") if part]
    try:
        review = _decoded(parts, body)
    except ValueError:
        return Response(400, status_body(400, "BadRequest", "the body of the request was in an unknown format"))
    ctx = api.context(None, "create")
    ctx.parsed.values.update({"as": user, "as-group": groups})
    caller = access.caller(ctx.parsed)
    if parts == ["selfsubjectaccessreviews"]:
        return Response(201, _access_review(ctx, caller, review))
    if parts == ["selfsubjectreviews"]:
        review.setdefault("metadata", {"creationTimestamp": None})
        review["status"] = {"userInfo": {"username": caller.name, "groups": list(caller.groups)}}
        return Response(201, review)
    if parts == ["selfsubjectrulesreviews"]:
        namespace = (review.get("spec") or {}).get("namespace", "")
        rules, problems = rbac.rules_for(ctx.read_cluster(), caller, namespace)
        review["status"] = {"resourceRules": [r for r in rules if "nonResourceURLs" not in r],
                            "nonResourceRules": [r for r in rules if "nonResourceURLs" in r],
                            "incomplete": bool(problems)}
        return Response(201, review)
    return Response(404, status_body(404, "NotFound", "the server could not find the requested resource"))


def _decoded(parts: list[str], body: bytes) -> dict:
    """The review sent, as JSON or (kubectl's typed clients) protobuf."""
    from minikctl.serve import protobuf

    if not body.startswith(protobuf.MAGIC):
        return json.loads(body or b"{}")
    if parts == ["selfsubjectaccessreviews"]:
        return protobuf.access_review(body)
    kind = "SelfSubjectReview" if parts == ["selfsubjectreviews"] else "SelfSubjectRulesReview"
    group = "authentication.k8s.io/v1" if kind == "SelfSubjectReview" else "authorization.k8s.io/v1"
    review = {"kind": kind, "apiVersion": group, "metadata": {"creationTimestamp": None}}
    if kind == "SelfSubjectRulesReview":
        spec = protobuf.fields(protobuf.unwrap(body)).get(2, [b""])[0]
        review["spec"] = {"namespace": protobuf.fields(spec).get(1, [b""])[0].decode()}
    return review


def _access_review(ctx, caller, review: dict) -> dict:
    spec = review.get("spec") or {}
    attributes = spec.get("resourceAttributes")
    if attributes is not None:
        request = rbac.Attributes(verb=attributes.get("verb", ""), resource=attributes.get("resource", ""),
                                  api_group=attributes.get("group", ""),
                                  subresource=attributes.get("subresource", ""), name=attributes.get("name", ""),
                                  namespace=attributes.get("namespace", ""))
    else:
        paths = spec.get("nonResourceAttributes") or {}
        request = rbac.Attributes(verb=paths.get("verb", ""), path=paths.get("path", ""))
    decision = rbac.evaluate(ctx.read_cluster(), caller, request)
    review["status"] = {"allowed": decision.allowed}
    if decision.reason:
        review["status"]["reason"] = decision.reason
    return review
