"""kubectl set env RESOURCE KEY=VAL KEY- [--from=configmap/NAME|secret/NAME] [--list]
(kubernetes/kubectl pkg/cmd/set/set_env.go, pkg/cmd/set/env/env_parse.go, env_resolve.go)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minikctl import errors
from minikctl.cli.set import podspec

ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
NOT_ENV_CHARACTER = re.compile(r"[^A-Za-z0-9_]")


@dataclass
class EnvChanges:
    set: list[dict] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)


def run(ctx, parsed, args: list[str]) -> int:
    if parsed["list"] and parsed["output"]:
        raise errors.CommandError("--list and --output may not be specified together")
    if parsed["keys"] and not parsed["from"]:
        raise errors.CommandError("when specifying --keys, a configmap or secret must be provided with --from")
    resources, env_args = _split(args)
    changes = parse_env(parsed["env"] + env_args)
    if parsed["from"]:
        changes.set += _from_source(ctx, parsed)
    if parsed["prefix"]:
        for variable in changes.set:
            variable["name"] = parsed["prefix"] + variable["name"]
    if parsed["list"]:
        return _list(ctx, parsed, resources, changes)
    return podspec.run_changes(ctx, parsed, resources, _changer(ctx, parsed, changes),
                               "failed to patch env update to pod template: ")


def _split(args: list[str]) -> tuple[list[str], list[str]]:
    """Resources first, then environment arguments (SplitEnvironmentFromResources)."""
    resources, env_args = [], []
    for arg in args:
        if "=" in arg or arg.endswith("-"):
            env_args.append(arg)
        elif env_args:
            raise errors.CommandError(f"all resources must be specified before environment changes: {' '.join(args)}")
        else:
            resources.append(arg)
    return resources, env_args


def parse_env(specs: list[str]) -> EnvChanges:
    changes = EnvChanges()
    for spec in specs:
        if "=" in spec:
            name, _, value = spec.partition("=")
            if not ENV_NAME.match(name):
                raise errors.CommandError(
                    f'"{name}" is not a valid key name: a valid environment variable name must consist of alphabetic '
                    "characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  "
                    "or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
            changes.set.append({"name": name, "value": value})
        elif spec.endswith("-"):
            changes.remove.append(spec[:-1])
        else:
            raise errors.CommandError(f"unknown environment variable: {spec}")
    if set(changes.remove) & {v["name"] for v in changes.set}:
        raise errors.CommandError("can not both modify and remove the same environment variable in the same command")
    return changes


def _from_source(ctx, parsed) -> list[dict]:
    """One variable per key of the ConfigMap or Secret, referencing it (sorted keys)."""
    from minikctl.api.resolve import parse_arguments
    from minikctl.cli.selection import fetch

    requests = parse_arguments([parsed["from"]])
    cluster = ctx.read_cluster()
    variables = []
    for request in requests:
        for name in request.names:
            source = fetch(ctx, cluster, request.kind, ctx.namespace, name)
            if source is None:
                raise errors.not_found(request.kind.qualified, name)
            if request.kind.key not in ("configmaps", "secrets"):
                raise errors.CommandError("unsupported resource specified in --from")
            reference = "configMapKeyRef" if request.kind.key == "configmaps" else "secretKeyRef"
            for key in sorted(source.get("data") or {}):
                if not parsed["keys"] or key in parsed["keys"]:
                    variables.append({"name": _env_name(ctx, key),
                                      "valueFrom": {reference: {"key": key, "name": name}}})
    return variables


def _env_name(ctx, key: str) -> str:
    name = NOT_ENV_CHARACTER.sub("_", key).upper()
    if name != key:
        ctx.env.err(f"Warning: key {key} transferred to {name}\n")
    return name


def _changer(ctx, parsed, changes: EnvChanges):
    def change(kind, obj: dict, reporter) -> str:
        containers = podspec.selected_containers(podspec.pod_spec(kind, obj), parsed["containers"])
        if not containers:
            ctx.env.err(f'Warning: {kind.kind}/{obj["metadata"]["name"]} does not have any containers matching '
                        f'"{parsed["containers"]}"\n')
        for container in containers:
            if not parsed["overwrite"]:
                _refuse_overwrite(container.get("env") or [], changes.set)
            updated = updated_env(container.get("env") or [], changes)
            if updated:
                container["env"] = updated
            else:
                container.pop("env", None)
        return "env updated"
    return change


def _refuse_overwrite(existing: list[dict], wanted: list[dict]) -> None:
    for variable in wanted:
        current = next((e for e in existing if e.get("name") == variable["name"]), None)
        if current is not None and current.get("value", "") != variable.get("value", ""):
            raise errors.CommandError(f"'{current['name']}' already has a value ({current.get('value', '')}), "
                                      "and --overwrite is false")


def updated_env(existing: list[dict], changes: EnvChanges) -> list[dict]:
    """Existing variables in place (replaced or removed), then the new ones (set_env.go updateEnv)."""
    wanted = {variable["name"]: variable for variable in changes.set}
    covered = set(changes.remove)
    result = []
    for variable in existing:
        name = variable.get("name")
        if name in covered:
            continue
        if name in wanted:
            covered.add(name)
            result.append(wanted[name])
        else:
            result.append(variable)
    for variable in changes.set:
        if variable["name"] not in covered:
            covered.add(variable["name"])
            result.append(variable)
    return result


def _list(ctx, parsed, resources: list[str], changes: EnvChanges) -> int:
    """`# Kind name, container c` then KEY=VALUE lines (references as comments)."""
    from minikctl.cli import selection

    found = selection.collect(ctx, ctx.read_cluster(), resources, parsed, "retrieving")
    for target in found.missing:
        raise target.not_found()
    for target in found.found:
        spec = podspec.pod_spec(target.kind, target.obj)
        for container in podspec.selected_containers(spec, parsed["containers"]):
            ctx.env.out(f"# {target.kind.kind} {target.name}, container {container.get('name', '')}\n")
            for variable in updated_env(container.get("env") or [], changes):
                ctx.env.out(_listed(variable))
    return errors.SUCCESS


def _listed(variable: dict) -> str:
    source = variable.get("valueFrom")
    if source is None:
        return f"{variable['name']}={variable.get('value', '')}\n"
    return f"# {variable['name']} from {_reference(source)}\n"


def _reference(source: dict) -> str:
    """envutil.GetEnvVarRefString."""
    if "configMapKeyRef" in source:
        return f"configmap {source['configMapKeyRef'].get('name', '')}, key {source['configMapKeyRef'].get('key', '')}"
    if "secretKeyRef" in source:
        return f"secret {source['secretKeyRef'].get('name', '')}, key {source['secretKeyRef'].get('key', '')}"
    if "fieldRef" in source:
        return f"field path {source['fieldRef'].get('fieldPath', '')}"
    if "resourceFieldRef" in source:
        ref = source["resourceFieldRef"]
        prefix = f"{ref['containerName']}/" if ref.get("containerName") else ""
        return f"resource field {prefix}{ref.get('resource', '')}"
    return "invalid source"
