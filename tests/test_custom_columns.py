"""`-o custom-columns` per the reference, section 6.5 (kubernetes/kubectl pkg/cmd/get/customcolumn.go)."""

import json
import os

import pytest

from minikctl.errors import CommandError
from minikctl.printers.custom_columns import parse_file, parse_spec, render

DATA = os.path.join(os.path.dirname(__file__), "data", "jsonpath")


def load(name):
    with open(os.path.join(DATA, name + ".json"), encoding="utf-8") as handle:
        return json.load(handle)


PODS = load("podlist")["items"]
DEPLOYMENT = load("deployment")


def test_pods_table_with_missing_values_shown_as_none():
    columns = parse_spec("NAME:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP,"
                         "C:.spec.containers[*].name,X:.nope")
    assert render(columns, PODS) == (
        "NAME                   NODE     IP            C               X\n"
        "api-6d4cf56db6-abcde   node-1   10.244.1.5    nginx,sidecar   <none>\n"
        "api-6d4cf56db6-fghij   node-2   10.244.1.23   nginx           <none>\n"
        "worker-0               node-1   10.244.2.7    nginx           <none>\n"
        "pending-1              <none>   <none>        nginx           <none>\n")


def test_headers_are_verbatim_and_can_be_dropped():
    columns = parse_spec("Lbl:.metadata.labels.app,n:metadata.name")
    assert render(columns, PODS[:1]) == "Lbl   n\napi   api-6d4cf56db6-abcde\n"
    assert render(columns, PODS[:1], no_headers=True) == "api   api-6d4cf56db6-abcde\n"


def test_no_objects_prints_only_the_header():
    assert render(parse_spec("NAME:.metadata.name"), []) == "NAME\n"


@pytest.mark.parametrize("path, cell", [
    (".metadata.labels", "map[app:web pod-template-hash:5d8f7c9b4]"),
    (".ports", "[map[containerPort:80 protocol:TCP] map[containerPort:443 protocol:TCP]]"),
    (".ready", "true"),
    (".restarts", "0"),
    (".ratio", "0.5"),
    (".big", "1e+06"),
    (".gone", "<nil>"),
    (".empty", "map[]"),
    (".none", "[]"),
    (".nested", "map[a:[1 <nil> x] b:map[]]"),
    (".ports[*].containerPort", "80,443"),
    (".ports[5:5]", "<none>"),
    ("{.metadata.labels.pod-template-hash}", "5d8f7c9b4"),
])
def test_cells_render_values_in_go_syntax(path, cell):
    obj = {"metadata": {"labels": {"pod-template-hash": "5d8f7c9b4", "app": "web"}},
           "ports": [{"protocol": "TCP", "containerPort": 80}, {"containerPort": 443, "protocol": "TCP"}],
           "ready": True, "restarts": 0, "ratio": 0.5, "big": 1000000.0, "gone": None, "empty": {},
           "none": [], "nested": {"b": {}, "a": [1, None, "x"]}}
    assert render(parse_spec("H:" + path), [obj], no_headers=True) == cell + "\n"


def test_terminal_escapes_are_neutralised():
    obj = {"s": "a\x1b[31mred\rb"}
    assert render(parse_spec("S:.s"), [obj], no_headers=True) == "a^[[31mred\\rb\n"


def test_spec_splits_on_commas_then_on_the_first_colon():
    columns = parse_spec("a:b:c,D:.metadata.name")
    assert [header for header, _ in columns] == ["a", "D"]
    assert columns[0][1].source == "{.b:c}"


def test_empty_path_gives_none():
    assert render(parse_spec("EMPTY:"), [DEPLOYMENT], no_headers=True) == "<none>\n"


@pytest.mark.parametrize("spec, message", [
    ("", "custom-columns format specified but no custom columns given"),
    ("abc", "unexpected custom-columns spec: abc, expected <header>:<json-path-expr>"),
    ("A:.a,abc", "unexpected custom-columns spec: abc, expected <header>:<json-path-expr>"),
    ("A:{.a}{.b}", "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                   "'{name1.name2}' or '{.name1.name2}'"),
    ("A:.a[x]", "invalid array index x"),
])
def test_spec_errors(spec, message):
    with pytest.raises(CommandError) as raised:
        parse_spec(spec)
    assert raised.value.message == message
    assert raised.value.render() == "error: " + message


def test_execution_errors_surface_as_command_errors():
    with pytest.raises(CommandError, match="array index out of bounds: index 5, length 2"):
        render(parse_spec("P:.spec.template.spec.containers[5]"), [DEPLOYMENT])


def test_file_has_a_header_line_and_a_spec_line():
    columns = parse_file("NAME   REPLICAS\tIMAGES\n.metadata.name {.spec.replicas} "
                         "spec.template.spec.containers[*].image\n")
    assert render(columns, [DEPLOYMENT]) == (
        "NAME   REPLICAS   IMAGES\n"
        "web    3          nginx:1.25,busybox:1.36\n")


def test_file_lines_may_end_in_crlf():
    columns = parse_file("NAME\r\n.metadata.name\r\n")
    assert render(columns, [DEPLOYMENT]) == "NAME\nweb\n"


@pytest.mark.parametrize("text, message", [
    ("", "invalid template, missing header line. Expected format is one line of space separated "
         "headers, one line of space separated column specs."),
    ("NAME\n", "invalid template, missing spec line. Expected format is one line of space "
               "separated headers, one line of space separated column specs."),
    ("A B C\n.a .b\n", "number of headers (3) and field specifications (2) don't match"),
    ("A\n\n", "number of headers (1) and field specifications (0) don't match"),
    ("A\n{.a}{.b}\n", "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                      "'{name1.name2}' or '{.name1.name2}'"),
])
def test_file_errors(text, message):
    with pytest.raises(CommandError) as raised:
        parse_file(text)
    assert raised.value.message == message
