"""kubectl cordon (kubernetes/kubectl pkg/cmd/drain/drain.go NewCmdCordon): mark nodes unschedulable."""

from __future__ import annotations

from minikctl.cli import nodes_common

SUMMARY = "Mark node as unschedulable."
FLAGS = nodes_common.FLAGS


def run(ctx, parsed) -> int:
    return nodes_common.run_cordon_or_uncordon(ctx, parsed, cordon=True)
