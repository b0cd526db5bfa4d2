"""kubectl apply view-last-applied / set-last-applied, as kubernetes/kubernetes test/cmd/testdata/apply.txtar
runs them (kubectl pkg/cmd/apply/apply_view_last_applied.go, apply_set_last_applied.go)."""

POD = """apiVersion: v1
kind: Pod
metadata:
  name: test-pod
  labels:
    name: test-pod-label
spec:
  containers:
  - name: kubernetes-pause
    image: registry.k8s.io/pause:3.10
"""
VIEW_YAML = """apiVersion: v1
kind: Pod
metadata:
  annotations: {}
  labels:
    name: test-pod-label
  name: test-pod
  namespace: default
spec:
  containers:
  - image: registry.k8s.io/pause:3.10
    name: kubernetes-pause
"""


def test_set_last_applied_needs_create_annotation_then_sets_only_the_annotation(cli):
    cli.write("pod.yaml", POD)
    cli.ok("create -f pod.yaml")
    cli.fails("apply set-last-applied -f pod.yaml",
              "error: no last-applied-configuration annotation found on resource: test-pod, to create the annotation, "
              "run the command with --create-annotation\n")
    for dry_run in ("client", "server"):
        assert cli.ok(f"apply set-last-applied --dry-run={dry_run} -f pod.yaml --create-annotation=true") == (
            f"pod/test-pod configured ({'dry run' if dry_run == 'client' else 'server dry run'})\n")
    assert "last-applied-configuration" not in cli.ok("get pod test-pod -o yaml")
    assert cli.ok("apply set-last-applied -f pod.yaml --create-annotation") == "pod/test-pod configured\n"
    assert cli.ok("apply view-last-applied pod/test-pod") == VIEW_YAML
    assert cli.ok("apply set-last-applied -f pod.yaml") == "set-last-applied test-pod: no changes required.\n"
    assert cli.ok("apply -f pod.yaml") == "pod/test-pod unchanged\n"


def test_view_last_applied_as_json_and_its_checks(cli):
    cli.write("pod.yaml", POD)
    cli.ok("apply -f pod.yaml")
    shown = cli.ok("apply view-last-applied pod test-pod -o json")
    assert shown.startswith('{\n  "apiVersion": "v1",\n  "kind": "Pod",\n') and shown.endswith("  }\n}\n")
    assert cli.ok("apply view-last-applied -f pod.yaml") == VIEW_YAML
    assert cli.ok("apply view-last-applied configmap kube-root-ca.crt") == ""  # kubectl skips it silently
    cli.fails("apply view-last-applied pod/test-pod -o wide",
              "error: Unexpected -o output mode: wide, the flag 'output' must be one of yaml|json\n"
              "See 'minikctl apply view-last-applied -h' for help and examples\n")
    cli.fails("apply bogus", "error: Unexpected args: [bogus]\nSee 'minikctl apply -h' for help and examples\n")
