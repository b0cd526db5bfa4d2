"""The `kubectl create` generators beyond the first few: cronjob, role, clusterrole, rolebinding,
clusterrolebinding, quota, ingress, poddisruptionbudget, priorityclass, secret tls, secret
docker-registry (kubernetes/kubectl pkg/cmd/create/create_*.go).

Each builder returns exactly the object `kubectl create ... --dry-run=client -o yaml` prints, after
the generator's own checks, in its words; `token` asks the API server for a token.
"""

from __future__ import annotations

import base64
import json
import re

from minikctl import errors

_RBAC = "rbac.authorization.k8s.io"
# kubernetes/kubectl pkg/cmd/create/create_role.go: the verbs it knows, and the ones bound to resources
RESOURCE_VERBS = ("*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy", "deletecollection",
                  "use", "bind", "escalate", "impersonate")
NON_RESOURCE_VERBS = ("*", "get", "post", "put", "delete", "patch", "head", "options")
SPECIAL_VERBS = {
    "use": [("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")],
    "bind": [(_RBAC, "roles"), (_RBAC, "clusterroles")],
    "escalate": [(_RBAC, "roles"), (_RBAC, "clusterroles")],
    "impersonate": [("", "users"), ("", "serviceaccounts"), ("", "groups"), ("authentication.k8s.io", "userextras")],
}


def meta(ctx, name: str, namespaced: bool = True, **extra) -> dict:
    """A generated object's metadata: its namespace only when -n was given (EnforceNamespace)."""
    found = {"name": name, "creationTimestamp": None, **extra}
    if namespaced and ctx.namespace_given:
        found["namespace"] = ctx.namespace
    return dict(sorted(found.items()))


# -- cronjob ---------------------------------------------------------------------------------------
def cronjob(ctx, parsed, name: str, cluster) -> dict:
    """create_cronjob.go: --image and --schedule are required; --restart goes in as given (default OnFailure)."""
    container = {"image": parsed["image"], "name": name, "resources": {}}
    if parsed.after_dash:
        container["command"] = list(parsed.after_dash)
    container = dict(sorted(container.items()))
    template = {"metadata": {"creationTimestamp": None},
                "spec": {"containers": [container], "restartPolicy": parsed["restart"] or "OnFailure"}}
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta(ctx, name),
            "spec": {"jobTemplate": {"metadata": {"creationTimestamp": None, "name": name},
                                     "spec": {"template": template}},
                     "schedule": parsed["schedule"]},
            "status": {}}


# -- role and clusterrole --------------------------------------------------------------------------
def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _verbs(parsed) -> list[str]:
    """Duplicates dropped; `*` stands for every verb (create_role.go Complete)."""
    verbs = _unique(parsed["verb"])
    return ["*"] if "*" in verbs else verbs


def _resources(parsed) -> list[tuple[str, str, str]]:
    """(group, resource, subresource) from `resource.group/subresource`; a bare `*` is all of them."""
    found = []
    for text in parsed["resource"]:
        base, _, sub = text.partition("/")
        resource, _, group = base.partition(".")
        if resource == "*" and not group and "/" not in text:
            return [("", "*", "")]
        found.append((group, resource, sub))
    return found


def _resolve(group: str, resource: str) -> tuple[str, str] | None:
    """The RESTMapper's full name for a resource (`deploy` -> apps deployments), None if it has none."""
    from minikctl.api.resolve import UnknownResourceType, resolve_type

    try:
        kind = resolve_type(f"{resource}.{group}" if group else resource)[0]
    except UnknownResourceType:
        return None
    return kind.group, kind.plural


def _check_resources(verbs: list[str], resources) -> None:
    """create_role.go validateResource: a special verb only on its resources, which need not be served;
    any other resource must be known (checkErr prints the mapper's NoResourceMatchError bare)."""
    for group, resource, _ in resources:
        if not resource:
            raise errors.CommandError("resource must be specified if apiGroup/subresource specified")
        if resource == "*":
            return
        found = _resolve(group, resource)
        full_group, full_resource = found or (group, resource)
        matched = False
        for verb in verbs:
            if verb in SPECIAL_VERBS:
                if (full_group, full_resource) not in SPECIAL_VERBS[verb]:
                    raise errors.CommandError(f"can not perform '{verb}' on '{full_resource}' in group '{full_group}'")
                matched = True
        if found is None and not matched:
            where = f" in group {json.dumps(group)}" if group else ""
            raise errors.MinikctlError(f'the server doesn\'t have a resource type "{resource}"{where}')


