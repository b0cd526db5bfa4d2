"""What a kind node's kubelet can mount, and how it words the volumes it cannot.

A kind node is a container running Debian, containerd and systemd: emptyDir, configMap, secret,
downwardAPI, projected, ephemeral, hostPath paths the node has and claims bound to local-path (or
hostPath/local) volumes mount; the rest fail as they fail there (docs/volumes.md):
* a missing Secret/ConfigMap or key, unless `optional`: kubernetes/kubernetes pkg/volume/secret/secret.go,
  pkg/volume/configmap/configmap.go, pkg/volume/projected/projected.go (SetUpAt);
* a hostPath whose `type` check fails: pkg/volume/hostpath/host_path.go (checkTypeInternal);
* nfs, with no mount.nfs helper on the node: pkg/volume/nfs/nfs.go and k8s.io/mount-utils
  mount_linux.go (the systemd-run scope and mount(8)'s output);
* iscsi and fc, whose tools and disks the node lacks (pkg/volume/iscsi, pkg/volume/fc: WaitForAttach);
* csi with a driver that is not registered (pkg/volume/csi/csi_mounter.go);
* cloud disks migrated to CSI drivers kind does not run: never attached; plugins removed from 1.32
  (glusterfs, cephfs, rbd, storageos, quobyte, flocker, scaleIO, photonPersistentDisk) and flexVolume
  drivers the node does not have: never processed. Both only show, once the kubelet's 2m3s wait runs
  out, as pkg/kubelet/volumemanager/volume_manager.go WaitForAttachAndMount reports it.
"""

from __future__ import annotations

import hashlib

from minikctl.cluster import Cluster

# The kubelet gives up waiting for a pod's volumes after this long (podAttachAndMountTimeout).
MOUNT_TIMEOUT_SECONDS = 123

# Paths of a kind node, by what `hostPath.type` checks (kindest/node: a Debian image with containerd).
NODE_DIRECTORIES = frozenset({
    "/", "/bin", "/boot", "/dev", "/dev/shm", "/etc", "/etc/cni", "/etc/cni/net.d", "/etc/containerd",
    "/etc/kubernetes", "/etc/kubernetes/manifests", "/etc/kubernetes/pki", "/etc/ssl", "/etc/ssl/certs",
    "/home", "/kind", "/lib", "/lib/modules", "/media", "/mnt", "/opt", "/opt/cni", "/opt/cni/bin", "/proc",
    "/root", "/run", "/run/containerd", "/sbin", "/srv", "/sys", "/sys/fs/cgroup", "/tmp", "/usr",
    "/usr/local", "/usr/local/bin", "/usr/share", "/usr/share/ca-certificates", "/var", "/var/lib",
    "/var/lib/containerd", "/var/lib/kubelet", "/var/lib/kubelet/pods", "/var/lib/kubelet/plugins",
    "/var/lib/kubelet/plugins_registry", "/var/local-path-provisioner", "/var/log", "/var/log/containers",
    "/var/log/pods", "/var/run", "/var/run/containerd",
})
NODE_FILES = frozenset({
    "/etc/hostname", "/etc/hosts", "/etc/localtime", "/etc/machine-id", "/etc/os-release", "/etc/passwd",
    "/etc/group", "/etc/resolv.conf", "/etc/kubernetes/admin.conf", "/etc/kubernetes/kubelet.conf",
    "/run/xtables.lock", "/var/lib/kubelet/config.yaml",
})
NODE_SOCKETS = frozenset({"/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock"})
NODE_CHAR_DEVICES = frozenset({"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/full",
                               "/dev/tty", "/dev/kmsg", "/dev/fuse"})
# hostPath.type -> (the paths that pass, the type checker's words for one that does not).
HOST_PATH_CHECKS = {
    "Directory": (NODE_DIRECTORIES, "is not a directory"),
    "File": (NODE_FILES, "is not a file"),
    "Socket": (NODE_SOCKETS, "is not a socket file"),
    "CharDevice": (NODE_CHAR_DEVICES, "is not a character device"),
    "BlockDevice": (frozenset(), "is not a block device"),
}

