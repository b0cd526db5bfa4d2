"""Watch: a change feed over the state file, whoever writes it (this server, `minikctl`, another server).

A poller notices each new version of the file (its inode, size and mtime), diffs the sections whose
checksum changed against the last version seen, and appends ADDED / MODIFIED / DELETED events to a
bounded log ordered by resourceVersion. A watch from resourceVersion N replays the log after N and
follows it; a version older than the log's start answers 410 Gone, as an API server whose watch cache
no longer holds it does (kubernetes/apiserver pkg/storage/cacher/watch_cache.go).
"""

from __future__ import annotations

import asyncio
import collections
import os
import threading

from minikctl import store
from minikctl.api import selector_parsing as selectors
from minikctl.core import kinds

LOG_SIZE = 20_000
POLL_SECONDS = 0.02
BOOKMARK_SECONDS = 5.0


class Event:
    __slots__ = ("version", "type", "key", "obj")

    def __init__(self, version: int, type_: str, key: str, obj: dict):
        self.version, self.type, self.key, self.obj = version, type_, key, obj


class ChangeLog:
    def __init__(self, state_path: str):
        self.state_path = state_path
        self.events: collections.deque[Event] = collections.deque(maxlen=LOG_SIZE)
        self.sections: dict[str, tuple[int, dict[str, bytes]]] = {}  # key -> (crc, raw objects)
        self.version = 0
        self.start = 0
        self._file_id = None
        self._lock = threading.Lock()
        self.refresh()
        self.start = self.version
        self.changed = asyncio.Event()

    @property
    def oldest(self) -> int:
        """The oldest resourceVersion a watch may start from."""
        return self.events[0].version - 1 if len(self.events) == LOG_SIZE else self.start

    def file_id(self):
        try:
            info = os.stat(self.state_path)
        except FileNotFoundError:
            return None
        return info.st_ino, info.st_size, info.st_mtime_ns

    def refresh(self) -> bool:
        """Read the state if it changed; True when new events were logged."""
        with self._lock:
            current = self.file_id()
            if current == self._file_id:
                return False
            state = store.read(self.state_path)
            self._file_id = current
            if state is None:
                return False
            try:
                version = int(state.meta.get("resourceVersion", 0))
                if version == self.version and self.sections:
                    return False
                fresh = self._diff(state, version)
            finally:
                state.handle.close()
            self.version = version
            self.events.extend(sorted(fresh, key=lambda event: event.version))
            return bool(fresh)

    def _diff(self, state, version: int) -> list[Event]:
        fresh: list[Event] = []
        first = not self.sections
        for kind in kinds.KINDS:
            entry = state._index.get(kind.key)
            crc = entry[2] if entry else 0
            old_crc, old_raw = self.sections.get(kind.key, (0, {}))
            if crc == old_crc and kind.key in self.sections:
                continue
            raw = dict(state.section(kind.key).raw)
            self.sections[kind.key] = (crc, raw)
            if first:
                continue
            for obj_key, line in raw.items():
                before = old_raw.get(obj_key)
                if before != line:
                    obj = store.decode(line)
                    rv = int(obj["metadata"].get("resourceVersion") or version)
                    fresh.append(Event(rv, "ADDED" if before is None else "MODIFIED", kind.key, obj))
            for obj_key, line in old_raw.items():
                if obj_key not in raw:
                    obj = store.decode(line)
                    obj["metadata"]["resourceVersion"] = str(version)
                    fresh.append(Event(version, "DELETED", kind.key, obj))
        return fresh

    def current(self, key: str) -> list[dict]:
        with self._lock:
            _, raw = self.sections.get(key, (0, {}))
            return [store.decode(raw[k]) for k in sorted(raw, key=store._sort_key)]

    def after(self, version: int) -> list[Event]:
        return [event for event in list(self.events) if event.version > version]

    async def poll_forever(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if self.file_id() != self._file_id and await asyncio.to_thread(self.refresh):
                changed, self.changed = self.changed, asyncio.Event()
                changed.set()


class Filter:
    """Which events a watch receives: its resource, namespace and selectors."""

    def __init__(self, kind, namespace: str, labels: str, fields: str):
        self.kind, self.namespace, self.labels, self.fields = kind, namespace, labels, fields

    def keeps(self, key: str, obj: dict) -> bool:
        if key != self.kind.key:
            return False
        if self.namespace and obj["metadata"].get("namespace", "") != self.namespace:
            return False
        return bool(selectors.matching([obj], self.kind, self.labels, self.fields))
