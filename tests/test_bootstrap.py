"""A fresh state looks like a fresh 3-node kind v1.32 cluster (controllers.md §5): CoreDNS, kube-proxy and
kindnet on every node, the control plane's static pods, local-path-storage. Names with random suffixes
come from the generator seeded in the state, so the tables are exact."""

from __future__ import annotations

import json

from manifests import deployment

SYSTEM_PODS = (
    "NAMESPACE            NAME                                         READY   STATUS    RESTARTS   AGE\n"
    "kube-system          coredns-fdcb9cd49-dqjkz                      1/1     Running   0          0s\n"
    "kube-system          coredns-fdcb9cd49-fsbzs                      1/1     Running   0          0s\n"
    "kube-system          etcd-kind-control-plane                      1/1     Running   0          0s\n"
    "kube-system          kindnet-lq9sl                                1/1     Running   0          0s\n"
    "kube-system          kindnet-tlvr6                                1/1     Running   0          0s\n"
    "kube-system          kindnet-v5jcf                                1/1     Running   0          0s\n"
    "kube-system          kube-apiserver-kind-control-plane            1/1     Running   0          0s\n"
    "kube-system          kube-controller-manager-kind-control-plane   1/1     Running   0          0s\n"
    "kube-system          kube-proxy-48v2c                             1/1     Running   0          0s\n"
    "kube-system          kube-proxy-mknf9                             1/1     Running   0          0s\n"
    "kube-system          kube-proxy-nk84z                             1/1     Running   0          0s\n"
    "kube-system          kube-scheduler-kind-control-plane            1/1     Running   0          0s\n"
    "local-path-storage   local-path-provisioner-844c464cbf-rq2gq      1/1     Running   0          0s\n")
STATIC_PODS = ("etcd-kind-control-plane", "kube-apiserver-kind-control-plane",
               "kube-controller-manager-kind-control-plane", "kube-scheduler-kind-control-plane")
NODE_IPS = {"kind-control-plane": "172.18.0.2", "kind-worker": "172.18.0.3", "kind-worker2": "172.18.0.4"}
WEB = deployment(replicas=4)


