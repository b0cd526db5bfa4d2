"""YAML and JSON exactly as kubectl prints them (kubernetes/cli-runtime pkg/printers/json.go, yaml.go).

JSON: Go's encoding/json with 4-space indent and sorted keys, HTML characters escaped.
YAML: sigs.k8s.io/yaml (go-yaml v2, a port of libyaml): sorted keys, indentless sequences, strings
double-quoted when they would read back as another type, literal style for multi-line strings.
PyYAML's libyaml emitter makes the same layout decisions; only the quoting choice is ours.
"""

from __future__ import annotations

import json

_HTML_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                               "\u2028": "\\u2028", "\u2029": "\\u2029"})


def to_json(obj) -> str:
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False).translate(_HTML_ESCAPES) + "\n"


_dumper = None
# go-yaml v2 also reads these one-letter booleans, which PyYAML's resolver does not.
_GO_YAML_BOOLS = {"y", "Y", "n", "N"}


def _make_dumper():
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class KubectlDumper(base):
        pass

    def represent_str(dumper, value: str):
        if "\n" in value:
            style = "|"
        elif _reads_back_as_other_type(dumper, value):
            style = '"'
        else:
            style = None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    KubectlDumper.add_representer(str, represent_str)
    return KubectlDumper


def _reads_back_as_other_type(dumper, value: str) -> bool:
    import yaml

    if value == "" or value in _GO_YAML_BOOLS:
        return True
    tag = dumper.resolve(yaml.ScalarNode, value, (True, False))
    return tag != "tag:yaml.org,2002:str"


def to_yaml(obj) -> str:
    import yaml

    global _dumper
    if _dumper is None:
        _dumper = _make_dumper()
    return yaml.dump(obj, Dumper=_dumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                     width=80, indent=2)


def as_list(items: list[dict]) -> dict:
    """The List kubectl wraps listings in (§6.1)."""
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
