"""kubectl get through the CLI: resource arguments, tables, formats, selectors, errors."""

import json

import pytest

LATER = "2026-11-25T12:05:00Z"


@pytest.fixture
def shop(cli):
    cli("create namespace shop")
    cli("create configmap web -n shop --from-literal=a=1 --from-literal=b=2")
    cli("create configmap db -n shop --from-literal=a=1")
    cli("label cm web -n shop app=web tier=front")
    cli("label cm db -n shop app=db")
    cli("create configmap top")
    return cli.at(LATER)


def test_table_of_a_namespace(shop):
    result = shop("get cm -n shop")
    assert result.stdout == ("NAME               DATA   AGE\n"
                             "db                 1      5m\n"
                             "kube-root-ca.crt   1      5m\n"
                             "web                2      5m\n")


def test_all_namespaces_adds_the_namespace_column(shop):
    lines = shop("get cm -A").stdout.splitlines()
    # Columns as wide as kind's local-path-storage/local-path-config.
    assert lines[0] == "NAMESPACE            NAME                DATA   AGE"
    assert [line.split()[:2] for line in lines[1:]][:3] == [
        ["default", "kube-root-ca.crt"], ["default", "top"], ["kube-node-lease", "kube-root-ca.crt"]]


def test_show_labels_and_label_columns(shop):
    assert shop("get cm web db -n shop --show-labels -L tier").stdout == (
        "NAME   DATA   AGE   TIER    LABELS\n"
        "web    2      5m    front   app=web,tier=front\n"
        "db     1      5m            app=db\n")


def test_no_headers(shop):
    assert shop("get cm db -n shop --no-headers").stdout == "db    1     5m\n"


@pytest.mark.parametrize("args", ["cm db", "configmap db", "configmaps db", "ConfigMap db", "cm/db", "configmaps.v1 db"])
def test_every_form_of_the_type_argument(shop, args):
    assert shop(f"get {args} -n shop -o name").stdout == "configmap/db\n"


def test_several_types_print_one_table_each(shop):
    result = shop("get ns/shop cm/db -n shop")
    assert result.stdout == ("NAME             STATUS   AGE\n"
                             "namespace/shop   Active   5m\n"
                             "\n"
                             "NAME           DATA   AGE\n"
                             "configmap/db   1      5m\n")


def test_label_selectors(shop):
    assert shop("get cm -n shop -l app=web -o name").stdout == "configmap/web\n"
    assert shop("get cm -n shop -l 'app in (web,db)' -o name").stdout == "configmap/db\nconfigmap/web\n"
    assert shop("get cm -n shop -l '!app' -o name").stdout == "configmap/kube-root-ca.crt\n"
    assert shop("get cm -n shop -l app,app!=web -o name").stdout == "configmap/db\n"


def test_field_selectors(shop):
    assert shop("get cm -A --field-selector metadata.namespace=shop,metadata.name!=web -o name").stdout == (
        "configmap/db\nconfigmap/kube-root-ca.crt\n")


def test_one_named_object_prints_as_itself_and_listings_as_a_list(shop):
    single = json.loads(shop("get cm db -n shop -o json").stdout)
    assert single["kind"] == "ConfigMap"
    listing = json.loads(shop("get cm -n shop -l app=db -o json").stdout)
    assert listing["kind"] == "List" and listing["metadata"] == {"resourceVersion": ""}
    assert [item["metadata"]["name"] for item in listing["items"]] == ["db"]


def test_an_empty_listing_in_json_is_an_empty_list(shop):
    assert shop("get jobs -o json").stdout == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n'
        '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')


def test_jsonpath_over_a_listing(shop):
    assert shop("get cm -n shop -o jsonpath={.items[*].metadata.name}").stdout == "db kube-root-ca.crt web"


def test_custom_columns_and_sort_by(shop):
    assert shop("get cm -n shop -l app -o custom-columns=NAME:.metadata.name,APP:.metadata.labels.app "
                "--sort-by=.metadata.labels.app").stdout == "NAME   APP\ndb     db\nweb    web\n"


def test_no_resources_found_goes_to_stderr_with_exit_zero(shop):
    result = shop("get jobs")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No resources found in default namespace.\n")
    assert shop("get jobs -A").stderr == "No resources found\n"
    assert shop("get jobs -n shop").stderr == "No resources found in shop namespace.\n"


def test_not_found_prints_the_others_and_exits_one(shop):
    result = shop("get cm db nope -n shop")
    assert result.stdout == "NAME   DATA   AGE\ndb     1      5m\n"
    assert result.stderr == 'Error from server (NotFound): configmaps "nope" not found\n'
    assert result.exit_code == 1
    assert shop("get cm nope --ignore-not-found").exit_code == 0


@pytest.mark.parametrize("command, message", [
    ("get foo", 'error: the server doesn\'t have a resource type "foo"\n'),
    ("get DEPLOY", 'error: the server doesn\'t have a resource type "DEPLOY"\n'),
    ("get deployment/", "error: arguments in resource/name form must have a single resource and name\n"),
    ("get pods -o bogus", 'error: unable to match a printer suitable for the output format "bogus", allowed formats '
                          "are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
                          "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"),
    ("get pods -o jsonpath", "error: template format specified but no template given\n"),
    ("get pods --bogus", "Error: unknown flag: --bogus\nSee 'minikctl get --help' for usage.\n"),
    ("get", 'You must specify the type of resource to get. Use "minikctl api-resources" for a complete list of '
            'supported resources.\n\nerror: Required resource not specified.\nUse "minikctl explain <resource>" for a '
            "detailed description of that resource (e.g. minikctl explain pods).\nSee 'minikctl get -h' for help and "
            "examples\n"),
])
def test_usage_errors(shop, command, message):
    result = shop(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_get_all_lists_workloads_and_services(cli):
    result = cli("get all")
    assert result.stdout == ("NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
                             "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   0s\n")


def test_api_resources_table_has_kubectls_columns(cli):
    lines = cli("api-resources").stdout.splitlines()
    assert lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert "deployments                deploy       apps/v1                        true         Deployment" in lines


def test_template_and_column_files(shop):
    shop.write("names.jsonpath", "{range .items[*]}{.metadata.name}{\"\\n\"}{end}")
    shop.write("columns.txt", "NAME          APP\n.metadata.name .metadata.labels.app\n")
    assert shop("get cm -n shop -l app -o jsonpath-file=names.jsonpath").stdout == "db\nweb\n"
    assert shop("get cm -n shop -l app -o custom-columns-file=columns.txt").stdout == "NAME   APP\ndb     db\nweb    web\n"
    missing = shop("get cm -n shop -o jsonpath-file=nope.txt")
    assert (missing.exit_code, missing.stderr) == (
        1, "error: error reading --template nope.txt, open nope.txt: no such file or directory\n")


def test_jsonpath_as_json(shop):
    assert shop("get cm db -n shop -o jsonpath-as-json={.metadata.name}").stdout == '[\n    "db"\n]\n'
