"""The pod-template-hash: a short, stable name suffix that changes when a pod template changes.

Kubernetes computes FNV-1a 32 over a go-spew dump of the PodTemplateSpec, mixes in
status.collisionCount, and encodes the decimal sum with SafeEncodeString
(kubernetes/kubernetes: pkg/controller/controller_utils.go ComputeHash; kubernetes/apimachinery:
pkg/util/rand/rand.go SafeEncodeString). The Go byte stream cannot be reproduced in Python, so the
template is hashed as canonical JSON instead; the shape (only `456789bcdf`, at most 10 characters,
stable for an unchanged template) is what users see (controllers.md §0.1).
"""

from __future__ import annotations

import copy
import json
import struct

from minikctl.cluster import RANDOM_ALPHABET

FNV32_OFFSET_BASIS = 0x811C9DC5
FNV32_PRIME = 0x01000193
TEMPLATE_HASH_LABEL = "pod-template-hash"


def fnv1a_32(data: bytes, value: int = FNV32_OFFSET_BASIS) -> int:
    for byte in data:
        value = ((value ^ byte) * FNV32_PRIME) & 0xFFFFFFFF
    return value


def safe_encode_string(text: str) -> str:
    """Map each character onto the random-name alphabet, so no words and no vowels appear."""
    return "".join(RANDOM_ALPHABET[ord(character) % len(RANDOM_ALPHABET)] for character in text)


def canonical_template(template: dict) -> bytes:
    """The template as sorted compact JSON, without the pod-template-hash label a controller adds."""
    template = copy.deepcopy(template or {})
    labels = (template.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(TEMPLATE_HASH_LABEL, None)
    return json.dumps(template, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def pod_template_hash(template: dict, collision_count: int | None = None) -> str:
    value = fnv1a_32(canonical_template(template))
    if collision_count is not None:
        # As ComputeHash does: the count as little-endian uint32, then four zero bytes.
        value = fnv1a_32(struct.pack("<I", collision_count & 0xFFFFFFFF) + b"\0\0\0\0", value)
    return safe_encode_string(str(value))
