"""drain: cordon, filters (DaemonSet, bare, emptyDir pods), eviction, replacement elsewhere, errors."""

import pytest

from manifests import daemonset, deployment, documents

WORKLOADS = documents(deployment(replicas=4), daemonset("log-agent", "busybox:1.36", container="agent"))
BARE = """apiVersion: v1
kind: Pod
metadata: {name: %s, labels: {app: bare}%s}
spec:
  nodeName: kind-worker
  containers: [{name: main, image: "nginx:1.27"}]%s
"""
EMPTY_DIR = "\n  volumes: [{name: scratch, emptyDir: {}}]"


def out(result):
    return result.exit_code, result.stdout, result.stderr


def pods_on(cli, node, selector=""):
    jsonpath = ("{range .items[?(@.spec.nodeName==\"%s\")]}{.metadata.name} {.status.podIP}{\"\\n\"}{end}" % node)
    text = cli(["get", "pods", *(["-l", selector] if selector else []), "-o", f"jsonpath={jsonpath}"]).stdout
    return [tuple(line.split()) for line in text.splitlines()]


@pytest.fixture
def cluster(cli):
    assert cli("apply -f -", stdin=WORKLOADS).exit_code == 0
    return cli


def names(pods):
    return [name for name, _ in pods]


def system_daemons(cli, node="kind-worker"):
    """kind's own DaemonSet pods on a node (kindnet, kube-proxy), as drain lists them: every drain meets them."""
    jsonpath = "{range .items[?(@.spec.nodeName==\"%s\")]}kube-system/{.metadata.name}{\"\\n\"}{end}" % node
    text = cli(["get", "pods", "-n", "kube-system", "-l", "k8s-app in (kindnet,kube-proxy)",
                "-o", f"jsonpath={jsonpath}"]).stdout
    return ", ".join(text.split())


def test_daemonset_pods_stop_the_drain_without_ignore_daemonsets(cluster):
    agent = names(pods_on(cluster, "kind-worker", "app=log-agent"))[0]
    before = pods_on(cluster, "kind-worker")
    refusal = ("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
               f"default/{agent}, {system_daemons(cluster)}")
    assert out(cluster("drain kind-worker")) == (1, "node/kind-worker cordoned\n", (
        f'error: unable to drain node "kind-worker" due to error: {refusal}, continuing command...\n'
        "There are pending nodes to be drained:\n"
        " kind-worker\n"
        f"{refusal}\n"))
    assert pods_on(cluster, "kind-worker") == before
    assert cluster("get node kind-worker -o jsonpath={.spec.unschedulable}").stdout == "true"


def test_drain_evicts_and_controllers_replace_pods_elsewhere(cluster):
    agent = names(pods_on(cluster, "kind-worker", "app=log-agent"))[0]
    web = names(pods_on(cluster, "kind-worker", "app=web"))
    assert len(web) == 2
    old_ips = {ip for _, ip in pods_on(cluster, "kind-worker2")}
    result = cluster("drain kind-worker --ignore-daemonsets")
    assert out(result) == (0, "node/kind-worker cordoned\n"
                              + "".join(f"evicting pod default/{name}\n" for name in web)
                              + "".join(f"pod/{name} evicted\n" for name in web)
                              + "node/kind-worker drained\n",
                           f"Warning: ignoring DaemonSet-managed Pods: default/{agent}, {system_daemons(cluster)}\n")
    assert names(pods_on(cluster, "kind-worker")) == [agent]
    elsewhere = pods_on(cluster, "kind-worker2", "app=web")
    assert len(elsewhere) == 4 and not set(names(elsewhere)) & set(web)
    new_ips = {ip for _, ip in elsewhere} - old_ips
    assert len(new_ips) == 2 and all(ip.startswith("10.244.2.") for ip in new_ips)
    assert cluster("get deploy web -o jsonpath={.status.readyReplicas}").stdout == "4"


def test_bare_pod_needs_force(cluster):
    cluster("apply -f -", stdin=BARE % ("bare", "", ""))
    refusal = "cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare"
    result = cluster("drain kind-worker --ignore-daemonsets")
    assert (result.exit_code, result.stderr) == (1, (
        f'error: unable to drain node "kind-worker" due to error: {refusal}, continuing command...\n'
        f"There are pending nodes to be drained:\n kind-worker\n{refusal}\n"))
    assert "bare" in names(pods_on(cluster, "kind-worker"))
    agent = names(pods_on(cluster, "kind-worker", "app=log-agent"))[0]
    forced = cluster("drain kind-worker --ignore-daemonsets --force")
    assert forced.exit_code == 0
    assert forced.stderr == (f"Warning: deleting Pods that declare no controller: default/bare; "
                             f"ignoring DaemonSet-managed Pods: default/{agent}, {system_daemons(cluster)}\n")
    assert forced.stdout.startswith("node/kind-worker already cordoned\nevicting pod default/bare\n")
    assert "pod/bare evicted\n" in forced.stdout
    assert cluster("get pod bare").stderr == 'Error from server (NotFound): pods "bare" not found\n'


