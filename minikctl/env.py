"""One Environment passed to every command: streams, working directory, clock, state path.

Tests build their own Environment (like HTTPie's) to capture output and fix the clock.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime, timezone

from minikctl.core.clock import parse_time

DEFAULT_STATE = os.path.join("state", "cluster.json")


def _system_clock() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Environment:
    def __init__(self, stdout=None, stderr=None, stdin=None, environ: Mapping[str, str] | None = None,
                 cwd: str | None = None, clock: Callable[[], datetime] | None = None, state_path: str | None = None):
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self.stdin = stdin if stdin is not None else sys.stdin
        self.environ = environ if environ is not None else os.environ
        self.cwd = cwd if cwd is not None else os.getcwd()
        self.clock = clock
        self.state_path = state_path

    def now(self) -> datetime:
        """The current time: MINIKCTL_NOW when set (for golden files), else the system clock."""
        if self.clock is not None:
            return self.clock()
        fixed = self.environ.get("MINIKCTL_NOW")
        if fixed:
            return parse_time(fixed)
        return _system_clock()

    def resolve_state_path(self, flag_value: str | None = None) -> str:
        """--state, else $MINIKCTL_STATE, else ./state/cluster.json."""
        path = flag_value or self.state_path or self.environ.get("MINIKCTL_STATE") or DEFAULT_STATE
        return path if os.path.isabs(path) else os.path.join(self.cwd, path)

    def resolve_path(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.join(self.cwd, path)

    def out(self, text: str) -> None:
        self.stdout.write(text)

    def err(self, text: str) -> None:
        self.stderr.write(text)
