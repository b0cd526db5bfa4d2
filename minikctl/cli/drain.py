"""kubectl drain: cordon nodes, then evict (or delete) their pods and wait until they are gone.

Behaviour and texts from kubernetes/kubectl at v0.32 (kubectl 1.32): pkg/cmd/drain/drain.go (RunDrain,
deleteOrEvictPodsSimple), pkg/drain/filters.go (which pods may go, warnings and errors),
pkg/drain/drain.go (evictPods, deletePods, waitForDelete) and pkg/cmd/util/helpers.go (how the final
error is printed). PodDisruptionBudgets are not modelled, so an eviction is always allowed. The wait
is the reconcile pass: controllers replace the pods elsewhere (the node is cordoned), and a pod that
is still there once the cluster has settled will never go.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minikctl import errors
from minikctl.core import kinds
from minikctl.cli import common, nodes_common
from minikctl.cli import flags as f
from minikctl.core.conditions import is_finished
from minikctl.core.ownership import controller_of

SUMMARY = "Drain node in preparation for maintenance."
FLAGS = nodes_common.FLAGS + [
    f.Flag("force", type=f.BOOL, help="Continue even if there are pods that do not declare a controller."),
    f.Flag("ignore-daemonsets", type=f.BOOL, help="Ignore DaemonSet-managed pods."),
    f.Flag("delete-emptydir-data", type=f.BOOL,
           help="Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)."),
    f.Flag("grace-period", type=f.INT, default=-1,
           help="Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used."),
    f.Flag("timeout", type=f.DURATION, default="0s", help="The length of time to wait before giving up, zero means infinite"),
    f.Flag("pod-selector", help="Label selector to filter pods on the node"),
    f.Flag("disable-eviction", type=f.BOOL,
           help="Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution."),
    f.Flag("skip-wait-for-delete-timeout", type=f.INT, default=0,
           help="If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip."),
    f.Flag("chunk-size", type=f.INT, default=500, help="Accepted for compatibility: minikctl lists in one request"),
]
PODS = kinds.BY_KEY["pods"]
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"

# pkg/drain/filters.go: the messages of refused pods (errors) and of pods let through (warnings).
DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
# 1.32 prefixes every error with "cannot delete", this one included (removed in later releases).
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"
DEADLINE_EXCEEDED = "context deadline exceeded"
NEVER_GONE = ("the pod cannot finish terminating in minikctl's simulated cluster, where nothing changes while a "
              "command waits (kubectl would wait forever; pass --timeout to bound the wait)")


@dataclass
class Verdict:
    """A filter's judgement of one pod (filters.go PodDeleteStatus): delete it, and why not or with what warning."""
    delete: bool
    reason: str = "Okay"  # Okay, Skip, Warning or Error
    message: str = ""


@dataclass
class Options:
    force: bool
    ignore_daemonsets: bool
    delete_emptydir_data: bool
    disable_eviction: bool
    pod_selector: list
    timeout: float
    skip_wait_seconds: int
    dry_run: str


@dataclass
class DrainFailure:
    """The errors of one node, shown as Go's aggregate error: one message, or `[a, b]`."""
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        unique = list(dict.fromkeys(self.messages))
        return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def run(ctx, parsed: f.Parsed) -> int:
    options = _options(parsed)
    failures: dict[str, DrainFailure] = {}
    with ctx.transaction(dry_run=options.dry_run != "none") as cluster:
        nodes = nodes_common.select_nodes(ctx, parsed, cluster)
        for node in nodes:
            nodes_common.set_schedulable(ctx, cluster, node, True, options.dry_run)
        for node in nodes:
            failure = Drainer(ctx, cluster, options).drain(node["metadata"]["name"])
            if failure is None:
                nodes_common.print_node(ctx, node, "drained", options.dry_run)
                continue
            name = node["metadata"]["name"]
            ctx.env.err(f'error: unable to drain node "{name}" due to error: {failure}, continuing command...\n')
            failures[name] = failure
    return _finish(ctx, failures)


