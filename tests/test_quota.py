"""ResourceQuota: admission refusals with Kubernetes' texts, status.used kept by the quota controller,
the `get quota` table, and a Deployment stopped by a quota (FailedCreate on its ReplicaSet)."""

from manifests import daemonset

QUOTA = """apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    pods: "2"
    requests.cpu: "1"
    limits.memory: 1Gi
"""


def pod(name: str, cpu: str = "500m", memory: str = "128Mi", extra: str = "") -> str:
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
{extra}  containers:
  - name: web
    image: nginx:1.27
    resources:
      requests:
        cpu: {cpu}
      limits:
        memory: {memory}
"""


def deployment(replicas: int) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources:
          requests: {{cpu: 400m}}
          limits: {{memory: 64Mi}}
"""


def setup_quota(cli, text: str = QUOTA) -> None:
    cli.write("quota.yaml", text)
    assert cli("apply -f quota.yaml").exit_code == 0


def test_fresh_quota_reports_zero_usage(cli):
    setup_quota(cli)
    assert cli("get quota").stdout == (
        "NAME      AGE   REQUEST                        LIMIT\n"
        "compute   0s    pods: 0/2, requests.cpu: 0/1   limits.memory: 0/1Gi\n")


def test_used_follows_pods_in_yaml_and_table(cli):
    setup_quota(cli)
    cli.write("a.yaml", pod("a", cpu="100m"))
    cli.write("b.yaml", pod("b", cpu="100m", memory="256Mi"))
    cli("apply -f a.yaml")
    cli("apply -f b.yaml")
    status = cli("get quota compute -o yaml").stdout.split("status:\n")[1]
    assert status == (
        "  hard:\n"
        "    limits.memory: 1Gi\n"
        "    pods: \"2\"\n"
        "    requests.cpu: \"1\"\n"
        "  used:\n"
        "    limits.memory: 384Mi\n"
        "    pods: \"2\"\n"
        "    requests.cpu: 200m\n")
    assert cli("get quota").stdout.splitlines()[1] == \
        "compute   0s    pods: 2/2, requests.cpu: 200m/1   limits.memory: 384Mi/1Gi"
    cli("delete pod a")
    assert cli("get quota").stdout.splitlines()[1] == \
        "compute   0s    pods: 1/2, requests.cpu: 100m/1   limits.memory: 256Mi/1Gi"


def test_exceeding_create_is_refused_and_state_untouched(cli):
    setup_quota(cli)
    cli.write("a.yaml", pod("a", cpu="600m"))
    cli("apply -f a.yaml")
    cli.write("p.yaml", pod("p", cpu="500m"))
    before = cli.state_bytes()
    result = cli("apply -f p.yaml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        'Error from server (Forbidden): error when creating "p.yaml": pods "p" is forbidden: exceeded quota: compute, '
        "requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1\n")
    assert cli.state_bytes() == before


def test_every_exceeded_resource_is_listed_sorted(cli):
    setup_quota(cli, QUOTA.replace('pods: "2"', 'pods: "1"'))
    cli.write("a.yaml", pod("a", cpu="600m"))
    cli("apply -f a.yaml")
    cli.write("p.yaml", pod("p", cpu="500m"))
    assert cli("apply -f p.yaml").stderr == (
        'Error from server (Forbidden): error when creating "p.yaml": pods "p" is forbidden: exceeded quota: compute, '
        "requested: pods=1,requests.cpu=500m, used: pods=1,requests.cpu=600m, limited: pods=1,requests.cpu=1\n")


def test_pod_without_tracked_resources_must_specify_them(cli):
    setup_quota(cli)
    cli.write("p.yaml", """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: web, image: nginx}
  - {name: side, image: busybox, resources: {requests: {cpu: 10m}}}
""")
    before = cli.state_bytes()
    assert cli("apply -f p.yaml").stderr == (
        'Error from server (Forbidden): error when creating "p.yaml": pods "p" is forbidden: failed quota: compute: '
        "must specify limits.memory for: side,web; requests.cpu for: web\n")
    assert cli.state_bytes() == before


def test_finished_pods_do_not_count(cli):
    setup_quota(cli, QUOTA.replace('pods: "2"', 'pods: "1"'))
    cli.write("done.yaml", """apiVersion: v1
kind: Pod
metadata:
  name: done
  annotations: {fault.minikctl.io/crash-loop: "true", fault.minikctl.io/exit-code: "0"}
spec:
  restartPolicy: Never
  containers:
  - name: web
    image: busybox
    resources: {requests: {cpu: 100m}, limits: {memory: 64Mi}}
""")
    cli("apply -f done.yaml")
    assert cli("get pod done -o jsonpath={.status.phase}").stdout == "Succeeded"
    assert cli("get quota -o jsonpath={.items[0].status.used}").stdout == \
        '{"limits.memory":"0","pods":"0","requests.cpu":"0"}'
    cli.write("a.yaml", pod("a"))
    assert cli("apply -f a.yaml").stdout == "pod/a created\n"


