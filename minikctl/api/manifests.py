"""Reading `-f` manifests the way kubectl 1.32 does: files, directories, stdin, YAML and JSON streams.

kubectl's resource builder (kubernetes/cli-runtime pkg/resource/visitor.go) expands paths, then
decodes each file with apimachinery's YAMLOrJSONDecoder (kubernetes/apimachinery
pkg/util/yaml/decoder.go): a stream whose first non-space character is `{` is read as JSON values,
anything else is split into YAML documents on `---` lines and each document is converted to JSON
by sigs.k8s.io/yaml (go-yaml v2 underneath).

YAML flavour: we follow go-yaml v2's YAML 1.1-ish scalar resolution, not YAML 1.2 --
`y/n/yes/no/on/off` (any of the three casings) are booleans, `0755` is octal, Go's `0x`/`0o`/`0b`
prefixes and `_` separators are numbers, sexagesimal `1:20` and timestamps stay strings, and a
float with an integral value (`3.0`) becomes the integer 3, as json.Marshal would print it.
Parse errors are rendered in go-yaml's words; line numbers are relative to the YAML document.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Iterator, TextIO

from minikctl.errors import CommandError

STDIN_SOURCE = "STDIN"  # the name kubectl gives `-f -` in its messages (cli-runtime visitor.go)
MANIFEST_EXTENSIONS = (".json", ".yaml", ".yml")  # case-sensitive, as in cli-runtime
DOCUMENT_SEPARATOR = "---"


@dataclass
class Document:
    source: str
    obj: dict


class ManifestError(CommandError):
    """A read or parse failure; `documents` holds what was read before it (kubectl create has
    already sent those when the bad document is reached)."""

    def __init__(self, message: str, documents: list[Document] | None = None):
        super().__init__(message)
        self.documents = documents or []


def read_sources(paths: list[str], recursive: bool, stdin: TextIO, cwd: str) -> list[Document]:
    """Every object named by `-f` arguments, in kubectl's order, Lists expanded, empty documents skipped."""
    documents: list[Document] = []
    for source in expand_paths(paths, recursive, cwd):
        try:
            for document in read_source(source, stdin, cwd):
                documents.append(document)
        except ManifestError as error:
            error.documents = documents
            raise
    return documents


def expand_paths(paths: list[str], recursive: bool, cwd: str) -> list[str]:
    """The files `-f` names, every path checked before any is read (the builder's FilenameParam)."""
    return [source for path in paths for source in _expand_path(path, recursive, cwd)]


def read_source(source: str, stdin: TextIO, cwd: str) -> Iterator[Document]:
    """The objects of one file, one at a time: a parse error ends the file (cli-runtime visitor.go
    StreamVisitor), after the documents before it were handed on."""
    text = stdin.read() if source == STDIN_SOURCE else _read_file(source, cwd)
    read: list[Document] = []
    try:
        for obj in parse_stream(text, source):
            for item in _flatten(obj, source):
                read.append(Document(source, item))
                yield read[-1]
    except ManifestError as error:
        error.documents = read
        raise


def _expand_path(path: str, recursive: bool, cwd: str) -> list[str]:
    """Paths are all checked before anything is read, as the builder does when it is configured."""
    if path == "-":
        return [STDIN_SOURCE]
    absolute = os.path.join(cwd, path)
    if not os.path.exists(absolute):
        raise ManifestError(f'the path "{path}" does not exist')
    if not os.path.isdir(absolute):
        return [path]
    return _walk_directory(path, recursive, cwd)


def _walk_directory(root: str, recursive: bool, cwd: str) -> list[str]:
    """Go's filepath.Walk order: entries sorted by name, subdirectories visited in place."""
    found = []
    for name in sorted(os.listdir(os.path.join(cwd, root))):
        child = os.path.normpath(os.path.join(root, name))
        if os.path.isdir(os.path.join(cwd, child)):
            if recursive:
                found.extend(_walk_directory(child, recursive, cwd))
        elif child.endswith(MANIFEST_EXTENSIONS):
            found.append(child)
    return found


