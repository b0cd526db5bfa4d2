"""The `minikctl_server` pytest fixture: a fresh simulated cluster served over the Kubernetes API.

    def test_operator(minikctl_server):
        subprocess.run(["kubectl", "--kubeconfig", minikctl_server.kubeconfig, "get", "ns"])

Registered through the `pytest11` entry point, so any suite with minikctl installed can use it.
Importing this module costs nothing: the server runs in its own process (`python -m minikctl serve`),
started on a free loopback port in the test's temporary folder and stopped after the test.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

START_TIMEOUT = 30.0


class Served:
    """A running `minikctl serve`: its URL, kubeconfig path and state path."""

    def __init__(self, process: subprocess.Popen, url: str, kubeconfig: str, state_path: str):
        self.process, self.url, self.kubeconfig, self.state_path = process, url, kubeconfig, state_path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start(folder: str, environ: dict | None = None) -> Served:
    """Start `minikctl serve` on a fresh state in folder; returns once it accepts requests."""
    import selectors

    state_path = os.path.join(folder, "state", "cluster.json")
    env = dict(os.environ if environ is None else environ)
    command = [sys.executable, "-m", "minikctl", "serve", "--state", state_path, "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=folder,
                               text=True)
    watcher = selectors.DefaultSelector()
    watcher.register(process.stdout, selectors.EVENT_READ)
    ready = watcher.select(timeout=START_TIMEOUT)
    watcher.close()
    line = process.stdout.readline() if ready else ""
    if "export KUBECONFIG=" not in line:
        process.kill()
        rest = process.stdout.read() if ready else ""
        process.wait()
        raise RuntimeError(f"minikctl serve did not start: {line}{rest}")
    url = line.split(" at ", 1)[1].split(";", 1)[0]
    kubeconfig = line.rsplit("export KUBECONFIG=", 1)[1].strip()
    served = Served(process, url, kubeconfig, state_path)
    _wait_until_ready(served)
    return served


def _wait_until_ready(served: Served) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(served.url + "/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                served.stop()
                raise
            time.sleep(0.05)


@pytest.fixture
def minikctl_server(tmp_path):
    """A served fresh state (`.url`, `.kubeconfig`, `.state_path`), stopped after the test."""
    served = start(str(tmp_path))
    try:
        yield served
    finally:
        served.stop()
