"""`auth can-i` (yes/no, exit 0/1, warnings, --list table) and `auth whoami`."""

from __future__ import annotations

BIND_JANE_TO_POD_READER = """
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}
- {apiGroups: [""], resources: [configmaps], verbs: [get], resourceNames: [settings]}
- {apiGroups: [apps], resources: [deployments/scale], verbs: [patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-reads, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
"""


def answer(cli, command: str) -> tuple[int, str, str]:
    result = cli(command)
    return result.exit_code, result.stdout, result.stderr


def bind_jane(cli) -> None:
    cli("create namespace dev")
    assert cli("apply -f -", stdin=BIND_JANE_TO_POD_READER).exit_code == 0


def test_the_admin_can_do_anything(cli):
    assert answer(cli, "auth can-i '*' '*'") == (0, "yes\n", "")


def test_yes_exits_0_and_no_exits_1(cli):
    bind_jane(cli)
    assert answer(cli, "auth can-i list pods -n dev --as jane") == (0, "yes\n", "")
    assert answer(cli, "auth can-i list pods --as jane") == (1, "no\n", "")
    assert answer(cli, "auth can-i delete pods -n dev --as jane") == (1, "no\n", "")
    assert answer(cli, "auth can-i list pods -A --as jane") == (1, "no\n", "")


def test_names_and_subresources(cli):
    bind_jane(cli)
    assert answer(cli, "auth can-i get configmaps/settings -n dev --as jane") == (0, "yes\n", "")
    assert answer(cli, "auth can-i get configmaps/other -n dev --as jane") == (1, "no\n", "")
    assert answer(cli, "auth can-i get pods --subresource=log -n dev --as jane") == (0, "yes\n", "")
    assert answer(cli, "auth can-i patch deployments --subresource=scale -n dev --as jane") == (0, "yes\n", "")
    assert answer(cli, "auth can-i patch deployments -n dev --as jane") == (1, "no\n", "")


def test_quiet_prints_nothing_but_keeps_the_exit_code(cli):
    assert answer(cli, "auth can-i list pods -q --as jane") == (1, "", "")


def test_service_accounts_have_only_discovery(cli):
    assert answer(cli, "auth can-i list pods --as=system:serviceaccount:default:default") == (1, "no\n", "")
    assert answer(cli, "auth can-i get /healthz --as=system:serviceaccount:default:default") == (0, "yes\n", "")


def test_group_bindings_count(cli):
    assert answer(cli, "auth can-i delete nodes -A --as jane --as-group system:masters") == (0, "yes\n", "")


def test_warnings_for_cluster_scope_unknown_types_and_verbs(cli):
    assert answer(cli, "auth can-i list nodes --as jane") == (
        1, "no\n", "Warning: resource 'nodes' is not namespace scoped\n\n")
    assert answer(cli, "auth can-i list clusterroles --as jane") == (
        1, "no\n", "Warning: resource 'clusterroles' is not namespace scoped in group 'rbac.authorization.k8s.io'\n\n")
    assert answer(cli, "auth can-i frob pods --as jane") == (1, "no\n", "Warning: verb 'frob' is not a known verb\n\n")
    assert answer(cli, "auth can-i get foos --as jane") == (
        1, "no\n", "Warning: the server doesn't have a resource type 'foos'\n\n")


def test_a_missing_role_is_the_reason_for_no(cli):
    assert cli("apply -f -", stdin="""
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ghost, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ghost}
subjects: [{kind: User, name: jane}]
""").exit_code == 0
    assert answer(cli, "auth can-i get pods --as jane") == (
        1, 'no - RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found\n', "")


def test_bad_invocations(cli):
    assert answer(cli, "auth can-i get") == (
        1, "", "error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
               "See 'minikctl auth can-i -h' for help and examples.\n")
    assert answer(cli, "auth can-i --list pods") == (1, "", "error: list option must be specified with no arguments\n")


def test_list_for_a_service_account(cli):
    assert answer(cli, "auth can-i --list --as=system:serviceaccount:default:default") == (0, """\
Resources                                       Non-Resource URLs                      Resource Names   Verbs
selfsubjectreviews.authentication.k8s.io        []                                     []               [create]
selfsubjectaccessreviews.authorization.k8s.io   []                                     []               [create]
selfsubjectrulesreviews.authorization.k8s.io    []                                     []               [create]
                                                [/.well-known/openid-configuration/]   []               [get]
                                                [/.well-known/openid-configuration]    []               [get]
                                                [/api/*]                               []               [get]
                                                [/api]                                 []               [get]
                                                [/apis/*]                              []               [get]
                                                [/apis]                                []               [get]
                                                [/healthz]                             []               [get]
                                                [/healthz]                             []               [get]
                                                [/livez]                               []               [get]
                                                [/livez]                               []               [get]
                                                [/openapi/*]                           []               [get]
                                                [/openapi]                             []               [get]
                                                [/openid/v1/jwks/]                     []               [get]
                                                [/openid/v1/jwks]                      []               [get]
                                                [/readyz]                              []               [get]
                                                [/readyz]                              []               [get]
                                                [/version/]                            []               [get]
                                                [/version/]                            []               [get]
                                                [/version]                             []               [get]
                                                [/version]                             []               [get]
""", "")


def test_list_merges_verbs_and_shows_resource_names(cli):
    bind_jane(cli)
    table = cli("auth can-i --list -n dev --as jane --no-headers").stdout.splitlines()
    resource_rows = [line.split() for line in table if not line.startswith(" ")]
    assert resource_rows == [  # sorted by Go's PolicyRule.String(): verbs, then groups, resources, names
        ["selfsubjectreviews.authentication.k8s.io", "[]", "[]", "[create]"],
        ["selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]"],
        ["selfsubjectrulesreviews.authorization.k8s.io", "[]", "[]", "[create]"],
        ["pods/log", "[]", "[]", "[get", "list]"],
        ["pods", "[]", "[]", "[get", "list]"],
        ["configmaps", "[]", "[settings]", "[get]"],
        ["deployments.apps/scale", "[]", "[]", "[patch]"],
    ]


def test_whoami(cli):
    assert answer(cli, "auth whoami") == (0, (
        "ATTRIBUTE   VALUE\n"
        "Username    kubernetes-admin\n"
        "Groups      [kubeadm:cluster-admins system:authenticated]\n"), "")
    assert answer(cli, "auth whoami --as=system:serviceaccount:dev:ci")[1] == (
        "ATTRIBUTE   VALUE\n"
        "Username    system:serviceaccount:dev:ci\n"
        "Groups      [system:serviceaccounts system:serviceaccounts:dev system:authenticated]\n")
    assert answer(cli, "auth whoami --as jane --as-group ops -o json")[1] == """\
{
    "kind": "SelfSubjectReview",
    "apiVersion": "authentication.k8s.io/v1",
    "metadata": {
        "creationTimestamp": null
    },
    "status": {
        "userInfo": {
            "username": "jane",
            "groups": [
                "ops",
                "system:authenticated"
            ]
        }
    }
}
"""
