"""The state file: created on first use, atomic, checksummed, never changed by a failed command."""

import json
import os
import stat
import subprocess
import sys

import pytest

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
data:
  key: value
"""


def test_first_use_bootstraps_a_fresh_cluster_with_a_private_state_file(cli):
    result = cli("get namespaces -o name")
    assert result.stdout == ("namespace/default\nnamespace/kube-node-lease\n"
                             "namespace/kube-public\nnamespace/kube-system\nnamespace/local-path-storage\n")
    assert stat.S_IMODE(os.stat(cli.state_path).st_mode) == 0o600


def test_fresh_cluster_has_the_kubernetes_and_kube_dns_services_and_nodes(cli):
    assert cli("get svc kubernetes -o jsonpath={.spec.clusterIP}").stdout == "10.96.0.1"
    assert cli("get svc kube-dns -n kube-system -o jsonpath={.spec.clusterIP}").stdout == "10.96.0.10"
    assert cli("get nodes -o name").stdout == "node/kind-control-plane\nnode/kind-worker\nnode/kind-worker2\n"


def test_the_state_file_is_valid_json(cli):
    cli("get ns")
    document = json.loads(cli.state_bytes())
    assert sorted(document["objects"]["namespaces"]) == [
        "/default", "/kube-node-lease", "/kube-public", "/kube-system", "/local-path-storage"]


def test_state_path_from_flag_and_environment(cli, tmp_path):
    cli(f"get ns --state {tmp_path / 'a.json'}")
    assert (tmp_path / "a.json").exists()
    cli.environ["MINIKCTL_STATE"] = str(tmp_path / "b.json")
    cli("get ns")
    assert (tmp_path / "b.json").exists()


def edit_namespaces_section(data: bytes) -> bytes:
    """Change one byte inside the namespaces section, as a hand edit or a bad disk would."""
    header, _, body = data.partition(b"\n")
    offset, length, _ = json.loads(header[:-1] + b"}")["index"]["sections"]["namespaces"]
    at = offset + length // 2
    return header + b"\n" + body[:at] + (b"X" if body[at:at + 1] != b"X" else b"Y") + body[at + 1:]


@pytest.mark.parametrize("damage, message", [
    (lambda data: data[: len(data) // 2], "is corrupt or truncated (checksum mismatch)"),
    (edit_namespaces_section, "is corrupt or truncated (checksum mismatch)"),
    (lambda data: b"not json at all\n", "is not a minikctl state file (unknown format)"),
    (lambda data: b"", "is not a minikctl state file (unknown format)"),
    (lambda data: data.replace(b"state/v1", b"state/v9", 1), 'has format "state/v9", this minikctl reads "state/v1"'),
])
@pytest.mark.parametrize("command", ["get ns", "apply -f cm.yaml", "delete ns default"])
def test_a_damaged_state_file_is_refused_and_left_exactly_as_it_was(cli, damage, message, command):
    cli.write("cm.yaml", CONFIGMAP.format(name="c"))
    cli("get ns")
    damaged = damage(cli.state_bytes())
    with open(cli.state_path, "wb") as handle:
        handle.write(damaged)
    before = cli.state_bytes()
    result = cli(command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f'error: the state file "{cli.state_path}" {message}; it was left unchanged\n'
    assert cli.state_bytes() == before


def test_a_write_replaces_the_file_and_leaves_no_temporary_files(cli):
    cli.write("cm.yaml", CONFIGMAP.format(name="c"))
    cli("apply -f cm.yaml")
    assert sorted(os.listdir(os.path.dirname(cli.state_path))) == ["cluster.json", "cluster.json.lock"]


def test_resource_versions_count_every_write(cli):
    cli.write("cm.yaml", CONFIGMAP.format(name="c"))
    cli("apply -f cm.yaml")
    first = int(cli("get cm c -o jsonpath={.metadata.resourceVersion}").stdout)
    cli("label cm c tier=web")
    second = int(cli("get cm c -o jsonpath={.metadata.resourceVersion}").stdout)
    assert second > first


def test_twenty_concurrent_writers_lose_no_update(tmp_path):
    """10 applies, 5 labels and 5 deletes race as separate processes; every one must land."""
    environ = {**os.environ, "MINIKCTL_STATE": str(tmp_path / "cluster.json")}

    def minikctl(*args):
        return subprocess.Popen([sys.executable, "-m", "minikctl", *args], env=environ, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    for index in range(10):
        (tmp_path / f"pre-{index}.yaml").write_text(CONFIGMAP.format(name=f"pre-{index}"))
        (tmp_path / f"new-{index}.yaml").write_text(CONFIGMAP.format(name=f"new-{index}"))
    assert minikctl("apply", "-f", ".").wait() == 0
    processes = [minikctl("apply", "-f", f"new-{i}.yaml") for i in range(10)]
    processes += [minikctl("label", "cm", f"pre-{i}", "raced=yes") for i in range(5)]
    processes += [minikctl("delete", "cm", f"pre-{i}") for i in range(5, 10)]
    # A writer kept waiting over a second says whom it waits for; that notice is all stderr may hold.
    outcomes = [(p.wait(), "".join(line for line in p.stderr.read().decode().splitlines(keepends=True)
                                   if not line.startswith("waiting for the state lock held by")))
                for p in processes]
    assert outcomes == [(0, "")] * 20
    listing = subprocess.run([sys.executable, "-m", "minikctl", "get", "cm", "-o",
                              "jsonpath={range .items[*]}{.metadata.name}:{.metadata.labels.raced}{\"\\n\"}{end}"],
                             env=environ, cwd=tmp_path, capture_output=True, text=True)
    names = sorted(line for line in listing.stdout.splitlines() if not line.startswith("kube-root"))
    assert names == sorted([f"new-{i}:" for i in range(10)] + [f"pre-{i}:yes" for i in range(5)])


def test_a_read_checks_what_it_reads_and_a_write_checks_everything(cli):
    cli("get ns")
    header, _, body = cli.state_bytes().partition(b"\n")
    offset, length, _ = json.loads(header[:-1] + b"}")["index"]["sections"]["configmaps"]
    damaged = header + b"\n" + body[:offset] + b"?" + body[offset + 1:]
    with open(cli.state_path, "wb") as handle:
        handle.write(damaged)
    assert cli("get ns -o name").exit_code == 0  # namespaces are intact
    assert cli("get cm -A").exit_code == 1
    assert cli("label ns default x=y").exit_code == 1
    assert cli.state_bytes() == damaged
