"""What a user feeds minikctl cannot break, hang or escape the state file (issue 12): hostile names,
dry runs on a missing state, symbolic links, file modes, stale temp files, special files, the lock."""

import fcntl
import json
import os
import random
import stat
import subprocess
import sys

import pytest

from minikctl import store

HOSTILE_NAMES = ["x\ny", 'a": b', 'a"b', "a\\b", "a\\", '\\"', 'end"', "ünï☃ 名前", "tab\there", "a\\\": {}",
                 "\u2028line", "\x00nul", "\ud800lone"]
CLUSTERROLE = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": ""},
               "rules": []}


def _role(name: str) -> str:
    return json.dumps({**CLUSTERROLE, "metadata": {"name": name}})


@pytest.mark.parametrize("name", HOSTILE_NAMES[:9])
def test_any_name_the_api_server_accepts_is_stored_byte_for_byte(cli, name):
    assert cli.ok("apply -f -", stdin=_role(name)).endswith(" created\n")
    assert cli.ok("create ns after-it") == "namespace/after-it created\n"  # later writes still work
    assert cli.ok(["get", "clusterrole", name, "-o", "jsonpath={.metadata.name}"]) == name
    assert name in cli.ok("get clusterroles -o jsonpath={.items[*].metadata.name}")
    assert cli.ok(["delete", "clusterrole", name]) == f'clusterrole.rbac.authorization.k8s.io "{name}" deleted\n'


def test_store_fuzz_hostile_keys_round_trip_and_look_up():
    """Seeded: 300 keys from an alphabet of quotes, backslashes, colons, control and non-ASCII characters."""
    rng = random.Random(12)
    alphabet = ['"', "\\", ":", " ", "\n", "\r", "\t", ",", "{", "}", "/", "a", "é", "☃", "\u2028", "\x00", "\ud800"]
    keys = {f"ns/{''.join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))}" for _ in range(300)}
    keys |= {f"ns/{name}" for name in HOSTILE_NAMES}
    data = store.StateData({"seed": 0})
    section = data.section("configmaps")
    for key in keys:
        obj = {"metadata": {"name": key}}
        section.set(key, obj, store.encode(obj))
    path = f"/tmp/rbt/fuzz-{os.getpid()}.json"
    store.write_atomically(path, data.serialize())
    read = store.read(path)
    assert sorted(read.section("configmaps").keys()) == sorted(keys)
    fresh = store.read(path)
    assert all(fresh.lookup("configmaps", key) == {"metadata": {"name": key}} for key in keys)
    assert all(read.section("configmaps").get(key) == {"metadata": {"name": key}} for key in keys)
    os.unlink(path)


@pytest.mark.parametrize("command", [
    "delete deploy coredns -n kube-system --dry-run=server",
    "apply -f cm.yaml --dry-run=server",
    "apply -f cm.yaml --dry-run=client",
    "create ns x --dry-run=client",
])
def test_a_dry_run_on_a_missing_state_writes_nothing_not_even_the_bootstrap(cli, command):
    cli.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    result = cli(command)
    assert result.exit_code == 0, result
    assert "dry run" in result.stdout
    assert not os.path.exists(cli.state_path)
    assert cli.ok("get deploy coredns -n kube-system -o name") == "deployment.apps/coredns\n"


def test_a_symlinked_state_is_written_through_to_its_target(cli, tmp_path):
    target = tmp_path / "real" / "cluster.json"
    os.makedirs(target.parent)
    link = tmp_path / "link.json"
    link.symlink_to(target)  # dangling: the first write creates the target
    assert cli.ok(f"create ns one --state {link}") == "namespace/one created\n"
    assert link.is_symlink() and target.is_file()
    assert cli.ok(f"create ns two --state {link}") == "namespace/two created\n"
    assert link.is_symlink()
    assert cli.ok(f"get ns two -o name --state {target}") == "namespace/two\n"
    assert sorted(os.listdir(target.parent)) == ["cluster.json", "cluster.json.lock"]


def test_a_symlinked_lock_file_is_refused_and_its_target_never_created(cli, tmp_path):
    cli.ok("get ns -o name")
    lock = cli.state_path + ".lock"
    os.unlink(lock)
    os.symlink(tmp_path / "elsewhere", lock)
    cli.fails("create ns x", f'error: cannot lock the state: the lock file "{lock}" is a symbolic link; '
                             "nothing was written\n")
    assert not (tmp_path / "elsewhere").exists()


def test_a_lock_path_that_is_a_directory_is_refused(cli):
    cli.ok("get ns -o name")
    lock = cli.state_path + ".lock"
    os.unlink(lock)
    os.mkdir(lock)
    cli.fails("create ns x", f'error: cannot lock the state: the lock file "{lock}" is a directory; '
                             "nothing was written\n")


@pytest.mark.parametrize("mode", [0o640, 0o644, 0o600])
def test_a_write_keeps_the_mode_the_user_gave_the_state(cli, mode):
    cli.ok("get ns -o name")
    os.chmod(cli.state_path, mode)
    cli.ok("create ns x")
    assert stat.S_IMODE(os.stat(cli.state_path).st_mode) == mode


