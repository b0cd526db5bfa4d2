"""The controller manager, played synchronously: informers, indexers and work queues as client-go runs them.

Every write through the cluster leaves a change (resource, key, object, deleted) in `cluster.changes`.
The manager hands each change to the handlers the controllers registered for that resource (the
informers); a handler maps the change to the keys its controller must sync (the object itself, its
controller through the ownerReference, the pods of a node, ...). Each controller has a FIFO,
de-duplicated work queue; controllers take turns in a fixed order, each syncing the keys queued when
its turn starts, one at a time, until every queue is empty. Keys from one change are queued in sorted
order, so the same commands on the same seed give the same names and addresses.

Sources: kubernetes/kubernetes staging/src/k8s.io/client-go/tools/cache/shared_informer.go (handlers),
tools/cache/index.go (indexers), util/workqueue/queue.go (a key queued twice before it is processed is
processed once), pkg/controller/deployment/deployment_controller.go (handlers that enqueue owners).

A controller module either defines `CONTROLLER` (a `Controller` below) or, not yet converted, a
whole-state `reconcile(cluster)`: such a legacy controller has one key ("*"), synced once at the start
of a pass (its resync) and again whenever a resource it declares in `WATCHES` changes.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from minikctl.cluster import Change, Cluster
from minikctl.core.kinds import KINDS, OUTSIDE_GARBAGE_COLLECTION
from minikctl.core.ownership import controller_of
from minikctl.errors import MinikctlError

# A key synced more often than this in one pass means a controller that never settles.
MAX_SYNCS_PER_KEY = 5_000
LEGACY_KEY = "*"


class ReconcileError(MinikctlError):
    def render(self) -> str:
        return f"error: {self.message}"


Handler = Callable[["Indexes", Change], Iterable[str]]


@dataclass
class Controller:
    """What a controller watches (resource -> handler giving keys to sync) and how it syncs one key."""
    name: str
    watches: dict[str, Handler]
    sync: Callable[[Cluster, "Indexes", str], None]
    # Keys to sync at the start of every pass (time-driven work: what changes as the clock moves).
    resync: Callable[[Cluster, "Indexes"], Iterable[str]] = lambda cluster, indexes: ()
    # Sync each turn's keys in (namespace, name) order rather than as queued.
    ordered: bool = False
    # Keeps the controller's own cache (in indexes.extra) current: called with every change first.
    observe: Callable[["Indexes", Change], None] | None = None


def own_key(indexes: "Indexes", change: Change) -> list[str]:
    """The handler for a controller's own kind: the changed object's key."""
    return [change.key]


def controller_key(kind: str) -> Handler:
    """A handler that enqueues the object's controller (its controller ownerReference) when it is a `kind`."""

    def handler(indexes: "Indexes", change: Change) -> list[str]:
        reference = controller_of(change.obj)
        if reference is None or reference.get("kind") != kind:
            return []
        return [f"{change.obj['metadata'].get('namespace', '')}/{reference.get('name', '')}"]

    return handler


