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
_FIELD_MANAGER = f.Flag("field-manager", default="kubectl-create", help="Name of the manager used to track field ownership")
_SAVE_CONFIG = f.Flag("save-config", type=f.BOOL, help="Save the object's configuration in the last-applied annotation")
# create -f's own flags (kubernetes/kubectl pkg/cmd/create/create.go); -k is refused until kustomize exists
FILE_FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    common.DRY_RUN_FLAG, documents.VALIDATE_FLAG, common.SELECTOR_FLAG, _SAVE_CONFIG, _FIELD_MANAGER,
]
# every object generator's flags: printing, dry run, validation, annotation, field manager
_OBJECT = common.OUTPUT_FLAGS + [common.DRY_RUN_FLAG, documents.VALIDATE_FLAG, _SAVE_CONFIG, _FIELD_MANAGER]
_APPEND_HASH = f.Flag("append-hash", type=f.BOOL, help="Append a hash of the object to its name")
_FROM_FILE = f.Flag("from-file", type=f.SLICE, help="Key files can be specified using their file path")
_KEY_VALUE_SOURCES = [
    f.Flag("from-literal", type=f.ARRAY, help="Specify a key and literal value to insert (i.e. mykey=somevalue)"),
    _FROM_FILE,
    f.Flag("from-env-file", type=f.ARRAY, help="Specify the path to a file to read lines of key=val pairs"),
    _APPEND_HASH,
]
_RULE_FLAGS = [
    f.Flag("verb", type=f.SLICE, help="Verb that applies to the resources contained in the rule"),
    f.Flag("resource", type=f.SLICE, help="Resource that the rule applies to"),
    f.Flag("resource-name", type=f.ARRAY, help="Resource in the white list that the rule applies to"),
]
_SUBJECT_FLAGS = [
    f.Flag("clusterrole", help="ClusterRole this binding should reference"),
    f.Flag("user", type=f.ARRAY, help="Usernames to bind to the role"),
    f.Flag("group", type=f.ARRAY, help="Groups to bind to the role"),
    f.Flag("serviceaccount", type=f.ARRAY, help="Service accounts to bind to the role, in the format <namespace>:<name>"),
]
_TCP = f.Flag("tcp", type=f.SLICE, help="Port pairs can be specified as '<port>:<targetPort>'")
# generator -> its own flags (kubectl create GENERATOR --help); secret and service by their subcommand
GENERATOR_FLAGS: dict[str, list] = {
    "namespace": [], "serviceaccount": [],
    "configmap": _KEY_VALUE_SOURCES,
    "secret generic": _KEY_VALUE_SOURCES + [f.Flag("type", help="The type of secret to create")],
    "secret tls": [f.Flag("cert", help="Path to PEM encoded public key certificate."),
                   f.Flag("key", help="Path to private key associated with given certificate."), _APPEND_HASH],
    "secret docker-registry": [
        f.Flag("docker-username", help="Username for Docker registry authentication"),
        f.Flag("docker-password", help="Password for Docker registry authentication"),
        f.Flag("docker-email", help="Email for Docker registry"),
        f.Flag("docker-server", default="https://index.docker.io/v1/", help="Server location for Docker registry"),
        _FROM_FILE, _APPEND_HASH],
    "deployment": [
        f.Flag("image", type=f.ARRAY, help="Image names to run"),
        f.Flag("replicas", "r", type=f.INT, default=1, help="Number of replicas to create"),
        f.Flag("port", type=f.INT, default=-1, help="The containerPort that this deployment exposes")],
    "job": [f.Flag("image", help="Image name to run"),
            f.Flag("from", help="The name of the resource to create a Job from (only cronjob is supported)")],
    "cronjob": [f.Flag("image", help="Image name to run"),
                f.Flag("schedule", help="A schedule in the Cron format the job should be run with"),
                f.Flag("restart", help="job's restart policy. supported values: OnFailure, Never")],
    "service clusterip": [f.Flag("clusterip", help="Assign your own ClusterIP or set to 'None' for a 'headless' service"), _TCP],
    "service nodeport": [f.Flag("node-port", type=f.INT, default=0, help="Port used to expose the service on each node"), _TCP],
    "service loadbalancer": [_TCP],
    "service externalname": [f.Flag("external-name", help="External name of service"), _TCP],
    "role": _RULE_FLAGS,
    "clusterrole": _RULE_FLAGS + [
        f.Flag("non-resource-url", type=f.SLICE, help="A partial url that user should have access to"),
        f.Flag("aggregation-rule", help="An aggregation label selector for combining ClusterRoles")],
    "rolebinding": [f.Flag("role", help="Role this RoleBinding should reference")] + _SUBJECT_FLAGS,
    "clusterrolebinding": _SUBJECT_FLAGS,
    "quota": [f.Flag("hard", help="A comma-delimited set of resource=quantity pairs that define a hard limit"),
              f.Flag("scopes", help="A comma-delimited set of quota scopes that must all match each object")],
    "ingress": [f.Flag("class", help="Ingress Class to be used"),
                f.Flag("rule", type=f.ARRAY, help="Rule in format host/path=service:port[,tls=secretname]"),
                f.Flag("default-backend", help="Default service for backend, in format of svcname:port"),
                f.Flag("annotation", type=f.ARRAY, help="Annotation to insert in the ingress object")],
    "poddisruptionbudget": [
        f.Flag("selector", help="A label selector to use for this budget"),
        f.Flag("min-available", help="The minimum number or percentage of available pods this budget requires"),
        f.Flag("max-unavailable", help="The maximum number or percentage of unavailable pods this budget requires")],
    "priorityclass": [
        f.Flag("value", type=f.INT, default=0, help="the value of this priority class"),
        f.Flag("global-default", type=f.BOOL, help="global-default specifies whether this PriorityClass should be "
                                                    "considered as the default priority"),
        f.Flag("description", help="description is an arbitrary string that usually provides guidelines"),
        f.Flag("preemption-policy", default="PreemptLowerPriority", help="preemption-policy is the policy for "
                                                                         "preempting pods with lower priority")],
}
# token asks for a TokenRequest: printing flags only (kubernetes/kubectl pkg/cmd/create/create_token.go)
TOKEN_FLAGS = common.OUTPUT_FLAGS + [
    f.Flag("audience", type=f.ARRAY, help="Audience of the requested token"),
    f.Flag("bound-object-kind", help="Kind of an object to bind the token to"),
    f.Flag("bound-object-name", help="Name of an object to bind the token to"),
    f.Flag("bound-object-uid", help="UID of an object to bind the token to"),
    f.Flag("duration", type=f.DURATION, default="0s", help="Requested lifetime of the issued token"),
]
# flags cobra requires (MarkFlagRequired in each create_*.go)
REQUIRED = {"deployment": ("image",), "cronjob": ("image", "schedule"), "clusterrolebinding": ("clusterrole",),
            "service externalname": ("external-name",)}
