"""Waiting when nothing can change: the errors a wait ends with.

minikctl's control plane runs to a fixed point after every write, so a condition that is not
true now never becomes true while a command waits. A bounded wait therefore fails at once with
kubectl's timeout text; an unbounded one (kubectl would hang) fails at once with a clear reason.
"""

from __future__ import annotations

from minikctl import errors

TIMED_OUT = "timed out waiting for the condition"


def never_finishes(subject: str) -> errors.CommandError:
    """kubectl would wait forever (no --timeout); say why minikctl stops instead."""
    return errors.CommandError(
        f"{TIMED_OUT}: {subject} cannot finish in minikctl's simulated cluster, where nothing changes "
        "while a command waits (kubectl would wait forever; pass --timeout to bound the wait)")
