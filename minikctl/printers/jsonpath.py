"""kubectl's JSONPath dialect: a small parser producing nodes, and an evaluator over JSON values.

The model follows kubernetes/client-go util/jsonpath/parser.go (the parser) and jsonpath.go (the
evaluator, including its range/end bookkeeping and its partial results on errors), and the printing
of kubernetes/cli-runtime pkg/printers/jsonpath.go. Values are what json.loads returns; JSON
integers play Go's int64 and JSON numbers with a fraction or exponent play float64, as in
kubectl's unstructured objects.

Go map iteration order is random, so `.*` and `..` visit map values in an unspecified order in
kubectl; here they follow sorted keys, which keeps output deterministic.
"""

from __future__ import annotations

import json

_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")
_OPERATOR_CHARACTERS = frozenset("!<>=")
_INT64 = (-(1 << 63), (1 << 63) - 1)

RELAXED_PATH_ERROR = (
    "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or "
    "'{.name1.name2}'"
)


class JSONPathParseError(Exception):
    """A template kubectl's parser rejects; str() is the parser's message."""


class JSONPathExecError(Exception):
    """A failure while evaluating; `partial` is what the failing step handed back (client-go
    returns values alongside errors, and the existence filter looks at them)."""

    def __init__(self, message: str, partial: list | None = None):
        super().__init__(message)
        self.partial = partial if partial is not None else []


class _NoValue:
    """Go's invalid reflect.Value: the object a range body sees for a null item or no items."""

    def __repr__(self) -> str:
        return "<no value>"


NO_VALUE = _NoValue()


# ---------------------------------------------------------------------------------------- nodes

class Text:
    def __init__(self, text: str):
        self.text = text


class Action:
    """One `{...}`: a pipeline of nodes applied left to right."""

    def __init__(self, nodes: list):
        self.nodes = nodes


class Field:
    def __init__(self, name: str):
        self.name = name


class Index:
    """`[start:end:step]`; each bound is (known, value); `derived_end` marks `[i]` (end = i+1)."""

    def __init__(self, start: tuple, end: tuple, step: tuple, derived_end: bool):
        self.start, self.end, self.step, self.derived_end = start, end, step, derived_end


class Filter:
    def __init__(self, left: list, right: list, operator: str):
        self.left, self.right, self.operator = left, right, operator


class Literal:
    """A number or bool in an action: replaces every current value (ints/floats/bools)."""

    def __init__(self, value):
        self.value = value


class Wildcard:
    pass


class Recursive:
    pass


class Union:
    def __init__(self, parts: list[list]):
        self.parts = parts


class Identifier:
    def __init__(self, name: str):
        self.name = name


# --------------------------------------------------------------------------------------- parser

def parse(template: str) -> "Template":
    """Parse a template the way client-go's Parser.Parse does."""
    return Template(template, _parse_nodes(template))


def _parse_nodes(template: str) -> list:
    nodes: list = []
    position = 0
    while True:
        brace = template.find("{", position)
        if brace < 0:
            if position < len(template):
                nodes.append(Text(template[position:]))
            return nodes
        if brace > position:
            nodes.append(Text(template[position:brace]))
        pipeline, position = _ActionParser(template, brace + 1).parse()
        nodes.append(Action(pipeline))


def _parse_sub_action(text: str) -> list:
    """client-go parseAction: parse `{text}` and keep the first action's nodes."""
    return _parse_nodes("{" + text + "}")[0].nodes


def _is_alphanumeric(char: str) -> bool:
    return char == "_" or char.isalpha() or char.isdecimal()


def _go_atoi(text: str) -> int | None:
    """strconv.Atoi: optional sign, ASCII digits, must fit int64."""
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    value = int(text)
    return value if _INT64[0] <= value <= _INT64[1] else None


def _go_rune_repr(char: str) -> str:
    """fmt's %#U: U+002A '*' (the quoted form only for printable runes)."""
    code = "U+%04X" % ord(char)
    return f"{code} '{char}'" if char.isprintable() else code


