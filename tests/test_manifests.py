"""Reading -f sources: parse-error texts (expected files captured from kubectl 1.32), YAML flavour, layout."""

import io
import os
import pathlib

import pytest

from minikctl.api.manifests import ManifestError, read_sources
from minikctl.errors import CommandError

DATA = pathlib.Path(__file__).parent / "data" / "manifests"
BAD_INPUTS = sorted(p.name for p in DATA.iterdir() if p.suffix in (".yaml", ".json"))


def read(paths, recursive=False, stdin="", cwd=DATA):
    return read_sources(paths, recursive, io.StringIO(stdin), str(cwd))


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_gives_kubectls_error_text(name):
    expected = (DATA / (name.rsplit(".", 1)[0] + ".err")).read_text().strip()
    with pytest.raises(CommandError) as caught:
        read([name])
    assert caught.value.render() == expected


def test_error_keeps_documents_read_before_it():
    with pytest.raises(ManifestError) as caught:
        read(["second-doc-error.yaml"])
    assert [d.obj["metadata"]["name"] for d in caught.value.documents] == ["ok"]


SCALARS = [
    ("y", True), ("No", False), ("on", True), ("OFF", False), ("yes", True), ("true", True),
    ("0755", 493), ("0o17", 15), ("0x1F", 31), ("0b101", 5), ("1_000", 1000), ("-12", -12),
    ("3.0", 3), ("1e3", 1000), ("1.5", 1.5), ("089", 89), ("2001-12-14", "2001-12-14"),
    ("1:20", "1:20"), ("~", None), ("null", None), ("=", "="), ('"1"', "1"), ("'yes'", "yes"),
    ("v1.2", "v1.2"), ("1.2.3", "1.2.3"), ("0b2", "0b2"), ("+5", 5),
]


@pytest.mark.parametrize("text,expected", SCALARS)
def test_scalars_resolve_like_go_yaml_v2(tmp_path, text, expected):
    (tmp_path / "m.yaml").write_text(f"kind: ConfigMap\ndata:\n  v: {text}\n")
    [doc] = read(["m.yaml"], cwd=tmp_path)
    assert doc.obj["data"]["v"] == expected
    assert type(doc.obj["data"]["v"]) is type(expected)


def test_non_string_keys_become_strings(tmp_path):
    (tmp_path / "m.yaml").write_text("data:\n  1: a\n  true: b\n  on: c\n")
    [doc] = read(["m.yaml"], cwd=tmp_path)
    assert doc.obj["data"] == {"1": "a", "true": "c"}


def write_tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def config_map(name):
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"


TREE = {"d/b.yaml": config_map("b"), "d/a.yml": config_map("a"), "d/c.txt": "junk: [",
        "d/Z.JSON": config_map("z"), "d/sub/s.json": '{"kind": "ConfigMap", "metadata": {"name": "s"}}',
        "d/sub/t.yaml": config_map("t")}

LAYOUTS = [
    (["d"], False, [("d/a.yml", "a"), ("d/b.yaml", "b")]),
    (["./d/"], True, [("d/a.yml", "a"), ("d/b.yaml", "b"), ("d/sub/s.json", "s"), ("d/sub/t.yaml", "t")]),
    (["d/c.txt", "d/b.yaml", "d/b.yaml"], False, None),
    (["d/b.yaml", "d/b.yaml"], False, [("d/b.yaml", "b"), ("d/b.yaml", "b")]),
    (["-"], False, [("STDIN", "in")]),
]


@pytest.mark.parametrize("paths,recursive,expected", LAYOUTS)
def test_paths_directories_and_stdin(tmp_path, paths, recursive, expected):
    write_tree(tmp_path, TREE)
    if expected is None:
        with pytest.raises(CommandError, match="error parsing d/c.txt"):
            read(paths, recursive, cwd=tmp_path)
        return
    docs = read(paths, recursive, stdin=config_map("in"), cwd=tmp_path)
    assert [(d.source, d.obj["metadata"]["name"]) for d in docs] == expected


def test_missing_path_is_reported_before_anything_is_read(tmp_path):
    write_tree(tmp_path, {"bad.yaml": "a: b: c\n"})
    with pytest.raises(CommandError) as caught:
        read(["bad.yaml", "nope.yaml"], cwd=tmp_path)
    assert caught.value.render() == 'error: the path "nope.yaml" does not exist'


STREAMS = [
    ("---\n# only a comment\n---\n" + config_map("q") + "--- # trailing\n---\n", ["q"]),
    (config_map("a") + "---\n" + config_map("b"), ["a", "b"]),
    ('  {"kind": "ConfigMap", "metadata": {"name": "j1"}}\n{"kind": "ConfigMap", "metadata": {"name": "j2"}}', ["j1", "j2"]),
    ("apiVersion: v1\nkind: List\nitems:\n- " + config_map("l1").replace("\n", "\n  ").rstrip() + "\n", ["l1"]),
    ("apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata: {name: i1}\n", ["i1"]),
    ("base: &b {name: m}\nkind: ConfigMap\nmetadata:\n  <<: *b\n", ["m"]),
]


@pytest.mark.parametrize("text,names", STREAMS)
def test_streams_documents_and_lists(tmp_path, text, names):
    write_tree(tmp_path, {"m.yaml": text})
    docs = read(["m.yaml"], cwd=tmp_path)
    assert [d.obj["metadata"]["name"] for d in docs] == names
    assert all(d.obj["kind"] == "ConfigMap" for d in docs)


def test_typed_list_items_inherit_kind_and_version(tmp_path):
    write_tree(tmp_path, {"m.yaml": "apiVersion: v1\nkind: SecretList\nitems:\n- metadata: {name: s}\n"})
    [doc] = read(["m.yaml"], cwd=tmp_path)
    assert doc.obj == {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
