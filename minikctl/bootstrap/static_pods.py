"""The control plane's static pods, as their mirror pods appear in kube-system on a kind node.

kubeadm writes etcd, kube-apiserver, kube-controller-manager and kube-scheduler manifests to
/etc/kubernetes/manifests; the kubelet runs them and creates a mirror pod for each, named
`<component>-<node>`, owned by its Node, annotated kubernetes.io/config.{hash,mirror,seen,source}.
Field values from kubernetes/kubernetes cmd/kubeadm/app/phases/controlplane/manifests.go,
cmd/kubeadm/app/phases/etcd/local.go, cmd/kubeadm/app/util/staticpod/utils.go (ComponentPod,
probes) and kind's kubeadm config (kubernetes-sigs/kind pkg/cluster/internal/kubeadm/config.go);
the kubelet's mirror-pod handling from pkg/kubelet/pod/mirror_client.go and pkg/kubelet/config/common.go.
They are written Running and Ready, so the kubelet leaves them alone and records no events for them.
"""

from __future__ import annotations

import hashlib

from minikctl.cluster import Cluster

NAMESPACE = "kube-system"
VERSION = "v1.32.2"
ETCD_IMAGE = "registry.k8s.io/etcd:3.5.16-0"
SERVICE_SUBNET = "10.96.0.0/16"
POD_SUBNET = "10.244.0.0/16"
PKI = "/etc/kubernetes/pki"
CA_VOLUMES = (("ca-certs", "/etc/ssl/certs"), ("etc-ca-certificates", "/etc/ca-certificates"),
              ("k8s-certs", PKI), ("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates"),
              ("usr-share-ca-certificates", "/usr/share/ca-certificates"))


def add_static_pods(cluster: Cluster, node: dict) -> None:
    """Mirror pods of the four control-plane components on node, Running with the node's address."""
    from minikctl.api import server

    address = node_address(node)
    for component in (etcd(address), kube_apiserver(address), kube_controller_manager(), kube_scheduler()):
        pod = mirror_pod(component, node, address, cluster.timestamp)
        status = pod.pop("status")
        created = server.create(cluster, pod, NAMESPACE)
        created["status"] = {**created.get("status", {}), **status}
        cluster.update(created, "pods", status_only=True)


def node_address(node: dict) -> str:
    for address in (node.get("status") or {}).get("addresses") or ():
        if address.get("type") == "InternalIP":
            return address["address"]
    return ""


# -- the four components ---------------------------------------------------------------------
def _probe(host: str, path: str, port: int, failures: int, scheme: str = "HTTPS", **timing) -> dict:
    """staticpod.LivenessProbe/ReadinessProbe/StartupProbe: period 10s, timeout 15s unless given."""
    return {"failureThreshold": failures, "httpGet": {"host": host, "path": path, "port": port, "scheme": scheme},
            "periodSeconds": 10, "timeoutSeconds": 15, **timing}


def _flags(values: dict) -> list[str]:
    return [f"--{name}={value}" for name, value in sorted(values.items())]


def etcd(address: str) -> dict:
    flags = {"advertise-client-urls": f"https://{address}:2379", "cert-file": f"{PKI}/etcd/server.crt",
             "client-cert-auth": "true", "data-dir": "/var/lib/etcd",
             "experimental-initial-corrupt-check": "true", "experimental-watch-progress-notify-interval": "5s",
             "initial-advertise-peer-urls": f"https://{address}:2380",
             "initial-cluster": f"kind-control-plane=https://{address}:2380", "key-file": f"{PKI}/etcd/server.key",
             "listen-client-urls": f"https://127.0.0.1:2379,https://{address}:2379",
             "listen-metrics-urls": "http://127.0.0.1:2381", "listen-peer-urls": f"https://{address}:2380",
             "name": "kind-control-plane", "peer-cert-file": f"{PKI}/etcd/peer.crt", "peer-client-cert-auth": "true",
             "peer-key-file": f"{PKI}/etcd/peer.key", "peer-trusted-ca-file": f"{PKI}/etcd/ca.crt",
             "snapshot-count": "10000", "trusted-ca-file": f"{PKI}/etcd/ca.crt"}
    return {"name": "etcd", "image": ETCD_IMAGE, "command": ["etcd", *_flags(flags)],
            "requests": {"cpu": "100m", "memory": "100Mi"},
            "probes": {"livenessProbe": _probe("127.0.0.1", "/livez", 2381, 8, "HTTP", initialDelaySeconds=10),
                       "readinessProbe": _probe("127.0.0.1", "/readyz", 2381, 3, "HTTP", periodSeconds=1),
                       "startupProbe": _probe("127.0.0.1", "/readyz", 2381, 24, "HTTP", initialDelaySeconds=10)},
            "volumes": (("etcd-certs", f"{PKI}/etcd", False), ("etcd-data", "/var/lib/etcd", False)),
            "annotations": {"kubeadm.kubernetes.io/etcd.advertise-client-urls": f"https://{address}:2379"}}


