"""rollout status|history|undo|restart|pause|resume through the CLI, with kubectl's exact texts."""

import pytest

from manifests import deployment

WEB = deployment(replicas=3, image="nginx:1.25", ports=[{"containerPort": 80}])
STUCK_PATCH = ('{"spec":{"template":{"metadata":{"annotations":{"fault.minikctl.io/image-pull":"true"}},'
               '"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}')
WAITING = 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'


def test_status_of_a_finished_rollout(web):
    assert web.ok("rollout status deployment/web") == 'deployment "web" successfully rolled out\n'


def test_status_blocked_by_a_fault_times_out(web):
    web.ok(["patch", "deploy", "web", "-p", STUCK_PATCH])
    web.fails("rollout status deploy/web --timeout=2s", "error: timed out waiting for the condition\n", WAITING)


def test_status_without_timeout_fails_at_once_instead_of_hanging(web):
    web.ok(["patch", "deploy", "web", "-p", STUCK_PATCH])
    result = web("rollout status deploy/web")
    assert (result.exit_code, result.stdout) == (1, WAITING)
    assert result.stderr.startswith("error: timed out waiting for the condition: the rollout of deployment.apps/web "
                                    "cannot finish in minikctl's simulated cluster")


def test_status_watch_false_prints_once_and_succeeds(web):
    web.ok(["patch", "deploy", "web", "-p", STUCK_PATCH])
    assert web.ok("rollout status deploy/web --watch=false") == WAITING


def test_status_revision_mismatch(web):
    web.fails("rollout status deploy/web --revision=2",
           "error: desired revision (2) is different from the running revision (1)\n")


def test_status_of_an_unsupported_kind(web):
    web("create configmap cfg")
    web.fails("rollout status configmap/cfg", "error: no status viewer has been implemented for ConfigMap\n")


def test_status_of_a_missing_deployment(web):
    web.fails("rollout status deploy/nope", 'Error from server (NotFound): deployments.apps "nope" not found\n')


def test_status_rejects_a_flag_of_another_subcommand(web):
    web.fails("rollout status deploy/web --to-revision=1",
           "Error: unknown flag: --to-revision\nSee 'minikctl rollout status --help' for usage.\n")


def test_history_lists_change_causes(web):
    web.ok("set image deploy/web nginx=nginx:1.26")
    web.ok(["annotate", "deploy", "web", "kubernetes.io/change-cause=image 1.26"])
    assert web.ok("rollout history deploy/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.26\n\n")


