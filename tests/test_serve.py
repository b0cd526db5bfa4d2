"""`minikctl serve` against real clients: the installed kubectl 1.32 and the official Python client.

kubectl's output against the served state is compared byte for byte with minikctl's own output for
the same command on the same state. Every server is started and stopped by the test (the
`minikctl_server` plugin's `start`), on a free loopback port; every client call has a timeout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from minikctl.serve.pytest_plugin import start  # noqa: E402
from tests.conftest import FIXED_NOW, Cli  # noqa: E402

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
MANIFESTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "manifests")
TIMEOUT = 60


class Served:
    """A server on the Cli's state, with kubectl pointed at it."""

    def __init__(self, folder):
        self.cli = Cli(folder)
        environ = dict(os.environ, MINIKCTL_NOW=FIXED_NOW)
        self.server = start(str(folder), environ)
        assert self.server.state_path == self.cli.state_path

    def kubectl(self, command, stdin: str = "", timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
        argv = command.split() if isinstance(command, str) else list(command)
        env = dict(os.environ, KUBECONFIG=self.server.kubeconfig, HOME=self.cli.folder)
        return subprocess.run([KUBECTL, *argv], input=stdin, capture_output=True, text=True, env=env,
                              timeout=timeout, cwd=self.cli.folder)

    def same(self, command) -> str:
        """Run command with kubectl and with minikctl: stdout, stderr and exit code must match."""
        theirs = self.kubectl(command)
        ours = self.cli(command.split() if isinstance(command, str) else command)
        assert (theirs.returncode, theirs.stdout, theirs.stderr) == (ours.exit_code, ours.stdout, ours.stderr), command
        return theirs.stdout


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The demo manifests applied through kubectl against a served fresh state."""
    if KUBECTL is None:
        pytest.skip("kubectl is not installed")
    served = Served(tmp_path_factory.mktemp("shop"))
    applied = served.kubectl(["apply", "-f", MANIFESTS])
    assert applied.returncode == 0, applied.stderr
    served.applied = applied
    yield served
    served.server.stop()


@pytest.fixture
def served(tmp_path):
    served = Served(tmp_path)
    yield served
    served.server.stop()


# -- kubectl ---------------------------------------------------------------------------------

@needs_kubectl
def test_apply_prints_what_minikctl_apply_prints(shop, tmp_path):
    ours = Cli(tmp_path)(["apply", "-f", MANIFESTS])
    assert (shop.applied.stdout, shop.applied.stderr) == (ours.stdout, ours.stderr)


READS = [
    "get all -A",
    "get all -n shop -o wide",
    "get pods -A --show-labels",
    "get rs -n shop -L app",
    "get nodes -o wide",
    "get pods -n shop -l app=web",
    "get pods -A --field-selector spec.nodeName=kind-worker",
    "get svc my-service -n shop -o yaml",
    "get deploy web -n shop -o json",
    "get pods -n shop -o name",
    "get pods -n shop -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
    ["get", "svc", "-n", "shop", "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.clusterIP}{'\\n'}{end}"],
    "get events -n shop",
    "get hpa,quota,netpol,role,rolebinding -n shop",
    "get pvc -n shop",
    "describe svc my-service -n shop",
    "describe cm web-config -n shop",
    "rollout history deploy/web -n shop",
    "rollout status deploy/web -n shop",
    "auth can-i list pods -n shop --as jane",
    "auth can-i delete pods -n shop --as jane",
    "auth can-i --list -n shop --as jane",
    "auth whoami --as jane --as-group dev",
    "get pods -n shop --as jane",
    "get deploy -n shop --as jane",
    "get pod nosuch -n shop",
    "get nosuch",
]


@needs_kubectl
@pytest.mark.parametrize("command", READS, ids=lambda c: c if isinstance(c, str) else " ".join(c[:3]))
def test_kubectl_reads_match_minikctl(shop, command):
    shop.same(command)


def _events_without_ages(text: str) -> list[list[str]]:
    rows = [line.split() for line in text.split("Events:")[1].splitlines() if line.strip()]
    return rows[:2] + [row[:2] + row[3:] for row in rows[2:]]


@needs_kubectl
def test_describe_matches_but_for_event_ages(shop):
    """kubectl describe ages events with its own clock, not the server's (MINIKCTL_NOW here)."""
    theirs = shop.kubectl("describe deploy web -n shop")
    ours = shop.cli("describe deploy web -n shop")
    assert theirs.returncode == ours.exit_code == 0
    assert "ScalingReplicaSet" in ours.stdout
    assert theirs.stdout.split("Events:")[0] == ours.stdout.split("Events:")[0]
    assert _events_without_ages(theirs.stdout) == _events_without_ages(ours.stdout)


@needs_kubectl
def test_explain_reads_the_served_openapi(shop):
    result = shop.kubectl("explain deployment.spec.replicas")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
                                    "FIELD: replicas <integer>\n")
    assert "Number of desired pods." in result.stdout


