"""API-server defaults (../shared/reference/controllers.md §2) and Pod admission mutations.

Defaulting functions follow kubernetes/kubernetes pkg/apis/core/v1/defaults.go,
pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go, pkg/apis/autoscaling/v2/defaults.go and
pkg/apis/networking/v1/defaults.go; they are idempotent and also reach pod templates embedded in
workloads. Admission mutations (plugin/pkg/admission/serviceaccount, defaulttolerationseconds,
priority; pkg/apis/core/helper/qos) touch only top-level Pods, see `admit_pod`.
"""

from __future__ import annotations

from typing import Callable

SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_EXPIRATION_SECONDS = 3607
DEFAULT_TOLERATION_SECONDS = 300
JOB_UID_LABELS = ("batch.kubernetes.io/controller-uid", "controller-uid")
JOB_NAME_LABELS = ("batch.kubernetes.io/job-name", "job-name")


def apply_defaults(obj: dict) -> None:
    drop_nulls(obj)
    defaulter = _DEFAULTERS.get(obj.get("kind", ""))
    if defaulter:
        defaulter(obj)


def drop_nulls(value) -> None:
    """A null field decodes to its Go zero value, which the server stores as an absent field."""
    if isinstance(value, dict):
        for key in [key for key, item in value.items() if item is None]:
            del value[key]
    for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
        drop_nulls(item)


def _spec(obj: dict) -> dict:
    """The object's spec, created when absent or null (a spec of the wrong type is left to validation)."""
    if obj.get("spec") is None:
        obj["spec"] = {}
    return obj["spec"] if isinstance(obj["spec"], dict) else {}


# -------------------------------------------------------------------------------- pods

def default_pod_spec(spec: dict) -> None:
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        default_container(container, spec.get("hostNetwork", False))
    for volume in spec.get("volumes") or []:
        default_volume(volume)


def image_pull_policy(image: str) -> str:
    """Always for `:latest` or an image with neither tag nor digest, else IfNotPresent."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def default_container(container: dict, host_network: bool) -> None:
    if "image" in container:
        container.setdefault("imagePullPolicy", image_pull_policy(str(container["image"])))
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    container.setdefault("resources", {})
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")
        if host_network and "containerPort" in port:
            port.setdefault("hostPort", port["containerPort"])
    for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(container.get(probe_name), dict):
            default_probe(container[probe_name])
    for env in container.get("env") or []:
        field_ref = (env.get("valueFrom") or {}).get("fieldRef")
        if isinstance(field_ref, dict):
            field_ref.setdefault("apiVersion", "v1")


def default_probe(probe: dict) -> None:
    for field, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)):
        probe.setdefault(field, value)
    if isinstance(probe.get("httpGet"), dict):
        probe["httpGet"].setdefault("path", "/")
        probe["httpGet"].setdefault("scheme", "HTTP")


_VOLUME_SOURCES = ("emptyDir", "hostPath", "configMap", "secret", "persistentVolumeClaim", "projected",
                   "downwardAPI", "nfs", "csi", "ephemeral", "image", "iscsi", "fc", "rbd", "cephfs")


def default_volume(volume: dict) -> None:
    if not any(source in volume for source in _VOLUME_SOURCES) and len(volume) <= 1:
        volume["emptyDir"] = {}
    for source in ("configMap", "secret", "downwardAPI", "projected"):
        if isinstance(volume.get(source), dict):
            volume[source].setdefault("defaultMode", 420)
    if isinstance(volume.get("hostPath"), dict):
        volume["hostPath"].setdefault("type", "")


def default_pod_template(template) -> None:
    if isinstance(template, dict):
        template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
        default_pod_spec(template.setdefault("spec", {}))


def default_pod(pod: dict) -> None:
    default_pod_spec(_spec(pod))


# ---------------------------------------------------------------------------- workloads

def default_deployment(obj: dict) -> None:
    spec = _spec(obj)
    spec.setdefault("replicas", 1)
    strategy = spec.setdefault("strategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.setdefault("rollingUpdate", {})
        rolling.setdefault("maxUnavailable", "25%")
        rolling.setdefault("maxSurge", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    default_pod_template(spec.get("template"))


def default_replica_set(obj: dict) -> None:
    spec = _spec(obj)
    spec.setdefault("replicas", 1)
    default_pod_template(spec.get("template"))


def default_replication_controller(obj: dict) -> None:
    """Selector and labels default to the template's labels when empty."""
    spec = _spec(obj)
    spec.setdefault("replicas", 1)
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = obj.setdefault("metadata", {})
        if not meta.get("labels"):
            meta["labels"] = dict(labels)
    default_pod_template(spec.get("template"))


