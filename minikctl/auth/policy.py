"""The default ClusterRoles and ClusterRoleBindings a fresh kind v1.32 cluster holds.

Rules as the API server bootstraps them (kubernetes/kubernetes:
plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go, rendered in its
testdata/cluster-roles.yaml), restricted to the roles a user meets: cluster-admin, the aggregated
admin/edit/view with their system:aggregate-to-* parts, and the discovery roles every
authenticated user or service account holds. kubeadm adds the kubeadm:cluster-admins binding that
makes kind's kubeconfig user an admin (kubernetes/kubernetes cmd/kubeadm/app/phases/kubeconfig).
"""

from __future__ import annotations

from minikctl.auth import rbac

READ = ["get", "list", "watch"]
WRITE = ["create", "delete", "deletecollection", "patch", "update"]
READ_WRITE = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
BOOTSTRAP_LABELS = {"kubernetes.io/bootstrapping": "rbac-defaults"}
AUTOUPDATE = {"rbac.authorization.kubernetes.io/autoupdate": "true"}


def _rule(groups: list[str], resources: list[str], verbs: list[str]) -> dict:
    return {"apiGroups": groups, "resources": resources, "verbs": verbs}


def _urls(urls: list[str]) -> dict:
    return {"nonResourceURLs": urls, "verbs": ["get"]}


AGGREGATE_TO_VIEW = [
    _rule([""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                 "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services",
                 "services/status"], READ),
    _rule([""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                 "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], READ),
    _rule([""], ["namespaces"], READ),
    _rule(["discovery.k8s.io"], ["endpointslices"], READ),
    _rule(["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                     "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
                     "statefulsets/scale", "statefulsets/status"], READ),
    _rule(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], READ),
    _rule(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], READ),
    _rule(["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                           "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets",
                           "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"], READ),
    _rule(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], READ),
    _rule(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], READ),
]

AGGREGATE_TO_EDIT = [
    _rule([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], READ),
    _rule([""], ["serviceaccounts"], ["impersonate"]),
    _rule([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], WRITE),
    _rule([""], ["pods/eviction"], ["create"]),
    _rule([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                 "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"], WRITE),
    _rule([""], ["serviceaccounts/token"], ["create"]),
    _rule(["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                     "replicasets/scale", "statefulsets", "statefulsets/scale"], WRITE),
    _rule(["autoscaling"], ["horizontalpodautoscalers"], WRITE),
    _rule(["batch"], ["cronjobs", "jobs"], WRITE),
    _rule(["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                           "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"], WRITE),
    _rule(["policy"], ["poddisruptionbudgets"], WRITE),
    _rule(["networking.k8s.io"], ["ingresses", "networkpolicies"], WRITE),
    _rule(["coordination.k8s.io"], ["leases"], READ_WRITE),
]

AGGREGATE_TO_ADMIN = [
    _rule(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
    _rule([rbac.RBAC_GROUP], ["rolebindings", "roles"], READ_WRITE),
]


def _aggregated(name: str, selector_label: str, labels: dict | None = None) -> tuple[str, list, dict, str]:
    return name, [], labels or {}, selector_label


# name, rules, extra labels, aggregation label ("" for a plain role); in the API server's name order.
CLUSTER_ROLES = [
    _aggregated("admin", "rbac.authorization.k8s.io/aggregate-to-admin"),
    ("cluster-admin", [_rule(["*"], ["*"], ["*"]), {"nonResourceURLs": ["*"], "verbs": ["*"]}], {}, ""),
    _aggregated("edit", "rbac.authorization.k8s.io/aggregate-to-edit",
                {"rbac.authorization.k8s.io/aggregate-to-admin": "true"}),
    ("system:aggregate-to-admin", AGGREGATE_TO_ADMIN, {"rbac.authorization.k8s.io/aggregate-to-admin": "true"}, ""),
    ("system:aggregate-to-edit", AGGREGATE_TO_EDIT, {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}, ""),
    ("system:aggregate-to-view", AGGREGATE_TO_VIEW, {"rbac.authorization.k8s.io/aggregate-to-view": "true"}, ""),
    ("system:basic-user", [_rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                                 ["create"]),
                           _rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"])], {}, ""),
    ("system:discovery", [_urls(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                                 "/openapi/*", "/readyz", "/version", "/version/"])], {}, ""),
    ("system:monitoring", [_urls(["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis",
                                  "/readyz", "/readyz/*"])], {}, ""),
    ("system:public-info-viewer", [_urls(["/healthz", "/livez", "/readyz", "/version", "/version/"])], {}, ""),
    ("system:service-account-issuer-discovery",
     [_urls(["/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks",
            "/openid/v1/jwks/"])], {}, ""),
    _aggregated("view", "rbac.authorization.k8s.io/aggregate-to-view",
                {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}),
]

# binding name, the ClusterRole it grants, the groups it binds; kubeadm's own binding has no labels.
CLUSTER_ROLE_BINDINGS = [
    ("cluster-admin", "cluster-admin", ["system:masters"]),
    ("kubeadm:cluster-admins", "cluster-admin", ["kubeadm:cluster-admins"]),
    ("system:basic-user", "system:basic-user", [rbac.AUTHENTICATED]),
    ("system:discovery", "system:discovery", [rbac.AUTHENTICATED]),
    ("system:monitoring", "system:monitoring", ["system:monitoring"]),
    ("system:public-info-viewer", "system:public-info-viewer", [rbac.AUTHENTICATED, rbac.UNAUTHENTICATED]),
    ("system:service-account-issuer-discovery", "system:service-account-issuer-discovery",
     ["system:serviceaccounts"]),
]


def add_default_policy(cluster) -> None:
    """Store the default roles and bindings; aggregated roles get the rules the aggregation controller writes."""
    for name, rules, labels, aggregation_label in CLUSTER_ROLES:
        cluster.create(_cluster_role(name, rules, labels, aggregation_label), rbac.CLUSTER_ROLES)
    for name, _, _, aggregation_label in CLUSTER_ROLES:
        if aggregation_label:
            role = cluster.get(rbac.CLUSTER_ROLES, "", name)
            role["rules"] = rbac.cluster_role_rules(cluster, role)
            cluster.update(role, rbac.CLUSTER_ROLES)
    for name, role_name, groups in CLUSTER_ROLE_BINDINGS:
        cluster.create(_cluster_role_binding(name, role_name, groups), rbac.CLUSTER_ROLE_BINDINGS)


def _cluster_role(name: str, rules: list, labels: dict, aggregation_label: str) -> dict:
    meta = {"name": name, "labels": {**labels, **BOOTSTRAP_LABELS}, "annotations": dict(AUTOUPDATE)}
    role = {"apiVersion": f"{rbac.RBAC_GROUP}/v1", "kind": "ClusterRole", "metadata": meta, "rules": list(rules)}
    if aggregation_label:
        role["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": {aggregation_label: "true"}}]}
    return role


def _cluster_role_binding(name: str, role_name: str, groups: list[str]) -> dict:
    meta = {"name": name}
    if not name.startswith("kubeadm:"):
        meta.update(labels=dict(BOOTSTRAP_LABELS), annotations=dict(AUTOUPDATE))
    return {"apiVersion": f"{rbac.RBAC_GROUP}/v1", "kind": "ClusterRoleBinding", "metadata": meta,
            "roleRef": {"apiGroup": rbac.RBAC_GROUP, "kind": "ClusterRole", "name": role_name},
            "subjects": [{"apiGroup": rbac.RBAC_GROUP, "kind": "Group", "name": group} for group in groups]}
