"""Pod Security admission: every baseline and restricted check (tests/data/podsecurity/checks.yaml),
refused pods, warned workloads and their FailedCreate events, namespace labels and their warnings."""

from pathlib import Path

import pytest
import yaml

from manifests import daemonset

CASES = yaml.safe_load((Path(__file__).parent / "data" / "podsecurity" / "checks.yaml").read_text())

NGINX_VIOLATIONS = (
    'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), '
    'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), '
    'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), '
    'seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or '
    '"Localhost")')

PLAIN_POD = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: nginx, image: nginx}]
"""


def namespace(cli, labels: dict, name: str = "psa") -> None:
    cli.write("ns.yaml", yaml.safe_dump({"apiVersion": "v1", "kind": "Namespace",
                                         "metadata": {"name": name, "labels": labels}}))
    result = cli("apply -f ns.yaml")
    assert result.exit_code == 0, result.stderr


def enforce(level: str, version: str = "latest") -> dict:
    return {"pod-security.kubernetes.io/enforce": level, "pod-security.kubernetes.io/enforce-version": version}


@pytest.mark.parametrize("case", CASES, ids=[case["check"] for case in CASES])
def test_each_check_refuses_with_its_message(cli, case):
    namespace(cli, enforce(case["level"]))
    cli.write("p.yaml", yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": case["spec"]}))
    before = cli.state_bytes()
    result = cli("apply -f p.yaml -n psa")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ('Error from server (Forbidden): error when creating "p.yaml": pods "p" is forbidden: '
                             f'violates PodSecurity "{case["level"]}:latest": {case["violation"]}\n')
    assert cli.state_bytes() == before


@pytest.mark.parametrize("case", [c for c in CASES if c["level"] == "baseline"], ids=lambda c: c["check"])
def test_privileged_namespaces_admit_everything(cli, case):
    namespace(cli, enforce("privileged"))
    cli.write("p.yaml", yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": case["spec"]}))
    assert cli("apply -f p.yaml -n psa").stdout == "pod/p created\n"


def test_restricted_namespace_refuses_a_plain_pod(cli):
    namespace(cli, enforce("restricted"))
    cli.write("p.yaml", PLAIN_POD)
    assert cli("apply -f p.yaml -n psa").stderr == (
        'Error from server (Forbidden): error when creating "p.yaml": pods "p" is forbidden: '
        f'violates PodSecurity "restricted:latest": {NGINX_VIOLATIONS}\n')


def test_restricted_namespace_refuses_a_privileged_pod_with_every_failure_in_order(cli):
    namespace(cli, enforce("restricted"))
    cli.write("p.yaml", """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: true
  containers:
  - {name: c, image: nginx, securityContext: {privileged: true, runAsUser: 0}}
""")
    assert cli("apply -f p.yaml -n psa").stderr == (
        'Error from server (Forbidden): error when creating "p.yaml": pods "p" is forbidden: '
        'violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true), '
        'privileged (container "c" must not set securityContext.privileged=true), '
        'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), '
        'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), '
        'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), '
        'runAsUser=0 (container "c" must not set runAsUser=0), '
        'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or '
        '"Localhost")\n')


def test_deployment_is_warned_and_its_pods_refused(cli):
    namespace(cli, enforce("restricted"))
    result = cli("create deployment web --image=nginx -n psa")
    assert result.stdout == "deployment.apps/web created\n"
    assert result.stderr == f'Warning: would violate PodSecurity "restricted:latest": {NGINX_VIOLATIONS}\n'
    rs = cli("get rs -n psa -o jsonpath={.items[0].metadata.name}").stdout
    assert cli("get rs -n psa").stdout == ("NAME             DESIRED   CURRENT   READY   AGE\n"
                                          f"{rs}   1         0         0       0s\n")
    events = cli(["get", "events", "-n", "psa", "--field-selector", "reason=FailedCreate", "-o",
                  "jsonpath={range .items[*]}{.involvedObject.kind}/{.involvedObject.name} {.type}: {.message}{'\\n'}{end}"])
    prefix = f'ReplicaSet/{rs} Warning: Error creating: pods "{rs}-'
    assert events.stdout.startswith(prefix)
    assert events.stdout[len(prefix) + 5:] == \
        f'" is forbidden: violates PodSecurity "restricted:latest": {NGINX_VIOLATIONS}\n'


def test_warn_label_warns_pods_without_refusing(cli):
    namespace(cli, {"pod-security.kubernetes.io/warn": "baseline"})
    cli.write("p.yaml", PLAIN_POD.replace("image: nginx}", "image: nginx, securityContext: {privileged: true}}"))
    result = cli("apply -f p.yaml -n psa")
    assert result.stdout == "pod/p created\n"
    assert result.stderr == ('Warning: would violate PodSecurity "baseline:latest": '
                             'privileged (container "nginx" must not set securityContext.privileged=true)\n')


def test_policy_version_selects_the_checks(cli):
    namespace(cli, enforce("restricted", "v1.22"))
    cli.write("p.yaml", """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
  containers:
  - {name: a, image: nginx, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}
