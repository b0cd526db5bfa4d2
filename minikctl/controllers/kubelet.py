"""The kubelet of every node: start bound pods, report their status, and word events as a kubelet does.

Each pod's status is computed from its spec, its node, the ConfigMaps/Secrets it references and the
injected faults (docs/faults.md); events are recorded only when a container moves to another state,
so a settled pod writes nothing. Sources: kubernetes/kubernetes: pkg/kubelet/kuberuntime/
kuberuntime_container.go, pkg/kubelet/images/image_manager.go, pkg/kubelet/kubelet_pods.go (getPhase),
pkg/kubelet/status/generate.go, pkg/kubelet/events/event.go; controllers.md §3.7.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass, field

from minikctl.core import kinds
from minikctl.cluster import Cluster
from minikctl.core import clock, faults, ownership
from minikctl.core.conditions import TERMINAL_PHASES, condition, is_ready, is_terminating, node_is_ready, set_condition
from minikctl.controllers import common, manager, mounts

COMPONENT = "kubelet"
CONDITION_ORDER = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
BACKOFF_SECONDS = (10, 20, 40, 80, 160, 300)

# Event and status texts, in one place (controllers.md §3.7, §4.2).
TEXT = {
    "pulling": 'Pulling image "{image}"',
    "pulled": 'Successfully pulled image "{image}" in {seconds}s ({seconds}s including waiting). Image size: {size} bytes.',
    "present": 'Container image "{image}" already present on machine',
    "created": "Created container {name}",
    "started": "Started container {name}",
    "pull_failed": 'Failed to pull image "{image}": {error}',
    "pull_error": ('rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": failed to resolve '
                   'reference "{ref}": {ref}: not found'),
    "pull_backoff": 'Back-off pulling image "{image}"',
    "invalid_image": 'Failed to apply default image tag "{image}": couldn\'t parse image name "{image}": invalid reference format',
    "crash_backoff": "back-off {delay} restarting failed container={name} pod={pod}_{namespace}({uid})",
    "crash_event": "Back-off restarting failed container {name} in pod {pod}_{namespace}({uid})",
}

_NAME_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)"
IMAGE_REFERENCE = re.compile(
    rf"^(?:{_DOMAIN}/)?{_NAME_COMPONENT}(?:/{_NAME_COMPONENT})*(?::[\w][\w.-]{{0,127}})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$")


@dataclass
class Outcome:
    """What one container looks like once the kubelet settles, and the events that got it there."""
    state: dict
    ready: bool = False
    started: bool = False
    restarts: int = 0
    last_state: dict = field(default_factory=dict)
    pulled: bool = False
    events: list = field(default_factory=list)  # (type, reason, message)


def sync(cluster: Cluster, indexes: manager.Indexes, key: str) -> None:
    """Key: a pod's namespace/name; the kubelet of its node brings it to its next settled state."""
    namespace, _, name = key.partition("/")
    pod = cluster.get("pods", namespace, name)
    if pod is None:
        return
    node = cluster.get("nodes", "", (pod.get("spec") or {}).get("nodeName") or "")
    if node is not None and node_is_ready(node) and _network_ready(node, pod):
        kubelet = _kubelet(indexes)
        kubelet.sync(pod, node)
        kubelet.save_images()


def _kubelet(indexes: manager.Indexes) -> "Kubelet":
    kubelet = indexes.extra.get("kubelet")
    if kubelet is None:
        kubelet = indexes.extra["kubelet"] = Kubelet(indexes.cluster, indexes.pods_on)
    return kubelet


def _observe(indexes: manager.Indexes, change) -> None:
    """A removed pod frees its address; an owner's change may change its fault annotations."""
    kubelet = indexes.extra.get("kubelet")
    if kubelet is None:
        return
    if change.resource == "pods" and change.deleted:
        kubelet.forget_addresses((change.obj.get("spec") or {}).get("nodeName") or "")
    elif change.resource != "pods":
        kubelet.owners.pop(change.obj["metadata"].get("uid", ""), None)


