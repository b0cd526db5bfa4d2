"""Human-readable ages and durations, as every `get` table shows them.

Behaviour follows kubernetes/apimachinery pkg/util/duration/duration.go (HumanDuration) and the
timestamp helpers of kubernetes/kubernetes pkg/printers/internalversion/printers.go
(translateTimestampSince); see ../shared/reference/kubectl-cli.md §4.1.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from minikctl.core.clock import aware, parse_time

_MICROSECOND = timedelta(microseconds=1)
_HOURS_PER_YEAR = 24 * 365


def human_duration(elapsed: timedelta) -> str:
    """`45s`, `5m12s`, `70m`, `3h1m`, `9h`, `2d4h`, `120d`, `2y1d`, `8y`; coarser as it grows."""
    seconds = _whole_seconds(elapsed)
    if seconds < -1:
        return "<invalid>"  # more than a second in the future: clocks disagree
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        return _unit_and_rest(minutes, "m", seconds % 60, "s")
    if minutes < 3 * 60:
        return f"{minutes}m"
    hours = seconds // 3600
    if hours < 8:
        return _unit_and_rest(hours, "h", minutes % 60, "m")
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return _unit_and_rest(days, "d", hours % 24, "h")
    if hours < 2 * _HOURS_PER_YEAR:
        return f"{days}d"
    years = days // 365
    if hours < 8 * _HOURS_PER_YEAR:
        return _unit_and_rest(years, "y", days % 365, "d")
    return f"{years}y"


def _whole_seconds(elapsed: timedelta) -> int:
    """Seconds truncated toward zero, like Go's int(d.Seconds())."""
    micros = elapsed // _MICROSECOND
    whole = abs(micros) // 1_000_000
    return whole if micros >= 0 else -whole


def _unit_and_rest(amount: int, unit: str, rest: int, rest_unit: str) -> str:
    return f"{amount}{unit}" if rest == 0 else f"{amount}{unit}{rest}{rest_unit}"


def since(text: str | None, now: datetime) -> str:
    """Age of a timestamp at `now`; `<unknown>` for a missing (zero) timestamp."""
    moment = parse_time(text)
    if moment is None:
        return "<unknown>"
    return human_duration(aware(now) - moment)
