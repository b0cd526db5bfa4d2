"""Reaching services from a pod with `exec -- curl|wget`, and kubectl exec's own checks."""

from __future__ import annotations

import pytest

from manifests import DB, DB_SERVICE, MY_SERVICE, SHOP, SHOP_WEB, documents, pod, service

CLUSTER = documents(
    SHOP, SHOP_WEB, MY_SERVICE,
    service("web-nodeport", {"type": "NodePort", "clusterIP": "10.96.12.35", "selector": {"app": "web"},
                             "ports": [{"port": 80, "targetPort": 80, "nodePort": 30080}]}, namespace="shop"),
    service("web-lb", {"type": "LoadBalancer", "clusterIP": "10.96.12.36", "selector": {"app": "web"},
                       "ports": [{"port": 443, "targetPort": 80, "nodePort": 30443}]}, namespace="shop"),
    DB_SERVICE, DB,
    pod("client", "curlimages/curl:8.11.0", container="shell", namespace="shop"),
)


@pytest.fixture
def cluster(cli):
    assert cli("apply -f -", stdin=CLUSTER).exit_code == 0
    return cli


def pods_by_address(cli) -> dict[str, str]:
    addresses = cli("get pods -n shop -l app=web -o jsonpath={.items[*].status.podIP}").stdout.split()
    names = cli("get pods -n shop -l app=web -o jsonpath={.items[*].metadata.name}").stdout.split()
    return dict(zip(addresses, names))


def reached(cli, via: str, port: int = 80) -> set[str]:
    return {f"minikctl: reached pod shop/{name} ({address}:{port}) via {via}\n"
            for address, name in pods_by_address(cli).items()}


def curl(cli, arguments: str, pod: str = "client"):
    return cli(f"exec {pod} -n shop -- curl {arguments}")


def test_curl_to_the_service_dns_name_reaches_a_ready_pod(cluster):
    result = curl(cluster, "http://my-service.shop.svc.cluster.local")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout in reached(cluster, "service shop/my-service (10.96.12.34:80)")


def test_curl_to_the_cluster_ip_from_jsonpath(cluster):
    address = cluster("get service my-service -n shop -o jsonpath='{.spec.clusterIP}'").stdout
    assert curl(cluster, f"http://{address}").stdout in reached(cluster, "service shop/my-service (10.96.12.34:80)")


def test_curl_to_node_ip_and_node_port(cluster):
    node_ip = cluster("get node kind-worker2 -o jsonpath={.status.addresses[0].address}").stdout
    result = curl(cluster, f"http://{node_ip}:30080")
    assert result.stdout in reached(cluster, f"service shop/web-nodeport (NodePort {node_ip}:30080)")


def test_curl_to_the_load_balancer_address(cluster):
    result = curl(cluster, "https://172.18.255.200")
    assert result.stdout in reached(cluster, "service shop/web-lb (LoadBalancer 172.18.255.200:443)")


def test_round_robin_alternates_endpoints_and_is_recorded(cluster):
    before = cluster.state_bytes()
    answers = [curl(cluster, "-s my-service").stdout for _ in range(4)]
    assert cluster.state_bytes() != before
    assert answers[0] != answers[1] and answers[:2] == answers[2:]
    assert set(answers) == reached(cluster, "service shop/my-service (10.96.12.34:80)")


def test_client_ip_affinity_keeps_one_endpoint(cluster):
    cluster("apply -f -", stdin="apiVersion: v1\nkind: Service\nmetadata: {name: sticky, namespace: shop}\n"
                                "spec: {sessionAffinity: ClientIP, selector: {app: web}, ports: [{port: 80}]}\n")
    answers = {curl(cluster, "sticky").stdout for _ in range(3)}
    assert len(answers) == 1


def test_headless_name_reaches_a_pod_directly(cluster):
    address = cluster("get pod db-0 -n shop -o jsonpath={.status.podIP}").stdout
    assert curl(cluster, "db:5432").stdout == f"minikctl: reached pod shop/db-0 ({address}:5432) directly\n"


def test_curl_to_a_pod_port_nobody_listens_on_is_refused(cluster):
    address = cluster("get pod db-0 -n shop -o jsonpath={.status.podIP}").stdout
    result = curl(cluster, f"http://{address}:9999")
    assert (result.exit_code, result.stderr) == (7, f"curl: (7) Failed to connect to {address} port 9999 after 0 ms: "
                                                    "Couldn't connect to server\ncommand terminated with exit code 7\n")


def test_service_without_ready_endpoints_refuses_the_connection(cluster):
    cluster("scale deployment web -n shop --replicas=0")
    before = cluster.state_bytes()
    result = curl(cluster, "http://my-service")
    assert (result.exit_code, result.stdout, result.stderr) == (
        7, "", "curl: (7) Failed to connect to my-service port 80 after 0 ms: Couldn't connect to server\n"
               "command terminated with exit code 7\n")
    assert cluster.state_bytes() == before


