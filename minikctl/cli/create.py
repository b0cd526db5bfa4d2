"""kubectl create: from files, or from a generator subcommand (kubernetes/kubectl pkg/cmd/create/*.go).

Generated objects are exactly what `kubectl create ... --dry-run=client -o yaml` prints.
"""

from __future__ import annotations

import base64
import os

from minikctl import errors
from minikctl.api import server
from minikctl.core import kinds
from minikctl.cli import common, documents
from minikctl.cli import flags as f
from minikctl.cli.mutation import Reporter

SUMMARY = "Create a resource from a file or from stdin, or with a generator subcommand."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.DRY_RUN_FLAG,
    documents.VALIDATE_FLAG,
    common.SELECTOR_FLAG,
    f.Flag("save-config", type=f.BOOL, help="Save the object's configuration in the last-applied annotation"),
    f.Flag("edit", type=f.BOOL, help="Not supported by minikctl"),
    f.Flag("field-manager", default="kubectl-create", help="Name of the manager used to track field ownership"),
    f.Flag("from-literal", type=f.ARRAY, help="Specify a key and literal value to insert (i.e. mykey=somevalue)"),
    f.Flag("from-file", type=f.SLICE, help="Key files can be specified using their file path"),
    f.Flag("from-env-file", type=f.ARRAY, help="Specify the path to a file to read lines of key=val pairs"),
    f.Flag("type", help="The type of secret to create"),
    f.Flag("image", type=f.ARRAY, help="Image names to run"),
    f.Flag("replicas", "r", type=f.INT, default=1, help="Number of replicas to create"),
    f.Flag("port", type=f.INT, default=-1, help="The containerPort that this deployment exposes"),
    f.Flag("from", help="The name of the resource to create a Job from (only cronjob is supported)"),
    f.Flag("tcp", type=f.SLICE, help="Port pairs can be specified as '<port>:<targetPort>'"),
    f.Flag("node-port", type=f.INT, default=0, help="Port used to expose the service on each node in a cluster"),
    f.Flag("clusterip", help="Assign your own ClusterIP or set to 'None' for a 'headless' service"),
    f.Flag("external-name", help="External name of service"),
]

GENERATORS = ("namespace", "ns", "configmap", "cm", "secret", "deployment", "deploy", "job", "service", "svc",
              "serviceaccount", "sa")
CANONICAL = {"ns": "namespace", "cm": "configmap", "deploy": "deployment", "svc": "service", "sa": "serviceaccount"}
SERVICE_TYPES = ("clusterip", "nodeport", "loadbalancer", "externalname")
# What `kubectl create service` prints bare (kubernetes/kubectl pkg/cmd/create/create_service.go), on stderr.
SERVICE_HELP = (
    'Create a service using a specified subcommand.\n'
    '\n'
    'Aliases:\n'
    'service, svc\n'
    '\n'
    'Available Commands:\n'
    '  clusterip      Create a ClusterIP service\n'
    '  externalname   Create an ExternalName service\n'
    '  loadbalancer   Create a LoadBalancer service\n'
    '  nodeport       Create a NodePort service\n'
    '\n'
    'Usage:\n'
    '  minikctl create service [flags] [options]\n'
    '\n'
    'Use "minikctl create service <command> --help" for more information about a given command.\n'
    'Use "minikctl options" for a list of global command-line options (applies to all commands).\n'
)
# `kubectl create secret` bare prints its help on stderr and exits 1; minikctl's names the one generator it has.
SECRET_HELP = ("Create a secret with specified type.\n\nAvailable Commands:\n"
               "  generic           Create a secret from a local file, directory, or literal value\n\n"
               "Usage:\n  minikctl create secret (generic) [options]\n")


def command_path(args: list[str]) -> str:
    """The generator cobra names in flag errors: `create deploy --bogus` points at `create deployment`."""
    if not args or args[0] not in GENERATORS:
        return "create"
    name = CANONICAL.get(args[0], args[0])
    if name == "secret" and args[1:2] == ["generic"] or name == "service" and args[1:2] and args[1] in SERVICE_TYPES:
        return f"create {name} {args[1]}"
    return f"create {name}"