def default_stateful_set(obj: dict) -> None:
    spec = _spec(obj)
    spec.setdefault("replicas", 1)
    spec.setdefault("podManagementPolicy", "OrderedReady")
    strategy = spec.setdefault("updateStrategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        strategy.setdefault("rollingUpdate", {}).setdefault("partition", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    retention = spec.setdefault("persistentVolumeClaimRetentionPolicy", {})
    retention.setdefault("whenDeleted", "Retain")
    retention.setdefault("whenScaled", "Retain")
    for claim in spec.get("volumeClaimTemplates") or []:
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        claim.setdefault("spec", {}).setdefault("volumeMode", "Filesystem")
        claim.setdefault("status", {}).setdefault("phase", "Pending")
    default_pod_template(spec.get("template"))


def default_daemon_set(obj: dict) -> None:
    spec = _spec(obj)
    strategy = spec.setdefault("updateStrategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.setdefault("rollingUpdate", {})
        rolling.setdefault("maxUnavailable", 1)
        rolling.setdefault("maxSurge", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    default_pod_template(spec.get("template"))


def default_job_spec(spec: dict) -> None:
    """completions/parallelism: both 1 when both unset; a lone parallelism leaves completions unset."""
    if "completions" not in spec and "parallelism" not in spec:
        spec["completions"] = 1
    spec.setdefault("parallelism", 1)
    spec.setdefault("backoffLimit", 2147483647 if "backoffLimitPerIndex" in spec else 6)
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    spec.setdefault("podReplacementPolicy", "Failed" if spec.get("podFailurePolicy") else "TerminatingOrFailed")
    spec.setdefault("manualSelector", False)
    default_pod_template(spec.get("template"))


def default_job(obj: dict) -> None:
    default_job_spec(_spec(obj))


def default_job_after_uid(job: dict) -> None:
    """The generated selector and labels need the uid the store has just assigned (batch job strategy)."""
    spec, meta = _spec(job), job.setdefault("metadata", {})
    uid, name = meta.get("uid", ""), meta.get("name", "")
    template_meta = spec.setdefault("template", {}).setdefault("metadata", {})
    if not spec.get("manualSelector"):
        labels = template_meta.setdefault("labels", {})
        for key in JOB_UID_LABELS:
            labels.setdefault(key, uid)
        for key in JOB_NAME_LABELS:
            labels.setdefault(key, name)
        if not spec.get("selector"):
            spec["selector"] = {"matchLabels": {JOB_UID_LABELS[0]: uid}}
    if not meta.get("labels") and template_meta.get("labels"):
        meta["labels"] = dict(template_meta["labels"])


def default_cron_job(obj: dict) -> None:
    """Only pod-template defaults inside the job template; Job defaults apply when the Job is made."""
    spec = _spec(obj)
    spec.setdefault("concurrencyPolicy", "Allow")
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_template = spec.get("jobTemplate")
    if isinstance(job_template, dict):
        job_template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
        default_pod_template((job_template.setdefault("spec", {})).get("template"))


def default_hpa(obj: dict) -> None:
    spec = _spec(obj)
    spec.setdefault("minReplicas", 1)
    if obj.get("apiVersion") == "autoscaling/v2" and not spec.get("metrics"):
        spec["metrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]


# ----------------------------------------------------------------------------- services

def default_service(obj: dict) -> None:
    """Everything but IP, IP family and node-port allocation (the registry's job)."""
    spec = _spec(obj)
    service_type = spec.setdefault("type", "ClusterIP")
    affinity = spec.setdefault("sessionAffinity", "None")
    if affinity == "ClientIP":
        spec.setdefault("sessionAffinityConfig", {}).setdefault("clientIP", {}).setdefault("timeoutSeconds", 10800)
    for port in spec.get("ports") or []:
        port.setdefault("protocol", "TCP")
        if not port.get("targetPort"):
            port["targetPort"] = port.get("port")
    external = service_type in ("NodePort", "LoadBalancer") or (service_type == "ClusterIP" and spec.get("externalIPs"))
    if external:
        spec.setdefault("externalTrafficPolicy", "Cluster")
    if service_type != "ExternalName":
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if service_type == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)
    obj.setdefault("status", {}).setdefault("loadBalancer", {})


def default_endpoints(obj: dict) -> None:
    for subset in obj.get("subsets") or []:
        for port in subset.get("ports") or []:
            port.setdefault("protocol", "TCP")


# ------------------------------------------------------------------------------ others

def default_namespace(obj: dict) -> None:
    meta = obj.setdefault("metadata", {})
    if meta.get("name"):
        meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
    _spec(obj).setdefault("finalizers", ["kubernetes"])
    obj.setdefault("status", {}).setdefault("phase", "Active")


def default_secret(obj: dict) -> None:
    obj.setdefault("type", "Opaque")


def default_pvc(obj: dict) -> None:
    _spec(obj).setdefault("volumeMode", "Filesystem")
    obj.setdefault("status", {}).setdefault("phase", "Pending")


def default_pv(obj: dict) -> None:
    spec = _spec(obj)
    spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
    spec.setdefault("volumeMode", "Filesystem")
    obj.setdefault("status", {}).setdefault("phase", "Pending")


def default_network_policy(obj: dict) -> None:
    spec = _spec(obj)
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress"] + (["Egress"] if spec.get("egress") else [])
    for rule in (spec.get("ingress") or []) + (spec.get("egress") or []):
        for port in rule.get("ports") or []:
            port.setdefault("protocol", "TCP")


def default_limit_range(obj: dict) -> None:
    """Container limits: default <- max, defaultRequest <- default, else <- min (per resource)."""
    for limit in _spec(obj).get("limits") or []:
        if limit.get("type") != "Container":
            continue
        default = {**(limit.get("max") or {}), **(limit.get("default") or {})}
        if default:
            limit["default"] = default
        request = {**(limit.get("min") or {}), **default, **(limit.get("defaultRequest") or {})}
        if request:
            limit["defaultRequest"] = request


def default_resource_quota(obj: dict) -> None:
    hard = _spec(obj).get("hard")
    if hard:
        obj.setdefault("status", {}).setdefault("hard", dict(hard))


def default_node(obj: dict) -> None:
    status = obj.get("status") or {}
    if status.get("capacity") and not status.get("allocatable"):
        status["allocatable"] = dict(status["capacity"])


_DEFAULTERS: dict[str, Callable[[dict], None]] = {
    "Pod": default_pod, "Deployment": default_deployment, "ReplicaSet": default_replica_set,
    "ReplicationController": default_replication_controller, "StatefulSet": default_stateful_set,
    "DaemonSet": default_daemon_set, "Job": default_job, "CronJob": default_cron_job,
    "HorizontalPodAutoscaler": default_hpa, "Service": default_service, "Endpoints": default_endpoints,
    "Namespace": default_namespace, "Secret": default_secret, "PersistentVolumeClaim": default_pvc,
    "PersistentVolume": default_pv, "NetworkPolicy": default_network_policy, "LimitRange": default_limit_range,
    "ResourceQuota": default_resource_quota, "Node": default_node,
}


# ------------------------------------------------------------------------ pod admission

def admit_pod(pod: dict, random_string: Callable[[int], str]) -> None:
    """Admission for a top-level Pod being created; runs after apply_defaults."""
    spec = _spec(pod)
    spec.setdefault("enableServiceLinks", True)
    if MIRROR_ANNOTATION not in ((pod.get("metadata") or {}).get("annotations") or {}):
        admit_service_account(spec, random_string)
    admit_tolerations(spec)
    admit_priority(spec)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        requests_from_limits(container.setdefault("resources", {}))
    status = pod.setdefault("status", {})
    status.setdefault("phase", "Pending")
    status["qosClass"] = qos_class(spec)


# The kubelet's mirror pods skip ServiceAccount admission (kubernetes/kubernetes:
# plugin/pkg/admission/serviceaccount/admission.go, the kubernetes.io/config.mirror check).
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
# The two built-in PriorityClasses every cluster has (kubernetes/kubernetes: pkg/apis/scheduling/types.go).
SYSTEM_PRIORITIES = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


def admit_priority(spec: dict) -> None:
    """Priority admission: the built-in classes' values, 0 without a class (PriorityClasses are not stored)."""
    spec.setdefault("priority", SYSTEM_PRIORITIES.get(spec.get("priorityClassName") or "", 0))


def admit_service_account(spec: dict, random_string: Callable[[int], str]) -> None:
    """serviceAccountName/serviceAccount default, plus the projected token volume and its mounts."""
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = account
    spec["serviceAccount"] = account
    if spec.get("automountServiceAccountToken") is False:
        return
    volumes = spec.setdefault("volumes", [])
    existing = next((v["name"] for v in volumes if str(v.get("name", "")).startswith("kube-api-access-")), None)
    name = existing or f"kube-api-access-{random_string(5)}"
    if not existing:
        volumes.append(token_volume(name))
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        mounts = container.setdefault("volumeMounts", [])
        if not any(m.get("mountPath") == SERVICE_ACCOUNT_MOUNT for m in mounts):
            mounts.append({"mountPath": SERVICE_ACCOUNT_MOUNT, "name": name, "readOnly": True})


def token_volume(name: str) -> dict:
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}},
    ]}}


