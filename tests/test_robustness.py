"""Bad input never crashes minikctl nor changes the state: a bounded, seeded fuzz of the real CLI.

(a) manifests from manifests/ and tests/data/defaults/ mutated field by field (wrong types, nulls, huge
and negative numbers, unicode, deleted and unknown fields) and as text (truncations, tabs, indentation,
unclosed brackets), alone and mixed with good documents; (b) bad invocations of every verb, table-driven,
plus seeded random argument lists, against a state made from manifests/.

Every case: no traceback or Python exception name in the output, exit code 0 or 1, and after a
non-zero exit the state file byte for byte as before.
"""

from __future__ import annotations

import copy
import json
import random
import re
import shlex
from pathlib import Path

import pytest
import yaml

from minikctl.cli.main import COMMANDS
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "manifests").glob("*.yaml")) + sorted((ROOT / "tests/data/defaults").glob("*.in.yaml"))
LEAKS = re.compile(r"Traceback|\b(Key|Type|Attribute|Value|Index|Name|ZeroDivision|Overflow|Recursion|Unicode"
                   r"\w*|Assertion|Lookup|Runtime|NotImplemented)Error\b")
BAD_VALUES = ["x", 1, -1, 0, 2**70, -2**70, 1.5, True, None, [], {}, ["a"], {"a": 1}, "", "ünï☃ 名前", "-1", 1e300]
WRITTEN = re.compile(r" (created|configured|replaced)( \(server dry run\))?$", re.M)
EDITOR = "true"  # `edit` cases open an editor that changes nothing


class Fuzz(Cli):
    """A state built from manifests/ once; every case starts from it and is checked against it."""

    def __init__(self, folder):
        super().__init__(folder)
        self.environ["KUBE_EDITOR"] = EDITOR
        for source in sorted((ROOT / "manifests").glob("*.yaml")):
            self.write(f"manifests/{source.name}", source.read_text())
        assert self("apply -f manifests").exit_code == 0
        self.snapshot = self.state_bytes()
        self.failures: list[str] = []

    def check(self, argv: list[str], stdin: str = "", about: str = "", partial: bool = False,
              start: bytes | None = None) -> None:
        """partial: a multi-object request, which kubectl sends object by object, may fail after storing
        the objects it reports on stdout. start: the state to run from (default: the one from manifests/)."""
        start = start or self.snapshot
        Path(self.state_path).write_bytes(start)
        try:
            result = self(argv, stdin)
        except Exception as crash:  # the harness records the crash; run() itself never catches
            self.failures.append(f"{shlex.join(argv)} {about}: crashed with {type(crash).__name__}: {crash}")
            return
        output = result.stdout + result.stderr
        if LEAKS.search(output):
            self.failures.append(f"{shlex.join(argv)} {about}: leaked {LEAKS.search(output).group(0)}:\n{output}")
        elif result.exit_code not in (0, 1) and not remote_exit(result):
            self.failures.append(f"{shlex.join(argv)} {about}: exit code {result.exit_code}")
        elif result.exit_code != 0 and self.state_bytes() != start and not (partial and WRITTEN.search(result.stdout)):
            self.failures.append(f"{shlex.join(argv)} {about}: failed ({output.strip()}) but changed the state")

    def check_manifest(self, verb: str, text: str, suffix: str = "yaml", partial: bool = False) -> None:
        self.write(f"case.{suffix}", text)
        self.check([verb, "-f", f"case.{suffix}"], about=text[:300], partial=partial)

    def assert_clean(self) -> None:
        if self.failures:
            pytest.fail(f"{len(self.failures)} failures:\n" + "\n\n".join(self.failures[:20]), pytrace=False)


def remote_exit(result) -> bool:
    """`exec` exits with its command's code, as kubectl does (`command terminated with exit code N`)."""
    return result.stderr.endswith(f"command terminated with exit code {result.exit_code}\n")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Fuzz:
    return Fuzz(tmp_path_factory.mktemp("robustness"))


