"""kubectl auth can-i / auth whoami, answered by minikctl's RBAC authorizer.

kubernetes/kubectl: pkg/cmd/auth/cani.go (arguments, warnings, `yes`/`no - reason`, exit 1 for
no, the --list table built from a SelfSubjectRulesReview), pkg/util/rbac/rbac.go (rules broken
down, compacted and sorted for --list), pkg/cmd/auth/whoami.go (the ATTRIBUTE/VALUE table).
"""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import flags as f

SUMMARY = "Inspect authorization."
FLAGS = [
    f.Flag("all-namespaces", "A", type=f.BOOL, help="If true, check the specified action in all namespaces."),
    f.Flag("quiet", "q", type=f.BOOL, help="If true, suppress output and just return the exit code."),
    f.Flag("subresource", help="SubResource such as pod/log or deployment/scale"),
    f.Flag("list", type=f.BOOL, help="If true, prints all allowed actions."),
    f.Flag("no-headers", type=f.BOOL, help="If true, prints allowed actions without headers"),
    f.Flag("output", "o", help="Output format for whoami: json or yaml"),
]

RESOURCE_VERBS = {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind",
                  "impersonate", "*", "approve", "sign", "escalate", "attest"}
NON_RESOURCE_VERBS = {"get", "put", "post", "head", "options", "delete", "patch", "*"}
# Resources the API server authorizes although discovery does not list them (impersonation).
UNLISTED_RESOURCES = {"users", "groups"}
TWO_ARGUMENTS = ("you must specify two arguments: verb resource or verb resource/resourceName.\n"
                 "See 'minikctl auth can-i -h' for help and examples.")


# `kubectl auth` bare prints its help on stderr and exits 1 (pkg/cmd/auth/auth.go); minikctl's lists
# only the subcommands it has (no reconcile).
HELP = ("Inspect authorization.\n\nAvailable Commands:\n"
        "  can-i         Check whether an action is allowed\n"
        "  whoami        Experimental: Check self subject attributes\n\n"
        "Usage:\n  minikctl auth [flags] [options]\n")


def command_path(args: list[str]) -> str:
    return f"auth {args[0]}" if args and args[0] in ("can-i", "whoami") else "auth"


def run(ctx, parsed: f.Parsed) -> int:
    from minikctl.cli import common

    if not parsed.args:
        return common.no_subcommand(ctx, HELP)
    subcommand, args = parsed.args[0], parsed.args[1:]
    if subcommand == "can-i":
        return can_i(ctx, parsed, args)
    if subcommand == "whoami":
        return whoami(ctx, parsed)
    raise common.unknown_subcommand("auth", parsed.args)


# -- can-i ---------------------------------------------------------------------------------------
def can_i(ctx, parsed: f.Parsed, args: list[str]) -> int:
    if parsed["list"]:
        if args:
            raise errors.CommandError("list option must be specified with no arguments")
        if parsed["quiet"] or parsed["all-namespaces"] or parsed["subresource"]:
            raise errors.CommandError(
                "list option can't be specified with neither quiet, all-namespaces nor subresource options")
        return list_rules(ctx, parsed)
    if len(args) != 2:
        raise errors.CommandError(TWO_ARGUMENTS)
    request = _request(ctx, parsed, args[0], args[1])
    if parsed["no-headers"]:
        raise errors.CommandError("--no-headers cannot be set without --list specified")
    from minikctl.auth import access, rbac

    decision = rbac.evaluate(ctx.read_cluster(), access.caller(parsed), request)
    if not parsed["quiet"]:
        ctx.env.out("yes\n" if decision.allowed else "no" + (f" - {decision.reason}" if decision.reason else "") + "\n")
    return errors.SUCCESS if decision.allowed else errors.ERROR


def _request(ctx, parsed: f.Parsed, verb: str, target: str):
    """The access review's attributes, warning (as kubectl does) about what the server won't know."""
    from minikctl.auth.rbac import Attributes

    namespace = "" if parsed["all-namespaces"] else ctx.namespace
    if target.startswith("/"):
        if parsed["subresource"]:
            raise errors.CommandError("--subresource can not be used with NonResourceURL")
        if verb not in NON_RESOURCE_VERBS:
            _warn(ctx, f"verb '{verb}' is not a known verb\n")
        return Attributes(verb=verb, path=target)
    type_part, _, name = target.partition("/")
    resource, group, namespaced = _resource_for(ctx, type_part)
    if namespaced is not None and not parsed["all-namespaces"]:
        if not namespaced:
            where = f" in group '{group}'" if group else ""
            _warn(ctx, f"resource '{resource}' is not namespace scoped{where}\n")
        if verb not in RESOURCE_VERBS:
            _warn(ctx, f"verb '{verb}' is not a known verb\n")
    return Attributes(verb=verb, resource=resource, api_group=group, subresource=parsed["subresource"] or "",
                      name=name, namespace=namespace)


def _resource_for(ctx, argument: str) -> tuple[str, str, bool | None]:
    """(resource, group, namespaced); namespaced is None when discovery does not know the type."""
    from minikctl.api.resolve import UnknownResourceType, resolve_type

    if argument == "*":
        return "*", "", True
    try:
        kind = resolve_type(argument.lower())[0]
    except UnknownResourceType:
        resource, _, group = argument.lower().partition(".")
        if argument.lower() not in UNLISTED_RESOURCES:
            where = f" in group '{group}'" if group else ""
            _warn(ctx, f"the server doesn't have a resource type '{resource}'{where}\n")
        return argument, "", None
    return kind.plural, kind.group, kind.namespaced


