"""kubectl delete: messages, selectors, files, namespaces, bad input."""

import pytest


@pytest.fixture
def configmaps(cli):
    for name, tier in (("a", "web"), ("b", "web"), ("c", "db")):
        cli(f"create configmap {name}")
        cli(f"label cm {name} tier={tier}")
    return cli


def test_delete_by_name(configmaps):
    result = configmaps("delete cm a")
    assert (result.exit_code, result.stdout) == (0, 'configmap "a" deleted\n')
    assert configmaps("get cm a").exit_code == 1


def test_delete_several_names_with_one_missing(configmaps):
    result = configmaps("delete cm a nope b")
    assert result.stdout == 'configmap "a" deleted\nconfigmap "b" deleted\n'
    assert result.stderr == 'Error from server (NotFound): configmaps "nope" not found\n'
    assert result.exit_code == 1


def test_ignore_not_found(configmaps):
    assert (configmaps("delete cm nope --ignore-not-found").exit_code,
            configmaps("delete cm nope --ignore-not-found").stdout) == (0, "")


def test_delete_by_selector_and_all(configmaps):
    assert configmaps("delete cm -l tier=web").stdout == 'configmap "a" deleted\nconfigmap "b" deleted\n'
    assert configmaps("delete cm -l tier=web").stdout == "No resources found\n"
    assert configmaps("delete cm --all").stdout.startswith('configmap "c" deleted\n')


def test_type_slash_name_and_output_name(configmaps):
    assert configmaps("delete cm/a configmap/b -o name").stdout == "configmap/a\nconfigmap/b\n"


@pytest.mark.parametrize("flag, suffix", [("--dry-run=client", " (dry run)"), ("--dry-run=server", " (server dry run)")])
def test_dry_run_deletes_nothing(configmaps, flag, suffix):
    before = configmaps.state_bytes()
    assert configmaps(f"delete cm a {flag}").stdout == f'configmap "a" deleted{suffix}\n'
    assert configmaps.state_bytes() == before


def test_delete_from_file(cli):
    cli.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok1\n")
    cli("apply -f cm.yaml")
    assert cli("delete -f cm.yaml").stdout == 'configmap "ok1" deleted\n'
    result = cli("delete -f cm.yaml")
    assert result.stderr == 'Error from server (NotFound): error when deleting "cm.yaml": configmaps "ok1" not found\n'


def test_deleting_a_namespace_deletes_everything_in_it(cli):
    cli("create namespace team")
    cli("create configmap settings -n team")
    cli("create deployment web --image=nginx -n team")
    assert cli("delete namespace team").stdout == 'namespace "team" deleted\n'
    assert cli("get ns team").stderr == 'Error from server (NotFound): namespaces "team" not found\n'
    assert cli("get cm,deploy -n team -o name").stdout == ""


@pytest.mark.parametrize("command, message", [
    ("delete", "error: You must provide one or more resources by argument or filename.\n"
               "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
               "   '<resource> <name>'\n   '<resource>'\n"),
    ("delete cm", "error: resource(s) were provided, but no name was specified\n"),
    ("delete cm --all -l a=b", "error: setting 'all' parameter but found a non empty selector. \n"),
    ("delete cm a --cascade=bad", 'error: invalid cascade value (bad). Must be "background", "foreground", or "orphan"\n'),
    ("delete foo x", 'error: the server doesn\'t have a resource type "foo"\n'),
])
def test_bad_invocations(configmaps, command, message):
    before = configmaps.state_bytes()
    result = configmaps(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    assert configmaps.state_bytes() == before


def test_several_types_with_names_act_on_every_name_of_every_type(cli):
    """`delete pod,cm baz foo`: type by type, each name (cli-runtime builder.go visitByName)."""
    cli("create configmap baz")
    result = cli("delete pod,cm baz foo")
    assert (result.exit_code, result.stdout) == (1, 'configmap "baz" deleted\n')
    assert result.stderr == ('Error from server (NotFound): pods "baz" not found\n'
                             'Error from server (NotFound): pods "foo" not found\n'
                             'Error from server (NotFound): configmaps "foo" not found\n')
