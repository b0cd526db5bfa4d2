"""rollout status|history|undo|restart|pause|resume through the CLI, with kubectl's exact texts."""

import pytest

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
"""
STUCK_PATCH = ('{"spec":{"template":{"metadata":{"annotations":{"fault.minikctl.io/image-pull":"true"}},'
               '"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}')
WAITING = 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'


@pytest.fixture
def web(cli):
    cli.write("web.yaml", WEB)
    assert cli("apply -f web.yaml").exit_code == 0
    return cli


def _ok(cli, command) -> str:
    result = cli(command)
    assert (result.exit_code, result.stderr) == (0, ""), result
    return result.stdout


def _fails(cli, command, stderr: str, stdout: str = "") -> None:
    before = cli.state_bytes()
    result = cli(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, stdout, stderr)
    assert cli.state_bytes() == before


def test_status_of_a_finished_rollout(web):
    assert _ok(web, "rollout status deployment/web") == 'deployment "web" successfully rolled out\n'


def test_status_blocked_by_a_fault_times_out(web):
    _ok(web, ["patch", "deploy", "web", "-p", STUCK_PATCH])
    _fails(web, "rollout status deploy/web --timeout=2s", "error: timed out waiting for the condition\n", WAITING)


def test_status_without_timeout_fails_at_once_instead_of_hanging(web):
    _ok(web, ["patch", "deploy", "web", "-p", STUCK_PATCH])
    result = web("rollout status deploy/web")
    assert (result.exit_code, result.stdout) == (1, WAITING)
    assert result.stderr.startswith("error: timed out waiting for the condition: the rollout of deployment.apps/web "
                                    "cannot finish in minikctl's simulated cluster")


def test_status_watch_false_prints_once_and_succeeds(web):
    _ok(web, ["patch", "deploy", "web", "-p", STUCK_PATCH])
    assert _ok(web, "rollout status deploy/web --watch=false") == WAITING


def test_status_revision_mismatch(web):
    _fails(web, "rollout status deploy/web --revision=2",
           "error: desired revision (2) is different from the running revision (1)\n")


def test_status_of_an_unsupported_kind(web):
    web("create configmap cfg")
    _fails(web, "rollout status configmap/cfg", "error: no status viewer has been implemented for ConfigMap\n")


def test_status_of_a_missing_deployment(web):
    _fails(web, "rollout status deploy/nope", 'Error from server (NotFound): deployments.apps "nope" not found\n')


def test_status_rejects_a_flag_of_another_subcommand(web):
    _fails(web, "rollout status deploy/web --to-revision=1",
           "Error: unknown flag: --to-revision\nSee 'kubectl rollout status --help' for usage.\n")


def test_history_lists_change_causes(web):
    _ok(web, "set image deploy/web nginx=nginx:1.26")
    _ok(web, ["annotate", "deploy", "web", "kubernetes.io/change-cause=image 1.26"])
    assert _ok(web, "rollout history deploy/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.26\n\n")


def test_history_revision_detail_prints_the_pod_template(web):
    assert _ok(web, "rollout history deploy/web --revision=1") == (
        "deployment.apps/web with revision #1\n"
        "Pod Template:\n"
        "  Labels:\tapp=web\n"
        "\tpod-template-hash=5d56bb9df\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.25\n"
        "    Port:\t80/TCP\n"
        "    Host Port:\t0/TCP\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
        "\n")


def test_history_of_a_missing_revision(web):
    _fails(web, "rollout history deploy/web --revision=7", "error: unable to find the specified revision\n")


def test_undo_to_a_missing_revision(web):
    _ok(web, "set image deploy/web nginx=nginx:1.26")
    _fails(web, "rollout undo deploy/web --to-revision=9", "error: unable to find specified revision 9 in history\n")


def test_undo_without_a_previous_revision(web):
    _fails(web, "rollout undo deploy/web", 'error: no rollout history found for deployment "web"\n')


def test_undo_to_revision_restores_that_template(web):
    _ok(web, "set image deploy/web nginx=nginx:1.26")
    _ok(web, "set image deploy/web nginx=nginx:1.27")
    assert _ok(web, "rollout undo deploy/web --to-revision=1") == "deployment.apps/web rolled back\n"
    assert _ok(web, "get deploy web -o jsonpath={.spec.template.spec.containers[0].image}") == "nginx:1.25"
    assert _ok(web, "rollout history deploy/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n4         <none>\n\n")


def test_undo_to_the_current_template_is_skipped(web):
    _ok(web, "set image deploy/web nginx=nginx:1.26")
    assert _ok(web, "rollout undo deploy/web --to-revision=2") == (
        "deployment.apps/web skipped rollback (current template already matches revision 2)\n")


def test_undo_of_a_paused_deployment(web):
    _ok(web, "set image deploy/web nginx=nginx:1.26")
    _ok(web, "rollout pause deploy/web")
    _fails(web, "rollout undo deploy/web", "error: you cannot rollback a paused deployment; resume it first with "
                                           "'kubectl rollout resume' and try again\n")


def test_undo_dry_run_prints_the_target_template(web):
    _ok(web, "set image deploy/web nginx=nginx:1.26")
    before = web.state_bytes()
    out = _ok(web, "rollout undo deploy/web --dry-run=client")
    assert out.startswith("deployment.apps/web Pod Template:\n  Labels:\tapp=web\n")
    assert out.endswith("  Tolerations:\t<none>\n (dry run)\n")
    assert web.state_bytes() == before


def test_pause_then_resume(web):
    assert _ok(web, "rollout pause deploy/web") == "deployment.apps/web paused\n"
    assert _ok(web, "get deploy web -o jsonpath={.spec.paused}") == "true"
    assert _ok(web, "rollout resume deploy/web") == "deployment.apps/web resumed\n"


def test_pause_twice(web):
    _ok(web, "rollout pause deploy/web")
    _fails(web, "rollout pause deploy/web", 'error: deployments.apps "web" is already paused\n')


def test_resume_of_a_running_deployment(web):
    _fails(web, "rollout resume deploy/web", 'error: deployments.apps "web" is not paused\n')


def test_restart_sets_restarted_at_and_rolls_out(web):
    assert _ok(web, "rollout restart deploy/web") == "deployment.apps/web restarted\n"
    assert _ok(web, ["get", "deploy", "web", "-o",
                     r"jsonpath={.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}"]) \
        == "2026-11-25T12:00:00Z"
    assert _ok(web, "rollout history deploy/web").count("<none>") == 2


def test_restart_twice_in_the_same_second(web):
    _ok(web, "rollout restart deploy/web")
    _fails(web, "rollout restart deploy/web", "error: failed to create patch for web: if restart has already been "
                                              "triggered within the past second, please wait before attempting to "
                                              "trigger another\n")


def test_restart_of_a_paused_deployment(web):
    _ok(web, "rollout pause deploy/web")
    _fails(web, "rollout restart deploy/web",
           """error: deployments.apps "web" can't restart paused deployment (run rollout resume first)\n""")