def _warn_unusual_verbs(ctx, verbs: list[str]) -> None:
    for verb in verbs:
        if verb not in RESOURCE_VERBS:
            ctx.env.err(f"Warning: '{verb}' is not a standard resource verb\n")


def _rules(verbs: list[str], resources, names: list[str], urls: list[str]) -> list[dict]:
    """One rule per API group, groups in sorted order, then one for the non-resource URLs
    (create_role.go generateResourcePolicyRules)."""
    by_group: dict[str, list[str]] = {}
    for group, resource, sub in resources:
        full_group, full_resource = (_resolve(group, resource) if resource != "*" else None) or (group, resource)
        name = f"{full_resource}/{sub}" if sub else full_resource
        if name not in by_group.setdefault(full_group, []):
            by_group[full_group].append(name)
    rules = []
    for group in sorted(by_group):
        rule = {"apiGroups": [group], "resources": by_group[group], "verbs": verbs}
        if names:
            rule["resourceNames"] = names
        rules.append(dict(sorted(rule.items())))
    if urls:
        rules.append({"nonResourceURLs": urls, "verbs": verbs})
    return rules


def role(ctx, parsed, name: str, cluster) -> dict:
    verbs = _verbs(parsed)
    if not verbs:
        raise errors.CommandError("at least one verb must be specified")
    _warn_unusual_verbs(ctx, verbs)
    resources = _resources(parsed)
    if not resources:
        raise errors.CommandError("at least one resource must be specified")
    _check_resources(verbs, resources)
    return {"apiVersion": f"{_RBAC}/v1", "kind": "Role", "metadata": meta(ctx, name),
            "rules": _rules(verbs, resources, _unique(parsed["resource-name"]), [])}


def clusterrole(ctx, parsed, name: str, cluster) -> dict:
    """create_clusterrole.go: an aggregation rule alone, or verbs on resources and/or non-resource URLs."""
    aggregation = _key_values(parsed["aggregation-rule"], "aggregation-rule")
    verbs, resources, urls = _verbs(parsed), _resources(parsed), _unique(parsed["non-resource-url"])
    names = _unique(parsed["resource-name"])
    obj = {"apiVersion": f"{_RBAC}/v1", "kind": "ClusterRole", "metadata": meta(ctx, name, namespaced=False)}
    if aggregation:
        if urls or parsed["verb"] or resources or names:
            raise errors.CommandError(
                "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames")
        return {"aggregationRule": {"clusterRoleSelectors": [{"matchLabels": aggregation}]}, **obj, "rules": None}
    if not verbs:
        raise errors.CommandError("at least one verb must be specified")
    if not resources and not urls:
        raise errors.CommandError("one of resource or nonResourceURL must be specified")
    if resources:
        _warn_unusual_verbs(ctx, verbs)
        _check_resources(verbs, resources)
    if urls:
        _check_urls(verbs, urls, names)
    return {**obj, "rules": _rules(verbs, resources, names, urls)}


def _check_urls(verbs: list[str], urls: list[str], names: list[str]) -> None:
    for verb in verbs:
        if verb not in NON_RESOURCE_VERBS:
            raise errors.CommandError(f"invalid verb: '{verb}' for nonResourceURL")
    for url in urls:
        if url == "*":
            continue
        if not url.startswith("/"):
            raise errors.CommandError("nonResourceURL should start with /")
        if "*" in url[:-1]:
            raise errors.CommandError("nonResourceURL only supports wildcard matches when '*' is at the end")


def _key_values(text: str, flag: str) -> dict[str, str]:
    """pflag's mapStringString: `k=v,k2=v2`."""
    found: dict[str, str] = {}
    for pair in [p for p in text.split(",") if p] if text else []:
        key, equals, value = pair.partition("=")
        if not equals:
            raise errors.FlagError(f'invalid argument "{text}" for "--{flag}" flag: malformed pair, expect string=string')
        found[key] = value
    return dict(sorted(found.items()))


