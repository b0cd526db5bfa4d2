"""describe pod, and the container, volume and pod-template blocks workloads share.

Layout facts: kubernetes/kubectl pkg/describe/describe.go (describePod, describeContainers,
describeVolumes, DescribePodTemplate, DescribeProbe); ../shared/reference/kubectl-cli.md §9.2, §9.4.
"""

from __future__ import annotations

from minikctl.printers.describe import engine
from minikctl.printers.describe.engine import Settings, Writer
from minikctl.printers.labels import format_label_selector


def describe_pod(pod: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    _scheduling_lines(w, spec, status)
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    _status_lines(w, pod, settings)
    _pod_ips(w, status)
    if engine.controller_of(pod):
        w.line(0, f"Controlled By:\t{engine.controller_of(pod)}")
    if status.get("nominatedNodeName"):
        w.line(0, f"NominatedNodeName:\t{status['nominatedNodeName']}")
    if spec.get("resources"):
        w.line(0, "Resources:")
        engine.resource_lines(w, 1, spec["resources"])
    environment = EnvironmentResolver(pod)
    if spec.get("initContainers"):
        containers(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses"), environment)
    containers(w, "Containers", spec.get("containers"), status.get("containerStatuses"), environment)
    if spec.get("ephemeralContainers"):
        containers(w, "Ephemeral Containers", spec["ephemeralContainers"], status.get("ephemeralContainerStatuses"),
                   environment)
    _readiness_gates(w, spec, status)
    _conditions(w, status.get("conditions"))
    volumes(w, spec.get("volumes"))
    w.line(0, f"QoS Class:\t{status.get('qosClass', '')}")
    engine.labels(w, "Node-Selectors", spec.get("nodeSelector"))
    engine.tolerations(w, "Tolerations", spec.get("tolerations"))
    topology_spread_constraints(w, spec.get("topologySpreadConstraints"))
    engine.events(w, pod, settings)
    return w.text()


def _scheduling_lines(w: Writer, spec: dict, status: dict) -> None:
    if spec.get("priority") is not None:
        w.line(0, f"Priority:\t{spec['priority']}")
    if spec.get("priorityClassName"):
        w.line(0, f"Priority Class Name:\t{spec['priorityClassName']}")
    if spec.get("runtimeClassName"):
        w.line(0, f"Runtime Class Name:\t{spec['runtimeClassName']}")
    if spec.get("serviceAccountName"):
        w.line(0, f"Service Account:\t{spec['serviceAccountName']}")
    node = spec.get("nodeName")
    w.line(0, f"Node:\t{node}/{status.get('hostIP', '')}" if node else "Node:\t<none>")
    if status.get("startTime"):
        w.line(0, f"Start Time:\t{engine.rfc1123z(status['startTime'])}")


def _status_lines(w: Writer, pod: dict, settings: Settings) -> None:
    meta, status = pod["metadata"], pod.get("status") or {}
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        from minikctl.printers.duration import since

        w.line(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], settings.now)})")
        w.line(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s")
    else:
        w.line(0, f"Status:\t{phase}")
    if status.get("reason"):
        w.line(0, f"Reason:\t{status['reason']}")
    if status.get("message"):
        w.line(0, f"Message:\t{status['message']}")
    profile = ((pod.get("spec") or {}).get("securityContext") or {}).get("seccompProfile")
    if profile:
        _seccomp(w, 0, profile)


def _seccomp(w: Writer, level: int, profile: dict) -> None:
    w.line(level, f"SeccompProfile:\t{profile.get('type', '')}")
    if profile.get("type") == "Localhost":
        w.line(level + 1 if level else 0, f"LocalhostProfile:\t{profile.get('localhostProfile', '')}")


def _pod_ips(w: Writer, status: dict) -> None:
    w.line(0, f"IP:\t{status.get('podIP', '')}")
    ips = status.get("podIPs") or []
    if not ips:
        w.line(0, "IPs:\t<none>")
        return
    w.line(0, "IPs:")
    for entry in ips:
        w.line(1, f"IP:\t{entry.get('ip', '')}")


def _readiness_gates(w: Writer, spec: dict, status: dict) -> None:
    gates = spec.get("readinessGates") or []
    if not gates:
        return
    w.line(0, "Readiness Gates:\n  Type\tStatus")
    by_type = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    for gate in gates:
        w.line(1, f"{gate.get('conditionType', '')} \t{by_type.get(gate.get('conditionType'), '<none>')} ")


def _conditions(w: Writer, conditions: list | None) -> None:
    if not conditions:
        return
    w.line(0, "Conditions:\n  Type\tStatus")
    for condition in conditions:
        w.line(1, f"{condition.get('type', '')} \t{condition.get('status', '')} ")


# -- containers --------------------------------------------------------------------------------
class EnvironmentResolver:
    """Resolves `fieldRef` environment values against the pod (EnvValueRetriever); templates have none."""

    def __init__(self, pod: dict | None):
        self.pod = pod

    def field(self, path: str) -> str:
        if self.pod is None:
            return ""
        meta = self.pod["metadata"]
        simple = {"metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
                  "metadata.uid": meta.get("uid"), "spec.nodeName": (self.pod.get("spec") or {}).get("nodeName"),
                  "spec.serviceAccountName": (self.pod.get("spec") or {}).get("serviceAccountName"),
                  "status.podIP": (self.pod.get("status") or {}).get("podIP"),
                  "status.hostIP": (self.pod.get("status") or {}).get("hostIP")}
        if path in simple:
            return simple[path] or ""
        for prefix, mapping in (("metadata.labels", meta.get("labels")), ("metadata.annotations", meta.get("annotations"))):
            if path.startswith(prefix + "['") and path.endswith("']"):
                return (mapping or {}).get(path[len(prefix) + 2:-2], "")
        return ""


def containers(w: Writer, title: str, items: list | None, statuses: list | None,
               environment: EnvironmentResolver, indent: str = "") -> None:
    """One block per container; `indent` is the pod template's extra two spaces."""
    by_name = {status.get("name"): status for status in statuses or []}
    w.line(0, f"{indent}{title}:" + ("" if items else " <none>"))
    for container in items or []:
        status = by_name.get(container.get("name"))
        _container_basics(w, container, status, indent)
        _command_and_args(w, container)
        if status is not None:
            _container_state(w, status)
        engine.resource_lines(w, 2, container.get("resources"))
        _probes(w, container)
        if container.get("envFrom"):
            _environment_from(w, container["envFrom"])
        _environment(w, container, environment)
        _mounts(w, container)


def _container_basics(w: Writer, container: dict, status: dict | None, indent: str) -> None:
    w.line(1, f"{' ' if indent else ''}{container.get('name', '')}:")
    if status is not None:
        w.line(2, f"Container ID:\t{status.get('containerID', '')}")
    w.line(2, f"Image:\t{container.get('image', '')}")
    if status is not None:
        w.line(2, f"Image ID:\t{status.get('imageID', '')}")
    ports = container.get("ports") or []
    container_ports = ", ".join(f"{p.get('containerPort', 0)}/{p.get('protocol', '')}" for p in ports)
    host_ports = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', '')}" for p in ports)
    w.line(2, f"Ports:\t{container_ports}" if "," in container_ports else f"Port:\t{engine.or_none(container_ports)}")
    w.line(2, f"Host Ports:\t{host_ports}" if "," in host_ports else f"Host Port:\t{engine.or_none(host_ports)}")
    profile = (container.get("securityContext") or {}).get("seccompProfile")
    if profile:
        w.line(2, f"SeccompProfile:\t{profile.get('type', '')}")
        if profile.get("type") == "Localhost":
            w.line(3, f"LocalhostProfile:\t{profile.get('localhostProfile', '')}")


def _command_and_args(w: Writer, container: dict) -> None:
    for title, field in (("Command", "command"), ("Args", "args")):
        if container.get(field):
            w.line(2, f"{title}:")
            for item in container[field]:
                for part in str(item).split("\n"):
                    w.line(3, part)


def _container_state(w: Writer, status: dict) -> None:
    _state(w, "State", status.get("state") or {})
    last = status.get("lastState") or {}
    if last.get("terminated"):
        _state(w, "Last State", last)
    w.line(2, f"Ready:\t{engine.title_bool(status.get('ready'))}")
    w.line(2, f"Restart Count:\t{status.get('restartCount', 0)}")


def _state(w: Writer, title: str, state: dict) -> None:
    if state.get("running") is not None:
        w.line(2, f"{title}:\tRunning")
        w.line(3, f"Started:\t{engine.rfc1123z(state['running'].get('startedAt'))}")
    elif state.get("waiting") is not None:
        w.line(2, f"{title}:\tWaiting")
        if state["waiting"].get("reason"):
            w.line(3, f"Reason:\t{state['waiting']['reason']}")
    elif state.get("terminated") is not None:
        _terminated(w, title, state["terminated"])
    else:
        w.line(2, f"{title}:\tWaiting")


def _terminated(w: Writer, title: str, terminated: dict) -> None:
    w.line(2, f"{title}:\tTerminated")
    if terminated.get("reason"):
        w.line(3, f"Reason:\t{terminated['reason']}")
    if terminated.get("message"):
        w.line(3, f"Message:\t{terminated['message']}")
    w.line(3, f"Exit Code:\t{terminated.get('exitCode', 0)}")
    if (terminated.get("signal") or 0) > 0:
        w.line(3, f"Signal:\t{terminated['signal']}")
    w.line(3, f"Started:\t{engine.rfc1123z(terminated.get('startedAt'))}")
    w.line(3, f"Finished:\t{engine.rfc1123z(terminated.get('finishedAt'))}")


def _probes(w: Writer, container: dict) -> None:
    for title, field in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")):
        if container.get(field):
            w.line(2, f"{title}:\t{describe_probe(container[field])}")


def describe_probe(probe: dict) -> str:
    """`http-get http://:80/healthz delay=3s timeout=1s period=10s #success=1 #failure=3` and kin."""
    attributes = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 0)}s "
                  f"period={probe.get('periodSeconds', 0)}s #success={probe.get('successThreshold', 0)} "
                  f"#failure={probe.get('failureThreshold', 0)}")
    if probe.get("exec") is not None:
        return f"exec {engine.go_list(probe['exec'].get('command'))} {attributes}"
    if probe.get("httpGet") is not None:
        return f"http-get {_probe_url(probe['httpGet'])} {attributes}"
    if probe.get("tcpSocket") is not None:
        socket = probe["tcpSocket"]
        return f"tcp-socket {socket.get('host', '')}:{socket.get('port', '')} {attributes}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"]
        return f"grpc <pod>:{grpc.get('port', 0)} {grpc.get('service', '')} {attributes}"
    return f"unknown {attributes}"


