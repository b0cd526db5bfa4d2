"""kind's CNI: the `kindnet` DaemonSet (one host-network pod per node) and its ServiceAccount.

Field values as kind v0.27.0 (kindest/node:v1.32.2) deploys them: kubernetes-sigs/kind
pkg/build/nodeimage/const_cni.go (defaultCNIManifest, kindnetdImage). The ClusterRole and binding of
that manifest are not modelled (the default policy holds only the roles a user meets).
"""

from __future__ import annotations

from minikctl.cluster import Cluster

NAMESPACE = "kube-system"
IMAGE = "docker.io/kindest/kindnetd:v20250214-acbabc1a"
POD_SUBNET = "10.244.0.0/16"
LABELS = {"app": "kindnet", "k8s-app": "kindnet", "tier": "node"}


def add_kindnet(cluster: Cluster) -> None:
    from minikctl.api import server

    server.create(cluster, {"apiVersion": "v1", "kind": "ServiceAccount",
                            "metadata": {"name": "kindnet", "namespace": NAMESPACE}}, NAMESPACE)
    server.create(cluster, daemon_set(), NAMESPACE)


def _field_env(name: str, path: str) -> dict:
    return {"name": name, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": path}}}


def _host_path(name: str, path: str, path_type: str = "") -> dict:
    return {"name": name, "hostPath": {"path": path, "type": path_type}}


def container() -> dict:
    limits = {"cpu": "100m", "memory": "50Mi"}
    return {
        "name": "kindnet-cni", "image": IMAGE,
        "env": [_field_env("HOST_IP", "status.hostIP"), _field_env("POD_IP", "status.podIP"),
                {"name": "POD_SUBNET", "value": POD_SUBNET}],
        "resources": {"limits": dict(limits), "requests": dict(limits)},
        "securityContext": {"capabilities": {"add": ["NET_RAW", "NET_ADMIN"]}, "privileged": False},
        "volumeMounts": [{"mountPath": "/etc/cni/net.d", "name": "cni-cfg"},
                         {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                         {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": True}],
    }


def daemon_set() -> dict:
    pod_spec = {
        "containers": [container()],
        "hostNetwork": True,
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "serviceAccountName": "kindnet",
        "tolerations": [{"operator": "Exists"}],
        "volumes": [_host_path("cni-cfg", "/etc/cni/net.d"),
                    _host_path("xtables-lock", "/run/xtables.lock", "FileOrCreate"),
                    _host_path("lib-modules", "/lib/modules")],
    }
    return {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kindnet", "namespace": NAMESPACE, "labels": dict(LABELS)},
        "spec": {"selector": {"matchLabels": {"app": "kindnet"}},
                 "template": {"metadata": {"labels": dict(LABELS)}, "spec": pod_spec}},
    }
