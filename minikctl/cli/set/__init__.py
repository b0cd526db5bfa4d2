"""kubectl set image|env|resources (kubernetes/kubectl pkg/cmd/set/).

main.py parses every set flag together; each subcommand then rejects flags it does not have.
"""

from __future__ import annotations

import importlib

from minikctl import errors
from minikctl.cli import common
from minikctl.cli import flags as f

SUMMARY = "Configure application resources."

_SHARED = common.FILENAME_FLAGS + common.OUTPUT_FLAGS + [
    common.SELECTOR_FLAG,
    common.DRY_RUN_FLAG,
    f.Flag("all", type=f.BOOL, help="Select all resources, in the namespace of the specified resource types"),
    f.Flag("local", type=f.BOOL, help="Not supported by minikctl"),
    f.Flag("field-manager", help="Name of the manager used to track field ownership."),
]
_CONTAINERS = f.Flag("containers", "c", default="*", help="The names of containers in the selected pod templates to change")
FLAGS = _SHARED + [
    _CONTAINERS,
    f.Flag("env", "e", type=f.ARRAY, help="Specify a key-value pair for an environment variable to set into each container."),
    f.Flag("from", help="The name of a resource from which to inject environment variables"),
    f.Flag("prefix", help="Prefix to append to variable names"),
    f.Flag("keys", type=f.SLICE, help="Comma-separated list of keys to import from specified resource"),
    f.Flag("list", type=f.BOOL, help="If true, display the environment and any changes in the standard format."),
    f.Flag("overwrite", type=f.BOOL, default=True, help="If true, allow environment to be overwritten"),
    f.Flag("limits", help="The resource requirement limits for this container.  For example, 'cpu=200m,memory=512Mi'."),
    f.Flag("requests", help="The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'."),
]
_GLOBAL = {"namespace", "state", "as", "as-group", "kubeconfig", "context", "request-timeout", "v", "help"}
_BASE = _GLOBAL | {fl.name for fl in _SHARED}
SUBCOMMANDS = {
    "image": ("minikctl.cli.set.image", _BASE),
    "env": ("minikctl.cli.set.env", _BASE | {"containers", "env", "from", "prefix", "keys", "list",
                                             "overwrite"}),
    "resources": ("minikctl.cli.set.resources", _BASE | {"containers", "limits", "requests"}),
}
HELP = ("Configure application resources.\n\nAvailable Commands:\n" + "".join(f"  {n}\n" for n in SUBCOMMANDS)
        + "\nUsage:\n  minikctl set SUBCOMMAND [options]\n")


def flags_for(args: list[str]) -> list:
    """A subcommand's own flags (main.py parses with these)."""
    if not args or args[0] not in SUBCOMMANDS:
        return FLAGS
    allowed = SUBCOMMANDS[args[0]][1]
    return [flag for flag in FLAGS if flag.name in allowed]


def command_path(args: list[str]) -> str:
    return f"set {args[0]}" if args and args[0] in SUBCOMMANDS else "set"


def run(ctx, parsed: f.Parsed) -> int:
    if not parsed.args:
        return common.no_subcommand(ctx, HELP)
    subcommand, args = parsed.args[0], parsed.args[1:]
    if subcommand not in SUBCOMMANDS:
        raise common.unknown_subcommand("set", parsed.args)
    module_name, _ = SUBCOMMANDS[subcommand]
    if parsed["all"] and parsed["selector"]:
        raise errors.CommandError("cannot set --all and --selector at the same time")
    return importlib.import_module(module_name).run(ctx, parsed, args)