def admit_tolerations(spec: dict) -> None:
    """DefaultTolerationSeconds: not-ready and unreachable NoExecute for 300s unless already tolerated."""
    tolerations = spec.setdefault("tolerations", [])
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not any(tolerates_no_execute(t, key) for t in tolerations):
            tolerations.append({"effect": "NoExecute", "key": key, "operator": "Exists",
                                "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})


def tolerates_no_execute(toleration: dict, key: str) -> bool:
    if toleration.get("effect") not in (None, "", "NoExecute"):
        return False
    if toleration.get("key") in (None, ""):
        return toleration.get("operator") == "Exists"
    return toleration.get("key") == key


def requests_from_limits(resources: dict) -> None:
    limits = resources.get("limits") or {}
    if limits:
        requests = resources.setdefault("requests", {})
        for name, value in limits.items():
            requests.setdefault(name, value)


def qos_class(spec: dict) -> str:
    """Guaranteed: every container has cpu and memory limits equal to its requests; BestEffort: none
    has any; else Burstable (kubernetes pkg/apis/core/helper/qos/qos.go)."""
    containers = (spec.get("initContainers") or []) + (spec.get("containers") or [])
    resources = [c.get("resources") or {} for c in containers]
    if not any((r.get("requests") or r.get("limits")) for r in resources):
        return "BestEffort"
    guaranteed = all(
        all(name in (r.get("limits") or {}) for name in ("cpu", "memory"))
        and all((r.get("requests") or {}).get(name, value) == value for name, value in (r.get("limits") or {}).items()
                if name in ("cpu", "memory"))
        for r in resources)
    return "Guaranteed" if guaranteed else "Burstable"
