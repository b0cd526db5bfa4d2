"""Endpoints and EndpointSlices follow Services and their pods (controllers.md §3.8)."""

from __future__ import annotations

import json
import re

import pytest

from manifests import SHOP, deployment, documents, service

WEB = documents(
    SHOP,
    deployment(replicas=3, namespace="shop", ports=[{"name": "http", "containerPort": 8080}]),
    service("my-service", {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
            namespace="shop", labels={"tier": "front"}),
)


@pytest.fixture
def shop(cli):
    assert cli("apply -f -", stdin=WEB).exit_code == 0
    return cli


def jsonpath(cli, command: str) -> str:
    return cli(command).stdout


def pod_addresses(cli, selector: str = "app=web") -> list[str]:
    return sorted(jsonpath(cli, f"get pods -n shop -l {selector} --field-selector=status.phase=Running "
                                "-o jsonpath={.items[*].status.podIP}").split())


def endpoints(cli, name: str = "my-service", namespace: str = "shop") -> dict:
    return json.loads(cli(f"get endpoints {name} -n {namespace} -o json").stdout)


def slices(cli, service: str = "my-service", namespace: str = "shop") -> list[dict]:
    return json.loads(cli(f"get endpointslices -n {namespace} -l kubernetes.io/service-name={service} -o json").stdout)["items"]


def test_endpoints_list_the_ready_pods_with_resolved_named_ports(shop):
    subset, = endpoints(shop)["subsets"]
    assert sorted(a["ip"] for a in subset["addresses"]) == pod_addresses(shop)
    assert subset["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    first = subset["addresses"][0]
    assert set(first) == {"ip", "nodeName", "targetRef"}
    assert first["targetRef"]["kind"] == "Pod" and first["targetRef"]["namespace"] == "shop"


def test_get_endpoints_shows_address_port_pairs(shop):
    expected = ",".join(f"{ip}:8080" for ip in sorted(pod_addresses(shop)))
    assert shop("get endpoints my-service -n shop").stdout == (
        f"NAME         ENDPOINTS{' ' * (len(expected) - 9)}   AGE\n"
        f"my-service   {expected}   0s\n")


def test_endpoints_carry_the_service_labels(shop):
    meta = endpoints(shop)["metadata"]
    assert meta["labels"] == {"tier": "front"}
    assert meta["annotations"] == {"endpoints.kubernetes.io/last-change-trigger-time": "2026-11-25T12:00:00Z"}


def test_endpoint_slice_is_named_labelled_and_owned_like_kubernetes(shop):
    endpoint_slice, = slices(shop)
    meta = endpoint_slice["metadata"]
    assert re.fullmatch(r"my-service-[bcdfghjklmnpqrstvwxz2456789]{5}", meta["name"])
    assert meta["labels"] == {"tier": "front", "kubernetes.io/service-name": "my-service",
                              "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    owner, = meta["ownerReferences"]
    assert (owner["kind"], owner["name"], owner["controller"], owner["blockOwnerDeletion"]) == (
        "Service", "my-service", True, True)
    assert endpoint_slice["addressType"] == "IPv4"
    assert endpoint_slice["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    assert sorted(e["addresses"][0] for e in endpoint_slice["endpoints"]) == pod_addresses(shop)
    assert {json.dumps(e["conditions"]) for e in endpoint_slice["endpoints"]} == {
        json.dumps({"ready": True, "serving": True, "terminating": False})}


def test_not_ready_pods_go_to_not_ready_addresses(shop):
    pod = jsonpath(shop, "get pods -n shop -l app=web -o jsonpath={.items[0].metadata.name}")
    shop(f"annotate pod {pod} -n shop fault.minikctl.io/crash-loop=true")
    subset, = endpoints(shop)["subsets"]
    assert [a["targetRef"]["name"] for a in subset["notReadyAddresses"]] == [pod]
    assert len(subset["addresses"]) == 2
    conditions = {e["targetRef"]["name"]: e["conditions"] for e in slices(shop)[0]["endpoints"]}
    assert conditions[pod] == {"ready": False, "serving": False, "terminating": False}


def test_named_target_port_resolves_per_pod(cli):
    cli("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: old, labels: {app: api}}
spec: {containers: [{name: c, image: api:1, ports: [{name: web, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: new, labels: {app: api}}
spec: {containers: [{name: c, image: api:2, ports: [{name: web, containerPort: 9090}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: other, labels: {app: api}}
spec: {containers: [{name: c, image: api:2}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: web}]}
""")
    by_port = {s["ports"][0]["port"]: [a["targetRef"]["name"] for a in s["addresses"]]
               for s in endpoints(cli, "api", "default")["subsets"]}
    assert by_port == {8080: ["old"], 9090: ["new"]}
    assert sorted(s["ports"][0]["port"] for s in slices(cli, "api", "default")) == [8080, 9090]


def test_api_server_and_cluster_dns_have_endpoints_in_a_fresh_cluster(cli):
    result = cli("get endpoints -A")
    lines = result.stdout.splitlines()
    assert lines[1].split()[:3] == ["default", "kubernetes", "172.18.0.2:6443"]
    assert lines[2].split()[:3] == ["kube-system", "kube-dns", "10.244.0.2:53,10.244.0.3:53,10.244.0.2:53"]
    assert cli("get pods -n kube-system -l k8s-app=kube-dns -o jsonpath={.items[*].spec.nodeName}").stdout == \
        "kind-control-plane kind-control-plane"
    assert cli("get deploy coredns -n kube-system -o jsonpath={.status.readyReplicas}").stdout == "2"


def test_api_server_endpoint_slice_is_not_managed_by_the_controller(cli):
    endpoint_slice = json.loads(cli("get endpointslice kubernetes -o json").stdout)
    assert endpoint_slice["metadata"]["labels"] == {"kubernetes.io/service-name": "kubernetes"}
    assert endpoint_slice["endpoints"] == [{"addresses": ["172.18.0.2"], "conditions": {"ready": True}}]
    assert endpoint_slice["ports"] == [{"name": "https", "port": 6443, "protocol": "TCP"}]


def test_endpoints_follow_a_scale_down(shop):
    shop("scale deployment web -n shop --replicas=1")
    subset, = endpoints(shop)["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == pod_addresses(shop)
    assert len(slices(shop)[0]["endpoints"]) == 1


def test_endpoints_follow_a_deleted_pod_to_its_replacement(shop):
    pod = jsonpath(shop, "get pods -n shop -l app=web -o jsonpath={.items[0].metadata.name}")
    shop(f"delete pod {pod} -n shop")
    names = sorted(jsonpath(shop, "get pods -n shop -o jsonpath={.items[*].metadata.name}").split())
    assert len(names) == 3 and pod not in names
    assert sorted(a["targetRef"]["name"] for a in endpoints(shop)["subsets"][0]["addresses"]) == names


def test_node_failure_moves_endpoints_to_the_replacements(shop):
    shop("label node kind-worker fault.minikctl.io/not-ready=true")
    subset, = endpoints(shop)["subsets"]
    assert {a["nodeName"] for a in subset["addresses"]} == {"kind-worker2"}
    assert len(subset["addresses"]) == 3
    terminating = [e for e in slices(shop)[0]["endpoints"] if e["conditions"]["terminating"]]
    assert terminating and all(e["nodeName"] == "kind-worker" and not e["conditions"]["ready"] for e in terminating)


def test_service_without_pods_has_empty_endpoints_and_a_placeholder_slice(cli):
    cli("create service clusterip lonely --tcp=80:8080")
    assert "subsets" not in endpoints(cli, "lonely", "default")
    assert cli("get endpoints lonely").stdout.splitlines()[1].split()[:2] == ["lonely", "<none>"]
    placeholder, = slices(cli, "lonely", "default")
    assert placeholder["endpoints"] is None and "ports" not in placeholder


def test_service_without_selector_gets_no_managed_endpoints(cli):
    cli("apply -f -", stdin="apiVersion: v1\nkind: Service\nmetadata: {name: manual}\nspec: {ports: [{port: 80}]}\n")
    assert cli("get endpoints manual").stderr == 'Error from server (NotFound): endpoints "manual" not found\n'
    assert slices(cli, "manual", "default") == []


def test_deleting_the_service_removes_its_endpoints_and_slices(shop):
    shop("delete service my-service -n shop")
    assert shop("get endpoints,endpointslices -n shop").stderr == "No resources found in shop namespace.\n"


def test_a_quiet_round_rewrites_nothing(shop):
    versions = jsonpath(shop, "get endpoints,endpointslices -A -o jsonpath={.items[*].metadata.resourceVersion}")
    shop("create configmap unrelated -n shop")
    assert jsonpath(shop, "get endpoints,endpointslices -A -o jsonpath={.items[*].metadata.resourceVersion}") == versions
