"""The Typer application behind minikctl's own commands, and the bridge from cli/main.py."""

from __future__ import annotations

import typer

from minikctl import errors
from minikctl.env import Environment
from minikctl.cli.tools import clock, cluster_map, faults, state, tree
from minikctl.cli.tools.session import Session, split_globals

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="minikctl's own commands: pictures of the simulated cluster and control over it.")
app.command("tree", help=tree.HELP)(tree.command)
app.command("map", help=cluster_map.HELP)(cluster_map.command)
app.add_typer(faults.app, name="fault")
app.add_typer(clock.app, name="clock")
app.add_typer(state.app, name="state")


def run(verb: str, argv: list[str], env: Environment) -> int:
    """Run `minikctl VERB ARGS...` through Typer with env's streams; errors print kubectl-style."""
    click = _click_exceptions()
    parsed, rest = split_globals(argv)
    Session.current = Session(env, parsed, verb)
    command = typer.main.get_command(app)
    try:
        with _streams(env):
            command.main(args=[verb, *rest], prog_name="minikctl", standalone_mode=False)
        return errors.SUCCESS
    except typer.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        env.err(f"Error: {exc.format_message()}\nSee 'minikctl {verb} --help' for usage.\n")
        return errors.ERROR
    except typer.Abort:
        return errors.ERROR
    finally:
        Session.current = None


def _click_exceptions():
    """click's exceptions: recent Typer releases carry their own copy of click, older ones use click."""
    try:
        from typer._click import exceptions
    except ImportError:
        from click import exceptions
    return exceptions


class _streams:
    """click writes help and messages to sys.stdout/sys.stderr: point them at the Environment's streams."""

    def __init__(self, env: Environment):
        self.env = env

    def __enter__(self):
        import sys

        self.saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.env.stdout, self.env.stderr

    def __exit__(self, *exc):
        import sys

        sys.stdout, sys.stderr = self.saved
        return False
