"""The kinds registry: what `kubectl api-resources` shows for each resource minikctl serves.

Order is discovery order (core v1 alphabetically, then groups in the API server's order), as in
../shared/reference/kubectl-cli.md §2.1; it decides the `api-resources` table and `get all`.
"""

from __future__ import annotations


class Kind:
    """One resource of the registry; instances are singletons, compared by identity.

    Plain classes rather than dataclasses here and on the rest of `get`'s path: importing
    dataclasses costs more start-up time than reading a large state.
    """

    __slots__ = ("plural", "singular", "short_names", "group", "version", "namespaced", "kind", "categories")

    def __init__(self, plural: str, singular: str, short_names: tuple[str, ...], group: str, version: str,
                 namespaced: bool, kind: str, categories: tuple[str, ...] = ()):
        self.plural, self.singular, self.short_names = plural, singular, short_names
        self.group, self.version, self.namespaced = group, version, namespaced
        self.kind, self.categories = kind, categories

    def __repr__(self) -> str:
        return f"Kind({self.key})"

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def key(self) -> str:
        """The qualified resource: `deployments.apps`, `pods`; also the store's section name."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified(self) -> str:
        return self.key

    @property
    def kind_string(self) -> str:
        """`deployment.apps`: the prefix kubectl prints in `-o name` and in messages."""
        lower = self.kind.lower()
        return f"{lower}.{self.group}" if self.group else lower

    def name_of(self, name: str) -> str:
        return f"{self.kind_string}/{name}"


def _k(plural, singular, shorts, group, version, namespaced, kind, categories=()):
    return Kind(plural, singular, tuple(shorts), group, version, namespaced, kind, tuple(categories))


ALL = "all",
KINDS: tuple[Kind, ...] = (
    _k("configmaps", "configmap", ["cm"], "", "v1", True, "ConfigMap"),
    _k("endpoints", "endpoints", ["ep"], "", "v1", True, "Endpoints"),
    _k("events", "event", ["ev"], "", "v1", True, "Event"),
    _k("limitranges", "limitrange", ["limits"], "", "v1", True, "LimitRange"),
    _k("namespaces", "namespace", ["ns"], "", "v1", False, "Namespace"),
    _k("nodes", "node", ["no"], "", "v1", False, "Node"),
    _k("persistentvolumeclaims", "persistentvolumeclaim", ["pvc"], "", "v1", True, "PersistentVolumeClaim"),
    _k("persistentvolumes", "persistentvolume", ["pv"], "", "v1", False, "PersistentVolume"),
    _k("pods", "pod", ["po"], "", "v1", True, "Pod", ALL),
    _k("replicationcontrollers", "replicationcontroller", ["rc"], "", "v1", True, "ReplicationController", ALL),
    _k("resourcequotas", "resourcequota", ["quota"], "", "v1", True, "ResourceQuota"),
    _k("secrets", "secret", [], "", "v1", True, "Secret"),
    _k("serviceaccounts", "serviceaccount", ["sa"], "", "v1", True, "ServiceAccount"),
    _k("services", "service", ["svc"], "", "v1", True, "Service", ALL),
    _k("apiservices", "apiservice", [], "apiregistration.k8s.io", "v1", False, "APIService"),
    _k("controllerrevisions", "controllerrevision", [], "apps", "v1", True, "ControllerRevision"),
    _k("daemonsets", "daemonset", ["ds"], "apps", "v1", True, "DaemonSet", ALL),
    _k("deployments", "deployment", ["deploy"], "apps", "v1", True, "Deployment", ALL),
    _k("replicasets", "replicaset", ["rs"], "apps", "v1", True, "ReplicaSet", ALL),
    _k("statefulsets", "statefulset", ["sts"], "apps", "v1", True, "StatefulSet", ALL),
    _k("horizontalpodautoscalers", "horizontalpodautoscaler", ["hpa"], "autoscaling", "v2", True,
       "HorizontalPodAutoscaler", ALL),
    _k("cronjobs", "cronjob", ["cj"], "batch", "v1", True, "CronJob", ALL),
    _k("jobs", "job", [], "batch", "v1", True, "Job", ALL),
    _k("endpointslices", "endpointslice", [], "discovery.k8s.io", "v1", True, "EndpointSlice"),
    _k("networkpolicies", "networkpolicy", ["netpol"], "networking.k8s.io", "v1", True, "NetworkPolicy"),
    _k("clusterrolebindings", "clusterrolebinding", [], "rbac.authorization.k8s.io", "v1", False,
       "ClusterRoleBinding"),
    _k("clusterroles", "clusterrole", [], "rbac.authorization.k8s.io", "v1", False, "ClusterRole"),
    _k("rolebindings", "rolebinding", [], "rbac.authorization.k8s.io", "v1", True, "RoleBinding"),
    _k("roles", "role", [], "rbac.authorization.k8s.io", "v1", True, "Role"),
    _k("storageclasses", "storageclass", ["sc"], "storage.k8s.io", "v1", False, "StorageClass"),
)

BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
# Resources that never own nor depend on anything: the garbage collector skips them, and deleting
# one never waits for it.
OUTSIDE_GARBAGE_COLLECTION = frozenset({"events"})
BY_GROUP_KIND: dict[tuple[str, str], Kind] = {(k.group, k.kind): k for k in KINDS}

# Versions the API server also serves for a group/kind (apply accepts them, stores the preferred one).
EXTRA_VERSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("autoscaling", "HorizontalPodAutoscaler"): ("v1",),
}


def for_key(key: str) -> Kind:
    return BY_KEY[key]


def for_api_version(api_version: str, kind: str) -> Kind | None:
    """The registry entry for an object's apiVersion/kind, or None (kubectl: `no matches for kind`)."""
    group, _, version = api_version.rpartition("/")
    entry = BY_GROUP_KIND.get((group, kind))
    if entry is None:
        return None
    if version != entry.version and version not in EXTRA_VERSIONS.get((group, kind), ()):
        return None
    return entry


def for_object(obj: dict) -> Kind:
    entry = for_api_version(obj.get("apiVersion", ""), obj.get("kind", ""))
    if entry is None:
        raise KeyError(f"{obj.get('apiVersion')}/{obj.get('kind')}")
    return entry


def category(name: str) -> list[Kind]:
    """Kinds of a category in the order `kubectl get all` prints them (discovery order, core first)."""
    order = ["pods", "replicationcontrollers", "services", "daemonsets.apps", "deployments.apps",
             "replicasets.apps", "statefulsets.apps", "horizontalpodautoscalers.autoscaling",
             "cronjobs.batch", "jobs.batch"]
    if name != "all":
        return []
    return [BY_KEY[k] for k in order]
