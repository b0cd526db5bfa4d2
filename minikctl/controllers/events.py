"""Event expiry: events live an hour after their last occurrence, and their total is capped.

kube-apiserver stores events with a TTL (--event-ttl, 1h by default; controllers.md §4.1); the cap
keeps a long-lived state file small, dropping the least recently seen events first.
"""

from __future__ import annotations

from datetime import timedelta

from minikctl.cluster import Cluster
from minikctl.core import clock
from minikctl.controllers import common, manager

MAX_EVENTS = 20_000


# meta field: the earliest moment an event stored may expire; the sweep waits for it (a requeue-after).
NEXT_EXPIRY = "eventsExpireFrom"


def _last_seen(event: dict) -> str:
    last = event.get("lastTimestamp") or event.get("eventTime") or event["metadata"].get("creationTimestamp")
    return (last or "")[:19] + "Z"


def _expiry(last_seen: str) -> str:
    moment = clock.parse_time(last_seen)
    return clock.format_time(moment + timedelta(seconds=common.EVENT_TTL_SECONDS)) if moment else ""


def _note_expiry(indexes, change) -> list[str]:
    """Each stored event moves the next sweep no later than its own expiry; nothing is queued now."""
    if not change.deleted:
        meta = indexes.cluster.meta
        expiry = _expiry(_last_seen(change.obj))
        if expiry and (NEXT_EXPIRY not in meta or expiry < meta[NEXT_EXPIRY]):
            meta[NEXT_EXPIRY] = expiry
    return []


def _due(cluster: Cluster, indexes) -> list[str]:
    """Sweep when the earliest expiry has come (or was never noted) or the cap is passed."""
    section = cluster.state.section("events")
    if not len(section):
        return []
    due = cluster.meta.get(NEXT_EXPIRY)
    if due is None or due <= clock.format_time(clock.aware(cluster.now)) or len(section) > MAX_EVENTS:
        return ["*"]
    return []


def sweep(cluster: Cluster, indexes, key: str) -> None:
    cluster.meta.pop(NEXT_EXPIRY, None)
    events = cluster.list("events")
    # RFC 3339 UTC timestamps with whole seconds order as strings, which spares parsing every event.
    cutoff = clock.format_time(clock.aware(cluster.now) - timedelta(seconds=common.EVENT_TTL_SECONDS))
    kept = []
    for event in events:
        if _last_seen(event) < cutoff:
            _drop(cluster, event)
        else:
            kept.append(event)
    if len(kept) > MAX_EVENTS:
        kept.sort(key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
        for event in kept[:len(kept) - MAX_EVENTS]:
            _drop(cluster, event)
    expiries = [_expiry(_last_seen(event)) for event in kept if cluster.get("events", event["metadata"]["namespace"], event["metadata"]["name"]) is event]
    if expiries:
        cluster.meta[NEXT_EXPIRY] = min(e for e in expiries if e) if any(expiries) else ""


def _drop(cluster: Cluster, event: dict) -> None:
    cluster.remove("events", event["metadata"]["namespace"], event["metadata"]["name"])


CONTROLLER = manager.Controller("events", {"events": _note_expiry}, sweep, resync=_due)
