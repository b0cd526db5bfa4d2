"""kubectl apply -f: created/configured/unchanged, the three-way merge, dry runs, bad input."""

import json

import pytest

from manifests import deployment

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  a: "1"
  b: "2"
"""

DEPLOYMENT = deployment(replicas=None)


def test_apply_creates_then_reports_unchanged_then_configured(cli):
    cli.write("cm.yaml", CONFIGMAP)
    assert cli("apply -f cm.yaml").stdout == "configmap/web-config created\n"
    assert cli("apply -f cm.yaml").stdout == "configmap/web-config unchanged\n"
    cli.write("cm.yaml", CONFIGMAP.replace('b: "2"', 'b: "3"'))
    result = cli("apply -f cm.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "configmap/web-config configured\n", "")
    assert cli("get cm web-config -o jsonpath={.data.b}").stdout == "3"


def test_a_field_removed_from_the_manifest_is_removed_from_the_object(cli):
    cli.write("cm.yaml", CONFIGMAP)
    cli("apply -f cm.yaml")
    cli.write("cm.yaml", CONFIGMAP.replace('  b: "2"\n', ""))
    cli("apply -f cm.yaml")
    assert json.loads(cli("get cm web-config -o json").stdout)["data"] == {"a": "1"}


def test_fields_the_manifest_never_set_survive_apply(cli):
    cli.write("cm.yaml", CONFIGMAP)
    cli("apply -f cm.yaml")
    cli("label cm web-config tier=backend")
    cli.write("cm.yaml", CONFIGMAP.replace('b: "2"', 'b: "4"'))
    cli("apply -f cm.yaml")
    assert cli("get cm web-config -o jsonpath={.metadata.labels.tier}").stdout == "backend"


def test_apply_keeps_the_manifest_in_the_last_applied_annotation(cli):
    cli.write("cm.yaml", CONFIGMAP)
    cli("apply -f cm.yaml")
    template = r"{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}"
    assert cli(["get", "cm", "web-config", "-o", f"jsonpath={template}"]).stdout == (
        '{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap",'
        '"metadata":{"annotations":{},"name":"web-config","namespace":"default"}}\n')


def test_server_defaults_survive_reapply(cli):
    cli.write("deploy.yaml", DEPLOYMENT)
    assert cli("apply -f deploy.yaml").stdout == "deployment.apps/web created\n"
    assert cli("get deploy web -o jsonpath={.spec.replicas},{.spec.strategy.type}").stdout == "1,RollingUpdate"
    assert cli("apply -f deploy.yaml").stdout == "deployment.apps/web unchanged\n"


def test_apply_to_an_object_made_by_create_warns_about_the_missing_annotation(cli):
    cli("create configmap web-config --from-literal=a=1")
    cli.write("cm.yaml", CONFIGMAP)
    result = cli("apply -f cm.yaml")
    assert result.stdout == "configmap/web-config configured\n"
    assert result.stderr == (
        "Warning: resource configmaps/web-config is missing the kubectl.kubernetes.io/last-applied-configuration "
        "annotation which is required by kubectl apply. kubectl apply should only be used on resources created "
        "declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be "
        "patched automatically.\n")


@pytest.mark.parametrize("flag, suffix", [("--dry-run=client", " (dry run)"), ("--dry-run=server", " (server dry run)")])
def test_dry_runs_report_and_store_nothing(cli, flag, suffix):
    cli("get ns")
    before = cli.state_bytes()
    cli.write("cm.yaml", CONFIGMAP)
    assert cli(f"apply -f cm.yaml {flag}").stdout == f"configmap/web-config created{suffix}\n"
    assert cli.state_bytes() == before


def test_output_name_prints_only_the_name(cli):
    cli.write("cm.yaml", CONFIGMAP)
    assert cli("apply -f cm.yaml -o name").stdout == "configmap/web-config\n"


def test_multi_document_files_directories_and_stdin(cli):
    cli.write("dir/a.yaml", CONFIGMAP + "---\n" + CONFIGMAP.replace("web-config", "second"))
    cli.write("dir/b.json", json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "from-list"}}]}))
    assert cli("apply -f dir").stdout == ("configmap/web-config created\nconfigmap/second created\n"
                                          "configmap/from-list created\n")
    assert cli("apply -f -", stdin=CONFIGMAP.replace("web-config", "piped")).stdout == "configmap/piped created\n"


def test_objects_go_to_their_own_namespace_and_a_missing_namespace_is_an_error(cli):
    cli.write("cm.yaml", CONFIGMAP.replace("name: web-config", "name: web-config\n  namespace: nowhere"))
    result = cli("apply -f cm.yaml")
    assert result.exit_code == 1
    assert result.stderr == 'Error from server (NotFound): error when creating "cm.yaml": namespaces "nowhere" not found\n'


def test_an_explicit_namespace_must_agree_with_the_manifest(cli):
    cli("create namespace other")
    cli.write("cm.yaml", CONFIGMAP.replace("name: web-config", "name: web-config\n  namespace: other"))
    result = cli("apply -f cm.yaml -n default")
    assert result.exit_code == 1
    assert result.stderr == ('error: the namespace from the provided object "other" does not match the namespace '
                             '"default". You must pass \'--namespace=other\' to perform this operation.\n')


BAD_INPUT = [
    ("missing.yaml", None, 'error: the path "missing.yaml" does not exist\n'),
    ("unknown.yaml", "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n",
     'error: resource mapping not found for name: "x" namespace: "" from "unknown.yaml": '
     'no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n'),
    ("noversion.yaml", "kind: ConfigMap\nmetadata:\n  name: x\n",
     'error: error validating "noversion.yaml": error validating data: apiVersion not set; if you choose to ignore '
     "these errors, turn validation off with --validate=false\n"),
    ("wrongtype.yaml", DEPLOYMENT.replace("spec:\n  selector", "spec:\n  replicas: three\n  selector"),
     'Error from server (BadRequest): error when creating "wrongtype.yaml": Deployment in version "v1" cannot be '
     "handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of "
     "type int32\n"),
    ("unknownfield.yaml", CONFIGMAP + "bogus: true\n",
     'Error from server (BadRequest): error when creating "unknownfield.yaml": ConfigMap in version "v1" cannot be '
     'handled as a ConfigMap: strict decoding error: unknown field "bogus"\n'),
]


@pytest.mark.parametrize("name, content, message", BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_refused_with_kubectls_error_and_changes_nothing(cli, name, content, message):
    cli("get ns")
    if content is not None:
        cli.write(name, content)
    before = cli.state_bytes()
    result = cli(f"apply -f {name}")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    assert cli.state_bytes() == before


def test_broken_yaml_is_a_parse_error_with_its_line(cli):
    cli("get ns")
    cli.write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a, b\n")
    before = cli.state_bytes()
    result = cli("apply -f broken.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith('error: error parsing broken.yaml: error converting YAML to JSON: yaml: line ')
    assert cli.state_bytes() == before


def test_must_specify_a_file(cli):
    result = cli("apply")
    assert (result.exit_code, result.stderr) == (1, "error: must specify one of -f and -k\n")


def test_unchanged_apply_sends_no_patch_so_a_reader_may_run_it(cli):
    """kubectl asks the server nothing after the read when the patch is empty: no patch permission needed."""
    cli.write("c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
    cli.write("rbac.yaml", """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-reads}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
