"""--as / --as-group: every verb acts as the impersonated subject and RBAC refuses what no binding allows."""

from __future__ import annotations

import textwrap

FORBIDDEN = "Error from server (Forbidden): "


def apply_manifest(cli, text: str) -> None:
    result = cli("apply -f -", stdin=textwrap.dedent(text))
    assert result.exit_code == 0, result.stderr


def role(name: str, namespace: str, resources: str, verbs: str, group: str = '""', names: str = "") -> str:
    names_line = f"\n  resourceNames: [{names}]" if names else ""
    return f"""
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{name: {name}, namespace: {namespace}}}
rules:
- apiGroups: [{group}]
  resources: [{resources}]
  verbs: [{verbs}]{names_line}
"""


def binding(kind: str, name: str, role_ref: str, subject: str, namespace: str = "") -> str:
    meta = f"{{name: {name}, namespace: {namespace}}}" if namespace else f"{{name: {name}}}"
    return f"""
apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata: {meta}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role_ref.split('/')[0]}, name: {role_ref.split('/')[1]}}}
subjects:
- {subject}
"""


JANE = "{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}"


def test_a_user_without_bindings_is_refused_listing_pods(cli):
    result = cli("get pods --as jane")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (FORBIDDEN + 'pods is forbidden: User "jane" cannot list resource "pods" '
                             'in API group "" in the namespace "default"\n')


def test_a_named_get_is_refused_with_the_name(cli):
    result = cli("get pod web --as jane")
    assert result.exit_code == 1
    assert result.stderr == (FORBIDDEN + 'pods "web" is forbidden: User "jane" cannot get resource "pods" '
                             'in API group "" in the namespace "default"\n')


def test_cluster_scoped_and_all_namespace_requests_are_refused_at_the_cluster_scope(cli):
    assert cli("get nodes --as jane").stderr == (
        FORBIDDEN + 'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope\n')
    assert cli("get deploy -A --as jane").stderr == (
        FORBIDDEN + 'deployments.apps is forbidden: User "jane" cannot list resource "deployments" '
        'in API group "apps" at the cluster scope\n')


def test_a_rolebinding_allows_in_its_namespace_only(cli):
    cli("create namespace dev")
    apply_manifest(cli, role("pod-reader", "dev", "pods", "get, list") + "---" +
                   binding("RoleBinding", "jane-reads", "Role/pod-reader", JANE, "dev"))
    allowed = cli("get pods -n dev --as jane")
    assert (allowed.exit_code, allowed.stdout, allowed.stderr) == (0, "", "No resources found in dev namespace.\n")
    elsewhere = cli("get pods --as jane")
    assert elsewhere.exit_code == 1
    assert 'cannot list resource "pods" in API group "" in the namespace "default"' in elsewhere.stderr
    other_kind = cli("get configmaps -n dev --as jane")
    assert other_kind.stderr == (FORBIDDEN + 'configmaps is forbidden: User "jane" cannot list resource "configmaps" '
                                 'in API group "" in the namespace "dev"\n')


def test_a_clusterrolebinding_to_view_allows_reads_everywhere_but_not_writes(cli):
    cli("create deployment web --image=nginx")
    apply_manifest(cli, binding("ClusterRoleBinding", "jane-views", "ClusterRole/view", JANE))
    listed = cli("get deploy -A --as jane -o name")
    assert listed.exit_code == 0
    assert "deployment.apps/web\n" in listed.stdout
    before = cli.state_bytes()
    scaled = cli("scale deploy web --replicas=3 --as jane")
    assert scaled.exit_code == 1
    assert scaled.stderr == (FORBIDDEN + 'deployments.apps "web" is forbidden: User "jane" cannot patch resource '
                             '"deployments/scale" in API group "apps" in the namespace "default"\n')
    assert cli.state_bytes() == before


