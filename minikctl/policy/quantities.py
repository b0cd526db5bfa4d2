"""Quantities that remember their Go format, so sums print the way the API server prints them.

kubernetes/apimachinery pkg/api/resource/quantity.go: a Quantity keeps the format of its suffix
(DecimalSI, BinarySI, DecimalExponent); String() prints the canonical form in that format
(CanonicalizeBytes, amount.go AsCanonicalBytes / AsCanonicalBase1024Bytes); Add keeps the receiver's
format unless the receiver is zero, in which case it takes the other's. Parsing is
minikctl.api.quantity's.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from minikctl.api.quantity import parse_quantity

DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT = "DecimalSI", "BinarySI", "DecimalExponent"
_BINARY_SUFFIXES = ("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")
_DECIMAL_SUFFIXES = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}


@dataclass(frozen=True)
class Quantity:
    value: Fraction
    format: str = DECIMAL_SI

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
    if suffix in _BINARY_SUFFIXES[1:]:
        return BINARY_SI
    if suffix[:1] in ("e", "E"):
        return DECIMAL_EXPONENT
    return DECIMAL_SI


def canonical(quantity: Quantity) -> str:
    value = quantity.value
    if value == 0:
        return "0"
    sign, value = ("-", -value) if value < 0 else ("", value)
    binary = quantity.format == BINARY_SI and value >= 1024 and value.denominator == 1
    return sign + (_base1024(int(value)) if binary else _base10(value, quantity.format))


def _base1024(value: int) -> str:
    power = 0
    while value % 1024 == 0 and power < len(_BINARY_SUFFIXES) - 1:
        value //= 1024
        power += 1
    return f"{value}{_BINARY_SUFFIXES[power]}"


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
    return f"{mantissa}{_DECIMAL_SUFFIXES[exponent]}" if exponent in _DECIMAL_SUFFIXES else f"{mantissa}e{exponent}"


def total(quantities) -> Quantity:
    result = ZERO
    for quantity in quantities:
        result = result + quantity
    return result


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)
