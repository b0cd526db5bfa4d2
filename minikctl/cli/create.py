"""kubectl create: from files, or from a generator subcommand (kubernetes/kubectl pkg/cmd/create/*.go).

Generated objects are exactly what `kubectl create ... --dry-run=client -o yaml` prints.
"""

from __future__ import annotations

import base64
import os

from minikctl import errors
from minikctl.api import kinds, server
from minikctl.cli import common, documents
from minikctl.cli import flags as f
from minikctl.cli.mutation import Reporter

SUMMARY = "Create a resource from a file or from stdin, or with a generator subcommand."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.DRY_RUN_FLAG,
    documents.VALIDATE_FLAG,
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


def run(ctx, parsed: f.Parsed) -> int:
    mode = common.dry_run_mode(parsed["dry-run"])
    output = common.output_format(ctx, parsed)
    reporter = Reporter(ctx, output, mode, parsed["allow-missing-template-keys"])
    if parsed.args:
        return _run_generator(ctx, parsed, reporter, mode)
    docs = documents.load(ctx, parsed, "creating")
    with ctx.transaction(dry_run=mode != "none") as cluster:
        for document in docs:
            reporter.attempt(lambda d=document: _create_document(ctx, cluster, d, mode, parsed["save-config"]),
                             document.source, "creating")
    return reporter.finish()


def _create_document(ctx, cluster, document, mode: str, save_config: bool) -> tuple[dict, str]:
    import copy

    obj = copy.deepcopy(document.obj)
    documents.check_namespace_flag(ctx, obj)
    kind = kinds.for_object(obj)
    namespace = server.namespace_of(kind, obj, ctx.namespace)
    if save_config:
        _save_config(obj, namespace, kind)
    if mode == "client":
        return obj, "created"
    ctx.authorize("create", kind, namespace)
    return server.create(cluster, obj, namespace), "created"


def _save_config(obj: dict, namespace: str, kind) -> None:
    from minikctl.api import merge

    if kind.namespaced:
        obj.setdefault("metadata", {})["namespace"] = namespace
    obj.setdefault("metadata", {}).setdefault("annotations", {})[merge.LAST_APPLIED] = merge.last_applied_annotation(obj)


# -- generators ----------------------------------------------------------------------------------
def _run_generator(ctx, parsed, reporter: Reporter, mode: str) -> int:
    subcommand, args = parsed.args[0], parsed.args[1:]
    if subcommand not in GENERATORS:
        raise errors.UsageError(f'unknown command "{subcommand}" for "kubectl create"', "create")
    if subcommand == "secret":
        if not args or args[0] != "generic":
            raise errors.CommandError("minikctl supports `create secret generic` only")
        args = args[1:]
    if subcommand == "service" or subcommand == "svc":
        return _create_service(ctx, parsed, args, reporter, mode)
    if len(args) != 1:
        raise errors.UsageError("exactly one NAME is required, got " + str(len(args)), f"create {subcommand}")
    builder = {
        "namespace": _namespace, "ns": _namespace, "configmap": _configmap, "cm": _configmap,
        "secret": _secret, "deployment": _deployment, "deploy": _deployment, "job": _job,
        "serviceaccount": _serviceaccount, "sa": _serviceaccount,
    }[subcommand]
    return _store_generated(ctx, reporter, mode, lambda cluster: builder(ctx, parsed, args[0], cluster),
                            _failure_prefix(subcommand))


def _failure_prefix(subcommand: str) -> str:
    """How each generator words a server error (namespaces return the plain API error)."""
    canonical = {"ns": "namespace", "cm": "configmap", "deploy": "deployment", "sa": "serviceaccount"}.get(subcommand, subcommand)
    if canonical == "namespace":
        return ""
    if canonical == "secret":
        return "failed to create secret "
    return f"failed to create {canonical}: "


def _store_generated(ctx, reporter: Reporter, mode: str, build, failure_prefix: str) -> int:
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
                raise errors.CommandError(failure_prefix + exc.message) from None
    return reporter.finish()


def _meta(name: str, **extra) -> dict:
    return {"name": name, "creationTimestamp": None, **extra}


def _namespace(ctx, parsed, name, cluster) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": _meta(name), "spec": {}, "status": {}}


def _serviceaccount(ctx, parsed, name, cluster) -> dict:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(name, namespace=ctx.namespace)
            if ctx.namespace_given else _meta(name)}


def _key_values(ctx, parsed) -> dict[str, str]:
    data: dict[str, str] = {}
    for literal in parsed["from-literal"]:
        key, equals, value = literal.partition("=")
        if not equals or not key:
            raise errors.CommandError(f'invalid literal source {literal}, expected key=value')
        _put_unique(data, key, value)
    for source in parsed["from-file"]:
        for key, value in _file_source(ctx, source):
            _put_unique(data, key, value)
    for path in parsed["from-env-file"]:
        for key, value in _env_file(ctx, path):
            data[key] = value
    return data


def _put_unique(data: dict, key: str, value: str) -> None:
    if key in data:
        raise errors.CommandError(f'cannot add key "{key}", another key by that name already exists in Data for ConfigMap "{key}"')
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
    data = _key_values(ctx, parsed)
    if data:
        obj["data"] = data
    return obj


def _secret(ctx, parsed, name, cluster) -> dict:
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name)}
    data = {k: base64.b64encode(v.encode()).decode() for k, v in _key_values(ctx, parsed).items()}
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
    source = parsed["from"]
    if source:
        return _job_from_cronjob(ctx, name, source, cluster)
    images = parsed["image"]
    if not images:
        raise errors.CommandError("either --image or --from must be specified")
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
    if not args or args[0] not in ("clusterip", "nodeport", "loadbalancer", "externalname"):
        raise errors.UsageError("a service type is required: clusterip, nodeport, loadbalancer or externalname",
                                "create service")
    service_type, names = args[0], args[1:]
    if len(names) != 1:
        raise errors.UsageError("exactly one NAME is required, got " + str(len(names)), f"create service {service_type}")
    obj = _service(parsed, service_type, names[0])
    return _store_generated(ctx, reporter, mode, lambda cluster: obj, f"failed to create {service_type} service: ")


def _service(parsed, service_type: str, name: str) -> dict:
    spec: dict = {}
    kind_name = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
                 "externalname": "ExternalName"}[service_type]
    if service_type == "externalname":
        if not parsed["external-name"]:
            raise errors.UsageError("required flag(s) \"external-name\" not set", "create service externalname")
        spec = {"externalName": parsed["external-name"], "selector": {"app": name}, "type": kind_name}
    else:
        ports = [_service_port(pair, parsed["node-port"], service_type) for pair in parsed["tcp"]]
        if not ports and service_type != "clusterip":
            raise errors.UsageError("required flag(s) \"tcp\" not set", f"create service {service_type}")
        spec = {"ports": ports, "selector": {"app": name}, "type": kind_name}
        if parsed["clusterip"]:
            spec["clusterIP"] = parsed["clusterip"]
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, labels={"app": name}),
            "spec": spec, "status": {"loadBalancer": {}}}


def _service_port(pair: str, node_port: int, service_type: str) -> dict:
    port_text, has_target, target_text = pair.partition(":")
    target_text = target_text or port_text
    try:
        port = int(port_text)
    except ValueError:
        raise errors.CommandError(f"{port_text} is not a valid port") from None
    target = int(target_text) if target_text.isdigit() else target_text
    name = f"{port_text}-{target_text}" if has_target else port_text
    entry = {"name": name, "port": port, "protocol": "TCP", "targetPort": target}
    if node_port and service_type == "nodeport":
        entry["nodePort"] = node_port
    return entry
