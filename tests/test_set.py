"""set image|env|resources through the CLI."""

import pytest

from manifests import deployment

WEB = deployment(replicas=2, image="nginx:1.25", env=[{"name": "MODE", "value": "prod"}])
CONTAINER = "jsonpath={.spec.template.spec.containers[0]"


def test_set_image_updates_the_template(web):
    assert web.ok("set image deployment/web nginx=nginx:1.26") == "deployment.apps/web image updated\n"
    assert web.ok(f"get deploy web -o {CONTAINER}.image}}") == "nginx:1.26"


def test_set_image_starts_a_new_revision(web):
    web.ok("set image deployment/web nginx=nginx:1.26")
    assert web.ok("get deploy web -o jsonpath={.metadata.generation}") == "2"
    assert web.ok("get rs -o name").count("replicaset.apps/web-") == 2


def test_set_image_to_the_same_image_prints_nothing(web):
    before = web.state_bytes()
    assert web.ok("set image deployment/web nginx=nginx:1.25") == ""
    assert web.state_bytes() == before


def test_set_image_of_an_unknown_container(web):
    web.fails("set image deployment/web nope=busybox", 'error: unable to find container named "nope"\n')


def test_set_image_wildcard(web):
    assert web.ok("set image deploy web *=nginx:1.27") == "deployment.apps/web image updated\n"


def test_set_image_without_pairs(web):
    web.fails("set image deployment/web", "error: at least one image update is required\n")


def test_set_image_dry_run_stores_nothing(web):
    before = web.state_bytes()
    assert web.ok("set image deploy/web nginx=x:1 --dry-run=client") == "deployment.apps/web image updated (dry run)\n"
    assert web.state_bytes() == before


def test_set_image_of_a_missing_deployment(web):
    web.fails("set image deploy/nope nginx=x", 'Error from server (NotFound): deployments.apps "nope" not found\n')


def test_set_env_adds_and_lists(web):
    assert web.ok("set env deploy/web A=1") == "deployment.apps/web env updated\n"
    assert web.ok("set env deploy/web --list") == "# Deployment web, container nginx\nMODE=prod\nA=1\n"


def test_set_env_removes(web):
    web.ok("set env deploy/web MODE-")
    assert web.ok(f"get deploy web -o {CONTAINER}.env}}") == ""


def test_set_env_from_configmap(web):
    web.ok("create configmap cfg --from-literal=DB_HOST=db")
    assert web.ok("set env deploy/web --from=configmap/cfg") == "deployment.apps/web env updated\n"
    assert web.ok("set env deploy/web --list") == (
        "# Deployment web, container nginx\nMODE=prod\n# DB_HOST from configmap cfg, key DB_HOST\n")


def test_set_env_from_secret_renames_keys_with_a_warning(web):
    web.ok("create secret generic creds --from-literal=db.password=x")
    result = web("set env deploy/web --from=secret/creds")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "deployment.apps/web env updated\n", "Warning: key db.password transferred to DB_PASSWORD\n")


def test_set_env_without_overwrite(web):
    web.fails("set env deploy/web MODE=dev --overwrite=false",
           "error: 'MODE' already has a value (prod), and --overwrite is false\n")


def test_set_env_invalid_name(web):
    result = web("set env deploy/web 1A=x")
    assert result.exit_code == 1
    assert result.stderr.startswith('error: "1A" is not a valid key name: ')


def test_set_resources_limits_and_requests(web):
    assert web.ok("set resources deploy/web -c nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m") == (
        "deployment.apps/web resource requirements updated\n")
    assert web.ok(f"get deploy web -o {CONTAINER}.resources}}") == (
        '{"limits":{"cpu":"200m","memory":"512Mi"},"requests":{"cpu":"100m"}}')


def test_set_resources_requires_a_change(web):
    web.fails("set resources deploy/web",
           "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n")


def test_set_resources_bad_quantity(web):
    web.fails("set resources deploy/web --limits=cpu=lots", "error: quantities must match the regular expression "
                                                              "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n")
