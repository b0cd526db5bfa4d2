"""logs: not simulated; a clear error instead of invented output."""


def test_logs_of_an_existing_pod(cli):
    cli("create deployment web --image=nginx")
    pod = cli("get pods -o name").stdout.split("/")[1].strip()
    result = cli(f"logs {pod}")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "error: logs are not simulated by minikctl: its containers never run, so they have no output\n")


def test_logs_of_a_missing_pod(cli):
    result = cli("logs nope")
    assert (result.exit_code, result.stderr) == (1, 'Error from server (NotFound): pods "nope" not found\n')


def test_logs_without_a_pod(cli):
    result = cli("logs")
    assert (result.exit_code, result.stderr) == (
        1, "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
           "POD or TYPE/NAME is a required argument for the logs command\n"
           "See 'minikctl logs -h' for help and examples\n")
