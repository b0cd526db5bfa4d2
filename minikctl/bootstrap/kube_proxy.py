"""kube-proxy as kubeadm deploys it on kind: ConfigMap, ServiceAccount and a host-network DaemonSet.

Field values from kubernetes/kubernetes cmd/kubeadm/app/phases/addons/proxy/manifests.go
(KubeProxyConfigMap19, KubeProxyDaemonSet19 as of v1.32: privileged container, tolerate everything)
and kind's KubeProxyConfiguration overrides (kubernetes-sigs/kind
pkg/cluster/internal/kubeadm/config.go: mode iptables, iptables.minSyncPeriod 1s, conntrack.maxPerCore 0).
config.conf is kubeadm's rendering of the defaulted v1alpha1 configuration (unverified field by field).
"""

from __future__ import annotations

from minikctl.cluster import Cluster

NAMESPACE = "kube-system"
IMAGE = "registry.k8s.io/kube-proxy:v1.32.2"
LABELS = {"k8s-app": "kube-proxy"}
SERVER = "https://kind-control-plane:6443"

KUBECONFIG = f"""apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: {SERVER}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token"""

# Top-level fields of the rendered KubeProxyConfiguration, in kubeadm's (alphabetical) order.
CONFIG = """apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 1s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: iptables
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForAlphaFeatures: false
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""
""".rstrip("\n")


def add_kube_proxy(cluster: Cluster) -> None:
    from minikctl.api import server

    server.create(cluster, config_map(), NAMESPACE)
    server.create(cluster, {"apiVersion": "v1", "kind": "ServiceAccount",
                            "metadata": {"name": "kube-proxy", "namespace": NAMESPACE}}, NAMESPACE)
    server.create(cluster, daemon_set(), NAMESPACE)


def config_map() -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "kube-proxy", "namespace": NAMESPACE, "labels": {"app": "kube-proxy"}},
            "data": {"config.conf": CONFIG, "kubeconfig.conf": KUBECONFIG}}


def container() -> dict:
    return {
        "name": "kube-proxy", "image": IMAGE, "imagePullPolicy": "IfNotPresent",
        "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                    "--hostname-override=$(NODE_NAME)"],
        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
        "securityContext": {"privileged": True},
        "volumeMounts": [{"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                         {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                         {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": True}],
    }


def daemon_set() -> dict:
    pod_spec = {
        "containers": [container()],
        "hostNetwork": True,
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "priorityClassName": "system-node-critical",
        "serviceAccountName": "kube-proxy",
        "tolerations": [{"operator": "Exists"}],
        "volumes": [{"name": "kube-proxy", "configMap": {"name": "kube-proxy"}},
                    {"name": "xtables-lock", "hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"}},
                    {"name": "lib-modules", "hostPath": {"path": "/lib/modules"}}],
    }
    return {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kube-proxy", "namespace": NAMESPACE, "labels": dict(LABELS)},
        "spec": {"selector": {"matchLabels": dict(LABELS)},
                 "template": {"metadata": {"labels": dict(LABELS)}, "spec": pod_spec}},
    }