def _options(parsed: f.Parsed) -> Options:
    from minikctl.api import selector_parsing

    mode = common.dry_run_mode(parsed["dry-run"])
    timeout = parsed["timeout"]
    try:
        pod_selector = selector_parsing.parse_label_selector(parsed["pod-selector"] or "")
    except errors.APIError:
        raise errors.CommandError("--pod-selector=<pod_selector> must be a valid label selector") from None
    return Options(parsed["force"], parsed["ignore-daemonsets"], parsed["delete-emptydir-data"],
                   parsed["disable-eviction"], pod_selector, timeout, parsed["skip-wait-for-delete-timeout"], mode)


def _finish(ctx, failures: dict[str, DrainFailure]) -> int:
    """The pending nodes, then the error as kubectl's CheckErr prints an aggregate: one line per error."""
    if not failures:
        return errors.SUCCESS
    ctx.env.err("There are pending nodes to be drained:\n")
    for name in failures:
        ctx.env.err(f" {name}\n")
    if len(failures) == 1:
        lines = list(dict.fromkeys(next(iter(failures.values())).messages))
    else:
        lines = [str(failure) for failure in failures.values()]
    ctx.env.err("".join(line + "\n" for line in lines))
    return errors.ERROR


class Drainer:
    """Drain one node inside the command's transaction (drain.Helper)."""

    def __init__(self, ctx, cluster, options: Options):
        self.ctx = ctx
        self.cluster = cluster
        self.options = options

    def drain(self, node_name: str) -> DrainFailure | None:
        judged = self.pods_for_deletion(node_name)
        refused = _group_messages(judged, "Error")
        if refused:
            return DrainFailure([f"cannot delete {message}: {pods}" for message, pods in refused.items()])
        warnings = _group_messages(judged, "Warning")
        if warnings:
            self.ctx.env.err("Warning: " + "; ".join(f"{m}: {pods}" for m, pods in warnings.items()) + "\n")
        doomed = [pod for pod, verdict in judged if verdict.delete]
        if self.options.dry_run == "client":
            for pod in doomed:
                self.ctx.env.out(f"evicting pod {_namespaced(pod)} (dry run)\n")
            return None
        problems = self.remove(doomed)
        if not problems:
            return None
        problem = str(DrainFailure(problems))
        pending = [pod for pod, verdict in self.pods_for_deletion(node_name) if verdict.delete]
        if pending:
            self.ctx.env.err(f'There are pending pods in node "{node_name}" when an error occurred: {problem}\n')
            for pod in pending:
                self.ctx.env.err(f"pod/{pod['metadata']['name']}\n")
        return DrainFailure([problem])

    # -- which pods go -----------------------------------------------------------------------------
    def pods_for_deletion(self, node_name: str) -> list[tuple[dict, Verdict]]:
        """Every pod on the node (matching --pod-selector) with the verdict of the filters, in list order."""
        from minikctl.core import selectors

        self.ctx.authorize("list", PODS, "")
        on_node = [p for p in self.cluster.list(PODS.key) if (p.get("spec") or {}).get("nodeName") == node_name
                   and selectors.matches_labels(self.options.pod_selector, p["metadata"].get("labels"))]
        return [(pod, self.judge(pod)) for pod in on_node]

    def judge(self, pod: dict) -> Verdict:
        """Filters in upstream order; the first that refuses stops, otherwise the last verdict stands."""
        verdict = Verdict(True)
        for check in (self.skip_deleted, self.daemonset, self.mirror, self.local_storage, self.unreplicated):
            verdict = check(pod)
            if not verdict.delete:
                break
        return verdict

    def skip_deleted(self, pod: dict) -> Verdict:
        return Verdict(False, "Skip") if self.long_terminating(pod) else Verdict(True)

    def long_terminating(self, pod: dict) -> bool:
        """--skip-wait-for-delete-timeout: a pod deleted more than N seconds ago is not waited for."""
        from minikctl.core.clock import parse_time

        since = pod["metadata"].get("deletionTimestamp")
        limit = self.options.skip_wait_seconds
        return limit > 0 and bool(since) and int((self.ctx.now - parse_time(since)).total_seconds()) > limit

    def daemonset(self, pod: dict) -> Verdict:
        reference = controller_of(pod)
        if reference is None or reference.get("kind") != "DaemonSet" or is_finished(pod):
            return Verdict(True)
        namespace = pod["metadata"]["namespace"]
        if self.cluster.get("daemonsets.apps", namespace, reference.get("name", "")) is None:
            missing = errors.not_found("daemonsets.apps", reference.get("name", "")).message
            return Verdict(True, "Warning", missing) if self.options.force else Verdict(False, "Error", missing)
        if not self.options.ignore_daemonsets:
            return Verdict(False, "Error", DAEMONSET_FATAL)
        return Verdict(False, "Warning", DAEMONSET_WARNING)

    def mirror(self, pod: dict) -> Verdict:
        return Verdict(False, "Skip") if MIRROR_ANNOTATION in (pod["metadata"].get("annotations") or {}) \
            else Verdict(True)

    def local_storage(self, pod: dict) -> Verdict:
        uses_empty_dir = any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or ())
        if not uses_empty_dir or is_finished(pod):
            return Verdict(True)
        if not self.options.delete_emptydir_data:
            return Verdict(False, "Error", LOCAL_STORAGE_FATAL)
        return Verdict(True, "Warning", LOCAL_STORAGE_WARNING)

    def unreplicated(self, pod: dict) -> Verdict:
        if is_finished(pod) or controller_of(pod) is not None:
            return Verdict(True)
        if self.options.force:
            return Verdict(True, "Warning", UNMANAGED_WARNING)
        return Verdict(False, "Error", UNMANAGED_FATAL)

    # -- eviction and the wait ---------------------------------------------------------------------
    def remove(self, pods: list[dict]) -> list[str]:
        """Evict (or delete) the pods, let the control plane settle, report each pod that is gone."""
        evicting = not self.options.disable_eviction
        for pod in pods:
            if evicting:
                self.ctx.env.out(f"evicting pod {_namespaced(pod)}{_server_dry_run(self.options.dry_run)}\n")
            self.remove_one(pod, evicting)
        if self.options.dry_run == "server":
            return []
        from minikctl.controllers import reconcile

        reconcile(self.cluster)
        return self.report_gone(pods, "evicted" if evicting else "deleted")

    def remove_one(self, pod: dict, evicting: bool) -> None:
        """An Eviction (pods/eviction, always granted without PodDisruptionBudgets) is a delete of the pod."""
        from minikctl.api import server

        namespace, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        if evicting:
            self.ctx.authorize("create", PODS, namespace, name, "eviction")
        else:
            self.ctx.authorize("delete", PODS, namespace, name)
        if self.options.dry_run == "server" or self.cluster.get(PODS.key, namespace, name) is None:
            return
        server.delete(self.cluster, PODS, namespace, name)

    def report_gone(self, pods: list[dict], word: str) -> list[str]:
        """`pod/NAME evicted` for each pod gone (or replaced under its name); the errors of those that stay.

        Each eviction waits on its own (one error per pod); deletions wait together (one error).
        """
        waiting = []
        for pod in pods:
            meta = pod["metadata"]
            current = self.cluster.get(PODS.key, meta["namespace"], meta["name"])
            if current is None or current["metadata"].get("uid") != meta.get("uid"):
                self.ctx.env.out(f"pod/{meta['name']} {word}\n")
            elif self.long_terminating(current):
                seconds = self.options.skip_wait_seconds
                self.ctx.env.out(f'pod "{meta["name"]}" has DeletionTimestamp older than {seconds} seconds, skipping\n')
            else:
                waiting.append(pod)
        if not waiting:
            return []
        detail = DEADLINE_EXCEEDED if self.options.timeout > 0 else NEVER_GONE
        if self.options.disable_eviction:
            return [detail]
        return [f'error when waiting for pod "{p["metadata"]["name"]}" in namespace '
                f'"{p["metadata"]["namespace"]}" to terminate: {detail}' for p in waiting]


def _group_messages(judged: list[tuple[dict, Verdict]], reason: str) -> dict[str, str]:
    """message -> `ns/pod, ns/pod`, in the order the messages first appear."""
    grouped: dict[str, list[str]] = {}
    for pod, verdict in judged:
        if verdict.reason == reason:
            grouped.setdefault(verdict.message or "unexpected error", []).append(_namespaced(pod))
    return {message: ", ".join(pods) for message, pods in grouped.items()}


def _namespaced(pod: dict) -> str:
    return f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"


def _server_dry_run(mode: str) -> str:
    return " (server dry run)" if mode == "server" else ""
