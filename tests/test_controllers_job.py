"""Job and CronJob controller scenarios through the real CLI.

The kubelet is stood in for by `finish`, which ends pods in a phase, so counting can be followed.
"""

from __future__ import annotations

import pytest

NOW = "2026-01-01T00:00:00Z"

JOB = """
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
%(spec)s
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl}]
"""


@pytest.fixture(autouse=True)
def _only_the_controllers_under_test(only_controllers):
    only_controllers("job", "cronjob")


def apply_job(kubectl, spec="  backoffLimit: 6"):
    return kubectl.apply(JOB % {"spec": spec})


def finish(kubectl, phase, *names):
    def change(cluster):
        for name in names:
            pod = cluster.get("pods", "default", name)
            pod["status"] = {"phase": phase}
            cluster.update(pod, "pods")
    kubectl.edit(change)


def conditions(job):
    return [(c["type"], c["status"], c["reason"], c["message"]) for c in job["status"].get("conditions", [])]


def test_non_parallel_job_runs_one_tracked_pod_to_completion(kubectl):
    apply_job(kubectl)
    job = kubectl.json("get", "job", "pi")
    [pod] = kubectl.json("get", "pods")["items"]
    name = pod["metadata"]["name"]
    assert name.startswith("pi-") and len(name) == 8
    assert pod["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"]
    assert pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi"
    assert pod["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] == job["metadata"]["uid"]
    assert job["status"] == {"active": 1, "ready": 0, "startTime": NOW, "terminating": 0,
                             "uncountedTerminatedPods": {}}
    finish(kubectl, "Succeeded", name)
    job = kubectl.json("get", "job", "pi")
    assert "finalizers" not in kubectl.json("get", "pod", name)["metadata"]
    assert conditions(job) == [
        ("SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods"),
        ("Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods")]
    assert {k: v for k, v in job["status"].items() if k != "conditions"} == {
        "completionTime": NOW, "ready": 0, "startTime": NOW, "succeeded": 1, "terminating": 0,
        "uncountedTerminatedPods": {}}
    assert kubectl.events_about("Job") == [("SuccessfulCreate", f"Created pod: {name}"), ("Completed", "Job completed")]


def test_fixed_completion_count_keeps_parallelism_pods_running(kubectl):
    apply_job(kubectl, "  completions: 3\n  parallelism: 2")
    first = kubectl.pod_names()
    assert len(first) == 2
    finish(kubectl, "Succeeded", *first)
    names = kubectl.pod_names()
    assert len(names) == 3
    [last] = set(names) - set(first)
    assert kubectl.json("get", "job", "pi")["status"]["active"] == 1
    finish(kubectl, "Succeeded", last)
    assert kubectl.json("get", "job", "pi")["status"]["succeeded"] == 3
    assert len(kubectl.pod_names()) == 3


def test_work_queue_stops_creating_after_the_first_success(kubectl):
    apply_job(kubectl, "  parallelism: 2")
    first, second = kubectl.pod_names()
    finish(kubectl, "Succeeded", first)
    assert kubectl.pod_names() == [first, second]
    assert "conditions" not in kubectl.json("get", "job", "pi")["status"]
    finish(kubectl, "Succeeded", second)
    job = kubectl.json("get", "job", "pi")
    assert job["status"]["succeeded"] == 2 and conditions(job)[-1][0] == "Complete"


def test_indexed_job_names_and_completed_indexes(kubectl):
    apply_job(kubectl, "  completions: 3\n  parallelism: 3\n  completionMode: Indexed")
    pods = kubectl.json("get", "pods")["items"]
    by_index = {p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]: p for p in pods}
    assert sorted(by_index) == ["0", "1", "2"]
    pod = by_index["1"]
    assert pod["metadata"]["name"].startswith("pi-1-") and len(pod["metadata"]["name"]) == 10
    assert pod["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == "1"
    assert pod["spec"]["hostname"] == "pi-1"
    assert pod["spec"]["containers"][0]["env"] == [{"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
        "apiVersion": "v1", "fieldPath": "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}]
    finish(kubectl, "Succeeded", by_index["0"]["metadata"]["name"], by_index["2"]["metadata"]["name"])
    assert kubectl.json("get", "job", "pi")["status"]["completedIndexes"] == "0,2"
    finish(kubectl, "Failed", by_index["1"]["metadata"]["name"])
    retry = [p for p in kubectl.json("get", "pods")["items"] if p["metadata"]["name"] not in
             {q["metadata"]["name"] for q in pods}]
    assert [p["metadata"]["name"][:5] for p in retry] == ["pi-1-"]
    finish(kubectl, "Succeeded", retry[0]["metadata"]["name"])
    status = kubectl.json("get", "job", "pi")["status"]
    assert (status["completedIndexes"], status["succeeded"], status["failed"]) == ("0-2", 3, 1)


def test_backoff_limit_fails_the_job(kubectl):
    apply_job(kubectl, "  backoffLimit: 1")
    finish(kubectl, "Failed", *kubectl.pod_names())
    assert kubectl.json("get", "job", "pi")["status"]["failed"] == 1
    [_, retry] = kubectl.pod_names()
    finish(kubectl, "Failed", retry)
    job = kubectl.json("get", "job", "pi")
    reason = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    assert conditions(job) == [("FailureTarget", "True", *reason), ("Failed", "True", *reason)]
    assert job["status"]["failed"] == 2 and "completionTime" not in job["status"]
    assert len(kubectl.pod_names()) == 2
    assert ("BackoffLimitExceeded", "Job has reached the specified backoff limit") in kubectl.events_about("Job")


def test_a_finished_job_writes_nothing(kubectl):
    apply_job(kubectl)
    finish(kubectl, "Succeeded", *kubectl.pod_names())
    before = kubectl.json("get", "job", "pi")["metadata"]["resourceVersion"]
    kubectl.edit(lambda cluster: None)
    assert kubectl.json("get", "job", "pi")["metadata"]["resourceVersion"] == before


CRON = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: hello}
spec:
  schedule: "*/1 * * * *"
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: hello, image: busybox}]
"""


def test_cronjob_tracks_active_jobs_and_prunes_history(kubectl):
    kubectl.apply(CRON)
    assert kubectl.json("get", "cronjob", "hello")["status"] == {}
    kubectl("create", "job", "first", "--from=cronjob/hello")
    active = kubectl.json("get", "cronjob", "hello")["status"]["active"]
    assert [(a["kind"], a["name"]) for a in active] == [("Job", "first")]
    finish(kubectl, "Succeeded", *kubectl.pod_names())
    status = kubectl.json("get", "cronjob", "hello")["status"]
    assert status == {"lastSuccessfulTime": NOW}
    kubectl("create", "job", "second", "--from=cronjob/hello")
    finish(kubectl, "Succeeded", *[n for n in kubectl.pod_names() if n.startswith("second-")])
    assert [j["metadata"]["name"] for j in kubectl.json("get", "jobs")["items"]] == ["second"]
    assert kubectl.events_about("CronJob") == [
        ("SawCompletedJob", "Saw completed job: first, status: Complete"),
        ("SawCompletedJob", "Saw completed job: second, status: Complete"),
        ("SuccessfulDelete", "Deleted job first")]
