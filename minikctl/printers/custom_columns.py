"""`-o custom-columns=SPEC` and `-o custom-columns-file=FILE`.

Follows kubernetes/kubectl pkg/cmd/get/customcolumn.go: columns are `HEADER:PATH` pairs with
relaxed JSONPath paths; a cell joins every value the path finds with `,`, printed the way Go's
fmt prints them (maps as `map[k:v]`), or `<none>` when it finds nothing; missing keys are always
tolerated. Terminal control characters in cells are escaped as kubectl's EscapeTerminal does
(kubernetes/cli-runtime pkg/printers/terminal.go).
"""

from __future__ import annotations

from minikctl.errors import CommandError
from minikctl.printers import jsonpath
from minikctl.printers.tabwriter import format_rows

Columns = list[tuple[str, jsonpath.Template]]

_FILE_FORMAT = ("Expected format is one line of space separated headers, one line of space "
                "separated column specs.")


def parse_spec(spec: str) -> Columns:
    """Columns from `HEADER:PATH,HEADER:PATH` (split on commas, then on the first colon)."""
    if not spec:
        raise CommandError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, colon, path = part.partition(":")
        if not colon:
            raise CommandError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        columns.append((header, _compile(path)))
    return columns


def parse_file(text: str) -> Columns:
    """Columns from a custom-columns file: a line of headers, then a line of paths."""
    lines = _scanner_lines(text)
    if not lines:
        raise CommandError(f"invalid template, missing header line. {_FILE_FORMAT}")
    if len(lines) < 2:
        raise CommandError(f"invalid template, missing spec line. {_FILE_FORMAT}")
    headers, paths = lines[0].split(), lines[1].split()
    if len(headers) != len(paths):
        raise CommandError(f"number of headers ({len(headers)}) and field specifications "
                           f"({len(paths)}) don't match")
    return [(header, _compile(path)) for header, path in zip(headers, paths)]


def _scanner_lines(text: str) -> list[str]:
    """Lines as Go's bufio.Scanner yields them: no final empty line, trailing CR dropped."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _compile(path: str) -> jsonpath.Template:
    try:
        return jsonpath.parse(jsonpath.relaxed(path))
    except (ValueError, jsonpath.JSONPathParseError) as error:
        raise CommandError(str(error)) from None


def render(columns: Columns, objects: list[dict], no_headers: bool = False) -> str:
    """The table for these objects (one row each), laid out like kubectl's tab writer."""
    rows = [] if no_headers else [[header for header, _ in columns]]
    rows.extend([_cell(template, obj) for _, template in columns] for obj in objects)
    return format_rows(rows)


def _cell(template: jsonpath.Template, obj: dict) -> str:
    try:
        results = template.find_results(obj)
    except jsonpath.JSONPathExecError as error:
        raise CommandError(str(error)) from None
    texts = ["<none>"] if not results or not results[0] else []
    texts.extend(_escape_terminal(jsonpath.go_value(value)) for values in results for value in values)
    return ",".join(texts)


def _escape_terminal(text: str) -> str:
    return text.replace("\x1b", "^[").replace("\r", "\\r")
