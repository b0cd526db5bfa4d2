"""Defaults: tests/data/defaults/<case>.in.yaml defaulted must equal <case>.out.yaml (pod: plus admission)."""

import copy
import pathlib

import pytest
import yaml

from minikctl.api.defaults import (admit_pod, apply_defaults, default_job_after_uid, image_pull_policy,
                                   qos_class)

DATA = pathlib.Path(__file__).parent / "data" / "defaults"
CASES = sorted(p.name.removesuffix(".in.yaml") for p in DATA.glob("*.in.yaml"))


def load(name):
    return yaml.safe_load((DATA / name).read_text())


def defaulted(case):
    obj = load(f"{case}.in.yaml")
    apply_defaults(obj)
    if obj["kind"] == "Pod":
        admit_pod(obj, lambda n: "abcde"[:n])
    return obj


@pytest.mark.parametrize("case", CASES)
def test_defaulted_object_matches_expected(case):
    assert defaulted(case) == load(f"{case}.out.yaml")


@pytest.mark.parametrize("case", CASES)
def test_defaulting_is_idempotent(case):
    once = defaulted(case)
    twice = copy.deepcopy(once)
    apply_defaults(twice)
    if twice["kind"] == "Pod":
        admit_pod(twice, lambda n: "zzzzz"[:n])
    assert twice == once


PULL_POLICIES = [("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
                 ("nginx@sha256:abc", "IfNotPresent"), ("localhost:5000/app", "Always"),
                 ("localhost:5000/app:v1", "IfNotPresent")]


@pytest.mark.parametrize("image,policy", PULL_POLICIES)
def test_image_pull_policy(image, policy):
    assert image_pull_policy(image) == policy


QOS = [
    ([{}], "BestEffort"),
    ([{"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}], "Guaranteed"),
    ([{"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}], "Burstable"),
    ([{"limits": {"cpu": "1"}}], "Burstable"),
    ([{"limits": {"cpu": "1", "memory": "1Gi"}}, {}], "Burstable"),
]


@pytest.mark.parametrize("resources,expected", QOS)
def test_qos_class(resources, expected):
    spec = {"containers": [{"name": f"c{i}", "resources": r} for i, r in enumerate(resources)]}
    assert qos_class(spec) == expected


JOB_SIZES = [({}, (1, 1)), ({"parallelism": 3}, (None, 3)), ({"completions": 5}, (5, 1))]


@pytest.mark.parametrize("spec,expected", JOB_SIZES)
def test_job_completions_and_parallelism(spec, expected):
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": dict(spec)}
    apply_defaults(job)
    assert (job["spec"].get("completions"), job["spec"]["parallelism"]) == expected


def test_job_selector_and_labels_after_uid():
    job = defaulted("job")
    job["metadata"]["uid"] = "u-1"
    default_job_after_uid(job)
    expected_labels = {"batch.kubernetes.io/controller-uid": "u-1", "controller-uid": "u-1",
                       "batch.kubernetes.io/job-name": "pi", "job-name": "pi"}
    assert job["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}}
    assert job["spec"]["template"]["metadata"]["labels"] == expected_labels
    assert job["metadata"]["labels"] == expected_labels


def test_no_token_volume_when_automount_is_off():
    pod = {"kind": "Pod", "metadata": {"name": "p"},
           "spec": {"automountServiceAccountToken": False, "containers": [{"name": "c", "image": "i"}]}}
    apply_defaults(pod)
    admit_pod(pod, lambda n: "x" * n)
    assert "volumes" not in pod["spec"] or pod["spec"]["volumes"] == []
    assert "volumeMounts" not in pod["spec"]["containers"][0]