def _read_file(source: str, cwd: str) -> str:
    with open(os.path.join(cwd, source), encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _flatten(obj, source: str) -> list[dict]:
    """Documents as objects: Lists (anything with an `items` array) become their items."""
    if not isinstance(obj, dict):
        raise ManifestError(f'unable to decode "{source}": json: cannot unmarshal {_json_type(obj)} '
                            "into Go value of type unstructured.detector")
    items = obj.get("items")
    if not isinstance(items, list):
        return [obj]
    item_kind = str(obj.get("kind", "")).removesuffix("List")
    flat = []
    for item in items:
        if isinstance(item, dict) and not item.get("kind") and not item.get("apiVersion"):
            item = {"apiVersion": obj.get("apiVersion", ""), "kind": item_kind, **item}
        flat.extend(_flatten(item, source))
    return flat


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "array" if isinstance(value, list) else "string"


def parse_stream(text: str, source: str) -> Iterator:
    """The non-empty documents of one file, as JSON-compatible Python values, one at a time."""
    if text.lstrip().startswith("{"):
        yield from _parse_json_stream(text, source)
        return
    for chunk in split_yaml_documents(text, source):
        document = _parse_yaml_document(chunk, source)
        if document is not None:
            yield document


def split_yaml_documents(text: str, source: str) -> list[str]:
    """apimachinery's YAMLReader: a line starting with `---` ends a document; only a comment may follow."""
    chunks, current = [], []
    for line in text.splitlines(keepends=True):
        if line.startswith(DOCUMENT_SEPARATOR):
            rest = line[len(DOCUMENT_SEPARATOR):].strip()
            if rest and not rest.startswith("#"):
                raise ManifestError(f"error parsing {source}: invalid Yaml document separator: {rest}")
            if current:
                chunks.append("".join(current))
            current = []
            continue
        current.append(line)
    if current:
        chunks.append("".join(current))
    return chunks


# ---------------------------------------------------------------------------------------- YAML

_GO_YAML_BOOLS = {
    **dict.fromkeys(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"], True),
    **dict.fromkeys(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], False),
}
_GO_INT = re.compile(r"^[-+]?(?:0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*)$")
_GO_YAML_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_GO_YAML_SPECIAL_FLOATS = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_MAX_EXACT_FLOAT = 1e21  # json.Marshal prints integral floats below this without exponent
_LOADER_CLASS = None


def _go_number(text: str):
    """go-yaml v2 resolve(): strconv.ParseInt(base 0), then ParseUint, then a float, then 0b."""
    plain = text.replace("_", "")
    sign, digits = (plain[0], plain[1:]) if plain[:1] in "+-" else ("", plain)
    value = _parse_go_int(digits)
    if value is not None:
        return -value if sign == "-" else value
    if _GO_YAML_FLOAT.match(plain):
        return _json_number(float(plain))
    return text


def _parse_go_int(digits: str) -> int | None:
    prefixes = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}
    base = prefixes.get(digits[:2])
    try:
        if base:
            return int(digits[2:], base)
        if len(digits) > 1 and digits.startswith("0"):
            return int(digits, 8)
        return int(digits, 10)
    except ValueError:
        return None


def _json_number(value: float):
    """What a float looks like after json.Marshal and a re-decode: integral values are integers."""
    if value == value and abs(value) < _MAX_EXACT_FLOAT and value.is_integer():
        return int(value)
    return value


def _go_yaml_loader():
    """A SafeLoader (libyaml-backed when available) with go-yaml v2's implicit types."""
    global _LOADER_CLASS
    if _LOADER_CLASS is not None:
        return _LOADER_CLASS
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dropped = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
               "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"}
    resolvers = {first: [(tag, rx) for tag, rx in entries if tag not in dropped]
                 for first, entries in base.yaml_implicit_resolvers.items()}

    class GoYamlLoader(base):
        yaml_implicit_resolvers = resolvers
        yaml_constructors = dict(base.yaml_constructors)

        def construct_go_bool(self, node):
            return _GO_YAML_BOOLS[self.construct_scalar(node)]

        def construct_go_int(self, node):
            return _go_number(self.construct_scalar(node))

        def construct_go_float(self, node):
            text = self.construct_scalar(node)
            if _GO_YAML_SPECIAL_FLOATS.match(text):
                return float(text.lower().replace(".", ""))
            return _go_number(text)

        def construct_go_mapping(self, node, deep=False):
            self.flatten_mapping(node)  # resolves `<<` merge keys
            return {_json_key(self.construct_object(k, deep=deep)): self.construct_object(v, deep=deep)
                    for k, v in node.value}

    GoYamlLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(
        "^(?:" + "|".join(_GO_YAML_BOOLS) + ")$"), list("yYnNtTfFoO"))
    GoYamlLoader.add_implicit_resolver("tag:yaml.org,2002:int", _GO_INT, list("-+0123456789"))
    GoYamlLoader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(
        _GO_YAML_FLOAT.pattern.replace("[0-9]", "[0-9_]") + "|" + _GO_YAML_SPECIAL_FLOATS.pattern),
        list("-+.0123456789"))
    GoYamlLoader.add_constructor("tag:yaml.org,2002:bool", GoYamlLoader.construct_go_bool)
    GoYamlLoader.add_constructor("tag:yaml.org,2002:int", GoYamlLoader.construct_go_int)
    GoYamlLoader.add_constructor("tag:yaml.org,2002:float", GoYamlLoader.construct_go_float)
    GoYamlLoader.add_constructor("tag:yaml.org,2002:map", GoYamlLoader.construct_go_mapping)
    GoYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", GoYamlLoader.construct_yaml_str)
    _LOADER_CLASS = GoYamlLoader
    return GoYamlLoader


