"""HumanDuration against every upstream vector (kubernetes/apimachinery
pkg/util/duration/duration_test.go, listed in ../shared/reference/kubectl-cli.md §4.1)."""

from datetime import datetime, timedelta, timezone

import pytest

from minikctl.printers.duration import human_duration, parse_time, since

S = timedelta(seconds=1)
MS = timedelta(milliseconds=1)
M = timedelta(minutes=1)
H = timedelta(hours=1)
D = timedelta(days=1)

UPSTREAM_VECTORS = [
    (1 * S, "1s"), (70 * S, "70s"), (190 * S, "3m10s"), (70 * M, "70m"), (47 * H, "47h"),
    (49 * H, "2d1h"), (8 * D + 2 * H, "8d"), (367 * D, "367d"), (730 * D + 25 * H, "2y1d"),
    (8 * 365 * D + 2 * H, "8y"),
    (-2 * S, "<invalid>"), (-2 * S + timedelta(microseconds=1), "0s"), (timedelta(0), "0s"),
    (999 * MS, "0s"), (2 * M - MS, "119s"), (2 * M, "2m"), (2 * M + S, "2m1s"),
    (10 * M - MS, "9m59s"), (10 * M, "10m"), (10 * M + S, "10m"), (3 * H - MS, "179m"),
    (3 * H, "3h"), (3 * H + M, "3h1m"), (8 * H - MS, "7h59m"), (8 * H, "8h"), (8 * H + 59 * M, "8h"),
    (48 * H - MS, "47h"), (48 * H, "2d"), (49 * H, "2d1h"), (8 * D - MS, "7d23h"), (8 * D, "8d"),
    (8 * D + 23 * H, "8d"), (730 * D - MS, "729d"), (730 * D, "2y"), (730 * D + 23 * H + 59 * M, "2y"),
    (731 * D, "2y1d"), (1095 * D, "3y"), (2920 * D - MS, "7y364d"), (2920 * D, "8y"),
    (2920 * D + 364 * D, "8y"), (3285 * D, "9y"),
]

OBSERVED = [
    (45 * S, "45s"), (47 * S, "47s"), (5 * M + 12 * S, "5m12s"), (45 * M, "45m"), (60 * M, "60m"),
    (123 * M, "123m"), (3 * H + M, "3h1m"), (9 * H, "9h"), (2 * D + 4 * H, "2d4h"), (10 * D, "10d"),
    (30 * D, "30d"), (120 * D, "120d"), (400 * D, "400d"),
]


@pytest.mark.parametrize("elapsed, expected", UPSTREAM_VECTORS + OBSERVED)
def test_human_duration(elapsed, expected):
    assert human_duration(elapsed) == expected


def test_one_second_in_the_future_is_still_now():
    assert human_duration(-1 * S) == "0s"


NOW = datetime(2024, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def test_since_formats_the_age_of_a_timestamp():
    assert since("2024-02-28T08:00:00Z", NOW) == "2d4h"


def test_since_reads_micro_time():
    assert since("2024-03-01T11:59:14.654321Z", NOW) == "45s"


def test_since_of_a_missing_timestamp_is_unknown():
    assert since(None, NOW) == "<unknown>"
    assert since("", NOW) == "<unknown>"


def test_since_a_future_timestamp_is_invalid():
    assert since("2024-03-01T12:00:05Z", NOW) == "<invalid>"


def test_parse_time_is_timezone_aware():
    assert parse_time("2024-01-02T03:04:05Z") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
