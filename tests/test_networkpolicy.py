"""NetworkPolicy through the CLI: exec curl/wget/nslookup connect or time out, netpol-verdict explains why."""

from __future__ import annotations

import pytest

CLUSTER = """apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: tools, labels: {purpose: monitoring}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
  - {name: nginx, image: nginx:1.27, ports: [{name: http, containerPort: 80}, {name: metrics, containerPort: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {clusterIP: 10.96.20.10, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {role: frontend}}
spec: {containers: [{name: shell, image: curlimages/curl:8.11.0}]}
---
apiVersion: v1
kind: Pod
metadata: {name: probe, namespace: tools, labels: {role: probe}}
spec: {containers: [{name: shell, image: curlimages/curl:8.11.0}]}
"""
# Where the scheduler and kubelet put the pods of CLUSTER (checked by the fixture).
ADDRESSES = {"shop/client": "10.244.1.2", "shop/web": "10.244.1.3", "tools/probe": "10.244.1.4"}

REACHED_WEB = "minikctl: reached pod shop/web (10.244.1.3:80) via service shop/web (10.96.20.10:80)\n"
CURL_TIMEOUT = ("curl: (28) Failed to connect to web port 80 after 130001 ms: Couldn't connect to server\n"
                "command terminated with exit code 28\n")

DENY_ALL_INGRESS = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all-ingress, namespace: shop}
spec: {podSelector: {}}
"""
ALLOW_MONITORING = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-monitoring, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {purpose: monitoring}}}]}]
"""
DENY_ALL_EGRESS = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all-egress, namespace: shop}
spec: {podSelector: {matchLabels: {role: frontend}}, policyTypes: [Egress]}
"""
ALLOW_DNS = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}},
          podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
"""
ALLOW_EGRESS_TO_WEB = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {role: frontend}}
  egress: [{to: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http}]}]
