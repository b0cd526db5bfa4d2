"""Timestamps as the API server writes them (RFC 3339, whole seconds, UTC) and reads them back."""

from __future__ import annotations

from datetime import datetime, timezone


def format_time(moment: datetime) -> str:
    """metav1.Time's wire form: `2026-01-01T00:00:00Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str | None) -> datetime | None:
    """An RFC 3339 timestamp (`Time` or `MicroTime`) as an aware datetime; None when absent."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def aware(moment: datetime) -> datetime:
    """A naive clock reading taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def seconds_since(now: datetime, text: str | None) -> float:
    """Seconds from a timestamp to now; 0 when the timestamp is absent."""
    moment = parse_time(text)
    if moment is None:
        return 0.0
    return (aware(now) - moment).total_seconds()
