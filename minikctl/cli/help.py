"""Help in kubectl's shape, generated from each verb's declared flags.

The same FLAGS list feeds the parser and the help, so `--help` never lists a flag the command refuses.
Layout after cobra's templates as kubectl 1.32 sets them (kubernetes/kubectl pkg/util/templates/templater.go,
pkg/cmd/cmd.go for the root command's groups): description, Examples, Options (`--name=default:` then the
text indented by a tab), Usage, and the pointer to `minikctl options`. Descriptions are kubectl's
one-line summaries; the examples are minikctl's own, runnable against the demo manifests.
"""

from __future__ import annotations

from minikctl.cli import flags as f

PROGRAM = "minikctl"

# The root command's groups, in kubectl's order; verbs minikctl lacks are skipped, verbs not named here
# fall under "Other Commands".
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("Basic Commands (Beginner)", ("create", "expose", "run", "set")),
    ("Basic Commands (Intermediate)", ("explain", "get", "edit", "delete")),
    ("Deploy Commands", ("rollout", "scale", "autoscale")),
    ("Cluster Management Commands", ("certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint")),
    ("Troubleshooting and Debugging Commands", ("describe", "logs", "attach", "exec", "port-forward", "proxy", "cp",
                                                "auth", "debug", "events")),
    ("Advanced Commands", ("diff", "apply", "patch", "replace", "wait", "kustomize")),
    ("Settings Commands", ("label", "annotate", "completion")),
]

USAGES = {
    "get": "get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|"
           "jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] "
           "[NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    "describe": "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
    "run": "run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] "
           "[--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
    "apply": "apply (-f FILENAME | -k DIRECTORY) [options]",
    "create": "create -f FILENAME [options]",
    "replace": "replace -f FILENAME [options]",
    "delete": "delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
    "scale": "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT "
             "(-f FILENAME | TYPE NAME) [options]",
    "rollout": "rollout SUBCOMMAND [options]",
    "set": "set SUBCOMMAND [options]",
    "label": "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N "
             "[--resource-version=version] [options]",
    "annotate": "annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N "
                "[--resource-version=version] [options]",
    "patch": "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
    "edit": "edit (RESOURCE/NAME | -f FILENAME) [options]",
    "wait": "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) "
            "[--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
    "logs": "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    "events": "events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|"
              "jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]",
    "expose": "expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] "
              "[--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] "
              "[--type=type] [options]",
    "exec": "exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
    "cordon": "cordon NODE [options]",
    "uncordon": "uncordon NODE [options]",
    "drain": "drain NODE [options]",
    "autoscale": "autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS "
                 "[--cpu-percent=CPU] [options]",
    "top": "top [flags] [options]",
    "auth": "auth [flags] [options]",
    "api-resources": "api-resources [flags] [options]",
    "netpol-verdict": "netpol-verdict SOURCE_POD DESTINATION_POD --port=PORT [options]",
}

