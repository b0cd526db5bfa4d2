"""Status bodies: the API server's answer for errors (kubernetes/apimachinery pkg/api/errors)."""

from __future__ import annotations

from minikctl import errors

REASON_CODES = {"NotFound": 404, "AlreadyExists": 409, "Conflict": 409, "Forbidden": 403, "Invalid": 422,
                "BadRequest": 400, "MethodNotAllowed": 405, "Gone": 410, "Expired": 410, "NotAcceptable": 406,
                "UnsupportedMediaType": 415, "TooManyRequests": 429, "InternalError": 500}


class Failure(Exception):
    """A request the server refuses, carried to the HTTP layer as a Status body."""

    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def body(self) -> dict:
        return status_body(self.code, self.reason, self.message, self.details)


def status_body(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def success(details: dict) -> dict:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}


def from_error(problem: errors.MinikctlError, kind=None, name: str = "") -> Failure:
    """The Status of an error raised by the API server functions or the validation the CLI runs."""
    details = {}
    if name:
        details["name"] = name
    if kind is not None:
        details["kind"] = kind.plural
        if kind.group:
            details["group"] = kind.group
    if isinstance(problem, errors.InvalidError):
        # kubectl rebuilds `The Kind "name" is invalid` from the details: kind is the Kind here
        details.update(kind=problem.kind, name=problem.name, causes=[_cause(text) for text in problem.causes])
        return Failure(422, "Invalid", problem.message, details)
    if isinstance(problem, errors.APIError):
        code = problem.code or REASON_CODES.get(problem.reason, 400)
        return Failure(code, problem.reason or "BadRequest", problem.message, details or None)
    return Failure(400, "BadRequest", problem.message.removeprefix("error: "), details or None)


def _cause(text: str) -> dict:
    field, _, message = text.partition(": ")
    return {"reason": "FieldValueInvalid", "message": message or text, "field": field}
