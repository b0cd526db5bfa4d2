"""Event expiry: events live an hour after their last occurrence, and their total is capped.

kube-apiserver stores events with a TTL (--event-ttl, 1h by default; controllers.md §4.1); the cap
keeps a long-lived state file small, dropping the least recently seen events first.
"""

from __future__ import annotations

from datetime import timedelta

from minikctl.cluster import Cluster
from minikctl.core import clock
from minikctl.controllers import common

MAX_EVENTS = 20_000


def reconcile(cluster: Cluster) -> None:
    events = cluster.list("events")
    # RFC 3339 UTC timestamps with whole seconds order as strings, which spares parsing every event.
    cutoff = clock.format_time(clock.aware(cluster.now) - timedelta(seconds=common.EVENT_TTL_SECONDS))
    kept = []
    for event in events:
        last = event.get("lastTimestamp") or event.get("eventTime") or event["metadata"].get("creationTimestamp")
        if (last or "")[:19] + "Z" < cutoff:
            _drop(cluster, event)
        else:
            kept.append(event)
    if len(kept) > MAX_EVENTS:
        kept.sort(key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
        for event in kept[:len(kept) - MAX_EVENTS]:
            _drop(cluster, event)


def _drop(cluster: Cluster, event: dict) -> None:
    cluster.remove("events", event["metadata"]["namespace"], event["metadata"]["name"])