""")
    assert cli("apply -f p.yaml -n psa").stdout == "pod/p created\n"  # runAsUser=0 is checked from v1.23


def test_invalid_level_label_is_refused(cli):
    cli.write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: psa\n  labels:\n"
                         "    pod-security.kubernetes.io/enforce: strict\n")
    assert cli("apply -f ns.yaml").stderr == (
        'The Namespace "psa" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: '
        'Invalid value: "strict": must be one of privileged, baseline, restricted\n')


def test_tightening_enforce_warns_about_existing_pods(cli):
    namespace(cli, {})
    for name in ("b", "a", "c"):
        cli.write("p.yaml", PLAIN_POD.replace("name: p}", f"name: {name}}}"))
        cli("apply -f p.yaml -n psa")
    cli.write("q.yaml", PLAIN_POD.replace("name: p}", "name: q}").replace(
        "image: nginx}", "image: nginx, securityContext: {privileged: true}}"))
    cli("apply -f q.yaml -n psa")
    cli.write("ns.yaml", yaml.safe_dump({"apiVersion": "v1", "kind": "Namespace",
                                         "metadata": {"name": "psa", "labels": enforce("baseline")}}))
    result = cli("apply -f ns.yaml")
    assert result.stdout == "namespace/psa configured\n"
    assert result.stderr == (
        'Warning: existing pods in namespace "psa" violate the new PodSecurity enforce level "baseline:latest"\n'
        "Warning: q: privileged\n")
    cli.write("ns.yaml", yaml.safe_dump({"apiVersion": "v1", "kind": "Namespace",
                                         "metadata": {"name": "psa", "labels": enforce("restricted")}}))
    assert cli("apply -f ns.yaml").stderr == (
        'Warning: existing pods in namespace "psa" violate the new PodSecurity enforce level "restricted:latest"\n'
        "Warning: a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, "
        "runAsNonRoot != true, seccompProfile\n"
        "Warning: q: privileged, allowPrivilegeEscalation != false, unrestricted capabilities, "
        "runAsNonRoot != true, seccompProfile\n")


def test_label_command_warns_about_existing_pods(cli):
    namespace(cli, {})
    cli.write("p.yaml", PLAIN_POD)
    cli("apply -f p.yaml -n psa")
    result = cli("label namespace psa pod-security.kubernetes.io/enforce=restricted")
    assert result.stdout == "namespace/psa labeled\n"
    assert result.stderr == (
        'Warning: existing pods in namespace "psa" violate the new PodSecurity enforce level "restricted:latest"\n'
        "Warning: p: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "
        "seccompProfile\n")


FAILED_CREATE_EVENTS = ["get", "events", "-n", "psa", "--field-selector", "reason=FailedCreate", "-o",
                        "jsonpath={range .items[*]}{.involvedObject.kind}/{.involvedObject.name} {.type}: "
                        "{.message}{'\\n'}{end}"]


def nginx_violations(container: str) -> str:
    return NGINX_VIOLATIONS.replace('container "nginx"', f'container "{container}"')


def test_job_is_created_and_its_pod_refused_with_one_failed_create_event(cli):
    namespace(cli, enforce("restricted"))
    result = cli("create job j --image=nginx -n psa")
    assert (result.exit_code, result.stdout) == (0, "job.batch/j created\n")
    assert result.stderr == f'Warning: would violate PodSecurity "restricted:latest": {nginx_violations("j")}\n'
    assert cli("get pods -n psa").stderr == "No resources found in psa namespace.\n"
    events = cli(FAILED_CREATE_EVENTS).stdout
    prefix = 'Job/j Warning: Error creating: pods "j-'
    assert events.startswith(prefix)
    assert events[len(prefix) + 5:] == f'" is forbidden: violates PodSecurity "restricted:latest": {nginx_violations("j")}\n'


def test_daemon_set_is_created_and_its_pods_refused_with_one_failed_create_event(cli):
    namespace(cli, enforce("restricted"))
    cli.write("ds.yaml", daemonset("agent", "nginx", container="nginx"))
    result = cli("apply -f ds.yaml -n psa")
    assert (result.exit_code, result.stdout) == (0, "daemonset.apps/agent created\n")
    assert cli("get ds agent -n psa -o jsonpath={.status.desiredNumberScheduled}/{.status.currentNumberScheduled}"
               ).stdout == "2/0"
    events = cli(FAILED_CREATE_EVENTS).stdout
    prefix = 'DaemonSet/agent Warning: Error creating: pods "agent-'
    assert events.startswith(prefix)
    assert events[len(prefix) + 5:] == f'" is forbidden: violates PodSecurity "restricted:latest": {NGINX_VIOLATIONS}\n'


def test_a_refused_generated_name_is_the_name_the_pod_would_be_stored_under(cli):
    namespace(cli, {}, name="open")
    namespace(cli, enforce("restricted"))
    cli.write("p.yaml", PLAIN_POD.replace("metadata: {name: p}", "metadata: {generateName: p-}"))
    before = cli.state_bytes()
    admitted = cli("create -f p.yaml -n open --dry-run=server")
    assert admitted.stdout.startswith("pod/p-") and admitted.stdout.endswith(" created (server dry run)\n")
    name = admitted.stdout[len("pod/"):-len(" created (server dry run)\n")]
    refused = cli("create -f p.yaml -n psa")
    assert refused.stderr == (f'Error from server (Forbidden): error when creating "p.yaml": pods "{name}" is forbidden: '
                              f'violates PodSecurity "restricted:latest": {NGINX_VIOLATIONS}\n')
    assert cli.state_bytes() == before
