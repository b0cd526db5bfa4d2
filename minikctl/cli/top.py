"""kubectl top pod|node: usage from the simulated metrics API (minikctl.metrics.usage).

kubernetes/kubectl: pkg/cmd/top/{top.go, top_pod.go, top_node.go}, pkg/metricsutil/{metrics_printer.go,
metrics_sorter.go}. The metrics API is always served: minikctl plays metrics-server.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import common
from minikctl.cli import flags as f

SUMMARY = "Display resource (CPU/memory) usage."
FLAGS = [
    common.SELECTOR_FLAG,
    f.Flag("field-selector", help="Selector (field query) to filter on, supports '=', '==', and '!='."),
    f.Flag("sort-by", help="If non-empty, sort list using specified field. The field can be either 'cpu' or 'memory'."),
    f.Flag("containers", type=f.BOOL, help="If present, print usage of containers within a pod."),
    f.Flag("all-namespaces", "A", type=f.BOOL, help="If present, list the requested object(s) across all namespaces."),
    f.Flag("no-headers", type=f.BOOL, help="If present, print output without headers."),
    f.Flag("sum", type=f.BOOL, help="Print the sum of the resource usage"),
    f.Flag("show-capacity", type=f.BOOL, help="Print node resources based on Capacity instead of Allocatable"),
    f.Flag("use-protocol-buffers", type=f.BOOL, default=True, help="Accepted for compatibility"),
]
POD_ALIASES = ("pod", "pods", "po")
NODE_ALIASES = ("node", "nodes", "no")
POD_ONLY = {"field-selector", "containers", "all-namespaces", "sum"}
NODE_ONLY = {"show-capacity"}
# kubectl waits this long after a pod's creation before it calls missing metrics an error.
METRICS_CREATION_DELAY_SECONDS = 120
# What `kubectl top` prints bare (kubernetes/kubectl pkg/cmd/top/top.go), on stderr.
HELP = ("Display resource (CPU/memory) usage.\n\n"
        " The top command allows you to see the resource consumption for nodes or pods.\n\n"
        " This command requires Metrics Server to be correctly configured and working on the server.\n\n"
        "Available Commands:\n"
        "  node          Display resource (CPU/memory) usage of nodes\n"
        "  pod           Display resource (CPU/memory) usage of pods\n\n"
        "Usage:\n  minikctl top [flags] [options]\n\n"
        'Use "minikctl top <command> --help" for more information about a given command.\n'
        'Use "minikctl options" for a list of global command-line options (applies to all commands).\n')


def command_path(args: list[str]) -> str:
    if args and args[0] in POD_ALIASES:
        return "top pod"
    return "top node" if args and args[0] in NODE_ALIASES else "top"


def run(ctx, parsed: f.Parsed) -> int:
    if not parsed.args:
        return common.no_subcommand(ctx, HELP)
    subcommand, names = parsed.args[0], parsed.args[1:]
    if subcommand in POD_ALIASES:
        _reject_flags(parsed, NODE_ONLY, "top pod")
        return TopPods(ctx, parsed, names).run()
    if subcommand in NODE_ALIASES:
        _reject_flags(parsed, POD_ONLY, "top node")
        return TopNodes(ctx, parsed, names).run()
    raise common.unknown_subcommand("top", parsed.args)


def _reject_flags(parsed: f.Parsed, foreign: set[str], command: str) -> None:
    for name in sorted(parsed.given & foreign):
        raise errors.FlagError(f"unknown flag: --{name}", command)


def _validate(parsed: f.Parsed, names: list[str], command: str, selector_text: str) -> None:
    if len(names) > 1:
        raise errors.UsageError(f"minikctl {command}", command)
    if parsed["sort-by"] and parsed["sort-by"] not in ("cpu", "memory"):
        raise errors.CommandError("--sort-by accepts only cpu or memory")
    if names and (parsed["selector"] or (command == "top pod" and parsed["field-selector"])):
        raise errors.CommandError(f"only one of NAME or {selector_text} can be provided")


def _cpu(millicores: int) -> str:
    return f"{millicores}m"


def _memory(amount_bytes: int) -> str:
    return f"{amount_bytes // (1024 * 1024)}Mi"


def _layout(rows: list[list[str]]) -> str:
    """kubectl's metrics printer ends every cell with a tab, so even the last column is padded."""
    from minikctl.printers.tabwriter import format_rows

    return format_rows([row + [""] for row in rows])


