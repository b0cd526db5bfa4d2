"""What `label` and `annotate` share: KEY=VALUE / KEY- arguments applied to objects' metadata."""

from __future__ import annotations

from dataclasses import dataclass

from minikctl import errors
from minikctl.cli import common, selection
from minikctl.cli import flags as f
from minikctl.cli.mutation import Reporter

FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.SELECTOR_FLAG,
    common.DRY_RUN_FLAG,
    f.Flag("overwrite", type=f.BOOL, help="If true, allow existing values to be overwritten"),
    f.Flag("all", type=f.BOOL, help="Select all resources, in the namespace of the specified resource types"),
    f.Flag("all-namespaces", "A", type=f.BOOL, help="If true, check the specified action in all namespaces"),
    f.Flag("local", type=f.BOOL, help="If true, will NOT contact the api-server but run locally"),
    f.Flag("list", type=f.BOOL, help="If true, display the labels/annotations for a given resource"),
    f.Flag("field-selector", help="Selector (field query) to filter on"),
    f.Flag("resource-version", help="Only update if the object's resourceVersion matches"),
]


@dataclass
class Changes:
    set: dict[str, str]
    remove: list[str]


def split_arguments(args: list[str]) -> tuple[list[str], Changes]:
    resources, changes = [], Changes({}, [])
    for arg in args:
        if "=" in arg:
            key, _, value = arg.partition("=")
            changes.set[key] = value
        elif arg.endswith("-") and len(arg) > 1:  # object names never end in "-"; keys may hold "/"
            changes.remove.append(arg[:-1])
        else:
            resources.append(arg)
    return resources, changes


class MetadataEditor:
    """field is "labels" or "annotations"; words are the messages' verbs."""

    def __init__(self, field: str, done: str, undone: str):
        self.field, self.done, self.undone = field, done, undone

    def run(self, ctx, parsed: f.Parsed) -> int:
        resources, changes = split_arguments(parsed.args)
        both = [key for key in changes.remove if key in changes.set]
        if both and self.field == "labels":  # label.go Complete (parseLabels)
            raise errors.CommandError("can not both modify and remove a label in the same command")
        mode = common.dry_run_mode(parsed["dry-run"])
        output = common.output_format(ctx, parsed)
        self.validate(parsed, mode, resources, changes)
        if both:  # annotate.go Validate (validateAnnotations)
            raise errors.CommandError("can not both modify and remove the following annotation(s) in the same "
                                      "command: " + ", ".join(both))
        reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
        # label.go makes a new printer per object, so its YAML documents come without `---`; annotate.go one
        reporter.separate_documents = self.field == "annotations"
        if parsed["local"]:
            return self.run_local(ctx, parsed, resources, changes, reporter)
        with ctx.transaction(dry_run=mode != "none") as cluster:
            for target in selection.select(ctx, cluster, resources, parsed, "retrieving"):
                if target.obj is None:
                    reporter.fail(target.not_found())
                else:
                    reporter.attempt(lambda t=target: self.edit(ctx, cluster, t.kind, t.obj, changes, parsed))
        return reporter.finish()

    def validate(self, parsed, mode: str, resources: list[str], changes: Changes) -> None:
        """label.go / annotate.go Validate, in their order; plain errors, without the usage hint."""
        if parsed["all"] and parsed["selector"]:
            raise errors.CommandError("cannot set --all and --selector at the same time")
        if parsed["local"] and mode == "server":
            raise errors.CommandError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
        if not resources and not parsed["filename"]:
            raise errors.CommandError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
        if not changes.set and not changes.remove and not parsed["list"]:
            raise errors.CommandError(f"at least one {self.field[:-1]} update is required")

    def run_local(self, ctx, parsed, resources: list[str], changes: Changes, reporter: Reporter) -> int:
        """--local: the -f objects changed as read (no defaults, no server fields) and printed, nothing stored."""
        import copy

        from minikctl.api.manifests import read_sources

        if resources:
            raise errors.CommandError("can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set")
        for document in read_sources(parsed["filename"], parsed["recursive"], ctx.env.stdin, ctx.env.cwd):
            def change(obj=document.obj):
                updated = copy.deepcopy(obj)
                values = updated.setdefault("metadata", {}).get(self.field) or {}
                updated["metadata"][self.field] = values  # kept even when emptied: `labels: {}`
                self.check_overwrite(values, changes, parsed["overwrite"])
                for key in changes.remove:
                    values.pop(key, None)
                values.update(changes.set)
                return updated, self.outcome(updated != obj, changes)
            reporter.attempt(change)
        return reporter.finish()

    def edit(self, ctx, cluster, kind, obj, changes: Changes, parsed) -> tuple[dict, str]:
        import copy

        ctx.authorize("patch", kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
        wanted = parsed["resource-version"]
        if wanted and wanted != obj["metadata"].get("resourceVersion"):
            raise errors.conflict(kind.qualified, obj["metadata"]["name"])
        updated = copy.deepcopy(obj)
        values = updated["metadata"].setdefault(self.field, {})
        self.check_overwrite(values, changes, parsed["overwrite"])
        for key in changes.remove:
            if key in values:
                del values[key]
            elif self.field == "labels":
                ctx.env.out(f'label "{key}" not found.\n')
        values.update(changes.set)
        if not values:
            del updated["metadata"][self.field]
        from minikctl.api import server

        changed = server.update(cluster, updated)
        return updated, self.outcome(changed, changes)

    def check_overwrite(self, values: dict, changes: Changes, overwrite: bool) -> None:
        if overwrite:
            return
        clashes = [(k, values[k]) for k, v in changes.set.items() if k in values and values[k] != v]
        if not clashes:
            return
        if self.field == "labels":
            key, value = clashes[0]
            raise errors.CommandError(f"'{key}' already has a value ({value}), and --overwrite is false")
        listed = "; ".join(f"'{k}' already has a value ({v})" for k, v in clashes)  # annotate.go
        raise errors.CommandError(f"--overwrite is false but found the following declared annotation(s): {listed}")

    def outcome(self, changed: bool, changes: Changes) -> str:
        if self.field == "annotations":
            return self.done
        if not changed:
            return f"not {self.done}"
        return self.undone if changes.remove and not changes.set else self.done
