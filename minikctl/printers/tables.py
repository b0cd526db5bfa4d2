"""The server half of `kubectl get`: per-kind columns and the cell each one shows.

A kube-apiserver answers a table request with column definitions (name, priority 1 = `-o wide`
only) and one row of cells per object. The definitions and cell rules here follow
kubernetes/kubernetes pkg/printers/internalversion/printers.go (AddHandlers and the print*
functions) as described in ../shared/reference/kubectl-cli.md §5; kinds without a printer get the
default table of kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/registry/rest/table.go.
Every cell is a string; decorations (NAMESPACE, labels, kind prefix) live in table_printer.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from minikctl.core.clock import parse_time
from minikctl.printers.duration import human_duration, since
from minikctl.printers.labels import InvalidSelector, format_label_selector, format_labels, selector_string


class CellContext:
    """What every cell may use; tally holds the pod walk that READY, STATUS and RESTARTS share."""

    __slots__ = ("now", "wide", "tally_of")

    def __init__(self, now: datetime, wide: bool):
        self.now, self.wide = now, wide
        self.tally_of: tuple[dict, _PodTally] | None = None

    def pod_tally(self, pod: dict) -> "_PodTally":
        if self.tally_of is None or self.tally_of[0] is not pod:
            self.tally_of = (pod, _pod_tally(pod))
        return self.tally_of[1]


Cell = Callable[[dict, CellContext], str]


class Column:
    """is_name marks the column kubectl prefixes with the kind (`deployment.apps/web`)."""

    __slots__ = ("header", "cell", "wide", "is_name")

    def __init__(self, header: str, cell: Cell, wide: bool = False, is_name: bool = False):
        self.header, self.cell, self.wide, self.is_name = header, cell, wide, is_name


def columns_for(kind_key: str, wide: bool) -> list[Column]:
    """The columns a 1.32 server sends for a resource (`pods`, `deployments.apps`), wide-filtered."""
    return [column for column in COLUMNS.get(kind_key, DEFAULT_COLUMNS) if wide or not column.wide]


# -- small accessors ---------------------------------------------------------------------------

def _dig(obj: dict | None, *path: str, default=None):
    for key in path:
        if not isinstance(obj, dict) or obj.get(key) is None:
            return default
        obj = obj[key]
    return obj


def _count(obj: dict, *path: str) -> str:
    """An integer field, 0 when unset (Go's zero value)."""
    return str(_dig(obj, *path, default=0))


def _name(obj: dict, ctx: CellContext) -> str:
    return _dig(obj, "metadata", "name", default="")


def _age(obj: dict, ctx: CellContext) -> str:
    return since(_dig(obj, "metadata", "creationTimestamp"), ctx.now)


def _is_deleting(obj: dict) -> bool:
    return _dig(obj, "metadata", "deletionTimestamp") is not None


def _has_true_condition(obj: dict, condition_type: str) -> bool:
    """True when the first condition of that type has status True."""
    for condition in _dig(obj, "status", "conditions", default=[]):
        if condition.get("type") == condition_type:
            return condition.get("status") == "True"
    return False


def _quantity(value) -> str:
    """A resource.Quantity as Go prints it; a nil quantity prints `<nil>`."""
    return "<nil>" if value is None else str(value)


def _name_column() -> Column:
    return Column("NAME", _name, is_name=True)


def _age_column() -> Column:
    return Column("AGE", _age)


# -- pod templates -----------------------------------------------------------------------------

def _template_containers(template_path: tuple[str, ...]) -> tuple[Column, Column]:
    """CONTAINERS and IMAGES (wide) of the pod template found at `template_path`."""
    def containers(obj: dict) -> list[dict]:
        return _dig(obj, *template_path, "spec", "containers", default=[])

    return (
        Column("CONTAINERS", lambda obj, ctx: ",".join(c.get("name", "") for c in containers(obj)), wide=True),
        Column("IMAGES", lambda obj, ctx: ",".join(c.get("image", "") for c in containers(obj)), wide=True),
    )


TEMPLATE = ("spec", "template")


def _label_selector_column(*path: str) -> Column:
    return Column("SELECTOR", lambda obj, ctx: format_label_selector(_dig(obj, *path)), wide=True)


# -- pods --------------------------------------------------------------------------------------

class _PodTally:
    """What the pod READY / STATUS / RESTARTS walk accumulates (§5.1)."""

    def __init__(self, reason: str):
        self.reason = reason
        self.ready = 0
        self.restarts = 0
        self.last_restart: datetime | None = None
        self.sidecar_restarts = 0
        self.sidecar_last_restart: datetime | None = None


def _later(current: datetime | None, status: dict) -> datetime | None:
    finished = parse_time(_dig(status, "lastState", "terminated", "finishedAt"))
    if finished is not None and (current is None or finished > current):
        return finished
    return current


def _exit_reason(terminated: dict) -> str:
    signal = terminated.get("signal") or 0
    return f"Signal:{signal}" if signal else f"ExitCode:{terminated.get('exitCode', 0)}"


def _sidecar_names(pod: dict) -> set[str]:
    """Init containers with restartPolicy Always: sidecars that count as regular containers."""
    return {c.get("name") for c in _dig(pod, "spec", "initContainers", default=[])
            if c.get("restartPolicy") == "Always"}


def _walk_init_containers(pod: dict, tally: _PodTally, sidecars: set[str]) -> bool:
    """Applies init container statuses in order; returns True while the pod is initializing."""
    init_count = len(_dig(pod, "spec", "initContainers", default=[]))
    for index, status in enumerate(_dig(pod, "status", "initContainerStatuses", default=[])):
        is_sidecar = status.get("name") in sidecars
        tally.restarts += status.get("restartCount", 0)
        tally.last_restart = _later(tally.last_restart, status)
        if is_sidecar:
            tally.sidecar_restarts += status.get("restartCount", 0)
            tally.sidecar_last_restart = _later(tally.sidecar_last_restart, status)
        terminated = _dig(status, "state", "terminated")
        waiting_reason = _dig(status, "state", "waiting", "reason", default="")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if is_sidecar and status.get("started"):
            tally.ready += 1 if status.get("ready") else 0
            continue
        if terminated is not None:
            tally.reason = "Init:" + (terminated.get("reason") or _exit_reason(terminated))
        elif waiting_reason and waiting_reason != "PodInitializing":
            tally.reason = "Init:" + waiting_reason
        else:
            tally.reason = f"Init:{index}/{init_count}"
        return True
    return False


def _walk_containers(pod: dict, tally: _PodTally) -> None:
    """Applies container statuses last to first, so the first container's state wins."""
    tally.restarts = tally.sidecar_restarts
    tally.last_restart = tally.sidecar_last_restart
    has_running = False
    for status in reversed(_dig(pod, "status", "containerStatuses", default=[])):
        tally.restarts += status.get("restartCount", 0)
        tally.last_restart = _later(tally.last_restart, status)
        waiting_reason = _dig(status, "state", "waiting", "reason", default="")
        terminated = _dig(status, "state", "terminated")
        if waiting_reason:
            tally.reason = waiting_reason
        elif terminated is not None:
            tally.reason = terminated.get("reason") or _exit_reason(terminated)
        elif status.get("ready") and _dig(status, "state", "running") is not None:
            has_running = True
            tally.ready += 1
    if tally.reason == "Completed" and has_running:
        tally.reason = "Running" if _has_ready_condition(pod) else "NotReady"


def _has_ready_condition(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in _dig(pod, "status", "conditions", default=[]))


def _initial_reason(pod: dict) -> str:
    reason = _dig(pod, "status", "reason") or _dig(pod, "status", "phase", default="")
    for condition in _dig(pod, "status", "conditions", default=[]):
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    return reason


def _pod_tally(pod: dict) -> _PodTally:
    tally = _PodTally(reason=_initial_reason(pod))
    initializing = _walk_init_containers(pod, tally, _sidecar_names(pod))
    if not initializing or _has_true_condition(pod, "Initialized"):
        _walk_containers(pod, tally)
    if _is_deleting(pod):
        if _dig(pod, "status", "reason") == "NodeLost":
            tally.reason = "Unknown"
        elif _dig(pod, "status", "phase") not in ("Succeeded", "Failed"):
            tally.reason = "Terminating"
    return tally


def _pod_ready(pod: dict, ctx: CellContext) -> str:
    total = len(_dig(pod, "spec", "containers", default=[])) + len(_sidecar_names(pod))
    return f"{ctx.pod_tally(pod).ready}/{total}"


def _pod_status(pod: dict, ctx: CellContext) -> str:
    return ctx.pod_tally(pod).reason


def _pod_restarts(pod: dict, ctx: CellContext) -> str:
    tally = ctx.pod_tally(pod)
    if tally.restarts and tally.last_restart is not None:
        return f"{tally.restarts} ({human_duration(ctx.now - tally.last_restart)} ago)"
    return str(tally.restarts)


def _pod_ip(pod: dict, ctx: CellContext) -> str:
    pod_ips = _dig(pod, "status", "podIPs", default=[])
    return (pod_ips[0].get("ip") if pod_ips else "") or "<none>"


def _readiness_gates(pod: dict, ctx: CellContext) -> str:
    gates = _dig(pod, "spec", "readinessGates", default=[])
    if not gates:
        return "<none>"
    passed = sum(1 for gate in gates if _has_true_condition(pod, gate.get("conditionType")))
    return f"{passed}/{len(gates)}"


# -- workloads ---------------------------------------------------------------------------------

def _desired_replicas(obj: dict) -> int:
    """spec.replicas; the API server defaults it to 1."""
    return _dig(obj, "spec", "replicas", default=1)


def _ready_of_desired(obj: dict, ctx: CellContext) -> str:
    return f"{_dig(obj, 'status', 'readyReplicas', default=0)}/{_desired_replicas(obj)}"


def _deployment_selector(obj: dict, ctx: CellContext) -> str:
    """Deployments print the selector string as is (empty for none), `<invalid>` when unparsable."""
    try:
        return selector_string(_dig(obj, "spec", "selector"))
    except InvalidSelector:
        return "<invalid>"


def _job_status(job: dict, ctx: CellContext) -> str:
    if _has_true_condition(job, "Complete"):
        return "Complete"
    if _has_true_condition(job, "Failed"):
        return "Failed"
    if _is_deleting(job):
        return "Terminating"
    if _has_true_condition(job, "Suspended"):
        return "Suspended"
    if _has_true_condition(job, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def _job_completions(job: dict, ctx: CellContext) -> str:
    succeeded = _dig(job, "status", "succeeded", default=0)
    completions = _dig(job, "spec", "completions")
    if completions is not None:
        return f"{succeeded}/{completions}"
    parallelism = _dig(job, "spec", "parallelism", default=0)
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _job_duration(job: dict, ctx: CellContext) -> str:
    started = parse_time(_dig(job, "status", "startTime"))
    if started is None:
        return ""
    completed = parse_time(_dig(job, "status", "completionTime"))
    return human_duration((completed or ctx.now) - started)


def _bool_pointer(value) -> str:
    """printers.go printBoolPtr: `True`/`False`, `<unset>` for nil."""
    if value is None:
        return "<unset>"
    return "True" if value else "False"


def _last_schedule(cronjob: dict, ctx: CellContext) -> str:
    last = _dig(cronjob, "status", "lastScheduleTime")
    return since(last, ctx.now) if last else "<none>"


def _revision_controller(revision: dict, ctx: CellContext) -> str:
    """`daemonset.apps/kindnet`: the controlling owner as lower(Kind[.group])/name."""
    for owner in _dig(revision, "metadata", "ownerReferences", default=[]):
        if owner.get("controller"):
            group = owner.get("apiVersion", "").rpartition("/")[0]
            kind = owner.get("kind", "").lower()
            return f"{kind}.{group}/{owner.get('name')}" if group else f"{kind}/{owner.get('name')}"
    return "<none>"


# -- services and endpoints --------------------------------------------------------------------

LOAD_BALANCER_WIDTH = 16


def _cluster_ip(service: dict, ctx: CellContext) -> str:
    """spec.clusterIPs[0]; `None` for headless services, `<none>` without an address."""
    addresses = _dig(service, "spec", "clusterIPs") or [_dig(service, "spec", "clusterIP", default="")]
    return addresses[0] or "<none>"


def _load_balancer_addresses(service: dict, wide: bool) -> str:
    found = {ingress.get("ip") or ingress.get("hostname")
             for ingress in _dig(service, "status", "loadBalancer", "ingress", default=[])}
    text = ",".join(sorted(address for address in found if address))
    if not wide and len(text) > LOAD_BALANCER_WIDTH:
        return text[:LOAD_BALANCER_WIDTH - 3] + "..."
    return text


def _external_ip(service: dict, ctx: CellContext) -> str:
    service_type = _dig(service, "spec", "type", default="ClusterIP")
    external_ips = _dig(service, "spec", "externalIPs", default=[])
    if service_type in ("ClusterIP", "NodePort"):
        return ",".join(external_ips) or "<none>"
    if service_type == "LoadBalancer":
        balancer = _load_balancer_addresses(service, ctx.wide)
        if external_ips:
            return ",".join(([balancer] if balancer else []) + external_ips)
        return balancer or "<pending>"
    if service_type == "ExternalName":
        return _dig(service, "spec", "externalName", default="")
    return "<unknown>"


def _service_port(port: dict) -> str:
    protocol = port.get("protocol", "TCP")
    if port.get("nodePort", 0) > 0:
        return f"{port.get('port')}:{port['nodePort']}/{protocol}"
    return f"{port.get('port')}/{protocol}"


def _service_ports(service: dict, ctx: CellContext) -> str:
    return ",".join(_service_port(p) for p in _dig(service, "spec", "ports", default=[])) or "<none>"


def _host_port(ip: str, port) -> str:
    """Go's net.JoinHostPort: IPv6 addresses in brackets."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _with_more(entries: list[str], total: int, limit: int, separator: str) -> str:
    """The first `limit` entries, then ` + <n> more...` for the rest."""
    text = separator.join(entries[:limit])
    return f"{text} + {total - limit} more..." if total > limit else text


def _endpoint_addresses(endpoints: dict) -> list[str]:
    entries = []
    for subset in endpoints.get("subsets") or []:
        ips = [address.get("ip", "") for address in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        if not ports:
            entries += ips
        for port in ports:
            entries += [_host_port(ip, port.get("port")) for ip in ips]
    return entries


def _endpoints(endpoints: dict, ctx: CellContext) -> str:
    if not endpoints.get("subsets"):
        return "<none>"
    entries = _endpoint_addresses(endpoints)
    return _with_more(entries, len(entries), 3, ",")


def _slice_list(entries: list[str]) -> str:
    """printers.go listWithMoreString: `<unset>` when there is nothing to list."""
    return _with_more(entries, len(entries), 3, ",") or "<unset>"


def _slice_port(port: dict) -> str:
    if port.get("port") is not None:
        return str(port["port"])
    return port.get("name") if port.get("name") is not None else "*"


def _slice_ports(endpoint_slice: dict, ctx: CellContext) -> str:
    return _slice_list([_slice_port(port) for port in endpoint_slice.get("ports") or []])


def _slice_endpoints(endpoint_slice: dict, ctx: CellContext) -> str:
    return _slice_list([address for endpoint in endpoint_slice.get("endpoints") or []
                        for address in endpoint.get("addresses") or []])


# -- nodes -------------------------------------------------------------------------------------

NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_ROLE_LABEL = "kubernetes.io/role"


def _node_status(node: dict, ctx: CellContext) -> str:
    ready = [c for c in _dig(node, "status", "conditions", default=[]) if c.get("type") == "Ready"]
    if not ready:
        status = "Unknown"
    else:
        status = "Ready" if ready[-1].get("status") == "True" else "NotReady"
    return status + ",SchedulingDisabled" if _dig(node, "spec", "unschedulable") else status


def _node_roles(node: dict, ctx: CellContext) -> str:
    roles = set()
    for key, value in (_dig(node, "metadata", "labels", default={})).items():
        if key.startswith(NODE_ROLE_PREFIX) and key[len(NODE_ROLE_PREFIX):]:
            roles.add(key[len(NODE_ROLE_PREFIX):])
        elif key == NODE_ROLE_LABEL and value:
            roles.add(value)
    return ",".join(sorted(roles)) or "<none>"


def _node_address(address_type: str) -> Cell:
    def cell(node: dict, ctx: CellContext) -> str:
        for address in _dig(node, "status", "addresses", default=[]):
            if address.get("type") == address_type:
                return address.get("address", "")
        return "<none>"
    return cell


def _node_info(field: str) -> Cell:
    return lambda node, ctx: _dig(node, "status", "nodeInfo", field, default="") or "<unknown>"


# -- storage -----------------------------------------------------------------------------------

ACCESS_MODE_ABBREVIATIONS = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"),
                             ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"))
BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
DEFAULT_CLASS_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class",
                             "storageclass.beta.kubernetes.io/is-default-class")


def _access_modes(modes: list[str] | None) -> str:
    present = set(modes or [])
    return ",".join(short for mode, short in ACCESS_MODE_ABBREVIATIONS if mode in present)


def _storage_class_of(obj: dict, ctx: CellContext) -> str:
    """The beta annotation wins over spec.storageClassName (PVs and PVCs alike)."""
    annotations = _dig(obj, "metadata", "annotations", default={})
    if BETA_STORAGE_CLASS_ANNOTATION in annotations:
        return annotations[BETA_STORAGE_CLASS_ANNOTATION]
    return _dig(obj, "spec", "storageClassName", default="")


def _phase_or_terminating(obj: dict, ctx: CellContext) -> str:
    return "Terminating" if _is_deleting(obj) else _dig(obj, "status", "phase", default="")


def _unset_or(*path: str) -> Cell:
    return lambda obj, ctx: _dig(obj, *path, default="<unset>")


def _claim_is_bound(claim: dict) -> bool:
    return bool(_dig(claim, "spec", "volumeName"))


def _claim_capacity(claim: dict, ctx: CellContext) -> str:
    return _quantity(_dig(claim, "status", "capacity", "storage", default=0)) if _claim_is_bound(claim) else ""


def _claim_access_modes(claim: dict, ctx: CellContext) -> str:
    return _access_modes(_dig(claim, "status", "accessModes")) if _claim_is_bound(claim) else ""


def _volume_claim(volume: dict, ctx: CellContext) -> str:
    claim = _dig(volume, "spec", "claimRef")
    return f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""


def _storage_class_name(storage_class: dict, ctx: CellContext) -> str:
    annotations = _dig(storage_class, "metadata", "annotations", default={})
    is_default = any(annotations.get(key) == "true" for key in DEFAULT_CLASS_ANNOTATIONS)
    return _name(storage_class, ctx) + (" (default)" if is_default else "")


# -- quotas, RBAC, policies, autoscaling -------------------------------------------------------

def _quota_usage(limits: bool) -> Cell:
    """`requests.cpu: 0/1, pods: 2/10`: status.hard by name, split on the `limits.` prefix."""
    def cell(quota: dict, ctx: CellContext) -> str:
        hard = _dig(quota, "status", "hard", default={})
        used = _dig(quota, "status", "used", default={})
        return ", ".join(f"{name}: {_quantity(used.get(name, 0))}/{_quantity(hard[name])}"
                         for name in sorted(hard) if _is_limit(name) == limits)
    return cell


def _is_limit(resource_name: str) -> bool:
    pieces = resource_name.split(".")
    return len(pieces) > 1 and pieces[0] == "limits"


def _role_ref(binding: dict, ctx: CellContext) -> str:
    return f"{_dig(binding, 'roleRef', 'kind', default='')}/{_dig(binding, 'roleRef', 'name', default='')}"


def _subjects(kind: str) -> Cell:
    """Subjects of one kind joined by `, `; service accounts as namespace/name."""
    def label(subject: dict) -> str:
        if kind == "ServiceAccount" and subject.get("namespace"):
            return f"{subject['namespace']}/{subject.get('name', '')}"
        return subject.get("name", "")

    return lambda binding, ctx: ", ".join(
        label(subject) for subject in binding.get("subjects") or [] if subject.get("kind") == kind)


def _hpa_reference(hpa: dict, ctx: CellContext) -> str:
    target = _dig(hpa, "spec", "scaleTargetRef", default={})
    return f"{target.get('kind', '')}/{target.get('name', '')}"


def _percent(value) -> str:
    return f"{value}%"


METRIC_SOURCE_FIELDS = {"Resource": "resource", "ContainerResource": "containerResource", "Pods": "pods",
                        "Object": "object", "External": "external"}


def _resource_metric(name: str, target: dict, current: dict, known: bool) -> str:
    """`cpu: 45%/80%` for utilization targets, `memory: 120Mi/200Mi` for average values."""
    if target.get("averageValue") is not None:
        current_text = _quantity(current.get("averageValue")) if known else "<unknown>"
        return f"{name}: {current_text}/{_quantity(target['averageValue'])}"
    utilization = current.get("averageUtilization")
    current_text = _percent(utilization) if utilization is not None else "<unknown>"
    target_text = _percent(target["averageUtilization"]) if target.get("averageUtilization") is not None else "<auto>"
    return f"{name}: {current_text}/{target_text}"


def _value_metric(target: dict, current: dict, known: bool) -> str:
    """Object and External metrics; `(avg)` marks a per-pod average target."""
    if target.get("averageValue") is not None:
        average = current.get("averageValue")
        current_text = _quantity(average) if average is not None else "<unknown>"
        return f"{current_text}/{_quantity(target['averageValue'])} (avg)"
    current_text = _quantity(current.get("value")) if known else "<unknown>"
    return f"{current_text}/{_quantity(target.get('value'))}"


def _hpa_metric(spec: dict, status: dict | None) -> str:
    """One TARGETS entry: the spec's target beside the status reported at the same index."""
    field = METRIC_SOURCE_FIELDS.get(spec.get("type", ""))
    if field is None:
        return "<unknown type>"
    source = spec.get(field) or {}
    target = source.get("target") or {}
    reported = _dig(status, field)
    current = (reported or {}).get("current") or {}
    known = reported is not None
    if field in ("resource", "containerResource"):
        return _resource_metric(source.get("name", ""), target, current, known)
    if field == "pods":
        current_text = _quantity(current.get("averageValue")) if known else "<unknown>"
        return f"{current_text}/{_quantity(target.get('averageValue'))}"
    return _value_metric(target, current, known)


def _hpa_targets(hpa: dict, ctx: CellContext) -> str:
    specs = _dig(hpa, "spec", "metrics", default=[])
    if not specs:
        return "<none>"
    statuses = _dig(hpa, "status", "currentMetrics", default=[])
    entries = [_hpa_metric(spec, statuses[i] if i < len(statuses) else None) for i, spec in enumerate(specs)]
    return _with_more(entries, len(entries), 2, ", ")


# -- events ------------------------------------------------------------------------------------

def _event_first_seen(event: dict, ctx: CellContext) -> str:
    return since(event.get("firstTimestamp") or event.get("eventTime"), ctx.now)


def _event_last_seen(event: dict, ctx: CellContext) -> str:
    if event.get("series"):
        return since(_dig(event, "series", "lastObservedTime"), ctx.now)
    if event.get("lastTimestamp"):
        return since(event["lastTimestamp"], ctx.now)
    return _event_first_seen(event, ctx)


def _event_object(event: dict, ctx: CellContext) -> str:
    kind = _dig(event, "involvedObject", "kind", default="").lower()
    name = _dig(event, "involvedObject", "name", default="")
    return f"{kind}/{name}" if name else kind


def _event_source(event: dict, ctx: CellContext) -> str:
    component = _dig(event, "source", "component") or event.get("reportingComponent") or ""
    instance = _dig(event, "source", "host") or event.get("reportingInstance") or ""
    return f"{component}, {instance}" if instance else component


def _event_count(event: dict, ctx: CellContext) -> str:
    if event.get("series"):
        return _count(event, "series", "count")
    return str(event.get("count") or 1)


# -- the column tables -------------------------------------------------------------------------

def _field(*path: str) -> Cell:
    return lambda obj, ctx: str(_dig(obj, *path, default=""))


def _number(*path: str) -> Cell:
    return lambda obj, ctx: _count(obj, *path)


def _length(*path: str) -> Cell:
    return lambda obj, ctx: str(sum(len(_dig(obj, p, default={})) for p in path))


def _labels_at(*path: str) -> Cell:
    return lambda obj, ctx: format_labels(_dig(obj, *path))


def _created_at(obj: dict, ctx: CellContext) -> str:
    """RFC 3339 in UTC; Go's zero time when the timestamp is missing."""
    moment = parse_time(_dig(obj, "metadata", "creationTimestamp"))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else "0001-01-01T00:00:00Z"


def _apiservice_service(apiservice: dict, ctx: CellContext) -> str:
    """`namespace/name` of the backing Service, `Local` for the API server's own groups
    (kubernetes/kube-aggregator pkg/registry/apiservice/etcd/etcd.go ConvertToTable)."""
    service = _dig(apiservice, "spec", "service")
    return f"{service.get('namespace', '')}/{service.get('name', '')}" if service else "Local"


def _apiservice_available(apiservice: dict, ctx: CellContext) -> str:
    for entry in _dig(apiservice, "status", "conditions", default=[]) or ():
        if entry.get("type") == "Available":
            if entry.get("status") == "True":
                return "True"
            return f"{entry.get('status', 'Unknown')} ({entry.get('reason', '')})"
    return "Unknown"


JOB_TEMPLATE = ("spec", "jobTemplate", "spec", "template")

DEFAULT_COLUMNS = (_name_column(), Column("CREATED AT", _created_at))

COLUMNS: dict[str, tuple[Column, ...]] = {
    "pods": (
        _name_column(),
        Column("READY", _pod_ready),
        Column("STATUS", _pod_status),
        Column("RESTARTS", _pod_restarts),
        _age_column(),
        Column("IP", _pod_ip, wide=True),
        Column("NODE", lambda pod, ctx: _dig(pod, "spec", "nodeName") or "<none>", wide=True),
        Column("NOMINATED NODE", lambda pod, ctx: _dig(pod, "status", "nominatedNodeName") or "<none>", wide=True),
        Column("READINESS GATES", _readiness_gates, wide=True),
    ),
    "deployments.apps": (
        _name_column(),
        Column("READY", _ready_of_desired),
        Column("UP-TO-DATE", _number("status", "updatedReplicas")),
        Column("AVAILABLE", _number("status", "availableReplicas")),
        _age_column(),
        *_template_containers(TEMPLATE),
        Column("SELECTOR", _deployment_selector, wide=True),
    ),
    "replicasets.apps": (
        _name_column(),
        Column("DESIRED", lambda rs, ctx: str(_desired_replicas(rs))),
        Column("CURRENT", _number("status", "replicas")),
        Column("READY", _number("status", "readyReplicas")),
        _age_column(),
        *_template_containers(TEMPLATE),
        _label_selector_column("spec", "selector"),
    ),
    "replicationcontrollers": (
        _name_column(),
        Column("DESIRED", lambda rc, ctx: str(_desired_replicas(rc))),
        Column("CURRENT", _number("status", "replicas")),
        Column("READY", _number("status", "readyReplicas")),
        _age_column(),
        *_template_containers(TEMPLATE),
        Column("SELECTOR", _labels_at("spec", "selector"), wide=True),
    ),
    "statefulsets.apps": (
        _name_column(),
        Column("READY", _ready_of_desired),
        _age_column(),
        *_template_containers(TEMPLATE),
    ),
    "daemonsets.apps": (
        _name_column(),
        Column("DESIRED", _number("status", "desiredNumberScheduled")),
        Column("CURRENT", _number("status", "currentNumberScheduled")),
        Column("READY", _number("status", "numberReady")),
        Column("UP-TO-DATE", _number("status", "updatedNumberScheduled")),
        Column("AVAILABLE", _number("status", "numberAvailable")),
        Column("NODE SELECTOR", _labels_at(*TEMPLATE, "spec", "nodeSelector")),
        _age_column(),
        *_template_containers(TEMPLATE),
        _label_selector_column("spec", "selector"),
    ),
    "jobs.batch": (
        _name_column(),
        Column("STATUS", _job_status),
        Column("COMPLETIONS", _job_completions),
        Column("DURATION", _job_duration),
        _age_column(),
        *_template_containers(TEMPLATE),
        _label_selector_column("spec", "selector"),
    ),
    "cronjobs.batch": (
        _name_column(),
        Column("SCHEDULE", _field("spec", "schedule")),
        Column("TIMEZONE", lambda cj, ctx: _dig(cj, "spec", "timeZone", default="<none>")),
        Column("SUSPEND", lambda cj, ctx: _bool_pointer(_dig(cj, "spec", "suspend"))),
        Column("ACTIVE", lambda cj, ctx: str(len(_dig(cj, "status", "active", default=[])))),
        Column("LAST SCHEDULE", _last_schedule),
        _age_column(),
        *_template_containers(JOB_TEMPLATE),
        _label_selector_column("spec", "jobTemplate", "spec", "selector"),
    ),
    "services": (
        _name_column(),
        Column("TYPE", _field("spec", "type")),
        Column("CLUSTER-IP", _cluster_ip),
        Column("EXTERNAL-IP", _external_ip),
        Column("PORT(S)", _service_ports),
        _age_column(),
        Column("SELECTOR", _labels_at("spec", "selector"), wide=True),
    ),
    "endpoints": (
        _name_column(),
        Column("ENDPOINTS", _endpoints),
        _age_column(),
    ),
    "endpointslices.discovery.k8s.io": (
        _name_column(),
        Column("ADDRESSTYPE", _field("addressType")),
        Column("PORTS", _slice_ports),
        Column("ENDPOINTS", _slice_endpoints),
        _age_column(),
    ),
    "namespaces": (
        _name_column(),
        Column("STATUS", _field("status", "phase")),
        _age_column(),
    ),
    "configmaps": (
        _name_column(),
        Column("DATA", _length("data", "binaryData")),
        _age_column(),
    ),
    "secrets": (
        _name_column(),
        Column("TYPE", _field("type")),
        Column("DATA", _length("data")),
        _age_column(),
    ),
    "serviceaccounts": (
        _name_column(),
        Column("SECRETS", lambda sa, ctx: str(len(sa.get("secrets") or []))),
        _age_column(),
    ),
    "nodes": (
        _name_column(),
        Column("STATUS", _node_status),
        Column("ROLES", _node_roles),
        _age_column(),
        Column("VERSION", _field("status", "nodeInfo", "kubeletVersion")),
        Column("INTERNAL-IP", _node_address("InternalIP"), wide=True),
        Column("EXTERNAL-IP", _node_address("ExternalIP"), wide=True),
        Column("OS-IMAGE", _node_info("osImage"), wide=True),
        Column("KERNEL-VERSION", _node_info("kernelVersion"), wide=True),
        Column("CONTAINER-RUNTIME", _node_info("containerRuntimeVersion"), wide=True),
    ),
    "persistentvolumeclaims": (
        _name_column(),
        Column("STATUS", _phase_or_terminating),
        Column("VOLUME", _field("spec", "volumeName")),
        Column("CAPACITY", _claim_capacity),
        Column("ACCESS MODES", _claim_access_modes),
        Column("STORAGECLASS", _storage_class_of),
        Column("VOLUMEATTRIBUTESCLASS", _unset_or("spec", "volumeAttributesClassName")),
        _age_column(),
        Column("VOLUMEMODE", _unset_or("spec", "volumeMode"), wide=True),
    ),
    "persistentvolumes": (
        _name_column(),
        Column("CAPACITY", lambda pv, ctx: _quantity(_dig(pv, "spec", "capacity", "storage", default=0))),
        Column("ACCESS MODES", lambda pv, ctx: _access_modes(_dig(pv, "spec", "accessModes"))),
        Column("RECLAIM POLICY", _field("spec", "persistentVolumeReclaimPolicy")),
        Column("STATUS", _phase_or_terminating),
        Column("CLAIM", _volume_claim),
        Column("STORAGECLASS", _storage_class_of),
        Column("VOLUMEATTRIBUTESCLASS", _unset_or("spec", "volumeAttributesClassName")),
        Column("REASON", _field("status", "reason")),
        _age_column(),
        Column("VOLUMEMODE", _unset_or("spec", "volumeMode"), wide=True),
    ),
    "storageclasses.storage.k8s.io": (
        Column("NAME", _storage_class_name, is_name=True),
        Column("PROVISIONER", _field("provisioner")),
        Column("RECLAIMPOLICY", lambda sc, ctx: sc.get("reclaimPolicy") or "Delete"),
        Column("VOLUMEBINDINGMODE", lambda sc, ctx: sc.get("volumeBindingMode") or "Immediate"),
        Column("ALLOWVOLUMEEXPANSION", lambda sc, ctx: "true" if sc.get("allowVolumeExpansion") else "false"),
        _age_column(),
    ),
    # 1.32 servers put AGE second; 1.33 moved it last (kubernetes/kubernetes PR 129419).
    "resourcequotas": (
        _name_column(),
        _age_column(),
        Column("REQUEST", _quota_usage(limits=False)),
        Column("LIMIT", _quota_usage(limits=True)),
    ),
    "rolebindings.rbac.authorization.k8s.io": (
        _name_column(),
        Column("ROLE", _role_ref),
        _age_column(),
        Column("USERS", _subjects("User"), wide=True),
        Column("GROUPS", _subjects("Group"), wide=True),
        Column("SERVICEACCOUNTS", _subjects("ServiceAccount"), wide=True),
    ),
    "networkpolicies.networking.k8s.io": (
        _name_column(),
        Column("POD-SELECTOR", lambda np, ctx: format_label_selector(_dig(np, "spec", "podSelector"))),
        _age_column(),
    ),
    "horizontalpodautoscalers.autoscaling": (
        _name_column(),
        Column("REFERENCE", _hpa_reference),
        Column("TARGETS", _hpa_targets),
        Column("MINPODS", lambda hpa, ctx: str(_dig(hpa, "spec", "minReplicas", default="<unset>"))),
        Column("MAXPODS", _number("spec", "maxReplicas")),
        Column("REPLICAS", _number("status", "currentReplicas")),
        _age_column(),
    ),
    "events": (
        Column("LAST SEEN", _event_last_seen),
        Column("TYPE", _field("type")),
        Column("REASON", _field("reason")),
        Column("OBJECT", _event_object),
        Column("SUBOBJECT", _field("involvedObject", "fieldPath"), wide=True),
        Column("SOURCE", _event_source, wide=True),
        Column("MESSAGE", lambda event, ctx: (event.get("message") or "").strip()),
        Column("FIRST SEEN", _event_first_seen, wide=True),
        Column("COUNT", _event_count, wide=True),
        Column("NAME", _name, wide=True, is_name=True),
    ),
    "apiservices.apiregistration.k8s.io": (
        _name_column(),
        Column("SERVICE", _apiservice_service),
        Column("AVAILABLE", _apiservice_available),
        _age_column(),
    ),
    "controllerrevisions.apps": (
        _name_column(),
        Column("CONTROLLER", _revision_controller),
        Column("REVISION", _number("revision")),
        _age_column(),
    ),
}
COLUMNS["clusterrolebindings.rbac.authorization.k8s.io"] = COLUMNS["rolebindings.rbac.authorization.k8s.io"]
