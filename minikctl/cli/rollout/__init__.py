"""kubectl rollout: status, history, undo, restart, pause, resume (kubernetes/kubectl pkg/cmd/rollout/).

main.py parses every rollout flag together; each subcommand then rejects flags it does not have,
as cobra would with `unknown flag`.
"""

from __future__ import annotations

import importlib

from minikctl.cli import common
from minikctl.cli import flags as f

SUMMARY = "Manage the rollout of one or many resources."

_TARGETING = common.FILENAME_FLAGS + [common.SELECTOR_FLAG]
_PRINTING = common.OUTPUT_FLAGS
FLAGS = _TARGETING + _PRINTING + [
    common.DRY_RUN_FLAG,
    f.Flag("revision", type=f.INT, default=0, help="See the details, or pin the status check, to this revision"),
    f.Flag("to-revision", type=f.INT, default=0, help="The revision to rollback to. Default to 0 (last revision)."),
    f.Flag("timeout", type=f.DURATION, default="0s", help="The length of time to wait before ending watch, zero means never"),
    f.Flag("watch", "w", type=f.BOOL, default=True, help="Watch the status of the rollout until it's done."),
    f.Flag("field-manager", help="Name of the manager used to track field ownership."),
]
_COMMON = {fl.name for fl in _TARGETING} | {"namespace", "state", "as", "as-group", "kubeconfig", "context",
                                            "request-timeout", "v", "help"}
_OUTPUT = {fl.name for fl in _PRINTING}
SUBCOMMANDS = {
    "status": ("minikctl.cli.rollout.status", _COMMON | {"revision", "timeout", "watch"}),
    "history": ("minikctl.cli.rollout.history_command", _COMMON | _OUTPUT | {"revision"}),
    "undo": ("minikctl.cli.rollout.undo", _COMMON | _OUTPUT | {"to-revision", "dry-run"}),
    "restart": ("minikctl.cli.rollout.toggles", _COMMON | _OUTPUT | {"field-manager"}),
    "pause": ("minikctl.cli.rollout.toggles", _COMMON | _OUTPUT | {"field-manager"}),
    "resume": ("minikctl.cli.rollout.toggles", _COMMON | _OUTPUT | {"field-manager"}),
}
# What `kubectl rollout` prints bare (kubernetes/kubectl pkg/cmd/rollout/rollout.go), on stdout.
HELP = (
    'Manage the rollout of one or many resources.\n'
    '        \n'
    ' Valid resource types include:\n'
    '\n'
    '  *  deployments\n'
    '  *  daemonsets\n'
    '  *  statefulsets\n'
    '\n'
    'Examples:\n'
    '  # Rollback to the previous deployment\n'
    '  minikctl rollout undo deployment/abc\n'
    '  \n'
    '  # Check the rollout status of a daemonset\n'
    '  minikctl rollout status daemonset/foo\n'
    '  \n'
    '  # Restart a deployment\n'
    '  minikctl rollout restart deployment/abc\n'
    '  \n'
    "  # Restart deployments with the 'app=nginx' label\n"
    '  minikctl rollout restart deployment --selector=app=nginx\n'
    '\n'
    'Available Commands:\n'
    '  history       View rollout history\n'
    '  pause         Mark the provided resource as paused\n'
    '  restart       Restart a resource\n'
    '  resume        Resume a paused resource\n'
    '  status        Show the status of the rollout\n'
    '  undo          Undo a previous rollout\n'
    '\n'
    'Usage:\n'
    '  minikctl rollout SUBCOMMAND [options]\n'
    '\n'
    'Use "minikctl rollout <command> --help" for more information about a given command.\n'
    'Use "minikctl options" for a list of global command-line options (applies to all commands).\n'
)


def flags_for(args: list[str]) -> list:
    """A subcommand's own flags (main.py parses with these)."""
    if not args or args[0] not in SUBCOMMANDS:
        return FLAGS
    allowed = SUBCOMMANDS[args[0]][1]
    return [flag for flag in FLAGS if flag.name in allowed]


def command_path(args: list[str]) -> str:
    return f"rollout {args[0]}" if args and args[0] in SUBCOMMANDS else "rollout"


def run(ctx, parsed: f.Parsed) -> int:
    if not parsed.args:
        return common.no_subcommand(ctx, HELP, to_stdout=True)
    subcommand, args = parsed.args[0], parsed.args[1:]
    if subcommand not in SUBCOMMANDS:
        raise common.unknown_subcommand("rollout", parsed.args)
    module_name, _ = SUBCOMMANDS[subcommand]
    return importlib.import_module(module_name).run(ctx, parsed, subcommand, args)