# -- role bindings ---------------------------------------------------------------------------------
def _subjects(parsed) -> list[dict]:
    """Users, then groups, then service accounts (`namespace:name`), as create_rolebinding.go adds them."""
    subjects = [{"apiGroup": _RBAC, "kind": "User", "name": user} for user in parsed["user"]]
    subjects += [{"apiGroup": _RBAC, "kind": "Group", "name": group} for group in parsed["group"]]
    for account in parsed["serviceaccount"]:
        namespace, colon, name = account.partition(":")
        if not colon or not namespace or not name or ":" in name:
            raise errors.CommandError("serviceaccount must be <namespace>:<name>")
        subjects.append({"kind": "ServiceAccount", "name": name, "namespace": namespace})
    return subjects


def _binding(kind: str, metadata: dict, role_kind: str, role_name: str, subjects: list[dict]) -> dict:
    obj = {"apiVersion": f"{_RBAC}/v1", "kind": kind, "metadata": metadata,
           "roleRef": {"apiGroup": _RBAC, "kind": role_kind, "name": role_name}}
    if subjects:
        obj["subjects"] = subjects
    return obj


def rolebinding(ctx, parsed, name: str, cluster) -> dict:
    if bool(parsed["role"]) == bool(parsed["clusterrole"]):
        raise errors.CommandError("exactly one of clusterrole or role must be specified")
    role_kind, role_name = ("Role", parsed["role"]) if parsed["role"] else ("ClusterRole", parsed["clusterrole"])
    return _binding("RoleBinding", meta(ctx, name), role_kind, role_name, _subjects(parsed))


def clusterrolebinding(ctx, parsed, name: str, cluster) -> dict:
    return _binding("ClusterRoleBinding", meta(ctx, name, namespaced=False), "ClusterRole", parsed["clusterrole"],
                    _subjects(parsed))


# -- quota -----------------------------------------------------------------------------------------
def quota(ctx, parsed, name: str, cluster) -> dict:
    """create_quota.go: `--hard=resource=quantity,...` (each quantity in its canonical form), `--scopes=A,B`."""
    from minikctl.core import quantity

    hard: dict[str, str] = {}
    for pair in [p for p in (parsed["hard"] or "").split(",") if p]:
        resource, equals, value = pair.partition("=")
        if not equals:
            raise errors.CommandError(f"Invalid argument syntax {pair}, expected <resource>=<value>")
        try:
            hard[resource] = str(quantity.parse(value))
        except ValueError:
            raise errors.CommandError(quantity_error()) from None
    spec: dict = {}
    if hard:
        spec["hard"] = dict(sorted(hard.items()))
    scopes = [s for s in (parsed["scopes"] or "").split(",") if s]
    if scopes:
        spec["scopes"] = scopes
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": meta(ctx, name), "spec": spec, "status": {}}


def quantity_error() -> str:
    from minikctl.api.validation import QUANTITY_FORMAT_ERROR

    return QUANTITY_FORMAT_ERROR


# -- ingress ---------------------------------------------------------------------------------------
_RULE = re.compile(r"^(?P<host>[\w*\-.]*)(?P<path>/[^,=\n]*)=(?P<svc>[\w\-]+):(?P<port>[\w\-]+)"
                   r"(,(?P<tls>tls)=?(?P<secret>[\w\-]+)?)?$")


def ingress(ctx, parsed, name: str, cluster) -> dict:
    """create_ingress.go: Validate, then buildIngressSpec (rules merged by host, TLS hosts by secret)."""
    rules, backend = parsed["rule"], parsed["default-backend"] or ""
    if not backend and not rules:
        raise errors.CommandError(
            "not enough information provided: every ingress has to either specify a default-backend (which catches "
            "all traffic) or a list of rules (which catch specific paths)")
    for rule in rules:
        if not _RULE.match(rule):
            raise errors.CommandError(
                f"rule {rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]")
    annotations = {}
    for annotation in parsed["annotation"]:
        key, equals, value = annotation.partition("=")
        if not equals:
            raise errors.CommandError(f"annotation {annotation} is invalid and should be in format key=[value]")
        annotations[key] = value
    if backend and len(backend.split(":")) != 2:
        raise errors.CommandError("default-backend should be in format servicename:serviceport")
    spec: dict = {}
    if backend:
        spec["defaultBackend"] = _backend(backend)
    if parsed["class"]:
        spec["ingressClassName"] = parsed["class"]
    built = _ingress_rules(rules)
    if built:
        spec["rules"] = built
    tls = _ingress_tls(rules)
    if tls:
        spec["tls"] = tls
    metadata = meta(ctx, name, **({"annotations": dict(sorted(annotations.items()))} if annotations else {}))
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": metadata, "spec": spec,
            "status": {"loadBalancer": {}}}


