"""describe for RBAC kinds, NetworkPolicy and HorizontalPodAutoscaler.

Layout facts: kubernetes/kubectl pkg/describe/describe.go (RoleDescriber, ClusterRoleDescriber,
CombineResourceGroup, RoleBindingDescriber, describeNetworkPolicy, describeHorizontalPodAutoscalerV2,
printDirectionBehavior) and pkg/util/rbac/rbac.go (BreakdownRule, CompactRules, SortableRuleSlice);
../shared/reference/kubectl-cli.md §9.14.
"""

from __future__ import annotations

from minikctl.printers.describe import engine
from minikctl.printers.describe.engine import Settings, Writer
from minikctl.core.quantity import canonical_text as canonical
from minikctl.printers.labels import format_label_selector


# -- RBAC --------------------------------------------------------------------------------------
def describe_role(role: dict, settings: Settings) -> str:
    """Role and ClusterRole: rules broken down per group/resource/verb, then compacted and sorted."""
    w = Writer()
    meta = role["metadata"]
    w.line(0, f"Name:\t{meta['name']}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, "PolicyRule:")
    w.line(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs")
    w.line(1, "---------\t-----------------\t--------------\t-----")
    for rule in compact_rules(role.get("rules") or []):
        w.line(1, f"{_resource_with_group(rule)}\t{engine.go_list(rule.get('nonResourceURLs'))}\t"
                  f"{engine.go_list(rule.get('resourceNames'))}\t{engine.go_list(rule.get('verbs'))}")
    return w.text()


def _breakdown(rule: dict) -> list[dict]:
    """One rule per (group, resource, verb[, resource name]) and per (non-resource URL, verb)."""
    pieces = []
    for group in rule.get("apiGroups") or []:
        for resource in rule.get("resources") or []:
            for verb in rule.get("verbs") or []:
                base = {"apiGroups": [group], "resources": [resource], "verbs": [verb]}
                names = rule.get("resourceNames") or []
                pieces += [{**base, "resourceNames": [name]} for name in names] if names else [base]
    for url in rule.get("nonResourceURLs") or []:
        pieces += [{"nonResourceURLs": [url], "verbs": [verb]} for verb in rule.get("verbs") or []]
    return pieces


def compact_rules(rules: list[dict]) -> list[dict]:
    """Resource rules for the same group/resource/name merge their verbs; order is by the rule's Go String()."""
    merged: dict[tuple, dict] = {}
    others = []
    for piece in (piece for rule in rules for piece in _breakdown(rule)):
        if piece.get("nonResourceURLs"):
            others.append(piece)
            continue
        key = (piece["apiGroups"][0], piece["resources"][0], tuple(piece.get("resourceNames") or ()))
        if key in merged:
            verbs = merged[key]["verbs"]
            verbs += [verb for verb in piece["verbs"] if verb not in verbs]
        else:
            merged[key] = {**piece, "verbs": list(piece["verbs"])}
    return sorted(others + list(merged.values()), key=_go_rule_string)


def _go_rule_string(rule: dict) -> str:
    fields = ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")
    names = ("Verbs", "APIGroups", "Resources", "ResourceNames", "NonResourceURLs")
    return "&PolicyRule{" + "".join(f"{name}:{engine.go_list(rule.get(field))}," for name, field in zip(names, fields)) + "}"


def _resource_with_group(rule: dict) -> str:
    """`pods`, `deployments.apps`, `deployments.apps/scale`."""
    resources, groups = rule.get("resources") or [], rule.get("apiGroups") or []
    if not resources:
        return ""
    resource, slash, subresource = resources[0].partition("/")
    combined = resource + (f".{groups[0]}" if groups and groups[0] else "")
    return combined + (f"/{subresource}" if slash else "")


def describe_rolebinding(binding: dict, settings: Settings) -> str:
    w = Writer()
    meta, role = binding["metadata"], binding.get("roleRef") or {}
    w.line(0, f"Name:\t{meta['name']}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, "Role:")
    w.line(1, f"Kind:\t{role.get('kind', '')}")
    w.line(1, f"Name:\t{role.get('name', '')}")
    w.line(0, "Subjects:")
    w.line(1, "Kind\tName\tNamespace")
    w.line(1, "----\t----\t---------")
    for subject in binding.get("subjects") or []:
        w.line(1, f"{subject.get('kind', '')}\t{subject.get('name', '')}\t{subject.get('namespace', '')}")
    return w.text()


# -- NetworkPolicy -----------------------------------------------------------------------------
def describe_networkpolicy(policy: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec = policy["metadata"], policy.get("spec") or {}
    w.line(0, f"Name:\t{meta['name']}")
    w.line(0, f"Namespace:\t{meta.get('namespace', '')}")
    w.line(0, f"Created on:\t{_go_time_string(meta.get('creationTimestamp'))}")
    engine.labels(w, "Labels", meta.get("labels"))
    engine.annotations(w, "Annotations", meta.get("annotations"))
    w.line(0, "Spec:")
    selector = spec.get("podSelector") or {}
    if selector.get("matchLabels") or selector.get("matchExpressions"):
        w.write(1, "PodSelector: ")
        w.line(2, format_label_selector(selector))
    else:
        w.write(1, "PodSelector: ")
        w.line(2, "<none> (Allowing the specific traffic to all pods in this namespace)")
    types = spec.get("policyTypes") or []
    _direction(w, "Ingress" in types, "ingress", spec.get("ingress"), "from", "From", "source")
    _direction(w, "Egress" in types, "egress", spec.get("egress"), "to", "To", "destination")
    w.line(1, f"Policy Types: {', '.join(types) or '<none>'}")
    return w.text()


def _go_time_string(text: str | None) -> str:
    """metav1.Time printed with %s: Go's Time.String() (`2006-01-02 15:04:05 -0700 MST`), in UTC."""
    from minikctl.core.clock import parse_time

    moment = parse_time(text)
    return moment.strftime("%Y-%m-%d %H:%M:%S +0000 UTC") if moment else "0001-01-01 00:00:00 +0000 UTC"


def _direction(w: Writer, enabled: bool, name: str, rules: list | None, peers_field: str, peer_title: str,
               restricted: str) -> None:
    if not enabled:
        w.line(1, f"Not affecting {name} traffic")
        return
    w.line(1, f"Allowing {name} traffic:")
    indent = "    "
    if not rules:
        w.line(0, f"{indent}<none> (Selected pods are isolated for {name} connectivity)")
        return
    for position, rule in enumerate(rules):
        _rule_ports(w, rule.get("ports"), indent)
        peers = rule.get(peers_field) or []
        if not peers:
            w.line(0, f"{indent}{peer_title}: <any> (traffic not restricted by {restricted})")
        for peer in peers:
            w.line(0, f"{indent}{peer_title}:")
            _peer(w, peer, indent)
        if position != len(rules) - 1:
            w.line(0, f"{indent}----------")


def _rule_ports(w: Writer, ports: list | None, indent: str) -> None:
    if not ports:
        w.line(0, f"{indent}To Port: <any> (traffic allowed to all ports)")
        return
    for port in ports:
        protocol = port.get("protocol") or "TCP"
        number = port.get("port", "<nil>")
        if port.get("endPort") is None:
            w.line(0, f"{indent}To Port: {number}/{protocol}")
        else:
            w.line(0, f"{indent}To Port Range: {number}-{port['endPort']}/{protocol}")


def _peer(w: Writer, peer: dict, indent: str) -> None:
    pods, namespaces = peer.get("podSelector"), peer.get("namespaceSelector")
    if namespaces is not None:
        w.line(1, f"{indent}NamespaceSelector: {format_label_selector(namespaces)}")
    if pods is not None:
        w.line(1, f"{indent}PodSelector: {format_label_selector(pods)}")
    if pods is None and namespaces is None and peer.get("ipBlock") is not None:
        block = peer["ipBlock"]
        w.line(1, f"{indent}IPBlock:")
        w.line(2, f"{indent}CIDR: {block.get('cidr', '')}")
        w.line(2, f"{indent}Except: {', '.join(block.get('except') or [])}")


# -- HorizontalPodAutoscaler -------------------------------------------------------------------
def describe_horizontalpodautoscaler(hpa: dict, settings: Settings) -> str:
    w = Writer()
    meta, spec, status = hpa["metadata"], hpa.get("spec") or {}, hpa.get("status") or {}
    engine.name_namespace_labels_annotations(w, hpa)
    w.line(0, f"CreationTimestamp:\t{engine.rfc1123z(meta.get('creationTimestamp'))}")
    target = spec.get("scaleTargetRef") or {}
    w.line(0, f"Reference:\t{target.get('kind', '')}/{target.get('name', '')}")
    w.line(0, "Metrics:\t( current / target )")
    current_metrics = status.get("currentMetrics") or []
    for index, metric in enumerate(spec.get("metrics") or []):
        current = current_metrics[index] if index < len(current_metrics) else {}
        _metric_line(w, metric, current)
    min_replicas = spec.get("minReplicas")
    w.line(0, f"Min replicas:\t{'<unset>' if min_replicas is None else min_replicas}")
    w.line(0, f"Max replicas:\t{spec.get('maxReplicas', 0)}")
    _behavior(w, spec.get("behavior"))
    w.line(0, f"{target.get('kind', '')} pods:\t{status.get('currentReplicas', 0)} current / "
              f"{status.get('desiredReplicas', 0)} desired")
    _hpa_conditions(w, status.get("conditions"))
    engine.events(w, hpa, settings)
    return w.text()


def _current(current: dict, source: str, field: str) -> str:
    value = ((current.get(source) or {}).get("current") or {}).get(field)
    return "<unknown>" if value is None else canonical(value)


def _metric_line(w: Writer, metric: dict, current: dict) -> None:
    kind = metric.get("type", "")
    if kind in ("Resource", "ContainerResource"):
        _resource_metric_line(w, metric, current)
    elif kind == "Pods":
        source = metric["pods"]
        w.line(1, f'"{source["metric"]["name"]}" on pods:\t{_current(current, "pods", "averageValue")} / '
                  f'{canonical(source["target"].get("averageValue", "0"))}')
    elif kind == "Object":
        source = metric["object"]
        described = source.get("describedObject") or {}
        w.write(1, f'"{source["metric"]["name"]}" on {described.get("kind", "")}/{described.get("name", "")} ')
        _value_target(w, source["target"], current, "object")
    elif kind == "External":
        source = metric["external"]
        w.write(1, f'"{source["metric"]["name"]}" ')
        _value_target(w, source["target"], current, "external")
    else:
        w.line(1, f'<unknown metric type "{kind}">')


def _value_target(w: Writer, target: dict, current: dict, source: str) -> None:
    if target.get("averageValue") is not None:
        w.line(0, f"(target average value):\t{_current(current, source, 'averageValue')} / "
                  f"{canonical(target['averageValue'])}")
    else:
        w.line(0, f"(target value):\t{_current(current, source, 'value')} / {canonical(target.get('value', '0'))}")


def _resource_metric_line(w: Writer, metric: dict, current: dict) -> None:
    container = metric.get("type") == "ContainerResource"
    field = "containerResource" if container else "resource"
    source = metric[field]
    of_container = f' of container "{source.get("container", "")}"' if container else ""
    w.write(1, f"resource {source.get('name', '')}{of_container} on pods")
    target = source.get("target") or {}
    if target.get("averageValue") is not None:
        w.line(0, f":\t{_current(current, field, 'averageValue')} / {canonical(target['averageValue'])}")
        return
    measured = (current.get(field) or {}).get("current") or {}
    now = ("<unknown>" if measured.get("averageUtilization") is None
           else f"{measured['averageUtilization']}% ({canonical(measured.get('averageValue', '0'))})")
    wanted = "<auto>" if target.get("averageUtilization") is None else f"{target['averageUtilization']}%"
    w.line(1, f"(as a percentage of request):\t{now} / {wanted}")


def _behavior(w: Writer, behavior: dict | None) -> None:
    if behavior is None:
        return
    w.line(0, "Behavior:")
    for title, field in (("Scale Up", "scaleUp"), ("Scale Down", "scaleDown")):
        rules = behavior.get(field)
        if rules is None:
            continue
        w.line(1, f"{title}:")
        if rules.get("stabilizationWindowSeconds") is not None:
            w.line(2, f"Stabilization Window: {rules['stabilizationWindowSeconds']} seconds")
        if rules.get("policies"):
            w.line(2, f"Select Policy: {rules.get('selectPolicy') or 'Max'}")
            w.line(2, "Policies:")
            for policy in rules["policies"]:
                w.line(3, f"- Type: {policy.get('type', '')}\tValue: {policy.get('value', 0)}\t"
                          f"Period: {policy.get('periodSeconds', 0)} seconds")


def _hpa_conditions(w: Writer, conditions: list | None) -> None:
    if not conditions:
        return
    w.line(0, "Conditions:")
    w.line(1, "Type\tStatus\tReason\tMessage")
    w.line(1, "----\t------\t------\t-------")
    for c in conditions:
        w.line(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{c.get('reason', '')}\t{c.get('message', '')}")
