"""The test harness: run minikctl's real CLI in-process against a state file in a temp folder."""

from __future__ import annotations

import io
import json
import os
import shlex
from dataclasses import dataclass

import pytest

from minikctl.cli.main import run
from minikctl.env import Environment

FIXED_NOW = "2026-11-25T12:00:00Z"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


class Cli:
    """Call like a shell: cli("get pods -A") or cli(["get", "pods"]); stdin= feeds `-f -`."""

    def __init__(self, folder, now: str = FIXED_NOW):
        self.folder = str(folder)
        self.environ = {"MINIKCTL_NOW": now}

    @property
    def state_path(self) -> str:
        return os.path.join(self.folder, "state", "cluster.json")

    def state_bytes(self) -> bytes:
        with open(self.state_path, "rb") as handle:
            return handle.read()

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def at(self, now: str) -> "Cli":
        self.environ["MINIKCTL_NOW"] = now
        return self

    def ok(self, command, stdin: str = "") -> str:
        """Run a command that must succeed without a word on stderr; its stdout."""
        result = self(command, stdin)
        assert (result.exit_code, result.stderr) == (0, ""), result
        return result.stdout

    def fails(self, command, stderr: str, stdout: str = "") -> None:
        """Run a command that must fail with exit 1 and exactly these texts, leaving the state as it was."""
        before = self.state_bytes()
        result = self(command)
        assert (result.exit_code, result.stdout, result.stderr) == (1, stdout, stderr)
        assert self.state_bytes() == before

    def apply(self, name: str, text: str) -> "Cli":
        """Write a manifest file and `apply -f` it; the apply must succeed."""
        self.write(name, text)
        assert self(f"apply -f {name}").exit_code == 0
        return self

    def __call__(self, command, stdin: str = "") -> Result:
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        stdout, stderr = io.StringIO(), io.StringIO()
        env = Environment(stdout=stdout, stderr=stderr, stdin=io.StringIO(stdin), environ=dict(self.environ),
                          cwd=self.folder)
        code = run(argv, env)
        return Result(code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def cli(tmp_path) -> Cli:
    return Cli(tmp_path)


@pytest.fixture
def web(cli, request) -> Cli:
    """The test module's WEB manifest written to web.yaml and applied."""
    return cli.apply("web.yaml", request.module.WEB)


SCENARIO_NOW = "2026-01-01T00:00:00Z"


class Kubectl:
    """Scenario driver for controller tests: kubectl("get", "pods") returns stdout and fails the test on
    a non-zero exit; `now` moves the clock between commands."""

    def __init__(self, folder, now: str = SCENARIO_NOW):
        self.folder = folder
        self.now = now

    def __call__(self, *argv: str, stdin: str = "") -> str:
        stdout, stderr = io.StringIO(), io.StringIO()
        env = Environment(stdout=stdout, stderr=stderr, stdin=io.StringIO(stdin), cwd=str(self.folder),
                          environ={"MINIKCTL_NOW": self.now})
        assert run(list(argv), env) == 0, stderr.getvalue()
        return stdout.getvalue()

    def json(self, *argv: str) -> dict:
        return json.loads(self(*argv, "-o", "json"))

    def apply(self, text: str) -> str:
        return self("apply", "-f", "-", stdin=text)

    def event_messages(self, reason: str = "") -> list[str]:
        return [e["message"] for e in self.json("get", "events")["items"] if not reason or e["reason"] == reason]

    def events_about(self, kind: str) -> list[tuple[str, str]]:
        return [(e["reason"], e["message"]) for e in self.json("get", "events")["items"]
                if e["involvedObject"]["kind"] == kind]

    def pod_names(self) -> list[str]:
        return [p["metadata"]["name"] for p in self.json("get", "pods")["items"]]

    def edit(self, change) -> None:
        """Change the stored state as an outside actor would, then let the controllers reconcile."""
        from minikctl import controllers, store
        from minikctl.cluster import Cluster
        from minikctl.core.clock import parse_time

        path = str(self.folder / "state" / "cluster.json")
        with store.locked(path) as state:
            cluster = Cluster(state, parse_time(self.now))
            cluster.begin_write()
            change(cluster)
            controllers.reconcile(cluster)
            store.write_atomically(path, cluster.state.serialize())

    def start(self, *names: str) -> None:
        """Play scheduler and kubelet for the named pods: bound (to their pinned node, else kind-worker),
        Running and Ready."""
        def change(cluster):
            for name in names:
                pod = cluster.get("pods", "default", name)
                pod["spec"]["nodeName"] = _pinned_node(pod) or "kind-worker"
                pod["status"] = {"phase": "Running", "conditions": [
                    {"type": "Ready", "status": "True", "lastTransitionTime": self.now}]}
                cluster.update(pod, "pods")
        self.edit(change)


def _pinned_node(pod: dict) -> str | None:
    """The node a DaemonSet pins its pod to with `matchFields metadata.name In [node]`."""
    terms = (((pod["spec"].get("affinity") or {}).get("nodeAffinity") or {})
             .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or []
    for term in terms:
        for field in term.get("matchFields") or []:
            if field["key"] == "metadata.name" and field["operator"] == "In":
                return field["values"][0]
    return None


@pytest.fixture
def kubectl(tmp_path) -> Kubectl:
    return Kubectl(tmp_path)


@pytest.fixture
def only_controllers(monkeypatch):
    """Run just the named controllers, to watch one controller's steps without the others'."""
    from minikctl import controllers

    def restrict(*names: str) -> None:
        monkeypatch.setattr(controllers, "CONTROLLERS", list(names))

    return restrict
