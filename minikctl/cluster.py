"""The cluster as commands and controllers see it: typed access to the objects of a state.

A Cluster wraps one StateData. It keeps the API server's bookkeeping: a cluster-wide
resourceVersion counter, uids, creationTimestamp, generation (../shared/reference/controllers.md
§1.1-1.3), and a random generator seeded in the state so the same commands on a fresh state give the
same names.
"""

from __future__ import annotations

import json
from datetime import datetime
from collections.abc import Iterable
from typing import NamedTuple

from minikctl import errors
from minikctl.core.clock import format_time
from minikctl.core import kinds
from minikctl.core.kinds import Kind
from minikctl.store import StateData, decode, encode, object_key, use_fast_codec

# Kinds whose generation follows spec changes (and, for Deployments, annotation changes).
GENERATION_KINDS = {
    "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps",
    "replicationcontrollers", "jobs.batch", "cronjobs.batch", "horizontalpodautoscalers.autoscaling",
    "networkpolicies.networking.k8s.io",
}

class Change(NamedTuple):
    """One stored write, as the informers see it: the stored object, or the removed one when deleted."""
    resource: str
    key: str  # namespace/name
    obj: dict
    deleted: bool


# Listing more objects than this pays for importing orjson, whose decoder is twice as fast.
FAST_DECODE_AFTER = 300

# Alphabet of kubernetes/apimachinery: pkg/util/rand/rand.go (no vowels, no 0/1/3).
RANDOM_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