def test_two_refusals_are_listed_together(cluster):
    cluster("apply -f -", stdin=BARE % ("bare", "", ""))
    agent = names(pods_on(cluster, "kind-worker", "app=log-agent"))[0]
    first = "cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare"
    second = ("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
              f"default/{agent}, {system_daemons(cluster)}")
    assert cluster("drain kind-worker").stderr == (
        f'error: unable to drain node "kind-worker" due to error: [{first}, {second}], continuing command...\n'
        f"There are pending nodes to be drained:\n kind-worker\n{first}\n{second}\n")


def test_emptydir_pods_need_delete_emptydir_data(cli):
    cli("apply -f -", stdin=BARE % ("scratch", ", ownerReferences: []", EMPTY_DIR))
    refusal = "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch"
    assert cli("drain kind-worker --force --ignore-daemonsets").stderr.endswith(f"\n{refusal}\n")
    # The local-storage warning is overwritten by the next filter's verdict, as in kubectl.
    assert out(cli("drain kind-worker --force --ignore-daemonsets --delete-emptydir-data")) == (
        0, "node/kind-worker already cordoned\nevicting pod default/scratch\npod/scratch evicted\n"
           "node/kind-worker drained\n", "Warning: deleting Pods that declare no controller: default/scratch; "
                                         f"ignoring DaemonSet-managed Pods: {system_daemons(cli)}\n")


def test_disable_eviction_deletes(cluster):
    web = names(pods_on(cluster, "kind-worker", "app=web"))
    result = cluster("drain kind-worker --ignore-daemonsets --disable-eviction --grace-period=0")
    assert result.stdout == ("node/kind-worker cordoned\n" + "".join(f"pod/{name} deleted\n" for name in web)
                             + "node/kind-worker drained\n")


def test_pod_selector_limits_the_drain(cluster):
    cluster("apply -f -", stdin=BARE % ("bare", "", ""))
    web = names(pods_on(cluster, "kind-worker", "app=web"))
    result = cluster("drain kind-worker --ignore-daemonsets --pod-selector app=web")
    assert out(result) == (0, "node/kind-worker cordoned\n"
                              + "".join(f"evicting pod default/{name}\n" for name in web)
                              + "".join(f"pod/{name} evicted\n" for name in web)
                              + "node/kind-worker drained\n", "")
    assert "bare" in names(pods_on(cluster, "kind-worker"))


@pytest.mark.parametrize("mode, suffix", [("client", " (dry run)"), ("server", " (server dry run)")])
def test_dry_run_changes_nothing(cluster, mode, suffix):
    web = names(pods_on(cluster, "kind-worker", "app=web"))
    before = cluster.state_bytes()
    result = cluster(f"drain kind-worker --ignore-daemonsets --dry-run={mode}")
    assert result.stdout == (f"node/kind-worker cordoned{suffix}\n"
                             + "".join(f"evicting pod default/{name}{suffix}\n" for name in web)
                             + f"node/kind-worker drained{suffix}\n")
    assert cluster.state_bytes() == before


def test_a_pod_that_never_goes_times_out(cli):
    cli("apply -f -", stdin=BARE % ("stuck", ", finalizers: [example.com/keep]", ""))
    waited = 'error when waiting for pod "stuck" in namespace "default" to terminate: context deadline exceeded'
    assert out(cli("drain kind-worker --force --ignore-daemonsets --timeout=5s")) == (
        1, "node/kind-worker cordoned\nevicting pod default/stuck\n",
        f"Warning: deleting Pods that declare no controller: default/stuck; "
        f"ignoring DaemonSet-managed Pods: {system_daemons(cli)}\n"
        f'There are pending pods in node "kind-worker" when an error occurred: {waited}\n'
        "pod/stuck\n"
        f'error: unable to drain node "kind-worker" due to error: {waited}, continuing command...\n'
        f"There are pending nodes to be drained:\n kind-worker\n{waited}\n")
    assert cli("get pod stuck -o jsonpath={.metadata.deletionTimestamp}").stdout != ""


@pytest.mark.parametrize("command, stderr", [
    ("drain nope", 'Error from server (NotFound): nodes "nope" not found\n'),
    ("drain", "error: USAGE: drain NODE [flags]\nSee 'minikctl drain -h' for help and examples\n"),
    ("drain kind-worker --pod-selector=a=(", "error: --pod-selector=<pod_selector> must be a valid label selector\n"),
    ("drain kind-worker --timeout=soon",
     'Error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\n'
     "See 'minikctl drain --help' for usage.\n"),
])
def test_bad_input_changes_nothing(cluster, command, stderr):
    before = cluster.state_bytes()
    assert out(cluster(command)) == (1, "", stderr)
    assert cluster.state_bytes() == before