""")
    assert cli("apply -f c.yaml -f rbac.yaml").exit_code == 0
    before = cli.state_bytes()
    again = cli("apply -f c.yaml --as jane")
    assert (again.exit_code, again.stdout, again.stderr) == (0, "configmap/c unchanged\n", "")
    assert cli.state_bytes() == before


def test_a_dry_run_manifest_keeps_the_stored_creation_time_and_uid(cli):
    """`creationTimestamp: null` from `create --dry-run=client -o yaml` is reported configured, as kubectl's
    known quirk does, but the server keeps its own timestamp and uid."""
    manifest = cli("create configmap c --from-literal=a=1 --dry-run=client -o yaml").stdout
    cli.write("c.yaml", manifest)
    cli("apply -f c.yaml")
    before = cli("get cm c -o jsonpath={.metadata.uid},{.metadata.creationTimestamp}").stdout
    assert cli("apply -f c.yaml").stdout == "configmap/c configured\n"
    assert cli("get cm c -o jsonpath={.metadata.uid},{.metadata.creationTimestamp}").stdout == before
    assert before.endswith(",2026-11-25T12:00:00Z")


def test_force_re_creates_an_object_whose_immutable_field_changed(cli):
    """apply.txtar: changing a Service's clusterIP is refused; --force deletes and re-creates it."""
    service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  clusterIP: 10.96.0.11\n  ports:\n  - port: 80\n"
    cli.apply("s1.yaml", service)
    cli.write("s2.yaml", service.replace("10.96.0.11", "10.96.0.12"))
    result = cli("apply -f s2.yaml")
    assert result.exit_code == 1 and "may not change once set" in result.stderr
    assert cli.ok("apply -f s2.yaml --force") == "service/a configured\n"
    assert cli.ok("get svc a -o jsonpath={.spec.clusterIP}") == "10.96.0.12"
    cli.fails("apply -f s2.yaml --force --server-side", "error: --force cannot be used with --server-side\n")
