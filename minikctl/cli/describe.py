"""kubectl describe: flags -> options -> run (kubernetes/kubectl pkg/cmd/describe/describe.go).

Descriptions are separated by two empty lines; `describe TYPE NAME` for a missing NAME falls back
to describing every object whose name starts with NAME (../shared/reference/kubectl-cli.md §9.1).
Arguments are resolved by cli/selection.py; `-f` files are read as get reads them (no validation).
A refused list of events leaves the Events section out, as kubectl's describers ignore that error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minikctl import errors
from minikctl.cli import common
from minikctl.cli import flags as f
from minikctl.cli.context import Context

SUMMARY = "Show details of a specific resource or group of resources."
FLAGS = common.FILENAME_FLAGS + [
    common.SELECTOR_FLAG,
    f.Flag("all-namespaces", "A", type=f.BOOL, help="List the requested object(s) across all namespaces"),
    f.Flag("show-events", type=f.BOOL, default=True, help="If true, display events related to the described object"),
    f.Flag("chunk-size", type=f.INT, default=500, help="Accepted for compatibility"),
]
NO_TYPE_ERROR = ('You must specify the type of resource to describe. Use "minikctl api-resources" for a complete list '
                 "of supported resources.")


@dataclass
class DescribeOptions:
    args: list[str]
    namespace: str
    all_namespaces: bool
    show_events: bool
    label_selector: str = ""
    filenames: list[str] = field(default_factory=list)
    recursive: bool = False

    @classmethod
    def from_flags(cls, ctx: Context, parsed: f.Parsed) -> "DescribeOptions":
        return cls(args=parsed.args, namespace=ctx.namespace, all_namespaces=parsed["all-namespaces"],
                   show_events=parsed["show-events"], label_selector=parsed["selector"] or "",
                   filenames=parsed["filename"], recursive=parsed["recursive"])

    def validate(self) -> None:
        if not self.args and not self.filenames:
            raise errors.CommandError(NO_TYPE_ERROR)


@dataclass
class Found:
    """(kind, object) pairs in the order they are described, and the errors met on the way."""

    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def run(ctx: Context, parsed: f.Parsed) -> int:
    options = DescribeOptions.from_flags(ctx, parsed)
    options.validate()
    return Describer(ctx, options).run()


class Describer:
    def __init__(self, ctx: Context, options: DescribeOptions):
        self.ctx = ctx
        self.options = options
        self.cluster = ctx.read_cluster()

    def run(self) -> int:
        found = self.collect_from_files() if self.options.filenames else self.collect()
        if self.is_single_miss(found):
            return self.describe_name_prefix(found)
        self.ctx.env.out("\n\n".join(self.describe(kind, obj) for kind, obj in found.items))
        for problem in found.problems:
            self.ctx.env.err(problem.render() + "\n")
        if not found.items and not found.problems:
            self.ctx.env.err(self.no_resources_message() + "\n")
        return errors.ERROR if found.problems else errors.SUCCESS

    def describe(self, kind, obj: dict) -> str:
        from minikctl.printers.describe import describe
        from minikctl.printers.describe.engine import Settings

        show_events = self.options.show_events and self.may_list_events(obj["metadata"].get("namespace", ""))
        return describe(kind.key, obj, Settings(self.cluster, self.ctx.now, show_events))

    def may_list_events(self, namespace: str) -> bool:
        from minikctl.core import kinds

        try:
            self.ctx.authorize("list", kinds.for_key("events"), namespace)
        except errors.APIError:
            return False
        return True

    # -- collect -----------------------------------------------------------------------------
    def collect(self) -> Found:
        from minikctl.api.resolve import parse_arguments
        from minikctl.cli import selection

        warnings: list[str] = []
        parse_arguments(self.options.args, warnings)  # kubectl warns once, before any request
        for warning in warnings:
            self.ctx.env.err(warning + "\n")
        found = Found()
        for target in selection.select(self.ctx, self.cluster, self.options.args, self.ctx.parsed, "describing",
                                       whole_kind=True):
            if target.obj is None:
                found.problems.append(target.not_found())
            else:
                found.items.append((target.kind, target.obj))
        return found

    def collect_from_files(self) -> Found:
        from minikctl.api.manifests import read_sources
        from minikctl.cli.get import looked_up

        documents = read_sources(self.options.filenames, self.options.recursive, self.ctx.env.stdin, self.ctx.env.cwd)
        found = Found()
        for kind, name, obj in looked_up(self.ctx, self.cluster, documents):
            if obj is None:
                found.problems.append(errors.not_found(kind.qualified, name))
            else:
                found.items.append((kind, obj))
        return found

    # -- TYPE NAME_PREFIX ----------------------------------------------------------------------
    def is_single_miss(self, found: Found) -> bool:
        """kubectl retries `describe TYPE NAME` (exactly two arguments) as a name prefix when NAME is missing."""
        return (not self.options.filenames and len(self.options.args) == 2 and "/" not in self.options.args[0]
                and len(found.problems) == 1 and found.problems[0].reason == "NotFound")

    def describe_name_prefix(self, found: Found) -> int:
        from minikctl.api.resolve import resolve_type

        kind = resolve_type(self.options.args[0])[0]
        prefix = self.options.args[1]
        matches = [obj for obj in self.ctx.listed(self.cluster, kind) if obj["metadata"]["name"].startswith(prefix)]
        if not matches:
            self.ctx.env.err(found.problems[0].render() + "\n")
            return errors.ERROR
        self.ctx.env.out("".join(self.describe(kind, obj) + "\n" for obj in matches))
        return errors.SUCCESS

    def no_resources_message(self) -> str:
        if self.options.all_namespaces:
            return "No resources found"
        return f"No resources found in {self.ctx.namespace} namespace."
