"""Vietnamese numerals, units and qualifiers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.read.numbers import find_qualifier, find_unit, format_number, parse_number


@pytest.mark.parametrize(
    "numeral, value",
    [
        ("1.269,4", 1269.4),
        ("7,82", 7.82),
        ("62.615", 62615),
        ("1.720.887", 1720887),
        ("0,77", 0.77),
        ("05", 5),
        ("18.525,5", 18525.5),
        ("100", 100),
    ],
)
def test_parse_vietnamese_numerals(numeral, value):
    assert parse_number(numeral) == pytest.approx(value)


@pytest.mark.parametrize("bad", ["1.123.9", "1,2,3", "abc", "", "12.3.4"])
def test_malformed_numerals_are_refused(bad):
    with pytest.raises(ValueError):
        parse_number(bad)


@pytest.mark.parametrize("numeral, value", [("46,215.8", 46215.8), ("10.45", 10.45), ("12.345", 12345)])
def test_english_numerals_where_they_cannot_be_vietnamese(numeral, value):
    # "12.345" has three digits after the dot: Vietnamese thousands, never an English decimal
    assert parse_number(numeral) == pytest.approx(value)


def vietnamese(value: Decimal) -> str:
    """Write a number the Vietnamese way, independently of the code under test."""
    sign, digits, exponent = value.as_tuple()
    text = f"{value:f}"
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped + ("," + fraction if fraction else "")


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_vietnamese_format_round_trips(value):
    assert parse_number(vietnamese(value)) == pytest.approx(float(value))


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_format_number_round_trips(value):
    assert parse_number(format_number(float(value), "vi", 2)) == pytest.approx(float(value))
    assert float(format_number(float(value), "en", 2).replace(",", "")) == pytest.approx(float(value))


def test_format_number_by_language():
    assert format_number(15745, "vi") == "15.745"
    assert format_number(15745, "en") == "15,745"
    assert format_number(7.8, "vi", 1) == "7,8"
    assert format_number(7.8, "en", 1) == "7.8"


@pytest.mark.parametrize(
    "after, written, unit, factor",
    [
        (" nghìn tỷ đồng (tương đương", "nghìn tỷ đồng", "bn VND", 1000),
        (" tỷ đồng, tăng", "tỷ đồng", "bn VND", 1),
        (" tỷ USD, tăng", "tỷ USD", "mn USD", 1000),
        (" triệu USD, bằng", "triệu USD", "mn USD", 1),
        (" USD, tăng", "USD", "USD", 1),
        ("%, giảm", "%", "%", 1),
        (" %)", "%", "%", 1),
        (" triệu đồng/lao động (theo", "triệu đồng/lao động", "mn VND/worker", 1),
        (" triệu đồng/người/tháng.", "triệu đồng/người/tháng", "mn VND/person/month", 1),
        (" triệu lượt khách, gấp", "triệu lượt khách", "count", 1e6),
        (" nghìn ha. Sản", "nghìn ha", "ha", 1000),
        ("ha, KCN", "ha", "ha", 1),
        (" điểm phần trăm (công", "điểm phần trăm", "pp", 1),
        (" lần năm 2021", "lần", "times", 1),
        (" DN đang hoạt động", "DN", "count", 1),
    ],
)
def test_units_and_scales(after, written, unit, factor):
    found, length = find_unit(after)
    assert (found.written, found.unit, found.factor) == (written, unit, factor)
    assert after[:length].strip() == written


def test_no_unit():
    assert find_unit(" cả nước") is None


@pytest.mark.parametrize(
    "before, symbol",
    [
        ("đạt trên ", ">"),
        ("GTSX khu vực này đạt hơn ", ">"),
        ("gần ", "~"),
        ("đạt khoảng ", "~"),
        ("Tối thiểu ", ">="),
        ("dưới ", "<"),
        ("thấp hơn ", ""),
        ("tăng ", ""),
        ("khoảng trên ", ">"),
    ],
)
def test_qualifiers(before, symbol):
    assert find_qualifier(before)[0] == symbol
