"""The describe engine: kubectl's PrefixWriter over a Go tabwriter, and the blocks every describer shares.

Facts from kubernetes/kubectl pkg/describe/describe.go (PrefixWriter, tabbedString,
printLabelsMultiline, printAnnotationsMultiline, printTolerationsMultilineWithIndent,
DescribeEvents) and Go's text/tabwriter; see ../shared/reference/kubectl-cli.md §9.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from minikctl.core.clock import parse_time
from minikctl.printers.duration import human_duration, since

# tabbedString configures the tab writer with minwidth 0, tabwidth 8, padding 2, pad char space.
PADDING = 2
LEVEL_SPACE = "  "
HIDDEN_ANNOTATIONS = {"kubectl.kubernetes.io/last-applied-configuration"}
MAX_ANNOTATION_LENGTH = 140


@dataclass
class Settings:
    """What a describer may consult besides the object: the cluster, the clock, --show-events."""

    cluster: object
    now: datetime
    show_events: bool = True


class Writer:
    """Collects text written at indentation levels; `text()` lays it out like kubectl's tab writer."""

    def __init__(self) -> None:
        self._segments: list[list[str]] = [[]]

    def write(self, level: int, text: str) -> None:
        self._segments[-1].append(LEVEL_SPACE * level + text)

    def line(self, level: int, text: str = "") -> None:
        self.write(level, text + "\n")

    def flush(self) -> None:
        """Close the current column blocks: what follows is aligned on its own (Go's Flush)."""
        self._segments.append([])

    def text(self) -> str:
        return "".join(align("".join(segment)) for segment in self._segments)


def align(text: str) -> str:
    """Go text/tabwriter with kubectl describe's settings: tab-terminated cells padded per column block.

    A column block is a run of consecutive lines that all have a tab-terminated cell in that column;
    the cell after a line's last tab is trailing text and is never padded.
    """
    if not text:
        return ""
    rows = [line.split("\t") for line in text.split("\n")]
    widths_of_rows: list[list[int]] = [[] for _ in rows]
    _measure_blocks(rows, 0, len(rows), 0, [], widths_of_rows)
    lines = []
    for row, widths in zip(rows, widths_of_rows):
        padded = [cell.ljust(widths[index]) if index < len(widths) else cell for index, cell in enumerate(row)]
        lines.append("".join(padded))
    return "\n".join(lines)


def _measure_blocks(rows, start: int, end: int, column: int, widths: list[int], widths_of_rows) -> None:
    """Assign each row the widths of the column blocks it belongs to (recursive, like Go's format)."""
    index = start
    while index < end:
        if column >= len(rows[index]) - 1:
            widths_of_rows[index] = widths
            index += 1
            continue
        block_end = index
        width = 0
        while block_end < end and column < len(rows[block_end]) - 1:
            width = max(width, len(rows[block_end][column]) + PADDING)
            block_end += 1
        _measure_blocks(rows, index, block_end, column + 1, widths + [width], widths_of_rows)
        index = block_end


# -- values ------------------------------------------------------------------------------------
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc1123z(text: str | None) -> str:
    """Go's time.RFC1123Z in UTC; a missing (zero) time prints as Go's zero time."""
    moment = parse_time(text)
    if moment is None:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    moment = moment.astimezone(timezone.utc)
    return (f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year:04d} "
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} +0000")


def go_bool(value) -> str:
    """A plain Go bool printed with %v (absent means false)."""
    return "true" if value else "false"


def title_bool(value) -> str:
    """printBool: `True`/`False`."""
    return "True" if value else "False"


def bool_pointer(value) -> str:
    """printBoolPtr: `True`/`False`, `<unset>` for a nil pointer."""
    return "<unset>" if value is None else title_bool(value)


def go_list(values) -> str:
    """A Go slice printed with %v: `[a b]`."""
    return "[" + " ".join(str(value) for value in values or ()) + "]"


def or_none(text) -> str:
    return str(text) if text not in (None, "") else "<none>"


def quantity(value) -> str:
    return str(value)


def controller_of(obj: dict) -> str:
    """printController: `<Kind>/<name>` of the controlling owner, or empty."""
    for reference in obj["metadata"].get("ownerReferences") or ():
        if reference.get("controller"):
            return f"{reference.get('kind')}/{reference.get('name')}"
    return ""


# -- shared blocks -----------------------------------------------------------------------------
def labels(w: Writer, title: str, mapping: dict | None, indent: str = "") -> None:
    """`Title:<tab>k=v`, further pairs on their own lines under the first value; `<none>` if empty."""
    w.write(0, f"{indent}{title}:\t")
    if not mapping:
        w.line(0, "<none>")
        return
    for position, key in enumerate(sorted(mapping)):
        if position:
            w.write(0, f"{indent}\t")
        w.line(0, f"{key}={mapping[key]}")


