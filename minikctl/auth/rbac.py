"""The RBAC authorizer: may this user make this request, given the cluster's roles and bindings?

Facts, from kubernetes/kubernetes:
- plugin/pkg/auth/authorizer/rbac/rbac.go: allowed when any rule of any role bound to the user
  matches; there are no deny rules; roles that cannot be resolved become the denial's reason.
- pkg/registry/rbac/validation/rule.go: ClusterRoleBindings are visited first, then the RoleBindings
  of the request's namespace; which subjects (User, Group, ServiceAccount) apply to a user.
- pkg/apis/rbac/v1/evaluation_helpers.go: verb, API group, resource (`*`, `*/subresource`),
  resourceNames (empty means any) and non-resource URL (trailing `*`) matching.
- pkg/controller/clusterroleaggregation: an aggregated ClusterRole holds the rules of the roles its
  selectors match (by name order, without duplicates).
- staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go: the Forbidden text.
"""

from __future__ import annotations

from dataclasses import dataclass

from minikctl import errors

RBAC_GROUP = "rbac.authorization.k8s.io"
ROLES = f"roles.{RBAC_GROUP}"
CLUSTER_ROLES = f"clusterroles.{RBAC_GROUP}"
ROLE_BINDINGS = f"rolebindings.{RBAC_GROUP}"
CLUSTER_ROLE_BINDINGS = f"clusterrolebindings.{RBAC_GROUP}"

SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"
AUTHENTICATED = "system:authenticated"
UNAUTHENTICATED = "system:unauthenticated"
ANONYMOUS = "system:anonymous"


@dataclass(frozen=True)
class UserInfo:
    name: str
    groups: tuple[str, ...] = ()


# kind's kubeconfig user: kubeadm >= 1.29 signs admin.conf for the group kubeadm:cluster-admins.
ADMIN = UserInfo("kubernetes-admin", ("kubeadm:cluster-admins", AUTHENTICATED))


def impersonated(name: str, groups: list[str]) -> UserInfo:
    """The user that --as/--as-group stand for, with the groups the API server adds.

    staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go: a service account
    impersonated without --as-group gets its two service-account groups; every user but
    system:anonymous gets system:authenticated unless the groups already name either state.
    """
    all_groups = list(groups)
    namespace = service_account_namespace(name)
    if namespace and not groups:
        all_groups = ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"]
    if name == ANONYMOUS:
        if UNAUTHENTICATED not in all_groups:
            all_groups.append(UNAUTHENTICATED)
    elif AUTHENTICATED not in all_groups and UNAUTHENTICATED not in all_groups:
        all_groups.append(AUTHENTICATED)
    return UserInfo(name, tuple(all_groups))


def service_account_namespace(username: str) -> str:
    """NS of `system:serviceaccount:NS:NAME`; "" for any other user name."""
    if not username.startswith(SERVICE_ACCOUNT_PREFIX):
        return ""
    namespace, colon, name = username[len(SERVICE_ACCOUNT_PREFIX):].partition(":")
    if not colon or not namespace or not name or ":" in name:
        return ""
    return namespace


@dataclass(frozen=True)
class Attributes:
    """One API request as the authorizer sees it; `path` set means a non-resource request."""

    verb: str
    resource: str = ""
    api_group: str = ""
    subresource: str = ""
    name: str = ""
    namespace: str = ""
    path: str = ""

    @property
    def is_resource_request(self) -> bool:
        return not self.path


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""


# -- decision ------------------------------------------------------------------------------------
def evaluate(cluster, user: UserInfo, request: Attributes) -> Decision:
    """Allowed when a rule of a role bound to the user matches; else denied with RBAC's reason."""
    problems: list[str] = []
    for rules in _bound_rule_sets(cluster, user, request.namespace, problems):
        if any(rule_allows(rule, request) for rule in rules):
            return Decision(True)
    return Decision(False, _reason(problems))


def rules_for(cluster, user: UserInfo, namespace: str) -> tuple[list[dict], list[str]]:
    """Every rule granted to the user in a namespace (what a SelfSubjectRulesReview returns)."""
    problems: list[str] = []
    rules = [rule for rules in _bound_rule_sets(cluster, user, namespace, problems) for rule in rules]
    return rules, problems


def _reason(problems: list[str]) -> str:
    """rbac.go's denial reason: `RBAC: ` and the resolution errors (bracketed when several)."""
    if not problems:
        return ""
    joined = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
    return f"RBAC: {joined}"


def _bound_rule_sets(cluster, user: UserInfo, namespace: str, problems: list[str]):
    """The rules of each role bound to the user, binding by binding; unresolved roles go to problems."""
    bindings = [(binding, "") for binding in cluster.list(CLUSTER_ROLE_BINDINGS)]
    if namespace:
        bindings += [(binding, namespace) for binding in cluster.list(ROLE_BINDINGS, namespace)]
    for binding, binding_namespace in bindings:
        if not any(_applies_to(subject, user, binding_namespace) for subject in binding.get("subjects") or ()):
            continue
        try:
            yield _role_rules(cluster, binding.get("roleRef") or {}, binding_namespace)
        except LookupError as missing:
            problems.append(str(missing))


