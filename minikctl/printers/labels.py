"""Label maps and label selectors as table cells (../shared/reference/kubectl-cli.md §4.3).

Label maps: kubernetes/apimachinery pkg/labels/labels.go (Set.String via FormatLabels).
Selectors: kubernetes/apimachinery pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector,
FormatLabelSelector) and pkg/labels/selector.go (Requirement.String, sorted by key).
"""

from __future__ import annotations

_VALUE_OPERATORS = {"In": "in", "NotIn": "notin"}
_PRESENCE_OPERATORS = {"Exists": "", "DoesNotExist": "!"}


class InvalidSelector(ValueError):
    """A LabelSelector the API machinery refuses to convert (unknown operator, bad value count)."""


def format_labels(labels: dict | None) -> str:
    """`k1=v1,k2=v2` sorted by key, `<none>` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


def selector_string(selector: dict | None) -> str:
    """The selector's canonical string; empty for a nil or empty selector. Raises InvalidSelector."""
    if not selector:
        return ""
    requirements = [(key, f"{key}={value}") for key, value in (selector.get("matchLabels") or {}).items()]
    requirements += [_expression(expression) for expression in selector.get("matchExpressions") or []]
    requirements.sort(key=lambda requirement: requirement[0])
    return ",".join(text for _, text in requirements)


def format_label_selector(selector: dict | None) -> str:
    """Selector string, `<none>` when it selects without restriction, `<error>` when invalid."""
    try:
        text = selector_string(selector)
    except InvalidSelector:
        return "<error>"
    return text or "<none>"


def _expression(expression: dict) -> tuple[str, str]:
    key = expression.get("key", "")
    operator = expression.get("operator", "")
    values = expression.get("values") or []
    if operator in _VALUE_OPERATORS:
        if not values:
            raise InvalidSelector(f"{operator} requires values")
        return key, f"{key} {_VALUE_OPERATORS[operator]} ({','.join(sorted(set(values)))})"
    if operator in _PRESENCE_OPERATORS:
        if values:
            raise InvalidSelector(f"{operator} takes no values")
        return key, f"{_PRESENCE_OPERATORS[operator]}{key}"
    raise InvalidSelector(f"{operator!r} is not a valid label selector operator")
