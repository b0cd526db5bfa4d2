"""Label and field selectors as the API server evaluates them.

Label grammar from kubernetes/apimachinery pkg/labels/selector.go; field selectors per kind from the
"Field Selectors" documentation page (../shared/reference/kubectl-cli.md §6.7-6.8).
"""

from __future__ import annotations

import re
from minikctl.errors import APIError, bad_request

_KEY = r"[A-Za-z0-9][-A-Za-z0-9_./]*"
_REQUIREMENT = re.compile(
    rf"^\s*(?:(?P<not>!)\s*(?P<notkey>{_KEY})"
    rf"|(?P<key>{_KEY})\s*(?:(?P<op>==|=|!=|>|<)\s*(?P<value>[-A-Za-z0-9_.]*)"
    rf"|\s+(?P<setop>in|notin)\s*\((?P<values>[^)]*)\))?)\s*$"
)


class Requirement:
    """One label requirement; operator is =, !=, in, notin, exists, !, gt or lt."""

    __slots__ = ("key", "operator", "values")

    def __init__(self, key: str, operator: str, values: tuple[str, ...] = ()):
        self.key, self.operator, self.values = key, operator, values

    def __eq__(self, other) -> bool:
        return isinstance(other, Requirement) and (self.key, self.operator, self.values) == (
            other.key, other.operator, other.values)

    def __repr__(self) -> str:
        return f"Requirement({self.key!r}, {self.operator!r}, {self.values!r})"

    def matches(self, labels: dict) -> bool:
        present = self.key in labels
        value = labels.get(self.key)
        if self.operator == "exists":
            return present
        if self.operator == "!":
            return not present
        if self.operator == "=":
            return present and value == self.values[0]
        if self.operator == "!=":
            return not present or value != self.values[0]
        if self.operator == "in":
            return present and value in self.values
        if self.operator == "notin":
            return not present or value not in self.values
        if not present:
            return False
        try:
            number = int(value)
        except ValueError:
            return False
        bound = int(self.values[0])
        return number > bound if self.operator == "gt" else number < bound


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


def matches_labels(requirements: list[Requirement], labels: dict | None) -> bool:
    labels = labels or {}
    return all(r.matches(labels) for r in requirements)


def selector_matches(selector: dict | None, labels: dict | None) -> bool:
    """A metav1.LabelSelector (matchLabels + matchExpressions) against labels; empty matches all."""
    if selector is None:
        return False
    labels = labels or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        operator = _LABEL_SELECTOR_OPERATORS.get(expression.get("operator"))
        if operator is None:
            raise ValueError(f"{expression.get('operator')!r} is not a valid label selector operator")
        if not Requirement(expression.get("key"), operator, tuple(expression.get("values") or ())).matches(labels):
            return False
    return True


_LABEL_SELECTOR_OPERATORS = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}


def map_selector_matches(selector: dict | None, labels: dict | None) -> bool:
    """A plain map selector (Service, ReplicationController); an empty one selects nothing."""
    if not selector:
        return False
    labels = labels or {}
    return all(labels.get(k) == v for k, v in selector.items())


def node_selector_term_matches(term: dict, node: dict) -> bool:
    """One NodeSelectorTerm: every matchExpressions entry holds on the node's labels and every
    matchFields entry on its fields; an empty term matches nothing (kubernetes/component-helpers
    scheduling/corev1/nodeaffinity/nodeaffinity.go)."""
    expressions = term.get("matchExpressions") or []
    field_expressions = term.get("matchFields") or []
    if not expressions and not field_expressions:
        return False
    labels = node["metadata"].get("labels") or {}
    fields = {"metadata.name": node["metadata"]["name"]}
    return (all(node_requirement_holds(r, labels.get(r.get("key"))) for r in expressions)
            and all(node_requirement_holds(r, fields.get(r.get("key"))) for r in field_expressions))


def node_requirement_holds(requirement: dict, value: str | None) -> bool:
    """A NodeSelectorRequirement against one label or field value (None when absent); Gt and Lt
    compare integers and fail on anything else."""
    operator, values = requirement.get("operator"), requirement.get("values") or []
    if operator == "In":
        return value is not None and value in values
    if operator == "NotIn":
        return value is None or value not in values
    if operator == "Exists":
        return value is not None
    if operator == "DoesNotExist":
        return value is None
    if operator in ("Gt", "Lt") and _is_integer(value) and values and _is_integer(values[0]):
        return int(value) > int(values[0]) if operator == "Gt" else int(value) < int(values[0])
    return False


def _is_integer(text: str | None) -> bool:
    return text is not None and text.lstrip("-").isdigit()


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
