"""kubectl events (kubernetes/kubectl pkg/cmd/events/events.go, event_printer.go): events of a
namespace sorted by their last occurrence, filtered by --for and --types.

Go's sort.Sort is not stable; minikctl keeps storage (name) order among equal times.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import flags as f

SUMMARY = "List events."
FLAGS = [
    f.Flag("all-namespaces", "A", type=f.BOOL, help="If present, list the requested object(s) across all namespaces."),
    f.Flag("for", help="Filter events to only those pertaining to the specified resource."),
    f.Flag("types", type=f.SLICE, help="Output only events of given types."),
    f.Flag("no-headers", type=f.BOOL, help="When using the default output format, don't print headers."),
    f.Flag("watch", "w", type=f.BOOL, help="Not supported by minikctl"),
    f.Flag("output", "o", help="Output format: json|yaml"),
    f.Flag("chunk-size", type=f.INT, default=500, help="Accepted for compatibility"),
]


def run(ctx, parsed: f.Parsed) -> int:
    for event_type in parsed["types"]:
        if event_type.lower() not in ("normal", "warning"):
            raise errors.CommandError("valid --types are Normal or Warning")
    if parsed["watch"]:
        raise errors.CommandError("--watch is not supported by minikctl: there is no running cluster to watch")
    output = _output_format(ctx, parsed["output"]) if parsed["output"] else None
    from minikctl.core import kinds

    ctx.authorize("list", kinds.BY_KEY["events"], "" if parsed["all-namespaces"] else ctx.namespace)
    cluster = ctx.read_cluster()
    events = [e for e in cluster.list("events", None if parsed["all-namespaces"] else ctx.namespace)
              if _wanted(e, parsed["types"]) and _about(e, _involved(parsed["for"]))]
    if not events:
        ctx.env.err("No events found.\n" if parsed["all-namespaces"] else f"No events found in {ctx.namespace} namespace.\n")
        return errors.SUCCESS
    events.sort(key=_last_seen)
    if output is not None:
        return _print_documents(ctx, output, events)
    ctx.env.out(_table(ctx, events, parsed["all-namespaces"], parsed["no-headers"]))
    return errors.SUCCESS


def _involved(argument: str | None) -> tuple[str, str, str] | None:
    """--for TYPE/NAME -> (kind, apiVersion, name)."""
    if not argument:
        return None
    from minikctl.api.resolve import resolve_type

    type_part, slash, name = argument.partition("/")
    if not slash or not name:
        raise errors.CommandError(f"--for must be in resource/name form, got {argument}")
    kind = resolve_type(type_part)[0]
    return kind.kind, kind.api_version, name


def _about(event: dict, involved: tuple[str, str, str] | None) -> bool:
    if involved is None:
        return True
    reference = event.get("involvedObject") or {}
    return (reference.get("kind"), reference.get("apiVersion"), reference.get("name")) == involved


def _wanted(event: dict, types: list[str]) -> bool:
    return not types or any(t.lower() == str(event.get("type", "")).lower() for t in types)


def _last_seen(event: dict) -> str:
    series = event.get("series") or {}
    return series.get("lastObservedTime") or event.get("lastTimestamp") or event.get("eventTime") or ""


def _table(ctx, events: list[dict], all_namespaces: bool, no_headers: bool) -> str:
    from minikctl.printers.tabwriter import format_rows

    rows = [] if no_headers else [(["NAMESPACE"] if all_namespaces else []) +
                                  ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]]
    for event in events:
        reference = event.get("involvedObject") or {}
        rows.append(([event["metadata"].get("namespace", "")] if all_namespaces else []) +
                    [_interval(ctx, event), event.get("type", ""), event.get("reason", ""),
                     f"{reference.get('kind', '')}/{reference.get('name', '')}", str(event.get("message", "")).strip()])
    return format_rows(rows)


def _interval(ctx, event: dict) -> str:
    """First seen, or `<last> (xN over <first>)` for repeats (event_printer.go getInterval)."""
    from minikctl.printers.duration import since

    first = since(event.get("eventTime") or event.get("firstTimestamp"), ctx.now)
    series = event.get("series")
    if series:
        return f"{since(series.get('lastObservedTime'), ctx.now)} (x{series.get('count', 0)} over {first})"
    if (event.get("count") or 0) > 1:
        return f"{since(event.get('lastTimestamp'), ctx.now)} (x{event['count']} over {first})"
    return first


def _output_format(ctx, value: str):
    """Checked before anything is read, as kubectl builds its printer first."""
    from minikctl.printers.output import MUTATE_FORMATS, parse_output

    return parse_output(value, "", MUTATE_FORMATS, cwd=ctx.env.cwd)


def _print_documents(ctx, output, events: list[dict]) -> int:
    from minikctl.printers.output import render_document
    from minikctl.printers.serialize import as_list

    document = as_list(events)
    document["kind"] = "EventList"
    ctx.env.out(render_document(output, document))
    return errors.SUCCESS
