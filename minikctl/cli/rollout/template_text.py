"""The `Pod Template:` block of `rollout history --revision=N` and `rollout undo --dry-run=client`.

kubectl renders it with describe's DescribePodTemplate through a bare prefix writer, not a tab
writer (kubernetes/kubectl pkg/polymorphichelpers/history.go printTemplate), so the label/value
separators stay literal tab characters here, unlike in `describe`. Field order and wording follow
kubernetes/kubectl pkg/describe/describe.go (DescribePodTemplate, describeContainers,
describeVolumes, printLabelsMultiline, printPodTolerationsMultiline).
"""

from __future__ import annotations

HIDDEN_ANNOTATIONS = {"kubectl.kubernetes.io/last-applied-configuration"}
MAX_ANNOTATION_LENGTH = 140


def pod_template_text(template: dict) -> str:
    metadata = template.get("metadata") or {}
    spec = template.get("spec") or {}
    lines = ["Pod Template:\n", _multiline("  Labels", _label_lines(metadata.get("labels")))]
    if metadata.get("annotations"):
        lines.append(_multiline("  Annotations", _annotation_lines(metadata["annotations"])))
    if spec.get("serviceAccountName"):
        lines.append(f"  Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        lines.append(_containers("Init Containers", spec["initContainers"]))
    lines.append(_containers("Containers", spec.get("containers") or []))
    lines.append(_volumes(spec.get("volumes") or []))
    if spec.get("priorityClassName"):
        lines.append(f"  Priority Class Name:\t{spec['priorityClassName']}\n")
    lines.append(_multiline("  Node-Selectors", _label_lines(spec.get("nodeSelector"))))
    lines.append(_multiline("  Tolerations", [_toleration(t) for t in sorted(spec.get("tolerations") or [],
                                                                             key=lambda t: t.get("key", ""))]))
    return "".join(lines)


def _multiline(title: str, values: list[str]) -> str:
    """`Title:\\tfirst`, then each further value on its own line after a tab; `<none>` when empty."""
    if not values:
        return f"{title}:\t<none>\n"
    return f"{title}:\t" + "\t".join(value + "\n" for value in values)


def _label_lines(labels: dict | None) -> list[str]:
    return [f"{key}={value}" for key, value in sorted((labels or {}).items())]


def _annotation_lines(annotations: dict) -> list[str]:
    lines = []
    for key in sorted(k for k in annotations if k not in HIDDEN_ANNOTATIONS):
        value = str(annotations[key]).removesuffix("\n")
        if len(key) + len(value) + 2 > MAX_ANNOTATION_LENGTH or "\n" in value:
            parts = [_shorten(part) for part in value.split("\n")]
            lines.append(f"{key}:\n" + "".join(f"\t  {part}\n" for part in parts)[:-1])
        else:
            lines.append(f"{key}: {value}")
    return lines


def _shorten(text: str) -> str:
    limit = MAX_ANNOTATION_LENGTH - 2
    return text[:limit] + "..." if len(text) > limit else text


def _toleration(toleration: dict) -> str:
    text = toleration.get("key", "")
    if toleration.get("value"):
        text += f"={toleration['value']}"
    if toleration.get("effect"):
        text += f":{toleration['effect']}"
    if toleration.get("operator") == "Exists" and not toleration.get("value"):
        text += " op=Exists" if toleration.get("key") or toleration.get("effect") else "op=Exists"
    if toleration.get("tolerationSeconds") is not None:
        text += f" for {toleration['tolerationSeconds']}s"
    return text


def _containers(label: str, containers: list[dict]) -> str:
    text = f"  {label}:{' <none>' if not containers else ''}\n"
    return text + "".join(_container(container) for container in containers)


def _container(container: dict) -> str:
    ports = container.get("ports") or []
    port_text = ", ".join(f"{p.get('containerPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
    host_text = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
    lines = [f"   {container.get('name', '')}:\n", f"    Image:\t{container.get('image', '')}\n",
             f"    {'Ports' if ',' in port_text else 'Port'}:\t{port_text or '<none>'}\n",
             f"    {'Host Ports' if ',' in host_text else 'Host Port'}:\t{host_text or '<none>'}\n"]
    for field, title in (("command", "Command"), ("args", "Args")):
        if container.get(field):
            lines.append(f"    {title}:\n")
            lines += [f"      {line}\n" for item in container[field] for line in str(item).split("\n")]
    lines.append(_resources(container.get("resources") or {}))
    lines.append(_environment(container.get("env") or []))
    lines.append(_mounts(container.get("volumeMounts") or []))
    return "".join(lines)


def _resources(resources: dict) -> str:
    text = ""
    for field, title in (("limits", "Limits"), ("requests", "Requests")):
        if resources.get(field):
            text += f"    {title}:\n" + "".join(f"      {name}:\t{value}\n"
                                                for name, value in sorted(resources[field].items()))
    return text


def _environment(env: list[dict]) -> str:
    if not env:
        return "    Environment:\t<none>\n"
    return "    Environment:\n" + "".join(_env_line(variable) for variable in env)


def _env_line(variable: dict) -> str:
    name, source = variable.get("name", ""), variable.get("valueFrom")
    if source is None:
        first, *rest = str(variable.get("value", "")).split("\n")
        return f"      {name}:\t{first}\n" + "".join(f"      \t{line}\n" for line in rest)
    if "fieldRef" in source:
        ref = source["fieldRef"]
        return f"      {name}:\t ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n"
    if "resourceFieldRef" in source:
        return f"      {name}:\t ({source['resourceFieldRef'].get('resource', '')})\n"
    if "secretKeyRef" in source:
        ref = source["secretKeyRef"]
        return (f"      {name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>"
                f"\tOptional: {str(bool(ref.get('optional'))).lower()}\n")
    ref = source.get("configMapKeyRef") or {}
    return (f"      {name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>"
            f"\tOptional: {str(bool(ref.get('optional'))).lower()}\n")


def _mounts(mounts: list[dict]) -> str:
    if not mounts:
        return "    Mounts:\t<none>\n"
    text = "    Mounts:\n"
    for mount in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f'path="{mount["subPath"]}"')
        text += f"      {mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n"
    return text


def _volumes(volumes: list[dict]) -> str:
    if not volumes:
        return "  Volumes:\t<none>\n"
    return "  Volumes:\n" + "".join(f"   {volume.get('name', '')}:\n" + _volume_source(volume) for volume in volumes)


def _volume_source(volume: dict) -> str:
    if "configMap" in volume:
        source = volume["configMap"]
        return ("    Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                f"    Name:\t{source.get('name', '')}\n    Optional:\t{str(bool(source.get('optional'))).lower()}\n")
    if "secret" in volume:
        source = volume["secret"]
        return ("    Type:\tSecret (a volume populated by a Secret)\n"
                f"    SecretName:\t{source.get('secretName', '')}\n"
                f"    Optional:\t{str(bool(source.get('optional'))).lower()}\n")
    if "emptyDir" in volume:
        source = volume["emptyDir"] or {}
        return ("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                f"    Medium:\t{source.get('medium', '')}\n    SizeLimit:\t{source.get('sizeLimit') or '<unset>'}\n")
    if "hostPath" in volume:
        source = volume["hostPath"]
        return ("    Type:\tHostPath (bare host directory volume)\n"
                f"    Path:\t{source.get('path', '')}\n    HostPathType:\t{source.get('type') or '<none>'}\n")
    if "persistentVolumeClaim" in volume:
        source = volume["persistentVolumeClaim"]
        return ("    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
                f"    ClaimName:\t{source.get('claimName', '')}\n"
                f"    ReadOnly:\t{str(bool(source.get('readOnly'))).lower()}\n")
    return "    <unknown>\n"
