"""Manifests the tests apply, written once: builders return YAML text for `cli.write` / `kubectl.apply`.

deployment(replicas=3) is the usual `web` Deployment (app=web, one nginx container); extra container
fields go in as keywords (ports=[{"containerPort": 80}]), extra containers with `sidecars`."""

from __future__ import annotations

import json
import re

import yaml

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value)


def to_yaml(obj, indent: int = 0) -> str:
    """Block-style YAML of plain dicts, lists and scalars, keys in their given order."""
    pad = " " * indent
    if isinstance(obj, list):
        out = ""
        for item in obj:
            if isinstance(item, (dict, list)) and item:
                text = to_yaml(item, indent + 2)
                out += pad + "- " + text[indent + 2:]
            else:
                out += f"{pad}- {_inline(item)}\n"
        return out
    out = ""
    for key, value in obj.items():
        if isinstance(value, (dict, list)) and value:
            out += f"{pad}{key}:\n" + to_yaml(value, indent + 2 if isinstance(value, dict) else indent)
        else:
            out += f"{pad}{key}: {_inline(value)}\n"
    return out


def _inline(value) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def documents(*texts: str) -> str:
    """Several manifests as one multi-document YAML stream."""
    return "---\n".join(texts)


def _metadata(name: str, namespace: str | None = None, labels: dict | None = None,
              annotations: dict | None = None) -> dict:
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    return meta


def _workload(kind: str, name: str, replicas: int | None, image: str, *, container: str, app: str | None,
              namespace: str | None, labels: dict | None, sidecars: list | None, pod_spec: dict | None,
              spec: dict | None, fields: dict) -> str:
    app = app or name
    body: dict = dict(spec or {})
    if replicas is not None:
        body["replicas"] = replicas
    containers = [{"name": container, "image": image, **fields}]
    for sidecar in sidecars or []:
        containers.append(sidecar if isinstance(sidecar, dict) else {"name": sidecar[0], "image": sidecar[1]})
    body["selector"] = {"matchLabels": {"app": app}}
    body["template"] = {"metadata": {"labels": {"app": app}},
                        "spec": {**(pod_spec or {}), "containers": containers}}
    group = "v1" if kind == "Pod" else "apps/v1"
    return to_yaml({"apiVersion": group, "kind": kind, "metadata": _metadata(name, namespace, labels),
                    "spec": body})


def deployment(name: str = "web", replicas: int | None = 3, image: str = "nginx:1.27", *,
               container: str = "nginx", app: str | None = None, namespace: str | None = None,
               labels: dict | None = None, sidecars: list | None = None, pod_spec: dict | None = None,
               spec: dict | None = None, **container_fields) -> str:
    """A Deployment selecting app=<app or name>; replicas=None leaves the field out."""
    return _workload("Deployment", name, replicas, image, container=container, app=app, namespace=namespace,
                     labels=labels, sidecars=sidecars, pod_spec=pod_spec, spec=spec, fields=container_fields)


def replicaset(name: str = "web", replicas: int | None = 3, image: str = "nginx:1.27", *,
               container: str = "nginx", app: str | None = None, namespace: str | None = None,
               **container_fields) -> str:
    return _workload("ReplicaSet", name, replicas, image, container=container, app=app, namespace=namespace,
                     labels=None, sidecars=None, pod_spec=None, spec=None, fields=container_fields)


def statefulset(name: str, replicas: int | None, image: str, *, service: str, container: str,
                app: str | None = None, namespace: str | None = None, **container_fields) -> str:
    return _workload("StatefulSet", name, replicas, image, container=container, app=app, namespace=namespace,
                     labels=None, sidecars=None, pod_spec=None, spec={"serviceName": service},
                     fields=container_fields)


def daemonset(name: str = "agent", image: str = "busybox", *, container: str | None = None,
              app: str | None = None, namespace: str | None = None, pod_spec: dict | None = None,
              **container_fields) -> str:
    """A DaemonSet selecting app=<app or name>, its one container named after it unless told."""
    return _workload("DaemonSet", name, None, image, container=container or name, app=app, namespace=namespace,
                     labels=None, sidecars=None, pod_spec=pod_spec, spec=None, fields=container_fields)


def namespace(name: str, labels: dict | None = None) -> str:
    return to_yaml({"apiVersion": "v1", "kind": "Namespace", "metadata": _metadata(name, labels=labels)})


def node(name: str, labels: dict | None = None) -> str:
    return to_yaml({"apiVersion": "v1", "kind": "Node", "metadata": _metadata(name, labels=labels)})


def service(name: str, spec: dict, *, namespace: str | None = None, labels: dict | None = None) -> str:
    return to_yaml({"apiVersion": "v1", "kind": "Service", "metadata": _metadata(name, namespace, labels),
                    "spec": spec})


def pod(name: str, image: str, *, container: str = "main", namespace: str | None = None,
        labels: dict | None = None, annotations: dict | None = None, spec: dict | None = None,
        **container_fields) -> str:
    return to_yaml({"apiVersion": "v1", "kind": "Pod",
                    "metadata": _metadata(name, namespace, labels, annotations),
                    "spec": {**(spec or {}), "containers": [{"name": container, "image": image,
                                                              **container_fields}]}})


# The `shop` namespace's web tier and database, as the DNS, exec and endpoints tests find them.
SHOP = namespace("shop")
SHOP_WEB = deployment("web", 2, namespace="shop", ports=[{"name": "http", "containerPort": 80}])
MY_SERVICE = service("my-service", {"clusterIP": "10.96.12.34", "selector": {"app": "web"},
                                    "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
                     namespace="shop")
DB_SERVICE = service("db", {"clusterIP": "None", "selector": {"app": "db"},
                            "ports": [{"name": "postgres", "port": 5432}]}, namespace="shop")
DB = statefulset("db", 2, "postgres:16", service="db", container="postgres", namespace="shop",
                 ports=[{"name": "postgres", "containerPort": 5432}])


def configmap(name: str, data: dict | None = None, *, namespace: str | None = None) -> str:
    obj: dict = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _metadata(name, namespace)}
    if data is not None:
        obj["data"] = data
    return to_yaml(obj)


class StoredTextLoader(yaml.SafeLoader):
    """Reads objects as a real cluster stores them: timestamps stay strings, not datetime objects."""


StoredTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