# Cloud disks whose in-tree plugins 1.32 hands to CSI drivers kind does not install: never attached.
NEVER_ATTACHED = ("awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "cinder", "vsphereVolume",
                  "portworxVolume")
# In-tree plugins 1.32 no longer has, and flexVolume drivers the node lacks: never processed.
NEVER_PROCESSED = ("glusterfs", "cephfs", "rbd", "storageos", "quobyte", "flocker", "scaleIO",
                   "photonPersistentDisk", "flexVolume")
# azureFile is migrated to a CSI driver too, but mounts without attaching.
MIGRATED_MOUNT_DRIVERS = {"azureFile": "file.csi.azure.com"}


class MountReport:
    """The volumes of one pod the kubelet cannot mount, and its FailedMount messages so far."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.unmounted: list[str] = []
        self.unattached: list[str] = []
        self.unprocessed: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.unmounted)

    def fail(self, volume: str, message: str = "", unattached: bool = False, unprocessed: bool = False) -> None:
        self.unmounted.append(volume)
        if message:
            self.messages.append(message)
        if unattached:
            self.unattached.append(volume)
        if unprocessed:
            self.unprocessed.append(volume)

    def timeout_message(self) -> str:
        listed = [f"{label}=[{' '.join(sorted(names))}]" for label, names in
                  (("unmounted volumes", self.unmounted), ("unattached volumes", self.unattached),
                   ("failed to process volumes", self.unprocessed))]
        return f"Unable to attach or mount volumes: {', '.join(listed)}: context deadline exceeded"


def check_pod_volumes(cluster: Cluster, pod: dict) -> MountReport:
    """Every volume a container of the pod mounts, checked as the node's kubelet would mount it."""
    report = MountReport()
    spec = pod.get("spec") or {}
    used = {m.get("name") for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])
            for m in (c.get("volumeMounts") or []) + (c.get("volumeDevices") or [])}
    for volume in spec.get("volumes") or ():
        if volume.get("name") in used:
            _check_volume(cluster, pod, volume, report)
    return report


def _check_volume(cluster: Cluster, pod: dict, volume: dict, report: MountReport) -> None:
    name = volume["name"]
    namespace = pod["metadata"]["namespace"]
    claim_name = (volume.get("persistentVolumeClaim") or {}).get("claimName")
    if claim_name:
        bound = _bound_volume(cluster, namespace, claim_name)
        if bound is not None:
            _check_source(pod, name, bound["metadata"]["name"], bound.get("spec") or {}, report)
        else:
            report.fail(name, unprocessed=True)
        return
    error = _reference_error(cluster, namespace, volume)
    if error:
        report.fail(name, f'MountVolume.SetUp failed for volume "{name}" : {error}')
        return
    _check_source(pod, name, name, volume, report)


def _bound_volume(cluster: Cluster, namespace: str, claim_name: str) -> dict | None:
    claim = cluster.get("persistentvolumeclaims", namespace, claim_name)
    volume_name = ((claim or {}).get("spec") or {}).get("volumeName")
    if not volume_name or ((claim or {}).get("status") or {}).get("phase") != "Bound":
        return None
    return cluster.get("persistentvolumes", "", volume_name)