class _ActionParser:
    """Scans one action, starting just after its `{` (client-go parseInsideAction and friends)."""

    def __init__(self, text: str, position: int):
        self.text = text
        self.position = position
        self.nodes: list = []

    def parse(self) -> tuple[list, int]:
        text = self.text
        while True:
            at = self.position
            if text.startswith("}", at):
                return self.nodes, at + 1
            if text.startswith("[?(", at):
                self._filter(at + 3)
            elif text.startswith("..", at):
                self._recursive(at + 2)
            elif at >= len(text) or text[at] in "\r\n":
                raise JSONPathParseError("unclosed action")
            else:
                self._element(text[at], at)

    def _element(self, char: str, at: int) -> None:
        if char in " @$":
            self.position = at + 1
        elif char == "[":
            self._array(at + 1)
        elif char in "\"'":
            self._quote(at)
        elif char == ".":
            self._field(at + 1)
        elif char in "+-" or char.isdecimal():
            self._number(at)
        elif _is_alphanumeric(char):
            self._identifier(at)
        else:
            raise JSONPathParseError(f"unrecognized character in action: {_go_rune_repr(char)}")

    def _field(self, start: int) -> None:
        """A name up to a terminator; a backslash escapes the next character and all
        backslashes are then dropped (`kubernetes\\.io/hostname`)."""
        text, end = self.text, start
        while end < len(text):
            if text[end] == "\\":
                end += 2
            elif text[end] in _TERMINATORS:
                break
            else:
                end += 1
        end = min(end, len(text))
        name = text[start:end]
        self.nodes.append(Wildcard() if name == "*" else Field(name.replace("\\", "")))
        self.position = end

    def _recursive(self, after: int) -> None:
        if self.nodes and isinstance(self.nodes[-1], Recursive):
            raise JSONPathParseError("invalid multiple recursive descent")
        self.nodes.append(Recursive())
        if after < len(self.text) and _is_alphanumeric(self.text[after]):
            self._field(after)
        else:
            self.position = after

    def _identifier(self, start: int) -> None:
        end = start
        while end < len(self.text) and self.text[end] not in _TERMINATORS:
            end += 1
        word = self.text[start:end]
        self.nodes.append(Literal(word == "true") if word in ("true", "false") else Identifier(word))
        self.position = end

    def _number(self, start: int) -> None:
        text, end = self.text, start + 1
        while end < len(text) and (text[end] == "." or text[end].isdecimal()):
            end += 1
        word = text[start:end]
        self.nodes.append(Literal(_parse_number(word)))
        self.position = end

    def _array(self, start: int) -> None:
        close = self.text.find("]", start)
        newline = self.text.find("\n", start)
        if close < 0 or 0 <= newline < close:
            raise JSONPathParseError("unterminated array")
        self.position = close + 1
        inside = self.text[start:close]
        if inside == "*":
            inside = ":"
        parts = inside.split(",")
        if len(parts) > 1:
            self.nodes.append(Union([_parse_sub_action("[" + p.strip(" ") + "]") for p in parts]))
        elif len(inside) >= 2 and inside[0] == inside[-1] == "'" and "'" not in inside[1:-1]:
            self.nodes.extend(_parse_sub_action("." + inside[1:-1]))
        else:
            self.nodes.append(_parse_index(inside))

    def _filter(self, start: int) -> None:
        """`[?(...)]`: up to a `)` outside the (single) quoted operand, then `]`."""
        text, at = self.text, start
        opened = closed = False
        pair = ""
        while True:
            if at >= len(text) or text[at] == "\n":
                raise JSONPathParseError("unterminated filter")
            char = text[at]
            at += 1
            if char in "\"'":
                if not opened:
                    opened, pair = True, char
                elif char == pair and text[at - 2] != "\\":
                    closed = True
            elif char == ")" and opened == closed:
                break
        if not text.startswith("]", at):
            raise JSONPathParseError("unclosed array expect ]")
        self.position = at + 1
        self.nodes.append(_parse_filter(text[start:at - 1]))

    def _quote(self, start: int) -> None:
        text, quote, at = self.text, self.text[start], start + 1
        while True:
            if at >= len(text) or text[at] == "\n":
                raise JSONPathParseError("unterminated quoted string")
            at += 1
            if text[at - 1] == quote and text[at - 2] != "\\":
                break
        self.nodes.append(Text(_unquote(text[start:at])))
        self.position = at


