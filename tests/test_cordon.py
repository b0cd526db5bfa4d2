"""cordon / uncordon: spec.unschedulable, kubectl's lines, dry runs, selectors and refusals."""

import pytest

from manifests import deployment

DEPLOYMENT = deployment(replicas=4)


def out(result):
    return result.exit_code, result.stdout, result.stderr


def nodes_of_pods(cli, selector="app=web"):
    text = cli(f"get pods -l {selector} -o jsonpath={{.items[*].spec.nodeName}}").stdout
    return sorted(text.split())


def test_cordon_marks_the_node_and_says_so_once(cli):
    assert out(cli("cordon kind-worker")) == (0, "node/kind-worker cordoned\n", "")
    assert out(cli("cordon kind-worker")) == (0, "node/kind-worker already cordoned\n", "")
    assert cli("get node kind-worker -o jsonpath={.spec.unschedulable}").stdout == "true"
    assert "kind-worker          Ready,SchedulingDisabled   <none>" in cli("get nodes").stdout


def test_cordoned_node_gets_no_new_pods(cli):
    cli("cordon kind-worker")
    assert cli("apply -f -", stdin=DEPLOYMENT).exit_code == 0
    assert nodes_of_pods(cli) == ["kind-worker2"] * 4


def test_uncordon_lets_pods_land_again(cli):
    cli("cordon kind-worker")
    assert out(cli("uncordon kind-worker")) == (0, "node/kind-worker uncordoned\n", "")
    assert out(cli("uncordon kind-worker")) == (0, "node/kind-worker already uncordoned\n", "")
    assert cli("get node kind-worker -o jsonpath={.spec}").stdout.count("unschedulable") == 0
    cli("apply -f -", stdin=DEPLOYMENT)
    assert nodes_of_pods(cli) == ["kind-worker", "kind-worker", "kind-worker2", "kind-worker2"]


@pytest.mark.parametrize("mode, suffix", [("client", " (dry run)"), ("server", " (server dry run)")])
def test_dry_run_changes_nothing(cli, mode, suffix):
    cli("get nodes")
    before = cli.state_bytes()
    assert out(cli(f"cordon kind-worker --dry-run={mode}")) == (0, f"node/kind-worker cordoned{suffix}\n", "")
    assert out(cli(f"uncordon kind-worker --dry-run={mode}")) == (
        0, f"node/kind-worker already uncordoned{suffix}\n", "")
    assert cli.state_bytes() == before


def test_selector_picks_the_nodes(cli):
    assert out(cli("cordon -l kubernetes.io/hostname=kind-worker2")) == (0, "node/kind-worker2 cordoned\n", "")
    assert out(cli("uncordon -l kubernetes.io/os=linux")) == (
        0, "node/kind-control-plane already uncordoned\nnode/kind-worker already uncordoned\n"
           "node/kind-worker2 uncordoned\n", "")


def test_several_nodes_in_one_command(cli):
    assert out(cli("cordon kind-worker kind-worker2")) == (
        0, "node/kind-worker cordoned\nnode/kind-worker2 cordoned\n", "")


@pytest.mark.parametrize("command, stderr", [
    ("cordon", "error: USAGE: cordon NODE [flags]\nSee 'minikctl cordon -h' for help and examples\n"),
    ("uncordon kind-worker -l a=b", "error: cannot specify both a node name and a --selector option\n"
                                    "See 'minikctl uncordon -h' for help and examples\n"),
    ("cordon kind-worker nope", 'Error from server (NotFound): nodes "nope" not found\n'),
])
def test_bad_input_changes_nothing(cli, command, stderr):
    cli("get nodes")
    before = cli.state_bytes()
    assert out(cli(command)) == (1, "", stderr)
    assert cli.state_bytes() == before


def taints_section(cli, node):
    lines = cli(f"describe node {node}").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Taints:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Unschedulable:"))
    return lines[start:end + 1]


def test_the_node_lifecycle_controller_taints_a_cordoned_node_and_untaints_it(cli):
    cli("cordon kind-control-plane")
    assert taints_section(cli, "kind-control-plane") == [
        "Taints:             node-role.kubernetes.io/control-plane:NoSchedule",
        "                    node.kubernetes.io/unschedulable:NoSchedule",
        "Unschedulable:      true"]
    assert cli("get node kind-control-plane -o jsonpath={.spec.taints[1]}").stdout == \
        '{"effect":"NoSchedule","key":"node.kubernetes.io/unschedulable"}'
    cli("uncordon kind-control-plane")
    assert taints_section(cli, "kind-control-plane") == [
        "Taints:             node-role.kubernetes.io/control-plane:NoSchedule",
        "Unschedulable:      false"]
