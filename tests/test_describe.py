"""`describe` specified by data: tests/data/describe/<case>.yaml beside <case>.txt.

A case holds `command` (run through the real CLI), `now` (MINIKCTL_NOW) and `objects`: the whole
content of the state, stored as written (no bootstrap, no reconcile), so every field the describers
read is under the case's control. The .txt file is the exact stdout; with `excerpt: true` it must
appear somewhere in stdout (the reference shows only part of that output). The §9 examples of
../shared/reference/kubectl-cli.md are genuine kubectl 1.32.4 output and are reproduced here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from conftest import Cli
from minikctl import store
from minikctl.core import kinds

from manifests import StoredTextLoader

DATA = Path(__file__).parent / "data" / "describe"
CASES = sorted(DATA.glob("*.yaml"))


def store_objects(cli: Cli, objects: list[dict]) -> None:
    """Write a state holding exactly these objects (a Lease goes to the section kubectl would read)."""
    state = store.StateData.empty()
    state.meta.update({"resourceVersion": 100, "seed": 0, "transactions": 1})
    for obj in objects:
        key = "leases.coordination.k8s.io" if obj["kind"] == "Lease" else kinds.for_object(obj).key
        meta = obj["metadata"]
        state.section(key).set(store.object_key(meta.get("namespace", ""), meta["name"]), obj, store.encode(obj))
    os.makedirs(os.path.dirname(cli.state_path), exist_ok=True)
    store.write_atomically(cli.state_path, state.serialize())


def run_case(path: Path, tmp_path) -> tuple[dict, str]:
    case = yaml.load(path.read_text(), Loader=StoredTextLoader)
    cli = Cli(tmp_path, now=case["now"])
    store_objects(cli, case["objects"])
    result = cli(case["command"])
    assert result.stderr == case.get("stderr", "")
    assert result.exit_code == case.get("exit", 0)
    return case, result.stdout


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_describe_output(path, tmp_path):
    case, stdout = run_case(path, tmp_path)
    expected = path.with_suffix(".txt").read_text()
    if case.get("excerpt"):
        assert expected in stdout
    else:
        assert stdout == expected


def test_every_kind_of_the_registry_has_a_describer_or_is_described_generically():
    from minikctl.printers.describe import DESCRIBERS

    generic = {kind.key for kind in kinds.KINDS} - set(DESCRIBERS)
    assert generic == {"events", "controllerrevisions.apps", "apiservices.apiregistration.k8s.io"}  # kubectl has no dedicated describer for these


# -- the command -------------------------------------------------------------------------------
def test_a_missing_object_is_not_found_on_stderr(cli):
    result = cli("describe pod zzz")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == 'Error from server (NotFound): pods "zzz" not found\n'


def test_found_objects_are_described_before_the_errors_for_missing_ones(cli):
    result = cli("describe ns default nope")
    assert result.exit_code == 1
    assert result.stdout.startswith("Name:         default\n")
    assert result.stderr == 'Error from server (NotFound): namespaces "nope" not found\n'


def test_an_empty_listing_says_so_on_stderr_and_succeeds(cli):
    result = cli("describe pods")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No resources found in default namespace.\n")
    result = cli("describe cronjobs -A")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No resources found\n")


def test_a_type_is_required(cli):
    result = cli("describe")
    assert result.exit_code == 1
    assert result.stderr == ('error: You must specify the type of resource to describe. Use "minikctl api-resources" '
                             "for a complete list of supported resources.\n")


NAMESPACE_TEXT = """Name:         {name}
Labels:       kubernetes.io/metadata.name={name}
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
"""


def test_several_objects_are_separated_by_two_empty_lines(cli):
    result = cli("describe ns default kube-public")
    assert result.stdout == NAMESPACE_TEXT.format(name="default") + "\n\n" + NAMESPACE_TEXT.format(name="kube-public")


def test_a_missing_name_falls_back_to_a_name_prefix_each_followed_by_an_empty_line(cli):
    result = cli("describe ns kube")
    names = ["kube-node-lease", "kube-public", "kube-system"]
    assert result.exit_code == 0
    assert result.stdout == "".join(NAMESPACE_TEXT.format(name=name) + "\n" for name in names)


def test_the_prefix_fallback_needs_exactly_type_and_name(cli):
    result = cli("describe ns/kube")
    assert result.exit_code == 1
    assert result.stderr == 'Error from server (NotFound): namespaces "kube" not found\n'


def test_a_label_selector_describes_every_match(cli):
    result = cli("describe ns -l kubernetes.io/metadata.name in (default,kube-system)".split(" ", 3))
    assert result.stdout == NAMESPACE_TEXT.format(name="default") + "\n\n" + NAMESPACE_TEXT.format(name="kube-system")


def test_all_namespaces_describes_across_namespaces(cli):
    result = cli("describe sa -A")
    namespaces = [line.split()[-1] for line in result.stdout.splitlines() if line.startswith("Namespace:")]
    assert sorted(set(namespaces)) == ["default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"]


CONFIG_MAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {tier: web}
data:
  greeting: hello
"""


def test_objects_named_in_a_file_are_described_and_the_applied_configuration_is_hidden(cli):
    cli.write("cm.yaml", CONFIG_MAP)
    assert cli("apply -f cm.yaml").exit_code == 0
    result = cli("describe -f cm.yaml")
    assert result.stdout == ("Name:         settings\nNamespace:    default\nLabels:       tier=web\nAnnotations:  <none>\n"
                             "\nData\n====\ngreeting:\n----\nhello\n\n\nBinaryData\n====\n\nEvents:  <none>\n")


def test_show_events_false_leaves_the_events_section_out(cli):
    cli.write("cm.yaml", CONFIG_MAP)
    cli("apply -f cm.yaml")
    result = cli("describe cm settings --show-events=false")
    assert result.stdout.endswith("BinaryData\n====\n\n")


def test_describe_is_not_imported_on_the_get_path(tmp_path):
    import subprocess
    import sys

    probe = ("import io, sys\n"
             "from minikctl.cli.main import run\n"
             "from minikctl.env import Environment\n"
             f"env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={{}}, cwd={str(tmp_path)!r})\n"
             "run(['get', 'pods', '-A'], env)\n"
             "print(any(name.startswith('minikctl.printers.describe') for name in sys.modules))\n")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output == "False\n"