def _parse_number(word: str):
    as_int = _go_atoi(word)
    if as_int is not None:
        return as_int
    if word.isascii() and any(c.isdigit() for c in word):
        try:
            value = float(word)
        except ValueError:
            value = None
        if value is not None and value not in (float("inf"), float("-inf")):
            return value
    raise JSONPathParseError(f"cannot parse number {word}")


def _parse_index(inside: str) -> Index:
    """`[i]`, `[a:b]`, `[a:b:c]`: up to three optionally negative integers, any of them omitted
    (client-go's sliceOperatorRex)."""
    parts = inside.split(":")
    if len(parts) > 3 or not all(_is_slice_bound(part) for part in parts):
        raise JSONPathParseError(f"invalid array index {inside}")
    bounds = []
    for part in parts + [""] * (3 - len(parts)):
        value = _go_atoi(part) if part else None
        if part and value is None:
            raise JSONPathParseError(f"array index {part} is not a number")
        bounds.append((False, 0) if value is None else (True, value))
    derived_end = len(parts) == 1
    if derived_end:
        bounds[1] = (True, bounds[0][1] + 1)
    return Index(bounds[0], bounds[1], bounds[2], derived_end)


def _is_slice_bound(part: str) -> bool:
    digits = part[1:] if part.startswith("-") else part
    return all("0" <= char <= "9" for char in digits)


def _parse_filter(inside: str) -> Filter:
    """Split at the first run of operator characters `!<>=` (client-go's filter regexp);
    without one, the filter tests existence."""
    split = _split_comparison(inside)
    if split is None:
        return Filter(_parse_sub_action(inside), [], "exists")
    left, operator, right = split
    return Filter(_parse_sub_action(left), _parse_sub_action(right), operator)


def _split_comparison(inside: str) -> tuple[str, str, str] | None:
    start = next((i for i, char in enumerate(inside) if char in _OPERATOR_CHARACTERS), None)
    if not start:
        return None
    end = start
    while end < len(inside) and inside[end] in _OPERATOR_CHARACTERS:
        end += 1
    if end == len(inside):
        end -= 1  # the right side needs a character: the regexp backtracks into the operator
    if end == start:
        return None
    return inside[:start], inside[start:end], inside[end:]


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}