# minikctl's own examples: (what it shows, the command line after the program name).
EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "get": [("The pods of the current namespace, then of every namespace with their nodes", "get pods"),
            ("", "get pods -A -o wide"),
            ("One field of one object, as a script reads it", "get service my-service -n shop -o jsonpath='{.spec.clusterIP}'"),
            ("Deployments and Services together, with their labels", "get deploy,svc -n shop --show-labels")],
    "describe": [("Everything about one Deployment, with its events", "describe deploy web -n shop"),
                 ("Every node", "describe nodes")],
    "run": [("A single nginx pod with a label", "run web --image=nginx:1.27 --labels=app=web"),
            ("The pod as YAML, without creating it", "run web --image=nginx:1.27 --dry-run=client -o yaml")],
    "apply": [("Every manifest of a folder", "apply -f manifests/"),
              ("What would change, checked by the API server without saving", "apply -f manifests/ --dry-run=server")],
    "create": [("Objects from a file", "create -f manifests/10-config.yaml"),
               ("A Deployment of three nginx pods", "create deployment web --image=nginx --replicas=3")],
    "replace": [("Replace an object with the version in a file", "replace -f web.yaml")],
    "delete": [("A Deployment and, through the garbage collector, its ReplicaSets and pods", "delete deploy web -n shop"),
               ("The objects a file describes", "delete -f manifests/20-web.yaml"),
               ("Every pod labelled app=web", "delete pods -l app=web")],
    "scale": [("Five replicas of the web Deployment", "scale deploy web -n shop --replicas=5")],
    "rollout": [("Roll out a new image and follow it", "set image deploy/web nginx=nginx:1.28 -n shop"),
                ("", "rollout status deploy/web -n shop"),
                ("Go back to the previous revision", "rollout undo deploy/web -n shop")],
    "set": [("A new image for the nginx container", "set image deploy/web nginx=nginx:1.28 -n shop"),
            ("An environment variable on every container", "set env deploy/web MODE=fast -n shop")],
    "label": [("Add a label, then change it", "label pod web-0 tier=front"),
              ("", "label pod web-0 tier=back --overwrite"), ("Remove it", "label pod web-0 tier-")],
    "annotate": [("Record why a Deployment changed", "annotate deploy web -n shop kubernetes.io/change-cause='nginx 1.28'")],
    "patch": [("Scale through a strategic merge patch", "patch deploy web -n shop -p '{\"spec\":{\"replicas\":2}}'")],
    "edit": [("Edit a Service in $EDITOR", "edit svc my-service -n shop")],
    "wait": [("Until the web Deployment is available", "wait deploy/web -n shop --for=condition=Available --timeout=60s")],
    "logs": [("What the logs of a pod would be (minikctl runs no application)", "logs web-0")],
    "events": [("The events of a namespace, oldest first", "events -n shop"),
               ("Only warnings, about one Deployment", "events -n shop --types=Warning --for deploy/web")],
    "expose": [("A ClusterIP Service in front of a Deployment", "expose deploy web -n shop --port=80 --name=front")],
    "exec": [("Resolve a Service's name from inside a pod", "exec -n shop deploy/web -- nslookup my-service"),
             ("Fetch a page through the Service", "exec -n shop deploy/web -- curl -s http://my-service")],
    "cordon": [("Keep new pods off a node", "cordon kind-worker")],
    "uncordon": [("Let pods be scheduled on the node again", "uncordon kind-worker")],
    "drain": [("Empty a node for maintenance; its pods move to other nodes", "drain kind-worker --ignore-daemonsets")],
    "autoscale": [("Between 2 and 10 replicas, aiming at 80% CPU", "autoscale deploy web -n shop --min=2 --max=10 --cpu-percent=80")],
    "top": [("CPU and memory of the nodes, then of a namespace's pods", "top node"), ("", "top pod -n shop")],
    "auth": [("May jane list pods in shop?", "auth can-i list pods -n shop --as=jane"), ("Who am I?", "auth whoami")],
    "api-resources": [("Every resource the simulated API server serves", "api-resources"),
                      ("Only those of the apps group", "api-resources --api-group=apps")],
    "netpol-verdict": [("Why can (or cannot) web reach the database on 5432?",
                        "netpol-verdict -n shop web-7b796ff7c7-4pdkj db-0 --port 5432")],
}

OPTIONS_FOOTER = f'Use "{PROGRAM} options" for a list of global command-line options (applies to all commands).\n'


