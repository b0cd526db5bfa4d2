"""Job controller: run pods to a number of completions, count outcomes, finish Complete or Failed.

Follows kubernetes/kubernetes: pkg/controller/job/job_controller.go (syncJob, manageJob, finalizer
tracking with status.uncountedTerminatedPods, the interim SuccessCriteriaMet/FailureTarget conditions
of 1.31+) and pkg/controller/job/indexed_job_utils.go (completion indexes, `<job>-<index>-` names).
The pod failure back-off is not modelled: there is no clock between reconcile rounds.
"""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.api import server
from minikctl.core import kinds
from minikctl.cluster import Cluster
from minikctl.core.clock import parse_time
from minikctl.core.conditions import is_finished, is_running_and_ready, is_terminating, set_condition
from minikctl.controllers import manager
from minikctl.controllers.common import pod_from_template, record_event, record_event_once, release_finalizer

KEY = "jobs.batch"
COMPONENT = "job-controller"
TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
INDEX_KEY = "batch.kubernetes.io/job-completion-index"
PODS = kinds.BY_KEY["pods"]
COMPLETED = ("CompletionsReached", "Reached expected number of succeeded pods")
BACKOFF_EXCEEDED = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
DEADLINE_EXCEEDED = ("DeadlineExceeded", "Job was active longer than specified deadline")


def sync(cluster: Cluster, indexes: manager.Indexes, key: str) -> None:
    """Key: a Job's namespace/name."""
    namespace, _, name = key.partition("/")
    job = cluster.get(KEY, namespace, name)
    if job is None or job["metadata"].get("deletionTimestamp"):
        return
    JobSync(cluster, job, indexes.owned("pods", job["metadata"]["uid"])).run()


def _unfinished_jobs(cluster: Cluster, indexes: manager.Indexes) -> list[str]:
    """activeDeadlineSeconds and backoff move with the clock: unfinished Jobs are looked at each pass."""
    section = cluster.state.section(KEY)
    return [key for key in section.keys() if b'"type":"Complete"' not in section.raw[key]
            and b'"type":"Failed"' not in section.raw[key]]


CONTROLLER = manager.Controller("job", {KEY: manager.own_key, "pods": manager.controller_key("Job")}, sync,
                                resync=_unfinished_jobs)


def phase(pod: dict) -> str:
    return (pod.get("status") or {}).get("phase", "")


def pod_index(pod: dict) -> int | None:
    value = (pod["metadata"].get("annotations") or {}).get(INDEX_KEY, "")
    return int(value) if value.isdigit() else None


def parse_indexes(text: str) -> set[int]:
    """`0-2,4` → {0, 1, 2, 4}"""
    indexes: set[int] = set()
    for part in filter(None, (text or "").split(",")):
        first, _, last = part.partition("-")
        indexes.update(range(int(first), int(last or first) + 1))
    return indexes


def format_indexes(indexes: set[int]) -> str:
    """{0, 1, 2, 4} → `0-2,4` (consecutive runs as ranges)."""
    runs: list[list[int]] = []
    for index in sorted(indexes):
        if runs and runs[-1][1] == index - 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def has_condition(job: dict, condition_type: str) -> bool:
    return any(c.get("type") == condition_type and c.get("status") == "True"
               for c in (job.get("status") or {}).get("conditions") or ())


