"""Our -o yaml / -o json / -o jsonpath against the installed kubectl, over the objects of a real demo.

`kubectl label --local -f FILE x- -o FORMAT` makes kubectl print a file's object with its own
printers and no server; the objects come from applying manifests/ (labelled, since kubectl adds
`labels: {}` to an object without labels).
"""

import json
import os
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is the oracle")

MANIFESTS = os.path.join(os.path.dirname(__file__), "..", "manifests")
# The kubectl JSONPath oracle lives in the workspace's shared tools, beside the checkout.
JSONPATH_TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "tools", "kubectl-jsonpath")
OBJECTS = ["deploy/web", "svc/my-service", "svc/web-lb", "statefulset/db", "secret/db-credentials",
           "configmap/web-config", "job/report", "ds/log-agent", "pvc/data-db-0"]
# No `..` or `.*` over maps here: kubectl walks Go maps in random order.
TEMPLATES = [
    "{.metadata.name}",
    "{.spec.clusterIP}",
    "{.items[*].metadata.name}",
    "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}",
    "{.items[?(@.status.phase==\"Running\")].metadata.name}",
    "{.items[0].spec.containers[*].image}",
    "{.items[*].metadata.labels}",
    "{.items[*].spec.containers[*].image}",
    "{.items[-1:].metadata.name}",
    "{.metadata.annotations}",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import Cli

    cli = Cli(tmp_path_factory.mktemp("demo"))
    assert cli(["apply", "-f", MANIFESTS]).exit_code == 0
    for target in OBJECTS:
        cli(["label", target, "-n", "shop", "oracle=yes", "--overwrite"])
    return cli


def kubectl_prints(obj: dict, output: str) -> str:
    result = subprocess.run(["kubectl", "label", "--local", "-f", "-", "x-", "-o", output],
                            input=json.dumps(obj), capture_output=True, text=True, check=True)
    return result.stdout


@pytest.mark.parametrize("target", OBJECTS)
@pytest.mark.parametrize("output", ["yaml", "json"])
def test_objects_print_as_kubectl_prints_them(demo, target, output):
    ours = demo(["get", target, "-n", "shop", "-o", output]).stdout
    obj = json.loads(demo(["get", target, "-n", "shop", "-o", "json"]).stdout)
    assert ours == kubectl_prints(obj, output)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("query", [["get", "pods", "-n", "shop"], ["get", "svc", "my-service", "-n", "shop"]])
@pytest.mark.skipif(not os.path.exists(JSONPATH_TOOL), reason="the shared kubectl-jsonpath tool is not beside the checkout")
def test_jsonpath_through_the_cli_matches_kubectl(demo, template, query):
    listing = demo(query + ["-o", "json"]).stdout
    expected = subprocess.run([JSONPATH_TOOL, template], input=listing, capture_output=True, text=True)
    ours = demo(query + ["-o", f"jsonpath={template}"])
    assert (ours.stdout, ours.exit_code) == (expected.stdout, expected.returncode)
