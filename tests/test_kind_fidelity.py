"""Pods run only where a fresh kind v1.32 cluster runs them (issue 16).

Each manifest is shaped like the kubernetes/examples file that showed the difference: claims that do
not exist or cannot bind, the beta storage-class annotation, unknown ServiceAccounts, missing
Secrets/ConfigMaps, volume sources a kind node cannot mount; then the workload recovers once the
missing object appears.
"""

from __future__ import annotations

# _archived/volumes/vsphere/vsphere-volume-pvcpod.yaml: a pod whose claim was never created.
CLAIM_POD = """
apiVersion: v1
kind: Pod
metadata:
  name: pvpod
spec:
  containers:
  - name: test-container
    image: registry.k8s.io/test-webserver
    volumeMounts:
    - name: test-volume
      mountPath: /test-vmdk
  volumes:
  - name: test-volume
    persistentVolumeClaim:
      claimName: pvcsc001
"""

CLAIM = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: pvcsc001
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 2Gi
"""

# _archived/volumes/vsphere/simple-statefulset.yaml (fewer replicas): class thin-disk is not on kind.
STATEFUL_SET = """
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  selector:
    matchLabels: {app: nginx}
  replicas: 3
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.8
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
      storageClassName: thin-disk
"""

THIN_DISK = """
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: thin-disk
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
"""

# databases/cassandra/cassandra-statefulset.yaml: the beta annotation names class `fast`, whose
# provisioner kind does not run.
CASSANDRA = """
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cassandra
spec:
  serviceName: cassandra
  replicas: 3
  selector:
    matchLabels: {app: cassandra}
  template:
    metadata:
      labels: {app: cassandra}
    spec:
      containers:
      - name: cassandra
        image: gcr.io/google-samples/cassandra:v14
        volumeMounts:
        - name: cassandra-data
          mountPath: /var/lib/cassandra
  volumeClaimTemplates:
  - metadata:
      name: cassandra-data
      annotations:
        volume.beta.kubernetes.io/storage-class: fast
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
---
kind: StorageClass
apiVersion: storage.k8s.io/v1
metadata:
  name: fast
provisioner: k8s.io/minikube-hostpath
parameters:
  type: pd-ssd
"""

BETA_CLAIM = """
kind: PersistentVolumeClaim
apiVersion: v1
metadata:
  name: claim1
  annotations:
    volume.beta.kubernetes.io/storage-class: slow
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 3Gi
"""

# _archived/elasticsearch/es-rc.yaml: runs as ServiceAccount elasticsearch, created by another file.
ES_RC = """
apiVersion: v1
kind: ReplicationController
metadata:
  name: es
spec:
  replicas: 1
  template:
    metadata:
      labels: {component: elasticsearch}
    spec:
      serviceAccount: elasticsearch
      containers:
      - name: es
        image: quay.io/pires/docker-elasticsearch-kubernetes:5.6.2
"""

# _archived/https-nginx/nginx-app.yaml: the Secret and ConfigMap come from `make keys`.
HTTPS_NGINX = """
apiVersion: v1
kind: ReplicationController
metadata:
  name: my-nginx
spec:
  replicas: 1
  template:
    metadata:
      labels: {app: nginx}
    spec:
      volumes:
      - name: secret-volume
        secret:
          secretName: nginxsecret
      - name: configmap-volume
        configMap:
          name: nginxconfigmap
      - name: optional-volume
        secret:
          secretName: extra
          optional: true
      containers:
      - name: nginxhttps
        image: ymqytw/nginxhttps:1.5
        volumeMounts:
        - {mountPath: /etc/nginx/ssl, name: secret-volume}
        - {mountPath: /etc/nginx/conf.d, name: configmap-volume}
        - {mountPath: /etc/extra, name: optional-volume}
"""

# _archived/newrelic/newrelic-daemonset.yaml: a Docker socket kind nodes do not have.
NEWRELIC = """
apiVersion: v1
kind: Pod
metadata:
  name: newrelic
