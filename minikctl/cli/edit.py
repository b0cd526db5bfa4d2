"""kubectl edit TYPE NAME: the object as YAML in $KUBE_EDITOR/$EDITOR, then an update
(kubernetes/kubectl pkg/cmd/edit/edit.go, pkg/cmd/util/editor/{editoptions.go,editor.go}).

The editor runs without the state lock; the update then checks that nobody changed the object in
between (resourceVersion). An invalid edit reopens the editor with the problems in the header, as
kubectl does, until the file comes back unchanged; a failed edit stores nothing.
"""

from __future__ import annotations

import copy
import os
import shlex
import subprocess
import tempfile

from minikctl import errors
from minikctl.api import server
from minikctl.cli import common
from minikctl.cli import flags as f
from minikctl.cli import selection
from minikctl.cli.mutation import authorize_patch

SUMMARY = "Edit a resource on the server."
FLAGS = common.OUTPUT_FLAGS + common.FILENAME_FLAGS + [
    f.Flag("validate", default="strict", no_value="strict", help="Must be one of: strict (or true), warn, ignore (or false)"),
    f.Flag("field-manager", default="kubectl-edit", help="Name of the manager used to track field ownership."),
    f.Flag("save-config", type=f.BOOL, help="Not supported by minikctl"),
    f.Flag("subresource", help="Not supported by minikctl"),
]
HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n#\n")
# kubectl reopens the editor until the file comes back unchanged; a scripted $EDITOR that changes
# the file every time would never stop, so minikctl gives up after this many rounds.
MAX_ROUNDS = 5
SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "deletionTimestamp")


class EditFailed(errors.MinikctlError):
    """The edit ends with an error whose lines were already printed."""


def run(ctx, parsed: f.Parsed) -> int:
    selection.require_something_named(parsed.args, parsed)
    found = selection.collect(ctx, ctx.read_cluster(), parsed.args, parsed, "retrieving")
    for target in found.missing:
        raise target.not_found()
    if len(found.found) != 1:
        raise errors.CommandError("minikctl edits one object at a time")
    target = found.found[0]
    try:
        return Session(ctx, target.kind, target.obj).run()
    except EditFailed:
        return errors.ERROR