def test_a_group_binding_applies_to_users_impersonated_in_that_group(cli):
    apply_manifest(cli, binding("ClusterRoleBinding", "ops-edit", "ClusterRole/edit",
                                "{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}"))
    assert cli("get pods --as jane").exit_code == 1
    created = cli("create configmap settings --as jane --as-group ops")
    assert (created.exit_code, created.stdout) == (0, "configmap/settings created\n")


def test_a_service_account_subject_is_the_impersonated_service_account(cli):
    account = "--as=system:serviceaccount:default:deployer"
    refused = cli(f"get deploy {account}")
    assert refused.stderr == (FORBIDDEN + 'deployments.apps is forbidden: User "system:serviceaccount:default:deployer" '
                              'cannot list resource "deployments" in API group "apps" in the namespace "default"\n')
    apply_manifest(cli, role("deployer", "default", "deployments", "list, create", group="apps") + "---" +
                   binding("RoleBinding", "deployer", "Role/deployer",
                           "{kind: ServiceAccount, name: deployer, namespace: default}", "default"))
    assert cli(f"get deploy {account}").stderr == "No resources found in default namespace.\n"
    created = cli(f"create deployment web --image=nginx {account}")
    assert (created.exit_code, created.stdout) == (0, "deployment.apps/web created\n")


def test_resource_names_restrict_a_rule_to_the_named_objects(cli):
    cli("create configmap public")
    cli("create configmap private")
    apply_manifest(cli, role("public-only", "default", "configmaps", "get", names="public") + "---" +
                   binding("RoleBinding", "jane-public", "Role/public-only", JANE, "default"))
    assert cli("get configmap public --as jane -o name").stdout == "configmap/public\n"
    refused = cli("get configmap public private --as jane -o name")
    assert refused.exit_code == 1
    assert refused.stdout == "configmap/public\n"
    assert refused.stderr == (FORBIDDEN + 'configmaps "private" is forbidden: User "jane" cannot get resource '
                              '"configmaps" in API group "" in the namespace "default"\n')
    assert cli("get configmaps --as jane").exit_code == 1  # a list names nothing, so resourceNames never match it


def test_refused_writes_leave_the_state_file_byte_identical(cli):
    cli("create deployment web --image=nginx")
    cli.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    before = cli.state_bytes()
    refusals = {
        "create -f cm.yaml": 'error when creating "cm.yaml": configmaps is forbidden: User "jane" cannot create',
        "create configmap c": "error: failed to create configmap: configmaps is forbidden",
        "delete deploy web": 'deployments.apps "web" is forbidden: User "jane" cannot delete',
        "delete deploy --all": 'deployments.apps is forbidden: User "jane" cannot list',
        "label deploy web tier=x": 'deployments.apps "web" is forbidden: User "jane" cannot get',
        "replace -f cm.yaml": 'error when replacing "cm.yaml": configmaps "c" is forbidden: User "jane" cannot get',
        "scale deploy web --replicas=2": 'deployments.apps "web" is forbidden: User "jane" cannot get',
    }
    for command, expected in refusals.items():
        result = cli(f"{command} --as jane")
        assert result.exit_code == 1, command
        assert expected in result.stderr, (command, result.stderr)
        assert cli.state_bytes() == before, command


