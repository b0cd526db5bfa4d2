"""The core layer's shared sums and matchers (minikctl/core/), one implementation each."""

import pytest

from minikctl.core import resources, selectors


def _pod(containers, init_containers=(), overhead=None):
    spec = {"containers": [{"name": f"c{i}", "resources": r} for i, r in enumerate(containers)],
            "initContainers": [{"name": f"i{i}", **r} for i, r in enumerate(init_containers)]}
    if overhead:
        spec["overhead"] = overhead
    return {"spec": spec}


def test_pod_requests_add_sidecars_and_take_the_init_peak():
    """component-helpers PodRequests: 100m+200m app, a 50m sidecar beside a later 400m init container."""
    pod = _pod([{"requests": {"cpu": "100m"}}, {"requests": {"cpu": "200m", "memory": "1Gi"}}],
               [{"restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}},
                {"resources": {"requests": {"cpu": "400m", "memory": "512Mi"}}}],
               overhead={"cpu": "10m"})
    assert {k: str(v) for k, v in resources.pod_requests(pod).items()} == {"cpu": "460m", "memory": "1Gi"}


def test_pod_limits_add_overhead_only_where_a_limit_is_set():
    pod = _pod([{"limits": {"memory": "1Gi"}}], overhead={"cpu": "10m", "memory": "1Mi"})
    assert {k: str(v) for k, v in resources.pod_limits(pod).items()} == {"memory": "1025Mi"}


def test_garbage_quantities_raise_instead_of_counting_as_zero():
    with pytest.raises(ValueError):
        resources.pod_requests(_pod([{"requests": {"cpu": "lots"}}]))


@pytest.mark.parametrize("operator, values, label, expected", [
    ("In", ["a", "b"], "a", True), ("NotIn", ["a"], None, True), ("Exists", [], None, False),
    ("DoesNotExist", [], None, True), ("Gt", ["3"], "4", True), ("Lt", ["3"], "4", False),
    ("Gt", ["3"], "x", False), ("Gt", ["x"], "4", False),
])
def test_node_selector_requirements(operator, values, label, expected):
    node = {"metadata": {"name": "n1", "labels": {} if label is None else {"k": label}}}
    term = {"matchExpressions": [{"key": "k", "operator": operator, "values": values}]}
    assert selectors.node_selector_term_matches(term, node) is expected


def test_an_empty_node_selector_term_matches_nothing():
    assert selectors.node_selector_term_matches({}, {"metadata": {"name": "n1"}}) is False


def test_match_fields_see_the_node_name():
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}
    assert selectors.node_selector_term_matches(term, {"metadata": {"name": "n1"}}) is True
