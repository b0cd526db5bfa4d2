"""The full cycle after apply: set image, rollout history, rollout undo, scale, describe/events."""

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
"""


def _run(cli, command) -> str:
    result = cli(command)
    assert (result.exit_code, result.stderr) == (0, ""), result
    return result.stdout


def _image(cli) -> str:
    return _run(cli, "get deploy web -o jsonpath={.spec.template.spec.containers[0].image}")


def test_apply_set_image_undo_scale_cycle(cli):
    cli.write("web.yaml", WEB)
    assert _run(cli, "apply -f web.yaml") == "deployment.apps/web created\n"
    assert _run(cli, "set image deployment/web nginx=nginx:1.26") == "deployment.apps/web image updated\n"
    assert _run(cli, "rollout history deployment/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    assert _run(cli, "rollout status deployment/web") == 'deployment "web" successfully rolled out\n'
    assert _run(cli, "rollout undo deployment/web") == "deployment.apps/web rolled back\n"
    assert _image(cli) == "nginx:1.25"
    assert _run(cli, "rollout history deployment/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")
    assert _run(cli, ["get", "deploy", "web", "-o", r"jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}"]) == "3"
    assert _run(cli, "scale deployment web --replicas=5") == "deployment.apps/web scaled\n"
    assert _run(cli, "get deploy web") == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    5/5     5            5           0s\n")


def test_cycle_events_show_each_step(cli):
    cli.write("web.yaml", WEB)
    for command in ("apply -f web.yaml", "set image deployment/web nginx=nginx:1.26", "rollout undo deployment/web",
                    "scale deployment web --replicas=5"):
        _run(cli, command)
    first, second = _replica_sets(cli)
    messages = _run(cli, "events --for deployment/web").splitlines()[1:]
    assert [line.split("Deployment/web")[1].strip() for line in messages] == [
        f"Scaled up replica set {first} from 0 to 3",
        f"Scaled up replica set {second} from 0 to 1",
        f"Scaled down replica set {first} from 3 to 2",
        f"Scaled up replica set {second} from 1 to 2",
        f"Scaled down replica set {first} from 2 to 1",
        f"Scaled up replica set {second} from 2 to 3",
        f"Scaled down replica set {first} from 1 to 0",
        f"Scaled up replica set {first} from 0 to 1",
        f"Scaled down replica set {second} from 3 to 2",
        f"Scaled up replica set {first} from 1 to 2",
        f"Scaled down replica set {second} from 2 to 1",
        f"Scaled up replica set {first} from 2 to 3",
        f"Scaled down replica set {second} from 1 to 0",
        f"Scaled up replica set {first} from 3 to 5",
    ]


def test_cycle_describe_lists_the_scaling_events(cli):
    cli.write("web.yaml", WEB)
    for command in ("apply -f web.yaml", "set image deployment/web nginx=nginx:1.26", "rollout undo deployment/web",
                    "scale deployment web --replicas=5"):
        _run(cli, command)
    first, _ = _replica_sets(cli)
    described = _run(cli, "describe deploy web")
    assert f"Normal  ScalingReplicaSet  0s    deployment-controller  Scaled up replica set {first} from 3 to 5\n" \
        in described
    assert described.count("ScalingReplicaSet") == 14


def _replica_sets(cli) -> tuple[str, str]:
    """The revision-1 set (nginx:1.25) and the revision-2 set (nginx:1.26), by image."""
    names = _run(cli, ["get", "rs", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image} {end}"])
    by_image = {line.split("=")[1]: line.split("=")[0] for line in names.split()}
    return by_image["nginx:1.25"], by_image["nginx:1.26"]
