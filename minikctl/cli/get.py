"""kubectl get: flags -> options -> validate -> run (kubernetes/kubectl pkg/cmd/get/get.go)."""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import common
from minikctl.cli import flags as f
from minikctl.cli.context import Context
from minikctl.printers.output import OutputFormat, parse_output

SUMMARY = "Display one or many resources."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.SELECTOR_FLAG,
    f.Flag("field-selector", help="Selector (field query) to filter on"),
    f.Flag("all-namespaces", "A", type=f.BOOL, help="List the requested object(s) across all namespaces"),
    f.Flag("show-labels", type=f.BOOL, help="When printing, show all labels as the last column"),
    f.Flag("label-columns", "L", type=f.SLICE, help="Labels to present as columns"),
    f.Flag("no-headers", type=f.BOOL, help="Don't print headers"),
    f.Flag("sort-by", help="Sort list types using this field specification (a JSONPath expression)"),
    f.Flag("ignore-not-found", type=f.BOOL, help="Treat \"resource not found\" as a successful retrieval"),
    f.Flag("show-kind", type=f.BOOL, help="List the resource type for the requested object(s)"),
    f.Flag("watch", "w", type=f.BOOL, help="Not supported by minikctl"),
    f.Flag("chunk-size", type=f.INT, default=500, help="Accepted for compatibility"),
]

NO_TYPE_ERROR = (
    'You must specify the type of resource to get. Use "minikctl api-resources" for a complete list of supported resources.\n\n'
    "error: Required resource not specified.\n"
    'Use "minikctl explain <resource>" for a detailed description of that resource (e.g. minikctl explain pods).\n'
    "See 'minikctl get -h' for help and examples"
)


class GetOptions:
    """Everything `get` was asked for, decoupled from how the flags spell it."""

    def __init__(self, args: list[str], output: OutputFormat, namespace: str, all_namespaces: bool, **rest):
        self.args, self.output, self.namespace, self.all_namespaces = args, output, namespace, all_namespaces
        self.label_selector: str = rest.pop("label_selector", "")
        self.field_selector: str = rest.pop("field_selector", "")
        self.filenames: list[str] = rest.pop("filenames", [])
        self.recursive: bool = rest.pop("recursive", False)
        self.sort_by: str = rest.pop("sort_by", "")
        self.ignore_not_found: bool = rest.pop("ignore_not_found", False)
        self.no_headers: bool = rest.pop("no_headers", False)
        self.show_labels: bool = rest.pop("show_labels", False)
        self.show_kind: bool = rest.pop("show_kind", False)
        self.label_columns: list[str] = rest.pop("label_columns", [])
        self.allow_missing_keys: bool = rest.pop("allow_missing_keys", True)
        if rest:
            raise TypeError(f"unknown get options: {sorted(rest)}")

    @classmethod
    def from_flags(cls, ctx: Context, parsed: f.Parsed) -> "GetOptions":
        return cls(
            args=parsed.args,
            output=parse_output(parsed["output"] or "", parsed["template"] or "", cwd=ctx.env.cwd),
            namespace=ctx.namespace,
            all_namespaces=parsed["all-namespaces"],
            label_selector=parsed["selector"] or "",
            field_selector=parsed["field-selector"] or "",
            filenames=parsed["filename"],
            recursive=parsed["recursive"],
            sort_by=parsed["sort-by"] or "",
            ignore_not_found=parsed["ignore-not-found"],
            no_headers=parsed["no-headers"],
            show_labels=parsed["show-labels"],
            show_kind=parsed["show-kind"],
            label_columns=parsed["label-columns"],
            allow_missing_keys=parsed["allow-missing-template-keys"],
        )

    def validate(self, watch: bool) -> None:
        if watch:
            raise errors.CommandError("--watch is not supported by minikctl: there is no running cluster to watch")
        if not self.args and not self.filenames:
            raise errors.MinikctlError(NO_TYPE_ERROR)


class Found:
    """Objects grouped by kind, the errors met, and whether the caller named exactly one object."""

    def __init__(self, single: bool = False):
        self.groups: list = []  # list[tuple[Kind, list[dict]]]
        self.problems: list = []
        self.single = single

    def objects(self) -> list[dict]:
        return [obj for _, objs in self.groups for obj in objs]


def run(ctx: Context, parsed: f.Parsed) -> int:
    options = GetOptions.from_flags(ctx, parsed)
    options.validate(parsed["watch"])
    return Getter(ctx, options).run()