def _sorted(items: list, sort_by: str, usage_of, name_of) -> list:
    """cpu and memory sort by usage, highest first; otherwise by name (metrics_sorter.go)."""
    if sort_by == "cpu":
        return sorted(items, key=lambda item: -usage_of(item)[0])
    if sort_by == "memory":
        return sorted(items, key=lambda item: -usage_of(item)[1])
    return sorted(items, key=name_of)


def go_duration(seconds: int) -> str:
    """time.Duration.String() for whole seconds: 3s, 2m5s, 1h0m0s."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


class TopPods:
    def __init__(self, ctx, parsed: f.Parsed, names: list[str]):
        _validate(parsed, names, "top pod", "selector")
        self.ctx = ctx
        self.parsed = parsed
        self.name = names[0] if names else ""
        self.all_namespaces = parsed["all-namespaces"]

    def run(self) -> int:
        from minikctl.metrics.usage import pod_usage

        cluster = self.ctx.read_cluster()
        pods = self._pods(cluster)
        usages = [u for u in (self._usage(cluster, pod, pod_usage) for pod in pods) if u is not None]
        if not usages:
            self._explain_missing(cluster, pods)
            return errors.SUCCESS
        self.ctx.env.out(_layout(self._rows(usages)))
        return errors.SUCCESS

    def _usage(self, cluster, pod, pod_usage):
        from minikctl.metrics.usage import LoadError

        try:
            return pod_usage(cluster, pod)
        except LoadError as problem:
            raise errors.CommandError(str(problem)) from None

    def _pods(self, cluster) -> list[dict]:
        from minikctl.core import kinds, selectors
        from minikctl.api import selector_parsing

        kind = kinds.BY_KEY["pods"]
        namespace = None if self.all_namespaces else self.ctx.namespace
        if self.name:
            self.ctx.authorize("get", kind, self.ctx.namespace, self.name)
            pod = cluster.get("pods", self.ctx.namespace, self.name)
            if pod is None or pod_usage_missing(pod):
                raise errors.APIError("NotFound", f'podmetrics.metrics.k8s.io "{self.ctx.namespace}/{self.name}" not found', 404)
            return [pod]
        self.ctx.authorize("list", kind, namespace or "")
        labels = selector_parsing.parse_label_selector(self.parsed["selector"] or "")
        fields = selector_parsing.parse_field_selector(self.parsed["field-selector"] or "", "Pod", "pods")
        return [pod for pod in cluster.list("pods", namespace)
                if selectors.matches_labels(labels, pod["metadata"].get("labels"))
                and selector_parsing.matches_fields(fields, pod)]

    def _explain_missing(self, cluster, pods: list[dict]) -> None:
        """No metrics at all: name a pod old enough to have them, else say they are coming (verifyEmptyMetrics)."""
        from minikctl.core.clock import seconds_since

        if not pods:
            where = "" if self.all_namespaces else f" in {self.ctx.namespace} namespace"
            self.ctx.env.err(f"No resources found{where}.\n")
            return
        for pod in pods:
            age = int(seconds_since(cluster.now, pod["metadata"].get("creationTimestamp")))
            if age > METRICS_CREATION_DELAY_SECONDS:
                raise errors.CommandError(f"Metrics not available for pod {pod['metadata'].get('namespace')}/"
                                          f"{pod['metadata']['name']}, age: {go_duration(age)}")
        raise errors.CommandError("metrics not available yet")

    def _rows(self, usages: list) -> list[list[str]]:
        sort_by = self.parsed["sort-by"] or ""
        containers = self.parsed["containers"]
        header = (["NAMESPACE"] if self.all_namespaces else []) + (["POD"] if containers else [])
        rows = [] if self.parsed["no-headers"] else [header + ["NAME", "CPU(cores)", "MEMORY(bytes)"]]
        ordered = _sorted(usages, sort_by, lambda u: (u.millicores, u.bytes),
                          lambda u: (u.namespace if self.all_namespaces else "", u.name))
        for usage in ordered:
            prefix = [usage.namespace] if self.all_namespaces else []
            if containers:
                for container in _sorted(list(usage.containers), sort_by, lambda c: (c.millicores, c.bytes),
                                         lambda c: c.name):
                    rows.append(prefix + [usage.name, container.name, _cpu(container.millicores),
                                          _memory(container.bytes)])
            else:
                rows.append(prefix + [usage.name, _cpu(usage.millicores), _memory(usage.bytes)])
        if self.parsed["sum"]:
            rows += self._sum_rows(usages, len(header) + 3)
        return rows

    @staticmethod
    def _sum_rows(usages: list, width: int) -> list[list[str]]:
        """The underline and total under the usage columns (printPodResourcesSum)."""
        total_cpu = sum(u.millicores for u in usages)
        total_memory = sum(u.bytes for u in usages)
        return [[""] * (width - 2) + ["________", "________"],
                [""] * (width - 3) + ["", _cpu(total_cpu), _memory(total_memory)]]


def pod_usage_missing(pod: dict) -> bool:
    from minikctl.metrics.usage import has_metrics

    return not has_metrics(pod)


class TopNodes:
    def __init__(self, ctx, parsed: f.Parsed, names: list[str]):
        _validate(parsed, names, "top node", "--selector")
        self.ctx = ctx
        self.parsed = parsed
        self.name = names[0] if names else ""

    def run(self) -> int:
        from minikctl.metrics.usage import node_usage

        cluster = self.ctx.read_cluster()
        nodes = self._nodes(cluster)
        usages = {node["metadata"]["name"]: node_usage(node, self._pod_usages(cluster, node)) for node in nodes}
        measured = [node for node in nodes if usages[node["metadata"]["name"]] is not None]
        if not measured:
            raise errors.CommandError("metrics not available yet")
        self.ctx.env.out(_layout(self._rows(nodes, measured, usages)))
        return errors.SUCCESS

    def _nodes(self, cluster) -> list[dict]:
        from minikctl.core import kinds, selectors
        from minikctl.api import selector_parsing
        from minikctl.metrics.usage import node_usage

        kind = kinds.BY_KEY["nodes"]
        if self.name:
            self.ctx.authorize("get", kind, "", self.name)
            node = cluster.get("nodes", "", self.name)
            if node is None or node_usage(node, []) is None:
                raise errors.APIError("NotFound", f'nodemetrics.metrics.k8s.io "{self.name}" not found', 404)
            return [node]
        self.ctx.authorize("list", kind, "")
        labels = selector_parsing.parse_label_selector(self.parsed["selector"] or "")
        return [node for node in cluster.list("nodes") if selectors.matches_labels(labels, node["metadata"].get("labels"))]

    @staticmethod
    def _pod_usages(cluster, node: dict) -> list:
        from minikctl.metrics.usage import LoadError, pod_usage

        name = node["metadata"]["name"]
        usages = []
        for pod in cluster.list("pods"):
            if (pod.get("spec") or {}).get("nodeName") != name:
                continue
            try:
                usage = pod_usage(cluster, pod)
            except LoadError as problem:
                raise errors.CommandError(str(problem)) from None
            if usage is not None:
                usages.append(usage)
        return usages

    def _rows(self, nodes: list[dict], measured: list[dict], usages: dict) -> list[list[str]]:
        rows = [] if self.parsed["no-headers"] else [["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]]
        ordered = _sorted(measured, self.parsed["sort-by"] or "", lambda n: usages[n["metadata"]["name"]],
                          lambda n: n["metadata"]["name"])
        for node in ordered:
            millicores, amount_bytes = usages[node["metadata"]["name"]]
            available = (node.get("status") or {}).get("capacity" if self.parsed["show-capacity"] else "allocatable") or {}
            rows.append([node["metadata"]["name"], _cpu(millicores), _percent(millicores, available.get("cpu"), 1000),
                         _memory(amount_bytes), _percent(amount_bytes, available.get("memory"), 1)])
        for node in nodes:
            if node not in measured:
                rows.append([node["metadata"]["name"]] + ["<unknown>"] * 4)
        return rows


def _percent(used: int, available, unit: int) -> str:
    """Used over available, truncated to a whole percent (printAllResourceUsages)."""
    from minikctl.core.quantity import to_bytes, to_millicores

    if available is None:
        return ""
    total = to_millicores(str(available)) if unit == 1000 else to_bytes(str(available))
    return f"{used * 100 // total}%" if total else ""
