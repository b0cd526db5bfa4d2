"""Reconcile-pass benchmark: how the control plane's time grows with the number of replicas.

Runs minikctl in-process on a fresh state with enough worker nodes for every pod to run, and times
the reconcile pass (not start-up) of:
  - `scale deploy web --replicas=N` for N = 100, 1,000, 5,000 (each from a fresh 1-replica state);
  - a rolling update (`set image`) of a 1,000-replica Deployment;
  - validating 1,000 manifests (the apply path's schema walk).
Targets (issue 3): 1,000 replicas reconciled in under 1 s; growth no worse than linear.

    python bench/bench_reconcile.py
"""

from __future__ import annotations

import copy
import io
import tempfile
import time

from minikctl import controllers
from minikctl.cli.main import run
from minikctl.env import Environment

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
"""
NODE = """apiVersion: v1
kind: Node
metadata:
  name: worker-{index}
  labels: {{kubernetes.io/hostname: worker-{index}}}
status:
  capacity: {{cpu: "64", memory: 256Gi, pods: "250"}}
"""


NODES = 25  # 25 workers of 250 pods: room for every replica of the largest run


class ReconcileTimer:
    """Wraps controllers.reconcile to add up the time spent in it."""

    def __init__(self):
        self.seconds = 0.0
        self.original = controllers.reconcile

    def __enter__(self):
        def timed(cluster):
            start = time.perf_counter()
            try:
                return self.original(cluster)
            finally:
                self.seconds += time.perf_counter() - start

        controllers.reconcile = timed
        return self

    def __exit__(self, *exc):
        controllers.reconcile = self.original


def minikctl(folder: str, *argv: str, stdin: str = "") -> None:
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), stdin=io.StringIO(stdin), cwd=folder,
                      environ={"MINIKCTL_NOW": "2026-01-01T00:00:00Z"})
    if run(list(argv), env) != 0:
        raise SystemExit(f"minikctl {' '.join(argv)} failed: {env.stderr.getvalue()}")


def fresh_cluster(nodes: int) -> str:
    folder = tempfile.mkdtemp(prefix="minikctl-reconcile-")
    minikctl(folder, "apply", "-f", "-", stdin="---\n".join(NODE.format(index=i) for i in range(nodes)))
    minikctl(folder, "apply", "-f", "-", stdin=DEPLOYMENT)
    return folder


def timed(folder: str, *argv: str) -> float:
    with ReconcileTimer() as timer:
        minikctl(folder, *argv)
    return timer.seconds


def main() -> None:
    results = {}
    for replicas in (100, 1000, 5000):
        folder = fresh_cluster(nodes=NODES)  # the same nodes for every N, so only the replica count grows
        results[replicas] = timed(folder, "scale", "deploy", "web", f"--replicas={replicas}")
        print(f"scale deploy web --replicas={replicas:<5}  reconcile {results[replicas]:7.3f} s"
              f"   {results[replicas] / replicas * 1000:6.3f} ms per replica")
    print(f"growth 100 -> 1000: x{results[1000] / results[100]:.1f} for x10 replicas; "
          f"1000 -> 5000: x{results[5000] / results[1000]:.1f} for x5")
    folder = fresh_cluster(nodes=NODES)
    minikctl(folder, "scale", "deploy", "web", "--replicas=1000")
    rollout = timed(folder, "set", "image", "deploy/web", "nginx=nginx:1.28")
    print(f"rolling update of 1000 replicas          reconcile {rollout:7.3f} s")
    print(f"validate 1000 manifests                  {validate_thousand():7.3f} s")


def validate_thousand() -> float:
    import yaml

    from minikctl.api.manifests import Document
    from minikctl.api.validation import validate

    manifest = yaml.safe_load(DEPLOYMENT)
    validate(Document("warm-up", manifest))
    documents = [Document("bench", copy.deepcopy(manifest)) for _ in range(1000)]
    start = time.perf_counter()
    for document in documents:
        validate(document)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
