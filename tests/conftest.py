"""The test harness: run minikctl's real CLI in-process against a state file in a temp folder."""

from __future__ import annotations

import io
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
