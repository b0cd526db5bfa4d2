"""Label maps and selectors (../shared/reference/kubectl-cli.md §4.3)."""

import pytest

from minikctl.printers.labels import InvalidSelector, format_label_selector, format_labels, selector_string


def test_labels_are_sorted_by_key():
    assert format_labels({"tier": "web", "app": "nginx", "app.kubernetes.io/name": "x"}) == (
        "app=nginx,app.kubernetes.io/name=x,tier=web")


@pytest.mark.parametrize("labels", [None, {}])
def test_no_labels_is_none(labels):
    assert format_labels(labels) == "<none>"


def test_empty_label_value_keeps_the_equals_sign():
    assert format_labels({"node-role.kubernetes.io/control-plane": ""}) == "node-role.kubernetes.io/control-plane="


def test_match_labels():
    assert format_label_selector({"matchLabels": {"app": "web"}}) == "app=web"


def test_requirements_are_sorted_by_key_and_values_sorted():
    selector = {
        "matchLabels": {"tier": "frontend"},
        "matchExpressions": [
            {"key": "env", "operator": "NotIn", "values": ["prod", "dev"]},
            {"key": "app", "operator": "In", "values": ["web", "api", "web"]},
            {"key": "gpu", "operator": "Exists"},
            {"key": "canary", "operator": "DoesNotExist"},
        ],
    }
    assert format_label_selector(selector) == (
        "app in (api,web),!canary,env notin (dev,prod),gpu,tier=frontend")


@pytest.mark.parametrize("selector", [None, {}, {"matchLabels": {}}, {"matchLabels": {}, "matchExpressions": []}])
def test_selector_without_requirements_is_none(selector):
    assert format_label_selector(selector) == "<none>"
    assert selector_string(selector) == ""


@pytest.mark.parametrize("expression", [
    {"key": "a", "operator": "Equals", "values": ["x"]},
    {"key": "a", "operator": "In", "values": []},
    {"key": "a", "operator": "Exists", "values": ["x"]},
])
def test_invalid_selector(expression):
    assert format_label_selector({"matchExpressions": [expression]}) == "<error>"
    with pytest.raises(InvalidSelector):
        selector_string({"matchExpressions": [expression]})
