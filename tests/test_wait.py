"""wait --for=condition|delete|create|jsonpath: immediate when met, kubectl's timeout error otherwise."""

import pytest

from manifests import deployment

WEB = deployment(replicas=1, image="nginx:1.25")


def _result(cli, command) -> tuple:
    result = cli(command)
    return result.exit_code, result.stdout, result.stderr


def test_condition_already_true(web):
    assert _result(web, "wait --for=condition=Available deploy/web") == (0, "deployment.apps/web condition met\n", "")


def test_condition_never_true_times_out_at_once(web):
    assert _result(web, "wait --for=condition=Available=False deploy/web --timeout=5s") == (
        1, "", "error: timed out waiting for the condition on deployments/web\n")


def test_zero_timeout_checks_once(web):
    assert _result(web, "wait --for=condition=Available=False deploy/web --timeout=0") == (
        1, "", "error: condition not met for deployments.apps/web\n")


def test_jsonpath_value(web):
    code, out, err = _result(web, ["wait", "--for=jsonpath={.status.phase}=Running", "pod", "-l", "app=web"])
    assert (code, err) == (0, "")
    assert out.startswith("pod/web-") and out.endswith(" condition met\n")


def test_jsonpath_without_value_needs_the_field(web):
    assert _result(web, ["wait", "--for=jsonpath={.status.nope}", "deploy/web"]) == (
        1, "", "error: timed out waiting for the condition on deployments/web\n")


def test_delete_of_a_missing_object(web):
    assert _result(web, "wait --for=delete deploy/nope") == (0, "", "")


def test_delete_of_an_existing_object(web):
    assert _result(web, "wait --for=delete deploy/web --timeout=1s") == (
        1, "", "error: timed out waiting for the condition on deployments/web\n")


def test_create_of_an_existing_object(web):
    assert _result(web, "wait --for=create deploy/web") == (0, "deployment.apps/web condition met\n", "")


def test_condition_on_a_missing_object(web):
    assert _result(web, "wait --for=condition=Ready pod/nope") == (
        1, "", 'Error from server (NotFound): pods "nope" not found\n')


def test_selector_matching_nothing(web):
    assert _result(web, "wait --for=condition=Ready pods -l app=none") == (1, "", "error: no matching resources found\n")


def test_unknown_condition(web):
    assert _result(web, "wait --for=ready deploy/web") == (1, "", 'error: unrecognized condition: "ready"\n')


def test_bad_timeout(web):
    assert _result(web, "wait --for=delete deploy/web --timeout=soon") == (
        1, "", 'Error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\n'
               "See 'minikctl wait --help' for usage.\n")
