"""Job and CronJob controller scenarios through the real CLI.

The kubelet is stood in for by `finish`, which ends pods in a phase, so counting can be followed.
"""

from __future__ import annotations

import io
import json

import pytest

from minikctl import controllers, store
from minikctl.cli.main import run
from minikctl.cluster import Cluster
from minikctl.env import Environment, parse_rfc3339

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


class Harness:
    def __init__(self, folder):
        self.folder = folder

    def __call__(self, *argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        env = Environment(stdout=out, stderr=err, cwd=str(self.folder), environ={"MINIKCTL_NOW": NOW})
        assert run(list(argv), env) == 0, err.getvalue()
        return out.getvalue()

    def json(self, *argv: str) -> dict:
        return json.loads(self(*argv, "-o", "json"))

    def apply(self, text: str) -> str:
        path = self.folder / "manifest.yaml"
        path.write_text(text)
        return self("apply", "-f", str(path))

    def edit(self, change) -> None:
        """Change the stored state as an outside actor would, then let the controllers reconcile."""
        path = str(self.folder / "state" / "cluster.json")
        with store.locked(path) as state:
            cluster = Cluster(state, parse_rfc3339(NOW))
            cluster.begin_write()
            change(cluster)
            controllers.reconcile(cluster)
            store.write_atomically(path, cluster.state.serialize())

    def pod_names(self) -> list[str]:
        return [p["metadata"]["name"] for p in self.json("get", "pods")["items"]]

    def start(self, *names: str) -> None:
        """Play scheduler and kubelet for the named pods: bound to kind-worker, Running and Ready."""
        def change(cluster):
            for name in names:
                pod = cluster.get("pods", "default", name)
                pod["spec"]["nodeName"] = "kind-worker"
                pod["status"] = {"phase": "Running", "conditions": [
                    {"type": "Ready", "status": "True", "lastTransitionTime": NOW}]}
                cluster.update(pod, "pods")
        self.edit(change)

    def events(self, kind: str = "StatefulSet") -> list[tuple[str, str]]:
        return [(e["reason"], e["message"]) for e in self.json("get", "events")["items"]
                if e["involvedObject"]["kind"] == kind]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setattr(controllers, "CONTROLLERS", ["job", "cronjob"])
    return Harness(tmp_path)


def apply_job(cli, spec="  backoffLimit: 6"):
    return cli.apply(JOB % {"spec": spec})


def finish(cli, phase, *names):
    def change(cluster):
        for name in names:
            pod = cluster.get("pods", "default", name)
            pod["status"] = {"phase": phase}
            cluster.update(pod, "pods")
    cli.edit(change)


def conditions(job):
    return [(c["type"], c["status"], c["reason"], c["message"]) for c in job["status"].get("conditions", [])]


def test_non_parallel_job_runs_one_tracked_pod_to_completion(cli):
    apply_job(cli)
    job = cli.json("get", "job", "pi")
    [pod] = cli.json("get", "pods")["items"]
    name = pod["metadata"]["name"]
    assert name.startswith("pi-") and len(name) == 8
    assert pod["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"]
    assert pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi"
    assert pod["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] == job["metadata"]["uid"]
    assert job["status"] == {"active": 1, "ready": 0, "startTime": NOW, "terminating": 0,
                             "uncountedTerminatedPods": {}}
    finish(cli, "Succeeded", name)
    job = cli.json("get", "job", "pi")
    assert "finalizers" not in cli.json("get", "pod", name)["metadata"]
    assert conditions(job) == [
        ("SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods"),
        ("Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods")]
    assert {k: v for k, v in job["status"].items() if k != "conditions"} == {
        "completionTime": NOW, "ready": 0, "startTime": NOW, "succeeded": 1, "terminating": 0,
        "uncountedTerminatedPods": {}}
    assert cli.events("Job") == [("SuccessfulCreate", f"Created pod: {name}"), ("Completed", "Job completed")]


def test_fixed_completion_count_keeps_parallelism_pods_running(cli):
    apply_job(cli, "  completions: 3\n  parallelism: 2")
    first = cli.pod_names()
    assert len(first) == 2
    finish(cli, "Succeeded", *first)
    names = cli.pod_names()
    assert len(names) == 3
    [last] = set(names) - set(first)
    assert cli.json("get", "job", "pi")["status"]["active"] == 1
    finish(cli, "Succeeded", last)
    assert cli.json("get", "job", "pi")["status"]["succeeded"] == 3
    assert len(cli.pod_names()) == 3


def test_work_queue_stops_creating_after_the_first_success(cli):
    apply_job(cli, "  parallelism: 2")
    first, second = cli.pod_names()
    finish(cli, "Succeeded", first)
    assert cli.pod_names() == [first, second]
    assert "conditions" not in cli.json("get", "job", "pi")["status"]
    finish(cli, "Succeeded", second)
    job = cli.json("get", "job", "pi")
    assert job["status"]["succeeded"] == 2 and conditions(job)[-1][0] == "Complete"


def test_indexed_job_names_and_completed_indexes(cli):
    apply_job(cli, "  completions: 3\n  parallelism: 3\n  completionMode: Indexed")
    pods = cli.json("get", "pods")["items"]
    by_index = {p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]: p for p in pods}
    assert sorted(by_index) == ["0", "1", "2"]
    pod = by_index["1"]
    assert pod["metadata"]["name"].startswith("pi-1-") and len(pod["metadata"]["name"]) == 10
    assert pod["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == "1"
    assert pod["spec"]["hostname"] == "pi-1"
    assert pod["spec"]["containers"][0]["env"] == [{"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
        "apiVersion": "v1", "fieldPath": "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}]
    finish(cli, "Succeeded", by_index["0"]["metadata"]["name"], by_index["2"]["metadata"]["name"])
    assert cli.json("get", "job", "pi")["status"]["completedIndexes"] == "0,2"
    finish(cli, "Failed", by_index["1"]["metadata"]["name"])
    retry = [p for p in cli.json("get", "pods")["items"] if p["metadata"]["name"] not in
             {q["metadata"]["name"] for q in pods}]
    assert [p["metadata"]["name"][:5] for p in retry] == ["pi-1-"]
    finish(cli, "Succeeded", retry[0]["metadata"]["name"])
    status = cli.json("get", "job", "pi")["status"]
    assert (status["completedIndexes"], status["succeeded"], status["failed"]) == ("0-2", 3, 1)


def test_backoff_limit_fails_the_job(cli):
    apply_job(cli, "  backoffLimit: 1")
    finish(cli, "Failed", *cli.pod_names())
    assert cli.json("get", "job", "pi")["status"]["failed"] == 1
    [_, retry] = cli.pod_names()
    finish(cli, "Failed", retry)
    job = cli.json("get", "job", "pi")
    reason = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    assert conditions(job) == [("FailureTarget", "True", *reason), ("Failed", "True", *reason)]
    assert job["status"]["failed"] == 2 and "completionTime" not in job["status"]
    assert len(cli.pod_names()) == 2
    assert ("BackoffLimitExceeded", "Job has reached the specified backoff limit") in cli.events("Job")


def test_a_finished_job_writes_nothing(cli):
    apply_job(cli)
    finish(cli, "Succeeded", *cli.pod_names())
    before = cli.json("get", "job", "pi")["metadata"]["resourceVersion"]
    cli.edit(lambda cluster: None)
    assert cli.json("get", "job", "pi")["metadata"]["resourceVersion"] == before


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


def test_cronjob_tracks_active_jobs_and_prunes_history(cli):
    cli.apply(CRON)
    assert cli.json("get", "cronjob", "hello")["status"] == {}
    cli("create", "job", "first", "--from=cronjob/hello")
    active = cli.json("get", "cronjob", "hello")["status"]["active"]
    assert [(a["kind"], a["name"]) for a in active] == [("Job", "first")]
    finish(cli, "Succeeded", *cli.pod_names())
    status = cli.json("get", "cronjob", "hello")["status"]
    assert status == {"lastSuccessfulTime": NOW}
    cli("create", "job", "second", "--from=cronjob/hello")
    finish(cli, "Succeeded", *[n for n in cli.pod_names() if n.startswith("second-")])
    assert [j["metadata"]["name"] for j in cli.json("get", "jobs")["items"]] == ["second"]
    assert cli.events("CronJob") == [
        ("SawCompletedJob", "Saw completed job: first, status: Complete"),
        ("SawCompletedJob", "Saw completed job: second, status: Complete"),
        ("SuccessfulDelete", "Deleted job first")]
