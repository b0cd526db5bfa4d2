"""kubectl run: one Pod from an image, as kubectl's generator builds it."""

import pytest

CLIENT_POD = """apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: client
  name: client
spec:
  containers:
  - args:
    - sleep
    - "3600"
    image: busybox:1.36
    name: client
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""


def test_dry_run_prints_the_generated_pod(cli):
    assert cli("run client --image=busybox:1.36 --dry-run=client -o yaml -- sleep 3600").stdout == CLIENT_POD


def test_run_creates_a_pod_that_the_cluster_starts(cli):
    assert cli("run client --image=busybox:1.36 -- sleep 3600").stdout == "pod/client created\n"
    assert cli("get pod client -o jsonpath={.status.phase},{.metadata.labels.run}").stdout == "Running,client"


def test_flags_shape_the_pod(cli):
    cli("run web --image=nginx --port=80 --labels=app=web,tier=fe --env=MODE=prod --restart=Never "
        "--command -- nginx -g daemon")
    pod = cli("get pod web -o jsonpath={.metadata.labels.app},{.metadata.labels.tier},"
              "{.spec.containers[0].ports[0].containerPort},{.spec.containers[0].env[0].value},"
              "{.spec.restartPolicy},{.spec.containers[0].command[0]}").stdout
    assert pod == "web,fe,80,prod,Never,nginx"


@pytest.mark.parametrize("command, message", [
    ("run x", 'error: required flag(s) "image" not set\n'),
    ("run x --image=b --restart=Bogus", "error: invalid restart policy: Bogus\nSee 'minikctl run -h' for help and examples\n"),
    ("run x --image=b --port=abc", 'error: strconv.Atoi: parsing "abc": invalid syntax\n'),
])
def test_bad_invocations_change_nothing(cli, command, message):
    cli("get ns")
    before = cli.state_bytes()
    result = cli(command)
    assert (result.exit_code, result.stderr) == (1, message)
    assert cli.state_bytes() == before


def test_attaching_is_refused_clearly(cli):
    result = cli("run -it shell --image=busybox --rm -- sh")
    assert result.exit_code == 1
    assert "not simulated" in result.stderr


@pytest.mark.parametrize("command", [
    "run client --image=busybox:1.36 --dry-run=client -o yaml sleep 3600",
    "run client --image=busybox:1.36 --dry-run=client -o yaml sleep -- 3600",
])
def test_arguments_after_the_name_are_the_containers_args_with_or_without_dashes(cli, command):
    """cobra gives run.go every argument after NAME, `--` or not (kubectl pkg/cmd/run/run.go)."""
    assert cli(command).stdout == CLIENT_POD


def test_command_and_overrides(cli):
    pod = cli.ok(["run", "c", "--image=busybox", "--command", "--dry-run=client", "-o", "json",
                  '--overrides={"spec":{"nodeName":"kind-worker"}}', "--", "sh", "-c", "true"])
    import json

    spec = json.loads(pod)["spec"]
    assert (spec["containers"][0]["command"], spec["nodeName"]) == (["sh", "-c", "true"], "kind-worker")
    result = cli("run c --image=busybox --override-type=bogus")
    assert (result.exit_code, result.stderr) == (1, "error: invalid override type: bogus\n")
