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
        mode = common.dry_run_mode(parsed["dry-run"])
        output = common.output_format(ctx, parsed)
        resources, changes = split_arguments(parsed.args)
        if not changes.set and not changes.remove and not parsed["list"]:
            raise errors.UsageError(f"at least one {self.field[:-1]} update is required", ctx.verb)
        reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
        with ctx.transaction(dry_run=mode != "none") as cluster:
            for target in selection.select(ctx, cluster, resources, parsed, "retrieving"):
                if target.obj is None:
                    reporter.fail(target.not_found())
                else:
                    reporter.attempt(lambda t=target: self.edit(ctx, cluster, t.kind, t.obj, changes, parsed))
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
        listed = ", ".join(f"'{k}' already has a value ({v})" for k, v in clashes)
        raise errors.CommandError(f"--overwrite is false but found the following declared annotation(s): {listed}")

    def outcome(self, changed: bool, changes: Changes) -> str:
        if self.field == "annotations":
            return self.done
        if not changed:
            return f"not {self.done}"
        return self.undone if changes.remove and not changes.set else self.done