def _probe_url(http_get: dict) -> str:
    """What Go's url.URL prints for scheme, host:port and path (IPv6 hosts bracketed)."""
    scheme = str(http_get.get("scheme", "")).lower()
    host = http_get.get("host", "")
    port = str(http_get.get("port", ""))
    if ":" in host:
        host = f"[{host}]"
    authority = f"{host}:{port}" if port else host
    path = http_get.get("path", "")
    if path and not path.startswith("/"):
        path = "/" + path
    return f"{scheme}://{authority}{path}" if scheme else f"//{authority}{path}"


def _environment_from(w: Writer, sources: list) -> None:
    w.line(2, "Environment Variables from:")
    for source in sources:
        reference, kind = (source.get("configMapRef"), "ConfigMap") if source.get("configMapRef") else (
            source.get("secretRef") or {}, "Secret")
        optional = engine.go_bool(reference.get("optional"))
        described = f"{kind} with prefix '{source['prefix']}'" if source.get("prefix") else kind
        w.line(3, f"{reference.get('name', '')}\t{described}\tOptional: {optional}")


def _environment(w: Writer, container: dict, environment: EnvironmentResolver) -> None:
    variables = container.get("env") or []
    w.line(2, "Environment:" + ("" if variables else "\t<none>"))
    for variable in variables:
        name, source = variable.get("name", ""), variable.get("valueFrom")
        if source is None:
            for position, part in enumerate(str(variable.get("value", "")).split("\n")):
                w.line(3, f"{name}:\t{part}" if position == 0 else f"\t{part}")
        elif source.get("fieldRef"):
            field = source["fieldRef"]
            resolved = environment.field(field.get("fieldPath", ""))
            w.line(3, f"{name}:\t{resolved} ({field.get('apiVersion', '')}:{field.get('fieldPath', '')})")
        elif source.get("resourceFieldRef"):
            w.line(3, f"{name}:\t{_resource_field(container, source['resourceFieldRef'])} "
                      f"({source['resourceFieldRef'].get('resource', '')})")
        elif source.get("secretKeyRef"):
            ref = source["secretKeyRef"]
            w.line(3, f"{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>\t"
                      f"Optional: {engine.go_bool(ref.get('optional'))}")
        elif source.get("configMapKeyRef"):
            ref = source["configMapKeyRef"]
            w.line(3, f"{name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>\t"
                      f"Optional: {engine.go_bool(ref.get('optional'))}")


