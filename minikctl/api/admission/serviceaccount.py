"""ServiceAccount admission: a pod may only run as a ServiceAccount that exists.

kubernetes/kubernetes plugin/pkg/admission/serviceaccount/admission.go (Admit): a mutating plugin, so
it runs before the registry generates a name and its refusal names the generateName prefix
(kubernetes/apiserver pkg/admission/errors.go). Mirror pods are skipped. The `default` account is
taken as present: the serviceaccount controller creates it with the namespace, and the plugin waits
for it rather than refusing.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.core.kinds import Kind
from minikctl.cluster import Cluster

MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


def check_account_exists(cluster: Cluster, kind: Kind, pod: dict) -> None:
    """Refuse a new pod naming a ServiceAccount its namespace does not have."""
    if kind.key != "pods":
        return
    meta = pod["metadata"]
    if MIRROR_ANNOTATION in (meta.get("annotations") or {}):
        return
    spec = pod.get("spec") or {}
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    namespace = meta.get("namespace", "")
    if account == "default" or cluster.get("serviceaccounts", namespace, account) is not None:
        return
    name = meta.get("name") or meta.get("generateName") or "Unknown"
    raise errors.forbidden(f'pods "{name}" is forbidden: error looking up service account {namespace}/{account}: '
                           f'serviceaccount "{account}" not found')