def _unquote(quoted: str) -> str:
    """client-go UnquoteExtend: Go escape sequences in a '…' or "…" literal."""
    quote, body = quoted[0], quoted[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out = bytearray()
    at = 0
    while at < len(body):
        char = body[at]
        if char == quote:
            raise _unquote_error(quoted)
        if char != "\\":
            out += char.encode("utf-8", "surrogateescape")
            at += 1
            continue
        at = _unquote_escape(body, at + 1, quote, out, quoted)
    return out.decode("utf-8", "surrogateescape")


def _unquote_escape(body: str, at: int, quote: str, out: bytearray, quoted: str) -> int:
    """Append the character escaped at body[at] (just after the backslash); return the next index."""
    if at >= len(body):
        raise _unquote_error(quoted)
    kind = body[at]
    if kind in _SIMPLE_ESCAPES:
        out.append(_SIMPLE_ESCAPES[kind])
        return at + 1
    if kind in "'\"":
        if kind != quote:
            raise _unquote_error(quoted)
        out.append(ord(kind))
        return at + 1
    if kind in _HEX_WIDTH:
        width = _HEX_WIDTH[kind]
        digits = body[at + 1:at + 1 + width]
        if len(digits) < width or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise _unquote_error(quoted)
        code = int(digits, 16)
        if kind == "x":
            out.append(code)
        elif code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise _unquote_error(quoted)
        else:
            out += chr(code).encode()
        return at + 1 + width
    if kind in "01234567":
        digits = body[at:at + 3]
        if len(digits) < 3 or not all(c in "01234567" for c in digits) or int(digits, 8) > 255:
            raise _unquote_error(quoted)
        out.append(int(digits, 8))
        return at + 3
    raise _unquote_error(quoted)


def _unquote_error(quoted: str) -> JSONPathParseError:
    return JSONPathParseError(f"unquote string {quoted} error invalid syntax")


def relaxed(path: str) -> str:
    """kubectl's RelaxedJSONPathExpression (pkg/cmd/get/customcolumn.go): `.a.b`, `a.b`, `{a.b}`
    and `{.a.b}` all become `{.a.b}`; an empty path stays empty."""
    if not path:
        return path
    inner = path[1:-1] if len(path) > 2 and path[0] == "{" and path[-1] == "}" else path
    if "{" in inner or "}" in inner:
        raise ValueError(RELAXED_PATH_ERROR)
    return "{.%s}" % (inner[1:] if inner.startswith(".") and len(inner) > 1 else inner)


# ------------------------------------------------------------------------------------ evaluator

class Template:
    """A parsed template; evaluation follows client-go's JSONPath.FindResults."""

    def __init__(self, source: str, nodes: list):
        self.source = source
        self.nodes = nodes

    def find_results(self, data, allow_missing_keys: bool = True) -> list[list]:
        """One list of raw values per printed node (text and actions, range bodies repeated)."""
        return _Evaluation(self.nodes, allow_missing_keys).find_results(data, 0)

    def execute(self, data, allow_missing_keys: bool = True) -> str:
        """What `kubectl get -o jsonpath=TEMPLATE` prints: each node's values space-separated."""
        results = self.find_results(data, allow_missing_keys)
        return "".join(" ".join(_print_value(value) for value in values) for values in results)

    def execute_as_json(self, data, allow_missing_keys: bool = True) -> str:
        """`-o jsonpath-as-json`: each node's values as an indented JSON array plus a newline."""
        results = self.find_results(data, allow_missing_keys)
        return "".join(json_indent(values) + "\n" for values in results)


def find_results(template: "str | Template", data, allow_missing_keys: bool = True) -> list[list]:
    if isinstance(template, str):
        template = parse(template)
    return template.find_results(data, allow_missing_keys)


def _print_value(value) -> str:
    if isinstance(value, (dict, list)):
        return json_compact(value)
    if value is NO_VALUE:
        return "<no value>"
    if value is None:
        return "null"
    return go_value(value)


class _Evaluation:
    """One run over one object: the range/end counters of client-go's JSONPath struct."""

    def __init__(self, nodes: list, allow_missing_keys: bool):
        self.nodes = nodes
        self.allow_missing_keys = allow_missing_keys
        self.begin_range = self.in_range = self.end_range = 0
        self.last_end: int | None = None

    def find_results(self, data, start: int) -> list[list]:
        """Walk the top-level nodes from `start`; a range re-walks the nodes after it per item,
        and the walk resumes after the last {end} any body reached (or right after the range
        if none did: a range without {end} runs its body once more for the outer object)."""
        full: list[list] = []
        current = [data]
        index = start
        while index < len(self.nodes):
            results = self._walk(current, self.nodes[index])
            if self.end_range > 0 and self.end_range <= self.in_range:
                self.end_range -= 1
                self.last_end = index
                break
            if self.begin_range > 0:
                self._run_range(results, index, full)
                if self.last_end is not None and self.last_end > index:
                    index = self.last_end
            else:
                full.append(results)
            index += 1
        return full

    def _run_range(self, items: list, index: int, full: list[list]) -> None:
        self.begin_range -= 1
        self.in_range += 1
        for item in items or [NO_VALUE]:
            body = self.find_results(NO_VALUE if item is None else item, index + 1)
            if items:
                full.extend(body)
        self.in_range -= 1

    def _walk(self, values: list, node) -> list:
        if isinstance(node, Text):
            return [node.text]
        return self._eval_pipeline(values, node.nodes)

    def _eval_pipeline(self, values: list, nodes: list) -> list:
        for node in nodes:
            values = self._eval_node(values, node)
        return values

    def _eval_node(self, values: list, node) -> list:
        if isinstance(node, Field):
            return self._eval_field(values, node.name)
        if isinstance(node, Index):
            return _eval_index(values, node)
        if isinstance(node, Filter):
            return self._eval_filter(values, node)
        if isinstance(node, Text):
            return [node.text]
        if isinstance(node, Literal):
            return [node.value] * len(values)
        if isinstance(node, Wildcard):
            return [child for value in values for child in _children(value)]
        if isinstance(node, Recursive):
            return _eval_recursive(values)
        if isinstance(node, Union):
            return self._eval_union(values, node)
        return self._eval_identifier(values, node.name)

    def _eval_field(self, values: list, name: str) -> list:
        if not values:
            return []
        found = [value[name] for value in values if isinstance(value, dict) and name in value]
        if not found and not self.allow_missing_keys:
            raise JSONPathExecError(f"{name} is not found")
        return found

    def _eval_filter(self, values: list, node: Filter) -> list:
        kept: list = []
        for value in values:
            if not isinstance(value, list):
                raise JSONPathExecError(
                    f"{_go_describe(value)} is not array or slice and cannot be filtered", values)
            for item in value:
                if self._filter_keeps(item, node, values, kept):
                    kept.append(item)
        return kept

    def _filter_keeps(self, item, node: Filter, values: list, kept: list) -> bool:
        if node.operator == "exists":
            try:
                return bool(self._eval_pipeline([item], node.left))
            except JSONPathExecError as error:
                return bool(error.partial)
        left = self._single_operand(item, node.left, values)
        if left is _ABSENT:
            return False
        right = self._single_operand(item, node.right, values)
        if right is _ABSENT:
            return False
        try:
            return _compare(node.operator, left, right)
        except JSONPathExecError as error:
            raise JSONPathExecError(str(error), kept) from None

    def _single_operand(self, item, nodes: list, values: list):
        try:
            operands = self._eval_pipeline([item], nodes)
        except JSONPathExecError as error:
            raise JSONPathExecError(str(error), values) from None
        if len(operands) > 1:
            raise JSONPathExecError("can only compare one element at a time", values)
        return operands[0] if operands else _ABSENT

    def _eval_union(self, values: list, node: Union) -> list:
        results = []
        for part in node.parts:
            try:
                results.extend(self._eval_pipeline(values, part))
            except JSONPathExecError as error:
                raise JSONPathExecError(str(error), values) from None
        return results

    def _eval_identifier(self, values: list, name: str) -> list:
        if name == "range":
            self.begin_range += 1
            return values
        if name == "end":
            if self.in_range <= 0:
                raise JSONPathExecError("not in range, nothing to end")
            self.end_range += 1
            return []
        raise JSONPathExecError(f"unrecognized identifier {name}", values)


_ABSENT = object()


class GoByte(int):
    """A byte of a string: what Go's `*` and `..` yield when they iterate over a string."""


def _children(value) -> list:
    """What `*` yields for one value: map values, list items, or a string's bytes."""
    if isinstance(value, dict):
        return [value[key] for key in sorted(value)]
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return [GoByte(byte) for byte in value.encode("utf-8", "surrogateescape")]
    return []


def _eval_recursive(values: list) -> list:
    """Every value with children (non-empty maps, lists and strings), depth first."""
    results = []
    for value in values:
        children = _children(value)
        if children:
            results.append(value)
            results.extend(_eval_recursive(children))
    return results


def _eval_index(values: list, node: Index) -> list:
    results: list = []
    for value in values:
        if value is None or value is NO_VALUE:
            continue
        if not isinstance(value, list):
            raise JSONPathExecError(f"{go_type(value)} is not array or slice", values)
        bounds = _slice_bounds(value, node, values)
        if bounds is None:
            return results
        start, end, step = bounds
        results.extend(value[start:end:step])
    return results


def _slice_bounds(items: list, node: Index, values: list):
    """Resolve negative and omitted bounds; None means 'an empty selection' (client-go then
    stops and returns what it has so far)."""
    length = len(items)
    start = node.start[1] if node.start[0] else 0
    if start < 0:
        start += length
    end = node.end[1] if node.end[0] else length
    if end < 0 or (end == 0 and node.derived_end):
        end += length
    if start == end:
        return None
    if start >= length or start < 0:
        raise JSONPathExecError(f"array index out of bounds: index {start}, length {length}", values)
    if end > length or end < 0:
        raise JSONPathExecError(f"array index out of bounds: index {end - 1}, length {length}", values)
    if start > end:
        raise JSONPathExecError(f"starting index {start} is greater than ending index {end}", values)
    step = 1
    if node.step[0]:
        if node.step[1] <= 0:
            raise JSONPathExecError("step must be > 0", values)
        step = node.step[1]
    return start, end, step


def go_type(value) -> str:
    """The Go type kubectl's unstructured data has for a JSON value."""
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoByte):
        return "uint8"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    return "[]interface {}"