_SETTLED_MARKS = (b'"phase":"Running"', b'"ready":true')
_UNSETTLED_MARKS = (b'"ready":false', b'"waiting"', b'"terminated"', b'fault.minikctl.io/')
_TERMINAL_MARKS = (b'"phase":"Succeeded"', b'"phase":"Failed"')


def _may_need_the_kubelet(raw: bytes) -> bool:
    """From a pod's stored line, without decoding it: bound, not finished, and not plainly settled."""
    if b'"nodeName"' not in raw or any(mark in raw for mark in _TERMINAL_MARKS):
        return False
    return not all(mark in raw for mark in _SETTLED_MARKS) or any(mark in raw for mark in _UNSETTLED_MARKS)


def _unsettled_pods(cluster: Cluster, indexes: manager.Indexes) -> list[str]:
    """Pods whose containers move with the clock (starting, crash-looping, pulling): the kubelet's
    periodic sync of every pod, narrowed to the pods it can change."""
    section = cluster.state.section("pods")
    return [key for key in section.keys() if _may_need_the_kubelet(section.raw[key])]


def _pod_itself(indexes: manager.Indexes, change) -> list[str]:
    bound = (change.obj.get("spec") or {}).get("nodeName")
    return [change.key] if bound and not change.deleted else []


def _unsettled_pods_of_node(indexes: manager.Indexes, change) -> list[str]:
    if change.deleted:
        return []
    section = indexes.cluster.state.section("pods")
    pods = indexes.pods_on(change.obj["metadata"]["name"])
    keys = [f"{p['metadata']['namespace']}/{p['metadata']['name']}" for p in pods]
    return [key for key in keys if key in section.decoded or _may_need_the_kubelet(section.raw[key])]


def _waiting_pods_of_namespace(indexes: manager.Indexes, change) -> list[str]:
    """A ConfigMap, Secret or claim may unblock a container waiting in its namespace."""
    section = indexes.cluster.state.section("pods")
    prefix = f"{change.obj['metadata'].get('namespace', '')}/"
    return [key for key in section.keys() if key.startswith(prefix) and b'"waiting"' in section.raw[key]]


def _pods_of_faulty_owner(indexes: manager.Indexes, change) -> list[str]:
    """An owner with fault annotations passes them to its pods (and a Deployment through its sets)."""
    if change.deleted or not faults.fault_annotations(change.obj):
        return []
    uid = change.obj["metadata"]["uid"]
    owners = [change.obj] + (indexes.owned("replicasets.apps", uid) if change.resource == "deployments.apps" else [])
    return [f"{p['metadata']['namespace']}/{p['metadata']['name']}"
            for owner in owners for p in indexes.owned("pods", owner["metadata"]["uid"])]


CONTROLLER = manager.Controller(
    "kubelet",
    {"pods": _pod_itself, "nodes": _unsettled_pods_of_node, "configmaps": _waiting_pods_of_namespace,
     "secrets": _waiting_pods_of_namespace, "persistentvolumeclaims": _waiting_pods_of_namespace,
     **{resource: _pods_of_faulty_owner for resource in ("replicasets.apps", "deployments.apps", "statefulsets.apps",
                                                         "daemonsets.apps", "jobs.batch", "replicationcontrollers")}},
    sync, resync=_unsettled_pods, ordered=True, observe=_observe)


def _network_ready(node: dict, pod: dict) -> bool:
    """Pod networking needs the node's podCIDR, which a node added by manifest gets when it registers."""
    return bool((node.get("spec") or {}).get("podCIDR")) or bool(pod["spec"].get("hostNetwork"))


