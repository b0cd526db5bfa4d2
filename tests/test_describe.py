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
from minikctl.api import kinds

DATA = Path(__file__).parent / "data" / "describe"
CASES = sorted(DATA.glob("*.yaml"))


class StoredTextLoader(yaml.SafeLoader):
    """Leaves timestamps as the strings a real cluster stores."""


StoredTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