spec:
  hostNetwork: true
  containers:
  - name: newrelic
    image: newrelic/nrsysmond
    volumeMounts:
    - {name: dev, mountPath: /dev}
    - {name: run, mountPath: /var/run/docker.sock}
    - {name: log, mountPath: /var/log}
  volumes:
  - name: dev
    hostPath: {path: /dev, type: Directory}
  - name: run
    hostPath: {path: /var/run/docker.sock, type: Socket}
  - name: log
    hostPath: {path: /var/log}
"""

# _archived/volumes/nfs: a PV served by an in-cluster NFS server.
NFS = """
apiVersion: v1
kind: PersistentVolume
metadata:
  name: nfs
spec:
  capacity:
    storage: 1Mi
  accessModes: [ReadWriteMany]
  nfs:
    server: nfs-server.default.svc.cluster.local
    path: "/"
  mountOptions: [nfsvers=4.2]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: nfs
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ""
  resources:
    requests:
      storage: 1Mi
  volumeName: nfs
---
apiVersion: v1
kind: Pod
metadata:
  name: nfs-busybox
spec:
  containers:
  - name: busybox
    image: busybox
    volumeMounts:
    - {name: my-pvc-nfs, mountPath: /mnt}
  volumes:
  - name: my-pvc-nfs
    persistentVolumeClaim:
      claimName: nfs
"""

# _archived/volumes/glusterfs/glusterfs-pod.json, as YAML.
GLUSTERFS = """
apiVersion: v1
kind: Pod
metadata:
  name: glusterfs
spec:
  containers:
  - name: glusterfs
    image: nginx
    volumeMounts:
    - {mountPath: /mnt/glusterfs, name: glusterfsvol}
  volumes:
  - name: glusterfsvol
    glusterfs:
      endpoints: glusterfs-cluster
      path: kube_vol
      readOnly: true
