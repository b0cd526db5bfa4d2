"""A fresh cluster, as kind v1.32 would show it (../shared/reference/controllers.md §5)."""

from __future__ import annotations


from minikctl.auth.policy import add_default_policy
from minikctl.bootstrap import placement
from minikctl.bootstrap.apiservices import add_apiservices
from minikctl.bootstrap.kindnet import add_kindnet
from minikctl.bootstrap.kube_proxy import add_kube_proxy
from minikctl.bootstrap.local_path import add_local_path_storage
from minikctl.bootstrap.static_pods import add_static_pods
from minikctl.cluster import Cluster
from minikctl.controllers.coredns import add_coredns
from minikctl.controllers.volumes import default_storage_class
from minikctl.env import Environment

NODE_NAMES = ("kind-control-plane", "kind-worker", "kind-worker2")
SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def bootstrap(cluster: Cluster, env: Environment) -> None:
    seed = env.environ.get("MINIKCTL_SEED")
    cluster.meta["seed"] = int(seed) if seed and seed.isdigit() else 0
    for name in SYSTEM_NAMESPACES:
        cluster.create({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}},
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"},
        })
    for index, name in enumerate(NODE_NAMES):
        cluster.create(node(name, index, control_plane=index == 0))
    cluster.create(service("kubernetes", "default", "10.96.0.1",
                           [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                           labels={"component": "apiserver", "provider": "kubernetes"}, selector=None))
    cluster.create(service("kube-dns", "kube-system", "10.96.0.10",
                           [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                            {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                            {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
                           labels={"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                   "kubernetes.io/name": "CoreDNS"},
                           selector={"k8s-app": "kube-dns"},
                           annotations={"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}))
    cluster.create(default_storage_class())
    add_coredns(cluster)
    add_default_policy(cluster)
    add_addons(cluster)
    add_apiservices(cluster)


def add_addons(cluster: Cluster) -> None:
    """What kind adds after CoreDNS: static control-plane pods, kube-proxy, kindnet, local-path storage.

    Created after everything above so the older objects keep the names and uids the seeded generator
    gave them before these add-ons existed.
    """
    control_plane = placement.control_plane(cluster)
    if control_plane is not None:
        add_static_pods(cluster, control_plane)
    add_kube_proxy(cluster)
    add_kindnet(cluster)
    add_local_path_storage(cluster)
    placement.start_daemon_sets(cluster)


def node(name: str, index: int, control_plane: bool = False) -> dict:
    labels = {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
    }
    spec: dict = {"podCIDR": f"10.244.{index}.0/24", "podCIDRs": [f"10.244.{index}.0/24"],
                  "providerID": f"kind://docker/kind/{name}"}
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        spec["taints"] = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
    capacity = {"cpu": "8", "ephemeral-storage": "263174212Ki", "hugepages-1Gi": "0",
                "hugepages-2Mi": "0", "memory": "16351712Ki", "pods": "110"}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": labels,
                     "annotations": {"kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                                     "node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": spec,
        "status": {
            "addresses": [{"address": f"172.18.0.{index + 2}", "type": "InternalIP"},
                          {"address": name, "type": "Hostname"}],
            "capacity": capacity, "allocatable": dict(capacity),
            "conditions": [],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"architecture": "amd64", "bootID": "", "containerRuntimeVersion": "containerd://1.7.24",
                         "kernelVersion": "6.8.0-1017-gcp", "kubeProxyVersion": "", "kubeletVersion": "v1.32.2",
                         "machineID": "", "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)",
                         "systemUUID": ""},
        },
    }


def service(name, namespace, cluster_ip, ports, labels, selector, annotations=None) -> dict:
    meta = {"name": name, "namespace": namespace, "labels": labels}
    if annotations:
        meta["annotations"] = annotations
    spec = {"clusterIP": cluster_ip, "clusterIPs": [cluster_ip], "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": ports,
            "sessionAffinity": "None", "type": "ClusterIP"}
    if selector:
        spec["selector"] = selector
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec,
            "status": {"loadBalancer": {}}}