def kube_apiserver(address: str) -> dict:
    flags = {"advertise-address": address, "allow-privileged": "true", "authorization-mode": "Node,RBAC",
             "client-ca-file": f"{PKI}/ca.crt", "enable-admission-plugins": "NodeRestriction",
             "enable-bootstrap-token-auth": "true", "etcd-cafile": f"{PKI}/etcd/ca.crt",
             "etcd-certfile": f"{PKI}/apiserver-etcd-client.crt", "etcd-keyfile": f"{PKI}/apiserver-etcd-client.key",
             "etcd-servers": "https://127.0.0.1:2379",
             "kubelet-client-certificate": f"{PKI}/apiserver-kubelet-client.crt",
             "kubelet-client-key": f"{PKI}/apiserver-kubelet-client.key",
             "kubelet-preferred-address-types": "InternalIP,ExternalIP,Hostname",
             "proxy-client-cert-file": f"{PKI}/front-proxy-client.crt",
             "proxy-client-key-file": f"{PKI}/front-proxy-client.key",
             "requestheader-allowed-names": "front-proxy-client",
             "requestheader-client-ca-file": f"{PKI}/front-proxy-ca.crt",
             "requestheader-extra-headers-prefix": "X-Remote-Extra-", "requestheader-group-headers": "X-Remote-Group",
             "requestheader-username-headers": "X-Remote-User", "runtime-config": "", "secure-port": "6443",
             "service-account-issuer": "https://kubernetes.default.svc.cluster.local",
             "service-account-key-file": f"{PKI}/sa.pub", "service-account-signing-key-file": f"{PKI}/sa.key",
             "service-cluster-ip-range": SERVICE_SUBNET, "tls-cert-file": f"{PKI}/apiserver.crt",
             "tls-private-key-file": f"{PKI}/apiserver.key"}
    return {"name": "kube-apiserver", "image": f"registry.k8s.io/kube-apiserver:{VERSION}",
            "command": ["kube-apiserver", *_flags(flags)], "requests": {"cpu": "250m"},
            "probes": {"livenessProbe": _probe(address, "/livez", 6443, 8, initialDelaySeconds=10),
                       "readinessProbe": _probe(address, "/readyz", 6443, 3, periodSeconds=1),
                       "startupProbe": _probe(address, "/livez", 6443, 24, initialDelaySeconds=10)},
            "volumes": tuple((name, path, True) for name, path in CA_VOLUMES),
            "annotations": {"kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": f"{address}:6443"}}


def kube_controller_manager() -> dict:
    kubeconfig = "/etc/kubernetes/controller-manager.conf"
    flags = {"allocate-node-cidrs": "true", "authentication-kubeconfig": kubeconfig,
             "authorization-kubeconfig": kubeconfig, "bind-address": "127.0.0.1", "client-ca-file": f"{PKI}/ca.crt",
             "cluster-cidr": POD_SUBNET, "cluster-name": "kind", "cluster-signing-cert-file": f"{PKI}/ca.crt",
             "cluster-signing-key-file": f"{PKI}/ca.key", "controllers": "*,bootstrapsigner,tokencleaner",
             "enable-hostpath-provisioner": "true", "kubeconfig": kubeconfig, "leader-elect": "true",
             "requestheader-client-ca-file": f"{PKI}/front-proxy-ca.crt", "root-ca-file": f"{PKI}/ca.crt",
             "service-account-private-key-file": f"{PKI}/sa.key", "service-cluster-ip-range": SERVICE_SUBNET,
             "use-service-account-credentials": "true"}
    volumes = tuple((name, path, True) for name, path in CA_VOLUMES) + (
        ("flexvolume-dir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", False),
        ("kubeconfig", kubeconfig, True))
    return {"name": "kube-controller-manager", "image": f"registry.k8s.io/kube-controller-manager:{VERSION}",
            "command": ["kube-controller-manager", *_flags(flags)], "requests": {"cpu": "200m"},
            "probes": {"livenessProbe": _probe("127.0.0.1", "/healthz", 10257, 8, initialDelaySeconds=10),
                       "startupProbe": _probe("127.0.0.1", "/healthz", 10257, 24, initialDelaySeconds=10)},
            "volumes": tuple(sorted(volumes)), "annotations": {}}


