"""HorizontalPodAutoscaler controller: sizes a workload through its scale subresource from metrics.

kubernetes/kubernetes: pkg/controller/podautoscaler/horizontal.go (reconcileAutoscaler,
computeReplicasForMetrics, normalizeDesiredReplicas[WithBehaviors], stabilizeRecommendation,
convertDesiredReplicasWithRules, calculateScale{Up,Down}Limit...); the per-metric arithmetic is in
minikctl/metrics/replicas.py and the simulated usage in minikctl/metrics/usage.py.

The real controller syncs every 15 s; here each HPA syncs once per reconcile pass (once per
command that changes the state), from the pods as they are at its turn, so a pass never oscillates.
The controller's memory (recent recommendations, recent scale events) is kept in the state's
metadata under HISTORY, keyed by the HPA's uid, and never shown by kubectl commands.
"""

from __future__ import annotations

import copy
import math

from minikctl.cluster import Cluster
from minikctl.core import clock
from minikctl.core.conditions import set_condition
from minikctl.controllers import common

COMPONENT = "horizontal-pod-autoscaler"
KEY = "horizontalpodautoscalers.autoscaling"
HISTORY = "hpaHistory"
TARGET_KEYS = {"Deployment": "deployments.apps", "ReplicaSet": "replicasets.apps",
               "StatefulSet": "statefulsets.apps", "ReplicationController": "replicationcontrollers"}
DOWNSCALE_STABILIZATION_SECONDS = 300  # kube-controller-manager --horizontal-pod-autoscaler-downscale-stabilization
SCALE_UP_LIMIT_FACTOR = 2.0
SCALE_UP_LIMIT_MINIMUM = 4.0
DEFAULT_SCALE_UP = {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                    "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                 {"type": "Percent", "value": 100, "periodSeconds": 15}]}
DEFAULT_SCALE_DOWN = {"stabilizationWindowSeconds": DOWNSCALE_STABILIZATION_SECONDS, "selectPolicy": "Max",
                      "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}


# What queues this (still whole-state) controller in the manager (controllers/manager.py).
# It syncs each autoscaler once per pass (resync), reading pods then; their changes need not queue it.
WATCHES = ("horizontalpodautoscalers.autoscaling", "deployments.apps", "replicasets.apps", "statefulsets.apps", "replicationcontrollers")


def reconcile(cluster: Cluster) -> None:
    hpas = cluster.list(KEY)
    _forget_deleted(cluster, hpas)
    synced = cluster.__dict__.setdefault("_hpa_synced", set())
    for hpa in hpas:
        uid = hpa["metadata"]["uid"]
        if uid in synced or hpa["metadata"].get("deletionTimestamp"):
            continue
        synced.add(uid)
        Sync(cluster, copy.deepcopy(hpa)).run()


def _forget_deleted(cluster: Cluster, hpas: list[dict]) -> None:
    history = cluster.meta.get(HISTORY)
    if not history:
        return
    alive = {hpa["metadata"]["uid"] for hpa in hpas}
    for uid in [uid for uid in history if uid not in alive]:
        del history[uid]


def metric_specs(spec: dict) -> list[dict]:
    """spec.metrics; an HPA stored in autoscaling/v1 shape targets cpu (default 80 %)."""
    if spec.get("metrics"):
        return spec["metrics"]
    if "metrics" in spec:
        return []
    percent = spec.get("targetCPUUtilizationPercentage", 80)
    return [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                           "averageUtilization": percent}}}]


