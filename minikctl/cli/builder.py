"""The resource builder of the `-f` verbs with ContinueOnError (kubernetes/cli-runtime
pkg/resource/builder.go Do, visitor.go EagerVisitorList, StreamVisitor, ContinueOnErrorVisitor).

One bad object does not stop the others. Every path is checked first (a missing path stops
everything). Within a file, a parse error or kubectl's own schema check ends that file, after the
documents before it; an unknown kind or an undecodable object skips only itself. Those reading
errors are reported after the others, as one aggregate (the list the EagerVisitorList returns last).
The label selector filters objects before the namespace check, which fails one object at a time.
What the API server would refuse (decoding, unknown fields, validation) is kept on the object and
raised when the verb sends it, so it is reported in the object's turn.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import documents


class Item:
    """A document to send; problem is the API server's refusal of it, raised at its turn."""

    __slots__ = ("document", "problem")

    def __init__(self, document, problem: errors.MinikctlError | None):
        self.document, self.problem = document, problem

    def raise_problem(self) -> None:
        if self.problem is not None:
            raise self.problem

    def raise_undecodable(self) -> None:
        """An object the server cannot decode is refused before anything else is looked at."""
        if isinstance(self.problem, errors.APIError) and self.problem.reason == "BadRequest":
            raise self.problem


class Visited:
    """Items and per-object builder errors in visit order, and the reading errors reported last."""

    def __init__(self):
        self.entries: list = []  # Item, or a MinikctlError from a per-object check
        self.read_errors: list[errors.MinikctlError] = []

    @property
    def items(self) -> list[Item]:
        return [entry for entry in self.entries if isinstance(entry, Item)]

    def errors_in_order(self) -> list:
        """The builder's errors as ContinueOnErrorVisitor returns them: the per-object ones, then the
        reading errors as one aggregate (a nested list)."""
        found = [entry for entry in self.entries if not isinstance(entry, Item)]
        if self.read_errors:
            found.append(list(self.read_errors))
        return found


def visit(ctx, parsed, validate: bool = True) -> Visited:
    """Read, filter and check every -f document; validate=False for verbs that send no object (delete)."""
    from minikctl.api.manifests import ManifestError, expand_paths, read_source

    filenames = parsed["filename"]
    if not filenames:
        raise errors.CommandError("must specify one of -f and -k")
    mode = documents.validation_mode(parsed["validate"]) if "validate" in parsed.values else "strict"
    selector = _selector(parsed.get("selector") or "")
    visited = Visited()
    for source in expand_paths(filenames, parsed["recursive"], ctx.env.cwd):
        try:
            for document in read_source(source, ctx.env.stdin, ctx.env.cwd):
                if not _take(ctx, visited, document, mode, selector, validate):
                    break
        except ManifestError as error:
            visited.read_errors.append(error)
    return visited


def _take(ctx, visited: Visited, document, mode: str, selector, validate: bool) -> bool:
    """Check one document into visited; False when the rest of its file is not read."""
    from minikctl.api.validation import SchemaError

    if isinstance(document.obj, dict) and "metadata" in document.obj and document.obj["metadata"] is None:
        del document.obj["metadata"]  # a null field decodes as absent
    found, warnings = _validate(document, mode if validate else "ignore")
    for warning in warnings:
        ctx.env.err(warning + "\n")
    problem = found[0] if found else None
    if isinstance(problem, SchemaError):
        visited.read_errors.append(problem)
        return False
    if problem is not None and not isinstance(problem, errors.APIError):
        visited.read_errors.append(problem)
        return True
    if selector is not None and not _selected(selector, document.obj):
        return True
    try:
        documents.check_namespace_flag(ctx, document.obj)
    except errors.MinikctlError as refused:
        visited.entries.append(refused)
        return True
    visited.entries.append(Item(document, problem if validate else None))
    return True


def _validate(document, mode: str):
    from minikctl.api.validation import validate

    return validate(document, mode)


def _selector(text: str):
    if not text:
        return None
    from minikctl.api import selector_parsing

    try:
        return selector_parsing.parse_label_selector(text)
    except errors.APIError as exc:
        raise errors.CommandError(f'the provided selector "{text}" is not valid: {exc.message}') from None


def _selected(requirements, obj: dict) -> bool:
    from minikctl.core import selectors

    meta = obj.get("metadata")
    return selectors.matches_labels(requirements, meta.get("labels") if isinstance(meta, dict) else None)
