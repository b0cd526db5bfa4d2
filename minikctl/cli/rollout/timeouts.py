"""Waiting when nothing can change: Go durations for --timeout, and the errors a wait ends with.

minikctl's control plane runs to a fixed point after every write, so a condition that is not
true now never becomes true while a command waits. A bounded wait therefore fails at once with
kubectl's timeout text; an unbounded one (kubectl would hang) fails at once with a clear reason.
"""

from __future__ import annotations

import re

from minikctl import errors

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")

TIMED_OUT = "timed out waiting for the condition"


def parse_duration(text: str, flag: str = "timeout") -> float:
    """Seconds in a Go duration (`30s`, `1m30s`, `500ms`, `0`), or pflag's error for the flag."""
    body = text.lstrip("+-")
    if body == "0":
        return 0.0
    position, total = 0, 0.0
    while position < len(body):
        match = _PART.match(body, position)
        if match is None:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if not body or position != len(body):
        raise errors.FlagError(f'invalid argument "{text}" for "--{flag}" flag: time: invalid duration "{text}"')
    return -total if text.startswith("-") else total


def never_finishes(subject: str) -> errors.CommandError:
    """kubectl would wait forever (no --timeout); say why minikctl stops instead."""
    return errors.CommandError(
        f"{TIMED_OUT}: {subject} cannot finish in minikctl's simulated cluster, where nothing changes "
        "while a command waits (kubectl would wait forever; pass --timeout to bound the wait)")
