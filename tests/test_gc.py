"""Garbage collection (background, foreground, orphan) and namespace termination."""

import json

from manifests import deployment


def count(kubectl, resource, *flags):
    return len(kubectl.json("get", resource, *flags)["items"])


def test_background_delete_cascades_level_by_level(kubectl):
    kubectl("apply", "-f", "-", stdin=deployment(replicas=2, namespace="default"))
    kubectl("delete", "deploy", "web")
    assert (count(kubectl, "rs"), count(kubectl, "pods")) == (0, 0)


def test_orphan_delete_keeps_dependents_without_owner(kubectl):
    kubectl("apply", "-f", "-", stdin=deployment(replicas=2, namespace="default"))
    kubectl("delete", "deploy", "web", "--cascade=orphan")
    [rs] = kubectl.json("get", "rs")["items"]
    assert "ownerReferences" not in rs["metadata"]
    assert count(kubectl, "pods") == 2
    kubectl("apply", "-f", "-", stdin=deployment(replicas=2, namespace="default"))
    [rs] = kubectl.json("get", "rs")["items"]
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    assert count(kubectl, "pods") == 2


def test_foreground_delete_removes_dependents_then_owner(kubectl):
    kubectl("apply", "-f", "-", stdin=deployment(replicas=2, namespace="default"))
    kubectl("delete", "deploy", "web", "--cascade=foreground")
    assert (count(kubectl, "deploy"), count(kubectl, "rs"), count(kubectl, "pods")) == (0, 0, 0)


def test_dependent_with_another_live_owner_only_loses_the_dangling_reference(kubectl):
    kubectl("create", "configmap", "keeper")
    kubectl("create", "configmap", "gone")
    uids = {name: kubectl("get", "cm", name, "-o", "jsonpath={.metadata.uid}") for name in ("keeper", "gone")}
    references = [{"apiVersion": "v1", "kind": "ConfigMap", "name": n, "uid": u} for n, u in uids.items()]
    kubectl("apply", "-f", "-", stdin='{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "child", '
                                      '"ownerReferences": ' + json.dumps(references) + '}}')
    kubectl("delete", "cm", "gone")
    child = kubectl.json("get", "cm", "child")
    assert [r["name"] for r in child["metadata"]["ownerReferences"]] == ["keeper"]
    kubectl("delete", "cm", "keeper")
    assert "child" not in kubectl("get", "cm", "-o", "name")


def test_namespace_deletion_removes_content_then_namespace(kubectl):
    kubectl("create", "namespace", "shop")
    kubectl("apply", "-f", "-", stdin=deployment(replicas=2, namespace="shop"))
    assert count(kubectl, "pods", "-n", "shop") == 2
    kubectl("delete", "namespace", "shop")
    assert "shop" not in kubectl("get", "namespaces", "-o", "name")
    assert count(kubectl, "pods", "-A") == 0 or all(
        p["metadata"]["namespace"] != "shop" for p in kubectl.json("get", "pods", "-A")["items"])


def test_orphan_delete_of_an_event_removes_it_at_once(kubectl):
    """Events stand outside garbage collection, so no finalizer is left waiting on them."""
    kubectl("create", "deployment", "web", "--image=nginx")
    event = kubectl("get", "events", "-o", "name").splitlines()[0]
    kubectl("delete", event, "--cascade=orphan")
    assert event not in kubectl("get", "events", "-o", "name").splitlines()
