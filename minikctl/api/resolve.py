"""Turning kubectl's resource arguments into kinds and names (../shared/reference/kubectl-cli.md §2.2)."""

from __future__ import annotations

from minikctl.core import kinds
from minikctl.core.kinds import Kind
from minikctl.errors import CommandError, MinikctlError


class UnknownResourceType(MinikctlError):
    def __init__(self, argument: str):
        super().__init__(f'the server doesn\'t have a resource type "{argument}"')

    def render(self) -> str:
        return f"error: {self.message}"


class Request:
    """What the arguments ask for: kinds with names, or whole kinds (names empty)."""

    __slots__ = ("kind", "names")

    def __init__(self, kind: Kind, names: list[str] | None = None):
        self.kind = kind
        self.names = names if names is not None else []


def resolve_type(argument: str, warnings: list[str] | None = None) -> list[Kind]:
    """One type argument (`deploy`, `deployments.v1.apps`, `all`) to its kinds."""
    if argument.lower() == "all":
        return kinds.category("all")
    base, _, qualifier = argument.partition(".")
    candidates = [k for k in kinds.KINDS if _names_match(k, base)]
    if qualifier:
        candidates = [k for k in candidates if _qualifier_matches(k, qualifier)]
    if not candidates:
        raise UnknownResourceType(argument)
    if warnings is not None and base == "ev" and not qualifier:
        warnings.append('Warning: short name "ev" could also match lower priority resource events.events.k8s.io')
    return candidates[:1]


def _names_match(kind: Kind, word: str) -> bool:
    if word in kind.short_names:
        return True
    lowered = word.lower()
    return lowered in (kind.plural, kind.singular, kind.kind.lower())


def _qualifier_matches(kind: Kind, qualifier: str) -> bool:
    """`apps` (group) or `v1.apps` (version.group); the core group has no qualifier."""
    if qualifier == kind.group:
        return True
    version, _, group = qualifier.partition(".")
    return group == kind.group and version == kind.version


def parse_arguments(args: list[str], warnings: list[str] | None = None) -> list[Request]:
    """`TYPE [NAME...]`, `TYPE1,TYPE2`, or `TYPE/NAME [TYPE/NAME...]`."""
    if not args:
        return []
    if any("/" in arg for arg in args):
        return _parse_slash_form(args, warnings)
    kinds_found: list[Kind] = []
    for part in args[0].split(","):
        if not part:
            continue
        for kind in resolve_type(part, warnings):
            if kind not in kinds_found:
                kinds_found.append(kind)
    # every name of every type, type by type (kubernetes/cli-runtime pkg/resource/builder.go visitByName)
    return [Request(kind, list(args[1:])) for kind in kinds_found]


def _parse_slash_form(args: list[str], warnings: list[str] | None) -> list[Request]:
    requests: list[Request] = []
    for arg in args:
        type_part, slash, name = arg.partition("/")
        if not slash:
            raise CommandError(
                "there is no need to specify a resource type as a separate argument when passing arguments in "
                "resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
                "'kubectl get resource resource/<resource_name>'")
        if not name or not type_part:
            raise CommandError("arguments in resource/name form must have a single resource and name")
        kind = resolve_type(type_part, warnings)[0]
        existing = next((r for r in requests if r.kind == kind), None)
        if existing is None:
            requests.append(Request(kind, [name]))
        else:
            existing.names.append(name)
    return requests
