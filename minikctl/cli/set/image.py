"""kubectl set image RESOURCE CONTAINER=IMAGE... (kubernetes/kubectl pkg/cmd/set/set_image.go)."""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import selection
from minikctl.cli.set import podspec


def run(ctx, parsed, args: list[str]) -> int:
    resources, images = split_pairs(args, "image")
    selection.require_something_named(resources, parsed)  # set_image.go Complete builds before Validate
    if not images:
        raise errors.CommandError("at least one image update is required")
    if len(images) > 1 and "*" in images:
        raise errors.CommandError("all containers are already specified by *, but saw more than one "
                                  "container_name=container_image pairs")

    def change(kind, obj: dict, reporter) -> str:
        spec = podspec.pod_spec(kind, obj)
        for name, image in images.items():
            if not _set_image(spec, name, image):
                reporter.fail(errors.CommandError(f'unable to find container named "{name}"'))
        return "image updated"

    return podspec.run_changes(ctx, parsed, resources, change, "failed to patch image update to pod template: ")


def split_pairs(args: list[str], pair_type: str) -> tuple[list[str], dict[str, str]]:
    """Resources first, then NAME=VALUE pairs (cmdutil.GetResourcesAndPairs)."""
    resources, pairs = [], {}
    for arg in args:
        if "=" in arg:
            name, _, value = arg.partition("=")
            if not name or not value:
                raise errors.CommandError(f"invalid {pair_type} format: {arg}")
            pairs[name] = value
        elif pairs:
            raise errors.CommandError(f"all resources must be specified before {pair_type} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def _set_image(spec: dict, name: str, image: str) -> bool:
    found = False
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        if name in ("*", container.get("name")):
            container["image"] = image
            found = True
    return found
