"""kubectl autoscale as 1.32 does it: an autoscaling/v1 object, stored and served as v2."""

from __future__ import annotations


def _deployment(cli):
    assert cli("create deployment web --image=nginx --replicas=2").exit_code == 0


def test_autoscale_prints_autoscaled_and_stores_v2(cli):
    _deployment(cli)
    result = cli("autoscale deployment web --min=2 --max=10 --cpu-percent=80")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "horizontalpodautoscaler.autoscaling/web autoscaled\n", "")
    spec = cli(["get", "hpa", "web", "-o", "jsonpath={.apiVersion} {.spec}"]).stdout
    assert spec == ('autoscaling/v2 {"maxReplicas":10,"metrics":[{"resource":{"name":"cpu","target":'
                    '{"averageUtilization":80,"type":"Utilization"}},"type":"Resource"}],"minReplicas":2,'
                    '"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}}')


def test_autoscale_dry_run_client_yaml(cli):
    _deployment(cli)
    result = cli("autoscale deploy/web --min=2 --max=10 --cpu-percent=80 --dry-run=client -o yaml")
    assert result.stdout == """apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  creationTimestamp: null
  name: web
spec:
  maxReplicas: 10
  minReplicas: 2
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  targetCPUUtilizationPercentage: 80
status:
  currentReplicas: 0
  desiredReplicas: 0
"""
    assert cli("get hpa").stderr == "No resources found in default namespace.\n"


def test_autoscale_defaults_and_name(cli):
    _deployment(cli)
    assert cli("autoscale deployment web --max=3 --name=front --dry-run=client").stdout == \
        "horizontalpodautoscaler.autoscaling/front created (dry run)\n"
    cli("autoscale deployment web --max=3 --name=front")
    assert cli(["get", "hpa", "front", "-o", "jsonpath={.spec.minReplicas} {.spec.metrics[0].resource.target.averageUtilization}"]).stdout == "1 80"


def test_autoscale_errors(cli):
    _deployment(cli)
    missing_max = cli("autoscale deployment web")
    assert (missing_max.exit_code, missing_max.stderr.splitlines()[0]) == (1, 'error: required flag(s) "max" not set')
    assert cli("autoscale deployment web --max=2 --min=3").stderr == \
        "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 3\n"
    assert cli("autoscale deployment nope --max=2").stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    cli("autoscale deployment web --max=2")
    assert cli("autoscale deployment web --max=2").stderr == \
        'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n'
