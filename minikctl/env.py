"""One Environment passed to every command: streams, working directory, clock, state path.

Tests build their own Environment (like HTTPie's) to capture output and fix the clock.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import IO, Callable, Mapping

DEFAULT_STATE = os.path.join("state", "cluster.json")


def parse_rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _system_clock() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass
class Environment:
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    cwd: str = field(default_factory=os.getcwd)
    clock: Callable[[], datetime] | None = None
    state_path: str | None = None

    def now(self) -> datetime:
        """The current time: MINIKCTL_NOW when set (for golden files), else the system clock."""
        if self.clock is not None:
            return self.clock()
        fixed = self.environ.get("MINIKCTL_NOW")
        if fixed:
            return parse_rfc3339(fixed)
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
