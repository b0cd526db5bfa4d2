"""The events verb (sorted by last occurrence, --for, --types) and `get events`."""

from manifests import deployment

WEB = deployment(replicas=1, image="nginx:1.25")


def test_events_for_a_deployment(cli):
    cli.apply("web.yaml", WEB)
    result = cli("events --for deployment/web")
    rs = cli("get rs -o name").stdout.strip().split("/")[1]
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "LAST SEEN   TYPE     REASON              OBJECT           MESSAGE\n"
        f"0s          Normal   ScalingReplicaSet   Deployment/web   Scaled up replica set {rs} from 0 to 1\n")


def test_events_are_sorted_by_last_occurrence(cli):
    cli.apply("web.yaml", WEB)
    cli.at("2026-11-25T12:05:00Z")
    assert cli("scale deploy web --replicas=2").exit_code == 0
    lines = cli("events --for deployment/web").stdout.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["5m", "0s"]


def test_events_filtered_by_type(cli):
    cli.apply("web.yaml", WEB)
    result = cli("events --types=Warning")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No events found in default namespace.\n")


def test_events_bad_type(cli):
    result = cli("events --types=Error")
    assert (result.exit_code, result.stderr) == (1, "error: valid --types are Normal or Warning\n")


def test_events_all_namespaces_has_a_namespace_column(cli):
    cli.apply("web.yaml", WEB)
    header = cli("events -A").stdout.splitlines()[0]
    # The NAMESPACE column is as wide as the longest namespace with events (kind's local-path-storage).
    assert header.startswith("NAMESPACE            LAST SEEN   ")
    assert header.split() == ["NAMESPACE", "LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]


def test_get_events_lists_the_deployment_scaling(cli):
    cli.apply("web.yaml", WEB)
    result = cli("get events --field-selector involvedObject.kind=Deployment")
    assert result.exit_code == 0
    assert "ScalingReplicaSet   deployment/web" in result.stdout