def _backend(service: str) -> dict:
    name, port = service.split(":")[:2]
    number = _go_int(port)
    return {"service": {"name": name, "port": {"number": number} if number is not None else {"name": port}}}


def _go_int(text: str) -> int | None:
    """intstr.Parse: an int32 when strconv.Atoi accepts it."""
    if re.fullmatch(r"[+-]?[0-9]+", text) and -2**31 <= int(text) < 2**31:
        return int(text)
    return None


def _ingress_rules(rules: list[str]) -> list[dict]:
    built: list[dict] = []
    for rule in rules:
        host, _, path_service = rule.split(",")[0].partition("/")
        path, _, service = path_service.partition("=")
        path = "/" + path
        path_type = "Exact"
        if path.endswith("*"):
            path, path_type = path[:-1], "Prefix"
        entry = {"backend": _backend(service), "path": path, "pathType": path_type}
        same = next((r for r in built if r.get("host", "") == host), None)
        if same is not None:
            same["http"]["paths"].append(entry)
            continue
        built.append({**({"host": host} if host else {}), "http": {"paths": [entry]}})
    return built


def _ingress_tls(rules: list[str]) -> list[dict]:
    """A host is listed once; rules naming the same secret share one TLS entry (buildTLSRules)."""
    entries: list[dict] = []
    seen: set[str] = set()
    for rule in rules:
        parts = rule.split(",")
        if len(parts) != 2:
            continue
        host = rule.split("/", 1)[0]
        secret_parts = parts[1].split("=")
        secret = secret_parts[1] if len(secret_parts) > 1 else ""
        if host in seen:
            continue
        seen.add(host)
        shared = next((e for e in entries if e.get("secretName", "") == secret), None)
        if shared is not None:
            shared.setdefault("hosts", []).append(host)
            continue
        entry: dict = {}
        if host:
            entry["hosts"] = [host]
        if secret:
            entry["secretName"] = secret
        if entry:
            entries.append(entry)
    return entries


# -- poddisruptionbudget ---------------------------------------------------------------------------
def poddisruptionbudget(ctx, parsed, name: str, cluster) -> dict:
    """create_pdb.go Validate, then the object with the selector parsed as metav1.ParseToLabelSelector does."""
    if not parsed["selector"]:
        raise errors.CommandError("a selector must be specified")
    low, high = parsed["min-available"] or "", parsed["max-unavailable"] or ""
    if not low and not high:
        raise errors.CommandError("one of min-available or max-unavailable must be specified")
    if low and high:
        raise errors.CommandError("min-available and max-unavailable cannot be both specified")
    flag, value = ("min-available", low) if low else ("max-unavailable", high)
    if not _int_or_percent(value):
        raise errors.CommandError(f"invalid format specified for {flag}")
    field = "minAvailable" if low else "maxUnavailable"
    number = _go_int(value)
    spec = {field: number if number is not None else value, "selector": _label_selector(parsed["selector"])}
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta(ctx, name), "spec": spec,
            "status": {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0}}


def _int_or_percent(text: str) -> bool:
    return _go_int(text) is not None or re.fullmatch(r"[0-9]+%", text) is not None


def _label_selector(text: str) -> dict:
    """A label selector string as a LabelSelector: equality terms as matchLabels, the rest as expressions."""
    from minikctl.api.selector_parsing import parse_label_selector

    try:
        requirements = parse_label_selector(text)
    except errors.APIError as exc:
        raise errors.CommandError(f'couldn\'t parse the selector string "{text}": {exc.message}') from None
    labels: dict[str, str] = {}
    expressions = []
    names = {"in": "In", "notin": "NotIn", "exists": "Exists", "!": "DoesNotExist"}
    for requirement in sorted(requirements, key=lambda r: r.key):
        operator = requirement.operator
        if operator == "=":
            labels[requirement.key] = requirement.values[0]
        elif operator == "!=":
            raise errors.CommandError('"!=" is not a valid label selector operator')
        elif operator in ("gt", "lt"):
            raise errors.CommandError(f'"{operator}" isn\'t supported in label selectors')
        else:
            expression = {"key": requirement.key, "operator": names[operator]}
            if requirement.values:
                expression["values"] = list(requirement.values)
            expressions.append(expression)
    selector: dict = {}
    if expressions:
        selector["matchExpressions"] = expressions
    if labels:
        selector["matchLabels"] = dict(sorted(labels.items()))
    return selector


