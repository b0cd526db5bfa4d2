"""kubectl wait --for=condition=X|delete|create|jsonpath='{...}'=V (kubernetes/kubectl pkg/cmd/wait/).

Nothing changes while minikctl waits, so a condition is checked once: met -> `condition met`,
not met -> kubectl's timeout error at once (`--timeout=0` gives kubectl's `condition not met`).
"""

from __future__ import annotations

from dataclasses import dataclass

from minikctl import errors
from minikctl.cli import common, selection
from minikctl.cli import flags as f
from minikctl.cli.rollout import timeouts

SUMMARY = "Experimental: Wait for a specific condition on one or many resources."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.SELECTOR_FLAG,
    f.Flag("for", help="The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]."),
    f.Flag("timeout", type=f.DURATION, default="30s", help="The length of time to wait before giving up."),
    f.Flag("all", type=f.BOOL, help="Select all resources in the namespace of the specified resource types"),
    f.Flag("all-namespaces", "A", type=f.BOOL, help="If present, list the requested object(s) across all namespaces."),
    f.Flag("field-selector", help="Selector (field query) to filter on"),
    f.Flag("local", type=f.BOOL, help="Not supported by minikctl"),
]


@dataclass
class Condition:
    """What --for asks; check(obj) -> met?"""
    kind: str  # delete, create, condition, jsonpath
    name: str = ""
    value: str = ""
    template: object = None

    def check(self, obj: dict) -> bool:
        if self.kind == "create":
            return True
        if self.kind == "condition":
            return any(c.get("type", "").lower() == self.name.lower() and c.get("status", "").lower() == self.value.lower()
                       for c in (obj.get("status") or {}).get("conditions") or ())
        return self._jsonpath_met(obj)

    def _jsonpath_met(self, obj: dict) -> bool:
        results = self.template.find_results(obj)
        if not results or not results[0]:
            return False
        if len(results) > 1:
            raise errors.CommandError("given jsonpath expression matches more than one list")
        if len(results[0]) > 1:
            raise errors.CommandError("given jsonpath expression matches more than one value")
        value = results[0][0]
        if isinstance(value, (dict, list)):
            raise errors.CommandError("jsonpath leads to a nested object or list which is not supported")
        return not self.value or _go_text(value).strip() == self.value.strip()


def run(ctx, parsed: f.Parsed) -> int:
    condition = parse_condition(parsed["for"] or "")
    timeout = parsed["timeout"]
    selection.require_something_named(parsed.args, parsed)
    cluster = ctx.read_cluster()
    found = selection.collect(ctx, cluster, parsed.args, parsed, "retrieving")
    if condition.kind == "delete" and not found.found:
        return errors.SUCCESS
    if condition.kind == "create" and found.missing:
        raise _timed_out(found.missing[0].kind, found.missing[0].name, timeout)
    for target in found.missing:
        raise target.not_found()
    if not found.found:
        raise errors.CommandError("no matching resources found")
    for target in found.found:
        ctx.authorize("list", target.kind, target.namespace)  # the watch starts with a LIST by name
        if condition.kind == "delete" or not condition.check(target.obj):
            raise _timed_out(target.kind, target.name, timeout)
        ctx.env.out(f"{target.kind.name_of(target.name)} condition met\n")
    return errors.SUCCESS


def parse_condition(text: str) -> Condition:
    lowered = text.lower()
    if lowered in ("delete", "create"):
        return Condition(lowered)
    if text.startswith("condition="):
        name, _, value = text[len("condition="):].partition("=")
        return Condition("condition", name, value or "true")
    if text.startswith("jsonpath="):
        return _jsonpath_condition(text[len("jsonpath="):])
    raise errors.CommandError(f'unrecognized condition: "{text}"')


def _jsonpath_condition(text: str) -> Condition:
    from minikctl.printers import jsonpath

    parts = _split_on_single_equals(text)
    if len(parts) > 2:
        raise errors.CommandError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
                                  "--for=jsonpath='{.status.readyReplicas}'")
    expression = parts[0].strip()
    if not expression:
        raise errors.CommandError("jsonpath expression cannot be empty")
    if not expression.startswith("{"):
        expression = "{" + expression.removeprefix(".").join([".", ""]) + "}"
    value = parts[1].strip("'\"") if len(parts) == 2 else ""
    if len(parts) == 2 and not value:
        raise errors.CommandError("jsonpath wait has to have a value after equal sign, like "
                                  "--for=jsonpath='{.status.readyReplicas}'=3")
    try:
        return Condition("jsonpath", value=value, template=jsonpath.parse(expression))
    except jsonpath.JSONPathParseError as problem:
        raise errors.CommandError(str(problem)) from None


def _split_on_single_equals(text: str) -> list[str]:
    """Split on `=` but not on `==` (inside a filter)."""
    parts, current, index = [], "", 0
    while index < len(text):
        if text.startswith("==", index):
            current, index = current + "==", index + 2
        elif text[index] == "=":
            parts.append(current)
            current, index = "", index + 1
        else:
            current, index = current + text[index], index + 1
    return parts + [current]


def _go_text(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _timed_out(kind, name: str, timeout: float) -> errors.CommandError:
    if timeout == 0:
        return errors.CommandError(f"condition not met for {kind.plural}.{kind.group}/{name}"
                                   if kind.group else f"condition not met for {kind.plural}/{name}")
    return errors.CommandError(f"{timeouts.TIMED_OUT} on {kind.plural}/{name}")
