"""kubectl api-resources: the registry as a table."""

from __future__ import annotations

from minikctl import errors
from minikctl.core import kinds
from minikctl.cli import flags as f
from minikctl.printers.tabwriter import format_rows

SUMMARY = "Print the supported API resources on the server."
FLAGS = [
    f.Flag("namespaced", type=f.BOOL, default=None, help="If false, non-namespaced resources will be returned"),
    f.Flag("no-headers", type=f.BOOL, help="When using the default or custom-column output format, don't print headers"),
    f.Flag("output", "o", help="Output format. One of: (wide, name)"),
    f.Flag("api-group", help="Limit to resources in the specified API group"),
]


def run(ctx, parsed: f.Parsed) -> int:
    selected = [k for k in kinds.KINDS if _wanted(k, parsed)]
    output = parsed["output"] or ""
    if output == "name":
        ctx.env.out("".join(f"{k.plural}.{k.group}\n" if k.group else f"{k.plural}\n" for k in selected))
        return errors.SUCCESS
    if output not in ("", "wide"):
        raise errors.CommandError(f"--output {output} is not available")
    rows = [] if parsed["no-headers"] else [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]]
    for kind in selected:
        rows.append([kind.plural, ",".join(kind.short_names), kind.api_version,
                     "true" if kind.namespaced else "false", kind.kind])
    ctx.env.out(format_rows(rows))
    return errors.SUCCESS


def _wanted(kind: kinds.Kind, parsed: f.Parsed) -> bool:
    if "namespaced" in parsed.given and kind.namespaced != parsed["namespaced"]:
        return False
    if "api-group" in parsed.given and kind.group != parsed["api-group"]:
        return False
    return True