class Indexes:
    """Indexers over the cluster's objects, built on first use and kept current from the change feed."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self._by_owner: dict[str, dict[str, set[str]]] = {}  # resource -> controller uid -> keys
        self._orphans: dict[str, dict[str, set[str]]] = {}  # resource -> namespace -> keys without a controller
        self._owner_of: dict[str, dict[str, str]] = {}  # resource -> key -> controller uid
        self._by_node: dict[str, set[str]] | None = None  # node name -> pod keys
        self._node_of: dict[str, str] = {}
        self.extra: dict[str, object] = {}  # controllers' own caches for this pass
        self._pending: set[str] | None = None  # pods without a node
        self._by_label: dict[tuple[str, str, str], set[str]] | None = None  # (namespace, key, value) -> pod keys
        self._labels_of: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self._dependents: dict[str, set[tuple[str, str]]] | None = None  # owner uid -> (resource, key)
        self._owners_of: dict[tuple[str, str], tuple[str, ...]] = {}

    # -- queries ---------------------------------------------------------------------------
    def owned(self, resource: str, uid: str) -> list[dict]:
        """Objects of a resource whose controller has this uid, in (namespace, name) order."""
        if resource not in self._by_owner:
            self._build_owner_index(resource)
        keys = sorted(self._by_owner[resource].get(uid, ()), key=_sort_key)
        section = self.cluster.state.section(resource)
        return [section.get(k) for k in keys]

    def owned_keys(self, resource: str, uid: str) -> set[str]:
        """Keys of the objects of a resource whose controller has this uid (the caller must not change it)."""
        if resource not in self._by_owner:
            self._build_owner_index(resource)
        return self._by_owner[resource].get(uid, _NO_KEYS)

    def orphans(self, resource: str, namespace: str) -> list[dict]:
        """Objects of a namespace without a controller that are not being deleted (adoption candidates)."""
        if resource not in self._by_owner:
            self._build_owner_index(resource)
        section = self.cluster.state.section(resource)
        found = []
        for key in sorted(self._orphans[resource].get(namespace, ()), key=_sort_key):
            obj = section.get(key)
            if obj is not None and not obj["metadata"].get("deletionTimestamp"):
                found.append(obj)
        return found

    def in_namespace(self, resource: str, namespace: str) -> list[dict]:
        return self.cluster.list(resource, namespace)

    def pods_labelled(self, namespace: str, key: str, value: str) -> list[dict]:
        """Pods of a namespace carrying the label key=value (a selector intersects these)."""
        if self._by_label is None:
            self._by_label = {}
            section = self.cluster.state.section("pods")
            for pod_key in section.keys():
                self._note_labels(pod_key, section.get(pod_key), False)
        section = self.cluster.state.section("pods")
        return [section.get(k) for k in sorted(self._by_label.get((namespace, key, value), ()), key=_sort_key)]

    def _note_labels(self, key: str, pod: dict, deleted: bool) -> None:
        for entry in self._labels_of.pop(key, ()):
            self._by_label[entry].discard(key)
        if deleted:
            return
        namespace = pod["metadata"].get("namespace", "")
        entries = tuple((namespace, k, v) for k, v in (pod["metadata"].get("labels") or {}).items())
        self._labels_of[key] = entries
        for entry in entries:
            self._by_label.setdefault(entry, set()).add(key)

    def pending_pods(self) -> list[str]:
        """Keys of pods not bound to a node and not being deleted; decodes only lines without a nodeName."""
        if self._pending is None:
            self._pending = set()
            section = self.cluster.state.section("pods")
            for key, raw in section.raw.items():
                if key in section.decoded or b'"nodeName"' not in raw:
                    self._note_pending(key, section.get(key), False)
        return sorted(self._pending, key=_sort_key)

    def _note_pending(self, key: str, pod: dict, deleted: bool) -> None:
        if deleted or (pod.get("spec") or {}).get("nodeName") or pod["metadata"].get("deletionTimestamp"):
            self._pending.discard(key)
        else:
            self._pending.add(key)

    def pods_on(self, node_name: str) -> list[dict]:
        if self._by_node is None:
            self._build_node_index()
        section = self.cluster.state.section("pods")
        return [section.get(k) for k in sorted(self._by_node.get(node_name, ()), key=_sort_key)]

    def dependents(self, uid: str) -> list[tuple[str, dict]]:
        """(resource, object) of everything naming uid in its ownerReferences, in a stable order."""
        if self._dependents is None:
            self._build_dependents_index()
        found = []
        for resource, key in sorted(self._dependents.get(uid, ())):
            obj = self.cluster.state.section(resource).get(key)
            if obj is not None:
                found.append((resource, obj))
        return found

    # -- maintenance -----------------------------------------------------------------------
    def observe(self, change: Change) -> None:
        if change.resource in self._by_owner:
            uid = _controller_uid(change.obj)
            self._move(self._by_owner[change.resource], self._owner_of[change.resource], change, uid)
            orphans = self._orphans[change.resource].setdefault(change.key.partition("/")[0], set())
            if uid or change.deleted:
                orphans.discard(change.key)
            else:
                orphans.add(change.key)
        if self._dependents is not None and change.resource not in OUTSIDE_GARBAGE_COLLECTION:
            self._note_owners((change.resource, change.key), () if change.deleted else _owner_uids(change.obj))
        if change.resource == "pods" and self._by_label is not None:
            self._note_labels(change.key, change.obj, change.deleted)
        if change.resource == "pods" and self._pending is not None:
            self._note_pending(change.key, change.obj, change.deleted)
        if change.resource == "pods" and self._by_node is not None:
            self._move(self._by_node, self._node_of, change, (change.obj.get("spec") or {}).get("nodeName") or "")

    @staticmethod
    def _move(index: dict[str, set[str]], reverse: dict[str, str], change: Change, value: str) -> None:
        previous = reverse.pop(change.key, None)
        if previous is not None:
            index[previous].discard(change.key)
        if not change.deleted and value:
            index.setdefault(value, set()).add(change.key)
            reverse[change.key] = value

    def _build_owner_index(self, resource: str) -> None:
        """Reads the controller's uid from each stored line; decodes only lines it cannot read so."""
        index: dict[str, set[str]] = defaultdict(set)
        orphans: dict[str, set[str]] = defaultdict(set)
        reverse: dict[str, str] = {}
        section = self.cluster.state.section(resource)
        for key, raw in section.raw.items():
            uid = _raw_controller_uid(raw) if key not in section.decoded else None
            if uid is None:
                uid = _controller_uid(section.get(key))
            if uid:
                index[uid].add(key)
                reverse[key] = uid
            else:
                orphans[key.partition("/")[0]].add(key)
        self._by_owner[resource], self._owner_of[resource] = dict(index), reverse
        self._orphans[resource] = dict(orphans)

    def _note_owners(self, dependent: tuple[str, str], uids: tuple[str, ...]) -> None:
        for uid in self._owners_of.pop(dependent, ()):
            self._dependents[uid].discard(dependent)
        if uids:
            self._owners_of[dependent] = uids
            for uid in uids:
                self._dependents.setdefault(uid, set()).add(dependent)

    def _build_dependents_index(self) -> None:
        """Decodes only the objects whose stored line mentions ownerReferences."""
        self._dependents = {}
        for kind in KINDS:
            if kind.key in OUTSIDE_GARBAGE_COLLECTION:
                continue
            section = self.cluster.state.section(kind.key)
            for key, raw in list(section.raw.items()):
                if key in section.decoded or b'"ownerReferences"' in raw:
                    uids = _owner_uids(section.get(key))
                    if uids:
                        self._note_owners((kind.key, key), uids)

    def _build_node_index(self) -> None:
        self._by_node = {}
        section = self.cluster.state.section("pods")
        for key, raw in section.raw.items():
            if key in section.decoded:
                node = (section.decoded[key].get("spec") or {}).get("nodeName")
            else:
                found = _NODE_NAME.search(raw)
                node = found.group(1).decode() if found else None
            if node:
                self._by_node.setdefault(node, set()).add(key)
                self._node_of[key] = node


