"""What every command runs with: the Environment, the global options, and access to the cluster."""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator

from minikctl import store
from minikctl.cli.flags import Parsed
from minikctl.cluster import Cluster
from minikctl.env import Environment


class Context:
    def __init__(self, env: Environment, parsed: Parsed, verb: str):
        self.env = env
        self.parsed = parsed
        self.verb = verb
        self.namespace_given = bool(parsed.get("namespace"))
        self.namespace = parsed.get("namespace") or "default"
        self.state_path = env.resolve_state_path(parsed.get("state"))
        self.now = env.now()
        self.active: Cluster | None = None

    def flush_warnings(self) -> None:
        """Print the API server's warnings so far, before the result line they belong to."""
        if self.active is not None:
            for warning in self.active.warnings:
                self.env.err(warning + "\n")
            self.active.warnings.clear()

    def authorize(self, verb: str, kind, namespace: str, name: str = "", subresource: str = "",
                  step: str = "") -> None:
        """Refuse, with the API server's Forbidden error, a request the --as user may not make.

        Without --as the caller is the cluster admin: nothing is imported or read.
        """
        if not self.parsed.get("as"):
            return
        from minikctl.auth.access import authorize

        authorize(self, verb, kind, namespace, name, subresource, step)

    def listed(self, cluster: Cluster, kind, everywhere: bool = False) -> list[dict]:
        """A LIST request: the objects of kind in the namespace (every namespace with -A), RBAC checked."""
        namespace = None if everywhere or not kind.namespaced else self.namespace
        self.authorize("list", kind, namespace or "")
        return cluster.list(kind.key, namespace)

    def read_cluster(self) -> Cluster:
        """The current state, read without the lock; a missing state is created first."""
        state = store.read(self.state_path)
        if state is None:
            with self.transaction(dry_run=self._dry_run_requested()) as cluster:
                return cluster
        self._follow_clock(state.meta)
        return Cluster(state, self.now)

    def _dry_run_requested(self) -> bool:
        """A read for a client dry run must not save the bootstrap of a missing state either."""
        value = self.parsed.get("dry-run")
        return value is not None and value not in ("none", "false", "")

    def _request_timeout(self) -> float:
        """--request-timeout bounds the wait for the state lock: seconds as an integer, or a Go duration;
        0 waits for ever (client-go rest config Timeout)."""
        text = self.parsed.get("request-timeout") or "0"
        if text.isdigit():
            return float(text)
        from minikctl import errors
        from minikctl.cli.flags import parse_duration

        try:
            return parse_duration(text, "request-timeout")
        except errors.FlagError:
            raise errors.CommandError(
                "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a "
                "corresponding time unit (e.g. 1s | 2m | 3h)") from None

    def _follow_clock(self, meta: dict) -> None:
        """The simulated clock: the Environment's time moved by the state's offset (`minikctl clock`)."""
        from datetime import timedelta

        self.now = self.env.now() + timedelta(seconds=meta.get("clockOffsetSeconds", 0))

    @contextmanager
    def transaction(self, dry_run: bool = False, reset: bool = False, empty: bool = False) -> Iterator[Cluster]:
        """Read-modify-write under the lock; the reconcile pass runs before the atomic save.

        Nothing is written if the body raises, or for a dry run. What the body prints on stdout
        (`created`, `scaled`, ...) is held back until the state is saved, so a failing pass never
        reports a change that was not kept. reset starts over from a fresh cluster (`minikctl state reset`), empty from no
        objects at all (`minikctl state import`).
        """
        import io

        printed, self.env.stdout = self.env.stdout, io.StringIO()
        try:
            with self._locked_write(dry_run, reset, empty) as cluster:
                yield cluster
            printed.write(self.env.stdout.getvalue())
        finally:
            self.env.stdout = printed

    @contextmanager
    def _locked_write(self, dry_run: bool, reset: bool = False, empty: bool = False) -> Iterator[Cluster]:
        with store.locked(self.state_path, self._request_timeout(), self.env.err) as state:
            fresh = state is None or reset
            if fresh:
                from minikctl.bootstrap.cluster import bootstrap

                cluster = Cluster(store.StateData.empty(), self.now)
                if empty:
                    cluster.meta["seed"] = 0
                else:
                    bootstrap(cluster, self.env)
                if dry_run and not empty and not reset:  # the view a first real command would have, never saved
                    from minikctl.controllers import reconcile

                    reconcile(cluster)
            else:
                self._follow_clock(state.meta)
                cluster = Cluster(state, self.now)
            cluster.begin_write()
            self.active = cluster
            try:
                yield cluster
            finally:
                self.flush_warnings()
                self.active = None
            if dry_run:  # a dry run writes nothing, not even the first bootstrap
                return
            if cluster.changed or fresh:
                from minikctl.controllers import reconcile

                reconcile(cluster)
                store.write_atomically(self.state_path, cluster.state.serialize())