def run(ctx, parsed: f.Parsed) -> int:
    mode = common.dry_run_mode(parsed["dry-run"])
    output = common.output_format(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    if parsed.args:
        return _run_generator(ctx, parsed, reporter, mode)
    from minikctl.cli.builder import visit
    from minikctl.cli.mutation import run_visited

    visited = visit(ctx, parsed)
    with ctx.transaction(dry_run=mode != "none") as cluster:
        run_visited(reporter, visited, lambda item: _create_item(ctx, cluster, item, mode, parsed["save-config"]),
                    "creating")
    # kubernetes/kubectl pkg/cmd/create/create.go RunCreate: nothing created and nothing failed
    if not visited.items and not reporter.failures:
        raise errors.CommandError("no objects passed to create")
    return reporter.finish()


def _create_item(ctx, cluster, item, mode: str, save_config: bool) -> tuple[dict, str]:
    import copy

    item.raise_undecodable()
    obj = copy.deepcopy(item.document.obj)
    kind = kinds.for_object(obj)
    namespace = server.namespace_of(kind, obj, ctx.namespace)
    if save_config:
        _save_config(obj, namespace, kind)
    if mode == "client":
        return obj, "created"
    ctx.authorize("create", kind, namespace)
    item.raise_problem()
    return server.create(cluster, obj, namespace), "created"


def _save_config(obj: dict, namespace: str, kind) -> None:
    from minikctl.api import merge

    if kind.namespaced:
        obj.setdefault("metadata", {})["namespace"] = namespace
    obj.setdefault("metadata", {}).setdefault("annotations", {})[merge.LAST_APPLIED] = merge.last_applied_annotation(obj)


# -- generators ----------------------------------------------------------------------------------
def _run_generator(ctx, parsed, reporter: Reporter, mode: str) -> int:
    subcommand, args = parsed.args[0], parsed.args[1:]
    if subcommand not in GENERATORS:  # create.go RunCreate: arguments without a generator
        raise errors.UsageError(f"Unexpected args: [{' '.join(parsed.args)}]", "create")
    if subcommand == "secret":
        if not args:
            return common.no_subcommand(ctx, SECRET_HELP)
        if args[0] != "generic":
            raise common.unknown_subcommand("create secret", args)
        args = args[1:]
    if subcommand == "service" or subcommand == "svc":
        return _create_service(ctx, parsed, args, reporter, mode)
    if len(args) != 1:
        raise errors.UsageError("exactly one NAME is required, got " + str(len(args)), command_path(parsed.args))
    builder = {
        "namespace": _namespace, "ns": _namespace, "configmap": _configmap, "cm": _configmap,
        "secret": _secret, "deployment": _deployment, "deploy": _deployment, "job": _job,
        "serviceaccount": _serviceaccount, "sa": _serviceaccount,
    }[subcommand]
    return store_generated(ctx, reporter, mode, lambda cluster: builder(ctx, parsed, args[0], cluster),
                            _failure_prefix(subcommand))


def _failure_prefix(subcommand: str) -> str:
    """How each generator words a server error (namespaces return the plain API error)."""
    canonical = {"ns": "namespace", "cm": "configmap", "deploy": "deployment", "sa": "serviceaccount"}.get(subcommand, subcommand)
    if canonical == "namespace":
        return ""
    if canonical == "secret":
        return "failed to create secret "
    return f"failed to create {canonical}: "


def store_generated(ctx, reporter: Reporter, mode: str, build, failure_prefix: str) -> int:
    with ctx.transaction(dry_run=mode != "none") as cluster:
        obj = build(cluster)
        kind = kinds.for_object(obj)
        namespace = server.namespace_of(kind, obj, ctx.namespace)
        if mode == "client":
            reporter.success(obj, "created")
        else:
            try:
                ctx.authorize("create", kind, namespace)
                reporter.success(server.create(cluster, obj, namespace), "created")
            except errors.APIError as exc:
                if not failure_prefix:
                    raise
                raise errors.CommandError(failure_prefix + errors.bare_message(exc)) from None
    return reporter.finish()


def _meta(name: str, **extra) -> dict:
    return {"name": name, "creationTimestamp": None, **extra}


def _namespace(ctx, parsed, name, cluster) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": _meta(name), "spec": {}, "status": {}}


def _serviceaccount(ctx, parsed, name, cluster) -> dict:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(name, namespace=ctx.namespace)
            if ctx.namespace_given else _meta(name)}