class Getter:
    def __init__(self, ctx: Context, options: GetOptions):
        self.ctx = ctx
        self.options = options

    def run(self) -> int:
        found = self.collect()
        for problem in found.problems:
            self.ctx.env.err(problem.render() + "\n")
        self.print(found)
        return errors.ERROR if found.problems else errors.SUCCESS

    # -- collect -----------------------------------------------------------------------------
    def collect(self) -> Found:
        from minikctl.api.resolve import parse_arguments

        if self.options.filenames:
            return self.collect_from_files()
        warnings: list[str] = []
        requests = parse_arguments(self.options.args, warnings)
        for warning in warnings:
            self.ctx.env.err(warning + "\n")
        cluster = self.ctx.read_cluster()
        found = Found(single=len(requests) == 1 and len(requests[0].names) == 1 and not self.options.all_namespaces)
        for request in requests:
            if request.names:
                objects = self.named(cluster, request, found)
            else:
                objects = self.listed(cluster, request.kind)
            found.groups.append((request.kind, objects))
        return found

    def named(self, cluster, request, found: Found) -> list[dict]:
        namespace = self.namespace_for(request.kind)
        objects = []
        for name in request.names:
            try:
                self.ctx.authorize("get", request.kind, namespace, name)
            except errors.APIError as refused:
                found.problems.append(refused)
                continue
            obj = cluster.state.lookup(request.kind.key, f"{namespace}/{name}")
            if obj is None:
                if not self.options.ignore_not_found:
                    found.problems.append(errors.not_found(request.kind.qualified, name))
            else:
                objects.append(obj)
        return objects

    def listed(self, cluster, kind) -> list[dict]:
        from minikctl.api import selector_parsing

        objects = self.ctx.listed(cluster, kind, self.options.all_namespaces)
        return selector_parsing.matching(objects, kind, self.options.label_selector, self.options.field_selector)

    def namespace_for(self, kind) -> str:
        return self.ctx.namespace if kind.namespaced else ""

    def collect_from_files(self) -> Found:
        from minikctl.api.manifests import read_sources

        documents = read_sources(self.options.filenames, self.options.recursive, self.ctx.env.stdin, self.ctx.env.cwd)
        found = Found(single=len(documents) == 1)
        for kind, name, obj in looked_up(self.ctx, self.ctx.read_cluster(), documents):
            if obj is None:
                if not self.options.ignore_not_found:
                    found.problems.append(errors.not_found(kind.qualified, name))
                continue
            if found.groups and found.groups[-1][0] == kind:
                found.groups[-1][1].append(obj)
            else:
                found.groups.append((kind, [obj]))
        return found

    # -- print -------------------------------------------------------------------------------
    def print(self, found: Found) -> None:
        if self.options.output.is_table:
            self.print_tables(found)
            return
        objects = found.objects()
        if self.options.sort_by:
            objects = self.sorted(objects)
        fmt = self.options.output
        if fmt.name == "name":
            self.ctx.env.out("".join(_name_line(obj) for obj in objects))
        elif fmt.name.startswith("custom-columns"):
            from minikctl.printers.output import render_custom_columns

            self.ctx.env.out(render_custom_columns(fmt, objects, self.options.no_headers))
        else:
            from minikctl.printers.output import render_document
            from minikctl.printers.serialize import as_list

            if found.single and len(objects) == 1:
                document = objects[0]
            elif found.single and not objects:
                return
            else:
                document = as_list(objects)
            self.ctx.env.out(render_document(fmt, document, self.options.allow_missing_keys))

    def sorted(self, objects: list[dict]) -> list[dict]:
        from minikctl.printers.sorting import sort_objects

        return sort_objects(objects, self.options.sort_by)

    def print_tables(self, found: Found) -> None:
        from minikctl.printers.table_printer import TableOptions, render_tables

        groups = found.groups
        if self.options.sort_by:
            try:
                groups = [(kind, self.sorted(objs)) for kind, objs in groups]
            except errors.CommandError:
                groups = []  # kubectl swallows --sort-by errors in table mode (§3.3), not an unsortable field
        table_options = TableOptions(
            wide=self.options.output.name == "wide",
            all_namespaces=self.options.all_namespaces,
            show_labels=self.options.show_labels,
            label_columns=self.options.label_columns,
            no_headers=self.options.no_headers,
            show_kind=self.options.show_kind,
        )
        text = render_tables(groups, table_options, self.ctx.now)
        self.ctx.env.out(text)
        if not text and not found.problems and not self.options.ignore_not_found:
            self.ctx.env.err(self.no_resources_message(found) + "\n")

    def no_resources_message(self, found: Found) -> str:
        namespaced = any(kind.namespaced for kind, _ in found.groups)
        if self.options.all_namespaces or not namespaced:
            return "No resources found"
        return f"No resources found in {self.ctx.namespace} namespace."


def _name_line(obj: dict) -> str:
    from minikctl.core import kinds

    return kinds.for_object(obj).name_of(obj["metadata"]["name"]) + "\n"


def looked_up(ctx, cluster, documents: list):
    """Each -f document as (kind, name, live object or None), read as get reads: no validation, RBAC get."""
    from minikctl.core import kinds

    for document in documents:
        kind = kinds.for_api_version(document.obj.get("apiVersion", ""), document.obj.get("kind", ""))
        if kind is None:
            raise errors.MinikctlError(_mapping_error(document))
        meta = document.obj.get("metadata") or {}
        namespace = (meta.get("namespace") or ctx.namespace) if kind.namespaced else ""
        ctx.authorize("get", kind, namespace, meta.get("name", ""))
        yield kind, meta.get("name", ""), cluster.state.lookup(kind.key, f"{namespace}/{meta.get('name', '')}")


def _mapping_error(document) -> str:
    obj = document.obj
    meta = obj.get("metadata") or {}
    return (f'resource mapping not found for name: "{meta.get("name", "")}" namespace: "{meta.get("namespace", "")}" '
            f'from "{document.source}": no matches for kind "{obj.get("kind")}" in version "{obj.get("apiVersion")}"\n'
            "ensure CRDs are installed first")
