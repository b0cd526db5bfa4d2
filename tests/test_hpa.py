"""The HPA controller through the CLI: load annotations scale a Deployment up, stabilization delays
the way down, min/max clamp, the 10 % tolerance holds (docs/metrics.md)."""

from __future__ import annotations

from manifests import deployment

T0 = "2026-11-25T12:00:00Z"
DEPLOYMENT = deployment(replicas=2, image="nginx", container="app", resources={"requests": {"cpu": "100m"}})
HEADER = "NAME   REFERENCE        TARGETS         MINPODS   MAXPODS   REPLICAS   AGE\n"


def _autoscaled(cli, flags="--min=2 --max=10 --cpu-percent=80"):
    cli.write("web.yaml", DEPLOYMENT)
    assert cli("apply -f web.yaml").exit_code == 0
    assert cli(f"autoscale deployment web {flags}").stdout == "horizontalpodautoscaler.autoscaling/web autoscaled\n"


def _ready(cli) -> str:
    return cli("get deploy web -o jsonpath={.spec.replicas}/{.status.readyReplicas}").stdout


def _rescales(cli) -> list[str]:
    out = cli(["get", "events", "--field-selector", "reason=SuccessfulRescale",
               "-o", "jsonpath={range .items[*]}{.message}{'\\n'}{end}"])
    return out.stdout.splitlines()


def _condition(cli, kind) -> str:
    return cli(["get", "hpa", "web", "-o", f"jsonpath={{.status.conditions[?(@.type=='{kind}')].reason}}"]).stdout


def test_idle_deployment_stays_and_shows_its_utilization(cli):
    _autoscaled(cli)
    assert cli("get hpa").stdout == HEADER.replace("TARGETS         ", "TARGETS        ") + \
        "web    Deployment/web   cpu: 50%/80%   2         10        2          0s\n"
    assert _ready(cli) == "2/2"
    assert _rescales(cli) == []
    assert _condition(cli, "AbleToScale") == "ReadyForNewScale"
    assert _condition(cli, "ScalingActive") == "ValidMetricFound"


def test_load_scales_up_within_the_rate_limit_then_to_max(cli):
    _autoscaled(cli)
    cli("annotate deployment web load.minikctl.io/cpu=200m")
    assert _ready(cli) == "4/4"  # ceil(2 x 200/80) = 5, capped at max(2 x 2, 4)
    assert _condition(cli, "ScalingLimited") == "ScaleUpLimit"
    assert cli("top pods -l app=web --no-headers").stdout.count("200m") == 4
    cli("label deployment web tier=front")
    assert _ready(cli) == "8/8"
    cli("label deployment web tier=back --overwrite")
    assert _ready(cli) == "10/10"
    assert _condition(cli, "ScalingLimited") == "TooManyReplicas"
    assert cli("get hpa").stdout == HEADER + "web    Deployment/web   cpu: 200%/80%   2         10        8          0s\n"
    reason = "reason: cpu resource utilization (percentage of request) above target"
    assert _rescales(cli) == [f"New size: 4; {reason}", f"New size: 8; {reason}", f"New size: 10; {reason}"]


def test_scale_down_waits_for_the_stabilization_window(cli):
    _autoscaled(cli)
    cli("annotate deployment web load.minikctl.io/cpu=200m")
    cli("label deployment web tier=front")
    assert _ready(cli) == "8/8"
    cli.at("2026-11-25T12:01:00Z")("annotate deployment web load.minikctl.io/cpu-")
    # 8 x 50/80 -> 5, but 10 was recommended within the last 300 s: the highest recent one applies
    assert _ready(cli) == "10/10"
    cli.at("2026-11-25T12:05:00Z")("label deployment web tier=back --overwrite")
    assert _ready(cli) == "10/10"  # the 12:00:00 recommendations are exactly 300 s old: still counted
    assert _condition(cli, "AbleToScale") == "ScaleDownStabilized"
    cli.at("2026-11-25T12:06:01Z")("label deployment web tier=mid --overwrite")
    assert _ready(cli) == "7/7"  # highest of 5 (12:01), 7 (12:05) and 7 (now)
    assert _rescales(cli)[-1] == "New size: 7; reason: All metrics below target"
    assert cli("get hpa").stdout == HEADER.replace("TARGETS         ", "TARGETS        ") + \
        "web    Deployment/web   cpu: 50%/80%   2         10        10         6m1s\n"


