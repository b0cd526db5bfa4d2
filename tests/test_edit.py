"""edit through $EDITOR: the temp file, saving, cancelling, and refusing invalid edits."""

import os
import stat

import pytest

CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  mode: prod
"""
HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n#\n")


@pytest.fixture
def cfg(cli):
    cli.write("cfg.yaml", CONFIG)
    assert cli("apply -f cfg.yaml").exit_code == 0
    return cli


def _editor(cli, body: str) -> None:
    """An $EDITOR script: keeps a copy of what it was shown, then runs body on the file ($1)."""
    path = cli.write("editor.sh", f'#!/bin/sh\ncp "$1" "{cli.folder}/shown.yaml"\n{body}\n')
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    cli.environ["EDITOR"] = path
    cli.environ["TMPDIR"] = cli.folder


def test_edit_saves_the_change(cfg):
    _editor(cfg, "sed -i 's/mode: prod/mode: dev/' \"$1\"")
    result = cfg("edit configmap cfg")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "configmap/cfg edited\n", "")
    assert cfg("get cm cfg -o jsonpath={.data.mode}").stdout == "dev"


def test_edit_shows_the_header_and_the_yaml(cfg):
    _editor(cfg, "true")
    cfg("edit cm cfg")
    with open(os.path.join(cfg.folder, "shown.yaml"), encoding="utf-8") as handle:
        shown = handle.read()
    assert shown.startswith(HEADER + "apiVersion: v1\ndata:\n  mode: prod\nkind: ConfigMap\nmetadata:\n")


def test_edit_without_change_is_cancelled(cfg):
    _editor(cfg, "true")
    before = cfg.state_bytes()
    result = cfg("edit cm cfg")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "Edit cancelled, no changes made.\n")
    assert cfg.state_bytes() == before


def test_edit_emptied_file_is_cancelled(cfg):
    _editor(cfg, ': > "$1"')
    result = cfg("edit cm cfg")
    assert (result.exit_code, result.stderr) == (0, "Edit cancelled, saved file was empty.\n")


def test_invalid_edit_reopens_then_stores_nothing(cfg):
    _editor(cfg, "sed -i 's/mode: prod/mode: [/' \"$1\"")
    before = cfg.state_bytes()
    result = cfg("edit cm cfg")
    assert result.exit_code == 1
    assert result.stderr.startswith(f'A copy of your changes has been stored to "{cfg.folder}/kubectl-edit-')
    assert result.stderr.endswith('"\nerror: Edit cancelled, no valid changes were saved.\n')
    assert cfg.state_bytes() == before


def test_edit_refused_by_validation(cfg):
    _editor(cfg, "sed -i 's/mode: prod/mode: [1, 2]/' \"$1\"")
    before = cfg.state_bytes()
    result = cfg("edit cm cfg")
    assert result.exit_code == 1
    assert result.stderr.startswith('error: configmaps "cfg" is invalid\nA copy of your changes has been stored to "')
    assert cfg.state_bytes() == before


def test_edit_of_a_missing_object(cfg):
    _editor(cfg, "true")
    result = cfg("edit cm nope")
    assert (result.exit_code, result.stderr) == (1, 'Error from server (NotFound): configmaps "nope" not found\n')


def test_an_editor_that_never_settles_is_stopped(cfg):
    _editor(cfg, "echo 'data: [' >> \"$1\"")
    result = cfg("edit cm cfg")
    assert result.exit_code == 1
    assert result.stderr.endswith('"\nerror: Edit cancelled, no valid changes were saved.\n')
