"""What every namespace gets from the control plane: the `default` ServiceAccount
(kube-controller-manager's serviceaccount-token controller) and the `kube-root-ca.crt` ConfigMap
(root-ca-cert-publisher, kubernetes/kubernetes pkg/controller/certificates/rootcacertpublisher)."""

from __future__ import annotations

from minikctl.cluster import Cluster
from minikctl.controllers import manager

# A stand-in certificate: the simulated cluster has no real CA.
ROOT_CA = ("-----BEGIN CERTIFICATE-----\n"
           "TWluaWtjdGwgc2ltdWxhdGVkIGNsdXN0ZXIgcm9vdCBDQSAobm90IGEgcmVhbCBjZXJ0aWZpY2F0ZSk=\n"
           "-----END CERTIFICATE-----\n")


def sync(cluster: Cluster, indexes, name: str) -> None:
    """Key: a namespace's name."""
    namespace = cluster.get("namespaces", "", name)
    if namespace is None or (namespace.get("status") or {}).get("phase") == "Terminating":
        return
    ensure_namespace_defaults(cluster, name)


def _namespace_of_lost_default(indexes, change) -> list[str]:
    """A deleted `default` ServiceAccount or `kube-root-ca.crt` ConfigMap is made again."""
    name = change.obj["metadata"]["name"]
    if change.deleted and name in ("default", "kube-root-ca.crt"):
        return [change.obj["metadata"].get("namespace", "")]
    return []


CONTROLLER = manager.Controller("serviceaccounts", {
    "namespaces": lambda indexes, change: [change.obj["metadata"]["name"]],
    "serviceaccounts": _namespace_of_lost_default,
    "configmaps": _namespace_of_lost_default,
}, sync)


def ensure_namespace_defaults(cluster: Cluster, name: str) -> None:
    """The `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap of one namespace."""
    if cluster.get("serviceaccounts", name, "default") is None:
        cluster.create({"apiVersion": "v1", "kind": "ServiceAccount",
                        "metadata": {"name": "default", "namespace": name}}, "serviceaccounts")
    if cluster.get("configmaps", name, "kube-root-ca.crt") is None:
        cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": "kube-root-ca.crt", "namespace": name,
                                     "annotations": {"kubernetes.io/description": (
                                         "Contains a CA bundle that can be used to verify the kube-apiserver "
                                         "when using internal endpoints such as the internal service IP or "
                                         "kubernetes.default.svc. No other usage is guaranteed across "
                                         "distributions of Kubernetes clusters.")}},
                        "data": {"ca.crt": ROOT_CA}}, "configmaps")
