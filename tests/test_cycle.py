"""The full cycle after apply: set image, rollout history, rollout undo, scale, describe/events."""

from manifests import deployment

WEB = deployment(replicas=3, image="nginx:1.25")


def _image(cli) -> str:
    return cli.ok("get deploy web -o jsonpath={.spec.template.spec.containers[0].image}")


def test_apply_set_image_undo_scale_cycle(cli):
    cli.write("web.yaml", WEB)
    assert cli.ok("apply -f web.yaml") == "deployment.apps/web created\n"
    assert cli.ok("set image deployment/web nginx=nginx:1.26") == "deployment.apps/web image updated\n"
    assert cli.ok("rollout history deployment/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    assert cli.ok("rollout status deployment/web") == 'deployment "web" successfully rolled out\n'
    assert cli.ok("rollout undo deployment/web") == "deployment.apps/web rolled back\n"
    assert _image(cli) == "nginx:1.25"
    assert cli.ok("rollout history deployment/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")
    assert cli.ok(["get", "deploy", "web", "-o", r"jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}"]) == "3"
    assert cli.ok("scale deployment web --replicas=5") == "deployment.apps/web scaled\n"
    assert cli.ok("get deploy web") == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    5/5     5            5           0s\n")


def _apply_set_image_undo_scale(cli) -> None:
    """The cycle's four steps, each of which must succeed."""
    cli.write("web.yaml", WEB)
    for command in ("apply -f web.yaml", "set image deployment/web nginx=nginx:1.26", "rollout undo deployment/web",
                    "scale deployment web --replicas=5"):
        cli.ok(command)


def test_cycle_events_show_each_step(cli):
    _apply_set_image_undo_scale(cli)
    first, second = _replica_sets(cli)
    messages = cli.ok("events --for deployment/web").splitlines()[1:]
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
    _apply_set_image_undo_scale(cli)
    first, _ = _replica_sets(cli)
    described = cli.ok("describe deploy web")
    assert f"Normal  ScalingReplicaSet  0s    deployment-controller  Scaled up replica set {first} from 3 to 5\n" \
        in described
    assert described.count("ScalingReplicaSet") == 14


def _replica_sets(cli) -> tuple[str, str]:
    """The revision-1 set (nginx:1.25) and the revision-2 set (nginx:1.26), by image."""
    names = cli.ok(["get", "rs", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image} {end}"])
    by_image = {line.split("=")[1]: line.split("=")[0] for line in names.split()}
    return by_image["nginx:1.25"], by_image["nginx:1.26"]