def _go_describe(value) -> str:
    if value is NO_VALUE:
        return "<invalid reflect.Value>"
    return go_value(value)


# ----------------------------------------------------------------------------------- comparison
# Filters compare like the Go template functions client-go forked
# (kubernetes/client-go third_party/forked/golang/template/funcs.go): same basic kind only,
# except signed and unsigned integers; bools only for equality; anything else is invalid.

_BAD_TYPE = "invalid type for comparison"
_INCOMPATIBLE = "incompatible types for comparison"


def _basic_kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoByte):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise JSONPathExecError(_BAD_TYPE)


def _kinds(left, right) -> tuple[str, str]:
    left_kind = _basic_kind(left)
    right_kind = _basic_kind(right)
    if left_kind != right_kind and {left_kind, right_kind} != {"int", "uint"}:
        raise JSONPathExecError(_INCOMPATIBLE)
    return left_kind, right_kind


def _equal(left, right) -> bool:
    _kinds(left, right)
    return left == right


def _less(left, right) -> bool:
    left_kind, _ = _kinds(left, right)
    if left_kind == "bool":
        raise JSONPathExecError(_BAD_TYPE)
    return left < right


def _less_equal(left, right) -> bool:
    return _less(left, right) or _equal(left, right)


_OPERATORS = {
    "==": _equal,
    "!=": lambda left, right: not _equal(left, right),
    "<": _less,
    "<=": _less_equal,
    ">": lambda left, right: not _less_equal(left, right),
    ">=": lambda left, right: not _less(left, right),
}


