"""How a validating admission plugin names the object it refuses."""

from __future__ import annotations

import random

from minikctl import errors
from minikctl.api.kinds import Kind
from minikctl.cluster import RANDOM_ALPHABET, Cluster

# kubernetes/apiserver: pkg/storage/names/generate.go (63-character names, 5 random characters).
_GENERATED_PREFIX_LENGTH = 58


def refused_name(cluster: Cluster, kind: Kind, obj: dict) -> str:
    """The object's name, generating it from generateName first.

    The registry fills a generated name before validating admission runs, so refusals name the
    generated object (kubernetes/apiserver: pkg/registry/rest/create.go AdmissionToValidateObjectFunc).
    minikctl generates names on storage, so a refusal draws one here, from a generator of its own
    seeded by the transaction and the prefix: a controller retrying in the same reconcile pass meets
    the very same refusal, so its FailedCreate is recorded once and the pass settles.
    """
    meta = obj["metadata"]
    if not meta.get("name") and meta.get("generateName"):
        meta["name"] = _generate(cluster, kind, meta)
    return meta.get("name", "")


def _generate(cluster: Cluster, kind: Kind, meta: dict) -> str:
    prefix = meta["generateName"][:_GENERATED_PREFIX_LENGTH]
    rng = random.Random(f"{cluster.meta['seed']}:{cluster.meta['transactions']}:refused:{prefix}")
    while True:
        name = prefix + "".join(rng.choice(RANDOM_ALPHABET) for _ in range(5))
        if cluster.get(kind.key, meta.get("namespace", ""), name) is None:
            return name


def forbidden(cluster: Cluster, kind: Kind, obj: dict, reason: str) -> errors.APIError:
    """403 `<resource> "<name>" is forbidden: <reason>` (admission.NewForbidden)."""
    return errors.forbidden(f'{kind.qualified} "{refused_name(cluster, kind, obj)}" is forbidden: {reason}')


def aggregate(messages: list[str]) -> str:
    """Several errors as one, like apimachinery's utilerrors.NewAggregate: duplicates dropped, `[a, b]`."""
    unique = list(dict.fromkeys(messages))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"
