"""Kubelet scenarios: pod status, IPs, container statuses, kubelet events, config and image errors."""

import re


POD = """apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: kind-worker
  containers: [{name: nginx, image: "nginx:1.27"}]
"""


def kubelet_events(kubectl, name):
    return [(e["reason"], e["message"]) for e in kubectl.json("get", "events")["items"]
            if e["involvedObject"]["name"] == name and e["source"]["component"] == "kubelet"]


def test_running_pod_status(kubectl):
    kubectl("apply", "-f", "-", stdin=POD)
    status = kubectl.json("get", "pod", "web")["status"]
    assert status["phase"] == "Running"
    assert (status["hostIP"], status["podIP"], status["podIPs"]) == ("172.18.0.3", "10.244.1.2", [{"ip": "10.244.1.2"}])
    assert status["startTime"] == "2026-01-01T00:00:00Z"
    assert [c["type"] for c in status["conditions"]] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    assert all(c["status"] == "True" for c in status["conditions"])
    [container] = status["containerStatuses"]
    assert container["image"] == "docker.io/library/nginx:1.27"
    assert container["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", container["containerID"])
    assert (container["ready"], container["started"], container["restartCount"], container["state"]) == (
        True, True, 0, {"running": {"startedAt": "2026-01-01T00:00:00Z"}})
    events = kubelet_events(kubectl, "web")
    assert [r for r, _ in events] == ["Pulling", "Pulled", "Created", "Started"]
    assert events[0][1] == 'Pulling image "nginx:1.27"'
    assert re.fullmatch(r'Successfully pulled image "nginx:1\.27" in [\d.]+s \([\d.]+s including waiting\)\. '
                        r"Image size: \d+ bytes\.", events[1][1])
    assert events[2:] == [("Created", "Created container nginx"), ("Started", "Started container nginx")]


def test_second_pod_finds_the_image_present(kubectl):
    kubectl("apply", "-f", "-", stdin=POD)
    kubectl("apply", "-f", "-", stdin=POD.replace("name: web", "name: web2"))
    assert kubelet_events(kubectl, "web2")[0] == ("Pulled", 'Container image "nginx:1.27" already present on machine')
    assert kubectl("get", "pod", "web2", "-o", "jsonpath={.status.podIP}") == "10.244.1.3"


def test_missing_config_map_until_it_appears(kubectl):
    kubectl("apply", "-f", "-", stdin=POD.replace(
        "image: \"nginx:1.27\"}", "image: \"nginx:1.27\", envFrom: [{configMapRef: {name: settings}}]}"))
    state = kubectl.json("get", "pod", "web")["status"]["containerStatuses"][0]["state"]
    assert state == {"waiting": {"reason": "CreateContainerConfigError", "message": 'configmap "settings" not found'}}
    assert ("Failed", 'Error: configmap "settings" not found') in kubelet_events(kubectl, "web")
    assert kubectl("get", "pod", "web", "-o", "jsonpath={.status.phase}") == "Pending"
    kubectl("create", "configmap", "settings", "--from-literal=a=b")
    assert kubectl("get", "pod", "web", "-o", "jsonpath={.status.phase}") == "Running"


def test_invalid_image_name(kubectl):
    kubectl("apply", "-f", "-", stdin=POD.replace('"nginx:1.27"', '"NGINX::x"'))
    state = kubectl.json("get", "pod", "web")["status"]["containerStatuses"][0]["state"]["waiting"]
    assert state["reason"] == "InvalidImageName"
    assert state["message"] == ('Failed to apply default image tag "NGINX::x": couldn\'t parse image name "NGINX::x": '
                                "invalid reference format")


def test_job_pods_end_succeeded(kubectl):
    kubectl("apply", "-f", "-", stdin="""apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "busybox:1.36"}]
""")
    [job_pod] = kubectl.json("get", "pods")["items"]
    assert job_pod["status"]["phase"] == "Succeeded"
    assert job_pod["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
