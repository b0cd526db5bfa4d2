"""`minikctl clock show|advance|set`: the simulated clock, moved deterministically.

Every command reads the time as the Environment gives it (the system clock, or MINIKCTL_NOW) plus an
offset kept in the state. Moving the clock is a write: the controllers then run at the new time, so
back-offs and TTLs expire, ages grow and schedules come due, and a test can rehearse an hour in a second.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from minikctl import errors
from minikctl.cli.tools.session import session

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="Show or move the simulated clock.")

OFFSET = "clockOffsetSeconds"


@app.command(help="Print the simulated time and how far it is from the real (or MINIKCTL_NOW) time.")
def show() -> None:
    current = session()
    ctx = current.context()
    cluster = ctx.read_cluster()
    current.env.out(_describe(cluster.now, cluster.meta.get(OFFSET, 0)))


@app.command(help="Move the simulated clock forward by a Go duration (10m, 1h30m, 45s); controllers then run.")
def advance(duration: Annotated[str, typer.Argument(help="how far, e.g. 10m")]) -> None:
    from minikctl.cli.flags import parse_duration

    try:
        seconds = parse_duration(duration, "duration")
    except errors.FlagError:
        raise errors.CommandError(f'invalid duration "{duration}": use a Go duration such as 10m or 1h30m') from None
    if seconds <= 0:
        raise errors.CommandError(f"the clock only moves forward: {duration!r} is not a positive duration")
    _move(lambda offset, now: offset + int(seconds))


@app.command("set", help="Set the simulated time (RFC 3339, e.g. 2026-01-01T00:00:00Z); it may only move forward.")
def set_time(time: Annotated[str, typer.Argument(help="the new time, RFC 3339")]) -> None:
    from minikctl.core.clock import parse_time

    try:
        target = parse_time(time)
    except ValueError:
        raise errors.CommandError(f'invalid time "{time}": expected RFC 3339, e.g. 2026-01-01T00:00:00Z') from None
    _move(lambda offset, now: offset + int((target - now).total_seconds()))


def _move(new_offset) -> None:
    """Change the offset under the lock and let the controllers run at the new time."""
    from minikctl.cluster import format_time

    current = session()
    ctx = current.context()
    with ctx.transaction() as cluster:
        offset = cluster.meta.get(OFFSET, 0)
        moved = new_offset(offset, cluster.now)
        if moved < offset:
            raise errors.CommandError("the clock only moves forward: controllers have already acted at "
                                      f"{cluster.timestamp}")
        cluster.now += timedelta(seconds=moved - offset)
        cluster.timestamp = format_time(cluster.now)
        cluster.meta[OFFSET] = moved
        cluster.changed = True
        current.env.out(_describe(cluster.now, moved))


def _describe(now, offset: int) -> str:
    from minikctl.cluster import format_time
    from minikctl.printers.duration import human_duration

    ahead = f" ({human_duration(timedelta(seconds=offset))} ahead)" if offset else ""
    return f"{format_time(now)}{ahead}\n"
