"""Wall-time benchmark of minikctl against kubectl, run in the same process for a fair baseline.

Builds a state of 10,000 objects (services, pods, configmaps), then prints median wall times and
their ratio to `kubectl label --local -f obj.json x- -o jsonpath=...` on one object (kubectl's
start-up plus one JSONPath evaluation, with no server):

    python bench/bench_cli.py [--runs N] [--objects N]

Targets (issue 2): a single `get ... -o jsonpath` within 1.5x of the kubectl baseline; applying
1,000 objects in one call under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MINIKCTL = [sys.executable, "-m", "minikctl"]


def median_seconds(command: list[str], runs: int, env: dict, cwd: str, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def objects(kind: str, count: int, namespace: str, prefix: str) -> list[dict]:
    made = []
    for index in range(count):
        name = f"{prefix}-{index:05d}"
        meta = {"name": name, "namespace": namespace, "labels": {"app": name}}
        if kind == "Service":
            made.append({"apiVersion": "v1", "kind": "Service", "metadata": meta,
                         "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]}})
        elif kind == "Pod":
            made.append({"apiVersion": "v1", "kind": "Pod", "metadata": meta,
                         "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}})
        else:
            made.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"key": name}})
    return made


def write_list(path: str, items: list[dict]) -> None:
    with open(path, "w") as handle:
        json.dump({"apiVersion": "v1", "kind": "List", "items": items}, handle)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--objects", type=int, default=10_000)
    options = parser.parse_args()
    if not shutil.which("kubectl"):
        sys.exit("kubectl is not on PATH: the baseline needs it")
    work = tempfile.mkdtemp(prefix="minikctl-bench-")
    # Byte-code caching on, as for any installed package (pip compiles on install); some shells here set
    # PYTHONDONTWRITEBYTECODE, which would make every run recompile minikctl.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["MINIKCTL_STATE"] = os.path.join(work, "cluster.json")
    services = options.objects // 5
    pods = options.objects // 2
    configmaps = options.objects - services - pods
    write_list(os.path.join(work, "state.json"), objects("Service", services, "default", "svc")
               + objects("Pod", pods, "default", "pod") + objects("ConfigMap", configmaps, "default", "cm"))
    start = time.perf_counter()
    subprocess.run(MINIKCTL + ["apply", "-f", "state.json"], env=env, cwd=work, stdout=subprocess.DEVNULL, check=True)
    print(f"built a state of {options.objects} objects in {time.perf_counter() - start:.2f} s "
          f"({os.path.getsize(env['MINIKCTL_STATE']) / 1e6:.1f} MB)")

    obj_path = os.path.join(work, "obj.json")
    with open(obj_path, "w") as handle:
        json.dump(objects("ConfigMap", 1, "default", "baseline")[0], handle)
    baseline = median_seconds(["kubectl", "label", "--local", "-f", obj_path, "x-", "-o",
                               "jsonpath={.metadata.name}"], options.runs, env, work)
    print(f"baseline  kubectl label --local -o jsonpath          {baseline * 1000:8.1f} ms")

    def report(label: str, seconds: float) -> None:
        print(f"{label:50s} {seconds * 1000:8.1f} ms   {seconds / baseline:5.2f}x baseline")

    report("get svc NAME -o jsonpath={.spec.clusterIP}",
           median_seconds(MINIKCTL + ["get", "svc", "svc-00042", "-o", "jsonpath={.spec.clusterIP}"], options.runs, env, work))
    report("get pods -A", median_seconds(MINIKCTL + ["get", "pods", "-A"], max(3, options.runs // 3), env, work))

    batches = iter(range(1000))

    def fresh_batch() -> None:
        write_list(os.path.join(work, "batch.json"), objects("ConfigMap", 1000, "default", f"batch{next(batches)}"))

    report("apply -f (1,000 new objects in one call)",
           median_seconds(MINIKCTL + ["apply", "-f", "batch.json"], 3, env, work, before=fresh_batch))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
