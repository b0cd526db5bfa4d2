"""Scheduler scenarios: spreading, node selection rules, and the FailedScheduling text."""

import re


def pod(name, extra="", requests=""):
    resources = f", resources: {{requests: {{{requests}}}}}" if requests else ""
    return (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n"
            f'  containers: [{{name: c, image: "nginx:1.27"{resources}}}]\n' + (f"  {extra}\n" if extra else ""))


def scheduled(kubectl, name):
    return kubectl("get", "pod", name, "-o", "jsonpath={.spec.nodeName}")


def failed_scheduling(kubectl, name):
    return [e["message"] for e in kubectl.json("get", "events")["items"]
            if e["reason"] == "FailedScheduling" and e["involvedObject"]["name"] == name]


def test_replicas_spread_over_the_workers(kubectl):
    kubectl("apply", "-f", "-", stdin="""apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: spread}
spec:
  replicas: 4
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec: {containers: [{name: c, image: "nginx:1.27"}]}
""")
    nodes = sorted(p["spec"]["nodeName"] for p in kubectl.json("get", "pods")["items"])
    assert nodes == ["kind-worker", "kind-worker", "kind-worker2", "kind-worker2"]
    [event] = [e for e in kubectl.json("get", "events")["items"] if e["reason"] == "Scheduled"][:1]
    assert re.fullmatch(r"Successfully assigned default/spread-\w{5} to kind-worker2?", event["message"])
    assert event["source"]["component"] == "default-scheduler"


def test_node_selector_that_matches_nothing_stays_pending(kubectl):
    kubectl("apply", "-f", "-", stdin=pod("picky", "nodeSelector: {disk: ssd}"))
    assert failed_scheduling(kubectl, "picky") == [
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 node(s) didn't match Pod's node affinity/selector. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."]
    condition = kubectl.json("get", "pod", "picky")["status"]["conditions"][0]
    assert (condition["type"], condition["status"], condition["reason"]) == ("PodScheduled", "False", "Unschedulable")
    kubectl("label", "node", "kind-worker2", "disk=ssd")
    assert scheduled(kubectl, "picky") == "kind-worker2"


def test_insufficient_cpu_and_the_control_plane_taint(kubectl):
    kubectl("apply", "-f", "-", stdin=pod("huge", requests='cpu: "9"'))
    assert failed_scheduling(kubectl, "huge") == [
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod."]


def test_toleration_and_required_affinity_reach_the_control_plane(kubectl):
    affinity = ("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
                "[{matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}]}}}\n"
                "  tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]")
    kubectl("apply", "-f", "-", stdin=pod("admin", affinity))
    assert scheduled(kubectl, "admin") == "kind-control-plane"


def test_node_name_bypasses_the_scheduler(kubectl):
    kubectl("apply", "-f", "-", stdin=pod("pinned", "nodeName: kind-control-plane"))
    assert scheduled(kubectl, "pinned") == "kind-control-plane"
    assert kubectl("get", "pod", "pinned", "-o", "jsonpath={.status.phase}") == "Running"
    assert not [e for e in kubectl.json("get", "events")["items"] if e["reason"] == "Scheduled"]
