"""Pod Security admission: namespace labels choose a level; pods are refused, workloads warned.

Follows kubernetes/pod-security-admission admission/admission.go (v0.32): Pods are checked against
enforce (refused) and warn (a warning) on create and on updates that change an image or the
containers; objects with a pod template only get the warn check; a Namespace update that tightens
enforce warns about the existing pods it would refuse. The built-in plugin's defaults are
privileged:latest with no exemptions. Audit mode only writes audit annotations, which minikctl has no log for.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.core.kinds import Kind
from minikctl.cluster import Cluster
from minikctl.policy import podsecurity
from minikctl.policy.podsecurity import LEVELS, Policy
from minikctl.policy.refusal import forbidden

# Where each kind keeps its pod template (DefaultPodSpecExtractor).
TEMPLATE_PATHS = {
    "podtemplates": ("template",), "replicationcontrollers": ("spec", "template"),
    "replicasets.apps": ("spec", "template"), "deployments.apps": ("spec", "template"),
    "statefulsets.apps": ("spec", "template"), "daemonsets.apps": ("spec", "template"),
    "jobs.batch": ("spec", "template"), "cronjobs.batch": ("spec", "jobTemplate", "spec", "template"),
}


def admit(cluster: Cluster, kind: Kind, obj: dict, operation: str, old: dict | None = None) -> None:
    if kind.key == "namespaces":
        _admit_namespace(cluster, obj, operation, old)
    elif kind.key == "pods":
        _admit_pod(cluster, kind, obj, operation, old)
    elif kind.key in TEMPLATE_PATHS:
        _admit_workload(cluster, obj, operation, old, TEMPLATE_PATHS[kind.key])


def _namespace_policy(cluster: Cluster, obj: dict) -> Policy:
    namespace = cluster.get("namespaces", "", obj["metadata"].get("namespace", "")) or {"metadata": {}}
    return podsecurity.policy_from_labels(namespace["metadata"].get("labels") or {})[0]


# -- pods and workloads ------------------------------------------------------------------------
def _admit_pod(cluster: Cluster, kind: Kind, pod: dict, operation: str, old: dict | None) -> None:
    if operation == "UPDATE" and not _significant_pod_update(pod, old or {}):
        return
    policy = _namespace_policy(cluster, pod)
    failures = podsecurity.evaluate(policy.enforce, pod["metadata"], pod.get("spec"))
    if failures:
        raise forbidden(cluster, kind, pod, f'violates PodSecurity "{policy.enforce}": {podsecurity.details(failures)}')
    _warn(cluster, policy, pod["metadata"], pod.get("spec"))


def _significant_pod_update(pod: dict, old: dict) -> bool:
    """Only image changes and added containers are re-checked (isSignificantPodUpdate)."""
    def images(obj: dict, field: str) -> list:
        return [c.get("image") for c in (obj.get("spec") or {}).get(field) or ()]

    return any(images(pod, field) != images(old, field) for field in ("containers", "initContainers", "ephemeralContainers"))


def _admit_workload(cluster: Cluster, obj: dict, operation: str, old: dict | None, path: tuple[str, ...]) -> None:
    if operation == "UPDATE" and _unchanged(obj, old):
        return
    template = obj
    for step in path:
        template = (template or {}).get(step)
    if template is None:
        return
    _warn(cluster, _namespace_policy(cluster, obj), template.get("metadata") or {}, template.get("spec"))


def _unchanged(obj: dict, old: dict | None) -> bool:
    """kubectl sends no request for an unchanged apply; minikctl's apply still updates, so skip it here."""
    if old is None:
        return False
    strip = {"resourceVersion", "generation", "managedFields"}
    return {**obj, "metadata": {k: v for k, v in obj["metadata"].items() if k not in strip}} == \
        {**old, "metadata": {k: v for k, v in old["metadata"].items() if k not in strip}}


def _warn(cluster: Cluster, policy: Policy, meta: dict, spec: dict | None) -> None:
    failures = podsecurity.evaluate(policy.warn, meta, spec)
    if failures:
        cluster.warnings.append(f'Warning: would violate PodSecurity "{policy.warn}": {podsecurity.details(failures)}')


# -- namespaces --------------------------------------------------------------------------------
def _admit_namespace(cluster: Cluster, namespace: dict, operation: str, old: dict | None) -> None:
    name = namespace["metadata"].get("name", "")
    policy, causes = podsecurity.policy_from_labels(namespace["metadata"].get("labels") or {})
    if operation == "CREATE":
        if causes:
            raise errors.InvalidError("Namespace", name, causes)
        return
    old_policy, old_causes = podsecurity.policy_from_labels(((old or {}).get("metadata") or {}).get("labels") or {})
    if causes and causes != old_causes:
        raise errors.InvalidError("Namespace", name, causes)
    if _tightens_enforce(policy, old_policy):
        cluster.warnings.extend("Warning: " + line for line in _existing_pod_warnings(cluster, name, policy))


def _tightens_enforce(new: Policy, old: Policy) -> bool:
    if new.enforce == old.enforce or new.enforce.level == "privileged":
        return False
    same_version = new.enforce.version == old.enforce.version
    return not (same_version and LEVELS.index(new.enforce.level) <= LEVELS.index(old.enforce.level))


def _existing_pod_warnings(cluster: Cluster, namespace: str, policy: Policy) -> list[str]:
    """One line per distinct set of reasons, naming the first pod by name (EvaluatePodsInNamespace)."""
    first_pod: dict[str, str] = {}
    counts: dict[str, int] = {}
    for pod in cluster.list("pods", namespace):
        failures = podsecurity.evaluate(policy.enforce, pod["metadata"], pod.get("spec"))
        if not failures:
            continue
        reasons = podsecurity.reasons(failures)
        name = pod["metadata"]["name"]
        first_pod[reasons] = min(first_pod.get(reasons, name), name)
        counts[reasons] = counts.get(reasons, 0) + 1
    if not counts:
        return []
    head = f'existing pods in namespace "{namespace}" violate the new PodSecurity enforce level "{policy.enforce}"'
    return [head] + sorted(_pod_line(first_pod[r], counts[r], r) for r in counts)


def _pod_line(pod_name: str, count: int, reasons: str) -> str:
    if count == 1:
        return f"{pod_name}: {reasons}"
    if count == 2:
        return f"{pod_name} (and 1 other pod): {reasons}"
    return f"{pod_name} (and {count - 1} other pods): {reasons}"
