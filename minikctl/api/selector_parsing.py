"""The `-l` and `--field-selector` query strings, parsed as the API server parses them, with its errors.

Label grammar from kubernetes/apimachinery pkg/labels/selector.go; the fields each kind can be
selected on from the "Field Selectors" documentation page (kubernetes/website
content/en/docs/concepts/overview/working-with-objects/field-selectors.md).
"""

from __future__ import annotations

import re

from minikctl.core.selectors import Requirement, matches_labels
from minikctl.errors import APIError, bad_request

_KEY = r"[A-Za-z0-9][-A-Za-z0-9_./]*"
_REQUIREMENT = re.compile(
    rf"^\s*(?:(?P<not>!)\s*(?P<notkey>{_KEY})"
    rf"|(?P<key>{_KEY})\s*(?:(?P<op>==|=|!=|>|<)\s*(?P<value>[-A-Za-z0-9_.]*)"
    rf"|\s+(?P<setop>in|notin)\s*\((?P<values>[^)]*)\))?)\s*$"
)



def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def parse_label_selector(text: str) -> list[Requirement]:
    if not text.strip():
        return []
    requirements = []
    for part in _split_top_level(text):
        match = _REQUIREMENT.match(part)
        if match is None:
            raise bad_request(f"unable to parse requirement: {_parse_complaint(part)}")
        requirements.append(_requirement_from(match))
    return requirements


def _parse_complaint(part: str) -> str:
    return f'found \'{part.strip()}\', expected: identifier' if part.strip() else "found '', expected: identifier"


def _requirement_from(match: re.Match) -> Requirement:
    if match.group("not"):
        return Requirement(match.group("notkey"), "!")
    key = match.group("key")
    if match.group("setop"):
        values = tuple(sorted(v.strip() for v in match.group("values").split(",") if v.strip()))
        return Requirement(key, match.group("setop"), values)
    operator = match.group("op")
    if operator is None:
        return Requirement(key, "exists")
    value = match.group("value")
    if operator in (">", "<"):
        if not value.isdigit():
            raise bad_request("unable to parse requirement: for 'gt', 'lt' operators, the value must be an integer")
        return Requirement(key, "gt" if operator == ">" else "lt", (value,))
    return Requirement(key, "=" if operator in ("=", "==") else "!=", (value,))


# Fields each kind can be selected on besides metadata.name/metadata.namespace.
FIELD_SELECTABLE = {
    "Pod": ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"),
    "Event": ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
              "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
              "reason", "reportingComponent", "source", "type"),
    "Secret": ("type",),
    "Namespace": ("status.phase",),
    "ReplicaSet": ("status.replicas",),
    "ReplicationController": ("status.replicas",),
    "Job": ("status.successful",),
    "Node": ("spec.unschedulable",),
}


class FieldRequirement:
    __slots__ = ("path", "equal", "value")

    def __init__(self, path: str, equal: bool, value: str):
        self.path, self.equal, self.value = path, equal, value


def parse_field_selector(text: str, kind: str, plural: str) -> list[FieldRequirement]:
    if not text.strip():
        return []
    allowed = ("metadata.name", "metadata.namespace") + FIELD_SELECTABLE.get(kind, ())
    requirements = []
    for part in text.split(","):
        match = re.match(r"^\s*([A-Za-z0-9_.]+)\s*(==|!=|=)\s*(.*?)\s*$", part)
        if match is None:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
        path, operator, value = match.groups()
        if path not in allowed:
            raise APIError("BadRequest", f'Unable to find "{plural}" that match label selector "", field selector '
                           f'"{text}": "{path}" is not a known field selector: only "metadata.name", "metadata.namespace"')
        requirements.append(FieldRequirement(path, operator != "!=", value))
    return requirements


def _field_value(obj: dict, path: str) -> str:
    if path == "source":
        return (obj.get("source") or {}).get("component", "")
    current = obj
    for part in path.split("."):
        current = current.get(part) if isinstance(current, dict) else None
        if current is None:
            break
    if path == "spec.unschedulable" or path == "spec.hostNetwork":
        return "true" if current else "false"
    if path == "status.successful":
        current = (obj.get("status") or {}).get("succeeded")
        return str(current or 0)
    if isinstance(current, list):
        return ",".join(str(item.get("ip", item)) if isinstance(item, dict) else str(item) for item in current)
    if current is None:
        return ""
    return str(current)


def matches_fields(requirements: list[FieldRequirement], obj: dict) -> bool:
    return all((_field_value(obj, r.path) == r.value) == r.equal for r in requirements)


def matching(objects: list[dict], kind, labels: str = "", fields: str = "") -> list[dict]:
    """The objects that `-l` and `--field-selector` keep; an empty selector keeps every one."""
    if labels:
        requirements = parse_label_selector(labels)
        objects = [o for o in objects if matches_labels(requirements, o["metadata"].get("labels"))]
    if fields:
        field_requirements = parse_field_selector(fields, kind.kind, kind.plural)
        objects = [o for o in objects if matches_fields(field_requirements, o)]
    return objects