def _applies_to(subject: dict, user: UserInfo, binding_namespace: str) -> bool:
    kind, name = subject.get("kind"), subject.get("name")
    if kind == "User":
        return name == user.name
    if kind == "Group":
        return name in user.groups
    if kind == "ServiceAccount":
        namespace = subject.get("namespace") or binding_namespace
        return bool(namespace) and user.name == f"{SERVICE_ACCOUNT_PREFIX}{namespace}:{name}"
    return False


def _role_rules(cluster, role_ref: dict, binding_namespace: str) -> list[dict]:
    kind, name = role_ref.get("kind"), role_ref.get("name", "")
    if kind == "ClusterRole":
        role = cluster.get(CLUSTER_ROLES, "", name)
        if role is None:
            raise LookupError(f'clusterrole.{RBAC_GROUP} "{name}" not found')
        return cluster_role_rules(cluster, role)
    if kind == "Role":
        role = cluster.get(ROLES, binding_namespace, name) if binding_namespace else None
        if role is None:
            raise LookupError(f'role.{RBAC_GROUP} "{name}" not found')
        return list(role.get("rules") or [])
    raise LookupError(f'unsupported role reference kind: "{kind}"')


def cluster_role_rules(cluster, role: dict, outer: tuple[str, ...] = ()) -> list[dict]:
    """A ClusterRole's rules; an aggregated one also gets the rules of the roles it selects."""
    from minikctl.core.selectors import selector_matches

    rules = list(role.get("rules") or [])
    selectors = (role.get("aggregationRule") or {}).get("clusterRoleSelectors") or []
    name = role["metadata"]["name"]
    for selector in selectors:
        for other in cluster.list(CLUSTER_ROLES):
            other_name = other["metadata"]["name"]
            if other_name == name or other_name in outer:
                continue
            if not selector_matches(selector, other["metadata"].get("labels")):
                continue
            rules += [r for r in cluster_role_rules(cluster, other, outer + (name,)) if r not in rules]
    return rules


# -- rule matching -------------------------------------------------------------------------------
def rule_allows(rule: dict, request: Attributes) -> bool:
    if not _verb_matches(rule, request.verb):
        return False
    if not request.is_resource_request:
        return _url_matches(rule, request.path)
    return (_group_matches(rule, request.api_group) and _resource_matches(rule, request)
            and _name_matches(rule, request.name))


def _verb_matches(rule: dict, verb: str) -> bool:
    return any(v in ("*", verb) for v in rule.get("verbs") or ())


def _group_matches(rule: dict, group: str) -> bool:
    return any(g in ("*", group) for g in rule.get("apiGroups") or ())


def _resource_matches(rule: dict, request: Attributes) -> bool:
    """`*`, the exact `resource[/subresource]`, or `*/subresource` for any resource's subresource."""
    combined = f"{request.resource}/{request.subresource}" if request.subresource else request.resource
    for resource in rule.get("resources") or ():
        if resource in ("*", combined):
            return True
        if request.subresource and resource == f"*/{request.subresource}":
            return True
    return False


def _name_matches(rule: dict, name: str) -> bool:
    """An empty resourceNames list allows any name; otherwise only requests naming one of them."""
    names = rule.get("resourceNames") or ()
    return not names or name in names


def _url_matches(rule: dict, path: str) -> bool:
    for url in rule.get("nonResourceURLs") or ():
        if url in ("*", path) or (url.endswith("*") and path.startswith(url.rstrip("*"))):
            return True
    return False


# -- the refusal ---------------------------------------------------------------------------------
class Forbidden(errors.APIError):
    """403 for a refused request; `step` words the `error when ... "FILE"` prefix when set."""

    def __init__(self, message: str, step: str = ""):
        super().__init__("Forbidden", message, 403)
        self.step = step

    def with_source(self, verb: str, source: str) -> errors.APIError:
        return errors.APIError(self.reason, f'error when {self.step or verb} "{source}": {self.message}', self.code)


def forbidden_message(user: UserInfo, request: Attributes, qualified: str, reason: str = "") -> str:
    """`<qualified>[ "<name>"] is forbidden: User "u" cannot <verb> resource ... [: reason]`."""
    resource = f"{request.resource}/{request.subresource}" if request.subresource else request.resource
    scope = f'in the namespace "{request.namespace}"' if request.namespace else "at the cluster scope"
    detail = (f'User "{user.name}" cannot {request.verb} resource "{resource}" '
              f'in API group "{request.api_group}" {scope}')
    if reason:
        detail += f": {reason}"
    subject = f'{qualified} "{request.name}"' if request.name else qualified
    return f"{subject} is forbidden: {detail}"
