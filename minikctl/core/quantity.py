"""Kubernetes resource quantities ("500m", "1Gi", "2e3"), as exact fractions.

Follows ParseQuantity in kubernetes/apimachinery pkg/api/resource/quantity.go (grammar and its
quirks: a missing number counts as 0, so "m", "-" and "." parse as zero; "1." is allowed) and
suffix.go (the suffixes). Values are rounded away from zero to a multiple of 1n, as there.
Not modelled: the cap at 2^63-1 that binary-suffixed quantities get.
"""

from __future__ import annotations

from fractions import Fraction

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15,
                     "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_SUFFIX_CHARACTERS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_NANO = Fraction(1, 10**9)
_LARGEST_EXPONENT = 100_000  # beyond any real quantity; keeps 10**exponent affordable


def parse_quantity(text: str) -> Fraction:
    """The exact value of a quantity; ValueError if Kubernetes would reject it."""
    if not text:
        raise ValueError("quantities must match the regular expression")
    negative, whole, fraction, suffix = _split(text)
    value = (Fraction(int(whole or "0")) + _fraction_part(fraction)) * _multiplier(suffix, text)
    value = _round_up_to_nano(value)
    return -value if negative else value


def _split(text: str) -> tuple[bool, str, str, str]:
    """sign, integer digits, fraction digits, suffix (kubernetes' parseQuantityString)."""
    position = 1 if text[0] in "+-" else 0
    whole_end = _skip(text, position, _DIGITS)
    fraction_end = whole_end
    if text[whole_end:whole_end + 1] == ".":
        fraction_end = _skip(text, whole_end + 1, _DIGITS)
    suffix_end = _skip(text, fraction_end, _SUFFIX_CHARACTERS)
    if suffix_end < len(text):
        if text[suffix_end] in "+-":
            suffix_end += 1
        if _skip(text, suffix_end, _DIGITS) < len(text):
            raise ValueError(f"quantities must match the regular expression: {text!r}")
    fraction = text[whole_end + 1:fraction_end] if fraction_end > whole_end else ""
    return text[0] == "-", text[position:whole_end], fraction, text[fraction_end:]


def _skip(text: str, position: int, allowed: frozenset) -> int:
    while position < len(text) and text[position] in allowed:
        position += 1
    return position


def _fraction_part(digits: str) -> Fraction:
    return Fraction(int(digits), 10 ** len(digits)) if digits else Fraction(0)


def _multiplier(suffix: str, text: str) -> Fraction:
    if suffix in _DECIMAL_SUFFIXES:
        return Fraction(10) ** _DECIMAL_SUFFIXES[suffix]
    if suffix in _BINARY_SUFFIXES:
        return Fraction(2 ** _BINARY_SUFFIXES[suffix])
    exponent = _go_parse_int(suffix[1:]) if len(suffix) > 1 and suffix[0] in "eE" else None
    if exponent is None or abs(exponent) > _LARGEST_EXPONENT:
        raise ValueError(f"unable to parse quantity's suffix: {text!r}")
    return Fraction(10) ** exponent


def _go_parse_int(text: str) -> int | None:
    digits = text[1:] if text[:1] in "+-" else text
    return int(text) if digits and set(digits) <= _DIGITS else None


def _round_up_to_nano(value: Fraction) -> Fraction:
    """Non-zero amounts smaller than the precision round up to it ("if you want some
    resources, you should get some")."""
    nanos = value / _NANO
    if nanos.denominator == 1:
        return value
    return Fraction(-(-nanos.numerator // nanos.denominator)) * _NANO


def to_millicores(text: str) -> int:
    """A CPU quantity in millicores, rounded up like Quantity.MilliValue ("250m" -> 250, "1" -> 1000)."""
    return _ceil(parse_quantity(text) * 1000)


def to_bytes(text: str) -> int:
    """A memory quantity in bytes, rounded up like Quantity.Value ("1Ki" -> 1024, "1k" -> 1000)."""
    return _ceil(parse_quantity(text))


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


# -- quantities that print like the API server's (sums in quotas, limit ranges) --------------------
DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT = "DecimalSI", "BinarySI", "DecimalExponent"
_BINARY_SUFFIX_BY_POWER = ("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")
_DECIMAL_SUFFIX_BY_EXPONENT = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}


class Quantity:
    """A value with the format of its suffix (DecimalSI, BinarySI, DecimalExponent), which decides how it
    prints: kubernetes/apimachinery pkg/api/resource/quantity.go keeps it through String() and Add."""

    __slots__ = ("value", "format")

    def __init__(self, value: Fraction, format: str = DECIMAL_SI):
        self.value, self.format = value, format

    def __eq__(self, other) -> bool:
        return isinstance(other, Quantity) and (self.value, self.format) == (other.value, other.format)

    def __hash__(self) -> int:
        return hash((self.value, self.format))

    def __repr__(self) -> str:
        return f"Quantity({canonical(self)!r})"

    def __add__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.value + other.value, other.format if self.value == 0 else self.format)

    def __str__(self) -> str:
        return canonical(self)

    def milli(self) -> int:
        """MilliValue: rounded up to a whole thousandth."""
        return _ceil(self.value * 1000)


ZERO = Quantity(Fraction(0))


def parse(text) -> Quantity:
    """A quantity from a manifest value (YAML may give a number); ValueError if malformed."""
    text = str(text)
    return Quantity(parse_quantity(text), _format_of(text))


def _format_of(text: str) -> str:
    suffix = text.lstrip("+-0123456789.")
    if suffix in _BINARY_SUFFIX_BY_POWER[1:]:
        return BINARY_SI
    if suffix[:1] in ("e", "E"):
        return DECIMAL_EXPONENT
    return DECIMAL_SI


def canonical_text(text) -> str:
    """A manifest's quantity as the API server prints it back ("1000Mi" -> "1000Mi", "1e3" -> "1e3", "0.5" -> "500m")."""
    return canonical(parse(text))


def canonical(quantity: Quantity) -> str:
    value = quantity.value
    if value == 0:
        return "0"
    sign, value = ("-", -value) if value < 0 else ("", value)
    binary = quantity.format == BINARY_SI and value >= 1024 and value.denominator == 1
    return sign + (_base1024(int(value)) if binary else _base10(value, quantity.format))


def _base1024(value: int) -> str:
    power = 0
    while value % 1024 == 0 and power < len(_BINARY_SUFFIX_BY_POWER) - 1:
        value //= 1024
        power += 1
    return f"{value}{_BINARY_SUFFIX_BY_POWER[power]}"


def _base10(value: Fraction, quantity_format: str) -> str:
    """Strip trailing zeros, then lower the exponent to a multiple of 3 (AsCanonicalBytes)."""
    mantissa, exponent = int(value * 10**9), -9
    while mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    shift = exponent % 3
    mantissa, exponent = mantissa * 10**shift, exponent - shift
    if quantity_format == DECIMAL_EXPONENT:
        return f"{mantissa}e{exponent}" if exponent else str(mantissa)
    if exponent in _DECIMAL_SUFFIX_BY_EXPONENT:
        return f"{mantissa}{_DECIMAL_SUFFIX_BY_EXPONENT[exponent]}"
    return f"{mantissa}e{exponent}"


def total(quantities) -> Quantity:
    result = ZERO
    for quantity in quantities:
        result = result + quantity
    return result
