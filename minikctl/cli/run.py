"""kubectl run: create one Pod from an image (kubernetes/kubectl pkg/cmd/run/run.go, generator PodV1).

The Pod is what kubectl's generator sends: label `run: NAME` (or --labels), one container named after
the Pod, arguments after `--` as args (as command with --command), the restart policy and
`dnsPolicy: ClusterFirst`. Attaching (`-i`, `-t`, `--rm`) is not simulated: no container runs.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import common
from minikctl.cli import flags as f
from minikctl.cli.create import store_generated
from minikctl.cli.mutation import Reporter

SUMMARY = "Create and run a particular image in a pod."
FLAGS = common.OUTPUT_FLAGS + [
    common.DRY_RUN_FLAG,
    f.Flag("image", help="The image for the container to run."),
    f.Flag("labels", "l", help="Comma separated labels to apply to the pod(s). Will override previous values."),
    f.Flag("env", type=f.ARRAY, help="Environment variables to set in the container."),
    f.Flag("port", default="", help="The port that this container exposes."),
    f.Flag("restart", default="Always", help="The restart policy for this Pod. Legal values [Always, OnFailure, Never]."),
    f.Flag("command", type=f.BOOL, help="If true and extra arguments are present, use them as the 'command' field"),
    f.Flag("image-pull-policy", help="The image pull policy for the container."),
    f.Flag("annotations", type=f.ARRAY, help="Annotations to apply to the pod."),
    f.Flag("overrides", help="An inline JSON override for the generated object."),
    f.Flag("override-type", default="merge", help="The method used to override the generated object: json, merge, "
                                                  "or strategic."),
    f.Flag("stdin", "i", type=f.BOOL, help="Not simulated: no container runs"),
    f.Flag("tty", "t", type=f.BOOL, help="Not simulated: no container runs"),
    f.Flag("rm", type=f.BOOL, help="Not simulated: no container runs"),
]
RESTART_POLICIES = ("Always", "OnFailure", "Never")


def run(ctx, parsed: f.Parsed) -> int:
    if not parsed.args:  # run.go: no NAME, or `--` before it
        raise errors.UsageError("NAME is required for run", "run")
    if not parsed["image"]:
        raise errors.CommandError('required flag(s) "image" not set')
    if parsed["restart"] not in RESTART_POLICIES:
        raise errors.UsageError(f"invalid restart policy: {parsed['restart']}", "run")
    if parsed["stdin"] or parsed["tty"] or parsed["rm"]:
        raise errors.CommandError("attaching to a pod (-i, -t, --rm) is not simulated by minikctl: no container runs; "
                                  "create the pod, then use `minikctl exec POD -- nslookup|curl|wget ...`")
    mode = common.dry_run_mode(parsed["dry-run"])
    reporter = Reporter(ctx, common.output_format(ctx, parsed), mode, parsed["allow-missing-template-keys"])
    pod = _overridden(pod_for(parsed.args[0], parsed), parsed)
    return store_generated(ctx, reporter, mode, lambda cluster: pod, "")


def _overridden(pod: dict, parsed: f.Parsed) -> dict:
    """--overrides: a patch of the generated Pod, JSON merge patch unless --override-type says otherwise
    (kubernetes/kubectl pkg/cmd/util/override_options.go)."""
    text, kind = parsed["overrides"], parsed["override-type"]
    if kind not in ("json", "merge", "strategic"):
        raise errors.CommandError(f"invalid override type: {kind}")
    if not text:
        return pod
    from minikctl.cli.patch import apply_patch, parse_patch

    return apply_patch(pod, kind, parse_patch(text))


def pod_for(name: str, parsed: f.Parsed) -> dict:
    container: dict = {"image": parsed["image"], "name": name, "resources": {}}
    extra = parsed.args[1:] + list(parsed.after_dash or [])  # cobra hands run.go both as args[1:]
    if extra:
        container["command" if parsed["command"] else "args"] = extra
    if parsed["env"]:
        container["env"] = [_env_var(text) for text in parsed["env"]]
    if parsed["port"]:
        container["ports"] = [{"containerPort": _port(parsed["port"])}]
    if parsed["image-pull-policy"]:
        container["imagePullPolicy"] = parsed["image-pull-policy"]
    meta: dict = {"creationTimestamp": None, "labels": _labels(name, parsed["labels"] or ""), "name": name}
    if parsed["annotations"]:
        meta["annotations"] = dict(_pair(text) for text in parsed["annotations"])
    spec = {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": parsed["restart"]}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": {}}


def _labels(name: str, text: str) -> dict:
    if not text:
        return {"run": name}
    return dict(_pair(part) for part in text.split(","))


def _pair(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise errors.CommandError(f"invalid label spec: {text}")
    return key, value


def _env_var(text: str) -> dict:
    key, equals, value = text.partition("=")
    if not equals:
        raise errors.CommandError(f"invalid env: {text}")
    return {"name": key, "value": value}


def _port(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise errors.CommandError(f'strconv.Atoi: parsing "{text}": invalid syntax') from None
