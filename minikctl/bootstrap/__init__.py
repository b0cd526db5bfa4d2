"""The add-ons a fresh kind v1.32 cluster runs besides CoreDNS, one module each (controllers.md §5).

Called from minikctl/bootstrap/cluster.py on a fresh state only, so nothing here is on the `get` path of
an existing state. Each module creates its objects through the API server's write path and leaves
the pods bound to their node; the kubelet starts them in the reconcile pass that follows.
"""
