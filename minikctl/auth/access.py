"""The request-attributes hook the verbs call (through Context.authorize) when --as is given.

Each call stands for one HTTP request kubectl would make: the verb, the resource (and
subresource), the namespace ("" for cluster-scoped kinds and all-namespace lists) and the name
(empty for list and create, which address a collection).
"""

from __future__ import annotations

from minikctl.auth import rbac


def caller(parsed) -> rbac.UserInfo:
    """Who is asking: the impersonated user with --as, else kind's cluster admin."""
    name = parsed.get("as")
    if not name:
        return rbac.ADMIN
    return rbac.impersonated(name, parsed.get("as-group") or [])


def authorize(ctx, verb: str, kind, namespace: str, name: str = "", subresource: str = "",
              step: str = "") -> None:
    """Raise rbac.Forbidden, worded as the API server's 403, unless RBAC allows the request."""
    user = caller(ctx.parsed)
    request = rbac.Attributes(verb=verb, resource=kind.plural, api_group=kind.group, subresource=subresource,
                              name=name, namespace=namespace if kind.namespaced else "")
    cluster = ctx.active if ctx.active is not None else ctx.read_cluster()
    decision = rbac.evaluate(cluster, user, request)
    if not decision.allowed:
        message = rbac.forbidden_message(user, request, kind.qualified, decision.reason)
        raise rbac.Forbidden(message, _step_words(step, kind, request))


def _step_words(step: str, kind, request: rbac.Attributes) -> str:
    """How kubectl apply names the request that failed, in its `error when ... "FILE"` prefix.

    kubernetes/kubectl pkg/cmd/apply/apply.go (the GET before a create or patch) and
    kubernetes/cli-runtime pkg/resource/visitor.go (Info.String).
    """
    if step != "retrieving":
        return step
    group_version = f"{kind.group}/{kind.version}"
    info = (f'Resource: "{group_version}, Resource={kind.plural}", GroupVersionKind: "{group_version}, Kind={kind.kind}"\n'
            f'Name: "{request.name}", Namespace: "{request.namespace}"')
    return f"retrieving current configuration of:\n{info}\nfrom server for:"