# -- priorityclass ---------------------------------------------------------------------------------
def priorityclass(ctx, parsed, name: str, cluster) -> dict:
    obj = {"apiVersion": "scheduling.k8s.io/v1"}
    if parsed["description"]:
        obj["description"] = parsed["description"]
    if parsed["global-default"]:
        obj["globalDefault"] = True
    obj.update({"kind": "PriorityClass", "metadata": meta(ctx, name, namespaced=False),
                "preemptionPolicy": parsed["preemption-policy"], "value": parsed["value"]})
    return obj


# -- secret tls and docker-registry ------------------------------------------------------------------
def _read_bytes(ctx, path: str) -> bytes:
    try:
        with open(ctx.env.resolve_path(path), "rb") as handle:
            return handle.read()
    except OSError:
        raise errors.CommandError(f"Cannot read file {path}, open {path}: no such file or directory") from None


def _pem_types(data: bytes) -> list[str]:
    return re.findall(r"-----BEGIN ([A-Z0-9 ]+)-----", data.decode("latin-1"))


def secret_tls(ctx, parsed, name: str, cluster) -> dict:
    """create_secret_tls.go: both files read and checked as a PEM certificate and key (Go's
    tls.X509KeyPair; minikctl checks the PEM blocks, not that the key matches the certificate)."""
    if not parsed["cert"] or not parsed["key"]:
        raise errors.CommandError("key and cert must be specified")
    cert, key = _read_bytes(ctx, parsed["cert"]), _read_bytes(ctx, parsed["key"])
    cert_types, key_types = _pem_types(cert), _pem_types(key)
    if "CERTIFICATE" not in cert_types:
        if any(t.endswith("PRIVATE KEY") for t in cert_types):
            raise errors.CommandError("tls: failed to find certificate PEM data in certificate input, but did find a "
                                      "private key; PEM inputs may have been switched")
        raise errors.CommandError("tls: failed to find any PEM data in certificate input")
    if not any(t.endswith("PRIVATE KEY") for t in key_types):
        if "CERTIFICATE" in key_types:
            raise errors.CommandError("tls: found a certificate rather than a key in the PEM for the private key")
        raise errors.CommandError("tls: failed to find any PEM data in key input")
    data = {"tls.crt": base64.b64encode(cert).decode(), "tls.key": base64.b64encode(key).decode()}
    return {"apiVersion": "v1", "data": data, "kind": "Secret", "metadata": meta(ctx, name),
            "type": "kubernetes.io/tls"}


DOCKER_HUB = "https://index.docker.io/v1/"


def secret_docker_registry(ctx, parsed, name: str, cluster, file_source) -> dict:
    """create_secret_docker.go: `.dockerconfigjson` from the --docker-* flags, or files given with --from-file."""
    data: dict[str, str] = {}
    if not parsed["from-file"]:
        user, password, server = parsed["docker-username"], parsed["docker-password"], parsed["docker-server"]
        if not user or not password or not server:
            raise errors.CommandError("either --from-file or the combination of --docker-username, "
                                      "--docker-password and --docker-server is required")
        entry = {"username": user, "password": password}
        if parsed["docker-email"]:
            entry["email"] = parsed["docker-email"]
        entry["auth"] = base64.b64encode(f"{user}:{password}".encode()).decode()
        config = json.dumps({"auths": {server: entry}}, separators=(",", ":"), ensure_ascii=False)
        data[".dockerconfigjson"] = base64.b64encode(config.encode()).decode()
    for source in parsed["from-file"]:
        for key, value in file_source(ctx, source):
            if key in data:
                raise errors.CommandError(f"cannot add key {key}, another key by that name already exists")
            data[key] = base64.b64encode(value.encode()).decode()
    return {"apiVersion": "v1", "data": dict(sorted(data.items())), "kind": "Secret", "metadata": meta(ctx, name),
            "type": "kubernetes.io/dockerconfigjson"}


