"""kubectl top pod|node against the simulated metrics API (docs/metrics.md)."""

from __future__ import annotations

PODS = """
apiVersion: v1
kind: Pod
metadata:
  name: api
  labels: {app: api}
  annotations: {load.minikctl.io/cpu: "150%"}
spec:
  nodeName: kind-worker
  containers:
  - name: app
    image: nginx
    resources: {requests: {cpu: 200m, memory: 128Mi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels: {app: db}
  annotations: {load.minikctl.io/memory: 200Mi}
spec:
  nodeName: kind-worker2
  containers:
  - name: main
    image: postgres
    resources: {requests: {cpu: 100m, memory: 256Mi}}
  - name: sidecar
    image: busybox
    resources: {requests: {cpu: 50m, memory: 64Mi}}
"""


def _pods(cli):
    cli.write("pods.yaml", PODS)
    assert cli("apply -f pods.yaml").exit_code == 0


def test_top_pods_from_requests_and_load(cli):
    _pods(cli)
    result = cli("top pods")
    assert result.exit_code == 0
    assert result.stdout == (
        "NAME   CPU(cores)   MEMORY(bytes)   \n"
        "api    300m         64Mi            \n"
        "db     75m          200Mi           \n")


def test_top_pods_containers_sorted_without_headers(cli):
    _pods(cli)
    result = cli("top pods --containers --sort-by=memory --no-headers")
    assert result.stdout == (
        "db    main      50m    160Mi   \n"
        "db    sidecar   25m    40Mi    \n"
        "api   app       300m   64Mi    \n")


def test_top_pods_sort_by_cpu_all_namespaces_selector(cli):
    _pods(cli)
    # kind's kindnet and local-path-provisioner pods carry an `app` label too (idle: half their requests, or 1m/4Mi).
    assert cli("top pods -A -l app --sort-by=cpu").stdout == (
        "NAMESPACE            NAME                                      CPU(cores)   MEMORY(bytes)   \n"
        "default              api                                       300m         64Mi            \n"
        "default              db                                        75m          200Mi           \n"
        "kube-system          kindnet-lq9sl                             50m          25Mi            \n"
        "kube-system          kindnet-tlvr6                             50m          25Mi            \n"
        "kube-system          kindnet-v5jcf                             50m          25Mi            \n"
        "local-path-storage   local-path-provisioner-844c464cbf-rq2gq   1m           4Mi             \n")
    assert cli("top pod db").stdout == "NAME   CPU(cores)   MEMORY(bytes)   \ndb     75m          200Mi           \n"


def test_top_pods_follows_annotation_changes(cli):
    _pods(cli)
    cli("annotate pod api load.minikctl.io/cpu=450m --overwrite")
    cli("annotate pod db load.minikctl.io/memory-")
    assert cli("top pods").stdout == (
        "NAME   CPU(cores)   MEMORY(bytes)   \n"
        "api    450m         64Mi            \n"
        "db     75m          160Mi           \n")


def test_top_pod_not_running(cli):
    cli.write("pending.yaml", """
apiVersion: v1
kind: Pod
metadata:
  name: x
  annotations: {fault.minikctl.io/image-pull: "true"}
spec:
  containers: [{name: app, image: nginx}]
""")
    cli("apply -f pending.yaml")
    young = cli("top pods")
    assert (young.exit_code, young.stdout, young.stderr) == (1, "", "error: metrics not available yet\n")
    old = cli.at("2026-11-25T12:03:05Z")("top pods")
    assert (old.exit_code, old.stderr) == (1, "error: Metrics not available for pod default/x, age: 3m5s\n")
    named = cli("top pod x")
    assert named.stderr == 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/x" not found\n'


def test_top_pods_empty_namespace(cli):
    result = cli("top pods -n kube-public")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No resources found in kube-public namespace.\n")


def test_top_pods_rejects_other_sort_keys(cli):
    result = cli("top pods --sort-by=name")
    assert (result.exit_code, result.stderr) == (1, "error: --sort-by accepts only cpu or memory\n")


def test_top_nodes(cli):
    """Nodes add up their pods: the workers' kindnet (50m/25Mi idle) and kube-proxy (1m/4Mi) count, and on
    the control plane CoreDNS, the static control-plane pods and local-path-provisioner too."""
    _pods(cli)
    result = cli("top nodes")
    assert result.exit_code == 0
    assert result.stdout == (
        "NAME                 CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
        "kind-control-plane   577m         7%       677Mi           4%          \n"
        "kind-worker          451m         5%       605Mi           3%          \n"
        "kind-worker2         226m         2%       741Mi           4%          \n")
    assert cli("top node kind-worker --no-headers").stdout == "kind-worker   451m   5%    605Mi   3%    \n"


def test_top_nodes_unknown_when_the_kubelet_is_down(cli):
    cli("label node kind-worker2 fault.minikctl.io/not-ready=true")
    assert cli("top nodes --sort-by=cpu").stdout == (
        "NAME                 CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   \n"
        "kind-control-plane   577m         7%          677Mi           4%          \n"
        "kind-worker          151m         1%          541Mi           3%          \n"
        "kind-worker2         <unknown>    <unknown>   <unknown>       <unknown>   \n")
