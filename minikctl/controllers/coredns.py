"""Cluster DNS in the bootstrap: kubeadm's CoreDNS Deployment (2 replicas) behind the kube-dns Service.

On kind the CoreDNS pods are scheduled before the workers join, so both run on the control-plane
node; binding them there keeps the workers' pod addresses for the user's workloads.
Shape from kubernetes/kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go (CoreDNSDeployment,
CoreDNSConfigMap) as kind v1.32 deploys it; the Corefile is kubeadm's default.
"""

from __future__ import annotations

from minikctl.cluster import Cluster

NAMESPACE = "kube-system"
LABELS = {"k8s-app": "kube-dns"}
IMAGE = "registry.k8s.io/coredns/coredns:v1.11.3"
COREFILE = """.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"


def add_coredns(cluster: Cluster) -> None:
    """Create CoreDNS's ConfigMap, ServiceAccount and Deployment, and bind its pods to the control plane."""
    from minikctl.api import server
    from minikctl.controllers import deployment, replicaset

    server.create(cluster, config_map(), NAMESPACE)
    server.create(cluster, {"apiVersion": "v1", "kind": "ServiceAccount",
                            "metadata": {"name": "coredns", "namespace": NAMESPACE}}, NAMESPACE)
    server.create(cluster, coredns_deployment(), NAMESPACE)
    deployment.reconcile(cluster)
    replicaset.reconcile(cluster)
    _bind_to_control_plane(cluster)


def _bind_to_control_plane(cluster: Cluster) -> None:
    from minikctl.controllers import scheduler

    nodes = [n for n in cluster.list("nodes") if CONTROL_PLANE_LABEL in (n["metadata"].get("labels") or {})]
    if not nodes:
        return
    usage = {nodes[0]["metadata"]["name"]: scheduler.NodeUsage(nodes[0])}
    for pod in cluster.list("pods", NAMESPACE):
        if (pod["metadata"].get("labels") or {}).get("k8s-app") == LABELS["k8s-app"] and not pod["spec"].get("nodeName"):
            scheduler.schedule(cluster, pod, nodes[:1], usage, {})


def config_map() -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "coredns", "namespace": NAMESPACE},
            "data": {"Corefile": COREFILE}}


def _probe(path: str, port: int, **timing) -> dict:
    return {"httpGet": {"path": path, "port": port, "scheme": "HTTP"}, **timing}


def coredns_container() -> dict:
    return {
        "name": "coredns", "image": IMAGE, "imagePullPolicy": "IfNotPresent",
        "args": ["-conf", "/etc/coredns/Corefile"],
        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                  {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                  {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
        "livenessProbe": _probe("/health", 8080, failureThreshold=5, initialDelaySeconds=60, periodSeconds=10,
                                successThreshold=1, timeoutSeconds=5),
        "readinessProbe": _probe("/ready", 8181, failureThreshold=3, periodSeconds=10, successThreshold=1,
                                 timeoutSeconds=1),
        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]}},
        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": True}],
    }


def coredns_deployment() -> dict:
    anti_affinity = {"preferredDuringSchedulingIgnoredDuringExecution": [{
        "weight": 100, "podAffinityTerm": {
            "labelSelector": {"matchExpressions": [{"key": "k8s-app", "operator": "In", "values": ["kube-dns"]}]},
            "topologyKey": "kubernetes.io/hostname"}}]}
    pod_spec = {
        "affinity": {"podAntiAffinity": anti_affinity},
        "containers": [coredns_container()],
        "dnsPolicy": "Default",
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "priorityClassName": "system-cluster-critical",
        "serviceAccountName": "coredns",
        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
        "volumes": [{"name": "config-volume",
                     "configMap": {"name": "coredns", "items": [{"key": "Corefile", "path": "Corefile"}]}}],
    }
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": NAMESPACE, "labels": dict(LABELS)},
        "spec": {"replicas": 2, "selector": {"matchLabels": dict(LABELS)},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
                 "template": {"metadata": {"labels": dict(LABELS)}, "spec": pod_spec}},
    }
