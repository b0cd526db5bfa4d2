"""`--sort-by` (kubernetes/kubectl pkg/cmd/get/sorter.go; the reference, section 6.6)."""

import json
import os

import pytest

from minikctl.errors import CommandError
from minikctl.printers.sorting import UnsortableError, natural_less, sort_objects

DATA = os.path.join(os.path.dirname(__file__), "data", "jsonpath")


def names(objects):
    return [obj["metadata"]["name"] for obj in objects]


def objects_with(**values):
    """One object per keyword: metadata.name = the keyword, `v` = its value (omitted if ...)."""
    return [{"metadata": {"name": name}, **({} if value is ... else {"v": value})}
            for name, value in values.items()]


def test_sorts_pods_by_name_with_every_path_spelling():
    with open(os.path.join(DATA, "podlist.json"), encoding="utf-8") as handle:
        pods = json.load(handle)["items"]
    expected = ["api-6d4cf56db6-abcde", "api-6d4cf56db6-fghij", "pending-1", "worker-0"]
    for path in (".metadata.name", "metadata.name", "{.metadata.name}", "{metadata.name}"):
        assert names(sort_objects(pods, path)) == expected


def test_objects_without_a_value_come_first_in_their_original_order():
    objects = objects_with(a=3, b=..., c=1, d=...)
    assert names(sort_objects(objects, ".v")) == ["b", "d", "c", "a"]


def test_integers_and_floats_sort_numerically():
    assert names(sort_objects(objects_with(a=10, b=9, c=-1), ".v")) == ["c", "b", "a"]
    assert names(sort_objects(objects_with(a=2.5, b=10.0, c=0.1), ".v")) == ["c", "a", "b"]


def test_strings_that_are_all_quantities_sort_by_amount():
    objects = objects_with(a="1Gi", b="500m", c="2", d="1", e="1000Mi")
    assert names(sort_objects(objects, ".v")) == ["b", "d", "c", "e", "a"]


def test_other_strings_sort_in_natural_order():
    objects = objects_with(a="web-10", b="web-9", c="api", d="10.244.1.5", e="10.244.1.23")
    assert names(sort_objects(objects, ".v")) == ["d", "e", "c", "b", "a"]


def test_timestamps_sort_chronologically():
    objects = objects_with(a="2026-11-25T19:16:48Z", b="2026-01-02T00:00:00Z", c="2026-11-25T09:00:00Z")
    assert names(sort_objects(objects, ".v")) == ["b", "c", "a"]


def test_ties_keep_their_order():
    objects = objects_with(a="x", b="x", c="w", d="x")
    assert names(sort_objects(objects, ".v")) == ["c", "a", "b", "d"]


def test_null_sorts_before_values():
    assert names(sort_objects(objects_with(a="x", b=None, c=...), ".v")) == ["c", "b", "a"]


def test_the_first_value_of_the_path_is_the_key():
    objects = [{"metadata": {"name": "a"}, "v": [3, 1]}, {"metadata": {"name": "b"}, "v": [2, 9]}]
    assert names(sort_objects(objects, ".v[*]")) == ["b", "a"]


def test_empty_lists_need_no_valid_path():
    assert sort_objects([], "{.a}{.b}") == []


def test_a_path_no_object_has_is_an_error():
    with pytest.raises(CommandError) as raised:
        sort_objects(objects_with(a=1), ".nope")
    assert raised.value.message == 'couldn\'t find any field with path "{.nope}" in the list of objects'


def test_a_bad_path_is_an_error():
    with pytest.raises(CommandError) as raised:
        sort_objects(objects_with(a=1), "{.a}{.b}")
    assert raised.value.message.startswith("unexpected path string, expected a 'name1.name2'")


@pytest.mark.parametrize("values, reason", [
    ({"a": [1], "b": [2]}, "unsortable type: []interface {}"),
    ({"a": {"x": 1}, "b": {"x": 2}}, "unsortable type: map[string]interface {}"),
    ({"a": True, "b": False}, "unsortable type: bool"),
    ({"a": 1, "b": "1"}, "unsortable interface: interface"),
])
def test_lists_maps_booleans_and_mixed_types_are_unsortable(values, reason):
    with pytest.raises(UnsortableError) as raised:
        sort_objects(objects_with(**values), ".v")
    assert str(raised.value) == (
        f"Field {{.v}} in *unstructured.Unstructured is an unsortable type: interface, err: {reason}")


def test_an_unsortable_field_is_an_error_at_the_command_line(cli):
    cli.ok("create deployment web --image=nginx --replicas=2")
    cli.fails("get pods --sort-by=.spec.containers", "error: Field {.spec.containers} in *unstructured.Unstructured "
              "is an unsortable type: interface, err: unsortable type: []interface {}\n")


def test_a_single_unsortable_value_is_never_compared():
    assert names(sort_objects(objects_with(a=[1], b=...), ".v")) == ["b", "a"]


@pytest.mark.parametrize("left, right", [
    ("a2", "a10"), ("a", "b"), ("1", "a"), ("x1", "x01"), ("x1", "x01a"), ("ab", "abc"), ("a09", "a10"),
])
def test_natural_order(left, right):
    assert natural_less(left, right)
    assert not natural_less(right, left)
