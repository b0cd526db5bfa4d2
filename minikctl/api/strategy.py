"""Update rules per kind: what a 1.32 API server refuses to change on an existing object.

Each kind's registry strategy runs ValidateUpdate after the object's own validation; the rules and
messages follow kubernetes/kubernetes pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go
(apps/v1 selectors are immutable), pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate,
and apimachinery pkg/api/validation ValidateImmutableField (`field is immutable`), rendered as
apimachinery pkg/util/validation/field/errors.go renders Invalid and Forbidden.
"""

from __future__ import annotations

import json

from minikctl.api.validation import go_string_map

# Fields a StatefulSet update may change; anything else in spec is forbidden.
STATEFULSET_MUTABLE = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
                       "minReadySeconds", "revisionHistoryLimit")
STATEFULSET_FORBIDDEN = ("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                         "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                         "'minReadySeconds' are forbidden")
_SELECTOR_IMMUTABLE = ("Deployment", "ReplicaSet", "DaemonSet")


def update_causes(kind_name: str, old: dict, new: dict) -> list[str]:
    """The ValidateUpdate causes of one update, empty when it is allowed."""
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    if kind_name in _SELECTOR_IMMUTABLE:
        return _immutable_selector(old_spec, new_spec)
    if kind_name == "StatefulSet":
        return _statefulset_causes(old_spec, new_spec)
    if kind_name == "Job":
        return _immutable_selector(old_spec, new_spec)
    return []


def _immutable_selector(old_spec: dict, new_spec: dict) -> list[str]:
    if _selector_value(old_spec.get("selector")) == _selector_value(new_spec.get("selector")):
        return []
    return [f"spec.selector: Invalid value: {go_label_selector(new_spec.get('selector'))}: field is immutable"]


def _selector_value(selector) -> tuple:
    """A selector as Go compares it: absent and empty collections are the same (Semantic.DeepEqual)."""
    selector = selector or {}
    return (tuple(sorted((selector.get("matchLabels") or {}).items())),
            json.dumps(selector.get("matchExpressions") or [], sort_keys=True))


def _statefulset_causes(old_spec: dict, new_spec: dict) -> list[str]:
    def frozen(spec: dict) -> dict:
        return {k: v for k, v in spec.items() if k not in STATEFULSET_MUTABLE and v not in (None, [], {})}

    return [] if frozen(old_spec) == frozen(new_spec) else [STATEFULSET_FORBIDDEN]


def go_label_selector(selector) -> str:
    """A *metav1.LabelSelector as field.Invalid prints it (%#v of the pointed-to struct; `null` for nil)."""
    if selector is None:
        return "null"
    expressions = selector.get("matchExpressions")
    if expressions is None:
        listed = "[]v1.LabelSelectorRequirement(nil)"
    else:
        listed = "[]v1.LabelSelectorRequirement{" + ", ".join(_go_requirement(e) for e in expressions) + "}"
    return f"v1.LabelSelector{{MatchLabels:{go_string_map(selector.get('matchLabels'))}, MatchExpressions:{listed}}}"


def _go_requirement(requirement: dict) -> str:
    values = requirement.get("values")
    shown = "[]string(nil)" if values is None else "[]string{" + ", ".join(json.dumps(v) for v in values) + "}"
    return (f"v1.LabelSelectorRequirement{{Key:{json.dumps(requirement.get('key', ''))}, "
            f"Operator:{json.dumps(requirement.get('operator', ''))}, Values:{shown}}}")
