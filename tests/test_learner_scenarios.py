"""A learner's walk through the seed notes' topics, one scenario per test, each pinned to what kubectl 1.32
against a kind cluster prints (shared/reference/kubectl-cli.md, controllers.md)."""

from manifests import deployment, to_yaml

QUOTA = to_yaml({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "compute"},
                 "spec": {"hard": {"pods": "3", "requests.cpu": "1"}}})


def _conditions(kubectl, resource: str) -> list[tuple[str, str, str]]:
    status = kubectl.json("get", resource)["status"]
    return [(c["type"], c["status"], c["reason"]) for c in status.get("conditions", [])]


def _quota_blocked_web(kubectl) -> None:
    """A Deployment whose pods request 400m under a 1-CPU quota, scaled beyond what the quota admits."""
    kubectl.apply(QUOTA)
    kubectl.apply(deployment(replicas=2))
    kubectl.apply(deployment(replicas=2, resources={"requests": {"cpu": "400m"}}))
    kubectl("scale", "deployment", "web", "--replicas=4")


def test_quota_refusal_surfaces_as_the_deployments_replica_failure(kubectl):
    """progress.go getReplicaFailures: the new ReplicaSet's ReplicaFailure is copied onto the Deployment, and
    util.SetDeploymentCondition appends every changed condition at the end."""
    _quota_blocked_web(kubectl)
    described = kubectl("describe", "deployment", "web")
    assert ("Conditions:\n"
            "  Type             Status  Reason\n"
            "  ----             ------  ------\n"
            "  Progressing      True    NewReplicaSetAvailable\n"
            "  Available        False   MinimumReplicasUnavailable\n"
            "  ReplicaFailure   True    FailedCreate\n") in described
    kubectl("delete", "resourcequota", "compute")
    assert _conditions(kubectl, "deployment/web") == [("Progressing", "True", "NewReplicaSetAvailable"),
                                                      ("Available", "True", "MinimumReplicasAvailable")]


def test_a_replicaset_at_its_size_drops_its_replica_failure(kubectl):
    """replica_set_utils.go calculateStatus: a sync whose manageReplicas succeeds removes ReplicaFailure, so the
    old ReplicaSet (refused for missing requests, then scaled to 0) keeps no failure."""
    _quota_blocked_web(kubectl)
    old, new = sorted(kubectl("get", "rs", "-o", "name").split(), key=lambda n: kubectl(
        "get", n, "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"))
    assert _conditions(kubectl, old) == []
    assert _conditions(kubectl, new) == [("ReplicaFailure", "True", "FailedCreate")]


SECRET = to_yaml({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db-credentials"}, "type": "Opaque",
                  "data": {"username": "YWRtaW4="}, "stringData": {"username": "shop", "password": "s3cret"}})


def test_a_secrets_string_data_is_stored_as_base64_data(kubectl):
    """stringData is write-only: the API server encodes it into data, overwriting the same keys
    (kubernetes/kubernetes pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret)."""
    kubectl.apply(SECRET)
    assert kubectl("get", "secret", "db-credentials") == (
        "NAME             TYPE     DATA   AGE\n"
        "db-credentials   Opaque   2      0s\n")
    assert kubectl("describe", "secret", "db-credentials").endswith(
        "Type:  Opaque\n\nData\n====\nusername:  4 bytes\npassword:  6 bytes\n")
    stored = kubectl.json("get", "secret", "db-credentials")
    assert (stored["data"], "stringData" in stored) == ({"username": "c2hvcA==", "password": "czNjcmV0"}, False)
    # The live object never has stringData, so kubectl's three-way patch is never empty: "configured", as a
    # real cluster says for every re-apply of such a manifest, though nothing changes.
    assert kubectl.apply(SECRET) == "secret/db-credentials configured\n"
    assert kubectl.json("get", "secret", "db-credentials")["data"] == stored["data"]
