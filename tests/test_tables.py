"""Black-style data tests for `get` tables: tests/data/tables/<case>.yaml beside <case>.txt.

A case file holds `now:` (RFC 3339), `options:` (TableOptions fields) and `objects:` (stored
objects, timestamps as strings). Objects are grouped by kind in order of first appearance; an
optional `kinds:` list of resource keys (`pods`, `deployments.apps`) fixes the requested kinds and
their order, including kinds without objects (`get all`). The .txt file is the exact stdout.
"""

from pathlib import Path

import pytest
import yaml

from minikctl.core import kinds
from minikctl.printers.duration import parse_time
from minikctl.printers.table_printer import TableOptions, render_tables

from manifests import StoredTextLoader

DATA = Path(__file__).parent / "data" / "tables"
CASES = sorted(DATA.glob("*.yaml"))


def load_case(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=StoredTextLoader)


def requested_groups(case: dict) -> list[tuple[kinds.Kind, list[dict]]]:
    groups: dict[str, list[dict]] = {key: [] for key in case.get("kinds", [])}
    for obj in case.get("objects", []):
        groups.setdefault(kinds.for_object(obj).key, []).append(obj)
    return [(kinds.for_key(key), objects) for key, objects in groups.items()]


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_table_output(path):
    case = load_case(path)
    options = TableOptions(**case.get("options", {}))
    output = render_tables(requested_groups(case), options, parse_time(case["now"]))
    assert output == path.with_suffix(".txt").read_text()


def test_every_kind_of_the_registry_has_a_case():
    covered = {kinds.for_object(obj).key for path in CASES for obj in load_case(path).get("objects", [])}
    assert covered == {kind.key for kind in kinds.KINDS}


def test_every_case_has_its_expected_output():
    assert all(path.with_suffix(".txt").exists() for path in CASES)