# How the API server stores what the indexes need, so building an index need not decode every object:
# a controller reference as controllers write it, and a pod's spec.nodeName.
_CONTROLLER_REFERENCE = re.compile(rb'"uid":"([0-9a-f-]+)","controller":true')
_NODE_NAME = re.compile(rb'"nodeName":"([^"\\]+)"')


def _raw_controller_uid(raw: bytes) -> str | None:
    """The controller's uid from a stored line: "" when it has none, None when only decoding can tell."""
    if b'"controller":true' not in raw:
        return ""
    found = _CONTROLLER_REFERENCE.findall(raw)
    return found[0].decode() if len(found) == 1 else None


_NO_KEYS: frozenset = frozenset()


def _owner_uids(obj: dict) -> tuple[str, ...]:
    return tuple(r.get("uid", "") for r in obj["metadata"].get("ownerReferences") or ())


def _controller_uid(obj: dict) -> str:
    reference = controller_of(obj)
    return (reference or {}).get("uid", "") or ""


def _sort_key(key: str) -> tuple[str, str]:
    namespace, _, name = key.partition("/")
    return namespace, name


class WorkQueue:
    """FIFO of keys; a key already waiting is not added again (client-go workqueue's dirty set)."""

    def __init__(self):
        self._keys: dict[str, None] = {}

    def add(self, key: str) -> None:
        self._keys.setdefault(key, None)

    def take_all(self) -> list[str]:
        keys, self._keys = list(self._keys), {}
        return keys

    def __bool__(self) -> bool:
        return bool(self._keys)