def test_pause_of_a_daemonset_is_not_supported(web):
    web.write("ds.yaml", WEB.replace("Deployment", "DaemonSet").replace("  replicas: 3\n", "").replace("web", "agent"))
    _ok(web, "apply -f ds.yaml")
    _fails(web, "rollout pause ds/agent", 'error: daemonsets.apps "agent" pausing is not supported\n')


def test_daemonset_history_and_undo(web):
    web.write("ds.yaml", WEB.replace("Deployment", "DaemonSet").replace("  replicas: 3\n", "").replace("web", "agent"))
    _ok(web, "apply -f ds.yaml")
    _ok(web, "set image ds/agent nginx=nginx:1.26")
    assert _ok(web, "rollout history ds/agent") == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    assert _ok(web, "rollout undo ds/agent") == "daemonset.apps/agent rolled back\n"
    assert _ok(web, "get ds agent -o jsonpath={.spec.template.spec.containers[0].image}") == "nginx:1.25"
    assert _ok(web, "rollout status ds/agent") == 'daemon set "agent" successfully rolled out\n'


def test_statefulset_history_revision_detail(web):
    web.write("sts.yaml", WEB.replace("Deployment", "StatefulSet").replace("web", "db"))
    _ok(web, "apply -f sts.yaml")
    _ok(web, "set image sts/db nginx=nginx:1.26")
    out = _ok(web, "rollout history sts/db --revision=2")
    assert out.startswith("statefulset.apps/db with revision #2\nPod Template:\n  Labels:\tapp=db\n")
    assert "    Image:\tnginx:1.26\n" in out
    _fails(web, "rollout undo sts/db --to-revision=5", "error: unable to find specified revision 5 in history\n")
