"""What `cordon`, `uncordon` and `drain` share: choosing nodes and setting spec.unschedulable.

Behaviour from kubernetes/kubectl pkg/cmd/drain/drain.go (Complete, RunCordonOrUncordon) and
pkg/drain/cordon.go (the update is needed only when spec.unschedulable differs).
"""

from __future__ import annotations

import copy

from minikctl import errors
from minikctl.core import kinds
from minikctl.cli import common

NODES = kinds.BY_KEY["nodes"]
FLAGS = [common.SELECTOR_FLAG, common.DRY_RUN_FLAG]


def select_nodes(ctx, parsed, cluster) -> list[dict]:
    """The nodes named as arguments, or those matching -l; a missing name fails before anything changes."""
    from minikctl.core import selectors
    from minikctl.api import selector_parsing

    selector = parsed["selector"]
    if not parsed.args and selector is None:
        raise errors.UsageError(f"USAGE: {ctx.verb} NODE [flags]", ctx.verb)
    if parsed.args and selector:
        raise errors.UsageError("error: cannot specify both a node name and a --selector option", ctx.verb)
    if selector is not None:
        requirements = selector_parsing.parse_label_selector(selector)
        ctx.authorize("list", NODES, "")
        return [n for n in cluster.list(NODES.key) if selectors.matches_labels(requirements, n["metadata"].get("labels"))]
    found = []
    for name in parsed.args:
        ctx.authorize("get", NODES, "", name)
        node = cluster.get(NODES.key, "", name)
        if node is None:
            raise errors.not_found(NODES.qualified, name)
        found.append(node)
    return found


def set_schedulable(ctx, cluster, node: dict, cordon: bool, dry_run: str) -> None:
    """Cordon or uncordon one node and print kubectl's line (`node/NAME cordoned`, `... already cordoned`)."""
    from minikctl.api import server

    word = "cordoned" if cordon else "uncordoned"
    if bool((node.get("spec") or {}).get("unschedulable")) == cordon:
        outcome = f"already {word}"
    else:
        ctx.authorize("patch", NODES, "", node["metadata"]["name"])
        updated = copy.deepcopy(node)
        spec = updated.setdefault("spec", {})
        if cordon:
            spec["unschedulable"] = True
        else:
            spec.pop("unschedulable", None)  # false is omitted, as the API server stores it
        server.update(cluster, updated)
        outcome = word
    print_node(ctx, node, outcome, dry_run)


def print_node(ctx, node: dict, outcome: str, dry_run: str) -> None:
    ctx.env.out(f"{NODES.name_of(node['metadata']['name'])} {outcome}{common.dry_run_suffix(dry_run)}\n")


def run_cordon_or_uncordon(ctx, parsed, cordon: bool) -> int:
    mode = common.dry_run_mode(parsed["dry-run"])
    with ctx.transaction(dry_run=mode != "none") as cluster:
        for node in select_nodes(ctx, parsed, cluster):
            set_schedulable(ctx, cluster, node, cordon, mode)
    return errors.SUCCESS
