"""kubectl expose: generated Services and messages (kubectl-cli.md §7.7)."""

from __future__ import annotations

import json

import pytest

from manifests import configmap, deployment, documents, pod

SOURCES = documents(
    deployment("api", 1, "api:1", container="api", labels={"app": "api"},
               ports=[{"containerPort": 8080}, {"containerPort": 53, "protocol": "UDP"}]),
    pod("bare", "busybox:1.36", container="c"),
    configmap("settings"),
)


@pytest.fixture
def sources(cli):
    assert cli("apply -f -", stdin=SOURCES).exit_code == 0
    return cli


def test_dry_run_prints_the_generated_service(sources):
    result = sources("expose deployment api --port=80 --target-port=8080 --dry-run=client -o yaml")
    assert result.stdout == """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: api
  name: api
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 8080
  selector:
    app: api
status:
  loadBalancer: {}
"""


def test_ports_and_protocols_are_introspected_and_named_when_several(sources):
    spec = json.loads(sources("expose deploy/api --name both --dry-run=client -o json").stdout)["spec"]
    assert spec["ports"] == [{"name": "port-1", "port": 8080, "protocol": "TCP", "targetPort": 8080},
                             {"name": "port-2", "port": 53, "protocol": "UDP", "targetPort": 53}]


def test_expose_creates_the_service_with_an_allocated_node_port(sources):
    result = sources("expose deployment api --port=80 --type=NodePort --name=api-public")
    assert (result.exit_code, result.stdout) == (0, "service/api-public exposed\n")
    port = json.loads(sources("get svc api-public -o json").stdout)["spec"]["ports"][0]
    assert 30000 <= port["nodePort"] <= 32767


def test_expose_a_service_copies_its_selector(sources):
    sources("expose deployment api --port=80")
    spec = json.loads(sources("expose service api --port=443 --target-port=8443 --name=api-tls --dry-run=client "
                              "-o json").stdout)["spec"]
    assert (spec["selector"], spec["ports"]) == (
        {"app": "api"}, [{"port": 443, "protocol": "TCP", "targetPort": 8443}])


def test_expose_with_explicit_selector_and_labels(sources):
    meta_spec = json.loads(sources("expose pod bare --port=80 --selector=run=bare --labels=team=a --dry-run=client "
                                   "-o json").stdout)
    assert (meta_spec["metadata"]["labels"], meta_spec["spec"]["selector"]) == ({"team": "a"}, {"run": "bare"})


@pytest.mark.parametrize("command, stderr", [
    ("expose deployment api --port=80 --name=kubernetes -n default",
     'Error from server (AlreadyExists): services "kubernetes" already exists\n'),
    ("expose pod bare --port=80",
     "error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed\n"),
    ("expose configmap settings --port=80", "error: cannot expose a ConfigMap\n"),
    ("expose deployment ghost --port=80", 'Error from server (NotFound): deployments.apps "ghost" not found\n'),
    ("expose pod bare --selector=run=bare", "error: couldn't find port via --port flag or introspection\n"),
    ("expose deployment api --port=80 --session-affinity=Sticky", "error: unknown session affinity: Sticky\n"),
])
def test_expose_refusals_store_nothing(sources, command, stderr):
    before = sources.state_bytes()
    result = sources(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert sources.state_bytes() == before


def test_dry_run_message(sources):
    assert sources("expose deployment api --port=80 --dry-run=client").stdout == "service/api exposed (dry run)\n"
