"""Label selectors and node selector terms as the API server and controllers evaluate them
(kubernetes/apimachinery pkg/labels/selector.go, pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector).

Parsing the `-l` and `--field-selector` query strings, with the API server's errors, is
minikctl/api/selector_parsing.py.
"""

from __future__ import annotations


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
