"""Cluster DNS as `exec POD -- nslookup NAME` shows it (kubernetes/dns docs/specification.md, controllers.md §3.13)."""

from __future__ import annotations

import pytest

from manifests import DB, DB_SERVICE, MY_SERVICE, SHOP, SHOP_WEB, documents, namespace, pod, service

CLUSTER = documents(
    SHOP, namespace("tools"), SHOP_WEB, MY_SERVICE, DB_SERVICE, DB,
    service("payments", {"type": "ExternalName", "externalName": "payments.example.com"}, namespace="shop"),
    pod("client", "busybox:1.36", container="shell", namespace="shop"),
    pod("toolbox", "busybox:1.36", container="shell", namespace="tools"),
)
HEADER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"


@pytest.fixture
def cluster(cli):
    assert cli("apply -f -", stdin=CLUSTER).exit_code == 0
    return cli


def address_of(cli, pod: str, namespace: str = "shop") -> str:
    return cli(f"get pod {pod} -n {namespace} -o jsonpath={{.status.podIP}}").stdout


def nslookup(cli, arguments: str, pod: str = "client", namespace: str = "shop"):
    return cli(f"exec {pod} -n {namespace} -- nslookup {arguments}")


def answer(name: str, *addresses: str) -> str:
    return HEADER + "".join(f"Name:\t{name}\nAddress: {a}\n" for a in addresses) + "\n"


@pytest.mark.parametrize("query, pod, namespace", [
    ("my-service", "client", "shop"),
    ("my-service.shop", "toolbox", "tools"),
    ("my-service.shop.svc", "toolbox", "tools"),
    ("my-service.shop.svc.cluster.local", "toolbox", "tools"),
    ("my-service.shop.svc.cluster.local.", "client", "shop"),
    ("MY-SERVICE.shop", "client", "shop"),
])
def test_cluster_ip_service_resolves_through_the_search_path(cluster, query, pod, namespace):
    result = nslookup(cluster, query, pod, namespace)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, answer("my-service.shop.svc.cluster.local", "10.96.12.34"), "")


def test_short_name_from_another_namespace_does_not_exist(cluster):
    result = nslookup(cluster, "my-service", "toolbox", "tools")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, HEADER + "** server can't find my-service: NXDOMAIN\n\n", "command terminated with exit code 1\n")


def test_headless_service_resolves_to_its_pods(cluster):
    expected = answer("db.shop.svc.cluster.local", *sorted([address_of(cluster, "db-0"), address_of(cluster, "db-1")]))
    assert nslookup(cluster, "db").stdout == expected


def test_stateful_set_pod_has_a_hostname_record(cluster):
    assert nslookup(cluster, "db-1.db.shop.svc.cluster.local", "toolbox", "tools").stdout == \
        answer("db-1.db.shop.svc.cluster.local", address_of(cluster, "db-1"))


def test_srv_record_for_a_named_port(cluster):
    assert nslookup(cluster, "-type=SRV _http._tcp.my-service").stdout == HEADER + (
        "_http._tcp.my-service.shop.svc.cluster.local\tservice = 0 100 80 my-service.shop.svc.cluster.local.\n\n")


def test_srv_records_of_a_headless_service_name_each_pod(cluster):
    assert nslookup(cluster, "-type=srv _postgres._tcp.db.shop").stdout == HEADER + (
        "_postgres._tcp.db.shop.svc.cluster.local\tservice = 0 50 5432 db-0.db.shop.svc.cluster.local.\n"
        "_postgres._tcp.db.shop.svc.cluster.local\tservice = 0 50 5432 db-1.db.shop.svc.cluster.local.\n\n")


def test_external_name_is_a_cname(cluster):
    assert nslookup(cluster, "payments").stdout == HEADER + (
        "payments.shop.svc.cluster.local\tcanonical name = payments.example.com.\n\n")


def test_pod_a_record_from_its_dashed_address(cluster):
    address = address_of(cluster, "client")
    name = f"{address.replace('.', '-')}.shop.pod.cluster.local"
    assert nslookup(cluster, name).stdout == answer(name, address)


@pytest.mark.parametrize("query, expected", [
    ("10.96.0.10", "10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local.\n"),
    ("10.96.0.1", "1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n"),
    ("-type=TXT dns-version.cluster.local", 'dns-version.cluster.local\ttext = "1.1.0"\n'),
    ("kubernetes.default", "Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n"),
])
def test_other_records_of_the_specification(cluster, query, expected):
    assert nslookup(cluster, query).stdout == HEADER + expected + "\n"


@pytest.mark.parametrize("query", ["nosuch", "nosuch.shop.svc.cluster.local", "example.com", "web.shop.pod.cluster.local"])
def test_unknown_names_are_nxdomain(cluster, query):
    result = nslookup(cluster, query)
    assert (result.exit_code, result.stdout) == (1, HEADER + f"** server can't find {query}: NXDOMAIN\n\n")


def test_headless_service_without_ready_pods_is_nxdomain(cluster):
    cluster("scale statefulset db -n shop --replicas=0")
    assert nslookup(cluster, "db").stdout == HEADER + "** server can't find db: NXDOMAIN\n\n"


def test_dns_times_out_without_coredns(cluster):
    cluster("scale deployment coredns -n kube-system --replicas=0")
    result = nslookup(cluster, "my-service")
    assert (result.exit_code, result.stdout) == (1, ";; connection timed out; no servers could be reached\n\n")


def test_service_keeps_its_name_and_address_while_pods_move(cluster):
    before = nslookup(cluster, "my-service").stdout
    client_node = cluster("get pod client -n shop -o jsonpath={.spec.nodeName}").stdout
    other = {"kind-worker": "kind-worker2", "kind-worker2": "kind-worker"}[client_node]
    cluster(f"label node {other} fault.minikctl.io/not-ready=true")
    assert cluster("get endpoints my-service -n shop -o jsonpath={.subsets[0].addresses[*].nodeName}").stdout.split() == \
        [client_node, client_node]
    assert nslookup(cluster, "my-service").stdout == before