@pytest.mark.parametrize("arguments, stderr", [
    ("http://nosuch", "curl: (6) Could not resolve host: nosuch\n"),
    ("-s http://nosuch", ""),
    ("-sS http://nosuch", "curl: (6) Could not resolve host: nosuch\n"),
])
def test_unknown_host_does_not_resolve(cluster, arguments, stderr):
    result = curl(cluster, arguments)
    assert (result.exit_code, result.stdout, result.stderr) == (6, "", stderr + "command terminated with exit code 6\n")


def test_wget_prints_the_reply(cluster):
    result = cluster("exec client -n shop -- wget -qO- http://my-service")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout in reached(cluster, "service shop/my-service (10.96.12.34:80)")


def test_wget_to_an_unknown_host(cluster):
    result = cluster("exec client -n shop -- wget -qO- http://nosuch")
    assert (result.exit_code, result.stderr) == (1, "wget: bad address 'nosuch'\ncommand terminated with exit code 1\n")


def test_service_address_stays_while_its_pods_are_replaced_on_another_node(cluster):
    client_node = cluster("get pod client -n shop -o jsonpath={.spec.nodeName}").stdout
    other = {"kind-worker": "kind-worker2", "kind-worker2": "kind-worker"}[client_node]
    cluster(f"label node {other} fault.minikctl.io/not-ready=true")
    answers = {curl(cluster, "http://10.96.12.34").stdout for _ in range(2)}
    nodes = cluster("get endpoints my-service -n shop -o jsonpath={.subsets[0].addresses[*].nodeName}").stdout.split()
    assert nodes == [client_node, client_node]
    assert cluster("get svc my-service -n shop -o jsonpath={.spec.clusterIP}").stdout == "10.96.12.34"
    live = {f"minikctl: reached pod shop/{name} ({address}:80) via service shop/my-service (10.96.12.34:80)\n"
            for address, name in pods_by_address(cluster).items()
            if cluster(f"get pod {name} -n shop -o jsonpath={{.spec.nodeName}}").stdout == client_node}
    assert answers == live


def test_interactive_flags_and_shell_wrapper_are_accepted(cluster):
    result = cluster(["exec", "-it", "client", "-n", "shop", "--", "sh", "-c", "curl -s my-service"])
    assert result.stdout in reached(cluster, "service shop/my-service (10.96.12.34:80)")


FAILING_PODS = """apiVersion: v1
kind: Pod
metadata: {name: done, namespace: shop, annotations: {fault.minikctl.io/crash-loop: "true", fault.minikctl.io/exit-code: "0"}}
spec: {restartPolicy: Never, containers: [{name: job, image: busybox:1.36}]}
---
apiVersion: v1
kind: Pod
metadata: {name: nowhere, namespace: shop}
spec: {nodeSelector: {disk: none}, containers: [{name: app, image: busybox:1.36}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pulling, namespace: shop, annotations: {fault.minikctl.io/image-pull: "true"}}
spec: {containers: [{name: app, image: busybox:1.36}]}
"""


@pytest.mark.parametrize("command, stderr", [
    ("exec ghost -n shop -- curl my-service", 'Error from server (NotFound): pods "ghost" not found\n'),
    ("exec done -n shop -- curl my-service",
     "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"),
    ("exec client -n shop -c sidecar -- curl my-service",
     "Error from server (BadRequest): container sidecar is not valid for pod client\n"),
    ("exec nowhere -n shop -- curl my-service",
     "Error from server (BadRequest): pod nowhere does not have a host assigned\n"),
    ("exec pulling -n shop -- curl my-service",
     'error: unable to upgrade connection: container not found ("app")\n'),
    ("exec client -n shop", "error: you must specify at least one command for the container\n"),
    ("exec client -n shop -- ls /",
     'error: minikctl exec does not simulate "ls": it answers nslookup, curl and wget only '
     "(a simulation of routing, not of the application)\n"),
])
def test_exec_refusals_leave_the_state_untouched(cluster, command, stderr):
    cluster("apply -f -", stdin=FAILING_PODS)
    before = cluster.state_bytes()
    result = cluster(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert cluster.state_bytes() == before


def test_several_containers_default_to_the_first_with_a_notice(cluster):
    cluster("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: pair, namespace: shop}\n"
                                "spec: {containers: [{name: app, image: a:1}, {name: proxy, image: b:1}]}\n")
    result = cluster("exec pair -n shop -- curl -s my-service")
    assert result.stderr == 'Defaulted container "app" out of: app, proxy\n'
    assert result.stdout in reached(cluster, "service shop/my-service (10.96.12.34:80)")
