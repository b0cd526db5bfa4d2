"""The controller manager: one synchronous pass per change that runs until every work queue is empty, or fails clearly."""

import sys
import types

from minikctl import controllers
from minikctl.controllers import manager


def test_a_pass_settles_in_a_few_turns(cli):
    cli("get ns")
    cli.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    turns = []
    original = controllers.reconcile

    def counting(cluster):
        turns.append(original(cluster))
        return turns[-1]

    controllers.reconcile = counting
    try:
        assert cli("apply -f cm.yaml").exit_code == 0
    finally:
        controllers.reconcile = original
    assert turns and turns[0] < 10


def _restless_controller():
    """A buggy controller: every sync of a ServiceAccount rewrites it, which queues the same key again."""

    def sync(cluster, indexes, key):
        namespace, _, name = key.partition("/")
        account = cluster.get("serviceaccounts", namespace, name)
        if account is not None:
            labels = account["metadata"].setdefault("labels", {})
            labels["n"] = str(int(labels.get("n", "0")) + 1)
            cluster.update(account, "serviceaccounts")

    module = types.ModuleType("minikctl.controllers.restless")
    module.CONTROLLER = manager.Controller("restless", {"serviceaccounts": manager.own_key}, sync)
    return module


def test_a_key_that_never_settles_names_its_controller_and_nothing_is_saved(cli, monkeypatch):
    """The runaway guard counts syncs per key: a controller bug gives a clear error, never a hang."""
    cli("get ns")
    monkeypatch.setitem(sys.modules, "minikctl.controllers.restless", _restless_controller())
    monkeypatch.setattr(controllers, "CONTROLLERS", controllers.CONTROLLERS + ["restless"])
    monkeypatch.setattr(manager, "MAX_SYNCS_PER_KEY", 50)
    before = cli.state_bytes()
    result = cli("create serviceaccount c")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ('error: the restless controller did not settle for "default/c" after 50 syncs '
                             "(a controller bug); nothing was saved\n")
    assert cli.state_bytes() == before