"""


def policy(name: str, spec: str) -> str:
    return (f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            f"metadata: {{name: {name}, namespace: shop}}\nspec: {spec}\n")


@pytest.fixture
def cluster(cli):
    assert cli("apply -f -", stdin=CLUSTER).exit_code == 0
    listing = cli(["get", "pods", "-A", "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}="
                   "{.status.podIP} {end}"]).stdout.split()
    assert {k: v for k, v in (item.split("=") for item in listing) if k in ADDRESSES} == ADDRESSES
    return cli


def apply(cli, manifest: str) -> None:
    result = cli("apply -f -", stdin=manifest)
    assert result.exit_code == 0, result.stderr


def exec_in(cli, pod: str, command: str, namespace: str = "shop"):
    return cli(f"exec {pod} -n {namespace} -- {command}")


def test_a_policy_turns_a_working_curl_into_a_timeout_and_deleting_it_restores_it(cluster):
    assert exec_in(cluster, "client", "curl http://web").stdout == REACHED_WEB
    apply(cluster, DENY_ALL_INGRESS)
    blocked = exec_in(cluster, "client", "curl http://web")
    assert (blocked.exit_code, blocked.stdout, blocked.stderr) == (28, "", CURL_TIMEOUT)
    assert cluster("delete networkpolicy deny-all-ingress -n shop").exit_code == 0
    restored = exec_in(cluster, "client", "curl http://web")
    assert (restored.exit_code, restored.stdout, restored.stderr) == (0, REACHED_WEB, "")


def test_curl_silent_prints_nothing_and_wget_reports_a_timed_out_connection(cluster):
    apply(cluster, DENY_ALL_INGRESS)
    silent = exec_in(cluster, "client", "curl -s http://web")
    assert (silent.exit_code, silent.stdout, silent.stderr) == (28, "", "command terminated with exit code 28\n")
    wget = exec_in(cluster, "client", "wget -qO- http://web")
    assert (wget.exit_code, wget.stderr) == (
        1, "wget: can't connect to remote host (10.96.20.10): Connection timed out\n"
           "command terminated with exit code 1\n")


INGRESS_CASES = [
    # (policies, source namespace, source pod, curl exit code)
    ([DENY_ALL_INGRESS], "shop", "client", 28),
    ([DENY_ALL_INGRESS], "tools", "probe", 28),
    ([DENY_ALL_INGRESS, ALLOW_MONITORING], "tools", "probe", 0),
    ([DENY_ALL_INGRESS, ALLOW_MONITORING], "shop", "client", 28),
    ([ALLOW_MONITORING], "shop", "client", 28),
    ([policy("both", "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {purpose: monitoring}}, "
                     "podSelector: {matchLabels: {role: frontend}}}]}]}")], "tools", "probe", 28),
    ([policy("either", "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {purpose: monitoring}}}, "
                       "{podSelector: {matchLabels: {role: frontend}}}]}]}")], "shop", "client", 0),
    ([policy("allow-all", "{podSelector: {}, ingress: [{}]}")], "tools", "probe", 0),
    ([policy("other-pods", "{podSelector: {matchLabels: {app: db}}}")], "shop", "client", 0),
    ([policy("http-by-name", "{podSelector: {}, ingress: [{ports: [{port: http}]}]}")], "shop", "client", 0),
    ([policy("metrics-by-name", "{podSelector: {}, ingress: [{ports: [{port: metrics}]}]}")], "shop", "client", 28),
    ([policy("port-80", "{podSelector: {}, ingress: [{ports: [{port: 80}]}]}")], "shop", "client", 0),
    ([policy("port-8080", "{podSelector: {}, ingress: [{ports: [{port: 8080}]}]}")], "shop", "client", 28),
    ([policy("udp-80", "{podSelector: {}, ingress: [{ports: [{port: 80, protocol: UDP}]}]}")], "shop", "client", 28),
    ([policy("range", "{podSelector: {}, ingress: [{ports: [{port: 1, endPort: 100}]}]}")], "shop", "client", 0),
    ([policy("above", "{podSelector: {}, ingress: [{ports: [{port: 81, endPort: 100}]}]}")], "shop", "client", 28),
    ([policy("pods", "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.244.0.0/16}}]}]}")], "shop", "client", 0),
    ([policy("except-client", "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.244.0.0/16, "
                              "except: [10.244.1.2/32]}}]}]}")], "shop", "client", 28),
    ([policy("except-client", "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.244.0.0/16, "
                              "except: [10.244.1.2/32]}}]}]}")], "tools", "probe", 0),
]


@pytest.mark.parametrize("policies, namespace, source, exit_code", INGRESS_CASES)
def test_ingress_rules_decide_whether_curl_connects(cluster, policies, namespace, source, exit_code):
    for manifest in policies:
        apply(cluster, manifest)
    assert exec_in(cluster, source, "curl -s http://web.shop", namespace).exit_code == exit_code


def test_named_port_admits_only_the_container_port_of_that_name(cluster):
    apply(cluster, policy("http-only", "{podSelector: {}, ingress: [{ports: [{port: http}]}]}"))
    assert exec_in(cluster, "client", "curl http://10.244.1.3:80").stdout == \
        "minikctl: reached pod shop/web (10.244.1.3:80) directly\n"
    assert exec_in(cluster, "client", "curl http://10.244.1.3:9090").stderr == (
        "curl: (28) Failed to connect to 10.244.1.3 port 9090 after 130001 ms: Couldn't connect to server\n"
        "command terminated with exit code 28\n")


NSLOOKUP_TIMEOUT = (";; connection timed out; no servers could be reached\n\n", "command terminated with exit code 1\n")


def test_egress_deny_blocks_dns_and_connections_until_rules_allow_them(cluster):
    apply(cluster, DENY_ALL_EGRESS)
    lookup = exec_in(cluster, "client", "nslookup web")
    assert (lookup.exit_code, lookup.stdout, lookup.stderr) == (1, *NSLOOKUP_TIMEOUT)
    assert exec_in(cluster, "client", "curl http://web").stderr == (
        "curl: (6) Could not resolve host: web\ncommand terminated with exit code 6\n")
    assert exec_in(cluster, "client", "curl http://10.96.20.10").stderr == (
        "curl: (28) Failed to connect to 10.96.20.10 port 80 after 130001 ms: Couldn't connect to server\n"
        "command terminated with exit code 28\n")
    assert exec_in(cluster, "web", "curl -s http://web").exit_code == 0  # web is not selected

    apply(cluster, ALLOW_DNS)
    assert exec_in(cluster, "client", "nslookup web").stdout == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.shop.svc.cluster.local\nAddress: 10.96.20.10\n\n")
    assert exec_in(cluster, "client", "curl http://web").stderr == CURL_TIMEOUT

    apply(cluster, ALLOW_EGRESS_TO_WEB)
    assert exec_in(cluster, "client", "curl http://web").stdout == REACHED_WEB


def test_egress_ipblock_outside_the_cluster_admits_node_addresses_but_not_pods(cluster):
    apply(cluster, policy("to-nodes", "{podSelector: {matchLabels: {role: frontend}}, policyTypes: [Egress], "
                                      "egress: [{to: [{ipBlock: {cidr: 172.18.0.0/16}}]}]}"))
    result = cluster("netpol-verdict client web --port 80 -n shop")
    assert (result.exit_code, result.stdout) == (1, (
        "shop/client (10.244.1.2) -> shop/web (10.244.1.3) port 80/TCP: denied\n"
        "egress of shop/client: denied, isolated by shop/to-nodes\n"
        "  shop/to-nodes egress[0]: no 'to' entry matches shop/web\n"
        "ingress of shop/web: allowed, not isolated (no NetworkPolicy selects it for Ingress)\n"))
    api_server = exec_in(cluster, "client", "curl -sk https://172.18.0.2:6443")
    assert (api_server.exit_code, api_server.stdout) == (
        0, "minikctl: reached node kind-control-plane (172.18.0.2:6443) directly\n")


def test_netpol_verdict_explains_an_allowed_pair(cluster):
    apply(cluster, DENY_ALL_INGRESS)
    apply(cluster, ALLOW_MONITORING)
    result = cluster("netpol-verdict probe web --port http -n tools --to-namespace shop")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "tools/probe (10.244.1.4) -> shop/web (10.244.1.3) port 80/TCP: allowed\n"
        "egress of tools/probe: allowed, not isolated (no NetworkPolicy selects it for Egress)\n"
        "ingress of shop/web: allowed by shop/allow-monitoring ingress[0] "
        "(isolated by shop/allow-monitoring, shop/deny-all-ingress)\n")


def test_netpol_verdict_explains_a_denied_pair_rule_by_rule(cluster):
    apply(cluster, DENY_ALL_INGRESS)
    apply(cluster, ALLOW_MONITORING)
    apply(cluster, policy("metrics", "{podSelector: {matchLabels: {app: web}}, "
                                     "ingress: [{ports: [{port: metrics}, {port: 8000, endPort: 8100}]}]}"))
    result = cluster("netpol-verdict client web --port 80 -n shop")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        "shop/client (10.244.1.2) -> shop/web (10.244.1.3) port 80/TCP: denied\n"
        "egress of shop/client: allowed, not isolated (no NetworkPolicy selects it for Egress)\n"
        "ingress of shop/web: denied, isolated by shop/allow-monitoring, shop/deny-all-ingress, shop/metrics\n"
        "  shop/allow-monitoring ingress[0]: no 'from' entry matches shop/client\n"
        "  shop/deny-all-ingress: no ingress rules (denies all)\n"
        "  shop/metrics ingress[0]: port 80/TCP is not among its ports (metrics/TCP, 8000-8100/TCP)\n")


def test_netpol_verdict_for_a_pod_and_itself_and_for_dns(cluster):
    apply(cluster, DENY_ALL_INGRESS)
    apply(cluster, DENY_ALL_EGRESS)
    itself = cluster("netpol-verdict client client --port 80 -n shop")
    assert (itself.exit_code, itself.stdout.splitlines()[1:]) == (0, [
        "egress of shop/client: allowed, a pod's traffic to itself is never filtered",
        "ingress of shop/client: allowed, a pod's traffic to itself is never filtered"])
    coredns = cluster("get pods -n kube-system -l k8s-app=kube-dns -o jsonpath={.items[0].metadata.name}").stdout
    dns = cluster(f"netpol-verdict client {coredns} --port 53 --protocol UDP -n shop --to-namespace kube-system")
    assert dns.exit_code == 1
    assert dns.stdout.splitlines()[1:] == [
        "egress of shop/client: denied, isolated by shop/deny-all-egress",
        "  shop/deny-all-egress: no egress rules (denies all)",
        f"ingress of kube-system/{coredns}: allowed, not isolated (no NetworkPolicy selects it for Ingress)"]


@pytest.mark.parametrize("command, stderr", [
    ("netpol-verdict client --port 80 -n shop",
     "error: expected 'netpol-verdict SRC_POD DST_POD --port PORT [--protocol TCP] [-n NS] [--to-namespace NS]'\n"
     "See 'minikctl netpol-verdict -h' for help and examples\n"),
    ("netpol-verdict client web -n shop",
     "error: --port is required\nSee 'minikctl netpol-verdict -h' for help and examples\n"),
    ("netpol-verdict client web --port admin -n shop", 'error: pod shop/web has no TCP container port named "admin"\n'),
    ("netpol-verdict client web --port 80 --protocol ICMP -n shop",
     'error: unsupported protocol "ICMP": use TCP, UDP or SCTP\n'),
    ("netpol-verdict client nobody --port 80 -n shop", 'Error from server (NotFound): pods "nobody" not found\n'),
])
def test_netpol_verdict_refusals(cluster, command, stderr):
    result = cluster(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)


def test_get_netpol_table(cluster):
    apply(cluster, DENY_ALL_INGRESS)
    apply(cluster, ALLOW_MONITORING)
    apply(cluster, policy("expressions", "{podSelector: {matchExpressions: [{key: tier, operator: In, "
                                         "values: [web, api]}, {key: canary, operator: DoesNotExist}]}}"))
    result = cluster("get netpol -n shop")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "NAME               POD-SELECTOR                AGE\n"
        "allow-monitoring   app=web                     0s\n"
        "deny-all-ingress   <none>                      0s\n"
        "expressions        !canary,tier in (api,web)   0s\n")
