"""`--sort-by=PATH`: order objects by the first value a relaxed JSONPath finds in each.

Follows kubernetes/kubectl pkg/cmd/get/sorter.go (SortObjects, RuntimeSort.Less, isLess):
objects without a value come first; integers and floats compare numerically; two strings compare
as quantities when both parse as one, otherwise in natural order (github.com/fvbommel/sortorder
NaturalLess: runs of digits compare as numbers); JSON null sorts before any value; anything else
(lists, maps, booleans, or two different types) is unsortable, which kubectl reports with a fatal
log line. kubectl's sort is not stable; this one is.
"""

from __future__ import annotations

from functools import cmp_to_key

from minikctl.core.quantity import parse_quantity
from minikctl.errors import CommandError, MinikctlError
from minikctl.printers import jsonpath

_MISSING = object()


class UnsortableError(MinikctlError):
    """The values cannot be ordered; str() is the text of kubectl's fatal log line (after the
    `F… sorter.go:NNN] ` prefix, whose time and process id no script can match: minikctl writes
    `error: ` instead). Not a CommandError: the fatal aborts even in table mode, which swallows those."""

    def render(self) -> str:
        return f"error: {self.message}"


def sort_objects(objects: list[dict], path: str) -> list[dict]:
    """The objects ordered by PATH (stable). CommandError for a bad path or one no object has."""
    if not objects:
        return list(objects)
    field, template = _compile(path)
    keys = [_sort_key(template, obj) for obj in objects]
    if all(key is _MISSING for key in keys):
        raise CommandError(
            f"couldn't find any field with path {jsonpath.go_quote(field)} in the list of objects")

    def compare(left: int, right: int) -> int:
        return _compare_keys(keys[left], keys[right], field)

    order = sorted(range(len(objects)), key=cmp_to_key(compare))
    return [objects[index] for index in order]


def _compile(path: str) -> tuple[str, jsonpath.Template]:
    try:
        field = jsonpath.relaxed(path)
        return field, jsonpath.parse(field)
    except (ValueError, jsonpath.JSONPathParseError) as error:
        raise CommandError(str(error)) from None


def _sort_key(template: jsonpath.Template, obj: dict):
    try:
        results = template.find_results(obj)
    except jsonpath.JSONPathExecError as error:
        raise CommandError(str(error)) from None
    return results[0][0] if results and results[0] else _MISSING


def _compare_keys(left, right, field: str) -> int:
    if left is _MISSING or right is _MISSING:
        return (left is not _MISSING) - (right is not _MISSING)
    if _is_less(left, right, field):
        return -1
    return 1 if _is_less(right, left, field) else 0


def _is_less(left, right, field: str) -> bool:
    if left is None or right is None:
        return left is None and right is not None
    kind = _sortable_kind(left, field)
    if _sortable_kind(right, field) != kind:
        raise _unsortable(field, "unsortable interface: interface")
    if kind == "string":
        return _string_less(left, right)
    return left < right


def _sortable_kind(value, field: str) -> str:
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise _unsortable(field, f"unsortable type: {jsonpath.go_type(value)}")
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return "string"


def _unsortable(field: str, reason: str) -> UnsortableError:
    return UnsortableError(
        f"Field {field} in *unstructured.Unstructured is an unsortable type: interface, err: {reason}")


def _string_less(left: str, right: str) -> bool:
    """Quantities ("500m" < "1") when both strings are one, else natural order."""
    try:
        return parse_quantity(left) < parse_quantity(right)
    except ValueError:
        return natural_less(left, right)


def natural_less(left: str, right: str) -> bool:
    """sortorder.NaturalLess: digits sort before other characters; digit runs compare by value,
    then by fewer leading zeros; everything else character by character."""
    i = j = 0
    while i < len(left) and j < len(right):
        left_digit, right_digit = _is_digit(left[i]), _is_digit(right[j])
        if left_digit != right_digit:
            return left_digit
        if not left_digit:
            if left[i] != right[j]:
                return left[i] < right[j]
            i, j = i + 1, j + 1
            continue
        left_start, i = _digit_run(left, i)
        right_start, j = _digit_run(right, j)
        left_number, right_number = left[left_start:i], right[right_start:j]
        if len(left_number) != len(right_number):
            return len(left_number) < len(right_number)
        if left_number != right_number:
            return left_number < right_number
        if left_start != right_start:
            return left_start < right_start
    return len(left) < len(right)


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _digit_run(text: str, start: int) -> tuple[int, int]:
    """(index of the first non-zero digit, index after the run of digits) from start."""
    while start < len(text) and text[start] == "0":
        start += 1
    end = start
    while end < len(text) and _is_digit(text[end]):
        end += 1
    return start, end
