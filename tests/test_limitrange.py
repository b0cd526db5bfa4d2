"""LimitRange: defaults and the limit-ranger annotation on created pods, min/max/ratio refusals in the
LimitRanger's words, Pod and PersistentVolumeClaim limits."""

import pytest

from manifests import deployment

LIMITS = """apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    default: {cpu: 400m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    max: {cpu: "1"}
    min: {cpu: 50m}
    maxLimitRequestRatio: {cpu: "4"}
"""


def container_pod(resources: str) -> str:
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: x
spec:
  containers:
  - name: web
    image: nginx:1.27
    resources: {resources}
"""


@pytest.fixture
def limited(cli):
    cli.write("limits.yaml", LIMITS)
    assert cli("apply -f limits.yaml").exit_code == 0
    return cli


def test_defaults_fill_requests_and_limits_with_the_annotation(limited):
    limited.write("p.yaml", container_pod("{}"))
    assert limited("apply -f p.yaml").stdout == "pod/x created\n"
    got = limited(["get", "pod", "x", "-o", "jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}|"
                                            "{.spec.containers[0].resources}|{.status.qosClass}"])
    assert got.stdout == ("LimitRanger plugin set: cpu, memory request for container web; "
                          "cpu, memory limit for container web|"
                          '{"limits":{"cpu":"400m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}}|Burstable')


def test_only_missing_values_are_named(limited):
    limited.write("p.yaml", container_pod("{requests: {cpu: 200m, memory: 64Mi}, limits: {memory: 64Mi}}"))
    limited("apply -f p.yaml")
    got = limited(["get", "pod", "x", "-o", "jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}"])
    assert got.stdout == "LimitRanger plugin set: cpu limit for container web"


def test_templates_are_not_defaulted(limited):
    assert limited("create deployment web --image=nginx").exit_code == 0
    template = limited(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].resources}"])
    assert template.stdout == "{}"
    pod = limited(["get", "pods", "-o", "jsonpath={.items[0].spec.containers[0].resources.limits.cpu}"])
    assert pod.stdout == "400m"


@pytest.mark.parametrize("resources, reason", [
    ("{limits: {cpu: '2'}}", "maximum cpu usage per Container is 1, but limit is 2"),
    ("{requests: {cpu: 10m}, limits: {cpu: '2'}}",
     "[minimum cpu usage per Container is 50m, but request is 10m, maximum cpu usage per Container is 1, "
     "but limit is 2, cpu max limit to request ratio per Container is 4, but provided ratio is 200.000000]"),
    ("{requests: {cpu: 800m}, limits: {cpu: 1500m}}", "maximum cpu usage per Container is 1, but limit is 1500m"),
    ("{requests: {cpu: 10m}, limits: {cpu: 30m}}", "minimum cpu usage per Container is 50m, but request is 10m"),
    ("{requests: {cpu: 100m}, limits: {cpu: 900m}}",
     "cpu max limit to request ratio per Container is 4, but provided ratio is 9.000000"),
])
def test_container_constraints_refuse(limited, resources, reason):
    limited.write("p.yaml", container_pod(resources))
    before = limited.state_bytes()
    result = limited("apply -f p.yaml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f'Error from server (Forbidden): error when creating "p.yaml": pods "x" is forbidden: {reason}\n'
    assert limited.state_bytes() == before


def test_pod_type_limits_sum_the_containers(cli):
    cli.write("limits.yaml", """apiVersion: v1
kind: LimitRange
metadata: {name: per-pod}
spec:
  limits:
  - type: Pod
    max: {memory: 1Gi}
""")
    cli("apply -f limits.yaml")
    cli.write("p.yaml", """apiVersion: v1
kind: Pod
metadata: {name: x}
spec:
  containers:
  - {name: a, image: nginx, resources: {limits: {memory: 768Mi}}}
  - {name: b, image: nginx, resources: {limits: {memory: 512Mi}}}
""")
    assert cli("apply -f p.yaml").stderr == (
        'Error from server (Forbidden): error when creating "p.yaml": pods "x" is forbidden: '
        "maximum memory usage per Pod is 1Gi, but limit is 1280Mi\n")


def test_claims_are_bounded_by_storage_limits(cli):
    cli.write("limits.yaml", """apiVersion: v1
kind: LimitRange
metadata: {name: storage}
spec:
  limits:
  - type: PersistentVolumeClaim
    min: {storage: 1Gi}
    max: {storage: 10Gi}
""")
    cli("apply -f limits.yaml")
    claim = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: SIZE}}
"""
    cli.write("small.yaml", claim.replace("SIZE", "500Mi"))
    assert cli("apply -f small.yaml").stderr == (
        'Error from server (Forbidden): error when creating "small.yaml": persistentvolumeclaims "data" is forbidden: '
        "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi\n")
    cli.write("big.yaml", claim.replace("SIZE", "20Gi"))
    assert cli("apply -f big.yaml").stderr == (
        'Error from server (Forbidden): error when creating "big.yaml": persistentvolumeclaims "data" is forbidden: '
        "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi\n")
    cli.write("ok.yaml", claim.replace("SIZE", "5Gi"))
    assert cli("apply -f ok.yaml").stdout == "persistentvolumeclaim/data created\n"


def test_controller_pods_refused_by_limits_leave_failed_create(limited):
    limited.write("web.yaml", deployment(replicas=None, image="nginx", container="web",
                                        resources={"limits": {"cpu": "4"}}))
    assert limited("apply -f web.yaml").stdout == "deployment.apps/web created\n"
    events = limited(["get", "events", "--field-selector", "reason=FailedCreate", "-o", "jsonpath={.items[*].message}"])
    assert events.stdout.startswith('Error creating: pods "web-')
    assert events.stdout.endswith('" is forbidden: maximum cpu usage per Container is 1, but limit is 4')
