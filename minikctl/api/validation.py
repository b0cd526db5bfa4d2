"""Validating a manifest the way kubectl 1.32 and a 1.32 API server do, in the same order:

1. kubectl: `apiVersion`/`kind` present (kubectl pkg/validation/schema.go), else with
   --validate=false the unstructured decoder's `Object 'Kind' is missing` (apimachinery
   pkg/apis/meta/v1/unstructured/unstructured.go);
2. kubectl: REST mapping (`resource mapping not found ... ensure CRDs are installed first`);
3. server decode (sigs.k8s.io/json, a fork of encoding/json): the first type error, worded like
   encoding/json's UnmarshalTypeError with the innermost Go struct name and the JSON field path;
4. server field validation (apimachinery pkg/runtime/serializer/json): unknown fields are an error
   (Strict), `Warning:` lines (Warn) or nothing (Ignore);
5. server validation after defaulting (kubernetes pkg/apis/*/validation): `The Kind "name" is
   invalid` with one cause per problem, for the most common rules.

Types come from the OpenAPI-derived JSON schemas bundled with the `kubernetes-validate` package
(v1.32). Its own `validate()` re-reads the schema files and runs jsonschema for every object and
stops at the first error, far too slow for 1,000 objects and without Go's wording, so we only take
its v1.32 definitions and walk them ourselves, loaded once per process.
"""

from __future__ import annotations

import base64
import binascii
import copy
import importlib.util
import json
import pathlib
import re

from minikctl.core import kinds, selectors
from minikctl.api.manifests import Document
from minikctl.errors import CommandError, InvalidError, MinikctlError, bad_request

SCHEMA_DIRECTORY = "kubernetes-json-schema/v1.32.0-local"


