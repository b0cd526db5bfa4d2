"""kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json] (kubernetes/kubectl pkg/cmd/patch/patch.go).

The patched object goes through the API server's write path (defaults, validation, admission), so
a patch that produces an invalid object is refused and nothing is stored.
"""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.api import merge, server
from minikctl.cli import common
from minikctl.cli import flags as f
from minikctl.cli import selection
from minikctl.cli.mutation import Reporter, authorize_patch

SUMMARY = "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.DRY_RUN_FLAG,
    f.Flag("patch", "p", help="The patch to be applied to the resource JSON file."),
    f.Flag("patch-file", help="A file containing a patch to be applied to the resource."),
    f.Flag("type", default="strategic", help="The type of patch being provided; one of [json merge strategic]"),
    f.Flag("local", type=f.BOOL, help="Not supported by minikctl"),
    f.Flag("subresource", help="Not supported by minikctl"),
    f.Flag("field-manager", default="kubectl-patch", help="Name of the manager used to track field ownership."),
]
PATCH_TYPES = ("json", "merge", "strategic")


def run(ctx, parsed: f.Parsed) -> int:
    patch_type = _patch_type(parsed)
    text = _patch_text(ctx, parsed)
    patch = parse_patch(text)
    mode = common.dry_run_mode(parsed["dry-run"])
    output = common.output_format(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    with ctx.transaction(dry_run=mode != "none") as cluster:
        found = selection.collect(ctx, cluster, parsed.args, parsed, "patching")
        if not found.found and not found.missing:
            raise errors.CommandError("no objects passed to patch")
        for target in found.missing:
            reporter.fail(target.not_found())
        for target in found.found:
            reporter.attempt(lambda t=target: _patch_one(ctx, cluster, t.kind, t.obj, patch_type, patch))
    return reporter.finish()


def _patch_type(parsed) -> str:
    if parsed["patch"] and parsed["patch-file"]:
        raise errors.CommandError("cannot specify --patch and --patch-file together")
    if not parsed["patch"] and not parsed["patch-file"]:
        raise errors.CommandError("must specify --patch or --patch-file containing the contents of the patch")
    if parsed["local"]:
        raise errors.CommandError("--local is not supported by minikctl: it patches objects in its state file")
    if parsed["type"].lower() not in PATCH_TYPES:
        raise errors.CommandError(f'--type must be one of [json merge strategic], not "{parsed["type"]}"')
    return parsed["type"].lower()


def _patch_text(ctx, parsed) -> str:
    if parsed["patch"]:
        return parsed["patch"]
    path = ctx.env.resolve_path(parsed["patch-file"])
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        raise errors.CommandError(f"unable to read patch file: open {parsed['patch-file']}: "
                                  "no such file or directory") from None


def parse_patch(text: str):
    """The patch read as YAML, of which JSON is a subset (sigs.k8s.io/yaml ToJSON), with go-yaml's wording."""
    import yaml

    from minikctl.api.manifests import go_yaml_message

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as problem:
        raise errors.CommandError(f'unable to parse "{text}": {go_yaml_message(problem, text)}') from None


def _patch_one(ctx, cluster, kind, obj: dict, patch_type: str, patch) -> tuple[dict, str]:
    authorize_patch(ctx, kind, obj)
    patched = apply_patch(obj, patch_type, patch)
    for field in ("apiVersion", "kind"):
        patched[field] = obj[field]
    check_valid(patched)
    changed = server.update(cluster, patched) if patched != obj else False
    return patched, "patched" if changed else "patched (no change)"


def apply_patch(obj: dict, patch_type: str, patch) -> dict:
    if patch_type == "json":
        try:
            return merge.json_patch(obj, patch)
        except merge.JSONPatchError as problem:
            # apiserver answers 422 with the library's message as a cause (unverified wording).
            raise errors.MinikctlError(f'The  "" is invalid: : {problem}') from None
    if not isinstance(patch, dict):
        raise errors.bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
    if patch_type == "merge":
        return merge.json_merge(copy.deepcopy(obj), patch)
    return merge.strategic_merge(copy.deepcopy(obj), patch)


def check_valid(obj: dict) -> None:
    """Validate the would-be object like a write of it (validation.py); raise the first problem."""
    from minikctl.api.manifests import Document
    from minikctl.api.validation import validate

    problems, _ = validate(Document("patch", obj), "strict")
    if problems:
        raise problems[0]