def test_apply_reports_the_refused_read_of_the_current_configuration(cli):
    cli.write("web.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
                          "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                          "    spec: {containers: [{name: web, image: nginx}]}\n")
    result = cli("apply -f web.yaml --as jane")
    assert result.exit_code == 1
    assert result.stderr == (
        FORBIDDEN + "error when retrieving current configuration of:\n"
        'Resource: "apps/v1, Resource=deployments", GroupVersionKind: "apps/v1, Kind=Deployment"\n'
        'Name: "web", Namespace: "default"\n'
        'from server for: "web.yaml": deployments.apps "web" is forbidden: User "jane" cannot get resource '
        '"deployments" in API group "apps" in the namespace "default"\n')


def test_apply_that_may_read_but_not_create_is_refused_on_the_create(cli):
    cli.write("web.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n")
    apply_manifest(cli, binding("RoleBinding", "jane-views", "ClusterRole/view", JANE, "default"))
    result = cli("apply -f web.yaml --as jane")
    assert result.stderr == (FORBIDDEN + 'error when creating "web.yaml": configmaps is forbidden: User "jane" '
                             'cannot create resource "configmaps" in API group "" in the namespace "default"\n')
    apply_manifest(cli, binding("RoleBinding", "jane-edits", "ClusterRole/edit", JANE, "default"))
    assert cli("apply -f web.yaml --as jane").stdout == "configmap/web created\n"


def test_a_binding_to_a_missing_role_gives_rbac_reason(cli):
    apply_manifest(cli, binding("RoleBinding", "jane-ghost", "Role/ghost", JANE, "default"))
    assert cli("get pods --as jane").stderr == (
        FORBIDDEN + 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" '
        'in the namespace "default": RBAC: role.rbac.authorization.k8s.io "ghost" not found\n')


def test_without_as_the_caller_is_the_admin_even_after_bindings_are_gone(cli):
    cli("delete clusterrolebinding kubeadm:cluster-admins cluster-admin")
    assert cli("get pods").exit_code == 0


def test_default_roles_and_bindings_tables(cli):
    roles = cli("get clusterroles").stdout.splitlines()
    assert roles[0] == "NAME                                      CREATED AT"
    assert [line.split()[0] for line in roles[1:]] == [
        "admin", "cluster-admin", "edit", "system:aggregate-to-admin", "system:aggregate-to-edit",
        "system:aggregate-to-view", "system:basic-user", "system:discovery", "system:monitoring",
        "system:public-info-viewer", "system:service-account-issuer-discovery", "view"]
    bindings = cli("get clusterrolebindings -o wide").stdout.splitlines()
    assert bindings[0].split() == ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]
    assert bindings[1].split() == ["cluster-admin", "ClusterRole/cluster-admin", "0s", "system:masters"]
    assert bindings[6].split() == ["system:public-info-viewer", "ClusterRole/system:public-info-viewer", "0s",
                                   "system:authenticated,", "system:unauthenticated"]


def test_role_and_rolebinding_tables(cli):
    apply_manifest(cli, role("reader", "default", "pods", "get") + "---" +
                   binding("RoleBinding", "readers", "Role/reader", JANE, "default"))
    assert cli("get roles").stdout == "NAME     CREATED AT\nreader   2026-11-25T12:00:00Z\n"
    assert cli("get rolebindings -o wide").stdout == (
        "NAME      ROLE          AGE   USERS   GROUPS   SERVICEACCOUNTS\n"
        "readers   Role/reader   0s    jane             \n")


def test_edit_aggregates_view_and_admin_aggregates_edit(cli):
    apply_manifest(cli, binding("RoleBinding", "jane-admin", "ClusterRole/admin", JANE, "default"))
    assert cli("get deploy --as jane").exit_code == 0  # view's rules, through edit
    assert cli("delete configmap missing --as jane").stderr == (  # edit's own rules
        'Error from server (NotFound): configmaps "missing" not found\n')
    assert cli("get rolebindings --as jane -o name").stdout == "rolebinding.rbac.authorization.k8s.io/jane-admin\n"
    assert cli("get rolebindings -n kube-system --as jane").exit_code == 1


def test_events_needs_list_events(cli):
    assert cli("events --as jane").stderr == (
        FORBIDDEN + 'events is forbidden: User "jane" cannot list resource "events" in API group "" '
        'in the namespace "default"\n')
    assert cli("events -A --as jane").stderr == (
        FORBIDDEN + 'events is forbidden: User "jane" cannot list resource "events" in API group "" at the cluster scope\n')


