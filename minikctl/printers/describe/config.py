"""describe for ConfigMap, Secret, ServiceAccount, Namespace, ResourceQuota and LimitRange.

Layout facts: kubernetes/kubectl pkg/describe/describe.go (ConfigMapDescriber, describeSecret,
describeServiceAccount, describeNamespace, DescribeResourceQuotas, DescribeLimitRanges,
describeQuota, describeLimitRange); ../shared/reference/kubectl-cli.md §9.11-§9.13.
Go map order is random in kubectl; minikctl prints data keys in stored (manifest) order, the order the
reference examples show.
"""

from __future__ import annotations

import base64
import binascii

from minikctl.printers.describe import engine
from minikctl.printers.describe.engine import Settings, Writer
from minikctl.core.quantity import canonical_text as canonical

SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token"
SERVICE_ACCOUNT_NAME_ANNOTATION = "kubernetes.io/service-account.name"
SERVICE_ACCOUNT_UID_ANNOTATION = "kubernetes.io/service-account.uid"
QUOTA_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a node "
                   "before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long "
                      "running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
                  "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a "
                     "burstable or guaranteed quality of service.",
}


def describe_configmap(config_map: dict, settings: Settings) -> str:
    """Values verbatim under `key:` and `----`; binary values as byte counts."""
    w = Writer()
    engine.name_namespace_labels_annotations(w, config_map)
    w.write(0, "\nData\n====\n")
    data = config_map.get("data") or {}
    for key in data:
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{data[key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = config_map.get("binaryData") or {}
    for key in binary:
        w.write(0, f"{key}: {_decoded_length(binary[key])} bytes\n")
    w.write(0, "\n")
    engine.events(w, config_map, settings)
    return w.text()


def _decoded_length(encoded: str) -> int:
    try:
        return len(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError):
        return len(encoded)


def describe_secret(secret: dict, settings: Settings) -> str:
    """Byte counts only, except a service-account token, which kubectl prints in clear."""
    w = Writer()
    engine.name_namespace_labels_annotations(w, secret)
    secret_type = secret.get("type", "")
    w.write(0, f"\nType:\t{secret_type}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in data:
        if key == "token" and secret_type == SERVICE_ACCOUNT_TOKEN_TYPE:
            w.line(0, f"{key}:\t{base64.b64decode(data[key]).decode(errors='replace')}")
        else:
            w.line(0, f"{key}:\t{_decoded_length(data[key])} bytes")
    return w.text()


def describe_serviceaccount(account: dict, settings: Settings) -> str:
    w = Writer()
    engine.name_namespace_labels_annotations(w, account)
    secrets = settings.cluster.list("secrets", account["metadata"].get("namespace", ""))
    existing = {secret["metadata"]["name"] for secret in secrets}
    tokens = [secret["metadata"]["name"] for secret in secrets if _is_token_of(secret, account)]
    # kubectl sorts the three headers as strings: "Image pull secrets:" < "Mountable secrets: " < "Tokens:"
    groups = (("Image pull secrets:", [ref.get("name", "") for ref in account.get("imagePullSecrets") or []]),
              ("Mountable secrets: ", [ref.get("name", "") for ref in account.get("secrets") or []]),
              ("Tokens:            ", tokens))
    for header, names in groups:
        if not names:
            w.line(0, f"{header}\t<none>")
        for position, name in enumerate(names):
            missing = "" if name in existing else " (not found)"
            w.line(0, f"{header if position == 0 else ' ' * 19}\t{name}{missing}")
    engine.events(w, account, settings)
    return w.text()


def _is_token_of(secret: dict, account: dict) -> bool:
    notes = secret["metadata"].get("annotations") or {}
    return (secret.get("type") == SERVICE_ACCOUNT_TOKEN_TYPE
            and notes.get(SERVICE_ACCOUNT_NAME_ANNOTATION) == account["metadata"]["name"]
            and notes.get(SERVICE_ACCOUNT_UID_ANNOTATION) == account["metadata"].get("uid"))


def describe_namespace(namespace: dict, settings: Settings) -> str:
    """No Events section; the namespace's quotas and limit ranges follow, each after an empty line."""
    w = Writer()
    meta, status = namespace["metadata"], namespace.get("status") or {}
    w.line(0, f"Name:\t{meta['name']}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, f"Status:\t{status.get('phase', '')}")
    _namespace_conditions(w, status.get("conditions"))
    w.line(0)
    _quotas(w, settings.cluster.list("resourcequotas", meta["name"]))
    w.line(0)
    _limit_ranges(w, settings.cluster.list("limitranges", meta["name"]))
    return w.text()


def _namespace_conditions(w: Writer, conditions: list | None) -> None:
    if not conditions:
        return
    w.line(0, "Conditions:")
    w.line(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage")
    w.line(1, "----\t------\t------------------\t------\t-------")
    for c in conditions:
        w.line(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{engine.rfc1123z(c.get('lastTransitionTime'))}\t"
                  f"{c.get('reason', '')}\t{c.get('message', '')}")


def _quotas(w: Writer, quotas: list[dict]) -> None:
    if not quotas:
        w.line(0, "No resource quota.")
        return
    w.line(0, "Resource Quotas")
    for quota in sorted(quotas, key=lambda q: q["metadata"]["name"]):
        w.line(1, f"Name:\t{quota['metadata']['name']}")
        scopes = sorted((quota.get("spec") or {}).get("scopes") or [])
        if scopes:
            w.line(1, f"Scopes:\t{', '.join(scopes)}")
            for scope in scopes:
                if scope in QUOTA_SCOPE_HELP:
                    w.line(1, f"* {QUOTA_SCOPE_HELP[scope]}")
        w.line(1, "Resource\tUsed\tHard")
        w.line(1, "--------\t---\t---")
        for name, used, hard in _quota_rows(quota):
            w.line(1, f"{name}\t{used}\t{hard}")


def _quota_rows(quota: dict) -> list[tuple[str, str, str]]:
    status = quota.get("status") or {}
    hard, used = status.get("hard") or {}, status.get("used") or {}
    return [(name, canonical(used.get(name, "0")), canonical(hard[name])) for name in sorted(hard)]


def _limit_ranges(w: Writer, limit_ranges: list[dict]) -> None:
    if not limit_ranges:
        w.line(0, "No LimitRange resource.")
        return
    w.line(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio")
    w.line(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------")
    for limit_range in limit_ranges:
        _limit_rows(w, limit_range, " ")


_LIMIT_COLUMNS = ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")


def _limit_rows(w: Writer, limit_range: dict, prefix: str) -> None:
    """One row per limit type and resource, `-` where a column does not mention the resource."""
    for item in (limit_range.get("spec") or {}).get("limits") or []:
        resources = sorted({name for column in _LIMIT_COLUMNS for name in item.get(column) or {}})
        for name in resources:
            values = [canonical(item[column][name]) if name in (item.get(column) or {}) else "-"
                      for column in _LIMIT_COLUMNS]
            w.line(0, f"{prefix}{item.get('type', '')}\t{name}\t" + "\t".join(values))


def describe_limitrange(limit_range: dict, settings: Settings) -> str:
    w = Writer()
    w.line(0, f"Name:\t{limit_range['metadata']['name']}")
    w.line(0, f"Namespace:\t{limit_range['metadata'].get('namespace', '')}")
    w.line(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio")
    w.line(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------")
    _limit_rows(w, limit_range, "")
    return w.text()


def describe_resourcequota(quota: dict, settings: Settings) -> str:
    w = Writer()
    w.line(0, f"Name:\t{quota['metadata']['name']}")
    w.line(0, f"Namespace:\t{quota['metadata'].get('namespace', '')}")
    scopes = sorted((quota.get("spec") or {}).get("scopes") or [])
    if scopes:
        w.line(0, f"Scopes:\t{', '.join(scopes)}")
        for scope in scopes:
            if scope in QUOTA_SCOPE_HELP:
                w.line(0, f" * {QUOTA_SCOPE_HELP[scope]}")
    w.line(0, "Resource\tUsed\tHard")
    w.line(0, "--------\t----\t----")
    for name, used, hard in _quota_rows(quota):
        w.line(0, f"{name}\t{used}\t{hard}")
    return w.text()
