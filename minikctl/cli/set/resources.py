"""kubectl set resources --limits/--requests [-c CONTAINER] (kubernetes/kubectl pkg/cmd/set/set_resources.go)."""

from __future__ import annotations

import re

from minikctl import errors
from minikctl.cli import selection
from minikctl.cli.set import podspec

# apimachinery pkg/api/resource/quantity.go: the shape ParseQuantity accepts.
QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")


def run(ctx, parsed, args: list[str]) -> int:
    selection.require_something_named(args, parsed)  # set_resources.go Complete builds before Validate
    if not parsed["limits"] and not parsed["requests"]:
        raise errors.CommandError("you must specify an update to requests or limits (in the form of --requests/--limits)")
    limits, requests = _resource_list(parsed["limits"]), _resource_list(parsed["requests"])
    pattern = parsed["containers"]

    def change(kind, obj: dict, reporter) -> str:
        containers = podspec.selected_containers(podspec.pod_spec(kind, obj), pattern)
        if not containers:
            reporter.fail(errors.CommandError(f"unable to find container named {pattern}"))
        for container in containers:
            resources = container.setdefault("resources", {})
            if limits:
                resources.setdefault("limits", {}).update(limits)
            if requests:
                resources.setdefault("requests", {}).update(requests)
        return "resource requirements updated"

    return podspec.run_changes(ctx, parsed, args, change, "failed to patch resources update to pod template ")


def _resource_list(text: str | None) -> dict[str, str]:
    """`cpu=200m,memory=512Mi` (generateversioned.populateResourceListV1)."""
    values: dict[str, str] = {}
    for pair in filter(None, (text or "").split(",")):
        name, equals, value = pair.partition("=")
        if not equals or not name or not value:
            raise errors.CommandError(f"Invalid argument syntax {pair}, expected <resource>=<value>")
        if not QUANTITY.match(value):
            raise errors.CommandError("quantities must match the regular expression "
                                      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        values[name] = value
    return values
