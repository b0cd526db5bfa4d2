"""kubectl's JSONPath dialect, checked against outputs recorded from real kubectl 1.32.

tests/data/jsonpath/cases.jsonl holds one case per line: an input document (a .json file next to
it), a template, and what kubectl printed (stdout, or the first stderr line and exit 1); regenerate
it with tests/data/jsonpath/generate.py.
"""

import functools
import json
import os
import shutil
import subprocess

import pytest

from minikctl.printers import jsonpath
from minikctl.printers.jsonpath import JSONPathExecError, JSONPathParseError, parse

DATA = os.path.join(os.path.dirname(__file__), "data", "jsonpath")
ORACLE = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "tools", "kubectl-jsonpath")


def _load_cases() -> list[dict]:
    with open(os.path.join(DATA, "cases.jsonl"), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


CASES = _load_cases()


@functools.cache
def _input_text(name: str) -> str:
    with open(os.path.join(DATA, name + ".json"), encoding="utf-8") as handle:
        return handle.read()


def document(name: str):
    """A fresh copy of an input document (templates must not mutate it, but be safe)."""
    return json.loads(_input_text(name))


def kubectl_like(template: str, data) -> tuple[str, str]:
    """(stdout, first stderr line) as `kubectl get -o jsonpath=TEMPLATE` would print them."""
    try:
        return parse(template).execute(data), ""
    except JSONPathParseError as error:
        return "", ("error: " + jsonpath.format_parse_error(template, error)).split("\n")[0]
    except JSONPathExecError as error:
        return "", ("error: " + jsonpath.format_exec_error(template, error, data)).split("\n")[0]


def _case_id(case: dict) -> str:
    return f"{case['input']}:{case['template']}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_matches_recorded_kubectl_output(case):
    stdout, stderr = kubectl_like(case["template"], document(case["input"]))
    if case.get("unordered"):
        assert sorted(stdout.split(" ")) == sorted(case["stdout"].split(" "))
    else:
        assert stdout == case["stdout"]
    assert stderr == case.get("stderr", "")


def test_the_table_covers_every_feature():
    templates = " ".join(case["template"] for case in CASES)
    for feature in ("{range", "{end}", "[?(", "..", "[*]", ".*", "::", "[-1]", "', '", "\\.", "==",
                    "!=", "<=", ">=", "'", '"'):
        assert feature in templates
    assert len(CASES) >= 100
    assert sum(1 for case in CASES if case.get("stderr")) >= 30


# ----------------------------------------------------------------- missing keys not allowed
# kubectl always allows missing keys unless --allow-missing-template-keys=false; these follow
# kubernetes/client-go util/jsonpath/jsonpath_test.go and the reference, section 10.

@pytest.mark.parametrize("template, data, message", [
    ("{.nope}", {"a": 1}, "nope is not found"),
    ("{.a.nope}", {"a": {}}, "nope is not found"),
    ("{.strs.s}", {"strs": [{"s": "x"}]}, "s is not found"),
    ("{.items[*].nope}", {"items": [{"a": 1}]}, "nope is not found"),
    ("{.pts[?(@.z==1)].id}", {"pts": [{"id": "i1"}, {"id": "i2", "z": 1}]}, "z is not found"),
])
def test_missing_keys_fail_when_not_allowed(template, data, message):
    with pytest.raises(JSONPathExecError, match=f"^{message}$"):
        parse(template).execute(data, allow_missing_keys=False)


def test_missing_keys_on_some_values_are_dropped_even_when_not_allowed():
    data = {"items": [{"name": "a"}, {}, {"name": "c"}]}
    assert parse("{.items[*].name}").execute(data, allow_missing_keys=False) == "a c"


def test_filter_with_partially_missing_annotations():
    data = {"items": [
        {"metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
        {"metadata": {"name": "pod2"}},
        {"metadata": {"name": "pod3", "annotations": {"color": "green"}}},
        {"metadata": {"name": "pod4", "annotations": {"color": "blue"}}},
    ]}
    template = parse('{.items[?(@.metadata.annotations.color=="blue")].metadata.name}')
    assert template.execute(data) == "pod1 pod4"
    with pytest.raises(JSONPathExecError, match="annotations is not found"):
        template.execute(data, allow_missing_keys=False)


def test_empty_range_evaluates_its_body_once_against_nothing():
    data = {"items": []}
    assert parse("{range .items[*]}{.metadata.name}{end}").execute(data) == ""
    with pytest.raises(JSONPathExecError, match="metadata is not found"):
        parse("{range .items[*]}{.metadata.name}{end}").execute(data, allow_missing_keys=False)


def test_a_range_body_sees_null_items_as_no_value():
    assert parse("{range .a[*]}<{@}>{end}").execute({"a": [None, 1]}) == "<<no value>><1>"


def test_an_existence_filter_keeps_items_whose_path_errors_with_values():
    """client-go hands the failing step's input back with the error; `exists` only counts."""
    data = {"a": [{"x": [1]}, {"y": 2}]}
    assert parse("{.a[?(@.x[5])].y}{.a[?(@.x[0])].x}").execute(data) == "[1]"


# --------------------------------------------------------------------------- other outputs

def test_execute_as_json_prints_one_indented_array_per_action():
    data = {"metadata": {"name": "demo"}, "kind": "ConfigMap", "n": [{"a": {}, "b": []}]}
    assert parse("{.metadata.name}{.kind}").execute_as_json(data) == (
        '[\n    "demo"\n]\n[\n    "ConfigMap"\n]\n')
    assert parse("{.n}{.nope}").execute_as_json(data) == (
        '[\n    [\n        {\n            "a": {},\n            "b": []\n        }\n    ]\n]\n[]\n')


def test_find_results_returns_raw_values_per_action():
    data = {"a": [1, {"b": 2}], "s": "x"}
    assert jsonpath.find_results("{.a[*]} and {.s}", data) == [[1, {"b": 2}], [" and "], ["x"]]
    assert jsonpath.find_results(parse("{.nope}"), data) == [[]]


def test_format_exec_error_matches_kubectl_layout():
    message = jsonpath.format_exec_error("{.a[5]}", JSONPathExecError("boom"), {"a": [1, None]})
    assert message == (
        'error executing jsonpath "{.a[5]}": Error executing template: boom. Printing more '
        "information for debugging the template:\n\ttemplate was:\n\t\t{.a[5]}\n"
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"a":[]interface {}{1, interface {}(nil)}}\n\n\n')


def test_go_value_renders_like_fmt():
    assert jsonpath.go_value({"b": [1, 2.5, None], "a": {"x": True}}) == "map[a:map[x:true] b:[1 2.5 <nil>]]"
    assert jsonpath.go_value(1e6) == "1e+06"


# ------------------------------------------------------------------------------ relaxed paths

@pytest.mark.parametrize("path, expected", [
    (".metadata.name", "{.metadata.name}"),
    ("metadata.name", "{.metadata.name}"),
    ("{.metadata.name}", "{.metadata.name}"),
    ("{metadata.name}", "{.metadata.name}"),
    (".spec.containers[*].name", "{.spec.containers[*].name}"),
    ("..name", "{..name}"),
    ("", ""),
])
def test_relaxed_paths(path, expected):
    assert jsonpath.relaxed(path) == expected


@pytest.mark.parametrize("path", ["{.a}{.b}", "{.a", ".a}", "{}", "a{b}", "{.a}\n"])
def test_relaxed_rejects_other_braces(path):
    with pytest.raises(ValueError) as raised:
        jsonpath.relaxed(path)
    assert str(raised.value) == (
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or "
        "'{.name1.name2}'")


# -------------------------------------------------------------------------------- live oracle

@pytest.mark.skipif(shutil.which("kubectl") is None or not os.path.exists(ORACLE),
                    reason="kubectl or the kubectl-jsonpath oracle is not installed")
@pytest.mark.parametrize("case", CASES[::40], ids=_case_id)
def test_a_sample_still_matches_live_kubectl(case):
    process = subprocess.run([ORACLE, case["template"], os.path.join(DATA, case["input"] + ".json")],
                             capture_output=True, text=True)
    stdout, stderr = kubectl_like(case["template"], document(case["input"]))
    if not case.get("unordered"):
        assert stdout == process.stdout
    assert bool(stderr) == bool(process.returncode)
    live_message = process.stderr.split("\n")[0].split("Error executing template: ")[-1]
    assert stderr.split("Error executing template: ")[-1] == live_message