"""

PREEMPTION = "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."


def events(cli, name: str) -> str:
    """The Events block of `describe pod NAME`."""
    text = cli.ok(f"describe pod {name}")
    return text[text.index("Events:"):]


def test_pod_waits_for_a_claim_that_does_not_exist(cli):
    cli.apply("pod.yaml", CLAIM_POD)
    assert cli.ok("get pods") == ("NAME    READY   STATUS    RESTARTS   AGE\n"
                                  "pvpod   0/1     Pending   0          0s\n")
    assert events(cli, "pvpod") == (
        "Events:\n"
        "  Type     Reason            Age   From               Message\n"
        "  ----     ------            ----  ----               -------\n"
        '  Warning  FailedScheduling  0s    default-scheduler  0/3 nodes are available: persistentvolumeclaim '
        f'"pvcsc001" not found. {PREEMPTION}\n')
    cli.apply("claim.yaml", CLAIM)
    assert cli.ok("get pods,pvc -o custom-columns=NAME:.metadata.name,PHASE:.status.phase") == (
        "NAME       PHASE\npvpod      Running\npvcsc001   Bound\n")


def test_stateful_set_with_an_unbindable_class_stops_at_its_first_pod(cli):
    cli.apply("web.yaml", STATEFUL_SET)
    assert cli.ok("get pods,pvc") == (
        "NAME        READY   STATUS    RESTARTS   AGE\n"
        "pod/web-0   0/1     Pending   0          0s\n"
        "\n"
        "NAME                              STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   "
        "VOLUMEATTRIBUTESCLASS   AGE\n"
        "persistentvolumeclaim/www-web-0   Pending                                      thin-disk      "
        "<unset>                 0s\n")
    assert cli.ok("get events --field-selector reason!=SuccessfulCreate -o custom-columns=REASON:.reason,"
                  "MESSAGE:.message") == (
        "REASON               MESSAGE\n"
        "FailedScheduling     0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
        f"{PREEMPTION}\n"
        'ProvisioningFailed   storageclass.storage.k8s.io "thin-disk" not found\n')
    assert cli.ok("get events --field-selector reason=ProvisioningFailed -o jsonpath={.items[0].type}") == "Warning"
    cli.apply("class.yaml", THIN_DISK)
    assert cli.ok("get pods") == ("NAME    READY   STATUS    RESTARTS   AGE\n"
                                  "web-0   1/1     Running   0          0s\n"
                                  "web-1   1/1     Running   0          0s\n"
                                  "web-2   1/1     Running   0          0s\n")


def test_beta_storage_class_annotation_names_the_class(cli):
    cli.apply("cassandra.yaml", CASSANDRA)
    assert cli.ok("get pods,pvc") == (
        "NAME              READY   STATUS    RESTARTS   AGE\n"
        "pod/cassandra-0   0/1     Pending   0          0s\n"
        "\n"
        "NAME                                               STATUS    VOLUME   CAPACITY   ACCESS MODES   "
        "STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
        "persistentvolumeclaim/cassandra-data-cassandra-0   Pending                                      "
        "fast           <unset>                 0s\n")
    claim = "pvc/cassandra-data-cassandra-0"
    assert cli.ok(f"get {claim} -o jsonpath={{.spec.storageClassName}}") == ""
    assert cli.ok(f"get {claim} -o 'jsonpath={{.metadata.annotations.volume\\.kubernetes\\.io/storage-provisioner}}'") \
        == "k8s.io/minikube-hostpath"
    assert cli.ok("get events --field-selector involvedObject.kind=PersistentVolumeClaim "
                  "-o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message") == (
        "TYPE     REASON                 MESSAGE\n"
        "Normal   ExternalProvisioning   Waiting for a volume to be created either by the external provisioner "
        "'k8s.io/minikube-hostpath' or manually by the system administrator. If volume creation is delayed, "
        "please verify that the provisioner is running and correctly registered.\n")


def test_beta_storage_class_annotation_warns_and_unknown_class_fails_provisioning(cli):
    cli.write("claim.yaml", BETA_CLAIM)
    result = cli("apply -f claim.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "persistentvolumeclaim/claim1 created\n",
        "Warning: metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; "
        'use "storageClassName" attribute instead\n')
    assert cli("apply -f claim.yaml").stderr == ""
    assert cli.ok("get events -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message") == (
        "TYPE      REASON               MESSAGE\n"
        'Warning   ProvisioningFailed   storageclass.storage.k8s.io "slow" not found\n')


def test_unknown_service_account_is_refused_until_it_exists(cli):
    cli.apply("es.yaml", ES_RC)
    assert cli.ok("get rc es") == ("NAME   DESIRED   CURRENT   READY   AGE\n"
                                   "es     1         0         0       0s\n")
    assert cli.ok("get events -o custom-columns=REASON:.reason,MESSAGE:.message") == (
        "REASON         MESSAGE\n"
        'FailedCreate   Error creating: pods "es-" is forbidden: error looking up service account '
        'default/elasticsearch: serviceaccount "elasticsearch" not found\n')
    cli.write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: es}\nspec:\n"
                          "  serviceAccountName: elasticsearch\n  containers: [{name: es, image: nginx}]\n")
    cli.fails("apply -f pod.yaml",
              'Error from server (Forbidden): error when creating "pod.yaml": pods "es" is forbidden: error '
              'looking up service account default/elasticsearch: serviceaccount "elasticsearch" not found\n')
    cli.ok("create serviceaccount elasticsearch")
    assert cli.ok("get rc es -o jsonpath={.status.readyReplicas}") == "1"


def test_missing_secret_and_config_map_hold_the_pod_in_container_creating(cli):
    cli.apply("nginx.yaml", HTTPS_NGINX)
    name = cli.ok("get pods -o name").strip().split("/")[1]
    assert cli.ok("get pods") == ("NAME             READY   STATUS              RESTARTS   AGE\n"
                                  f"{name}   0/1     ContainerCreating   0          0s\n")
    assert events(cli, name).splitlines()[4:] == [
        '  Warning  FailedMount  0s    kubelet            MountVolume.SetUp failed for volume "secret-volume" : '
        'secret "nginxsecret" not found',
        '  Warning  FailedMount  0s    kubelet            MountVolume.SetUp failed for volume "configmap-volume" : '
        'configmap "nginxconfigmap" not found']
    cli.ok("create secret generic nginxsecret --from-literal=nginx.crt=x")
    cli.at("2026-11-25T12:03:00Z").ok("create configmap nginxconfigmap --from-literal=default.conf=x")
    assert cli.ok("get pods") == ("NAME             READY   STATUS    RESTARTS   AGE\n"
                                  f"{name}   1/1     Running   0          3m\n")


def test_host_path_socket_missing_on_kind_nodes(cli):
    cli.apply("newrelic.yaml", NEWRELIC)
    assert cli.ok("get pod newrelic -o custom-columns=STATUS:.status.containerStatuses[0].state.waiting.reason,"
                  "IP:.status.podIP") == "STATUS              IP\nContainerCreating   172.18.0.3\n"
    assert events(cli, "newrelic").splitlines()[-1] == (
        '  Warning  FailedMount  0s    kubelet            MountVolume.SetUp failed for volume "run" : hostPath '
        "type check failed: /var/run/docker.sock is not a socket file")


def test_nfs_volume_fails_to_mount_without_the_helper(cli):
    cli.apply("nfs.yaml", NFS)
    uid = cli.ok("get pod nfs-busybox -o jsonpath={.metadata.uid}")
    target = f"/var/lib/kubelet/pods/{uid}/volumes/kubernetes.io~nfs/nfs"
    message = cli.ok("get events --field-selector reason=FailedMount -o jsonpath={.items[0].message}")
    assert message.split("\n")[:3] == [
        'MountVolume.SetUp failed for volume "nfs" : mount failed: exit status 32',
        "Mounting command: systemd-run",
        f"Mounting arguments: --description=Kubernetes transient mount for {target} --scope -- mount -t nfs "
        f"-o nfsvers=4.2 nfs-server.default.svc.cluster.local:/ {target}"]
    assert message.split("\n")[4] == (f"mount: {target}: bad option; for several filesystems (e.g. nfs, cifs) you "
                                      "might need a /sbin/mount.<type> helper program.")


def test_removed_volume_plugin_warns_and_times_out(cli):
    cli.write("glusterfs.yaml", GLUSTERFS)
    result = cli("apply -f glusterfs.yaml")
    assert (result.stdout, result.stderr) == (
        "pod/glusterfs created\n",
        "Warning: spec.volumes[0].glusterfs: deprecated in v1.25, non-functional in v1.26+\n")
    assert events(cli, "glusterfs").count("FailedMount") == 0
    cli.at("2026-11-25T12:02:03Z").ok("label pod glusterfs tier=storage")
    assert events(cli, "glusterfs").splitlines()[-1] == (
        "  Warning  FailedMount  0s    kubelet            Unable to attach or mount volumes: unmounted "
        "volumes=[glusterfsvol], unattached volumes=[], failed to process volumes=[glusterfsvol]: context "
        "deadline exceeded")
    assert cli.ok("get pod glusterfs -o jsonpath={.status.phase}") == "Pending"


def test_template_warnings_name_the_template_path(cli):
    deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: rbd}\nspec:\n"
                  "  selector: {matchLabels: {app: rbd}}\n  template:\n    metadata: {labels: {app: rbd}}\n"
                  "    spec:\n      containers: [{name: c, image: nginx}]\n"
                  "      volumes: [{name: rbdpd, rbd: {monitors: ['10.16.154.78:6789'], image: foo}}]\n")
    cli.write("rbd.yaml", deployment)
    assert cli("apply -f rbd.yaml").stderr == (
        "Warning: spec.template.spec.volumes[0].rbd: deprecated in v1.28, non-functional in v1.31+\n")


def test_api_services_are_served(cli):
    assert cli.ok("get apiservices").splitlines()[:5] == [
        "NAME                              SERVICE   AVAILABLE   AGE",
        "v1.                               Local     True        0s",
        "v1.admissionregistration.k8s.io   Local     True        0s",
        "v1.apiextensions.k8s.io           Local     True        0s",
        "v1.apps                           Local     True        0s"]
    assert len(cli.ok("get apiservices -o name").splitlines()) == 20
    assert "apiservices                             apiregistration.k8s.io/v1      false        APIService\n" \
        in cli.ok("api-resources")