class Sync:
    """One reconcileAutoscaler."""

    def __init__(self, cluster: Cluster, hpa: dict):
        self.cluster = cluster
        self.hpa = hpa
        self.spec = hpa.get("spec") or {}
        self.status = hpa.setdefault("status", {})
        self.conditions = self.status.setdefault("conditions", [])
        self.namespace = hpa["metadata"]["namespace"]
        self.min_replicas = int(self.spec.get("minReplicas", 1))
        self.max_replicas = int(self.spec.get("maxReplicas", 0))
        self.memory = cluster.meta.setdefault(HISTORY, {}).setdefault(
            hpa["metadata"]["uid"], {"recommendations": [], "scaleUp": [], "scaleDown": []})
        self.now = int(clock.aware(cluster.now).timestamp())

    # -- the sync ----------------------------------------------------------------------------
    def run(self) -> None:
        reference = self.spec.get("scaleTargetRef") or {}
        target_key = TARGET_KEYS.get(reference.get("kind", ""))
        target = self.cluster.get(target_key, self.namespace, reference.get("name", "")) if target_key else None
        if target is None:
            return self._failed_get_scale(reference, target_key)
        self._condition("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale")
        current = int(target["spec"].get("replicas", 1))
        desired, reason, statuses = self._decide(target, target_key, current)
        if desired is None:
            return
        rescale = desired != current
        if rescale:
            self._rescale(target, target_key, current, desired, reason)
        self._set_status(current, desired if rescale else current, statuses, rescale)

    def _decide(self, target: dict, target_key: str, current: int) -> tuple[int | None, str, list]:
        if current == 0 and self.min_replicas != 0:
            self._condition("ScalingActive", "False", "ScalingDisabled",
                            "scaling is disabled since the replica count of the target is zero")
            return 0, "", []
        if current > self.max_replicas:
            return self.max_replicas, "Current number of replicas above Spec.MaxReplicas", []
        if current < self.min_replicas:
            return self.min_replicas, "Current number of replicas below Spec.MinReplicas", []
        proposal, metric_name, statuses = self._metrics_proposal(target, target_key, current)
        if proposal is None:
            self._set_status(current, int(self.status.get("desiredReplicas", 0)), statuses, False)
            return None, "", statuses
        reason = ""
        if proposal > current:
            reason = f"{metric_name} above target"
        elif proposal < current:
            reason = "All metrics below target"
        if self.spec.get("behavior") is None:
            return self._normalize(current, proposal), reason, statuses
        return self._normalize_with_behavior(current, proposal), reason, statuses

    def _failed_get_scale(self, reference: dict, target_key: str | None) -> None:
        from minikctl.core import kinds

        if target_key is None:
            group = reference.get("apiVersion", "").rpartition("/")[0]
            problem = f'no matches for kind "{reference.get("kind", "")}" in group "{group}"'
        else:
            problem = f'{kinds.BY_KEY[target_key].qualified} "{reference.get("name", "")}" not found'
        self._event("Warning", "FailedGetScale", problem)
        self._condition("AbleToScale", "False", "FailedGetScale",
                        f"the HPA controller was unable to get the target's current scale: {problem}")
        self._write()

    # -- metrics -----------------------------------------------------------------------------
    def _metrics_proposal(self, target: dict, target_key: str, current: int) -> tuple[int | None, str, list]:
        """The largest count any metric asks for; None when metrics fail (computeReplicasForMetrics)."""
        specs = metric_specs(self.spec)
        pods, usages = self._target_pods(target, target_key)
        statuses: list[dict] = [{"type": ""} for _ in specs]
        best, best_name, failures, first_failure = 0, "", 0, None
        for index, spec in enumerate(specs):
            try:
                replicas, name, statuses[index] = self._metric(spec, current, pods, usages)
            except MetricFailure as failure:
                self._event("Warning", failure.reason, failure.message)
                failures += 1
                first_failure = first_failure or failure
                continue
            if best == 0 or replicas > best:
                best, best_name = replicas, name
        if failures and (failures >= len(specs) or best < current):
            self._condition("ScalingActive", "False", first_failure.reason,
                            f"the HPA was unable to compute the replica count: {first_failure.message}")
            self._event("Warning", "FailedComputeMetricsReplicas",
                        f"invalid metrics ({failures} invalid out of {len(specs)}), first error is: {first_failure.message}")
            return None, "", statuses
        self._condition("ScalingActive", "True", "ValidMetricFound",
                        f"the HPA was able to successfully calculate a replica count from {best_name}")
        return best, best_name, statuses

    def _target_pods(self, target: dict, target_key: str) -> tuple[list[dict], dict]:
        from minikctl.core import selectors
        from minikctl.metrics.usage import LoadError, pod_usage

        selector = target["spec"].get("selector")
        if target_key == "replicationcontrollers":
            selector = {"matchLabels": selector or {}}
        pods = [pod for pod in self.cluster.list("pods", self.namespace)
                if selectors.selector_matches(selector, pod["metadata"].get("labels"))]
        usages = {}
        for pod in pods:
            try:
                usage = pod_usage(self.cluster, pod)
            except LoadError:
                usage = None  # an unreadable load annotation: the pod reports no metrics
            if usage is not None:
                usages[pod["metadata"]["name"]] = usage
        return pods, usages

    def _metric(self, spec: dict, current: int, pods: list[dict], usages: dict) -> tuple[int, str, dict]:
        from minikctl.metrics import replicas as calc

        source_type = spec.get("type", "")
        field = {"Resource": "resource", "ContainerResource": "containerResource"}.get(source_type)
        if field is None:
            reason = f"FailedGet{source_type}Metric"
            raise MetricFailure(reason, f"unable to get {source_type} metric: minikctl simulates only the resource metrics API")
        source = spec.get(field) or {}
        resource, container = source.get("name", ""), source.get("container", "")
        target = source.get("target") or {}
        reason = "FailedGetContainerResourceMetric" if container else "FailedGetResourceMetric"
        try:
            if target.get("averageValue") is not None:
                goal = _milli(target["averageValue"])
                proposal = calc.average_value_replicas(current, goal, pods, usages, resource, container)
                name = f"{resource} resource"
            elif target.get("averageUtilization") is not None:
                proposal = calc.utilization_replicas(current, int(target["averageUtilization"]), pods, usages,
                                                     resource, container)
                kind = "container resource" if container else "resource"
                name = f"{resource} {kind} utilization (percentage of request)"
            else:
                raise calc.MetricError("invalid resource metric source: neither an average utilization target "
                                       "nor an average value (usage) target was set")
        except calc.MetricError as problem:
            if resource not in ("cpu", "memory"):
                problem = calc.MetricError(f"unable to get metrics for resource {resource}: "
                                           "no metrics returned from resource metrics API")
            raise MetricFailure(reason, f"failed to get {resource} utilization: {problem}") from None
        return proposal.replicas, name, _metric_status(source_type, field, resource, container, proposal)

    # -- normalization -------------------------------------------------------------------------
    def _normalize(self, current: int, proposal: int) -> int:
        """Without spec.behavior: the highest recommendation of the last 300 s, then min/max and the
        scale-up limit max(2 x current, 4)."""
        stabilized = self._stabilize_down(proposal)
        if stabilized != proposal:
            self._condition("AbleToScale", "True", "ScaleDownStabilized",
                            "recent recommendations were higher than current one, applying the highest recent recommendation")
        else:
            self._condition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
        desired, reason, message = _within_rules(current, stabilized, self.min_replicas, self.max_replicas)
        self._condition("ScalingLimited", "False" if desired == stabilized else "True", reason, message)
        return desired

    def _stabilize_down(self, proposal: int) -> int:
        cutoff = self.now - DOWNSCALE_STABILIZATION_SECONDS
        recent = [entry for entry in self.memory["recommendations"] if entry[0] >= cutoff]
        highest = max([proposal] + [entry[1] for entry in recent])
        self.memory["recommendations"] = recent + [[self.now, proposal]]
        return highest

    def _normalize_with_behavior(self, current: int, proposal: int) -> int:
        up, down = _rules(self.spec["behavior"].get("scaleUp"), DEFAULT_SCALE_UP), \
            _rules(self.spec["behavior"].get("scaleDown"), DEFAULT_SCALE_DOWN)
        stabilized, reason, message = self._stabilize_with_windows(current, proposal, up, down)
        if stabilized != proposal:
            self._condition("AbleToScale", "True", reason, message)
        else:
            self._condition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
        desired, reason, message = self._within_rates(current, stabilized, up, down)
        self._condition("ScalingLimited", "False" if desired == stabilized else "True", reason, message)
        return desired

    def _stabilize_with_windows(self, current: int, proposal: int, up: dict, down: dict) -> tuple[int, str, str]:
        if proposal >= current:
            window, better = up["stabilizationWindowSeconds"], min
            reason, message = "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation"
        else:
            window, better = down["stabilizationWindowSeconds"], max
            reason, message = "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation"
        recommendation = proposal
        for stamp, value in self.memory["recommendations"]:
            if stamp > self.now - window:
                recommendation = better(value, recommendation)
        keep_since = self.now - max(up["stabilizationWindowSeconds"], down["stabilizationWindowSeconds"])
        self.memory["recommendations"] = [e for e in self.memory["recommendations"] if e[0] >= keep_since] + [[self.now, proposal]]
        return recommendation, reason, message

    def _within_rates(self, current: int, desired: int, up: dict, down: dict) -> tuple[int, str, str]:
        """convertDesiredReplicasWithBehaviorRate: policies bound the change per period."""
        if desired > current:
            limit = max(current, _scale_up_limit(current, self._changes("scaleUp"), up))
            if self.max_replicas > limit:
                allowed, reason, message = limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
            else:
                allowed, reason, message = self.max_replicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
            if desired > allowed:
                return allowed, reason, message
        elif desired < current:
            limit = min(current, _scale_down_limit(current, self._changes("scaleDown"), down))
            if self.min_replicas < limit:
                allowed, reason, message = limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate"
            else:
                allowed, reason, message = self.min_replicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
            if desired < allowed:
                return allowed, reason, message
        return desired, "DesiredWithinRange", "the desired count is within the acceptable range"

    def _changes(self, direction: str) -> list:
        return [(stamp - self.now, change) for stamp, change in self.memory[direction]]

    # -- acting ------------------------------------------------------------------------------
    def _rescale(self, target: dict, target_key: str, current: int, desired: int, reason: str) -> None:
        scaled = copy.deepcopy(target)
        scaled["spec"]["replicas"] = desired
        self.cluster.update(scaled, target_key)
        self._condition("AbleToScale", "True", "SucceededRescale",
                        f"the HPA controller was able to update the target scale to {desired}")
        self._event("Normal", "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
        self._remember_scale(current, desired)

    def _remember_scale(self, current: int, desired: int) -> None:
        """Scale events feed the behavior policies only (storeScaleEvent)."""
        behavior = self.spec.get("behavior")
        if behavior is None:
            return
        direction, defaults = ("scaleUp", DEFAULT_SCALE_UP) if desired > current else ("scaleDown", DEFAULT_SCALE_DOWN)
        longest = max((p.get("periodSeconds", 0) for p in _rules(behavior.get(direction), defaults)["policies"]), default=0)
        kept = [entry for entry in self.memory[direction] if entry[0] > self.now - longest]
        self.memory[direction] = kept + [[self.now, abs(desired - current)]]

    def _set_status(self, current: int, desired: int, statuses: list, rescale: bool) -> None:
        status = {"conditions": self.conditions, "desiredReplicas": desired}
        if current:
            status["currentReplicas"] = current
        if statuses:
            status["currentMetrics"] = statuses
        last_scale = self.cluster.timestamp if rescale else self.status.get("lastScaleTime")
        if last_scale:
            status["lastScaleTime"] = last_scale
        self.hpa["status"] = status
        self._write()

    def _write(self) -> None:
        common.write_status(self.cluster, self.hpa, KEY)

    def _condition(self, condition_type: str, status: str, reason: str, message: str) -> None:
        set_condition(self.conditions, condition_type, status, reason, message, self.cluster.timestamp)

    def _event(self, event_type: str, reason: str, message: str) -> None:
        common.record_event(self.cluster, self.hpa, event_type, reason, message, COMPONENT)


class MetricFailure(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def _metric_status(source_type: str, field: str, resource: str, container: str, proposal) -> dict:
    from minikctl.core.quantity import Quantity
    from fractions import Fraction

    current = {"averageValue": str(Quantity(Fraction(proposal.average, 1000)))}
    if proposal.utilization is not None:
        current["averageUtilization"] = proposal.utilization
    source = {"name": resource, "current": current}
    if container:
        source["container"] = container
    return {"type": source_type, field: source}


def _milli(value) -> int:
    from minikctl.core.quantity import to_millicores

    return to_millicores(str(value))


def _within_rules(current: int, desired: int, minimum: int, maximum: int) -> tuple[int, str, str]:
    """convertDesiredReplicasWithRules."""
    scale_up_limit = int(max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM))
    if maximum > scale_up_limit:
        allowed, reason, message = scale_up_limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
    else:
        allowed, reason, message = maximum, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
    if desired < minimum:
        return minimum, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
    if desired > allowed:
        return allowed, reason, message
    return desired, "DesiredWithinRange", "the desired count is within the acceptable range"


def _rules(given: dict | None, defaults: dict) -> dict:
    """Scaling rules with the API server's defaults for the parts left out."""
    rules = dict(defaults)
    for name, value in (given or {}).items():
        if value is not None and value != []:
            rules[name] = value
    return rules


def _changed_within(period: int, changes: list) -> int:
    """Replicas added (or removed) by scale events younger than period seconds; ages are negative."""
    return sum(change for age, change in changes if age > -period)


def _scale_up_limit(current: int, changes: list, rules: dict) -> int:
    if rules.get("selectPolicy") == "Disabled":
        return current
    pick = min if rules.get("selectPolicy") == "Min" else max
    proposals = []
    for policy in rules["policies"]:
        start = current - _changed_within(policy["periodSeconds"], changes)
        if policy["type"] == "Pods":
            proposals.append(start + policy["value"])
        else:
            proposals.append(math.ceil(start * (1 + policy["value"] / 100)))
    return pick(proposals) if proposals else current


def _scale_down_limit(current: int, changes: list, rules: dict) -> int:
    if rules.get("selectPolicy") == "Disabled":
        return current
    pick = max if rules.get("selectPolicy") == "Min" else min
    proposals = []
    for policy in rules["policies"]:
        start = current + _changed_within(policy["periodSeconds"], changes)
        if policy["type"] == "Pods":
            proposals.append(start - policy["value"])
        else:
            proposals.append(int(start * (1 - policy["value"] / 100)))
    return pick(proposals) if proposals else current
