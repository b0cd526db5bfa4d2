"""kubectl create: -f and the generator subcommands produce kubectl's objects and messages."""

import json
import shutil
import subprocess

import pytest

GENERATORS = [
    "create namespace foo",
    "create configmap c --from-literal=a=1 --from-literal=b=x",
    "create secret generic s --from-literal=p=pw",
    "create deployment web --image=nginx:1.27 --replicas=3 --port=80",
    "create service nodeport np --tcp=80:8080",
    "create service clusterip web --tcp=80:8080",
    "create service externalname ext --external-name=example.com",
    "create serviceaccount sa",
    "create service clusterip plain --tcp=80",
    "create job j --image=busybox",
]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is the oracle")
@pytest.mark.parametrize("command", GENERATORS)
def test_generated_objects_match_kubectls_dry_run(cli, command):
    argv = command.split() + ["--dry-run=client", "-o", "yaml", "--", "echo", "hi"]
    expected = subprocess.run(["kubectl", *argv], capture_output=True, text=True, check=True).stdout
    assert cli(argv).stdout == expected


@pytest.mark.parametrize("command, message", [
    ("create namespace foo", "namespace/foo created\n"),
    ("create configmap c --from-literal=a=1", "configmap/c created\n"),
    ("create secret generic s --from-literal=p=pw", "secret/s created\n"),
    ("create deployment web --image=nginx", "deployment.apps/web created\n"),
    ("create service clusterip web --tcp=80", "service/web created\n"),
    ("create serviceaccount robot", "serviceaccount/robot created\n"),
])
def test_generators_store_the_object(cli, command, message):
    result = cli(command)
    assert (result.exit_code, result.stdout, result.stderr) == (0, message, "")


def test_create_from_file_refuses_an_existing_object(cli):
    cli.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    assert cli("create -f cm.yaml").stdout == "configmap/c created\n"
    result = cli("create -f cm.yaml")
    assert (result.exit_code, result.stderr) == (
        1, 'Error from server (AlreadyExists): error when creating "cm.yaml": configmaps "c" already exists\n')


@pytest.mark.parametrize("command, message", [
    ("create deployment web --image=nginx", 'error: failed to create deployment: deployments.apps "web" already exists\n'),
    ("create configmap web", 'error: failed to create configmap: configmaps "web" already exists\n'),
    ("create namespace default", 'Error from server (AlreadyExists): namespaces "default" already exists\n'),
])
def test_generators_on_existing_objects(cli, command, message):
    cli("create deployment web --image=nginx")
    cli("create configmap web")
    result = cli(command)
    assert (result.exit_code, result.stderr) == (1, message)


def test_configmap_from_file_and_directory(cli):
    cli.write("conf/app.properties", "a=1\n")
    cli.write("conf/other.txt", "x")
    cli("create configmap files --from-file=conf")
    assert json.loads(cli("get cm files -o json").stdout)["data"] == {"app.properties": "a=1\n", "other.txt": "x"}
    cli("create configmap renamed --from-file=key=conf/other.txt")
    assert cli("get cm renamed -o jsonpath={.data.key}").stdout == "x"


def test_secret_data_is_base64(cli):
    cli("create secret generic s --from-literal=password=s3cret")
    assert cli("get secret s -o jsonpath={.data.password}").stdout == "czNjcmV0"
    assert cli("get secret s -o jsonpath={.type}").stdout == "Opaque"


@pytest.mark.parametrize("command, message", [
    ("create cronjob c --image=busybox --schedule=@hourly", "cronjob.batch/c created\n"),
    ("create role r --verb=get,list --resource=pods,deploy,pods/log", "role.rbac.authorization.k8s.io/r created\n"),
    ("create clusterrole cr --verb=get --non-resource-url=/healthz", "clusterrole.rbac.authorization.k8s.io/cr created\n"),
    ("create rolebinding rb --role=r --user=jane", "rolebinding.rbac.authorization.k8s.io/rb created\n"),
    ("create clusterrolebinding crb --clusterrole=view --group=g", "clusterrolebinding.rbac.authorization.k8s.io/crb created\n"),
    ("create quota q --hard=pods=2", "resourcequota/q created\n"),
    ("create secret docker-registry d --docker-username=u --docker-password=p", "secret/d created\n"),
    ("create configmap c --from-literal=a=b --append-hash", "configmap/c-m4h6ctkgb2 created\n"),
])
def test_new_generators_store_the_object(cli, command, message):
    result = cli(command)
    assert (result.exit_code, result.stdout, result.stderr) == (0, message, "")


def test_a_role_on_an_unknown_resource_is_refused_as_the_mapper_refuses_it(cli):
    cli("get ns")
    cli.fails("create role r --verb=get --resource=pods,foo", 'the server doesn\'t have a resource type "foo"\n')


def test_create_token_for_a_service_account(cli):
    import base64

    cli("create sa robot")
    token = cli.ok("create token robot --duration=10m").strip()
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert (claims["sub"], claims["exp"] - claims["iat"]) == ("system:serviceaccount:default:robot", 600)
    assert cli.ok("create token robot -o jsonpath={.status.expirationTimestamp}") == "2026-11-25T13:00:00Z"
    cli.fails("create token nosuch", 'error: failed to create token: serviceaccounts "nosuch" not found\n')
