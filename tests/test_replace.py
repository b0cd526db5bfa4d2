"""kubectl replace -f: full updates with the API server's optimistic concurrency."""

import json

import yaml


def saved(cli, target: str) -> dict:
    return json.loads(cli(f"get {target} -o json").stdout)


def test_replace_with_the_current_resource_version_succeeds(cli):
    cli("create configmap c --from-literal=a=1")
    obj = saved(cli, "cm c")
    obj["data"] = {"a": "2"}
    cli.write("c.yaml", yaml.safe_dump(obj))
    result = cli("replace -f c.yaml")
    assert (result.exit_code, result.stdout) == (0, "configmap/c replaced\n")
    assert cli("get cm c -o jsonpath={.data.a}").stdout == "2"


def test_replace_with_a_stale_resource_version_is_a_conflict_and_changes_nothing(cli):
    cli("create configmap c --from-literal=a=1")
    stale = saved(cli, "cm c")
    cli("label cm c changed=yes")
    stale["data"] = {"a": "stale"}
    cli.write("c.yaml", yaml.safe_dump(stale))
    before = cli.state_bytes()
    result = cli("replace -f c.yaml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        'Error from server (Conflict): error when replacing "c.yaml": Operation cannot be fulfilled on configmaps '
        '"c": the object has been modified; please apply your changes to the latest version and try again\n')
    assert cli.state_bytes() == before


def test_replace_of_a_missing_object(cli):
    cli.write("c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nope\n")
    result = cli("replace -f c.yaml")
    assert (result.exit_code, result.stderr) == (
        1, 'Error from server (NotFound): error when replacing "c.yaml": configmaps "nope" not found\n')


def test_scale_with_a_stale_resource_version_fails_its_precondition(cli):
    cli("create deployment web --image=nginx")
    version = cli("get deploy web -o jsonpath={.metadata.resourceVersion}").stdout
    cli("label deploy web moved=on")
    before = cli.state_bytes()
    result = cli(f"scale deploy web --replicas=3 --resource-version={version}")
    current = cli("get deploy web -o jsonpath={.metadata.resourceVersion}").stdout
    assert (result.exit_code, result.stderr) == (
        1, f"error: Expected resource version to be {version}, was {current}\n")
    assert cli.state_bytes() == before


def test_scale_current_replicas_precondition(cli):
    cli("create deployment web --image=nginx --replicas=2")
    result = cli("scale deploy web --replicas=3 --current-replicas=5")
    assert (result.exit_code, result.stderr) == (1, "error: Expected replicas to be 5, was 2\n")
    assert cli("scale deploy web --replicas=3 --current-replicas=2").stdout == "deployment.apps/web scaled\n"


def test_replace_keeps_a_services_allocated_cluster_ip(cli):
    cli("create service clusterip web --tcp=80")
    allocated = cli("get svc web -o jsonpath={.spec.clusterIP}").stdout
    cli.write("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: other\n"
                          "  ports:\n  - port: 8080\n")
    assert cli("replace -f svc.yaml").stdout == "service/web replaced\n"
    assert cli("get svc web -o jsonpath={.spec.clusterIP},{.spec.ports[0].port}").stdout == f"{allocated},8080"
