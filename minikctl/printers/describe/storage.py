"""describe for PersistentVolume, PersistentVolumeClaim and StorageClass.

Layout facts: kubernetes/kubectl pkg/describe/describe.go (describePersistentVolume,
printVolumeNodeAffinity, describePersistentVolumeClaim, printPersistentVolumeClaim, getPodsForPVC,
describeStorageClass) and pkg/util/storage/storage.go (GetAccessModesAsString, IsDefaultAnnotationText).
"""

from __future__ import annotations

from minikctl.printers.describe import engine
from minikctl.printers.describe.engine import Settings, Writer
from minikctl.core.quantity import canonical_text as canonical
from minikctl.printers.describe.workloads import claim_storage_class
from minikctl.printers.duration import since
from minikctl.printers.labels import format_labels

ACCESS_MODE_ABBREVIATIONS = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                             ("ReadWriteOncePod", "RWOP"))
DEFAULT_CLASS_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class",
                             "storageclass.beta.kubernetes.io/is-default-class")


def access_modes(modes: list | None) -> str:
    """`RWO,ROX,...` in a fixed order, each mode once."""
    present = set(modes or ())
    return ",".join(short for mode, short in ACCESS_MODE_ABBREVIATIONS if mode in present)


def _status_or_terminating(obj: dict, settings: Settings) -> str:
    deleted = obj["metadata"].get("deletionTimestamp")
    if deleted:
        return f"Terminating (lasts {since(deleted, settings.now)})"
    return (obj.get("status") or {}).get("phase", "")


