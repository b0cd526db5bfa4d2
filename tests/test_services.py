"""Service allocation at admission: cluster IPs, node ports, IP families, load balancers (controllers.md §2.4, §3.8)."""

from __future__ import annotations

import ipaddress
import json

import pytest


def service(name: str, spec: str, namespace: str = "default") -> str:
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
{spec}
"""


CLUSTER_IP = "  selector: {app: web}\n  ports: [{port: 80}]\n"


def apply(cli, text: str):
    return cli("apply -f -", stdin=text)


def spec_of(cli, name: str, namespace: str = "default") -> dict:
    return json.loads(cli(f"get svc {name} -n {namespace} -o json").stdout)["spec"]


def assert_refused_unchanged(cli, text: str, expected_stderr: str) -> None:
    before = cli.state_bytes()
    result = apply(cli, text)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected_stderr)
    assert cli.state_bytes() == before


def test_seed_command_prints_the_allocated_cluster_ip(cli):
    cli("create namespace namespace")
    apply(cli, service("my-service", CLUSTER_IP, "namespace"))
    result = cli("get service my-service -n namespace -o jsonpath='{.spec.clusterIP}'")
    address = ipaddress.ip_address(result.stdout)
    assert result.exit_code == 0
    assert address in ipaddress.ip_network("10.96.0.0/12")
    assert address > ipaddress.ip_address("10.96.1.0"), "random allocations skip the static band"
    assert spec_of(cli, "my-service", "namespace")["clusterIPs"] == [result.stdout]


def test_cluster_ip_defaults_as_a_1_32_server_sets_them(cli):
    apply(cli, service("web", CLUSTER_IP))
    spec = spec_of(cli, "web")
    assert {k: spec[k] for k in ("ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy", "sessionAffinity", "type")} == {
        "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster",
        "sessionAffinity": "None", "type": "ClusterIP"}
    assert "externalTrafficPolicy" not in spec


@pytest.mark.parametrize("service_type, internal, external", [
    ("ClusterIP", "Cluster", None),
    ("NodePort", "Cluster", "Cluster"),
    ("LoadBalancer", "Cluster", "Cluster"),
])
def test_traffic_policy_defaults_per_type(cli, service_type, internal, external):
    apply(cli, service("web", CLUSTER_IP + f"  type: {service_type}\n"))
    spec = spec_of(cli, "web")
    assert (spec.get("internalTrafficPolicy"), spec.get("externalTrafficPolicy")) == (internal, external)


def test_requested_cluster_ip_is_honoured(cli):
    apply(cli, service("web", CLUSTER_IP + "  clusterIP: 10.96.100.100\n"))
    assert cli("get svc web").stdout == (
        "NAME   TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE\n"
        "web    ClusterIP   10.96.100.100   <none>        80/TCP    0s\n")


@pytest.mark.parametrize("requested, detail", [
    ("10.96.0.10", "failed to allocate IP 10.96.0.10: provided IP is already allocated"),
    ("192.168.1.1", "failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. "
                    "The range of valid IPs is 10.96.0.0/12"),
])
def test_unusable_cluster_ip_is_refused_like_the_api_server(cli, requested, detail):
    cli("get svc")
    assert_refused_unchanged(cli, service("web", CLUSTER_IP + f"  clusterIP: {requested}\n"),
                             f'The Service "web" is invalid: spec.clusterIPs: Invalid value: '
                             f'[]string{{"{requested}"}}: {detail}\n')


def test_cluster_ip_is_released_when_the_service_is_deleted(cli):
    apply(cli, service("first", CLUSTER_IP + "  clusterIP: 10.96.50.50\n"))
    cli("delete svc first")
    result = apply(cli, service("second", CLUSTER_IP + "  clusterIP: 10.96.50.50\n"))
    assert result.stdout == "service/second created\n"


def test_cluster_ip_is_kept_on_reapply_and_cannot_change(cli):
    apply(cli, service("web", CLUSTER_IP))
    address = spec_of(cli, "web")["clusterIP"]
    assert apply(cli, service("web", CLUSTER_IP)).stdout == "service/web unchanged\n"
    assert spec_of(cli, "web")["clusterIP"] == address
    before = cli.state_bytes()
    result = apply(cli, service("web", CLUSTER_IP + "  clusterIP: 10.96.9.9\n"))
    assert (result.exit_code, result.stderr) == (
        1, 'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.9.9": may not change once set\n')
    assert cli.state_bytes() == before


NODE_PORT = "  type: NodePort\n  selector: {app: web}\n"


def test_requested_node_port_is_honoured(cli):
    apply(cli, service("web", NODE_PORT + "  clusterIP: 10.96.7.7\n  ports: [{port: 80, nodePort: 30080}]\n"))
    assert cli("get svc web").stdout == (
        "NAME   TYPE       CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE\n"
        "web    NodePort   10.96.7.7    <none>        80:30080/TCP   0s\n")


@pytest.mark.parametrize("wanted, detail", [
    (30080, "provided port is already allocated"),
    (29999, "provided port is not in the valid range. The range of valid ports is 30000-32767"),
])
def test_unusable_node_port_is_refused_like_the_api_server(cli, wanted, detail):
    apply(cli, service("taken", NODE_PORT + "  ports: [{port: 80, nodePort: 30080}]\n"))
    assert_refused_unchanged(cli, service("web", NODE_PORT + f"  ports: [{{name: a, port: 81}}, {{name: b, port: 82, nodePort: {wanted}}}]\n"),
                             f'The Service "web" is invalid: spec.ports[1].nodePort: Invalid value: {wanted}: {detail}\n')


def test_node_ports_are_allocated_per_port_and_shared_by_protocols(cli):
    apply(cli, service("dns", NODE_PORT + "  ports: [{name: udp, port: 53, protocol: UDP}, "
                                          "{name: tcp, port: 53, protocol: TCP}, {name: metrics, port: 9153}]\n"))
    node_ports = [port["nodePort"] for port in spec_of(cli, "dns")["ports"]]
    assert node_ports[0] == node_ports[1] != node_ports[2]
    assert all(30086 <= port <= 32767 for port in node_ports)


def test_node_port_is_released_when_the_service_is_deleted(cli):
    apply(cli, service("first", NODE_PORT + "  ports: [{port: 80, nodePort: 31000}]\n"))
    cli("delete svc first")
    assert apply(cli, service("second", NODE_PORT + "  ports: [{port: 80, nodePort: 31000}]\n")).exit_code == 0


def test_node_port_is_dropped_when_the_type_becomes_cluster_ip(cli):
    apply(cli, service("web", NODE_PORT + "  ports: [{port: 80, nodePort: 30080}]\n"))
    apply(cli, service("web", CLUSTER_IP))
    assert "nodePort" not in spec_of(cli, "web")["ports"][0]
    assert apply(cli, service("other", NODE_PORT + "  ports: [{port: 80, nodePort: 30080}]\n")).exit_code == 0


def test_node_port_on_a_cluster_ip_service_is_forbidden(cli):
    cli("get svc")
    assert_refused_unchanged(cli, service("web", "  selector: {app: web}\n  ports: [{port: 80, nodePort: 30080}]\n"),
                             "The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: "
                             "may not be used when `type` is 'ClusterIP'\n")


LOAD_BALANCER = "  type: LoadBalancer\n  selector: {app: web}\n"


def test_load_balancers_take_addresses_from_the_pool_in_order(cli):
    apply(cli, service("a", LOAD_BALANCER + "  clusterIP: 10.96.3.1\n  ports: [{port: 443, nodePort: 31443}]\n"))
    apply(cli, service("b", LOAD_BALANCER + "  clusterIP: 10.96.3.2\n  allocateLoadBalancerNodePorts: false\n"
                                            "  ports: [{port: 80}]\n"))
    assert cli("get svc a b").stdout == (
        "NAME   TYPE           CLUSTER-IP   EXTERNAL-IP      PORT(S)         AGE\n"
        "a      LoadBalancer   10.96.3.1    172.18.255.200   443:31443/TCP   0s\n"
        "b      LoadBalancer   10.96.3.2    172.18.255.201   80/TCP          0s\n")
    status = json.loads(cli("get svc a -o json").stdout)["status"]
    assert status == {"loadBalancer": {"ingress": [{"ip": "172.18.255.200", "ipMode": "VIP"}]}}


def test_load_balancer_address_is_released_on_delete(cli):
    apply(cli, service("a", LOAD_BALANCER + "  ports: [{port: 80}]\n"))
    cli("delete svc a")
    apply(cli, service("b", LOAD_BALANCER + "  ports: [{port: 80}]\n"))
    assert cli("get svc b -o jsonpath={.status.loadBalancer.ingress[0].ip}").stdout == "172.18.255.200"


def test_headless_service_gets_no_address(cli):
    apply(cli, service("db", "  clusterIP: None\n  selector: {app: db}\n  ports: [{port: 5432}]\n"))
    spec = spec_of(cli, "db")
    assert (spec["clusterIP"], spec["clusterIPs"], spec["ipFamilies"], spec["ipFamilyPolicy"]) == (
        "None", ["None"], ["IPv4"], "SingleStack")
    assert cli("get svc db").stdout.splitlines()[1].split()[:4] == ["db", "ClusterIP", "None", "<none>"]


def test_headless_service_without_selector_requires_dual_stack(cli):
    apply(cli, service("external-db", "  clusterIP: None\n  ports: [{port: 5432}]\n"))
    spec = spec_of(cli, "external-db")
    assert (spec["ipFamilies"], spec["ipFamilyPolicy"]) == (["IPv4", "IPv6"], "RequireDualStack")


def test_external_name_maps_to_its_name(cli):
    apply(cli, service("payments", "  type: ExternalName\n  externalName: payments.example.com\n"))
    spec = spec_of(cli, "payments")
    assert not {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"} & set(spec)
    assert cli("get svc payments").stdout == (
        "NAME       TYPE           CLUSTER-IP   EXTERNAL-IP            PORT(S)   AGE\n"
        "payments   ExternalName   <none>       payments.example.com   <none>    0s\n")


def test_server_dry_run_allocates_but_stores_nothing(cli):
    cli("get svc")
    before = cli.state_bytes()
    result = cli("create -f - --dry-run=server -o jsonpath={.spec.clusterIP}", stdin=service("web", CLUSTER_IP))
    assert ipaddress.ip_address(result.stdout) in ipaddress.ip_network("10.96.0.0/12")
    assert cli.state_bytes() == before
