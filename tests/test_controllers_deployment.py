"""Deployment controller scenarios, driven through the CLI: names, revisions, rollouts, status, events."""

import json
import re


from minikctl.controllers.hashing import pod_template_hash, safe_encode_string


def deployment(replicas=3, image="nginx:1.27", strategy=None, annotations=None, extra_spec=""):
    lines = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web"]
    if annotations:
        lines.append("  annotations: " + json.dumps(annotations))
    lines += ["spec:", f"  replicas: {replicas}", "  selector: {matchLabels: {app: web}}"]
    if strategy:
        lines.append("  strategy: " + json.dumps(strategy))
    if extra_spec:
        lines.append("  " + extra_spec)
    lines += ["  template:", "    metadata: {labels: {app: web}}",
              f'    spec: {{containers: [{{name: nginx, image: "{image}"}}]}}']
    return "\n".join(lines) + "\n"


def test_hash_shape_is_stable_and_changes_with_the_template():
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "a"}]}}
    first = pod_template_hash(template)
    assert re.fullmatch(r"[456789bcdf]{1,10}", first)
    assert pod_template_hash(template) == first
    labelled = {"metadata": {"labels": {"app": "web", "pod-template-hash": "x"}}, "spec": template["spec"]}
    assert pod_template_hash(labelled) == first
    assert pod_template_hash(template, 1) != first
    assert safe_encode_string("0123456789") == "456789bcdf"