def test_a_read_only_state_is_refused_for_writes_and_read_as_usual(cli):
    cli.ok("get ns -o name")
    os.chmod(cli.state_path, 0o400)
    cli.fails("create ns x", f'error: the state file "{cli.state_path}" is read-only (mode 0400); '
                             "it was left unchanged\n")
    assert cli.ok("get ns default -o name") == "namespace/default\n"


def test_the_state_folder_is_private_even_under_umask_000(cli):
    previous = os.umask(0)
    try:
        cli.ok("get ns -o name")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(os.path.dirname(cli.state_path)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cli.state_path).st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_state_folder_is_refused(cli):
    cli.ok("get ns -o name")
    folder = os.path.dirname(cli.state_path)
    os.chmod(folder, 0o500)
    try:
        cli.fails("create ns x", f'error: cannot write the state file "{cli.state_path}": its folder "{folder}" '
                                 "is not writable; it was left unchanged\n")
    finally:
        os.chmod(folder, 0o700)


def test_the_next_writer_removes_temp_files_of_dead_writers_only(cli):
    cli.ok("get ns -o name")
    folder = os.path.dirname(cli.state_path)
    dead, alive, legacy = ".cluster.json.999999999.ab12.tmp", f".cluster.json.{os.getppid()}.cd34.tmp", ".cluster-x1.tmp"
    for name in (dead, alive, legacy):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(b"a full copy of the state, Secrets included")
    cli.ok("get ns -o name")  # readers take no lock and clean nothing
    assert {dead, alive, legacy} <= set(os.listdir(folder))
    cli.ok("create ns x")
    assert sorted(os.listdir(folder)) == sorted(["cluster.json", "cluster.json.lock", alive, legacy])


def test_special_files_are_refused_as_state(cli, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/null", "/proc/self/status", "/sys/kernel/mm", str(tmp_path)):
        for verb in ("get ns", "create ns x"):
            result = cli(f"{verb} --state {path}")
            assert (result.exit_code, result.stdout) == (1, ""), (path, result)
            assert result.stderr == f'error: the state file "{path}" is not a regular file; it was left unchanged\n'
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("entry", [[0, 2**62, 0], [0, -5, 0], [-1, 3, 0], ["0", 3, 0], [0, 1]])
def test_an_index_entry_outside_the_file_is_refused(cli, entry):
    cli.ok("get ns -o name")
    header, _, body = cli.state_bytes().partition(b"\n")
    document = json.loads(header[:-1] + b"}")
    document["index"]["sections"]["namespaces"] = entry
    damaged = (b'{"minikctl": "state/v1", "index": ' + json.dumps(document["index"]).encode() + b",\n" + body)
    with open(cli.state_path, "wb") as handle:
        handle.write(damaged)
    for command in ("get ns", "create ns x"):
        cli.fails(command, f'error: the state file "{cli.state_path}" is corrupt (its index points outside the file); '
                           "it was left unchanged\n")


def test_a_waiting_writer_names_the_lock_holder_and_honours_request_timeout(cli):
    cli.ok("get ns -o name")
    lock = cli.state_path + ".lock"
    holder = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        os.ftruncate(holder, 0)
        os.write(holder, b"4242\n")
        result = cli("create ns x --request-timeout=1100ms")
    finally:
        os.close(holder)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"waiting for the state lock held by process 4242 ({lock})\n"
                             f"error: timed out after 1.1s waiting for the state lock held by process 4242 ({lock}); "
                             "nothing was written\n")
    assert cli("get ns x -o name").exit_code == 1  # nothing was created


def test_the_lock_file_records_its_holder(cli):
    cli.ok("create ns x")
    with open(cli.state_path + ".lock") as handle:
        assert handle.read() == f"{os.getpid()}\n"


def test_request_timeout_must_be_a_duration(cli):
    cli.ok("get ns -o name")
    cli.fails("create ns x --request-timeout=abc",
              "error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by "
              "a corresponding time unit (e.g. 1s | 2m | 3h)\n")


@pytest.mark.parametrize("flags", ["--as-group=foo", "--as-uid=1", "--as-group=a --as-uid=2"])
@pytest.mark.parametrize("verb", ["get pods", "create ns x"])
def test_groups_or_uid_without_a_user_are_refused_as_client_go_does(cli, flags, verb):
    cli.ok("get ns -o name")
    cli.fails(f"{verb} {flags}", "error: requesting uid, groups or user-extra for  without impersonating a user\n")


def test_non_posix_systems_are_refused_clearly(cli, monkeypatch):
    """Writing needs flock, O_NOFOLLOW, modes and a folder fsync: without fcntl nothing is written."""
    monkeypatch.setitem(sys.modules, "fcntl", None)
    result = cli("create ns x")
    assert (result.exit_code, result.stderr) == (
        1, "error: minikctl writes its state only on POSIX systems (Linux, macOS, BSD, WSL)\n")
    assert not os.path.exists(cli.state_path)
