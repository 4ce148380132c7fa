"""Properties of numeral parsing, written from ANNOTATION.md and the parse_number contract.

- every integer below 10**12 written in Arabic digits, with thousands separators, in full-width
  digits, or in Chinese numerals (一万二千三百零五, with 两 where idiomatic) parses back to itself;
- a decimal with a 万/亿 suffix folds the multiplier (12.34万 -> 123400);
- plain decimals (3.25) parse exactly;
- parse_number and extract_text never raise, whatever the text.
"""

from __future__ import annotations

import re
import string
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

DIGITS = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

# Chinese numeral writing (keep in sync with how reports write numbers): sections of four digits
# joined by 万/亿; a 零 for every run of zeros between non-zero digits; 十 not 一十 at the very start.


def _section(n: int, first: bool, liang: bool) -> str:
    """Chinese for 0 < n < 10000 inside a number; ``first``: this section opens the number."""
    out = []
    zero = False
    for power, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // power % 10
        if d == 0:
            if out:
                zero = True
            continue
        if zero:
            out.append("零")
            zero = False
        if d == 1 and unit == "十" and first and not out:
            out.append("十")  # 十二, 十万: no 一 before a leading 十
            continue
        if d == 2 and liang and unit in ("千", "百") and not out:  # 两千二百, not 两千两百
            out.append("两" + unit)
        else:
            out.append(DIGITS[d] + unit)
    return "".join(out)


def chinese(n: int, liang: bool = False) -> str:
    """Chinese numerals for 0 <= n < 10**12; ``liang`` writes 两 where a report would.

    >>> chinese(12305), chinese(100000001), chinese(10010000), chinese(110000)
    ('一万二千三百零五', '一亿零一', '一千零一万', '十一万')
    >>> chinese(2200), chinese(2200, liang=True), chinese(20000, liang=True), chinese(12)
    ('二千二百', '两千二百', '两万', '十二')
    >>> chinese(0), chinese(100010), chinese(1001000)
    ('零', '十万零一十', '一百万一千')
    """
    if n == 0:
        return "零"
    parts = [(n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")]
    out = ""
    pending_zero = False
    for sec, unit in parts:
        if sec == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or sec < 1000):
            out += "零"
        if liang and sec == 2 and unit:
            out += "两" + unit  # 两万, 两亿
        else:
            out += _section(sec, first=not out, liang=liang) + unit
        pending_zero = False
    return out


from tests.scoring import approx_class, same_value  # noqa: E402

close = same_value


def parse(text: str) -> Any:
    from extractors.numbers import parse_number  # lazy: collection works before the module exists

    return parse_number(text)


# The examples the parse_number contract names: (text, value, high, approx, redacted, percent).
CONTRACT = [
    ("125", 125, None, None, False, False),
    ("1,100.9", 1100.9, None, None, False, False),
    ("１２５", 125, None, None, False, False),
    ("10.95万", 109500, None, None, False, False),
    ("两千", 2000, None, None, False, False),
    ("一万二千", 12000, None, None, False, False),
    ("二十多", 20, None, "多", False, False),
    ("十余", 10, None, "余", False, False),
    ("上千", 1000, None, "上千", False, False),
    ("百分之九十", 90, None, None, False, True),
    ("95.6%", 95.6, None, None, False, True),
    ("3万4000", 34000, None, None, False, False),
    ("25万6千", 256000, None, None, False, False),
    ("一千二百余万", 12000000, None, "余", False, False),
    ("70多万", 700000, None, "多", False, False),
    ("近百", 100, None, "近", False, False),
    ("两三", 2, 3, None, False, False),
    ("3至5万", 30000, 50000, None, False, False),
    ("0.8万", 8000, None, None, False, False),
    ("5.2万亿", 5200000000000, None, None, False, False),
    ("67665亿", 6766500000000, None, None, False, False),
    ("五百二十一", 521, None, None, False, False),
    ("*", None, None, None, True, False),
    ("X", None, None, None, True, False),
    ("XX", None, None, None, True, False),
    ("**", None, None, None, True, False),
    ("×", None, None, None, True, False),
    ("*余", None, None, "余", True, False),
    # a space as the thousands separator (issue 18): 1 300余人, 12 450人次
    ("1 300", 1300, None, None, False, False),
    ("1 234 567", 1234567, None, None, False, False),
    # placeholders with a decimal part or a range: X.X万人, X.20万元, 9596.X万元, X-X倍
    ("X.X", None, None, None, True, False),
    ("X.20万", None, None, None, True, False),
    ("9596.X万", None, None, None, True, False),
    ("X-X", None, None, None, True, False),
]


@pytest.mark.parametrize("text,value,high,approx,redacted,percent", CONTRACT, ids=[c[0] for c in CONTRACT])
def test_contract_examples(text: str, value: Any, high: Any, approx: str | None, redacted: bool,
                           percent: bool) -> None:
    n = parse(text)
    assert n is not None, text
    assert n.redacted == redacted
    assert close(n.value, value), n
    assert close(n.high, high), n
    assert approx_class(n.approx) == approx_class(approx), n
    assert n.percent == percent, n


@pytest.mark.parametrize("text", ["", "儿童之家", "妇联", "abc", "。", "——"])
def test_no_numeral(text: str) -> None:
    assert parse(text) is None


def _exact(n: Any, expected: int | float | Decimal) -> None:
    assert n is not None
    assert not n.redacted and not n.percent and n.high is None and n.approx is None, n
    assert close(n.value, expected), (n, expected)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
@example(0)
@example(10**12 - 1)
@example(100000001)
def test_arabic_roundtrip(n: int) -> None:
    _exact(parse(str(n)), n)
    _exact(parse(str(n).translate(FULL_WIDTH)), n)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1000, max_value=10**12 - 1))