def test_new_deployment_creates_its_replicaset_and_reports_status(kubectl):
    kubectl("apply", "-f", "-", stdin=deployment())
    [rs] = kubectl.json("get", "rs")["items"]
    hash_value = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{hash_value}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": hash_value}
    assert rs["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1",
                                             "deployment.kubernetes.io/desired-replicas": "3",
                                             "deployment.kubernetes.io/max-replicas": "4"}
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    web = kubectl.json("get", "deploy", "web")
    assert web["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert web["metadata"]["generation"] == 1
    status = web["status"]
    assert {k: status.get(k) for k in ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                                       "availableReplicas")} == {"observedGeneration": 1, "replicas": 3,
                                                                 "updatedReplicas": 3, "readyReplicas": 3,
                                                                 "availableReplicas": 3}
    assert "unavailableReplicas" not in status
    assert [(c["type"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("Available", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "NewReplicaSetAvailable", f'ReplicaSet "web-{hash_value}" has successfully progressed.')]
    assert kubectl.event_messages("ScalingReplicaSet") == [f"Scaled up replica set web-{hash_value} from 0 to 3"]


def test_rolling_update_replays_the_real_event_sequence(kubectl):
    kubectl("apply", "-f", "-", stdin=deployment())
    old = kubectl.json("get", "rs")["items"][0]["metadata"]["name"]
    kubectl.now = "2026-01-01T00:01:00Z"
    kubectl("apply", "-f", "-", stdin=deployment(image="nginx:1.28"))
    new = next(rs["metadata"]["name"] for rs in kubectl.json("get", "rs")["items"] if rs["metadata"]["name"] != old)
    assert kubectl.event_messages("ScalingReplicaSet") == [
        f"Scaled up replica set {old} from 0 to 3",
        f"Scaled up replica set {new} from 0 to 1", f"Scaled down replica set {old} from 3 to 2",
        f"Scaled up replica set {new} from 1 to 2", f"Scaled down replica set {old} from 2 to 1",
        f"Scaled up replica set {new} from 2 to 3", f"Scaled down replica set {old} from 1 to 0"]
    sets = {rs["metadata"]["name"]: rs for rs in kubectl.json("get", "rs")["items"]}
    assert sets[new]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert sets[old]["spec"]["replicas"] == 0
    assert kubectl("get", "deploy", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}") == "2"


def test_blocked_rollout_respects_max_surge_and_max_unavailable(kubectl):
    kubectl("apply", "-f", "-", stdin=deployment(replicas=4))
    kubectl("apply", "-f", "-", stdin=deployment(replicas=4, image="nginx:1.28").replace(
        "metadata: {labels: {app: web}}",
        'metadata: {labels: {app: web}, annotations: {fault.minikctl.io/image-pull: "true"}}'))
    sizes = sorted((rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"], rs["spec"]["replicas"])
                   for rs in kubectl.json("get", "rs")["items"])
    assert sizes == [("1", 3), ("2", 2)]  # 25% of 4: surge 1, unavailable 1
    status = kubectl.json("get", "deploy", "web")["status"]
    assert (status["replicas"], status["updatedReplicas"], status["availableReplicas"],
            status["unavailableReplicas"]) == (5, 2, 3, 2)
    progressing = next(c for c in status["conditions"] if c["type"] == "Progressing")
    assert progressing["reason"] == "ReplicaSetUpdated"
    kubectl.now = "2026-01-01T00:11:00Z"
    kubectl("annotate", "deploy", "web", "note=later")
    progressing = next(c for c in kubectl.json("get", "deploy", "web")["status"]["conditions"] if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("False", "ProgressDeadlineExceeded")


def test_percentages_round_surge_up_and_unavailable_down(kubectl):
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "30%", "maxUnavailable": "30%"}}
    kubectl("apply", "-f", "-", stdin=deployment(replicas=5, strategy=strategy))
    [rs] = kubectl.json("get", "rs")["items"]
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "7"  # ceil(1.5) = 2


def test_recreate_scales_old_to_zero_before_creating_new(kubectl):
    kubectl("apply", "-f", "-", stdin=deployment(strategy={"type": "Recreate"}))
    old = kubectl.json("get", "rs")["items"][0]["metadata"]["name"]
    kubectl("apply", "-f", "-", stdin=deployment(image="nginx:1.28", strategy={"type": "Recreate"}))
    messages = kubectl.event_messages("ScalingReplicaSet")
    assert messages[1] == f"Scaled down replica set {old} from 3 to 0"
    assert re.fullmatch(r"Scaled up replica set web-[456789bcdf]+ from 0 to 3", messages[2])
    assert len(messages) == 3


def test_paused_deployment_makes_no_new_replicaset(kubectl):
    kubectl("apply", "-f", "-", stdin=deployment())
    kubectl("apply", "-f", "-", stdin=deployment(image="nginx:1.28", extra_spec="paused: true"))
    assert len(kubectl.json("get", "rs")["items"]) == 1
    progressing = next(c for c in kubectl.json("get", "deploy", "web")["status"]["conditions"] if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "Unknown", "DeploymentPaused", "Deployment is paused")
    kubectl("apply", "-f", "-", stdin=deployment(image="nginx:1.28"))
    assert len(kubectl.json("get", "rs")["items"]) == 2


def test_revision_history_limit_deletes_the_oldest_sets(kubectl):
    for tag in ("1.25", "1.26", "1.27"):
        kubectl("apply", "-f", "-", stdin=deployment(image=f"nginx:{tag}", extra_spec="revisionHistoryLimit: 1"))
    revisions = sorted(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                       for rs in kubectl.json("get", "rs")["items"])
    assert revisions == ["2", "3"]


def test_scale_to_a_thousand_fills_the_workers_and_leaves_the_rest_pending(kubectl):
    """Reconcile speed is measured in bench/bench_reconcile.py, not here."""
    kubectl("apply", "-f", "-", stdin=deployment())
    kubectl("scale", "deploy", "web", "--replicas=1000")
    pods = kubectl.json("get", "pods")["items"]
    assert len(pods) == 1000
    # Three kind nodes, the control plane tainted: 2 x 110 pods fit, less each worker's kindnet and kube-proxy.
    assert sum(1 for p in pods if p["status"]["phase"] == "Running") == 2 * (110 - 2)