def test_history_revision_detail_prints_the_pod_template(web):
    assert web.ok("rollout history deploy/web --revision=1") == (
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
    web.fails("rollout history deploy/web --revision=7", "error: unable to find the specified revision\n")


def test_undo_to_a_missing_revision(web):
    web.ok("set image deploy/web nginx=nginx:1.26")
    web.fails("rollout undo deploy/web --to-revision=9", "error: unable to find specified revision 9 in history\n")


def test_undo_without_a_previous_revision(web):
    web.fails("rollout undo deploy/web", 'error: no rollout history found for deployment "web"\n')


def test_undo_to_revision_restores_that_template(web):
    web.ok("set image deploy/web nginx=nginx:1.26")
    web.ok("set image deploy/web nginx=nginx:1.27")
    assert web.ok("rollout undo deploy/web --to-revision=1") == "deployment.apps/web rolled back\n"
    assert web.ok("get deploy web -o jsonpath={.spec.template.spec.containers[0].image}") == "nginx:1.25"
    assert web.ok("rollout history deploy/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n4         <none>\n\n")


def test_undo_to_the_current_template_is_skipped(web):
    web.ok("set image deploy/web nginx=nginx:1.26")
    assert web.ok("rollout undo deploy/web --to-revision=2") == (
        "deployment.apps/web skipped rollback (current template already matches revision 2)\n")


def test_undo_of_a_paused_deployment(web):
    web.ok("set image deploy/web nginx=nginx:1.26")
    web.ok("rollout pause deploy/web")
    web.fails("rollout undo deploy/web", "error: you cannot rollback a paused deployment; resume it first with "
                                           "'kubectl rollout resume' and try again\n")


def test_undo_dry_run_prints_the_target_template(web):
    web.ok("set image deploy/web nginx=nginx:1.26")
    before = web.state_bytes()
    out = web.ok("rollout undo deploy/web --dry-run=client")
    assert out.startswith("deployment.apps/web Pod Template:\n  Labels:\tapp=web\n")
    assert out.endswith("  Tolerations:\t<none>\n (dry run)\n")
    assert web.state_bytes() == before


def test_pause_then_resume(web):
    assert web.ok("rollout pause deploy/web") == "deployment.apps/web paused\n"
    assert web.ok("get deploy web -o jsonpath={.spec.paused}") == "true"
    assert web.ok("rollout resume deploy/web") == "deployment.apps/web resumed\n"


def test_pause_twice(web):
    web.ok("rollout pause deploy/web")
    web.fails("rollout pause deploy/web", 'error: deployments.apps "web" is already paused\n')


def test_resume_of_a_running_deployment(web):
    web.fails("rollout resume deploy/web", 'error: deployments.apps "web" is not paused\n')


def test_restart_sets_restarted_at_and_rolls_out(web):
    assert web.ok("rollout restart deploy/web") == "deployment.apps/web restarted\n"
    assert web.ok(["get", "deploy", "web", "-o",
                     r"jsonpath={.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}"]) \
        == "2026-11-25T12:00:00Z"
    assert web.ok("rollout history deploy/web").count("<none>") == 2


def test_restart_twice_in_the_same_second(web):
    web.ok("rollout restart deploy/web")
    web.fails("rollout restart deploy/web", "error: failed to create patch for web: if restart has already been "
                                              "triggered within the past second, please wait before attempting to "
                                              "trigger another\n")


def test_restart_of_a_paused_deployment(web):
    web.ok("rollout pause deploy/web")
    web.fails("rollout restart deploy/web",
           """error: deployments.apps "web" can't restart paused deployment (run rollout resume first)\n""")


def test_pause_of_a_daemonset_is_not_supported(web):
    web.write("ds.yaml", WEB.replace("Deployment", "DaemonSet").replace("  replicas: 3\n", "").replace("web", "agent"))
    web.ok("apply -f ds.yaml")
    web.fails("rollout pause ds/agent", 'error: daemonsets.apps "agent" pausing is not supported\n')


def test_daemonset_history_and_undo(web):
    web.write("ds.yaml", WEB.replace("Deployment", "DaemonSet").replace("  replicas: 3\n", "").replace("web", "agent"))
    web.ok("apply -f ds.yaml")
    web.ok("set image ds/agent nginx=nginx:1.26")
    assert web.ok("rollout history ds/agent") == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    assert web.ok("rollout undo ds/agent") == "daemonset.apps/agent rolled back\n"
    assert web.ok("get ds agent -o jsonpath={.spec.template.spec.containers[0].image}") == "nginx:1.25"
    assert web.ok("rollout status ds/agent") == 'daemon set "agent" successfully rolled out\n'


def test_statefulset_history_revision_detail(web):
    web.write("sts.yaml", WEB.replace("Deployment", "StatefulSet").replace("web", "db"))
    web.ok("apply -f sts.yaml")
    web.ok("set image sts/db nginx=nginx:1.26")
    out = web.ok("rollout history sts/db --revision=2")
    assert out.startswith("statefulset.apps/db with revision #2\nPod Template:\n  Labels:\tapp=db\n")
    assert "    Image:\tnginx:1.26\n" in out
    web.fails("rollout undo sts/db --to-revision=5", "error: unable to find specified revision 5 in history\n")


@pytest.mark.parametrize("command, message", [
    ("rollout status deploy/web -o yaml", "unknown shorthand flag: 'o' in -o"),
    ("rollout status deploy/web -oyaml", "unknown shorthand flag: 'o' in -oyaml"),
    ("rollout history deploy/web --to-revision=1", "unknown flag: --to-revision"),
    ("rollout undo deploy/web --watch --bogus", "unknown flag: --watch"),
    ("set image deploy/web --limits=cpu=1 web=nginx", "unknown flag: --limits"),
])
def test_each_subcommand_takes_only_its_own_flags(cli, command, message):
    """cobra finds the subcommand first and parses with its flags: the first foreign flag is refused in place."""
    subcommand = " ".join(command.split()[:2])
    result = cli(command)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\nSee 'minikctl {subcommand} --help' for usage.\n")