def _key_values(ctx, parsed, duplicate) -> dict[str, str]:
    """The data of a configmap or secret; duplicate(key) words a key given twice."""
    data: dict[str, str] = {}
    for literal in parsed["from-literal"]:
        key, equals, value = literal.partition("=")
        if not equals or not key:
            raise errors.CommandError(f'invalid literal source {literal}, expected key=value')
        _put_unique(data, key, value, duplicate)
    for source in parsed["from-file"]:
        for key, value in _file_source(ctx, source):
            _put_unique(data, key, value, duplicate)
    for path in parsed["from-env-file"]:
        for key, value in _env_file(ctx, path):
            data[key] = value
    return data


def _put_unique(data: dict, key: str, value: str, duplicate) -> None:
    if key in data:
        raise errors.CommandError(duplicate(key))
    data[key] = value


def _file_source(ctx, source: str):
    key, equals, path = source.partition("=")
    if not equals:
        key, path = "", source
    full = ctx.env.resolve_path(path)
    if os.path.isdir(full):
        for entry in sorted(os.listdir(full)):
            entry_path = os.path.join(full, entry)
            if os.path.isfile(entry_path):
                yield entry, _read_text(entry_path, path)
        return
    yield key or os.path.basename(path), _read_text(full, path)


def _read_text(full: str, shown: str) -> str:
    try:
        with open(full, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise errors.CommandError(f"error reading {shown}: no such file or directory") from None


def _env_file(ctx, path: str):
    for line in _read_text(ctx.env.resolve_path(path), path).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        yield key, value


def _configmap(ctx, parsed, name, cluster) -> dict:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(name)}
    # create_configmap.go names the ConfigMap in its duplicate-key error
    data = _key_values(ctx, parsed, lambda key: f'cannot add key "{key}", another key by that name already exists '
                       f'in Data for ConfigMap "{name}"')
    if data:
        obj["data"] = data
    return obj


def _secret(ctx, parsed, name, cluster) -> dict:
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name)}
    # create_secret.go words its duplicate-key error without the Secret's name
    values = _key_values(ctx, parsed, lambda key: f"cannot add key {key}, another key by that name already exists")
    data = {k: base64.b64encode(v.encode()).decode() for k, v in values.items()}
    if data:
        obj["data"] = data
    if parsed["type"]:
        obj["type"] = parsed["type"]
    return obj


def _container_name(image: str) -> str:
    """kubectl names a container after its image: last path part, tag and digest dropped."""
    base = image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    return "".join(c if c.isalnum() or c == "-" else "-" for c in base.lower())


def _deployment(ctx, parsed, name, cluster) -> dict:
    images = parsed["image"]
    if not images:
        raise errors.UsageError("required flag(s) \"image\" not set", "create deployment")
    containers = []
    for image in images:
        container = {"image": image, "name": _container_name(image), "resources": {}}
        if parsed["port"] >= 0:
            container["ports"] = [{"containerPort": parsed["port"]}]
        if parsed.after_dash:
            container["command"] = list(parsed.after_dash)
        containers.append(container)
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": _meta(name, labels=dict(labels)),
        "spec": {"replicas": parsed["replicas"], "selector": {"matchLabels": dict(labels)}, "strategy": {},
                 "template": {"metadata": {"creationTimestamp": None, "labels": dict(labels)},
                              "spec": {"containers": containers}}},
        "status": {},
    }


def _job(ctx, parsed, name, cluster) -> dict:
    source, images = parsed["from"], parsed["image"]
    if bool(source) == bool(images):  # exactly one of them (kubectl pkg/cmd/create/create_job.go Validate)
        raise errors.CommandError("either --image or --from must be specified")
    if source:
        return _job_from_cronjob(ctx, name, source, cluster)
    container = {"image": images[0], "name": name, "resources": {}}
    if parsed.after_dash:
        container["command"] = list(parsed.after_dash)
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta(name),
            "spec": {"template": {"metadata": {"creationTimestamp": None},
                                  "spec": {"containers": [container], "restartPolicy": "Never"}}},
            "status": {}}