def _warn(ctx, message: str) -> None:
    """cli-runtime's WarningPrinter adds its own newline after can-i's newline-ended messages."""
    ctx.env.err(f"Warning: {message}\n")


def list_rules(ctx, parsed: f.Parsed) -> int:
    from minikctl.auth import access, rbac
    from minikctl.printers.tabwriter import format_rows

    rules, problems = rbac.rules_for(ctx.read_cluster(), access.caller(parsed), ctx.namespace)
    if problems:
        joined = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
        ctx.env.err(f"Warning: the list may be incomplete: {joined}\n")
    rows = [] if parsed["no-headers"] else [["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]]
    for rule in _sorted(_compacted(_broken_down(_review_rules(rules)))):
        rows.append([_resource_group(rule), _go_list(rule.get("nonResourceURLs")),
                     _go_list(rule.get("resourceNames")), _go_list(rule.get("verbs"))])
    ctx.env.out(format_rows(rows))
    return errors.SUCCESS


def _review_rules(rules: list[dict]) -> list[dict]:
    """A SelfSubjectRulesReview's answer: resource rules first, then non-resource rules."""
    resource_rules = [{k: rule.get(k) or [] for k in ("verbs", "apiGroups", "resources", "resourceNames")}
                      for rule in rules if rule.get("resources")]
    url_rules = [{"verbs": rule.get("verbs") or [], "nonResourceURLs": rule["nonResourceURLs"]}
                 for rule in rules if rule.get("nonResourceURLs")]
    return resource_rules + url_rules


def _broken_down(rules: list[dict]) -> list[dict]:
    """One rule per group x resource x verb (x name), and per URL x verb."""
    pieces = []
    for rule in rules:
        for group in rule.get("apiGroups") or ():
            for resource in rule.get("resources") or ():
                for verb in rule["verbs"]:
                    base = {"apiGroups": [group], "resources": [resource], "verbs": [verb]}
                    names = rule.get("resourceNames") or ()
                    pieces += [{**base, "resourceNames": [name]} for name in names] if names else [base]
        for url in rule.get("nonResourceURLs") or ():
            pieces += [{"nonResourceURLs": [url], "verbs": [verb]} for verb in rule["verbs"]]
    return pieces


def _compacted(rules: list[dict]) -> list[dict]:
    """Resource rules for the same group, resource and name merged, their verbs appended in order."""
    merged: dict[tuple, dict] = {}
    others = []
    for rule in rules:
        if rule.get("nonResourceURLs"):
            others.append(rule)
            continue
        key = (rule["apiGroups"][0], rule["resources"][0], tuple(rule.get("resourceNames") or ()))
        if key in merged:
            merged[key]["verbs"] = merged[key]["verbs"] + rule["verbs"]
        else:
            merged[key] = dict(rule)
    return others + list(merged.values())


def _sorted(rules: list[dict]) -> list[dict]:
    """Ordered by Go's PolicyRule.String() (k8s.io/api rbac/v1 generated.pb.go), verbs first."""
    def go_string(rule: dict) -> str:
        fields = [("Verbs", "verbs"), ("APIGroups", "apiGroups"), ("Resources", "resources"),
                  ("ResourceNames", "resourceNames"), ("NonResourceURLs", "nonResourceURLs")]
        return "&PolicyRule{" + "".join(f"{label}:{_go_list(rule.get(key))}," for label, key in fields) + "}"
    return sorted(rules, key=go_string)


def _resource_group(rule: dict) -> str:
    """`resource.group[/subresource]` as kubectl's describe.CombineResourceGroup writes it."""
    if not rule.get("resources"):
        return ""
    resource, slash, subresource = rule["resources"][0].partition("/")
    group = rule["apiGroups"][0] if rule.get("apiGroups") else ""
    combined = f"{resource}.{group}" if group else resource
    return f"{combined}/{subresource}" if slash else combined


def _go_list(values) -> str:
    return "[" + " ".join(values or ()) + "]"


# -- whoami --------------------------------------------------------------------------------------
def whoami(ctx, parsed: f.Parsed) -> int:
    from minikctl.auth import access
    from minikctl.printers.tabwriter import format_rows

    user = access.caller(parsed)
    if parsed["output"]:
        return _print_review(ctx, parsed["output"], user)
    rows = [["ATTRIBUTE", "VALUE"], ["Username", user.name]]
    if user.groups:
        rows.append(["Groups", _go_list(user.groups)])
    ctx.env.out(format_rows(rows))
    return errors.SUCCESS


def _print_review(ctx, output: str, user) -> int:
    """The SelfSubjectReview object for -o; JSON keeps the Go struct's field order (a typed object)."""
    import json

    from minikctl.printers.output import MUTATE_FORMATS, parse_output, render_document

    review = {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
              "metadata": {"creationTimestamp": None},
              "status": {"userInfo": {"username": user.name, "groups": list(user.groups)}}}
    fmt = parse_output(output, "", MUTATE_FORMATS)
    ctx.env.out(json.dumps(review, indent=4) + "\n" if fmt.name == "json" else render_document(fmt, review))
    return errors.SUCCESS