def items(cli, command: str) -> list[dict]:
    result = cli(command + " -o json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["items"]


def test_get_pods_all_namespaces(cli):
    assert cli("get pods -A").stdout == SYSTEM_PODS


def test_get_daemonsets_deployments_and_namespaces(cli):
    assert cli("get ds -A").stdout == (
        "NAMESPACE     NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n"
        "kube-system   kindnet      3         3         3       3            3           kubernetes.io/os=linux   0s\n"
        "kube-system   kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   0s\n")
    assert cli("get deploy -A").stdout == (
        "NAMESPACE            NAME                     READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "kube-system          coredns                  2/2     2            2           0s\n"
        "local-path-storage   local-path-provisioner   1/1     1            1           0s\n")
    assert cli("get ns").stdout == (
        "NAME                 STATUS   AGE\n"
        "default              Active   0s\n"
        "kube-node-lease      Active   0s\n"
        "kube-public          Active   0s\n"
        "kube-system          Active   0s\n"
        "local-path-storage   Active   0s\n")


def test_the_same_state_twice_is_the_same_cluster(cli, tmp_path):
    from conftest import Cli

    other = Cli(tmp_path / "again")
    assert other("get pods -A -o wide").stdout == cli("get pods -A -o wide").stdout


def test_local_path_storage_namespace(cli):
    assert cli("get sa,cm -n local-path-storage").stdout == (
        "NAME                                                    SECRETS   AGE\n"
        "serviceaccount/default                                  0         0s\n"
        "serviceaccount/local-path-provisioner-service-account   0         0s\n"
        "\n"
        "NAME                          DATA   AGE\n"
        "configmap/kube-root-ca.crt    1      0s\n"
        "configmap/local-path-config   4      0s\n")
    pod, = items(cli, "get pods -n local-path-storage")
    assert pod["spec"]["nodeName"] == "kind-control-plane"
    assert pod["spec"]["serviceAccountName"] == "local-path-provisioner-service-account"
    assert pod["spec"]["containers"][0]["image"] == "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a"
    # After CoreDNS's two pods on the control plane's podCIDR.
    assert pod["status"]["podIP"] == "10.244.0.4"


def test_daemon_pods_run_on_every_node_with_the_node_address(cli):
    for name, image, priority in (("kindnet", "docker.io/kindest/kindnetd:v20250214-acbabc1a", 0),
                                  ("kube-proxy", "registry.k8s.io/kube-proxy:v1.32.2", 2000001000)):
        pods = items(cli, f"get pods -n kube-system -l k8s-app={name}")
        assert sorted(p["spec"]["nodeName"] for p in pods) == sorted(NODE_IPS)
        for pod in pods:
            assert pod["spec"]["hostNetwork"] is True
            assert pod["spec"]["tolerations"][0] == {"operator": "Exists"}
            assert pod["spec"]["containers"][0]["image"] == image
            assert pod["spec"]["priority"] == priority
            assert pod["status"]["podIP"] == pod["status"]["hostIP"] == NODE_IPS[pod["spec"]["nodeName"]]
    config = items(cli, "get cm -n kube-system --field-selector metadata.name=kube-proxy")[0]["data"]
    assert "mode: iptables" in config["config.conf"] and "clusterCIDR: 10.244.0.0/16" in config["config.conf"]
    assert "server: https://kind-control-plane:6443" in config["kubeconfig.conf"]


def test_static_pods_are_mirror_pods_owned_by_the_node(cli):
    node_uid = items(cli, "get nodes")[0]["metadata"]["uid"]
    pods = {p["metadata"]["name"]: p for p in items(cli, "get pods -n kube-system -l tier=control-plane")}
    assert sorted(pods) == list(STATIC_PODS)
    for name, pod in pods.items():
        meta, spec, status = pod["metadata"], pod["spec"], pod["status"]
        assert meta["labels"] == {"component": name.removesuffix("-kind-control-plane"), "tier": "control-plane"}
        assert meta["ownerReferences"] == [{"apiVersion": "v1", "controller": True, "kind": "Node",
                                            "name": "kind-control-plane", "uid": node_uid}]
        annotations = meta["annotations"]
        assert annotations["kubernetes.io/config.source"] == "file"
        assert annotations["kubernetes.io/config.mirror"] == annotations["kubernetes.io/config.hash"]
        assert annotations["kubernetes.io/config.seen"] == "2026-11-25T12:00:00Z"
        assert (spec["hostNetwork"], spec["priorityClassName"], spec["priority"]) == (True, "system-node-critical",
                                                                                       2000001000)
        assert "serviceAccountName" not in spec  # mirror pods skip ServiceAccount admission
        assert (status["phase"], status["podIP"], status["hostIP"]) == ("Running", "172.18.0.2", "172.18.0.2")


def test_static_pods_are_left_alone(cli):
    """No controller takes them for orphans, and the kubelet records nothing about them."""
    before = {p["metadata"]["name"]: p["metadata"]["resourceVersion"]
              for p in items(cli, "get pods -n kube-system -l tier=control-plane")}
    assert cli("create namespace other").exit_code == 0
    assert cli("apply -f -", stdin=WEB).exit_code == 0
    after = {p["metadata"]["name"]: p["metadata"]["resourceVersion"]
             for p in items(cli, "get pods -n kube-system -l tier=control-plane")}
    assert after == before
    involved = {e["involvedObject"]["name"] for e in items(cli, "get events -n kube-system")}
    assert not involved & set(STATIC_PODS)


def test_system_pods_have_their_priority(cli):
    coredns = items(cli, "get pods -n kube-system -l k8s-app=kube-dns")
    assert {p["spec"]["priority"] for p in coredns} == {2000000000}


def test_workloads_on_the_workers_are_placed_as_before(cli):
    """The add-ons take no pod address on the workers (host network) and the control plane stays tainted."""
    assert cli("apply -f -", stdin=WEB).exit_code == 0
    pods = items(cli, "get pods -l app=web")
    placed = sorted((p["metadata"]["name"], p["spec"]["nodeName"], p["status"]["podIP"]) for p in pods)
    # Names, nodes and addresses as a fresh state gave them before the add-ons existed.
    assert placed == [("web-5c94f75b5d-j9ztx", "kind-worker", "10.244.1.2"),
                      ("web-5c94f75b5d-n2px7", "kind-worker2", "10.244.2.2"),
                      ("web-5c94f75b5d-zdsnl", "kind-worker", "10.244.1.3"),
                      ("web-5c94f75b5d-zn222", "kind-worker2", "10.244.2.3")]
