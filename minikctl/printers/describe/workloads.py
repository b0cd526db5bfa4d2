"""describe for workload controllers: Deployment, ReplicaSet, ReplicationController, StatefulSet,
DaemonSet, Job, CronJob.

Layout facts: kubernetes/kubectl pkg/describe/describe.go (describeDeployment, describeReplicaSet,
describeReplicationController, describeStatefulSet, describeDaemonSet, describeJob, describeCronJob,
getPodStatusForController) and pkg/util/deployment/deployment.go (which ReplicaSets are old/new);
../shared/reference/kubectl-cli.md §9.3-§9.9.
"""

from __future__ import annotations

from minikctl.core.ownership import is_controlled_by
from minikctl.printers.describe import engine
from minikctl.printers.describe.engine import Settings, Writer
from minikctl.printers.describe.pod import pod_template
from minikctl.printers.labels import InvalidSelector, format_label_selector, format_labels, selector_string

TEMPLATE_HASH_LABEL = "pod-template-hash"


def describe_deployment(deployment: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = _parts(deployment)
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    w.line(0, f"CreationTimestamp:\t{engine.rfc1123z(meta.get('creationTimestamp'))}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, f"Selector:\t{_selector(spec)}")
    w.line(0, f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('updatedReplicas', 0)} updated | "
              f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
              f"{status.get('unavailableReplicas', 0)} unavailable")
    strategy = spec.get("strategy") or {}
    w.line(0, f"StrategyType:\t{strategy.get('type', '')}")
    w.line(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}")
    if strategy.get("rollingUpdate") is not None:
        rolling = strategy["rollingUpdate"]
        w.line(0, f"RollingUpdateStrategy:\t{rolling.get('maxUnavailable', '')} max unavailable, "
                  f"{rolling.get('maxSurge', '')} max surge")
    pod_template(w, spec.get("template"))
    engine.conditions_with_reason(w, status.get("conditions"))
    old, new = _old_and_new_replica_sets(deployment, settings.cluster)
    if old or new:
        w.line(0, f"OldReplicaSets:\t{_replica_set_list(old)}")
        w.line(0, f"NewReplicaSet:\t{_replica_set_list(new)}")
    engine.events(w, deployment, settings)
    return w.text()


def _parts(obj: dict) -> tuple[dict, dict, dict]:
    return obj["metadata"], obj.get("spec") or {}, obj.get("status") or {}


def _selector(spec: dict) -> str:
    """A LabelSelector as labels.Selector prints it: empty for a selector that selects everything."""
    try:
        return selector_string(spec.get("selector"))
    except InvalidSelector as problem:
        return f"Failed to get selector: {problem}"


def _old_and_new_replica_sets(deployment: dict, cluster) -> tuple[list[dict], list[dict]]:
    """The deployment's ReplicaSets, oldest first; "new" is the first whose template matches (hash ignored)."""
    from minikctl.core import selectors

    owned = [rs for rs in cluster.list("replicasets.apps", deployment["metadata"].get("namespace", ""))
             if is_controlled_by(rs, deployment)
             and selectors.selector_matches((deployment.get("spec") or {}).get("selector"),
                                           rs["metadata"].get("labels"))]
    owned.sort(key=lambda rs: (rs["metadata"].get("creationTimestamp", ""), rs["metadata"]["name"]))
    wanted = _template_without_hash((deployment.get("spec") or {}).get("template"))
    new = next((rs for rs in owned if _template_without_hash((rs.get("spec") or {}).get("template")) == wanted), None)
    old = [rs for rs in owned if rs is not new]
    return old, [new] if new is not None else []


def _template_without_hash(template: dict | None):
    """The template in a form where nil and empty collections compare equal (apimachinery Semantic.DeepEqual)."""
    import copy

    template = copy.deepcopy(template or {})
    labels = (template.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(TEMPLATE_HASH_LABEL, None)
    return _without_empty(template)


def _without_empty(value):
    if isinstance(value, dict):
        cleaned = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in ({}, [], None)}
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value


def _replica_set_list(replica_sets: list[dict]) -> str:
    described = [f"{rs['metadata']['name']} ({(rs.get('status') or {}).get('replicas', 0)}/"
                 f"{(rs.get('spec') or {}).get('replicas', 0)} replicas created)" for rs in replica_sets]
    return ", ".join(described) or "<none>"


def pod_phase_counts(owner: dict, selector_matches, cluster) -> str:
    """`<n> Running / <n> Waiting / <n> Succeeded / <n> Failed` over matching pods the owner controls."""
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in cluster.list("pods", owner["metadata"].get("namespace", "")):
        if selector_matches(pod["metadata"].get("labels")) and is_controlled_by(pod, owner):
            phase = (pod.get("status") or {}).get("phase")
            if phase in counts:
                counts[phase] += 1
    return (f"{counts['Running']} Running / {counts['Pending']} Waiting / {counts['Succeeded']} Succeeded / "
            f"{counts['Failed']} Failed")


def _label_selector_matcher(selector: dict | None):
    from minikctl.core import selectors

    return lambda labels: selectors.selector_matches(selector, labels)


def _map_selector_matcher(selector: dict | None):
    from minikctl.core import selectors

    return lambda labels: selectors.map_selector_matches(selector, labels)


def describe_replicaset(replica_set: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = _parts(replica_set)
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    w.line(0, f"Selector:\t{format_label_selector(spec.get('selector'))}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    if engine.controller_of(replica_set):
        w.line(0, f"Controlled By:\t{engine.controller_of(replica_set)}")
    w.line(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 0)} desired")
    counts = pod_phase_counts(replica_set, _label_selector_matcher(spec.get("selector")), settings.cluster)
    w.line(0, f"Pods Status:\t{counts}")
    pod_template(w, spec.get("template"))
    engine.conditions_with_reason(w, status.get("conditions"))
    engine.events(w, replica_set, settings)
    return w.text()


def describe_replicationcontroller(controller: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = _parts(controller)
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    w.line(0, f"Selector:\t{format_labels(spec.get('selector'))}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 0)} desired")
    counts = pod_phase_counts(controller, _map_selector_matcher(spec.get("selector")), settings.cluster)
    w.line(0, f"Pods Status:\t{counts}")
    pod_template(w, spec.get("template"))
    engine.conditions_with_reason(w, status.get("conditions"))
    engine.events(w, controller, settings)
    return w.text()


def describe_statefulset(stateful_set: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = _parts(stateful_set)
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    w.line(0, f"CreationTimestamp:\t{engine.rfc1123z(meta.get('creationTimestamp'))}")
    w.line(0, f"Selector:\t{_selector(spec)}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('replicas', 0)} total")
    strategy = spec.get("updateStrategy") or {}
    w.line(0, f"Update Strategy:\t{strategy.get('type', '')}")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None and rolling.get("partition") is not None:
        w.line(1, f"Partition:\t{rolling['partition']}")
        if rolling.get("maxUnavailable") is not None:
            w.line(1, f"MaxUnavailable:\t{rolling['maxUnavailable']}")
    counts = pod_phase_counts(stateful_set, _label_selector_matcher(spec.get("selector")), settings.cluster)
    w.line(0, f"Pods Status:\t{counts}")
    pod_template(w, spec.get("template"))
    _volume_claim_templates(w, spec.get("volumeClaimTemplates"))
    engine.events(w, stateful_set, settings)
    return w.text()


def _volume_claim_templates(w: Writer, templates: list | None) -> None:
    if not templates:
        w.line(0, "Volume Claims:\t<none>")
        return
    w.line(0, "Volume Claims:")
    for claim in templates:
        meta, spec = claim.get("metadata") or {}, claim.get("spec") or {}
        w.line(1, f"Name:\t{meta.get('name', '')}")
        w.line(1, f"StorageClass:\t{claim_storage_class(claim)}")
        engine.labels(w, "Labels", meta.get("labels"), indent="  ")
        engine.labels(w, "Annotations", meta.get("annotations"), indent="  ")
        capacity = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        w.line(1, f"Capacity:\t{capacity if capacity is not None else '<default>'}")
        w.line(1, f"Access Modes:\t{engine.go_list(spec.get('accessModes'))}")


def claim_storage_class(claim: dict) -> str:
    """GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName."""
    annotation = ((claim.get("metadata") or {}).get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class")
    if annotation is not None:
        return annotation
    return (claim.get("spec") or {}).get("storageClassName") or ""


def describe_daemonset(daemon_set: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = _parts(daemon_set)
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Selector:\t{_selector(spec)}")
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w.line(0, f"Node-Selector:\t{format_labels(node_selector)}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}")
    w.line(0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}")
    w.line(0, f"Number of Nodes Scheduled with Up-to-date Pods: {status.get('updatedNumberScheduled', 0)}")
    w.line(0, f"Number of Nodes Scheduled with Available Pods: {status.get('numberAvailable', 0)}")
    w.line(0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}")
    counts = pod_phase_counts(daemon_set, _label_selector_matcher(spec.get("selector")), settings.cluster)
    w.line(0, f"Pods Status:\t{counts}")
    pod_template(w, spec.get("template"))
    engine.events(w, daemon_set, settings)
    return w.text()


def describe_job(job: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = _parts(job)
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    w.line(0, f"Selector:\t{_selector(spec)}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    if engine.controller_of(job):
        w.line(0, f"Controlled By:\t{engine.controller_of(job)}")
    _job_spec_lines(w, spec)
    _job_status_lines(w, spec, status)
    pod_template(w, spec.get("template"))
    engine.events(w, job, settings)
    return w.text()


def _job_spec_lines(w: Writer, spec: dict) -> None:
    if spec.get("parallelism") is not None:
        w.line(0, f"Parallelism:\t{spec['parallelism']}")
    w.line(0, f"Completions:\t{_or_unset(spec.get('completions'))}")
    if spec.get("completionMode") is not None:
        w.line(0, f"Completion Mode:\t{spec['completionMode']}")
    if spec.get("suspend") is not None:
        w.line(0, f"Suspend:\t{engine.go_bool(spec['suspend'])}")
    if spec.get("backoffLimit") is not None:
        w.line(0, f"Backoff Limit:\t{spec['backoffLimit']}")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.line(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}")


def _job_status_lines(w: Writer, spec: dict, status: dict) -> None:
    if status.get("startTime"):
        w.line(0, f"Start Time:\t{engine.rfc1123z(status['startTime'])}")
    if status.get("completionTime"):
        w.line(0, f"Completed At:\t{engine.rfc1123z(status['completionTime'])}")
    if status.get("startTime") and status.get("completionTime"):
        w.line(0, f"Duration:\t{engine.duration_between(status['startTime'], status['completionTime'])}")
    if spec.get("activeDeadlineSeconds") is not None:
        w.line(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s")
    active, succeeded, failed = status.get("active", 0), status.get("succeeded", 0), status.get("failed", 0)
    ready = "" if status.get("ready") is None else f" ({status['ready']} Ready)"
    w.line(0, f"Pods Statuses:\t{active} Active{ready} / {succeeded} Succeeded / {failed} Failed")
    if spec.get("completionMode") == "Indexed":
        w.line(0, f"Completed Indexes:\t{_capped_indexes(status.get('completedIndexes', ''))}")


def _capped_indexes(indexes: str, soft_limit: int = 50) -> str:
    """The completed-indexes list cut after the first comma past 50 characters, with `...`."""
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    return indexes if cut < 0 else indexes[:cut + 1] + "..."


def _or_unset(value) -> str:
    return "<unset>" if value is None else str(value)


def describe_cronjob(cron_job: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = _parts(cron_job)
    engine.name_namespace_labels_annotations(w, cron_job)
    w.line(0, f"Schedule:\t{spec.get('schedule', '')}")
    w.line(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}")
    w.line(0, f"Suspend:\t{engine.bool_pointer(spec.get('suspend'))}")
    w.line(0, f"Successful Job History Limit:\t{_or_unset(spec.get('successfulJobsHistoryLimit'))}")
    w.line(0, f"Failed Job History Limit:\t{_or_unset(spec.get('failedJobsHistoryLimit'))}")
    deadline = spec.get("startingDeadlineSeconds")
    w.line(0, f"Starting Deadline Seconds:\t{'<unset>' if deadline is None else f'{deadline}s'}")
    _job_template(w, (spec.get("jobTemplate") or {}).get("spec") or {})
    last = status.get("lastScheduleTime")
    w.line(0, f"Last Schedule Time:\t{engine.rfc1123z(last) if last else '<unset>'}")
    active = ", ".join(reference.get("name", "") for reference in status.get("active") or [])
    w.line(0, f"Active Jobs:\t{active or '<none>'}")
    engine.events(w, cron_job, settings)
    return w.text()


def _job_template(w: Writer, spec: dict) -> None:
    w.line(0, f"Selector:\t{_selector(spec) if spec.get('selector') is not None else '<unset>'}")
    w.line(0, f"Parallelism:\t{_or_unset(spec.get('parallelism'))}")
    w.line(0, f"Completions:\t{_or_unset(spec.get('completions'))}")
    if spec.get("activeDeadlineSeconds") is not None:
        w.line(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s")
    pod_template(w, spec.get("template"))
