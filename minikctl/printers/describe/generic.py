"""The describer kubectl falls back on for kinds without their own (Event, ControllerRevision):
name, namespace, labels, annotations, then every other field of the object in sorted order.

kubernetes/kubectl pkg/describe/describe.go (genericDescriber, printUnstructuredContent, smartLabelFor).
"""

from __future__ import annotations

import re

from minikctl.printers.describe import engine
from minikctl.printers.describe.engine import Settings, Writer

SKIPPED = {".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
           ".metadata.annotations"}
ACRONYMS = {"API", "URL", "UID", "OSB", "GUID"}


def describe_generic(obj: dict, settings: Settings) -> str:
    w = Writer()
    engine.name_namespace_labels_annotations(w, obj)
    _content(w, 0, obj, "")
    engine.events(w, obj, settings)
    return w.text()


def _content(w: Writer, level: int, content: dict, path: str) -> None:
    for field in sorted(content):
        value, here = content[field], f"{path}.{field}"
        if here in SKIPPED:
            continue
        if isinstance(value, dict):
            w.line(level, f"{smart_label(field)}:")
            _content(w, level + 1, value, here)
        elif isinstance(value, list):
            w.line(level, f"{smart_label(field)}:")
            for item in value:
                if isinstance(item, dict):
                    _content(w, level + 1, item, here)
                else:
                    w.line(level + 1, _go_value(item))
        else:
            w.line(level, f"{smart_label(field)}:\t{_go_value(value)}")


def _go_value(value) -> str:
    """A decoded JSON scalar printed with Go's %v (nil as `<nil>`, bools lower-case)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return engine.go_bool(value)
    return str(value)


def smart_label(field: str) -> str:
    """`involvedObject` -> `Involved Object`, `uid` -> `UID`; names with other characters stay as they are."""
    if not re.fullmatch(r"[A-Za-z-]+", field):
        return field
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|-", field)
    words = [part.upper() if part.upper() in ACRONYMS else part[:1].upper() + part[1:] for part in parts]
    return " ".join(words)
