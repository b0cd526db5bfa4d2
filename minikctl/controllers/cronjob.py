"""CronJob controller, without the clock: track the Jobs a CronJob owns and prune their history.

There is no running clock between commands, so no Job is started on schedule; Jobs made with
`create job --from=cronjob/...` are owned by the CronJob and followed here
(kubernetes/kubernetes: pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob, cleanupFinishedJobs;
pkg/controller/cronjob/utils.go).
"""

from __future__ import annotations

from minikctl.api import server

from minikctl.core import kinds
from minikctl.cluster import Cluster
from minikctl.core.ownership import controller_of
from minikctl.controllers.common import record_event

KEY = "cronjobs.batch"
JOBS = "jobs.batch"
COMPONENT = "cronjob-controller"


# What queues this (still whole-state) controller in the manager (controllers/manager.py).
WATCHES = ("cronjobs.batch", "jobs.batch")


def reconcile(cluster: Cluster) -> None:
    jobs_by_owner: dict[str, list[dict]] = {}
    for job in cluster.list(JOBS):
        reference = controller_of(job)
        if reference is not None and reference.get("kind") == "CronJob":
            jobs_by_owner.setdefault(reference["uid"], []).append(job)
    for cron_job in cluster.list(KEY):
        if not cron_job["metadata"].get("deletionTimestamp"):
            sync(cluster, cron_job, jobs_by_owner.get(cron_job["metadata"]["uid"], []))


def finished_type(job: dict) -> str | None:
    for condition in (job.get("status") or {}).get("conditions") or ():
        if condition.get("type") in ("Complete", "Failed") and condition.get("status") == "True":
            return condition["type"]
    return None


def job_reference(job: dict) -> dict:
    meta = job["metadata"]
    return {"apiVersion": "batch/v1", "kind": "Job", "name": meta["name"], "namespace": meta["namespace"],
            "resourceVersion": meta.get("resourceVersion", ""), "uid": meta["uid"]}


def sync(cluster: Cluster, cron_job: dict, jobs: list[dict]) -> None:
    status = cron_job.setdefault("status", {})
    was_active = {r.get("uid") for r in status.get("active") or ()}
    active = []
    for job in jobs:
        outcome = finished_type(job)
        if outcome is None:
            active.append(job_reference(job))
            continue
        if job["metadata"]["uid"] in was_active:
            record_event(cluster, cron_job, "Normal", "SawCompletedJob",
                         f"Saw completed job: {job['metadata']['name']}, status: {outcome}", COMPONENT)
        completion = (job.get("status") or {}).get("completionTime")
        if outcome == "Complete" and completion and completion > status.get("lastSuccessfulTime", ""):
            status["lastSuccessfulTime"] = completion
    if active:
        status["active"] = active
    else:
        status.pop("active", None)
    spec = cron_job["spec"]
    prune(cluster, cron_job, [j for j in jobs if finished_type(j) == "Complete"],
          spec.get("successfulJobsHistoryLimit", 3))
    prune(cluster, cron_job, [j for j in jobs if finished_type(j) == "Failed"], spec.get("failedJobsHistoryLimit", 1))
    cluster.update(cron_job, KEY)


def prune(cluster: Cluster, cron_job: dict, finished: list[dict], limit: int) -> None:
    """Delete the oldest finished Jobs beyond the history limit (by start time, as byJobStartTime)."""
    ordered = sorted(finished, key=lambda j: ((j.get("status") or {}).get("startTime") or "9999",
                                              j["metadata"].get("creationTimestamp", ""), j["metadata"]["name"]))
    for job in ordered[:max(len(ordered) - limit, 0)]:
        server.delete(cluster, kinds.BY_KEY[JOBS], job["metadata"]["namespace"], job["metadata"]["name"])
        record_event(cluster, cron_job, "Normal", "SuccessfulDelete", f"Deleted job {job['metadata']['name']}",
                     COMPONENT)