def _json_key(key) -> str:
    """sigs.k8s.io/yaml turns non-string keys into strings the way Go formats them."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return key if isinstance(key, str) else str(key)


def _parse_yaml_document(chunk: str, source: str):
    import yaml

    try:
        return yaml.load(chunk, Loader=_go_yaml_loader())
    except yaml.MarkedYAMLError as error:
        raise ManifestError(f"error parsing {source}: error converting YAML to JSON: "
                            f"{go_yaml_message(error, chunk)}") from None
    except yaml.YAMLError as error:
        raise ManifestError(f"error parsing {source}: error converting YAML to JSON: yaml: {error}") from None


# PyYAML's pure-Python parser (and its composer) word a few problems differently from go-yaml.
_PYYAML_PROBLEMS = (
    (re.compile(r"^expected ',' or '\]', but got.*$"), "did not find expected ',' or ']'"),
    (re.compile(r"^expected ',' or '\}', but got.*$"), "did not find expected ',' or '}'"),
    (re.compile(r"^expected <block end>, but found.*$"), "did not find expected key"),
    (re.compile(r"^found character .* that cannot start any token$"), "found character that cannot start any token"),
    (re.compile(r"^expected ':'.*$"), "could not find expected ':'"),
)
_ALIAS = re.compile(r"\*([^\s,\[\]{}]+)")


def go_yaml_message(error, chunk: str) -> str:
    """go-yaml's `yaml: line N: problem`. As go-yaml v2 yaml.go does: a non-zero 0-based problem
    line is used (plus one for scanner errors), else the context line; composer errors carry none."""
    import yaml

    problem = error.problem or "unknown problem parsing YAML content"
    for pattern, wording in _PYYAML_PROBLEMS:
        problem = pattern.sub(wording, problem, count=1)
    if isinstance(error, yaml.composer.ComposerError) and problem.startswith("found undefined alias"):
        return f"yaml: unknown anchor '{_alias_at(error.problem_mark, chunk)}' referenced"
    line = 0
    if error.problem_mark and error.problem_mark.line:
        line = error.problem_mark.line + (1 if isinstance(error, yaml.scanner.ScannerError) else 0)
    elif error.context_mark and error.context_mark.line:
        line = error.context_mark.line
    return f"yaml: line {line}: {problem}" if line else f"yaml: {problem}"


def _alias_at(mark, chunk: str) -> str:
    """The alias name at a mark (libyaml's composer error does not include it)."""
    line = chunk.splitlines()[mark.line] if mark else ""
    found = _ALIAS.match(line, mark.column) if mark else None
    return found.group(1) if found else ""


# ---------------------------------------------------------------------------------------- JSON

def _parse_json_stream(text: str, source: str) -> Iterator:
    decoder = json.JSONDecoder(parse_float=lambda s: _json_number(float(s)),
                               parse_constant=_reject_constant)
    position = _skip_space(text, 0)
    while position < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError:
            raise ManifestError(f"error parsing {source}: {go_json_error(text, position)}") from None
        if value is not None:
            yield value
        position = _skip_space(text, position)


def _reject_constant(name: str):
    """Go's JSON has no NaN or Infinity literals."""
    raise ValueError(name)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def go_json_error(text: str, start: int) -> str:
    """The first syntax error from `start`, worded like Go's encoding/json scanner, with kubectl's
    `json: offset N:` prefix (N counts bytes up to and including the bad character)."""
    try:
        _GoJsonScanner(text).value(start)
    except _GoJsonSyntax as error:
        offset = len(text[:error.position + 1].encode("utf-8"))
        return f"json: offset {offset}: invalid character {_go_quote_char(text[error.position])} {error.context}"
    except IndexError:
        pass
    return "unexpected EOF"


class _GoJsonSyntax(Exception):
    def __init__(self, position: int, context: str):
        super().__init__(context)
        self.position, self.context = position, context


def _go_quote_char(char: str) -> str:
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    quoted = json.dumps(char, ensure_ascii=False)[1:-1]
    return f"'{quoted}'"


class _GoJsonScanner:
    """A recursive reader that only exists to find and word the first syntax error."""

    LITERALS = {"t": "true", "f": "false", "n": "null"}

    def __init__(self, text: str):
        self.text = text

    def fail(self, position: int, context: str):
        raise _GoJsonSyntax(position, context)

    def space(self, position: int) -> int:
        position = _skip_space(self.text, position)
        self.text[position]  # noqa: B018 - IndexError means unexpected EOF
        return position

    def value(self, position: int) -> int:
        position = self.space(position)
        char = self.text[position]
        if char == "{":
            return self.object(position + 1)
        if char == "[":
            return self.array(position + 1)
        if char == '"':
            return self.string(position + 1)
        if char == "-" or char.isdigit():
            return self.number(position)
        if char in self.LITERALS:
            return self.literal(position, self.LITERALS[char])
        self.fail(position, "looking for beginning of value")

    def object(self, position: int) -> int:
        position = self.space(position)
        if self.text[position] == "}":
            return position + 1
        while True:
            if self.text[position] != '"':
                self.fail(position, "looking for beginning of object key string")
            position = self.space(self.string(position + 1))
            if self.text[position] != ":":
                self.fail(position, "after object key")
            position = self.space(self.value(position + 1))
            if self.text[position] == "}":
                return position + 1
            if self.text[position] != ",":
                self.fail(position, "after object key:value pair")
            position = self.space(position + 1)

    def array(self, position: int) -> int:
        position = self.space(position)
        if self.text[position] == "]":
            return position + 1
        while True:
            position = self.space(self.value(position))
            if self.text[position] == "]":
                return position + 1
            if self.text[position] != ",":
                self.fail(position, "after array element")
            position += 1

    def string(self, position: int) -> int:
        while True:
            char = self.text[position]
            if char == '"':
                return position + 1
            if char == "\\":
                position = self.escape(position + 1)
                continue
            if ord(char) < 0x20:
                self.fail(position, "in string literal")
            position += 1

    def escape(self, position: int) -> int:
        char = self.text[position]
        if char == "u":
            for offset in range(1, 5):
                if self.text[position + offset] not in "0123456789abcdefABCDEF":
                    self.fail(position + offset, "in \\u hexadecimal character escape")
            return position + 5
        if char not in '"\\/bfnrt':
            self.fail(position, "in string escape code")
        return position + 1

    def number(self, position: int) -> int:
        if self.text[position] == "-":
            position += 1
            if not self.text[position].isdigit():
                self.fail(position, "in numeric literal")
        position = position + 1 if self.text[position] == "0" else self.digits(position)
        if position < len(self.text) and self.text[position] == ".":
            if not self.text[position + 1].isdigit():
                self.fail(position + 1, "after decimal point in numeric literal")
            position = self.digits(position + 1)
        if position < len(self.text) and self.text[position] in "eE":
            position += 1
            if self.text[position] in "+-":
                position += 1
            if not self.text[position].isdigit():
                self.fail(position, "in exponent of numeric literal")
            position = self.digits(position)
        return position

    def digits(self, position: int) -> int:
        while position < len(self.text) and self.text[position].isdigit():
            position += 1
        return position

    def literal(self, position: int, word: str) -> int:
        for offset, expected in enumerate(word[1:], start=1):
            if self.text[position + offset] != expected:
                self.fail(position + offset, f"in literal {word} (expecting '{expected}')")
        return position + len(word)