class Kubelet:
    def __init__(self, cluster: Cluster, pods_on):
        self.cluster = cluster
        self.pods_on = pods_on  # node name -> its pods
        self.nodes: dict[str, dict] = {}  # nodes whose image list this kubelet changed
        self.used_ips: dict[str, set[str]] = {}  # per node, built on its first allocation
        self.next_offset: dict[str, int] = {}
        self.owners: dict[str, dict | None] = {}
        self.changed_nodes: set[str] = set()

    def sync(self, pod: dict, node: dict) -> None:
        if is_terminating(pod):
            if not pod["metadata"].get("finalizers"):
                self.cluster.remove("pods", pod["metadata"]["namespace"], pod["metadata"]["name"])
            return
        status = pod.setdefault("status", {})
        if status.get("phase") in TERMINAL_PHASES or self._settled(pod):
            return
        if not _has_started(status):
            report = mounts.check_pod_volumes(self.cluster, pod)
            if report:
                self._wait_for_volumes(pod, node, report)
                return
        previous = {c["name"]: c for c in status.get("containerStatuses") or ()}
        outcomes = [self._container(pod, node, c, previous.get(c["name"])) for c in pod["spec"].get("containers") or ()]
        self._fill_status(pod, node, outcomes)
        if self.cluster.update(pod, "pods"):
            for container, outcome in zip(pod["spec"].get("containers") or (), outcomes):
                for event_type, reason, message in outcome.events:
                    common.record_event(self.cluster, pod, event_type, reason, message, COMPONENT,
                                        host=node["metadata"]["name"], field_path=f"spec.containers{{{container['name']}}}")

    def _wait_for_volumes(self, pod: dict, node: dict, report: mounts.MountReport) -> None:
        """Volumes that do not mount hold every container in ContainerCreating, with FailedMount events
        (kubelet.go SyncPod: WaitForAttachAndMount before the sandbox, so no pod IP yet)."""
        status = pod["status"]
        host_ip = node_internal_ip(node)
        status["hostIP"] = host_ip
        status["hostIPs"] = [{"ip": host_ip}]
        if pod["spec"].get("hostNetwork"):
            status["podIP"], status["podIPs"] = host_ip, [{"ip": host_ip}]
        status.setdefault("startTime", self.cluster.timestamp)
        containers = pod["spec"].get("containers") or []
        status["containerStatuses"] = [
            {"name": c["name"], "image": c.get("image", ""), "imageID": "", "ready": False, "restartCount": 0,
             "started": False, "state": {"waiting": {"reason": "ContainerCreating"}}, "lastState": {}}
            for c in containers]
        status["phase"] = "Pending"
        now = self.cluster.timestamp
        conditions = status.setdefault("conditions", [])
        unready = " ".join(c["name"] for c in containers)
        set_condition(conditions, "PodReadyToStartContainers", "False", now=now)
        set_condition(conditions, "Initialized", "True", now=now)
        for condition_type in ("Ready", "ContainersReady"):
            set_condition(conditions, condition_type, "False", "ContainersNotReady",
                                 f"containers with unready status: [{unready}]", now=now)
        if condition(pod, "PodScheduled") is None:
            set_condition(conditions, "PodScheduled", "True", now=now)
        for entry in conditions:
            entry.setdefault("lastProbeTime", None)
        conditions.sort(key=lambda c: CONDITION_ORDER.index(c["type"]) if c["type"] in CONDITION_ORDER else len(CONDITION_ORDER))
        host = node["metadata"]["name"]
        self.cluster.update(pod, "pods")
        for message in report.messages:
            common.record_event_once(self.cluster, pod, "Warning", "FailedMount", message, COMPONENT, host=host)
        if clock.seconds_since(self.cluster.now, status["startTime"]) >= mounts.MOUNT_TIMEOUT_SECONDS:
            common.record_event_once(self.cluster, pod, "Warning", "FailedMount", report.timeout_message(),
                                     COMPONENT, host=host)

    def _settled(self, pod: dict) -> bool:
        """Running, ready, every container up and no fault to apply: nothing for the kubelet to do."""
        status = pod["status"]
        return (status.get("phase") == "Running" and is_ready(pod)
                and len(status.get("containerStatuses") or ()) == len(pod["spec"].get("containers") or ())
                and all("running" in (c.get("state") or {}) for c in status["containerStatuses"])
                and not self._fault_annotations(pod))

    # -- one container ---------------------------------------------------------------------
    def _container(self, pod: dict, node: dict, container: dict, previous: dict | None) -> Outcome:
        image = container.get("image", "")
        annotations = self._fault_annotations(pod)
        was_running = previous is not None and ("running" in (previous.get("state") or {})
                                                or bool(previous.get("lastState")))
        if not IMAGE_REFERENCE.match(image):
            message = TEXT["invalid_image"].format(image=image)
            return self._waiting(previous, "InvalidImageName", message, [("Warning", "InspectFailed", message)])
        if not was_running and faults.container_selected(annotations, faults.IMAGE_PULL, container["name"]):
            return self._pull_failure(previous, image)
        crashing = faults.container_selected(annotations, faults.CRASH_LOOP, container["name"])
        if _state_reason(previous) == "running" and not crashing:
            return self._still_running(previous)
        pull_events = self._pull_events(node, image, container)
        config_error = self._config_error(pod, container)
        if config_error:
            return self._waiting(previous, "CreateContainerConfigError", config_error,
                                 pull_events + [("Warning", "Failed", f"Error: {config_error}")], pulled=True)
        start_events = pull_events + [("Normal", "Created", TEXT["created"].format(name=container["name"])),
                                      ("Normal", "Started", TEXT["started"].format(name=container["name"]))]
        if crashing:
            return self._crash(pod, container, previous, start_events, faults.fault_exit_code(annotations))
        if self._runs_to_completion(pod):
            return self._terminated(previous, 0, "Completed", start_events)
        outcome = Outcome({"running": {"startedAt": self.cluster.timestamp}}, ready=True, started=True, pulled=True,
                          restarts=(previous or {}).get("restartCount", 0),
                          last_state=(previous or {}).get("lastState") or {})
        outcome.events = start_events
        return outcome

    @staticmethod
    def _still_running(previous: dict) -> Outcome:
        return Outcome(previous["state"], ready=True, started=True, pulled=True,
                       restarts=previous.get("restartCount", 0), last_state=previous.get("lastState") or {})

    def _waiting(self, previous: dict | None, reason: str, message: str, events: list, pulled: bool = False) -> Outcome:
        outcome = Outcome({"waiting": {"reason": reason, "message": message}}, pulled=pulled,
                          restarts=(previous or {}).get("restartCount", 0),
                          last_state=(previous or {}).get("lastState") or {})
        if _state_reason(previous) != reason:
            outcome.events = events
        return outcome

    def _pull_failure(self, previous: dict | None, image: str) -> Outcome:
        """ErrImagePull, then ImagePullBackOff: the state a failing pull settles in."""
        error = TEXT["pull_error"].format(ref=qualified_image(image))
        backoff = TEXT["pull_backoff"].format(image=image)
        events = [("Normal", "Pulling", TEXT["pulling"].format(image=image)),
                  ("Warning", "Failed", TEXT["pull_failed"].format(image=image, error=error)),
                  ("Warning", "Failed", "Error: ErrImagePull"),
                  ("Normal", "BackOff", backoff),
                  ("Warning", "Failed", "Error: ImagePullBackOff")]
        return self._waiting(previous, "ImagePullBackOff", backoff, events)

    def _crash(self, pod: dict, container: dict, previous: dict | None, start_events: list, code: int) -> Outcome:
        """The container exits at once; restarts follow the kubelet's back-off (10s doubling to 5m)."""
        started = (pod.get("status") or {}).get("startTime") or self.cluster.timestamp
        reason = "Completed" if code == 0 else ("OOMKilled" if code == 137 else "Error")
        if pod["spec"].get("restartPolicy", "Always") == "Never":
            return self._terminated(previous, code, reason, start_events)
        restarts, delay = _restarts_after(clock.seconds_since(self.cluster.now, started))
        terminated = {"exitCode": code, "reason": reason, "startedAt": started, "finishedAt": started,
                      "containerID": container_id(pod, container["name"], restarts - 1)}
        message = TEXT["crash_backoff"].format(delay=_go_duration(delay), name=container["name"],
                                               pod=pod["metadata"]["name"], namespace=pod["metadata"]["namespace"],
                                               uid=pod["metadata"]["uid"])
        outcome = Outcome({"waiting": {"reason": "CrashLoopBackOff", "message": message}}, restarts=restarts,
                          last_state={"terminated": terminated}, pulled=True)
        if (previous or {}).get("restartCount", 0) != restarts or _state_reason(previous) != "CrashLoopBackOff":
            backoff = TEXT["crash_event"].format(name=container["name"], pod=pod["metadata"]["name"],
                                                 namespace=pod["metadata"]["namespace"], uid=pod["metadata"]["uid"])
            outcome.events = start_events + [("Warning", "BackOff", backoff)]
        return outcome

    def _terminated(self, previous: dict | None, code: int, reason: str, start_events: list) -> Outcome:
        moment = self.cluster.timestamp
        state = {"terminated": {"exitCode": code, "reason": reason, "startedAt": moment, "finishedAt": moment}}
        outcome = Outcome(state, pulled=True, restarts=(previous or {}).get("restartCount", 0))
        outcome.events = start_events
        return outcome

    def _pull_events(self, node: dict, image: str, container: dict) -> list:
        """Pulling+Pulled the first time a node needs the image (or always with policy Always), else 'already present'."""
        policy = container.get("imagePullPolicy") or default_pull_policy(image)
        if policy != "Always" and self._node_has_image(node, image):
            return [("Normal", "Pulled", TEXT["present"].format(image=image))]
        self._remember_image(node, image)
        digest = int(hashlib.sha256(image.encode()).hexdigest()[:8], 16)
        seconds = f"{0.5 + (digest % 3000) / 1000:.3f}".rstrip("0").rstrip(".")
        size = 10_000_000 + digest % 90_000_000
        return [("Normal", "Pulling", TEXT["pulling"].format(image=image)),
                ("Normal", "Pulled", TEXT["pulled"].format(image=image, seconds=seconds, size=size))]

    # -- references ------------------------------------------------------------------------
    def _config_error(self, pod: dict, container: dict) -> str:
        """The first missing ConfigMap/Secret (or key) the container's environment needs; '' if none."""
        namespace = pod["metadata"]["namespace"]
        for source in container.get("envFrom") or ():
            for ref_field, key in (("configMapRef", "configmaps"), ("secretRef", "secrets")):
                reference = source.get(ref_field)
                if reference and not reference.get("optional") and self.cluster.get(key, namespace, reference.get("name", "")) is None:
                    return f'{key[:-1]} "{reference.get("name", "")}" not found'
        for variable in container.get("env") or ():
            value_from = variable.get("valueFrom") or {}
            for ref_field, key, kind in (("configMapKeyRef", "configmaps", "ConfigMap"), ("secretKeyRef", "secrets", "Secret")):
                reference = value_from.get(ref_field)
                if not reference or reference.get("optional"):
                    continue
                obj = self.cluster.get(key, namespace, reference.get("name", ""))
                if obj is None:
                    return f'{key[:-1]} "{reference.get("name", "")}" not found'
                keys = set(obj.get("data") or {}) | set(obj.get("binaryData") or {})
                if reference.get("key") not in keys:
                    return f"couldn't find key {reference.get('key')} in {kind} {namespace}/{reference.get('name')}"
        return ""

    def _fault_annotations(self, pod: dict) -> dict:
        """Fault annotations of the pod, over those of its controller and the controller's controller."""
        merged: dict = {}
        chain = []
        current = pod
        for _ in range(2):
            current = self._controller(current)
            if current is None:
                break
            chain.append(current)
        for obj in reversed(chain):
            merged.update(faults.fault_annotations(obj))
        merged.update(faults.fault_annotations(pod))
        return merged

    def _controller(self, obj: dict) -> dict | None:
        reference = ownership.controller_of(obj)
        if reference is None:
            return None
        if reference["uid"] not in self.owners:
            kind = kinds.for_api_version(reference.get("apiVersion", ""), reference.get("kind", ""))
            found = self.cluster.get(kind.key, obj["metadata"].get("namespace", ""), reference["name"]) if kind else None
            self.owners[reference["uid"]] = found if found and found["metadata"]["uid"] == reference["uid"] else None
        return self.owners[reference["uid"]]

    @staticmethod
    def _runs_to_completion(pod: dict) -> bool:
        reference = ownership.controller_of(pod)
        return reference is not None and reference.get("kind") == "Job"

    # -- images on nodes -------------------------------------------------------------------
    def _node_has_image(self, node: dict, image: str) -> bool:
        wanted = qualified_image(image)
        return any(wanted in entry.get("names", ()) for entry in (node.get("status") or {}).get("images") or ())

    def _remember_image(self, node: dict, image: str) -> None:
        if self._node_has_image(node, image):
            return
        images = node.setdefault("status", {}).setdefault("images", [])
        digest = hashlib.sha256(image.encode()).hexdigest()
        repository = qualified_image(image).rsplit(":", 1)[0] if "@" not in image else image.split("@")[0]
        images.append({"names": [f"{repository}@sha256:{digest}", qualified_image(image)],
                       "sizeBytes": 10_000_000 + int(digest[:8], 16) % 90_000_000})
        self.changed_nodes.add(node["metadata"]["name"])
        self.nodes[node["metadata"]["name"]] = node

    def save_images(self) -> None:
        for name in sorted(self.changed_nodes):
            self.cluster.update(self.nodes[name], "nodes")
        self.changed_nodes.clear()

    def forget_addresses(self, node_name: str) -> None:
        """Addresses are found again from the node's pods on its next allocation."""
        self.used_ips.pop(node_name, None)
        self.next_offset.pop(node_name, None)

    def _used_addresses(self, node_name: str) -> set[str]:
        used = self.used_ips.get(node_name)
        if used is None:
            used = self.used_ips[node_name] = {
                pod["status"]["podIP"] for pod in self.pods_on(node_name)
                if (pod.get("status") or {}).get("podIP") and not pod["spec"].get("hostNetwork")}
        return used

    # -- pod status ------------------------------------------------------------------------
    def _fill_status(self, pod: dict, node: dict, outcomes: list[Outcome]) -> None:
        status = pod["status"]
        host_ip = node_internal_ip(node)
        status["hostIP"] = host_ip
        status["hostIPs"] = [{"ip": host_ip}]
        pod_ip = status.get("podIP") or self._allocate_ip(pod, node)
        if pod_ip:
            status["podIP"] = pod_ip
            status["podIPs"] = [{"ip": pod_ip}]
        status.setdefault("startTime", self.cluster.timestamp)
        containers = pod["spec"].get("containers") or []
        status["containerStatuses"] = [self._container_status(pod, c, o) for c, o in zip(containers, outcomes)]
        status["phase"] = _phase(pod, outcomes)
        self._conditions(status, containers, outcomes)

    def _container_status(self, pod: dict, container: dict, outcome: Outcome) -> dict:
        image = container.get("image", "")
        entry = {"name": container["name"], "image": qualified_image(image) if IMAGE_REFERENCE.match(image) else image,
                 "imageID": "", "ready": outcome.ready, "restartCount": outcome.restarts,
                 "started": outcome.started, "state": outcome.state, "lastState": outcome.last_state}
        if outcome.pulled:
            repository = qualified_image(image).rsplit(":", 1)[0] if "@" not in image else image.split("@")[0]
            entry["imageID"] = f"{repository}@sha256:{hashlib.sha256(image.encode()).hexdigest()}"
        if "running" in outcome.state or "terminated" in outcome.state:
            entry["containerID"] = container_id(pod, container["name"], outcome.restarts)
            if "terminated" in outcome.state:
                outcome.state["terminated"]["containerID"] = entry["containerID"]
        return entry

    def _conditions(self, status: dict, containers: list[dict], outcomes: list[Outcome]) -> None:
        conditions = status.setdefault("conditions", [])
        now = self.cluster.timestamp
        unready = [c["name"] for c, o in zip(containers, outcomes) if not o.ready]
        set_condition(conditions, "PodReadyToStartContainers", "True", now=now)
        set_condition(conditions, "Initialized", "True", now=now)
        if status["phase"] in TERMINAL_PHASES:
            ready = ("False", "PodCompleted", "")
        elif unready:
            ready = ("False", "ContainersNotReady", f"containers with unready status: [{' '.join(unready)}]")
        else:
            ready = ("True", "", "")
        set_condition(conditions, "Ready", *ready, now=now)
        set_condition(conditions, "ContainersReady", *ready, now=now)
        if condition({"status": status}, "PodScheduled") is None:
            # The kubelet reports a pod bound by spec.nodeName as scheduled too (kubelet_pods.go generateAPIPodStatus).
            set_condition(conditions, "PodScheduled", "True", now=now)
        for entry in conditions:
            entry.setdefault("lastProbeTime", None)
        conditions.sort(key=lambda c: CONDITION_ORDER.index(c["type"]) if c["type"] in CONDITION_ORDER else len(CONDITION_ORDER))

    def _allocate_ip(self, pod: dict, node: dict) -> str:
        """The lowest free address of the node's podCIDR from .2 (host address for hostNetwork pods).

        A cursor per node makes a pass that starts many pods linear: allocations only add addresses.
        """
        if pod["spec"].get("hostNetwork"):
            return node_internal_ip(node)
        cidr = (node.get("spec") or {}).get("podCIDR")
        if not cidr:
            return ""
        name = node["metadata"]["name"]
        used = self._used_addresses(name)
        network = ipaddress.ip_network(cidr, strict=False)
        base, last = int(network.network_address), network.num_addresses - 2
        offset = self.next_offset.get(name, 2)
        while offset <= last:
            candidate = str(ipaddress.IPv4Address(base + offset))
            offset += 1
            if candidate not in used:
                used.add(candidate)
                self.next_offset[name] = offset
                return candidate
        self.next_offset[name] = offset
        return ""