def validate(doc: Document, mode: str = "strict") -> tuple[list[MinikctlError], list[str]]:
    """(errors, warning lines) for one object; the server stops at the first failing stage."""
    obj = doc.obj
    missing = [f"{field} not set" for field in ("apiVersion", "kind") if not obj.get(field)]
    if missing and (mode != "ignore" or not obj.get("kind")):
        return [_missing_type_error(doc, missing, mode)], []
    kind = kinds.for_api_version(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if kind is None:
        return [mapping_error(doc)], []
    version = str(obj["apiVersion"]).rpartition("/")[2]
    decoded = _schemas().decode(obj, kind.group, version, kind.kind)
    prefix = f'{kind.kind} in version "{version}" cannot be handled as a {kind.kind}: '
    if decoded.error:
        return [bad_request(prefix + decoded.error)], []
    warnings = []
    if decoded.unknown_fields and mode == "strict":
        listed = ", ".join(f'unknown field "{path}"' for path in decoded.unknown_fields)
        return [bad_request(prefix + "strict decoding error: " + listed)], []
    if mode == "warn":
        warnings = [f'Warning: unknown field "{path}"' for path in decoded.unknown_fields]
    causes = semantic_causes(obj, kind)
    name = str((obj.get("metadata") or {}).get("name") or "")
    return ([InvalidError(kind.kind, name, causes)] if causes else []), warnings


class SchemaError(CommandError):
    """kubectl's own schema check failed: the builder stops reading that file (cli-runtime visitor.go
    StreamVisitor: ValidateSchema returns), unlike a decode or mapping error that skips one object."""


def _missing_type_error(doc: Document, missing: list[str], mode: str) -> CommandError:
    if mode == "ignore":
        return CommandError(f"unable to decode \"{doc.source}\": Object 'Kind' is missing in "
                            f"'{go_compact_json(doc.obj)}'")
    listed = missing[0] if len(missing) == 1 else "[" + ", ".join(missing) + "]"
    return SchemaError(f'error validating "{doc.source}": error validating data: {listed}; '
                        "if you choose to ignore these errors, turn validation off with --validate=false")


def mapping_error(doc: Document) -> CommandError:
    meta = doc.obj.get("metadata") or {}
    return CommandError(
        f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
        f'"{meta.get("namespace", "")}" from "{doc.source}": no matches for kind '
        f'"{doc.obj.get("kind", "")}" in version "{doc.obj.get("apiVersion", "")}"\n'
        "ensure CRDs are installed first")


def go_compact_json(obj) -> str:
    """json.Marshal's output: sorted keys, no spaces, HTML characters escaped."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ------------------------------------------------------------------------------ schema walk

_LOADED = None
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_QUANTITY_SUFFIXES = re.compile(r"^(|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?[0-9]+)$")
_INT_RANGES = {"int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}
_PERMISSIVE = {"io.k8s.apimachinery.pkg.runtime.RawExtension", "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
               "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON"}
_STRING_TIMES = {"io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"}
# Go named types the OpenAPI schema does not name, by (struct, field): the decoder prints them.
_NAMED_TYPES = {
    ("Container", "imagePullPolicy"): "v1.PullPolicy", ("PodSpec", "restartPolicy"): "v1.RestartPolicy",
    ("PodSpec", "dnsPolicy"): "v1.DNSPolicy", ("ContainerPort", "protocol"): "v1.Protocol",
    ("ServicePort", "protocol"): "v1.Protocol", ("ServiceSpec", "type"): "v1.ServiceType",
    ("ResourceRequirements", "limits"): "v1.ResourceList", ("ResourceRequirements", "requests"): "v1.ResourceList",
    ("DeploymentStrategy", "type"): "v1.DeploymentStrategyType", ("Secret", "type"): "v1.SecretType",
    ("JobSpec", "completionMode"): "v1.CompletionMode", ("CronJobSpec", "concurrencyPolicy"): "v1.ConcurrencyPolicy",
}
QUANTITY_FORMAT_ERROR = ("quantities must match the regular expression "
                         "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


class Decoded:
    def __init__(self):
        self.error = ""  # the decode error the server reports (the first one)
        self.fatal = False  # a custom unmarshaller's error aborts decoding and wins
        self.unknown_fields: list[str] = []

    def fail(self, message: str, fatal: bool = False):
        if fatal and not self.fatal:
            self.error, self.fatal = message, True
        elif not self.error:
            self.error = message


def _schemas() -> "SchemaWalker":
    global _LOADED
    if _LOADED is None:
        _LOADED = SchemaWalker(json.loads(_definitions_path().read_text())["$defs"])
    return _LOADED


def _definitions_path() -> pathlib.Path:
    """The v1.32 definitions file kubernetes-validate ships, found without importing the package:
    its __init__ imports jsonschema and more, which cost more than a whole first apply."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("minikctl needs the kubernetes-validate package for its schemas")
    return pathlib.Path(next(iter(spec.submodule_search_locations)), SCHEMA_DIRECTORY, "_definitions.json")


def _definition_name(group: str, version: str, kind: str) -> str:
    package = group.split(".")[0] if group else "core"
    return f"io.k8s.api.{package}.{version}.{kind}"


def _short(definition: str) -> str:
    return definition.rsplit(".", 1)[1]


def _go_package_type(definition: str) -> str:
    parts = definition.split(".")
    return f"{parts[-2]}.{parts[-1]}"


def _describe(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, dict) else "array"


def _number_literal(value) -> str:
    if isinstance(value, int):
        return str(value)
    return re.sub(r"e([-+])0*(\d)", r"e\1\2", repr(value))


class SchemaWalker:
    """Walks an object against the v1.32 definitions like the server's JSON decoder would."""

    def __init__(self, definitions: dict):
        self.definitions = definitions

    def decode(self, obj: dict, group: str, version: str, kind: str) -> Decoded:
        decoded = Decoded()
        definition = _definition_name(group, version, kind)
        if definition in self.definitions:
            self.walk_struct(obj, definition, [], "", decoded)
        return decoded

    def go_type(self, schema: dict) -> str:
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[1]
            return {"io.k8s.apimachinery.pkg.util.intstr.IntOrString": "intstr.IntOrString",
                    "io.k8s.apimachinery.pkg.api.resource.Quantity": "resource.Quantity"}.get(
                name, _go_package_type(name))
        kind = self.schema_type(schema)
        if kind == "array":
            return "[]" + self.go_type(schema.get("items", {}))
        if kind == "object":
            return "map[string]" + self.go_type(schema.get("additionalProperties", {}))
        if kind == "integer":
            return schema.get("format", "int64")
        if kind == "string":
            return "[]uint8" if schema.get("format") == "byte" else "string"
        return {"number": "float64", "boolean": "bool"}.get(kind, "interface {}")

    @staticmethod
    def schema_type(schema: dict) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "")
        return kind or ""

    def walk(self, value, schema: dict, fields: list[str], struct: str, path: str, decoded: Decoded):
        if value is None:
            return
        ref = schema.get("$ref")
        if ref:
            self.walk_ref(value, ref.rsplit("/", 1)[1], fields, struct, path, decoded)
            return
        kind = self.schema_type(schema)
        mismatch = {"array": not isinstance(value, list), "object": not isinstance(value, dict),
                    "string": not isinstance(value, str), "boolean": not isinstance(value, bool),
                    "integer": isinstance(value, bool) or not isinstance(value, (int, float)),
                    "number": isinstance(value, bool) or not isinstance(value, (int, float))}.get(kind, False)
        go_type = _NAMED_TYPES.get((struct, fields[-1] if fields else "")) or self.go_type(schema)
        if mismatch:
            self.type_error(_describe(value), go_type, fields, struct, decoded)
        elif kind == "array":
            self.zero_nulls(value, schema.get("items", {}))
            for index, item in enumerate(value):
                self.walk(item, schema.get("items", {}), fields, struct, f"{path}[{index}]", decoded)
        elif kind == "object":
            self.zero_nulls(value, schema.get("additionalProperties", {}))
            for key in sorted(value):
                self.walk(value[key], schema.get("additionalProperties", {}), fields, struct, f"{path}[{key}]", decoded)
        elif kind == "integer":
            low, high = _INT_RANGES[go_type if go_type in _INT_RANGES else "int64"]
            if not float(value).is_integer() or not low <= value <= high:
                self.type_error("number " + _number_literal(value), go_type, fields, struct, decoded)
        elif kind == "string" and schema.get("format") == "byte":
            self.check_base64(value, decoded)

    def zero_nulls(self, items, schema: dict) -> None:
        """A null list item or map value decodes, in place, to its Go type's zero value (`containers: [null]`
        is one empty Container, `stringData: {a: null}` an empty string), so later stages never meet a null
        where a value is expected."""
        for index, item in enumerate(items) if isinstance(items, list) else items.items():
            if item is None:
                items[index] = self.zero_value(schema)

    def zero_value(self, schema: dict):
        ref = schema.get("$ref", "").rsplit("/", 1)[-1]
        if ref == "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
            return 0
        if ref == "io.k8s.apimachinery.pkg.api.resource.Quantity":
            return "0"
        if ref in self.definitions:
            return {}
        return {"string": "", "integer": 0, "number": 0, "boolean": False}.get(self.schema_type(schema))

    def walk_ref(self, value, name: str, fields, struct, path, decoded: Decoded):
        if name in _PERMISSIVE:
            return
        if name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
            self.check_int_or_string(value, fields, struct, decoded)
        elif name == "io.k8s.apimachinery.pkg.api.resource.Quantity":
            self.check_quantity(value, decoded)
        elif name in _STRING_TIMES:
            if not isinstance(value, str):
                self.type_error(_describe(value), "string", fields, struct, decoded, fatal=True)
        elif not isinstance(value, dict):
            self.type_error(_describe(value), _go_package_type(name), fields, struct, decoded)
        else:
            self.walk_struct(value, name, fields, path, decoded)

    def walk_struct(self, value: dict, name: str, fields: list[str], path: str, decoded: Decoded):
        properties = self.definitions[name].get("properties", {})
        for key in sorted(value):
            child_path = f"{path}.{key}" if path else key
            if key in properties:
                self.walk(value[key], properties[key], fields + [key], _short(name), child_path, decoded)
            else:
                decoded.unknown_fields.append(child_path)

    @staticmethod
    def type_error(described: str, go_type: str, fields, struct, decoded: Decoded, fatal=False):
        decoded.fail(f"json: cannot unmarshal {described} into Go struct field "
                     f"{struct}.{'.'.join(fields)} of type {go_type}", fatal)

    def check_int_or_string(self, value, fields, struct, decoded: Decoded):
        """intstr.IntOrString.UnmarshalJSON: strings as they are, anything else into an int32."""
        if isinstance(value, str):
            return
        low, high = _INT_RANGES["int32"]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer() and low <= value <= high:
                return
            described = "number " + _number_literal(value)
        else:
            described = _describe(value)
        self.type_error(described, "int32", fields, struct, decoded, fatal=True)

    @staticmethod
    def check_quantity(value, decoded: Decoded):
        """resource.Quantity.UnmarshalJSON -> ParseQuantity (apimachinery pkg/api/resource/quantity.go)."""
        text = _number_literal(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else value if isinstance(value, str) else json.dumps(value)
        match = _QUANTITY.match(text.strip())
        if not match:
            decoded.fail(QUANTITY_FORMAT_ERROR, fatal=True)
        elif match.group(1).count(".") > 1:
            decoded.fail("unable to parse numeric part of quantity", fatal=True)
        elif not _QUANTITY_SUFFIXES.match(match.group(2)):
            decoded.fail("unable to parse quantity's suffix", fatal=True)

    @staticmethod
    def check_base64(value: str, decoded: Decoded):
        """[]byte fields are standard base64; Go reports the offset of the first bad input byte."""
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            alphabet = re.compile(r"[^A-Za-z0-9+/=]")
            bad = alphabet.search(value)
            offset = bad.start() if bad else len(value) // 4 * 4
            decoded.fail(f"illegal base64 data at input byte {offset}", fatal=True)


# ------------------------------------------------------------------------- semantic rules

def semantic_causes(obj: dict, kind: kinds.Kind) -> list[str]:
    """Field errors of the server's validation, run (as on the server) on the defaulted object."""
    from minikctl.api.defaults import apply_defaults

    defaulted = copy.deepcopy(obj)
    apply_defaults(defaulted)
    return defaulted_causes(defaulted, kind)


def defaulted_causes(obj: dict, kind: kinds.Kind) -> list[str]:
    """Field errors of an object the API server has already defaulted (its create and update path)."""
    causes = metadata_causes(obj, kind) + label_causes((obj.get("metadata") or {}).get("labels"))
    checker = _KIND_RULES.get(kind.kind)
    if checker:
        causes += checker(obj.get("spec") or {})
    return causes


DNS1123_SUBDOMAIN = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL = r"[a-z]([-a-z0-9]*[a-z0-9])?"
_NAME_RULES = {  # pattern, max length, message, examples (apimachinery pkg/util/validation/validation.go)
    "subdomain": (DNS1123_SUBDOMAIN, 253, "a lowercase RFC 1123 subdomain must consist of lower case "
                  "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                  ["example.com"]),
    "label": (DNS1123_LABEL, 63, "a lowercase RFC 1123 label must consist of lower case alphanumeric "
              "characters or '-', and must start and end with an alphanumeric character", ["my-name", "123-abc"]),
    "dns1035": (DNS1035_LABEL, 63, "a DNS-1035 label must consist of lower case alphanumeric characters or "
                "'-', start with an alphabetic character, and end with an alphanumeric character",
                ["my-name", "abc-123"]),
}
_NAME_RULE_BY_KIND = {"Namespace": "label", "Service": "dns1035"}
_PATH_SEGMENT_KINDS = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}


def name_problems(name: str, rule: str) -> list[str]:
    pattern, limit, message, examples = _NAME_RULES[rule]
    problems = [f"must be no more than {limit} characters"] if len(name) > limit else []
    if not re.fullmatch(pattern, name):
        shown = " or ".join(f"'{example}', " for example in examples)
        problems.append(f"{message} (e.g. {shown}regex used for validation is '{pattern}')")
    return problems


def _quote(value) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def invalid(path: str, value, detail: str) -> str:
    return f"{path}: Invalid value: {_quote(value)}: {detail}"


def required(path: str, detail: str = "") -> str:
    return f"{path}: Required value" + (f": {detail}" if detail else "")


def unsupported(path: str, value, supported: list[str]) -> str:
    listed = ", ".join(_quote(choice) for choice in supported)
    return f"{path}: Unsupported value: {_quote(value)}: supported values: {listed}"


def metadata_causes(obj: dict, kind: kinds.Kind) -> list[str]:
    meta = obj.get("metadata") or {}
    name = meta.get("name") or ""
    if not name:
        return [] if meta.get("generateName") else [required("metadata.name", "name or generateName is required")]
    if kind.kind in _PATH_SEGMENT_KINDS:
        return path_segment_causes(name)
    rule = _NAME_RULE_BY_KIND.get(kind.kind, "subdomain")
    return [invalid("metadata.name", name, problem) for problem in name_problems(name, rule)]


QUALIFIED_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE = r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"


def _regex_error(message: str, pattern: str, examples: list[str]) -> str:
    shown = " or ".join(f"'{example}', " for example in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{pattern}')"


def qualified_name_problems(key: str) -> list[str]:
    """IsQualifiedName (apimachinery pkg/util/validation/validation.go): an optional DNS subdomain prefix
    and a name part of at most 63 characters."""
    parts = key.split("/")
    if len(parts) > 2:
        return ["a qualified name " + _regex_error(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character", QUALIFIED_NAME, ["MyName", "my.name", "123-abc"])
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    problems = []
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            problems.append("prefix part must be non-empty")
        else:
            problems += ["prefix part " + problem for problem in name_problems(prefix, "subdomain")]
    name = parts[-1]
    if not name:
        return problems + ["name part must be non-empty"]
    if len(name) > 63:
        problems.append("name part must be no more than 63 characters")
    if not re.fullmatch(QUALIFIED_NAME, name):
        problems.append("name part " + _regex_error(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character", QUALIFIED_NAME, ["MyName", "my.name", "123-abc"]))
    return problems


def label_value_problems(value: str) -> list[str]:
    problems = ["must be no more than 63 characters"] if len(value) > 63 else []
    if not re.fullmatch(LABEL_VALUE, value):
        problems.append(_regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character", LABEL_VALUE, ["MyValue", "my_value", "12345"]))
    return problems


def label_causes(labels, path: str = "metadata.labels") -> list[str]:
    """ValidateLabels (apimachinery pkg/apis/meta/v1/validation): each key, then each value, in key order."""
    causes = []
    for key in sorted(labels or {}):
        causes += [invalid(path, key, problem) for problem in qualified_name_problems(key)]
        value = labels[key]
        if isinstance(value, str):
            causes += [invalid(path, value, problem) for problem in label_value_problems(value)]
    return causes


def path_segment_causes(name: str) -> list[str]:
    if name in (".", ".."):
        return [invalid("metadata.name", name, f"may not be '{name}'")]
    return [invalid("metadata.name", name, f"may not contain '{bad}'") for bad in ("/", "%") if bad in name]


def go_string_map(labels) -> str:
    """A map[string]string as Go's %#v prints it (keys sorted)."""
    if not labels:
        return "map[string]string(nil)" if labels is None else "map[string]string{}"
    pairs = ", ".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in sorted(labels.items()))
    return f"map[string]string{{{pairs}}}"


def selector_matches(selector: dict, labels: dict) -> bool:
    """Whether the template's labels satisfy the selector; a selector with an invalid operator is
    reported on its own, not as a mismatch (apps validation.go ValidateDeploymentSpec)."""
    try:
        return selectors.selector_matches(selector, labels)
    except ValueError:
        return True


def workload_causes(spec: dict, restart_policies: tuple[str, ...] = ("Always",)) -> list[str]:
    """Replicas, selector vs template labels, then the pod template (apps validation.go)."""
    causes = []
    replicas = spec.get("replicas")
    if isinstance(replicas, int) and replicas < 0:
        causes.append(invalid("spec.replicas", replicas, "must be greater than or equal to 0"))
    selector = spec.get("selector")
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels")
    if selector is None:
        causes.append(required("spec.selector"))
    if selector is None or (selector_is_set(selector) and not selector_matches(selector, labels or {})):
        causes.append(f"spec.template.metadata.labels: Invalid value: {go_string_map(labels)}: "
                      "`selector` does not match template `labels`")
    causes += pod_spec_causes(template.get("spec") or {}, "spec.template.spec")
    return causes + restart_policy_causes(template.get("spec") or {}, "spec.template.spec", restart_policies)


def selector_is_set(selector: dict) -> bool:
    return bool(selector.get("matchLabels") or selector.get("matchExpressions"))


def deployment_causes(spec: dict) -> list[str]:
    causes = workload_causes(spec)
    selector = spec.get("selector")
    if selector is not None and not selector_is_set(selector):
        causes.insert(0, "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                         "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")
    return causes


def replication_controller_causes(spec: dict) -> list[str]:
    """A map selector, defaulted from the template's labels (core validation.go ValidateReplicationControllerSpec)."""
    selector = spec.get("selector") or {}
    causes = [] if selector else [required("spec.selector")]
    replicas = spec.get("replicas")
    if isinstance(replicas, int) and replicas < 0:
        causes.append(invalid("spec.replicas", replicas, "must be greater than or equal to 0"))
    template = spec.get("template")
    if template is None:
        return causes + [required("spec.template")]
    labels = (template.get("metadata") or {}).get("labels")
    if selector and not selector_matches({"matchLabels": selector}, labels or {}):
        causes.append(f"spec.template.metadata.labels: Invalid value: {go_string_map(labels)}: "
                      "`selector` does not match template `labels`")
    pod_spec = template.get("spec") or {}
    return causes + pod_spec_causes(pod_spec, "spec.template.spec") + \
        restart_policy_causes(pod_spec, "spec.template.spec", ("Always",))


METRIC_SOURCES = {"ContainerResource": "containerResource", "External": "external", "Object": "object",
                  "Pods": "pods", "Resource": "resource"}


def hpa_causes(spec: dict) -> list[str]:
    """Each metric names a known source type and populates that source (autoscaling validation.go validateMetricSpec)."""
    return [cause for index, metric in enumerate(spec.get("metrics") or [])
            for cause in metric_causes(metric, f"spec.metrics[{index}]")]


def metric_causes(metric: dict, path: str) -> list[str]:
    kind = metric.get("type") or ""
    if kind not in METRIC_SOURCES:
        missing = [] if kind else [required(f"{path}.type", "must specify a metric source type")]
        return missing + [unsupported(f"{path}.type", kind, list(METRIC_SOURCES))]
    field = METRIC_SOURCES[kind]
    source = metric.get(field)
    if source is None:
        return [required(f"{path}.{field}", "must populate information for the given metric source")]
    causes = [f"{path}.{other}: Forbidden: must populate the given metric source only"
              for other in METRIC_SOURCES.values() if other != field and metric.get(other) is not None]
    if field in ("pods", "object", "external") and not (source.get("metric") or {}).get("name"):
        causes.append(required(f"{path}.{field}.metric.name", "must specify a metric name"))
    if not (source.get("target") or {}).get("type"):
        causes.append(required(f"{path}.{field}.target.type", "must specify a metric target type"))
    return causes


def restart_policy_causes(pod_spec: dict, path: str, allowed: tuple[str, ...]) -> list[str]:
    policy = pod_spec.get("restartPolicy")
    if policy in allowed:
        return []
    return [unsupported(f"{path}.restartPolicy", policy, list(allowed))]


def pod_spec_causes(pod_spec: dict, path: str) -> list[str]:
    """Containers present, named (DNS labels, unique), with an image; port numbers in range."""
    containers = pod_spec.get("containers") or []
    if not containers:
        return [required(f"{path}.containers")]
    causes, seen = [], set()
    for index, container in enumerate(containers):
        causes += container_causes(container, f"{path}.containers[{index}]", seen)
    return causes


def container_causes(container: dict, path: str, seen: set) -> list[str]:
    causes = []
    name = container.get("name") or ""
    if not name:
        causes.append(required(f"{path}.name"))
    elif name in seen:
        causes.append(f"{path}.name: Duplicate value: {_quote(name)}")
    else:
        causes += [invalid(f"{path}.name", name, problem) for problem in name_problems(name, "label")]
    seen.add(name)
    if not container.get("image"):
        causes.append(required(f"{path}.image"))
    causes += resource_limit_causes(container.get("resources") or {}, f"{path}.resources")
    for index, port in enumerate(container.get("ports") or []):
        number = port.get("containerPort") or 0
        if number == 0:
            causes.append(required(f"{path}.ports[{index}].containerPort"))
        elif not 1 <= number <= 65535:
            causes.append(invalid(f"{path}.ports[{index}].containerPort", number, "must be between 1 and 65535, inclusive"))
    return causes


def resource_limit_causes(resources: dict, path: str) -> list[str]:
    """A request above its limit (core validation.go ValidateResourceRequirements); quantities that do
    not parse are the schema's to report."""
    from minikctl.core import quantity as quantities

    causes = []
    requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
    for name in sorted(set(requests) & set(limits)):
        try:
            request, limit = quantities.parse(requests[name]), quantities.parse(limits[name])
        except ValueError:
            continue
        if request.value > limit.value:
            causes.append(invalid(f"{path}.requests[{name}]", str(request),
                                  f"must be less than or equal to {name} limit of {limit}"))
    return causes


SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
PROTOCOLS = ["SCTP", "TCP", "UDP"]


def service_causes(spec: dict) -> list[str]:
    """Ports present (except ExternalName), in range, named when several, known protocol and type."""
    service_type = spec.get("type", "ClusterIP")
    if service_type not in SERVICE_TYPES:
        return [unsupported("spec.type", service_type, SERVICE_TYPES)]
    ports = spec.get("ports") or []
    if not ports and service_type != "ExternalName":
        return [required("spec.ports")]
    causes, names = [], set()
    for index, port in enumerate(ports):
        causes += service_port_causes(port, f"spec.ports[{index}]", len(ports) > 1, names)
    return causes


def service_port_causes(port: dict, path: str, must_be_named: bool, names: set) -> list[str]:
    causes = []
    name = port.get("name") or ""
    if must_be_named and not name:
        causes.append(required(f"{path}.name"))
    elif name in names:
        causes.append(f"{path}.name: Duplicate value: {_quote(name)}")
    names.add(name)
    number = port.get("port") or 0
    if not 1 <= number <= 65535:
        causes.append(invalid(f"{path}.port", number, "must be between 1 and 65535, inclusive"))
    if port.get("protocol") not in PROTOCOLS:
        causes.append(unsupported(f"{path}.protocol", port.get("protocol"), PROTOCOLS))
    target = port.get("targetPort")
    if isinstance(target, int) and not 1 <= target <= 65535:
        causes.append(invalid(f"{path}.targetPort", target, "must be between 1 and 65535, inclusive"))
    return causes


def job_causes(spec: dict, path: str = "spec") -> list[str]:
    pod_spec = (spec.get("template") or {}).get("spec") or {}
    causes = pod_spec_causes(pod_spec, f"{path}.template.spec")
    return causes + restart_policy_causes(pod_spec, f"{path}.template.spec", ("OnFailure", "Never"))


def cron_job_causes(spec: dict) -> list[str]:
    causes = [] if spec.get("schedule") else [required("spec.schedule")]
    return causes + job_causes((spec.get("jobTemplate") or {}).get("spec") or {}, "spec.jobTemplate.spec")


def pod_causes(spec: dict) -> list[str]:
    return pod_spec_causes(spec, "spec")


_KIND_RULES = {
    "Deployment": deployment_causes, "ReplicaSet": workload_causes, "StatefulSet": workload_causes,
    "DaemonSet": workload_causes, "ReplicationController": replication_controller_causes, "Pod": pod_causes,
    "Service": service_causes, "Job": job_causes, "HorizontalPodAutoscaler": hpa_causes,
    "CronJob": cron_job_causes,
}