def kube_scheduler() -> dict:
    kubeconfig = "/etc/kubernetes/scheduler.conf"
    flags = {"authentication-kubeconfig": kubeconfig, "authorization-kubeconfig": kubeconfig,
             "bind-address": "127.0.0.1", "kubeconfig": kubeconfig, "leader-elect": "true"}
    return {"name": "kube-scheduler", "image": f"registry.k8s.io/kube-scheduler:{VERSION}",
            "command": ["kube-scheduler", *_flags(flags)], "requests": {"cpu": "100m"},
            "probes": {"livenessProbe": _probe("127.0.0.1", "/livez", 10259, 8, initialDelaySeconds=10),
                       "readinessProbe": _probe("127.0.0.1", "/readyz", 10259, 3, periodSeconds=1),
                       "startupProbe": _probe("127.0.0.1", "/livez", 10259, 24, initialDelaySeconds=10)},
            "volumes": (("kubeconfig", kubeconfig, True),), "annotations": {}}


# -- the mirror pod --------------------------------------------------------------------------
def _volume(name: str, path: str) -> dict:
    file = path.endswith(".conf")
    return {"name": name, "hostPath": {"path": path, "type": "FileOrCreate" if file else "DirectoryOrCreate"}}


def mirror_pod(component: dict, node: dict, address: str, now: str) -> dict:
    """The mirror pod the kubelet posts for one static pod (hostNetwork, system-node-critical, owned by the Node)."""
    from minikctl.controllers.kubelet import container_id, qualified_image

    name, node_name = component["name"], node["metadata"]["name"]
    config_hash = hashlib.sha256(f"{name}/{node_name}/{VERSION}".encode()).hexdigest()[:32]
    container = {"name": name, "image": component["image"], "imagePullPolicy": "IfNotPresent",
                 "command": component["command"], "resources": {"requests": dict(component["requests"])},
                 **component["probes"],
                 "volumeMounts": [{"mountPath": path, "name": volume, **({"readOnly": True} if read_only else {})}
                                  for volume, path, read_only in component["volumes"]]}
    annotations = {**component["annotations"], "kubernetes.io/config.hash": config_hash,
                   "kubernetes.io/config.mirror": config_hash, "kubernetes.io/config.seen": now,
                   "kubernetes.io/config.source": "file"}
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": f"{name}-{node_name}", "namespace": NAMESPACE, "annotations": annotations,
                        "labels": {"component": name, "tier": "control-plane"},
                        "ownerReferences": [{"apiVersion": "v1", "controller": True, "kind": "Node",
                                             "name": node_name, "uid": node["metadata"]["uid"]}]},
           "spec": {"containers": [container], "hostNetwork": True, "nodeName": node_name,
                    "priorityClassName": "system-node-critical",
                    "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                    "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
                    "volumes": [_volume(volume, path) for volume, path, _ in component["volumes"]]},
           "status": {}}
    uid_seed = {"metadata": {"uid": config_hash}}
    pod["status"] = running_status(container, address, now, container_id(uid_seed, name, 0),
                                   qualified_image(component["image"]))
    return pod


def running_status(container: dict, address: str, now: str, cid: str, image: str) -> dict:
    """Running and Ready since the state's creation, with the node's address as pod and host IP."""
    digest = hashlib.sha256(container["image"].encode()).hexdigest()
    condition_types = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
    return {"phase": "Running", "hostIP": address, "hostIPs": [{"ip": address}],
            "podIP": address, "podIPs": [{"ip": address}],
            "conditions": [{"type": kind, "status": "True", "lastProbeTime": None, "lastTransitionTime": now}
                           for kind in condition_types],
            "containerStatuses": [{"name": container["name"], "image": image,
                                   "imageID": f"{image.rsplit(':', 1)[0]}@sha256:{digest}", "containerID": cid,
                                   "ready": True, "started": True, "restartCount": 0, "lastState": {},
                                   "state": {"running": {"startedAt": now}}}],
            "startTime": now}
