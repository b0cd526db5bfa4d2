"""kubectl apply --prune, as kubernetes/kubernetes test/cmd/testdata/apply.txtar runs it (kubectl
pkg/cmd/apply/prune.go): -l or --all required, the default allowlist or --prune-allowlist, namespaces
visited by the apply, `KIND/NAME pruned`."""

import pytest

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels:
    prune-group: "true"
spec:
  containers:
  - name: kubernetes-pause
    image: registry.k8s.io/pause:3.10
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: prune-svc
  labels:
    prune-group: "true"
spec:
  ports:
  - port: 80
"""


@pytest.fixture
def files(cli):
    cli.write("prune/a.yaml", POD.format(name="a"))
    cli.write("prune/b.yaml", POD.format(name="b"))
    cli.write("prune/svc.yaml", SERVICE)
    cli("get ns")
    return cli


def pods(cli) -> list[str]:
    return cli.ok("get pods -o name").split()


def test_prune_deletes_what_the_last_apply_made_and_this_one_lacks(files):
    files.ok("apply -l prune-group=true -f prune/a.yaml")
    assert files.ok("apply --prune -l prune-group=true -f prune/b.yaml") == "pod/b created\npod/a pruned\n"
    assert pods(files) == ["pod/b"]


def test_the_allowlist_decides_which_kinds_are_pruned(files):
    files.ok("apply --prune -l prune-group=true -f prune/a.yaml")
    assert files.ok("apply --prune -l prune-group=true -f prune/svc.yaml --prune-allowlist core/v1/Service") == (
        "service/prune-svc created\n")
    assert pods(files) == ["pod/a"]
    assert files.ok("apply --prune -l prune-group=true -f prune/svc.yaml --dry-run=server") == (
        "service/prune-svc unchanged (server dry run)\npod/a pruned (server dry run)\n")
    assert files.ok("apply --prune -l prune-group=true -f prune/svc.yaml") == (
        "service/prune-svc unchanged\npod/a pruned\n")
    assert pods(files) == []


def test_objects_made_without_apply_are_never_pruned(files):
    files.ok("create -f prune/a.yaml")
    assert files.ok("apply --prune --all -f prune/b.yaml") == "pod/b created\n"
    assert pods(files) == ["pod/a", "pod/b"]


@pytest.mark.parametrize("flags, message", [
    ("--prune", "all resources selected for prune without explicitly passing --all. To prune all resources, pass "
                "the --all flag. If you did not mean to prune all resources, specify a label selector"),
    ("--prune --all -l a=b", "cannot set --all and --selector at the same time"),
    ("--prune-allowlist=core/v1/Pod", "--prune-allowlist must be used with --prune"),
    ("--prune --all --prune-allowlist=v1/Pod", "invalid GroupVersionKind format: v1/Pod, please follow "
                                               "<group/version/kind>"),
])
def test_prune_flags_are_checked_before_anything_is_applied(files, flags, message):
    files.fails(f"apply {flags} -f prune/a.yaml", f"error: {message}\n")
