"""PersistentVolumeClaims and PersistentVolumes: protection, binding, and kind's local-path provisioning.

Plays four upstream actors at once, as a kind cluster shows them (controllers.md §3.3):
* the PVC/PV protection controllers (kubernetes/kubernetes: pkg/controller/volume/pvcprotection,
  pkg/controller/volume/pvprotection): finalizers on, and off once nothing uses the object;
* the PV controller (pkg/controller/volume/persistentvolume/pv_controller.go): the default class for
  claims without one, static binding, provisioner annotations, `Bound`/`Released` phases, reclaim;
* the scheduler's volume binding step (pkg/scheduler/framework/plugins/volumebinding): the
  `selected-node` annotation of a WaitForFirstConsumer claim once a pod using it has a node;
* the external provisioner rancher.io/local-path (kubernetes-sigs/kind:
  pkg/build/nodeimage/const_storage.go; rancher/local-path-provisioner provisioner.go).
"""

from __future__ import annotations


from minikctl.cluster import Cluster
from minikctl.core.conditions import is_finished
from minikctl.core.quantity import parse_quantity
from minikctl.controllers.common import record_event, release_finalizer

CLAIMS = "persistentvolumeclaims"
VOLUMES = "persistentvolumes"
CLASSES = "storageclasses.storage.k8s.io"
PROVISIONER = "rancher.io/local-path"
PV_COMPONENT = "persistentvolume-controller"
CLAIM_FINALIZER = "kubernetes.io/pvc-protection"
VOLUME_FINALIZER = "kubernetes.io/pv-protection"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
# In-tree provisioners whose volumes CSI migration hands to a CSI driver (kubernetes/kubernetes
# staging/src/k8s.io/csi-translation-lib/plugins/*.go); a kind cluster runs none of those drivers.
MIGRATED_PROVISIONERS = {
    "kubernetes.io/aws-ebs": "ebs.csi.aws.com",
    "kubernetes.io/gce-pd": "pd.csi.storage.gke.io",
    "kubernetes.io/azure-disk": "disk.csi.azure.com",
    "kubernetes.io/azure-file": "file.csi.azure.com",
    "kubernetes.io/cinder": "cinder.csi.openstack.org",
    "kubernetes.io/vsphere-volume": "csi.vsphere.vmware.com",
    "kubernetes.io/portworx-volume": "pxd.portworx.com",
}
EXTERNAL_PROVISIONING = ("Waiting for a volume to be created either by the external provisioner '{}' or manually by "
                         "the system administrator. If volume creation is delayed, please verify that the "
                         "provisioner is running and correctly registered.")


def default_storage_class() -> dict:
    """kind's default StorageClass `standard` (local-path, bound when the first pod is scheduled)."""
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": "standard",
                         "annotations": {DEFAULT_CLASS_ANNOTATION: "true"}},
            "provisioner": PROVISIONER, "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"}


# What queues this (still whole-state) controller in the manager (controllers/manager.py).
WATCHES = {"persistentvolumeclaims": None, "persistentvolumes": None, "storageclasses.storage.k8s.io": None,
           "pods": lambda change: any("persistentVolumeClaim" in v for v in (change.obj.get("spec") or {}).get("volumes") or ())}


def reconcile(cluster: Cluster) -> None:
    if not len(cluster.state.section(CLAIMS)) and not len(cluster.state.section(VOLUMES)):
        return
    consumers = consumers_by_claim(cluster)
    reasons = ClaimEventReasons(cluster)
    for claim in cluster.list(CLAIMS):
        sync_claim(cluster, claim, consumers.get(claim_key(claim), []), reasons)
    for volume in cluster.list(VOLUMES):
        sync_volume(cluster, volume)


def claim_class(claim: dict) -> str:
    """The claim's class: the beta annotation wins over the field, as the PV controller and the
    scheduler read it (kubernetes/component-helpers storage/volume/helpers.go GetPersistentVolumeClaimClass)."""
    annotations = claim["metadata"].get("annotations") or {}
    if BETA_CLASS_ANNOTATION in annotations:
        return annotations[BETA_CLASS_ANNOTATION]
    return (claim.get("spec") or {}).get("storageClassName") or ""


def is_delay_binding(cluster: Cluster, claim: dict) -> bool:
    """WaitForFirstConsumer, judged by a class that exists (a missing class means Immediate)."""
    storage_class = cluster.get(CLASSES, "", claim_class(claim)) if claim_class(claim) else None
    return storage_class is not None and storage_class.get("volumeBindingMode") == "WaitForFirstConsumer"


