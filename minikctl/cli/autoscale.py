"""kubectl autoscale (kubernetes/kubectl pkg/cmd/autoscale/autoscale.go at v0.32.0).

kubectl 1.32 still builds an autoscaling/v1 HorizontalPodAutoscaler (targetCPUUtilizationPercentage)
and creates it through the v1 API; the switch to autoscaling/v2 came in 1.33. The API server stores
it as v2 (minikctl.api.hpa_versions) and hands the v1 form back, which is what -o prints.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.core import kinds
from minikctl.cli import common, documents
from minikctl.cli import flags as f
from minikctl.cli.mutation import Reporter

SUMMARY = "Auto-scale a deployment, replica set, stateful set, or replication controller."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.DRY_RUN_FLAG,
    f.Flag("min", type=f.INT, default=-1, help="The lower limit for the number of pods that can be set by the autoscaler."),
    f.Flag("max", type=f.INT, default=-1, help="The upper limit for the number of pods that can be set by the autoscaler. Required."),
    f.Flag("cpu-percent", type=f.INT, default=-1, help="The target average CPU utilization (represented as a percent of requested CPU) over all the pods."),
    f.Flag("name", help="The name for the newly created object. If not specified, the name of the input resource will be used."),
    f.Flag("save-config", type=f.BOOL, help="If true, the configuration of current object will be saved in its annotation."),
    f.Flag("field-manager", default="kubectl-autoscale", help="Name of the manager used to track field ownership."),
]
SCALABLE = ("deployments.apps", "replicasets.apps", "replicationcontrollers", "statefulsets.apps")
HPA_KEY = "horizontalpodautoscalers.autoscaling"


def run(ctx, parsed: f.Parsed) -> int:
    if "max" not in parsed.given:
        raise errors.UsageError('required flag(s) "max" not set', "autoscale")
    _validate(parsed)
    mode = common.dry_run_mode(parsed["dry-run"])
    output = common.output_format(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    with ctx.transaction(dry_run=mode != "none") as cluster:
        targets = list(_targets(ctx, parsed, cluster))
        if not targets:
            raise errors.CommandError("no objects passed to autoscale")
        kind, obj = targets[0]  # kubectl stops after the first object it autoscales
        reporter.attempt(lambda: _autoscale(ctx, cluster, kind, obj, parsed, mode))
    return reporter.finish()


def _validate(parsed: f.Parsed) -> None:
    if parsed["max"] < 1:
        raise errors.CommandError(f"--max=MAXPODS is required and must be at least 1, max: {parsed['max']}")
    if parsed["max"] < parsed["min"]:
        raise errors.CommandError("--max=MAXPODS must be larger or equal to --min=MINPODS, "
                                  f"max: {parsed['max']}, min: {parsed['min']}")


def _targets(ctx, parsed: f.Parsed, cluster):
    from minikctl.api.resolve import parse_arguments

    if parsed["filename"]:
        for document in documents.load(ctx, parsed, "autoscaling"):
            kind = kinds.for_object(document.obj)
            namespace = document.obj["metadata"].get("namespace") or ctx.namespace
            yield kind, _existing(ctx, cluster, kind, namespace, document.obj["metadata"]["name"])
        return
    for request in parse_arguments(parsed.args):
        if not request.names:
            raise errors.CommandError("resource(s) were provided, but no name was specified")
        for name in request.names:
            yield request.kind, _existing(ctx, cluster, request.kind, ctx.namespace, name)


def _existing(ctx, cluster, kind, namespace: str, name: str) -> dict:
    ctx.authorize("get", kind, namespace, name)
    obj = cluster.get(kind.key, namespace, name)
    if obj is None:
        raise errors.not_found(kind.qualified, name)
    return obj


def _autoscale(ctx, cluster, kind, target: dict, parsed: f.Parsed, mode: str) -> tuple[dict, str]:
    from minikctl.api import hpa_versions

    if kind.key not in SCALABLE:
        resource = f"{kind.group}/{kind.version}, Resource={kind.plural}"
        raise errors.CommandError(f"cannot autoscale a {kind.kind}: could not find scale subresource for "
                                  f"{resource} in discovery information")
    hpa = _build(kind, target, parsed)
    if mode == "client":
        return hpa, "created"
    _save_config(hpa, parsed)
    ctx.authorize("create", kinds.BY_KEY[HPA_KEY], ctx.namespace)
    from minikctl.api import server

    stored = server.create(cluster, hpa_versions.to_v2(hpa), ctx.namespace)
    return hpa_versions.to_v1(stored), "autoscaled"


def _build(kind, target: dict, parsed: f.Parsed) -> dict:
    """The object kubectl sends (createHorizontalPodAutoscaler)."""
    name = target["metadata"]["name"]
    spec: dict = {"maxReplicas": parsed["max"],
                  "scaleTargetRef": {"apiVersion": kind.api_version, "kind": kind.kind, "name": name}}
    if parsed["min"] > 0:
        spec["minReplicas"] = parsed["min"]
    if parsed["cpu-percent"] >= 0:
        spec["targetCPUUtilizationPercentage"] = parsed["cpu-percent"]
    return {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"creationTimestamp": None, "name": parsed["name"] or name}, "spec": spec,
            "status": {"currentReplicas": 0, "desiredReplicas": 0}}


def _save_config(hpa: dict, parsed: f.Parsed) -> None:
    if not parsed["save-config"]:
        return
    import json

    hpa["metadata"].setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = \
        json.dumps(hpa, separators=(",", ":"), sort_keys=True) + "\n"