def annotations(w: Writer, title: str, mapping: dict | None) -> None:
    """Like labels but `key: value`; long or multi-line values go below the key, cut at 138 chars."""
    w.write(0, f"{title}:\t")
    keys = sorted(key for key in mapping or {} if key not in HIDDEN_ANNOTATIONS)
    if not keys:
        w.line(0, "<none>")
        return
    for position, key in enumerate(keys):
        if position:
            w.write(0, "\t")
        value = mapping[key].removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LENGTH or "\n" in value:
            w.line(0, f"{key}:")
            for part in value.split("\n"):
                w.line(0, f"\t  {_shorten(part, MAX_ANNOTATION_LENGTH - 2)}")
        else:
            w.line(0, f"{key}: {value}")


def _shorten(text: str, limit: int) -> str:
    return text[:limit] + "..." if len(text) > limit else text


def name_namespace_labels_annotations(w: Writer, obj: dict) -> None:
    """The opening four lines most describers share."""
    meta = obj["metadata"]
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    labels(w, "Labels", meta.get("labels"))
    annotations(w, "Annotations", meta.get("annotations"))


def tolerations(w: Writer, title: str, items: list | None, indent: str = "") -> None:
    """Sorted by key: `key[=value][:effect]`, ` op=Exists` for a valueless Exists, ` for <n>s`."""
    w.write(0, f"{indent}{title}:\t")
    if not items:
        w.line(0, "<none>")
        return
    for position, toleration in enumerate(sorted(items, key=lambda t: t.get("key", ""))):
        if position:
            w.write(0, f"{indent}\t")
        w.line(0, _toleration(toleration))


def _toleration(toleration: dict) -> str:
    key, value, effect = toleration.get("key", ""), toleration.get("value", ""), toleration.get("effect", "")
    text = key + (f"={value}" if value else "") + (f":{effect}" if effect else "")
    if toleration.get("operator") == "Exists" and not value:
        text += " op=Exists" if key or effect else "op=Exists"
    if toleration.get("tolerationSeconds") is not None:
        text += f" for {toleration['tolerationSeconds']}s"
    return text


def resource_lines(w: Writer, level: int, resources: dict | None) -> None:
    """describeResources: `Limits:` then `Requests:`, each resource sorted by name one level deeper."""
    for title, field in (("Limits", "limits"), ("Requests", "requests")):
        values = (resources or {}).get(field) or {}
        if values:
            w.line(level, f"{title}:")
        for name in sorted(values):
            w.line(level + 1, f"{name}:\t{quantity(values[name])}")


def conditions_with_reason(w: Writer, conditions: list | None) -> None:
    """The `Type  Status  Reason` table of workload conditions (no block when there are none)."""
    if not conditions:
        return
    w.line(0, "Conditions:\n  Type\tStatus\tReason")
    w.line(1, "----\t------\t------")
    for condition in conditions:
        w.line(1, f"{condition.get('type', '')} \t{condition.get('status', '')}\t{condition.get('reason', '')}")


# -- events ------------------------------------------------------------------------------------
def events(w: Writer, obj: dict, settings: Settings) -> None:
    """The Events section, unless --show-events=false."""
    if settings.show_events:
        write_events(w, events_about(obj, settings.cluster), settings.now)


def events_about(obj: dict, cluster) -> list[dict]:
    """Events whose involvedObject is obj (name, namespace, kind and uid), oldest lastTimestamp first.

    kubectl's searchEvents selects on the object's namespace; for a cluster-scoped object that is
    every namespace.
    """
    meta = obj["metadata"]
    namespace = meta.get("namespace") or None
    found = [event for event in cluster.list("events", namespace) if _involves(event, obj)]
    return sorted(found, key=lambda event: _sort_time(event.get("lastTimestamp")))


def _involves(event: dict, obj: dict) -> bool:
    involved = event.get("involvedObject") or {}
    meta = obj["metadata"]
    return (involved.get("name") == meta["name"] and involved.get("kind") == obj.get("kind")
            and (involved.get("namespace") or "") == (meta.get("namespace") or "")
            and (not meta.get("uid") or involved.get("uid") == meta.get("uid")))


def _sort_time(text: str | None) -> datetime:
    return parse_time(text) or datetime.min.replace(tzinfo=timezone.utc)


def write_events(w: Writer, items: list[dict], now: datetime) -> None:
    if not items:
        w.line(0, "Events:\t<none>")
        return
    w.flush()
    w.line(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage")
    w.line(1, "----\t------\t----\t----\t-------")
    for event in items:
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent", "")
        w.line(1, f"{event.get('type', '')}\t{event.get('reason', '')}\t{_event_age(event, now)}\t{source}\t"
                  f"{(event.get('message') or '').strip()}")


def _event_age(event: dict, now: datetime) -> str:
    """`123m`, or `61s (x42 over 40m)` for a repeated event (count > 1 or a series)."""
    first = since(event.get("eventTime") or event.get("firstTimestamp"), now)
    series = event.get("series")
    if series:
        return f"{since(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
    if (event.get("count") or 0) > 1:
        return f"{since(event.get('lastTimestamp'), now)} (x{event['count']} over {first})"
    return first


def duration_between(start: str | None, end: str | None) -> str:
    return human_duration(parse_time(end) - parse_time(start))