class Session:
    def __init__(self, ctx, kind, original: dict):
        self.ctx, self.kind, self.original = ctx, kind, original
        self.resource = f'{kind.qualified} "{original["metadata"]["name"]}"'
        self.path = _temp_path(ctx.env.environ)

    def run(self) -> int:
        from minikctl.printers.serialize import to_yaml

        original_text = to_yaml(_without_managed_fields(self.original))
        previous, reasons = None, []
        for round_number in range(1, MAX_ROUNDS + 1):
            edited = self.launch(HEADER + "".join(reasons) + (previous or original_text))
            body = strip_comments(edited)
            if previous is not None and (body == strip_comments(previous) or round_number == MAX_ROUNDS):
                self.ctx.env.err(f'A copy of your changes has been stored to "{self.path}"\n')
                raise errors.CommandError("Edit cancelled, no valid changes were saved.")
            if body == strip_comments(original_text) or not body.strip():
                os.remove(self.path)
                cancelled = "no changes made" if body.strip() else "saved file was empty"
                self.ctx.env.err(f"Edit cancelled, {cancelled}.\n")
                return errors.SUCCESS
            reasons = self.problems(body)
            if not reasons:
                return self.save(body)
            previous = body
        raise AssertionError("unreachable: the last round always returns or raises")

    def launch(self, text: str) -> str:
        with open(self.path, "w", encoding="utf-8") as handle:
            handle.write(text)
        status = subprocess.run(_editor_command(self.ctx.env.environ, self.path), env=dict(self.ctx.env.environ)).returncode
        if status != 0:
            raise errors.CommandError(f"there was a problem with the editor {_editor(self.ctx.env.environ)!r}")
        with open(self.path, encoding="utf-8") as handle:
            return handle.read()

    def problems(self, body: str) -> list[str]:
        """Header lines describing why the edited text cannot be saved (empty when it can)."""
        import yaml

        try:
            edited = yaml.safe_load(body)
        except yaml.MarkedYAMLError as problem:
            from minikctl.api.manifests import go_yaml_message

            return [f"# The edited file had a syntax error: error converting YAML to JSON: "
                    f"{go_yaml_message(problem, body)}\n#\n"]
        if not isinstance(edited, dict) or _identity(edited) != _identity(self.original):
            return ["# At least one of apiVersion, kind and name was changed\n#\n"]
        found = _validation_problems(edited)
        if not found:
            self.edited = edited
            return []
        self.ctx.env.err(f"error: {self.resource} is invalid\n")
        causes = getattr(found[0], "causes", None) or [found[0].message]
        return [f"# {self.resource} was not valid:\n"] + [f"# * {cause}\n" for cause in causes] + ["#\n"]

    def save(self, body: str) -> int:
        try:
            with self.ctx.transaction() as cluster:
                changed = self.update(cluster)
        except errors.MinikctlError as problem:
            message = problem.message if isinstance(problem, errors.APIError) else problem.render()
            self.ctx.env.err(f"error: {self.resource} could not be patched: {message}\n"
                             f"You can run `kubectl replace -f {self.path}` to try this update again.\n")
            raise EditFailed(message) from None
        os.remove(self.path)
        if changed:
            self.ctx.env.out(f"{self.kind.name_of(self.original['metadata']['name'])} edited\n")
        else:
            self.ctx.env.out(f"{self.kind.name_of(self.original['metadata']['name'])} skipped\n")
        return errors.SUCCESS

    def update(self, cluster) -> bool:
        meta = self.original["metadata"]
        live = cluster.get(self.kind.key, meta.get("namespace", ""), meta["name"])
        if live is None:
            raise errors.not_found(self.kind.qualified, meta["name"])
        authorize_patch(self.ctx, self.kind, live)
        if live["metadata"].get("resourceVersion") != meta.get("resourceVersion"):
            raise errors.conflict(self.kind.qualified, meta["name"])
        updated = copy.deepcopy(self.edited)
        for field in SERVER_FIELDS:
            updated["metadata"].pop(field, None)
            if field in live["metadata"]:
                updated["metadata"][field] = live["metadata"][field]
        updated.pop("status", None)
        if "status" in live:
            updated["status"] = live["status"]
        return server.update(cluster, updated)


def strip_comments(text: str) -> str:
    """The text without its `#` comment lines (cmdutil.StripComments)."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#"))


def _identity(obj: dict) -> tuple:
    return obj.get("apiVersion"), obj.get("kind"), (obj.get("metadata") or {}).get("name")


def _validation_problems(obj: dict) -> list:
    from minikctl.api.manifests import Document
    from minikctl.api.validation import validate

    return validate(Document("edit", obj), "strict")[0]


def _without_managed_fields(obj: dict) -> dict:
    shown = copy.deepcopy(obj)
    shown["metadata"].pop("managedFields", None)
    return shown


def _editor(environ) -> str:
    return environ.get("KUBE_EDITOR") or environ.get("EDITOR") or "vi"


def _editor_command(environ, path: str) -> list[str]:
    """A bare command, split on spaces, or handed to $SHELL -c when it has quotes (editor.go)."""
    editor = _editor(environ)
    if " " not in editor:
        return [editor, path]
    if not any(c in editor for c in "\"'\\"):
        return editor.split(" ") + [path]
    return [environ.get("SHELL") or "/bin/bash", "-c", f"{editor} {shlex.quote(path)}"]


def _temp_path(environ) -> str:
    """A new file in $TMPDIR (os.CreateTemp("", ...)), which the user may need after a failure."""
    handle, path = tempfile.mkstemp(prefix="kubectl-edit-", suffix=".yaml", dir=environ.get("TMPDIR") or None)
    os.close(handle)
    return path
