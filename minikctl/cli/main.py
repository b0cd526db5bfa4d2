"""Entry point: global flags, then the verb's module from the registry (imported only when used)."""

from __future__ import annotations

import importlib
import sys

from minikctl import errors
from minikctl.cli import flags as f
from minikctl.env import Environment

# verb -> module; each module has FLAGS, a one-line SUMMARY and run(ctx, parsed) -> exit code.
COMMANDS: dict[str, str] = {
    "get": "minikctl.cli.get",
    "describe": "minikctl.cli.describe",
    "run": "minikctl.cli.run",
    "apply": "minikctl.cli.apply",
    "create": "minikctl.cli.create",
    "replace": "minikctl.cli.replace",
    "delete": "minikctl.cli.delete",
    "scale": "minikctl.cli.scale",
    "rollout": "minikctl.cli.rollout",
    "set": "minikctl.cli.set",
    "label": "minikctl.cli.label",
    "annotate": "minikctl.cli.annotate",
    "patch": "minikctl.cli.patch",
    "edit": "minikctl.cli.edit",
    "wait": "minikctl.cli.wait",
    "logs": "minikctl.cli.logs",
    "events": "minikctl.cli.events",
    "expose": "minikctl.cli.expose",
    "exec": "minikctl.cli.exec",
    "cordon": "minikctl.cli.cordon",
    "uncordon": "minikctl.cli.uncordon",
    "drain": "minikctl.cli.drain",
    "autoscale": "minikctl.cli.autoscale",
    "top": "minikctl.cli.top",
    "auth": "minikctl.cli.auth",
    "api-resources": "minikctl.cli.api_resources",
    "netpol-verdict": "minikctl.cli.netpol_verdict",  # minikctl only: docs/networkpolicy.md
    "serve": "minikctl.serve.command",  # minikctl only: the Kubernetes API over the state (above cli/)
}

# minikctl's own commands, on Typer and rich (minikctl/cli/tools/), imported only when one of them runs.
OWN_COMMANDS = {
    "tree": "Show the objects a resource owns, down to its pods",
    "map": "Draw the cluster: nodes and their pods, Services and their endpoints, volumes",
    "fault": "Inject, list and clear simulated failures",
    "clock": "Show or move the simulated clock",
    "state": "Inspect, export, import or reset the state file",
}

GLOBAL_FLAGS = [
    f.Flag("namespace", "n", help="If present, the namespace scope for this CLI request"),
    f.Flag("state", help="Path of the state file (default $MINIKCTL_STATE, else ./state/cluster.json)"),
    f.Flag("as", help="Username to impersonate for the operation"),
    f.Flag("as-group", type=f.ARRAY, help="Group to impersonate for the operation, repeatable"),
    f.Flag("as-uid", help="UID to impersonate for the operation"),
    f.Flag("kubeconfig", help="Accepted for compatibility; minikctl has no kubeconfig"),
    f.Flag("context", help="Accepted for compatibility; minikctl has one cluster"),
    f.Flag("request-timeout", default="0", help="How long a write waits for the state lock (e.g. 1s, 2m; 0: no limit)"),
    f.Flag("v", "v", help="Accepted for compatibility (log level)"),
    f.Flag("help", "h", type=f.BOOL, help="help for the command"),
]


def _check_impersonation(parsed: f.Parsed) -> None:
    """Groups or a uid need a user to impersonate (kubernetes/client-go tools/clientcmd validation.go:
    the authInfo named is the empty one of the command-line flags)."""
    if (parsed.get("as-group") or parsed.get("as-uid")) and not parsed.get("as"):
        raise errors.CommandError("requesting uid, groups or user-extra for  without impersonating a user")


def _split_verb(argv: list[str]) -> tuple[str | None, list[str]]:
    """Find the verb: the first argument that is neither a global flag nor a global flag's value."""
    takes_value = {"--" + fl.name for fl in GLOBAL_FLAGS if fl.type != f.BOOL}
    takes_value |= {"-" + fl.short for fl in GLOBAL_FLAGS if fl.short and fl.type != f.BOOL}
    index = 0
    while index < len(argv):
        token = argv[index]
        if not token.startswith("-"):
            return token, argv[:index] + argv[index + 1:]
        index += 2 if token in takes_value else 1
    return None, argv


def _command_path(verb: str, module, argv: list[str]) -> str:
    """The command cobra names in a flag error's hint: a group's subcommand is found before its flags are
    parsed, so `rollout status --bogus` points at `kubectl rollout status --help` (cobra Find)."""
    path = getattr(module, "command_path", None)
    if path is None:
        return verb
    return path(f.positionals(argv, module.FLAGS + GLOBAL_FLAGS))


def _own_flags(module, argv: list[str]) -> list:
    """The flags of the command argv names: a group (rollout, set, create) gives each subcommand only its
    own, so another subcommand's flag is refused as unknown, at its place in argv (cobra Find, then pflag)."""
    flags_for = getattr(module, "flags_for", None)
    if flags_for is None:
        return module.FLAGS
    return flags_for(f.positionals(argv, module.FLAGS + GLOBAL_FLAGS))


def run(argv: list[str], env: Environment | None = None) -> int:
    env = env or Environment()
    verb, rest = _split_verb(argv)
    if verb is None:
        from minikctl.cli.help import root_help

        env.out(root_help(COMMANDS, OWN_COMMANDS))
        return errors.SUCCESS
    if verb == "options":
        from minikctl.cli.help import options_help

        env.out(options_help(GLOBAL_FLAGS))
        return errors.SUCCESS
    if verb in OWN_COMMANDS:
        return _run_own(verb, rest, env)
    module_name = COMMANDS.get(verb)
    if module_name is None:
        env.err(f'error: unknown command "{verb}" for "minikctl"\n'
                "Run 'minikctl --help' for usage.\n")
        return errors.ERROR
    module = importlib.import_module(module_name)
    from minikctl.cli.context import Context

    try:
        parsed = f.parse(rest, _own_flags(module, rest) + GLOBAL_FLAGS)
        for flag in module.FLAGS:  # a subcommand's code may read the group's other flags: their defaults
            parsed.values.setdefault(flag.name, flag.initial())
        if parsed["help"]:
            from minikctl.cli.help import verb_help

            env.out(verb_help(verb, module, parsed.args))
            return errors.SUCCESS
        _check_impersonation(parsed)
        ctx = Context(env, parsed, verb)
        return module.run(ctx, parsed)
    except errors.FlagError as exc:
        exc.command = exc.command or _command_path(verb, module, rest)
        env.err(exc.render() + "\n")
        return errors.ERROR
    except errors.MinikctlError as exc:
        env.err(exc.render() + "\n")
        return errors.ERROR


def _run_own(verb: str, rest: list[str], env: Environment) -> int:
    from minikctl.cli.tools.app import run as run_tool

    try:
        return run_tool(verb, rest, env)
    except errors.MinikctlError as exc:
        env.err(exc.render() + "\n")
        return errors.ERROR


def main() -> int:
    try:
        return run(sys.argv[1:])
    except BrokenPipeError:
        return errors.ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last resort: run() itself lets crashes through, so tests see them
        detail = str(exc).replace("\n", " ")
        sys.stderr.write(f"error: internal error in minikctl: {type(exc).__name__}: {detail} (please report it)\n")
        return errors.ERROR