def legacy_controller(name: str, module) -> Controller:
    """A whole-state controller behind the manager: one key, queued by any change it watches."""
    watched = getattr(module, "WATCHES", None)

    def sync(cluster: Cluster, indexes: Indexes, key: str) -> None:
        module.reconcile(cluster)

    if watched is None:
        watches = _EveryResource(lambda indexes, change: [LEGACY_KEY])
    elif isinstance(watched, dict):  # resource -> predicate(change): whether the change concerns it
        watches = {resource: _when(predicate) for resource, predicate in watched.items()}
    else:
        watches = {resource: (lambda i, c: [LEGACY_KEY]) for resource in watched}
    return Controller(name, watches, sync, resync=lambda cluster, indexes: [LEGACY_KEY])


def _when(predicate) -> Handler:
    return lambda indexes, change: [LEGACY_KEY] if predicate is None or predicate(change) else []


class _EveryResource(dict):
    """A watch table that answers every resource with one handler."""

    def __init__(self, handler: Handler):
        super().__init__()
        self.handler = handler

    def get(self, resource, default=None):
        return self.handler


class Manager:
    def __init__(self, cluster: Cluster, controllers: list[Controller]):
        self.cluster = cluster
        self.controllers = controllers
        self.indexes = Indexes(cluster)
        self.queues = [WorkQueue() for _ in controllers]
        self.syncs: dict[tuple[str, str], int] = defaultdict(int)

    def run(self) -> int:
        """Sync until every queue is empty; returns the number of turns taken."""
        self._dispatch()
        for controller, queue in zip(self.controllers, self.queues):
            for key in controller.resync(self.cluster, self.indexes):
                queue.add(key)
        turns = 0
        while any(self.queues):
            turns += 1
            for controller, queue in zip(self.controllers, self.queues):
                keys = queue.take_all()
                for key in sorted(keys, key=_sort_key) if controller.ordered else keys:
                    self._sync(controller, key)
        return turns

    def _sync(self, controller: Controller, key: str) -> None:
        count = self.syncs[controller.name, key] = self.syncs[controller.name, key] + 1
        if count > MAX_SYNCS_PER_KEY:
            shown = "" if key == LEGACY_KEY else f' for "{key}"'
            raise ReconcileError(f"the {controller.name} controller did not settle{shown} after {MAX_SYNCS_PER_KEY} "
                                 "syncs (a controller bug); nothing was saved")
        controller.sync(self.cluster, self.indexes, key)
        self._dispatch()

    def _dispatch(self) -> None:
        """Deliver the changes written so far to the indexes and to every controller's handlers."""
        changes = self.cluster.changes
        if not changes:
            return
        self.cluster.changes = []
        for change in changes:
            self.indexes.observe(change)
            for controller in self.controllers:
                if controller.observe is not None:
                    controller.observe(self.indexes, change)
            for controller, queue in zip(self.controllers, self.queues):
                handler = controller.watches.get(change.resource)
                if handler is not None:
                    for key in sorted(set(handler(self.indexes, change))):
                        queue.add(key)


def load(names: list[str]) -> list[Controller]:
    controllers = []
    for name in names:
        module = importlib.import_module(f"minikctl.controllers.{name}")
        controllers.append(getattr(module, "CONTROLLER", None) or legacy_controller(name, module))
    return controllers