def test_object_counts_and_service_ports(cli):
    setup_quota(cli, """apiVersion: v1
kind: ResourceQuota
metadata: {name: objects}
spec:
  hard:
    configmaps: "2"
    count/deployments.apps: "0"
    services.nodeports: "1"
""")
    assert cli("create configmap one").exit_code == 0  # kube-root-ca.crt is the first
    cli.write("two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\n")
    assert cli("apply -f two.yaml").stderr == (
        'Error from server (Forbidden): error when creating "two.yaml": configmaps "two" is forbidden: exceeded quota: '
        "objects, requested: configmaps=1, used: configmaps=2, limited: configmaps=2\n")
    result = cli("create deployment web --image=nginx")
    assert result.stderr == ('error: failed to create deployment: deployments.apps "web" is forbidden: exceeded quota: objects, '
                             "requested: count/deployments.apps=1, used: count/deployments.apps=0, "
                             "limited: count/deployments.apps=0\n")
    cli.write("svc.yaml", """apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, name: http}, {port: 443, name: https}]
""")
    assert cli("apply -f svc.yaml").stderr == (
        'Error from server (Forbidden): error when creating "svc.yaml": services "web" is forbidden: exceeded quota: '
        "objects, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1\n")
    assert cli("get quota objects").stdout.splitlines()[1] == \
        "objects   0s    configmaps: 2/2, count/deployments.apps: 0/0, services.nodeports: 0/1   "


def test_quota_stops_a_deployment_at_its_pod_count(cli):
    setup_quota(cli)
    cli.write("web.yaml", deployment(3))
    assert cli("apply -f web.yaml").stdout == "deployment.apps/web created\n"
    rs = cli("get rs -o jsonpath={.items[0].metadata.name}").stdout
    assert cli("get rs").stdout == (
        "NAME             DESIRED   CURRENT   READY   AGE\n"
        f"{rs}   3         2         2       0s\n")
    condition = cli(["get", "rs", rs, "-o", "jsonpath={.status.conditions[0].type} {.status.conditions[0].reason}"])
    assert condition.stdout == "ReplicaFailure FailedCreate"
    message = cli(["get", "rs", rs, "-o", "jsonpath={.status.conditions[0].message}"]).stdout
    assert message.startswith(f'pods "{rs}-')
    assert message.endswith('" is forbidden: exceeded quota: compute, requested: pods=1,requests.cpu=400m, '
                            "used: pods=2,requests.cpu=800m, limited: pods=2,requests.cpu=1")
    events = cli(["get", "events", "--field-selector", "reason=FailedCreate", "-o",
                  "jsonpath={range .items[*]}{.involvedObject.name}: {.message}{'\\n'}{end}"])
    assert events.stdout == f"{rs}: Error creating: {message}\n"
    assert cli("get quota").stdout.splitlines()[1] == \
        "compute   0s    pods: 2/2, requests.cpu: 800m/1   limits.memory: 128Mi/1Gi"


def test_scoped_quota_counts_only_matching_pods(cli):
    setup_quota(cli, """apiVersion: v1
kind: ResourceQuota
metadata: {name: besteffort}
spec:
  hard: {pods: "1"}
  scopes: [BestEffort]
""")
    cli.write("a.yaml", pod("a"))
    assert cli("apply -f a.yaml").exit_code == 0
    cli.write("b.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: c, image: nginx}]\n")
    cli.write("c.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: c}\nspec:\n  containers: [{name: c, image: nginx}]\n")
    assert cli("apply -f b.yaml").exit_code == 0
    assert cli("apply -f c.yaml").stderr == (
        'Error from server (Forbidden): error when creating "c.yaml": pods "c" is forbidden: exceeded quota: '
        "besteffort, requested: pods=1, used: pods=1, limited: pods=1\n")


POD_COUNT_QUOTA = """apiVersion: v1
kind: ResourceQuota
metadata:
  name: count
spec:
  hard:
    pods: "1"
"""


def failed_creates(cli) -> str:
    return cli(["get", "events", "--field-selector", "reason=FailedCreate", "-o",
                "jsonpath={range .items[*]}{.involvedObject.kind}/{.involvedObject.name}: {.message}{'\\n'}{end}"]).stdout


def test_quota_stops_a_job_at_its_pod_count(cli):
    setup_quota(cli, POD_COUNT_QUOTA)
    cli.write("job.yaml", """apiVersion: batch/v1
kind: Job
metadata:
  name: batch
  annotations: {fault.minikctl.io/image-pull: "true"}  # keeps the pod Pending, so it stays counted
spec:
  parallelism: 3
  template:
    spec:
      restartPolicy: Never
      containers: [{name: work, image: busybox}]
""")
    assert cli("apply -f job.yaml").stdout == "job.batch/batch created\n"
    assert cli("get job batch -o jsonpath={.status.active}").stdout == "1"
    events = failed_creates(cli)
    prefix = 'Job/batch: Error creating: pods "batch-'
    assert events.startswith(prefix)
    assert events[len(prefix) + 5:] == ('" is forbidden: exceeded quota: count, requested: pods=1, used: pods=1, '
                                        "limited: pods=1\n")


def test_quota_stops_a_daemon_set_at_its_pod_count(cli):
    setup_quota(cli, POD_COUNT_QUOTA)
    cli.write("ds.yaml", daemonset("agent", "busybox"))
    assert cli("apply -f ds.yaml").stdout == "daemonset.apps/agent created\n"
    assert cli("get ds agent -o jsonpath={.status.desiredNumberScheduled}/{.status.currentNumberScheduled}"
               ).stdout == "2/1"
    events = failed_creates(cli)
    prefix = 'DaemonSet/agent: Error creating: pods "agent-'
    assert events.startswith(prefix)
    assert events[len(prefix) + 5:] == ('" is forbidden: exceeded quota: count, requested: pods=1, used: pods=1, '
                                        "limited: pods=1\n")
