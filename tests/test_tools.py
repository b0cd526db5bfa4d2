"""minikctl's own commands (minikctl/cli/tools/): tree, fault, clock, state, map, on Typer and rich."""

from __future__ import annotations

import json

import pytest
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

from tests.manifests import deployment, documents, pod, to_yaml

WEB = deployment("web", 2)
QUOTA = to_yaml({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "pods"},
                 "spec": {"hard": {"pods": "1"}}})


def _names(cli, kind: str) -> list[str]:
    return [n.split("/")[1] for n in cli.ok(f"get {kind} -o name").split()]


def test_tree_draws_ownership_down_to_pods(web):
    (replicaset,), (first, second) = _names(web, "rs"), _names(web, "pods")
    assert web.ok("tree deploy/web") == (
        "NAMESPACE   NAME                           READY   REASON   STATUS    AGE\n"
        "default     Deployment/web                 2/2              -         0s\n"
        f"default     └─ReplicaSet/{replicaset}    2/2              -         0s\n"
        f"default       ├─Pod/{first}   True             Running   0s\n"
        f"default       └─Pod/{second}   True             Running   0s\n")


def test_tree_says_why_pods_are_missing(cli):
    cli.apply("quota.yaml", QUOTA).apply("web.yaml", WEB)
    (replicaset,) = _names(cli, "rs")
    lines = cli.ok(f"tree rs/{replicaset}").splitlines()
    assert lines[0].split() == ["NAMESPACE", "NAME", "READY", "REASON", "STATUS", "AGE"]
    assert lines[1].split()[:4] == ["default", f"ReplicaSet/{replicaset}", "1/2", "FailedCreate"]
    assert lines[3].split() == ["default", "└─(1", "missing)", "False", "FailedCreate"]
    assert lines[4] == ""
    assert lines[5].startswith(f'ReplicaSet/{replicaset}: 1 missing: pods "{replicaset}-')
    assert lines[5].endswith('" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1')


def test_tree_of_a_missing_object_is_not_found(cli):
    cli.ok("get ns")
    cli.fails("tree deploy/nosuch", 'Error from server (NotFound): deployments.apps "nosuch" not found\n')


def test_fault_add_list_clear(cli):
    cli.apply("p.yaml", pod("app", "nginx"))
    assert cli.ok("fault add crash-loop pod/app --exit-code 137") == "pod/app fault added\n"
    assert cli.ok("get pod app -o jsonpath={.status.containerStatuses[0].lastState.terminated.reason}") == "OOMKilled"
    assert cli.ok("fault list") == (
        "NAMESPACE   OBJECT    FAULT        VALUE\n"
        "default     pod/app   crash-loop   true\n"
        "default     pod/app   exit-code    137\n")
    assert cli.ok("fault clear pod/app") == "pod/app fault cleared\n"
    assert cli.ok("get pod app -o jsonpath={.status.phase}/{.status.containerStatuses[0].ready}") == "Running/true"
    result = cli("fault list")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No faults found.\n")


def test_fault_refusals_change_nothing(cli):
    cli.apply("p.yaml", pod("app", "nginx"))
    cli.fails("fault add melt pod/app", 'error: unknown fault "melt": choose one of crash-loop, image-pull, not-ready\n')
    cli.fails("fault add not-ready pod/app", 'error: fault "not-ready" cannot be put on a Pod: it goes on a Node\n')
    cli.fails("fault add image-pull pod/nosuch", 'Error from server (NotFound): pods "nosuch" not found\n')


def test_fault_not_ready_node(cli):
    cli.ok("get ns")
    assert cli.ok("fault add not-ready node/kind-worker2") == "node/kind-worker2 fault added\n"
    assert "kind-worker2         NotReady" in cli.ok("get nodes")


def test_clock_moves_forward_and_ages_follow(web):
    assert web.ok("clock show") == "2026-11-25T12:00:00Z\n"
    assert web.ok("clock advance 1h30m") == "2026-11-25T13:30:00Z (90m ahead)\n"
    assert web.ok("get deploy web").splitlines()[1].split()[-1] == "90m"
    assert web.ok("clock set 2026-11-26T12:00:00Z") == "2026-11-26T12:00:00Z (24h ahead)\n"
    web.fails("clock set 2026-11-25T12:00:00Z",
              "error: the clock only moves forward: controllers have already acted at 2026-11-26T12:00:00Z\n")
    web.fails("clock advance soon", 'error: invalid duration "soon": use a Go duration such as 10m or 1h30m\n')


def test_state_export_round_trips_to_a_fresh_cluster(web, tmp_path):
    web.apply("cm.yaml", to_yaml({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
                                  "data": {"mode": "fast"}}))
    exported = web.ok("state export")
    kinds = [line for line in exported.splitlines() if line.startswith("kind: ")]
    assert kinds == ["kind: ConfigMap", "kind: Deployment"]
    assert "uid:" not in exported and "status:" not in exported and "resourceVersion" not in exported
    other = tmp_path / "other"
    other.mkdir()
    from tests.conftest import Cli

    fresh = Cli(other)
    fresh.write("export.yaml", exported)
    assert fresh.ok("apply -f export.yaml") == "configmap/settings created\ndeployment.apps/web created\n"
    assert fresh.ok("get deploy web -o jsonpath={.status.readyReplicas}") == "2"


