"""patch --type strategic|merge|json through the CLI."""

import pytest

from manifests import deployment

WEB = deployment(replicas=2, image="nginx:1.25", sidecars=[("side", "busybox")])


def _images(cli) -> str:
    return cli.ok("get deploy web -o jsonpath={.spec.template.spec.containers[*].image}")


def test_strategic_patch_merges_containers_by_name(web):
    patch = '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox:1.36"}]}}}}'
    assert web.ok(["patch", "deploy", "web", "-p", patch]) == "deployment.apps/web patched\n"
    assert _images(web) == "nginx:1.25 busybox:1.36"


def test_merge_patch_replaces_lists(web):
    patch = '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox:1.36"}]}}}}'
    assert web.ok(["patch", "deploy", "web", "--type=merge", "-p", patch]) == "deployment.apps/web patched\n"
    assert _images(web) == "busybox:1.36"


def test_json_patch(web):
    patch = '[{"op":"replace","path":"/spec/replicas","value":4}]'
    assert web.ok(["patch", "deploy", "web", "--type", "json", "-p", patch]) == "deployment.apps/web patched\n"
    assert web.ok("get deploy web -o jsonpath={.status.readyReplicas}") == "4"


def test_json_patch_on_a_missing_path(web):
    web.fails(["patch", "deploy", "web", "--type=json", "-p", '[{"op":"replace","path":"/spec/nope/x","value":1}]'],
           'The  "" is invalid: : replace operation does not apply: doc is missing key: /spec/nope/x: missing value\n')


def test_patch_without_change(web):
    before = web.state_bytes()
    assert web.ok(["patch", "deploy", "web", "-p", '{"spec":{"replicas":2}}']) == "deployment.apps/web patched (no change)\n"
    assert web.state_bytes() == before


def test_patch_file(web):
    web.write("patch.yaml", "spec:\n  replicas: 3\n")
    assert web.ok("patch deploy web --patch-file patch.yaml") == "deployment.apps/web patched\n"


def test_patch_that_makes_the_object_invalid(web):
    web.fails(["patch", "deploy", "web", "-p", '{"spec":{"replicas":"x"}}'],
           'Error from server (BadRequest): Deployment in version "v1" cannot be handled as a Deployment: json: cannot '
           "unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n")


def test_unparsable_patch(web):
    web.fails(["patch", "deploy", "web", "-p", "a: [b"], "error: unable to parse \"a: [b\": yaml: did not find "
                                                           "expected ',' or ']'\n")


def test_patch_type_must_be_known(web):
    web.fails(["patch", "deploy", "web", "--type=xml", "-p", "{}"],
           'error: --type must be one of [json merge strategic], not "xml"\n')


def test_patch_needs_a_patch(web):
    web.fails("patch deploy web", "error: must specify --patch or --patch-file containing the contents of the patch\n")


def test_patch_of_a_missing_object(web):
    web.fails(["patch", "deploy", "nope", "-p", "{}"], 'Error from server (NotFound): deployments.apps "nope" not found\n')


@pytest.mark.parametrize("command, printed", [
    (["patch", "deployment", "web", "-p", '{"spec":{"replicas":3}}'], "Deployment/web 3"),
    (["set", "image", "deployment/web", "nginx=nginx:1.27"], "Deployment/web 2"),
    (["rollout", "pause", "deployment/web"], "Deployment/web 2"),
    (["autoscale", "deployment", "web", "--max=4"], "HorizontalPodAutoscaler/web "),
])
def test_mutating_verbs_read_jsonpath_file_from_the_working_directory(web, command, printed):
    web.write("name.jsonpath", "{.kind}/{.metadata.name} {.spec.replicas}")
    result = web(command + ["-o", "jsonpath-file=name.jsonpath"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, printed, "")
