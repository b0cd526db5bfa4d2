"""`kubectl describe` texts: one describer per kind, imported only when describe runs.

Each describer is `describe_<kind>(obj, settings) -> str` in one of this package's modules; kinds
without a dedicated kubectl describer use the generic one, as kubectl does
(kubernetes/kubectl pkg/describe/describe.go: describerMap, GenericDescriberFor).
"""

from __future__ import annotations

import importlib

from minikctl.printers.describe.engine import Settings

# resource key -> (module, function)
DESCRIBERS: dict[str, tuple[str, str]] = {
    "pods": ("pod", "describe_pod"),
    "deployments.apps": ("workloads", "describe_deployment"),
    "replicasets.apps": ("workloads", "describe_replicaset"),
    "replicationcontrollers": ("workloads", "describe_replicationcontroller"),
    "statefulsets.apps": ("workloads", "describe_statefulset"),
    "daemonsets.apps": ("workloads", "describe_daemonset"),
    "jobs.batch": ("workloads", "describe_job"),
    "cronjobs.batch": ("workloads", "describe_cronjob"),
    "services": ("service", "describe_service"),
    "endpoints": ("service", "describe_endpoints"),
    "endpointslices.discovery.k8s.io": ("service", "describe_endpointslice"),
    "nodes": ("node", "describe_node"),
    "configmaps": ("config", "describe_configmap"),
    "secrets": ("config", "describe_secret"),
    "serviceaccounts": ("config", "describe_serviceaccount"),
    "namespaces": ("config", "describe_namespace"),
    "resourcequotas": ("config", "describe_resourcequota"),
    "limitranges": ("config", "describe_limitrange"),
    "roles.rbac.authorization.k8s.io": ("misc", "describe_role"),
    "clusterroles.rbac.authorization.k8s.io": ("misc", "describe_role"),
    "rolebindings.rbac.authorization.k8s.io": ("misc", "describe_rolebinding"),
    "clusterrolebindings.rbac.authorization.k8s.io": ("misc", "describe_rolebinding"),
    "networkpolicies.networking.k8s.io": ("misc", "describe_networkpolicy"),
    "horizontalpodautoscalers.autoscaling": ("misc", "describe_horizontalpodautoscaler"),
    "persistentvolumes": ("storage", "describe_persistentvolume"),
    "persistentvolumeclaims": ("storage", "describe_persistentvolumeclaim"),
    "storageclasses.storage.k8s.io": ("storage", "describe_storageclass"),
}
GENERIC = ("generic", "describe_generic")


def describe(kind_key: str, obj: dict, settings: Settings) -> str:
    module_name, function_name = DESCRIBERS.get(kind_key, GENERIC)
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, function_name)(obj, settings)
