"""kubectl uncordon (kubernetes/kubectl pkg/cmd/drain/drain.go NewCmdUncordon): mark nodes schedulable."""

from __future__ import annotations

from minikctl.cli import nodes_common

SUMMARY = "Mark node as schedulable."
FLAGS = nodes_common.FLAGS


def run(ctx, parsed) -> int:
    return nodes_common.run_cordon_or_uncordon(ctx, parsed, cordon=False)
