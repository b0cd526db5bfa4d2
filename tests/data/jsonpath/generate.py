"""Regenerate the expected outputs in cases.jsonl with the kubectl oracle.

Each line of cases.jsonl is a case: {"input": <name of a .json file here>, "template": ...,
"unordered": true when kubectl's output order is random (Go map order)} plus the recorded result
of real kubectl: "stdout", and "stderr" (its first line) and "exit" when it failed.

    python tests/data/jsonpath/generate.py      (needs kubectl and /work/shared/tools/kubectl-jsonpath)
"""
import functools
import importlib.machinery
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.environ.get("JSONPATH_ORACLE", "/work/shared/tools/kubectl-jsonpath")


@functools.cache
def _oracle():
    loader = importlib.machinery.SourceFileLoader("kubectl_jsonpath_oracle", ORACLE)
    return loader.load_module()


def _oracle_rewrite(template: str):
    return _oracle().rewrite(template)


def _go_quote(text: str) -> str:
    """strconv.Quote for the templates used here (printable text plus tab and newline)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\t", "\\t").replace("\n", "\\n") + '"'


def _unwrap_error(line: str, template: str) -> str:
    """The oracle puts the template back into kubectl's message, but misses the %q-quoted
    copy when quoting changed it; undo its rewrite there too."""
    rewritten = _oracle_rewrite(template)
    if rewritten is None:
        return line
    return line.replace(_go_quote(rewritten), _go_quote(template))


def run_oracle(template: str, input_name: str) -> dict:
    process = subprocess.run([ORACLE, template, os.path.join(HERE, input_name + ".json")],
                             capture_output=True)
    result = {"exit": process.returncode, "stdout": process.stdout.decode("utf-8", "surrogateescape")}
    if process.returncode:
        first_line = process.stderr.decode("utf-8", "surrogateescape").split("\n")[0]
        result["stderr"] = _unwrap_error(first_line, template)
    return result


def main() -> None:
    path = os.path.join(HERE, "cases.jsonl")
    with open(path, encoding="utf-8") as handle:
        cases = [json.loads(line) for line in handle if line.strip()]
    recorded = []
    for case in cases:
        spec = {key: case[key] for key in ("input", "template", "unordered") if key in case}
        spec.update(run_oracle(case["template"], case["input"]))
        recorded.append(json.dumps(spec, ensure_ascii=False) + "\n")
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(recorded)


if __name__ == "__main__":
    main()
