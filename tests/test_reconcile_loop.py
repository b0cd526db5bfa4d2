"""The reconcile pass: one synchronous pass per change that runs until nothing changes, or fails clearly."""

import sys
import types

from minikctl import controllers


def test_a_pass_settles_in_a_few_rounds(cli):
    cli("get ns")
    cli.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    rounds = []
    original = controllers.reconcile

    def counting(cluster):
        rounds.append(original(cluster))
        return rounds[-1]

    controllers.reconcile = counting
    try:
        assert cli("apply -f cm.yaml").exit_code == 0
    finally:
        controllers.reconcile = original
    assert rounds and rounds[0] < 10


def test_a_controller_that_never_settles_is_reported_and_nothing_is_saved(cli, monkeypatch):
    """A controller bug must give a clear error, never a hang or a half-reconciled state."""
    cli("get ns")
    restless = types.ModuleType("minikctl.controllers.restless")

    def bump_forever(cluster):
        cluster.next_resource_version()

    restless.reconcile = bump_forever
    monkeypatch.setitem(sys.modules, "minikctl.controllers.restless", restless)
    monkeypatch.setattr(controllers, "CONTROLLERS", controllers.CONTROLLERS + ["restless"])
    before = cli.state_bytes()
    result = cli("create configmap c")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("error: the reconcile pass did not converge after 100 rounds (a controller bug); "
                             "nothing was saved\n")
    assert cli.state_bytes() == before