def root_help(commands: dict[str, str], own: dict[str, str]) -> str:
    """`minikctl --help`: kubectl's groups with their one-line summaries, then minikctl's own commands."""
    import importlib

    summaries = {verb: _short(importlib.import_module(module).SUMMARY) for verb, module in commands.items()}
    width = max(16, max(len(verb) for verb in [*summaries, *own]) + 3)
    lines = [f"{PROGRAM} controls a simulated Kubernetes cluster: kubectl's verbs against a local state file.", ""]
    placed: set[str] = set()
    for title, verbs in GROUPS:
        present = [verb for verb in verbs if verb in summaries]
        if present:
            lines += [f"{title}:", *_listing(present, summaries, width), ""]
            placed.update(present)
    others = [verb for verb in summaries if verb not in placed and verb != "netpol-verdict"]
    if others:
        lines += ["Other Commands:", *_listing(sorted(others), summaries, width), ""]
    own = {**own, "netpol-verdict": summaries.get("netpol-verdict", "")}
    lines += [f"{PROGRAM}'s own commands:", *_listing(list(own), own, width), ""]
    lines += ["Usage:", f"  {PROGRAM} [flags] [options]", "",
              f'Use "{PROGRAM} <command> --help" for more information about a given command.']
    return "\n".join(lines) + "\n" + OPTIONS_FOOTER


def _short(summary: str) -> str:
    return summary.rstrip(".")


def _listing(verbs: list[str], summaries: dict[str, str], width: int) -> list[str]:
    """Names padded to one width across every group, as cobra pads them."""
    return [f"  {verb.ljust(width - 2)}{summaries[verb]}" for verb in verbs]


def verb_help(verb: str, module, args: list[str]) -> str:
    """`minikctl VERB [SUBCOMMAND] --help`: exactly the flags that command accepts."""
    subcommand, declared = _subcommand_flags(module, args)
    path = f"{verb} {subcommand}" if subcommand else verb
    text = [module.SUMMARY, ""]
    examples = [] if subcommand else _examples(verb)
    if examples:
        text += ["Examples:", *examples, ""]
    if declared:
        text += ["Options:", options_text(declared)]
    usage = USAGES.get(verb, f"{path} [options]") if not subcommand else f"{path} [options]"
    text += ["Usage:", f"  {PROGRAM} {usage}", "", OPTIONS_FOOTER]
    return "\n".join(text)


def _examples(verb: str) -> list[str]:
    """Each example a `# comment` line then its command; a comment-less entry continues the one before."""
    lines: list[str] = []
    for comment, command in EXAMPLES.get(verb, []):
        if comment:
            lines += ([""] if lines else []) + [f"  # {comment}"]
        lines.append(f"  {PROGRAM} {command}")
    return lines


def _subcommand_flags(module, args: list[str]) -> tuple[str, list[f.Flag]]:
    """A group verb's subcommand (rollout status, set image) and the flags that subcommand parses."""
    subcommands = getattr(module, "SUBCOMMANDS", None) or {}
    positionals = [arg for arg in args if not arg.startswith("-")]
    chosen = positionals[0] if positionals and positionals[0] in subcommands else ""
    flags_for = getattr(module, "flags_for", None)
    return chosen, list(flags_for(positionals) if flags_for else module.FLAGS)


def options_text(declared: list[f.Flag]) -> str:
    """Flags sorted by name, each `    -s, --name=default:` then its text after a tab, a blank line between."""
    blocks = []
    for flag in sorted(declared, key=lambda fl: fl.name):
        if flag.name == "help":
            continue
        short = f"-{flag.short}, " if flag.short else ""
        blocks.append(f"    {short}--{flag.name}={_default(flag)}:\n\t{flag.help}\n")
    return "\n".join(blocks)


def _default(flag: f.Flag) -> str:
    """The default as cobra prints it: strings quoted, booleans and numbers bare, lists in brackets."""
    if flag.type == f.BOOL:
        return "true" if flag.default else "false"
    if flag.type == f.INT:
        return str(flag.default if flag.default is not None else 0)
    if flag.type in (f.SLICE, f.ARRAY):
        return "[" + ",".join(flag.default or []) + "]"
    if flag.type == f.DURATION:
        return flag.default or "0s"
    return f"'{flag.default or ''}'"


def options_help(global_flags: list[f.Flag]) -> str:
    """`minikctl options`: the flags every command accepts."""
    return "The following options can be passed to any command:\n\n" + options_text(global_flags) + "\n"