def test_thousands_separators(n: int) -> None:
    _exact(parse(f"{n:,}"), n)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1), st.booleans())
@example(12305, False)
@example(10, False)
@example(150000, False)
@example(2222, True)
@example(100010, False)
@example(200000000, True)
@example(10**12 - 1, False)
def test_chinese_roundtrip(n: int, liang: bool) -> None:
    text = chinese(n, liang)
    n_parsed = parse(text)
    assert n_parsed is not None, text
    _exact(n_parsed, n)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=99999), st.text(string.digits, min_size=1, max_size=4),
       st.sampled_from([("万", 10**4), ("亿", 10**8), ("万亿", 10**12)]))
@example(12, "34", ("万", 10**4))
@example(0, "5", ("万", 10**4))
@example(0, "0", ("万", 10**4))
@example(10, "95", ("万", 10**4))
def test_decimal_with_multiplier(whole: int, frac: str, mult: tuple[str, int]) -> None:
    suffix, factor = mult
    text = f"{whole}.{frac}{suffix}"
    _exact(parse(text), Decimal(f"{whole}.{frac}") * factor)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.text(string.digits, min_size=1, max_size=6))
@example(3, "25")
def test_decimal_exact(whole: int, frac: str) -> None:
    text = f"{whole}.{frac}"
    n = parse(text)
    assert n is not None, text
    assert n.value == float(text), (text, n)


# Text that leans on numerals, qualifiers, units and placeholders, plus any CJK and any character.
_NUMERALISH = list("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿两零〇几余多近约超逾以上左右下"
                   ".,，、%％*X×xＸ—-～~至到个名人次元美亿年月日第是“”\"（）()〔〕 \n")
TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(_NUMERALISH),
                       st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                       st.characters(codec="utf-8")),
    max_size=40,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parse_number_never_raises(text: str) -> None:
    n = parse(text)
    if n is not None:
        assert n.redacted == (n.value is None), n
        if n.high is not None and n.value is not None:
            assert n.high >= n.value, n


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
@example("")
@example("2024年*月*日")
@example("近三年来培训妇女3至5万人次，约占**%")
def test_extract_text_never_raises(text: str) -> None:
    from extractors.rules import extract_text

    for f in extract_text(text):
        assert 0 <= f.start < f.end <= len(text), (text, f)
        assert f.kind in {"count", "money", "percent", "other"}, f
        # ANNOTATION.md "redacted": value is null for a placeholder, and only then
        assert bool(f.redacted) == (f.value is None), f
        if f.high is not None and f.value is not None:
            assert f.high >= f.value, f


@settings(max_examples=100, deadline=None)
# from 2: a lone 一 (一名, 一次) is borderline, the gold marks such figures optional
@given(st.integers(min_value=2, max_value=10**8), st.sampled_from(["arabic", "chinese", "liang"]))
@example(12, "chinese")  # a leading 十 (十二, 十五万) is rare among uniform integers: pin it
@example(150000, "chinese")
@example(2000, "liang")
def test_count_in_a_sentence(n: int, style: str) -> None:
    """A count written any way inside a report sentence comes out with its value, kind and unit."""
    from extractors.rules import extract_text

    num = str(n) if style == "arabic" else chinese(n, liang=style == "liang")
    text = f"全区共有农村留守儿童{num}名，均已建立档案。"
    figures = extract_text(text)
    assert any(close(f.value, n) and f.kind == "count" and f.unit == "名" for f in figures), (text, figures)


def test_chinese_renderer_is_conventional() -> None:
    """Sanity of the test's own renderer: no doubled 零, no trailing 零, digits only from the set."""
    for n in [0, 7, 10, 15, 20, 101, 1010, 10001, 100100, 2000000, 305000000, 999999999999]:
        for liang in (False, True):
            s = chinese(n, liang)
            assert "零零" not in s and (s == "零" or not s.endswith("零")), s
            assert re.fullmatch(r"[零一二两三四五六七八九十百千万亿]+", s), s


@given(
    st.from_regex(r"[0-9]{1,12}(\.[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["", "万", "亿"]),
    st.sampled_from(["", "%"]),
)
def test_fast_path_reads_what_the_general_parser_reads(digits, mult, pct):
    """Plain Arabic numerals (125, 10.95万, 18.5%) skip the general parser; they must read the same,
    down to int versus float."""
    from extractors import numbers

    text = digits + mult + pct
    fast = numbers.parse_number.__wrapped__(text)
    saved = numbers._SIMPLE_RE
    numbers._SIMPLE_RE = re.compile(r"(?!)")  # matches nothing: every numeral takes the general path
    try:
        general = numbers.parse_number.__wrapped__(text)
    finally:
        numbers._SIMPLE_RE = saved
    assert fast == general and type(fast.value) is type(general.value)
