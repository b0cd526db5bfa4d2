"""Kubernetes quantities (kubernetes/apimachinery pkg/api/resource/quantity.go)."""

from fractions import Fraction

import pytest

from minikctl.core.quantity import parse_quantity, to_bytes, to_millicores


@pytest.mark.parametrize("text, value", [
    ("0", 0), ("1", 1), ("+3", 3), ("-1", -1), ("2.5", Fraction(5, 2)), ("1.", 1), (".5", Fraction(1, 2)),
    ("500m", Fraction(1, 2)), ("250m", Fraction(1, 4)), ("100u", Fraction(1, 10000)),
    ("5n", Fraction(5, 10**9)), ("1k", 1000), ("1M", 10**6), ("2G", 2 * 10**9), ("1T", 10**12),
    ("1P", 10**15), ("1E", 10**18), ("1Ki", 1024), ("128Mi", 128 * 2**20), ("1Gi", 2**30),
    ("1.5Gi", 3 * 2**29), ("1Ti", 2**40), ("1Pi", 2**50), ("1Ei", 2**60), ("2e3", 2000), ("2E3", 2000),
    ("1e-3", Fraction(1, 1000)), ("1e+3", 1000), ("-1.5k", -1500), ("007", 7),
])
def test_parses_values_exactly(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["m", "k", "Ki", "-", "+", ".", "e5"])
def test_a_missing_number_counts_as_zero(text):
    """Kubernetes' parser quirk: the number may be empty."""
    assert parse_quantity(text) == 0


@pytest.mark.parametrize("text, value", [
    ("1e-12", Fraction(1, 10**9)), ("0.1n", Fraction(1, 10**9)), ("-0.1n", Fraction(-1, 10**9)),
    ("1.0000000001", 1 + Fraction(1, 10**9)),
])
def test_rounds_away_from_zero_to_nano_precision(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", " 1", "1 ", "abc", "1.5.5", "1K", "1ee3", "1m5", "e", "1e",
                                  "1Gb", "10.244.1.5", "web-1", "1e99999999"])
def test_rejects_what_kubernetes_rejects(text):
    with pytest.raises(ValueError):
        parse_quantity(text)


def test_orders_across_suffixes():
    assert parse_quantity("999m") < parse_quantity("1") < parse_quantity("1001m")
    assert parse_quantity("1Gi") > parse_quantity("1G")
    assert parse_quantity("1024Mi") == parse_quantity("1Gi")


@pytest.mark.parametrize("text, millicores", [("250m", 250), ("0.5", 500), ("2", 2000), ("1.0001", 1001),
                                              ("100u", 1)])
def test_millicores_round_up(text, millicores):
    assert to_millicores(text) == millicores


@pytest.mark.parametrize("text, size", [("1Ki", 1024), ("1k", 1000), ("128Mi", 134217728),
                                        ("1.5M", 1500000), ("500m", 1)])
def test_bytes_round_up(text, size):
    assert to_bytes(text) == size
