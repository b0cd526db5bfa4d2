"""Discovery documents built from the kinds registry: /api, /apis, the per-version resource lists,
and the aggregated form (apidiscovery.k8s.io/v2) kubectl 1.32 asks for first.

Shapes follow kubernetes/apiserver pkg/endpoints/discovery (legacy) and
pkg/endpoints/discovery/aggregated (v2); the verbs are those a 1.32 server lists.
"""

from __future__ import annotations

from minikctl.core import kinds

VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
SCALABLE = ("deployments.apps", "replicasets.apps", "replicationcontrollers", "statefulsets.apps")
# Kinds without a status (kubernetes/kubernetes pkg/registry: no status REST storage).
WITHOUT_STATUS = {"configmaps", "endpoints", "events", "limitranges", "secrets", "serviceaccounts",
                  "controllerrevisions.apps", "endpointslices.discovery.k8s.io", "storageclasses.storage.k8s.io",
                  "clusterrolebindings.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io",
                  "rolebindings.rbac.authorization.k8s.io", "roles.rbac.authorization.k8s.io",
                  "networkpolicies.networking.k8s.io", "priorityclasses.scheduling.k8s.io"}
# Review kinds served only to create (kubernetes/kubernetes pkg/registry/authorization, authentication).
REVIEWS = {
    ("authorization.k8s.io", "v1"): [("selfsubjectaccessreviews", "SelfSubjectAccessReview"),
                                     ("selfsubjectrulesreviews", "SelfSubjectRulesReview")],
    ("authentication.k8s.io", "v1"): [("selfsubjectreviews", "SelfSubjectReview")],
}
AGGREGATED_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def subresources(kind) -> list[tuple[str, str, str, list[str]]]:
    """(name, response group, response version, response kind, verbs) of each of a kind's subresources."""
    found = []
    if kind.key not in WITHOUT_STATUS:
        found.append(("status", kind.group, kind.version, kind.kind, ["get", "patch", "update"]))
    if kind.key in SCALABLE:
        found.append(("scale", "autoscaling", "v1", "Scale", ["get", "patch", "update"]))
    if kind.key == "pods":
        found += [("binding", "", "v1", "Binding", ["create"]), ("eviction", "policy", "v1", "Eviction", ["create"]),
                  ("exec", "", "v1", "PodExecOptions", ["create", "get"]), ("log", "", "v1", "Pod", ["get"])]
    return found


def group_versions() -> list[tuple[str, str]]:
    """(group, version) in discovery order, core first."""
    seen: list[tuple[str, str]] = []
    for kind in kinds.KINDS:
        if (kind.group, kind.version) not in seen:
            seen.append((kind.group, kind.version))
    return seen + [gv for gv in REVIEWS if gv not in seen]


def kinds_of(group: str, version: str) -> list:
    return [kind for kind in kinds.KINDS if kind.group == group and kind.version == version]


def _group_version(group: str, version: str) -> str:
    return f"{group}/{version}" if group else version


def api_versions(host: str) -> dict:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": host}]}


def api_group_list() -> dict:
    groups = []
    for group, version in group_versions():
        if not group:
            continue
        entry = {"groupVersion": _group_version(group, version), "version": version}
        groups.append({"name": group, "versions": [entry], "preferredVersion": entry})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def resource_list(group: str, version: str) -> dict | None:
    if (group, version) not in group_versions():
        return None
    resources = []
    for kind in kinds_of(group, version):
        entry = {"name": kind.plural, "singularName": kind.singular, "namespaced": kind.namespaced,
                 "kind": kind.kind, "verbs": VERBS}
        if kind.short_names:
            entry["shortNames"] = list(kind.short_names)
        if kind.categories:
            entry["categories"] = list(kind.categories)
        resources.append(entry)
        for name, sub_group, sub_version, sub_kind, verbs in subresources(kind):
            sub = {"name": f"{kind.plural}/{name}", "singularName": "", "namespaced": kind.namespaced,
                   "kind": sub_kind, "verbs": verbs}
            if sub_group != group or sub_version != version:
                sub.update(group=sub_group, version=sub_version)
            resources.append(sub)
    for plural, kind_name in REVIEWS.get((group, version), []):
        resources.append({"name": plural, "singularName": kind_name.lower(), "namespaced": False,
                          "kind": kind_name, "verbs": ["create"]})
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": _group_version(group, version),
            "resources": resources}


def aggregated(core: bool) -> dict:
    """The APIGroupDiscoveryList for /api (core) or /apis (every named group)."""
    items = []
    for group, version in group_versions():
        if bool(group) == core:
            continue
        resources = [_aggregated_resource(kind) for kind in kinds_of(group, version)]
        resources += [{"resource": plural, "responseKind": {"group": group, "version": version, "kind": kind_name},
                       "scope": "Cluster", "singularResource": kind_name.lower(), "verbs": ["create"]}
                      for plural, kind_name in REVIEWS.get((group, version), [])]
        item = {"metadata": {"name": group} if group else {"creationTimestamp": None},
                "versions": [{"version": version, "resources": resources, "freshness": "Current"}]}
        items.append(item)
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items}


def _aggregated_resource(kind) -> dict:
    entry = {"resource": kind.plural, "responseKind": {"group": kind.group, "version": kind.version, "kind": kind.kind},
             "scope": "Namespaced" if kind.namespaced else "Cluster", "singularResource": kind.singular,
             "verbs": VERBS}
    if kind.short_names:
        entry["shortNames"] = list(kind.short_names)
    if kind.categories:
        entry["categories"] = list(kind.categories)
    subs = [{"subresource": name, "responseKind": {"group": g, "version": v, "kind": k}, "verbs": verbs}
            for name, g, v, k, verbs in subresources(kind)]
    if subs:
        entry["subresources"] = subs
    return entry


def version_info() -> dict:
    """What kind v1.32's API server reports at /version."""
    return {"major": "1", "minor": "32", "gitVersion": "v1.32.0", "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53",
            "gitTreeState": "clean", "buildDate": "2024-12-11T17:59:15Z", "goVersion": "go1.23.3",
            "compiler": "gc", "platform": "linux/amd64"}