ALIASES = {"ns": "namespace", "cm": "configmap", "deploy": "deployment", "svc": "service", "sa": "serviceaccount",
           "cj": "cronjob", "ing": "ingress", "pdb": "poddisruptionbudget", "pc": "priorityclass",
           "resourcequota": "quota"}
GENERATORS = tuple(sorted({key.split()[0] for key in GENERATOR_FLAGS} | set(ALIASES) | {"token"}))
SECRET_TYPES = ("generic", "tls", "docker-registry")


def _all_flags() -> list:
    """Every create flag once (for --help and for defaults); a generator parses with its own."""
    seen: dict[str, f.Flag] = {}
    for flag in FILE_FLAGS + _OBJECT + [fl for flags in GENERATOR_FLAGS.values() for fl in flags] + TOKEN_FLAGS:
        seen.setdefault(flag.name, flag)
    return list(seen.values())


FLAGS = _all_flags()


def _generator_key(args: list[str]) -> str | None:
    """`secret tls`, `service nodeport`, `configmap`: the generator args name, or None."""
    if not args or args[0] not in GENERATORS:
        return None
    name = ALIASES.get(args[0], args[0])
    if name in ("secret", "service"):
        sub = f"{name} {args[1]}" if len(args) > 1 else ""
        return sub if sub in GENERATOR_FLAGS else None
    return name


def flags_for(args: list[str]) -> list:
    """The flags of the generator args name (create.go's subcommands each have their own)."""
    key = _generator_key(args)
    if key is None:  # create -f, or a bare group (secret, service) that has no flags of its own
        return FILE_FLAGS if not args or args[0] not in GENERATORS else []
    if key == "token":
        return TOKEN_FLAGS
    return _OBJECT + GENERATOR_FLAGS[key]


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
# `kubectl create secret` bare prints its help on stderr and exits 1.
SECRET_HELP = (
    "Create a secret with specified type.\n\n"
    " A docker-registry type secret is for accessing a container registry.\n\n"
    " A generic type secret indicate an Opaque secret type.\n\n"
    " A tls type secret holds TLS certificate and its associated key.\n\n"
    "Available Commands:\n"
    "  docker-registry   Create a secret for use with a Docker registry\n"
    "  generic           Create a secret from a local file, directory, or literal value\n"
    "  tls               Create a TLS secret\n\n"
    "Usage:\n  minikctl create secret (docker-registry | generic | tls) [options]\n\n"
    'Use "minikctl create secret <command> --help" for more information about a given command.\n'
    'Use "minikctl options" for a list of global command-line options (applies to all commands).\n')