def _compare(operator: str, left, right) -> bool:
    if operator not in _OPERATORS:
        raise JSONPathExecError(f"unrecognized filter operator {operator}")
    return _OPERATORS[operator](left, right)


# ------------------------------------------------------------------------------- error messages

def format_exec_error(template: str, error: Exception, obj) -> str:
    """The message kubectl prints (after `error: `) when executing a template fails
    (kubernetes/cli-runtime pkg/printers/jsonpath.go); it ends with its own newlines."""
    return (
        f"error executing jsonpath {go_quote(template)}: Error executing template: {error}. "
        "Printing more information for debugging the template:\n"
        f"\ttemplate was:\n\t\t{template}\n"
        f"\tobject given to jsonpath engine was:\n\t\t{go_syntax(obj)}\n\n\n"
    )


def format_parse_error(template: str, error: JSONPathParseError) -> str:
    """The message kubectl prints (after `error: `) for a template its parser rejects."""
    return f"error parsing jsonpath {template}, {error}"


# ------------------------------------------------------------------------------- Go formatting
# How Go prints the values kubectl hands to fmt and encoding/json.

def _shortest_digits(number: float) -> tuple[str, int]:
    """Shortest round-trip digits and decimal point position: number = 0.DIGITS x 10**point.
    Python's repr and Go's strconv both produce the shortest round-trip digits."""
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    significant = digits.lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(digits) - len(significant))
    return significant.rstrip("0"), point


