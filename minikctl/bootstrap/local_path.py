"""kind's default storage provisioner: namespace `local-path-storage` with the
`local-path-provisioner` Deployment (1 replica), its ServiceAccount and ConfigMap `local-path-config`.

Field values as kind v0.27.0 (kindest/node:v1.32.2) deploys them: kubernetes-sigs/kind
pkg/build/nodeimage/const_storage.go (defaultStorageManifest, storageProvisionerImage,
storageHelperImage). The StorageClass of that manifest is volumes.default_storage_class(); its Role,
ClusterRole and bindings are not modelled. kind installs it before the workers join, so its pod runs
on the control plane, and is bound there here like CoreDNS's.
"""

from __future__ import annotations

from minikctl.cluster import Cluster

NAMESPACE = "local-path-storage"
NAME = "local-path-provisioner"
SERVICE_ACCOUNT = "local-path-provisioner-service-account"
IMAGE = "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a"
HELPER_IMAGE = "docker.io/kindest/local-path-helper:v20241212-8ac705d0"
LABELS = {"app": NAME}

CONFIG_JSON = """{
        "nodePathMap":[
        {
                "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",
                "paths":["/var/local-path-provisioner"]
        }
        ]
}"""
HELPER_POD = f"""apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  priorityClassName: system-node-critical
  tolerations:
    - key: node.kubernetes.io/disk-pressure
      operator: Exists
      effect: NoSchedule
  containers:
  - name: helper-pod
    image: {HELPER_IMAGE}
    imagePullPolicy: IfNotPresent"""


def add_local_path_storage(cluster: Cluster) -> None:
    """Namespace (with its default ServiceAccount and root CA), then the provisioner, bound to the control plane."""
    from minikctl.api import server
    from minikctl.bootstrap.placement import bind_to_control_plane
    from minikctl.controllers import deployment, replicaset, serviceaccounts

    cluster.create({"apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"name": NAMESPACE, "labels": {"kubernetes.io/metadata.name": NAMESPACE}},
                    "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
    serviceaccounts.ensure_namespace_defaults(cluster, NAMESPACE)
    server.create(cluster, {"apiVersion": "v1", "kind": "ServiceAccount",
                            "metadata": {"name": SERVICE_ACCOUNT, "namespace": NAMESPACE}}, NAMESPACE)
    server.create(cluster, config_map(), NAMESPACE)
    server.create(cluster, provisioner_deployment(), NAMESPACE)
    deployment.reconcile(cluster)
    replicaset.reconcile(cluster)
    bind_to_control_plane(cluster, NAMESPACE, LABELS)


def config_map() -> dict:
    setup = '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"'
    teardown = '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"'
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "local-path-config", "namespace": NAMESPACE},
            "data": {"config.json": CONFIG_JSON, "helperPod.yaml": HELPER_POD, "setup": setup, "teardown": teardown}}


def container() -> dict:
    return {
        "name": NAME, "image": IMAGE, "imagePullPolicy": "IfNotPresent",
        "command": ["local-path-provisioner", "--debug", "start", "--helper-image", HELPER_IMAGE,
                    "--config", "/etc/config/config.json"],
        "env": [{"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                {"name": "CONFIG_MOUNT_PATH", "value": "/etc/config/"}],
        "volumeMounts": [{"mountPath": "/etc/config/", "name": "config-volume"}],
    }


def provisioner_deployment() -> dict:
    tolerations = [{"effect": "NoSchedule", "key": f"node-role.kubernetes.io/{role}", "operator": "Equal"}
                   for role in ("control-plane", "master")]
    pod_spec = {
        "containers": [container()],
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "serviceAccountName": SERVICE_ACCOUNT,
        "tolerations": tolerations,
        "volumes": [{"name": "config-volume", "configMap": {"name": "local-path-config"}}],
    }
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": NAME, "namespace": NAMESPACE},
        "spec": {"replicas": 1, "selector": {"matchLabels": dict(LABELS)},
                 "template": {"metadata": {"labels": dict(LABELS)}, "spec": pod_spec}},
    }
