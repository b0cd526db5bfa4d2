"""minikctl netpol-verdict SRC_POD DST_POD --port P: would NetworkPolicy let this connection through, and why.

A minikctl-only verb (kubectl has none like it): it prints the judgement of minikctl.network.policy for
one pair of pods, the policies isolating each side and the rule that admits the connection or, rule by
rule, why none does. Exit code 0 when allowed, 1 when denied, like `auth can-i`. See docs/networkpolicy.md.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import flags as f

SUMMARY = "Explain whether NetworkPolicy lets pod SRC open a connection to pod DST (minikctl only)."
FLAGS = [
    f.Flag("port", help="Destination port: a number, or the name of one of DST's container ports"),
    f.Flag("protocol", default="TCP", help="TCP, UDP or SCTP"),
    f.Flag("to-namespace", help="Namespace of DST (default: the namespace of SRC)"),
]
PROTOCOLS = ("TCP", "UDP", "SCTP")
USAGE = "netpol-verdict SRC_POD DST_POD --port PORT [--protocol TCP] [-n NS] [--to-namespace NS]"


def run(ctx, parsed: f.Parsed) -> int:
    source_name, destination_name = _pod_names(parsed)
    protocol = parsed["protocol"].upper()
    if protocol not in PROTOCOLS:
        raise errors.CommandError(f'unsupported protocol "{parsed["protocol"]}": use TCP, UDP or SCTP')
    from minikctl.network import policy

    cluster = ctx.read_cluster()
    source = _running_pod(cluster, ctx.namespace, source_name)
    destination = _running_pod(cluster, parsed["to-namespace"] or ctx.namespace, destination_name)
    port = _port_number(destination, parsed["port"], protocol)
    judged = policy.verdict(cluster, source, destination, port, protocol)
    ctx.env.out(explain(judged))
    return errors.SUCCESS if judged.allowed else errors.ERROR


def _pod_names(parsed: f.Parsed) -> tuple[str, str]:
    if len(parsed.args) != 2:
        raise errors.UsageError(f"expected '{USAGE}'", "netpol-verdict")
    if not parsed["port"]:
        raise errors.UsageError("--port is required", "netpol-verdict")
    return parsed.args[0], parsed.args[1]


def _running_pod(cluster, namespace: str, name: str) -> dict:
    pod = cluster.get("pods", namespace, name)
    if pod is None:
        raise errors.not_found("pods", name)
    if not (pod.get("status") or {}).get("podIP"):
        raise errors.CommandError(f"pod {namespace}/{name} has no IP address yet")
    return pod


def _port_number(destination: dict, text: str, protocol: str) -> int:
    """A number, or the container port of DST with that name and protocol."""
    if text.isdigit():
        return int(text)
    from minikctl.network.policy import container_ports

    for name, number, port_protocol in sorted(container_ports(destination)):
        if name == text and port_protocol == protocol:
            return number
    meta = destination["metadata"]
    raise errors.CommandError(f'pod {meta["namespace"]}/{meta["name"]} has no {protocol} container port named "{text}"')


def explain(judged) -> str:
    source, destination = judged.source, judged.destination
    outcome = "allowed" if judged.allowed else "denied"
    lines = [f"{source.name} ({source.ip}) -> {destination.name} ({destination.ip}) "
             f"port {judged.port}/{judged.protocol}: {outcome}"]
    for direction in (judged.egress, judged.ingress):
        lines += _direction_lines(direction)
    return "\n".join(lines) + "\n"


def _direction_lines(direction) -> list[str]:
    heading = f"{direction.kind.lower()} of {direction.party.name}:"
    if direction.exempt:
        return [f"{heading} allowed, {direction.exempt}"]
    if not direction.isolating:
        return [f"{heading} allowed, not isolated (no NetworkPolicy selects it for {direction.kind})"]
    isolated_by = f"isolated by {', '.join(direction.isolating)}"
    if direction.allowed_by:
        return [f"{heading} allowed by {direction.allowed_by} ({isolated_by})"]
    return [f"{heading} denied, {isolated_by}"] + [f"  {refusal}" for refusal in direction.refusals]
