"""The flag parser accepts what kubectl's (pflag's) accepts, with its error texts."""

import pytest

from minikctl.cli import flags as f
from minikctl.errors import FlagError

FLAGS = [
    f.Flag("output", "o"),
    f.Flag("namespace", "n"),
    f.Flag("all-namespaces", "A", type=f.BOOL),
    f.Flag("wait", type=f.BOOL, default=True),
    f.Flag("replicas", type=f.INT, default=0),
    f.Flag("filename", "f", type=f.SLICE),
    f.Flag("label-columns", "L", type=f.SLICE),
    f.Flag("dry-run", default="none", no_value="unchanged"),
]


@pytest.mark.parametrize("argv, name, value", [
    (["-o", "yaml"], "output", "yaml"),
    (["-o=yaml"], "output", "yaml"),
    (["-oyaml"], "output", "yaml"),
    (["--output", "json"], "output", "json"),
    (["--output=jsonpath={.a}"], "output", "jsonpath={.a}"),
    (["-ojsonpath={.metadata.name}"], "output", "jsonpath={.metadata.name}"),
    (["-A"], "all-namespaces", True),
    (["--all-namespaces=false"], "all-namespaces", False),
    (["-A=false"], "all-namespaces", False),
    (["--wait=false"], "wait", False),
    (["--wait=0"], "wait", False),
    (["--replicas=3"], "replicas", 3),
    (["--replicas", "5"], "replicas", 5),
    (["-f", "a.yaml", "-f", "b.yaml,c.yaml"], "filename", ["a.yaml", "b.yaml", "c.yaml"]),
    (["-L", "app", "-Ltier"], "label-columns", ["app", "tier"]),
    (["--dry-run"], "dry-run", "unchanged"),
    (["--dry-run=client"], "dry-run", "client"),
    (["-An", "kube-system"], "namespace", "kube-system"),
])
def test_flag_forms(argv, name, value):
    assert f.parse(argv, FLAGS)[name] == value


def test_positionals_mix_with_flags_and_dash_dash_ends_flags():
    parsed = f.parse(["pods", "-n", "x", "web", "--", "echo", "-n", "hi"], FLAGS)
    assert parsed.args == ["pods", "web"]
    assert parsed["namespace"] == "x"
    assert parsed.after_dash == ["echo", "-n", "hi"]


@pytest.mark.parametrize("argv, message", [
    (["--bogus"], "unknown flag: --bogus"),
    (["-z"], "unknown shorthand flag: 'z' in -z"),
    (["-n"], "flag needs an argument: 'n' in -n"),
    (["--namespace"], "flag needs an argument: --namespace"),
    (["--all-namespaces=maybe"],
     'invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "maybe": invalid syntax'),
    (["--replicas=x"],
     'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax'),
])
def test_flag_errors_are_pflags(argv, message):
    with pytest.raises(FlagError) as caught:
        f.parse(argv, FLAGS)
    assert caught.value.message == message