def _resource_field(container: dict, reference: dict) -> str:
    """The container's own limit/request named by a resourceFieldRef; unset limits read `node allocatable`."""
    resource = reference.get("resource", "")
    section, _, name = resource.partition(".")
    value = ((container.get("resources") or {}).get(section) or {}).get(name)
    if value is None and resource in ("limits.cpu", "limits.memory"):
        return "node allocatable"
    return "" if value is None else str(value)


def _mounts(w: Writer, container: dict) -> None:
    mounts = container.get("volumeMounts") or []
    w.line(2, "Mounts:" + ("" if mounts else "\t<none>"))
    for mount in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f'path="{mount["subPath"]}"')
        w.line(3, f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})")
    devices = container.get("volumeDevices") or []
    if devices:
        w.line(2, "Devices:")
        for device in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.line(3, f"{device.get('devicePath', '')} from {device.get('name', '')}")


# -- volumes -----------------------------------------------------------------------------------
def volumes(w: Writer, items: list | None, indent: str = "") -> None:
    if not items:
        w.line(0, f"{indent}Volumes:\t<none>")
        return
    w.line(0, f"{indent}Volumes:")
    for volume in items:
        w.line(1, f"{' ' if indent else ''}{volume.get('name', '')}:")
        _volume_source(w, volume)