WEB = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
"""


@needs_kubectl
def test_writes_through_kubectl_leave_the_state_minikctl_reads(served):
    served.cli.write("web.yaml", WEB)
    steps = [
        ("apply -f web.yaml", "deployment.apps/web created\n"),
        ("scale deploy web --replicas=4", "deployment.apps/web scaled\n"),
        ("set image deploy/web nginx=nginx:1.28", "deployment.apps/web image updated\n"),
        ("rollout undo deploy/web", "deployment.apps/web rolled back\n"),
        ("label deploy web tier=front", "deployment.apps/web labeled\n"),
        ("patch deploy web --type=merge -p {\"spec\":{\"replicas\":3}}", "deployment.apps/web patched\n"),
    ]
    for command, printed in steps:
        result = served.kubectl(command)
        assert (result.returncode, result.stdout, result.stderr) == (0, printed, ""), command
    for command in ("get deploy,rs,pods -o wide", "rollout history deploy/web", "get deploy web -o yaml"):
        served.same(command)
    deleted = served.kubectl("delete deploy web")
    assert (deleted.returncode, deleted.stdout) == (0, 'deployment.apps "web" deleted\n')
    served.same("get all")


@needs_kubectl
def test_refusals_are_the_api_servers(served):
    bad = WEB.replace("replicas: 2", "replicas: -1")
    for command in (["apply", "-f", "-"], ["create", "-f", "-"]):
        theirs = served.kubectl(command, stdin=bad)
        ours = served.cli(command, stdin=bad)
        assert (theirs.returncode, theirs.stderr) == (ours.exit_code, ours.stderr) == (1, ours.stderr)
        assert "is invalid: spec.replicas" in theirs.stderr
    served.same("delete deploy nosuch")
    served.same("scale deploy nosuch --replicas=1")


@needs_kubectl
def test_get_watch_sees_another_clients_scale(served):
    served.cli.write("web.yaml", WEB)
    served.cli("apply -f web.yaml")
    env = dict(os.environ, KUBECONFIG=served.server.kubeconfig, HOME=served.cli.folder)
    watcher = subprocess.Popen([KUBECTL, "get", "deploy", "web", "-w", "--request-timeout=20s"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert watcher.stdout.readline().split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
        assert watcher.stdout.readline().split() == ["web", "2/2", "2", "2", "0s"]
        assert served.cli("scale deploy web --replicas=5").stdout == "deployment.apps/web scaled\n"
        assert watcher.stdout.readline().split() == ["web", "5/5", "5", "5", "0s"]
    finally:
        watcher.kill()
        watcher.communicate(timeout=TIMEOUT)


@needs_kubectl
def test_dry_run_server_stores_nothing(served):
    served.cli.write("web.yaml", WEB)
    before = served.cli.state_bytes()
    result = served.kubectl("apply -f web.yaml --dry-run=server")
    assert (result.returncode, result.stdout) == (0, "deployment.apps/web created (server dry run)\n")
    assert served.cli.state_bytes() == before


# -- the official Python client ---------------------------------------------------------------

def test_python_client_lists_creates_patches_and_watches(served):
    kubernetes = pytest.importorskip("kubernetes")
    from kubernetes import client, config, watch

    config.load_kube_config(config_file=served.server.kubeconfig)
    apps, core = client.AppsV1Api(), client.CoreV1Api()
    assert sorted(ns.metadata.name for ns in core.list_namespace().items) == [
        "default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"]
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}}
    apps.create_namespaced_deployment("default", body)
    pods = core.list_namespaced_pod("default", label_selector="app=web")
    assert [p.status.phase for p in pods.items] == ["Running"]
    stream = watch.Watch().stream(core.list_namespaced_pod, "default", label_selector="app=web",
                                  resource_version=pods.metadata.resource_version, timeout_seconds=20)
    apps.patch_namespaced_deployment_scale("web", "default", {"spec": {"replicas": 3}})
    added = set()
    for event in stream:
        if event["type"] == "ADDED":
            added.add(event["object"].metadata.name)
        if len(added) == 2:
            break
    assert added == {p.metadata.name for p in core.list_namespaced_pod("default").items} - {pods.items[0].metadata.name}
    assert apps.read_namespaced_deployment("web", "default").status.ready_replicas == 3
    with pytest.raises(client.exceptions.ApiException) as refused:
        core.read_namespaced_pod("nosuch", "default")
    assert refused.value.status == 404


# -- the pytest plugin ----------------------------------------------------------------------

def test_minikctl_server_fixture_serves_a_fresh_cluster(minikctl_server):
    import json
    import urllib.request

    with urllib.request.urlopen(minikctl_server.url + "/api/v1/namespaces/kube-system/pods?limit=2", timeout=10) as r:
        page = json.load(r)
    assert page["kind"] == "PodList" and len(page["items"]) == 2 and page["metadata"]["continue"]
    with open(minikctl_server.kubeconfig, encoding="utf-8") as handle:
        assert f"server: {minikctl_server.url}\n" in handle.read()
    assert os.path.dirname(minikctl_server.kubeconfig) == os.path.dirname(minikctl_server.state_path)