@pytest.fixture
def fuzz(base) -> Fuzz:
    base.failures = []
    return base


def good_documents() -> list[dict]:
    return [doc for source in SOURCES for doc in yaml.safe_load_all(source.read_text())
            if isinstance(doc, dict) and doc.get("kind")]


def field_paths(node, prefix: tuple = ()) -> list[tuple]:
    """Every path below the root: map keys and list indexes."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return [path for key, child in children for path in [prefix + (key,)] + field_paths(child, prefix + (key,))]


def parent_of(doc: dict, path: tuple):
    for key in path[:-1]:
        doc = doc[key]
    return doc


def mutate(doc: dict, rng: random.Random) -> dict:
    """One structural change: a bad value, a deleted field or an unknown field at a random place."""
    doc = copy.deepcopy(doc)
    path = rng.choice(field_paths(doc))
    parent, roll = parent_of(doc, path), rng.random()
    if roll < 0.7:
        parent[path[-1]] = copy.deepcopy(rng.choice(BAD_VALUES))
    elif roll < 0.85:
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent["unknownField" + str(rng.randrange(3))] = rng.choice(BAD_VALUES)
    return doc


def dump(doc: dict, rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.3:
        return json.dumps(doc, indent=rng.choice([None, 2])), "json"
    return yaml.safe_dump(doc, allow_unicode=True, default_flow_style=rng.choice([False, None])), "yaml"


def break_text(text: str, rng: random.Random) -> str:
    """One textual corruption of a manifest."""
    lines = text.splitlines(keepends=True)
    at = rng.randrange(len(lines))
    damage = rng.choice([
        lambda: text[:rng.randrange(1, len(text))],
        lambda: "".join(lines[:at] + ["\t" + lines[at]] + lines[at + 1:]),
        lambda: "".join(lines[:at] + [" " * rng.randrange(1, 4) + lines[at]] + lines[at + 1:]),
        lambda: "".join(lines[:at] + [lines[at].lstrip()] + lines[at + 1:]),
        lambda: "".join(lines[:at] + [lines[at].rstrip("\n") + rng.choice(["[", "{", "'", '"', ": :", " &a", " *b", "\\"]) + "\n"] + lines[at + 1:]),
        lambda: "".join(lines[:at] + [rng.choice(["---\n", "--- x\n", "- a\n", "{]\n", "%YAML 9\n", "...\n"])] + lines[at:]),
        lambda: text.replace(":", "", 1) if rng.random() < 0.5 else text.replace("\n", "\n  ", 1),
    ])
    return damage()


DOCUMENTS = good_documents()


def test_fuzz_sources_are_the_project_manifests():
    assert len(DOCUMENTS) >= 15 and {"Deployment", "StatefulSet", "Service", "Job"} <= {d["kind"] for d in DOCUMENTS}


@pytest.mark.parametrize("verb", ["apply", "create", "replace"])
def test_mutated_manifests(fuzz, verb):
    rng = random.Random(f"mutated-{verb}")
    for _ in range(250):
        text, suffix = dump(mutate(rng.choice(DOCUMENTS), rng), rng)
        fuzz.check_manifest(verb, text, suffix)
    fuzz.assert_clean()


@pytest.mark.parametrize("verb", ["apply", "create", "replace"])
def test_broken_text(fuzz, verb):
    rng = random.Random(f"broken-{verb}")
    for _ in range(150):
        text, suffix = dump(rng.choice(DOCUMENTS), rng)
        # a stream broken after a whole object still sends that object, as kubectl's decoder does
        fuzz.check_manifest(verb, break_text(text, rng), suffix, partial=True)
    fuzz.assert_clean()


def test_multi_document_mixes(fuzz):
    rng = random.Random("mixes")
    for _ in range(80):
        good = [yaml.safe_dump(rng.choice(DOCUMENTS)) for _ in range(rng.randrange(1, 4))]
        bad = rng.choice([lambda: yaml.safe_dump(mutate(rng.choice(DOCUMENTS), rng)),
                          lambda: break_text(yaml.safe_dump(rng.choice(DOCUMENTS)), rng),
                          lambda: rng.choice(["", "null\n", "- 1\n", "42\n", "kind: List\nitems: [1, {}]\n"])])()
        good.insert(rng.randrange(len(good) + 1), bad)
        fuzz.check_manifest(rng.choice(["apply", "create", "replace"]), "---\n".join(good), partial=True)
    fuzz.assert_clean()


def test_mutated_manifests_through_stdin_and_dry_runs(fuzz):
    rng = random.Random("stdin")
    for _ in range(60):
        text, _ = dump(mutate(rng.choice(DOCUMENTS), rng), rng)
        flags = rng.choice([[], ["--dry-run=server"], ["--dry-run=client"], ["--validate=false"],
                            ["--validate=warn"], ["--server-side"], ["-o", "yaml"]])
        fuzz.check(["apply", "-f", "-"] + flags, stdin=text, about=text[:300])
    fuzz.assert_clean()


def test_accepted_odd_objects_can_be_read_and_operated_on(fuzz):
    """A mutation the server accepts (unicode, empty strings, extreme numbers in range) is stored; every
    printer, describer and controller must then cope with it."""
    rng = random.Random("accepted")
    for _ in range(150):
        doc = mutate(rng.choice(DOCUMENTS), rng)
        fuzz.write("case.yaml", yaml.safe_dump(doc, allow_unicode=True))
        Path(fuzz.state_path).write_bytes(fuzz.snapshot)
        if fuzz(["apply", "-f", "case.yaml"]).exit_code != 0:
            continue
        stored, kind = fuzz.state_bytes(), str(doc["kind"])
        for verb in (["describe", kind, "-A"], ["get", kind, "-A", "-o", "wide"], ["get", "all", "-A", "--show-labels"],
                     ["top", "pods", "-A"], ["drain", "kind-worker", "--ignore-daemonsets", "--force", "--delete-emptydir-data"]):
            fuzz.check(verb, start=stored, about=yaml.safe_dump(doc)[:300])
    fuzz.assert_clean()


# ------------------------------------------------------------------------------ invocations

# Shared by every verb: kubectl's generic ways of going wrong.
COMMON_BAD = ["", "--bogus", "-Z", "--namespace", "-n nosuchns", "nosuchtype", "pods nosuchpod", "deploy/nosuch",
              "-o", "-o bogus", "-o jsonpath={.x", "-o jsonpath-file=missing.txt", "-o custom-columns=A",
              "-o custom-columns=A:{.x", "-l 'a in (b'", "-l '!!'", "--selector=a=b=c", "--field-selector='==='",
              "--field-selector=spec.bogus=1", "-f missing.yaml", "-f", "--state", "--as=", "--as=nobody",
              "--timeout=xyz", "--replicas=-1", "--replicas=abc", "--dry-run=maybe", "--all --selector=a=b",
              "-A -n shop", "--help=maybe", "--sort-by={.x", "--sort-by=.metadata.bogus[", "deploy", "web",
              "-- ", "--=x", "'--output=go-template={{'", "--cascade=sideways", "--grace-period=abc",
              "--output-watch-events", "--watch", "'ünï☃'", "deploy/web --namespace=shop -o name extra args"]

PER_VERB = {
    "get": ["pods -o jsonpath='{range .items[*]}{.x'", "pods -o 'jsonpath={.items[?(@.x==)]}'",
            "pods -o jsonpath-as-json='{'", "pods -o custom-columns-file=missing.txt", "pods -L ''",
            "pods --sort-by='{.metadata.name' -A", "pods -o 'custom-columns=:{.x}'", "all -A -o wide --show-labels",
            "pods,svc,nosuch -n shop", "pods/ -n shop", "/web -n shop", "deploy,svc web -n shop",
            "pods -o jsonpath='{.items[99].x}' -n shop", "pods -o jsonpath='{.items[-99]}' -n shop",
            "pods -o jsonpath='{.items[0:-1:0]}' -n shop", "pods -l 'app notin ()' -n shop",
            "pods -o jsonpath='{.items[*].metadata.name}{\"\\n\"}' -n shop --sort-by=.spec.containers",
            "svc --field-selector=metadata.name!=x,,", "nodes -o jsonpath='{..name}' --chunk-size=-1"],
    "describe": ["pods -l =x", "nodes nosuch", "deploy", "svc -n shop --selector='a,(b'"],
    "apply": ["-f manifests -o jsonpath='{.x'", "--prune -f manifests", "-f manifests --validate=sometimes",
              "-k nosuch", "-f - --server-side --force-conflicts=maybe"],
    "create": ["deployment", "deployment x --image=", "deployment x --image=nginx --replicas=-2",
               "deployment X_Y --image=nginx", "deployment x --image=nginx --port=70000",
               "configmap c --from-literal=noequals", "configmap c --from-file=missing",
               "configmap c --from-env-file=missing", "secret", "secret generic s --from-literal==v",
               "secret tls t", "service", "service clusterip s --tcp=abc", "service nodeport s --tcp=80:x",
               "service clusterip s --tcp=99999", "job j", "job j --from=cronjob/nosuch", "job j --image=busybox -- ",
               "namespace", "namespace UPPER", "namespace a b", "serviceaccount", "serviceaccount Bad_Name",
               "cronjob c --image=x --schedule='bad'", "quota q --hard=cpu=abc"],
    "replace": ["-f manifests --force --grace-period=x", "--subresource=bogus -f manifests"],
    "delete": ["pods --all --selector=a", "deploy web -n shop --cascade=bogus", "pods --grace-period=-5 --all",
               "--all", "pods --all -A --field-selector=bogus", "ns default kube-system --dry-run=bogus"],
    "scale": ["deploy/web -n shop", "deploy/web -n shop --replicas=2147483648", "svc/my-service -n shop --replicas=1",
              "deploy/web -n shop --replicas=1 --current-replicas=99", "--replicas=1", "deploy --all --replicas=1 -l a"],
    "rollout": ["", "bogus", "status", "status deploy/nosuch -n shop", "history deploy/web -n shop --revision=99",
                "history deploy/web -n shop --revision=abc", "undo deploy/web -n shop --to-revision=-1",
                "undo deploy/web -n shop --to-revision=99", "undo svc/my-service -n shop", "restart svc/my-service -n shop",
                "pause", "resume job/nosuch", "status deploy/web -n shop --timeout=-1s", "status ds --watch=maybe"],
    "set": ["", "bogus", "image", "image deploy/web -n shop", "image deploy/web -n shop =x", "image deploy/web -n shop nosuch=x",
            "image deploy/web -n shop 'nginx=Bad Image'", "env deploy/web -n shop", "env deploy/web -n shop 1BAD=x",
            "env deploy/web -n shop --from=configmap/nosuch", "env deploy/web -n shop A", "env deploy/web -n shop A- B=",
            "resources deploy/web -n shop --limits=cpu=abc", "resources deploy/web -n shop --requests=nokey",
            "resources deploy/web -n shop --limits=cpu=1 --requests=cpu=2", "resources svc/my-service -n shop --limits=cpu=1"],
    "label": ["pods", "deploy web -n shop", "deploy web -n shop 'bad key!=x'", "deploy web -n shop a=b a=c",
              "deploy web -n shop app=other", "deploy web -n shop a=" + "x" * 70, "deploy web -n shop --overwrite=maybe a=b",
              "deploy web -n shop a- a=b", "deploy web -n shop ==", "deploy web -n shop --all a=b",
              "deploy web -n shop --resource-version=abc a=b", "deploy web -n shop -o jsonpath='{' a=b"],
    "annotate": ["deploy web -n shop", "deploy web -n shop '=x'", "deploy web -n shop a=b a=c",
                 "deploy web -n shop --resource-version=1 a=b", "deploy web -n shop kubectl.kubernetes.io/=x"],
    "patch": ["deploy web -n shop", "deploy web -n shop -p '{'", "deploy web -n shop -p '[]'", "deploy web -n shop -p 'null'",
              "deploy web -n shop -p '{\"spec\":{\"replicas\":\"x\"}}'", "deploy web -n shop -p '{\"spec\":null}'",
              "deploy web -n shop --type=bogus -p '{}'", "deploy web -n shop --type=json -p '{}'",
              "deploy web -n shop --type=json -p '[{\"op\":\"bogus\"}]'", "deploy web -n shop --type=json -p '[1]'",
              "deploy web -n shop --type=json -p '[{\"op\":\"remove\",\"path\":\"/nope/x\"}]'",
              "deploy web -n shop --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/9\",\"value\":1}]'",
              "deploy web -n shop --type=json -p '[{\"op\":\"add\",\"path\":\"spec\",\"value\":1}]'",
              "deploy web -n shop --type=merge -p '{\"metadata\":{\"name\":\"other\"}}'",
              "deploy web -n shop -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":null}]}}}}'",
              "deploy web -n shop -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"$patch\":\"bogus\"}]}}}}'",
              "deploy web -n shop -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[null]}}}}'",
              "deploy web -n shop -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":\"x\"}}}}'",
              "deploy web -n shop --patch-file=missing.json", "deploy web -n shop -p '{}' --subresource=bogus",
              "deploy web -n shop --type=merge -p '{\"spec\":{\"replicas\":99999999999}}'"],
    "edit": ["", "deploy/nosuch -n shop", "deploy/web -n shop -o bogus", "deploy/web -n shop --validate=bogus"],
    "wait": ["", "deploy/web -n shop", "deploy/web -n shop --for=bogus", "deploy/web -n shop --for=condition=",
             "deploy/web -n shop --for=jsonpath='{.x'", "deploy/web -n shop --for=jsonpath='{.status}'=",
             "deploy/web -n shop --for=condition=Available --timeout=abc", "pods --all -A --for=delete --timeout=0",
             "deploy/web -n shop --for=create --timeout=-5s"],
    "logs": ["", "nosuch", "deploy/web -n shop --tail=abc", "deploy/web -n shop --since=xyz", "-l 'a in ('"],
    "events": ["--for=bogus", "--for=pod/nosuch", "--types=Bogus", "-o jsonpath='{'", "--watch-only=maybe"],
    "expose": ["", "deploy web -n shop", "deploy web -n shop --port=abc", "deploy web -n shop --port=70000 --name=x",
               "deploy web -n shop --type=Bogus --port=1 --name=y", "deploy web -n shop --port=1 --name=Bad_Name",
               "deploy web -n shop --port=1 --target-port=99999 --name=z", "configmap web-config -n shop --port=1",
               "deploy web -n shop --port=1 --protocol=bogus --name=w", "deploy web -n shop --port=1 --selector='a in ('"],
    "exec": ["", "nosuch -- ls", "deploy/web -n shop", "deploy/web -n shop -- ", "deploy/web -n shop -c nosuch -- ls",
             "deploy/web -n shop -- curl", "deploy/web -n shop -- curl -s http://[::1", "deploy/web -n shop -- nslookup",
             "deploy/web -n shop -- wget -O- 'http://my-service:abc'", "deploy/web -n shop -- curl http://my-service:99999"],
    "cordon": ["nosuch", "", "kind-worker --selector='a,('", "pods kind-worker"],
    "uncordon": ["nosuch", "", "--all --selector=x"],
    "drain": ["", "nosuch", "kind-worker --timeout=abc", "kind-worker --grace-period=abc", "kind-worker --pod-selector='a in ('",
              "kind-worker --delete-emptydir-data=maybe", "kind-worker --ignore-daemonsets --disable-eviction=maybe"],
    "autoscale": ["", "deploy/web -n shop", "deploy/web -n shop --max=0", "deploy/web -n shop --max=2 --min=5",
                  "deploy/web -n shop --max=abc", "deploy/web -n shop --max=3 --cpu-percent=-5",
                  "svc/my-service -n shop --max=3", "deploy/web -n shop --max=3 --name=Bad_Name"],
    "top": ["", "bogus", "pod nosuch", "node nosuch", "pod --sort-by=bogus", "node --sort-by=bogus",
            "pod -l 'a in ('", "pod --containers=maybe"],
    "auth": ["", "bogus", "can-i", "can-i get", "can-i bogus nosuchtype", "can-i get pods --subresource=x --list",
             "can-i --list get", "whoami -o bogus", "can-i get pods --as=x --as-group=", "can-i '*' '*' --all-namespaces"],
    "api-resources": ["-o bogus", "--namespaced=maybe", "--api-group=nosuch", "--sort-by=bogus", "--verbs=x -o name"],
    "run": ["", "p", "p --image=", "P_Q --image=nginx", "p --image=nginx --port=abc", "p --image=nginx --port=99999",
            "p --image=nginx --restart=Sometimes", "p --image=nginx -l 'a b'", "p --image=nginx --env=NOEQUALS",
            "p --image=nginx --annotations==x", "p --image=nginx --image-pull-policy=Bogus", "p --image=nginx -it",
            "p --image=nginx --command", "p --image=nginx --dry-run=bogus", "p --image='bad image'",
            "p --image=nginx --overrides='{'", "p --image=nginx -n nosuchns", "p --image=nginx -o jsonpath='{'"],
    "netpol-verdict": ["", "a", "a b", "a b --port=abc", "pod/nosuch pod/nosuch2 --port=80",
                       "shop/web shop/db --port=99999", "a b --port=80 --protocol=bogus"],
}


# Verbs that run until stopped: their own tests start and stop them (serve: tests/test_serve.py).
LONG_RUNNING = {"serve"}
FUZZED = sorted(set(COMMANDS) - LONG_RUNNING)


def invocations() -> list[tuple[str, str]]:
    table = [(verb, case) for verb in FUZZED for case in COMMON_BAD + PER_VERB.get(verb, [])]
    return table + [("nosuchverb", ""), ("--namespace", ""), ("-n", "")]


def test_every_verb_has_its_own_cases():
    assert set(PER_VERB) == set(FUZZED)


def test_bad_invocations(fuzz):
    for verb, case in invocations():
        fuzz.check([verb] + shlex.split(case))
    fuzz.assert_clean()


TOKENS = ["pods", "deploy", "deploy/web", "svc/my-service", "web", "db", "statefulset/db", "nodes", "kind-worker",
          "-n", "shop", "-A", "-o", "yaml", "json", "name", "wide", "-l", "app=web", "a!=", "--all", "--dry-run=server",
          "--replicas=0", "--replicas", "x=y", "x-", "--", "-f", "manifests", "manifests/20-web.yaml", "--for=delete",
          "--timeout=0", "-p", "{}", "--type=json", "[]", "--port=80", "--to-revision=1", "--force", "-c", "nginx",
          "curl", "ls", "--selector", "--field-selector=metadata.name=web", "--sort-by=.metadata.name", "-w", "''",
          "--show-labels", "-L", "app", "--image=x", "nginx=nginx:1", "--overwrite", "--list", "get", "*", "-"]


def test_random_argument_lists(fuzz):
    rng = random.Random("argv")
    for _ in range(300):
        verb = rng.choice(FUZZED)
        fuzz.check([verb] + [rng.choice(TOKENS) for _ in range(rng.randrange(6))])
    fuzz.assert_clean()


# ------------------------------------------------------------------- regressions found by the fuzz

POD_WITH_NULL_CONTAINER = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [null]
"""