_SIMPLE_SOURCES = {
    "configMap": ("ConfigMap (a volume populated by a ConfigMap)", ("Name", "name")),
    "secret": ("Secret (a volume populated by a Secret)", ("SecretName", "secretName")),
}


def _volume_source(w: Writer, volume: dict) -> None:
    if volume.get("hostPath") is not None:
        source = volume["hostPath"]
        w.line(2, "Type:\tHostPath (bare host directory volume)")
        w.line(2, f"Path:\t{source.get('path', '')}")
        w.line(2, f"HostPathType:\t{source.get('type') or '<none>'}" if 'type' in source else "HostPathType:\t<none>")
    elif volume.get("emptyDir") is not None:
        source = volume["emptyDir"]
        w.line(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)")
        w.line(2, f"Medium:\t{source.get('medium', '')}")
        w.line(2, f"SizeLimit:\t{source.get('sizeLimit') or '<unset>'}")
    elif any(volume.get(field) is not None for field in _SIMPLE_SOURCES):
        field = next(field for field in _SIMPLE_SOURCES if volume.get(field) is not None)
        title, (label, key) = _SIMPLE_SOURCES[field]
        w.line(2, f"Type:\t{title}")
        w.line(2, f"{label}:\t{volume[field].get(key, '')}")
        w.line(2, f"Optional:\t{engine.go_bool(volume[field].get('optional'))}")
    elif volume.get("persistentVolumeClaim") is not None:
        claim = volume["persistentVolumeClaim"]
        w.line(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)")
        w.line(2, f"ClaimName:\t{claim.get('claimName', '')}")
        w.line(2, f"ReadOnly:\t{engine.go_bool(claim.get('readOnly'))}")
    elif volume.get("projected") is not None:
        _projected(w, volume["projected"])
    elif volume.get("downwardAPI") is not None:
        _downward_api(w, volume["downwardAPI"])
    else:
        w.line(1, "<unknown>")