class Cluster:
    def __init__(self, state: StateData, now: datetime):
        self.state = state
        self.now = now
        self.timestamp = format_time(now)
        meta = state.meta
        meta.setdefault("resourceVersion", 0)
        meta.setdefault("seed", 0)
        meta.setdefault("transactions", 0)
        self.meta = meta
        self._rng = None
        self.changed = False
        self.warnings: list[str] = []  # "Warning: ..." lines for stderr (admission, deprecations)
        self.changes: list[Change] = []  # the writes not yet delivered to the controllers' informers

    # -- bookkeeping -------------------------------------------------------------------------
    @property
    def rng(self):
        """A random.Random seeded per write transaction from the state's seed and transaction count."""
        if self._rng is None:
            import random

            self._rng = random.Random(f"{self.meta['seed']}:{self.meta['transactions']}")
        return self._rng

    def begin_write(self) -> None:
        self.meta["transactions"] += 1
        self._rng = None

    def next_resource_version(self) -> str:
        self.meta["resourceVersion"] += 1
        self.changed = True
        return str(self.meta["resourceVersion"])

    def random_string(self, length: int = 5) -> str:
        return "".join(self.rng.choice(RANDOM_ALPHABET) for _ in range(length))

    def new_uid(self) -> str:
        bits = self.rng.getrandbits(128)
        bits &= ~(0xF000 << 64)
        bits |= 0x4000 << 64  # version 4
        bits &= ~(0xC000 << 48)
        bits |= 0x8000 << 48  # RFC 4122 variant
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    # -- reads -------------------------------------------------------------------------------
    def get(self, key: str, namespace: str, name: str) -> dict | None:
        return self.state.section(key).get(object_key(namespace or "", name))

    def list(self, key: str, namespace: str | None = None) -> list[dict]:
        """Objects of a resource sorted by namespace then name (the API server's order)."""
        section = self.state.section(key)
        if len(section) > FAST_DECODE_AFTER:
            use_fast_codec()
        if namespace is None:
            return [section.get(k) for k in section.keys()]
        prefix = f"{namespace}/"
        return [section.get(k) for k in section.keys() if k.startswith(prefix)]

    def all_objects(self) -> Iterable[tuple[Kind, dict]]:
        for kind in kinds.KINDS:
            for obj in self.list(kind.key):
                yield kind, obj

    # -- writes ------------------------------------------------------------------------------
    def _store(self, key: str, obj: dict) -> None:
        meta = obj["metadata"]
        obj_key = object_key(meta.get("namespace", ""), meta["name"])
        self.state.section(key).set(obj_key, obj, encode(obj))
        self.changed = True
        self.changes.append(Change(key, obj_key, obj, False))

    def create(self, obj: dict, key: str | None = None, uid: str | None = None) -> dict:
        """Store a new object, filling the server-set metadata (uid, unless the server drew it already);
        AlreadyExists if the name is taken."""
        kind = kinds.BY_KEY[key] if key else kinds.for_object(obj)
        meta = obj.setdefault("metadata", {})
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = self.generate_name(kind, meta)
        if self.get(kind.key, meta.get("namespace", ""), meta["name"]) is not None:
            raise errors.already_exists(kind.qualified, meta["name"])
        obj["apiVersion"] = kind.api_version
        meta["uid"] = uid or self.new_uid()
        meta["creationTimestamp"] = self.timestamp
        meta["resourceVersion"] = self.next_resource_version()
        if kind.key in GENERATION_KINDS:
            meta["generation"] = 1
        else:
            meta.pop("generation", None)
        self._store(kind.key, obj)
        return obj

    def generate_name(self, kind: Kind, meta: dict) -> str:
        """metadata.generateName plus 5 random characters, avoiding names already stored."""
        prefix = meta["generateName"][:58]
        for _ in range(8):
            name = prefix + self.random_string(5)
            if self.get(kind.key, meta.get("namespace", ""), name) is None:
                return name
        return prefix + self.random_string(5)

    def update(self, obj: dict, key: str | None = None, status_only: bool = False) -> bool:
        """Write a changed object: bump resourceVersion, and generation when its spec changed.

        Returns False (and writes nothing) when the object is unchanged, like a no-op update.
        status_only writes like the status subresource (what controllers use): generation stays.
        """
        kind = kinds.BY_KEY[key] if key else kinds.for_object(obj)
        meta = obj["metadata"]
        section = self.state.section(kind.key)
        name = object_key(meta.get("namespace", ""), meta["name"])
        previous_raw = section.raw.get(name)
        if previous_raw is None:
            raise errors.not_found(kind.qualified, meta["name"])
        # An object edited in place already carries its stored resourceVersion; decoding the previous
        # version is needed only to restore that, or to compare specs for the generation.
        in_place = section.decoded.get(name) is obj
        previous = None if in_place and kind.key not in GENERATION_KINDS else decode(previous_raw)
        if previous is not None:
            meta["resourceVersion"] = previous["metadata"].get("resourceVersion", "")
        if encode(obj) == previous_raw:
            section.decoded[name] = obj
            return False
        if previous is not None:
            self._set_generation(kind, previous, obj, status_only)
        meta["resourceVersion"] = self.next_resource_version()
        self._store(kind.key, obj)
        return True

    def _set_generation(self, kind: Kind, previous: dict, obj: dict, status_only: bool) -> None:
        meta = obj["metadata"]
        if status_only:
            generation = previous["metadata"].get("generation", meta.get("generation"))
            if generation is None:
                meta.pop("generation", None)
            else:
                meta["generation"] = generation
        elif kind.key in GENERATION_KINDS and self._desired_state_changed(kind, previous, obj):
            meta["generation"] = previous["metadata"].get("generation", 0) + 1

    @staticmethod
    def _desired_state_changed(kind: Kind, previous: dict, current: dict) -> bool:
        if previous.get("spec") != current.get("spec"):
            return True
        if kind.key == "deployments.apps":
            return previous["metadata"].get("annotations") != current["metadata"].get("annotations")
        return False

    def remove(self, key: str, namespace: str, name: str) -> dict | None:
        """Remove an object from storage at once (the end of any deletion)."""
        section = self.state.section(key)
        obj_key = object_key(namespace or "", name)
        obj = section.get(obj_key)
        if obj is not None:
            section.remove(obj_key)
            self.next_resource_version()
            self.changes.append(Change(key, obj_key, obj, True))
        return obj


def dumps_canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))
