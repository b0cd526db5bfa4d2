"""One bad object does not stop the others (cli-runtime's builder with ContinueOnError): kubectl's own
scenarios (kubernetes/kubernetes test/cmd/testdata/apply.txtar "multiple resources with failure")
and the order in which kubectl reports several errors (kubectl pkg/cmd/util/helpers.go checkErr)."""

import pytest

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
THREE_PODS = "---\n".join(POD.format(name=n) for n in ("pod-a", "POD-B", "pod-c"))
CONFIGMAP_AND_BOGUS = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: foo\n---\n"
                       "apiVersion: example.com/v1\nkind: Bogus\nmetadata:\n  name: foo\n")
BOGUS = ('resource mapping not found for name: "foo" namespace: "" from "m2.yaml": no matches for kind "Bogus" '
         'in version "example.com/v1"\nensure CRDs are installed first')
INVALID_NAME = ('metadata.name: Invalid value: "POD-B": a lowercase RFC 1123 subdomain must consist of lower case '
                "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
                "[a-z0-9])?)*')")


@pytest.fixture
def files(cli):
    cli.write("m3.yaml", THREE_PODS)
    cli.write("m2.yaml", CONFIGMAP_AND_BOGUS)
    return cli


def names(cli, kind):
    return cli(f"get {kind} -o name").stdout.split()


def test_apply_creates_the_configmap_beside_an_unknown_kind(files):
    result = files("apply -f m2.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "configmap/foo created\n", f"error: {BOGUS}\n")
    assert names(files, "cm") == ["configmap/foo", "configmap/kube-root-ca.crt"]


def test_apply_creates_the_valid_pods_and_reports_the_invalid_one(files):
    result = files("apply -f m3.yaml")
    assert (result.exit_code, result.stdout) == (1, "pod/pod-a created\npod/pod-c created\n")
    assert result.stderr == f'The Pod "POD-B" is invalid: {INVALID_NAME}\n'
    assert names(files, "pods") == ["pod/pod-a", "pod/pod-c"]


def test_apply_reports_the_builders_errors_before_the_objects_ones(files):
    result = files("apply -f m3.yaml -f m2.yaml")
    assert result.stdout == "pod/pod-a created\npod/pod-c created\nconfigmap/foo created\n"
    assert result.stderr == (f"{BOGUS}\n"
                             f'Error from server (Invalid): error when creating "m3.yaml": Pod "POD-B" is invalid: '
                             f"{INVALID_NAME}\n")


def test_create_reports_errors_in_turn_and_the_reading_errors_last(files):
    files("create -f m2.yaml")
    result = files("create -f m2.yaml -f m3.yaml")
    assert (result.exit_code, result.stdout) == (1, "pod/pod-a created\npod/pod-c created\n")
    assert result.stderr == (
        'Error from server (AlreadyExists): error when creating "m2.yaml": configmaps "foo" already exists\n'
        f'Error from server (Invalid): error when creating "m3.yaml": Pod "POD-B" is invalid: {INVALID_NAME}\n'
        f"{BOGUS}\n")


def test_a_parse_error_ends_its_file_but_not_the_next(files):
    files.write("broken.yaml", POD.format(name="before") + "---\nkind: [\n---\n" + POD.format(name="after"))
    result = files("apply -f broken.yaml -f m3.yaml")
    assert result.stdout == "pod/before created\npod/pod-a created\npod/pod-c created\n"
    assert result.stderr.startswith("error parsing broken.yaml: error converting YAML to JSON: yaml: line ")
    assert names(files, "pods") == ["pod/before", "pod/pod-a", "pod/pod-c"]


def test_delete_and_replace_go_on_past_missing_objects(files):
    files("apply -f m3.yaml")
    result = files("replace -f m3.yaml")
    assert result.stdout == "pod/pod-a replaced\npod/pod-c replaced\n"
    assert result.stderr == 'Error from server (NotFound): error when replacing "m3.yaml": pods "POD-B" not found\n'
    result = files("delete -f m3.yaml -f m2.yaml")
    assert (result.exit_code, result.stdout) == (1, 'pod "pod-a" deleted\npod "pod-c" deleted\n')
    assert result.stderr == ('Error from server (NotFound): error when deleting "m3.yaml": pods "POD-B" not found\n'
                             f'Error from server (NotFound): error when deleting "m2.yaml": configmaps "foo" not found\n'
                             f"{BOGUS}\n")


def test_apply_with_a_selector_sends_only_the_matching_objects(files):
    labelled = POD.format(name="chosen").replace("metadata:\n", "metadata:\n  labels:\n    pick: me\n")
    files.write("filter.yaml", labelled + "---\n" + POD.format(name="left-out"))
    assert files.ok("apply -l pick=me -f filter.yaml") == "pod/chosen created\n"
    assert names(files, "pods") == ["pod/chosen"]
    result = files("apply -l pick=none -f filter.yaml")
    assert (result.exit_code, result.stderr) == (1, "error: no objects passed to apply\n")
    assert files("create -l pick=none -f filter.yaml").stderr == "error: no objects passed to create\n"
