"""Injected faults (docs/faults.md) and their recovery."""

from manifests import deployment


POD = """apiVersion: v1
kind: Pod
metadata: {name: app, annotations: {%s}}
spec:
  restartPolicy: %s
  containers: [{name: main, image: "nginx:1.27"}]
"""

DEPLOYMENT = deployment(replicas=4)


def container(kubectl, name="app"):
    return kubectl.json("get", "pod", name)["status"]["containerStatuses"][0]


def reasons(kubectl, name="app"):
    return [(e["type"], e["reason"], e["message"]) for e in kubectl.json("get", "events")["items"]
            if e["involvedObject"]["name"] == name and e["source"]["component"] == "kubelet"]


def test_image_pull_fault_and_recovery(kubectl):
    kubectl("apply", "-f", "-", stdin=POD % ('fault.minikctl.io/image-pull: "true"', "Always"))
    state = container(kubectl)["state"]["waiting"]
    assert state == {"reason": "ImagePullBackOff", "message": 'Back-off pulling image "nginx:1.27"'}
    events = reasons(kubectl)
    assert events[0] == ("Normal", "Pulling", 'Pulling image "nginx:1.27"')
    assert events[1][:2] == ("Warning", "Failed") and events[1][2].startswith('Failed to pull image "nginx:1.27": ')
    assert events[2:] == [("Warning", "Failed", "Error: ErrImagePull"),
                          ("Normal", "BackOff", 'Back-off pulling image "nginx:1.27"'),
                          ("Warning", "Failed", "Error: ImagePullBackOff")]
    kubectl("annotate", "pod", "app", "fault.minikctl.io/image-pull=false", "--overwrite")
    assert "running" in container(kubectl)["state"]
    assert kubectl("get", "pod", "app", "-o", "jsonpath={.status.phase}") == "Running"


def test_crash_loop_counts_restarts_with_the_clock(kubectl):
    kubectl("apply", "-f", "-", stdin=POD % ('fault.minikctl.io/crash-loop: "true"', "Always"))
    status = container(kubectl)
    uid = kubectl("get", "pod", "app", "-o", "jsonpath={.metadata.uid}")
    assert status["state"]["waiting"] == {
        "reason": "CrashLoopBackOff",
        "message": f"back-off 10s restarting failed container=main pod=app_default({uid})"}
    assert status["lastState"]["terminated"]["reason"] == "Error"
    assert status["lastState"]["terminated"]["exitCode"] == 1
    assert status["restartCount"] == 1
    assert ("Warning", "BackOff", f"Back-off restarting failed container main in pod app_default({uid})") in reasons(kubectl)
    kubectl.now = "2026-01-01T00:01:15Z"  # 10 + 20 + 40 seconds of back-off have passed
    kubectl("annotate", "pod", "app", "note=tick")
    status = container(kubectl)
    assert status["restartCount"] == 4
    assert status["state"]["waiting"]["message"].startswith("back-off 1m20s ")
    kubectl("annotate", "pod", "app", "fault.minikctl.io/crash-loop=false", "--overwrite")
    status = container(kubectl)
    assert "running" in status["state"] and status["restartCount"] == 4


def test_crash_with_restart_policy_never_fails_the_pod(kubectl):
    kubectl("apply", "-f", "-", stdin=POD % ('fault.minikctl.io/crash-loop: "true", fault.minikctl.io/exit-code: "3"',
                                            "Never"))
    assert kubectl("get", "pod", "app", "-o", "jsonpath={.status.phase}") == "Failed"
    assert container(kubectl)["state"]["terminated"]["exitCode"] == 3


def test_node_not_ready_evicts_and_replaces_pods(kubectl):
    kubectl("apply", "-f", "-", stdin=DEPLOYMENT)
    before = {p["metadata"]["name"]: p for p in kubectl.json("get", "pods")["items"]}
    lost = {n for n, p in before.items() if p["spec"]["nodeName"] == "kind-worker"}
    assert lost
    kubectl("label", "node", "kind-worker", "fault.minikctl.io/not-ready=true")
    node = kubectl.json("get", "node", "kind-worker")
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    assert {(t["key"], t["effect"]) for t in node["spec"]["taints"]} == {
        ("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")}
    pods = {p["metadata"]["name"]: p for p in kubectl.json("get", "pods")["items"]}
    assert all(pods[n]["metadata"].get("deletionTimestamp") for n in lost)
    replacements = [p for n, p in pods.items() if n not in before]
    assert len(replacements) == len(lost)
    assert all(p["spec"]["nodeName"] == "kind-worker2" and p["status"]["phase"] == "Running" for p in replacements)
    assert kubectl("get", "deploy", "web", "-o", "jsonpath={.status.availableReplicas}") == "4"
    kubectl("label", "node", "kind-worker", "fault.minikctl.io/not-ready=false", "--overwrite")
    names = {p["metadata"]["name"] for p in kubectl.json("get", "pods")["items"]}
    assert not names & lost and len(names) == 4
    assert "taints" not in kubectl.json("get", "node", "kind-worker")["spec"]
