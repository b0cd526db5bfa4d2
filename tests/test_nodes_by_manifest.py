"""Nodes added and removed by manifest: DaemonSets follow, pods of a removed node are replaced."""

from manifests import daemonset, deployment, documents, node

WORKLOADS = documents(deployment(replicas=6), daemonset("log-agent", "busybox:1.36", container="agent"))
NODE = node("kind-worker3")
PODS_BY_NODE = "jsonpath={range .items[*]}{.spec.nodeName} {.metadata.labels.app} {.status.podIP}{\"\\n\"}{end}"


def placed(cli):
    return sorted(tuple(line.split()) for line in cli(["get", "pods", "-o", PODS_BY_NODE]).stdout.splitlines())


def test_added_node_gets_a_daemon_pod_and_new_pods(cli):
    cli("apply -f -", stdin=NODE)
    assert cli("apply -f -", stdin=WORKLOADS).exit_code == 0
    on_new_node = [p for p in placed(cli) if p[0] == "kind-worker3"]
    assert [app for _, app, _ in on_new_node] == ["log-agent", "web", "web"]
    assert all(ip.startswith("10.244.3.") for _, _, ip in on_new_node)
    assert cli("get ds log-agent -o jsonpath={.status.numberReady}").stdout == "3"


def test_removed_node_pods_are_replaced(cli):
    cli("apply -f -", stdin=NODE)
    cli("apply -f -", stdin=WORKLOADS)
    assert [app for node, app, _ in placed(cli) if node == "kind-worker3"] == ["log-agent", "web", "web"]
    assert cli("get ds log-agent -o jsonpath={.status.desiredNumberScheduled}").stdout == "3"
    result = cli("delete node kind-worker3")
    assert (result.exit_code, result.stdout) == (0, 'node "kind-worker3" deleted\n')
    pods = placed(cli)
    assert {node for node, _, _ in pods} == {"kind-worker", "kind-worker2"}
    assert sum(1 for _, app, _ in pods if app == "web") == 6
    assert cli("get ds log-agent -o jsonpath={.status.desiredNumberScheduled}").stdout == "2"
    assert cli("get deploy web -o jsonpath={.status.readyReplicas}").stdout == "6"


def test_drained_node_can_be_removed_and_added_back(cli):
    cli("apply -f -", stdin=NODE)
    cli("apply -f -", stdin=WORKLOADS)
    assert cli("drain kind-worker3 --ignore-daemonsets").exit_code == 0
    assert [app for node, app, _ in placed(cli) if node == "kind-worker3"] == ["log-agent"]
    cli("delete node kind-worker3")
    cli("apply -f -", stdin=NODE)
    assert cli("get node kind-worker3 -o jsonpath={.spec.unschedulable}").stdout == ""
    assert [app for node, app, _ in placed(cli) if node == "kind-worker3"] == ["log-agent"]
