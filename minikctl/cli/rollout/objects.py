"""Finding the objects a rollout/set/patch/wait invocation names (kubectl's resource builder).

`TYPE NAME...`, `TYPE/NAME...`, `-f FILE` or `TYPE -l SELECTOR` / `TYPE --all`; a missing name
becomes a NotFound failure for the caller to report, the rest are still processed
(kubernetes/cli-runtime pkg/resource/builder.go ContinueOnError).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minikctl import errors
from minikctl.api import kinds
from minikctl.api.kinds import Kind


@dataclass
class Found:
    targets: list[tuple[Kind, dict]] = field(default_factory=list)
    missing: list[errors.MinikctlError] = field(default_factory=list)
    missing_names: list[tuple[Kind, str]] = field(default_factory=list)


def find(ctx, cluster, args: list[str], parsed, verb: str, whole_kind: bool = True) -> Found:
    """The objects named; whole_kind lets `TYPE` alone mean every object of the type (rollout)."""
    found = Found()
    if parsed.get("filename"):
        _from_files(ctx, cluster, parsed, verb, found)
        return found
    from minikctl.api import selectors
    from minikctl.api.resolve import parse_arguments

    selector = parsed.get("selector") or ""
    for request in parse_arguments(args):
        namespace = ctx.namespace if request.kind.namespaced else ""
        if request.names:
            for name in request.names:
                ctx.authorize("get", request.kind, namespace, name)
                _add(cluster, request.kind, namespace, name, found)
            continue
        if not (whole_kind or parsed.get("all") or selector):
            raise errors.CommandError("resource(s) were provided, but no name was specified")
        requirements = selectors.parse_label_selector(selector)
        ctx.authorize("list", request.kind, namespace)
        for obj in cluster.list(request.kind.key, namespace if request.kind.namespaced else None):
            if selectors.matches_labels(requirements, obj["metadata"].get("labels")):
                found.targets.append((request.kind, obj))
    return found


def _from_files(ctx, cluster, parsed, verb: str, found: Found) -> None:
    from minikctl.cli import documents

    for document in documents.load(ctx, parsed, verb):
        kind = kinds.for_object(document.obj)
        namespace = (document.obj["metadata"].get("namespace") or ctx.namespace) if kind.namespaced else ""
        ctx.authorize("get", kind, namespace, document.obj["metadata"].get("name", ""))
        _add(cluster, kind, namespace, document.obj["metadata"].get("name", ""), found)


def _add(cluster, kind: Kind, namespace: str, name: str, found: Found) -> None:
    obj = cluster.get(kind.key, namespace, name)
    if obj is None:
        found.missing.append(errors.not_found(kind.qualified, name))
        found.missing_names.append((kind, name))
    else:
        found.targets.append((kind, obj))


def require_resources(args: list[str], parsed) -> None:
    if not args and not parsed.get("filename"):
        raise errors.CommandError("required resource not specified")


def authorize_patch(ctx, kind: Kind, obj: dict) -> None:
    """The write every one of these verbs sends is a PATCH of the object."""
    ctx.authorize("patch", kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