# -- content hashes (--append-hash) ----------------------------------------------------------------
def content_hash(obj: dict) -> str:
    """kubectl's hash of a ConfigMap's or Secret's content: the SHA-256 of a small JSON document, its
    first ten hex digits with 0, 1, 3, a, e spelled g, h, k, m, t (kubernetes/kubectl
    pkg/util/hash/hash.go; kustomize uses the same)."""
    import hashlib

    if obj["kind"] == "ConfigMap":
        document = {"data": obj.get("data") or {}, "kind": "ConfigMap", "name": obj["metadata"]["name"]}
        if obj.get("binaryData"):
            document["binaryData"] = obj["binaryData"]
    else:
        document = {"data": obj.get("data") or {}, "kind": "Secret", "name": obj["metadata"]["name"],
                    "type": obj.get("type", "")}
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    encoded = encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    digest = hashlib.sha256(encoded.encode()).hexdigest()[:10]
    return digest.translate(str.maketrans("013ae", "ghkmt"))


# -- token -----------------------------------------------------------------------------------------
BOUND_KINDS = {"Node": "v1", "Pod": "v1", "Secret": "v1"}
ISSUER = "https://kubernetes.default.svc.cluster.local"


def check_token_request(parsed) -> None:
    """create_token.go Validate, in its order."""
    duration = parsed["duration"]
    if duration < 0:
        raise errors.CommandError("--duration must be greater than or equal to 0")
    if duration != int(duration):
        raise errors.CommandError("--duration cannot be expressed in units less than seconds")
    if any(audience == "" for audience in parsed["audience"]):
        raise errors.CommandError("--audience must not be an empty string")
    kind = parsed["bound-object-kind"]
    if not kind:
        for flag in ("bound-object-name", "bound-object-uid"):
            if parsed[flag]:
                raise errors.CommandError(f"--{flag} can only be set if --bound-object-kind is provided")
        return
    if kind not in BOUND_KINDS:
        raise errors.CommandError("supported --bound-object-kind values are " + ", ".join(sorted(BOUND_KINDS)))
    if not parsed["bound-object-name"]:
        raise errors.CommandError("--bound-object-name is required if --bound-object-kind is provided")


def token_request(ctx, parsed, account: dict, cluster) -> dict:
    """The TokenRequest the API server returns: a signed-looking service account JWT (one hour by
    default) for the account, bound to an object when asked (its uid checked as the server checks it)."""
    seconds = int(parsed["duration"]) or 3600
    now = int(ctx.now.timestamp())
    audiences = parsed["audience"] or [ISSUER]
    namespace, name = account["metadata"]["namespace"], account["metadata"]["name"]
    private = {"namespace": namespace, "serviceaccount": {"name": name, "uid": account["metadata"]["uid"]}}
    spec: dict = {"audiences": audiences, "expirationSeconds": seconds}
    bound = _bound_object(parsed, namespace, cluster)
    if bound:
        spec["boundObjectRef"] = bound
        private[bound["kind"].lower()] = {"name": bound["name"], "uid": bound["uid"]}
    claims = {"aud": audiences, "exp": now + seconds, "iat": now, "iss": ISSUER, "jti": cluster.new_uid(),
              "kubernetes.io": private, "nbf": now, "sub": f"system:serviceaccount:{namespace}:{name}"}
    token = ".".join(_base64url(part) for part in (
        json.dumps({"alg": "RS256", "kid": cluster.random_string(43)}, separators=(",", ":")).encode(),
        json.dumps(claims, separators=(",", ":")).encode(),
        bytes(cluster.rng.getrandbits(8) for _ in range(256))))
    expires = ctx.now.fromtimestamp(now + seconds, ctx.now.tzinfo).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"name": name, "namespace": namespace, "creationTimestamp": None},
            "spec": spec, "status": {"token": token, "expirationTimestamp": expires}}


def _bound_object(parsed, namespace: str, cluster) -> dict | None:
    kind = parsed["bound-object-kind"]
    if not kind:
        return None
    key = {"Pod": "pods", "Secret": "secrets", "Node": "nodes"}[kind]
    name = parsed["bound-object-name"]
    obj = cluster.get(key, "" if kind == "Node" else namespace, name)
    if obj is None:
        raise errors.CommandError(f'failed to create token: {key} "{name}" not found')
    uid = parsed["bound-object-uid"] or obj["metadata"]["uid"]
    if uid != obj["metadata"]["uid"]:
        raise errors.CommandError(f'failed to create token: the UID in the bound object reference ({uid}) does not '
                                  f'match the UID in record. The object might have been deleted and then recreated')
    return {"apiVersion": BOUND_KINDS[kind], "kind": kind, "name": name, "uid": uid}


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