class JobSync:
    def __init__(self, cluster: Cluster, job: dict, pods: list[dict]):
        self.cluster = cluster
        self.job = job
        self.spec = job["spec"]
        self.name = job["metadata"]["name"]
        self.namespace = job["metadata"]["namespace"]
        self.pods = pods
        self.status = copy.deepcopy(job.get("status") or {})
        self.indexed = self.spec.get("completionMode") == "Indexed"

    def run(self) -> None:
        self.count_finished_pods()
        if has_condition(self.job, "Complete") or has_condition(self.job, "Failed"):
            self.write_status()
            return
        if self.spec.get("suspend"):
            self.suspend()
        else:
            self.resume()
            self.status.setdefault("startTime", self.cluster.timestamp)
            failure = self.failure_reason()
            if failure:
                self.fail(failure)
            elif self.success_reached():
                self.succeed()
            else:
                self.manage_active()
        self.write_status()

    # -- counting ------------------------------------------------------------------------------
    def count_finished_pods(self) -> None:
        """Count each finished (or deleted unfinished) pod once, then drop its tracking finalizer."""
        completed = parse_indexes(self.status.get("completedIndexes", ""))
        for pod in self.pods:
            if TRACKING_FINALIZER not in (pod["metadata"].get("finalizers") or ()):
                continue
            if phase(pod) == "Succeeded":
                self.status["succeeded"] = self.status.get("succeeded", 0) + 1
                if pod_index(pod) is not None:
                    completed.add(pod_index(pod))
            elif phase(pod) == "Failed" or is_terminating(pod):
                self.status["failed"] = self.status.get("failed", 0) + 1
            else:
                continue
            release_finalizer(self.cluster, "pods", pod, TRACKING_FINALIZER)
        if self.indexed:
            self.status["completedIndexes"] = format_indexes(completed)

    def stored_pods(self) -> list[dict]:
        found = (self.cluster.get("pods", self.namespace, p["metadata"]["name"]) for p in self.pods)
        return [p for p in found if p is not None]

    def active_pods(self) -> list[dict]:
        return [p for p in self.stored_pods() if not is_finished(p) and not is_terminating(p)]

    # -- outcome -------------------------------------------------------------------------------
    def failure_reason(self) -> tuple[str, str] | None:
        backoff_limit = self.spec.get("backoffLimit", 6)
        if self.status.get("failed", 0) > backoff_limit:
            return BACKOFF_EXCEEDED
        if self.restart_limit_reached(backoff_limit):
            return BACKOFF_EXCEEDED
        deadline = self.spec.get("activeDeadlineSeconds")
        if deadline is not None and (self.cluster.now - parse_time(self.status["startTime"])).total_seconds() >= deadline:
            return DEADLINE_EXCEEDED
        return None

    def restart_limit_reached(self, backoff_limit: int) -> bool:
        """restartPolicy OnFailure: container restarts of live pods count against the limit."""
        template_spec = (self.spec.get("template") or {}).get("spec") or {}
        if template_spec.get("restartPolicy") != "OnFailure":
            return False
        restarts = sum(s.get("restartCount", 0) for p in self.active_pods()
                       for key in ("initContainerStatuses", "containerStatuses")
                       for s in (p.get("status") or {}).get(key) or ())
        return restarts >= backoff_limit if backoff_limit else restarts > 0

    def success_reached(self) -> bool:
        completions = self.spec.get("completions")
        if completions is None:
            return self.status.get("succeeded", 0) > 0 and not self.active_pods()
        if self.indexed:
            return len(parse_indexes(self.status.get("completedIndexes", ""))) >= completions
        return self.status.get("succeeded", 0) >= completions

    def fail(self, reason: tuple[str, str]) -> None:
        for pod in self.active_pods():
            self.delete_pod(pod)
        self.finish("FailureTarget", "Failed", reason)
        if has_condition(self.job_view(), "Failed"):
            record_event(self.cluster, self.job, "Warning", reason[0], reason[1], COMPONENT)

    def succeed(self) -> None:
        for pod in self.active_pods():
            self.delete_pod(pod)
        self.finish("SuccessCriteriaMet", "Complete", COMPLETED)
        if has_condition(self.job_view(), "Complete"):
            self.status["completionTime"] = self.cluster.timestamp
            record_event(self.cluster, self.job, "Normal", "Completed", "Job completed", COMPONENT)

    def finish(self, interim: str, terminal: str, reason: tuple[str, str]) -> None:
        """The interim condition at once; the terminal one when no pod of the Job is still terminating."""
        conditions = self.status.setdefault("conditions", [])
        set_condition(conditions, interim, "True", *reason, now=self.cluster.timestamp, extra_times=("lastProbeTime",))
        if not any(is_terminating(p) for p in self.stored_pods()):
            set_condition(conditions, terminal, "True", *reason, now=self.cluster.timestamp,
                          extra_times=("lastProbeTime",))

    def job_view(self) -> dict:
        return {"status": self.status}

    # -- suspension ----------------------------------------------------------------------------
    def suspend(self) -> None:
        for pod in self.active_pods():
            self.delete_pod(pod)
        self.status.pop("startTime", None)
        conditions = self.status.setdefault("conditions", [])
        if set_condition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now=self.cluster.timestamp,
                         extra_times=("lastProbeTime",)):
            record_event(self.cluster, self.job, "Normal", "Suspended", "Job suspended", COMPONENT)

    def resume(self) -> None:
        if not has_condition(self.job_view(), "Suspended"):
            return
        set_condition(self.status["conditions"], "Suspended", "False", "JobResumed", "Job resumed",
                      now=self.cluster.timestamp, extra_times=("lastProbeTime",))
        self.status["startTime"] = self.cluster.timestamp
        record_event(self.cluster, self.job, "Normal", "Resumed", "Job resumed", COMPONENT)

    # -- pods ----------------------------------------------------------------------------------
    def manage_active(self) -> None:
        """Create or delete pods so that as many run as the mode allows (manageJob)."""
        active = self.active_pods()
        parallelism = self.spec.get("parallelism", 1)
        if self.indexed:
            self.manage_indexes(active, parallelism)
            return
        completions = self.spec.get("completions")
        if completions is None:
            # After a first success, whatever runs keeps running and nothing new starts.
            wanted = len(active) if self.status.get("succeeded", 0) else parallelism
        else:
            wanted = min(parallelism, max(completions - self.status.get("succeeded", 0), 0))
        for pod in sorted(active, key=lambda p: p["metadata"]["name"])[wanted:]:
            self.delete_pod(pod)
        for _ in range(wanted - len(active)):
            if not self.create_pod(None):
                return

    def manage_indexes(self, active: list[dict], parallelism: int) -> None:
        """Lowest missing indexes first; one active pod per index; at most parallelism active."""
        completed = parse_indexes(self.status.get("completedIndexes", ""))
        running = {pod_index(p) for p in active}
        missing = [i for i in range(self.spec.get("completions", 1)) if i not in completed and i not in running]
        for index in missing[:max(parallelism - len(active), 0)]:
            if not self.create_pod(index):
                return

    def create_pod(self, index: int | None) -> bool:
        """False when admission refuses the pod: a FailedCreate event, and no more creates this pass
        (kubernetes/kubernetes: pkg/controller/controller_utils.go RealPodControl.createPods)."""
        template = copy.deepcopy(self.spec["template"])
        extra_labels = {}
        if index is not None:
            add_completion_index(template, index, self.name)
            extra_labels[INDEX_KEY] = str(index)
        prefix = f"{self.name}-" if index is None else f"{self.name}-{index}-"
        try:
            pod = pod_from_template(self.cluster, self.job, template, generate_name=prefix[:58],
                                    extra_labels=extra_labels, finalizers=[TRACKING_FINALIZER])
        except errors.APIError as refusal:
            record_event_once(self.cluster, self.job, "Warning", "FailedCreate", f"Error creating: {refusal.message}",
                              COMPONENT)
            return False
        self.pods.append(pod)
        record_event(self.cluster, self.job, "Normal", "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}",
                     COMPONENT)
        return True

    def delete_pod(self, pod: dict) -> None:
        server.delete(self.cluster, PODS, self.namespace, pod["metadata"]["name"])
        record_event(self.cluster, self.job, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}",
                     COMPONENT)

    # -- status --------------------------------------------------------------------------------
    def write_status(self) -> None:
        pods = self.stored_pods()
        active = self.active_pods()
        status = self.status
        status["active"] = len(active)
        status["ready"] = sum(1 for p in active if is_running_and_ready(p))
        status["terminating"] = sum(1 for p in pods if is_terminating(p) and not is_finished(p))
        status["uncountedTerminatedPods"] = {}
        for field in ("active", "succeeded", "failed", "completedIndexes"):
            if not status.get(field):
                status.pop(field, None)
        self.job["status"] = status
        self.cluster.update(self.job, KEY)


def add_completion_index(template: dict, index: int, job_name: str) -> None:
    """Annotation, env var JOB_COMPLETION_INDEX and hostname `<job>-<index>` for an Indexed Job pod."""
    meta = template.setdefault("metadata", {})
    meta.setdefault("annotations", {})[INDEX_KEY] = str(index)
    spec = template.setdefault("spec", {})
    spec.setdefault("hostname", f"{job_name}-{index}")
    variable = {"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
        "apiVersion": "v1", "fieldPath": f"metadata.annotations['{INDEX_KEY}']"}}}
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or ():
            container.setdefault("env", []).append(copy.deepcopy(variable))
