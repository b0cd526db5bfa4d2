"""Errors in kubectl's shapes, and the exit codes minikctl uses.

kubectl prints every error on stderr and exits 1 (kubernetes/kubectl: pkg/cmd/util/helpers.go);
API errors carry a reason and print as ``Error from server (Reason): message``.
"""

SUCCESS = 0
ERROR = 1


class MinikctlError(Exception):
    """A failure that is printed to stderr as is (already in kubectl's words)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def render(self) -> str:
        return self.message


class CommandError(MinikctlError):
    """A client-side error: printed as ``error: <message>``."""

    def render(self) -> str:
        if self.message.startswith("error: "):
            return self.message
        return f"error: {self.message}"


class UsageError(CommandError):
    """A bad invocation: ``error: ...`` followed by kubectl's help hint."""

    def __init__(self, message: str, command: str = ""):
        super().__init__(message)
        self.command = command

    def render(self) -> str:
        hint = f"See 'minikctl {self.command} -h' for help and examples" if self.command else ""
        text = super().render()
        return f"{text}\n{hint}" if hint else text


class FlagError(MinikctlError):
    """An unknown or malformed flag, printed the way cobra does."""

    def __init__(self, message: str, command: str = ""):
        super().__init__(message)
        self.command = command

    def render(self) -> str:
        where = f"minikctl {self.command}" if self.command else "minikctl"
        return f"Error: {self.message}\nSee '{where} --help' for usage."


class RequiredFlagsError(MinikctlError):
    """cobra's missing required flags, which kubectl 1.32 logs through klog (kubectl
    pkg/cmd/cmd.go via component-base cli/run.go:72): `E<MMDD> <time> <pid> run.go:72] "command failed" ...`."""

    def __init__(self, flags: list[str]):
        super().__init__("required flag(s) " + ", ".join(f'"{flag}"' for flag in flags) + " not set")

    def render(self) -> str:
        import datetime
        import os

        now = datetime.datetime.now()
        quoted = self.message.replace("\\", "\\\\").replace('"', '\\"')
        return f'E{now:%m%d %H:%M:%S.%f} {os.getpid():7d} run.go:72] "command failed" err="{quoted}"'


class APIError(MinikctlError):
    """An error the API server would return, with its reason (NotFound, AlreadyExists, ...)."""

    def __init__(self, reason: str, message: str, code: int = 400):
        super().__init__(message)
        self.reason = reason
        self.code = code

    def render(self) -> str:
        if self.reason:
            return f"Error from server ({self.reason}): {self.message}"
        return f"Error from server: {self.message}"

    def with_source(self, verb: str, source: str) -> "APIError":
        """The same error about an object read from a file: ``error when creating "FILE": ...``."""
        return type(self)(self.reason, f'error when {verb} "{source}": {self.message}', self.code)


def not_found(qualified: str, name: str) -> APIError:
    return APIError("NotFound", f'{qualified} "{name}" not found', 404)


def already_exists(qualified: str, name: str) -> APIError:
    return APIError("AlreadyExists", f'{qualified} "{name}" already exists', 409)


def conflict(qualified: str, name: str) -> APIError:
    return APIError(
        "Conflict",
        f'Operation cannot be fulfilled on {qualified} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again",
        409,
    )


def bad_request(message: str) -> APIError:
    return APIError("BadRequest", message, 400)


def forbidden(message: str) -> APIError:
    return APIError("Forbidden", message, 403)


class InvalidError(APIError):
    """422 Invalid with field causes: ``The Kind "name" is invalid: field: message``."""

    def __init__(self, kind: str, name: str, causes: list[str]):
        super().__init__("Invalid", "", 422)
        self.kind, self.name, self.causes = kind, name, causes
        self.message = self.render()

    def render(self) -> str:
        head = f'The {self.kind} "{self.name}" is invalid: '
        if len(self.causes) == 1:
            return head + self.causes[0]
        return head + "\n" + "\n".join(f"* {c}" for c in self.causes)

    def with_source(self, verb: str, source: str) -> "InvalidError":
        """kubectl prints an Invalid error alone from its causes, without the file; the status message
        that carries the file shows only among several errors (status_message)."""
        sourced = InvalidError(self.kind, self.name, self.causes)
        sourced.source = f'error when {verb} "{source}": '
        return sourced

    def status_message(self) -> str:
        """The Status message the API server sends: `Kind.group "name" is invalid: cause` (several causes
        as Go prints an aggregate), after the file kubectl names (kubernetes/apimachinery
        pkg/api/errors/errors.go NewInvalid; kubectl pkg/cmd/util/helpers.go AddSourceToErr)."""
        from minikctl.core import kinds

        groups = {k.group for k in kinds.KINDS if k.kind == self.kind}
        qualified = f"{self.kind}.{min(groups)}" if groups and min(groups) else self.kind
        causes = self.causes[0] if len(self.causes) == 1 else "[" + ", ".join(self.causes) + "]"
        return f'{getattr(self, "source", "")}{qualified} "{self.name}" is invalid: {causes}'


def bare_message(problem) -> str:
    """Go's err.Error(): an API error's status message, a client error's text; a list is an aggregate
    (kubernetes/apimachinery pkg/util/errors/errors.go: one message alone, several in brackets)."""
    if isinstance(problem, list):
        seen: list[str] = []
        for message in (bare_message(p) for p in problem):
            if message not in seen:
                seen.append(message)
        return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"
    if isinstance(problem, InvalidError):
        return problem.status_message()
    return problem.message


def standard_message(problem) -> str:
    """kubectl's messageForError: API errors as `Error from server (Reason): ...`, the rest bare."""
    if isinstance(problem, APIError):
        reason = f" ({problem.reason})" if problem.reason else ""
        return f"Error from server{reason}: {bare_message(problem)}"
    return bare_message(problem)


def render_all(problems: list) -> str:
    """What kubectl's CheckErr prints for the errors a command collected (ContinueOnError): one error
    (an aggregate of one unwrapped) in its own form, several one per line by messageForError
    (kubectl pkg/cmd/util/helpers.go checkErr, MultipleErrors). A nested list is an aggregate."""
    if not problems:
        return ""
    top = problems[0] if len(problems) == 1 else problems
    if isinstance(top, list) and len(top) == 1:
        top = top[0]
    if isinstance(top, list):
        return "".join(standard_message(p) + "\n" for p in top)
    return top.render() + "\n"


class StateFileError(MinikctlError):
    """The state file cannot be read: printed as ``error: ...``; the file is never touched."""

    def render(self) -> str:
        return f"error: {self.message}"
