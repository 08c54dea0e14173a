"""Vietnamese numerals, units and qualifiers.

Numerals are written the Vietnamese way (``,`` decimal mark, ``.`` thousands separator) and parsed
with Babel. A unit phrase after the numeral gives the canonical unit and the factor to reach it:

=====================  ===================  =======
written                canonical unit       factor
=====================  ===================  =======
``nghìn tỷ đồng``      ``bn VND``           1000
``tỷ đồng``            ``bn VND``           1
``triệu đồng``         ``bn VND``           0.001  (``mn VND/...`` when per worker, per ha, ...)
``tỷ USD``             ``mn USD``           1000
``triệu USD``          ``mn USD``           1
``USD``                ``USD``              1
``%``                  ``%``                1
``nghìn``/``triệu``    ``count`` (etc.)     1e3 / 1e6 (``1,35 triệu lượt khách``)
=====================  ===================  =======
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

#: A Vietnamese numeral: ``1.269,4``, ``62.615``, ``7,82``, ``100``.
VI_NUMERAL = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
#: A numeral in English format, as some pages write them: ``46,215.8``, ``10.45`` (never three decimals,
#: which would read as Vietnamese thousands).
EN_NUMERAL = (r"(?:\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d{1,2}(?![\d.,]))"
              r"(?=\s?(?:%|t[ỷỉ]\b|triệu\b|nghìn\b|ngàn\b|USD\b|đồng\b))")
NUMERAL = EN_NUMERAL + "|" + VI_NUMERAL
_VI_RE = re.compile(VI_NUMERAL)
_EN_FULL = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d{1,2}")


@lru_cache(maxsize=65536)
def parse_number(numeral: str) -> float:
    """Parse a numeral: ``parse_number("1.269,4") == 1269.4`` (Vietnamese format, with Babel), and the
    English format some pages use where it cannot be Vietnamese (``"46,215.8"``, ``"10.45"``).

    Raises ``ValueError`` for text that is not a well-formed numeral (e.g. ``1.123.9``).
    """
    numeral = numeral.strip()
    if _VI_RE.fullmatch(numeral) and ("." not in numeral or numeral[0] != "0"):
        return float(numeral.replace(".", "").replace(",", "."))  # what Babel reads (well grouped: it checks)
    if _VI_RE.fullmatch(numeral):
        try:
            return float(parse_decimal(numeral, locale="vi", strict=True))
        except NumberFormatError as err:
            raise ValueError(f"not a Vietnamese numeral: {numeral!r} ({err})") from None
    if _EN_FULL.fullmatch(numeral):
        return float(parse_decimal(numeral, locale="en", strict=False))
    raise ValueError(f"not a Vietnamese numeral: {numeral!r}")


def decimals_of(numeral: str) -> int:
    """How many decimals a numeral is written with (``"7,82"`` → 2)."""
    return len(numeral.split(",", 1)[1]) if "," in numeral else 0


@lru_cache(maxsize=4096)  # charts format the same tick values at every layout pass
def format_number(value: float, lang: str = "vi", decimals: int | None = None) -> str:
    """Format a number for a reader: ``15.745`` / ``7,8`` in Vietnamese, ``15,745`` / ``7.8`` in English."""
    if decimals is None:
        text = format_decimal(Decimal(repr(float(value))), locale=lang, format="#,##0.###")
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        text = format_decimal(Decimal(repr(float(value))), locale=lang, format=pattern)
    return text.replace("\u00a0", " ")


# --------------------------------------------------------------------------------------------
# Units


@dataclass(frozen=True)
class Unit:
    written: str  # as in the text, e.g. "nghìn tỷ đồng"
    unit: str  # canonical unit code, e.g. "bn VND"
    factor: float  # canonical value = number * factor


# Money and measurement units (regex matched right after the numeral), canonical unit, factor.
_UNIT_TABLE: list[tuple[str, str, float]] = [
    (r"triệu t[ỷỉ]\s*đồng", "bn VND", 1e6),
    (r"(?:nghìn|ngàn) t[ỷỉ]\s*đồng", "bn VND", 1000.0),
    (r"(?:nghìn|ngàn) t[ỷỉ](?![^\W\d])", "bn VND", 1000.0),
    (r"t[ỷỉ]\s*đồng", "bn VND", 1.0),
    (r"triệu đồng\s*/\s*lao động", "mn VND/worker", 1.0),
    (r"triệu đồng\s*/\s*người\s*/\s*tháng", "mn VND/person/month", 1.0),
    (r"triệu đồng\s*/\s*người", "mn VND/person", 1.0),
    (r"triệu đồng\s*/\s*(?:1\s*)?ha", "mn VND/ha", 1.0),
    (r"triệu đồng", "bn VND", 0.001),
    (r"t[ỷỉ]\s*USD", "mn USD", 1000.0),
    (r"triệu\s*USD", "mn USD", 1.0),
    (r"USD", "USD", 1.0),
    (r"%", "%", 1.0),
    (r"‰", "‰", 1.0),
    (r"điểm phần trăm", "pp", 1.0),
    (r"điểm(?!\s*(?:cầu|bưu|phục vụ|mỏ|du lịch|giao dịch|trường|kinh doanh))", "points", 1.0),
    (r"lần", "times", 1.0),
    (r"bậc", "ranks", 1.0),
]
# Units that take a scale word ("12,25 nghìn ha", "1,35 triệu lượt khách").
_SCALABLE: list[tuple[str, str]] = [
    (r"tấn\.km", "tonne-km"),
    (r"người\.km", "person-km"),
    (r"ha", "ha"),
    (r"km", "km"),
    (r"m2|m²", "m2"),
    (r"m3|m³", "m3"),
    (r"tấn", "tonnes"),
]
# Nouns counted in the documents ("403 DN", "1,35 triệu lượt khách"): canonical unit "count".
_COUNT_NOUNS = (
    "lượt khách",
    "lượt người",
    "lượt",
    "dự án",
    "doanh nghiệp",
    "DN",
    "chi nhánh",
    "lao động",
    "người",
    "sản phẩm",
    "xã",
    "huyện",
    "thôn",
    "trường",
    "giải",
    "huy chương",
    "vụ việc",
    "vụ",
    "con",
    "cây",
    "liều",
    "thuê bao",
    "chiếc",
    "thiết bị",
    "bác sĩ",
    "dược sĩ",
    "giường",
    "cơ sở",
    "hộ",
    "học sinh",
    "chỉ tiêu",
    "tiêu chí",
    "đơn vị",
    "công trình",
    "KCN",
    "CCN",
    "lò",
    "đồ án",
    "hồ sơ",
    "trường hợp",
    "đơn",
    "văn bản",
    "nhiệm vụ",
    "đề tài",
    "điểm cầu",
    "camera",
    "gia đình",
    "CLB",
    "cuộc",
    "tổ chức",
    "cá nhân",
    "quốc gia",
    "khoản thu",
    "chương trình",
    "phường",
    "thị trấn",
    "tài khoản",
    "dịch vụ công",
    "đoàn",
    "bệnh viện",
    "di tích",
    "HTX",
    "trang trại",
    "chuỗi",
    "NNT",
    "HCV",
    "HCB",
    "HCĐ",
    "VĐV",
    "tờ rơi",
    "nhà đầu tư",
    "suất quà",
    "đám tang",
    "đám cưới",
    "địa phương",
    "trụ cột",
    "dự thảo",
    "mỏ",
    "lò đốt",
    "trạm",
    "lượt DN",
    "thiết chế",
)
_SCALES = {"nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}

_END = r"(?![^\W\d_])"  # not followed by a letter
_UNIT_RES = [(re.compile(r"\s*(" + p + ")" + _END), u, f) for p, u, f in _UNIT_TABLE]
_SCALED_RES = [(re.compile(r"\s*((?:(nghìn|ngàn|vạn|triệu|tỷ|tỉ)\s+)?" + p + ")" + _END), u) for p, u in _SCALABLE] + [
    (
        re.compile(
            r"\s*((?:(nghìn|ngàn|vạn|triệu|tỷ|tỉ)\s+)?(?:"
            + "|".join(sorted(map(re.escape, _COUNT_NOUNS), key=len, reverse=True))
            + "))"
            + _END
        ),
        "count",
    )
]


# All of them in one pattern, in order: the first that matches is the one an alternation matches.
_ANY_UNIT = re.compile("|".join(f"(?P<u{k}>{regex.pattern})" for k, (regex, *_) in enumerate(_UNIT_RES + _SCALED_RES)))
_UNIT_OF = {f"u{k}": (_ANY_UNIT.groupindex[f"u{k}"], unit, rest[0] if rest else None)
            for k, (_, unit, *rest) in enumerate(_UNIT_RES + _SCALED_RES)}


@lru_cache(maxsize=16)  # (asked several times of the same words while a numeral is read)
def find_unit(after: str) -> tuple[Unit, int] | None:
    """The unit written right after a numeral, and how many characters of ``after`` it takes."""
    m = _ANY_UNIT.match(after)
    if not m:
        return None
    group, unit, factor = _UNIT_OF[m.lastgroup]
    if factor is not None:
        return Unit(m.group(group + 1), unit, factor), m.end()
    return Unit(m.group(group + 1), unit, _SCALES.get(m.group(group + 2), 1.0)), m.end()  # a scale word ("nghìn")


# --------------------------------------------------------------------------------------------
# Qualifiers: words just before the numeral.

_QUALIFIERS: list[tuple[str, str]] = [
    ("khoảng trên", ">"),
    ("khoảng hơn", ">"),
    ("tối thiểu", ">="),
    ("ít nhất", ">="),
    ("không dưới", ">="),
    ("tối đa", "<="),
    ("không quá", "<="),
    ("trên", ">"),
    ("hơn", ">"),
    ("dưới", "<"),
    ("gần", "~"),
    ("khoảng", "~"),
    ("xấp xỉ", "~"),
    ("chừng", "~"),
]
_QUALIFIER_RE = re.compile(r"(?<![^\W\d])(" + "|".join(re.escape(w) for w, _ in _QUALIFIERS) + r")\s*$", re.IGNORECASE)
QUALIFIER_SYMBOLS = ("", ">", ">=", "<", "<=", "~", "range")


def find_qualifier(before: str) -> tuple[str, str]:
    """``(symbol, word)`` for a qualifier ending ``before`` (``"đạt trên "`` → ``(">", "trên")``)."""
    m = _QUALIFIER_RE.search(before)
    if not m:
        return "", ""
    word = m.group(1)
    if word.lower() == "hơn" and re.search(r"(?:cao|thấp|nhiều|ít|lớn|nhỏ|tốt)\s+$", before[: m.start()]):
        return "", ""  # "thấp hơn 0,5%" is a difference, not "more than"
    return dict(_QUALIFIERS)[word.lower()], word