def _projected(w: Writer, projected: dict) -> None:
    w.line(2, "Type:\tProjected (a volume that contains injected data from multiple sources)")
    for source in projected.get("sources") or []:
        if source.get("secret") is not None:
            w.line(2, f"SecretName:\t{source['secret'].get('name', '')}")
            w.line(2, f"SecretOptionalName:\t{_optional_pointer(source['secret'])}")
        elif source.get("downwardAPI") is not None:
            w.line(2, "DownwardAPI:\ttrue")
        elif source.get("configMap") is not None:
            w.line(2, f"ConfigMapName:\t{source['configMap'].get('name', '')}")
            w.line(2, f"ConfigMapOptional:\t{_optional_pointer(source['configMap'])}")
        elif source.get("serviceAccountToken") is not None:
            w.line(2, f"TokenExpirationSeconds:\t{source['serviceAccountToken'].get('expirationSeconds', 0)}")


def _optional_pointer(reference: dict) -> str:
    """A *bool printed with %v: kubectl shows the pointer, `<nil>` when unset."""
    return "<nil>" if reference.get("optional") is None else engine.go_bool(reference["optional"])


def _downward_api(w: Writer, source: dict) -> None:
    w.line(2, "Type:\tDownwardAPI (a volume populated by information about the pod)")
    w.line(2, "Items:")
    for item in source.get("items") or []:
        if item.get("fieldRef"):
            w.line(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}")
        if item.get("resourceFieldRef"):
            w.line(3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}")


def topology_spread_constraints(w: Writer, items: list | None, indent: str = "") -> None:
    if not items:
        return
    w.write(0, f"{indent}Topology Spread Constraints:\t")
    for position, constraint in enumerate(sorted(items, key=lambda c: c.get("topologyKey", ""))):
        if position:
            w.write(0, f"{indent}\t")
        text = (f"{constraint.get('topologyKey', '')}:{constraint.get('whenUnsatisfiable', '')} "
                f"when max skew {constraint.get('maxSkew', 0)} is exceeded")
        if constraint.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(constraint['labelSelector'])}"
        w.line(0, text)


# -- pod template ------------------------------------------------------------------------------
def pod_template(w: Writer, template: dict | None) -> None:
    """The `Pod Template:` block of workloads: no statuses, container names one space deeper."""
    w.line(0, "Pod Template:")
    if template is None:
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    engine.labels(w, "Labels", meta.get("labels"), indent="  ")
    if meta.get("annotations"):
        engine.annotations(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.line(1, f"Service Account:\t{spec['serviceAccountName']}")
    template_environment = EnvironmentResolver(None)
    if spec.get("initContainers"):
        containers(w, "Init Containers", spec["initContainers"], None, template_environment, indent="  ")
    containers(w, "Containers", spec.get("containers"), None, template_environment, indent="  ")
    volumes(w, spec.get("volumes"), indent="  ")
    topology_spread_constraints(w, spec.get("topologySpreadConstraints"), indent="  ")
    if spec.get("priorityClassName"):
        w.line(1, f"Priority Class Name:\t{spec['priorityClassName']}")
    engine.labels(w, "Node-Selectors", spec.get("nodeSelector"), indent="  ")
    engine.tolerations(w, "Tolerations", spec.get("tolerations"), indent="  ")