def test_a_null_list_item_is_an_empty_object_for_validation(cli):
    cli.write("pod.yaml", POD_WITH_NULL_CONTAINER)
    cli.ok("get ns")
    cli.fails("apply -f pod.yaml", 'The Pod "p" is invalid: \n* spec.containers[0].name: Required value\n'
                                   "* spec.containers[0].image: Required value\n")


def test_null_fields_are_absent_and_null_map_values_empty(cli):
    cli.write("objects.yaml", """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: null
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}, annotations: null}
    spec: {containers: [{name: c, image: nginx}], tolerations: null}
---
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData: {a: null}
""")
    assert cli.ok("apply -f objects.yaml") == "deployment.apps/web created\nsecret/s created\n"
    assert cli.ok("get deploy web -o jsonpath={.spec.replicas}") == "1"
    assert cli.ok("get secret s -o jsonpath={.data}") == '{"a":""}'


def test_a_null_template_metadata_is_refused_as_unlabelled(cli):
    cli.write("deploy.yaml", """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: null
  selector: {matchLabels: {app: web}}
  template:
    metadata: null
    spec: {containers: [{name: c, image: nginx}], tolerations: null}
""")
    cli.ok("get ns")
    cli.fails("apply -f deploy.yaml", 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
                                      "map[string]string(nil): `selector` does not match template `labels`\n")


