"""Flag sets and steps several verbs share."""

from __future__ import annotations

from minikctl.cli import flags as f

OUTPUT_FLAGS = [
    f.Flag("output", "o", help="Output format"),
    f.Flag("template", help="Template string or path to template file to use with -o jsonpath"),
    f.Flag("allow-missing-template-keys", type=f.BOOL, default=True,
           help="If true, ignore any errors in templates when a field or map key is missing"),
    f.Flag("show-managed-fields", type=f.BOOL, help="If true, keep the managedFields when printing objects"),
]
FILENAME_FLAGS = [
    f.Flag("filename", "f", type=f.SLICE, help="Filename, directory, or URL to files"),
    f.Flag("recursive", "R", type=f.BOOL, help="Process the directory used in -f, --filename recursively"),
]
SELECTOR_FLAG = f.Flag("selector", "l", help="Selector (label query) to filter on")
DRY_RUN_FLAG = f.Flag("dry-run", default="none", no_value="unchanged",
                      help='Must be "none", "server", or "client"')


def dry_run_mode(value: str) -> str:
    """kubectl's --dry-run values; a bare --dry-run is the deprecated form of client."""
    from minikctl.errors import CommandError

    if value in ("none", "false", ""):
        return "none"
    if value in ("client", "unchanged", "true"):
        return "client"
    if value == "server":
        return "server"
    raise CommandError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')


def dry_run_suffix(mode: str) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")


def output_format(ctx, parsed, allowed=None):
    """The -o printer of a mutating command (template files read relative to the working directory)."""
    from minikctl.printers.output import MUTATE_FORMATS, parse_output

    return parse_output(parsed["output"] or "", parsed["template"] or "", allowed or MUTATE_FORMATS, cwd=ctx.env.cwd)


def no_subcommand(ctx, group_help: str, to_stdout: bool = False) -> int:
    """A command group run bare prints its help and exits 1 (cobra help, then CheckErr(ErrExit) in
    kubernetes/kubectl pkg/cmd/util/helpers.go DefaultSubCommandRun); rollout writes it on stdout."""
    from minikctl.errors import ERROR

    (ctx.env.out if to_stdout else ctx.env.err)(group_help)
    return ERROR


def unknown_subcommand(group: str, args: list[str]):
    """DefaultSubCommandRun's RequireNoArguments: every argument quoted as one unknown command."""
    from minikctl.errors import UsageError

    return UsageError(f'unknown command "{" ".join(args)}"', group)