def describe_persistentvolume(volume: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec = volume["metadata"], volume.get("spec") or {}
    w.line(0, f"Name:\t{meta['name']}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, f"Finalizers:\t{engine.go_list(meta.get('finalizers'))}")
    w.line(0, f"StorageClass:\t{_volume_storage_class(volume)}")
    w.line(0, f"Status:\t{_status_or_terminating(volume, settings)}")
    claim = spec.get("claimRef")
    w.line(0, f"Claim:\t{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else "Claim:\t")
    w.line(0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}")
    w.line(0, f"Access Modes:\t{access_modes(spec.get('accessModes'))}")
    if spec.get("volumeMode") is not None:
        w.line(0, f"VolumeMode:\t{spec['volumeMode']}")
    w.line(0, f"Capacity:\t{canonical((spec.get('capacity') or {}).get('storage', '0'))}")
    _node_affinity(w, spec.get("nodeAffinity"))
    w.line(0, f"Message:\t{(volume.get('status') or {}).get('message', '')}")
    w.line(0, "Source:")
    _volume_source(w, spec)
    engine.events(w, volume, settings)
    return w.text()


def _volume_storage_class(volume: dict) -> str:
    annotation = (volume["metadata"].get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class")
    return annotation if annotation is not None else (volume.get("spec") or {}).get("storageClassName", "")


def _node_affinity(w: Writer, affinity: dict | None) -> None:
    w.write(0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.line(0, "<none>")
        return
    w.line(0)
    terms = required.get("nodeSelectorTerms") or []
    w.write(1, "Required Terms:\t")
    w.line(0, "" if terms else "<none>")
    for index, term in enumerate(terms):
        expressions = term.get("matchExpressions") or []
        w.write(2, f"Term {index}:\t")
        if not expressions:
            w.line(0, "<none>")
        for position, requirement in enumerate(expressions):
            if position:
                w.write(2, "\t")
            text = f"{requirement.get('key', '')} {str(requirement.get('operator', '')).lower()}"
            if requirement.get("values"):
                text += f" [{', '.join(requirement['values'])}]"
            w.line(0, text)


def _volume_source(w: Writer, spec: dict) -> None:
    if spec.get("hostPath") is not None:
        source = spec["hostPath"]
        w.line(2, "Type:\tHostPath (bare host directory volume)")
        w.line(2, f"Path:\t{source.get('path', '')}")
        w.line(2, f"HostPathType:\t{source['type'] if 'type' in source else '<none>'}")
    elif spec.get("local") is not None:
        w.line(2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)")
        w.line(2, f"Path:\t{spec['local'].get('path', '')}")
    elif spec.get("csi") is not None:
        _csi_source(w, spec["csi"])
    else:
        w.line(1, "<unknown>")


def _csi_source(w: Writer, csi: dict) -> None:
    w.line(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)")
    w.line(2, f"Driver:\t{csi.get('driver', '')}")
    w.line(2, f"FSType:\t{csi.get('fsType', '')}")
    w.line(2, f"VolumeHandle:\t{csi.get('volumeHandle', '')}")
    w.line(2, f"ReadOnly:\t{engine.go_bool(csi.get('readOnly'))}")
    attributes = csi.get("volumeAttributes") or {}
    w.write(2, "VolumeAttributes:\t")
    if not attributes:
        w.line(0, "<none>")
    for position, key in enumerate(sorted(attributes)):
        if position:
            w.write(2, "\t")
        w.line(0, f"   {key}={attributes[key]}")


def describe_persistentvolumeclaim(claim: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = claim["metadata"], claim.get("spec") or {}, claim.get("status") or {}
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    w.line(0, f"StorageClass:\t{claim_storage_class(claim)}")
    w.line(0, f"Status:\t{_status_or_terminating(claim, settings)}")
    w.line(0, f"Volume:\t{spec.get('volumeName', '')}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, f"Finalizers:\t{engine.go_list(meta.get('finalizers'))}")
    bound = bool(spec.get("volumeName"))
    capacity = canonical((status.get("capacity") or {}).get("storage", "0")) if bound else ""
    w.line(0, f"Capacity:\t{capacity}")
    w.line(0, f"Access Modes:\t{access_modes(status.get('accessModes')) if bound else ''}")
    if spec.get("volumeMode") is not None:
        w.line(0, f"VolumeMode:\t{spec['volumeMode']}")
    _data_source(w, spec.get("dataSource"))
    _used_by(w, sorted(pod["metadata"]["name"] for pod in _pods_using(claim, settings.cluster)))
    _claim_conditions(w, status.get("conditions"))
    engine.events(w, claim, settings)
    return w.text()


def _data_source(w: Writer, source: dict | None) -> None:
    if source is None:
        return
    w.line(0, "DataSource:")
    if source.get("apiGroup") is not None:
        w.line(1, f"APIGroup:\t{source['apiGroup']}")
    w.line(1, f"Kind:\t{source.get('kind', '')}")
    w.line(1, f"Name:\t{source.get('name', '')}")


def _pods_using(claim: dict, cluster) -> list[dict]:
    """Pods of the claim's namespace with a volume naming the claim (or an ephemeral one it was made for)."""
    name = claim["metadata"]["name"]
    using = []
    for pod in cluster.list("pods", claim["metadata"].get("namespace", "")):
        for volume in (pod.get("spec") or {}).get("volumes") or []:
            by_claim = (volume.get("persistentVolumeClaim") or {}).get("claimName") == name
            by_ephemeral = volume.get("ephemeral") is not None and f"{pod['metadata']['name']}-{volume.get('name')}" == name
            if by_claim or by_ephemeral:
                using.append(pod)
                break
    return using


def _used_by(w: Writer, names: list[str]) -> None:
    w.write(0, "Used By:\t")
    if not names:
        w.line(0, "<none>")
    for position, name in enumerate(names):
        if position:
            w.write(0, "\t")
        w.line(0, name)


def _claim_conditions(w: Writer, conditions: list | None) -> None:
    if not conditions:
        return
    w.line(0, "Conditions:")
    w.line(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage")
    w.line(1, "----\t------\t-----------------\t------------------\t------\t-------")
    for c in conditions:
        w.line(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{engine.rfc1123z(c.get('lastProbeTime'))} \t"
                  f"{engine.rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}")


def describe_storageclass(storage_class: dict, settings: Settings) -> str:
    w = Writer()
    meta = storage_class["metadata"]
    notes = meta.get("annotations") or {}
    is_default = any(notes.get(key) == "true" for key in DEFAULT_CLASS_ANNOTATIONS)
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"IsDefaultClass:\t{'Yes' if is_default else 'No'}")
    w.line(0, f"Annotations:\t{format_labels(notes)}")
    w.line(0, f"Provisioner:\t{storage_class.get('provisioner', '')}")
    w.line(0, f"Parameters:\t{format_labels(storage_class.get('parameters'))}")
    w.line(0, f"AllowVolumeExpansion:\t{engine.bool_pointer(storage_class.get('allowVolumeExpansion'))}")
    options = storage_class.get("mountOptions") or []
    w.line(0, "MountOptions:" + ("" if options else "\t<none>"))
    for option in options:
        w.line(1, option)
    if storage_class.get("reclaimPolicy") is not None:
        w.line(0, f"ReclaimPolicy:\t{storage_class['reclaimPolicy']}")
    if storage_class.get("volumeBindingMode") is not None:
        w.line(0, f"VolumeBindingMode:\t{storage_class['volumeBindingMode']}")
    engine.events(w, storage_class, settings)
    return w.text()