def claim_key(claim: dict) -> tuple[str, str]:
    return claim["metadata"]["namespace"], claim["metadata"]["name"]


def consumers_by_claim(cluster: Cluster) -> dict[tuple[str, str], list[dict]]:
    """Pods that are not finished, by the (namespace, claim) of each persistentVolumeClaim volume."""
    index: dict[tuple[str, str], list[dict]] = {}
    for pod in cluster.list("pods"):
        if is_finished(pod):
            continue
        for volume in (pod.get("spec") or {}).get("volumes") or ():
            source = volume.get("persistentVolumeClaim")
            if source and source.get("claimName"):
                index.setdefault((pod["metadata"]["namespace"], source["claimName"]), []).append(pod)
    return index


class ClaimEventReasons:
    """Reasons already recorded per claim, so a waiting claim is reported once, not every sync.

    A claim's events are named `<claim>.<hex>` in its namespace: only those are read, never every event."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.seen: dict[str, set[str]] = {}

    def of(self, claim: dict) -> set[str]:
        uid = claim["metadata"]["uid"]
        if uid not in self.seen:
            namespace, name = claim_key(claim)
            prefix = f"{namespace}/{name}."
            section = self.cluster.state.section("events")
            reasons = set()
            for key in section.keys():
                if key.startswith(prefix):
                    event = section.get(key)
                    involved = event.get("involvedObject") or {}
                    if involved.get("kind") == "PersistentVolumeClaim" and involved.get("uid") == uid:
                        reasons.add(event.get("reason", ""))
            self.seen[uid] = reasons
        return self.seen[uid]


# -- claims ----------------------------------------------------------------------------------
def sync_claim(cluster: Cluster, claim: dict, consumers: list[dict], reasons: ClaimEventReasons) -> None:
    if claim["metadata"].get("deletionTimestamp"):
        if not consumers:
            release_finalizer(cluster, CLAIMS, claim, CLAIM_FINALIZER)
        return
    if add_finalizer(claim, CLAIM_FINALIZER):
        cluster.update(claim, CLAIMS)
    if (claim.get("status") or {}).get("phase") == "Bound":
        return
    claim.setdefault("status", {})["phase"] = "Pending"
    assign_default_class(cluster, claim)
    if bind_static(cluster, claim):
        return
    cluster.update(claim, CLAIMS)
    if (claim.get("spec") or {}).get("volumeName"):
        return  # waits for the volume it names (syncUnboundClaim)
    class_name = claim_class(claim)
    if not class_name:
        report_once(cluster, claim, reasons, "FailedBinding",
                    "no persistent volumes available for this claim and no storage class is set")
        return
    storage_class = cluster.get(CLASSES, "", class_name)
    if storage_class is None:
        report_once(cluster, claim, reasons, "ProvisioningFailed",
                    f'storageclass.storage.k8s.io "{class_name}" not found', event_type="Warning")
        return
    node = selected_node(claim, consumers, storage_class)
    if node is None:
        report_once(cluster, claim, reasons, "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding")
        return
    if storage_class.get("provisioner") != PROVISIONER:
        wait_for_external_provisioner(cluster, claim, storage_class, reasons)
        return
    provision(cluster, claim, storage_class, node)


def wait_for_external_provisioner(cluster: Cluster, claim: dict, storage_class: dict,
                                  reasons: ClaimEventReasons) -> None:
    """A provisioner kind does not run: the claim is annotated for it and waits (pv_controller.go
    provisionClaimOperationExternal); an in-tree name with no plugin fails (findProvisionablePlugin)."""
    provisioner = storage_class.get("provisioner", "")
    if provisioner.startswith("kubernetes.io/") and provisioner not in MIGRATED_PROVISIONERS:
        report_once(cluster, claim, reasons, "ProvisioningFailed", f"no volume plugin matched name: {provisioner}",
                    event_type="Warning")
        return
    provisioner = MIGRATED_PROVISIONERS.get(provisioner, provisioner)
    annotations = claim["metadata"].setdefault("annotations", {})
    annotations[STORAGE_PROVISIONER] = provisioner
    annotations[BETA_STORAGE_PROVISIONER] = provisioner
    cluster.update(claim, CLAIMS)
    report_once(cluster, claim, reasons, "ExternalProvisioning", EXTERNAL_PROVISIONING.format(provisioner))


def assign_default_class(cluster: Cluster, claim: dict) -> None:
    """An unbound claim with no storageClassName field gets the default class (RetroactiveDefaultStorageClass)."""
    spec = claim.setdefault("spec", {})
    if "storageClassName" in spec or spec.get("volumeName") or \
            BETA_CLASS_ANNOTATION in (claim["metadata"].get("annotations") or {}):
        return
    defaults = [c for c in cluster.list(CLASSES)
                if (c["metadata"].get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"]
    if defaults:
        newest = max(defaults, key=lambda c: (c["metadata"].get("creationTimestamp", ""), c["metadata"]["name"]))
        spec["storageClassName"] = newest["metadata"]["name"]


def selected_node(claim: dict, consumers: list[dict], storage_class: dict) -> str | None:
    """The node the claim's volume goes to: any node when Immediate, else the first scheduled consumer's."""
    annotations = claim["metadata"].get("annotations") or {}
    if annotations.get(SELECTED_NODE):
        return annotations[SELECTED_NODE]
    if storage_class.get("volumeBindingMode", "Immediate") != "WaitForFirstConsumer":
        return ""
    scheduled = sorted(p["spec"]["nodeName"] for p in consumers if (p.get("spec") or {}).get("nodeName"))
    return scheduled[0] if scheduled else None


def report_once(cluster: Cluster, claim: dict, reasons: ClaimEventReasons, reason: str, message: str,
                component: str = PV_COMPONENT, event_type: str = "Normal") -> None:
    seen = reasons.of(claim)
    if reason not in seen:
        seen.add(reason)
        record_event(cluster, claim, event_type, reason, message, component)


def provision(cluster: Cluster, claim: dict, storage_class: dict, node: str) -> None:
    """Create `pvc-<uid>` for the claim and bind both (the local-path provisioner, then the PV controller)."""
    annotations = claim["metadata"].setdefault("annotations", {})
    if node:
        annotations[SELECTED_NODE] = node
    annotations[STORAGE_PROVISIONER] = PROVISIONER
    annotations[BETA_STORAGE_PROVISIONER] = PROVISIONER
    cluster.update(claim, CLAIMS)
    record_event(cluster, claim, "Normal", "ExternalProvisioning", EXTERNAL_PROVISIONING.format(PROVISIONER),
                 PV_COMPONENT)
    namespace, name = claim_key(claim)
    identity = provisioner_identity(cluster)
    record_event(cluster, claim, "Normal", "Provisioning",
                 f'External provisioner is provisioning volume for claim "{namespace}/{name}"', identity)
    volume = cluster.create(provisioned_volume(cluster, claim, storage_class, node), VOLUMES)
    record_event(cluster, claim, "Normal", "ProvisioningSucceeded",
                 f"Successfully provisioned volume {volume['metadata']['name']}", identity)
    bind_claim(cluster, claim, volume, by_controller=True)


def provisioner_identity(cluster: Cluster) -> str:
    """The event source of the provisioner: `<provisioner>_<its pod>_<uuid>`, fixed once per cluster."""
    identity = cluster.meta.get("localPathProvisionerIdentity")
    if not identity:
        pod = f"local-path-provisioner-{cluster.random_string(10)}-{cluster.random_string(5)}"
        identity = cluster.meta["localPathProvisionerIdentity"] = f"{PROVISIONER}_{pod}_{cluster.new_uid()}"
    return identity


def provisioned_volume(cluster: Cluster, claim: dict, storage_class: dict, node: str) -> dict:
    namespace, name = claim_key(claim)
    volume_name = f"pvc-{claim['metadata']['uid']}"
    spec = claim.get("spec") or {}
    volume_spec: dict = {
        "accessModes": list(spec.get("accessModes") or ["ReadWriteOnce"]),
        "capacity": {"storage": requested_storage(claim)},
        "claimRef": claim_reference(claim),
        "hostPath": {"path": f"/var/local-path-provisioner/{volume_name}_{namespace}_{name}",
                     "type": "DirectoryOrCreate"},
        "persistentVolumeReclaimPolicy": storage_class.get("reclaimPolicy", "Delete"),
        "storageClassName": storage_class["metadata"]["name"],
        "volumeMode": spec.get("volumeMode", "Filesystem"),
    }
    if node:
        volume_spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
            {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}
    return {"apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": volume_name, "annotations": {PROVISIONED_BY: PROVISIONER},
                         "finalizers": [VOLUME_FINALIZER]},
            "spec": volume_spec,
            "status": {"phase": "Bound", "lastPhaseTransitionTime": cluster.timestamp}}


def requested_storage(claim: dict) -> str:
    return (((claim.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage", "0")


def claim_reference(claim: dict) -> dict:
    meta = claim["metadata"]
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": meta["name"],
            "namespace": meta["namespace"], "resourceVersion": meta.get("resourceVersion", ""), "uid": meta["uid"]}


def bind_claim(cluster: Cluster, claim: dict, volume: dict, by_controller: bool) -> None:
    annotations = claim["metadata"].setdefault("annotations", {})
    annotations[BIND_COMPLETED] = "yes"
    if by_controller:
        annotations[BOUND_BY_CONTROLLER] = "yes"
    claim.setdefault("spec", {})["volumeName"] = volume["metadata"]["name"]
    claim["status"] = {"accessModes": list(volume["spec"].get("accessModes") or []),
                       "capacity": dict(volume["spec"].get("capacity") or {}), "phase": "Bound"}
    cluster.update(claim, CLAIMS)


def bind_static(cluster: Cluster, claim: dict) -> bool:
    """Bind to an existing Available volume: the one named in spec.volumeName, else the smallest that fits."""
    wanted = (claim.get("spec") or {}).get("volumeName")
    if wanted:
        volume = cluster.get(VOLUMES, "", wanted)
        candidates = [volume] if volume is not None and volume_fits(volume, claim, by_name=True) else []
    else:
        candidates = sorted((v for v in cluster.list(VOLUMES) if volume_fits(v, claim, by_name=False)),
                            key=lambda v: parse_quantity((v["spec"].get("capacity") or {}).get("storage", "0")))
    if not candidates:
        return False
    volume = candidates[0]
    volume["spec"]["claimRef"] = claim_reference(claim)
    set_volume_phase(cluster, volume, "Bound")
    bind_claim(cluster, claim, volume, by_controller=not wanted)
    return True


def volume_fits(volume: dict, claim: dict, by_name: bool) -> bool:
    spec, claim_spec = volume.get("spec") or {}, claim.get("spec") or {}
    reference = spec.get("claimRef")
    if reference and reference.get("uid") not in (None, "", claim["metadata"]["uid"]):
        return False
    if reference and (reference.get("name"), reference.get("namespace")) != (claim["metadata"]["name"],
                                                                              claim["metadata"]["namespace"]):
        return False
    if not reference and (volume.get("status") or {}).get("phase") not in ("Available", "Pending", None):
        return False
    if volume["metadata"].get("deletionTimestamp"):
        return False
    if not by_name and spec.get("storageClassName", "") != claim_class(claim):
        return False
    if not set(claim_spec.get("accessModes") or ()) <= set(spec.get("accessModes") or ()):
        return False
    return parse_quantity((spec.get("capacity") or {}).get("storage", "0")) >= parse_quantity(requested_storage(claim))


# -- volumes ---------------------------------------------------------------------------------
def sync_volume(cluster: Cluster, volume: dict) -> None:
    """Protection finalizer, Available for a free volume, and reclaim once its claim is gone."""
    if volume["metadata"].get("deletionTimestamp"):
        if (volume.get("status") or {}).get("phase") != "Bound":
            release_finalizer(cluster, VOLUMES, volume, VOLUME_FINALIZER)
        return
    if add_finalizer(volume, VOLUME_FINALIZER):
        cluster.update(volume, VOLUMES)
    reference = (volume.get("spec") or {}).get("claimRef")
    if not reference:
        set_volume_phase(cluster, volume, "Available")
        return
    claim = cluster.get(CLAIMS, reference.get("namespace", ""), reference.get("name", ""))
    if claim is not None and reference.get("uid") in (None, "", claim["metadata"]["uid"]):
        return
    if not reference.get("uid"):
        return
    if volume["spec"].get("persistentVolumeReclaimPolicy", "Retain") == "Delete":
        cluster.remove(VOLUMES, "", volume["metadata"]["name"])
    else:
        set_volume_phase(cluster, volume, "Released")


def set_volume_phase(cluster: Cluster, volume: dict, phase: str) -> None:
    status = volume.setdefault("status", {})
    if status.get("phase") != phase:
        status["phase"] = phase
        status["lastPhaseTransitionTime"] = cluster.timestamp
    cluster.update(volume, VOLUMES)


# -- finalizers ------------------------------------------------------------------------------
def add_finalizer(obj: dict, finalizer: str) -> bool:
    finalizers = obj["metadata"].setdefault("finalizers", [])
    if finalizer in finalizers:
        return False
    finalizers.append(finalizer)
    return True