def test_logs_needs_get_pods_then_get_pods_log(cli):
    apply_manifest(cli, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n")
    assert cli("logs p --as jane").stderr == (
        FORBIDDEN + 'pods "p" is forbidden: User "jane" cannot get resource "pods" in API group "" '
        'in the namespace "default"\n')
    apply_manifest(cli, role("pod-reader", "default", "pods", "get")
                   + "---" + binding("RoleBinding", "jane-reads", "Role/pod-reader", JANE, "default"))
    result = cli("logs p --as jane")
    assert (result.exit_code, result.stderr) == (1, FORBIDDEN + 'pods "p" is forbidden: User "jane" cannot get '
                                                 'resource "pods/log" in API group "" in the namespace "default"\n')


def grant(cli, resources: str, verbs: str, group: str = '""') -> None:
    apply_manifest(cli, role("granted", "default", resources, verbs, group) + "---" +
                   binding("RoleBinding", "jane-granted", "Role/granted", JANE, "default"))


def refusal(verb: str, resource: str, group: str = "", name: str = "") -> str:
    qualified = f"{resource}.{group}" if group else resource
    subject = f'{qualified} "{name}"' if name else qualified
    return (FORBIDDEN + f'{subject} is forbidden: User "jane" cannot {verb} resource "{resource}" '
            f'in API group "{group}" in the namespace "default"\n')


CRONJOB = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
"""
STATEFULSET = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres}]}
"""


def test_describe_needs_get_of_the_object_and_list_of_the_type(cli):
    cli("create deployment web --image=nginx")
    assert cli("describe deploy web --as jane").stderr == refusal("get", "deployments", "apps", "web")
    assert cli("describe deploy --as jane").stderr == refusal("list", "deployments", "apps")


def test_describe_without_list_events_leaves_the_events_section_out(cli):
    cli("create deployment web --image=nginx")
    grant(cli, "deployments", "get", "apps")
    result = cli("describe deploy web --as jane")
    assert result.exit_code == 0
    assert "Events:" in cli("describe deploy web").stdout
    assert "Events:" not in result.stdout


def test_wait_needs_get_then_list_of_the_object(cli):
    cli("create deployment web --image=nginx")
    assert cli("wait --for=condition=Available deploy/web --as jane").stderr == refusal("get", "deployments", "apps", "web")
    grant(cli, "deployments", "get", "apps")
    assert cli("wait --for=condition=Available deploy/web --as jane").stderr == refusal("list", "deployments", "apps")


def test_set_env_from_a_configmap_needs_get_of_the_configmap(cli):
    cli("create deployment web --image=nginx")
    cli("create configmap settings --from-literal=mode=fast")
    grant(cli, "deployments", "get, patch", "apps")
    result = cli("set env deploy/web --from=configmap/settings --as jane")
    assert (result.exit_code, result.stderr) == (1, refusal("get", "configmaps", name="settings"))


def test_create_job_from_a_cronjob_needs_get_of_the_cronjob(cli):
    apply_manifest(cli, CRONJOB)
    grant(cli, "jobs", "create", "batch")
    result = cli("create job manual --from=cronjob/nightly --as jane")
    assert result.exit_code == 1
    assert refusal("get", "cronjobs", "batch", "nightly").removeprefix(FORBIDDEN) in result.stderr


def test_rollout_history_of_a_deployment_needs_list_replicasets(cli):
    cli("create deployment web --image=nginx")
    grant(cli, "deployments", "get", "apps")
    assert cli("rollout history deploy/web --as jane").stderr == refusal("list", "replicasets", "apps")


def test_rollout_history_of_a_statefulset_needs_list_controllerrevisions(cli):
    apply_manifest(cli, STATEFULSET)
    grant(cli, "statefulsets", "get", "apps")
    assert cli("rollout history sts/db --as jane").stderr == refusal("list", "controllerrevisions", "apps")


def test_rollout_status_needs_list_of_the_workload_it_watches(cli):
    cli("create deployment web --image=nginx")
    grant(cli, "deployments", "get", "apps")
    assert cli("rollout status deploy/web --as jane").stderr == refusal("list", "deployments", "apps")