def command_path(args: list[str]) -> str:
    """The generator cobra names in flag errors: `create deploy --bogus` points at `create deployment`."""
    if not args or args[0] not in GENERATORS:
        return "create"
    key = _generator_key(args)
    return f"create {key or ALIASES.get(args[0], args[0])}"


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
    key = _generator_key(parsed.args)
    missing = [flag for flag in REQUIRED.get(key, ()) if flag not in parsed.given]
    if missing:  # cobra checks required flags before the command runs
        raise errors.RequiredFlagsError(missing)
    name = ALIASES.get(subcommand, subcommand)
    if name == "secret":
        if not args:
            return common.no_subcommand(ctx, SECRET_HELP)
        if args[0] not in SECRET_TYPES:
            raise common.unknown_subcommand("create secret", args)
        name, args = f"secret {args[0]}", args[1:]
    if name == "service":
        return _create_service(ctx, parsed, args, reporter, mode)
    if len(args) != 1:
        raise errors.UsageError("exactly one NAME is required, got " + str(len(args)), command_path(parsed.args))
    if name == "token":
        return _create_token(ctx, parsed, args[0])
    build = _builder(name)
    append_hash = parsed.get("append-hash") and name in ("configmap", "secret generic", "secret tls",
                                                         "secret docker-registry")
    return store_generated(ctx, reporter, mode, lambda cluster: _hashed(build(ctx, parsed, args[0], cluster), append_hash),
                           FAILURE_PREFIXES.get(name, ""), parsed["save-config"])


def _builder(name: str):
    from minikctl.cli import generators as g

    return {
        "namespace": _namespace, "configmap": _configmap, "secret generic": _secret, "deployment": _deployment,
        "job": _job, "serviceaccount": _serviceaccount, "cronjob": g.cronjob, "role": g.role,
        "clusterrole": g.clusterrole, "rolebinding": g.rolebinding, "clusterrolebinding": g.clusterrolebinding,
        "quota": g.quota, "ingress": g.ingress, "poddisruptionbudget": g.poddisruptionbudget,
        "priorityclass": g.priorityclass, "secret tls": g.secret_tls,
        "secret docker-registry": lambda ctx, parsed, n, cluster: g.secret_docker_registry(ctx, parsed, n, cluster,
                                                                                           _file_source),
    }[name]


def _hashed(obj: dict, append_hash: bool) -> dict:
    """--append-hash: the name gets the content hash kubectl computes (pkg/util/hash/hash.go)."""
    if append_hash:
        from minikctl.cli.generators import content_hash

        obj["metadata"]["name"] += "-" + content_hash(obj)
    return obj


# How each generator words a server error (kubernetes/kubectl pkg/cmd/create/create_*.go Run); the
# others (namespace, role, clusterrole) return the API error as it is.
FAILURE_PREFIXES = {
    "configmap": "failed to create configmap: ", "secret generic": "failed to create secret ",
    "secret tls": "failed to create secret ", "secret docker-registry": "failed to create secret ",
    "deployment": "failed to create deployment: ", "job": "failed to create job: ",
    "cronjob": "failed to create cronjob: ", "serviceaccount": "failed to create serviceaccount: ",
    "rolebinding": "failed to create rolebinding: ", "clusterrolebinding": "failed to create clusterrolebinding: ",
    "quota": "failed to create quota: ", "ingress": "failed to create ingress: ",
    "poddisruptionbudget": "failed to create poddisruptionbudgets: ", "priorityclass": "failed to create priorityclass: ",
}


def _create_token(ctx, parsed, name: str) -> int:
    """kubectl create token: a TokenRequest for the service account; its token alone, or -o the object."""
    from minikctl.cli import generators

    output = common.output_format(ctx, parsed)
    generators.check_token_request(parsed)
    kind = kinds.for_key("serviceaccounts")
    with ctx.transaction(dry_run=True) as cluster:
        ctx.authorize("create", kind, ctx.namespace, name, subresource="token")
        account = cluster.get(kind.key, ctx.namespace, name)
        if account is None:
            raise errors.CommandError(f'failed to create token: serviceaccounts "{name}" not found')
        request = generators.token_request(ctx, parsed, account, cluster)
    if not output.name:
        ctx.env.out(request["status"]["token"] + "\n")
        return errors.SUCCESS
    from minikctl.printers.output import render_document

    ctx.env.out(render_document(output, request, parsed["allow-missing-template-keys"]))
    return errors.SUCCESS


def store_generated(ctx, reporter: Reporter, mode: str, build, failure_prefix: str, save_config: bool = False) -> int:
    with ctx.transaction(dry_run=mode != "none") as cluster:
        obj = build(cluster)
        kind = kinds.for_api_version(obj["apiVersion"], obj["kind"])
        if kind is not None and save_config:
            _save_config(obj, server.namespace_of(kind, obj, ctx.namespace), kind)
        if mode == "client":
            reporter.success(obj, "created")
        elif kind is None:  # a kind this cluster does not serve: the API server has no such path
            raise errors.CommandError(failure_prefix + "the server could not find the requested resource")
        else:
            namespace = server.namespace_of(kind, obj, ctx.namespace)
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
    source, image = parsed["from"], parsed["image"]
    if bool(source) == bool(image):  # exactly one of them (kubectl pkg/cmd/create/create_job.go Validate)
        raise errors.CommandError("either --image or --from must be specified")
    if source:
        return _job_from_cronjob(ctx, name, source, cluster)
    container = {"image": image, "name": name, "resources": {}}
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
    return store_generated(ctx, reporter, mode, lambda cluster: obj, f"failed to create {service_type} service: ",
                           parsed["save-config"])


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
