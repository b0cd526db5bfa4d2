"""Reading and validating `-f` documents before anything is stored (manifest -> validate)."""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import flags as f

VALIDATE_FLAG = f.Flag("validate", default="strict", no_value="strict",
                       help='Must be one of: strict (or true), warn, ignore (or false)')


def validation_mode(value: str) -> str:
    modes = {"strict": "strict", "true": "strict", "warn": "warn", "ignore": "ignore", "false": "ignore"}
    if value not in modes:
        raise errors.CommandError(f'invalid - validate option "{value}"; must be one of: strict (or true), warn, ignore (or false)')
    return modes[value]


class ValidationFailed(errors.MinikctlError):
    """Several documents failed validation; each error was already rendered in order."""

    def __init__(self, problems: list[errors.MinikctlError]):
        super().__init__("\n".join(p.render() for p in problems))


def load(ctx, parsed: f.Parsed, verb: str, require: bool = True) -> list:
    """Read every -f source and validate every document; any failure stores nothing."""
    from minikctl.api.manifests import read_sources

    filenames = parsed["filename"]
    if not filenames:
        if require:
            raise errors.CommandError("must specify one of -f and -k")
        return []
    documents = read_sources(filenames, parsed["recursive"], ctx.env.stdin, ctx.env.cwd)
    mode = validation_mode(parsed["validate"]) if "validate" in parsed.values else "strict"
    return validate_all(ctx, documents, mode, verb)


def validate_all(ctx, documents: list, mode: str, verb: str) -> list:
    from minikctl.api.validation import validate

    problems: list[errors.MinikctlError] = []
    for document in documents:
        found, warnings = validate(document, mode)
        for warning in warnings:
            ctx.env.err(warning + "\n")
        problems.extend(_with_source(p, verb, document.source) for p in found)
    if problems:
        raise ValidationFailed(problems)
    return documents


def _with_source(problem: errors.MinikctlError, verb: str, source: str) -> errors.MinikctlError:
    if isinstance(problem, errors.APIError):
        return problem.with_source(verb, source)
    return problem


def check_namespace_flag(ctx, obj: dict) -> None:
    """An object's own namespace must agree with an explicit -n (kubectl's enforceNamespace)."""
    meta = obj.get("metadata")
    own = meta.get("namespace") if isinstance(meta, dict) else None
    if ctx.namespace_given and own and own != ctx.namespace:
        raise errors.CommandError(
            f'the namespace from the provided object "{own}" does not match the namespace "{ctx.namespace}". '
            f"You must pass '--namespace={own}' to perform this operation.")