def _check_source(pod: dict, pod_volume: str, volume: str, source: dict, report: MountReport) -> None:
    """Plugin-level failures of one volume; `volume` is the name the kubelet's events use (the PV's)."""
    setup = f'MountVolume.SetUp failed for volume "{volume}" : '
    wait = f'MountVolume.WaitForAttach failed for volume "{volume}" : '
    host_path = source.get("hostPath")
    if host_path:
        error = _host_path_error(host_path)
        if error:
            report.fail(pod_volume, setup + error)
    elif source.get("nfs"):
        report.fail(pod_volume, setup + _nfs_error(pod, volume, source["nfs"], source.get("mountOptions")))
    elif source.get("iscsi"):
        report.fail(pod_volume, wait + 'exec: "iscsiadm": executable file not found in $PATH')
    elif source.get("fc"):
        report.fail(pod_volume, wait + "no fc disk found")
    elif source.get("csi"):
        driver = source["csi"].get("driver", "")
        report.fail(pod_volume, setup + _csi_missing(driver))
    elif any(source.get(plugin) for plugin in MIGRATED_MOUNT_DRIVERS):
        driver = next(d for p, d in MIGRATED_MOUNT_DRIVERS.items() if source.get(p))
        report.fail(pod_volume, setup + _csi_missing(driver))
    elif any(source.get(plugin) for plugin in NEVER_ATTACHED):
        report.fail(pod_volume, unattached=True)
    elif any(source.get(plugin) for plugin in NEVER_PROCESSED):
        report.fail(pod_volume, unprocessed=True)


def _reference_error(cluster: Cluster, namespace: str, volume: dict) -> str:
    """A missing Secret/ConfigMap (or item key) a secret, configMap or projected volume needs; '' if none."""
    if volume.get("secret"):
        source = volume["secret"]
        return _object_error(cluster, namespace, "secrets", source.get("secretName", ""), source)
    if volume.get("configMap"):
        return _object_error(cluster, namespace, "configmaps", volume["configMap"].get("name", ""), volume["configMap"])
    errors = []
    for source in (volume.get("projected") or {}).get("sources") or ():
        for field, resource in (("secret", "secrets"), ("configMap", "configmaps")):
            if source.get(field):
                error = _object_error(cluster, namespace, resource, source[field].get("name", ""), source[field])
                if error:
                    errors.append(error)
    return errors[0] if len(errors) == 1 else ("[" + ", ".join(errors) + "]" if errors else "")


def _object_error(cluster: Cluster, namespace: str, resource: str, name: str, source: dict) -> str:
    obj = cluster.get(resource, namespace, name)
    optional = bool(source.get("optional"))
    if obj is None:
        return "" if optional else f'{resource[:-1]} "{name}" not found'
    keys = set(obj.get("data") or {}) | set(obj.get("binaryData") or {})
    for item in source.get("items") or ():
        if item.get("key") not in keys and not optional:
            if resource == "secrets":
                return f"references non-existent secret key: {item.get('key')}"
            return f"configmap references non-existent config key: {item.get('key')}"
    return ""


def _host_path_error(host_path: dict) -> str:
    check = HOST_PATH_CHECKS.get(host_path.get("type") or "")
    path = host_path.get("path", "")
    normalized = path.rstrip("/") or "/"
    if check is None or normalized in check[0]:
        return ""
    return f"hostPath type check failed: {path} {check[1]}"


def _nfs_error(pod: dict, volume: str, nfs: dict, mount_options: list | None) -> str:
    """mount(8) without the mount.nfs helper, run in a transient systemd scope as kind's kubelet does."""
    target = f"/var/lib/kubelet/pods/{pod['metadata']['uid']}/volumes/kubernetes.io~nfs/{volume}"
    options = list(mount_options or []) + (["ro"] if nfs.get("readOnly") else [])
    arguments = ["-t", "nfs"] + (["-o", ",".join(options)] if options else [])
    arguments += [f"{nfs.get('server', '')}:{nfs.get('path', '')}", target]
    unit = hashlib.sha256(target.encode()).hexdigest()[:32]
    return ("mount failed: exit status 32\n"
            "Mounting command: systemd-run\n"
            f"Mounting arguments: --description=Kubernetes transient mount for {target} --scope -- mount "
            f"{' '.join(arguments)}\n"
            f"Output: Running scope as unit: run-r{unit}.scope\n"
            f"mount: {target}: bad option; for several filesystems (e.g. nfs, cifs) you might need a "
            "/sbin/mount.<type> helper program.\n")


def _csi_missing(driver: str) -> str:
    return (f"kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name {driver} not found in the "
            "list of registered CSI drivers")
