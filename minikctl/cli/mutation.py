"""Mutating commands: the PATCH they are allowed to send, and reporting the outcome (`KIND/NAME verb`
lines, -o printing, errors)."""

from __future__ import annotations

from typing import Callable

from minikctl import errors
from minikctl.core import kinds
from minikctl.cli.common import dry_run_suffix
from minikctl.printers.output import OutputFormat


class Reporter:
    """Prints each success as it happens; collects failures for the end (kubectl's partial failure rules)."""

    def __init__(self, ctx, output: OutputFormat, dry_run: str = "none", allow_missing_keys: bool = True):
        self.ctx = ctx
        self.output = output
        self.dry_run = dry_run
        self.allow_missing_keys = allow_missing_keys
        self.failures: list[errors.MinikctlError] = []
        self.printed_documents = 0
        self.separate_documents = True  # `---` between YAML documents

    def attempt(self, action: Callable[[], tuple[dict, str]], source: str = "", verb: str = "") -> None:
        try:
            obj, operation = action()
        except errors.APIError as exc:
            self.failures.append(exc.with_source(verb, source) if source else exc)
            return
        except errors.MinikctlError as exc:
            self.failures.append(exc)
            return
        self.success(obj, operation)

    def success(self, obj: dict, operation: str) -> None:
        self.ctx.flush_warnings()
        name = obj["metadata"].get("name", "")
        if not self.output.name:
            self.ctx.env.out(f"{_name_of(obj, name)} {operation}{dry_run_suffix(self.dry_run)}\n")
        elif self.output.name == "name":
            self.ctx.env.out(_name_of(obj, name) + "\n")
        else:
            from minikctl.printers.output import render_document

            if self.output.name == "yaml" and self.printed_documents and self.separate_documents:
                self.ctx.env.out("---\n")
            self.ctx.env.out(render_document(self.output, obj, self.allow_missing_keys))
            self.printed_documents += 1

    def fail(self, problem) -> None:
        """A failure in its turn: an error, or a list for an aggregate."""
        self.failures.append(problem)

    def finish(self) -> int:
        self.ctx.env.err(errors.render_all(self.failures))
        return errors.ERROR if self.failures else errors.SUCCESS


def run_visited(reporter: Reporter, visited, action, verb: str) -> None:
    """create, replace: each entry in turn, failures in visit order, the reading errors last
    (cli-runtime ContinueOnErrorVisitor appends the EagerVisitorList's aggregate after its own)."""
    for entry in visited.entries:
        if isinstance(entry, errors.MinikctlError):
            reporter.fail(entry)
        else:
            reporter.attempt(lambda item=entry: action(item), entry.document.source, verb)
    if visited.read_errors:
        reporter.fail(list(visited.read_errors))


def _name_of(obj: dict, name: str) -> str:
    """`kind.group/name`, also for a kind this cluster does not serve (a client dry run prints it)."""
    kind = kinds.for_api_version(obj.get("apiVersion", ""), obj.get("kind", ""))
    if kind is not None:
        return kind.name_of(name)
    group = obj.get("apiVersion", "").rpartition("/")[0]
    return f"{obj.get('kind', '').lower()}{'.' + group if group else ''}/{name}"


def authorize_patch(ctx, kind, obj: dict) -> None:
    """The write that patch, set, rollout and edit send is a PATCH of the object."""
    ctx.authorize("patch", kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