def test_state_info_and_reset(web):
    info = web.ok("state info")
    assert info.startswith(f"State:            {web.state_path}\n")
    assert "deployments.apps                                3\n" in info
    web.fails("state reset", f'error: reset replaces every object in "{web.state_path}" with a fresh cluster; '
                             "run it again with --yes to confirm\n")
    assert web.ok("state reset --yes") == f"state reset: {web.state_path}\n"
    result = web("get deploy")
    assert (result.stdout, result.stderr) == ("", "No resources found in default namespace.\n")


REAL_CLUSTER = {"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "v1", "kind": "Node",
     "metadata": {"name": f"prod-{zone}", "uid": f"node-{zone}", "labels": {"kubernetes.io/hostname": f"prod-{zone}"}},
     "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}]}}
    for zone in ("a", "b")] + [
    {"apiVersion": "apps/v1", "kind": "ReplicaSet",
     "metadata": {"name": "api-5d9f", "namespace": "prod", "uid": "rs-uid", "labels": {"app": "api"}},
     "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
              "template": {"metadata": {"labels": {"app": "api"}},
                           "spec": {"containers": [{"name": "api", "image": "api:2"}]}}},
     "status": {"replicas": 2, "readyReplicas": 2}}] + [
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": f"api-5d9f-{suffix}", "namespace": "prod", "uid": f"pod-{suffix}", "labels": {"app": "api"},
                  "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "api-5d9f",
                                       "uid": "rs-uid", "controller": True, "blockOwnerDeletion": True}]},
     "spec": {"nodeName": node, "containers": [{"name": "api", "image": "api:2"}]},
     "status": {"phase": "Running", "podIP": "10.1.2.3"}}
    for suffix, node in (("x1", "prod-a"), ("x2", "prod-a"))]}


def test_state_import_of_a_real_clusters_snapshot(cli):
    cli.write("snapshot.json", json.dumps(REAL_CLUSTER))
    assert cli.ok("state import -f snapshot.json") == (
        f"imported 11 objects into {cli.state_path}: 5 Namespace, 1 StorageClass, 2 Node, 1 ReplicaSet, 2 Pod\n")
    wide = cli.ok("get pods -n prod -o wide").splitlines()
    assert [(row.split()[0], row.split()[2], row.split()[6]) for row in wide[1:]] == [
        ("api-5d9f-x1", "Running", "prod-a"), ("api-5d9f-x2", "Running", "prod-a")]
    assert cli.ok("get rs -n prod -o jsonpath={.items[0].status.readyReplicas}") == "2"
    cli.ok("drain prod-a --ignore-daemonsets")
    moved = cli.ok(["get", "pods", "-n", "prod", "-o", "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}"])
    assert moved == "prod-b\nprod-b\n"


def test_state_import_refuses_to_overwrite(web):
    web.write("snapshot.json", json.dumps(REAL_CLUSTER))
    web.fails("state import -f snapshot.json",
              f'error: the state "{web.state_path}" exists; import builds a new one: pass --force to replace it, '
              "or --state to name another\n")


@pytest.mark.skip(reason="known bug: import creates pods before their ServiceAccounts (kindnet), refused by SA admission")
def test_state_import_of_minikctls_own_snapshot(web, tmp_path):
    web.write("snap.yaml", web.ok("get nodes,all -A -o yaml"))
    copy = str(tmp_path / "copy.json")
    web.ok(f"--state {copy} state import -f snap.yaml")
    names = "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}"
    assert web.ok(["--state", copy, "get", "pods", "-A", "-o", names]) == web.ok(["get", "pods", "-A", "-o", names])


def test_map_draws_nodes_pods_and_services(web, tmp_path):
    web.apply("svc.yaml", to_yaml({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "front"},
                                   "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}))
    picture = web.ok(f"map --svg {tmp_path / 'map.svg'}")
    assert "\x1b[" not in picture  # plain text when piped
    pods = web.ok("get pods -o name").replace("pod/", "").split()
    for node in ("kind-control-plane", "kind-worker", "kind-worker2"):
        assert node in picture
    assert f"front ClusterIP" in picture and f"→ {pods[0]}, {pods[1]}" in picture
    svg = ElementTree.parse(tmp_path / "map.svg").getroot()
    text = "".join(svg.itertext()).replace("\xa0", " ")
    for name in pods:
        assert name in text


def test_own_commands_have_typer_help(cli):
    out = cli.ok("tree --help")
    assert out.startswith("\n Usage: minikctl tree [OPTIONS] ") or out.startswith("Usage: minikctl tree [OPTIONS] ")
    assert "TYPE/NAME" in out
    result = cli("clock rewind")
    assert (result.exit_code, result.stderr) == (1, "Error: No such command 'rewind'.\nSee 'minikctl clock --help' for usage.\n")


def test_kubectl_verbs_never_import_typer_or_rich(tmp_path):
    """The kubectl verbs keep their start-up cost: Typer and rich load only for minikctl's own commands."""
    script = (
        "import io, sys\n"
        "from minikctl.cli.main import COMMANDS, run\n"
        "from minikctl.env import Environment\n"
        "env = lambda: Environment(stdout=io.StringIO(), stderr=io.StringIO(), stdin=io.StringIO(''),"
        " environ={'MINIKCTL_NOW': '2026-01-01T00:00:00Z'}, cwd=sys.argv[1])\n"
        "for verb in COMMANDS:\n"
        "    run([verb, '--help'], env())\n"
        "run(['get', 'pods', '-A'], env())\n"
        "run(['describe', 'nodes'], env())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')))\n")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(__file__)), check=True).stdout
    assert out == "[]\n"
