"""The core's speed table (issue 9): whole-process CPU time and peak RSS of real minikctl processes.

Each row runs `python -m minikctl ...` as a child process on a prepared state and reads the child's
CPU time (user + system) and peak resident set size from getrusage, so start-up, the reconcile pass and
the atomic save all count, as a user would see them.

    python bench/bench_core.py            # every row
    python bench/bench_core.py scale      # rows whose name contains "scale"
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile

NOW = "2026-01-01T00:00:00Z"
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  strategy: {{type: RollingUpdate, rollingUpdate: {{maxSurge: 1, maxUnavailable: 0}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: nginx, image: "nginx:1.27"}}]
"""
NODE = """apiVersion: v1
kind: Node
metadata:
  name: worker-{index}
  labels: {{kubernetes.io/hostname: worker-{index}}}
status:
  capacity: {{cpu: "64", memory: 256Gi, pods: "250"}}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata: {{name: svc-{index}}}
spec:
  selector: {{app: svc-{index}}}
  ports: [{{port: 80}}]
"""


class Run:
    def __init__(self, cpu: float, rss_mb: float):
        self.cpu, self.rss_mb = cpu, rss_mb


def minikctl(folder: str, *argv: str, stdin: str = "") -> Run:
    """One child process; its CPU seconds and peak RSS (MB)."""
    env = dict(os.environ, MINIKCTL_NOW=NOW, MINIKCTL_STATE=os.path.join(folder, "state.json"))
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # a fresh intermediate process, so its RUSAGE_CHILDREN covers this one run only
        os.close(reader)
        result = subprocess.run([sys.executable, "-m", "minikctl", *argv], input=stdin.encode(), env=env,
                                cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if result.returncode:
            sys.stderr.write(f"minikctl {' '.join(argv)} failed: {result.stderr.decode()}")
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        os.write(writer, f"{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}".encode())
        os._exit(result.returncode)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        cpu, rss_kb = pipe.read().split()
    _, status = os.waitpid(pid, 0)
    if status:
        raise SystemExit(1)
    return Run(float(cpu), int(rss_kb) / 1024)


def cluster(nodes: int, replicas: int = 1) -> str:
    folder = tempfile.mkdtemp(prefix="minikctl-bench-")
    if nodes:
        minikctl(folder, "apply", "-f", "-", stdin="---\n".join(NODE.format(index=i) for i in range(nodes)))
    minikctl(folder, "apply", "-f", "-", stdin=DEPLOYMENT.format(replicas=replicas))
    return folder


def nodes_for(replicas: int) -> int:
    return replicas // 250 + 1


def row(name: str, figure: str, goal: str) -> None:
    print(f"{name:<58} {figure:<34} goal {goal}", flush=True)


def scale_rows() -> None:
    runs = {}
    for replicas in (1000, 10000):
        folder = cluster(nodes_for(10000))
        runs[replicas] = minikctl(folder, "scale", "deploy", "web", f"--replicas={replicas}")
        shutil.rmtree(folder)
    row("scale deploy web --replicas=1000", f"{runs[1000].cpu:.2f} s, {runs[1000].rss_mb:.0f} MB", "< 0.5 s")
    row("scale to 10,000", f"{runs[10000].cpu:.2f} s, {runs[10000].rss_mb:.0f} MB "
        f"(x{runs[10000].cpu / runs[1000].cpu:.1f} for x10)", "< 5 s, < 300 MB, linear")


def rollout_row() -> None:
    folder = cluster(nodes_for(1000), replicas=1000)
    run = minikctl(folder, "set", "image", "deploy/web", "nginx=nginx:1.28")
    row("set image on 1,000 replicas (maxSurge 1, maxUnavailable 0)", f"{run.cpu:.2f} s, {run.rss_mb:.0f} MB", "< 2 s")
    shutil.rmtree(folder)


def configmap_row() -> None:
    fresh = cluster(0)
    small = minikctl(fresh, "create", "configmap", "x")
    large_state = cluster(nodes_for(10000), replicas=10000)
    large = minikctl(large_state, "create", "configmap", "x")
    row("create configmap x: 10,000-pod state vs fresh",
        f"{large.cpu:.2f} s vs {small.cpu:.2f} s (x{large.cpu / small.cpu:.1f})", "< 2x")
    reads = minikctl(large_state, "get", "pods", "-A")
    row("get pods -A at 10,000 pods", f"{reads.cpu:.2f} s, peak RSS {reads.rss_mb:.0f} MB", "< 100 MB")
    shutil.rmtree(fresh)
    shutil.rmtree(large_state)


def services_row() -> None:
    runs = {}
    for count in (1000, 2000):
        folder = cluster(0)
        runs[count] = minikctl(folder, "apply", "-f", "-", stdin="---\n".join(SERVICE.format(index=i) for i in range(count)))
        shutil.rmtree(folder)
    row("apply 2,000 Services in one call", f"{runs[2000].cpu:.2f} s (1,000: {runs[1000].cpu:.2f} s)", "< 2 s, linear")


def manifests_row() -> None:
    folder = tempfile.mkdtemp(prefix="minikctl-bench-")
    manifests = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "manifests")
    run = minikctl(folder, "apply", "-f", manifests)
    row("first apply -f manifests/ on no state", f"{run.cpu:.2f} s", "< 0.2 s")
    shutil.rmtree(folder)


ROWS = {"scale": scale_rows, "rollout": rollout_row, "configmap and get": configmap_row, "services": services_row,
        "manifests": manifests_row}


def main(argv: list[str]) -> None:
    for name, function in ROWS.items():
        if not argv or any(word in name for word in argv):
            function()


if __name__ == "__main__":
    main(sys.argv[1:])
