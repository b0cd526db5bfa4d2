"""`minikctl serve`: the Kubernetes API over the state file, for kubectl, client libraries and operators.

An optional extra (`pip install 'minikctl[serve]'`): starlette and uvicorn are imported only here,
so the CLI's start-up does not change. Every write runs through the API server functions the CLI
uses (api/server.py) inside the CLI's transaction (lock, reconcile pass, atomic save).
"""
