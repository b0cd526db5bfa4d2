"""Finding the objects a command names (kubernetes/cli-runtime pkg/resource/builder.go).

`TYPE NAME...`, `TYPE/NAME...`, `-f FILE`, or `TYPE` with `-l`, `--field-selector`, `--all` (and `-A`
where the verb has it). The RBAC check is made where kubectl sends its request: a get per name, a list
per type. A missing name is a Target without an object, left for the caller to report so the rest are
still processed (ContinueOnError); so is `No resources found`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from minikctl import errors
from minikctl.core.kinds import Kind


@dataclass
class Target:
    kind: Kind
    namespace: str
    name: str
    obj: dict | None = None  # the live object; None when not read (addresses) or missing (select)
    source: str = ""  # the -f file that names it

    def not_found(self) -> errors.APIError:
        return errors.not_found(self.kind.qualified, self.name)


@dataclass
class Selection:
    """The targets found and the named ones that do not exist, each in the order asked."""

    found: list[Target] = field(default_factory=list)
    missing: list[Target] = field(default_factory=list)


def require_resources(args: list[str], parsed) -> None:
    if not args and not parsed.get("filename"):
        raise errors.CommandError("required resource not specified")


# The resource builder's error when a command names nothing at all (kubernetes/cli-runtime
# pkg/resource/builder.go), raised before any request: edit, wait, scale, set image|resources.
NOTHING_NAMED = ("You must provide one or more resources by argument or filename.\n"
                 "Example resource specifications include:\n"
                 "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")


def require_something_named(args: list[str], parsed) -> None:
    if not args and not parsed.get("filename"):
        raise errors.CommandError(NOTHING_NAMED)


def collect(ctx, cluster, args: list[str], parsed, verb: str, whole_kind: bool = False) -> Selection:
    selection = Selection()
    for target in select(ctx, cluster, args, parsed, verb, whole_kind):
        (selection.missing if target.obj is None else selection.found).append(target)
    return selection


def select(ctx, cluster, args: list[str], parsed, verb: str, whole_kind: bool = False) -> Iterator[Target]:
    """Every target with its live object read; obj stays None for a name that does not exist."""
    for target in addresses(ctx, cluster, args, parsed, verb, whole_kind):
        if target.obj is None:
            target.obj = fetch(ctx, cluster, target.kind, target.namespace, target.name)
        yield target


def addresses(ctx, cluster, args: list[str], parsed, verb: str, whole_kind: bool = False) -> Iterator[Target]:
    """The targets, named ones not yet read (delete sends no GET); lazily, so each request is made in turn.

    whole_kind lets `TYPE` alone mean every object of the type (rollout); verb words -f errors.
    """
    if parsed.get("filename"):
        yield from _from_files(ctx, parsed, verb)
        return
    from minikctl.api.resolve import parse_arguments

    for request in parse_arguments(args):
        if request.names:
            namespace = ctx.namespace if request.kind.namespaced else ""
            yield from (Target(request.kind, namespace, name) for name in request.names)
        elif whole_kind or parsed.get("all") or parsed.get("selector") or parsed.get("field-selector"):
            yield from _every(ctx, cluster, request.kind, parsed)
        else:
            raise errors.CommandError("resource(s) were provided, but no name was specified")


def fetch(ctx, cluster, kind: Kind, namespace: str, name: str) -> dict | None:
    """A GET of one object: the live object, or None when it does not exist."""
    ctx.authorize("get", kind, namespace, name)
    return cluster.get(kind.key, namespace, name)


def _every(ctx, cluster, kind: Kind, parsed) -> Iterator[Target]:
    from minikctl.api import selector_parsing

    objects = ctx.listed(cluster, kind, bool(parsed.get("all-namespaces")))
    for obj in selector_parsing.matching(objects, kind, parsed.get("selector") or "", parsed.get("field-selector") or ""):
        yield Target(kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], obj)


def _from_files(ctx, parsed, verb: str) -> Iterator[Target]:
    from minikctl.api import server
    from minikctl.core import kinds
    from minikctl.cli import documents

    for document in documents.load(ctx, parsed, verb):
        kind = kinds.for_object(document.obj)
        namespace = server.namespace_of(kind, document.obj, ctx.namespace)
        yield Target(kind, namespace, document.obj["metadata"].get("name", ""), source=document.source)
