"""The default scheduler: filter nodes, pick the least loaded one, bind; explain failures like the real one.

Filters follow kubernetes/kubernetes: pkg/scheduler/framework/plugins/{nodeunschedulable,
tainttoleration, nodeaffinity, noderesources, volumebinding}; the failure text follows
pkg/scheduler/framework/types.go (FitError.Error) and pkg/scheduler/schedule_one.go.
Scoring is the deterministic stand-in of controllers.md §3.6: fewest pods of the same owner, then the
lowest requested/allocatable ratio, then the node name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction

from minikctl.cluster import Cluster, dumps_canonical
from minikctl.core import ownership, quantity, selectors
from minikctl.core.conditions import is_finished, is_terminating, set_condition
from minikctl.core.resources import pod_requests
from minikctl.controllers import common, manager

COMPONENT = "default-scheduler"
SCHEDULER_NAME = "default-scheduler"
UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
# Failures preemption cannot fix, as opposed to resource shortages.
RESOURCE_REASONS_PREFIX = ("Insufficient ", "Too many pods")


class NodeUsage:
    """What is already placed on one node: requests, pod count, pods per owner."""

    def __init__(self, node: dict):
        self.node = node
        self.allocatable = {k: quantity.parse_quantity(v) for k, v in
                            ((node.get("status") or {}).get("allocatable") or {}).items()}
        self.requested: dict[str, Fraction] = defaultdict(Fraction)
        self.pods = 0
        self.per_owner: Counter = Counter()

    def add(self, pod: dict, requests: dict[str, Fraction]) -> None:
        owner = ownership.controller_of(pod)
        self.add_amounts(requests, owner["uid"] if owner else None)

    def add_amounts(self, requests: dict[str, Fraction], owner_uid: str | None) -> None:
        for name, value in requests.items():
            self.requested[name] += value
        self.pods += 1
        if owner_uid:
            self.per_owner[owner_uid] += 1

    def remove_amounts(self, requests: dict[str, Fraction], owner_uid: str | None) -> None:
        for name, value in requests.items():
            self.requested[name] -= value
        self.pods -= 1
        if owner_uid:
            self.per_owner[owner_uid] -= 1

    def load(self) -> Fraction:
        ratios = [self.requested[r] / self.allocatable[r] for r in ("cpu", "memory") if self.allocatable.get(r)]
        return sum(ratios, Fraction(0)) / len(ratios) if ratios else Fraction(0)


def reconcile(cluster: Cluster) -> None:
    """Schedule every pending pod at once (the bootstrap's direct use)."""
    pods = cluster.list("pods")
    pending = [pod for pod in pods if _wants_scheduling(pod)]
    if not pending:
        return
    nodes = cluster.list("nodes")
    usage = _usage(pods, nodes)
    known_failures: dict[str, str] = {}
    for pod in pending:
        schedule(cluster, pod, nodes, usage, known_failures)


def _wants_scheduling(pod: dict) -> bool:
    spec = pod.get("spec") or {}
    return (not spec.get("nodeName") and not is_terminating(pod)
            and spec.get("schedulerName", SCHEDULER_NAME) == SCHEDULER_NAME and not is_finished(pod))


class Placement:
    """The nodes and what each holds, built when the scheduler first syncs in a pass and kept current
    from the change feed (the scheduler cache of kubernetes/kubernetes pkg/scheduler/backend/cache)."""

    def __init__(self, cluster: Cluster):
        self.nodes = cluster.list("nodes")
        self.usage = {node["metadata"]["name"]: NodeUsage(node) for node in self.nodes}
        self.placed: dict[str, tuple[str, dict, str | None]] = {}  # pod key -> (node, requests, owner uid)
        self.known_failures: dict[str, str] = {}  # valid until capacity is freed or a node changes
        section = cluster.state.section("pods")
        for key in section.keys():
            self.observe_pod(key, section.get(key), False)

    def observe_pod(self, key: str, pod: dict, deleted: bool) -> None:
        previous = self.placed.pop(key, None)
        node_name = (pod.get("spec") or {}).get("nodeName") or ""
        if not deleted and node_name in self.usage and not is_finished(pod):
            if previous is not None and previous[0] == node_name:
                self.placed[key] = previous
                return
            owner = ownership.controller_of(pod)
            self.placed[key] = (node_name, _requests(pod), owner["uid"] if owner else None)
            self.usage[node_name].add_amounts(*self.placed[key][1:])
        if previous is not None:
            self.usage[previous[0]].remove_amounts(*previous[1:])
            self.known_failures.clear()


def _placement(indexes) -> Placement:
    placement = indexes.extra.get("scheduler")
    if placement is None:
        placement = indexes.extra["scheduler"] = Placement(indexes.cluster)
    return placement


def _observe(indexes, change) -> None:
    placement = indexes.extra.get("scheduler")
    if placement is None:
        return
    if change.resource == "nodes":
        del indexes.extra["scheduler"]  # rebuilt on next use with the new node list
    elif change.resource == "pods":
        placement.observe_pod(change.key, change.obj, change.deleted)


def sync(cluster: Cluster, indexes, key: str) -> None:
    """Key: a pod's namespace/name; bind it to a node or record why none fits."""
    namespace, _, name = key.partition("/")
    pod = cluster.get("pods", namespace, name)
    if pod is None or not _wants_scheduling(pod):
        return
    placement = _placement(indexes)
    schedule(cluster, pod, placement.nodes, placement.usage, placement.known_failures)
    node_name = pod["spec"].get("nodeName")
    if node_name:  # schedule() counted it on its node already
        owner = ownership.controller_of(pod)
        placement.placed[key] = (node_name, _requests(pod), owner["uid"] if owner else None)


def _pods_to_schedule(indexes, change) -> list[str]:
    """A pod waiting for a node; and when capacity is freed, every pod still waiting (the scheduling
    queue's move of unschedulable pods on a cluster event, pkg/scheduler/backend/queue)."""
    pod = change.obj
    if not change.deleted and _wants_scheduling(pod):
        return [change.key]
    frees = (pod.get("spec") or {}).get("nodeName") and (change.deleted or is_finished(pod) or is_terminating(pod))
    return indexes.pending_pods() if frees else []


CONTROLLER = manager.Controller(
    "scheduler",
    {"pods": _pods_to_schedule, "nodes": lambda indexes, change: indexes.pending_pods(),
     "persistentvolumeclaims": lambda indexes, change: indexes.pending_pods(),
     "persistentvolumes": lambda indexes, change: indexes.pending_pods(),
     "storageclasses.storage.k8s.io": lambda indexes, change: indexes.pending_pods()},
    sync, ordered=True, observe=_observe)


def _usage(pods: list[dict], nodes: list[dict]) -> dict[str, NodeUsage]:
    usage = {node["metadata"]["name"]: NodeUsage(node) for node in nodes}
    for pod in pods:
        placed = usage.get(pod["spec"].get("nodeName") or "")
        if placed is not None and not is_finished(pod):
            placed.add(pod, _requests(pod))
    return usage


def schedule(cluster: Cluster, pod: dict, nodes: list[dict], usage: dict[str, NodeUsage],
             known_failures: dict[str, str]) -> None:
    """Bind pod to the best feasible node, or record why none fits.

    Nodes only fill up during one pass, so a pod shaped like one that already failed fails the same
    way (known_failures), which keeps a large unschedulable backlog linear.
    """
    claims_failure = volume_binding_prefilter(cluster, pod)
    if claims_failure:
        _mark_unschedulable(cluster, pod, prefilter_error(len(nodes), claims_failure))
        return
    shape = _scheduling_shape(pod)
    if shape in known_failures:
        _mark_unschedulable(cluster, pod, known_failures[shape])
        return
    requests = _requests(pod)
    failures: dict[str, str] = {}
    feasible = []
    for node in nodes:
        reasons = node_failures(pod, node, usage[node["metadata"]["name"]], requests)
        if not reasons and volume_node_conflict(cluster, pod, node):
            reasons = ["node(s) had volume node affinity conflict"]
        if reasons:
            failures[node["metadata"]["name"]] = reasons
        else:
            feasible.append(usage[node["metadata"]["name"]])
    if not feasible:
        known_failures[shape] = fit_error(len(nodes), failures)
        _mark_unschedulable(cluster, pod, known_failures[shape])
        return
    owner = ownership.controller_of(pod)
    owner_uid = owner["uid"] if owner else None
    best = min(feasible, key=lambda u: (u.per_owner[owner_uid] if owner_uid else 0, u.load(), u.node["metadata"]["name"]))
    best.add(pod, requests)
    _bind(cluster, pod, best.node["metadata"]["name"])


def _scheduling_shape(pod: dict) -> str:
    """Everything the filters look at, as one comparable string."""
    spec = pod.get("spec") or {}
    owner = ownership.controller_of(pod) or {}
    resources = [[c.get("resources") for c in spec.get(group) or ()] for group in ("containers", "initContainers")]
    claims = [(v.get("persistentVolumeClaim") or {}).get("claimName") for v in spec.get("volumes") or ()]
    return dumps_canonical([resources, spec.get("overhead"), spec.get("nodeSelector"), spec.get("affinity"),
                            spec.get("tolerations"), owner.get("uid"), [c for c in claims if c]])


# -- volume binding --------------------------------------------------------------------------
def volume_binding_prefilter(cluster: Cluster, pod: dict) -> str:
    """Why the pod's claims keep it off every node, or '' (volumebinding.go PreFilter): a claim that
    does not exist, or an unbound claim whose class binds immediately (or does not exist)."""
    from minikctl.controllers import volumes

    namespace = pod["metadata"]["namespace"]
    unbound_immediate = False
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        name = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        if not name:
            continue
        claim = cluster.get(volumes.CLAIMS, namespace, name)
        if claim is None:
            return f'persistentvolumeclaim "{name}" not found'
        if (claim.get("spec") or {}).get("volumeName"):
            continue
        unbound_immediate = unbound_immediate or not volumes.is_delay_binding(cluster, claim)
    return "pod has unbound immediate PersistentVolumeClaims" if unbound_immediate else ""


def volume_node_conflict(cluster: Cluster, pod: dict, node: dict) -> bool:
    """A bound claim's volume pinned by nodeAffinity to other nodes (volumebinding Filter)."""
    namespace = pod["metadata"]["namespace"]
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        name = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        claim = cluster.get("persistentvolumeclaims", namespace, name) if name else None
        bound = cluster.get("persistentvolumes", "", ((claim or {}).get("spec") or {}).get("volumeName") or "")
        terms = ((((bound or {}).get("spec") or {}).get("nodeAffinity") or {}).get("required") or {}).get(
            "nodeSelectorTerms")
        if terms and not any(selectors.node_selector_term_matches(term, node) for term in terms):
            return True
    return False


def prefilter_error(node_count: int, message: str) -> str:
    """FitError.Error when a PreFilter plugin rejects the pod: its message, and no node helps preemption."""
    return (f"0/{node_count} nodes are available: {message}. preemption: 0/{node_count} nodes are available: "
            f"{node_count} Preemption is not helpful for scheduling.")


# -- filters ---------------------------------------------------------------------------------
def node_failures(pod: dict, node: dict, usage: NodeUsage, requests: dict[str, Fraction]) -> list[str]:
    """Every reason this node cannot take the pod, in filter-plugin order (empty when it fits)."""
    spec = pod.get("spec") or {}
    tolerations = spec.get("tolerations") or []
    node_spec = node.get("spec") or {}
    if node_spec.get("unschedulable") and not _tolerates(tolerations, {"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule"}):
        return ["node(s) were unschedulable"]
    # TaintToleration runs before NodeAffinity (kubernetes/kubernetes
    # pkg/scheduler/apis/config/v1/default_plugins.go), and a node reports its first failing filter.
    for taint in node_spec.get("taints") or ():
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not _tolerates(tolerations, taint):
            return [f"node(s) had untolerated taint {{{taint['key']}: {taint.get('value', '')}}}"]
    if not _matches_affinity(spec, node):
        return ["node(s) didn't match Pod's node affinity/selector"]
    return _resource_failures(usage, requests)


def _requests(pod: dict) -> dict[str, Fraction]:
    return {name: amount.value for name, amount in pod_requests(pod).items()}


def _resource_failures(usage: NodeUsage, requests: dict[str, Fraction]) -> list[str]:
    reasons = []
    if usage.allocatable.get("pods") is not None and usage.pods + 1 > usage.allocatable["pods"]:
        reasons.append("Too many pods")
    for name, value in sorted(requests.items()):
        if value and value > usage.allocatable.get(name, Fraction(0)) - usage.requested[name]:
            reasons.append(f"Insufficient {name}")
    return reasons


def _tolerates(tolerations: list[dict], taint: dict) -> bool:
    """v1helper.TolerationsTolerateTaint: key (or Exists with no key), value and effect match."""
    for toleration in tolerations:
        if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
            continue
        if toleration.get("key") and toleration["key"] != taint.get("key"):
            continue
        if toleration.get("operator", "Equal") == "Exists":
            return True
        if toleration.get("value", "") == taint.get("value", "") and toleration.get("key"):
            return True
    return False


def _matches_affinity(spec: dict, node: dict) -> bool:
    labels = node["metadata"].get("labels") or {}
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = required.get("nodeSelectorTerms")
    if not terms:
        return True
    return any(selectors.node_selector_term_matches(term, node) for term in terms)


# -- outcome ---------------------------------------------------------------------------------
def fit_error(node_count: int, failures: dict[str, list[str]]) -> str:
    """`0/N nodes are available: <count reason, ...>. preemption: 0/N nodes are available: ...`"""
    if node_count == 0:
        return "no nodes available to schedule pods"
    reasons: Counter = Counter()
    preemption: Counter = Counter()
    for node_reasons in failures.values():
        reasons.update(node_reasons)
        helpful = all(r.startswith(RESOURCE_REASONS_PREFIX) for r in node_reasons)
        preemption["No preemption victims found for incoming pod" if helpful
                   else "Preemption is not helpful for scheduling"] += 1
    listed = ", ".join(sorted(f"{count} {reason}" for reason, count in reasons.items()))
    helped = ", ".join(sorted(f"{count} {reason}" for reason, count in preemption.items()))
    return (f"0/{node_count} nodes are available: {listed}. "
            f"preemption: 0/{node_count} nodes are available: {helped}.")


def _mark_unschedulable(cluster: Cluster, pod: dict, message: str) -> None:
    status = pod.setdefault("status", {})
    status.setdefault("phase", "Pending")
    conditions = status.setdefault("conditions", [])
    if not set_condition(conditions, "PodScheduled", "False", "Unschedulable", message, cluster.timestamp):
        return
    _null_probe_time(conditions)
    status.setdefault("qosClass", _qos_class(pod))
    cluster.update(pod, "pods")
    common.record_event(cluster, pod, "Warning", "FailedScheduling", message, COMPONENT)


def _bind(cluster: Cluster, pod: dict, node_name: str) -> None:
    pod["spec"]["nodeName"] = node_name
    status = pod.setdefault("status", {})
    status["phase"] = "Pending"
    conditions = status.setdefault("conditions", [])
    set_condition(conditions, "PodScheduled", "True", now=cluster.timestamp)
    _null_probe_time(conditions)
    status.setdefault("qosClass", _qos_class(pod))
    cluster.update(pod, "pods")
    namespace = pod["metadata"]["namespace"]
    common.record_event(cluster, pod, "Normal", "Scheduled",
                        f"Successfully assigned {namespace}/{pod['metadata']['name']} to {node_name}", COMPONENT)


def _null_probe_time(conditions: list[dict]) -> None:
    for entry in conditions:
        if entry["type"] == "PodScheduled":
            entry["lastProbeTime"] = None


def _qos_class(pod: dict) -> str:
    """Guaranteed when every container sets equal cpu and memory limits and requests; BestEffort with none."""
    containers = (pod.get("spec") or {}).get("containers") or []
    any_set = False
    guaranteed = bool(containers)
    for container in containers:
        resources = container.get("resources") or {}
        limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
        any_set = any_set or bool(limits) or bool(requests)
        for name in ("cpu", "memory"):
            if name not in limits or quantity.parse_quantity(requests.get(name, limits[name])) != quantity.parse_quantity(limits[name]):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"