def _exponent_form(digits: str, point: int) -> str:
    exponent = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return "%se%s%02d" % (mantissa, "-" if exponent < 0 else "+", abs(exponent))


def _plain_form(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def go_float(number: float) -> str:
    """fmt's %v for a float64: the shortest digits, in exponent form when the decimal exponent
    is outside -4..5 (1e+06, 1e-05, 123456.5, 0.0001)."""
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "+Inf" if number > 0 else "-Inf"
    sign = "-" if str(number).startswith("-") else ""
    if number == 0:
        return sign + "0"
    digits, point = _shortest_digits(number)
    if point - 1 < -4 or point - 1 >= 6:
        return sign + _exponent_form(digits, point)
    return sign + _plain_form(digits, point)


def _json_float(number: float) -> str:
    """encoding/json's float64: plain unless below 1e-6 or from 1e21, then e-notation with a
    one-digit negative exponent kept short (1e-7, 1e+21)."""
    sign = "-" if str(number).startswith("-") else ""
    if number == 0:
        return sign + "0"
    digits, point = _shortest_digits(number)
    if 1e-6 <= abs(number) < 1e21:
        return sign + _plain_form(digits, point)
    text = _exponent_form(digits, point)
    if text[-3:-1] == "-0":
        text = text[:-2] + text[-1]
    return sign + text


_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    for char, escape in _HTML_ESCAPES.items():
        if char in encoded:
            encoded = encoded.replace(char, escape)
    return encoded


def _json_scalar(value) -> str:
    if value is None or value is NO_VALUE:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, int):
        return str(value)
    return _json_string(value)


def json_compact(value) -> str:
    """json.Marshal: sorted keys, no spaces, HTML-safe strings."""
    if isinstance(value, dict):
        return "{" + ",".join(
            _json_string(key) + ":" + json_compact(value[key]) for key in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(json_compact(item) for item in value) + "]"
    return _json_scalar(value)


def json_indent(value, depth: int = 0) -> str:
    """json.MarshalIndent(value, "", "    ")."""
    inner, outer = "    " * (depth + 1), "    " * depth
    if isinstance(value, dict) and value:
        entries = (f"{inner}{_json_string(key)}: {json_indent(value[key], depth + 1)}"
                   for key in sorted(value))
        return "{\n" + ",\n".join(entries) + "\n" + outer + "}"
    if isinstance(value, list) and value:
        entries = (inner + json_indent(item, depth + 1) for item in value)
        return "[\n" + ",\n".join(entries) + "\n" + outer + "]"
    if isinstance(value, (dict, list)):
        return "{}" if isinstance(value, dict) else "[]"
    return _json_scalar(value)


def go_value(value) -> str:
    """fmt's %v: strings raw, maps as map[k:v ...] with sorted keys, lists as [a b], nil as <nil>."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{key}:{go_value(value[key])}" for key in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value(item) for item in value) + "]"
    return str(value)


_QUOTE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                  "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """strconv.Quote (fmt's %q)."""
    out = []
    for char in text:
        if char in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x80:
            out.append("\\x%02x" % ord(char))
        elif ord(char) < 0x10000:
            out.append("\\u%04x" % ord(char))
        else:
            out.append("\\U%08x" % ord(char))
    return '"' + "".join(out) + '"'


def go_syntax(value, nested: bool = False) -> str:
    """fmt's %#v of unstructured data (approximate: only kubectl's debugging dump uses it)."""
    if isinstance(value, dict):
        return "map[string]interface {}{" + ", ".join(
            f"{go_quote(key)}:{go_syntax(value[key], True)}" for key in sorted(value)) + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_syntax(item, True) for item in value) + "}"
    if value is None:
        return "interface {}(nil)" if nested else "<nil>"
    if isinstance(value, str):
        return go_quote(value)
    return go_value(value)
