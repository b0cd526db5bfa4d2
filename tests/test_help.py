"""Help in kubectl's shape, generated from the same flag declarations the parser uses."""

from __future__ import annotations

import importlib
import re

import pytest

from minikctl.cli import flags as f
from minikctl.cli.help import GROUPS
from minikctl.cli.main import COMMANDS, GLOBAL_FLAGS, OWN_COMMANDS


def test_verb_help_has_description_examples_options_usage(cli):
    assert cli.ok("cordon --help") == (
        "Mark node as unschedulable.\n"
        "\n"
        "Examples:\n"
        "  # Keep new pods off a node\n"
        "  minikctl cordon kind-worker\n"
        "\n"
        "Options:\n"
        "    --dry-run='none':\n"
        '\tMust be "none", "server", or "client"\n'
        "\n"
        "    -l, --selector='':\n"
        "\tSelector (label query) to filter on\n"
        "\n"
        "Usage:\n"
        "  minikctl cordon NODE [options]\n"
        "\n"
        'Use "minikctl options" for a list of global command-line options (applies to all commands).\n')


def test_root_help_groups_every_command_once(cli):
    text = cli.ok("--help")
    assert text.startswith("minikctl controls a simulated Kubernetes cluster")
    titles = [line[:-1] for line in text.splitlines() if line.endswith(":") and not line.startswith(" ")]
    kubectl_order = [title for title, _ in GROUPS] + ["Other Commands"]
    grouped = [title for title in titles if title in kubectl_order]
    assert grouped == sorted(grouped, key=kubectl_order.index)
    assert titles[-2:] == ["minikctl's own commands", "Usage"]
    listed = re.findall(r"^  (\S+) +(\S.*)$", text, re.MULTILINE)
    names = [name for name, _ in listed if name != "minikctl"]
    assert sorted(names) == sorted([*COMMANDS, *OWN_COMMANDS])
    widths = {line.index(summary) for line in text.splitlines() for name, summary in listed if name != "minikctl"
              and line.startswith(f"  {name} ")}
    assert len(widths) == 1  # one column for every summary, as cobra pads names
    for verb, module in COMMANDS.items():
        assert f"  {verb}" in text and importlib.import_module(module).SUMMARY.rstrip(".") in text


def test_options_lists_the_global_flags(cli):
    text = cli.ok("options")
    assert text.startswith("The following options can be passed to any command:\n\n    --as='':\n")
    for flag in GLOBAL_FLAGS:
        if flag.name != "help":
            assert f"--{flag.name}=" in text


def test_unknown_command_points_at_minikctl(cli):
    result = cli("bogus")
    assert (result.exit_code, result.stderr) == (1, 'error: unknown command "bogus" for "minikctl"\n'
                                                    "Run 'minikctl --help' for usage.\n")


@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_every_flag_in_help_is_one_the_parser_takes(cli, verb):
    """One declaration feeds both: each flag the help lists parses, and each declared flag is listed."""
    module = importlib.import_module(COMMANDS[verb])
    text = cli.ok(f"{verb} --help")
    assert f"Usage:\n  minikctl {verb}" in text
    listed = re.findall(r"^    (?:-(\w), )?--([\w-]+)=", text, re.MULTILINE)
    own = module.flags_for([]) if hasattr(module, "flags_for") else module.FLAGS  # a group: the bare command's
    declared = {flag.name: flag.short for flag in own if flag.name != "help"}
    assert {name: short for short, name in listed} == declared
    for _, name in listed:
        flag = next(fl for fl in own if fl.name == name)
        value = {f.BOOL: "true", f.INT: "1", f.DURATION: "1s"}.get(flag.type, "x")
        f.parse([f"--{name}={value}"], own + GLOBAL_FLAGS)


def test_a_subcommand_lists_only_its_own_flags(cli):
    text = cli.ok("rollout status --help")
    assert "Usage:\n  minikctl rollout status [options]\n" in text
    assert "--watch=true:" in text and "--to-revision" not in text and "--output" not in text
    assert "--to-revision=0:" in cli.ok("rollout undo --help")