def _phase(pod: dict, outcomes: list[Outcome]) -> str:
    """kubelet_pods.go getPhase, for containers without init containers."""
    if any("waiting" in o.state and not o.last_state for o in outcomes):
        return "Pending"
    if outcomes and all("terminated" in o.state for o in outcomes):
        failed = any(o.state["terminated"]["exitCode"] != 0 for o in outcomes)
        return "Failed" if failed else "Succeeded"
    return "Running"


def _has_started(status: dict) -> bool:
    """A container ran already: its volumes were mounted, and stay so whatever happens to their sources."""
    return any(("running" in (c.get("state") or {})) or ("terminated" in (c.get("state") or {}))
               or c.get("lastState") or c.get("restartCount") for c in status.get("containerStatuses") or ())


def _state_reason(status: dict | None) -> str:
    state = (status or {}).get("state") or {}
    for key in ("waiting", "terminated"):
        if key in state:
            return state[key].get("reason", "")
    return "running" if "running" in state else ""


def _restarts_after(elapsed: float) -> tuple[int, int]:
    """Restarts done after `elapsed` seconds of crash-looping, and the back-off now being waited."""
    restarts, waited = 1, 0
    for index in range(10_000):
        delay = BACKOFF_SECONDS[min(index, len(BACKOFF_SECONDS) - 1)]
        if waited + delay > elapsed:
            return restarts, delay
        waited += delay
        restarts += 1
    return restarts, BACKOFF_SECONDS[-1]


def _go_duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m{rest}s" if minutes else f"{rest}s"


def default_pull_policy(image: str) -> str:
    """Always for :latest or untagged images, IfNotPresent otherwise (core/v1 defaults)."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    return "Always" if ":" not in last or last.endswith(":latest") else "IfNotPresent"


def qualified_image(image: str) -> str:
    """docker.io/library/nginx:latest for nginx, as containerd reports images."""
    first, _, rest = image.partition("/")
    if not rest or ("." not in first and ":" not in first and first != "localhost"):
        image = f"docker.io/{image}" if rest else f"docker.io/library/{image}"
    last = image.rsplit("/", 1)[-1]
    if "@" not in image and ":" not in last:
        image += ":latest"
    return image


def container_id(pod: dict, name: str, attempt: int) -> str:
    seed = f"{pod['metadata'].get('uid', '')}/{name}/{attempt}"
    return f"containerd://{hashlib.sha256(seed.encode()).hexdigest()}"


def node_internal_ip(node: dict) -> str:
    for address in (node.get("status") or {}).get("addresses") or ():
        if address.get("type") == "InternalIP":
            return address["address"]
    return ""
