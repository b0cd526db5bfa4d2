"""What an own command runs with: the Environment, minikctl's global flags, and a Context over the state.

The kubectl verbs receive these through cli/main.py; an own command is handed the same Environment, so
tests capture its output the same way.
"""

from __future__ import annotations

from minikctl.cli.flags import Parsed
from minikctl.env import Environment

# Global flags an own command accepts wherever they appear, as the kubectl verbs do (name -> takes a value).
GLOBALS = {"--namespace": "namespace", "-n": "namespace", "--state": "state", "--as": "as"}


class Session:
    """The Environment of the running command plus the global flags taken out of its arguments."""

    current: "Session | None" = None

    def __init__(self, env: Environment, parsed: Parsed, verb: str):
        self.env = env
        self.parsed = parsed
        self.verb = verb

    def context(self):
        from minikctl.cli.context import Context

        return Context(self.env, self.parsed, self.verb)

    def console(self, **options):
        """A rich console on the command's stdout: colours on a terminal, plain text when piped."""
        from rich.console import Console

        stream = self.env.stdout
        terminal = bool(getattr(stream, "isatty", lambda: False)())
        return Console(file=stream, force_terminal=terminal, no_color=not terminal, highlight=False,
                       width=None if terminal else 200, soft_wrap=not terminal, **options)


def split_globals(argv: list[str]) -> tuple[Parsed, list[str]]:
    """Take -n/--namespace, --state and --as (`--flag value` or `--flag=value`) out of argv."""
    parsed = Parsed({"namespace": None, "state": None, "as": None, "as-group": []})
    rest: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        name, has_value, value = token.partition("=")
        if token == "--":
            rest.extend(argv[index:])
            break
        if name in GLOBALS and (has_value or index + 1 < len(argv)):
            if not has_value:
                index += 1
                value = argv[index]
            parsed.values[GLOBALS[name]] = value
            parsed.given.add(GLOBALS[name])
        else:
            rest.append(token)
        index += 1
    return parsed, rest


def session() -> Session:
    assert Session.current is not None, "an own command runs only through tools.app.run"
    return Session.current