def test_a_claim_template_without_a_name_fails_to_create_its_claim(cli):
    cli.apply("db.yaml", """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: postgres}]}
  volumeClaimTemplates:
  - spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
""")
    assert cli.ok("get pods,pvc -o name") == ""
    assert cli.ok("get events -o jsonpath={.items[*].message}") == (
        'create Claim -db-0 for Pod db-0 in StatefulSet db failed error: PersistentVolumeClaim "-db-0" is invalid: '
        'metadata.name: Invalid value: "-db-0": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
        "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def test_a_replication_controller_is_validated_like_its_pods(cli):
    cli.write("rc.yaml", """apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  selector: {app: rc}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{}]}
""")
    cli.ok("get ns")
    cli.fails("apply -f rc.yaml", 'The ReplicationController "rc" is invalid: \n'
              "* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not "
              "match template `labels`\n* spec.template.spec.containers[0].name: Required value\n"
              "* spec.template.spec.containers[0].image: Required value\n")


def test_an_autoscaler_metric_needs_its_source(cli):
    cli.write("hpa.yaml", """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
  metrics: [{type: Resource}, {type: Pods, pods: {}}, {type: Bogus}]
""")
    cli.ok("get ns")
    cli.fails("apply -f hpa.yaml", 'The HorizontalPodAutoscaler "h" is invalid: \n'
              "* spec.metrics[0].resource: Required value: must populate information for the given metric source\n"
              "* spec.metrics[1].pods.metric.name: Required value: must specify a metric name\n"
              "* spec.metrics[1].pods.target.type: Required value: must specify a metric target type\n"
              '* spec.metrics[2].type: Unsupported value: "Bogus": supported values: "ContainerResource", "External", '
              '"Object", "Pods", "Resource"\n')


# ------------------------------------------------------------------------- the last-resort guard

def test_an_internal_error_is_one_line_from_main_and_saves_nothing(cli, monkeypatch, capsys):
    from minikctl import controllers
    from minikctl.cli import main

    cli.apply("web.yaml", POD_WITH_NULL_CONTAINER.replace("[null]", "[{name: c, image: nginx}]"))
    before = cli.state_bytes()

    def crash(cluster):
        raise KeyError("boom")

    monkeypatch.setattr(controllers, "reconcile", crash)
    monkeypatch.setattr("sys.argv", ["minikctl", "--state", cli.state_path, "label", "pod", "p", "a=b"])
    monkeypatch.setenv("MINIKCTL_NOW", "2026-11-25T12:00:00Z")
    assert main.main() == 1
    assert capsys.readouterr() == ("", "error: internal error in minikctl: KeyError: 'boom' (please report it)\n")
    assert cli.state_bytes() == before


def test_run_itself_lets_an_internal_error_through(cli, monkeypatch):
    from minikctl import controllers

    cli.apply("web.yaml", POD_WITH_NULL_CONTAINER.replace("[null]", "[{name: c, image: nginx}]"))
    monkeypatch.setattr(controllers, "reconcile", lambda cluster: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cli("label pod p a=b")
