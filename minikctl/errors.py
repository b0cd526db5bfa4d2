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
        return self


class StateFileError(MinikctlError):
    """The state file cannot be read: printed as ``error: ...``; the file is never touched."""

    def render(self) -> str:
        return f"error: {self.message}"
