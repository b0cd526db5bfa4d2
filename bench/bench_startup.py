"""Start-up cost of a first write: whole-process CPU time of `apply -f manifests/` on no state.

    python bench/bench_startup.py [--runs N]

Prints the median CPU time (user + system, children of this process) of the first apply of the
demo manifests, of a `get pods -A` on the state it leaves, and of importing the kubernetes-validate
package that minikctl reads its v1.32 schemas from (without importing it: api/validation.py finds
the data file through the import system, so jsonschema and the package's own modules never load).
Bytecode caching is on, as after `pip install`. Goal (issue 9): the first apply under 0.2 s.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def cpu_seconds(command: list[str], env: dict, before=None) -> float:
    """CPU time (user + system) of one child process."""
    if before:
        before()
    start = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    end = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)


def median_cpu(command: list[str], env: dict, runs: int, before=None) -> float:
    cpu_seconds(command, env, before)  # warm the bytecode cache and the file system
    return statistics.median(cpu_seconds(command, env, before) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["MINIKCTL_NOW"] = "2026-01-01T00:00:00Z"
    with tempfile.TemporaryDirectory() as folder:
        state = pathlib.Path(folder, "cluster.json")
        env["MINIKCTL_STATE"] = str(state)

        def fresh():
            for path in pathlib.Path(folder).iterdir():
                path.unlink()

        minikctl = [sys.executable, "-m", "minikctl"]
        apply = median_cpu(minikctl + ["apply", "-f", str(ROOT / "manifests")], env, runs, fresh)
        get = median_cpu(minikctl + ["get", "pods", "-A"], env, runs)
        bare = median_cpu([sys.executable, "-c", "pass"], env, runs)
        package = median_cpu([sys.executable, "-c", "import kubernetes_validate"], env, runs) - bare
    print(f"first apply -f manifests/ on no state: {apply:.3f} s CPU (goal < 0.2 s)")
    print(f"get pods -A on that state:             {get:.3f} s CPU")
    print(f"python -c pass (interpreter alone):    {bare:.3f} s CPU")
    print(f"importing kubernetes_validate (saved): {package:.3f} s CPU")


if __name__ == "__main__":
    main()