def test_tolerance_keeps_the_count_within_ten_percent(cli):
    _autoscaled(cli)
    cli("annotate deployment web load.minikctl.io/cpu=85m")
    assert _ready(cli) == "2/2"  # 85/80 = 1.06
    assert cli("get hpa web -o jsonpath={.status.desiredReplicas}").stdout == "2"
    cli("annotate deployment web load.minikctl.io/cpu=90m --overwrite")
    assert _ready(cli) == "3/3"  # 90/80 = 1.125 -> ceil(2 x 1.125)


def test_minimum_holds_and_is_restored(cli):
    _autoscaled(cli)
    cli.at("2026-11-25T12:05:01Z")("annotate deployment web load.minikctl.io/cpu=10%")
    assert _ready(cli) == "2/2"  # ceil(2 x 10/80) = 1, below --min
    assert _condition(cli, "ScalingLimited") == "TooFewReplicas"
    cli("scale deployment web --replicas=1")
    assert _ready(cli) == "2/2"
    assert _rescales(cli) == ["New size: 2; reason: Current number of replicas below Spec.MinReplicas"]


def test_unknown_target_before_metrics_and_failed_metrics_events(cli):
    cli.write("hpa.yaml", """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
""")
    cli("apply -f hpa.yaml")
    assert _condition(cli, "AbleToScale") == "FailedGetScale"
    cli.write("web.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 0"))
    cli("apply -f web.yaml")
    assert _condition(cli, "ScalingActive") == "ScalingDisabled"
    assert cli("get hpa").stdout == (
        "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\n"
        "web    Deployment/web   cpu: <unknown>/60%   1         5         0          0s\n")
    warnings = cli(["get", "events", "--field-selector", "type=Warning",
                    "-o", "jsonpath={range .items[*]}{.reason}:{.message}{'\\n'}{end}"])
    assert warnings.stdout == 'FailedGetScale:deployments.apps "web" not found\n'


def test_v1_manifest_scales_a_replicaset(cli):
    cli.write("rs.yaml", DEPLOYMENT.replace("Deployment", "ReplicaSet").replace("name: web", "name: web\n  annotations: {load.minikctl.io/cpu: 300%}"))
    cli.write("hpa.yaml", """
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}
  minReplicas: 1
  maxReplicas: 3
  targetCPUUtilizationPercentage: 50
""")
    cli("apply -f rs.yaml -f hpa.yaml")  # the HPA syncs before the ReplicaSet's pods exist
    assert cli("get rs web -o jsonpath={.spec.replicas}").stdout == "2"
    cli("label rs web tier=front")
    assert cli("get rs web -o jsonpath={.spec.replicas}").stdout == "3"  # 300 % of request against 50 %, max 3


V1_HPA = """
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
"""


def test_v1_manifest_is_stored_as_v2_with_the_default_cpu_target(cli):
    cli.write("web.yaml", DEPLOYMENT)
    cli.write("hpa.yaml", V1_HPA)
    assert cli("apply -f web.yaml").exit_code == 0
    assert cli("apply -f hpa.yaml").exit_code == 0
    assert cli("get hpa").stdout == HEADER.replace("TARGETS         ", "TARGETS        ") + \
        "web    Deployment/web   cpu: 50%/80%   2         10        2          0s\n"
    stored = cli(["get", "hpa", "web", "-o", "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}"])
    assert stored.stdout == "autoscaling/v2 80"


def test_v1_target_change_is_applied_to_the_v2_metric(cli):
    cli.write("web.yaml", DEPLOYMENT)
    cli.write("hpa.yaml", V1_HPA + "  targetCPUUtilizationPercentage: 60\n")
    assert cli("apply -f web.yaml").exit_code == 0
    assert cli("apply -f hpa.yaml").exit_code == 0
    cli.write("hpa.yaml", V1_HPA + "  targetCPUUtilizationPercentage: 70\n")
    assert cli("apply -f hpa.yaml").stdout == "horizontalpodautoscaler.autoscaling/web configured\n"
    assert cli("get hpa web -o jsonpath={.spec.metrics[*].resource.target.averageUtilization}"
               "{.spec.targetCPUUtilizationPercentage}").stdout == "70"
    assert cli("get hpa").stdout.splitlines()[1] == \
        "web    Deployment/web   cpu: 50%/70%   2         10        2          0s"
