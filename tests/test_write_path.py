"""One write path: every verb and generator goes through the API server's validation (create and
update, immutable fields included) and admission; refused writes print kubectl's text, exit 1 and
leave the state file byte-identical."""

import pytest

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
             "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
         "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
           "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
           "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")


@pytest.fixture
def deployed(cli):
    cli.ok("create deployment web --image=nginx")
    return cli


def test_create_deployment_with_a_bad_name(deployed):
    deployed.fails("create deployment Bad_Name --image=nginx",
                   f'error: failed to create deployment: Deployment.apps "Bad_Name" is invalid: metadata.name: '
                   f'Invalid value: "Bad_Name": {SUBDOMAIN}\n')


def test_run_with_a_bad_name(deployed):
    deployed.fails("run Bad_Pod --image=nginx",
                   f'The Pod "Bad_Pod" is invalid: \n* metadata.name: Invalid value: "Bad_Pod": {SUBDOMAIN}\n'
                   f'* spec.containers[0].name: Invalid value: "Bad_Pod": {LABEL}\n')


def test_expose_with_a_bad_name(deployed):
    deployed.fails("expose deploy web --name=Bad_Svc --port=80",
                   f'The Service "Bad_Svc" is invalid: metadata.name: Invalid value: "Bad_Svc": {DNS1035}\n')


def test_label_with_a_bad_key(deployed):
    deployed.fails("label deploy web 'bad key=v'",
                   f'The Deployment "web" is invalid: metadata.labels: Invalid value: "bad key": {NAME_PART}\n')


def test_set_resources_with_a_request_above_its_limit(deployed):
    deployed.fails("set resources deploy web --limits=cpu=200m --requests=cpu=500m",
                   'error: failed to patch resources update to pod template Deployment.apps "web" is invalid: '
                   'spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: "500m": must be less '
                   'than or equal to cpu limit of 200m\n')


def _workload(kind: str, app: str, extra: str = "") -> str:
    api = "apps/v1"
    return f"""apiVersion: {api}
kind: {kind}
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
    spec:
      containers:
      - name: nginx
        image: nginx
{extra}"""


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "DaemonSet"])
@pytest.mark.parametrize("verb", ["apply", "replace"])
def test_a_new_selector_is_refused(cli, kind, verb):
    cli.apply("web.yaml", _workload(kind, "web"))
    cli.write("web.yaml", _workload(kind, "web2"))
    cli.fails(f"{verb} -f web.yaml",
              f'The {kind} "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{{MatchLabels:'
              f'map[string]string{{"app":"web2"}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: '
              f'field is immutable\n')


CLAIMS = """  serviceName: web
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: {size}
"""


def test_a_statefulset_refuses_changes_outside_its_mutable_fields(cli):
    cli.apply("web.yaml", _workload("StatefulSet", "web", CLAIMS.format(size="1Gi")))
    cli.write("web.yaml", _workload("StatefulSet", "web", CLAIMS.format(size="2Gi")).replace("image: nginx",
                                                                                            "image: nginx:1.27"))
    cli.fails("apply -f web.yaml",
              "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other "
              "than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' "
              "and 'minReadySeconds' are forbidden\n")


def test_a_statefulset_template_and_replicas_may_change(cli):
    cli.apply("web.yaml", _workload("StatefulSet", "web", CLAIMS.format(size="1Gi")))
    cli.write("web.yaml", _workload("StatefulSet", "web", "  replicas: 2\n" + CLAIMS.format(size="1Gi"))
              .replace("image: nginx", "image: nginx:1.27"))
    assert cli.ok("apply -f web.yaml") == "statefulset.apps/web configured\n"


@pytest.mark.parametrize("namespace", ["default", "kube-system", "kube-public", "kube-node-lease"])
def test_protected_namespaces_are_not_deleted(cli, namespace):
    cli.ok("get ns")
    cli.fails(f"delete namespace {namespace}",
              f'Error from server (Forbidden): namespaces "{namespace}" is forbidden: this namespace may not be '
              f'deleted\n')


def test_a_new_job_has_generation_one(cli):
    cli.ok("create job pi --image=perl")
    assert cli.ok("get job pi -o jsonpath={.metadata.generation}") == "1"


def test_generation_moves_with_the_spec_only(deployed):
    deployed.ok("label deploy web tier=front")
    assert deployed.ok("get deploy web -o jsonpath={.metadata.generation}") == "1"
    deployed.ok("set image deploy/web nginx=nginx:1.27")
    assert deployed.ok("get deploy web -o jsonpath={.metadata.generation}") == "2"