def _job_from_cronjob(ctx, name: str, source: str, cluster) -> dict:
    import copy

    kind_part, _, cron_name = source.partition("/")
    if kind_part.lower() not in ("cronjob", "cronjobs", "cj", "cronjob.batch", "cronjobs.batch") or not cron_name:
        raise errors.CommandError(f"from must be an existing cronjob: {source}")
    from minikctl.cli.selection import fetch

    cron = fetch(ctx, cluster, kinds.for_key("cronjobs.batch"), ctx.namespace, cron_name)
    if cron is None:
        raise errors.not_found("cronjobs.batch", cron_name)
    template = copy.deepcopy(cron["spec"]["jobTemplate"])
    annotations = dict((template.get("metadata") or {}).get("annotations") or {})
    annotations["cronjob.kubernetes.io/instantiate"] = "manual"
    meta = {"name": name, "namespace": ctx.namespace, "annotations": annotations,
            "labels": (template.get("metadata") or {}).get("labels") or {},
            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": cron_name,
                                 "uid": cron["metadata"]["uid"], "controller": True}]}
    if not meta["labels"]:
        del meta["labels"]
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": template["spec"]}


def _create_service(ctx, parsed, args, reporter: Reporter, mode: str) -> int:
    if not args:
        return common.no_subcommand(ctx, SERVICE_HELP)
    if args[0] not in SERVICE_TYPES:
        raise common.unknown_subcommand("create service", args)
    service_type, names = args[0], args[1:]
    if len(names) != 1:
        raise errors.UsageError("exactly one NAME is required, got " + str(len(names)), f"create service {service_type}")
    obj = _service(parsed, service_type, names[0])
    return store_generated(ctx, reporter, mode, lambda cluster: obj, f"failed to create {service_type} service: ")


def _service(parsed, service_type: str, name: str) -> dict:
    """kubernetes/kubectl pkg/cmd/create/create_service.go: Validate, then createService and parsePorts."""
    kind_name = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
                 "externalname": "ExternalName"}[service_type]
    cluster_ip = parsed["clusterip"] or ""
    if cluster_ip == "None" and service_type != "clusterip":
        raise errors.CommandError("ClusterIP=None can only be used with ClusterIP service type")
    if cluster_ip != "None" and not parsed["tcp"] and service_type != "externalname":
        raise errors.CommandError("at least one tcp port specifier must be provided")
    if service_type == "externalname":
        if not parsed["external-name"]:
            raise errors.UsageError("required flag(s) \"external-name\" not set", "create service externalname")
        if not _dns1123_subdomain(parsed["external-name"]):
            raise errors.CommandError(f"invalid service external name {parsed['external-name']}")
    ports = [_service_port(pair, parsed["node-port"], service_type) for pair in parsed["tcp"]]
    spec: dict = {}
    if ports:  # an empty port list is left out (omitempty)
        spec["ports"] = ports
    spec["selector"] = {"app": name}
    spec["type"] = kind_name
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if service_type == "externalname":
        spec["externalName"] = parsed["external-name"]
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, labels={"app": name}),
            "spec": spec, "status": {"loadBalancer": {}}}


def _dns1123_subdomain(text: str) -> bool:
    import re

    return len(text) <= 253 and re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", text) is not None


def _parse_port(text: str) -> int:
    """utils/net ParsePort(text, allowZero): strconv.ParseUint(text, 10, 16)."""
    if not text or not text.isascii() or not text.isdigit():
        raise errors.CommandError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    if int(text) > 65535:
        raise errors.CommandError(f'strconv.ParseUint: parsing "{text}": value out of range')
    return int(text)


def _service_port(pair: str, node_port: int, service_type: str) -> dict:
    parts = pair.split(":")
    port = _parse_port(parts[0])
    target: int | str = port
    if len(parts) > 1:
        try:
            target = int(parts[1], 10)
        except ValueError:
            target = parts[1]
        else:
            if not 1 <= target <= 65535:
                raise errors.CommandError("must be between 1 and 65535, inclusive")
    entry = {"name": pair.replace(":", "-"), "port": port, "protocol": "TCP", "targetPort": target}
    if node_port and service_type == "nodeport":
        entry["nodePort"] = node_port
    return entry
